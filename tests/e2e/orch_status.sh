# shoal status and shoal log: reading .shoal/state.json and
# .shoal/logs/events.jsonl of a repository, with and without a running shoal
# (the lock file's pid), and with missing or corrupt files.
. "$(dirname "$0")/lib.sh"

R=$T/repo
t_repo "$R"
cd "$R" || exit 1

out=$("$SHOAL" status 2>&1); rc=$?
t_eq "status: no run: exit 1" 1 "$rc"
t_has "status: no run: message" "no shoal run in this repository (no $R/.shoal/state.json)" "$out"
out=$("$SHOAL" log 2>&1); rc=$?
t_eq "log: no events: exit 1" 1 "$rc"
t_has "log: no events: message" "no events yet in this repository" "$out"

mkdir -p .shoal/logs
cat >.shoal/state.json <<'JSON'
{"format":"shoal-state","version":1,"plan":{"path":"shoal.json","hash":"fnv1a64:0000000000000001"},
 "updated_ms":1700000000000,
 "tasks":[
  {"id":"user-model","state":"merged","branch":"shoal/x/user-model","pid":0,"exit_code":0,
   "merge":{"outcome":"merged","commit":"0123456789abcdef0123","detail":null}},
  {"id":"hashing","state":"running","branch":"shoal/x/hashing","pid":4242,"reason":"started claude (pid 4242)"},
  {"id":"login","state":"failed","exit_code":3,"reason":"exit 3"},
  {"id":"tokens","state":"pending"}]}
JSON
out=$("$SHOAL" status 2>&1); rc=$?
t_eq "status: exit 0" 0 "$rc"
t_has "status: header, nobody running" "plan shoal.json, 4 tasks, updated" "$out"
t_has "status: not running" "no shoal is running" "$out"
t_has "status: merged task" "user-model  merged         merged 0123456789ab" "$out"
t_has "status: failed task" "login       failed         exit 3" "$out"
t_has "status: summary" "1 pending, 1 running, 1 failed, 1 merged" "$out"
# A live pid in the lock: shoal is running (this shell stands for it).
echo $$ >.shoal/lock
out=$("$SHOAL" status 2>&1)
t_has "status: running shoal" "shoal is running (pid $$)" "$out"
t_has "status: live pid shown" "hashing     running        pid 4242" "$out"
out=$(cd "$R" && mkdir -p deep/er && cd deep/er && "$SHOAL" status --json 2>&1); rc=$?
t_eq "status --json: exit 0 (from a subdirectory)" 0 "$rc"
t_has "status --json: shoal_pid" "\"shoal_pid\":	$$" "$out"
t_has "status --json: task state" "\"state\":	\"running\"" "$out"
# From inside a task's worktree (as an agent or its hooks would run it).
git -C "$R" worktree add -q -b shoal/x/hashing "$R/.shoal/worktrees/hashing" 2>/dev/null
out=$(cd "$R/.shoal/worktrees/hashing" && "$SHOAL" status 2>&1); rc=$?
t_eq "status: from a task worktree: exit 0" 0 "$rc"
t_has "status: from a task worktree: the main repository's run" "shoal is running (pid $$)" "$out"
rm -f .shoal/lock

printf '{"format":"shoal-state",' >.shoal/state.json
out=$("$SHOAL" status 2>&1); rc=$?
t_eq "status: corrupt: exit 1" 1 "$rc"
t_has "status: corrupt: message" "state.json:1:24: error: the state file is not valid JSON" "$out"

cat >.shoal/logs/events.jsonl <<'JSONL'
{"time":"2023-11-14T22:13:20.000Z","ms":1700000000000,"task":"hashing","from":"pending","to":"ready","reason":"wave 1 open"}
{"time":"2023-11-14T22:13:21.000Z","ms":1700000001000,"task":"hashing","from":"ready","to":"starting","reason":"creating the worktree"}
this line is garbage
{"time":"2023-11-14T22:13:22.000Z","ms":1700000002000,"task":"login","from":"running","to":"failed","reason":"exit 3"}
JSONL
out=$(TZ=UTC "$SHOAL" log 2>/dev/null); rc=$?
t_eq "log: exit 0" 0 "$rc"
t_eq "log: human lines" "22:13:20 hashing: pending → ready (wave 1 open)
22:13:21 hashing: ready → starting (creating the worktree)
22:13:22 login: running → failed (exit 3)" "$out"
err=$("$SHOAL" log 2>&1 >/dev/null)
t_has "log: bad line reported" "events.jsonl:3: not an event line (skipped)" "$err"
out=$(TZ=UTC "$SHOAL" log hashing -n 1 2>/dev/null)
t_eq "log TASK -n 1" "22:13:21 hashing: ready → starting (creating the worktree)" "$out"
out=$("$SHOAL" log --json -n 1 2>/dev/null)
t_eq "log --json" '{"time":"2023-11-14T22:13:22.000Z","ms":1700000002000,"task":"login","from":"running","to":"failed","reason":"exit 3"}' "$out"
out=$("$SHOAL" log -n x 2>&1); rc=$?
t_eq "log: bad -n: exit 2" 2 "$rc"
t_has "log: bad -n: message" '-n needs a number of events, not "x"' "$out"

t_done
