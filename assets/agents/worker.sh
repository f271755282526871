#!/bin/sh
# worker — a well-behaved simulated agent: shows progress, writes the files
# of SIM_FILES in its worktree, commits them, exits 0. $1: the prompt.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
work
step "Running the tests" 1
[ -n "$FILES" ] && commit "$TASK: $TITLE" $FILES
outro "$(echo $FILES | wc -w) file(s)"
