# shoal run after a crash: a shoal killed with SIGKILL mid-run is resumed
# from .shoal/state.json by a second `shoal run`, which completes the plan;
# while the first runs, a second shoal on the repository is refused; SIGINT
# stops the agents, saves the state and exits 1; a changed plan is described.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_run.sh"
run_agent
R=$T/repo
t_repo "$R"
cat >"$R/shoal.json" <<JSON
{ "name": "r", "base": "main", "max_workers": 2,
  "tasks": [
    { "id": "a", "command": ["sh", "$T/agent.sh", "a", "2"] },
    { "id": "b", "command": ["sh", "$T/agent.sh", "b", "2"] },
    { "id": "c", "depends_on": ["a"], "command": ["sh", "$T/agent.sh", "c", "0.1"] }
  ] }
JSON
wait_for() { # wait_for FILE PATTERN: up to 10 s
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
(cd "$R" && exec "$SHOAL" run --merge >"$T/first.out" 2>&1) &
first=$!
wait_for "$T/events" "start b"
res=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "second shoal: refused (exit 1)" 1 "$rc"
t_has "second shoal: clear message" "another shoal (pid $first) is running in this repository" "$res"
kill -9 $first
wait $first 2>/dev/null
st=$(cd "$R" && "$SHOAL" status 2>&1)
t_has "after kill -9: no shoal running" "no shoal is running" "$st"
t_has "after kill -9: tasks still recorded as running" "running" "$st"
echo 0 >"$T/count"
res=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "resumed run: exit 0" 0 "$rc"
t_has "resumed run: says so" "resuming 2 interrupted tasks" "$res"
t_has "resumed run: a restarted from interrupted" "a: interrupted → starting" "$res"
t_has "resumed run: all merged" "3 merged" "$res"
t_eq "resumed run: merge order" "a b c " "$(run_merge_order "$R")"
t_eq "resumed run: a ran in the same worktree" \
	"$R/.shoal/worktrees/a" "$(sed -n 's/.*started pid [0-9]* in \([^:]*\):.*/\1/p' "$R/.shoal/logs/a.log" | sort -u)"

# An agent profile with a "resume" argv: interrupted tasks resume with it.
R=$T/prof
t_repo "$R"
cat >"$R/shoal.json" <<JSON
{ "name": "p", "base": "main", "max_workers": 2, "agent": "mine",
  "agents": { "mine": { "command": ["sh", "$T/agent.sh", "{id}", "3"],
                        "resume": ["sh", "-c", "echo resumed {id} >>$T/resumed; exec sh $T/agent.sh {id} 0.1"] } },
  "tasks": [ { "id": "a", "prompt": "x" }, { "id": "b", "prompt": "y" } ] }
JSON
: >"$T/events"
echo 0 >"$T/count"
(cd "$R" && exec "$SHOAL" run --merge >"$T/prof.out" 2>&1) &
pid=$!
wait_for "$T/events" "start b"
kill -9 $pid
wait $pid 2>/dev/null
echo 0 >"$T/count"
res=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "profile resume: exit 0" 0 "$rc"
t_eq "profile resume: both resumed with the profile's resume argv" "resumed a|resumed b" \
	"$(sort "$T/resumed" | tr '\n' '|' | sed 's/|$//')"
t_has "profile resume: reason" "a: interrupted → starting (resuming the agent's session)" "$res"
t_has "profile resume: merged" "2 merged" "$res"

# SIGINT: agents stopped, state saved as live (interrupted next time), exit 1.
R=$T/int
t_repo "$R"
sed 's/"name": "r"/"name": "i"/' "$T/repo/shoal.json" >"$R/shoal.json"
: >"$T/events"
echo 0 >"$T/count"
(cd "$R" && exec "$SHOAL" run --merge >"$T/int.out" 2>&1) &
pid=$!
wait_for "$T/events" "start b"
kill -INT $pid
wait $pid; rc=$?
t_eq "SIGINT: exit 1" 1 "$rc"
t_has "SIGINT: said so" "interrupted by SIGINT" "$(cat "$T/int.out")"
t_eq "SIGINT: agents gone" 0 "$(ps -eo args= | grep -c "^sh $T/agent.sh")"
t_check "SIGINT: lock released" test ! -e "$R/.shoal/lock"
res=$(cd "$R" && "$SHOAL" status 2>&1)
t_has "SIGINT: state keeps a as running (interrupted at the next start)" "a     running" "$res"

# The plan changes: a task added, a dependency changed; then an
# incompatible change (a started task removed) is refused.
python3 - "$R/shoal.json" "$T" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["tasks"].append({"id": "d", "command": ["sh", sys.argv[2] + "/agent.sh", "d", "0.1"]})
p["tasks"][2]["depends_on"] = ["a", "b"]
json.dump(p, open(sys.argv[1], "w"))
PY
echo 0 >"$T/count"
res=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "changed plan: exit 0" 0 "$rc"
t_has "changed plan: added task shown" "task added: d" "$res"
t_has "changed plan: dependency change shown" "task c: dependencies changed: a -> a, b" "$res"
t_has "changed plan: all merged" "4 merged" "$res"
python3 - "$R/shoal.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["tasks"] = [t for t in p["tasks"] if t["id"] != "b"]
p["tasks"][1]["depends_on"] = ["a"]
json.dump(p, open(sys.argv[1], "w"))
PY
res=$(cd "$R" && "$SHOAL" run --merge 2>&1); rc=$?
t_eq "incompatible plan: exit 1" 1 "$rc"
t_has "incompatible plan: says which task" "task b is merged in the saved run but no longer in the plan" "$res"
t_done
