# `shoal run --merge --resolve` with agents that stay alive: two tasks edit
# the same line of f.txt; "a" exits, "b" marks itself done (`shoal mark`) and
# waits for instructions on its terminal, as an interactive agent does. The
# wave merge merges a, b conflicts; --resolve merges main into b's worktree
# and, b's agent being alive, types the resolve prompt into its terminal
# (conflict → running); b keeps both lines, commits, exits; then b merges.
. "$(dirname "$0")/lib.sh"
R=$T/repo
t_repo "$R"
printf 'one\nshared line\nthree\n' >"$R/f.txt"
git -C "$R" add f.txt && git -C "$R" commit -q -m f
cat >"$T/agent.sh" <<'AGENT'
#!/bin/sh
# $1: task id; $2: "stay" to mark done and wait for a prompt
id=$1
sed "s/^shared line\$/shared line ($id)/" f.txt >f.tmp && mv f.tmp f.txt
git commit -qam "task $id" || exit 4
[ "${2:-}" = stay ] || exit 0
"$SHOAL" mark "$id" done || exit 5
printf 'ready for instructions> '
IFS= read -r prompt || exit 6
printf '%s\n' "$prompt" >"$RUN_T/typed"
files=$(git diff --name-only --diff-filter=U)
[ -n "$files" ] || exit 7
for f in $files; do
	grep -v '^\(<<<<<<<\|=======\|>>>>>>>\)' "$f" >"$f.tmp" && mv "$f.tmp" "$f" && git add "$f"
done
git commit -q --no-edit || exit 8
echo "resolved $files"
AGENT
RUN_T=$T
export RUN_T SHOAL
cat >"$R/shoal.json" <<EOF2
{ "name": "t", "validate": "! grep -q '^<<<<<<<' f.txt",
  "resolve_prompt": "RESOLVE {id}: {files} conflict with {base}",
  "tasks": [
    { "id": "a", "command": ["sh", "$T/agent.sh", "a"] },
    { "id": "b", "command": ["sh", "$T/agent.sh", "b", "stay"] } ] }
EOF2
git -C "$R" add shoal.json && git -C "$R" commit -q -m plan
out=$(cd "$R" && timeout 60 "$SHOAL" run --merge --resolve 2>&1); rc=$?
t_eq "run --resolve: exit 0 (both merged)" 0 "$rc"
t_has "b conflicted" "b: merging → conflict (conflict: f.txt)" "$out"
t_has "main merged into b for its agent" "b conflicts: merging main into its worktree for its agent to resolve (--resolve)" "$out"
t_has "its live agent got the prompt typed: conflict → running" "b: conflict → running (resolve prompt typed to its agent: conflicts with main in f.txt)" "$out"
t_has "the runner says so" "the resolve prompt was typed to its agent" "$out"
t_eq "the agent read the plan's resolve prompt" "RESOLVE b: f.txt conflict with main" "$(cat "$T/typed" 2>/dev/null)"
t_has "then b merged" "b: merging → merged" "$out"
f=$(git -C "$R" show main:f.txt)
t_has "main has a's line" "shared line (a)" "$f"
t_has "and b's line" "shared line (b)" "$f"
t_eq "and no markers" 0 "$(printf '%s\n' "$f" | grep -c '^\(<<<<<<<\|=======\|>>>>>>>\)')"
t_done
