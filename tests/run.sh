#!/bin/sh
# Runs shoal's tests: every cmocka binary in BUILD/tests, then every shell
# group in tests/e2e (each prints "N passed, N failed" as its last line).
# Prints each group's output and a closing total; exits 1 on any failure.
# usage: tests/run.sh BUILD [unit|e2e]
set -u
build=$1
what=${2:-all}
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # $1 = group name; reads "$log"
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^[0-9]* passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run: $1 exited with status $rc without reporting a failure: counted as failed"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
}

if [ "$what" != e2e ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		case "$t" in *.d) continue ;; esac
		echo "== unit: $(basename "$t")"
		(cd "$top" && SHOAL_TOP="$top" "$t") >"$log" 2>&1
		rc=$?
		cat "$log"
		count "$(basename "$t")"
	done
fi
if [ "$what" != unit ]; then
	for g in "$top"/tests/e2e/*.sh; do
		[ -f "$g" ] || continue
		case "$(basename "$g")" in lib*.sh) continue ;; esac
		echo "== e2e: $(basename "$g")"
		(cd "$top" && SHOAL="$top/$build/shoal" SHOAL_TOP="$top" BUILD="$top/$build" sh "$g") >"$log" 2>&1
		rc=$?
		cat "$log"
		count "$(basename "$g")"
	done
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
