#!/bin/sh
# The key bindings documented in README.md and the man page are the
# dashboard's action table (shoal config --keys / --keys-markdown), and the
# config and theme commands behave: --print, --check with diagnostics, themes.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export SHOAL_CONFIG=/nonexistent/shoal-config.json

missing=
"$SHOAL" config --keys-markdown >"$T/keys.md"
while IFS= read -r l; do
	grep -qxF -- "$l" "$TOP/README.md" || missing="$missing
$l"
done <"$T/keys.md"
t_eq "README.md has the key table generated from the action table" "" "$missing"
missing=
"$SHOAL" config --keys >"$T/keys.txt"
while IFS= read -r l; do
	m=$(printf '%s' "$l" | sed 's/\\/\\e/g; s/-/\\-/g')
	grep -qxF -- "$m" "$TOP/assets/shoal.1" || missing="$missing
$l"
done <"$T/keys.txt"
t_eq "the man page has every binding" "" "$missing"
t_eq "one line per action with help, plus the prefix" 31 "$(wc -l <"$T/keys.txt")"

out=$("$SHOAL" config --print)
t_has "config --print shows the defaults" '"prefix": "C-g"' "$out"
t_has "config --print lists the bindings" '"merge-wave": "M"' "$out"
t_has "config --print lists the theme roles" '"task.waiting": { "fg": "yellow"' "$out"

printf '{\n  "prefix": "C-a",\n  "bindings": { "next-wave": "N" },\n  "theme": "light"\n}\n' >"$T/good.json"
t_eq "config --check accepts a good file" "$T/good.json: ok" "$("$SHOAL" config --check "$T/good.json")"
out=$(SHOAL_CONFIG=$T/good.json "$SHOAL" config --print)
t_has "the config file rebinds" '"next-wave": "N"' "$out"
t_has "and picks the theme" '"name": "light"' "$out"

printf '{\n  "prefix": "C-a",\n  "bell": "loud",\n  "bindings": { "zom": "z" }\n}\n' >"$T/bad.json"
out=$("$SHOAL" config --check "$T/bad.json" 2>&1)
rc=$?
t_eq "config --check fails on a bad file" 1 "$rc"
t_eq "with every problem, compiler style" "$T/bad.json:3:11: error: \"bell\" must be true or false, not a string
$T/bad.json:4:17: error: unknown action \"zom\" (did you mean \"zoom\"?)" "$out"
out=$(SHOAL_CONFIG=$T/bad.json "$SHOAL" ui 2>&1)
t_eq "the dashboard refuses a bad config" 1 "$?"
t_has "saying why" "bad.json:3:11: error:" "$out"

out=$("$SHOAL" config --print --theme high-contrast)
t_has "--theme finds the shipped themes" '"name": "high-contrast"' "$out"
out=$("$SHOAL" config --print --theme nosuch 2>&1)
t_eq "an unknown theme is an error" 1 "$?"
t_has "naming where it looked" 'theme "nosuch" not found (looked for nosuch.json in' "$out"
mkdir -p "$T/xdg/shoal/themes"
printf '{ "name": "mine", "colors": { "status": { "fg": "black", "bg": "#ffaf00" } } }\n' >"$T/xdg/shoal/themes/mine.json"
out=$(XDG_CONFIG_HOME=$T/xdg "$SHOAL" config --print --theme mine)
t_has "themes in the config directory" '"status": { "fg": "black", "bg": "#ffaf00" }' "$out"
printf '{ "colors": { "status": "purple" } }\n' >"$T/xdg/shoal/themes/bad.json"
out=$(XDG_CONFIG_HOME=$T/xdg "$SHOAL" config --print --theme bad 2>&1)
t_has "a bad theme gets diagnostics" 'bad.json:1:25: error: status: bad colour "purple"' "$out"

out=$(cd "$T" && "$SHOAL" 2>&1 </dev/null)
t_eq "shoal with no plan anywhere prints the usage" 2 "$?"
t_repo "$T/r"
printf '{ "name": "x", "tasks": [ { "id": "a", "command": ["true"] } ] }\n' >"$T/r/shoal.json"
out=$(cd "$T/r" && "$SHOAL" </dev/null 2>&1)
t_eq "shoal in a repository with shoal.json opens the dashboard (needs a terminal)" 1 "$?"
t_has "and says so" "the dashboard needs a terminal" "$out"
out=$(cd "$T/r" && "$SHOAL" nosuch.json 2>&1)
t_has "shoal PLAN: a missing plan file is reported" "nosuch.json" "$out"
t_done
