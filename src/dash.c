/* dash — the dashboard's screen and event loop (see dash.h). */
#include "dash.h"

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
#include <wchar.h>

#include "color.h"
#include "config.h"
#include "orch.h"
#include "render.h"
#include "screen.h"
#include "sidebar.h"
#include "views.h"

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
	snprintf(d->vtitle, sizeof d->vtitle, "%s", title);
	d->dirty_all = 1;
}

void dash_view_close(struct dash *d)
{
	if (d->vl)
		views_lines_free(d->vl, d->nvl);
	d->vl = NULL;
	d->nvl = 0;
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

/* ---- layout ---- */

static int has_pane(struct dash *d, int i)
{
	if (!runner_term(d->r, i))
		return 0;
	enum task_state s = dash_task_state(d, i);
	return s != TASK_MERGED && s != TASK_SKIPPED && s != TASK_PENDING && s != TASK_READY;
}

static int tile_of(struct dash *d, int task)
{
	for (int k = 0; k < d->ntiles; k++)
		if (d->tiles[k].task == task)
			return k;
	return -1;
}

static void drop_windows(struct dash *d)
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
static int compute_shown(struct dash *d)
{
	int n = 0, changed = 0;
	for (int i = 0; i < d->p->ntasks; i++)
		if (has_pane(d, i)) {
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
	drop_windows(d);
	compute_shown(d);
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
	if (d->zoom && has_pane(d, d->sel)) {
		list[n++] = d->sel;
		d->npages = 1;
	} else {
		d->zoom = d->zoom && has_pane(d, d->sel);
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
	if (has_pane(d, i) && (tile_of(d, i) < 0 || d->zoom))
		dash_relayout(d);
	d->side_dirty = d->stat_dirty = 1;
	for (int k = 0; k < d->ntiles; k++)
		d->tiles[k].redraw = 1;
}

/* ---- drawing ---- */

static void put_styled(WINDOW *w, int y, int x, const char *s, enum theme_role r,
		       const struct theme *th, int maxcols)
{
	unsigned a;
	int pair;
	theme_attr(th, r, &a, &pair);
	wattr_set(w, a, 0, &pair);
	wchar_t buf[1024];
	int cols = render_utf8_to_wide(s, buf, ARRAY_LEN(buf), maxcols);
	(void)cols;
	mvwaddnwstr(w, y, x, buf, (int)wcslen(buf));
	wattr_set(w, 0, 0, &(int){ 0 });
}

static void fill_line(WINDOW *w, int y, int x, int n, enum theme_role r, const struct theme *th)
{
	unsigned a;
	int pair;
	theme_attr(th, r, &a, &pair);
	wattr_set(w, a, 0, &pair);
	mvwhline(w, y, x, ' ', n);
	wattr_set(w, 0, 0, &(int){ 0 });
}

static void snapshot(struct dash *d, struct sidebar_task *t)
{
	for (int i = 0; i < d->p->ntasks; i++) {
		memset(&t[i], 0, sizeof t[i]);
		t[i].st = dash_task_state(d, i);
		struct state_task *s = state_task_find(&d->o->st, d->p->tasks[i].id);
		if (s) {
			t[i].start_ms = s->start_ms;
			t[i].end_ms = s->end_ms;
			t[i].reason = s->reason;
		}
		if (d->bell[i])
			t[i].warn |= SB_WARN_BELL;
	}
}

static void draw_sidebar(struct dash *d)
{
	WINDOW *w = d->sidewin;
	if (!w)
		return;
	int H = d->area.h, W = d->sbw - 1;
	werase(w);
	struct sidebar_task *st = xcalloc((size_t)d->p->ntasks + 1, sizeof *st);
	snapshot(d, st);
	struct sidebar_row *rows;
	int64_t now = task_now_ms();
	int n = sidebar_build(d->p, st, W - 1, now, &rows);
	/* keep the selected row in view */
	int selrow = -1;
	for (int k = 0; k < n; k++)
		if (rows[k].kind == SB_ROW_TASK && rows[k].task == d->sel)
			selrow = k;
	if (selrow >= 0) {
		if (selrow < d->sb_top + 1)
			d->sb_top = selrow - 1 > 0 ? selrow - 1 : 0;
		if (selrow >= d->sb_top + H)
			d->sb_top = selrow - H + 1;
	}
	if (d->sb_top > n - H)
		d->sb_top = n - H > 0 ? n - H : 0;
	for (int y = 0; y < H && d->sb_top + y < n; y++) {
		struct sidebar_row *r = &rows[d->sb_top + y];
		int selected = r->kind == SB_ROW_TASK && r->task == d->sel;
		enum theme_role role = r->role;
		if (selected) {
			fill_line(w, y, 0, W, TH_SELECTED, &d->th);
			role = TH_SELECTED;
		}
		put_styled(w, y, 1, r->text, role, &d->th, W - 1);
		if (r->kind == SB_ROW_TASK) { /* the glyph in its state's colour */
			char g[8];
			snprintf(g, sizeof g, "%s", sidebar_glyph(st[r->task].st));
			put_styled(w, y, 2, g, r->glyph_role, &d->th, 1);
		}
		if (r->bar_len > 0) { /* colour the bar's segments */
			const char *s = r->text;
			int col = 0;
			/* find the byte where column bar_col starts */
			while (*s && col < r->bar_col) {
				unsigned char c = (unsigned char)*s;
				s += c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
				col++;
			}
			for (int k = 0; k < r->bar_len && *s; k++) {
				enum theme_role br = TH_BAR_EMPTY;
				if (!strncmp(s, "█", 3))
					br = TH_BAR_MERGED;
				else if (!strncmp(s, "▓", 3))
					br = TH_BAR_DONE;
				else if (!strncmp(s, "▒", 3))
					br = TH_BAR_RUNNING;
				char one[4] = { s[0], s[1], s[2], 0 };
				put_styled(w, y, 1 + r->bar_col + k, one, br, &d->th, 1);
				s += 3;
			}
		}
	}
	/* the right edge */
	unsigned a;
	int pair;
	theme_attr(&d->th, d->sidebar_focus ? TH_BORDER_FOCUS : TH_BORDER, &a, &pair);
	cchar_t cc;
	setcchar(&cc, d->sidebar_focus ? L"┃" : L"│", a, 0, &pair);
	mvwvline_set(w, 0, W, &cc, H);
	free(rows);
	free(st);
	wnoutrefresh(w);
}

static void draw_tile(struct dash *d, struct dash_tile *t, int idx)
{
	if (!t->win)
		return;
	struct term *tm = runner_term(d->r, t->task);
	if (!tm)
		return;
	struct grid *g = term_grid(tm);
	int focused = t->task == d->sel && !d->sidebar_focus;
	enum task_state s = dash_task_state(d, t->task);
	int look = (int)s * 4 + (focused ? 2 : 0) + (dash_task_attention(d, t->task) ? 1 : 0);
	if (t->redraw || term_title_changed(tm) || look != t->drawn_state) {
		t->drawn_state = look;
		char title[400], status[96];
		const char *tt = term_title(tm);
		snprintf(title, sizeof title, "%d %s %s%s%.200s", idx + 1, sidebar_glyph(s),
			 d->p->tasks[t->task].id, tt && *tt ? " · " : "", tt ? tt : "");
		struct copymode *cm = &d->copy[t->task];
		if (cm->active)
			snprintf(status, sizeof status, "copy %d/%d", grid_view_offset(g), grid_sb_count(g));
		else if (grid_view_offset(g) > 0)
			snprintf(status, sizeof status, "scroll %d/%d", grid_view_offset(g), grid_sb_count(g));
		else
			snprintf(status, sizeof status, "%s", sidebar_state_label(s));
		enum theme_role br = focused ? TH_BORDER_FOCUS
				     : dash_task_attention(d, t->task) ? TH_BORDER_ATTN
								       : TH_BORDER;
		unsigned a;
		int pair, spair;
		unsigned sa;
		theme_attr(&d->th, br, &a, &pair);
		theme_attr(&d->th, theme_state_role(s), &sa, &spair);
		const char *hint = NULL;
		char hb[128];
		if (focused && d->armed) {
			char pk[16];
			keys_char_name((uint32_t)d->opt.prefix, pk, sizeof pk);
			snprintf(hb, sizeof hb, "%s … (? help)", pk);
			hint = hb;
		} else if (focused && cm->active)
			hint = "copy: arrows/hjkl PgUp/PgDn g/G  Space select  Enter copy  q leave";
		render_border_styled(t->win, t->geom.outer.h, t->geom.outer.w, focused, a, pair,
				     spair, title, status, hint);
	}
	struct rect o = t->geom.outer, in = t->geom.inner;
	if (t->redraw || grid_dirty(g) || d->copy[t->task].active) {
		struct render_sel sel;
		copy_selection(&d->copy[t->task], g, &sel);
		render_grid(t->win, g, in.y - o.y, in.x - o.x, in.h, in.w, t->redraw, &sel);
		grid_damage_clear(g);
	}
	t->redraw = 0;
	wnoutrefresh(t->win);
}

static void draw_status(struct dash *d)
{
	WINDOW *w = d->statwin;
	if (!w)
		return;
	werase(w);
	fill_line(w, 0, 0, COLS, TH_STATUS, &d->th);
	char pk[16];
	keys_char_name((uint32_t)d->opt.prefix, pk, sizeof pk);
	int live = orch_live(d->o);
	int cur = orch_current_wave(d->o);
	char left[160];
	if (cur > d->p->nwaves)
		snprintf(left, sizeof left, " all %d waves merged · ", d->p->nwaves);
	else
		snprintf(left, sizeof left, " wave %d/%d · %d/%d running%s · ", cur, d->p->nwaves, live,
			 d->p->max_workers, d->npages > 1 ? "" : "");
	if (d->npages > 1) {
		size_t l = strlen(left);
		snprintf(left + l, sizeof left - l, "page %d/%d · ", d->page + 1, d->npages);
	}
	int x = 0;
	put_styled(w, 0, x, left, TH_STATUS, &d->th, COLS);
	x += sidebar_cols(left);
	/* keys that matter now */
	char keys[200];
	if (d->confirm)
		snprintf(keys, sizeof keys, "y/Enter confirm · n/Esc cancel");
	else if (d->view != VIEW_NONE)
		snprintf(keys, sizeof keys, "j/k PgUp/PgDn h/l scroll · q close");
	else if (d->sidebar_focus)
		snprintf(keys, sizeof keys, "j/k select · Enter pane · n wave · s start · m merge · ? help");
	else if (d->armed)
		snprintf(keys, sizeof keys, "%s … n wave · m merge · z zoom · Tab sidebar · ? help", pk);
	else
		snprintf(keys, sizeof keys, "%s ? help · %s Tab sidebar · %s n next wave", pk, pk, pk);
	int kcols = sidebar_cols(keys);
	int room = COLS - x - kcols - 2;
	if (d->msg[0] && room > 10) {
		char m[512] = "";
		int c = 0;
		sidebar_append(m, sizeof m, &c, room, d->msg);
		put_styled(w, 0, x, m, d->msg_err ? TH_STATUS_ERR : TH_STATUS, &d->th, room);
	}
	if (COLS - kcols - 1 > x)
		put_styled(w, 0, COLS - kcols - 1, keys, TH_STATUS_KEY, &d->th, kcols);
	wnoutrefresh(w);
}

/* Draws view line l from its column `skip` on, at most maxcols columns,
 * each run in its role. */
static void put_view_line(WINDOW *w, int y, int x, const struct view_line *l, int skip, int maxcols,
			  const struct theme *th)
{
	struct view_run one = { (int)strlen(l->text), l->role };
	const struct view_run *runs = l->runs ? l->runs : &one;
	int nruns = l->runs ? l->nruns : 1;
	const char *s = l->text;
	int col = 0, out = 0;
	mbstate_t mb;
	memset(&mb, 0, sizeof mb);
	for (int r = 0; r < nruns && out < maxcols; r++) {
		wchar_t buf[512];
		size_t k = 0;
		const char *end = s + runs[r].len;
		while (s < end && *s && k + 2 < ARRAY_LEN(buf)) {
			wchar_t wc;
			size_t n = mbrtowc(&wc, s, (size_t)(end - s), &mb);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&mb, 0, sizeof mb);
				wc = L'?';
				n = 1;
			}
			s += n;
			int ww = wcwidth(wc);
			if (ww < 0 || wc < 0x20)
				wc = L'?', ww = 1;
			if (col < skip) { /* scrolled off; half a wide char shows as a blank */
				col += ww;
				if (col > skip && out + col - skip <= maxcols) {
					for (int b = 0; b < col - skip; b++)
						buf[k++] = L' ';
					out += col - skip;
				}
				continue;
			}
			if (out + ww > maxcols)
				break;
			buf[k++] = wc;
			col += ww;
			out += ww;
		}
		s = end;
		if (k) {
			unsigned a;
			int pair;
			theme_attr(th, runs[r].role, &a, &pair);
			wattr_set(w, a, 0, &pair);
			buf[k] = 0;
			int cols = 0;
			for (size_t i = 0; i < k; i++)
				cols += wcwidth(buf[i]) > 0 ? wcwidth(buf[i]) : 1;
			mvwaddnwstr(w, y, x + out - cols, buf, (int)k);
			wattr_set(w, 0, 0, &(int){ 0 });
		}
	}
}

static void draw_view(struct dash *d)
{
	WINDOW *w = d->viewwin;
	if (!w)
		return;
	werase(w);
	int H = d->area.h, W = d->area.w;
	unsigned a;
	int pair;
	theme_attr(&d->th, TH_BORDER_FOCUS, &a, &pair);
	char st[48];
	snprintf(st, sizeof st, "%d-%d/%d", d->nvl ? d->vscroll + 1 : 0,
		 d->vscroll + H - 2 < d->nvl ? d->vscroll + H - 2 : d->nvl, d->nvl);
	render_border_styled(w, H, W, 1, a, pair, pair, d->vtitle, st, "q/Esc close · j/k PgUp/PgDn h/l scroll");
	int rows = H - 2;
	if (d->vscroll > d->nvl - rows)
		d->vscroll = d->nvl - rows > 0 ? d->nvl - rows : 0;
	if (d->vscroll < 0)
		d->vscroll = 0;
	int widest = 0;
	for (int k = 0; k < d->nvl; k++) {
		int c = sidebar_cols(d->vl[k].text);
		widest = c > widest ? c : widest;
	}
	if (d->vhscroll > widest - (W - 2))
		d->vhscroll = widest - (W - 2) > 0 ? widest - (W - 2) : 0;
	for (int y = 0; y < rows && d->vscroll + y < d->nvl; y++)
		put_view_line(w, 1 + y, 1, &d->vl[d->vscroll + y], d->vhscroll, W - 2, &d->th);
	wnoutrefresh(w);
}

static void draw_confirm(struct dash *d)
{
	int W = COLS - 4 < 76 ? COLS - 4 : 76;
	if (W < 20)
		W = COLS;
	/* wrap the text */
	char lines[8][160];
	int nl = 0;
	const char *s = d->confirm_text;
	while (*s && nl < 6) {
		char buf[512] = "";
		int c = 0;
		/* take words while they fit */
		const char *p = s;
		const char *last_cut = NULL;
		while (*p) {
			const char *q = p;
			while (*q && *q != ' ')
				q++;
			char word[256];
			size_t wl = (size_t)(q - p) < sizeof word - 1 ? (size_t)(q - p) : sizeof word - 1;
			memcpy(word, p, wl);
			word[wl] = 0;
			int wc = sidebar_cols(word);
			if (c && c + 1 + wc > W - 4)
				break;
			if (c) {
				strcat(buf, " ");
				c++;
			}
			sidebar_append(buf, sizeof buf, &c, W - 4, word);
			last_cut = q;
			p = *q ? q + 1 : q;
		}
		if (!last_cut)
			break;
		snprintf(lines[nl++], sizeof lines[0], "%s", buf);
		s = p;
	}
	snprintf(lines[nl++], sizeof lines[0], "%s", "y/Enter: yes    n/Esc: no");
	int H = nl + 2;
	WINDOW *w = newwin(H, W, (LINES - H) / 2, (COLS - W) / 2);
	if (!w)
		return;
	werase(w);
	unsigned a;
	int pair;
	theme_attr(&d->th, TH_BORDER_ATTN, &a, &pair);
	render_border_styled(w, H, W, 1, a, pair, pair, "confirm", NULL, NULL);
	for (int k = 0; k < nl; k++)
		put_styled(w, 1 + k, 2, lines[k], k == nl - 1 ? TH_STATUS_KEY : TH_NORMAL, &d->th, W - 4);
	wnoutrefresh(w);
	delwin(w);
}

static int anything_dirty(struct dash *d)
{
	if (d->dirty_all || d->side_dirty || d->stat_dirty)
		return 1;
	if (d->view != VIEW_NONE)
		return 0;
	for (int k = 0; k < d->ntiles; k++) {
		struct term *t = runner_term(d->r, d->tiles[k].task);
		if (d->tiles[k].redraw || (t && grid_dirty(term_grid(t))))
			return 1;
		int task = d->tiles[k].task;
		int focused = task == d->sel && !d->sidebar_focus;
		int look = (int)dash_task_state(d, task) * 4 + (focused ? 2 : 0) +
			   (dash_task_attention(d, task) ? 1 : 0);
		if (look != d->tiles[k].drawn_state)
			return 1;
	}
	return 0;
}

static void draw(struct dash *d)
{
	if (d->dirty_all) {
		for (int k = 0; k < d->ntiles; k++)
			d->tiles[k].redraw = 1;
		d->side_dirty = d->stat_dirty = 1;
		werase(stdscr);
		if (d->ntiles == 0 && d->view == VIEW_NONE) {
			/* the empty area says what to do */
			const char *l1 = orch_current_wave(d->o) > d->p->nwaves
						 ? "Every wave is merged. q quits."
						 : "No agent is running. Press n (prefix n from a pane) to start the next wave,";
			const char *l2 = "s to start the selected task, ? for every key.";
			put_styled(stdscr, d->area.y + d->area.h / 2 - 1, d->area.x + 2, l1, TH_DIM, &d->th,
				   d->area.w - 3);
			put_styled(stdscr, d->area.y + d->area.h / 2, d->area.x + 2, l2, TH_DIM, &d->th,
				   d->area.w - 3);
		}
		wnoutrefresh(stdscr);
	}
	if (d->side_dirty)
		draw_sidebar(d);
	if (d->view != VIEW_NONE) {
		draw_view(d);
	} else {
		for (int k = 0; k < d->ntiles; k++)
			draw_tile(d, &d->tiles[k], k);
	}
	if (d->stat_dirty || d->dirty_all)
		draw_status(d);
	if (d->confirm)
		draw_confirm(d);
	/* the cursor: in the focused pane */
	int show = 0, style = 0;
	int k = tile_of(d, d->sel);
	if (k >= 0 && !d->sidebar_focus && d->view == VIEW_NONE && !d->confirm) {
		struct dash_tile *t = &d->tiles[k];
		struct term *tm = runner_term(d->r, t->task);
		struct grid *g = term_grid(tm);
		struct rect in = t->geom.inner;
		style = term_cursor_style(tm);
		int y, x;
		if (d->copy[t->task].active) {
			y = copy_cursor_row(&d->copy[t->task], g);
			x = d->copy[t->task].cx;
			show = y >= 0 && y < in.h && x < in.w;
		} else {
			struct grid_cursor c = grid_cursor(g);
			y = c.row;
			x = c.col;
			show = c.visible && grid_view_offset(g) == 0 && runner_task_alive(d->r, t->task) &&
			       y < in.h && x < in.w;
		}
		if (show && t->win) {
			leaveok(t->win, FALSE);
			wmove(t->win, in.y - t->geom.outer.y + y, in.x - t->geom.outer.x + x);
			wnoutrefresh(t->win);
		}
	}
	if (show != d->cursor_shown) {
		curs_set(show ? 1 : 0);
		d->cursor_shown = show;
	}
	doupdate();
	if (show) /* the focused agent's cursor shape (DECSCUSR), forwarded */
		screen_cursor_style(style);
	d->dirty_all = d->side_dirty = d->stat_dirty = 0;
	d->last_frame = util_now_ms();
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

static void on_event(struct dash *d, const struct runner_event *ev)
{
	const char *id = ev->task >= 0 && ev->task < d->p->ntasks ? d->p->tasks[ev->task].id : "";
	switch (ev->kind) {
	case RUNNER_EV_TASK:
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

/* ---- keys ---- */

static int key_code(const struct keys_ev *ev)
{
	if (ev->kind == KEYS_CHAR && !(ev->mods & TERM_MOD_ALT))
		return (int)ev->cp;
	if (ev->kind == KEYS_SPECIAL && !ev->mods)
		return ACTION_KEY_SPECIAL + ev->key;
	return -1;
}

static void run_action(struct dash *d, int act, int confirmed)
{
	if (act < 0 || act >= action_count)
		return;
	const struct action *a = &action_table[act];
	if (d->view != VIEW_NONE && a->fn != NULL && strcmp(a->name, "help") && !confirmed &&
	    strcmp(a->name, "merge") && strcmp(a->name, "merge-wave"))
		dash_view_close(d);
	a->fn(d, a->arg, confirmed);
	d->stat_dirty = d->side_dirty = 1;
}

static void send_to_agent(struct dash *d, const struct keys_ev *ev)
{
	int i = d->sel;
	struct term *t = runner_term(d->r, i);
	if (!t || !runner_task_alive(d->r, i)) {
		dash_msg(d, "%s has no running agent (Tab: sidebar keys; ? help)", d->p->tasks[i].id);
		return;
	}
	struct grid *g = term_grid(t);
	if (grid_view_offset(g) > 0) {
		grid_view_set(g, 0);
		d->dirty_all = 1;
	}
	struct err e;
	if (ev->kind == KEYS_CHAR)
		runner_send_char(d->r, i, ev->cp, ev->mods, &e);
	else if (ev->kind == KEYS_SPECIAL)
		runner_send_key(d->r, i, (enum term_key)ev->key, ev->mods, &e);
}

static void dash_copy_key(struct dash *d, int i, const struct keys_ev *ev)
{
	struct copymode *cm = &d->copy[i];
	struct grid *g = term_grid(runner_term(d->r, i));
	if (copy_key(cm, g, ev) == COPY_KEY_COPY) {
		char *text = copy_selected_text(cm, g);
		free(d->clip);
		d->clip = text;
		char *osc = copy_osc52(text, strlen(text));
		doupdate();
		screen_write(osc);
		free(osc);
		copy_leave(cm, g);
		dash_msg(d, "copied %zu bytes", strlen(text));
	}
	d->dirty_all = 1;
}

static void view_key(struct dash *d, const struct keys_ev *ev)
{
	uint32_t c = ev->kind == KEYS_CHAR ? ev->cp : 0;
	int k = ev->kind == KEYS_SPECIAL ? ev->key : -1;
	int page = d->area.h - 3 > 1 ? d->area.h - 3 : 1;
	if (c == 'q' || k == TERM_KEY_ESCAPE)
		dash_view_close(d);
	else if (c == 'j' || k == TERM_KEY_DOWN || k == TERM_KEY_ENTER)
		d->vscroll++;
	else if (c == 'k' || k == TERM_KEY_UP)
		d->vscroll--;
	else if (k == TERM_KEY_PAGEDOWN || c == ' ' || c == 6)
		d->vscroll += page;
	else if (k == TERM_KEY_PAGEUP || c == 2)
		d->vscroll -= page;
	else if (c == 'G' || k == TERM_KEY_END)
		d->vscroll = d->nvl;
	else if (k == TERM_KEY_HOME)
		d->vscroll = 0, d->vhscroll = 0;
	else if (c == 'h' || k == TERM_KEY_LEFT)
		d->vhscroll = d->vhscroll > 8 ? d->vhscroll - 8 : 0;
	else if (c == 'l' || k == TERM_KEY_RIGHT)
		d->vhscroll += 8;
	else {
		int act = action_lookup(&d->km, key_code(ev));
		if (act >= 0) {
			int same = (d->view == VIEW_HELP && !strcmp(action_table[act].name, "help")) ||
				   (d->view == VIEW_DAG && !strcmp(action_table[act].name, "dag")) ||
				   (d->view == VIEW_LOG && !strcmp(action_table[act].name, "events")) ||
				   (d->view == VIEW_CHANGES && !strcmp(action_table[act].name, "changes"));
			dash_view_close(d);
			if (!same)
				run_action(d, act, 0);
		}
	}
	if (d->vscroll < 0)
		d->vscroll = 0;
	d->dirty_all = 1;
}

static void handle_key(struct dash *d, const struct keys_ev *ev)
{
	int code = key_code(ev);
	if (d->msg[0] && !d->confirm) {
		d->msg[0] = 0;
		d->stat_dirty = 1;
	}
	if (d->confirm) {
		if (code == 'y' || code == 'Y' || code == ACTION_KEY_SPECIAL + TERM_KEY_ENTER) {
			int act = d->confirm_act, task = d->confirm_task;
			d->confirm = CONFIRM_NONE;
			d->dirty_all = 1;
			if (task >= 0)
				d->sel = task;
			run_action(d, act, 1);
		} else if (code == 'n' || code == 'N' || code == 'q' ||
			   code == ACTION_KEY_SPECIAL + TERM_KEY_ESCAPE || code == d->opt.prefix) {
			d->confirm = CONFIRM_NONE;
			if (d->view == VIEW_MERGE)
				dash_view_close(d);
			dash_msg(d, "cancelled");
			d->dirty_all = 1;
		}
		return;
	}
	if (d->armed) {
		d->armed = 0;
		d->dirty_all = 1;
		if (code == d->opt.prefix) { /* prefix twice: to the agent */
			send_to_agent(d, ev);
			return;
		}
		if (code == ACTION_KEY_SPECIAL + TERM_KEY_ESCAPE)
			return;
		int act = action_lookup(&d->km, code);
		if (act < 0) {
			char kn[24], pk[16];
			keys_char_name((uint32_t)d->opt.prefix, pk, sizeof pk);
			action_key_name(code, kn, sizeof kn);
			dash_error(d, "%s %s is not bound (%s ? for help)", pk, code < 0 ? "that key" : kn, pk);
			return;
		}
		if (d->view != VIEW_NONE) {
			view_key(d, ev);
			return;
		}
		run_action(d, act, 0);
		return;
	}
	if (code == d->opt.prefix) {
		d->armed = 1;
		d->dirty_all = 1;
		return;
	}
	if (d->view != VIEW_NONE) {
		view_key(d, ev);
		return;
	}
	int i = d->sel;
	int pane_keys = !d->sidebar_focus && tile_of(d, i) >= 0;
	if (pane_keys && d->copy[i].active) {
		dash_copy_key(d, i, ev);
		return;
	}
	if (pane_keys && runner_task_alive(d->r, i)) {
		struct term *t = runner_term(d->r, i);
		struct grid *g = term_grid(t);
		int k = ev->kind == KEYS_SPECIAL ? ev->key : -1;
		if (grid_view_offset(g) > 0 && (k == TERM_KEY_PAGEUP || k == TERM_KEY_PAGEDOWN)) {
			int page = grid_rows(g) - 1 > 0 ? grid_rows(g) - 1 : 1;
			grid_view_scroll(g, k == TERM_KEY_PAGEUP ? page : -page);
			d->dirty_all = 1;
			return;
		}
		send_to_agent(d, ev);
		return;
	}
	/* the sidebar has the keys (or the pane's agent is gone) */
	if (d->sidebar_focus && code == ACTION_KEY_SPECIAL + TERM_KEY_ENTER) {
		if (has_pane(d, i)) {
			d->sidebar_focus = 0;
			dash_select(d, i);
			d->dirty_all = 1;
		} else
			dash_msg(d, "%s has no pane (s starts it)", d->p->tasks[i].id);
		return;
	}
	int act = action_lookup(&d->km, code);
	if (act >= 0)
		run_action(d, act, 0);
	else if (code >= 0) {
		char kn[24];
		dash_error(d, "%s is not bound (? for help)", action_key_name(code, kn, sizeof kn));
	}
}

static void handle_mouse(struct dash *d)
{
	MEVENT me;
	if (getmouse(&me) != OK || d->confirm)
		return;
	mmask_t b = me.bstate;
	int press = b & (BUTTON1_PRESSED | BUTTON1_CLICKED);
	int wheel = b & (BUTTON4_PRESSED | BUTTON5_PRESSED);
	if (d->view != VIEW_NONE) {
		if (wheel)
			d->vscroll += b & BUTTON4_PRESSED ? -3 : 3;
		if (d->vscroll < 0)
			d->vscroll = 0;
		d->dirty_all = 1;
		return;
	}
	if (d->sbw && me.x < d->sbw && me.y < d->area.h) {
		if (press) { /* which row? rebuild the row list to find it */
			struct sidebar_task *st = xcalloc((size_t)d->p->ntasks + 1, sizeof *st);
			snapshot(d, st);
			struct sidebar_row *rows;
			int n = sidebar_build(d->p, st, d->sbw - 2, task_now_ms(), &rows);
			int k = d->sb_top + me.y;
			if (k < n && rows[k].kind == SB_ROW_TASK) {
				d->sidebar_focus = 1;
				dash_select(d, rows[k].task);
			}
			free(rows);
			free(st);
		} else if (wheel) {
			dash_select(d, views_sidebar_step(d, d->sel, b & BUTTON4_PRESSED ? -1 : 1));
		}
		d->side_dirty = 1;
		return;
	}
	for (int k = 0; k < d->ntiles; k++) {
		struct dash_tile *t = &d->tiles[k];
		if (!layout_contains(t->geom.outer, me.y, me.x))
			continue;
		struct term *tm = runner_term(d->r, t->task);
		struct rect in = t->geom.inner;
		int inside = layout_contains(in, me.y, me.x);
		if (press && (t->task != d->sel || d->sidebar_focus)) {
			d->sidebar_focus = 0;
			dash_select(d, t->task);
		}
		if (inside && tm && term_mouse_mode(tm) != TERM_MOUSE_NONE &&
		    runner_task_alive(d->r, t->task) && !d->copy[t->task].active) {
			int row = me.y - in.y, col = me.x - in.x;
			if (b & BUTTON1_PRESSED)
				term_mouse_button(tm, row, col, 1, 1, 0);
			if (b & BUTTON1_RELEASED)
				term_mouse_button(tm, row, col, 1, 0, 0);
			if (b & BUTTON4_PRESSED)
				term_mouse_button(tm, row, col, 4, 1, 0);
			if (b & BUTTON5_PRESSED)
				term_mouse_button(tm, row, col, 5, 1, 0);
			runner_term_input(d->r, t->task);
		} else if (wheel && tm) {
			int dl = b & BUTTON4_PRESSED ? 3 : -3;
			if (d->copy[t->task].active)
				copy_move(&d->copy[t->task], term_grid(tm), -dl, 0);
			else
				grid_view_scroll(term_grid(tm), dl);
			t->redraw = 1;
		}
		d->dirty_all = 1;
		return;
	}
}

static void read_keys(struct dash *d)
{
	struct keys_ev ev;
	enum screen_key_kind k;
	for (int guard = 0; guard < 4096 && !d->quit; guard++) {
		k = screen_read_key(&d->keys, &ev);
		if (k == SCREEN_NONE)
			break;
		if (k == SCREEN_PASTE) {
			int i = d->sel;
			if (d->keys.paste.len && runner_task_alive(d->r, i) && !d->sidebar_focus &&
			    d->view == VIEW_NONE && !d->confirm) {
				struct err e;
				runner_paste(d->r, i, d->keys.paste.s, d->keys.paste.len, &e);
			}
			d->keys.paste.len = 0;
		} else if (k == SCREEN_PASTE_DROPPED) {
			dash_error(d, "a paste without its end marker was dropped");
		} else if (ev.kind == KEYS_MOUSE) {
			handle_mouse(d);
		} else {
			handle_key(d, &ev);
		}
	}
}

static void on_winch(struct dash *d)
{
	drop_windows(d);
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
		pf[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = screen_signal_fd(), .events = POLLIN };
		int nr = runner_pollfds(d->r, pf + 2, max - 2);
		uint64_t now = util_now_ms();
		int timeout = runner_timeout_ms(d->r, (int64_t)now);
		if (anything_dirty(d)) {
			uint64_t due = d->last_frame + DASH_FRAME_MS;
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
		if (r > 0 && (pf[0].revents & POLLIN))
			read_keys(d);
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
		if (compute_shown(d)) {
			/* a new pane gets the focus when nothing else has it */
			int had = 0;
			for (int k = 0; k < old_n; k++)
				if (old[k] == d->sel)
					had = 1;
			if (!had && !has_pane(d, d->sel) && d->nshown > 0 && !d->sidebar_focus)
				d->sel = d->shown[0];
			dash_relayout(d);
		}
		free(old);
		now = util_now_ms();
		if (orch_live(d->o) > 0 && now >= d->last_tick + DASH_TICK_MS) {
			d->last_tick = now;
			d->side_dirty = d->stat_dirty = 1;
		}
		if (anything_dirty(d) && now >= d->last_frame + DASH_FRAME_MS)
			draw(d);
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
	drop_windows(d);
	screen_close(d->keys.inwin);
	screen_signals_restore();
	runner_close(d->r);
out:
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
	free(d->clip);
	sbuf_free(&d->keys.paste);
	action_keymap_free(&d->km);
	theme_free(&d->th);
	free(d);
	return rc;
}
