#!/bin/sh
# Runs shoal's benchmarks (built into BUILD/bench by `make bench`); each
# prints a table with ratios. Sections are per area so branches merge
# cleanly: keep each helper's part inside its own marked block.
# usage: tests/bench/run.sh BUILD
set -u
build=$1
rc=0

# ---- term-core: terminal engine throughput and scrollback memory ----
if [ -x "$build/bench/bench_term" ]; then
	echo "== bench: bench_term (BENCH_TERM_SCALE=${BENCH_TERM_SCALE:-1})"
	nice "$build/bench/bench_term" "${BENCH_TERM_SCALE:-1}" || rc=1
fi
# ---- end term-core ----

exit $rc
