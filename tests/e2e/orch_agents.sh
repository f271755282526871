# The simulated agents and the demo project (assets/agents, assets/demo), run
# for real: a demo repository made by assets/demo/setup.sh, one git worktree
# and branch per task, each agent run in its worktree as shoal would (cwd =
# worktree, SHOAL_* env), then the branches merged with git and the demo's
# validation run. SHOAL_DEMO_SPEED=0 keeps it fast.
. "$(dirname "$0")/lib.sh"
TOP=${SHOAL_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export SHOAL_DEMO_SPEED=0

D=$T/demo
out=$(sh "$TOP/assets/demo/setup.sh" "$D" 2>&1); rc=$?
t_eq "setup: exit 0" 0 "$rc"
t_check "setup: the demo plan passes shoal check" "$SHOAL" check "$D/shoal.json"
t_check "setup: the demo project validates" sh "$D/tests/run.sh"
t_eq "setup: one clean commit" "1" "$(git -C "$D" rev-list --count HEAD)"
out=$(sh "$TOP/assets/demo/setup.sh" "$D" 2>&1); rc=$?
t_eq "setup: refuses a non-empty dir" 1 "$rc"

# run TASK AGENT FILES [stdin-file] [extra env...]: creates the worktree and
# runs the agent; sets $rc and $out.
run() {
	task=$1 agent=$2 files=$3 input=/dev/null
	shift 3
	if [ $# -gt 0 ]; then input=$1; shift; fi
	wt=$D/.shoal/worktrees/$task
	[ -d "$wt" ] || git -C "$D" worktree add -q -b "shoal/todo-demo/$task" "$wt" 2>/dev/null
	out=$(cd "$wt" && env SHOAL_TASK_ID="$task" SHOAL_TASK_TITLE="title of $task" \
		SHOAL_WORKTREE="$wt" SHOAL_BRANCH="shoal/todo-demo/$task" SIM_AGENT="$agent" \
		SIM_FILES="$files" "$@" sh tools/agents/sim.sh "prompt of $task" <"$input" 2>&1)
	rc=$?
}
changed() { git -C "$D" diff --name-only "main...shoal/todo-demo/$1" | tr '\n' ' '; }
commits() { git -C "$D" rev-list --count "main..shoal/todo-demo/$1"; }

# worker
run storage worker lib/storage.sh
t_eq "worker: exit 0" 0 "$rc"
t_has "worker: shows the prompt" "prompt of storage" "$out"
t_has "worker: Braille spinner in the title while working" "$(printf '\033]0;⠋ working · storage\007')" "$out"
t_has "worker: says done" "storage done" "$out"
t_eq "worker: one commit" 1 "$(commits storage)"
t_eq "worker: changed its file only" "lib/storage.sh " "$(changed storage)"
t_eq "worker: worktree clean" "" "$(git -C "$D/.shoal/worktrees/storage" status --porcelain)"

# asker: waits for a line; the plan's waiting pattern matches its question.
printf 'y\n' >"$T/yes"
run args asker lib/args.sh "$T/yes"
t_eq "asker: answered: exit 0" 0 "$rc"
t_has "asker: asked" "Should args also accept long options (--help, --version)? [y/n]" "$out"
q=$(printf '%s' "$out" | grep -o 'Should args.*\[y/n\]')
printf '%s ' "$q" | grep -Eq '\[y/n\] *$' && t_ok "asker: the demo plan's waiting regex matches the question" ||
	t_fail "asker: the demo plan's waiting regex matches the question" "$q"
t_has "asker: recorded the answer" "decision: with long options" "$(cat "$D/.shoal/worktrees/args/lib/args.sh")"
t_eq "asker: one commit" 1 "$(commits args)"
git -C "$D" worktree add -q -b shoal/todo-demo/args2 "$D/.shoal/worktrees/args2" 2>/dev/null
run args2 asker lib/args.sh /dev/null
t_eq "asker: no answer: exit 2" 2 "$rc"
t_has "asker: no answer: says so" "no answer (end of input); giving up" "$out"
t_eq "asker: no answer: no commit" 0 "$(commits args2)"

# flood
run build-docs flood docs/reference.md /dev/null SIM_FLOOD_LINES=3000
t_eq "flood: exit 0" 0 "$rc"
n=$(printf '%s\n' "$out" | grep -c 'building object')
t_eq "flood: 3000 lines of log" 3000 "$n"
t_eq "flood: committed its file" "docs/reference.md " "$(changed build-docs)"

# Wave 1 merged, as shoal would after validation.
for b in storage args build-docs; do
	git -C "$D" merge -q --no-ff -m "merge $b" "shoal/todo-demo/$b" || t_fail "merge $b"
done
t_check "wave 1 merged: validation passes" sh "$D/tests/run.sh"

# flaky: fails the first time in its worktree, passes on restart.
run colors flaky lib/colors.sh
t_eq "flaky: first run: exit 1" 1 "$rc"
t_has "flaky: first run: says why" "1 of 12 tests failed" "$out"
t_eq "flaky: first run: no commit" 0 "$(commits colors)"
t_eq "flaky: no marker in the worktree's files" "?? lib/colors.sh" "$(git -C "$D/.shoal/worktrees/colors" status --porcelain | tr '\n' ' ' | sed 's/ $//')"
run colors flaky lib/colors.sh
t_eq "flaky: restart: exit 0" 0 "$rc"
t_has "flaky: restart: passes" "12 of 12 tests passed" "$out"
t_eq "flaky: restart: one commit" 1 "$(commits colors)"

# rogue: edits a file outside its territory.
run ui rogue lib/ui.sh /dev/null SIM_OUTSIDE=README.md
t_eq "rogue: exit 0" 0 "$rc"
t_eq "rogue: changed its file and README.md" "README.md lib/ui.sh " "$(changed ui)"
t_has "rogue: says so" "outside my territory" "$out"

run commands worker lib/commands.sh
t_eq "worker 2: exit 0" 0 "$rc"
for b in commands colors ui; do
	git -C "$D" merge -q --no-ff -m "merge $b" "shoal/todo-demo/$b" || t_fail "merge $b"
done
t_check "wave 2 merged: validation passes" sh "$D/tests/run.sh"

# hang: still running (silent) after a second; killed by timeout.
wt=$D/.shoal/worktrees/sync
git -C "$D" worktree add -q -b shoal/todo-demo/sync "$wt"
out=$(cd "$wt" && SHOAL_TASK_ID=sync SIM_AGENT=hang timeout 1 sh tools/agents/sim.sh x </dev/null 2>&1); rc=$?
t_eq "hang: still running when killed" 124 "$rc"
t_has "hang: printed a little first" "Waiting for the package index" "$out"
t_eq "hang: no commit" 0 "$(commits sync)"

run tests worker tests/commands.txt
t_eq "wave 3 worker: exit 0" 0 "$rc"
git -C "$D" merge -q --no-ff -m "merge tests" shoal/todo-demo/tests || t_fail "merge tests"
t_check "wave 3 merged: validation passes" sh "$D/tests/run.sh"
t_has "the merged program runs" "usage: todo" "$("$D/bin/todo" help)"

# Validation catches a broken module.
printf 'broken() {\n' >"$D/lib/zz.sh"
out=$(sh "$D/tests/run.sh" 2>&1); rc=$?
t_eq "validation: a broken module fails" 1 "$rc"
t_has "validation: names it" "FAIL: lib/zz.sh does not parse" "$out"
rm -f "$D/lib/zz.sh"

# sim.sh refuses unknown variants.
out=$(cd "$D" && SIM_AGENT=nope sh tools/agents/sim.sh 2>&1); rc=$?
t_eq "sim: unknown agent: exit 3" 3 "$rc"
t_has "sim: unknown agent: message" 'unknown SIM_AGENT "nope"' "$out"

t_done
