#!/bin/sh
# The dashboard's DAG view (g): the graph drawn by wave with its edges, the
# critical path in its own colour, the per-task lines under it; a plan wider
# than an 80x24 screen scrolls sideways (h/l) instead of being cut.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

R=$T/repo
t_repo "$R"
# a 10-wave chain with long ids, plus a side task hanging off the first
{
	printf '{ "name": "wide", "agent": "shell", "tasks": [ { "id": "chain-step-01" }, { "id": "side", "depends_on": ["chain-step-01"] }'
	for i in $(seq -w 2 10); do
		printf ', { "id": "chain-step-%s", "depends_on": ["chain-step-%02d"] }' "$i" $((${i#0} - 1))
	done
	printf '] }\n'
} >"$R/shoal.json"
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan

d_start "$R" 80 24
d_expect "the dashboard opens" "WAVE 10"
d_keys g
d_expect "g opens the DAG view, drawn" "wave 1    "
scr=$(d_cap)
t_has "the first task with its line out" "· chain-step-01 ─┬┐" "$scr"
t_has "an arrow into the second wave" "│└─▶ · chain-step-02 ─┘" "$scr"
t_has "the fan-out to the side task, below the straight critical path" "└──▶ · side" "$scr"
case "$scr" in *"▶ · chain-step-10"*) t_fail "the last wave is off screen at first" "$scr" ;; *) t_ok "the last wave is off screen at first" ;; esac
# the critical path's ids and the side task's are drawn in different colours
col=$(d_cap -e | grep -m1 'side')
crit=$(d_cap -e | grep -m1 'chain-step-02')
a=$(printf '%s' "$col" | sed 's/.*\(\x1b\[[0-9;]*m\)side.*/\1/')
b=$(printf '%s' "$crit" | sed 's/.*\(\x1b\[[0-9;]*m\)chain-step-02.*/\1/')
if [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; then t_ok "the critical path has its own colour"; else t_fail "the critical path has its own colour" "side: $col
crit: $crit"; fi
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do d_keys l; done
d_expect "l scrolls sideways to the last wave" "▶ · chain-step-10"
t_has "the drawing scrolled, not wrapped: the first wave is gone" "" "$(d_cap | grep -c 'chain-step-01 ─' | grep -x 0)"
d_keys h h h h h h h h h h h h h h h h h h h h h h h h h h h h h h
d_expect "h scrolls back" "· chain-step-01 ─┬┐"
d_keys q
d_wait_gone "DAG ·" 5 && t_ok "q closes the view" || t_fail "q closes the view" "$(d_cap)"
d_keys q
d_expect "quits" "EXIT=0" 10
t_done
