#!/bin/sh
# Creates shoal's demo repository in DIR (which must not exist or be empty):
# the todo project, the simulated agents in tools/agents/, the demo plan as
# shoal.json, all in one commit on branch main. Then: cd DIR && shoal
# usage: sh assets/demo/setup.sh DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
agents=$here/../agents
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
	echo "$0: $dir exists and is not empty" >&2
	exit 1
fi
mkdir -p "$dir/tools/agents"
cp -R "$here/project/." "$dir/"
cp "$agents"/*.sh "$dir/tools/agents/"
cp "$here/plan.json" "$dir/shoal.json"
cd "$dir"
git init -q -b main
git config user.name "shoal demo"
git config user.email "demo@shoal.invalid"
git add -A
git commit -q -m "todo: the demo project"
echo "$dir"
