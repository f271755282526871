#!/bin/sh
# The views that read git never block the dashboard: while the git worker is
# busy with a wave merge whose validation takes seconds, v opens the changes
# view at once ("computing…") and the screen keeps answering keys; a result
# that arrives after the operator moved on is dropped; the preview's
# question appears only once the preview is there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

R=$T/repo
t_repo "$R"
cat >"$R/shoal.json" <<'EOP'
{ "name": "views", "validate": "sleep 3", "tasks": [
  { "id": "a", "command": ["sh", "-c", "echo one >a.txt && git add a.txt && git commit -qm a"] },
  { "id": "b", "command": ["sh", "-c", "printf 'x\\ny\\n' >b.txt && git add b.txt && git commit -qm b"] },
  { "id": "c", "depends_on": ["a"], "command": ["true"] }
] }
EOP
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan

d_start "$R" 160 40
d_expect "the dashboard opens" "views"
d_keys n
d_expect_state "a is done" "$R" a done
d_expect_state "b is done" "$R" b done

# the changes view, worker idle: the files and the selected task's diff
d_keys v
d_expect "v: the changes view" "Changes against main (2 task branches)"
d_expect "with the selected task's diff from libgit2" "git diff main...shoal/views/a"
scr=$(d_cap)
t_has "the diff's hunk" "+one" "$scr"
t_has "and b's files" "A b.txt" "$scr"
d_keys q

# the wave merge: the question comes with the preview
d_keys M
d_expect "M: the preview" "Wave 1 merge preview"
d_expect "then the question" "Merge wave 1 (a, b) into main"
d_keys y
d_expect_state "the merge runs (validation: sleep 3)" "$R" a merging 5

# the worker is busy: v opens at once, computing
t0=$(_d_ms)
d_keys v
d_expect "v opens at once while the worker validates" "computing…" 2
t1=$(_d_ms)
[ $((t1 - t0)) -lt 2500 ] && t_ok "within 2.5 s ($((t1 - t0)) ms)" || t_fail "within 2.5 s" "$((t1 - t0)) ms"
t_eq "a is still merging (the view did not wait for it)" merging "$(d_state "$R" a)"
# moving on: the help view, which the late result must not replace
d_keys q '?'
d_expect "the keys still work: ? opens help" "Keys: after C-g" 2
d_expect_state "a merged" "$R" a merged 15
d_expect_state "b merged" "$R" b merged 15
sleep 0.5
scr=$(d_cap)
t_has "the help view is still there" "Keys: after C-g" "$scr"
case "$scr" in *"Changes against"*) t_fail "the stale changes result was dropped" "$scr" ;; *) t_ok "the stale changes result was dropped" ;; esac
d_keys q

# a preview that cannot go ahead says why, and asks nothing
d_keys m
d_expect "m on a merged task says why" "only a done task can be merged"
d_end
t_done
