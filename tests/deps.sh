#!/bin/sh
# Installs the Debian packages that shoal's build and tests need, when any is
# missing. As root it runs apt-get; otherwise it prints the command to run.
set -u
PKGS="gcc make pkg-config git libncurses-dev libgit2-dev libcjson-dev libvterm-dev
      libcmocka-dev clang tmux vim htop less"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
	apt-get install -y -qq $missing >/dev/null || { echo "deps: apt-get install failed" >&2; exit 1; }
else
	echo "deps: missing packages:$missing" >&2
	echo "deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
