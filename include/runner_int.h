/* runner_int — the runner's private structures, shared by src/runner.c (the
 * loop, events, open/close) and src/runner_ops.c (orch_ops, agents, git
 * results, actions). Not for other modules: use include/runner.h. */
#ifndef SHOAL_RUNNER_INT_H
#define SHOAL_RUNNER_INT_H

#include <stdarg.h>

#include "ctl.h"
#include "ptyproc.h"
#include "runner.h"
#include "state.h"

struct gitworker;

struct agent {
	struct pty pty;      /* fd -1 when none */
	struct term *term;   /* kept after the process ends */
	int logfd;           /* .shoal/logs/<id>.log, -1 when closed */
	size_t logsz;
	int64_t kill_at;     /* SIGKILL deadline after a stop, 0 = none */
	int reported;        /* its exit was given to the orch */
	int orch_pid;        /* the pid handed to the orch */
	int resume_failed;   /* runner_resume_interrupted could not start it */
};

struct runner {
	struct runner_opts o;
	struct plan *p;
	struct orch orch;
	int orch_on, chld_on;
	struct gitworker *w;
	struct ctl_server ctl;
	struct state_lock lock;
	char *repo, *shoal, *base, *changes;
	struct agent *a;
	int rows, cols, sb;
	/* events */
	struct runner_event *q, cur;
	int qhead, qlen;
	unsigned long dropped;
	/* pollfd layout of the last runner_pollfds */
	int nctl, pfirst, npmap, *pmap, rr;
	int64_t next_eval, next_flush;
	/* read-only jobs for the UI (runner_git_job): done callbacks by job id */
	struct runner_ujob {
		unsigned id;
		runner_git_done done;
		void *ud;
	} *ujobs;
	int nujobs;
	/* the merge in progress: its task and its partial output line */
	int merge_task;
	struct sbuf mline;
};

void runner_ops_init(struct runner *r, struct orch_ops *ops);
void runner_emit(struct runner *r, enum runner_ev_kind kind, int task, enum task_state from,
		 enum task_state to, const char *text);
void runner_emitf(struct runner *r, enum runner_ev_kind kind, int task, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
/* Reads up to budget bytes of task i's output (log, terminal, activity). */
void runner_read_agent(struct runner *r, int i, size_t budget, int64_t now);
/* Reaps exited agents and reports them to the orch (after their output). */
void runner_reap(struct runner *r);
/* Handles every waiting git worker message. */
void runner_git_messages(struct runner *r);
void runner_agent_free(struct agent *a);

#endif
