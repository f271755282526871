# Helpers for the `shoal run` test groups (sourced after lib.sh).
# run_agent: writes $T/agent.sh, a test agent that records its start and end
# in $T/events with the number of agents running at that moment (a counter
# under flock), sleeps, writes <id>.txt in its worktree and commits it.
#   sh $T/agent.sh ID SECONDS [FILE CONTENT]
run_agent() {
	cat >"$T/agent.sh" <<'AGENT'
#!/bin/sh
id=$1 dur=${2:-0.2} file=${3:-$1.txt} content=${4:-$1}
ev=$RUN_T/events
(
	flock 9
	n=$(cat "$RUN_T/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$RUN_T/count"
	echo "start $id $n $(date +%s%N)" >>"$ev"
) 9>"$RUN_T/lockf"
sleep "$dur"
printf '%s\n' "$content" >"$file"
git add "$file" && git commit -q -m "task $id" -- "$file"
rc=$?
[ -n "${RUN_REPORT:-}" ] && printf '## Task %s | done\n\nWrote %s.\n' "$id" "$file" >SHOAL_REPORT.md
(
	flock 9
	n=$(cat "$RUN_T/count"); n=$((n - 1)); echo $n >"$RUN_T/count"
	echo "end $id $n $(date +%s%N)" >>"$ev"
) 9>"$RUN_T/lockf"
exit $rc
AGENT
	RUN_T=$T
	export RUN_T
	: >"$T/events"
}
# The task ids in the order the base branch's first-parent history got them.
run_merge_order() {
	git -C "$1" log --first-parent --reverse --format=%s main |
		sed -n "s/^task \(.*\)$/\1/p; s/^Merge branch '.*\/\([^/']*\)'.*/\1/p" | tr '\n' ' '
}
# The highest number of agents running at once.
run_max_conc() { awk '$1 == "start" && $3 > m { m = $3 } END { print m + 0 }' "$T/events"; }
