#!/bin/sh
# flaky — a simulated agent whose tests fail on its first run in a worktree
# (exit 1) and pass when restarted there. The marker lives in the worktree's
# private git directory, so it is never committed.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
work
step "Running the tests" 1
marker="$(git rev-parse --git-dir)/sim-flaky-failed-once"
if [ ! -e "$marker" ]; then
	: >"$marker"
	say "${C_RED}✗ 1 of 12 tests failed: test_${TASK}_edge_case (expected 3, got 4)${C_OFF}"
	say "${C_RED}✗ $TASK failed${C_OFF} ${C_DIM}(restart me: the second run passes)${C_OFF}"
	title "✗ $TASK"
	exit 1
fi
say "  12 of 12 tests passed"
[ -n "$FILES" ] && commit "$TASK: $TITLE" $FILES
outro "passed on retry"
