/* views — help, DAG, changes, merge previews, event log (see views.h). */
#include "views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "dagdraw.h"
#include "gitdiff.h"
#include "gitrepo.h"
#include "merge.h"
#include "orch.h"
#include "sidebar.h"

struct vbuf {
	struct view_line *v;
	int n;
	size_t cap;
};

static void add(struct vbuf *b, enum theme_role role, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void add(struct vbuf *b, enum theme_role role, const char *fmt, ...)
{
	xgrow((void **)&b->v, &b->cap, (size_t)b->n + 1, sizeof *b->v);
	va_list ap;
	va_start(ap, fmt);
	struct sbuf s = { 0 };
	sbuf_vprintf(&s, fmt, ap);
	va_end(ap);
	b->v[b->n].text = sbuf_steal(&s);
	b->v[b->n].role = role;
	b->v[b->n].runs = NULL;
	b->v[b->n].nruns = 0;
	b->n++;
}

void views_lines_free(struct view_line *vl, int n)
{
	for (int i = 0; i < n; i++) {
		free(vl[i].text);
		free(vl[i].runs);
	}
	free(vl);
}

/* ---- DAG ---- */

static enum theme_role draw_role(int role, int task, const enum task_state *st)
{
	enum task_state s = st && task >= 0 ? st[task] : TASK_PENDING;
	switch (role) {
	case DAGDRAW_HEADER: return TH_WAVE;
	case DAGDRAW_GLYPH: return theme_state_role(s);
	case DAGDRAW_NODE: return theme_state_role(s);
	case DAGDRAW_NODE_CRIT: return TH_CRITICAL;
	case DAGDRAW_EDGE: return TH_DIM;
	case DAGDRAW_EDGE_CRIT: return TH_CRITICAL;
	default: return TH_NORMAL;
	}
}

/* The drawing (dagdraw.h) as view lines with runs; the glyphs and ids in
 * their state's colour, the critical path in its own. */
static void add_drawing(struct vbuf *b, const struct plan *p, const struct dag *g,
			const enum task_state *st, const int *path, int np)
{
	const char **ids = xmalloc(((size_t)p->ntasks + 1) * sizeof *ids);
	const char **glyphs = xmalloc(((size_t)p->ntasks + 1) * sizeof *glyphs);
	for (int i = 0; i < p->ntasks; i++) {
		ids[i] = p->tasks[i].id;
		glyphs[i] = sidebar_glyph(st ? st[i] : TASK_PENDING);
	}
	struct dagdraw dd;
	struct err e = { { 0 } };
	if (dagdraw_build(&dd, g, ids, glyphs, path, np, &e) < 0) {
		add(b, TH_ERROR, "cannot draw the graph: %s", e.msg);
	} else {
		for (int y = 0; y < dd.h; y++) {
			int *lens, *tasks;
			unsigned char *roles;
			int nr = dagdraw_row_runs(&dd, y, &lens, &roles, &tasks);
			char *text = dagdraw_row_text(&dd, y);
			add(b, TH_NORMAL, "%s", text);
			free(text);
			struct view_line *l = &b->v[b->n - 1];
			l->runs = xcalloc((size_t)nr + 1, sizeof *l->runs);
			l->nruns = nr;
			for (int k = 0; k < nr; k++)
				l->runs[k] = (struct view_run){ lens[k], draw_role(roles[k], tasks[k], st) };
			free(lens);
			free(roles);
			free(tasks);
		}
		dagdraw_free(&dd);
	}
	free(ids);
	free(glyphs);
}

int views_dag_build(const struct plan *p, const enum task_state *st, struct view_line **out)
{
	struct vbuf b = { 0 };
	struct dag g;
	plan_dag(p, &g);
	int *path = xcalloc((size_t)p->ntasks + 1, sizeof *path);
	int np = p->ntasks ? dag_critical_path(&g, path) : 0;
	unsigned char *crit = xcalloc((size_t)p->ntasks + 1, 1);
	for (int k = 0; k < np; k++)
		crit[path[k]] = 1;
	struct sbuf cp = { 0 };
	for (int k = 0; k < np; k++)
		sbuf_printf(&cp, "%s%s", k ? " → " : "", p->tasks[path[k]].id);
	add(&b, TH_TITLE, "%s: %d tasks in %d waves", p->name ? p->name : "plan", p->ntasks,
	    p->nwaves);
	add(&b, TH_CRITICAL, "★ critical path (%d): %s", np, cp.s ? cp.s : "");
	sbuf_free(&cp);
	add(&b, TH_NORMAL, "%s", "");
	add_drawing(&b, p, &g, st, path, np);
	for (int w = 1; w <= p->nwaves; w++) {
		add(&b, TH_NORMAL, "%s", "");
		add(&b, TH_WAVE, "WAVE %d", w);
		int first = 1;
		for (int i = 0; i < p->ntasks; i++) {
			if (p->tasks[i].wave != w)
				continue;
			enum task_state s = st ? st[i] : TASK_PENDING;
			struct sbuf l = { 0 };
			sbuf_printf(&l, " %s %s %-14s %-10s", first ? "┬" : "├", sidebar_glyph(s),
				    p->tasks[i].id, sidebar_state_label(s));
			first = 0;
			if (p->tasks[i].ndeps) {
				sbuf_adds(&l, " ◀─ ");
				for (int k = 0; k < p->tasks[i].ndeps; k++)
					sbuf_printf(&l, "%s%s", k ? ", " : "",
						    p->tasks[p->tasks[i].deps[k]].id);
			}
			int nd = g.rdep_start[i + 1] - g.rdep_start[i];
			if (nd) {
				sbuf_adds(&l, "  ─▶ ");
				for (int k = 0; k < nd; k++)
					sbuf_printf(&l, "%s%s", k ? ", " : "",
						    p->tasks[g.rdep[g.rdep_start[i] + k]].id);
			}
			if (crit[i])
				sbuf_adds(&l, "  ★");
			enum theme_role role = crit[i] ? TH_CRITICAL : theme_state_role(s);
			add(&b, role, "%s", l.s);
			sbuf_free(&l);
		}
	}
	free(path);
	free(crit);
	dag_free(&g);
	*out = b.v;
	return b.n;
}

enum task_state dash_task_state(const struct dash *d, int i);

void views_dag(struct dash *d)
{
	enum task_state *st = xcalloc((size_t)d->p->ntasks + 1, sizeof *st);
	for (int i = 0; i < d->p->ntasks; i++)
		st[i] = dash_task_state(d, i);
	struct view_line *vl;
	int n = views_dag_build(d->p, st, &vl);
	free(st);
	dash_view_open(d, VIEW_DAG, "DAG · ◀─ depends on · ─▶ needed by · ★ critical path", vl, n);
}

/* ---- help ---- */

void views_help(struct dash *d)
{
	struct vbuf b = { 0 };
	char pk[16];
	keys_char_name((uint32_t)d->opt.prefix, pk, sizeof pk);
	add(&b, TH_TITLE, "Keys: after %s from inside a pane, or bare when the sidebar has focus", pk);
	add(&b, TH_DIM, "Confirmations: y or Enter accepts, n or Esc cancels. Views: j/k PgUp/PgDn scroll, h/l sideways, q/Esc close.");
	add(&b, TH_NORMAL, "%s", "");
	char **lines;
	int n = action_help_lines(&d->km, pk, &lines);
	for (int i = 0; i < n; i++) {
		add(&b, TH_NORMAL, "  %s", lines[i]);
		free(lines[i]);
	}
	free(lines);
	add(&b, TH_NORMAL, "%s", "");
	add(&b, TH_DIM, "Mouse: click a pane or a sidebar row to focus it; the wheel scrolls a pane's scrollback.");
	add(&b, TH_DIM, "Sidebar glyphs: · pending ○ ready ◌ starting ● running ◐ idle ? waiting-input ◆ done");
	add(&b, TH_DIM, "  ✓ merged ✗ failed ! conflict/invalid ■ stopped - skipped ⇢ merging ‖ interrupted");
	dash_view_open(d, VIEW_HELP, "help", b.v, b.n);
}

/* ---- event log ---- */

void views_log(struct dash *d)
{
	struct vbuf b = { 0 };
	/* the merge report: every task's merge outcome so far (state.json) */
	int nm = 0;
	for (int i = 0; i < d->p->ntasks; i++) {
		struct state_task *st = state_task_find(&d->o->st, d->p->tasks[i].id);
		if (!st || !st->merge_outcome)
			continue;
		if (!nm++)
			add(&b, TH_TITLE, "%s", "Merge report");
		char commit[16] = "";
		if (st->merge_commit)
			snprintf(commit, sizeof commit, "%.12s", st->merge_commit);
		add(&b, !strcmp(st->merge_outcome, "merged") ? TH_ST_MERGED : TH_ERROR, "  %-16s %-9s %s%s%s",
		    d->p->tasks[i].id, st->merge_outcome, commit, st->merge_detail ? "  " : "",
		    st->merge_detail ? st->merge_detail : "");
	}
	if (nm) {
		add(&b, TH_NORMAL, "%s", "");
		add(&b, TH_TITLE, "%s", "Events");
	}
	for (int k = 0; k < d->nlog; k++) {
		const char *s = d->log[(d->log_start + k) % DASH_LOG_MAX];
		add(&b, strstr(s, "error") || strstr(s, "failed") ? TH_ERROR : TH_NORMAL, "%s", s);
	}
	if (b.n == 0)
		add(&b, TH_DIM, "%s", "no events yet");
	dash_view_open(d, VIEW_LOG, "event log · merge report", b.v, b.n);
	/* the merge report first when there is one, else the latest events */
	d->vscroll = nm ? 0 : b.n - (d->area.h - 2) > 0 ? b.n - (d->area.h - 2) : 0;
}

/* ---- changes ---- */

static char *shell_quote(const char *s)
{
	struct sbuf b = { 0 };
	sbuf_addc(&b, '\'');
	for (; *s; s++)
		if (*s == '\'')
			sbuf_adds(&b, "'\\''");
		else
			sbuf_addc(&b, *s);
	sbuf_addc(&b, '\'');
	return sbuf_steal(&b);
}

void views_changes(struct dash *d, int task)
{
	struct vbuf b = { 0 };
	struct err e = { { 0 } };
	struct gitrepo *gr = gitrepo_open(runner_repo(d->r), &e);
	char *base = NULL;
	if (!gr || gitrepo_base(gr, d->p->base, &base, &e) < 0) {
		add(&b, TH_ERROR, "%s", e.msg);
		if (gr)
			gitrepo_close(gr);
		dash_view_open(d, VIEW_CHANGES, "changes", b.v, b.n);
		return;
	}
	int n = d->p->ntasks;
	struct gitdiff_task *gt = xcalloc((size_t)n + 1, sizeof *gt);
	int *idx = xcalloc((size_t)n + 1, sizeof *idx);
	int m = 0;
	for (int i = 0; i < n; i++) {
		struct orch_task *ot = &d->o->t[i];
		enum task_state s = ot->st;
		if (!ot->branch || s == TASK_PENDING || s == TASK_READY || s == TASK_MERGED ||
		    s == TASK_SKIPPED)
			continue;
		struct err e2 = { { 0 } };
		if (gitdiff_task(gr, base, ot->branch, ot->worktree, d->p->tasks[i].territory, &gt[m],
				 &e2) < 0)
			continue;
		gt[m].id = d->p->tasks[i].id;
		idx[m++] = i;
	}
	gitdiff_overlaps(gt, m);
	add(&b, TH_TITLE, "Changes against %s (%d task branch%s)", base, m, m == 1 ? "" : "es");
	if (m == 0)
		add(&b, TH_DIM, "%s", "no task has a branch with changes yet");
	int sel_k = -1;
	for (int k = 0; k < m; k++) {
		if (idx[k] == task)
			sel_k = k;
		add(&b, TH_NORMAL, "%s", "");
		add(&b, idx[k] == task ? TH_SELECTED : TH_WAVE, "%s  %d file%s  +%d -%d%s%s",
		    gt[k].id, gt[k].nfiles, gt[k].nfiles == 1 ? "" : "s", gt[k].added, gt[k].removed,
		    gt[k].nviolations ? "  ⚠ outside territory" : "",
		    gt[k].noverlaps ? "  ⚠ overlaps" : "");
		for (int f = 0; f < gt[k].nfiles; f++) {
			struct gitdiff_file *gf = &gt[k].files[f];
			char nums[32];
			if (gf->added < 0)
				snprintf(nums, sizeof nums, "binary");
			else
				snprintf(nums, sizeof nums, "+%d -%d", gf->added, gf->removed);
			add(&b, gf->outside ? TH_WARN : TH_NORMAL, "  %c %-40s %-12s%s%s", gf->status,
			    gf->path, nums, gf->uncommitted ? " (uncommitted)" : "",
			    gf->outside ? " outside territory" : "");
		}
		for (int v = 0; v < gt[k].noverlaps; v++)
			add(&b, TH_WARN, "  ⚠ %s also changed by %s", gt[k].overlaps[v].path,
			    gt[k].overlaps[v].other);
	}
	/* the coloured diff of the selected task */
	if (sel_k >= 0) {
		const char *branch = d->o->t[task].branch;
		char *qr = shell_quote(runner_repo(d->r));
		char *qb = shell_quote(base), *qt = shell_quote(branch);
		char *cmd = xasprintf("git -C %s diff --no-color --no-ext-diff %s...%s 2>&1", qr, qb, qt);
		add(&b, TH_NORMAL, "%s", "");
		add(&b, TH_TITLE, "git diff %s...%s", base, branch);
		FILE *f = popen(cmd, "r");
		if (f) {
			char line[4096];
			int count = 0;
			while (fgets(line, sizeof line, f) && count < 20000) {
				line[strcspn(line, "\n")] = 0;
				for (char *c = line; *c; c++)
					if (*c == '\t')
						*c = ' ';
				enum theme_role r = TH_NORMAL;
				if (!strncmp(line, "+++", 3) || !strncmp(line, "---", 3) ||
				    !strncmp(line, "diff ", 5))
					r = TH_WAVE;
				else if (line[0] == '+')
					r = TH_DIFF_ADD;
				else if (line[0] == '-')
					r = TH_DIFF_DEL;
				else if (!strncmp(line, "@@", 2))
					r = TH_DIFF_HUNK;
				add(&b, r, "%s", line);
				count++;
			}
			pclose(f);
		}
		free(cmd);
		free(qr);
		free(qb);
		free(qt);
	}
	for (int k = 0; k < m; k++)
		gitdiff_task_free(&gt[k]);
	free(gt);
	free(idx);
	free(base);
	gitrepo_close(gr);
	dash_view_open(d, VIEW_CHANGES, "changes · files, +/-, overlaps, territory, diff", b.v, b.n);
}

/* ---- merge previews ---- */

static int preview_one(struct dash *d, struct gitrepo *gr, const char *base, int i, struct vbuf *b,
		       char *why, size_t cap)
{
	struct orch_task *ot = &d->o->t[i];
	const char *id = d->p->tasks[i].id;
	if (!ot->branch) {
		snprintf(why, cap, "%s has no branch yet", id);
		return -1;
	}
	struct merge_preview pv;
	struct err e = { { 0 } };
	if (merge_preview(gr, base, ot->branch, &pv, &e) < 0) {
		snprintf(why, cap, "%s: %.300s", id, e.msg);
		return -1;
	}
	int rc = 0;
	add(b, TH_WAVE, "%s (%s) → %s: %s, %d commit%s", id, ot->branch, base, merge_kind_name(pv.kind),
	    pv.ahead, pv.ahead == 1 ? "" : "s");
	if (pv.kind == MERGE_CONFLICT) {
		for (int k = 0; k < pv.nconflicts; k++)
			add(b, TH_ERROR, "   conflict: %s", pv.conflicts[k]);
		snprintf(why, cap, "%s conflicts with %s in %d file%s (B merges %s into it to resolve there)",
			 id, base, pv.nconflicts, pv.nconflicts == 1 ? "" : "s", base);
		rc = -1;
	} else if (pv.kind == MERGE_UNRELATED) {
		snprintf(why, cap, "%s has no history in common with %s", id, base);
		rc = -1;
	}
	merge_preview_free(&pv);
	struct gitdiff_task gt;
	if (gitdiff_task(gr, base, ot->branch, ot->worktree, d->p->tasks[i].territory, &gt, &e) == 0) {
		for (int f = 0; f < gt.nfiles; f++) {
			struct gitdiff_file *gf = &gt.files[f];
			add(b, gf->outside ? TH_WARN : TH_NORMAL, "   %c %s  +%d -%d%s%s", gf->status,
			    gf->path, gf->added, gf->removed, gf->uncommitted ? " (uncommitted: not merged)" : "",
			    gf->outside ? "  ⚠ outside its territory" : "");
		}
		gitdiff_task_free(&gt);
	}
	return rc;
}

static struct gitrepo *open_base(struct dash *d, char **base, char *why, size_t cap)
{
	struct err e = { { 0 } };
	struct gitrepo *gr = gitrepo_open(runner_repo(d->r), &e);
	if (!gr) {
		snprintf(why, cap, "%.300s", e.msg);
		return NULL;
	}
	if (gitrepo_base(gr, d->p->base, base, &e) < 0) {
		snprintf(why, cap, "%.300s", e.msg);
		gitrepo_close(gr);
		return NULL;
	}
	return gr;
}

int views_merge_preview(struct dash *d, int i, struct view_line **vl, char *summary, size_t cap)
{
	enum task_state s = dash_task_state(d, i);
	const char *id = d->p->tasks[i].id;
	if (s != TASK_DONE && s != TASK_CONFLICT && s != TASK_INVALID) {
		snprintf(summary, cap, "%s is %s: only a done task can be merged (d marks it done)", id,
			 task_state_name(s));
		return -1;
	}
	char *base = NULL;
	struct gitrepo *gr = open_base(d, &base, summary, cap);
	if (!gr)
		return -1;
	struct vbuf b = { 0 };
	add(&b, TH_TITLE, "Merge preview (in memory: nothing is touched yet)");
	char why[400] = "";
	int rc = preview_one(d, gr, base, i, &b, why, sizeof why);
	const char *val = d->p->validate;
	add(&b, TH_NORMAL, "%s", "");
	add(&b, TH_DIM, "then: %s", val ? val : "(no validation command in the plan)");
	gitrepo_close(gr);
	if (rc < 0) {
		snprintf(summary, cap, "%s", why);
		free(base);
		*vl = b.v;
		views_lines_free(b.v, b.n);
		return -1;
	}
	snprintf(summary, cap, "Merge %s into %s%s%s? The base moves only if it merges cleanly%s.",
		 id, base, val ? ", then run " : "", val ? val : "", val ? " and passes" : "");
	free(base);
	*vl = b.v;
	return b.n;
}

int views_merge_wave_preview(struct dash *d, struct view_line **vl, char *summary, size_t cap)
{
	int w = orch_current_wave(d->o);
	if (w > d->p->nwaves) {
		snprintf(summary, cap, "every wave is merged");
		return -1;
	}
	char *base = NULL;
	struct gitrepo *gr = open_base(d, &base, summary, cap);
	if (!gr)
		return -1;
	struct vbuf b = { 0 };
	add(&b, TH_TITLE, "Wave %d merge preview, in dependency order (each previewed on today's %s)", w,
	    base);
	int *order = xcalloc((size_t)d->p->ntasks + 1, sizeof *order);
	dag_merge_order(&d->o->g, order);
	struct sbuf names = { 0 };
	int n = 0, bad = 0;
	char why[400] = "";
	for (int k = 0; k < d->p->ntasks; k++) {
		int i = order[k];
		if (d->p->tasks[i].wave != w)
			continue;
		enum task_state s = dash_task_state(d, i);
		if (s == TASK_MERGED || s == TASK_SKIPPED)
			continue;
		if (s != TASK_DONE && s != TASK_CONFLICT && s != TASK_INVALID) {
			if (!bad++)
				snprintf(why, sizeof why, "wave %d is not finished: %s is %s", w,
					 d->p->tasks[i].id, task_state_name(s));
			add(&b, TH_WARN, "%s: %s (not done)", d->p->tasks[i].id, task_state_name(s));
			continue;
		}
		char w2[400];
		if (preview_one(d, gr, base, i, &b, w2, sizeof w2) < 0)
			add(&b, TH_ERROR, "   ⚠ %s", w2);
		sbuf_printf(&names, "%s%s", n ? ", " : "", d->p->tasks[i].id);
		n++;
	}
	free(order);
	gitrepo_close(gr);
	const char *val = d->p->validate;
	if (bad || n == 0) {
		if (!bad)
			snprintf(why, sizeof why, "wave %d has nothing left to merge", w);
		snprintf(summary, cap, "%s", why);
		views_lines_free(b.v, b.n);
		sbuf_free(&names);
		free(base);
		return -1;
	}
	snprintf(summary, cap, "Merge wave %d (%s) into %s in this order%s%s? It stops at the first "
		 "conflict or failure.", w, names.s, base, val ? ", validating after each with " : "",
		 val ? val : "");
	sbuf_free(&names);
	free(base);
	*vl = b.v;
	return b.n;
}

int views_sidebar_step(struct dash *d, int from, int dy)
{
	const struct plan *p = d->p;
	/* sidebar order: by wave, then plan order */
	int *ord = xcalloc((size_t)p->ntasks + 1, sizeof *ord);
	int n = 0, at = 0;
	for (int w = 1; w <= p->nwaves; w++)
		for (int i = 0; i < p->ntasks; i++)
			if (p->tasks[i].wave == w) {
				if (i == from)
					at = n;
				ord[n++] = i;
			}
	int k = at + dy;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	int r = n ? ord[k] : from;
	free(ord);
	return r;
}
