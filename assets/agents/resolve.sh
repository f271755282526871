#!/bin/sh
# resolve — what every simulated agent does when it is started (or typed a
# prompt) to resolve a merge conflict in its worktree: it lists the
# unmerged paths, rewrites each keeping both sides' lines (the conflict
# markers and the common ancestor's lines, in diff3 style, dropped), adds
# them and concludes the merge with git commit --no-edit, like a real agent.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
files=$(git diff --name-only --diff-filter=U)
if [ -z "$files" ]; then
	say "${C_DIM}no conflicts to resolve here${C_OFF}"
	if [ -f "$(git rev-parse --git-dir)/MERGE_HEAD" ]; then
		git commit -q --no-edit || { say "${C_RED}✗ git commit failed${C_OFF}"; exit 4; }
		say "  ${C_YELLOW}commit${C_OFF} $(git rev-parse --short HEAD) (the merge)"
	fi
	outro "nothing to resolve"
	exit 0
fi
title "✳ $TASK"
say "${C_YELLOW}${C_BOLD}⚔ resolving merge conflicts${C_OFF} in: $(echo $files)"
step "Reading both sides" 1
for f in $files; do
	step "Resolving $f (keeping both sides)" 1
	awk '
		/^<<<<<<< / { in_ours = 1; next }
		/^\|\|\|\|\|\|\| / && in_ours { in_base = 1; next }
		/^=======$/ && in_ours { in_ours = 0; in_base = 0; in_theirs = 1; next }
		/^>>>>>>> / && in_theirs { in_theirs = 0; next }
		in_base { next }
		{ print }
	' "$f" >"$f.sim-resolve" && cat "$f.sim-resolve" >"$f" && rm -f "$f.sim-resolve" ||
		{ say "${C_RED}✗ cannot rewrite $f${C_OFF}"; exit 4; }
	say "  ${C_YELLOW}edit${C_OFF} $f"
	git add -- "$f" || { say "${C_RED}✗ git add $f failed${C_OFF}"; exit 4; }
done
step "Running the tests" 1
git commit -q --no-edit || { say "${C_RED}✗ git commit failed${C_OFF}"; exit 4; }
say "  ${C_YELLOW}commit${C_OFF} $(git rev-parse --short HEAD) $(git log -1 --format=%s)"
outro "resolved $(echo $files | wc -w) file(s)"
