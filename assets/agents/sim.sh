#!/bin/sh
# sim — runs the simulated agent named by $SIM_AGENT (worker, asker, flaky,
# flood, hang, rogue; default worker) with the same arguments. This is the
# entry point of the demo plan's "sim" agent profile. Started in a worktree
# with unmerged paths (shoal merged the base into it and the merge
# conflicted: its resolve prompt), it resolves them instead (resolve.sh),
# whatever its kind.
case "${SIM_AGENT:-worker}" in
worker | asker | flaky | flood | hang | rogue) ;;
*) echo "sim: unknown SIM_AGENT \"$SIM_AGENT\" (worker, asker, flaky, flood, hang, rogue)" >&2; exit 3 ;;
esac
if [ -n "$(cd "${SHOAL_WORKTREE:-.}" 2>/dev/null && git diff --name-only --diff-filter=U 2>/dev/null)" ]; then
	exec sh "$(dirname "$0")/resolve.sh" "$@"
fi
exec sh "$(dirname "$0")/${SIM_AGENT:-worker}.sh" "$@"
