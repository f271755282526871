/* orch — the task lifecycle engine: which tasks may start (the DAG's ready
 * set, wave gating, the max_workers queue in plan order), the transitions of
 * every task (each one checked against task.h's table, logged to
 * .shoal/logs/events.jsonl, handed to the UI, and persisted to
 * .shoal/state.json — at once, or for running/idle/waiting flips at the next
 * orch_flush), marks, stop / skip / restart / retry, and the merge
 * sequence (dependency order, one at a time, stopped by a conflict or a
 * failed validation).
 *
 * It owns no process and no repository: worktrees, processes and merges go
 * through struct orch_ops, implemented by the git engine (worktrees, merges:
 * asynchronous, completed by orch_worktree_done / orch_merge_done when the
 * git worker posts its result) and the terminal engine (spawn in a PTY, kill;
 * exits reported with orch_exited; status signals with orch_status). Every
 * call happens on the event-loop thread.
 *
 * Waves mode: nothing starts until the operator opens a wave (orch_next_wave,
 * key n); wave k+1 can be opened once every task of wave k is merged or
 * skipped (auto_advance opens it by itself). DAG mode: after the first
 * orch_next_wave, a task starts as soon as all its dependencies are merged
 * or skipped. Either way at most max_workers tasks are live (starting,
 * running, idle, waiting-input); the others wait in plan order.
 *
 * Environment of every agent: the parent's, without CLAUDECODE (a child
 * claude refuses to start inside another Claude Code session; the spawner
 * strips it), plus
 *   SHOAL_TASK_ID SHOAL_TASK_TITLE SHOAL_WORKTREE SHOAL_BRANCH SHOAL_BASE
 *   SHOAL_PLAN SHOAL_REPO SHOAL_PROMPT_FILE
 * then the task's own "env" entries. The expanded prompt is also written to
 * .shoal/prompts/<id>.md ({prompt_file}).
 *
 * Putting it together (the dashboard's main, or a headless `shoal run`):
 *   state_mkdirs(".shoal") ; state_lock_acquire(&lock, ".shoal")  -- one per repo
 *   orch_init(&o, plan, &ops, &paths)       -- resumes .shoal/state.json
 *   ctl_listen(&ctl, ".shoal")              -- after the lock: replaces stale sockets
 *   loop: poll(ctl_pollfds + PTYs + git worker pipe + ...)
 *         ctl_handle(&ctl, pfds, n, orch_ctl_handle, &o)
 *         PTY read -> orch_output ; typed keys -> orch_input
 *         timer (~4 Hz) -> orch_evaluate(title, screen lines) per live task;
 *         timer (~1 Hz) -> orch_flush
 *         child reaped -> orch_exited ; git results -> orch_worktree_done /
 *         orch_merge_done ; keys n s m M d x r R S -> orch_* actions
 *   exit: ctl_close ; orch_free (flushes) ; state_lock_release */
#ifndef SHOAL_ORCH_H
#define SHOAL_ORCH_H

#include <stdint.h>

#include "dag.h"
#include "plan.h"
#include "state.h"
#include "status.h"
#include "task.h"
#include "util.h"

struct orch_ops {
	void *ud;
	/* Creates the task's worktree and branch from the base tip (fresh: an
	 * existing one is discarded first: retry from scratch). Asynchronous:
	 * completes with orch_worktree_done(). -1 with e if it cannot start. */
	int (*start_worktree)(void *ud, int task, const char *branch, int fresh, struct err *e);
	/* Starts argv in cwd in a PTY with env (NULL-terminated "NAME=VALUE")
	 * set on top of the parent's environment, from which the spawner removes
	 * the variables that break nested agents (CLAUDECODE ...: ptyproc's
	 * pty_env_strip); returns its pid in *pid. */
	int (*spawn)(void *ud, int task, char *const *argv, char *const *env, const char *cwd,
		     int *pid, struct err *e);
	/* Sends sig to the task's process. */
	void (*kill)(void *ud, int task, int pid, int sig);
	/* Merges the task's branch into the base: preview, merge commit,
	 * validation, ref update (git engine). Asynchronous: completes with
	 * orch_merge_done(). -1 with e if it cannot start. */
	int (*merge)(void *ud, int task, const char *branch, struct err *e);
	/* Writes bytes to the task's PTY, as if typed (`shoal send`). */
	int (*send)(void *ud, int task, const char *bytes, size_t n, struct err *e);
	/* Optional: types text into the task's agent as one prompt and submits
	 * it with Enter (a bracketed paste when the agent enabled it, so a
	 * multi-line prompt stays one message). NULL: send(text) then "\r". */
	int (*type)(void *ud, int task, const char *text, size_t n, struct err *e);
	/* Optional: every transition, after it is persisted. */
	void (*event)(void *ud, const struct task_event *ev);
};

struct orch_paths {
	const char *shoal_dir; /* <repo>/.shoal (created if missing) */
	const char *repo;      /* the main worktree's root (SHOAL_REPO) */
	const char *plan_path; /* as recorded in state.json */
	const char *plan_hash; /* state_hash_file() of the plan */
};

struct orch_task {
	enum task_state st;
	char *branch;
	char *worktree;   /* once created */
	int pid;          /* live process, 0 = none */
	int manual;       /* started by hand: ignores the wave gate */
	int fresh;        /* next worktree must be made anew (retry) */
	int needs_setup;  /* the worktree is new: copy/symlink/setup before the agent */
	enum status_mark mark;
	int mark_alive;
	int64_t mark_ms;
	int64_t last_input_ms;          /* last input sent to the agent */
	struct status_activity act;     /* output activity of the current process */
	struct status_rules rules;      /* the task's profile's status rules */
};

struct orch {
	struct plan *plan; /* borrowed */
	struct dag g;
	struct orch_ops ops;
	struct orch_task *t;
	struct state st;
	char *shoal_dir, *repo, *plan_path;
	char *state_path, *events_path;
	int wave_open;     /* waves mode: highest wave opened by the operator */
	int started;       /* dag mode: the run was started */
	int *mq;           /* merge queue (task indices, in order) */
	int nmq;
	int merging;       /* task being merged, or -1 */
	const char *const *environ_base; /* NULL = environ */
	const char *path_env;            /* PATH used to find programs; NULL = getenv */
	int dirty;         /* state changes not saved yet (see orch_flush) */
	int plan_changed;  /* the plan's bytes differ from the last run's (tasks matched by id) */
	struct err last_err; /* the last persistence / ops error, for the UI */
	int nerrors;
};

/* Sets up the engine for plan p: loads .shoal/state.json if there is one
 * (another plan's state, or a corrupt file, is an error and is left alone),
 * turns tasks that were live into "interrupted" and half-done merges back
 * into "done", and saves the state. */
int orch_init(struct orch *o, struct plan *p, const struct orch_ops *ops,
	      const struct orch_paths *paths, struct err *e);
void orch_free(struct orch *o);
/* Switches the live run to plan np (borrowed from now on; the old plan may
 * be freed afterwards). from[j] is the index in the current plan of np's
 * task j, or -1 for a new task. Tasks keep their state, branch, worktree
 * and process; a task not started yet gets its branch and status rules
 * from np; tasks gone from np (the caller checked that none had started:
 * plandiff_check_live) are forgotten, also in the state; the merge queue
 * follows the tasks; plan_hash (may be NULL) is recorded and the state
 * saved. Nothing starts: call orch_schedule after the engines remapped
 * their own per-task data. -1 with e (nothing changed) when a new status
 * rule does not compile. */
int orch_replan(struct orch *o, struct plan *np, const int *from, const char *plan_hash,
		struct err *e);

/* Opens the next wave (waves mode) or starts the run (dag mode), then
 * schedules. -1 with e when the current wave is not finished yet or all
 * waves are done. */
int orch_next_wave(struct orch *o, struct err *e);
/* Starts what may start, up to max_workers. Called after every change by
 * the functions below; callable any time. */
void orch_schedule(struct orch *o);
/* Starts task i now (key s) if its dependencies are merged or skipped,
 * beyond the wave gate; it still waits for a free worker. */
int orch_start(struct orch *o, int i, struct err *e);

/* Completions and signals from the engines. */
void orch_worktree_done(struct orch *o, int i, const char *path, const char *error);
void orch_exited(struct orch *o, int i, int exit_code, int term_signal);
/* The status computed by status_eval for a live task (running / idle /
 * waiting-input transitions). */
void orch_status(struct orch *o, int i, const struct status_out *s);
void orch_merge_done(struct orch *o, int i, const char *outcome, const char *commit,
		     const char *detail);

/* Operator actions. */
int orch_mark(struct orch *o, int i, enum status_mark m, struct err *e);
int orch_stop(struct orch *o, int i, struct err *e);
int orch_skip(struct orch *o, int i, struct err *e);
int orch_restart(struct orch *o, int i, struct err *e); /* same worktree */
/* Same worktree, with the profile's resume argv (e.g. claude --continue):
 * for interrupted tasks, so the agent picks up its conversation. */
int orch_resume(struct orch *o, int i, struct err *e);
int orch_retry(struct orch *o, int i, struct err *e);   /* new worktree from the base tip */
/* Hands a merge conflict in task i's worktree (left there by merging base
 * into its branch) to its agent, with the plan's resolve_prompt expanded
 * ({files}: files, {base}: base): when its agent still runs (idle, waiting
 * for input, or marked done), the prompt is typed into its terminal and the
 * task goes back to running; when it has exited, it is started again in
 * its worktree with the resolve prompt instead of the task's prompt
 * (starting, then running). Either way it ends done (or failed) as usual,
 * and is merged again by the operator. -1 with e when it is busy (starting,
 * running), has nothing to resolve, or no worker is free. */
int orch_resolve(struct orch *o, int i, const char *base, const char *files, struct err *e);
int orch_merge(struct orch *o, int i, struct err *e);
int orch_merge_wave(struct orch *o, struct err *e);

/* Status signals from the terminal engine, with monotonic now_ms:
 * orch_output on every read from the task's PTY; orch_input whenever input
 * is sent to it (keys typed by the operator); orch_evaluate on a timer
 * (a few times a second is plenty) with the pane's title and screen lines,
 * which runs status_eval with the task's rules and marks and applies the
 * result (orch_status). */
void orch_output(struct orch *o, int i, int64_t now_ms);
void orch_input(struct orch *o, int i, int64_t now_ms);
void orch_evaluate(struct orch *o, int i, int64_t now_ms, const char *title,
		   const char *const *lines, int nlines);

/* The control-socket handler (ctl_handler): mark and send requests from
 * `shoal mark` / `shoal send`, answered with a message. ud is the orch. */
struct ctl_req;
struct ctl_reply;
void orch_ctl_handle(void *ud, const struct ctl_req *r, struct ctl_reply *reply);

/* Saves state.json if changes wait: transitions among running, idle and
 * waiting-input are logged at once but saved lazily (they are frequent, and
 * a save costs an fsync: tests/bench/bench_state.c); call it from a ~1 s
 * timer. orch_free flushes too. */
void orch_flush(struct orch *o);

/* The number of live tasks (starting, running, idle, waiting-input). */
int orch_live(const struct orch *o);
/* The lowest wave with a task neither merged nor skipped (nwaves + 1 when
 * all are). */
int orch_current_wave(const struct orch *o);
/* The task index by id, or -1. */
int orch_find(const struct orch *o, const char *id);

/* The argv that prepares a new worktree and then becomes the agent: when the
 * plan has "copy", "symlink" or "setup", argv wrapped in
 *   sh -c SCRIPT shoal-setup REPO NCOPY COPY... NLINK LINK... SETUP -- ARGV...
 * which copies (cp -R) or symlinks each listed path from the main worktree
 * REPO into the new worktree (never over an existing file; a listed path
 * missing from REPO is an error, exit 97), runs SETUP with sh -c (its
 * failure is reported in the pane and ends the run with its status), then
 * execs the agent. The work happens in the child, in the pane, not on the
 * UI thread (copying node_modules takes a while). Without them, a copy of
 * argv. Caller frees (strv_free). */
strv orch_setup_argv(const struct plan *p, const char *repo, char *const *argv);

/* The environment of task i's agent: with full = 0 only what shoal sets
 * (SHOAL_* and the task's "env"), as handed to ops->spawn; with full = 1
 * the complete environment (the parent's, or environ_base, without
 * CLAUDECODE and stale SHOAL_* variables, plus those). Caller frees
 * (strv_free). */
strv orch_task_env(const struct orch *o, int i, const char *prompt_file, int full);
/* The argv of task i's agent with placeholders expanded ({prompt} is the
 * expanded prompt_template); NULL with e when it has no command and no
 * profile. Caller frees (strv_free). */
strv orch_task_argv(const struct orch *o, int i, const char *prompt_file, struct err *e);

#endif
