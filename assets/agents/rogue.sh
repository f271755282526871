#!/bin/sh
# rogue — a simulated agent that does its work but also edits a file outside
# its territory (SIM_OUTSIDE, default README.md) and commits both: the
# territory check must flag it before the merge.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
work
outside=${SIM_OUTSIDE:-README.md}
step "Tidying up $outside while I am here" 1
printf '\n<!-- %s was here (outside its territory) -->\n' "$TASK" >>"$outside"
say "  ${C_YELLOW}edit${C_OFF} $outside ${C_RED}(outside my territory)${C_OFF}"
step "Running the tests" 1
commit "$TASK: $TITLE" $FILES "$outside"
outro "$(echo $FILES | wc -w) file(s) + $outside"
