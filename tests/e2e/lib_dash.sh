# Helpers for the dashboard groups: a private tmux server per session running
# shoal (the dashboard) in a directory, polling capture-pane and state.json
# with deadlines (never fixed sleeps). Source after lib.sh.
D_N=0
D="tmux -L shoal-dash-$$-$D_N -f /dev/null"
trap 'd_end; _t_cleanup' EXIT
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export SHOAL_DEMO_SPEED=0 SHOAL_CONFIG=/nonexistent/shoal-config.json

# d_start DIR W H [ARGS...]: shoal [ARGS] in DIR on a W x H screen; when it
# ends the screen shows "EXIT=N".
d_start() {
	_dir=$1 _w=$2 _h=$3
	shift 3
	d_end
	D_N=$((D_N + 1))
	D="tmux -L shoal-dash-$$-$D_N -f /dev/null"
	: >"$T/dargs"
	[ $# -eq 0 ] || printf '%s\n' "$@" >"$T/dargs"
	cat >"$T/drun.sh" <<EOS
cd "$_dir"
set --
while IFS= read -r a; do set -- "\$@" "\$a"; done <"$T/dargs"
"$SHOAL" "\$@" 2>"$T/dstderr"
echo "EXIT=\$?"
exec sleep 600
EOS
	$D new-session -d -x "$_w" -y "$_h" "sh $T/drun.sh"
}
d_end() { $D kill-server 2>/dev/null; true; }
d_cap() { $D capture-pane -p "$@"; }
d_keys() { $D send-keys "$@"; }
_d_ms() { echo $(($(date +%s%N) / 1000000)); }
# d_wait TEXT [SECONDS]: 0 once the screen shows TEXT.
d_wait() {
	_end=$(($(_d_ms) + ${2:-10} * 1000))
	while [ "$(_d_ms)" -lt "$_end" ]; do
		_s=$(d_cap)
		case "$_s" in *"$1"*) return 0 ;; *EXIT=*) return 1 ;; esac
		sleep 0.05
	done
	return 1
}
d_wait_gone() {
	_end=$(($(_d_ms) + ${2:-10} * 1000))
	while [ "$(_d_ms)" -lt "$_end" ]; do
		d_cap | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}
d_expect() {
	if d_wait "$2" "${3:-10}"; then t_ok "$1"; else t_fail "$1" "screen never showed: $2
$(d_cap)"; fi
}
# d_expect_status NAME TEXT [SECONDS]: the bottom line (the status line)
# shows TEXT; polled, since a capture can catch tmux between a frame's clear
# and its last row.
d_expect_status() {
	_end=$(($(_d_ms) + ${3:-10} * 1000))
	while [ "$(_d_ms)" -lt "$_end" ]; do
		case "$(d_cap | tail -n 1)" in *"$2"*) t_ok "$1"; return ;; esac
		sleep 0.1
	done
	t_fail "$1" "status line never showed: $2
$(d_cap)"
}
# d_state REPO TASK: the task's state in REPO/.shoal/state.json.
d_state() {
	awk -v id="$2" '
		$0 ~ "\"id\":[ \t]*\"" id "\"" { f = 1; next }
		f && /"state":/ { sub(/.*"state":[ \t]*"/, ""); sub(/".*/, ""); print; exit }
	' "$1/.shoal/state.json" 2>/dev/null
}
# d_wait_state REPO TASK STATE [SECONDS]
d_wait_state() {
	_end=$(($(_d_ms) + ${4:-15} * 1000))
	while [ "$(_d_ms)" -lt "$_end" ]; do
		[ "$(d_state "$1" "$2")" = "$3" ] && return 0
		d_cap | grep -q "EXIT=" && return 1
		sleep 0.05
	done
	return 1
}
# d_expect_state NAME REPO TASK STATE [SECONDS]
d_expect_state() {
	if d_wait_state "$2" "$3" "$4" "${5:-15}"; then t_ok "$1"; else t_fail "$1" "$3 is $(d_state "$2" "$3"), not $4
$(d_cap)"; fi
}
# d_demo DIR: the demo repository at DIR.
d_demo() { sh "$TOP/assets/demo/setup.sh" "$1" >/dev/null; }
