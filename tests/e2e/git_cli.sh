# git_cli — shoal worktree / diff / merge from the outside, on a real
# repository whose path has a space and a non-ASCII letter; after each step
# `git worktree list --porcelain`, `git status` and `git fsck` must agree.
. "$(dirname "$0")/lib.sh"

R="$T/my repo é"
t_repo "$R" >/dev/null
mkdir -p "$R/src" "$R/docs"
printf 'one\ntwo\nthree\n' >"$R/src/a.c"
printf 'guide\n' >"$R/docs/guide.md"
git -C "$R" add -A && git -C "$R" commit -qm base
cat >"$R/shoal.json" <<'EOF'
{ "name": "e2e", "base": "main", "branch_prefix": "shoal/e2e/", "agent": "shell",
  "validate": "test -f README && echo validate-ran",
  "tasks": [
    { "id": "t1", "title": "one", "territory": ["src"] },
    { "id": "t2", "title": "two" },
    { "id": "t3", "title": "three" },
    { "id": "t4", "title": "four" },
    { "id": "t5", "title": "five", "depends_on": ["t1"] }
  ] }
EOF
echo shoal.json >>"$R/.git/info/exclude"
cd "$R" || exit 1
wt() { printf '%s/.shoal/worktrees/%s' "$R" "$1"; }
sound() { # NAME: fsck clean and main worktree clean
	t_check "$1: git fsck clean" git fsck --no-progress --strict
	t_eq "$1: main worktree clean" "" "$(git status --porcelain)"
}
# agree NAME: shoal worktree list --json and git worktree list --porcelain
# report the same worktrees, heads, branches, locks and stale entries.
agree() {
	command -v python3 >/dev/null || return 0
	if out=$("$SHOAL" worktree list --json 2>/dev/null | python3 -c '
import json, subprocess, sys
shoal = {w["path"]: w for w in json.load(sys.stdin)["worktrees"]}
porc = subprocess.run(["git", "worktree", "list", "--porcelain"], capture_output=True, text=True).stdout
git = {}
for block in porc.strip().split("\n\n"):
    d = {}
    for line in block.split("\n"):
        k, _, v = line.partition(" ")
        d[k] = v
    if "/.shoal/worktrees/" in d.get("worktree", ""):
        git[d["worktree"]] = d
bad = []
if set(shoal) != set(git):
    bad.append("paths differ: shoal %s, git %s" % (sorted(shoal), sorted(git)))
for p in set(shoal) & set(git):
    s, g = shoal[p], git[p]
    if s["head"] != g.get("HEAD"): bad.append("%s: head %s vs %s" % (p, s["head"], g.get("HEAD")))
    gb = g.get("branch", "").replace("refs/heads/", "") or None
    if s["branch"] != gb: bad.append("%s: branch %s vs %s" % (p, s["branch"], gb))
    if s["locked"] != ("locked" in g): bad.append("%s: locked %s vs %s" % (p, s["locked"], "locked" in g))
    if s["locked"] and s["lock_reason"] != g.get("locked", ""): bad.append("%s: lock reason" % p)
    if s["stale"] != ("prunable" in g): bad.append("%s: stale %s vs prunable %s" % (p, s["stale"], "prunable" in g))
    if not s["stale"]:
        st = subprocess.run(["git", "-C", p, "status", "--porcelain"], capture_output=True, text=True).stdout
        if s["clean"] != (st == ""): bad.append("%s: clean %s vs git status %r" % (p, s["clean"], st))
print("\n".join(bad))
sys.exit(1 if bad else 0)
'); then t_ok "$1: shoal and git agree"; else t_fail "$1: shoal and git agree" "$out"; fi
}
commit_in() { # TASK FILE CONTENT
	(cd "$(wt "$1")" && mkdir -p "$(dirname "$2")" && printf '%s\n' "$3" >"$2" && git add -A &&
		git commit -qm "$1: $2") >/dev/null
}

# --- worktree add / list, checked against the CLI
out=$("$SHOAL" worktree add t1 t2 t3 t4 2>&1); rc=$?
t_eq "add four: exit 0" 0 "$rc"
t_has "add prints the branch" "on new branch shoal/e2e/t1 from main" "$out"
porc=$(git worktree list --porcelain)
for t in t1 t2 t3 t4; do
	t_has "CLI lists $t" "worktree $(wt $t)" "$porc"
	t_has "CLI shows branch of $t" "branch refs/heads/shoal/e2e/$t" "$porc"
	t_eq "$t worktree clean for git" "" "$(git -C "$(wt $t)" status --porcelain)"
done
t_eq ".shoal excluded once" 1 "$(grep -c '^/.shoal/$' .git/info/exclude)"
t_eq "no .gitignore created" no "$([ -e .gitignore ] && echo yes || echo no)"
sound "after add"
agree "after add"
out=$(cd src && "$SHOAL" worktree list 2>&1); rc=$?
t_eq "list from a subdirectory: exit 0" 0 "$rc"
t_has "list shows t3 clean" "clean" "$out"
out=$(cd "$(wt t2)/src" && "$SHOAL" worktree list --json 2>&1); rc=$?
t_eq "list from inside a linked worktree: exit 0" 0 "$rc"
t_has "list --json acts on the main repository" "\"path\": \"$(wt t1)\"" "$out"
if command -v python3 >/dev/null; then
	t_check "list --json is valid JSON" sh -c "'$SHOAL' worktree list --json | python3 -m json.tool"
fi
out=$("$SHOAL" worktree add t1 2>&1); rc=$?
t_eq "add twice: exit 1" 1 "$rc"
t_has "add twice: says so" "already has a worktree" "$out"
out=$("$SHOAL" worktree add nope 2>&1); rc=$?
t_eq "unknown task: exit 1" 1 "$rc"
t_has "unknown task: did you mean" 'no task "nope"' "$out"

# --- work in the tasks: t1 and t2 overlap on src/a.c; t2 goes outside no territory
commit_in t1 src/a.c "$(printf 'one\ntwo-t1\nthree')"
commit_in t1 docs/t1.md "outside"
commit_in t2 src/b.c "b"
commit_in t3 src/a.c "$(printf 'ONE-t3\ntwo\nthree')"
commit_in t4 d4.txt "d4"
echo wip >>"$(wt t4)/README"
out=$("$SHOAL" diff 2>&1); rc=$?
t_eq "diff: exit 0" 0 "$rc"
t_has "diff: t1 overlaps t3" "overlap: src/a.c also changed by t3" "$out"
t_has "diff: territory violation" "docs/t1.md  +1 -0  [outside territory]" "$out"
t_has "diff: uncommitted marked" "M README  +1 -0  [uncommitted]" "$out"
out=$("$SHOAL" diff --json t1 2>&1)
t_has "diff --json: violations" '"violations": ["docs/t1.md"]' "$out"

# --- list: ahead/behind, dirty, locked, stale
out=$("$SHOAL" worktree list --json)
t_has "t1 is 2 ahead" '"id": "t1", "branch": "shoal/e2e/t1", "path": "'"$(wt t1)"'", "head": "'"$(git rev-parse shoal/e2e/t1)"'", "ahead": 2' "$out"
t_has "t4 dirty" '"dirty": 1, "clean": false' "$out"
git worktree lock --reason "keep me" "$(wt t2)"
agree "dirty and locked"
out=$("$SHOAL" worktree remove t2 2>&1); rc=$?
t_eq "locked: remove refused" 1 "$rc"
t_has "locked: reason shown" "locked: keep me" "$out"
out=$("$SHOAL" worktree remove t4 2>&1); rc=$?
t_eq "dirty: remove refused" 1 "$rc"
t_has "dirty: path shown" "README" "$out"
t_eq "dirty: work still there" "wip" "$(tail -n 1 "$(wt t4)/README")"
git -C "$(wt t4)" checkout -q README
git worktree unlock "$(wt t2)"

# --- merges
out=$("$SHOAL" merge t1 --dry-run 2>&1); rc=$?
t_eq "dry run: exit 0" 0 "$rc"
t_has "dry run: fast-forward" "would merge (fast-forward)" "$out"
t_eq "dry run: main unchanged" "$(git rev-parse HEAD~0)" "$(git rev-parse main)"
out=$("$SHOAL" merge t1 2>&1); rc=$?
t_eq "merge t1: exit 0" 0 "$rc"
t_has "merge t1: validation streamed" "validate-ran" "$out"
t_has "merge t1: territory violation shown" "t1 changes 1 file outside its territory (src): docs/t1.md" "$out"
t_eq "merge t1: main at t1" "$(git rev-parse shoal/e2e/t1)" "$(git rev-parse main)"
t_has "merge t1: log kept" "validate-ran" "$(cat .shoal/logs/merge-t1.log)"
sound "after merge t1"
old=$(git rev-parse main)
out=$("$SHOAL" merge t3 2>&1); rc=$?
t_eq "conflict: exit 1" 1 "$rc"
t_has "conflict: path listed" "conflict: src/a.c" "$out"
t_eq "conflict: main unchanged" "$old" "$(git rev-parse main)"
sound "after conflict"
echo local >>docs/guide.md
out=$("$SHOAL" merge t2 2>&1); rc=$?
t_eq "dirty main: exit 1" 1 "$rc"
t_has "dirty main: explained" "uncommitted changes to tracked files (docs/guide.md)" "$out"
t_eq "dirty main: base unchanged" "$old" "$(git rev-parse main)"
t_eq "dirty main: edit kept" "local" "$(tail -n 1 docs/guide.md)"
git checkout -q docs/guide.md
out=$("$SHOAL" merge t2 2>&1); rc=$?
t_eq "clean merge: exit 0" 0 "$rc"
t_has "clean merge reported" "merged (clean merge)" "$out"
t_eq "clean merge: first parent is old base" "$old" "$(git rev-parse main^1)"
t_eq "clean merge: second parent is the task" "$(git rev-parse shoal/e2e/t2)" "$(git rev-parse main^2)"
sound "after clean merge"

# --- into-task: base into t3, conflict markers left for the agent
out=$("$SHOAL" merge t3 --into-task 2>&1); rc=$?
t_eq "into-task: exit 0" 0 "$rc"
t_has "into-task: conflict listed" "conflict: src/a.c" "$out"
t_has "into-task: markers in the worktree" "<<<<<<<" "$(cat "$(wt t3)/src/a.c")"
t_eq "into-task: base untouched" "$(git rev-parse HEAD)" "$(git rev-parse main)"
(cd "$(wt t3)" && printf 'ONE-t3\ntwo-t1\nthree\n' >src/a.c && git add src/a.c && git commit -q --no-edit)
out=$("$SHOAL" merge t3 2>&1); rc=$?
t_eq "after resolving: merge exit 0" 0 "$rc"
t_eq "after resolving: content" "ONE-t3" "$(head -n 1 src/a.c)"
sound "after into-task"
agree "after into-task"

# --- remove / prune / stale, checked against the CLI
rm -rf "$(wt t4)"
out=$("$SHOAL" worktree list)
t_has "deleted by hand: stale" "stale" "$out"
t_has "CLI agrees: prunable" "prunable" "$(git worktree list --porcelain)"
agree "deleted by hand"
out=$("$SHOAL" worktree prune); rc=$?
t_eq "prune: exit 0" 0 "$rc"
t_has "prune: one entry" "pruned 1 stale entry" "$out"
t_eq "prune: CLI has nothing to prune" "" "$(git worktree prune -n -v 2>&1)"
agree "after prune"
out=$("$SHOAL" worktree remove t1 2>&1); rc=$?
t_eq "remove merged: exit 0" 0 "$rc"
t_has "remove merged: branch deleted" "branch shoal/e2e/t1 deleted (merged)" "$out"
t_eq "remove: branch gone" "" "$(git branch --list shoal/e2e/t1)"
"$SHOAL" worktree add t4 >/dev/null 2>&1
t_eq "re-add reuses the branch" "$(git rev-parse shoal/e2e/t4)" "$(git -C "$(wt t4)" rev-parse HEAD)"
out=$("$SHOAL" worktree remove t4 2>&1)
t_has "remove unmerged: branch kept" "kept: not merged" "$out"
agree "after remove"
t_eq "unmerged branch still there" "shoal/e2e/t4" "$(git branch --list --format='%(refname:short)' shoal/e2e/t4)"
out=$("$SHOAL" worktree clean 2>&1); rc=$?
t_eq "clean: exit 0" 0 "$rc"
t_eq "clean: only main left for git" 1 "$(git worktree list --porcelain | grep -c '^worktree ')"
sound "after clean"

# --- a wave of four (t1..t4 are wave 1; merge order t1 t2 t3 t4); t3 conflicts
git branch -q -D shoal/e2e/t4
"$SHOAL" worktree add t1 t2 t3 t4 >/dev/null 2>&1
commit_in t1 w1.txt w1
commit_in t2 README "from t2"
commit_in t3 README "from t3"
commit_in t4 w4.txt w4
before=$(git rev-parse main)
out=$("$SHOAL" merge --wave 1 --dry-run 2>&1); rc=$?
t_eq "wave dry run: exit 1 (a conflict ahead)" 1 "$rc"
t_has "wave dry run: t3 conflict foreseen" "t3 (shoal/e2e/t3): conflict" "$out"
t_eq "wave dry run: nothing changed" "$before" "$(git rev-parse main)"
out=$("$SHOAL" merge --wave 1 2>&1); rc=$?
t_eq "wave: exit 1" 1 "$rc"
t_has "wave: t1 merged" "t1 (shoal/e2e/t1): merged" "$out"
t_has "wave: t2 merged" "t2 (shoal/e2e/t2): merged" "$out"
t_has "wave: t3 conflict" "t3 (shoal/e2e/t3): conflict" "$out"
t_has "wave: t4 not attempted" "t4 (shoal/e2e/t4): not attempted" "$out"
t_has "wave: summary" "2 merged, 1 not attempted" "$out"
t_check "wave: t2 in main" git merge-base --is-ancestor shoal/e2e/t2 main
t_eq "wave: t4 not in main" 1 "$(git merge-base --is-ancestor shoal/e2e/t4 main; echo $?)"
t_eq "wave: README from t2" "from t2" "$(cat README)"
sound "after wave"
agree "after wave"

# --- no identity configured: the fallback is named
commit_in t4 w5.txt w5
echo unsaved >"$(wt t4)/scratch.txt"
git config --unset user.name; git config --unset user.email
out=$(HOME="$T/nohome" XDG_CONFIG_HOME="$T/nohome" GIT_CONFIG_NOSYSTEM=1 "$SHOAL" merge t4 --no-validate 2>&1); rc=$?
t_eq "no identity: merge exit 0" 0 "$rc"
t_has "no identity: fallback named" "committed as shoal <shoal@localhost>" "$out"
t_has "uncommitted work: warned, not merged" "t4's worktree has 1 uncommitted change; only its commits are merged" "$out"
t_eq "uncommitted work: still in the worktree" "unsaved" "$(cat "$(wt t4)/scratch.txt")"
t_eq "no identity: author" "shoal <shoal@localhost>" "$(git log -1 --format='%an <%ae>' main)"

# --- a merge in progress in the main worktree is never touched
commit_in t3 t3b.txt t3b
git merge -q --no-commit --no-ff shoal/e2e/t3 >/dev/null 2>&1
head_before=$(git rev-parse main)
commit_in t1 t1b.txt t1b
out=$("$SHOAL" merge t1 2>&1); rc=$?
t_eq "merge in progress in main: exit 1" 1 "$rc"
t_has "merge in progress in main: explained" "in progress in the main worktree" "$out"
t_check "merge in progress in main: MERGE_HEAD kept" git rev-parse -q --verify MERGE_HEAD
t_eq "merge in progress in main: base unchanged" "$head_before" "$(git rev-parse main)"
git merge --abort

# --- Ctrl-C during a long validation cancels it: nothing changes, nothing keeps running
commit_in t4 w6.txt w6
before=$(git rev-parse main)
cat >"$T/slow.json" <<EOF
{ "name": "e2e", "base": "main", "branch_prefix": "shoal/e2e/", "agent": "shell",
  "validate": "echo slow-start; sleep 27.4321; echo never",
  "tasks": [ { "id": "t4", "title": "four" } ] }
EOF
"$SHOAL" -f "$T/slow.json" merge t4 >"$T/slow.out" 2>&1 &
pid=$!
for i in $(seq 50); do grep -q slow-start "$T/slow.out" 2>/dev/null && break; sleep 0.1; done
kill -INT $pid
wait $pid; rc=$?
t_eq "interrupted merge: exit 1" 1 "$rc"
t_has "interrupted merge: cancelled" "cancelled" "$(cat "$T/slow.out")"
t_eq "interrupted merge: base unchanged" "$before" "$(git rev-parse main)"
t_eq "interrupted merge: validation not left running" "" "$(pgrep -f '^sleep 27\.4321$' || true)"
t_eq "interrupted merge: no validation worktree left" 0 "$(git worktree list --porcelain | grep -c /.shoal/validate/)"
sound "after an interrupted merge"

# --- a validation does not block other shoal commands
commit_in t4 w7.txt w7
cat >"$T/slow2.json" <<EOF
{ "name": "e2e", "base": "main", "branch_prefix": "shoal/e2e/", "agent": "shell",
  "validate": "echo slow-start; sleep 3",
  "tasks": [ { "id": "t4", "title": "four" } ] }
EOF
"$SHOAL" -f "$T/slow2.json" merge t4 >"$T/slow2.out" 2>&1 &
pid=$!
for i in $(seq 50); do grep -q slow-start "$T/slow2.out" 2>/dev/null && break; sleep 0.1; done
out=$("$SHOAL" worktree add t5 2>&1); rc=$?
t_eq "add during another process's validation: exit 0" 0 "$rc"
t_eq "add during another process's validation: it was still validating" 0 "$(kill -0 $pid 2>/dev/null; echo $?)"
wait $pid; rc=$?
t_eq "that merge then completes" 0 "$rc"
t_check "t4 merged" git merge-base --is-ancestor shoal/e2e/t4 main
sound "after concurrent commands"
agree "after concurrent commands"

# --- refusals
out=$(cd "$T" && git init -q --bare bare.git && cd bare.git && "$SHOAL" worktree list 2>&1); rc=$?
t_eq "bare: exit 1" 1 "$rc"
t_has "bare: explained" "bare repository" "$out"
out=$(cd "$T" && git init -q empty && cd empty && "$SHOAL" worktree list 2>&1); rc=$?
t_eq "no commits: exit 1" 1 "$rc"
t_has "no commits: explained" "no commits yet" "$out"
t_done
