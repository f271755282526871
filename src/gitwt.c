/* gitwt — task worktrees: add, list, remove, prune (include/gitwt.h;
 * call sequences and traps from notes/libgit2.md §4-§6, §11). */
#include "gitwt.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_info(const void *a, const void *b)
{
	const struct gitwt_info *x = a, *y = b;
	return strcmp(x->id, y->id);
}

int gitwt_is_merged(struct gitrepo *r, const char *base, const char *branch)
{
	git_oid b, t;
	if (!base || gitrepo_branch_oid(r, base, &b, NULL) < 0 ||
	    gitrepo_branch_oid(r, branch, &t, NULL) < 0)
		return 0;
	return git_oid_equal(&b, &t) || git_graph_descendant_of(r->git, &b, &t) == 1;
}

static void fill_info(struct gitrepo *r, const git_oid *base_oid, int detail,
		      struct gitwt_info *w, const char *admin)
{
	char *p = xasprintf("%s/HEAD", admin);
	char *head = util_read_trimmed(p);
	free(p);
	git_oid oid;
	int have = 0;
	if (head && !strncmp(head, "ref: refs/heads/", 16)) {
		w->branch = xstrdup(head + 16);
		have = git_reference_name_to_id(&oid, r->git, head + 5) == 0;
	} else if (head && git_oid_fromstr(&oid, head) == 0) {
		have = 1;
	}
	free(head);
	if (have)
		git_oid_tostr(w->head, sizeof w->head, &oid);
	p = xasprintf("%s/locked", admin);
	if (gitrepo_exists(p)) {
		w->locked = 1;
		w->lock_reason = util_read_trimmed(p);
	}
	free(p);
	w->stale = !gitrepo_exists(w->path);
	w->ahead = w->behind = -1;
	if (have && base_oid) {
		size_t a = 0, b = 0;
		if (git_graph_ahead_behind(&a, &b, r->git, &oid, base_oid) == 0) {
			w->ahead = (int)a;
			w->behind = (int)b;
		}
		w->merged = git_oid_equal(&oid, base_oid) ||
			    git_graph_descendant_of(r->git, base_oid, &oid) == 1;
	}
	w->dirty = -1;
	if (!w->stale && detail) {
		git_repository *wr = NULL;
		if (git_repository_open(&wr, w->path) == 0) {
			int d = gitrepo_dirty(wr, 1, NULL, 0, NULL);
			w->dirty = d < 0 ? -1 : d;
		}
		git_repository_free(wr);
	}
}

/* detail = 0: no status scan (used by the mutating operations, which must
 * not cost a full status of every other worktree). */
static int list_impl(struct gitrepo *r, const char *base, int detail, struct gitwt_info **out,
		     int *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	git_oid boid;
	const git_oid *bp = NULL;
	if (base) {
		if (gitrepo_branch_oid(r, base, &boid, e) < 0)
			return -1;
		bp = &boid;
	}
	char *wts = xasprintf("%s/worktrees", r->gitdir);
	char *pre = xasprintf("%s/worktrees/", r->shoal);
	size_t prelen = strlen(pre);
	struct gitwt_info *v = NULL;
	size_t cap = 0, cnt = 0;
	DIR *d = opendir(wts);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *admin = xasprintf("%s/%s", wts, de->d_name);
			char *gp = xasprintf("%s/gitdir", admin);
			char *g = util_read_trimmed(gp);
			free(gp);
			if (g) {
				size_t gl = strlen(g);
				if (gl > 5 && !strcmp(g + gl - 5, "/.git"))
					g[gl - 5] = 0;
			}
			if (g && !strncmp(g, pre, prelen) && g[prelen] && !strchr(g + prelen, '/')) {
				xgrow((void **)&v, &cap, cnt + 1, sizeof *v);
				struct gitwt_info *w = &v[cnt++];
				memset(w, 0, sizeof *w);
				w->id = xstrdup(g + prelen);
				w->name = xstrdup(de->d_name);
				w->path = xstrdup(g);
				fill_info(r, bp, detail, w, admin);
			}
			free(g);
			free(admin);
		}
		closedir(d);
	}
	free(wts);
	free(pre);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_info);
	*out = v;
	*n = (int)cnt;
	return 0;
}

int gitwt_list(struct gitrepo *r, const char *base, struct gitwt_info **out, int *n,
	       struct err *e)
{
	return list_impl(r, base, 1, out, n, e);
}

int gitwt_list_fast(struct gitrepo *r, const char *base, struct gitwt_info **out, int *n,
		    struct err *e)
{
	return list_impl(r, base, 0, out, n, e);
}

void gitwt_list_free(struct gitwt_info *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].path);
		free(v[i].branch);
		free(v[i].lock_reason);
	}
	free(v);
}

const struct gitwt_info *gitwt_find(const struct gitwt_info *v, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

/* Removes a worktree's admin data and directory; respects nothing (the
 * caller decided). */
static int drop_worktree(struct gitrepo *r, const struct gitwt_info *w, struct err *e)
{
	git_worktree *wt = NULL;
	char *admin = xasprintf("%s/worktrees/%s", r->gitdir, w->name);
	int rc = 0;
	git_error_clear();
	if (git_worktree_lookup(&wt, r->git, w->name) == 0) {
		git_worktree_prune_options po;
		git_worktree_prune_options_init(&po, GIT_WORKTREE_PRUNE_OPTIONS_VERSION);
		po.flags = GIT_WORKTREE_PRUNE_VALID | GIT_WORKTREE_PRUNE_WORKING_TREE |
			   GIT_WORKTREE_PRUNE_LOCKED;
		git_error_clear();
		if (git_worktree_prune(wt, &po) < 0)
			rc = gitrepo_fail(e, "cannot remove the worktree %s", w->path);
		git_worktree_free(wt);
	}
	if (rc == 0 && gitrepo_exists(admin) && gitrepo_rmtree(admin) < 0)
		rc = err_set(e, "cannot remove %s: %s", admin, strerror(errno));
	if (rc == 0 && gitrepo_exists(w->path) && gitrepo_rmtree(w->path) < 0)
		rc = err_set(e, "cannot remove %s: %s", w->path, strerror(errno));
	free(admin);
	return rc;
}

struct prog {
	gitwt_progress_fn fn;
	void *ud;
};
static void add_progress(const char *path, size_t done, size_t total, void *payload)
{
	struct prog *p = payload;
	if (p->fn)
		p->fn(path, done, total, p->ud);
}

int gitwt_add(struct gitrepo *r, const char *base, const char *branch, const char *id,
	      gitwt_progress_fn progress, void *ud, struct gitwt_add_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (gitrepo_check_names(id, branch, e) < 0 || gitrepo_prepare(r, e) < 0)
		return -1;
	char *path = xasprintf("%s/worktrees/%s", r->shoal, id);
	char *refname = xasprintf("refs/heads/%s", branch);
	char *name = NULL, *admin = NULL, *holder = NULL;
	git_reference *br = NULL;
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_worktree *wt = NULL;
	int created = 0, rc = -1;
	struct gitwt_info *v = NULL;
	int nv = 0;

	if (list_impl(r, NULL, 0, &v, &nv, e) < 0)
		goto out;
	const struct gitwt_info *old = gitwt_find(v, nv, id);
	if (old && old->stale && old->locked) {
		err_set(e, "task \"%s\" has a stale worktree entry (%s deleted) that is locked%s%s; "
			   "unlock it (git worktree unlock) or remove it with --force",
			id, old->path, old->lock_reason && *old->lock_reason ? ": " : "",
			old->lock_reason ? old->lock_reason : "");
		goto out;
	}
	if (old && old->stale) {
		if (drop_worktree(r, old, e) < 0)
			goto out;
		res->pruned_stale = 1;
	} else if (old) {
		err_set(e, "task \"%s\" already has a worktree at %s (branch %s)", id, old->path,
			old->branch ? old->branch : "detached");
		goto out;
	}
	if (gitrepo_exists(path)) {
		if (rmdir(path) < 0) {
			err_set(e, "%s already exists and is not a worktree of this repository: move "
				   "it away first", path);
			goto out;
		}
	}
	/* The admin dir name: the id, unless a non-shoal worktree already uses it. */
	for (int i = 0; i < 100 && !name; i++) {
		char *nm = i ? xasprintf("%s-%d", id, i) : xstrdup(id);
		char *ad = xasprintf("%s/worktrees/%s", r->gitdir, nm);
		if (!gitrepo_exists(ad)) {
			name = nm;
			admin = ad;
		} else {
			free(nm);
			free(ad);
		}
	}
	if (!name) {
		err_set(e, "no free worktree admin name for \"%s\" in %s/worktrees", id, r->gitdir);
		goto out;
	}
	git_error_clear();
	if (git_branch_lookup(&br, r->git, branch, GIT_BRANCH_LOCAL) == 0) {
		holder = gitrepo_branch_holder(r, refname);
		if (holder) {
			err_set(e, "branch %s is already checked out in %s", branch,
				*holder ? holder : "the main worktree");
			goto out;
		}
		res->reused = 1;
		if (gitrepo_add_intent(r, id, name, branch, 0, e) < 0)
			goto out;
	} else {
		char *bname = NULL;
		if (gitrepo_base(r, base, &bname, e) < 0)
			goto out;
		git_error_clear();
		char *full = xasprintf("refs/heads/%s", bname); /* not a same-named tag */
		int prc = git_revparse_single(&obj, r->git, full);
		free(full);
		if (prc == 0)
			prc = git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT);
		if (prc < 0) {
			gitrepo_fail(e, "cannot resolve base \"%s\"", bname);
			free(bname);
			goto out;
		}
		free(bname);
		if (gitrepo_add_intent(r, id, name, branch, 1, e) < 0)
			goto out;
		git_error_clear();
		if (git_branch_create(&br, r->git, branch, commit, 0) < 0) {
			gitrepo_fail(e, "cannot create branch %s", branch);
			gitrepo_add_done(r, id);
			goto out;
		}
		created = 1;
	}
	struct prog pg = { progress, ud };
	git_worktree_add_options o;
	git_worktree_add_options_init(&o, GIT_WORKTREE_ADD_OPTIONS_VERSION);
	o.ref = br;
	o.checkout_options.progress_cb = add_progress;
	o.checkout_options.progress_payload = &pg;
	git_oid tip;
	if (git_reference_name_to_id(&tip, r->git, refname) == 0 && !gitrepo_filters_needed(r, &tip))
		o.checkout_options.disable_filters = 1;
	git_error_clear();
	if (git_worktree_add(&wt, r->git, name, path, &o) < 0) {
		gitrepo_fail(e, "cannot create the worktree %s", path);
		/* libgit2 leaves partial state behind (B1): undo all we made. */
		gitrepo_rmtree(admin);
		gitrepo_rmtree(path);
		if (created) {
			git_reference *b2 = NULL;
			if (git_branch_lookup(&b2, r->git, branch, GIT_BRANCH_LOCAL) == 0)
				git_branch_delete(b2);
			git_reference_free(b2);
		}
		gitrepo_add_done(r, id);
		goto out;
	}
	gitrepo_add_done(r, id);
	git_oid oid;
	if (git_reference_name_to_id(&oid, r->git, refname) == 0)
		git_oid_tostr(res->head, sizeof res->head, &oid);
	res->path = xstrdup(path);
	rc = 0;
out:
	gitwt_list_free(v, nv);
	git_worktree_free(wt);
	git_commit_free(commit);
	git_object_free(obj);
	git_reference_free(br);
	free(holder);
	free(name);
	free(admin);
	free(path);
	free(refname);
	return rc;
}

int gitwt_start(struct gitrepo *r, const char *base, const char *branch, const char *id, int fresh,
		gitwt_progress_fn progress, void *ud, struct gitwt_add_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (gitrepo_check_names(id, branch, e) < 0 || gitrepo_prepare(r, e) < 0)
		return -1;
	struct gitwt_info *v = NULL;
	int nv = 0, discarded = 0;
	if (list_impl(r, NULL, 0, &v, &nv, e) < 0)
		return -1;
	const struct gitwt_info *w = gitwt_find(v, nv, id);
	if (w && !fresh && !w->stale && w->branch && !strcmp(w->branch, branch)) {
		res->path = xstrdup(w->path);
		snprintf(res->head, sizeof res->head, "%s", w->head);
		res->reused = res->existing = 1;
		gitwt_list_free(v, nv);
		return 0;
	}
	if (fresh && w) {
		if (w->locked) {
			err_set(e, "the worktree %s is locked: unlock it before retrying from scratch",
				w->path);
			gitwt_list_free(v, nv);
			return -1;
		}
		if (drop_worktree(r, w, e) < 0) {
			gitwt_list_free(v, nv);
			return -1;
		}
		discarded = 1;
	}
	gitwt_list_free(v, nv);
	if (fresh) {
		char *ref = xasprintf("refs/heads/%s", branch);
		char *holder = gitrepo_branch_holder(r, ref);
		git_reference *b = NULL;
		int rc = 0;
		if (holder) {
			rc = err_set(e, "branch %s is checked out in %s: cannot start it from scratch",
				     branch, *holder ? holder : "the main worktree");
		} else if (git_branch_lookup(&b, r->git, branch, GIT_BRANCH_LOCAL) == 0) {
			git_error_clear();
			if (git_branch_delete(b) < 0)
				rc = gitrepo_fail(e, "cannot delete branch %s", branch);
			else
				discarded = 1;
		}
		git_reference_free(b);
		free(holder);
		free(ref);
		if (rc < 0)
			return -1;
	}
	int rc = gitwt_add(r, base, branch, id, progress, ud, res, e);
	res->discarded = discarded;
	return rc;
}

void gitwt_add_result_free(struct gitwt_add_result *res)
{
	free(res->path);
	res->path = NULL;
}

int gitwt_remove(struct gitrepo *r, const char *base, const char *id, int force,
		 struct gitwt_remove_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (gitrepo_prepare(r, e) < 0)
		return -1;
	struct gitwt_info *v = NULL;
	int nv = 0, rc = -1;
	if (list_impl(r, base, 0, &v, &nv, e) < 0)
		return -1;
	const struct gitwt_info *w = gitwt_find(v, nv, id);
	if (!w) {
		err_set(e, "no shoal worktree for task \"%s\" (see shoal worktree list)", id);
		goto out;
	}
	if (w->locked && !force) {
		err_set(e, "the worktree %s is locked%s%s: unlock it (git worktree unlock) or use "
			   "--force", w->path, w->lock_reason && *w->lock_reason ? ": " : "",
			w->lock_reason ? w->lock_reason : "");
		goto out;
	}
	if (!w->stale && !force) {
		git_repository *wr = NULL;
		char **paths = NULL;
		git_error_clear();
		if (git_repository_open(&wr, w->path) < 0) {
			gitrepo_fail(e, "cannot open the worktree %s (use --force to remove it anyway)",
				     w->path);
			goto out;
		}
		int d = gitrepo_dirty(wr, 1, &paths, 5, e);
		git_repository_free(wr);
		if (d > 0) {
			struct sbuf b = { 0 };
			for (int i = 0; paths[i]; i++)
				sbuf_printf(&b, "%s%s", i ? ", " : "", paths[i]);
			err_set(e, "the worktree %s has %d uncommitted change%s (%s%s): commit or "
				   "discard them, or use --force", w->path, d, d == 1 ? "" : "s", b.s,
				d > 5 ? ", ..." : "");
			sbuf_free(&b);
		}
		for (int i = 0; paths && paths[i]; i++)
			free(paths[i]);
		free(paths);
		if (d != 0)
			goto out;
	}
	if (drop_worktree(r, w, e) < 0)
		goto out;
	rc = 0;
	if (w->branch) {
		res->branch = xstrdup(w->branch);
		int merged = gitwt_is_merged(r, base, w->branch);
		char *ref = xasprintf("refs/heads/%s", w->branch);
		char *holder = gitrepo_branch_holder(r, ref);
		free(ref);
		if ((merged || force) && !holder) {
			git_reference *b = NULL;
			git_error_clear();
			if (git_branch_lookup(&b, r->git, w->branch, GIT_BRANCH_LOCAL) == 0) {
				if (git_branch_delete(b) < 0)
					rc = gitrepo_fail(e, "worktree removed, but cannot delete branch %s",
							  w->branch);
				else
					res->branch_deleted = 1;
			}
			git_reference_free(b);
		} else if (!merged) {
			res->branch_kept_unmerged = 1;
		}
		free(holder);
	}
out:
	gitwt_list_free(v, nv);
	if (rc < 0)
		gitwt_remove_result_free(res);
	return rc;
}

void gitwt_remove_result_free(struct gitwt_remove_result *res)
{
	free(res->branch);
	res->branch = NULL;
}

int gitwt_dirty(struct gitrepo *r, const char *id)
{
	struct gitwt_info *v = NULL;
	int nv = 0, n = -1;
	if (list_impl(r, NULL, 0, &v, &nv, NULL) < 0)
		return -1;
	const struct gitwt_info *w = gitwt_find(v, nv, id);
	git_repository *wr = NULL;
	if (w && !w->stale && git_repository_open(&wr, w->path) == 0)
		n = gitrepo_dirty(wr, 1, NULL, 0, NULL);
	git_repository_free(wr);
	gitwt_list_free(v, nv);
	return n;
}

int gitwt_prune(struct gitrepo *r, struct err *e)
{
	if (gitrepo_prepare(r, e) < 0)
		return -1;
	int n = r->recovered;
	struct gitwt_info *v = NULL;
	int nv = 0;
	if (list_impl(r, NULL, 0, &v, &nv, e) < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < nv && rc == 0; i++) {
		if (!v[i].stale || v[i].locked)
			continue;
		if (drop_worktree(r, &v[i], e) < 0)
			rc = -1;
		else
			n++;
	}
	gitwt_list_free(v, nv);
	return rc < 0 ? -1 : n;
}
