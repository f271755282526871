#!/bin/sh
# The dashboard's screen: the help view lists every binding; a resize of the
# outer terminal mid-run reaches the agents; quitting while agents run asks,
# and reopening shows them interrupted and resumes one; 40 tasks with
# max_workers 12 on an 80x24 screen page correctly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

R=$T/repo
t_repo "$R"
# tasks that print their terminal size every 0.2 s
tick='while :; do printf "size %s\n" "$(stty size)"; sleep 0.2; done'
{
	printf '{ "name": "ticks", "max_workers": 12, "tasks": [\n'
	for i in $(seq -w 1 40); do
		sep=,
		[ "$i" = 40 ] && sep=
		printf '  { "id": "t%s", "title": "tick %s", "command": ["sh", "-c", "%s"] }%s\n' \
			"$i" "$i" "$(printf '%s' "$tick" | sed 's/"/\\"/g')" "$sep"
	done
	printf '] }\n'
} >"$R/shoal.json"
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan

# ---- help ----
d_start "$R" 160 48
d_expect "the dashboard opens" "ticks"
d_keys '?'
d_expect "? opens the help view" "Keys: after C-g"
help=$(d_cap)
missing=
for k in $("$SHOAL" config --print | sed -n '/"bindings"/,/}/p' | sed -n 's/^ *"\([a-z0-9-]*\)": "\(.*\)",\{0,1\}$/\2/p'); do
	case "$k" in [1-9]) continue ;; esac # shown as 1-9
	printf '%s\n' "$help" | grep -qE "[│┃] +(.*, )?$(printf '%s' "$k" | sed 's/[][\\.*^$?]/\\&/g')[ ,]" || missing="$missing $k"
done
t_eq "the help view lists every bound key" "" "$missing"
t_has "and the prefix twice" "(twice) send the prefix key to the agent" "$help"
d_keys q
d_wait_gone "Keys: after C-g" 5 && t_ok "q closes the help" || t_fail "q closes the help" "$(d_cap)"

# ---- mouse: a click on a sidebar row selects that task ----
# X10 encoding as the outer terminal sends it: button+32, column+32, row+32;
# t05's row is the 7th (title, WAVE 1, t01..t05), column 5. Up to three
# tries: under load the sequence may be split past the escape delay.
ok=0
for try in 1 2 3; do
	d_keys -l "$(printf "\033[M %%'\033[M#%%'")"
	sleep 0.2
	d_keys s
	if d_wait_state "$R" t05 running 5; then ok=1; break; fi
done
if [ $ok = 1 ]; then t_ok "a click on a sidebar row selects the task (s starts it)"; else t_fail "a click on a sidebar row selects the task (s starts it)" "$(d_cap)"; fi

# ---- paging: 12 running on 80x24 ----
$D resize-window -x 80 -y 24
d_keys n
d_expect "12 agents run at once, paged" "page 1/" 15
d_expect_status "max_workers is respected" "12/12 running"
# (polled: tmux may show a frame half-parsed)
d_expect "page 1 shows the first pane" " t01 ─" 5
scr=$(d_cap)
case "$scr" in *" t07 ─"*) t_fail "page 1 does not show the 7th" "$scr" ;; *) t_ok "page 1 does not show the 7th" ;; esac
d_keys p
d_expect "p turns to page 2" "page 2/"
d_expect "page 2 shows the 7th pane" " t07 ─"
d_keys P
d_expect "P turns back to page 1" "page 1/"

# ---- resize mid-run ----
$D resize-window -x 140 -y 40
d_keys Tab
d_expect "a bigger screen fits all 12 panes" " t12 ─" 10
before=$(d_cap | grep -o 'size [0-9]* [0-9]*' | head -n 1)
$D resize-window -x 100 -y 30
if d_wait_gone "$before" 10; then t_ok "the agents get the new size"; else t_fail "the agents get the new size" "$(d_cap)"; fi
_end=$(($(_d_ms) + 10000))
while [ "$(_d_ms)" -lt "$_end" ] && ! d_cap | tail -n 1 | grep -q "running"; do sleep 0.05; done
d_expect_status "the status line is at the bottom after the resize" "running"

# ---- quit while agents run, reopen ----
d_keys C-g q
d_expect "quitting asks while agents run" "Quit? The 12 running agents will be stopped"
d_keys n
d_expect "n cancels" "cancelled"
d_keys C-g q
d_wait "Quit?" 5
d_keys y
d_expect "y quits" "EXIT=0" 15
d_start "$R" 120 40
d_expect "reopened, the tasks show as interrupted" "12 tasks were interrupted"
t_eq "state.json: t01 interrupted" interrupted "$(d_state "$R" t01)"
t_eq "state.json: t13 still pending" pending "$(d_state "$R" t13)"
d_keys s
d_expect_state "s resumes the selected task" "$R" t01 running 10
d_expect "its pane is back" " t01 ─"
d_keys q
d_wait "Quit?" 5
d_keys Enter
d_expect "Enter confirms too" "EXIT=0" 15
t_done
