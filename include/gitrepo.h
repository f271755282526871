/* gitrepo — the repository shoal works on: opening it from any directory
 * inside it (subdirectory, linked worktree), the run-data directory .shoal/
 * and its info/exclude entry, the mutation lock, commit identity, libgit2
 * error messages, the sweep of partial worktree admin dirs libgit2 leaves
 * behind, and crash recovery (merge journal, leftover validation worktrees).
 * Only the git modules (gitrepo, gitwt, gitdiff, merge, gitworker, cmd_git)
 * include git2.h; others see opaque pointers. */
#ifndef SHOAL_GITREPO_H
#define SHOAL_GITREPO_H

#include <stddef.h>

#include "util.h"

struct git_repository;
struct git_signature;
struct git_oid;

struct gitrepo {
	struct git_repository *git; /* the MAIN repository (never a linked worktree) */
	char *root;                 /* main worktree root, no trailing slash */
	char *gitdir;               /* common git dir, no trailing slash */
	char *shoal;                /* root + "/.shoal" */
	int lockfd;                 /* held by gitrepo_prepare, -1 otherwise */
	int recovered;              /* what the last prepare repaired (count) */
};

/* Initialises libgit2 once (thread-safe, idempotent) and sets the process
 * global options shoal needs. Call before starting any worker thread;
 * gitrepo_open calls it too. */
void gitrepo_global_init(void);

/* Opens the repository containing dir (NULL = "."), then its main
 * repository when dir is inside a linked worktree. Refuses bare repositories
 * and repositories without commits. Read-only: creates nothing. */
struct gitrepo *gitrepo_open(const char *dir, struct err *e);
void gitrepo_close(struct gitrepo *r);

/* Before any mutating operation: creates .shoal/{worktrees,logs,validate},
 * adds "/.shoal/" to info/exclude once, takes the mutation lock (waiting up
 * to timeout_ms for another shoal process), sweeps partial admin dirs and
 * finishes or undoes what a killed shoal left half done. Idempotent. */
int gitrepo_prepare(struct gitrepo *r, struct err *e);

/* Releases the mutation lock (gitrepo_prepare takes it again). Used while
 * a validation runs, so other jobs and processes are not blocked by it. */
void gitrepo_unlock(struct gitrepo *r);

/* Validation worktrees in use by this process, by key "<pid>-<n>": the
 * recovery in gitrepo_prepare skips them (and those of live processes). */
void gitrepo_validation_live(const char *key, int live);

/* Copies libgit2's last error (or "(no detail)") into e, prefixed by what. */
int gitrepo_fail(struct err *e, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* 1 if id is a safe task id: [A-Za-z0-9][A-Za-z0-9._-]*, no "..", no
 * ".lock" suffix, at most 64 bytes. */
int gitrepo_id_valid(const char *id);
/* Checks id and the branch name; fills e with the reason when invalid. */
int gitrepo_check_names(const char *id, const char *branch, struct err *e);

/* The base branch name: base itself when given (must exist as a local
 * branch), else the branch checked out in the main worktree (refused when
 * HEAD is detached). Caller frees *out. */
int gitrepo_base(struct gitrepo *r, const char *base, char **out, struct err *e);
/* The commit a local branch points to; -1 with a message when missing. */
int gitrepo_branch_oid(struct gitrepo *r, const char *branch, struct git_oid *out,
		       struct err *e);

/* Commit identity from git config, or "shoal <shoal@localhost>" with
 * *fallback = 1 when none is configured. */
int gitrepo_identity(struct gitrepo *r, struct git_signature **sig, int *fallback,
		     struct err *e);

/* Number of changed entries in a worktree repository: tracked changes
 * (staged or not), plus untracked files when untracked != 0. At most
 * `limit` paths are copied to *paths (NULL-terminated; may be NULL). */
int gitrepo_dirty(struct git_repository *wr, int untracked, char ***paths, int limit,
		  struct err *e);

/* Removes partial admin dirs in <gitdir>/worktrees (missing gitdir,
 * commondir or HEAD, and not locked). Returns how many were removed. */
int gitrepo_sweep(struct gitrepo *r);

/* rm -rf path (no symlink following). 0 or -1 with errno. */
int gitrepo_rmtree(const char *path);
/* 1 if path exists (lstat). */
int gitrepo_exists(const char *path);

/* Merge journal: written before the main worktree is touched, removed once
 * the base ref is published (or the change undone). A journal found by
 * gitrepo_prepare means a shoal died in between: the main worktree is put
 * back to match whatever the base ref points to. */
int gitrepo_journal_write(struct gitrepo *r, const char *refname, const struct git_oid *old_tip,
			  const struct git_oid *new_tip, struct err *e);
int gitrepo_journal_clear(struct gitrepo *r);

/* Worktree-add intent: written before shoal creates a task's branch and
 * worktree, removed when the add finished or was undone. One found by
 * gitrepo_prepare means a shoal died mid-add: its admin dir, directory and
 * (when it created it) branch are removed so that a retry works. */
int gitrepo_add_intent(struct gitrepo *r, const char *id, const char *admin_name,
		       const char *branch, int creates_branch, struct err *e);
void gitrepo_add_done(struct gitrepo *r, const char *id);

/* Checks out commit `to` into the main worktree, `from` being what it holds
 * now (baseline). GITREPO_CO_CHECK only checks (writes nothing);
 * GITREPO_CO_SAFE refuses local changes or untracked files in the way;
 * GITREPO_CO_FORCE overwrites the paths that differ between the two trees
 * (undo and crash recovery only). Returns 0, -2 when local state blocks it
 * (nothing written; the paths are listed in e), or -1. The index is written
 * after the files, with retries while index.lock is held. */
enum gitrepo_co { GITREPO_CO_CHECK, GITREPO_CO_SAFE, GITREPO_CO_FORCE };
int gitrepo_checkout_main(struct gitrepo *r, const struct git_oid *from_commit,
			  const struct git_oid *to_commit, enum gitrepo_co mode,
			  void (*progress)(const char *path, size_t done, size_t total, void *ud),
			  void *ud, struct err *e);

/* 1 unless checking out commit `tip` provably needs no filter (CRLF, ident,
 * filter drivers): no .gitattributes anywhere in its tree, no
 * info/attributes, no core.attributesFile or global/system attributes file,
 * core.autocrlf false or unset. Then checkout may set disable_filters,
 * which saves libgit2 ~20 readlink() calls per file (notes §12). */
int gitrepo_filters_needed(struct gitrepo *r, const struct git_oid *tip);

/* The linked worktree (path) or "" for the main worktree that has refname
 * checked out, or NULL. Scans admin dirs directly (stale ones included),
 * not libgit2's checked-out test (bugs B2/B3). Caller frees. */
char *gitrepo_branch_holder(struct gitrepo *r, const char *refname);

#endif
