# The demo plan (assets/demo) headless, to the end, as its agents expect:
# "args" (asker) asks a question: answered with `shoal send args y` from
# here once shoal reports it waiting; "colors" (flaky) fails on its first
# run and passes when restarted in its worktree: --retries 1; "sync" (hang)
# hangs forever: --timeout stops it; "storage" and "args" both register
# their command in bin/todo at the same line: args' merge conflicts, and
# --resolve merges main into its worktree and restarts its agent there to
# resolve it. So: 7 of 8 tasks merged, sync stopped, exit 1 (not every task
# merged).
. "$(dirname "$0")/lib.sh"
D=$T/demo
sh "$(dirname "$0")/../../assets/demo/setup.sh" "$D" >/dev/null
export SHOAL_DEMO_SPEED=0
(cd "$D" && exec "$SHOAL" run --merge --resolve --retries 1 --timeout 6 >"$T/out" 2>&1) &
pid=$!
i=0
while ! grep -q "task args is waiting for input" "$T/out" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.05
	i=$((i + 1))
done
sent=$(cd "$D" && "$SHOAL" send args y 2>&1)
t_eq "demo: answer sent" "sent to args" "$sent"
wait $pid; rc=$?
out=$(cat "$T/out")
t_eq "demo: exit 1 (sync hangs and is stopped)" 1 "$rc"
t_has "demo: the question shown" "Should args also accept long options (--help, --version)? [y/n]" "$out"
t_has "demo: colors restarted once" "colors failed: restarting it in its worktree (retry 1 of 1)" "$out"
t_has "demo: sync stopped by --timeout" "sync has run for more than 6 s (--timeout): stopping it" "$out"
t_has "demo: summary" "1 stopped, 7 merged" "$out"
t_has "demo: args' merge conflicts in bin/todo" "args: merging → conflict (conflict: bin/todo)" "$out"
t_has "demo: --resolve merges main into args" "args conflicts: merging main into its worktree for its agent to resolve (--resolve)" "$out"
t_has "demo: its agent restarted with the resolve prompt" "args: conflict → starting (resolving the conflicts with main in bin/todo)" "$out"
t_has "demo: then args merged" "args: merging → merged" "$out"
todo=$(git -C "$D" show main:bin/todo)
t_has "demo: bin/todo on main has storage's line" 'storage) shift; storage_hello "$@" ;;' "$todo"
t_has "demo: and args' line" 'args) shift; args_hello "$@" ;;' "$todo"
t_eq "demo: and no conflict markers" 0 "$(printf '%s\n' "$todo" | grep -c '^\(<<<<<<<\|=======\|>>>>>>>\)')"
t_has "demo: the resolve prompt, from the plan, written for the agent" "merging main into shoal/todo-demo/args conflicted in bin/todo" "$(cat "$D/.shoal/prompts/resolve/args.md")"
t_eq "demo: args' resolution is a merge commit on main" "Merge branch 'main' into shoal/todo-demo/args" "$(git -C "$D" log --format=%s main | grep "into shoal/todo-demo/args")"
t_has "demo: answer used" "decision: with long options" "$(git -C "$D" show main:lib/args.sh)"
for f in lib/storage.sh lib/commands.sh lib/colors.sh lib/ui.sh tests/commands.txt docs/reference.md; do
	t_check "demo: $f on main" git -C "$D" cat-file -e "main:$f"
done
t_check "demo: sync not merged" sh -c "! git -C '$D' cat-file -e main:lib/sync.sh 2>/dev/null"
t_check "demo: flood output logged" test "$(grep -c . "$D/.shoal/logs/build-docs.log")" -gt 20000
t_check "demo: validation passed on main" sh -c "cd '$D' && sh tests/run.sh"
out=$(cd "$D" && "$SHOAL" run --resolve 2>&1); rc=$?
t_eq "--resolve without --merge: usage error" 2 "$rc"
t_has "and says why" "--resolve goes with --merge" "$out"
t_done
