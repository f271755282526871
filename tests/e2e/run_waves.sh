# shoal run, waves mode: a three-wave plan runs to completion headless with
# --merge; history, merge order, validation after each merge, max_workers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_run.sh"
run_agent
R=$T/repo
t_repo "$R"
cat >"$R/shoal.json" <<JSON
{ "name": "w", "base": "main", "max_workers": 2,
  "validate": "ls *.txt 2>/dev/null | tr '\\\\n' ' ' >>$T/validate.log; echo >>$T/validate.log",
  "tasks": [
    { "id": "a", "command": ["sh", "$T/agent.sh", "a", "0.4"] },
    { "id": "b", "command": ["sh", "$T/agent.sh", "b", "0.4"] },
    { "id": "c", "command": ["sh", "$T/agent.sh", "c", "0.4"] },
    { "id": "d", "depends_on": ["a"], "command": ["sh", "$T/agent.sh", "d", "0.1"] },
    { "id": "e", "depends_on": ["b", "c"], "command": ["sh", "$T/agent.sh", "e", "0.1"] },
    { "id": "f", "depends_on": ["d", "e"], "command": ["sh", "$T/agent.sh", "f", "0.1"] }
  ] }
JSON
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan
out=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "run --merge: exit 0" 0 "$rc"
t_has "run: wave 3 started" "wave 3 of 3 started" "$out"
t_has "run: summary header" "TASK  WAVE  STATE" "$out"
t_has "run: summary says all merged" "6 merged" "$out"
order=$(run_merge_order "$R")
# Dependency order inside each wave (plan order), waves in order.
t_eq "run: merge order on main (first parent)" "a b c d e f " "$order"
for id in a b c d e f; do
	t_check "run: $id's file is on main" test "$(git -C "$R" show main:$id.txt)" = "$id"
done
t_eq "run: validation ran after each of the 6 merges" 6 "$(wc -l <"$T/validate.log" | tr -d ' ')"
t_eq "run: validation saw each merge in turn" "a.txt |a.txt b.txt |a.txt b.txt c.txt |" \
	"$(head -3 "$T/validate.log" | tr '\n' '|')"
t_eq "run: max_workers (2) respected and reached" 2 "$(run_max_conc)"
t_eq "run: every agent started and ended" "6 6" \
	"$(grep -c '^start' "$T/events") $(grep -c '^end' "$T/events")"
t_check "run: main worktree clean and up to date" test -z "$(git -C "$R" status --porcelain)"
t_check "run: agent log written" grep -q "started pid" "$R/.shoal/logs/a.log"
t_check "run: merge log written" test -s "$R/.shoal/logs/merge-a.log"
st=$(cd "$R" && "$SHOAL" status 2>&1)
t_has "status after the run" "6 merged" "$st"
# Running again: nothing to do, exit 0 at once.
out=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "run again: exit 0" 0 "$rc"
t_check "run again: no agent started" test "$(grep -c '^start' "$T/events")" -eq 6

# --json: one JSON object per line.
R2=$T/repo2
t_repo "$R2"
sed 's/"max_workers": 2/"max_workers": 3/' "$R/shoal.json" >"$R2/shoal.json"
: >"$T/events"
js=$(cd "$R2" && RUN_REPORT=1 "$SHOAL" run --merge --waves 1 --json 2>"$T/json.err"); rc=$?
t_eq "run --waves 1 --json: exit 0 (wave 1 merged)" 0 "$rc"
bad=$(printf '%s\n' "$js" | python3 -c 'import json,sys
n=0
for l in sys.stdin:
    l=l.strip()
    if l:
        json.loads(l); n+=1
print(n)' 2>&1)
t_check "run --json: every line is JSON ($bad lines)" test "$bad" -gt 10
t_has "run --json: task events" '"task":"a","from":"running","to":"done"' "$js"
t_has "run --json: summary" '"summary":[' "$js"
t_eq "run --waves 1: only wave 1 merged" "a b c " "$(run_merge_order "$R2")"
t_eq "run --waves 1: max_workers 3 reached" 3 "$(run_max_conc)"
t_has "run --waves 1: wave 2 left pending" '"task":"d","wave":2,"state":"pending"' "$js"

# status --markdown: the board, with the reports' first lines.
md=$(cd "$R2" && "$SHOAL" status --markdown 2>&1); rc=$?
t_eq "status --markdown: exit 0" 0 "$rc"
t_has "status --markdown: heading" "## shoal: w" "$md"
t_has "status --markdown: counts" "3 of 6 tasks merged into \`main\`" "$md"
t_has "status --markdown: merged row with report summary" "| 1 | a | ✅ merged (" "$md"
t_has "status --markdown: report first line, | escaped" "| Task a \\| done |" "$md"
t_has "status --markdown: pending row" "| 2 | d | pending |  |  |  |" "$md"
t_check "status --markdown: report saved" test -s "$R2/.shoal/reports/a.md"
st=$(cd "$R2" && "$SHOAL" status 2>&1)
t_has "status: lists the reports" "reports in $R2/.shoal/reports/: a, b, c" "$st"
out=$(cd "$R2" && "$SHOAL" status --markdown --json 2>&1); rc=$?
t_eq "status --markdown --json: usage error" 2 "$rc"

# Without --merge: wave 1 runs, the later waves wait; exit 1 with a hint.
R3=$T/repo3
t_repo "$R3"
cp "$R/shoal.json" "$R3/shoal.json"
res=$(cd "$R3" && "$SHOAL" run 2>&1); rc=$?
t_eq "run without --merge: exit 1 (later waves not run)" 1 "$rc"
t_has "run without --merge: hint" "3 tasks of later waves wait for wave 1 to be merged: run with --merge, or shoal merge --wave 1" "$res"
t_has "run without --merge: wave 1 done" "3 pending, 3 done" "$res"
t_eq "run without --merge: base untouched" "" "$(run_merge_order "$R3")"
# ... and --waves 1 without --merge: wave 1 done is success.
R4=$T/repo4
t_repo "$R4"
cp "$R/shoal.json" "$R4/shoal.json"
res=$(cd "$R4" && "$SHOAL" run --waves 1 2>&1); rc=$?
t_eq "run --waves 1 without --merge: exit 0" 0 "$rc"

# Usage errors.
out=$(cd "$R" && "$SHOAL" run --waves x 2>&1); rc=$?
t_eq "run --waves x: exit 2" 2 "$rc"
t_has "run --waves x: message" "--waves needs a whole number" "$out"
t_done
