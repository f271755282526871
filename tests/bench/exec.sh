#!/bin/sh
# Terminal-engine benchmarks (term-screen): shoal exec against tmux (a
# private server, -f /dev/null, status line off) and the raw pty, each run
# inside a 200x50 pseudo-terminal that ptydrive drains. Completion is a
# marker printed after the payload and seen in what the program draws
# ("ZQXJ<n>DONE": printed with printf so the command line itself, shown in
# titles, never contains it). Prints one table row per benchmark.
# usage: tests/bench/exec.sh BUILD
#   ONLY=WORDS: run only the benchmarks named by these words (any of:
#   cat seq four echo idle rss), e.g. ONLY="seq four"; ROUNDS=N rounds.
set -u
ONLY=${ONLY:-cat seq four echo idle rss}
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
build=$1
D=$build/bench/ptydrive
S=$build/shoal
W=$(mktemp -d "${TMPDIR:-/tmp}/shoal-bench.XXXXXX")
TM="tmux -L shoal-bench-$$ -f /dev/null"
cleanup() {
	$TM kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/shoal-bench-$$"
	rm -rf "$W"
}
trap cleanup EXIT
QUIT='\x07q'
fail=0

command -v tmux >/dev/null || { echo "exec bench: tmux not installed"; exit 1; }
$D --gen-sgr "$W/sgr50" 50 && $D --gen-sgr "$W/sgr12" 12 || exit 1
pane() { # FILE CMD: a pane script that runs CMD then prints marker N
	printf '%s\nprintf "ZQXJ%%sDONE\\n" %s\nexec sleep 1000\n' "$2" "$3" >"$W/$1"
}
pane cat50.sh "cat $W/sgr50" 1
pane seq.sh "seq 1 3000000" 1
for i in 1 2 3 4; do pane "four$i.sh" "cat $W/sgr12" "$i"; done
pane sb.sh "seq 1 100000" 1
printf 'printf "ZQXJ%%sREADY\\n" 2\nexec cat\n' >"$W/echo.sh"
printf 'exec yes flood-flood-flood\n' >"$W/flood.sh"
for i in $(seq 1 32); do printf 'printf "ZQXJ%%sIDLE\\n" %s\nexec sleep 1000\n' "$i" >"$W/idle$i.sh"; done

val() { sed -n "s/^$1 \([^ ]*\).*/\1/p"; }
# The smaller of two figures (a missing one loses): timings are noisy on a
# shared machine, so each is taken twice, interleaved, and the best kept.
best() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "") print b; else if (b == "") print a; else print (a + 0 < b + 0 ? a : b) }'; }
ROUNDS=${ROUNDS:-2}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
row() { printf '%-34s %10s %10s %10s %8s %8s  %s\n' "$@"; }
row "benchmark" "shoal" "tmux" "raw pty" "s/tmux" "s/raw" "target"

tmux_run() { # ptydrive args... -- then tmux new-session args
	$TM kill-server 2>/dev/null
	$D "$@"
	r=$?
	$TM kill-server 2>/dev/null
	return $r
}
# A detached tmux server with the given pane scripts tiled; prints its pid.
tmux_start() {
	$TM kill-server 2>/dev/null
	first=$1
	shift
	$TM start-server \; set -g history-limit "${HIST:-2000}" \; set -g status off \; \
		new-session -d -x 200 -y 50 "sh $W/$first" || return 1
	for s in "$@"; do
		$TM split-window "sh $W/$s" \; select-layout tiled >/dev/null || return 1
	done
	$TM display -p '#{pid}'
}

# --- throughput: time until the payload's last line is on screen ---
thru() { # NAME TARGET-TEXT MARKS... -- SCRIPTS...
	name=$1 target=$2
	shift 2
	marks="" scripts=""
	while [ "$1" != -- ]; do marks="$marks -m $1"; shift; done
	shift
	scripts="$*"
	sargs="" targs="" rargs=""
	first=1
	for s in $scripts; do
		if [ $first = 1 ]; then sargs="sh $W/$s" first=0; else sargs="$sargs ::: sh $W/$s"; fi
	done
	set -- $scripts
	first=$1
	shift
	tcmd="$TM new-session sh $W/$first ; set status off"
	for s in "$@"; do tcmd="$tcmd ; split-window sh $W/$s ; select-layout tiled"; done
	st="" tt="" rt=-
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		# shellcheck disable=SC2086
		st=$(best "$st" "$(nice $D $marks -q "$QUIT" -- $S exec -- $sargs | val time)")
		# shellcheck disable=SC2086
		tt=$(best "$tt" "$(IFS=' '; nice $D $marks -- $tcmd | val time)")
		$TM kill-server 2>/dev/null
		if [ $# -eq 0 ]; then
			rt=$(best "$( [ "$rt" = - ] || echo "$rt")" "$(nice $D $marks -- sh "$W/$first" | val time)")
		fi
	done
	row "$name (s)" "${st:-fail}" "${tt:-fail}" "$rt" "$(ratio "${st:-0}" "${tt:-0}")" \
		"$( [ "$rt" = - ] && echo - || ratio "${st:-0}" "$rt")" "$target"
	[ -n "$st" ] || fail=1
}
want cat && thru "cat 50 MiB SGR text, 1 pane" "<= 0.6x tmux" ZQXJ1DONE -- cat50.sh
want seq && thru "seq 1 3000000, 1 pane" "<= 1.1x raw" ZQXJ1DONE -- seq.sh
want four && thru "cat 12 MiB SGR x 4 panes at once" "<= 0.6x tmux" ZQXJ1DONE ZQXJ2DONE ZQXJ3DONE ZQXJ4DONE -- four1.sh four2.sh four3.sh four4.sh

# --- key echo latency while another pane floods ---
if want echo; then
se="" te=""
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	se=$(best "$se" "$(nice $D -m ZQXJ2READY -e 40 -q "$QUIT" -- $S exec --focus 2 -- sh "$W/flood.sh" ::: sh "$W/echo.sh" | val echo_median_ms)")
	te=$(best "$te" "$(nice $D -m ZQXJ2READY -e 40 -- $TM new-session sh "$W/flood.sh" \; set status off \; split-window -h sh "$W/echo.sh" | val echo_median_ms)")
	$TM kill-server 2>/dev/null
done
row "key echo during a flood, median (ms)" "${se:-fail}" "${te:-fail}" - "$(ratio "${se:-0}" "${te:-0}")" - "<= 0.5x tmux"
fi

# --- idle: wakeups over 10 s with 8 idle panes ---
if want idle; then
idle8="idle1.sh idle2.sh idle3.sh idle4.sh idle5.sh idle6.sh idle7.sh idle8.sh"
sargs="sh $W/idle1.sh"
for i in 2 3 4 5 6 7 8; do sargs="$sargs ::: sh $W/idle$i.sh"; done
# shellcheck disable=SC2086
sw=$($D -m ZQXJ8IDLE -w 10 -q "$QUIT" -- $S exec -- $sargs | val wakeups)
# shellcheck disable=SC2086
tpid=$(tmux_start $idle8)
tw=$($D -m ZQXJ8IDLE -w 10 -P "$tpid,0" -- $TM attach | val wakeups)
$TM kill-server 2>/dev/null
row "wakeups, 8 idle panes, 10 s" "${sw:-fail}" "${tw:-fail}" - - - "0"
fi

# --- memory ---
if want rss; then
sargs="sh $W/idle1.sh"
idle32="idle1.sh"
for i in $(seq 2 32); do sargs="$sargs ::: sh $W/idle$i.sh"; idle32="$idle32 idle$i.sh"; done
# shellcheck disable=SC2086
sm=$($D -m ZQXJ1IDLE -m ZQXJ32IDLE -R 0 -q "$QUIT" -- $S exec -- $sargs | val rss_kb)
# shellcheck disable=SC2086
tpid=$(tmux_start $idle32)
tm=$($D -m ZQXJ1IDLE -m ZQXJ32IDLE -R "$tpid,0" -- $TM attach | val rss_kb)
$TM kill-server 2>/dev/null
row "RSS, 32 idle panes (KiB)" "${sm:-fail}" "${tm:-fail}" - "$(ratio "${sm:-0}" "${tm:-0}")" - "<= 1.5x tmux"
sm=$(nice $D -m ZQXJ1DONE -R 0 -q "$QUIT" -- $S exec --scrollback 100000 -- sh "$W/sb.sh" | val rss_kb)
tpid=$(HIST=100000 tmux_start sb.sh)
tm=$($D -m ZQXJ1DONE -R "$tpid,0" -- $TM attach | val rss_kb)
$TM kill-server 2>/dev/null
row "RSS, 100k lines in scrollback (KiB)" "${sm:-fail}" "${tm:-fail}" - "$(ratio "${sm:-0}" "${tm:-0}")" - "<= 1.0x tmux"
fi
echo "(best of $ROUNDS interleaved runs for times; tmux RSS = server + client; shoal = its one process;"
echo " raw pty = the command under ptydrive alone; ROUNDS=N to change)"
exit $fail
