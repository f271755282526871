#!/bin/sh
# Runs each libFuzzer target for a bounded time on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/), so nothing is written into the repository.
# The seed is fixed (FUZZ_SEED, default 1) so that a CI run can be repeated;
# FUZZ_SEED=0 lets libFuzzer pick one.
# usage: tests/fuzz/run.sh SECONDS TARGET...
set -u
secs=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
for t in "$@"; do
	name=$(basename "$t")
	work=$(mktemp -d)
	[ -d "$top/tests/fuzz/corpus/$name" ] && cp -r "$top/tests/fuzz/corpus/$name/." "$work/"
	echo "== fuzz: $name for ${secs}s"
	if ! "$t" -max_total_time="$secs" -seed="${FUZZ_SEED:-1}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/" "$work" >"$work.log" 2>&1; then
		tail -n 60 "$work.log"
		echo "fuzz: $name FAILED (crash input kept in $work)"
		rc=1
	else
		grep -E '^#[0-9]+.*(DONE|pulse)' "$work.log" | tail -n 1
		rm -rf "$work"
	fi
	rm -f "$work.log"
done
exit $rc
