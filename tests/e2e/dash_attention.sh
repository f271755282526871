#!/bin/sh
# Attention for real: a task that starts waiting for input rings the bell of
# the outer terminal (tmux's alert-bell hook counts it) and calls notify-send
# (a script first on PATH that appends its arguments to a file), as the
# config ($XDG_CONFIG_HOME/shoal/config.json) allows; with "bell" and
# "notify" off, neither happens.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_dash.sh"

mkdir -p "$T/bin"
cat >"$T/bin/notify-send" <<EOS
#!/bin/sh
printf '%s\n' "\$*" >>"$T/notified"
EOS
chmod +x "$T/bin/notify-send"
PATH=$T/bin:$PATH
unset SHOAL_CONFIG
export PATH

# mkrepo DIR: a repository with a one-task plan whose agent asks
mkrepo() {
	t_repo "$1"
	cat >"$1/shoal.json" <<'EOS'
{ "name": "att",
  "agents": { "q": { "command": ["sh", "-c", "printf 'Proceed with {id}? [y/n] '; read a; echo \"got $a\""],
                     "waiting": ["\\[y/n\\] *$"] } },
  "agent": "q",
  "tasks": [ { "id": "asker", "prompt": "ask" } ] }
EOS
	git -C "$1" add shoal.json && git -C "$1" commit -q -m plan
}

# cfg DIR JSON: a config directory for XDG_CONFIG_HOME
cfg() { mkdir -p "$1/shoal" && printf '%s\n' "$2" >"$1/shoal/config.json"; }
bells() { grep -c . "$T/bells" 2>/dev/null || echo 0; }
# attention_run NAME REPO: shoal in a new REPO, n, until asker waits
attention_run() {
	rm -f "$T/notified" "$T/bells"
	mkrepo "$2"
	d_start "$2" 100 30
	$D set-hook -g alert-bell "run-shell 'echo bell >>$T/bells'"
	d_wait "WAVE 1" 10
	d_keys n
	d_expect "$1: the task waits for input" "waiting" 15
}
# quit_run: q, y (its agent is stopped), until shoal exits
quit_run() {
	d_keys q
	d_wait "Quit" 5
	d_keys y
	d_wait "EXIT=" 10
}

export XDG_CONFIG_HOME=$T/on
cfg "$XDG_CONFIG_HOME" '{ "bell": true, "notify": true }'
attention_run "notify on" "$T/r1"
i=0
while [ ! -s "$T/notified" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
t_eq "notify-send called once, naming the task" "shoal asker: waiting-input" "$(cat "$T/notified" 2>/dev/null)"
i=0
while [ "$(bells)" -eq 0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
t_check "the bell rang in the outer terminal" test "$(bells)" -ge 1
quit_run

export XDG_CONFIG_HOME=$T/off
cfg "$XDG_CONFIG_HOME" '{ "bell": false, "notify": false }'
attention_run "notify off" "$T/r2"
# What the first run showed within moments, given a full second here.
sleep 1
t_eq "notifications off: notify-send not called" "" "$(cat "$T/notified" 2>/dev/null)"
t_eq "bell off: no bell" 0 "$(bells)"
quit_run
t_done
