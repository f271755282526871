# shoal exec with real full-screen programs: vim edits and writes a file,
# htop draws and quits, a pane redraws cleanly after zoom, focus moves by
# keys and by mouse, a flooding pane does not slow another pane's echo,
# scrollback and copy mode (with OSC 52 to the outer terminal).
. "$SHOAL_TOP/tests/e2e/lib.sh"
. "$SHOAL_TOP/tests/e2e/lib_exec.sh"

# ---- vim edits a file ----
printf 'first line\n' >"$T/edit.txt"
x_start -- vim -u NONE -N edit.txt ::: sh
x_expect "vim shows the file" "first line"
x_expect "vim status line" '"edit.txt"'
x_keys G o 'added by shoal test' Escape
x_keys ':wq' Enter
x_expect "vim exits" "exited 0"
t_eq "file written by vim" "first line
added by shoal test" "$(cat "$T/edit.txt")"

# ---- htop draws and quits; zoom redraws it at the new size ----
x_start -- htop ::: sh
x_expect "htop draws its function bar" "F9Kill" 8
# Pane 1 is 80 columns wide: htop's bar is cut at pane 2's border.
t_has "htop inside pane 1" "F10Qui┃│" "$(x_cap | grep -F F9Kill)"
x_keys C-g z
x_wait_gone "2 sh" 5
x_expect "zoomed htop redraws at the bottom of the screen" "F10Quit"
line=$(x_cap | grep -n F10Quit | cut -d: -f1)
t_eq "htop's bar is on the last inner row after zoom" 47 "$line"
t_eq "no leftover of the old layout" "" "$(x_cap | grep -F '│')"
x_keys C-g z
x_expect "unzoom shows pane 2 again" "2 sh"
x_keys F10
x_expect "htop quits" "exited 0"

# ---- focus by keys and by mouse ----
x_start -- sh -c 'stty -echo; while read l; do echo "one:$l"; done' ::: sh -c 'stty -echo; while read l; do echo "two:$l"; done' ::: sh -c 'stty -echo; while read l; do echo "three:$l"; done'
x_wait "3 sh"
x_keys hello Enter
x_expect "focus starts on pane 1" "one:hello"
x_keys C-g l hello Enter
x_expect "C-g l focuses the right pane" "two:hello"
x_keys C-g j hello Enter
x_expect "C-g j focuses the pane below" "three:hello"
x_keys C-g 1 again Enter
x_expect "C-g 1 focuses pane 1" "one:again"
# A mouse click as the outer terminal sends it (tmux-256color: X10 encoding,
# button+32, column+32, row+32) on pane 2 at column 90, row 10.
# Under load the outer tmux may split the sequence past ncurses' 25 ms
# escape delay (then it reads as Esc + keys), so up to three tries.
ok=0
for try in 1 2 3; do
	x_keys -l "$(printf '\033[M z*\033[M#z*')"
	x_keys "clicked$try" Enter
	if x_wait "two:clicked$try" 2; then ok=1; break; fi
done
if [ $ok = 1 ]; then t_ok "a click focuses pane 2"; else t_fail "a click focuses pane 2" "$(x_cap)"; fi
x_keys C-g Space
x_expect "space switches layout" "layout main"

# ---- --focus, mouse passed through to a child that asked for it ----
x_start --focus 2 -- sh ::: sh -c 'printf "\033[?1000h"; stty raw -echo; echo MOUSE-RE""ADY; exec cat -v'
x_wait MOUSE-READY
# Click at screen column 90, row 10 (1-based): pane 2's inner area starts at
# column 82, row 2, so the child sees column 9, row 9 (X10: +32 each).
x_keys -l "$(printf '\033[M z*')"
x_expect "click reaches the child in pane-local coordinates" '^[[M ))'
# A full-screen child without mouse mode: the wheel sends arrow keys.
x_start -- sh -c 'printf "\033[?1049h"; stty raw -echo; echo ALT-RE""ADY; exec cat -v'
x_wait ALT-READY
x_keys -l "$(printf '\033[M`44')"
x_expect "wheel on the alternate screen sends arrows" '^[[A^[[A^[[A'
# ---- the outer terminal resized: panes and children follow ----
x_start -- sh
x_wait "1 sh"
$X resize-window -x 120 -y 40
x_keys 'stty size' Enter
x_expect "child sees the new size (inner 38x118)" "38 118"
# Down to nothing and back: no crash, the full layout returns, keys work.
x_start -- sh ::: sh ::: sh
x_wait "3 sh"
for sz in "3 2" "1 1" "10 4" "2 30" "160 48"; do
	set -- $sz
	$X resize-window -x "$1" -y "$2"
	sleep 0.1
done
x_keys 'echo alive' Enter
x_expect "keys after tiny sizes" "alive"
x_expect "full layout after tiny sizes" "3 sh"
t_has "pane 1 border intact" "┏━ 1 sh ━" "$(x_line 1)"

# ---- a flooding pane does not stop another pane's echo ----
x_start -- sh -c 'exec yes flooding-the-pane' ::: sh -c 'stty -echo; while read l; do echo "got:$l"; done'
x_wait "flooding-the-pane"
x_keys C-g 2
slow=0
for i in 1 2 3 4 5; do
	t0=$(x_ms)
	x_keys "k$i" Enter
	if x_wait "got:k$i" 3; then
		d=$(($(x_ms) - t0))
		[ "$d" -gt "$slow" ] && slow=$d
	else
		slow=99999
	fi
done
if [ "$slow" -lt 1000 ]; then t_ok "echo during a flood (slowest ${slow} ms)"; else t_fail "echo during a flood" "slowest ${slow} ms"; fi
x_keys C-g 1 C-c
x_expect "the flood stops on C-c" "killed by SIGINT"

# ---- scrollback with the wheel, copy mode, OSC 52 ----
x_start --scrollback 500 -- sh -c 'seq 1 300; exec sleep 600'
x_expect "output shown" "┃300"
x_keys -l "$(printf '\033[M`44')" # wheel up at column 20, row 20
x_expect "wheel scrolls back" "scroll 3/"
x_keys q
x_expect "q returns to live" "┃300"
x_wait_gone "scroll 3/"
x_keys C-g '['
x_expect "copy mode" "copy 0/"
x_keys PageUp
x_expect "PgUp scrolls a page" "copy 45/"
t_has "older lines visible" "┃211" "$(x_cap)"

x_keys g
x_expect "g goes to the oldest line" "┃1 "
x_keys C-g q
x_expect "quit from copy mode" "EXIT=0"
x_start --scrollback 500 -- sh -c 'seq 1 300; exec sleep 600'
x_expect "output shown again" "┃300"
x_keys C-g '[' k k 0 Space j '$' Enter
x_expect "copied message" "copied 7 bytes"
_end=$(($(x_ms) + 2000))
buf=""
while [ -z "$buf" ] && [ "$(x_ms)" -lt "$_end" ]; do buf=$($X show-buffer 2>/dev/null); done
# The cursor starts on the empty line under 300: up twice is 299.
t_eq "OSC 52 reached the outer terminal's clipboard" "299
300" "$buf"
x_start -- sh -c 'seq 1 3; printf "\033[?2004h"; stty raw -echo; echo RE""ADY; exec cat -v'
x_wait "┃READY"
x_keys C-g ']'
x_expect "paste with nothing copied says so" "nothing copied yet"
x_keys C-g '[' k k k k 0 Space j '$' Enter
x_expect "copied two lines" "copied 3 bytes"
x_keys C-g ']'
# Lines 1 and 2 (up four from the cursor row, then down one), bracketed
# because the child asked; cat -v prints the newline as a line break.
x_expect "prefix ] pastes the copy into the pane (bracketed)" "^[[200~1"
x_expect "the pasted copy ends the bracket" "2^[[201~"
x_end
t_done
