# plan_cli — the plan commands from the outside: check, waves, dag, the
# default plan location, -C, -f, exit statuses and where output goes.
. "$(dirname "$0")/lib.sh"
EX="$SHOAL_TOP/assets/examples"

out=$("$SHOAL" check "$EX/auth-sprint.json"); rc=$?
t_eq "check exits 0 on a good plan" 0 "$rc"
t_has "check prints wave 2" "wave 2: hashing login tokens" "$out"
t_has "check prints the critical path" "critical path (4 tasks): user-model -> hashing -> tests -> release-notes" "$out"

out=$("$SHOAL" waves --json "$EX/auth-sprint.json")
t_eq "waves --json" '{"plan": "auth-sprint", "waves": [{"wave": 1, "tasks": ["user-model", "config"]}, {"wave": 2, "tasks": ["hashing", "login", "tokens"]}, {"wave": 3, "tasks": ["tests", "docs"]}, {"wave": 4, "tasks": ["release-notes"]}], "critical_path": ["user-model", "hashing", "tests", "release-notes"], "merge_order": ["user-model", "config", "hashing", "login", "tokens", "tests", "docs", "release-notes"]}' "$out"
if command -v python3 >/dev/null; then
	t_check "waves --json is valid JSON" sh -c "'$SHOAL' waves --json '$EX/beads.json' | python3 -m json.tool"
fi

for f in beads agentops-wave; do
	out=$("$SHOAL" check "$EX/$f.json"); rc=$?
	t_eq "check $f exits 0" 0 "$rc"
	t_has "check $f shows 3 waves" "3 waves" "$out"
done
out=$("$SHOAL" waves "$EX/beads.json")
t_has "beads: closed issue shown done" "bd-1" "$out"
t_has "beads: blocks edge" "bd-3" "$out"

out=$("$SHOAL" dag --dot "$EX/auth-sprint.json")
t_has "dot: header" 'digraph "auth-sprint" {' "$out"
t_has "dot: wave cluster" 'subgraph cluster_wave2 {' "$out"
t_has "dot: labelled node" '"hashing" [label="hashing\nPassword hashing"];' "$out"
t_has "dot: edge from dependency" '"user-model" -> "hashing";' "$out"
if command -v dot >/dev/null; then
	t_check "dot: graphviz accepts it" sh -c "'$SHOAL' dag --dot '$EX/auth-sprint.json' | dot -Tsvg >/dev/null"
fi

# the drawing: a column per wave, edges into each task, the critical path
out=$("$SHOAL" dag "$EX/auth-sprint.json"); rc=$?
t_eq "dag draws the graph" 0 "$rc"
t_eq "dag: the drawing" "wave 1             wave 2           wave 3        wave 4

· user-model ─┬┐
              │└─▶ · hashing ─┐
· config ─────┼┐              └┬┬─▶ · tests ─┐
              └┼─▶ · login ───┬┘│            └┬─▶ · release-notes
               │              └─┼─▶ · docs ───┘
               └─▶ · tokens ────┘

critical path (4 tasks): user-model -> hashing -> tests -> release-notes" "$out"
out=$("$SHOAL" dag "$EX/beads.json")
t_has "dag: an imported closed issue is drawn done" "✓ bd-1" "$out"
out=$("$SHOAL" dag --list "$EX/auth-sprint.json")
t_has "dag --list: edges both ways as text" "  hashing <- user-model  -> tests" "$out"
# a wide plan is drawn whole, never cut to the terminal
{
	printf '{ "name": "long", "agent": "shell", "tasks": [ { "id": "step-01-of-a-long-chain" }'
	for i in $(seq -w 2 12); do
		printf ', { "id": "step-%s-of-a-long-chain", "depends_on": ["step-%02d-of-a-long-chain"] }' "$i" $((${i#0} - 1))
	done
	printf '] }\n'
} >"$T/long.json"
out=$(COLUMNS=80 "$SHOAL" dag "$T/long.json"); rc=$?
t_eq "dag: a 12-wave chain" 0 "$rc"
t_has "dag: the last wave is drawn" "▶ · step-12-of-a-long-chain" "$out"
t_has "dag: its header too" "wave 12" "$out"

# the default plan is shoal.json at the repository root, also from a subdirectory and -C
t_repo "$T/repo" >/dev/null
cp "$EX/auth-sprint.json" "$T/repo/shoal.json"
mkdir -p "$T/repo/src/deep"
out=$(cd "$T/repo/src/deep" && "$SHOAL" waves); rc=$?
t_eq "default plan found from a subdirectory" 0 "$rc"
t_has "default plan loaded" "release-notes" "$out"
out=$("$SHOAL" -C "$T/repo" check); rc=$?
t_eq "-C DIR" 0 "$rc"
out=$(cd "$T" && "$SHOAL" check 2>&1); rc=$?
t_eq "no repo, no plan: exit 1" 1 "$rc"
t_has "no repo, no plan: message" "not inside a git repository" "$out"
rm "$T/repo/shoal.json"
out=$(cd "$T/repo" && "$SHOAL" check 2>&1); rc=$?
t_eq "missing shoal.json: exit 1" 1 "$rc"
t_has "missing shoal.json: names it" "shoal.json does not exist" "$out"

# bad input: compiler-style errors on stderr only, exit 1, nothing on stdout
cat >"$T/bad.json" <<'JSON'
{
  "agent": "shell",
  "tasks": [
    { "id": "user-model" },
    { "id": "hashing", "depends_on": ["usr-model"] },
    { "id": "a", "depends_on": ["b"] },
    { "id": "b", "depends_on": ["a"] }
  ]
}
JSON
"$SHOAL" check "$T/bad.json" >"$T/out" 2>"$T/err"; rc=$?
t_eq "bad plan: exit 1" 1 "$rc"
t_eq "bad plan: nothing on stdout" "" "$(cat "$T/out")"
t_eq "bad plan: every error, in order" "$T/bad.json:5:39: error: task \"hashing\" depends on unknown task \"usr-model\" (did you mean \"user-model\"?)
$T/bad.json:6:33: error: dependency cycle: a -> b -> a" "$(cat "$T/err")"
printf '{"tasks": [' >"$T/trunc.json"
"$SHOAL" waves -f "$T/trunc.json" 2>"$T/err" >/dev/null; rc=$?
t_eq "invalid JSON: exit 1" 1 "$rc"
t_eq "invalid JSON: position" "$T/trunc.json:1:12: error: expected a value, found end of file" "$(cat "$T/err")"
"$SHOAL" check "$T/nope.json" 2>"$T/err"; rc=$?
t_eq "missing file: exit 1" 1 "$rc"
t_has "missing file: message" "No such file or directory" "$(cat "$T/err")"

# usage errors exit 2 with a hint; help and version exit 0
"$SHOAL" frobnicate 2>"$T/err"; rc=$?
t_eq "unknown command: exit 2" 2 "$rc"
t_has "unknown command: hint" "Run 'shoal --help' for usage." "$(cat "$T/err")"
"$SHOAL" chek 2>"$T/err"; t_has "unknown command: did you mean" "did you mean 'check'?" "$(cat "$T/err")"
"$SHOAL" waves --jsn "$EX/beads.json" 2>"$T/err"; rc=$?
t_eq "unknown option: exit 2" 2 "$rc"
t_has "unknown option: usage line" "usage: shoal waves [PLAN] [--json]" "$(cat "$T/err")"
"$SHOAL" --bogus 2>/dev/null; t_eq "unknown global option: exit 2" 2 "$?"
"$SHOAL" check a.json b.json 2>/dev/null; t_eq "extra argument: exit 2" 2 "$?"
"$SHOAL" 2>/dev/null; t_eq "no command: exit 2" 2 "$?"
out=$("$SHOAL" --version); t_has "--version" "shoal " "$out"
out=$("$SHOAL" --help); rc=$?
t_eq "--help exits 0" 0 "$rc"
for c in check waves dag help; do t_has "--help lists $c" "  $c " "$out"; done
out=$("$SHOAL" help waves); t_eq "help COMMAND" "usage: shoal waves [PLAN] [--json]
print the waves of a plan (--json: machine-readable)" "$out"

# the man page documents every command in the table
if [ -f "$SHOAL_TOP/assets/shoal.1" ]; then
	for c in $("$SHOAL" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
		grep -q "^\.B $c\b\|^\\\\fB$c\\\\fR\|^\.SS $c\b\|^\.IP \"\\\\fB$c" "$SHOAL_TOP/assets/shoal.1" &&
			t_ok "man page documents $c" || t_fail "man page documents $c"
	done
fi
t_done
