/* gitdiff — what each task branch changed since its merge-base with base
 * (renames followed, both paths kept, lines added/removed, uncommitted work
 * in its worktree marked as such), files overlapping between tasks, and
 * territory violations. The overlap and territory functions are pure. */
#ifndef SHOAL_GITDIFF_H
#define SHOAL_GITDIFF_H

#include "gitrepo.h"

struct gitdiff_file {
	char status;      /* 'A' 'M' 'D' 'R' 'C' 'T' ('?' untracked, uncommitted only) */
	char *path;       /* new path */
	char *old_path;   /* old path (same as path unless renamed/copied) */
	int added, removed; /* lines; -1 for binary files */
	int uncommitted;  /* from the worktree, not committed on the branch */
	int outside;      /* path or old_path outside the task's territory */
};

struct gitdiff_overlap {
	char *path;
	const char *other; /* the other task's id (borrowed from its gitdiff_task) */
};

struct gitdiff_task {
	const char *id;   /* borrowed */
	struct gitdiff_file *files;
	int nfiles;
	int added, removed;
	int nviolations;
	struct gitdiff_overlap *overlaps;
	int noverlaps;
};

/* Fills t with task branch's changes since its merge-base with base, plus
 * the uncommitted changes in wt_path (may be NULL or a missing directory),
 * marking paths outside territory (NULL-terminated; NULL or empty = anywhere). */
int gitdiff_task(struct gitrepo *r, const char *base, const char *branch, const char *wt_path,
		 char *const *territory, struct gitdiff_task *t, struct err *e);
void gitdiff_task_free(struct gitdiff_task *t);

/* Fills every task's overlaps: the paths (either side of a rename) that some
 * other task also changed. Replaces earlier overlap results. */
void gitdiff_overlaps(struct gitdiff_task *tasks, int n);

/* The unified diff of branch against its merge-base with base (as `git diff
 * base...branch`, renames found), at most max_lines lines (<= 0: 20,000;
 * *truncated = 1 when cut). *out: the text (caller frees). */
int gitdiff_patch(struct gitrepo *r, const char *base, const char *branch, int max_lines,
		  char **out, int *truncated, struct err *e);
/* 1 if path lies inside one of the territory prefixes, compared by path
 * component ("src" and "src/" match "src" and "src/a.c", not "srcx/a.c").
 * NULL or empty territory = everywhere. A prefix of "", "." or "/" matches
 * everything; leading "./" and "/" are ignored. */
int gitdiff_territory_match(const char *path, char *const *territory);

#endif
