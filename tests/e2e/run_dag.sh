# shoal run, dag mode: a task starts as soon as its dependencies are merged,
# before its wave-mates finish; a conflict stops the merges with the right
# report (exit 1, the base unchanged after the conflicting task).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_run.sh"
run_agent
R=$T/repo
t_repo "$R"
cat >"$R/shoal.json" <<JSON
{ "name": "d", "base": "main", "max_workers": 3, "mode": "dag",
  "tasks": [
    { "id": "quick", "command": ["sh", "$T/agent.sh", "quick", "0.1"] },
    { "id": "slow", "command": ["sh", "$T/agent.sh", "slow", "2"] },
    { "id": "next", "depends_on": ["quick"], "command": ["sh", "$T/agent.sh", "next", "0.1"] }
  ] }
JSON
out=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "dag: exit 0" 0 "$rc"
t_has "dag: all merged" "3 merged" "$out"
# next started (after quick was merged) while slow was still running.
t_eq "dag: next starts before slow ends" "start next|end slow" \
	"$(grep -E '^(start next|end slow)' "$T/events" | cut -d' ' -f1,2 | tr '\n' '|' | sed 's/|$//')"
t_eq "dag: merge order" "quick next slow " "$(run_merge_order "$R")"
out=$(cd "$R" && "$SHOAL" run --waves 1 2>&1); rc=$?
t_eq "dag: --waves is a usage error" 2 "$rc"

# A conflict: three tasks of one wave write the same file; the first merges,
# the second conflicts, the third is not merged; exit 1.
R=$T/conflict
t_repo "$R"
cat >"$R/shoal.json" <<JSON
{ "name": "c", "base": "main", "max_workers": 3,
  "validate": "echo validated >>$T/cval.log",
  "tasks": [
    { "id": "one", "command": ["sh", "$T/agent.sh", "one", "0.1", "same.txt", "one"] },
    { "id": "two", "command": ["sh", "$T/agent.sh", "two", "0.1", "same.txt", "two"] },
    { "id": "three", "command": ["sh", "$T/agent.sh", "three", "0.1"] },
    { "id": "later", "depends_on": ["one"], "command": ["sh", "$T/agent.sh", "later", "0.1"] }
  ] }
JSON
res=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "conflict: exit 1" 1 "$rc"
t_has "conflict: reported with the file" "two: merging → conflict (conflict: same.txt)" "$res"
t_eq "conflict: only the first task merged" "one " "$(run_merge_order "$R")"
t_eq "conflict: base holds the first task's file" "one" "$(git -C "$R" show main:same.txt)"
t_check "conflict: three not on base" sh -c "! git -C '$R' cat-file -e main:three.txt 2>/dev/null"
t_eq "conflict: validation ran once (for one)" 1 "$(wc -l <"$T/cval.log" | tr -d ' ')"
t_has "conflict: summary row" "two       1  conflict" "$res"
t_has "conflict: wave 2 never started" "later     2  pending" "$res"
t_check "conflict: three's branch kept" git -C "$R" rev-parse -q --verify shoal/c/three
md=$(cd "$R" && "$SHOAL" status --markdown 2>&1)
t_has "conflict: board shows the conflict and its changed file" "| 1 | two | ❌ conflict | \`shoal/c/two\` | 1 |" "$md"
t_has "conflict: board shows three done, not merged" "| 1 | three | ☑️ done | \`shoal/c/three\` | 1 |" "$md"
t_done
