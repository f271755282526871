# shoal new (starter plans that load with plan_load / shoal check) and the
# error paths of shoal mark / shoal send when no shoal is running.
. "$(dirname "$0")/lib.sh"

R=$T/repo
t_repo "$R"
cd "$R" || exit 1

# Default: three roles, claude, written to the repository root.
mkdir -p sub
out=$(cd sub && "$SHOAL" new "Add OAuth login to the API" 2>&1); rc=$?
t_eq "new: default exits 0" 0 "$rc"
t_has "new: no build files: no validate" "validate: none" "$out"
t_has "new: says where it wrote" "wrote $R/shoal.json: plan \"add-oauth-login-to-the-api\", 3 tasks: domain (claude) adversarial (claude) tests (claude)" "$out"
t_check "new: default plan passes shoal check" "$SHOAL" check "$R/shoal.json"
t_check "new: default plan is found by shoal check with no argument" "$SHOAL" check
t_has "new: prompt carries the objective" '"prompt":	"Objective: Add OAuth login to the API' "$(cat shoal.json)"
t_has "new: prompt carries the persona" 'Role: adversarial reviewer' "$(cat shoal.json)"

# The validation command is guessed from the build files, or given.
printf 'all:\n\ttrue\ncheck:\n\ttrue\n' >Makefile
out=$("$SHOAL" new "x" --roles docs -o v1.json 2>&1)
t_has "new: validate guessed from the Makefile" "validate: make && make check (guessed" "$out"
t_has "new: validate in the plan" '"validate":	"make && make check"' "$(cat v1.json)"
out=$("$SHOAL" new "x" --roles docs --validate "sh run-tests.sh" -o v2.json 2>&1)
t_has "new: --validate wins" '"validate":	"sh run-tests.sh"' "$(cat v2.json)"
"$SHOAL" new "x" --roles docs --validate "" -o v3.json >/dev/null 2>&1
t_eq "new: --validate '' for none" 0 "$(grep -c validate v3.json)"
rm -f Makefile

# Refuses to overwrite.
before=$(cat shoal.json)
out=$("$SHOAL" new "Something else" 2>&1); rc=$?
t_eq "new: existing file: exit 1" 1 "$rc"
t_has "new: existing file: says why" "shoal.json already exists; not overwriting it (use --force, or -o another file)" "$out"
t_eq "new: existing file untouched" "$before" "$(cat shoal.json)"
out=$("$SHOAL" new "Something else" --force 2>&1); rc=$?
t_eq "new: --force overwrites" 0 "$rc"
t_has "new: --force wrote the new objective" '"Objective: Something else' "$(cat shoal.json)"

# Roles and agents together: roles get agent instances round robin.
out=$("$SHOAL" new "Speed up the parser" --roles domain,adversarial,tests,docs,perf \
	--agents claude:3,codex:2 -o team.json 2>&1); rc=$?
t_eq "new: roles+agents exits 0" 0 "$rc"
t_has "new: roles+agents tasks" "5 tasks: domain (claude) adversarial (claude) tests (claude) docs (codex) perf (codex)" "$out"
chk=$("$SHOAL" check team.json 2>&1); rc=$?
t_eq "new: roles+agents plan passes check" 0 "$rc"
t_has "new: all in one wave" "wave 1: domain adversarial tests docs perf" "$chk"
t_has "new: at most 5 at once" "at most 5 at once" "$chk"

# More agent instances than roles: roles repeat, numbered.
out=$("$SHOAL" new "Fix the parser" --roles domain,tests --agents claude:2,codex:3 -o many.json 2>&1); rc=$?
t_eq "new: more agents than roles exits 0" 0 "$rc"
t_has "new: roles repeat" "5 tasks: domain-1 (claude) tests-1 (claude) domain-2 (codex) tests-2 (codex) domain-3 (codex)" "$out"
t_check "new: more agents than roles passes check" "$SHOAL" check many.json

# Agents only: one task per instance.
out=$("$SHOAL" new "Fix issue 12" --agents claude:2,codex,gemini:1 -o agents.json 2>&1); rc=$?
t_eq "new: agents only exits 0" 0 "$rc"
t_has "new: agents only tasks" "4 tasks: claude-1 (claude) claude-2 (claude) codex-1 (codex) gemini-1 (gemini)" "$out"
t_check "new: agents only plan passes check" "$SHOAL" check agents.json

# An objective with quotes, backslashes, newlines and UTF-8 survives.
obj='Make "login" work\with naïve café
and a second line'
out=$("$SHOAL" new "$obj" --roles security -o odd.json 2>&1); rc=$?
t_eq "new: odd objective exits 0" 0 "$rc"
t_check "new: odd objective plan passes check" "$SHOAL" check odd.json
t_has "new: odd objective name is a slug" '"name":	"make-login-work-with-na-ve-caf-and-a-sec"' "$(cat odd.json)"

# Standard output.
out=$("$SHOAL" new "x" --roles docs -o - 2>/dev/null)
t_has "new: -o - prints the plan" '"id":	"docs"' "$out"

# Bad input: usage errors (exit 2), nothing written.
bad() { # NAME EXPECTED-STATUS NEEDLE ARGS...
	n=$1 st=$2 needle=$3; shift 3
	out=$("$SHOAL" new "$@" -o never.json 2>&1); rc=$?
	t_eq "$n: exit $st" "$st" "$rc"
	t_has "$n: message" "$needle" "$out"
	[ ! -e never.json ] && t_ok "$n: nothing written" || t_fail "$n: nothing written"
}
bad "new: no objective" 2 "missing the OBJECTIVE"
bad "new: blank objective" 2 "the OBJECTIVE is empty" "   "
bad "new: unknown role" 2 'unknown role "tets" (did you mean "tests"?) (known: adversarial, docs, domain, perf, security, tests)' "x" --roles domain,tets
bad "new: duplicate role" 2 'role "docs" is given twice' "x" --roles docs,docs
bad "new: empty role list" 2 "--roles needs at least one role" "x" --roles ,
bad "new: bad role id" 2 'role "a b" is not a valid task id' "x" --roles "a b"
bad "new: unknown agent" 2 'unknown agent "claud" (did you mean "claude"?)' "x" --agents claud:2
bad "new: zero count" 2 'agent count in "claude:0" must be a number from 1 to 32' "x" --agents claude:0
bad "new: bad count" 2 'agent count in "codex:two" must be a number from 1 to 32' "x" --agents codex:two
bad "new: duplicate agent" 2 'agent "codex" is given twice (use codex:N for N instances)' "x" --agents codex,claude,codex
bad "new: too many" 2 'too many agent instances (at most 64)' "x" --agents claude:32,codex:32,gemini:1

# Outside a repository the default output is ./shoal.json.
mkdir -p "$T/norepo" && cd "$T/norepo" || exit 1
out=$("$SHOAL" new "x" --roles perf 2>&1); rc=$?
t_eq "new: outside a repo exits 0" 0 "$rc"
t_check "new: outside a repo writes ./shoal.json" test -f "$T/norepo/shoal.json"

# shoal mark / shoal send with no shoal running.
cd "$R" || exit 1
out=$("$SHOAL" mark domain done 2>&1); rc=$?
t_eq "mark: nothing running: exit 1" 1 "$rc"
t_has "mark: nothing running: message" "no shoal is running in this repository" "$out"
out=$("$SHOAL" send --all hello there 2>&1); rc=$?
t_eq "send: nothing running: exit 1" 1 "$rc"
t_has "send: nothing running: message" "no shoal is running in this repository" "$out"
out=$("$SHOAL" mark domain finished 2>&1); rc=$?
t_eq "mark: bad state: exit 2" 2 "$rc"
t_has "mark: bad state: message" 'state must be done, failed or waiting, not "finished"' "$out"
out=$("$SHOAL" mark ../x done 2>&1); rc=$?
t_eq "mark: bad id: exit 1" 1 "$rc"
out=$("$SHOAL" send domain 2>&1); rc=$?
t_eq "send: no text: exit 2" 2 "$rc"
out=$(cd "$T/norepo" && "$SHOAL" mark a done 2>&1); rc=$?
t_eq "mark: outside a repo: exit 1" 1 "$rc"
t_has "mark: outside a repo: message" "not inside a git repository" "$out"

t_done
