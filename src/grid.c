/* grid — the screen cells of one terminal (see include/grid.h): two screens
 * of rows kept in a ring, per-row damage, the combined-character table, the
 * scrollback's encoding (its storage is sb.c), the view offset and reflow. */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb.h"
#include "util.h"

/* ---- rows and screens ---- */

struct row {
	struct grid_cell *cells;
	int used;       /* cells [used, cols) are blank with the default pen */
	unsigned flags; /* GRID_ROW_* */
};

struct screen {
	struct row *ring; /* rows entries; live row r is ring[(top + r) % rows] */
	int top;
};

struct dmg {
	int c0, c1; /* dirty columns [c0, c1); c0 >= c1: clean */
};

/* A combined glyph: base character plus combining marks. */
struct comb {
	uint32_t cp[GRID_MAX_CHARS];
	uint8_t n;
};


/* Tokens of the scrollback encoding; UTF-8 never uses bytes >= 0xf8. */
#define SB_PEN 0xf8  /* + attrs(2) fg(4) bg(4) cellflags(1): pen of the next cells */
#define SB_WIDE 0xf9 /* the next character is wide (a CONT cell follows it) */
#define SB_MARK 0xfa /* + UTF-8: a combining mark of the previous cell */
#define SB_CONT 0xfb /* a lone continuation cell */
#define SB_RUN 0xfc  /* + count(1): that many erased cells (ch 0) in the pen */
#define SB_PEN_LEN 12 /* token + attrs(2) + fg(4) + bg(4) + cellflags(1) */

struct grid {
	int rows, cols;
	struct screen scr[2];
	int alt;
	int reverse;
	struct grid_cursor cursor;
	struct grid_pen pen;

	struct dmg *dmg; /* per display row */
	int dmg_all, dmg_any;

	struct comb *comb;
	size_t ncomb, comb_cap;
	uint32_t *comb_hash; /* open addressing, index + 1, 0 = empty */
	size_t comb_hash_cap;

	struct sb *sb;       /* the scrollback's lines (sb.c) */
	size_t sb_max_bytes; /* and a cap on their bytes */

	int view;                  /* view offset */
	struct grid_cell *viewbuf; /* a decoded scrollback line for grid_view_row */
	int viewbuf_cols;
	unsigned char *enc; /* scratch for encoding a scrollback line */
	size_t enc_cap;
};

_Static_assert(sizeof(struct grid_cell) == 16, "grid_cell is 16 bytes, bg at offset 8");

static const struct grid_cell blank_cell = { 0, GRID_COLOR_DEFAULT, GRID_COLOR_DEFAULT, 0, 1, 0 };

static int is_blank(const struct grid_cell *c)
{
	return c->ch == 0 && c->attrs == 0 && c->fg == 0 && c->bg == 0 && c->flags == 0 &&
	       c->width == 1;
}

static void fill_blank(struct grid_cell *c, int n)
{
	for (int i = 0; i < n; i++)
		c[i] = blank_cell;
}

static struct grid_cell pen_cell(const struct grid_pen *p)
{
	struct grid_cell c = { 0, p->fg, p->bg, p->attrs, 1, 0 };
	return c;
}

static int pen_is_default(const struct grid_pen *p)
{
	return p->attrs == 0 && p->fg == 0 && p->bg == 0;
}

static struct row *R(struct grid *g, int r)
{
	struct screen *s = &g->scr[g->alt];
	int i = s->top + r;
	if (i >= g->rows)
		i -= g->rows;
	return &s->ring[i];
}

static const struct row *Rc(const struct grid *g, int r)
{
	const struct screen *s = &g->scr[g->alt];
	int i = s->top + r;
	if (i >= g->rows)
		i -= g->rows;
	return &s->ring[i];
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

static void screen_free(struct screen *s, int rows)
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
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (cols > 0xffff)
		cols = 0xffff;
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
	screen_free(&g->scr[0], g->rows);
	screen_free(&g->scr[1], g->rows);
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

static uint32_t comb_intern(struct grid *g, const uint32_t *cp, int n)
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
				cell->ch = comb_intern(g, old[cell->ch].cp, old[cell->ch].n);
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

static size_t utf8_put(char *b, uint32_t c)
{
	if (c < 0x80) {
		b[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | ((c >> 18) & 0x07));
	b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	b[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static size_t cells_text(const struct grid *g, const struct grid_cell *cells, int n, char *buf,
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
	return cells_text(g, grid_row(g, row), g->cols, buf, cap);
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

/* ---- scrollback ---- */

/* The view offset stays within the scrollback. */
static void view_clamp(struct grid *g)
{
	if (g->view > sb_count(g->sb))
		g->view = sb_count(g->sb);
}

static void sb_drop(struct grid *g)
{
	sb_drop_oldest(g->sb);
	view_clamp(g);
}

void grid_sb_set_limits(struct grid *g, int max_lines, size_t max_bytes)
{
	if (max_lines < 0)
		max_lines = GRID_SB_DEFAULT_LINES;
	g->sb_max_bytes = max_bytes;
	sb_set_max(g->sb, max_lines);
	while (sb_count(g->sb) > 0 && sb_bytes(g->sb) > g->sb_max_bytes)
		sb_drop_oldest(g->sb);
	view_clamp(g);
}

int grid_sb_count(const struct grid *g) { return sb_count(g->sb); }
size_t grid_sb_bytes(const struct grid *g) { return sb_bytes(g->sb); }

void grid_sb_clear(struct grid *g)
{
	sb_clear(g->sb);
	if (g->view) {
		g->view = 0;
		grid_damage_all(g);
	}
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Encodes n cells into *buf (grown as needed); returns the byte count. */
static size_t sb_encode(const struct grid *g, const struct grid_cell *cells, int n,
			unsigned char **buf, size_t *cap)
{
	size_t len = 0;
	uint16_t attrs = 0;
	uint32_t fg = 0, bg = 0;
	uint8_t cf = 0;
	/* worst case per cell: pen + wide + 6 code points with marks */
	size_t need = (size_t)n * (SB_PEN_LEN + 2 + GRID_MAX_CHARS * 5) + 1;
	if (need > *cap)
		xgrow((void **)buf, cap, need, 1);
	unsigned char *p = *buf;
	/* The fast path compares a cell's fg and its last 8 bytes (bg, attrs,
	 * width, flags) with those of a plain width-1 cell in the current pen. */
	struct grid_cell tpl = { 0, fg, bg, attrs, 1, cf };
	uint64_t tpl_hi;
	memcpy(&tpl_hi, (const char *)&tpl + 8, 8);
	for (int i = 0; i < n; i++) {
		const struct grid_cell *c = &cells[i];
		uint64_t hi;
		memcpy(&hi, (const char *)c + 8, 8);
		if (hi == tpl_hi && c->fg == tpl.fg && c->ch < 0x80) {
			if (c->ch == 0) {
				/* a run of erased cells in this pen */
				int k = 1;
				while (i + k < n && k < 255) {
					const struct grid_cell *d = &cells[i + k];
					uint64_t dh;
					memcpy(&dh, (const char *)d + 8, 8);
					if (dh != tpl_hi || d->fg != tpl.fg || d->ch != 0)
						break;
					k++;
				}
				if (k >= 3) {
					p[len++] = SB_RUN;
					p[len++] = (unsigned char)k;
					i += k - 1;
					continue;
				}
			}
			p[len++] = (unsigned char)c->ch;
			continue;
		}
		uint8_t flags = c->flags & GRID_CELL_PROTECTED;
		if (c->attrs != attrs || c->fg != fg || c->bg != bg || flags != cf) {
			attrs = c->attrs;
			fg = c->fg;
			bg = c->bg;
			cf = flags;
			tpl.fg = fg;
			tpl.bg = bg;
			tpl.attrs = attrs;
			tpl.flags = cf;
			memcpy(&tpl_hi, (const char *)&tpl + 8, 8);
			p[len++] = SB_PEN;
			p[len++] = (unsigned char)attrs;
			p[len++] = (unsigned char)(attrs >> 8);
			put32(p + len, fg);
			len += 4;
			put32(p + len, bg);
			len += 4;
			p[len++] = cf;
		}
		if (c->flags & GRID_CELL_CONT) {
			if (i > 0 && cells[i - 1].width == 2 && !(cells[i - 1].flags & GRID_CELL_CONT))
				continue; /* implied by SB_WIDE */
			p[len++] = SB_CONT;
			continue;
		}
		if (c->width == 2 && i + 1 < n)
			p[len++] = SB_WIDE;
		uint32_t cp[GRID_MAX_CHARS];
		int k = grid_cell_chars(g, c, cp, GRID_MAX_CHARS);
		if (k == 0) {
			p[len++] = 0;
			continue;
		}
		len += utf8_put((char *)p + len, cp[0]);
		for (int j = 1; j < k; j++) {
			p[len++] = SB_MARK;
			len += utf8_put((char *)p + len, cp[j]);
		}
	}
	return len;
}

static int utf8_get(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char b = p[0];
	int k = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
	if ((size_t)k > n)
		return -1;
	uint32_t c = k == 1 ? b : k == 2 ? (b & 0x1fu) : k == 3 ? (b & 0x0fu) : (b & 0x07u);
	for (int i = 1; i < k; i++)
		c = (c << 6) | (p[i] & 0x3fu);
	*cp = c;
	return k;
}

/* Blanks broken wide pairs in cells[0..n): a width-2 cell must be followed
 * by its continuation, a continuation must follow a width-2 cell. */
static void sanitize_pairs(struct grid_cell *c, int n)
{
	for (int i = 0; i < n; i++) {
		if (c[i].flags & GRID_CELL_CONT) {
			if (i == 0 || c[i - 1].width != 2) {
				c[i].flags &= (uint8_t)~GRID_CELL_CONT;
				c[i].ch = 0;
			}
		} else if (c[i].width == 2 && (i + 1 >= n || !(c[i + 1].flags & GRID_CELL_CONT))) {
			c[i].width = 1;
			c[i].ch = 0;
			c[i].flags &= (uint8_t)~GRID_CELL_COMBINED;
		}
	}
}

/* Decodes a line into out[0..ncols) (padding with blanks). */
static void sb_decode(struct grid *g, const struct sb_line *l, struct grid_cell *out, int ncols)
{
	struct grid_cell pen = blank_cell;
	const unsigned char *p = l->data;
	size_t n = l->nbytes, i = 0;
	int col = 0, wide = 0;
	uint32_t seq[GRID_MAX_CHARS];
	int nseq = 0, seqcol = -1;

#define FLUSH_SEQ()                                                                    \
	do {                                                                           \
		if (seqcol >= 0 && seqcol < ncols && nseq > 1) {                       \
			out[seqcol].ch = comb_intern(g, seq, nseq);                    \
			out[seqcol].flags |= GRID_CELL_COMBINED;                       \
		}                                                                      \
		nseq = 0;                                                              \
		seqcol = -1;                                                           \
	} while (0)

	while (i < n) {
		unsigned char b = p[i];
		if (b == SB_PEN && i + SB_PEN_LEN <= n) {
			pen.attrs = (uint16_t)(p[i + 1] | p[i + 2] << 8);
			pen.fg = get32(p + i + 3);
			pen.bg = get32(p + i + 7);
			pen.flags = p[i + 11];
			i += SB_PEN_LEN;
			continue;
		}
		if (b == SB_WIDE) {
			wide = 1;
			i++;
			continue;
		}
		if (b == SB_MARK) {
			uint32_t cp;
			int k = i + 1 < n ? utf8_get(p + i + 1, n - i - 1, &cp) : -1;
			if (k < 0)
				break;
			if (nseq > 0 && nseq < GRID_MAX_CHARS)
				seq[nseq++] = cp;
			i += 1 + (size_t)k;
			continue;
		}
		FLUSH_SEQ();
		if (b == SB_RUN) {
			int k = i + 1 < n ? p[i + 1] : 0;
			struct grid_cell c = pen;
			c.ch = 0;
			c.width = 1;
			for (int j = 0; j < k; j++, col++)
				if (col < ncols)
					out[col] = c;
			wide = 0;
			i += 2;
			continue;
		}
		if (b == SB_CONT) {
			if (col < ncols) {
				out[col] = pen;
				out[col].flags |= GRID_CELL_CONT;
			}
			col++;
			i++;
			continue;
		}
		uint32_t cp;
		int k = utf8_get(p + i, n - i, &cp);
		if (k < 0)
			break;
		i += (size_t)k;
		struct grid_cell c = pen;
		c.ch = cp;
		c.width = wide ? 2 : 1;
		if (wide && col + 1 >= ncols) { /* cut in half: blank it */
			if (col < ncols) {
				c.ch = 0;
				c.width = 1;
				out[col] = c;
			}
			col += 2;
			wide = 0;
			continue;
		}
		if (col < ncols)
			out[col] = c;
		seq[0] = cp;
		nseq = 1;
		seqcol = col;
		col++;
		if (wide) {
			if (col < ncols) {
				out[col] = pen;
				out[col].flags |= GRID_CELL_CONT;
			}
			col++;
			wide = 0;
		}
	}
	FLUSH_SEQ();
#undef FLUSH_SEQ
	if (col < ncols)
		fill_blank(out + col, ncols - col);
	sanitize_pairs(out, ncols);
}

/* Trimmed length: up to the last cell that is not a default blank. */
static int cells_len(const struct grid_cell *c, int n)
{
	while (n > 0 && is_blank(&c[n - 1]))
		n--;
	return n;
}

static void sb_push_cells(struct grid *g, const struct grid_cell *cells, int n, unsigned flags)
{
	if (sb_max(g->sb) <= 0)
		return;
	n = cells_len(cells, n);
	size_t nb = sb_encode(g, cells, n, &g->enc, &g->enc_cap);
	if (sb_count(g->sb) == sb_max(g->sb))
		sb_drop(g);
	sb_push(g->sb, g->enc, nb, n, flags & GRID_ROW_WRAPPED);
	if (g->view > 0 && g->view < sb_count(g->sb))
		g->view++;
	while (sb_count(g->sb) > 1 && sb_bytes(g->sb) > g->sb_max_bytes)
		sb_drop(g);
}

int grid_sb_line(struct grid *g, int n, struct grid_cell *out, int ncols, unsigned *flags)
{
	const struct sb_line *l = sb_line(g->sb, n);
	if (!l)
		return -1;
	if (ncols > 0)
		sb_decode(g, l, out, ncols);
	if (flags)
		*flags = l->flags;
	return l->ncells;
}

size_t grid_sb_text(struct grid *g, int n, char *buf, size_t cap)
{
	const struct sb_line *l = sb_line(g->sb, n);
	if (!l) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	int nc = l->ncells ? l->ncells : 1;
	struct grid_cell *tmp = xmalloc((size_t)nc * sizeof *tmp);
	sb_decode(g, l, tmp, nc);
	size_t r = cells_text(g, tmp, l->ncells, buf, cap);
	free(tmp);
	return r;
}

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
		c.ch = comb_intern(g, chars, n);
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
				sb_push_cells(g, rw->cells, rw->used, rw->flags);
			}
		grid_erase(g, row0, row1, col0, col1, 0);
		return;
	}
	if (down && fullw) {
		if (down > 0 && row0 == 0 && !g->alt)
			for (int i = 0; i < down; i++) {
				struct row *rw = R(g, i);
				sb_push_cells(g, rw->cells, rw->used, rw->flags);
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
	sanitize_pairs(rw->cells, len);
	rw->used = cells_len(rw->cells, len);
	rw->flags = flags;
}

void grid_resize(struct grid *g, int rows, int cols, int *crow, int *ccol)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (cols > 0xffff)
		cols = 0xffff;
	int orows = g->rows, ocols = g->cols;
	if (rows == orows && cols == ocols)
		return;
	int cur_r = crow ? *crow : 0, cur_c = ccol ? *ccol : 0;
	if (cur_r < 0)
		cur_r = 0;
	if (cur_r >= orows)
		cur_r = orows - 1;
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
				sb_decode(g, l, c, len);
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
				sb_decode(g, l, c, len);
			plist_add(&popped, c, len, l->flags);
			sb_drop_newest(g->sb);
			room--;
		}
		view_clamp(g);
	}
	for (size_t i = 0; i < first; i++) {
		sb_push_cells(g, lines->v[i].cells, lines->v[i].len, lines->v[i].flags);
		free(lines->v[i].cells);
	}
	screen_free(&g->scr[0], orows);
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
	screen_free(&g->scr[1], orows);
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
	if (ncur_r < 0)
		ncur_r = 0;
	if (ncur_r >= rows)
		ncur_r = rows - 1;
	if (ncur_c < 0)
		ncur_c = 0;
	if (ncur_c >= cols)
		ncur_c = cols - 1;
	g->cursor.row = ncur_r;
	g->cursor.col = ncur_c;
	if (crow)
		*crow = ncur_r;
	if (ccol)
		*ccol = ncur_c;
	view_clamp(g);
	grid_damage_all(g);
}
