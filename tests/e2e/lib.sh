# Shared helpers for the shell-driven test groups. Source it, call t_ok/t_fail
# (or t_check), and end the group with t_done, which prints "N passed, N failed".
# Every group gets a private temp dir ($T) removed at exit, and $SHOAL.
set -u
: "${SHOAL:?SHOAL must name the shoal binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/shoal-test.XXXXXX")
_t_pass=0 _t_fail=0
_t_cleanup() { [ -n "${T_KEEP:-}" ] || rm -rf "$T"; }
trap _t_cleanup EXIT
t_ok()   { _t_pass=$((_t_pass + 1)); echo "ok   - $1"; }
t_fail() { _t_fail=$((_t_fail + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/       /'; return 0; }
# t_check NAME CMD...: passes when CMD exits 0.
t_check() { n=$1; shift; if out=$("$@" 2>&1); then t_ok "$n"; else t_fail "$n" "$out"; fi; }
# t_eq NAME EXPECTED ACTUAL
t_eq() { if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected: $2
actual:   $3"; fi; }
# t_has NAME NEEDLE HAYSTACK
t_has() { case "$3" in *"$2"*) t_ok "$1" ;; *) t_fail "$1" "missing: $2
in:      $3" ;; esac; }
t_done() { echo "$_t_pass passed, $_t_fail failed"; [ "$_t_fail" -eq 0 ]; }
# A fresh git repository with one commit, at $1.
t_repo() {
	mkdir -p "$1" && git -C "$1" init -q -b main &&
	git -C "$1" config user.name "shoal test" && git -C "$1" config user.email "test@shoal.invalid" &&
	printf 'hello\n' >"$1/README" && git -C "$1" add README && git -C "$1" commit -q -m init
}
