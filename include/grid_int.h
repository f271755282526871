/* grid_int — the grid's private structures and helpers, shared by its
 * three files: src/grid.c (rows, screens, cells, writing, damage, the
 * combined table, the view), src/grid_sb.c (the scrollback's line encoding)
 * and src/grid_reflow.c (resize and reflow). Not for other modules: they
 * use grid.h. */
#ifndef SHOAL_GRID_INT_H
#define SHOAL_GRID_INT_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "sb.h"

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

static inline int grid_clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* A grid is at least 1x1 and at most 0xffff columns wide (a scrollback
 * line's cell count is 16 bits). */
static inline void grid_clamp_size(int *rows, int *cols)
{
	if (*rows < 1)
		*rows = 1;
	*cols = grid_clampi(*cols, 1, 0xffff);
}

static inline int is_blank(const struct grid_cell *c)
{
	return c->ch == 0 && c->attrs == 0 && c->fg == 0 && c->bg == 0 && c->flags == 0 &&
	       c->width == 1;
}

static inline void fill_blank(struct grid_cell *c, int n)
{
	for (int i = 0; i < n; i++)
		c[i] = blank_cell;
}

static inline struct row *R(struct grid *g, int r)
{
	struct screen *s = &g->scr[g->alt];
	int i = s->top + r;
	if (i >= g->rows)
		i -= g->rows;
	return &s->ring[i];
}

static inline const struct row *Rc(const struct grid *g, int r)
{
	const struct screen *s = &g->scr[g->alt];
	int i = s->top + r;
	if (i >= g->rows)
		i -= g->rows;
	return &s->ring[i];
}

/* The view offset stays within the scrollback. */
static inline void view_clamp(struct grid *g)
{
	if (g->view > sb_count(g->sb))
		g->view = sb_count(g->sb);
}

/* Trimmed length: up to the last cell that is not a default blank. */
static inline int cells_len(const struct grid_cell *c, int n)
{
	while (n > 0 && is_blank(&c[n - 1]))
		n--;
	return n;
}

static inline size_t utf8_put(char *b, uint32_t c)
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

/* ---- grid.c ---- */

/* Frees a screen's rows (rows of them). */
void grid_screen_free(struct screen *s, int rows);
/* The index of sequence cp[0..n) in g's combined table (entered if new). */
uint32_t grid_comb_intern(struct grid *g, const uint32_t *cp, int n);
/* UTF-8 text of cells[0..n), like grid_row_text. */
size_t grid_cells_text(const struct grid *g, const struct grid_cell *cells, int n, char *buf,
		       size_t cap);

/* ---- grid_sb.c ---- */

/* Blanks broken wide pairs in c[0..n). */
void grid_sanitize_pairs(struct grid_cell *c, int n);
/* Decodes scrollback line l into out[0..ncols) (padding with blanks). */
void grid_sb_decode(struct grid *g, const struct sb_line *l, struct grid_cell *out, int ncols);
/* Pushes cells[0..n) (trailing blanks trimmed) to the scrollback as one line,
 * dropping the oldest lines beyond the limits; keeps the view anchored. */
void grid_sb_push_cells(struct grid *g, const struct grid_cell *cells, int n, unsigned flags);

#endif
