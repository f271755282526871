#!/bin/sh
# The demo project's validation (the plan's "validate" command): every module
# parses, loads, and answers its *_hello; bin/todo runs; no merge-conflict
# markers anywhere.
cd "$(dirname "$0")/.." || exit 1
fail=0
for m in lib/*.sh; do
	if ! sh -n "$m"; then
		echo "FAIL: $m does not parse"
		fail=1
		continue
	fi
	fn=$(basename "$m" .sh | tr -c 'a-zA-Z0-9_\n' '_')_hello
	out=$(sh -c ". ./$m && $fn" 2>&1) || { echo "FAIL: $fn: $out"; fail=1; continue; }
	echo "ok: $out"
done
if ! sh -n bin/todo || ! out=$(sh bin/todo help 2>&1); then
	echo "FAIL: bin/todo does not run: $out"
	fail=1
fi
if grep -rIl '^<<<<<<< \|^>>>>>>> ' --exclude-dir=.git --exclude-dir=tools . 2>/dev/null | grep -q .; then
	echo "FAIL: merge-conflict markers left in files"
	fail=1
fi
[ "$fail" -eq 0 ] && echo "all checks passed"
exit "$fail"
