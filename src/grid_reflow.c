/* grid_reflow — resizing a grid (grid_resize): the primary screen and the
 * scrollback are rejoined and wrapped again at a new width, lines go to or
 * come back from the scrollback as rows shrink or grow, the cursor follows
 * its text; the alternate screen is cut or padded. */
#include "grid.h"

#include <stdlib.h>
#include <string.h>

#include "grid_int.h"
#include "sb.h"
#include "util.h"

/* ---- resize and reflow ---- */

/* A physical line while resizing: cells (len of them) and row flags. */
struct pline {
	struct grid_cell *cells;
	int len;
	unsigned flags;
};

struct plist {
	struct pline *v;
	size_t n, cap;
};

static void plist_add(struct plist *p, struct grid_cell *cells, int len, unsigned flags)
{
	xgrow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v);
	p->v[p->n].cells = cells;
	p->v[p->n].len = len;
	p->v[p->n].flags = flags;
	p->n++;
}

static struct grid_cell *dup_cells(const struct grid_cell *c, int n)
{
	struct grid_cell *d = xmalloc((size_t)(n ? n : 1) * sizeof *d);
	memcpy(d, c, (size_t)n * sizeof *d);
	return d;
}

/* Rejoins soft-wrapped lines of `in` and wraps them again at `cols`.
 * *cline, *ccol: cursor (index into in, column) in, index into out and
 * column out; *cline < 0 means no cursor. */
static void rewrap(struct plist *in, struct plist *out, int cols, int *cline, int *ccol)
{
	size_t i = 0;
	int cur_line = *cline, cur_col = *ccol;
	int new_line = -1, new_col = 0;
	while (i < in->n) {
		/* gather one logical line: rows i..j */
		size_t j = i;
		while (j + 1 < in->n && (in->v[j].flags & GRID_ROW_WRAPPED))
			j++;
		size_t total = 0;
		for (size_t k = i; k <= j; k++)
			total += (size_t)in->v[k].len;
		struct grid_cell *lc = xmalloc((total ? total : 1) * sizeof *lc);
		size_t pos = 0;
		long cur_off = -1;
		for (size_t k = i; k <= j; k++) {
			if ((long)k == cur_line)
				cur_off = (long)pos + cur_col;
			memcpy(lc + pos, in->v[k].cells, (size_t)in->v[k].len * sizeof *lc);
			pos += (size_t)in->v[k].len;
			free(in->v[k].cells);
		}
		/* wrap */
		size_t start = 0;
		int first = 1;
		while (first || start < total) {
			size_t len = total - start;
			int wrapped = 0;
			if (len > (size_t)cols) {
				len = (size_t)cols;
				/* do not split a wide character */
				if (len > 1 && (lc[start + len].flags & GRID_CELL_CONT))
					len--;
				wrapped = 1;
			}
			int extra = 0;
			if (cur_off >= 0 && new_line < 0 &&
			    ((size_t)cur_off < start + len || !wrapped)) {
				long c = cur_off - (long)start;
				if (c >= cols && len == (size_t)cols && !wrapped) {
					/* just past a full row: continue on a new row */
					extra = 1;
					wrapped = 1;
					new_line = (int)out->n + 1;
					new_col = (int)(c - cols) < cols ? (int)(c - cols) : cols - 1;
				} else {
					new_line = (int)out->n;
					new_col = c < cols ? (int)c : cols - 1;
				}
			}
			plist_add(out, dup_cells(lc + start, (int)len), (int)len,
				  wrapped ? GRID_ROW_WRAPPED : 0);
			if (extra)
				plist_add(out, dup_cells(lc, 0), 0, 0);
			start += len;
			first = 0;
		}
		free(lc);
		i = j + 1;
	}
	*cline = new_line;
	*ccol = new_col;
}

static void screen_rebuild(struct grid *g, struct screen *s, int rows, int cols)
{
	s->ring = xcalloc((size_t)rows, sizeof *s->ring);
	s->top = 0;
	for (int r = 0; r < rows; r++) {
		s->ring[r].cells = xmalloc((size_t)cols * sizeof(struct grid_cell));
		fill_blank(s->ring[r].cells, cols);
	}
	(void)g;
}

static void set_row(struct row *rw, const struct grid_cell *c, int len, int cols, unsigned flags)
{
	if (len > cols)
		len = cols;
	memcpy(rw->cells, c, (size_t)len * sizeof *c);
	/* a wide character cut at the right edge, or split by a 1-column width */
	grid_sanitize_pairs(rw->cells, len);
	rw->used = cells_len(rw->cells, len);
	rw->flags = flags;
}

void grid_resize(struct grid *g, int rows, int cols, int *crow, int *ccol)
{
	grid_clamp_size(&rows, &cols);
	int orows = g->rows, ocols = g->cols;
	if (rows == orows && cols == ocols)
		return;
	/* the column may be ocols: past the last one at the pending wrap */
	int cur_r = grid_clampi(crow ? *crow : 0, 0, orows - 1), cur_c = ccol ? *ccol : 0;
	if (cur_c < 0)
		cur_c = 0;

	/* ---- primary screen (+ scrollback when the width changes) ---- */
	int palt = g->alt;
	g->alt = 0;
	struct plist in = { 0 }, out = { 0 };
	int reflow = cols != ocols;
	int nsb = 0;
	if (reflow) {
		nsb = sb_count(g->sb);
		for (int n = nsb - 1; n >= 0; n--) {
			const struct sb_line *l = sb_line(g->sb, n);
			int len = l->ncells;
			struct grid_cell *c = xmalloc((size_t)(len ? len : 1) * sizeof *c);
			if (len)
				grid_sb_decode(g, l, c, len);
			plist_add(&in, c, len, l->flags);
		}
		g->view = 0;
		sb_clear(g->sb);
	}
	int last = -1;
	for (int r = 0; r < orows; r++) {
		const struct row *rw = R(g, r);
		if (cells_len(rw->cells, rw->used) > 0)
			last = r;
	}
	int pcur = palt ? -1 : cur_r;
	int keep = last > pcur ? last : pcur; /* rows [0, keep] */
	for (int r = 0; r <= keep; r++) {
		const struct row *rw = R(g, r);
		int len = cells_len(rw->cells, rw->used);
		unsigned fl = rw->flags;
		if (r == keep)
			fl &= ~(unsigned)GRID_ROW_WRAPPED;
		if ((fl & GRID_ROW_WRAPPED) && reflow) {
			/* a wrapped row is its full width, minus a blank left
			 * where a wide character did not fit */
			len = ocols;
			if (is_blank(&rw->cells[ocols - 1]))
				len = ocols - 1;
		}
		plist_add(&in, dup_cells(rw->cells, len), len, fl);
	}
	int cline = pcur >= 0 ? nsb + pcur : -1, ccolx = cur_c;
	struct plist *lines = &in;
	if (reflow) {
		rewrap(&in, &out, cols, &cline, &ccolx);
		free(in.v);
		in.v = NULL;
		lines = &out;
	}
	/* Lines before the screen go to the scrollback; pop lines back when the
	 * screen has room and the width did not change. */
	size_t first = lines->n > (size_t)rows ? lines->n - (size_t)rows : 0;
	struct plist popped = { 0 };
	if (!reflow && lines->n < (size_t)rows) {
		size_t room = (size_t)rows - lines->n;
		while (room > 0 && sb_count(g->sb) > 0) {
			const struct sb_line *l = sb_line(g->sb, 0);
			int len = l->ncells;
			struct grid_cell *c = xmalloc((size_t)(len ? len : 1) * sizeof *c);
			if (len)
				grid_sb_decode(g, l, c, len);
			plist_add(&popped, c, len, l->flags);
			sb_drop_newest(g->sb);
			room--;
		}
		view_clamp(g);
	}
	for (size_t i = 0; i < first; i++) {
		grid_sb_push_cells(g, lines->v[i].cells, lines->v[i].len, lines->v[i].flags);
		free(lines->v[i].cells);
	}
	grid_screen_free(&g->scr[0], orows);
	screen_rebuild(g, &g->scr[0], rows, cols);
	int r = 0;
	for (size_t i = popped.n; i > 0; i--, r++) {
		set_row(&g->scr[0].ring[r], popped.v[i - 1].cells, popped.v[i - 1].len, cols,
			popped.v[i - 1].flags);
		free(popped.v[i - 1].cells);
	}
	int shift = (int)popped.n;
	free(popped.v);
	for (size_t i = first; i < lines->n; i++, r++) {
		set_row(&g->scr[0].ring[r], lines->v[i].cells, lines->v[i].len, cols,
			lines->v[i].flags);
		free(lines->v[i].cells);
	}
	free(lines->v);
	int ncur_r = cline >= 0 ? cline - (int)first + shift : cur_r;
	int ncur_c = ccolx;

	/* ---- alternate screen: truncated or padded, no reflow ---- */
	struct screen alt_new;
	screen_rebuild(g, &alt_new, rows, cols);
	g->alt = 1;
	for (int i = 0; i < rows && i < orows; i++) {
		const struct row *rw = R(g, i);
		set_row(&alt_new.ring[i], rw->cells, rw->used < cols ? rw->used : cols, cols,
			rw->flags & ~(unsigned)GRID_ROW_WRAPPED);
	}
	grid_screen_free(&g->scr[1], orows);
	g->scr[1] = alt_new;
	g->alt = palt;
	if (palt) {
		ncur_r = cur_r;
		ncur_c = cur_c;
	}

	g->rows = rows;
	g->cols = cols;
	free(g->dmg);
	g->dmg = xcalloc((size_t)rows, sizeof *g->dmg);
	free(g->viewbuf);
	g->viewbuf = NULL;
	g->viewbuf_cols = 0;
	ncur_r = grid_clampi(ncur_r, 0, rows - 1);
	ncur_c = grid_clampi(ncur_c, 0, cols - 1);
	g->cursor.row = ncur_r;
	g->cursor.col = ncur_c;
	if (crow)
		*crow = ncur_r;
	if (ccol)
		*ccol = ncur_c;
	view_clamp(g);
	grid_damage_all(g);
}
