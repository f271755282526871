#!/bin/sh
# Renders assets/screenshot.png from a real run of the demo: the dashboard in
# a private tmux server at 150x42, wave 1 started, the asking agent waiting;
# the screen captured with its colours (capture-pane -e) and drawn to PNG by
# ansi2png.py (python3-pil, fonts-dejavu-core).
# usage: sh tests/shot/screenshot.sh [OUT.png]   (from the source tree, after make)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/assets/screenshot.png}
tmp=$(mktemp -d)
X="tmux -L shoal-shot-$$ -f /dev/null"
trap '$X kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
W=150 H=42
$X new-session -d -x $W -y $H "cd $tmp && SHOAL_DEMO_SPEED=0.4 SHOAL_CONFIG=/nonexistent TERM=tmux-256color $top/shoal demo --dir $tmp/todo; sleep 60"
wait_for() {
	i=0
	while ! $X capture-pane -p | grep -qF -- "$1"; do
		i=$((i + 1))
		[ $i -lt 400 ] || { echo "screenshot: never saw $1" >&2; exit 1; }
		sleep 0.05
	done
}
wait_for "WAVE 3"
$X send-keys n
wait_for "[y/n]"
wait_for "build-docs done"
wait_for "waiting"
wait_for "2f "
sleep 0.3
$X capture-pane -e -p >"$tmp/screen.ansi"
/usr/bin/python3 "$top/tests/shot/ansi2png.py" "$tmp/screen.ansi" "$out" $W $H
echo "$out"
