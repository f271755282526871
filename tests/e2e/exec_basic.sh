# shoal exec: arguments, text and colours where they belong, keys and paste
# arriving intact, exit status shown with the last screen kept, quitting.
. "$SHOAL_TOP/tests/e2e/lib.sh"
. "$SHOAL_TOP/tests/e2e/lib_exec.sh"

# ---- bad arguments: exit 2 and a specific message ----
bad() { # NAME EXPECTED-MESSAGE ARGS...
	n=$1 msg=$2
	shift 2
	out=$("$SHOAL" exec "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -eq 2 ]; then t_has "$n" "$msg" "$out"; else t_fail "$n" "exit $rc: $out"; fi
}
bad "no command" "no command" --
bad "no --" "expected '--'" sh
bad "unknown layout" "unknown layout 'tiles'" --layout tiles -- sh
bad "focus out of range" "--focus 3 but there are only 2 panes" --focus 3 -- sh ::: sh
bad "focus not a number" "--focus wants a pane number" --focus x -- sh
bad "empty command" "empty command after ':::'" -- sh :::
bad "bad scrollback" "--scrollback wants a number" --scrollback -5 -- sh
bad "bad prefix" "bad prefix key 'C-Ü'" --prefix C-Ü -- sh
bad "unknown option" "unknown option '--bogus'" --bogus -- sh
X_N=$((X_N + 1)); X="tmux -L shoal-test-$$-$X_N -f /dev/null" # a server of its own
$X new-session -d -x 80 -y 24 "TERM=no-such-terminal $SHOAL exec -- true 2>$T/err; echo EXIT=\$?; sleep 60"
if x_wait "EXIT=1"; then t_has "unknown TERM: clear error" "no terminfo entry for TERM=no-such-terminal" "$(cat "$T/err")"; else t_fail "unknown TERM" "$(x_cap)"; fi
out=$("$SHOAL" exec -- true 2>&1 </dev/null)
rc=$?
if [ "$rc" -eq 1 ]; then t_has "not a terminal" "must be a terminal" "$out"; else t_fail "not a terminal" "exit $rc: $out"; fi

# ---- text and colours ----
x_start -- sh -c 'printf "\033[31mRED\033[0m \033[1;44mBOLDBLUE\033[0m \033[38;5;208mORANGE\033[0m \033[38;2;255;0;0mTRUECOL\033[0m \033[4mUNDER\033[0m \033[7mREV\033[0m \344\270\255\346\226\207 e\314\201!\n"; exec sleep 600' ::: sh -c 'printf "right pane\n"; exec sleep 600'
x_expect "text shows" "┃RED BOLDBLUE"
x_expect "pane 2 drawn too" "│right pane" # both panes on screen before the row is measured
l2=$(x_cap -e | sed -n 2p | sed 's/\x1b\[49m//g')
t_has "red is indexed 1" "[31mRED" "$l2"
t_has "bold on blue" "[1m" "$l2"
t_has "blue background" "44m" "$l2"
t_has "256-colour passes through" "38;5;208mORANGE" "$l2"
t_has "truecolor quantised to 196" "38;5;196mTRUECOL" "$l2"
t_has "underline" "[4mUNDER" "$l2"
t_has "reverse" "[7mREV" "$l2"
plain=$(x_line 2)
t_has "text at row 1 col 1 of pane 1" "┃RED BOLDBLUE ORANGE TRUECOL UNDER REV $(printf '\344\270\255\346\226\207 e\314\201!')" "$plain"
# Column alignment after two wide characters and a combining mark: pane 1's
# right border is at column 80 (79 characters + 2 for the wide ones - 1 for
# the combining mark).
pre=${plain%%│right*}
t_eq "border column after wide chars" 80 $(($(printf %s "$pre" | LC_ALL=C.UTF-8 wc -m) + 2 - 1))
t_has "pane 2 at the right" "│right pane" "$(x_line 2)"
t_has "titles show the commands" "2 sh -c 'printf" "$(x_line 1)"

# ---- dim and conceal (not in libvterm 0.1.4: tracked by shoal), and the
# cursor shape (DECSCUSR) forwarded to the outer terminal ----
x_start -- sh -c 'sleep 0.3; printf "\033[2mDIMTEXT\033[22m \033[8mSECRET\033[28m shown \033[1;2mBD\033[0m\033[5 q"; exec sleep 600'
$X pipe-pane -o "cat >>'$T/outer.bytes'"
x_expect "the text shows, the concealed word as blanks" "┃DIMTEXT        shown BD"
l2=$(x_cap -e | sed -n 2p)
l2=$(printf '%s' "$l2" | sed 's/\x1b\[39m//g; s/\x1b\[49m//g')
t_check "dim reaches the outer terminal" sh -c "printf '%s' '$l2' | grep -q '\\[\\([0-9]*;\\)*2mDIMTEXT'"
case "$l2" in *SECRET*) t_fail "the concealed text is not drawn" "$l2" ;; *) t_ok "the concealed text is not drawn" ;; esac
t_has "dim ends at SGR 22: the blanks and 'shown' are plain" "$(printf 'DIMTEXT\033[0m        shown')" "$l2"
t_has "bold and dim together" "[1;2mBD" "$l2"
_end=$(($(x_ms) + 3000))
until grep -q "$(printf '\033\\[5 q')" "$T/outer.bytes" 2>/dev/null || [ "$(x_ms)" -gt "$_end" ]; do sleep 0.02; done
t_check "the bar cursor (DECSCUSR 5) is forwarded" grep -q "$(printf '\033\\[5 q')" "$T/outer.bytes"
x_keys C-g q
x_wait "EXIT=" 5
t_check "the terminal's default cursor is restored on exit" sh -c "tail -c 200 '$T/outer.bytes' | grep -q '$(printf '\033')\\[0 q'"

# ---- title, cursor position and visibility ----
x_start -- sh -c 'printf "\033]2;my-fine-title\007abc"; exec sleep 600' ::: sh -c 'printf "\033[?25lhidden"; exec sleep 600'
x_expect "OSC 2 title first in the border, then the command" "1 my-fine-title · sh -c 'printf"
t_eq "cursor where the child left it" "4,1" "$($X display -p '#{cursor_x},#{cursor_y}')"
t_eq "cursor visible" "1" "$($X display -p '#{cursor_flag}')"
x_keys C-g 2
x_wait "hidden"
_end=$(($(x_ms) + 3000))
while [ "$($X display -p '#{cursor_flag}')" != 0 ] && [ "$(x_ms)" -lt "$_end" ]; do sleep 0.02; done
t_eq "cursor hidden when the focused child hides it" "0" "$($X display -p '#{cursor_flag}')"

# ---- a bell in an unfocused pane marks its border ----
x_start -- sh ::: sh -c 'sleep 0.5; printf "\007rang"; exec sleep 600'
x_wait "┃rang" 5 || x_wait "│rang" 5
_b=$(x_cap -e | sed -n 1p | sed "s/\x1b\[49m//g")
t_has "unfocused bell: yellow border" "[33m┌" "$_b"

# ---- exit status, last screen kept ----
x_start -- sh -c 'echo LAST-WORDS; exit 3' ::: sh -c 'echo fine; exit 0' ::: sh -c 'kill -KILL $$'
x_expect "exit 3 shown" "exited 3"
x_expect "exit 0 shown" "exited 0"
x_expect "signal shown" "killed by SIGKILL"
t_has "last screen kept" "┃LAST-WORDS" "$(x_cap)"

# ---- keys arrive intact (raw mode cat -v) ----
x_start -- sh -c 'stty raw -echo; echo RE""ADY; exec cat -v'
x_wait READY
x_keys a B 1 Up F5 C-a Escape x S-Up C-Up C-g C-g Tab
x_keys -l '€'
x_keys Enter
x_expect "keys arrive" 'aB1^[[A^[[15~^A^[x^[[1;2A^[[1;5A^G'
x_expect "tab, UTF-8 and Enter arrive" ' M-bM-^BM-,^M'
# The prefix then an unbound key sends nothing and says so.
x_keys C-g w
x_expect "unbound key message" "C-g w is not bound"

# ---- paste: bracketed (child asked) and plain ----
x_start -- sh -c 'printf "\033[?2004h"; stty raw -echo; echo RE""ADY; exec cat -v'
x_wait READY
$X set-buffer "$(printf 'one two\nthree')"
$X paste-buffer -p
x_expect "bracketed paste arrives" '^[[200~one two^Mthree^[[201~'
x_start -- sh -c 'stty raw -echo; echo RE""ADY; exec cat -v'
x_wait READY
$X set-buffer "$(printf 'plain\npaste\033[31mevil')"
$X paste-buffer -p
x_expect "plain paste, newline as CR, ESC stripped" 'plain^Mpaste[31mevil'

# A paste bigger than one turn of the key reader (10,000 characters) arrives whole.
x_start -- sh -c 'stty raw -echo; echo RE""ADY; head -c 10000 | wc -c; exec sleep 600'
x_wait "┃READY"
$X set-buffer "$(head -c 10000 /dev/zero | tr '\0' x)"
$X paste-buffer -p
x_expect "a 10,000-character paste arrives whole" "┃     10000" 10

# ---- quit restores the terminal; SIGTERM too ----
x_start -- sh
x_wait "1 sh"
t_eq "running: mouse and alternate screen on" "btn=1 alt=1" "$($X display -p 'btn=#{mouse_button_flag} alt=#{alternate_on}')"
x_keys C-g q
x_expect "prefix q quits with 0" "EXIT=0"
t_eq "screen restored" "" "$(x_cap | grep -F '┏')"
t_eq "terminal modes restored" "btn=0 any=0 cur=1 kp=0 alt=0" \
	"$($X display -p 'btn=#{mouse_button_flag} any=#{mouse_any_flag} cur=#{cursor_flag} kp=#{keypad_cursor_flag} alt=#{alternate_on}')"
x_start -- sh
x_wait "1 sh"
pkill -TERM -f "^$SHOAL exec -- sh\$" 2>/dev/null || kill -TERM $(pgrep -f "$SHOAL exec -- sh") 2>/dev/null
x_expect "SIGTERM quits" "EXIT=0"
x_end
t_done
