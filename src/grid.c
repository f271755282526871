/* grid — the screen cells of one terminal (see include/grid.h): two screens
 * of rows kept in a ring, cells, the pen and writing, per-row damage, the
 * cursor, the combined-character table, the view offset and text
 * extraction. The scrollback's encoding is grid_sb.c (its storage sb.c),
 * resize and reflow grid_reflow.c; shared internals are grid_int.h. */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid_int.h"
#include "sb.h"
#include "util.h"

/* ---- rows and screens ---- */

static struct grid_cell pen_cell(const struct grid_pen *p)
{
	struct grid_cell c = { 0, p->fg, p->bg, p->attrs, 1, 0 };
	return c;
}

static int pen_is_default(const struct grid_pen *p)
{
	return p->attrs == 0 && p->fg == 0 && p->bg == 0;
}

static void row_clear(struct row *rw, int cols)
{
	(void)cols;
	fill_blank(rw->cells, rw->used);
	rw->used = 0;
	rw->flags = 0;
}

static void screen_init(struct screen *s, int rows, int cols)
{
	s->ring = xcalloc((size_t)rows, sizeof *s->ring);
	s->top = 0;
	for (int r = 0; r < rows; r++) {
		s->ring[r].cells = xmalloc((size_t)cols * sizeof(struct grid_cell));
		fill_blank(s->ring[r].cells, cols);
	}
}

void grid_screen_free(struct screen *s, int rows)
{
	if (!s->ring)
		return;
	for (int r = 0; r < rows; r++)
		free(s->ring[r].cells);
	free(s->ring);
	s->ring = NULL;
}

static void damage(struct grid *g, int row, int c0, int c1)
{
	g->dmg_any = 1;
	if (g->dmg_all)
		return;
	if (g->view > 0 && !g->alt) {
		row += g->view;
		if (row >= g->rows)
			return;
	}
	struct dmg *d = &g->dmg[row];
	if (d->c0 >= d->c1) {
		d->c0 = c0;
		d->c1 = c1;
		return;
	}
	if (c0 < d->c0)
		d->c0 = c0;
	if (c1 > d->c1)
		d->c1 = c1;
}

static void damage_rows(struct grid *g, int r0, int r1)
{
	for (int r = r0; r < r1; r++)
		damage(g, r, 0, g->cols);
}

/* ---- life cycle ---- */

struct grid *grid_new(int rows, int cols, int sb_lines)
{
	grid_clamp_size(&rows, &cols);
	struct grid *g = xcalloc(1, sizeof *g);
	g->rows = rows;
	g->cols = cols;
	screen_init(&g->scr[0], rows, cols);
	screen_init(&g->scr[1], rows, cols);
	g->dmg = xcalloc((size_t)rows, sizeof *g->dmg);
	g->cursor.visible = 1;
	g->cursor.shape = GRID_CURSOR_BLOCK;
	g->sb = sb_new(0);
	grid_sb_set_limits(g, sb_lines < 0 ? GRID_SB_DEFAULT_LINES : sb_lines, GRID_SB_DEFAULT_BYTES);
	g->dmg_all = g->dmg_any = 1;
	return g;
}

void grid_free(struct grid *g)
{
	if (!g)
		return;
	grid_screen_free(&g->scr[0], g->rows);
	grid_screen_free(&g->scr[1], g->rows);
	free(g->dmg);
	free(g->comb);
	free(g->comb_hash);
	sb_free(g->sb);
	free(g->viewbuf);
	free(g->enc);
	free(g);
}

int grid_rows(const struct grid *g) { return g->rows; }
int grid_cols(const struct grid *g) { return g->cols; }

/* ---- combined characters ---- */

static uint32_t comb_hashfn(const uint32_t *cp, int n)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < n; i++)
		h = (h ^ cp[i]) * 16777619u;
	return h;
}

static void comb_rehash(struct grid *g, size_t cap)
{
	free(g->comb_hash);
	g->comb_hash_cap = cap;
	g->comb_hash = xcalloc(cap, sizeof *g->comb_hash);
	for (size_t i = 0; i < g->ncomb; i++) {
		size_t h = comb_hashfn(g->comb[i].cp, g->comb[i].n) & (cap - 1);
		while (g->comb_hash[h])
			h = (h + 1) & (cap - 1);
		g->comb_hash[h] = (uint32_t)i + 1;
	}
}

uint32_t grid_comb_intern(struct grid *g, const uint32_t *cp, int n)
{
	if (g->comb_hash_cap == 0 || (g->ncomb + 1) * 2 > g->comb_hash_cap)
		comb_rehash(g, g->comb_hash_cap ? g->comb_hash_cap * 2 : 64);
	size_t mask = g->comb_hash_cap - 1;
	size_t h = comb_hashfn(cp, n) & mask;
	while (g->comb_hash[h]) {
		struct comb *c = &g->comb[g->comb_hash[h] - 1];
		if (c->n == n && memcmp(c->cp, cp, (size_t)n * sizeof *cp) == 0)
			return g->comb_hash[h] - 1;
		h = (h + 1) & mask;
	}
	xgrow((void **)&g->comb, &g->comb_cap, g->ncomb + 1, sizeof *g->comb);
	struct comb *c = &g->comb[g->ncomb];
	memset(c, 0, sizeof *c);
	memcpy(c->cp, cp, (size_t)n * sizeof *cp);
	c->n = (uint8_t)n;
	g->comb_hash[h] = (uint32_t)g->ncomb + 1;
	return (uint32_t)g->ncomb++;
}

/* Rebuilds the combined table from the cells of both screens, dropping
 * sequences no longer shown (scrollback stores marks inline). */
static void comb_collect(struct grid *g)
{
	struct comb *old = g->comb;
	size_t nold = g->ncomb;
	g->comb = NULL;
	g->ncomb = g->comb_cap = 0;
	free(g->comb_hash);
	g->comb_hash = NULL;
	g->comb_hash_cap = 0;
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < g->rows; r++) {
			struct row *rw = &g->scr[s].ring[r];
			for (int c = 0; c < rw->used; c++) {
				struct grid_cell *cell = &rw->cells[c];
				if (!(cell->flags & GRID_CELL_COMBINED))
					continue;
				if (cell->ch >= nold) { /* cannot happen; be safe */
					cell->flags &= (uint8_t)~GRID_CELL_COMBINED;
					cell->ch = 0xfffd;
					continue;
				}
				cell->ch = grid_comb_intern(g, old[cell->ch].cp, old[cell->ch].n);
			}
		}
	free(old);
}

int grid_cell_chars(const struct grid *g, const struct grid_cell *c, uint32_t *out, int max)
{
	if (max > GRID_MAX_CHARS)
		max = GRID_MAX_CHARS;
	if (max <= 0 || (c->flags & GRID_CELL_CONT))
		return 0;
	if (c->flags & GRID_CELL_COMBINED) {
		if (c->ch >= g->ncomb)
			return 0;
		const struct comb *cb = &g->comb[c->ch];
		int n = cb->n < max ? cb->n : max;
		memcpy(out, cb->cp, (size_t)n * sizeof *out);
		return n;
	}
	if (c->ch == 0)
		return 0;
	out[0] = c->ch;
	return 1;
}

/* ---- reading ---- */

const struct grid_cell *grid_row(const struct grid *g, int row)
{
	if (row < 0)
		row = 0;
	if (row >= g->rows)
		row = g->rows - 1;
	return Rc(g, row)->cells;
}

unsigned grid_row_flags(const struct grid *g, int row)
{
	if (row < 0 || row >= g->rows)
		return 0;
	return Rc(g, row)->flags;
}
size_t grid_cells_text(const struct grid *g, const struct grid_cell *cells, int n, char *buf,
		       size_t cap)
{
	while (n > 0 && cells[n - 1].ch == 0 && !(cells[n - 1].flags & GRID_CELL_COMBINED))
		n--;
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		uint32_t cp[GRID_MAX_CHARS];
		if (cells[i].flags & GRID_CELL_CONT)
			continue;
		int k = grid_cell_chars(g, &cells[i], cp, GRID_MAX_CHARS);
		if (k == 0) {
			cp[0] = ' ';
			k = 1;
		}
		for (int j = 0; j < k; j++) {
			char u[4];
			size_t m = utf8_put(u, cp[j]);
			for (size_t x = 0; x < m; x++, len++)
				if (len + 1 < cap)
					buf[len] = u[x];
		}
	}
	if (cap)
		buf[len < cap ? len : cap - 1] = '\0';
	return len;
}

size_t grid_row_text(const struct grid *g, int row, char *buf, size_t cap)
{
	if (row < 0 || row >= g->rows) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	return grid_cells_text(g, grid_row(g, row), g->cols, buf, cap);
}

struct grid_cursor grid_cursor(const struct grid *g) { return g->cursor; }
int grid_altscreen(const struct grid *g) { return g->alt; }
int grid_reverse(const struct grid *g) { return g->reverse; }

/* ---- damage ---- */

int grid_dirty(const struct grid *g) { return g->dmg_any; }

int grid_damage(const struct grid *g, int row, int *col0, int *col1)
{
	if (row < 0 || row >= g->rows)
		return 0;
	int c0, c1;
	if (g->dmg_all) {
		c0 = 0;
		c1 = g->cols;
	} else {
		c0 = g->dmg[row].c0;
		c1 = g->dmg[row].c1;
		if (c0 >= c1)
			return 0;
	}
	if (col0)
		*col0 = c0;
	if (col1)
		*col1 = c1;
	return 1;
}

void grid_damage_clear(struct grid *g)
{
	for (int r = 0; r < g->rows; r++)
		g->dmg[r].c0 = g->dmg[r].c1 = 0;
	g->dmg_all = g->dmg_any = 0;
}

void grid_damage_all(struct grid *g) { g->dmg_all = g->dmg_any = 1; }
/* ---- view ---- */

int grid_view_offset(const struct grid *g) { return g->alt ? 0 : g->view; }

void grid_view_set(struct grid *g, int offset)
{
	if (offset < 0)
		offset = 0;
	if (offset > sb_count(g->sb))
		offset = sb_count(g->sb);
	if (offset != g->view) {
		g->view = offset;
		grid_damage_all(g);
	}
}

void grid_view_scroll(struct grid *g, int delta) { grid_view_set(g, g->view + delta); }

const struct grid_cell *grid_view_row(struct grid *g, int row)
{
	if (row < 0)
		row = 0;
	if (row >= g->rows)
		row = g->rows - 1;
	int off = grid_view_offset(g);
	if (row >= off)
		return grid_row(g, row - off);
	if (g->viewbuf_cols != g->cols) {
		free(g->viewbuf);
		g->viewbuf = xmalloc((size_t)g->cols * sizeof *g->viewbuf);
		g->viewbuf_cols = g->cols;
	}
	grid_sb_line(g, off - 1 - row, g->viewbuf, g->cols, NULL);
	return g->viewbuf;
}

/* ---- writing ---- */

void grid_set_pen(struct grid *g, const struct grid_pen *pen) { g->pen = *pen; }
const struct grid_pen *grid_pen(const struct grid *g) { return &g->pen; }

/* Blanks the other half of a wide character that (row, col) is part of, so
 * that a width-2 cell is always followed by its CONT cell. */
static void split_wide(struct grid *g, struct row *rw, int row, int col)
{
	if (col < 0 || col >= g->cols)
		return;
	struct grid_cell *c = &rw->cells[col];
	if (c->flags & GRID_CELL_CONT) {
		if (col > 0 && rw->cells[col - 1].width == 2) {
			struct grid_cell *l = &rw->cells[col - 1];
			l->ch = 0;
			l->width = 1;
			l->flags &= (uint8_t)~GRID_CELL_COMBINED;
			damage(g, row, col - 1, col);
		}
		c->flags &= (uint8_t)~GRID_CELL_CONT;
		c->ch = 0;
	} else if (c->width == 2) {
		if (col + 1 < g->cols && (rw->cells[col + 1].flags & GRID_CELL_CONT)) {
			rw->cells[col + 1].flags &= (uint8_t)~GRID_CELL_CONT;
			rw->cells[col + 1].ch = 0;
			damage(g, row, col + 1, col + 2);
		}
		c->width = 1;
		c->ch = 0;
		c->flags &= (uint8_t)~GRID_CELL_COMBINED;
	}
}

/* Blanks the halves of wide characters broken at the boundary between
 * columns b-1 and b (after cells moved). */
static void fix_pairs(struct grid *g, struct row *rw, int row, int b)
{
	if (b > 0 && b <= g->cols) {
		struct grid_cell *l = &rw->cells[b - 1];
		if (l->width == 2 && (b >= g->cols || !(rw->cells[b].flags & GRID_CELL_CONT))) {
			l->width = 1;
			l->ch = 0;
			l->flags &= (uint8_t)~GRID_CELL_COMBINED;
			damage(g, row, b - 1, b);
		}
	}
	if (b >= 0 && b < g->cols && (rw->cells[b].flags & GRID_CELL_CONT) &&
	    (b == 0 || rw->cells[b - 1].width != 2 || (rw->cells[b - 1].flags & GRID_CELL_CONT))) {
		rw->cells[b].flags &= (uint8_t)~GRID_CELL_CONT;
		rw->cells[b].ch = 0;
		damage(g, row, b, b + 1);
	}
}

/* Before moving cells [c0,c1) of a row: splits wide characters that
 * straddle the edges of the span. */
static void presplit(struct grid *g, struct row *rw, int row, int c0, int c1)
{
	if (rw->cells[c0].flags & GRID_CELL_CONT)
		split_wide(g, rw, row, c0);
	if (rw->cells[c1 - 1].width == 2 && !(rw->cells[c1 - 1].flags & GRID_CELL_CONT))
		split_wide(g, rw, row, c1 - 1);
}

static void put_slow(struct grid *g, int row, int col, const uint32_t *chars, int n, int width)
	__attribute__((noinline));

void grid_put(struct grid *g, int row, int col, const uint32_t *chars, int n, int width)
{
	if ((unsigned)row >= (unsigned)g->rows || (unsigned)col >= (unsigned)g->cols || n < 1)
		return;
	/* fast path: one narrow character over a narrow cell */
	struct row *frw = R(g, row);
	struct grid_cell *fc = &frw->cells[col];
	if (n == 1 && width == 1 && fc->width == 1 && !(fc->flags & GRID_CELL_CONT) && !g->pen.protect) {
		fc->ch = chars[0];
		fc->fg = g->pen.fg;
		fc->bg = g->pen.bg;
		fc->attrs = g->pen.attrs;
		fc->flags = 0;
		if (frw->used <= col)
			frw->used = col + 1;
		if (g->dmg_all)
			g->dmg_any = 1;
		else
			damage(g, row, col, col + 1);
		return;
	}
	put_slow(g, row, col, chars, n, width);
}

void grid_put_ascii(struct grid *g, int row, int col, const char *s, int n)
{
	if ((unsigned)row >= (unsigned)g->rows || col < 0 || n < 1)
		return;
	if (n > g->cols - col)
		n = g->cols - col;
	if (n < 1)
		return;
	struct row *rw = R(g, row);
	struct grid_cell c = pen_cell(&g->pen);
	c.width = 1;
	if (g->pen.protect)
		c.flags |= GRID_CELL_PROTECTED;
	struct grid_cell *cells = rw->cells + col;
	for (int k = 0; k < n; k++) {
		if (cells[k].width == 2 || (cells[k].flags & GRID_CELL_CONT))
			split_wide(g, rw, row, col + k);
		c.ch = (unsigned char)s[k];
		cells[k] = c;
	}
	if (rw->used < col + n)
		rw->used = col + n;
	damage(g, row, col, col + n);
}

static void put_slow(struct grid *g, int row, int col, const uint32_t *chars, int n, int width)
{
	if (width < 1)
		width = 1;
	if (width > 2)
		width = 2;
	if (col + width > g->cols)
		width = 1;
	if (n > GRID_MAX_CHARS)
		n = GRID_MAX_CHARS;
	struct row *rw = R(g, row);
	if (rw->cells[col].width == 2 || (rw->cells[col].flags & GRID_CELL_CONT))
		split_wide(g, rw, row, col);
	if (width == 2 && (rw->cells[col + 1].width == 2 || (rw->cells[col + 1].flags & GRID_CELL_CONT)))
		split_wide(g, rw, row, col + 1);
	struct grid_cell c = pen_cell(&g->pen);
	c.width = (uint8_t)width;
	if (g->pen.protect)
		c.flags |= GRID_CELL_PROTECTED;
	if (n == 1) {
		c.ch = chars[0];
	} else {
		if (g->ncomb >= 4096 && g->ncomb >= (size_t)g->rows * (size_t)g->cols * 2)
			comb_collect(g);
		c.ch = grid_comb_intern(g, chars, n);
		c.flags |= GRID_CELL_COMBINED;
	}
	rw->cells[col] = c;
	if (width == 2) {
		struct grid_cell k = pen_cell(&g->pen);
		k.flags = GRID_CELL_CONT | (c.flags & GRID_CELL_PROTECTED);
		rw->cells[col + 1] = k;
	}
	if (rw->used < col + width)
		rw->used = col + width;
	damage(g, row, col, col + width);
}

static void erase_cells(struct grid *g, struct row *rw, int c0, int c1, int selective)
{
	if (selective) {
		struct grid_cell pc = pen_cell(&g->pen);
		for (int c = c0; c < c1; c++)
			if (!(rw->cells[c].flags & GRID_CELL_PROTECTED))
				rw->cells[c] = pc;
		if (rw->used < c1 && !pen_is_default(&g->pen))
			rw->used = c1;
		return;
	}
	if (pen_is_default(&g->pen)) {
		int e = c1 < rw->used ? c1 : rw->used;
		if (c0 < e)
			fill_blank(rw->cells + c0, e - c0);
		if (c1 >= rw->used && c0 < rw->used)
			rw->used = c0;
		return;
	}
	struct grid_cell pc = pen_cell(&g->pen);
	for (int c = c0; c < c1; c++)
		rw->cells[c] = pc;
	if (rw->used < c1)
		rw->used = c1;
}

void grid_erase(struct grid *g, int row0, int row1, int col0, int col1, int selective)
{
	if (row0 < 0)
		row0 = 0;
	if (row1 > g->rows)
		row1 = g->rows;
	if (col0 < 0)
		col0 = 0;
	if (col1 > g->cols)
		col1 = g->cols;
	if (row0 >= row1 || col0 >= col1)
		return;
	for (int r = row0; r < row1; r++) {
		struct row *rw = R(g, r);
		/* wide characters straddling the edges lose their other half
		 * (unless a selective erase keeps them whole) */
		const struct grid_cell *a = &rw->cells[col0], *z = &rw->cells[col1 - 1];
		if ((a->flags & GRID_CELL_CONT) && !(selective && (a->flags & GRID_CELL_PROTECTED)))
			split_wide(g, rw, r, col0);
		if (z->width == 2 && !(z->flags & GRID_CELL_CONT) &&
		    !(selective && (z->flags & GRID_CELL_PROTECTED)))
			split_wide(g, rw, r, col1 - 1);
		erase_cells(g, rw, col0, col1, selective);
		if (col0 == 0 && col1 == g->cols && !selective)
			rw->flags &= ~(unsigned)GRID_ROW_WRAPPED;
		else if (col1 == g->cols)
			rw->flags &= ~(unsigned)GRID_ROW_WRAPPED;
		damage(g, r, col0, col1);
	}
}

/* Clears a row that scrolled in, with the pen. */
static void row_fresh(struct grid *g, struct row *rw)
{
	row_clear(rw, g->cols);
	if (!pen_is_default(&g->pen))
		erase_cells(g, rw, 0, g->cols, 0);
}

/* Copies cells [c0,c1) of src row to dst row (rows may be the same). */
static void copy_span(struct row *dst, const struct row *src, int c0, int c1)
{
	memmove(dst->cells + c0, src->cells + c0, (size_t)(c1 - c0) * sizeof *dst->cells);
	if (dst->used < c1) {
		/* the copied span may hold non-blank cells up to c1 */
		int u = cells_len(dst->cells, c1);
		if (u > dst->used)
			dst->used = u;
	}
}

void grid_scroll(struct grid *g, int row0, int row1, int col0, int col1, int down, int right)
{
	if (row0 < 0)
		row0 = 0;
	if (row1 > g->rows)
		row1 = g->rows;
	if (col0 < 0)
		col0 = 0;
	if (col1 > g->cols)
		col1 = g->cols;
	if (row0 >= row1 || col0 >= col1 || (!down && !right))
		return;
	int h = row1 - row0, w = col1 - col0;
	int fullw = col0 == 0 && col1 == g->cols;
	if (abs(down) >= h || abs(right) >= w) {
		/* like vterm_scroll_rect: the whole rect is erased; but lines
		 * leaving the top of the primary screen still go to the
		 * scrollback (VTermScreen would lose them) */
		if (down > 0 && fullw && row0 == 0 && !g->alt)
			for (int i = 0; i < h; i++) {
				struct row *rw = R(g, i);
				grid_sb_push_cells(g, rw->cells, rw->used, rw->flags);
			}
		grid_erase(g, row0, row1, col0, col1, 0);
		return;
	}
	if (down && fullw) {
		if (down > 0 && row0 == 0 && !g->alt)
			for (int i = 0; i < down; i++) {
				struct row *rw = R(g, i);
				grid_sb_push_cells(g, rw->cells, rw->used, rw->flags);
			}
		if (row0 == 0 && row1 == g->rows && down > 0) {
			struct screen *s = &g->scr[g->alt];
			for (int i = 0; i < down; i++) {
				row_fresh(g, &s->ring[s->top]);
				s->top = (s->top + 1) % g->rows;
			}
			grid_damage_all(g);
			return;
		}
		if (row0 == 0 && row1 == g->rows && down < 0) {
			struct screen *s = &g->scr[g->alt];
			for (int i = 0; i < -down; i++) {
				s->top = (s->top + g->rows - 1) % g->rows;
				row_fresh(g, &s->ring[s->top]);
			}
			grid_damage_all(g);
			return;
		}
		/* rotate row structs inside the region */
		int n = abs(down);
		struct row *save = xmalloc((size_t)n * sizeof *save);
		if (down > 0) {
			for (int i = 0; i < n; i++)
				save[i] = *R(g, row0 + i);
			for (int r = row0; r < row1 - n; r++)
				*R(g, r) = *R(g, r + n);
			for (int i = 0; i < n; i++) {
				*R(g, row1 - n + i) = save[i];
				row_fresh(g, R(g, row1 - n + i));
			}
		} else {
			for (int i = 0; i < n; i++)
				save[i] = *R(g, row1 - n + i);
			for (int r = row1 - 1; r >= row0 + n; r--)
				*R(g, r) = *R(g, r - n);
			for (int i = 0; i < n; i++) {
				*R(g, row0 + i) = save[i];
				row_fresh(g, R(g, row0 + i));
			}
		}
		free(save);
		damage_rows(g, row0, row1);
		return;
	}
	if (down) {
		/* partial width: copy cells between rows */
		for (int r = row0; r < row1; r++)
			presplit(g, R(g, r), r, col0, col1);
		if (down > 0) {
			for (int r = row0; r < row1 - down; r++) {
				struct row *d = R(g, r), *s = R(g, r + down);
				copy_span(d, s, col0, col1);
			}
			grid_erase(g, row1 - down, row1, col0, col1, 0);
		} else {
			for (int r = row1 - 1; r >= row0 - down; r--) {
				struct row *d = R(g, r), *s = R(g, r + down);
				copy_span(d, s, col0, col1);
			}
			grid_erase(g, row0, row0 - down, col0, col1, 0);
		}
		for (int r = row0; r < row1; r++) {
			struct row *rw = R(g, r);
			fix_pairs(g, rw, r, col0);
			fix_pairs(g, rw, r, col1);
		}
		damage_rows(g, row0, row1);
		return;
	}
	/* horizontal */
	for (int r = row0; r < row1; r++) {
		struct row *rw = R(g, r);
		if (rw->used <= col0 && pen_is_default(&g->pen)) {
			continue; /* nothing to move, blank stays blank */
		}
		presplit(g, rw, r, col0, col1);
		if (right > 0) {
			memmove(rw->cells + col0, rw->cells + col0 + right,
				(size_t)(w - right) * sizeof *rw->cells);
			if (rw->used < col1)
				rw->used = col1;
			erase_cells(g, rw, col1 - right, col1, 0);
		} else {
			int l = -right;
			memmove(rw->cells + col0 + l, rw->cells + col0, (size_t)(w - l) * sizeof *rw->cells);
			if (rw->used < col1)
				rw->used = col1;
			erase_cells(g, rw, col0, col0 + l, 0);
		}
		fix_pairs(g, rw, r, col0);
		fix_pairs(g, rw, r, col1);
		rw->used = cells_len(rw->cells, rw->used);
		damage(g, r, col0, col1);
	}
}

void grid_set_row_flags(struct grid *g, int row, unsigned mask, unsigned val)
{
	if (row < 0 || row >= g->rows)
		return;
	struct row *rw = R(g, row);
	unsigned nf = (rw->flags & ~mask) | (val & mask);
	if (nf != rw->flags) {
		rw->flags = nf;
		if (mask & (GRID_ROW_DWL | GRID_ROW_DHL_TOP | GRID_ROW_DHL_BOT))
			damage(g, row, 0, g->cols);
	}
}

void grid_set_cursor(struct grid *g, const struct grid_cursor *c)
{
	g->cursor = *c;
	if (g->cursor.row < 0)
		g->cursor.row = 0;
	if (g->cursor.row >= g->rows)
		g->cursor.row = g->rows - 1;
	if (g->cursor.col < 0)
		g->cursor.col = 0;
	if (g->cursor.col >= g->cols)
		g->cursor.col = g->cols - 1;
	g->dmg_any = 1;
}

void grid_move_cursor(struct grid *g, int row, int col, int visible)
{
	if ((unsigned)row < (unsigned)g->rows && (unsigned)col < (unsigned)g->cols) {
		g->cursor.row = row;
		g->cursor.col = col;
		g->cursor.visible = visible;
		g->dmg_any = 1;
		return;
	}
	struct grid_cursor c = g->cursor;
	c.row = row;
	c.col = col;
	c.visible = visible;
	grid_set_cursor(g, &c);
}

void grid_set_altscreen(struct grid *g, int alt)
{
	alt = !!alt;
	if (alt == g->alt)
		return;
	g->alt = alt;
	grid_damage_all(g);
}

void grid_set_reverse(struct grid *g, int reverse)
{
	reverse = !!reverse;
	if (reverse != g->reverse) {
		g->reverse = reverse;
		grid_damage_all(g);
	}
}

int grid_check(const struct grid *g, char *why, size_t whylen)
{
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < g->rows; r++) {
			const struct row *rw = &g->scr[s].ring[(g->scr[s].top + r) % g->rows];
			if (rw->used < 0 || rw->used > g->cols) {
				snprintf(why, whylen, "screen %d row %d: used %d", s, r, rw->used);
				return -1;
			}
			for (int c = 0; c < g->cols; c++) {
				const struct grid_cell *x = &rw->cells[c];
				if (c >= rw->used && !is_blank(x)) {
					snprintf(why, whylen, "screen %d row %d col %d: not blank past used %d",
						 s, r, c, rw->used);
					return -1;
				}
				if (x->width == 2 && (c + 1 >= g->cols || !(rw->cells[c + 1].flags & GRID_CELL_CONT))) {
					snprintf(why, whylen, "screen %d row %d col %d: wide without continuation", s, r, c);
					return -1;
				}
				if ((x->flags & GRID_CELL_CONT) && (c == 0 || rw->cells[c - 1].width != 2)) {
					snprintf(why, whylen, "screen %d row %d col %d: orphan continuation", s, r, c);
					return -1;
				}
				if ((x->flags & GRID_CELL_COMBINED) && x->ch >= g->ncomb) {
					snprintf(why, whylen, "screen %d row %d col %d: bad combined index", s, r, c);
					return -1;
				}
			}
		}
	if (g->cursor.row < 0 || g->cursor.row >= g->rows || g->cursor.col < 0 || g->cursor.col >= g->cols) {
		snprintf(why, whylen, "cursor (%d,%d) off the screen", g->cursor.row, g->cursor.col);
		return -1;
	}
	if (g->view < 0 || g->view > sb_count(g->sb) || sb_count(g->sb) > sb_max(g->sb)) {
		snprintf(why, whylen, "view %d / scrollback %d of %d", g->view, sb_count(g->sb), sb_max(g->sb));
		return -1;
	}
	return 0;
}
