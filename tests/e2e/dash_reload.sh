#!/bin/sh
# Reloading the plan under a running dashboard (key L): the plan file is
# edited while agents run (a task added, a dependency changed); L shows what
# changed and whether the run can take it; y applies it live (the agents keep
# running, the new task is in the sidebar and in .shoal/state.json, a restart
# sees no plan change). A broken plan shows its errors and changes nothing;
# rewiring a started task is refused; the same plan again is "unchanged".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

R=$T/repo
t_repo "$R"
tick='while :; do echo tick; sleep 0.3; done'
plan() { # $1: extra tasks, $2: c's dependencies, $3: a's dependencies
	cat <<EOP
{ "name": "reload", "max_workers": 4, "tasks": [
  { "id": "a", "depends_on": [$3], "command": ["sh", "-c", "$tick"] },
  { "id": "b", "command": ["sh", "-c", "$tick"] },
  { "id": "c", "depends_on": [$2], "command": ["true"] }$1
] }
EOP
}
plan "" '"a"' "" >"$R/shoal.json"
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan

d_start "$R" 160 40
d_expect "the dashboard opens" "reload"
d_keys n
d_expect_state "wave 1 runs: a" "$R" a running
d_expect_state "and b" "$R" b running

# ---- a task added, a dependency changed ----
plan ', { "id": "d", "depends_on": ["b"], "command": ["true"] }' '"a", "b"' "" >"$R/shoal.json"
d_keys L
d_expect "L shows what changed" "task added: d (wave 2)"
scr=$(d_cap)
t_has "the dependency change" "task c: dependencies changed: a -> a, b" "$scr"
t_has "whether the run can take it" "The current run can take it" "$scr"
t_has "and asks" "Apply the new plan (2 changes, 4 tasks in 2 waves)" "$scr"
case "$(cat "$R/.shoal/state.json")" in *'"d"'*) t_fail "nothing is applied before the yes" "$(cat "$R/.shoal/state.json")" ;; *) t_ok "nothing is applied before the yes" ;; esac
d_keys y
d_expect "y applies it" "plan reloaded: 4 tasks in 2 waves"
if grep -q "\"id\":[[:space:]]*\"d\"" "$R/.shoal/state.json"; then t_ok "the new task is in state.json"; else t_fail "the new task is in state.json" "$(cat "$R/.shoal/state.json")"; fi
t_eq "the new task is pending" pending "$(d_state "$R" d)"
t_has "the new task is in the sidebar" "  · d " "$(d_cap)"
t_eq "a keeps running" running "$(d_state "$R" a)"
t_eq "b keeps running" running "$(d_state "$R" b)"
t_eq ".shoal/plan.json is the new plan" "" "$(cmp "$R/shoal.json" "$R/.shoal/plan.json" 2>&1)"
n1=$(grep -c tick "$R/.shoal/logs/a.log")
sleep 0.8
n2=$(grep -c tick "$R/.shoal/logs/a.log")
[ "$n2" -gt "$n1" ] && t_ok "a's agent still writes to its pane" || t_fail "a's agent still writes to its pane" "$n1 -> $n2"
d_wait_gone "plan reloaded" 1
d_keys g
# " d " is in the sidebar too: wait for the view's edge into d, then look
# at d's line
d_expect "the DAG view has the new task in wave 2" "◀─ b"
t_has "with its dependency" "◀─ b" "$(d_cap | grep ' d ')"
d_keys q

# ---- a broken plan: its errors, nothing changed ----
cp "$R/.shoal/state.json" "$T/state.before"
good=$(cat "$R/shoal.json")
printf '%s\n' "$good" | sed 's/"depends_on": \["b"\]/"depends_on": ["bb"]/' >"$R/shoal.json"
d_keys L
d_expect "a broken plan shows its error, file:line:col" "shoal.json:4:93: error:"
t_has "naming the problem" 'depends on unknown task "bb"' "$(d_cap)"
d_expect_status "saying nothing changed" "nothing changed"
d_keys q
t_eq "state.json is untouched" "" "$(cmp "$R/.shoal/state.json" "$T/state.before" 2>&1)"
t_has "the sidebar is as it was" "  · d " "$(d_cap)"

# ---- a started task rewired: refused ----
plan ', { "id": "d", "depends_on": ["b"], "command": ["true"] }' '"a", "b"' '"b"' >"$R/shoal.json"
d_keys L
d_expect "rewiring a started task is refused" "task a is running: its dependencies can not change in a live run"
d_keys q
t_eq "state.json is still untouched" "" "$(cmp "$R/.shoal/state.json" "$T/state.before" 2>&1)"

# ---- the applied plan again: unchanged ----
printf '%s\n' "$good" >"$R/shoal.json"
d_keys L
d_expect "the same plan is unchanged" "plan unchanged"

# ---- quit and reopen: no plan change ----
d_keys q
d_expect "quitting asks (agents run)" "Quit?"
d_keys y
d_expect "shoal quits" "EXIT=0"
d_start "$R" 160 40
d_expect "it reopens" "interrupted by the last quit"
d_keys e
d_expect "the event log" "opened"
case "$(d_cap)" in *"plan changed"*) t_fail "a restart after the reload sees no plan change" "$(d_cap)" ;; *) t_ok "a restart after the reload sees no plan change" ;; esac
t_has "the new task is there" "  · d " "$(d_cap; d_keys q; sleep 0.2; d_cap)"
d_end
t_done
