/* gitworker — the one thread that performs every mutating git operation, so
 * the dashboard's poll() loop never blocks on a 20,000-file checkout or a
 * validation run. Jobs are queued in order; progress, validation output and
 * results come back as messages signalled through one file descriptor:
 *
 *   struct gitworker *w = gitworker_start(repo_dir, &e);
 *   gitworker_wt_add(w, base, branch, id, my_ptr);   // returns a job id
 *   poll on gitworker_fd(w) (POLLIN) among the other fds;
 *   when readable: while ((m = gitworker_next(w))) { ...; gw_msg_free(m); }
 *   gitworker_stop(w);
 *
 * Each job opens its own repository handle (libgit2 handles are not shared
 * between threads) and closes it at the end. Mutating steps hold the
 * repository lock (.shoal/git.lock, also across processes); a merge releases it
 * while its validation runs, so a second worker (e.g. one for merges, one
 * for worktrees) can make progress meanwhile. One worker is the simple
 * default. */
#ifndef SHOAL_GITWORKER_H
#define SHOAL_GITWORKER_H

#include <stddef.h>

#include "gitdiff.h"
#include "gitrepo.h"
#include "gitwt.h"
#include "merge.h"

enum gw_msg_kind {
	GW_PROGRESS, /* checkout progress: what, path, done/total */
	GW_OUTPUT,   /* validation output chunk: text (n bytes) */
	GW_DONE,     /* the job finished: rc, err, result */
};

enum gw_op { GW_CUSTOM, GW_WT_ADD, GW_WT_START, GW_WT_REMOVE, GW_WT_PRUNE, GW_MERGE, GW_MERGE_WAVE, GW_MERGE_INTO };

struct gw_msg {
	enum gw_msg_kind kind;
	unsigned job;     /* the id gitworker_* returned */
	enum gw_op op;
	void *ud;         /* the caller's pointer given at submission */
	const char *what; /* GW_PROGRESS: "worktree", "validation worktree", "main worktree" */
	char *text;       /* GW_PROGRESS: path; GW_OUTPUT: output bytes (NUL-terminated) */
	size_t n;         /* GW_OUTPUT: bytes in text */
	size_t done, total;
	int rc;           /* GW_DONE: 0 or -1 */
	struct err err;   /* GW_DONE with rc < 0 */
	/* GW_DONE result, owned by the message (freed by gw_msg_free):
	 *   GW_WT_ADD      struct gitwt_add_result (GW_WT_START too)
	 *   GW_WT_REMOVE   struct gitwt_remove_result
	 *   GW_WT_PRUNE    int (entries removed) in rc when >= 0
	 *   GW_MERGE       struct merge_result
	 *   GW_MERGE_WAVE  struct gw_wave_result
	 *   GW_MERGE_INTO  struct merge_into_result
	 *   GW_CUSTOM      whatever the job function returned (freed with its free_result) */
	void *result;
	void (*free_result)(void *);
};

struct gw_wave_result {
	struct merge_result *res; /* n entries; the first `done` were attempted */
	int n, done;
};

struct gitworker;
struct gw_ctx; /* handed to job functions */

/* Starts the worker for the repository containing dir (NULL = "."): checks
 * that it opens (same rules as gitrepo_open) and starts the thread. */
struct gitworker *gitworker_start(const char *dir, struct err *e);
/* Cancels the running job's validation, stops after that job (jobs still
 * queued are dropped, unreported),
 * joins the thread and frees everything, unread messages included. */
void gitworker_stop(struct gitworker *w);
/* Cancels the running job's validation, if any (it ends as
 * MERGE_CANCELLED, nothing changed). gitworker_stop does it too. */
void gitworker_cancel(struct gitworker *w);
/* Readable (POLLIN) whenever messages are waiting. */
int gitworker_fd(const struct gitworker *w);
/* The next message, or NULL when none is waiting (never blocks). */
struct gw_msg *gitworker_next(struct gitworker *w);
void gw_msg_free(struct gw_msg *m);
/* Jobs not yet finished (queued or running). */
int gitworker_pending(struct gitworker *w);

/* Typed jobs. Strings are copied; items too. Each returns the job id. */
unsigned gitworker_wt_add(struct gitworker *w, const char *base, const char *branch, const char *id,
			  void *ud);
/* gitwt_start (orch_ops.start_worktree); result: struct gitwt_add_result. */
unsigned gitworker_wt_start(struct gitworker *w, const char *base, const char *branch,
			    const char *id, int fresh, void *ud);
unsigned gitworker_wt_remove(struct gitworker *w, const char *base, const char *id, int force,
			     void *ud);
unsigned gitworker_wt_prune(struct gitworker *w, void *ud);
/* o->output/progress/ud are ignored: output and progress come as messages. */
unsigned gitworker_merge(struct gitworker *w, const char *base, const char *branch,
			 const struct merge_opts *o, void *ud);
unsigned gitworker_merge_wave(struct gitworker *w, const char *base,
			      const struct merge_wave_item *items, int n, const struct merge_opts *o,
			      void *ud);
unsigned gitworker_merge_into(struct gitworker *w, const char *base, const char *branch, void *ud);

/* A custom job: fn runs on the worker thread with a freshly opened repo. */
typedef int (*gw_fn)(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result,
		     struct err *e);
unsigned gitworker_submit(struct gitworker *w, gw_fn fn, void *arg, void (*free_arg)(void *),
			  void (*free_result)(void *), void *ud);
/* For job functions: post progress (throttled to ~20/s) or output. */
void gw_progress(struct gw_ctx *c, const char *what, const char *path, size_t done, size_t total);
void gw_output(struct gw_ctx *c, const char *text, size_t n);

#endif
