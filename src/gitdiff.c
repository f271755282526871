/* gitdiff — changed files per task, overlaps, territory (include/gitdiff.h,
 * notes/libgit2.md §7). */
#include "gitdiff.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

int gitdiff_territory_match(const char *path, char *const *territory)
{
	if (!territory || !territory[0])
		return 1;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (*path == '/')
		path++;
	for (int i = 0; territory[i]; i++) {
		const char *t = territory[i];
		while (t[0] == '.' && t[1] == '/')
			t += 2;
		while (*t == '/')
			t++;
		size_t n = strlen(t);
		while (n && t[n - 1] == '/')
			n--;
		if (n == 0 || (n == 1 && t[0] == '.'))
			return 1;
		if (!strncmp(path, t, n) && (path[n] == 0 || path[n] == '/'))
			return 1;
	}
	return 0;
}

static void add_file(struct gitdiff_task *t, size_t *cap, const git_diff_delta *d, git_patch *p,
		     int uncommitted, char *const *territory)
{
	xgrow((void **)&t->files, cap, (size_t)t->nfiles + 1, sizeof *t->files);
	struct gitdiff_file *f = &t->files[t->nfiles++];
	memset(f, 0, sizeof *f);
	switch (d->status) {
	case GIT_DELTA_ADDED: f->status = 'A'; break;
	case GIT_DELTA_DELETED: f->status = 'D'; break;
	case GIT_DELTA_RENAMED: f->status = 'R'; break;
	case GIT_DELTA_COPIED: f->status = 'C'; break;
	case GIT_DELTA_TYPECHANGE: f->status = 'T'; break;
	case GIT_DELTA_UNTRACKED: f->status = '?'; break;
	default: f->status = 'M'; break;
	}
	f->path = xstrdup(d->new_file.path);
	f->old_path = xstrdup(d->old_file.path);
	f->uncommitted = uncommitted;
	size_t add = 0, del = 0;
	if ((d->flags & GIT_DIFF_FLAG_BINARY) || !p || git_patch_line_stats(NULL, &add, &del, p) < 0) {
		f->added = f->removed = -1;
	} else {
		f->added = (int)add;
		f->removed = (int)del;
		t->added += f->added;
		t->removed += f->removed;
	}
	f->outside = !gitdiff_territory_match(f->path, territory) ||
		     !gitdiff_territory_match(f->old_path, territory);
	if (f->outside)
		t->nviolations++;
}

static int add_diff(struct gitdiff_task *t, size_t *cap, git_diff *diff, int uncommitted,
		    char *const *territory, struct err *e)
{
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES | (uncommitted ? GIT_DIFF_FIND_FOR_UNTRACKED : 0);
	git_error_clear();
	if (git_diff_find_similar(diff, &fo) < 0)
		return gitrepo_fail(e, "cannot detect renames");
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		git_patch *p = NULL;
		if (git_patch_from_diff(&p, diff, i) < 0)
			p = NULL;
		add_file(t, cap, git_diff_get_delta(diff, i), p, uncommitted, territory);
		git_patch_free(p);
	}
	return 0;
}

int gitdiff_task(struct gitrepo *r, const char *base, const char *branch, const char *wt_path,
		 char *const *territory, struct gitdiff_task *t, struct err *e)
{
	const char *id = t->id;
	memset(t, 0, sizeof *t);
	t->id = id;
	git_oid boid, toid, mb;
	git_commit *cm = NULL, *ct = NULL;
	git_tree *tm = NULL, *tt = NULL;
	git_diff *diff = NULL;
	git_repository *wr = NULL;
	size_t cap = 0;
	int rc = -1;
	if (gitrepo_branch_oid(r, base, &boid, e) < 0 || gitrepo_branch_oid(r, branch, &toid, e) < 0)
		return -1;
	git_error_clear();
	int mrc = git_merge_base(&mb, r->git, &boid, &toid);
	if (mrc == GIT_ENOTFOUND)
		return err_set(e, "branch %s and base %s have unrelated histories (no merge base)",
			       branch, base);
	if (mrc < 0)
		return gitrepo_fail(e, "cannot find the merge base of %s and %s", branch, base);
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	git_error_clear();
	if (git_commit_lookup(&cm, r->git, &mb) < 0 || git_commit_lookup(&ct, r->git, &toid) < 0 ||
	    git_commit_tree(&tm, cm) < 0 || git_commit_tree(&tt, ct) < 0 ||
	    git_diff_tree_to_tree(&diff, r->git, tm, tt, &o) < 0) {
		gitrepo_fail(e, "cannot diff %s against its merge base", branch);
		goto out;
	}
	if (add_diff(t, &cap, diff, 0, territory, e) < 0)
		goto out;
	git_diff_free(diff);
	diff = NULL;
	if (wt_path && gitrepo_exists(wt_path) && git_repository_open(&wr, wt_path) == 0) {
		git_reference *h = NULL;
		git_commit *hc = NULL;
		git_tree *ht = NULL;
		o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
			  GIT_DIFF_SHOW_UNTRACKED_CONTENT;
		git_error_clear();
		int drc = git_repository_head(&h, wr);
		if (drc == 0)
			drc = git_reference_peel((git_object **)&hc, h, GIT_OBJECT_COMMIT);
		if (drc == 0)
			drc = git_commit_tree(&ht, hc);
		if (drc == 0)
			drc = git_diff_tree_to_workdir_with_index(&diff, wr, ht, &o);
		if (drc < 0)
			gitrepo_fail(e, "cannot read the uncommitted changes in %s", wt_path);
		else
			drc = add_diff(t, &cap, diff, 1, territory, e);
		git_tree_free(ht);
		git_commit_free(hc);
		git_reference_free(h);
		if (drc < 0)
			goto out;
	}
	rc = 0;
out:
	git_repository_free(wr);
	git_diff_free(diff);
	git_tree_free(tm);
	git_tree_free(tt);
	git_commit_free(cm);
	git_commit_free(ct);
	if (rc < 0)
		gitdiff_task_free(t);
	return rc;
}

static void free_overlaps(struct gitdiff_task *t)
{
	for (int i = 0; i < t->noverlaps; i++)
		free(t->overlaps[i].path);
	free(t->overlaps);
	t->overlaps = NULL;
	t->noverlaps = 0;
}

void gitdiff_task_free(struct gitdiff_task *t)
{
	for (int i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].old_path);
	}
	free(t->files);
	t->files = NULL;
	t->nfiles = 0;
	free_overlaps(t);
}

struct occ {
	const char *path;
	int task;
};

static int cmp_occ(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : x->task - y->task;
}

void gitdiff_overlaps(struct gitdiff_task *tasks, int n)
{
	struct occ *v = NULL;
	size_t cap = 0, cnt = 0;
	for (int i = 0; i < n; i++) {
		free_overlaps(&tasks[i]);
		for (int j = 0; j < tasks[i].nfiles; j++) {
			const struct gitdiff_file *f = &tasks[i].files[j];
			xgrow((void **)&v, &cap, cnt + 2, sizeof *v);
			v[cnt++] = (struct occ){ f->path, i };
			if (strcmp(f->old_path, f->path))
				v[cnt++] = (struct occ){ f->old_path, i };
		}
	}
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_occ);
	size_t *caps = xcalloc((size_t)n + 1, sizeof *caps);
	for (size_t s = 0; s < cnt;) {
		size_t e = s;
		while (e < cnt && !strcmp(v[e].path, v[s].path))
			e++;
		for (size_t a = s; a < e; a++) {
			if (a > s && v[a].task == v[a - 1].task)
				continue;
			for (size_t b = s; b < e; b++) {
				if (v[b].task == v[a].task || (b > s && v[b].task == v[b - 1].task))
					continue;
				struct gitdiff_task *t = &tasks[v[a].task];
				xgrow((void **)&t->overlaps, &caps[v[a].task], (size_t)t->noverlaps + 1,
				      sizeof *t->overlaps);
				t->overlaps[t->noverlaps++] =
					(struct gitdiff_overlap){ xstrdup(v[a].path), tasks[v[b].task].id };
			}
		}
		s = e;
	}
	free(caps);
	free(v);
}

/* ---- the patch text ---- */

struct patch_out {
	struct sbuf *b;
	int lines, max, cut;
};

static int patch_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
		      void *ud)
{
	(void)d, (void)h;
	struct patch_out *o = ud;
	if (o->lines >= o->max) {
		o->cut = 1;
		return 1; /* stops the print */
	}
	if (l->origin == GIT_DIFF_LINE_CONTEXT || l->origin == GIT_DIFF_LINE_ADDITION ||
	    l->origin == GIT_DIFF_LINE_DELETION)
		sbuf_addc(o->b, l->origin);
	sbuf_add(o->b, l->content, l->content_len);
	for (size_t k = 0; k < l->content_len; k++)
		o->lines += l->content[k] == '\n';
	if (l->content_len && l->content[l->content_len - 1] != '\n' &&
	    l->origin != GIT_DIFF_LINE_CONTEXT_EOFNL && l->origin != GIT_DIFF_LINE_ADD_EOFNL &&
	    l->origin != GIT_DIFF_LINE_DEL_EOFNL) {
		sbuf_addc(o->b, '\n');
		o->lines++;
	}
	return 0;
}

int gitdiff_patch(struct gitrepo *r, const char *base, const char *branch, int max_lines,
		  char **out, int *truncated, struct err *e)
{
	*out = NULL;
	*truncated = 0;
	git_oid boid, toid, mb;
	git_commit *cm = NULL, *ct = NULL;
	git_tree *tm = NULL, *tt = NULL;
	git_diff *diff = NULL;
	if (gitrepo_branch_oid(r, base, &boid, e) < 0 || gitrepo_branch_oid(r, branch, &toid, e) < 0)
		return -1;
	git_error_clear();
	int mrc = git_merge_base(&mb, r->git, &boid, &toid);
	if (mrc == GIT_ENOTFOUND)
		return err_set(e, "branch %s and base %s have unrelated histories (no merge base)",
			       branch, base);
	if (mrc < 0)
		return gitrepo_fail(e, "cannot find the merge base of %s and %s", branch, base);
	int rc = -1;
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	git_error_clear();
	if (git_commit_lookup(&cm, r->git, &mb) < 0 || git_commit_lookup(&ct, r->git, &toid) < 0 ||
	    git_commit_tree(&tm, cm) < 0 || git_commit_tree(&tt, ct) < 0 ||
	    git_diff_tree_to_tree(&diff, r->git, tm, tt, &o) < 0 || git_diff_find_similar(diff, &fo) < 0) {
		gitrepo_fail(e, "cannot diff %s against its merge base", branch);
		goto out;
	}
	struct sbuf b = { 0 };
	struct patch_out po = { &b, 0, max_lines > 0 ? max_lines : 20000, 0 };
	git_error_clear();
	int prc = git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, patch_line, &po);
	if (prc < 0 && !po.cut) {
		sbuf_free(&b);
		gitrepo_fail(e, "cannot print the diff of %s", branch);
		goto out;
	}
	*truncated = po.cut;
	*out = sbuf_steal(&b);
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(tm);
	git_tree_free(tt);
	git_commit_free(cm);
	git_commit_free(ct);
	return rc;
}
