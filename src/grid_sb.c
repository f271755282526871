/* grid_sb — the scrollback's line encoding for the grid: sb_encode and
 * grid_sb_decode turn a row's cells into compact bytes and back (tokens for
 * pen changes, runs of erased cells, wide and combined characters), pushing
 * lines that leave the screen, and the grid_sb_* calls of grid.h (limits,
 * count, bytes, clear, a line's cells or text). The storage is sb.c; the
 * view offset is grid.c's. */
#include "grid.h"

#include <stdlib.h>
#include <string.h>

#include "grid_int.h"
#include "sb.h"
#include "util.h"

/* Tokens of the scrollback encoding; UTF-8 never uses bytes >= 0xf8. */
#define SB_PEN 0xf8  /* + attrs(2) fg(4) bg(4) cellflags(1): pen of the next cells */
#define SB_WIDE 0xf9 /* the next character is wide (a CONT cell follows it) */
#define SB_MARK 0xfa /* + UTF-8: a combining mark of the previous cell */
#define SB_CONT 0xfb /* a lone continuation cell */
#define SB_RUN 0xfc  /* + count(1): that many erased cells (ch 0) in the pen */
#define SB_PEN_LEN 12 /* token + attrs(2) + fg(4) + bg(4) + cellflags(1) */

/* ---- scrollback ---- */

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
void grid_sanitize_pairs(struct grid_cell *c, int n)
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
void grid_sb_decode(struct grid *g, const struct sb_line *l, struct grid_cell *out, int ncols)
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
			out[seqcol].ch = grid_comb_intern(g, seq, nseq);                    \
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
	grid_sanitize_pairs(out, ncols);
}

void grid_sb_push_cells(struct grid *g, const struct grid_cell *cells, int n, unsigned flags)
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
		grid_sb_decode(g, l, out, ncols);
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
	grid_sb_decode(g, l, tmp, nc);
	size_t r = grid_cells_text(g, tmp, l->ncells, buf, cap);
	free(tmp);
	return r;
}
