#!/bin/sh
# hang — a simulated agent that starts, prints a little, then hangs forever
# without output (as a stuck agent does) until it is stopped.
. "$(dirname "$0")/lib.sh"
intro "${1:-}"
step "Reading the code" 1
say "${C_DIM}Waiting for the package index…${C_OFF}"
title "✳ $TASK"
while :; do
	sleep 3600
done
