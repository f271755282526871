/* dash — the dashboard's state and run loop (see dash.h): messages and the
 * event log, views and confirmations as state, which tasks have panes and
 * where (tiles, pages, relayout), focus, runner events, bells and desktop
 * notifications, signals, the poll() loop and dash_run. Drawing is in
 * dash_draw.c, keys and mouse in dash_input.c (shared internals:
 * dash_int.h). */
#include "dash_int.h"


#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "color.h"
#include "config.h"
#include "orch.h"
#include "render.h"
#include "screen.h"
#include "sidebar.h"
#include "views.h"
#include "views_git.h"

/* ---- small helpers ---- */

enum task_state dash_task_state(const struct dash *d, int i)
{
	return d->o->t[i].st;
}

int dash_task_attention(const struct dash *d, int i)
{
	enum task_state s = dash_task_state(d, i);
	return s == TASK_WAITING || s == TASK_FAILED || s == TASK_CONFLICT || s == TASK_INVALID ||
	       d->bell[i];
}

static void vmsg(struct dash *d, int err, const char *fmt, va_list ap)
{
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	d->msg_err = err;
	d->stat_dirty = 1;
}

void dash_msg(struct dash *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(d, 0, fmt, ap);
	va_end(ap);
}

void dash_error(struct dash *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(d, 1, fmt, ap);
	va_end(ap);
	dash_log(d, "error: %s", d->msg);
}

void dash_log(struct dash *d, const char *fmt, ...)
{
	char ts[16];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%H:%M:%S", &tm);
	va_list ap;
	va_start(ap, fmt);
	struct sbuf b = { 0 };
	sbuf_printf(&b, "%s ", ts);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	int slot;
	if (d->nlog < DASH_LOG_MAX)
		slot = (d->log_start + d->nlog++) % DASH_LOG_MAX;
	else {
		slot = d->log_start;
		d->log_start = (d->log_start + 1) % DASH_LOG_MAX;
		free(d->log[slot]);
	}
	d->log[slot] = sbuf_steal(&b);
}

int dash_target(struct dash *d)
{
	return d->sel >= 0 && d->sel < d->p->ntasks ? d->sel : -1;
}

void dash_view_open(struct dash *d, enum dash_view v, const char *title, struct view_line *vl,
		    int n)
{
	if (d->vl)
		views_lines_free(d->vl, d->nvl);
	d->view = v;
	d->vl = vl;
	d->nvl = n;
	d->vscroll = 0;
	d->vhscroll = 0;
	d->vjob = 0;
	snprintf(d->vtitle, sizeof d->vtitle, "%s", title);
	d->dirty_all = 1;
}

void dash_view_replace(struct dash *d, struct view_line *vl, int n)
{
	if (d->vl)
		views_lines_free(d->vl, d->nvl);
	d->vl = vl;
	d->nvl = n;
	d->dirty_all = 1;
}

void dash_view_close(struct dash *d)
{
	if (d->vl)
		views_lines_free(d->vl, d->nvl);
	d->vl = NULL;
	d->nvl = 0;
	d->vjob = 0;
	d->view = VIEW_NONE;
	d->dirty_all = 1;
}

void dash_ask(struct dash *d, int act, int task, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->confirm_text, sizeof d->confirm_text, fmt, ap);
	va_end(ap);
	d->confirm = CONFIRM_ACTION;
	d->confirm_act = act;
	d->confirm_task = task;
	d->dirty_all = 1;
}

/* ---- a new plan ---- */

int dash_replan(struct dash *d, struct plan *np, struct err *e)
{
	int *from = xcalloc((size_t)np->ntasks + 1, sizeof *from);
	if (runner_replan(d->r, np, from, e) < 0) {
		free(from);
		return -1;
	}
	int n = np->ntasks;
	struct copymode *copy = xcalloc((size_t)n + 1, sizeof *copy);
	unsigned char *bell = xcalloc((size_t)n + 1, 1), *seen = xcalloc((size_t)n + 1, 1);
	struct dash_scan *scan = xcalloc((size_t)n + 1, sizeof *scan);
	int sel = -1;
	for (int j = 0; j < n; j++) {
		int i = from[j];
		if (i < 0)
			continue;
		copy[j] = d->copy[i];
		bell[j] = d->bell[i];
		seen[j] = d->attn_seen[i];
		scan[j] = d->scan[i];
		if (i == d->sel)
			sel = j;
	}
	free(d->copy);
	free(d->bell);
	free(d->attn_seen);
	free(d->scan);
	d->scan = scan;
	d->scan_want = 1;
	d->copy = copy;
	d->bell = bell;
	d->attn_seen = seen;
	free(d->shown);
	d->shown = xcalloc((size_t)n + 1, sizeof *d->shown);
	d->nshown = 0;
	d->p = np;
	d->sel = sel >= 0 ? sel : 0;
	d->plans = xrealloc(d->plans, (size_t)(d->nplans + 1) * sizeof *d->plans);
	d->plans[d->nplans++] = np;
	free(from);
	dash_relayout(d);
	return 0;
}

/* ---- layout ---- */

int dash_has_pane(struct dash *d, int i)
{
	if (!runner_term(d->r, i))
		return 0;
	enum task_state s = dash_task_state(d, i);
	return s != TASK_MERGED && s != TASK_SKIPPED && s != TASK_PENDING && s != TASK_READY;
}

int dash_tile_of(struct dash *d, int task)
{
	for (int k = 0; k < d->ntiles; k++)
		if (d->tiles[k].task == task)
			return k;
	return -1;
}

void dash_drop_windows(struct dash *d)
{
	for (int k = 0; k < d->ntiles; k++)
		if (d->tiles[k].win) {
			delwin(d->tiles[k].win);
			d->tiles[k].win = NULL;
		}
	d->ntiles = 0;
	if (d->sidewin)
		delwin(d->sidewin);
	if (d->statwin)
		delwin(d->statwin);
	if (d->viewwin)
		delwin(d->viewwin);
	d->sidewin = d->statwin = d->viewwin = NULL;
}

/* The shown tasks' list: those with a pane, in plan order. 1 if it changed. */
int dash_compute_shown(struct dash *d)
{
	int n = 0, changed = 0;
	for (int i = 0; i < d->p->ntasks; i++)
		if (dash_has_pane(d, i)) {
			if (n >= d->nshown || d->shown[n] != i)
				changed = 1;
			d->shown[n++] = i;
		}
	if (n != d->nshown)
		changed = 1;
	d->nshown = n;
	return changed;
}

/* How many tiles of at least DASH_MIN_PANE_H x DASH_MIN_PANE_W fit. */
static int tiles_per_page(struct dash *d, int want)
{
	int per = (d->area.h / DASH_MIN_PANE_H) * (d->area.w / DASH_MIN_PANE_W);
	if (per < 1)
		per = 1;
	if (per > DASH_MAX_TILES)
		per = DASH_MAX_TILES;
	int n = want < per ? want : per;
	struct layout_pane g[DASH_MAX_TILES];
	while (n > 1) {
		if (layout_compute(n, d->area, d->mode, -1, g) == 0) {
			int ok = 1;
			for (int k = 0; k < n && ok; k++)
				if (g[k].outer.h < DASH_MIN_PANE_H || g[k].outer.w < DASH_MIN_PANE_W)
					ok = 0;
			if (ok)
				break;
		}
		n--;
	}
	return n < 1 ? 1 : n;
}

void dash_relayout(struct dash *d)
{
	dash_drop_windows(d);
	dash_compute_shown(d);
	int W = COLS, H = LINES;
	int sbw = 0;
	if (d->sidebar_on && W >= 40) {
		sbw = W / 4;
		if (sbw < 26)
			sbw = 26;
		if (sbw > 46)
			sbw = 46;
		if (W < 60)
			sbw = W / 2;
		if (d->nshown == 0 && !d->zoom)
			sbw = W >= 100 ? 50 : sbw;
	}
	d->sbw = sbw;
	if (!sbw)
		d->sidebar_focus = 0;
	d->area = (struct rect){ 0, sbw, H > 1 ? H - 1 : 1, W - sbw > 1 ? W - sbw : 1 };
	if (sbw)
		d->sidewin = newwin(d->area.h, sbw, 0, 0);
	d->statwin = newwin(1, W, H - 1, 0);
	d->viewwin = newwin(d->area.h, d->area.w, d->area.y, d->area.x);
	if (d->statwin)
		leaveok(d->statwin, TRUE);
	if (d->sidewin)
		leaveok(d->sidewin, TRUE);
	/* tiles */
	int list[DASH_MAX_TILES];
	int n = 0;
	if (d->zoom && dash_has_pane(d, d->sel)) {
		list[n++] = d->sel;
		d->npages = 1;
	} else {
		d->zoom = d->zoom && dash_has_pane(d, d->sel);
		int per = tiles_per_page(d, d->nshown);
		d->npages = d->nshown ? (d->nshown + per - 1) / per : 1;
		/* the page that holds the selection, when it has a pane */
		for (int k = 0; k < d->nshown; k++)
			if (d->shown[k] == d->sel && !d->sidebar_focus)
				d->page = k / per;
		if (d->page >= d->npages)
			d->page = d->npages - 1;
		if (d->page < 0)
			d->page = 0;
		for (int k = d->page * per; k < d->nshown && n < per; k++)
			list[n++] = d->shown[k];
	}
	struct layout_pane g[DASH_MAX_TILES];
	if (n > 0 && layout_compute(n, d->area, d->mode, -1, g) < 0)
		n = 0;
	for (int k = 0; k < n; k++) {
		struct dash_tile *t = &d->tiles[k];
		t->task = list[k];
		t->geom = g[k];
		t->win = newwin(g[k].outer.h, g[k].outer.w, g[k].outer.y, g[k].outer.x);
		if (t->win)
			leaveok(t->win, TRUE);
		t->redraw = 1;
		t->drawn_state = -1;
		struct term *tm = runner_term(d->r, list[k]);
		int rows, cols;
		term_size(tm, &rows, &cols);
		if (rows != g[k].inner.h || cols != g[k].inner.w) {
			runner_resize_task(d->r, list[k], g[k].inner.h, g[k].inner.w);
			if (d->copy[list[k]].active)
				copy_leave(&d->copy[list[k]], term_grid(tm));
		}
	}
	d->ntiles = n;
	if (n == 0 && d->sbw > 0)
		d->sidebar_focus = 1; /* no pane: keys are the sidebar's */
	d->dirty_all = d->side_dirty = d->stat_dirty = 1;
	clearok(curscr, TRUE);
}

void dash_select(struct dash *d, int i)
{
	if (i < 0 || i >= d->p->ntasks)
		return;
	int old = d->sel;
	if (old >= 0 && old < d->p->ntasks) {
		struct term *t = runner_term(d->r, old);
		if (t && old != i) {
			term_focus(t, 0);
			runner_term_input(d->r, old);
		}
	}
	d->sel = i;
	d->bell[i] = 0;
	struct term *t = runner_term(d->r, i);
	if (t && runner_task_alive(d->r, i)) {
		term_focus(t, 1);
		runner_term_input(d->r, i);
	}
	/* bring its pane into view */
	if (dash_has_pane(d, i) && (dash_tile_of(d, i) < 0 || d->zoom))
		dash_relayout(d);
	d->side_dirty = d->stat_dirty = 1;
	for (int k = 0; k < d->ntiles; k++)
		d->tiles[k].redraw = 1;
}

/* ---- attention: bell and notifications ---- */

static int have_notify_send(void)
{
	static int known = -1;
	if (known < 0) {
		known = 0;
		const char *path = getenv("PATH");
		if (path) {
			char *dup = xstrdup(path), *save = NULL;
			for (char *dir = strtok_r(dup, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
				char *f = xasprintf("%s/notify-send", dir);
				if (access(f, X_OK) == 0)
					known = 1;
				free(f);
				if (known)
					break;
			}
			free(dup);
		}
	}
	return known;
}

static void notify(struct dash *d, const char *text)
{
	if (!d->opt.notify || !have_notify_send())
		return;
	pid_t pid = fork();
	if (pid == 0) { /* double fork: nobody has to reap notify-send */
		if (fork() == 0) {
			int fd = open("/dev/null", O_RDWR);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execlp("notify-send", "notify-send", "shoal", text, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* Scans run every DASH_SCAN_MS while agents run (a second after a state
 * change), and take at most a tenth of the git worker's time on a big
 * repository. */
static uint64_t scan_interval(const struct dash *d)
{
	uint64_t t = 10 * d->scan_ms, min = d->scan_want ? 1000 : DASH_SCAN_MS;
	return t > min ? t : min;
}

static void on_event(struct dash *d, const struct runner_event *ev)
{
	const char *id = ev->task >= 0 && ev->task < d->p->ntasks ? d->p->tasks[ev->task].id : "";
	switch (ev->kind) {
	case RUNNER_EV_TASK:
		if (*id)
			mreport_event(&d->mr, id, ev->from, ev->to);
		d->scan_want = 1;
		dash_log(d, "%s: %s → %s%s%s%s", id, task_state_name(ev->from), task_state_name(ev->to),
			 ev->text[0] ? " (" : "", ev->text, ev->text[0] ? ")" : "");
		if (ev->text[0])
			dash_msg(d, "%s %s (%s)", id, sidebar_state_label(ev->to), ev->text);
		else
			dash_msg(d, "%s %s", id, sidebar_state_label(ev->to));
		if (ev->to == TASK_WAITING || ev->to == TASK_FAILED || ev->to == TASK_CONFLICT ||
		    ev->to == TASK_INVALID) {
			if (d->opt.bell)
				beep();
			char t[300];
			snprintf(t, sizeof t, "%s: %s", id, task_state_name(ev->to));
			notify(d, t);
			if (ev->to != TASK_WAITING)
				d->msg_err = 1;
		}
		break;
	case RUNNER_EV_OUTPUT:
		dash_log(d, "%s | %s", id, ev->text);
		break;
	case RUNNER_EV_PROGRESS:
		dash_msg(d, "%s", ev->text);
		break;
	case RUNNER_EV_INFO:
		dash_log(d, "%s%s%s", id, *id ? ": " : "", ev->text);
		dash_msg(d, "%s", ev->text);
		break;
	case RUNNER_EV_ERROR:
		dash_error(d, "%s%s%s", id, *id ? ": " : "", ev->text);
		break;
	}
	d->side_dirty = d->stat_dirty = 1;
}

static void on_winch(struct dash *d)
{
	dash_drop_windows(d);
	screen_resized(d->keys.inwin);
	dash_relayout(d);
}

static void read_signals(struct dash *d)
{
	int sigs[64];
	int n = screen_signal_read(sigs, 64), winch = 0;
	for (int i = 0; i < n; i++) {
		if (sigs[i] == SIGWINCH)
			winch = 1;
		else
			d->quit = 1;
	}
	if (winch)
		on_winch(d);
}


/* ---- the loop ---- */

static void loop(struct dash *d)
{
	int max = runner_pollfds_max(d->r) + 2;
	struct pollfd *pf = xcalloc((size_t)max, sizeof *pf);
	while (!d->quit) {
		if (runner_pollfds_max(d->r) + 2 > max) { /* a reload added tasks */
			max = runner_pollfds_max(d->r) + 2;
			free(pf);
			pf = xcalloc((size_t)max, sizeof *pf);
		}
		pf[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = screen_signal_fd(), .events = POLLIN };
		int nr = runner_pollfds(d->r, pf + 2, max - 2);
		uint64_t now = util_now_ms();
		int timeout = runner_timeout_ms(d->r, (int64_t)now);
		if (dash_anything_dirty(d)) {
			uint64_t due = d->last_frame + DASH_FRAME_MS;
			int t = now >= due ? 0 : (int)(due - now);
			if (timeout < 0 || t < timeout)
				timeout = t;
		}
		if (d->scan_want && !d->scan_job) { /* changed files after a state change */
			uint64_t due = d->last_scan + scan_interval(d);
			int t = now >= due ? 0 : (int)(due - now);
			if (timeout < 0 || t < timeout)
				timeout = t;
		}
		if (orch_live(d->o) > 0) { /* elapsed times in the sidebar */
			uint64_t due = d->last_tick + DASH_TICK_MS;
			int t = now >= due ? 0 : (int)(due - now);
			if (timeout < 0 || t < timeout)
				timeout = t;
		}
		int r = poll(pf, (nfds_t)(2 + nr), timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (pf[1].revents & POLLIN))
			read_signals(d);
		runner_handle(d->r, pf + 2, r > 0 ? nr : 0, (int64_t)util_now_ms());
		const struct runner_event *ev;
		while ((ev = runner_event_next(d->r)))
			on_event(d, ev);
		mreport_check(d); /* a merge sequence that ended */
		if (r > 0 && (pf[0].revents & POLLIN))
			dash_read_keys(d);
		if (r > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			d->quit = 1;
		/* bells of unfocused panes */
		for (int k = 0; k < d->ntiles; k++) {
			struct term *t = runner_term(d->r, d->tiles[k].task);
			if (t && term_bell(t) > 0 && d->tiles[k].task != d->sel) {
				d->bell[d->tiles[k].task] = 1;
				d->tiles[k].redraw = 1;
				d->side_dirty = 1;
			}
			if (t && d->copy[d->tiles[k].task].active)
				copy_sync(&d->copy[d->tiles[k].task], term_grid(t));
		}
		/* tasks appearing or leaving the tiles */
		int old_n = d->nshown;
		int *old = xcalloc((size_t)old_n + 1, sizeof *old);
		memcpy(old, d->shown, (size_t)old_n * sizeof *old);
		if (dash_compute_shown(d)) {
			/* a new pane gets the focus when nothing else has it */
			int had = 0;
			for (int k = 0; k < old_n; k++)
				if (old[k] == d->sel)
					had = 1;
			if (!had && !dash_has_pane(d, d->sel) && d->nshown > 0 && !d->sidebar_focus)
				d->sel = d->shown[0];
			dash_relayout(d);
		}
		free(old);
		now = util_now_ms();
		if (orch_live(d->o) > 0 && now >= d->last_tick + DASH_TICK_MS) {
			d->last_tick = now;
			d->side_dirty = d->stat_dirty = 1;
		}
		if ((d->scan_want || orch_live(d->o) > 0) && !d->scan_job &&
		    now >= d->last_scan + scan_interval(d)) {
			d->scan_want = 0;
			views_scan(d);
		}
		if (dash_anything_dirty(d) && now >= d->last_frame + DASH_FRAME_MS)
			dash_draw(d);
	}
	free(pf);
}

int dash_run(struct plan *p, const char *repo, const struct dash_opts *o, struct err *e)
{
	struct dash *d = xcalloc(1, sizeof *d);
	d->opt = *o;
	if (!d->opt.prefix)
		d->opt.prefix = 7;
	if (!o->theme)
		theme_default(&d->th);
	else if (theme_load(&d->th, o->theme, e) < 0) {
		theme_free(&d->th);
		free(d);
		return -1;
	}
	action_keymap_default(&d->km);
	for (int k = 0; k < o->nbindings; k++) { /* a rebinding replaces the default keys */
		int a = action_find(o->bindings[k].action);
		for (int m = 0; m < d->km.n && a >= 0; m++)
			if (d->km.act[m] == a)
				d->km.act[m] = -1;
	}
	for (int k = 0; k < o->nbindings; k++)
		if (o->bindings[k].key >= 0)
			action_bind(&d->km, o->bindings[k].key, action_find(o->bindings[k].action));
	if (o->idle_after > 0 && p->idle_after == STATUS_IDLE_AFTER_DEFAULT)
		p->idle_after = o->idle_after;
	d->p = p;
	d->sidebar_on = 1;
	d->sel = 0;
	d->mode = LAYOUT_GRID;
	int rc = 0;
	/* agents start at a size close to the real one */
	struct winsize ws = { 0 };
	ioctl(1, TIOCGWINSZ, &ws);
	struct runner_opts ro = { .scrollback = o->scrollback,
				  .rows = ws.ws_row > 10 ? ws.ws_row / 2 - 2 : 0,
				  .cols = ws.ws_col > 40 ? (ws.ws_col * 3 / 4) / 2 - 2 : 0 };
	d->r = runner_open(p, repo, &ro, e);
	if (!d->r) {
		rc = -1;
		goto out;
	}
	d->o = runner_orch(d->r);
	d->shown = xcalloc((size_t)p->ntasks + 1, sizeof *d->shown);
	d->copy = xcalloc((size_t)p->ntasks + 1, sizeof *d->copy);
	d->bell = xcalloc((size_t)p->ntasks + 1, 1);
	d->attn_seen = xcalloc((size_t)p->ntasks + 1, 1);
	d->scan = xcalloc((size_t)p->ntasks + 1, sizeof *d->scan);
	d->scan_want = 1;
	d->log = xcalloc(DASH_LOG_MAX, sizeof *d->log);
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT }; /* the runner has SIGCHLD */
	d->keys.paste_max = 16u << 20;
	if (screen_signals(sigs, (int)ARRAY_LEN(sigs), e) < 0) {
		runner_close(d->r);
		rc = -1;
		goto out;
	}
	if (screen_open(&d->keys.inwin,
			"the dashboard needs a terminal (standard input and output); "
			"use 'shoal run' for a headless run", e) < 0) {
		screen_signals_restore();
		runner_close(d->r);
		rc = -1;
		goto out;
	}
	const struct runner_event *ev0;
	while ((ev0 = runner_event_next(d->r))) /* what opening did (resume fix-ups) */
		on_event(d, ev0);
	if (runner_plan_changes(d->r))
		dash_log(d, "the plan changed since the last run: %s", runner_plan_changes(d->r));
	int interrupted = 0;
	for (int i = 0; i < p->ntasks; i++)
		if (dash_task_state(d, i) == TASK_INTERRUPTED)
			interrupted++;
	if (interrupted)
		dash_msg(d, "%d task%s interrupted by the last quit: select one and press s to resume it",
			 interrupted, interrupted == 1 ? " was" : "s were");
	else
		dash_msg(d, "%s: %d tasks in %d waves", p->name, p->ntasks, p->nwaves);
	dash_log(d, "opened %s (%d tasks, %d waves)", p->path ? p->path : p->name, p->ntasks, p->nwaves);
	/* start on the first task of the current wave */
	int cur = orch_current_wave(d->o);
	for (int i = 0; i < p->ntasks; i++)
		if (p->tasks[i].wave == cur) {
			d->sel = i;
			break;
		}
	d->sidebar_focus = 1;
	dash_relayout(d);
	loop(d);
	dash_drop_windows(d);
	screen_close(d->keys.inwin);
	screen_signals_restore();
	runner_close(d->r);
out:
	mreport_free(&d->mr);
	if (d->reload)
		plan_free(d->reload);
	for (int k = 0; k < d->nplans; k++)
		plan_free(d->plans[k]);
	free(d->plans);
	if (d->vl)
		views_lines_free(d->vl, d->nvl);
	if (d->log) {
		for (int k = 0; k < DASH_LOG_MAX; k++)
			free(d->log[k]);
		free(d->log);
	}
	free(d->shown);
	free(d->copy);
	free(d->bell);
	free(d->attn_seen);
	free(d->scan);
	free(d->clip);
	sbuf_free(&d->keys.paste);
	action_keymap_free(&d->km);
	theme_free(&d->th);
	free(d);
	return rc;
}
