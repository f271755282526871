/* runner — the live engine of one run, for one repository and one plan,
 * shared by the headless `shoal run` and the dashboard. It owns:
 *   - the repository lock (.shoal/lock: one shoal per repository; a dead
 *     owner's lock is taken over),
 *   - the orchestrator (include/orch.h) and its orch_ops implementation,
 *   - the git worker thread (worktrees, merges, validation: never on the
 *     caller's thread),
 *   - the control socket (.shoal/ctl.sock: `shoal mark`, `shoal send`),
 *   - one live agent per started task: a PTY child (ptyproc.h) whose output
 *     is appended to .shoal/logs/<id>.log (capped at RUNNER_LOG_MAX, rotated
 *     once to <id>.log.1) and fed to a terminal (term.h), whose title and
 *     screen lines drive the status detection and which the dashboard draws,
 *   - SIGCHLD handling (a self-pipe; children are reaped by the runner).
 *
 * The caller owns the single poll() loop:
 *
 *   struct runner *r = runner_open(plan, repo_root, &opts, &e);
 *   for (;;) {
 *       int n = runner_pollfds(r, pfd, max);       // + the caller's own fds
 *       poll(pfd, n, runner_timeout_ms(r, util_now_ms()));
 *       runner_handle(r, pfd, n, util_now_ms());    // reads, reaps, timers
 *       while ((ev = runner_event_next(r))) ...;    // state changes, merge output
 *   }
 *   runner_close(r);
 *
 * runner_timeout_ms is -1 (sleep until an fd is ready) when no agent is live
 * and nothing is pending: zero wakeups when idle. Everything happens on the
 * caller's thread except git work. One runner per process (the SIGCHLD
 * handler is process-wide; runner_open installs it and runner_close puts the
 * previous one back). A caller that replaces it loses nothing but latency:
 * every runner_handle also polls its children (waitpid WNOHANG), and the
 * status timer wakes it every RUNNER_EVAL_MS while agents are live.
 *
 * Quitting (runner_close) kills the live agents (SIGHUP, SIGTERM, then
 * SIGKILL after a grace period) WITHOUT reporting their end to the orch: the
 * state keeps them live, and the next run finds them "interrupted" and can
 * resume them (runner_resume_interrupted). */
#ifndef SHOAL_RUNNER_H
#define SHOAL_RUNNER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "gitworker.h"
#include "orch.h"
#include "plan.h"
#include "status.h"
#include "task.h"
#include "term.h"
#include "util.h"

#define RUNNER_ROWS_DEFAULT 40
#define RUNNER_COLS_DEFAULT 120
#define RUNNER_LOG_MAX (8u * 1024 * 1024) /* per agent log, then rotated once */
#define RUNNER_EVAL_MS 250                /* status evaluation period while agents are live */
#define RUNNER_FLUSH_MS 1000              /* lazy state saves */
#define RUNNER_STOP_GRACE_MS 3000         /* SIGTERM → SIGKILL */
#define RUNNER_READ_BUDGET (64 * 1024)    /* bytes per agent per turn */
#define RUNNER_REPORT_DEFAULT "SHOAL_REPORT.md"
#define RUNNER_EVENTS_MAX 4096            /* queued events; beyond, the oldest are dropped */

struct runner;

enum runner_ev_kind {
	RUNNER_EV_TASK,     /* a task changed state: from, to, text = reason */
	RUNNER_EV_OUTPUT,   /* a line of validation output of task's merge (text, no newline) */
	RUNNER_EV_PROGRESS, /* git progress (worktree / validation checkout): text */
	RUNNER_EV_INFO,     /* information: "report saved to ...", "base merged into ..." */
	RUNNER_EV_ERROR,    /* something failed: text */
};

struct runner_event {
	enum runner_ev_kind kind;
	int task;                 /* task index, -1 when none */
	enum task_state from, to; /* RUNNER_EV_TASK */
	int64_t time_ms;          /* wall clock, ms since the epoch */
	char *text;               /* never NULL; owned by the runner */
};
/* "kind" names: "task", "output", "progress", "info", "error". */
const char *runner_ev_kind_name(enum runner_ev_kind k);

struct runner_opts {
	const char *plan_path;  /* as recorded in state.json (default: plan->path) */
	int rows, cols;         /* initial agent terminal size (0: the defaults above) */
	int scrollback;         /* lines kept per agent terminal (<0: grid default, 0: none) */
	int no_ctl;             /* 1: do not listen on the control socket */
	/* Optional: every event, as it happens (also queued for
	 * runner_event_next unless queue_off). */
	void (*on_event)(void *ud, const struct runner_event *ev);
	void *ud;
	int queue_off;          /* 1: do not queue events (on_event only) */
};

/* Takes the repository lock ("another shoal (pid N) is running in this
 * repository ..." when taken), checks the plan against the saved state
 * (see runner_plan_changes), starts the orch (resuming .shoal/state.json),
 * the git worker and the control socket. p is borrowed: keep it alive until
 * runner_close. repo_root is the main worktree's top directory. NULL with e
 * on failure (nothing left running, the lock released). */
struct runner *runner_open(struct plan *p, const char *repo_root, const struct runner_opts *o,
			   struct err *e);
/* Kills live agents (not reported: they come back as interrupted), stops the
 * git worker (a running validation is cancelled; the base is never left half
 * merged), closes the control socket, saves the state, releases the lock. */
void runner_close(struct runner *r);

/* ---- the event loop ---- */

/* How many pollfds runner_pollfds may fill at most (size your array). */
int runner_pollfds_max(const struct runner *r);
/* Fills pfd with the fds the runner needs watched; returns how many. */
int runner_pollfds(struct runner *r, struct pollfd *pfd, int max);
/* Serves what is ready among pfd[0..n) (as filled by runner_pollfds and
 * poll()) and runs the timers that are due; n may be 0 (timers only). */
void runner_handle(struct runner *r, const struct pollfd *pfd, int n, int64_t now_ms);
/* Milliseconds until the next timer (0: due now), or -1 when none: status
 * evaluation every RUNNER_EVAL_MS while agents are live, the lazy state
 * save, a stop's SIGKILL deadline. now_ms: util_now_ms(). */
int runner_timeout_ms(const struct runner *r, int64_t now_ms);

/* The next queued event, or NULL. Valid until the next call (or close). */
const struct runner_event *runner_event_next(struct runner *r);

/* ---- what the UI shows ---- */

struct orch *runner_orch(struct runner *r);
const struct plan *runner_plan(const struct runner *r);
const char *runner_shoal_dir(const struct runner *r);
const char *runner_repo(const struct runner *r);
/* The base branch the tasks branch from and merge into (resolved at open). */
const char *runner_base(const struct runner *r);
/* The terminal of task i's agent (kept after it exits, replaced when it is
 * started again), or NULL when it never ran in this process. The caller may
 * read its grid and title, and call term_key/term_char/term_paste/
 * term_mouse_* on it (then runner_term_input). */
struct term *runner_term(struct runner *r, int i);
/* 1 while task i's process is alive (not reaped yet). */
int runner_task_alive(const struct runner *r, int i);
/* Resizes task i's terminal and PTY (no-op when it has none). */
void runner_resize_task(struct runner *r, int i, int rows, int cols);
/* Live agents (processes not reaped), git jobs not finished. */
int runner_live_agents(const struct runner *r);
int runner_git_pending(struct runner *r);
/* The plan changes found at open against the state's last plan (tasks
 * added / removed, dependencies changed), one per line, or NULL when the
 * plan is the same (or there was no state). */
const char *runner_plan_changes(const struct runner *r);
/* .shoal/reports/<id>.md when task i has a saved completion report, else
 * NULL (caller frees). */
char *runner_report_path(const struct runner *r, int i);

/* ---- input to an agent ---- */

/* Writes bytes to task i's PTY as if typed (orch_input is called).
 * -1 with e when it has no live process. */
int runner_send_bytes(struct runner *r, int i, const char *bytes, size_t n, struct err *e);
/* Encodes a key / character through task i's terminal and sends it. */
int runner_send_key(struct runner *r, int i, enum term_key key, unsigned mods, struct err *e);
int runner_send_char(struct runner *r, int i, uint32_t cp, unsigned mods, struct err *e);
int runner_paste(struct runner *r, int i, const char *utf8, size_t n, struct err *e);
/* After the caller used term_* input functions on runner_term(r, i)
 * directly: sends what the terminal produced and counts it as input. */
void runner_term_input(struct runner *r, int i);

/* ---- operator actions (0, or -1 with e saying why not) ---- */

int runner_next_wave(struct runner *r, struct err *e);
int runner_start_task(struct runner *r, int i, struct err *e);
/* SIGTERM now, SIGKILL after RUNNER_STOP_GRACE_MS if still alive. */
int runner_stop_task(struct runner *r, int i, struct err *e);
int runner_restart_task(struct runner *r, int i, struct err *e); /* same worktree */
int runner_resume_task(struct runner *r, int i, struct err *e);  /* profile's resume argv */
int runner_retry_task(struct runner *r, int i, struct err *e);   /* new worktree */
int runner_skip_task(struct runner *r, int i, struct err *e);
int runner_mark_task(struct runner *r, int i, enum status_mark m, struct err *e);
int runner_merge_task(struct runner *r, int i, struct err *e);
int runner_merge_wave(struct runner *r, struct err *e);
/* Merges the base into task i's branch inside its worktree (conflict help);
 * the outcome comes as an INFO or ERROR event. */
int runner_merge_base_into(struct runner *r, int i, struct err *e);
/* Starts every interrupted task again in its worktree: with the profile's
 * resume argv when it has one, else its normal argv; an interrupted task
 * without a worktree is retried, up to max_workers live tasks (call it
 * again when workers are free). Returns how many were started; failures
 * come as ERROR events, and a task that could not be resumed is not tried
 * again (it stays interrupted for the operator). */
int runner_resume_interrupted(struct runner *r);
/* ---- read-only git work for the UI (previews, diffs) ---- */

/* Called on the caller's thread, inside runner_handle, when a job of
 * runner_git_job ends: rc and e as the job function returned them, *result
 * its result (set *result = NULL to keep it; otherwise it is freed with
 * the job's free_result after the call). */
typedef void (*runner_git_done)(void *ud, unsigned job, int rc, void **result,
				const struct err *e);
/* Queues fn on the git worker (after the jobs already queued: a merge's
 * validation delays it) with its own repository handle; fn must only read.
 * arg is freed with free_arg on the worker. Returns the job id (also given
 * to done). Jobs still queued at runner_close are dropped without a call. */
unsigned runner_git_job(struct runner *r, gw_fn fn, void *arg, void (*free_arg)(void *),
			void (*free_result)(void *), runner_git_done done, void *ud);

/* ---- a new plan for the live run (the dashboard's reload) ---- */

/* 0 when the live run can switch to plan np; -1 with e saying why not: git
 * work in progress (a merge, a worktree being made), a started task removed
 * or rewired (plandiff_check_live), a removed task's process still alive. */
int runner_replan_check(struct runner *r, const struct plan *np, struct err *e);
/* Switches to plan np (borrowed from now on, like the plan given to
 * runner_open; the previous one may be freed once this returns 0): agents
 * keep running with their terminals, new tasks start pending (and start by
 * the usual rules: an open wave's new task is scheduled), removed tasks
 * (never started) are forgotten, .shoal/state.json records np's hash and
 * .shoal/plan.json its text, so a restart resumes without a plan change.
 * Fills from[j] (np->ntasks entries) with the previous index of np's task j,
 * or -1 for a new task, so the caller can remap its own per-task data.
 * -1 with e, nothing changed. */
int runner_replan(struct runner *r, struct plan *np, int *from, struct err *e);

/* Stops every live agent (runner_stop_task on each). */
void runner_stop_all(struct runner *r);

#endif
