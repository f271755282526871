#!/bin/sh
# flood — a simulated agent that floods its terminal (a verbose build log,
# SIM_FLOOD_LINES lines, default 20000, as fast as it can), then writes its
# files, commits and exits 0. For testing that one noisy pane starves nobody.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
n=${SIM_FLOOD_LINES:-20000}
awk -v n="$n" -v c="$C_CYAN" -v o="$C_OFF" -v d="$C_DIM" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "%s[%3d%%]%s building object %sobj/unit_%05d.o%s from src/unit_%05d.c\n",
		       c, int(i * 100 / n), o, d, i, o, i
}'
for f in $FILES; do
	write_file "$f"
done
[ -n "$FILES" ] && commit "$TASK: $TITLE" $FILES
outro "$n lines of log"
