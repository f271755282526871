/* dash_draw — drawing the dashboard (see dash.h): the sidebar, the tiles
 * (borders, titles, terminal grids, the cursor), the status line, the
 * full-area views and the confirmation box, one doupdate() per frame. */
#include "dash_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "orch.h"
#include "render.h"
#include "screen.h"
#include "sidebar.h"

/* ---- drawing ---- */

void dash_put_styled(WINDOW *w, int y, int x, const char *s, enum theme_role r,
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

void dash_snapshot(struct dash *d, struct sidebar_task *t)
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
		t[i].nfiles = d->scan[i].nfiles;
		t[i].warn |= d->scan[i].warn;
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
	dash_snapshot(d, st);
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
		dash_put_styled(w, y, 1, r->text, role, &d->th, W - 1);
		if (r->kind == SB_ROW_TASK) { /* the glyph in its state's colour */
			char g[8];
			snprintf(g, sizeof g, "%s", sidebar_glyph(st[r->task].st));
			dash_put_styled(w, y, 2, g, r->glyph_role, &d->th, 1);
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
				dash_put_styled(w, y, 1 + r->bar_col + k, one, br, &d->th, 1);
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
	dash_put_styled(w, 0, x, left, TH_STATUS, &d->th, COLS);
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
		dash_put_styled(w, 0, x, m, d->msg_err ? TH_STATUS_ERR : TH_STATUS, &d->th, room);
	}
	if (COLS - kcols - 1 > x)
		dash_put_styled(w, 0, COLS - kcols - 1, keys, TH_STATUS_KEY, &d->th, kcols);
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
		dash_put_styled(w, 1 + k, 2, lines[k], k == nl - 1 ? TH_STATUS_KEY : TH_NORMAL, &d->th, W - 4);
	wnoutrefresh(w);
	delwin(w);
}

int dash_anything_dirty(struct dash *d)
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

void dash_draw(struct dash *d)
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
			dash_put_styled(stdscr, d->area.y + d->area.h / 2 - 1, d->area.x + 2, l1, TH_DIM, &d->th,
				   d->area.w - 3);
			dash_put_styled(stdscr, d->area.y + d->area.h / 2, d->area.x + 2, l2, TH_DIM, &d->th,
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
	int k = dash_tile_of(d, d->sel);
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
