/* views — help, DAG, event log (see views.h; changes and merge previews:
 * views_git.c). */
#include "views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "dagdraw.h"
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
