#!/bin/sh
# make bench: runs every benchmark and prints its table. Each section is
# independent; a failing one is reported and the others still run.
# usage: tests/bench/run.sh BUILD
set -u
build=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
section() { echo; echo "=== $1"; }

# --- plans (foundation) ---
section "plan loading"
"$build/bench/bench_plan" || rc=1

# --- orchestrator ---
section "status detection"
"$build/bench/bench_status" || rc=1
section "persisting the run"
"$build/bench/bench_state" || rc=1
# --- git engine: worktrees, preview, diff on a 20,000-file repository ---
section "git engine (20,000 files)"
nice "$build/bench/bench_git" || rc=1

# --- dashboard: the next-wave key to 8 agents running (20,000 files) ---
section "next wave: 8 agents running vs 8 git worktree add (20,000 files)"
nice "$build/bench/bench_wave" || rc=1
# --- dashboard: sidebar and frame cost with 100 tasks ---
section "dashboard frames with 100 tasks"
nice "$build/bench/bench_frame" "$build/shoal" || rc=1
# --- end dashboard ---

# --- terminal engine: shoal exec vs tmux vs raw pty (term-screen) ---
section "terminal engine: shoal exec vs tmux (term-screen)"
sh "$top/tests/bench/exec.sh" "$build" || rc=1
# --- end term-screen ---
# --- term-core: terminal core throughput vs VTermScreen, scrollback memory ---
section "terminal core: VTermState + grid vs VTermScreen (term-core)"
nice "$build/bench/bench_term" "${BENCH_TERM_SCALE:-1}" || rc=1
# --- end term-core ---

exit $rc
