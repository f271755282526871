/* action — the dashboard's action table and what each action does. */
#include "action.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "gitrepo.h"
#include "merge.h"
#include "mreport.h"
#include "orch.h"
#include "plandiff.h"
#include "term.h"
#include "views.h"
#include "views_git.h"
#include "vlines.h"

#define SK(k) (ACTION_KEY_SPECIAL + (k))

/* ---- helpers ---- */

static int need_task(struct dash *d)
{
	int i = dash_target(d);
	if (i < 0)
		dash_error(d, "no task selected (Tab to the sidebar, then j/k)");
	return i;
}

static const char *tid(struct dash *d, int i)
{
	return d->p->tasks[i].id;
}

static void report(struct dash *d, int rc, struct err *e, const char *fmt, const char *id)
{
	if (rc < 0)
		dash_error(d, "%s", e->msg);
	else
		dash_msg(d, fmt, id);
	d->side_dirty = 1;
}

/* ---- run control ---- */

static void a_next_wave(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	struct err e = { { 0 } };
	int rc = runner_next_wave(d->r, &e);
	if (rc < 0)
		dash_error(d, "%s", e.msg);
	else {
		int w = orch_current_wave(d->o);
		dash_msg(d, "wave %d started: Enter on a task (or Tab) goes to its pane", w);
		for (int i = 0; i < d->p->ntasks; i++)
			if (d->p->tasks[i].wave == w) {
				d->sel = i;
				break;
			}
	}
	d->side_dirty = 1;
	dash_relayout(d);
}

static void a_start(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	int i = need_task(d);
	if (i < 0)
		return;
	struct err e = { { 0 } };
	enum task_state st = dash_task_state(d, i);
	int rc;
	if (st == TASK_INTERRUPTED) {
		rc = runner_resume_task(d->r, i, &e);
		if (rc < 0) /* no resume argv (an explicit command): start it again */
			rc = runner_restart_task(d->r, i, &e);
	} else
		rc = runner_start_task(d->r, i, &e);
	report(d, rc, &e, st == TASK_INTERRUPTED ? "%s resumed" : "%s starting", tid(d, i));
	dash_relayout(d);
}

static void a_mark_done(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	int i = need_task(d);
	if (i < 0)
		return;
	struct err e = { { 0 } };
	report(d, runner_mark_task(d->r, i, STATUS_MARK_DONE, &e), &e, "%s marked done", tid(d, i));
}

static void a_stop(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int i = need_task(d);
	if (i < 0)
		return;
	if (!confirmed) {
		dash_ask(d, action_find("stop"), i,
			 "Stop %s? Its agent gets SIGTERM (SIGKILL after %d s); the worktree and "
			 "branch stay, r restarts it.", tid(d, i), RUNNER_STOP_GRACE_MS / 1000);
		return;
	}
	struct err e = { { 0 } };
	report(d, runner_stop_task(d->r, i, &e), &e, "%s stopping", tid(d, i));
}

static void a_restart(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int i = need_task(d);
	if (i < 0)
		return;
	if (!confirmed) {
		dash_ask(d, action_find("restart"), i,
			 "Restart %s in its worktree? A live agent is killed first; its commits "
			 "and files stay.", tid(d, i));
		return;
	}
	struct err e = { { 0 } };
	report(d, runner_restart_task(d->r, i, &e), &e, "%s restarting", tid(d, i));
	dash_relayout(d);
}

static void a_retry(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int i = need_task(d);
	if (i < 0)
		return;
	if (!confirmed) {
		dash_ask(d, action_find("retry"), i,
			 "Retry %s from scratch? Its worktree and branch are DELETED (commits and "
			 "uncommitted work lost) and made anew from the base tip.", tid(d, i));
		return;
	}
	struct err e = { { 0 } };
	report(d, runner_retry_task(d->r, i, &e), &e, "%s retrying from scratch", tid(d, i));
	dash_relayout(d);
}

static void a_skip(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int i = need_task(d);
	if (i < 0)
		return;
	if (!confirmed) {
		dash_ask(d, action_find("skip"), i,
			 "Skip %s? It will not run or merge; tasks depending on it may start "
			 "without its work.", tid(d, i));
		return;
	}
	struct err e = { { 0 } };
	report(d, runner_skip_task(d->r, i, &e), &e, "%s skipped", tid(d, i));
	dash_relayout(d);
}

static void a_base_into(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int i = need_task(d);
	if (i < 0)
		return;
	if (!confirmed) {
		dash_ask(d, action_find("merge-base-into"), i,
			 "Merge the base branch into %s's branch inside its worktree? Conflicts "
			 "are left there with markers and handed to its agent (typed to it, or "
			 "it is started again) to resolve.", tid(d, i));
		return;
	}
	struct err e = { { 0 } };
	report(d, runner_merge_base_into(d->r, i, &e), &e, "merging the base into %s", tid(d, i));
}

static void a_merge(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int i = need_task(d);
	if (i < 0)
		return;
	if (!confirmed) { /* the preview asks when it is computed */
		views_merge_preview(d, i);
		return;
	}
	dash_view_close(d);
	struct err e = { { 0 } };
	report(d, runner_merge_task(d->r, i, &e), &e, "merging %s", tid(d, i));
}

static void a_merge_wave(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	if (!confirmed) { /* the preview asks when it is computed */
		views_merge_wave_preview(d);
		return;
	}
	dash_view_close(d);
	struct err e = { { 0 } };
	int w = orch_current_wave(d->o);
	int rc = runner_merge_wave(d->r, &e);
	if (rc < 0)
		dash_error(d, "%s", e.msg);
	else {
		/* the report lists the wave's tasks in merge order, tried or not */
		int *order = xcalloc((size_t)d->p->ntasks + 1, sizeof *order);
		char **ids = xcalloc((size_t)d->p->ntasks + 1, sizeof *ids);
		int n = 0;
		dag_merge_order(&d->o->g, order);
		for (int k = 0; k < d->p->ntasks; k++) {
			int i = order[k];
			enum task_state s = dash_task_state(d, i);
			if (d->p->tasks[i].wave == w && (s == TASK_DONE || s == TASK_CONFLICT ||
							 s == TASK_INVALID || s == TASK_MERGING))
				ids[n++] = d->p->tasks[i].id;
		}
		mreport_wave(&d->mr, w, ids, n);
		free(order);
		free(ids);
		dash_msg(d, "merging wave %d in dependency order", w);
	}
	d->side_dirty = 1;
}

/* ---- the plan ---- */

static void a_reload(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	if (confirmed) {
		struct plan *np = d->reload;
		d->reload = NULL;
		dash_view_close(d);
		if (!np)
			return;
		struct err e = { { 0 } };
		char *changes = plandiff_describe(d->p, np, NULL);
		if (dash_replan(d, np, &e) < 0) {
			plan_free(np);
			free(changes);
			dash_error(d, "plan not reloaded: %s", e.msg);
			return;
		}
		for (const char *s = changes; s && *s;) {
			size_t n = strcspn(s, "\n");
			dash_log(d, "plan reloaded: %.*s", (int)n, s);
			s += n + (s[n] == '\n');
		}
		free(changes);
		dash_msg(d, "plan reloaded: %d tasks in %d waves", np->ntasks, np->nwaves);
		return;
	}
	if (d->reload) {
		plan_free(d->reload);
		d->reload = NULL;
	}
	const char *path = d->p->path;
	struct diags dg;
	diags_init(&dg, path, NULL, 0);
	struct plan *np = plan_load(path, d->opt.plan_opts, &dg);
	struct vlines b = { 0 };
	vlines_add(&b, TH_TITLE, "Reload %s", path);
	if (!np) {
		char *text = diags_join(&dg);
		int nerr = (int)dg.n;
		vlines_add(&b, TH_ERROR, "%s", "The plan has errors:");
		vlines_add_text(&b, TH_ERROR, "  ", text ? text : "unreadable");
		vlines_add(&b, TH_NORMAL, "%s", "");
		vlines_add(&b, TH_DIM, "%s", "Nothing changed: the run goes on with the plan it had. Fix the file and press the key again.");
		free(text);
		diags_free(&dg);
		dash_view_open(d, VIEW_RELOAD, "plan reload", b.v, b.n);
		dash_error(d, "%s: %d error%s: nothing changed", path, nerr, nerr == 1 ? "" : "s");
		return;
	}
	diags_free(&dg);
	if (d->opt.idle_after > 0 && np->idle_after == STATUS_IDLE_AFTER_DEFAULT)
		np->idle_after = d->opt.idle_after; /* as at start */
	char *changes = plandiff_describe(d->p, np, NULL);
	if (!changes) {
		vlines_free(&b);
		plan_free(np);
		dash_msg(d, "plan unchanged");
		return;
	}
	int nch = 0;
	for (const char *s = changes; *s; s++)
		nch += *s == '\n';
	vlines_add(&b, TH_WAVE, "What changed (%d):", nch);
	vlines_add_text(&b, TH_NORMAL, "  ", changes);
	free(changes);
	vlines_add(&b, TH_NORMAL, "%s", "");
	struct err e = { { 0 } };
	if (runner_replan_check(d->r, np, &e) < 0) {
		vlines_add(&b, TH_ERROR, "The current run can not take it: %s", e.msg);
		vlines_add(&b, TH_DIM, "%s", "Nothing changed.");
		dash_view_open(d, VIEW_RELOAD, "plan reload", b.v, b.n);
		dash_error(d, "reload refused: %s", e.msg);
		plan_free(np);
		return;
	}
	vlines_add(&b, TH_ST_MERGED, "%s", "The current run can take it: running agents and their panes keep running; "
		  "new tasks join their waves (in an open wave they start when a worker is free); removed "
		  "tasks never started and are forgotten; .shoal/state.json records the new plan.");
	dash_view_open(d, VIEW_RELOAD, "plan reload", b.v, b.n);
	d->reload = np;
	dash_ask(d, action_find("reload"), -1, "Apply the new plan (%d change%s, %d tasks in %d waves) to the live run?",
		 nch, nch == 1 ? "" : "s", np->ntasks, np->nwaves);
}

/* ---- screen ---- */

static void a_zoom(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	d->zoom = !d->zoom;
	dash_relayout(d);
}

static int tile_of(struct dash *d, int task)
{
	for (int k = 0; k < d->ntiles; k++)
		if (d->tiles[k].task == task)
			return k;
	return -1;
}

static void a_focus_dir(struct dash *d, int arg, int confirmed)
{
	(void)confirmed;
	int dy = arg == 'k' ? -1 : arg == 'j' ? 1 : 0;
	int dx = arg == 'h' ? -1 : arg == 'l' ? 1 : 0;
	if (d->sidebar_focus || d->ntiles == 0) {
		if (dy) { /* move the selection */
			int i = d->sel + dy;
			if (i >= 0 && i < d->p->ntasks) {
				/* in sidebar order: by wave then plan order */
				dash_select(d, views_sidebar_step(d, d->sel, dy));
			}
		} else if (dx > 0 && d->ntiles > 0) {
			d->sidebar_focus = 0;
			if (tile_of(d, d->sel) < 0)
				dash_select(d, d->tiles[0].task);
			d->side_dirty = d->stat_dirty = 1;
		}
		return;
	}
	int k = tile_of(d, d->sel);
	if (k < 0)
		return;
	struct layout_pane g[DASH_MAX_TILES];
	for (int t = 0; t < d->ntiles; t++)
		g[t] = d->tiles[t].geom;
	int t = layout_neighbour(g, d->ntiles, k, dy, dx);
	if (t >= 0)
		dash_select(d, d->tiles[t].task);
	else if (dx < 0 && d->sbw > 0) {
		d->sidebar_focus = 1;
		d->side_dirty = d->stat_dirty = 1;
	}
}

static void a_focus_num(struct dash *d, int arg, int confirmed)
{
	(void)confirmed;
	if (arg < 1 || arg > d->ntiles) {
		dash_error(d, "no pane %d on this page", arg);
		return;
	}
	d->sidebar_focus = 0;
	dash_select(d, d->tiles[arg - 1].task);
}

static void a_sidebar_focus(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	if (!d->sidebar_focus && d->sbw == 0) {
		d->sidebar_on = 1;
		dash_relayout(d);
	}
	d->sidebar_focus = !d->sidebar_focus;
	if (!d->sidebar_focus && tile_of(d, d->sel) < 0 && d->ntiles > 0)
		dash_select(d, d->tiles[0].task);
	d->side_dirty = d->stat_dirty = 1;
	d->dirty_all = 1;
}

static void a_layout(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	d->mode = (enum layout_mode)((d->mode + 1) % LAYOUT_NMODES);
	d->zoom = 0;
	dash_relayout(d);
	dash_msg(d, "layout %s", layout_mode_name(d->mode));
}

static void a_sidebar_toggle(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	d->sidebar_on = !d->sidebar_on;
	if (!d->sidebar_on)
		d->sidebar_focus = 0;
	dash_relayout(d);
}

static void a_page(struct dash *d, int arg, int confirmed)
{
	(void)confirmed;
	if (d->npages <= 1) {
		dash_msg(d, "all panes fit on one page");
		return;
	}
	d->page = (d->page + arg + d->npages) % d->npages;
	d->zoom = 0;
	dash_relayout(d);
	if (d->ntiles > 0 && tile_of(d, d->sel) < 0 && !d->sidebar_focus)
		dash_select(d, d->tiles[0].task);
	dash_msg(d, "page %d of %d", d->page + 1, d->npages);
}

static void a_attention(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	int n = d->p->ntasks;
	for (int k = 1; k <= n; k++) {
		int i = (d->sel + k) % n;
		if (dash_task_attention(d, i)) {
			dash_select(d, i);
			dash_msg(d, "%s: %s", tid(d, i), task_state_name(dash_task_state(d, i)));
			return;
		}
	}
	dash_msg(d, "no task needs attention");
}

static void a_copy(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	int i = dash_target(d);
	struct term *t = i >= 0 ? runner_term(d->r, i) : NULL;
	if (!t) {
		dash_error(d, "no pane selected");
		return;
	}
	d->sidebar_focus = 0;
	if (!d->copy[i].active)
		copy_enter(&d->copy[i], term_grid(t));
	d->dirty_all = 1;
}

/* ---- views ---- */

static void a_help(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	views_help(d);
}

static void a_dag(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	views_dag(d);
}

static void a_changes(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	views_changes(d, dash_target(d));
}

static void a_report(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	mreport_view(d);
}

static void a_events(struct dash *d, int arg, int confirmed)
{
	(void)arg, (void)confirmed;
	views_log(d);
}

static void a_quit(struct dash *d, int arg, int confirmed)
{
	(void)arg;
	int live = runner_live_agents(d->r);
	if (live > 0 && !confirmed) {
		dash_ask(d, action_find("quit"), -1,
			 "Quit? The %d running agent%s will be stopped; next time %s shown as "
			 "interrupted (s resumes one).", live, live == 1 ? "" : "s",
			 live == 1 ? "it is" : "they are");
		return;
	}
	d->quit = 1;
}

const struct action action_table[] = {
	{ "next-wave", { 'n' }, "start the next wave", a_next_wave, 0, 0 },
	{ "start", { 's' }, "start the selected task now (resume it if interrupted)", a_start, 0, ACTION_NEEDS_TASK },
	{ "merge", { 'm' }, "merge the selected task after a preview", a_merge, 0, ACTION_NEEDS_TASK | ACTION_DESTRUCTIVE },
	{ "merge-wave", { 'M' }, "merge the current wave in dependency order after a preview", a_merge_wave, 0, ACTION_DESTRUCTIVE },
	{ "zoom", { 'z' }, "zoom / unzoom the focused pane", a_zoom, 0, 0 },
	{ "focus-left", { 'h', SK(TERM_KEY_LEFT) }, "focus the pane to the left (or the sidebar)", a_focus_dir, 'h', 0 },
	{ "focus-down", { 'j', SK(TERM_KEY_DOWN) }, "focus the pane below (sidebar: next task)", a_focus_dir, 'j', 0 },
	{ "focus-up", { 'k', SK(TERM_KEY_UP) }, "focus the pane above (sidebar: previous task)", a_focus_dir, 'k', 0 },
	{ "focus-right", { 'l', SK(TERM_KEY_RIGHT) }, "focus the pane to the right", a_focus_dir, 'l', 0 },
	{ "focus-1", { '1' }, "focus pane 1 of the page (2-9 likewise)", a_focus_num, 1, 0 },
	{ "focus-2", { '2' }, NULL, a_focus_num, 2, 0 },
	{ "focus-3", { '3' }, NULL, a_focus_num, 3, 0 },
	{ "focus-4", { '4' }, NULL, a_focus_num, 4, 0 },
	{ "focus-5", { '5' }, NULL, a_focus_num, 5, 0 },
	{ "focus-6", { '6' }, NULL, a_focus_num, 6, 0 },
	{ "focus-7", { '7' }, NULL, a_focus_num, 7, 0 },
	{ "focus-8", { '8' }, NULL, a_focus_num, 8, 0 },
	{ "focus-9", { '9' }, NULL, a_focus_num, 9, 0 },
	{ "sidebar-focus", { SK(TERM_KEY_TAB) }, "focus the sidebar / back to the pane", a_sidebar_focus, 0, 0 },
	{ "next-layout", { ' ' }, "next layout (grid, main)", a_layout, 0, 0 },
	{ "sidebar", { 'b' }, "show / hide the sidebar", a_sidebar_toggle, 0, 0 },
	{ "next-page", { 'p' }, "next page of panes (when they do not all fit)", a_page, 1, 0 },
	{ "prev-page", { 'P' }, "previous page of panes", a_page, -1, 0 },
	{ "attention", { 'a' }, "jump to the next task needing attention", a_attention, 0, 0 },
	{ "mark-done", { 'd' }, "mark the selected task done", a_mark_done, 0, ACTION_NEEDS_TASK },
	{ "stop", { 'x' }, "stop the selected task's agent", a_stop, 0, ACTION_NEEDS_TASK | ACTION_DESTRUCTIVE },
	{ "restart", { 'r' }, "restart the selected task in its worktree", a_restart, 0, ACTION_NEEDS_TASK | ACTION_DESTRUCTIVE },
	{ "retry", { 'R' }, "retry the selected task from scratch (new worktree)", a_retry, 0, ACTION_NEEDS_TASK | ACTION_DESTRUCTIVE },
	{ "skip", { 'S' }, "skip the selected task", a_skip, 0, ACTION_NEEDS_TASK | ACTION_DESTRUCTIVE },
	{ "merge-base-into", { 'B' }, "merge the base into the selected task's branch; its agent resolves conflicts", a_base_into, 0, ACTION_NEEDS_TASK | ACTION_DESTRUCTIVE },
	{ "dag", { 'g' }, "DAG view (waves, edges, critical path)", a_dag, 0, 0 },
	{ "changes", { 'v' }, "changes / diff view of the selected task", a_changes, 0, 0 },
	{ "events", { 'e' }, "event log", a_events, 0, 0 },
	{ "merge-report", { 'E' }, "merge report: each task merged, conflicted or failing validation", a_report, 0, 0 },
	{ "reload", { 'L' }, "reload the plan file, showing what changed first", a_reload, 0, ACTION_DESTRUCTIVE },
	{ "copy-mode", { '[' }, "scrollback / copy mode in the focused pane", a_copy, 0, 0 },
	{ "help", { '?' }, "this help", a_help, 0, 0 },
	{ "quit", { 'q' }, "quit (asks while agents run)", a_quit, 0, 0 },
};
const int action_count = (int)ARRAY_LEN(action_table);

int action_find(const char *name)
{
	for (int i = 0; i < action_count; i++)
		if (!strcmp(action_table[i].name, name))
			return i;
	return -1;
}

void action_keymap_default(struct action_keymap *m)
{
	memset(m, 0, sizeof *m);
	for (int i = 0; i < action_count; i++)
		for (int k = 0; k < ACTION_MAX_KEYS && action_table[i].keys[k]; k++)
			action_bind(m, action_table[i].keys[k], i);
}

void action_keymap_free(struct action_keymap *m)
{
	free(m->key);
	free(m->act);
	memset(m, 0, sizeof *m);
}

void action_bind(struct action_keymap *m, int key, int act)
{
	for (int i = 0; i < m->n; i++)
		if (m->key[i] == key) {
			m->act[i] = act;
			return;
		}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->key = xrealloc(m->key, (size_t)m->cap * sizeof *m->key);
		m->act = xrealloc(m->act, (size_t)m->cap * sizeof *m->act);
	}
	m->key[m->n] = key;
	m->act[m->n++] = act;
}

int action_lookup(const struct action_keymap *m, int key)
{
	for (int i = 0; i < m->n; i++)
		if (m->key[i] == key)
			return m->act[i];
	return -1;
}

static const struct {
	const char *name;
	int key;
} special_names[] = {
	{ "Enter", TERM_KEY_ENTER }, { "Tab", TERM_KEY_TAB }, { "BSpace", TERM_KEY_BACKSPACE },
	{ "Esc", TERM_KEY_ESCAPE }, { "Up", TERM_KEY_UP }, { "Down", TERM_KEY_DOWN },
	{ "Left", TERM_KEY_LEFT }, { "Right", TERM_KEY_RIGHT }, { "Home", TERM_KEY_HOME },
	{ "End", TERM_KEY_END }, { "PgUp", TERM_KEY_PAGEUP }, { "PgDn", TERM_KEY_PAGEDOWN },
	{ "Ins", TERM_KEY_INS }, { "Del", TERM_KEY_DEL },
};

const char *action_key_name(int key, char *buf, int cap)
{
	if (key >= ACTION_KEY_SPECIAL) {
		int k = key - ACTION_KEY_SPECIAL;
		for (size_t i = 0; i < ARRAY_LEN(special_names); i++)
			if (special_names[i].key == k) {
				snprintf(buf, (size_t)cap, "%s", special_names[i].name);
				return buf;
			}
		if (k > TERM_KEY_F0 && k <= TERM_KEY_F0 + 12) {
			snprintf(buf, (size_t)cap, "F%d", k - TERM_KEY_F0);
			return buf;
		}
		snprintf(buf, (size_t)cap, "key%d", k);
		return buf;
	}
	return keys_char_name((uint32_t)key, buf, cap);
}

int action_key_parse(const char *name)
{
	if (!name || !*name)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(special_names); i++)
		if (!strcmp(special_names[i].name, name))
			return ACTION_KEY_SPECIAL + special_names[i].key;
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);
		if (n >= 1 && n <= 12 && strspn(name + 1, "0123456789") == strlen(name + 1))
			return ACTION_KEY_SPECIAL + TERM_KEY_F(n);
	}
	if (!strcmp(name, "Space"))
		return ' ';
	int c = keys_parse_prefix(name);
	if (c >= 0 && strlen(name) > 1)
		return c;
	unsigned char u = (unsigned char)name[0];
	if (name[1] == 0 && u > ' ' && u < 127)
		return u;
	return -1;
}

void action_keys_text(const struct action_keymap *m, int act, char *buf, int cap)
{
	int len = 0;
	buf[0] = 0;
	for (int i = 0; i < m->n; i++) {
		if (m->act[i] != act)
			continue;
		char kn[24];
		action_key_name(m->key[i], kn, sizeof kn);
		len += snprintf(buf + len, (size_t)(cap - len > 0 ? cap - len : 0), "%s%s",
				len ? ", " : "", kn);
		if (len >= cap)
			break;
	}
}

int action_help_lines(const struct action_keymap *m, const char *pk, char ***lines)
{
	char **v = xcalloc((size_t)action_count + 4, sizeof *v);
	int n = 0;
	v[n++] = xasprintf("%-12s %s", pk, "(twice) send the prefix key to the agent");
	for (int i = 0; i < action_count; i++) {
		const struct action *a = &action_table[i];
		if (!a->help)
			continue;
		char keys[64];
		action_keys_text(m, i, keys, sizeof keys);
		if (!strcmp(a->name, "focus-1")) {
			snprintf(keys, sizeof keys, "1-9");
		}
		if (!keys[0])
			snprintf(keys, sizeof keys, "(unbound)");
		v[n++] = xasprintf("%-12s %s%s", keys, a->help,
				   a->flags & ACTION_DESTRUCTIVE ? " (asks first)" : "");
	}
	*lines = v;
	return n;
}
