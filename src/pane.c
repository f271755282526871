/* pane — a child process shown in a tile: PTY + terminal + window. */
#include "pane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

char *pane_label(char *const *argv)
{
	struct sbuf b = { 0 };
	for (int i = 0; argv[i]; i++) {
		if (i)
			sbuf_addc(&b, ' ');
		const char *a = argv[i];
		int plain = *a != 0;
		for (const char *s = a; *s; s++)
			if (!(((unsigned char)*s >= 0x80) || strchr("abcdefghijklmnopqrstuvwxyz"
								     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
								     "0123456789-_./=:,+@%", *s)))
				plain = 0;
		if (plain) {
			sbuf_adds(&b, a);
			continue;
		}
		sbuf_addc(&b, '\'');
		for (const char *s = a; *s; s++)
			if (*s == '\'')
				sbuf_adds(&b, "'\\''");
			else
				sbuf_addc(&b, *s);
		sbuf_addc(&b, '\'');
	}
	return sbuf_steal(&b);
}

int pane_start(struct pane *p, int id, char *const *argv, const char *cwd,
	       const char *const *env, int rows, int cols, int sb_lines, struct err *e)
{
	memset(p, 0, sizeof *p);
	p->id = id;
	p->label = pane_label(argv);
	char idbuf[32];
	snprintf(idbuf, sizeof idbuf, "SHOAL_PANE=%d", id);
	size_t n = 0;
	while (env && env[n])
		n++;
	const char **all = xcalloc(n + 2, sizeof *all);
	all[0] = idbuf;
	for (size_t i = 0; i < n; i++)
		all[i + 1] = env[i];
	struct pty_opts o = { .argv = argv, .cwd = cwd, .rows = rows, .cols = cols, .env = all };
	int r = pty_spawn(&p->pty, &o, e);
	free(all);
	if (r < 0) {
		free(p->label);
		p->label = NULL;
		return -1;
	}
	p->term = term_new(p->pty.rows, p->pty.cols, sb_lines);
	p->redraw = p->border_dirty = 1;
	pane_update_status(p);
	return 0;
}

void pane_flush(struct pane *p)
{
	size_t n;
	const char *out = term_output(p->term, &n);
	if (n) {
		pty_write(&p->pty, out, n);
		term_output_consume(p->term, n);
	} else if (pty_pending(&p->pty)) {
		pty_flush(&p->pty);
	}
}

int pane_wants_write(const struct pane *p)
{
	return pty_pending(&p->pty) > 0;
}

size_t pane_read(struct pane *p, size_t budget)
{
	/* Reads (a pty read gives 4 KiB or so) are gathered and fed in one
	 * call: term_feed has a cost per call. */
	static char buf[PANE_FEED_BATCH];
	size_t total = 0, have = 0;
	int eof = 0;
	while (total < budget) {
		size_t room = sizeof buf - have;
		size_t want = budget - total < room ? budget - total : room;
		ssize_t n = pty_read(&p->pty, buf + have, want);
		if (n <= 0) {
			eof = n < 0;
			break;
		}
		have += (size_t)n;
		total += (size_t)n;
		if (have == sizeof buf) {
			term_feed(p->term, buf, have);
			have = 0;
		}
		/* Nothing held now: another read would sleep until the line
		 * discipline's worker has moved more in (a context switch
		 * each); poll() says when there is more. */
		if ((size_t)n < want && pty_readable(&p->pty) == 0)
			break;
	}
	if (have)
		term_feed(p->term, buf, have);
	if (eof)
		term_flush(p->term);
	p->bytes += total;
	if (total) {
		if (p->copy.active)
			copy_sync(&p->copy, term_grid(p->term));
		pane_flush(p);
	}
	return total;
}

void pane_place(struct pane *p, const struct layout_pane *g)
{
	int moved = memcmp(&p->geom.outer, &g->outer, sizeof g->outer) != 0 ||
		    p->geom.visible != g->visible || (g->visible && !p->win);
	p->geom.visible = g->visible;
	if (!g->visible) {
		if (p->win) {
			delwin(p->win);
			p->win = NULL;
		}
		return;
	}
	if (moved) {
		p->geom = *g;
		if (p->win)
			delwin(p->win);
		p->win = newwin(g->outer.h, g->outer.w, g->outer.y, g->outer.x);
		if (p->win)
			leaveok(p->win, TRUE);
		p->redraw = p->border_dirty = 1;
	}
	int rows, cols;
	term_size(p->term, &rows, &cols);
	if (rows != g->inner.h || cols != g->inner.w) {
		term_resize(p->term, g->inner.h, g->inner.w);
		if (p->copy.active)
			copy_leave(&p->copy, term_grid(p->term));
		p->redraw = 1;
	}
	pty_resize(&p->pty, g->inner.h, g->inner.w);
	pane_flush(p);
}

int pane_update_status(struct pane *p)
{
	char s[64];
	struct grid *g = term_grid(p->term);
	if (p->copy.active) {
		snprintf(s, sizeof s, "copy %d/%d", grid_view_offset(g), grid_sb_count(g));
	} else if (grid_view_offset(g) > 0) {
		snprintf(s, sizeof s, "scroll %d/%d", grid_view_offset(g), grid_sb_count(g));
	} else if (p->pty.exited) {
		char d[48];
		snprintf(s, sizeof s, "%s", pty_describe_exit(&p->pty, d, sizeof d));
	} else if (p->pty.eof) {
		snprintf(s, sizeof s, "closed");
	} else {
		s[0] = 0;
	}
	if (strcmp(s, p->status) == 0)
		return 0;
	snprintf(p->status, sizeof p->status, "%s", s);
	p->border_dirty = 1;
	return 1;
}

void pane_draw(struct pane *p, int focused, const char *hint)
{
	if (!p->geom.visible || !p->win)
		return;
	struct grid *g = term_grid(p->term);
	struct rect o = p->geom.outer, in = p->geom.inner;
	int full = p->redraw;
	if (term_title_changed(p->term))
		p->border_dirty = 1;
	if (p->border_dirty || full) {
		char title[512];
		const char *t = term_title(p->term);
		if (t && *t)
			snprintf(title, sizeof title, "%d %s · %s", p->id, t, p->label); /* the title first: it changes, the command is long */
		else
			snprintf(title, sizeof title, "%d %s", p->id, p->label);
		enum render_border_style st = focused ? RENDER_BORDER_FOCUS
					      : p->bell ? RENDER_BORDER_ATTN
							: RENDER_BORDER_NORMAL;
		render_border(p->win, o.h, o.w, st, title, p->status[0] ? p->status : NULL,
			      focused ? hint : NULL);
	}
	if (full || grid_dirty(g) || p->copy.active) {
		struct render_sel sel;
		copy_selection(&p->copy, g, &sel);
		render_grid(p->win, g, in.y - o.y, in.x - o.x, in.h, in.w, full, &sel);
		grid_damage_clear(g);
	}
	p->redraw = p->border_dirty = 0;
	wnoutrefresh(p->win);
}

int pane_cursor(struct pane *p, int *y, int *x)
{
	struct grid *g = term_grid(p->term);
	struct rect in = p->geom.inner;
	if (!p->geom.visible)
		return 0;
	if (p->copy.active) {
		int r = copy_cursor_row(&p->copy, g);
		*y = in.y + r;
		*x = in.x + p->copy.cx;
		return r >= 0 && r < in.h && p->copy.cx < in.w;
	}
	struct grid_cursor c = grid_cursor(g);
	*y = in.y + c.row;
	*x = in.x + c.col;
	return c.visible && grid_view_offset(g) == 0 && !p->pty.exited && c.row < in.h &&
	       c.col < in.w;
}

void pane_free(struct pane *p)
{
	if (p->win)
		delwin(p->win);
	pty_close(&p->pty);
	if (p->term)
		term_free(p->term);
	free(p->label);
	memset(p, 0, sizeof *p);
}
