#!/bin/sh
# The merge report view (E): a wave merge that stops on a conflict opens it by
# itself, listing each task merged, conflicting (with the files) or not
# attempted; after skipping the conflicting task, the next wave merge stops
# on a failed validation and the report shows its exit status and log path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

R=$T/repo
t_repo "$R"
cat >"$R/shoal.json" <<'EOP'
{ "name": "report", "validate": "test ! -e bad.txt", "tasks": [
  { "id": "x", "command": ["sh", "-c", "echo x >x.txt && git add x.txt && git commit -qm x"] },
  { "id": "z", "command": ["sh", "-c", "echo theirs >README && git commit -qam z"] },
  { "id": "y", "command": ["sh", "-c", "echo y >bad.txt && git add bad.txt && git commit -qm y"] }
] }
EOP
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan

d_start "$R" 160 40
d_expect "the dashboard opens" "report"
d_keys E
d_expect "E before any merge says so" "no merge yet"
d_keys q
d_keys n
d_expect_state "x is done" "$R" x done
d_expect_state "z is done" "$R" z done
d_expect_state "y is done" "$R" y done
# the base moves on README: z will conflict
echo ours >"$R/README" && git -C "$R" commit -qam "ours"

d_keys M
d_expect "the wave preview shows the conflict" "conflict: README"
d_expect "and asks" "Merge wave 1 (x, z, y) into main"
d_keys y
d_expect "the report opens by itself when the wave merge stops" "Last merge: wave 1 in dependency order (finished" 20
scr=$(d_cap)
t_has "x merged" "✓ x                merged" "$scr"
t_has "z conflicted" "! z                conflict" "$scr"
t_has "with the conflicting file" "conflicting: README" "$scr"
t_has "y was not attempted" "· y                not attempted" "$scr"
t_has "the status line says it stopped" "wave 1 merge stopped: 1 merged, 1 with a problem" "$scr"
t_eq "x is merged" merged "$(d_state "$R" x)"
t_eq "z is in conflict" conflict "$(d_state "$R" z)"
d_keys q

# skip z; the wave merge now stops on y's failing validation
d_keys j
d_wait "z" 1
d_keys S
d_expect "skip asks" "Skip z?"
d_keys y
d_expect_state "z skipped" "$R" z skipped
d_keys M
d_expect "the question" "Merge wave 1 (y) into main"
d_keys y
d_expect_state "y fails its validation" "$R" y invalid 20
d_expect "the report opens again" "validation failed: exit status 1" 10
scr=$(d_cap)
t_has "with the log path" "validation log: $R/.shoal/logs/merge-y.log" "$scr"
[ -s "$R/.shoal/logs/merge-y.log" ] && t_ok "the log exists" || t_fail "the log exists" "$(ls "$R/.shoal/logs")"
t_has "the run's outcomes follow" "Every merge outcome of this run" "$scr"
t_has "saying where the state moved on since" "the base was not touched  (now skipped)" "$scr"
d_keys q
d_wait_gone "Every merge outcome" 5
d_keys E
d_expect "E opens it again" "Last merge: wave 1"
d_keys E
d_wait_gone "Last merge: wave 1" 5 && t_ok "E again closes it" || t_fail "E again closes it" "$(d_cap)"
t_eq "main has x's work only" "x.txt" "$(git -C "$R" diff --name-only HEAD~2 HEAD | grep -v README | tr -d '\n')"
d_end
t_done
