/* merge — merging task branches into the base branch safely: an in-memory
 * preview, the merge commit built without moving any ref, validation in a
 * temporary detached worktree, the main worktree updated only when clean,
 * the base ref moved last with compare-and-swap. Also wave merges (in the
 * given order, stopping at the first problem) and merging base into a task
 * branch inside its worktree (conflict help). */
#ifndef SHOAL_MERGE_H
#define SHOAL_MERGE_H

#include <stddef.h>

#include "gitrepo.h"

enum merge_kind {
	MERGE_FASTFORWARD,
	MERGE_CLEAN,
	MERGE_CONFLICT,
	MERGE_UP_TO_DATE, /* already merged */
	MERGE_UNRELATED,  /* no merge base: refused */
};
const char *merge_kind_name(enum merge_kind k);

struct merge_preview {
	enum merge_kind kind;
	char base_tip[41], task_tip[41];
	char **conflicts; /* NULL-terminated paths when kind == MERGE_CONFLICT */
	int nconflicts;
	int ahead;        /* task commits not in base */
};

/* Previews merging branch into base, in memory: touches no working
 * directory, index or ref. */
int merge_preview(struct gitrepo *r, const char *base, const char *branch,
		  struct merge_preview *p, struct err *e);
void merge_preview_free(struct merge_preview *p);

enum merge_outcome {
	MERGE_MERGED,       /* base moved to the new tip */
	MERGE_ALREADY,      /* nothing to do */
	MERGE_DRY_RUN,      /* dry run: would merge */
	MERGE_CONFLICTED,   /* refused: conflicts (preview.conflicts) */
	MERGE_REFUSED,      /* unrelated histories, base checked out elsewhere ... */
	MERGE_MAIN_DIRTY,   /* refused: main worktree has changes / index.lock */
	MERGE_INVALID,      /* validation failed */
	MERGE_BASE_MOVED,   /* base moved meanwhile; nothing changed */
	MERGE_FAILED,       /* other error */
	MERGE_CANCELLED,    /* validation cancelled (*opts.cancel set); nothing changed */
};
const char *merge_outcome_name(enum merge_outcome o);
/* A stable key for state files and orch_merge_done: "merged" (MERGED and
 * ALREADY), "conflict", "invalid", "base-moved", "main-dirty", "refused",
 * "cancelled", "dry-run", "error". */
const char *merge_outcome_key(enum merge_outcome o);

struct merge_opts {
	const char *id;       /* task id: names the log file (.shoal/logs/merge-<id>.log) */
	const char *validate; /* shell command, or NULL / "" for none */
	int dry_run;
	/* Validation output, as it comes (may be NULL). */
	void (*output)(const char *text, size_t n, void *ud);
	/* Checkout progress of the temporary and main worktrees (may be NULL). */
	void (*progress)(const char *what, const char *path, size_t done, size_t total, void *ud);
	void *ud;
	/* When *cancel becomes non-zero, a running validation is stopped
	 * (SIGTERM to its process group, SIGKILL 2 s later). May be NULL. */
	const volatile int *cancel;
};

struct merge_result {
	enum merge_outcome outcome;
	struct merge_preview preview;
	char new_tip[41];      /* the merge commit (task tip when fast-forward, base tip
				* when already merged) */
	int identity_fallback; /* committed as shoal <shoal@localhost> */
	int validated;         /* validation ran */
	int validate_status;   /* its exit status (or 128+signal) */
	char *log_path;        /* validation log, or NULL */
	int main_updated;      /* the main worktree's files were updated */
	char msg[1024];        /* why, when outcome is not MERGED/ALREADY/DRY_RUN */
};

/* Merges branch into base. Returns 0 for MERGED, ALREADY and DRY_RUN, else
 * -1 with res->outcome and res->msg (and e) telling why; in every -1 case
 * the base ref, the main worktree and the task worktrees are as before. */
int merge_task(struct gitrepo *r, const char *base, const char *branch, const struct merge_opts *o,
	       struct merge_result *res, struct err *e);
void merge_result_free(struct merge_result *res);

struct merge_wave_item {
	const char *id;
	const char *branch;
};
/* Merges items in the given order (callers put dependencies first),
 * validating after each, stopping at the first that does not merge.
 * res gets n entries; *done is how many were attempted. Dry runs chain the
 * previews in memory (each on top of the previous one's result). */
int merge_wave(struct gitrepo *r, const char *base, const struct merge_wave_item *items, int n,
	       const struct merge_opts *o, struct merge_result *res, int *done, struct err *e);

enum merge_into_outcome { INTO_UP_TO_DATE, INTO_FASTFORWARD, INTO_MERGED, INTO_CONFLICTS };
struct merge_into_result {
	enum merge_into_outcome outcome;
	char *worktree;
	char **conflicts; /* NULL-terminated, INTO_CONFLICTS */
	int nconflicts;
	int identity_fallback;
};
/* Merges base into branch inside the branch's worktree, leaving conflict
 * markers (and MERGE_HEAD) there when it conflicts. Refuses a worktree with
 * uncommitted tracked changes or an operation already in progress. */
int merge_into_task(struct gitrepo *r, const char *base, const char *branch,
		    struct merge_into_result *res, struct err *e);
void merge_into_result_free(struct merge_into_result *res);

#endif
