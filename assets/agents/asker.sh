#!/bin/sh
# asker — a simulated agent that stops to ask a question and waits for a line
# on its terminal; it goes on once answered (y or n), and records the answer.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
step "Reading the code" 1.5
title "✳ $TASK"
printf '\n%s?%s Should %s also accept long options (--help, --version)? [y/n] ' \
	"$C_YELLOW$C_BOLD" "$C_OFF" "$TASK"
if ! read -r answer; then
	say ""
	say "${C_RED}✗ no answer (end of input); giving up${C_OFF}"
	exit 2
fi
case "$answer" in
[Yy]*) choice="with long options" ;;
*) choice="short options only" ;;
esac
say "${C_DIM}→ $choice${C_OFF}"
for f in $FILES; do
	step "Writing $f ($choice)" 1
	write_file "$f"
	printf '# decision: %s\n' "$choice" >>"$f"
done
register
step "Running the tests" 1
[ -n "$FILES" ] && commit "$TASK: $TITLE ($choice)" $FILES
outro "$choice"
