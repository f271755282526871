/* views_git — changes and merge previews computed on the git worker (see
 * include/views_git.h). The request is a copy of the tasks' ids, branches,
 * worktrees, territories and states made on the UI thread; the job builds
 * the view's lines from it with its own repository handle. */
#include "views_git.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "gitdiff.h"
#include "gitrepo.h"
#include "merge.h"
#include "orch.h"
#include "sidebar.h"
#include "views.h"
#include "vlines.h"

#define VG_DIFF_LINES 20000

enum vg_kind { VG_CHANGES, VG_MERGE, VG_WAVE };

struct vg_task {
	char *id, *branch, *worktree;
	strv territory;
	enum task_state st;
};

struct vg_req {
	enum vg_kind kind;
	char *base;     /* the plan's base (NULL: the main worktree's branch) */
	char *validate; /* the plan's validation command, or NULL */
	int wave;       /* VG_WAVE */
	int sel;        /* index into t of the selected task, or -1 */
	struct vg_task *t;
	int n;
};

struct vg_result {
	struct vlines l;
	char summary[480]; /* the question, or why the merge cannot go ahead */
	int ok;            /* the merge can go ahead */
};

static strv strv_copy(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	strv c = xcalloc(n + 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void req_add(struct vg_req *q, struct dash *d, int i)
{
	struct orch_task *ot = &d->o->t[i];
	struct vg_task *t = &q->t[q->n++];
	t->id = xstrdup(d->p->tasks[i].id);
	t->branch = ot->branch ? xstrdup(ot->branch) : NULL;
	t->worktree = ot->worktree ? xstrdup(ot->worktree) : NULL;
	t->territory = strv_copy(d->p->tasks[i].territory);
	t->st = ot->st;
}

static struct vg_req *req_new(struct dash *d, enum vg_kind kind)
{
	struct vg_req *q = xcalloc(1, sizeof *q);
	q->kind = kind;
	q->base = d->p->base ? xstrdup(d->p->base) : NULL;
	q->validate = d->p->validate ? xstrdup(d->p->validate) : NULL;
	q->sel = -1;
	q->t = xcalloc((size_t)d->p->ntasks + 1, sizeof *q->t);
	return q;
}

static void req_free(void *p)
{
	struct vg_req *q = p;
	for (int k = 0; k < q->n; k++) {
		free(q->t[k].id);
		free(q->t[k].branch);
		free(q->t[k].worktree);
		strv_free(q->t[k].territory);
	}
	free(q->t);
	free(q->base);
	free(q->validate);
	free(q);
}

static void result_free(void *p)
{
	struct vg_result *res = p;
	vlines_free(&res->l);
	free(res);
}

/* ---- on the worker ---- */

static void diff_lines(struct vlines *b, const char *text)
{
	for (const char *s = text; s && *s;) {
		size_t n = strcspn(s, "\n");
		char *line = xstrndup(s, n);
		for (char *c = line; *c; c++)
			if (*c == '\t')
				*c = ' ';
		enum theme_role r = TH_NORMAL;
		if (!strncmp(line, "+++", 3) || !strncmp(line, "---", 3) || !strncmp(line, "diff ", 5))
			r = TH_WAVE;
		else if (line[0] == '+')
			r = TH_DIFF_ADD;
		else if (line[0] == '-')
			r = TH_DIFF_DEL;
		else if (!strncmp(line, "@@", 2))
			r = TH_DIFF_HUNK;
		vlines_add(b, r, "%s", line);
		free(line);
		s += n + (s[n] == '\n');
	}
}

/* The changes of every task of q (those git can read), overlaps marked;
 * *idx maps each to its index in q. Returns how many. */
static int diff_tasks(struct gitrepo *gr, const struct vg_req *q, const char *base,
		      struct gitdiff_task **gtp, int **idxp)
{
	struct gitdiff_task *gt = xcalloc((size_t)q->n + 1, sizeof *gt);
	int *idx = xcalloc((size_t)q->n + 1, sizeof *idx);
	int m = 0;
	for (int k = 0; k < q->n; k++) {
		struct err e2 = { { 0 } };
		if (gitdiff_task(gr, base, q->t[k].branch, q->t[k].worktree, q->t[k].territory, &gt[m],
				 &e2) < 0)
			continue;
		gt[m].id = q->t[k].id;
		idx[m++] = k;
	}
	gitdiff_overlaps(gt, m);
	*gtp = gt;
	*idxp = idx;
	return m;
}

static int job_changes(struct gitrepo *gr, struct vg_req *q, const char *base, struct vg_result *res)
{
	struct vlines *b = &res->l;
	struct gitdiff_task *gt;
	int *idx;
	int m = diff_tasks(gr, q, base, &gt, &idx);
	vlines_add(b, TH_TITLE, "Changes against %s (%d task branch%s)", base, m, m == 1 ? "" : "es");
	if (m == 0)
		vlines_add(b, TH_DIM, "%s", "no task has a branch with changes yet");
	int sel_k = -1;
	for (int k = 0; k < m; k++) {
		if (idx[k] == q->sel)
			sel_k = k;
		vlines_add(b, TH_NORMAL, "%s", "");
		vlines_add(b, idx[k] == q->sel ? TH_SELECTED : TH_WAVE, "%s  %d file%s  +%d -%d%s%s",
			   gt[k].id, gt[k].nfiles, gt[k].nfiles == 1 ? "" : "s", gt[k].added,
			   gt[k].removed, gt[k].nviolations ? "  ⚠ outside territory" : "",
			   gt[k].noverlaps ? "  ⚠ overlaps" : "");
		for (int f = 0; f < gt[k].nfiles; f++) {
			struct gitdiff_file *gf = &gt[k].files[f];
			char nums[32];
			if (gf->added < 0)
				snprintf(nums, sizeof nums, "binary");
			else
				snprintf(nums, sizeof nums, "+%d -%d", gf->added, gf->removed);
			vlines_add(b, gf->outside ? TH_WARN : TH_NORMAL, "  %c %-40s %-12s%s%s", gf->status,
				   gf->path, nums, gf->uncommitted ? " (uncommitted)" : "",
				   gf->outside ? " outside territory" : "");
		}
		for (int v = 0; v < gt[k].noverlaps; v++)
			vlines_add(b, TH_WARN, "  ⚠ %s also changed by %s", gt[k].overlaps[v].path,
				   gt[k].overlaps[v].other);
	}
	if (sel_k >= 0) { /* the selected task's diff */
		const char *branch = q->t[q->sel].branch;
		vlines_add(b, TH_NORMAL, "%s", "");
		vlines_add(b, TH_TITLE, "git diff %s...%s", base, branch);
		char *text = NULL;
		int cut = 0;
		struct err e2 = { { 0 } };
		if (gitdiff_patch(gr, base, branch, VG_DIFF_LINES, &text, &cut, &e2) < 0)
			vlines_add(b, TH_ERROR, "%s", e2.msg);
		else {
			diff_lines(b, text);
			if (cut)
				vlines_add(b, TH_DIM, "... cut at %d lines", VG_DIFF_LINES);
		}
		free(text);
	}
	for (int k = 0; k < m; k++)
		gitdiff_task_free(&gt[k]);
	free(gt);
	free(idx);
	return 0;
}

static int preview_one(struct gitrepo *gr, const char *base, const struct vg_task *t,
		       struct vlines *b, char *why, size_t cap)
{
	if (!t->branch) {
		snprintf(why, cap, "%s has no branch yet", t->id);
		return -1;
	}
	struct merge_preview pv;
	struct err e = { { 0 } };
	if (merge_preview(gr, base, t->branch, &pv, &e) < 0) {
		snprintf(why, cap, "%s: %.300s", t->id, e.msg);
		return -1;
	}
	int rc = 0;
	vlines_add(b, TH_WAVE, "%s (%s) → %s: %s, %d commit%s", t->id, t->branch, base,
		   merge_kind_name(pv.kind), pv.ahead, pv.ahead == 1 ? "" : "s");
	if (pv.kind == MERGE_CONFLICT) {
		for (int k = 0; k < pv.nconflicts; k++)
			vlines_add(b, TH_ERROR, "   conflict: %s", pv.conflicts[k]);
		snprintf(why, cap, "%s conflicts with %s in %d file%s (B merges %s into it to resolve there)",
			 t->id, base, pv.nconflicts, pv.nconflicts == 1 ? "" : "s", base);
		rc = -1;
	} else if (pv.kind == MERGE_UNRELATED) {
		snprintf(why, cap, "%s has no history in common with %s", t->id, base);
		rc = -1;
	}
	merge_preview_free(&pv);
	struct gitdiff_task gt;
	if (gitdiff_task(gr, base, t->branch, t->worktree, t->territory, &gt, &e) == 0) {
		for (int f = 0; f < gt.nfiles; f++) {
			struct gitdiff_file *gf = &gt.files[f];
			vlines_add(b, gf->outside ? TH_WARN : TH_NORMAL, "   %c %s  +%d -%d%s%s", gf->status,
				   gf->path, gf->added, gf->removed,
				   gf->uncommitted ? " (uncommitted: not merged)" : "",
				   gf->outside ? "  ⚠ outside its territory" : "");
		}
		gitdiff_task_free(&gt);
	}
	return rc;
}

static int job_merge(struct gitrepo *gr, struct vg_req *q, const char *base, struct vg_result *res)
{
	struct vlines *b = &res->l;
	const struct vg_task *t = &q->t[0];
	vlines_add(b, TH_TITLE, "%s", "Merge preview (in memory: nothing is touched yet)");
	char why[400] = "";
	int rc = preview_one(gr, base, t, b, why, sizeof why);
	const char *val = q->validate;
	vlines_add(b, TH_NORMAL, "%s", "");
	vlines_add(b, TH_DIM, "then: %s", val ? val : "(no validation command in the plan)");
	if (rc < 0) {
		snprintf(res->summary, sizeof res->summary, "%s", why);
		return 0;
	}
	res->ok = 1;
	snprintf(res->summary, sizeof res->summary,
		 "Merge %s into %s%s%s? The base moves only if it merges cleanly%s.", t->id, base,
		 val ? ", then run " : "", val ? val : "", val ? " and passes" : "");
	return 0;
}

/* The wave as it will merge: each task on top of the ones before it (a dry
 * run: merge commits are built as objects, no ref moves), so a conflict the
 * second task only has with the first shows now. Fills stop with where the
 * wave merge will stop, if it will. */
static void wave_sequence(struct gitrepo *gr, const char *base, const struct merge_wave_item *items,
			  int n, struct vlines *b, char *stop, size_t cap)
{
	struct merge_result *res = xcalloc((size_t)n, sizeof *res);
	struct merge_opts mo = { .dry_run = 1 };
	struct err e = { { 0 } };
	int done = 0;
	int rc = merge_wave(gr, base, items, n, &mo, res, &done, &e);
	vlines_add(b, TH_NORMAL, "%s", "");
	vlines_add(b, TH_TITLE, "%s", "In sequence (each on top of the ones before it):");
	for (int k = 0; k < done; k++) {
		struct merge_result *m = &res[k];
		if (m->outcome == MERGE_CONFLICTED) {
			struct sbuf f = { 0 };
			for (int c = 0; c < m->preview.nconflicts; c++)
				sbuf_printf(&f, "%s%s", c ? ", " : "", m->preview.conflicts[c]);
			if (k == 0)
				vlines_add(b, TH_ERROR, "   ⚠ %s conflicts with %s, in: %s", items[k].id, base,
					   f.s ? f.s : "?");
			else
				vlines_add(b, TH_ERROR, "   ⚠ %s conflicts once %s %s merged, in: %s", items[k].id,
					   k == 1 ? items[0].id : "the tasks before it", k == 1 ? "is" : "are",
					   f.s ? f.s : "?");
			vlines_add(b, TH_ERROR,
				   "     the wave merge stops there; B merges %s into %s for its agent to "
				   "resolve, then m merges it",
				   base, items[k].id);
			snprintf(stop, cap, "%s will conflict in %s (B hands it to its agent)", items[k].id,
				 f.s ? f.s : "?");
			sbuf_free(&f);
		} else if (rc < 0 && k == done - 1) {
			vlines_add(b, TH_ERROR, "   ⚠ %s: %s", items[k].id, m->msg[0] ? m->msg : e.msg);
		} else {
			vlines_add(b, TH_NORMAL, "   %s: %s", items[k].id,
				   m->outcome == MERGE_ALREADY		     ? "already merged"
				   : m->preview.kind == MERGE_FASTFORWARD ? "fast-forward"
									   : "merges cleanly");
		}
	}
	for (int k = done; k < n; k++)
		vlines_add(b, TH_DIM, "   %s: not reached", items[k].id);
	for (int k = 0; k < n; k++)
		merge_result_free(&res[k]);
	free(res);
}

static int job_wave(struct gitrepo *gr, struct vg_req *q, const char *base, struct vg_result *res)
{
	struct vlines *b = &res->l;
	vlines_add(b, TH_TITLE, "Wave %d merge preview, in dependency order (each previewed on today's %s)",
		   q->wave, base);
	struct sbuf names = { 0 };
	int n = 0, bad = 0;
	char why[400] = "";
	struct merge_wave_item *items = xcalloc((size_t)q->n + 1, sizeof *items);
	for (int k = 0; k < q->n; k++) { /* in merge order, this wave's tasks not merged or skipped */
		const struct vg_task *t = &q->t[k];
		if (t->st != TASK_DONE && t->st != TASK_CONFLICT && t->st != TASK_INVALID) {
			if (!bad++)
				snprintf(why, sizeof why, "wave %d is not finished: %s is %s", q->wave, t->id,
					 task_state_name(t->st));
			vlines_add(b, TH_WARN, "%s: %s (not done)", t->id, task_state_name(t->st));
			continue;
		}
		char w2[400];
		if (preview_one(gr, base, t, b, w2, sizeof w2) < 0)
			vlines_add(b, TH_ERROR, "   ⚠ %s", w2);
		sbuf_printf(&names, "%s%s", n ? ", " : "", t->id);
		items[n].id = t->id;
		items[n].branch = t->branch;
		n++;
	}
	char stop[300] = "";
	if (!bad && n > 1)
		wave_sequence(gr, base, items, n, b, stop, sizeof stop);
	free(items);
	const char *val = q->validate;
	if (bad || n == 0) {
		if (!bad)
			snprintf(why, sizeof why, "wave %d has nothing left to merge", q->wave);
		snprintf(res->summary, sizeof res->summary, "%s", why);
		sbuf_free(&names);
		return 0;
	}
	res->ok = 1;
	snprintf(res->summary, sizeof res->summary,
		 "Merge wave %d (%.200s) into %s in this order%s%.100s? It stops at the first conflict or "
		 "failure%s%.160s.", q->wave, names.s, base, val ? ", validating after each with " : "",
		 val ? val : "", stop[0] ? ": " : "", stop);
	sbuf_free(&names);
	return 0;
}

static int job(struct gitrepo *gr, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	(void)c;
	struct vg_req *q = arg;
	char *base = NULL;
	if (gitrepo_base(gr, q->base, &base, e) < 0)
		return -1;
	struct vg_result *res = xcalloc(1, sizeof *res);
	*result = res;
	int rc = q->kind == VG_CHANGES ? job_changes(gr, q, base, res)
		 : q->kind == VG_MERGE ? job_merge(gr, q, base, res)
				       : job_wave(gr, q, base, res);
	free(base);
	return rc;
}

/* ---- on the UI thread ---- */

static void done(void *ud, unsigned id, int rc, void **result, const struct err *e)
{
	struct dash *d = ud;
	if (id != d->vjob) /* the operator moved on */
		return;
	d->vjob = 0;
	struct vg_result *res = *result;
	if (rc < 0 || !res) {
		struct vlines b = { 0 };
		vlines_add(&b, TH_ERROR, "%s", e->msg[0] ? e->msg : "the git worker failed");
		dash_view_replace(d, b.v, b.n);
		dash_error(d, "%s", e->msg);
		return;
	}
	dash_view_replace(d, res->l.v, res->l.n);
	res->l.v = NULL;
	res->l.n = 0;
	if (d->vjob_act >= 0) { /* a merge preview: the question, or why not */
		if (res->ok)
			dash_ask(d, d->vjob_act, d->vjob_task, "%s", res->summary);
		else
			dash_error(d, "%s", res->summary);
	}
}

static void submit(struct dash *d, struct vg_req *q, enum dash_view v, const char *title, int act,
		   int task)
{
	struct vlines b = { 0 };
	vlines_add(&b, TH_DIM, "%s", "computing…");
	dash_view_open(d, v, title, b.v, b.n);
	d->vjob_act = act;
	d->vjob_task = task;
	d->vjob = runner_git_job(d->r, job, q, req_free, result_free, done, d);
}

void views_changes(struct dash *d, int task)
{
	struct vg_req *q = req_new(d, VG_CHANGES);
	for (int i = 0; i < d->p->ntasks; i++) {
		struct orch_task *ot = &d->o->t[i];
		enum task_state s = ot->st;
		if (!ot->branch || s == TASK_PENDING || s == TASK_READY || s == TASK_MERGED ||
		    s == TASK_SKIPPED)
			continue;
		if (i == task)
			q->sel = q->n;
		req_add(q, d, i);
	}
	submit(d, q, VIEW_CHANGES, "changes · files, +/-, overlaps, territory, diff", -1, -1);
}

void views_merge_preview(struct dash *d, int i)
{
	enum task_state s = dash_task_state(d, i);
	const char *id = d->p->tasks[i].id;
	if (s != TASK_DONE && s != TASK_CONFLICT && s != TASK_INVALID) {
		dash_error(d, "%s is %s: only a done task can be merged (d marks it done)", id,
			   task_state_name(s));
		return;
	}
	struct vg_req *q = req_new(d, VG_MERGE);
	req_add(q, d, i);
	submit(d, q, VIEW_MERGE, "merge preview", action_find("merge"), i);
}

void views_merge_wave_preview(struct dash *d)
{
	int w = orch_current_wave(d->o);
	if (w > d->p->nwaves) {
		dash_error(d, "every wave is merged");
		return;
	}
	struct vg_req *q = req_new(d, VG_WAVE);
	q->wave = w;
	int *order = xcalloc((size_t)d->p->ntasks + 1, sizeof *order);
	dag_merge_order(&d->o->g, order);
	for (int k = 0; k < d->p->ntasks; k++) {
		int i = order[k];
		enum task_state s = dash_task_state(d, i);
		if (d->p->tasks[i].wave == w && s != TASK_MERGED && s != TASK_SKIPPED)
			req_add(q, d, i);
	}
	free(order);
	submit(d, q, VIEW_MERGE, "wave merge preview", action_find("merge-wave"), -1);
}

/* ---- the sidebar's background scan ---- */

struct vg_scan {
	char **id; /* per request task */
	struct dash_scan *s;
	int n;
	uint64_t ms; /* how long it took */
};

static void scan_free(void *p)
{
	struct vg_scan *sc = p;
	for (int k = 0; k < sc->n; k++)
		free(sc->id[k]);
	free(sc->id);
	free(sc->s);
	free(sc);
}

static int scan_job(struct gitrepo *gr, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	(void)c;
	struct vg_req *q = arg;
	uint64_t t0 = util_now_ms();
	char *base = NULL;
	if (gitrepo_base(gr, q->base, &base, e) < 0)
		return -1;
	struct gitdiff_task *gt;
	int *idx;
	int m = diff_tasks(gr, q, base, &gt, &idx);
	struct vg_scan *sc = xcalloc(1, sizeof *sc);
	sc->id = xcalloc((size_t)m + 1, sizeof *sc->id);
	sc->s = xcalloc((size_t)m + 1, sizeof *sc->s);
	for (int k = 0; k < m; k++) {
		sc->id[k] = xstrdup(q->t[idx[k]].id);
		sc->s[k].nfiles = gt[k].nfiles;
		sc->s[k].warn = (gt[k].noverlaps ? SB_WARN_OVERLAP : 0u) |
				(gt[k].nviolations ? SB_WARN_TERRITORY : 0u);
		gitdiff_task_free(&gt[k]);
	}
	sc->n = m;
	free(gt);
	free(idx);
	free(base);
	sc->ms = util_now_ms() - t0;
	*result = sc;
	return 0;
}

static void scan_done(void *ud, unsigned id, int rc, void **result, const struct err *e)
{
	(void)e;
	struct dash *d = ud;
	if (id != d->scan_job)
		return;
	d->scan_job = 0;
	struct vg_scan *sc = *result;
	if (rc < 0 || !sc)
		return; /* no base (yet): nothing to show; the next state change tries again */
	d->scan_ms = sc->ms;
	for (int i = 0; i < d->p->ntasks; i++)
		d->scan[i] = (struct dash_scan){ 0 };
	for (int k = 0; k < sc->n; k++) {
		int i = plan_find(d->p, sc->id[k]);
		if (i >= 0)
			d->scan[i] = sc->s[k];
	}
	d->side_dirty = 1;
}

void views_scan(struct dash *d)
{
	if (d->scan_job)
		return;
	struct vg_req *q = req_new(d, VG_CHANGES);
	for (int i = 0; i < d->p->ntasks; i++) {
		struct orch_task *ot = &d->o->t[i];
		enum task_state s = ot->st;
		if (!ot->branch || s == TASK_PENDING || s == TASK_READY || s == TASK_MERGED ||
		    s == TASK_SKIPPED)
			continue;
		req_add(q, d, i);
	}
	d->last_scan = util_now_ms();
	if (q->n == 0) {
		for (int i = 0; i < d->p->ntasks; i++)
			d->scan[i] = (struct dash_scan){ 0 };
		d->side_dirty = 1;
		req_free(q);
		return;
	}
	d->scan_job = runner_git_job(d->r, scan_job, q, req_free, scan_free, scan_done, d);
}
