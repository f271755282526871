#!/bin/sh
# sim — runs the simulated agent named by $SIM_AGENT (worker, asker, flaky,
# flood, hang, rogue; default worker) with the same arguments. This is the
# entry point of the demo plan's "sim" agent profile.
case "${SIM_AGENT:-worker}" in
worker | asker | flaky | flood | hang | rogue) ;;
*) echo "sim: unknown SIM_AGENT \"$SIM_AGENT\" (worker, asker, flaky, flood, hang, rogue)" >&2; exit 3 ;;
esac
exec sh "$(dirname "$0")/${SIM_AGENT:-worker}.sh" "$@"
