# Helpers for the `shoal exec` groups: a private tmux server per group, a
# 160x48 session running shoal, polling capture-pane until text shows up.
# Source after lib.sh. Every wait is a poll with a deadline, never a sleep.
X_N=0
X="tmux -L shoal-test-$$-$X_N -f /dev/null"
trap 'x_end; _t_cleanup' EXIT

# x_start CMD...: a fresh session running shoal exec with the given
# arguments in $T; when shoal ends, its exit status is shown as "EXIT=N".
x_start() {
	x_end
	X_N=$((X_N + 1)) # a new server each time: no race with the old one's exit
	X="tmux -L shoal-test-$$-$X_N -f /dev/null"
	printf '%s\n' "$@" >"$T/args"
	cat >"$T/run.sh" <<EOS
cd "$T"
set --
while IFS= read -r a; do set -- "\$@" "\$a"; done <"$T/args"
"$SHOAL" exec "\$@" 2>"$T/stderr"
echo "EXIT=\$?"
exec sleep 600
EOS
	$X new-session -d -x 160 -y 48 "sh $T/run.sh" &&
	$X set-option -g set-clipboard on >/dev/null
}
x_end() {
	$X kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/shoal-test-$$-$X_N"
	true
}
x_cap() { $X capture-pane -p "$@"; }
x_keys() { $X send-keys "$@"; }
# x_wait TEXT [SECONDS]: 0 once the screen shows TEXT (fixed string).
x_wait() {
	_end=$(($(date +%s%N) / 1000000 + ${2:-5} * 1000))
	while [ "$(($(date +%s%N) / 1000000))" -lt "$_end" ]; do
		x_cap | grep -qF -- "$1" && return 0
		sleep 0.02
	done
	return 1
}
# x_wait_gone TEXT [SECONDS]: 0 once the screen no longer shows TEXT.
x_wait_gone() {
	_end=$(($(date +%s%N) / 1000000 + ${2:-5} * 1000))
	while [ "$(($(date +%s%N) / 1000000))" -lt "$_end" ]; do
		x_cap | grep -qF -- "$1" || return 0
		sleep 0.02
	done
	return 1
}
# x_expect NAME TEXT [SECONDS]: a test that passes when TEXT shows up.
x_expect() {
	if x_wait "$2" "${3:-5}"; then t_ok "$1"; else t_fail "$1" "screen never showed: $2
$(x_cap)"; fi
}
# x_line N: line N (1-based) of the screen.
x_line() { x_cap | sed -n "${1}p"; }
# x_ms: milliseconds now.
x_ms() { echo $(($(date +%s%N) / 1000000)); }
