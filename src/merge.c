/* merge — preview, merge commit, validation in a temporary detached
 * worktree, main worktree update, compare-and-swap publish, wave merges and
 * merging base into a task (include/merge.h, notes/libgit2.md §8, §9). */
#include "merge.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *merge_kind_name(enum merge_kind k)
{
	switch (k) {
	case MERGE_FASTFORWARD: return "fast-forward";
	case MERGE_CLEAN: return "clean merge";
	case MERGE_CONFLICT: return "conflict";
	case MERGE_UP_TO_DATE: return "already merged";
	case MERGE_UNRELATED: return "unrelated histories";
	}
	return "?";
}

const char *merge_outcome_name(enum merge_outcome o)
{
	switch (o) {
	case MERGE_MERGED: return "merged";
	case MERGE_ALREADY: return "already merged";
	case MERGE_DRY_RUN: return "would merge";
	case MERGE_CONFLICTED: return "conflict";
	case MERGE_REFUSED: return "refused";
	case MERGE_MAIN_DIRTY: return "main worktree not clean";
	case MERGE_INVALID: return "validation failed";
	case MERGE_BASE_MOVED: return "base moved";
	case MERGE_FAILED: return "failed";
	case MERGE_CANCELLED: return "cancelled";
	}
	return "?";
}

const char *merge_outcome_key(enum merge_outcome o)
{
	switch (o) {
	case MERGE_MERGED:
	case MERGE_ALREADY: return "merged";
	case MERGE_DRY_RUN: return "dry-run";
	case MERGE_CONFLICTED: return "conflict";
	case MERGE_REFUSED: return "refused";
	case MERGE_MAIN_DIRTY: return "main-dirty";
	case MERGE_INVALID: return "invalid";
	case MERGE_BASE_MOVED: return "base-moved";
	case MERGE_CANCELLED: return "cancelled";
	case MERGE_FAILED: return "error";
	}
	return "error";
}

static void strv_free_local(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void merge_preview_free(struct merge_preview *p)
{
	strv_free_local(p->conflicts);
	p->conflicts = NULL;
	p->nconflicts = 0;
}

void merge_result_free(struct merge_result *res)
{
	merge_preview_free(&res->preview);
	free(res->log_path);
	res->log_path = NULL;
}

static char **conflict_paths(git_index *idx, int *n)
{
	git_index_conflict_iterator *it = NULL;
	size_t cap = 0, cnt = 0;
	char **v = NULL;
	const git_index_entry *a, *o, *t;
	if (git_index_conflict_iterator_new(&it, idx) == 0) {
		while (git_index_conflict_next(&a, &o, &t, it) == 0) {
			const char *p = o ? o->path : t ? t->path : a ? a->path : "?";
			xgrow((void **)&v, &cap, cnt + 2, sizeof *v);
			v[cnt++] = xstrdup(p);
		}
		git_index_conflict_iterator_free(it);
	}
	xgrow((void **)&v, &cap, cnt + 1, sizeof *v);
	v[cnt] = NULL;
	*n = (int)cnt;
	return v;
}

/* Preview of merging task_oid into base_oid. When idx_out is given and the
 * result is a clean merge, the in-memory merged index is handed back. */
static int preview_oids(struct gitrepo *r, const git_oid *base_oid, const git_oid *task_oid,
			struct merge_preview *p, git_index **idx_out, struct err *e)
{
	git_oid mb;
	git_oid_tostr(p->base_tip, sizeof p->base_tip, base_oid);
	git_oid_tostr(p->task_tip, sizeof p->task_tip, task_oid);
	size_t ahead = 0, behind = 0;
	if (git_graph_ahead_behind(&ahead, &behind, r->git, task_oid, base_oid) == 0)
		p->ahead = (int)ahead;
	if (git_oid_equal(base_oid, task_oid)) {
		p->kind = MERGE_UP_TO_DATE;
		return 0;
	}
	git_error_clear();
	int rc = git_merge_base(&mb, r->git, base_oid, task_oid);
	if (rc == GIT_ENOTFOUND) {
		p->kind = MERGE_UNRELATED;
		return 0;
	}
	if (rc < 0)
		return gitrepo_fail(e, "cannot find the merge base");
	if (git_oid_equal(&mb, task_oid)) {
		p->kind = MERGE_UP_TO_DATE;
		return 0;
	}
	if (git_oid_equal(&mb, base_oid)) {
		p->kind = MERGE_FASTFORWARD;
		return 0;
	}
	git_commit *cb = NULL, *ct = NULL;
	git_index *idx = NULL;
	git_merge_options mo;
	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	git_error_clear();
	rc = git_commit_lookup(&cb, r->git, base_oid);
	if (rc == 0)
		rc = git_commit_lookup(&ct, r->git, task_oid);
	if (rc == 0)
		rc = git_merge_commits(&idx, r->git, cb, ct, &mo);
	git_commit_free(cb);
	git_commit_free(ct);
	if (rc < 0)
		return gitrepo_fail(e, "cannot compute the merge");
	if (git_index_has_conflicts(idx)) {
		p->kind = MERGE_CONFLICT;
		p->conflicts = conflict_paths(idx, &p->nconflicts);
		git_index_free(idx);
		return 0;
	}
	p->kind = MERGE_CLEAN;
	if (idx_out)
		*idx_out = idx;
	else
		git_index_free(idx);
	return 0;
}

int merge_preview(struct gitrepo *r, const char *base, const char *branch, struct merge_preview *p,
		  struct err *e)
{
	memset(p, 0, sizeof *p);
	git_oid b, t;
	if (gitrepo_branch_oid(r, base, &b, e) < 0 || gitrepo_branch_oid(r, branch, &t, e) < 0)
		return -1;
	return preview_oids(r, &b, &t, p, NULL, e);
}

/* ---- building the merge commit ---- */

static char *merge_message(const char *base, const char *branch)
{
	if (!strcmp(base, "main") || !strcmp(base, "master"))
		return xasprintf("Merge branch '%s'\n", branch);
	return xasprintf("Merge branch '%s' into %s\n", branch, base);
}

static int make_commit(struct gitrepo *r, const char *base, const char *branch, git_index *idx,
		       const git_oid *base_oid, const git_oid *task_oid, git_oid *out, int *fallback,
		       struct err *e)
{
	git_oid tree_oid;
	git_tree *tree = NULL;
	git_commit *pb = NULL, *pt = NULL;
	git_signature *sig = NULL;
	int rc = -1;
	git_error_clear();
	if (git_index_write_tree_to(&tree_oid, idx, r->git) < 0 ||
	    git_tree_lookup(&tree, r->git, &tree_oid) < 0 ||
	    git_commit_lookup(&pb, r->git, base_oid) < 0 || git_commit_lookup(&pt, r->git, task_oid) < 0) {
		gitrepo_fail(e, "cannot write the merge tree");
		goto out;
	}
	if (gitrepo_identity(r, &sig, fallback, e) < 0)
		goto out;
	char *msg = merge_message(base, branch);
	const git_commit *parents[2] = { pb, pt };
	git_error_clear();
	rc = git_commit_create(out, r->git, NULL, sig, sig, NULL, msg, tree, 2, parents);
	free(msg);
	if (rc < 0)
		gitrepo_fail(e, "cannot create the merge commit");
out:
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(pb);
	git_commit_free(pt);
	return rc < 0 ? -1 : 0;
}

/* ---- validation in a temporary detached worktree ---- */

struct vctx {
	const struct merge_opts *o;
	const char *what;
};

static void v_progress(const char *path, size_t done, size_t total, void *payload)
{
	struct vctx *v = payload;
	if (v->o->progress)
		v->o->progress(v->what, path, done, total, v->o->ud);
}

static void drop_temp_worktree(struct gitrepo *r, const char *name, const char *path)
{
	git_worktree *wt = NULL;
	if (git_worktree_lookup(&wt, r->git, name) == 0) {
		git_worktree_prune_options po;
		git_worktree_prune_options_init(&po, GIT_WORKTREE_PRUNE_OPTIONS_VERSION);
		po.flags = GIT_WORKTREE_PRUNE_VALID | GIT_WORKTREE_PRUNE_LOCKED |
			   GIT_WORKTREE_PRUNE_WORKING_TREE;
		git_worktree_prune(wt, &po);
		git_worktree_free(wt);
	}
	char *admin = xasprintf("%s/worktrees/%s", r->gitdir, name);
	gitrepo_rmtree(admin);
	gitrepo_rmtree(path);
	free(admin);
}

static int make_temp_worktree(struct gitrepo *r, const git_oid *tip, const char *name,
			      const char *path, const struct merge_opts *o, struct err *e)
{
	char *bname = xasprintf("shoal-tmp/%s", name);
	git_commit *c = NULL;
	git_reference *br = NULL;
	git_worktree *wt = NULL;
	git_repository *wr = NULL;
	int rc = -1;
	struct vctx v = { o, "validation worktree" };
	git_error_clear();
	if (git_commit_lookup(&c, r->git, tip) < 0 || git_branch_create(&br, r->git, bname, c, 1) < 0) {
		gitrepo_fail(e, "cannot create the temporary branch %s", bname);
		goto out;
	}
	git_worktree_add_options wo;
	git_worktree_add_options_init(&wo, GIT_WORKTREE_ADD_OPTIONS_VERSION);
	wo.ref = br;
	wo.lock = 1;
	wo.checkout_options.progress_cb = v_progress;
	wo.checkout_options.progress_payload = &v;
	wo.checkout_options.disable_filters = !gitrepo_filters_needed(r, tip);
	git_error_clear();
	if (git_worktree_add(&wt, r->git, name, path, &wo) < 0 ||
	    git_repository_open_from_worktree(&wr, wt) < 0 ||
	    git_repository_set_head_detached(wr, tip) < 0) {
		gitrepo_fail(e, "cannot create the validation worktree %s", path);
		goto out;
	}
	rc = 0;
out:
	git_repository_free(wr);
	git_worktree_free(wt);
	if (br) {
		git_branch_delete(br);
		git_reference_free(br);
	}
	git_commit_free(c);
	free(bname);
	if (rc < 0)
		drop_temp_worktree(r, name, path);
	return rc;
}

/* Variables that would point git commands in the validation at another
 * repository, index or work tree, or that shoal sets itself. */
static int env_dropped(const char *kv)
{
	static const char *const drop[] = { "SHOAL_TASK=", "SHOAL_MERGE_COMMIT=", "GIT_DIR=",
					    "GIT_WORK_TREE=", "GIT_INDEX_FILE=", "GIT_COMMON_DIR=",
					    "GIT_OBJECT_DIRECTORY=", "GIT_PREFIX=" };
	for (size_t i = 0; i < ARRAY_LEN(drop); i++)
		if (!strncmp(kv, drop[i], strlen(drop[i])))
			return 1;
	return 0;
}

/* Runs sh -c cmd in dir, output to log and o->output. Returns the exit
 * status (128+sig when killed) or -1 when it could not start. */
static int run_validate(const char *cmd, const char *dir, const char *id, const char *tip,
			FILE *log, const struct merge_opts *o, int *cancelled, struct err *e)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err_set(e, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = xcalloc(ne + 4, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (!env_dropped(environ[i]))
			env[k++] = environ[i];
	char *e1 = xasprintf("SHOAL_TASK=%s", id), *e2 = xasprintf("SHOAL_MERGE_COMMIT=%s", tip);
	env[k++] = e1;
	env[k++] = e2;
	env[k] = NULL;
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	pid_t pid;
	/* its own process group, so a cancel reaches `make` and its children */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	int src = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, env);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	free(e1);
	free(e2);
	close(pfd[1]);
	if (src != 0) {
		close(pfd[0]);
		return err_set(e, "cannot run the validation command: %s", strerror(src));
	}
	char buf[4096];
	uint64_t killed_at = 0;
	for (;;) {
		if (o->cancel && *o->cancel) {
			if (!killed_at) {
				kill(-pid, SIGTERM);
				killed_at = util_now_ms();
				*cancelled = 1;
			} else if (util_now_ms() - killed_at > 2000) {
				kill(-pid, SIGKILL);
			}
		}
		struct pollfd p = { pfd[0], POLLIN, 0 };
		if (poll(&p, 1, 100) == 0)
			continue;
		ssize_t n = read(pfd[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (log)
			fwrite(buf, 1, (size_t)n, log);
		if (o->output)
			o->output(buf, (size_t)n, o->ud);
	}
	close(pfd[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int validate_commit(struct gitrepo *r, const git_oid *tip, const char *branch,
			   const char *base, const struct merge_opts *o, struct merge_result *res,
			   struct err *e)
{
	static int counter;
	const char *id = o->id ? o->id : "task";
	int n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	char *key = xasprintf("%ld-%d", (long)getpid(), n);
	char *name = xasprintf("validate-%s", key);
	char *path = xasprintf("%s/validate/%s-%s", r->shoal, key, id);
	res->log_path = xasprintf("%s/logs/merge-%s.log", r->shoal, id);
	FILE *log = fopen(res->log_path, "w");
	if (log) {
		setvbuf(log, NULL, _IOLBF, 0);
		fprintf(log, "# shoal merge %s into %s, commit %s\n# validate: %s\n# in %s\n", branch,
			base, res->new_tip, o->validate, path);
	}
	gitrepo_validation_live(key, 1);
	int rc = make_temp_worktree(r, tip, name, path, o, e);
	if (rc == 0) {
		res->validated = 1;
		int cancelled = 0;
		/* Nothing is published while validating: let other jobs and
		 * processes work meanwhile; the publish step re-checks all. */
		gitrepo_unlock(r);
		int st = run_validate(o->validate, path, id, res->new_tip, log, o, &cancelled, e);
		struct err le = { { 0 } };
		int lrc = gitrepo_prepare(r, &le);
		if (st < 0) {
			rc = -1;
		} else {
			res->validate_status = st;
			if (log)
				fprintf(log, "# exit status %d%s\n", st, cancelled ? " (cancelled)" : "");
			rc = cancelled ? 2 : st == 0 ? 0 : 1;
		}
		if (lrc < 0) {
			rc = err_set(e, "%s", le.msg);
		} else {
			drop_temp_worktree(r, name, path);
		}
	}
	gitrepo_validation_live(key, 0);
	if (log)
		fclose(log);
	free(key);
	free(name);
	free(path);
	return rc;
}

/* ---- merge_task ---- */

static void m_progress(const char *path, size_t done, size_t total, void *payload)
{
	const struct merge_opts *o = payload;
	if (o->progress)
		o->progress("main worktree", path, done, total, o->ud);
}

static int outcome(struct merge_result *res, enum merge_outcome oc, struct err *e, const char *fmt,
		   ...) PRINTF_LIKE(4, 5);
static int outcome(struct merge_result *res, enum merge_outcome oc, struct err *e, const char *fmt,
		   ...)
{
	res->outcome = oc;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(res->msg, sizeof res->msg, fmt, ap);
		va_end(ap);
	}
	if (e && e->msg != res->msg)
		snprintf(e->msg, sizeof e->msg, "%s", res->msg);
	return oc == MERGE_MERGED || oc == MERGE_ALREADY || oc == MERGE_DRY_RUN ? 0 : -1;
}

/* Refuses (before anything is written) when base is checked out somewhere
 * shoal must not or cannot update. *in_main = 1 when it is the main one. */
static int check_checkout_target(struct gitrepo *r, const char *refname, int *in_main,
				 struct merge_result *res, struct err *e)
{
	*in_main = 0;
	char *holder = gitrepo_branch_holder(r, refname);
	if (!holder)
		return 0;
	if (*holder) {
		outcome(res, MERGE_REFUSED, e,
			"the base branch %s is checked out in the linked worktree %s: shoal only "
			"updates the main worktree; switch that worktree to another branch first",
			refname + 11, holder);
		free(holder);
		return -1;
	}
	free(holder);
	*in_main = 1;
	if (git_repository_state(r->git) != GIT_REPOSITORY_STATE_NONE)
		return outcome(res, MERGE_MAIN_DIRTY, e,
			       "a merge, rebase, cherry-pick or similar is in progress in the main "
			       "worktree %s: finish or abort it first; nothing was written",
			       r->root);
	char *lock = xasprintf("%s/index.lock", r->gitdir);
	int locked = gitrepo_exists(lock);
	if (locked) {
		outcome(res, MERGE_MAIN_DIRTY, e,
			"%s exists: another git process is using the main worktree's index; shoal "
			"never removes lock files, retry when it is gone",
			lock);
	}
	free(lock);
	if (locked)
		return -1;
	git_repository *wr = NULL;
	struct err de = { { 0 } };
	char **paths = NULL;
	if (git_repository_open(&wr, r->root) < 0)
		return outcome(res, MERGE_FAILED, e, "cannot open the main worktree %s", r->root);
	int n = gitrepo_dirty(wr, 0, &paths, 5, &de);
	git_repository_free(wr);
	if (n < 0) {
		strv_free_local(paths);
		return outcome(res, MERGE_FAILED, e, "%s", de.msg);
	}
	if (n > 0) {
		struct sbuf b = { 0 };
		for (int i = 0; paths[i]; i++)
			sbuf_printf(&b, "%s%s", i ? ", " : "", paths[i]);
		outcome(res, MERGE_MAIN_DIRTY, e,
			"the main worktree %s has uncommitted changes to tracked files (%s%s): commit "
			"or stash them first; nothing was written",
			r->root, b.s, n > 5 ? ", ..." : "");
		sbuf_free(&b);
		strv_free_local(paths);
		return -1;
	}
	strv_free_local(paths);
	return 0;
}

static int merge_task_locked(struct gitrepo *r, const char *base, const char *branch,
			     const struct merge_opts *o, struct merge_result *res, struct err *e)
{
	git_oid base_oid, task_oid, new_tip, cur;
	git_index *idx = NULL;
	struct err le = { { 0 } };
	char *refname = xasprintf("refs/heads/%s", base);
	int rc = -1, in_main = 0;

	if (gitrepo_branch_oid(r, base, &base_oid, &le) < 0 ||
	    gitrepo_branch_oid(r, branch, &task_oid, &le) < 0) {
		rc = outcome(res, MERGE_FAILED, e, "%s", le.msg);
		goto out;
	}
	if (preview_oids(r, &base_oid, &task_oid, &res->preview, &idx, &le) < 0) {
		rc = outcome(res, MERGE_FAILED, e, "%s", le.msg);
		goto out;
	}
	switch (res->preview.kind) {
	case MERGE_UP_TO_DATE:
		git_oid_tostr(res->new_tip, sizeof res->new_tip, &base_oid);
		rc = outcome(res, MERGE_ALREADY, e, "%s is already merged into %s", branch, base);
		goto out;
	case MERGE_UNRELATED:
		rc = outcome(res, MERGE_REFUSED, e,
			     "refusing to merge %s into %s: unrelated histories (no common commit)",
			     branch, base);
		goto out;
	case MERGE_CONFLICT:
		rc = outcome(res, MERGE_CONFLICTED, e,
			     "merging %s into %s conflicts in %d file%s; nothing was changed "
			     "(shoal merge --into-task merges %s into the task's worktree to resolve)",
			     branch, base, res->preview.nconflicts,
			     res->preview.nconflicts == 1 ? "" : "s", base);
		goto out;
	default:
		break;
	}
	if (check_checkout_target(r, refname, &in_main, res, e) < 0)
		goto out;
	if (o->dry_run) {
		rc = outcome(res, MERGE_DRY_RUN, e, "would %s %s into %s",
			     res->preview.kind == MERGE_FASTFORWARD ? "fast-forward" : "merge",
			     branch, base);
		goto out;
	}
	if (res->preview.kind == MERGE_FASTFORWARD) {
		git_oid_cpy(&new_tip, &task_oid);
	} else if (make_commit(r, base, branch, idx, &base_oid, &task_oid, &new_tip,
			       &res->identity_fallback, &le) < 0) {
		rc = outcome(res, MERGE_FAILED, e, "%s", le.msg);
		goto out;
	}
	git_oid_tostr(res->new_tip, sizeof res->new_tip, &new_tip);
	if (o->validate && *o->validate) {
		int v = validate_commit(r, &new_tip, branch, base, o, res, &le);
		if (v < 0) {
			rc = outcome(res, MERGE_FAILED, e, "%s", le.msg);
			goto out;
		}
		if (v == 2) {
			rc = outcome(res, MERGE_CANCELLED, e,
				     "validation of %s into %s cancelled; %s left unchanged", branch, base,
				     base);
			goto out;
		}
		if (v > 0) {
			rc = outcome(res, MERGE_INVALID, e,
				     "validation of %s into %s failed (exit status %d); %s left "
				     "unchanged; output in %s",
				     branch, base, res->validate_status, base, res->log_path);
			goto out;
		}
	}
	/* Publish: re-check everything the validation could have changed. */
	if (git_reference_name_to_id(&cur, r->git, refname) < 0 || !git_oid_equal(&cur, &base_oid)) {
		char cs[GIT_OID_HEXSZ + 1] = "(missing)";
		if (git_reference_name_to_id(&cur, r->git, refname) == 0)
			git_oid_tostr(cs, sizeof cs, &cur);
		rc = outcome(res, MERGE_BASE_MOVED, e,
			     "%s moved from %.12s to %.12s while merging %s; nothing was changed, "
			     "merge again",
			     base, res->preview.base_tip, cs, branch);
		goto out;
	}
	if (check_checkout_target(r, refname, &in_main, res, e) < 0)
		goto out;
	if (in_main) {
		/* Check first (writes nothing), so the journal only ever covers a
		 * checkout that local state does not block. */
		int crc = gitrepo_checkout_main(r, &base_oid, &new_tip, GITREPO_CO_CHECK, NULL, NULL, &le);
		if (crc < 0) {
			rc = outcome(res, crc == -2 ? MERGE_MAIN_DIRTY : MERGE_FAILED, e, "%s", le.msg);
			goto out;
		}
		if (gitrepo_journal_write(r, refname, &base_oid, &new_tip, &le) < 0) {
			rc = outcome(res, MERGE_FAILED, e, "%s", le.msg);
			goto out;
		}
		crc = gitrepo_checkout_main(r, &base_oid, &new_tip, GITREPO_CO_SAFE, m_progress, (void *)o,
					    &le);
		if (crc < 0) {
			/* Blocked (-2): nothing was written. Anything else: undo. */
			struct err ue;
			if (crc != -2)
				gitrepo_checkout_main(r, &new_tip, &base_oid, GITREPO_CO_FORCE, NULL, NULL, &ue);
			gitrepo_journal_clear(r);
			rc = outcome(res, crc == -2 ? MERGE_MAIN_DIRTY : MERGE_FAILED, e, "%s", le.msg);
			goto out;
		}
		res->main_updated = 1;
	}
	char *logmsg = xasprintf("shoal: merge %s: %s", branch,
				 res->preview.kind == MERGE_FASTFORWARD ? "Fast-forward"
									 : "Merge made by shoal");
	git_reference *out_ref = NULL;
	git_error_clear();
	int crc = git_reference_create_matching(&out_ref, r->git, refname, &new_tip, 1, &base_oid,
						logmsg);
	free(logmsg);
	git_reference_free(out_ref);
	if (crc < 0) {
		if (in_main) {
			struct err ue;
			if (gitrepo_checkout_main(r, &new_tip, &base_oid, GITREPO_CO_SAFE, NULL, NULL, &ue) == 0)
				res->main_updated = 0;
		}
		gitrepo_journal_clear(r);
		if (crc == GIT_EMODIFIED)
			rc = outcome(res, MERGE_BASE_MOVED, e,
				     "%s moved while merging %s; nothing was changed, merge again", base,
				     branch);
		else
			rc = gitrepo_fail(&le, "cannot update %s", refname),
			rc = outcome(res, MERGE_FAILED, e, "%s", le.msg);
		goto out;
	}
	gitrepo_journal_clear(r);
	rc = outcome(res, MERGE_MERGED, e, NULL);
out:
	git_index_free(idx);
	free(refname);
	return rc;
}

int merge_task(struct gitrepo *r, const char *base, const char *branch, const struct merge_opts *o,
	       struct merge_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (!o->dry_run && gitrepo_prepare(r, e) < 0) {
		res->outcome = MERGE_FAILED;
		snprintf(res->msg, sizeof res->msg, "%s", e ? e->msg : "cannot prepare");
		return -1;
	}
	return merge_task_locked(r, base, branch, o, res, e);
}

/* Dry-run wave: each preview on top of the previous (in-memory) result. */
static int wave_dry(struct gitrepo *r, const char *base, const struct merge_wave_item *items, int n,
		    const struct merge_opts *o, struct merge_result *res, int *done, struct err *e)
{
	git_oid tip, task;
	struct err le = { { 0 } };
	if (gitrepo_branch_oid(r, base, &tip, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct merge_result *m = &res[i];
		git_index *idx = NULL;
		*done = i + 1;
		if (gitrepo_branch_oid(r, items[i].branch, &task, &le) < 0 ||
		    preview_oids(r, &tip, &task, &m->preview, &idx, &le) < 0)
			return outcome(m, MERGE_FAILED, e, "%s", le.msg);
		switch (m->preview.kind) {
		case MERGE_UP_TO_DATE:
			outcome(m, MERGE_ALREADY, NULL, "%s is already merged", items[i].branch);
			break;
		case MERGE_UNRELATED:
			return outcome(m, MERGE_REFUSED, e, "%s: unrelated histories", items[i].branch);
		case MERGE_CONFLICT:
			return outcome(m, MERGE_CONFLICTED, e,
				       "%s conflicts in %d file%s with %s plus the earlier tasks of the "
				       "wave", items[i].branch, m->preview.nconflicts,
				       m->preview.nconflicts == 1 ? "" : "s", base);
		case MERGE_FASTFORWARD:
			git_oid_cpy(&tip, &task);
			outcome(m, MERGE_DRY_RUN, NULL, "would fast-forward");
			break;
		case MERGE_CLEAN: {
			git_oid nt;
			int rc = make_commit(r, base, items[i].branch, idx, &tip, &task, &nt,
					     &m->identity_fallback, &le);
			git_index_free(idx);
			if (rc < 0)
				return outcome(m, MERGE_FAILED, e, "%s", le.msg);
			git_oid_cpy(&tip, &nt);
			outcome(m, MERGE_DRY_RUN, NULL, "would merge");
			break;
		}
		}
		git_oid_tostr(m->new_tip, sizeof m->new_tip, &tip);
	}
	(void)o;
	return 0;
}

int merge_wave(struct gitrepo *r, const char *base, const struct merge_wave_item *items, int n,
	       const struct merge_opts *o, struct merge_result *res, int *done, struct err *e)
{
	*done = 0;
	for (int i = 0; i < n; i++)
		memset(&res[i], 0, sizeof res[i]);
	if (o->dry_run)
		return wave_dry(r, base, items, n, o, res, done, e);
	if (gitrepo_prepare(r, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct merge_opts oi = *o;
		oi.id = items[i].id;
		*done = i + 1;
		if (merge_task_locked(r, base, items[i].branch, &oi, &res[i], e) < 0)
			return -1;
	}
	return 0;
}

/* ---- merging base into a task branch, in its worktree ---- */

void merge_into_result_free(struct merge_into_result *res)
{
	free(res->worktree);
	strv_free_local(res->conflicts);
	memset(res, 0, sizeof *res);
}

int merge_into_task(struct gitrepo *r, const char *base, const char *branch,
		    struct merge_into_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (gitrepo_prepare(r, e) < 0)
		return -1;
	char *refname = xasprintf("refs/heads/%s", branch);
	char *holder = gitrepo_branch_holder(r, refname);
	git_repository *wr = NULL;
	git_oid base_oid, task_oid, mb;
	git_annotated_commit *ac = NULL;
	git_commit *bc = NULL, *tc = NULL;
	git_tree *bt = NULL, *tt = NULL;
	git_index *idx = NULL;
	git_signature *sig = NULL;
	int rc = -1;
	if (!holder || !*holder) {
		err_set(e, "branch %s is not checked out in a task worktree%s", branch,
			holder ? " (it is checked out in the main worktree)"
			       : ": create it with shoal worktree add");
		goto out;
	}
	res->worktree = xstrdup(holder);
	git_error_clear();
	if (!gitrepo_exists(holder) || git_repository_open(&wr, holder) < 0) {
		err_set(e, "the worktree %s of %s is missing (run shoal worktree prune, then add it "
			   "again)", holder, branch);
		goto out;
	}
	if (git_repository_state(wr) != GIT_REPOSITORY_STATE_NONE) {
		err_set(e, "a merge, rebase or similar operation is already in progress in %s: "
			   "finish it (or abort it yourself); shoal leaves it alone", holder);
		goto out;
	}
	char *lock = xasprintf("%s/index.lock", git_repository_path(wr));
	int locked = gitrepo_exists(lock);
	if (locked)
		err_set(e, "%s exists: another git process is using that worktree's index", lock);
	free(lock);
	if (locked)
		goto out;
	char **paths = NULL;
	int d = gitrepo_dirty(wr, 0, &paths, 5, e);
	if (d > 0) {
		struct sbuf b = { 0 };
		for (int i = 0; paths[i]; i++)
			sbuf_printf(&b, "%s%s", i ? ", " : "", paths[i]);
		err_set(e, "the worktree %s has uncommitted changes to tracked files (%s%s): commit "
			   "them first", holder, b.s, d > 5 ? ", ..." : "");
		sbuf_free(&b);
	}
	strv_free_local(paths);
	if (d != 0)
		goto out;
	if (gitrepo_branch_oid(r, base, &base_oid, e) < 0 ||
	    gitrepo_branch_oid(r, branch, &task_oid, e) < 0)
		goto out;
	git_error_clear();
	int mrc = git_merge_base(&mb, r->git, &base_oid, &task_oid);
	if (mrc == GIT_ENOTFOUND) {
		err_set(e, "refusing to merge %s into %s: unrelated histories", base, branch);
		goto out;
	}
	if (mrc < 0) {
		gitrepo_fail(e, "cannot find the merge base");
		goto out;
	}
	if (git_oid_equal(&mb, &base_oid)) {
		res->outcome = INTO_UP_TO_DATE;
		rc = 0;
		goto out;
	}
	if (git_commit_lookup(&bc, wr, &base_oid) < 0 || git_commit_lookup(&tc, wr, &task_oid) < 0 ||
	    git_commit_tree(&bt, bc) < 0 || git_commit_tree(&tt, tc) < 0) {
		gitrepo_fail(e, "cannot read the commits");
		goto out;
	}
	if (git_oid_equal(&mb, &task_oid)) {
		/* Fast-forward the task branch to base. */
		git_checkout_options co;
		git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
		co.checkout_strategy = GIT_CHECKOUT_SAFE;
		co.baseline = tt;
		git_reference *o = NULL;
		git_error_clear();
		if (git_checkout_tree(wr, (git_object *)bt, &co) < 0) {
			gitrepo_fail(e, "cannot update %s", holder);
			goto out;
		}
		char *msg = xasprintf("shoal: merge %s into %s: Fast-forward", base, branch);
		int crc = git_reference_create_matching(&o, wr, refname, &base_oid, 1, &task_oid, msg);
		free(msg);
		git_reference_free(o);
		if (crc < 0) {
			gitrepo_fail(e, "cannot move %s", branch);
			co.baseline = bt;
			git_checkout_tree(wr, (git_object *)tt, &co);
			goto out;
		}
		res->outcome = INTO_FASTFORWARD;
		rc = 0;
		goto out;
	}
	git_merge_options mo;
	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS;
	git_error_clear();
	if (git_annotated_commit_lookup(&ac, wr, &base_oid) < 0 ||
	    git_merge(wr, (const git_annotated_commit **)&ac, 1, &mo, &co) < 0) {
		gitrepo_fail(e, "cannot merge %s into %s", base, holder);
		goto out;
	}
	if (git_repository_index(&idx, wr) < 0) {
		gitrepo_fail(e, "cannot read the index of %s", holder);
		goto out;
	}
	if (git_index_has_conflicts(idx)) {
		res->outcome = INTO_CONFLICTS;
		res->conflicts = conflict_paths(idx, &res->nconflicts);
		/* The message `git commit --no-edit` concludes it with (libgit2
		 * names the base by its commit id). */
		char *mp = xasprintf("%sMERGE_MSG", git_repository_path(wr));
		FILE *mf = fopen(mp, "w");
		if (mf) {
			fprintf(mf, "Merge branch '%s' into %s\n", base, branch);
			fclose(mf);
		}
		free(mp);
		rc = 0;
		goto out;
	}
	git_oid tree_oid, commit_oid;
	git_tree *tree = NULL;
	if (git_index_write_tree(&tree_oid, idx) < 0 || git_tree_lookup(&tree, wr, &tree_oid) < 0 ||
	    gitrepo_identity(r, &sig, &res->identity_fallback, e) < 0) {
		if (!e || !*e->msg)
			gitrepo_fail(e, "cannot write the merge tree");
		git_tree_free(tree);
		goto out;
	}
	char *msg = xasprintf("Merge branch '%s' into %s\n", base, branch);
	const git_commit *parents[2] = { tc, bc };
	git_error_clear();
	int crc = git_commit_create(&commit_oid, wr, "HEAD", sig, sig, NULL, msg, tree, 2, parents);
	free(msg);
	git_tree_free(tree);
	if (crc < 0) {
		gitrepo_fail(e, "cannot commit the merge in %s", holder);
		goto out;
	}
	git_repository_state_cleanup(wr);
	res->outcome = INTO_MERGED;
	rc = 0;
out:
	git_signature_free(sig);
	git_index_free(idx);
	git_tree_free(bt);
	git_tree_free(tt);
	git_commit_free(bc);
	git_commit_free(tc);
	git_annotated_commit_free(ac);
	git_repository_free(wr);
	free(holder);
	free(refname);
	if (rc < 0)
		merge_into_result_free(res);
	return rc;
}
