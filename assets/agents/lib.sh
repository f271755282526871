# Shared helpers of shoal's simulated agents (sourced, POSIX sh).
#
# The simulated agents look and behave like coding agents for demos and
# tests: coloured progress with a spinner, a terminal title that shows a
# Braille spinner while "working" (as Claude Code does), file edits in their
# worktree, a git commit, and an exit status.
#
# Environment (set by shoal for every task; defaults for running by hand):
#   SHOAL_TASK_ID     task id                 (default: the directory's name)
#   SHOAL_TASK_TITLE  task title              (default: the id)
#   SHOAL_WORKTREE    the task's worktree     (default: the current directory)
#   SHOAL_BRANCH      the task's branch       (informational)
#   SHOAL_DEMO_SPEED  delay multiplier: 1 = demo pace (default), 0.1 = ten
#                     times faster, 0 = no delays at all (tests)
#   SIM_FILES         files (relative to the worktree) this agent writes
#   SIM_REGISTER      a file where it also registers its module's command:
#                     one line added after the line "# the modules' commands"
#                     (two tasks doing so at once conflict when merged)
#   NO_COLOR          set: no colours
set -u

TASK=${SHOAL_TASK_ID:-$(basename "$PWD")}
TITLE=${SHOAL_TASK_TITLE:-$TASK}
WT=${SHOAL_WORKTREE:-$PWD}
SPEED=${SHOAL_DEMO_SPEED:-1}
FILES=${SIM_FILES:-}
cd "$WT" || { echo "sim: cannot enter worktree $WT" >&2; exit 3; }

# Commits made by the simulated agents have an identity even where git has
# none configured.
: "${GIT_AUTHOR_NAME:=sim-agent ($TASK)}" "${GIT_AUTHOR_EMAIL:=sim-agent@shoal.invalid}"
: "${GIT_COMMITTER_NAME:=$GIT_AUTHOR_NAME}" "${GIT_COMMITTER_EMAIL:=$GIT_AUTHOR_EMAIL}"
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL

if [ -n "${NO_COLOR:-}" ]; then
	C_DIM='' C_BOLD='' C_GREEN='' C_RED='' C_YELLOW='' C_CYAN='' C_MAG='' C_OFF=''
else
	C_DIM=$(printf '\033[2m') C_BOLD=$(printf '\033[1m') C_GREEN=$(printf '\033[32m')
	C_RED=$(printf '\033[31m') C_YELLOW=$(printf '\033[33m') C_CYAN=$(printf '\033[36m')
	C_MAG=$(printf '\033[35m') C_OFF=$(printf '\033[0m')
fi
SPIN='⠋ ⠙ ⠹ ⠸ ⠼ ⠴ ⠦ ⠧ ⠇ ⠏'

# pause SECONDS: sleeps SECONDS x SHOAL_DEMO_SPEED (fractions allowed).
pause() {
	_pd=$(awk -v s="$1" -v k="$SPEED" 'BEGIN { d = s * k; if (d > 0) printf "%.3f", d }')
	[ -n "$_pd" ] && sleep "$_pd"
	return 0
}

# title TEXT: sets the terminal title (OSC 0).
title() { printf '\033]0;%s\007' "$1"; }

# say TEXT: one line of output.
say() { printf '%s\n' "$*"; }

intro() {
	title "✳ $TASK"
	say "${C_MAG}${C_BOLD}● sim-agent${C_OFF} ${C_DIM}·${C_OFF} ${C_BOLD}$TASK${C_OFF} ${C_DIM}— $TITLE${C_OFF}"
	if [ $# -gt 0 ] && [ -n "$1" ]; then
		printf '%s\n' "$1" | head -n 3 | sed "s/^/${C_DIM}> /; s/\$/${C_OFF}/"
	fi
	say ""
}

# step TEXT SECONDS: a spinner line (and a working title) for SECONDS x speed.
step() {
	_sm=$1
	_st=$(awk -v s="$2" -v k="$SPEED" 'BEGIN { t = int(s * k * 10); print (t < 1 ? 1 : t) }')
	_si=0
	set -- $SPIN
	while [ "$_si" -lt "$_st" ]; do
		_sf=$(( _si % 10 + 1 ))
		eval "_sc=\${$_sf}"
		title "$_sc working · $TASK"
		printf '\r%s%s%s %s%s' "$C_CYAN" "$_sc" "$C_OFF" "$_sm" "${C_DIM}…${C_OFF}"
		pause 0.1
		_si=$((_si + 1))
	done
	printf '\r%s✓%s %s   \n' "$C_GREEN" "$C_OFF" "$_sm"
}

# write_file PATH: writes a small shell module (or text file) at PATH.
write_file() {
	_wp=$1
	mkdir -p "$(dirname "$_wp")"
	case "$_wp" in
	*.sh)
		_wf=$(basename "$_wp" .sh | tr -c 'a-zA-Z0-9_\n' '_')
		{
			printf '# %s — written by the simulated agent of task %s (%s)\n' "$_wp" "$TASK" "$TITLE"
			printf '%s_hello() {\n\techo "%s: ready"\n}\n' "$_wf" "$_wf"
		} >"$_wp"
		;;
	*)
		printf '%s: %s (task %s)\n' "$(basename "$_wp")" "$TITLE" "$TASK" >>"$_wp"
		;;
	esac
	say "  ${C_YELLOW}edit${C_OFF} $_wp"
}

# register: adds the command of this task's first module (SIM_FILES) to
# SIM_REGISTER, after its line "# the modules' commands".
register() {
	[ -n "${SIM_REGISTER:-}" ] || return 0
	set -- $FILES
	_rn=$(basename "${1:-$TASK}" .sh | tr -c 'a-zA-Z0-9_\n' '_')
	step "Registering $_rn in $SIM_REGISTER" 1
	awk -v line="$_rn) shift; ${_rn}_hello \"\$@\" ;;" '
		{ print }
		/^# the modules. commands/ { print line }
	' "$SIM_REGISTER" >"$SIM_REGISTER.sim-tmp" && cat "$SIM_REGISTER.sim-tmp" >"$SIM_REGISTER" &&
		rm -f "$SIM_REGISTER.sim-tmp" || { say "${C_RED}✗ cannot edit $SIM_REGISTER${C_OFF}"; exit 4; }
	say "  ${C_YELLOW}edit${C_OFF} $SIM_REGISTER"
}

# commit MESSAGE FILE...: commits exactly those files (and SIM_REGISTER).
commit() {
	_cm=$1
	shift
	[ -n "${SIM_REGISTER:-}" ] && set -- "$@" "$SIM_REGISTER"
	git add -- "$@" && git commit -q -m "$_cm" -- "$@" ||
		{ say "${C_RED}✗ git commit failed${C_OFF}"; exit 4; }
	say "  ${C_YELLOW}commit${C_OFF} $(git rev-parse --short HEAD) $_cm"
}

outro() {
	title "✳ $TASK"
	say ""
	say "${C_GREEN}${C_BOLD}✓ $TASK done${C_OFF} ${C_DIM}($*)${C_OFF}"
}

# work: the usual body — read, plan, write every file of SIM_FILES, test.
work() {
	step "Reading the code" 1.5
	step "Planning the change" 1
	for _f in $FILES; do
		step "Writing $_f" 1
		write_file "$_f"
	done
	register
}
