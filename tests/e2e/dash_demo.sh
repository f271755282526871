#!/bin/sh
# The demo plan run from the dashboard alone, by keys: start wave 1, answer
# the agent that asks, zoom and unzoom, merge wave 1 (args conflicts with
# storage in bin/todo: shown in the preview, the merge stops there, B merges
# main into args and its agent resolves, m merges it), restart the flaky task
# of wave 2, merge it, stop and skip the hanging task of wave 3, merge the
# rest; then the git history and .shoal/state.json. Also `shoal demo`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

R=$T/todo
d_demo "$R"
d_start "$R" 160 48
d_expect "the dashboard opens on the plan in the repository" "WAVE 3"
d_expect "wave 1 is open, the others locked" "0/3 open"
d_expect_status "the status line names the wave" "wave 1/3"

d_keys n
d_expect "the asking agent is flagged waiting in the sidebar" "waiting" 15
d_expect "its question is on screen" "[y/n]"
d_keys j Enter
d_wait "┏━ 2 ? args" 5
d_keys y Enter
d_expect_state "the answer reached the agent: args is done" "$R" args done 15
d_expect_state "storage is done" "$R" storage done
d_expect_state "build-docs (the flood) is done" "$R" build-docs done 20
# the background scan: changed-file counts and the overlap warning in the sidebar
ok=0
for _ in $(seq 40); do
	if d_cap | grep -q "◆ storage .*⚠ [0-9]*f " && d_cap | grep -q "◆ args .*⚠ [0-9]*f "; then ok=1; break; fi
	sleep 0.25
done
if [ $ok = 1 ]; then t_ok "the sidebar counts changed files and flags storage and args overlapping"
else t_fail "the sidebar counts changed files and flags storage and args overlapping" "$(d_cap)"; fi
t_eq "build-docs overlaps nothing" "" "$(d_cap | grep "◆ build-docs .*⚠")"

d_keys C-g z
if d_wait_gone "build-docs ·" 5 && d_wait "args ·" 1; then t_ok "zoom shows one pane"; else t_fail "zoom shows one pane" "$(d_cap)"; fi
d_keys C-g z
d_expect "unzoom shows them all again" "build-docs ·"

d_keys C-g v
d_expect "v: the changes view flags the overlap of storage and args" "⚠ bin/todo also changed by storage"
d_keys q
d_wait_gone "Changes against main" 5
d_keys C-g M
d_expect "M previews the wave merge" "wave merge preview"
d_expect "and asks, naming what it does" "Merge wave 1 (storage, args, build-docs) into main"
d_expect "the preview simulates the sequence: args conflicts once storage is merged" "args conflicts once storage is merged, in: bin/todo"
d_expect "and the question says where it will stop" "args will conflict in bin/todo"
d_keys y
d_expect_state "wave 1 merge: storage merged" "$R" storage merged 20
d_expect_state "wave 1 merge: args conflicts" "$R" args conflict 20
t_eq "the wave merge stopped there: build-docs not merged" done "$(d_state "$R" build-docs)"
d_expect "the merge report opens by itself on the stop" "conflicting: bin/todo"
d_expect_status "the status line says it stopped" "wave 1 merge stopped: 1 merged, 1 with a problem"
d_keys q
d_keys e
d_expect "the event log says where and why it stopped" "args: conflict with main in bin/todo, merge stopped (build-docs waits)"
d_keys q
d_keys a
d_expect "a selects the conflicted task" "args: conflict"
d_keys B
d_expect "B asks first" "Merge the base branch into args's branch inside its worktree?"
d_keys y
d_expect_state "args' agent was restarted to resolve" "$R" args done 20
t_has "the event log has the hand-over" "args: conflict → starting (resolving the conflicts with main in bin/todo)" "$(cd "$R" && "$SHOAL" log args)"
d_expect "its pane shows it resolving" "resolving merge conflicts"
d_keys m
d_expect "m: the preview is clean now" "args (shoal/todo-demo/args) → main: fast-forward"
d_keys y
d_expect_state "args merged" "$R" args merged 20
d_keys M
d_expect "M: the rest of the wave" "Merge wave 1 (build-docs) into main"
d_keys y
d_expect_state "wave 1 merged: build-docs" "$R" build-docs merged 20
d_expect "the sidebar shows the wave merged" "3/3 merged"
todo=$(git -C "$R" show main:bin/todo)
t_has "main's bin/todo has storage's line" 'storage) shift; storage_hello "$@" ;;' "$todo"
t_has "and args' line" 'args) shift; args_hello "$@" ;;' "$todo"
t_eq "and no conflict markers" 0 "$(printf '%s\n' "$todo" | grep -c '^\(<<<<<<<\|=======\|>>>>>>>\)')"
t_check "the merge of main into args is in main's history" sh -c "git -C '$R' log --format=%s main | grep -qx \"Merge branch 'main' into shoal/todo-demo/args\""

d_keys n
d_expect_state "the flaky task fails" "$R" colors failed 20
d_expect_state "commands is done" "$R" commands done 20
d_expect_state "ui is done" "$R" ui done 20
d_keys e
d_expect "e: the merge report lists wave 1's merges" "Merge report"
d_expect "with each outcome" "build-docs       merged"
d_keys q
d_keys g
d_expect "g: the DAG view marks the critical path" "★ critical path (3): storage → commands → tests"
d_expect "with edges both ways" "◀─ storage, args  ─▶ tests, sync"
d_expect "and drawn: commands (done) with its edge into tests" "─▶ ◆ commands ─"
d_keys q
d_keys e
d_expect "e: the event log has the transitions" "args: running → waiting-input (screen:"
d_keys q
d_keys v
d_expect "v: the changes view lists each branch's files" "Changes against main"
d_expect "and flags the file outside ui's territory" "M README.md"
d_keys q
d_wait_gone "Changes against main" 5
d_keys a
d_expect "a selects the task needing attention" "colors: failed"
d_keys r
d_expect "restart asks first" "Restart colors in its worktree?"
d_keys y
d_expect_state "restarted, it passes" "$R" colors done 20
d_keys M
d_expect "the preview flags ui's edit outside its territory" "outside its territory"
d_keys y
d_expect_state "wave 2 merged" "$R" ui merged 25
d_wait_state "$R" commands merged 10 && d_wait_state "$R" colors merged 10

d_keys n
d_expect_state "tests is done" "$R" tests done 20
d_wait_state "$R" sync running 10 || d_wait_state "$R" sync idle 10
d_keys j
d_wait "sync" 2
d_keys x
d_expect "stop says what it does" "Stop sync? Its agent gets SIGTERM"
d_keys y
d_expect_state "sync stopped" "$R" sync stopped 10
d_keys S
d_expect "skip asks" "Skip sync?"
d_keys y
d_expect_state "sync skipped" "$R" sync skipped 10
d_keys k m
d_expect "m previews the selected task's merge" "Merge preview (in memory: nothing is touched yet)"
d_expect "and asks, naming the validation" "Merge tests into main, then run sh tests/run.sh?"
d_keys y
d_expect_state "wave 3 merged" "$R" tests merged 20
d_expect "the status line says every wave is merged" "all 3 waves merged"

n=$(git -C "$R" log --format=%an main | grep -c "^sim-agent")
t_eq "main has the 7 agents' commits and args' resolution (sync was skipped)" 8 "$n"
t_has "main has the flaky task's work" "lib/colors.sh" "$(git -C "$R" ls-tree -r --name-only main)"
t_eq "the worktrees of the main branch are clean" "" "$(git -C "$R" status --porcelain)"
t_has "state.json names the plan" '"path":	"shoal.json"' "$(cat "$R/.shoal/state.json")"
finals=""
for id in storage args build-docs commands colors ui tests sync; do
	finals="$finals $id=$(d_state "$R" $id)"
done
t_eq "state.json has every task's final state" \
	" storage=merged args=merged build-docs=merged commands=merged colors=merged ui=merged tests=merged sync=skipped" \
	"$finals"

d_keys q
d_expect "q quits at once when no agent runs" "EXIT=0"

# shoal demo: the same repository made by the command, then q
d_start "$T" 100 30 demo --dir "$T/demo2"
d_expect "shoal demo opens the dashboard" "todo-demo"
d_keys q
d_expect "and prints where the demo repository is" "The demo repository is $T/demo2"
t_eq "the demo repository has the project" "todo: the demo project" "$(git -C "$T/demo2" log -1 --format=%s)"
t_done
