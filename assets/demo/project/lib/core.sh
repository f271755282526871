# lib/core.sh — the commands every module builds on.
TODO_FILE=${TODO_FILE:-$HOME/.todo}

core_hello() {
	echo "core: ready"
}

core_dispatch() {
	case "$1" in
	add) shift; printf '%s\n' "$*" >>"$TODO_FILE" ;;
	list) [ -f "$TODO_FILE" ] && cat -n "$TODO_FILE" ;;
	*) echo "todo: unknown command '$1'" >&2; return 2 ;;
	esac
}
