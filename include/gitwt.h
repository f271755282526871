/* gitwt — shoal's task worktrees: one branch <prefix><id> and one linked
 * worktree at <root>/.shoal/worktrees/<id> per task. Add (cleaning up after
 * every failure so a retry works), list (ahead/behind, dirty, locked,
 * stale), remove (refusing dirty or locked ones unless forced; deleting the
 * branch only when merged), prune stale entries, clean merged ones. */
#ifndef SHOAL_GITWT_H
#define SHOAL_GITWT_H

#include <stddef.h>

#include "gitrepo.h"

typedef void (*gitwt_progress_fn)(const char *path, size_t done, size_t total, void *ud);

struct gitwt_add_result {
	char *path;       /* the worktree directory */
	char head[41];    /* commit checked out */
	int reused;       /* the branch existed and was reused */
	int pruned_stale; /* a stale entry for the same task was pruned first */
	int existing;     /* gitwt_start: the worktree was already there */
	int discarded;    /* gitwt_start fresh: an old worktree/branch was discarded */
};

/* Creates branch (from base's tip, unless it exists and no worktree holds
 * it) and the worktree for task id. */
int gitwt_add(struct gitrepo *r, const char *base, const char *branch, const char *id,
	      gitwt_progress_fn progress, void *ud, struct gitwt_add_result *res, struct err *e);
void gitwt_add_result_free(struct gitwt_add_result *res);

/* What a task start needs (orch_ops.start_worktree): with fresh = 0, the
 * task's existing worktree on that branch is used as it is (res->reused,
 * res->existing), else it is added as by gitwt_add. With fresh = 1 (retry
 * from scratch) an existing worktree is removed even if dirty (not if
 * locked) and the branch deleted, then both are made anew from the base tip. */
int gitwt_start(struct gitrepo *r, const char *base, const char *branch, const char *id, int fresh,
		gitwt_progress_fn progress, void *ud, struct gitwt_add_result *res, struct err *e);

struct gitwt_info {
	char *id;          /* directory name under .shoal/worktrees */
	char *name;        /* admin dir name under <gitdir>/worktrees */
	char *path;
	char *branch;      /* short name, or NULL when detached */
	char head[41];     /* "" when unknown */
	int ahead, behind; /* against base; -1 when unknown */
	int dirty;         /* changed entries incl. untracked; -1 when unknown (stale) */
	int locked;
	char *lock_reason;
	int stale;         /* directory gone */
	int merged;        /* branch fully contained in base */
};

/* Every shoal worktree (path under .shoal/worktrees), sorted by id. base
 * may be NULL (then ahead/behind/merged are not computed). */
int gitwt_list(struct gitrepo *r, const char *base, struct gitwt_info **out, int *n,
	       struct err *e);
/* The same without the status scan of each worktree (dirty = -1): cheap,
 * for callers that only need paths, branches, heads, locks. */
int gitwt_list_fast(struct gitrepo *r, const char *base, struct gitwt_info **out, int *n,
		    struct err *e);
void gitwt_list_free(struct gitwt_info *v, int n);
/* The entry for task id, or NULL. */
const struct gitwt_info *gitwt_find(const struct gitwt_info *v, int n, const char *id);

struct gitwt_remove_result {
	int branch_deleted;
	int branch_kept_unmerged; /* kept: not merged into base */
	char *branch;
};
/* Removes task id's worktree (directory + admin data); deletes its branch
 * when merged into base, or when force. Refuses dirty or locked worktrees
 * unless force. */
int gitwt_remove(struct gitrepo *r, const char *base, const char *id, int force,
		 struct gitwt_remove_result *res, struct err *e);
void gitwt_remove_result_free(struct gitwt_remove_result *res);

/* Prunes stale shoal worktree entries (directory gone, not locked) and
 * partial admin dirs. Returns how many were removed, or -1. */
int gitwt_prune(struct gitrepo *r, struct err *e);

/* Uncommitted changes (untracked files included) in task id's worktree;
 * -1 when it has none or it cannot be read. */
int gitwt_dirty(struct gitrepo *r, const char *id);

/* 1 if tip is base or an ancestor of it. */
int gitwt_is_merged(struct gitrepo *r, const char *base, const char *branch);

#endif
