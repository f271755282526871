/* dagdraw — lays out and draws the task graph on a character canvas (see
 * dagdraw.h for the layout rules). */
#include "dagdraw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARM_U = 1, ARM_D = 2, ARM_L = 4, ARM_R = 8 };
enum { HEADER_ROWS = 2 }; /* "wave N", then a blank row */

/* Decodes one UTF-8 code point at *s (advancing it); malformed bytes give
 * U+FFFD. */
static uint32_t utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
	if (n < 0) {
		(*s)++;
		return 0xfffd;
	}
	if (n > 0)
		c &= 0x3fu >> n;
	for (int k = 1; k <= n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			*s += k;
			return 0xfffd;
		}
		c = c << 6 | (p[k] & 0x3f);
	}
	*s += n + 1;
	return c;
}

static int utf8_cols(const char *s)
{
	int n = 0;
	while (*s) {
		utf8_next(&s);
		n++;
	}
	return n;
}

/* The layout's working data. Items are what occupies a row in a column:
 * a task, or a dummy slot an edge that skips waves passes through.
 * Segments join an item to an item of the next column. */
struct lay {
	int n, nw;
	int nitems, nsegs;
	size_t icap, scap;
	int *itask, *ilayer, *irow, *ipos, *icrit; /* per item */
	int *sfrom, *sto, *scrit, *strack;         /* per segment */
	int *layer_start, *layer_items;            /* items of each layer, in order */
};

static int item_new(struct lay *l, int task, int layer, int crit)
{
	if ((size_t)l->nitems + 1 > l->icap) {
		size_t c = l->icap;
		xgrow((void **)&l->itask, &c, (size_t)l->nitems + 1, sizeof(int));
		c = l->icap;
		xgrow((void **)&l->ilayer, &c, (size_t)l->nitems + 1, sizeof(int));
		c = l->icap;
		xgrow((void **)&l->irow, &c, (size_t)l->nitems + 1, sizeof(int));
		c = l->icap;
		xgrow((void **)&l->ipos, &c, (size_t)l->nitems + 1, sizeof(int));
		xgrow((void **)&l->icrit, &l->icap, (size_t)l->nitems + 1, sizeof(int));
	}
	l->itask[l->nitems] = task;
	l->ilayer[l->nitems] = layer;
	l->irow[l->nitems] = 0;
	l->ipos[l->nitems] = 0;
	l->icrit[l->nitems] = crit;
	return l->nitems++;
}

static void seg_new(struct lay *l, int from, int to, int crit)
{
	if ((size_t)l->nsegs + 1 > l->scap) {
		size_t c = l->scap;
		xgrow((void **)&l->sfrom, &c, (size_t)l->nsegs + 1, sizeof(int));
		c = l->scap;
		xgrow((void **)&l->sto, &c, (size_t)l->nsegs + 1, sizeof(int));
		c = l->scap;
		xgrow((void **)&l->strack, &c, (size_t)l->nsegs + 1, sizeof(int));
		xgrow((void **)&l->scrit, &l->scap, (size_t)l->nsegs + 1, sizeof(int));
	}
	l->sfrom[l->nsegs] = from;
	l->sto[l->nsegs] = to;
	l->scrit[l->nsegs] = crit;
	l->strack[l->nsegs] = 0;
	l->nsegs++;
}

static void lay_free(struct lay *l)
{
	free(l->itask);
	free(l->ilayer);
	free(l->irow);
	free(l->ipos);
	free(l->icrit);
	free(l->sfrom);
	free(l->sto);
	free(l->scrit);
	free(l->strack);
	free(l->layer_start);
	free(l->layer_items);
}

/* ---- ordering within a layer (barycentre sweeps) ---- */

static const double *sort_key;
static const int *sort_pos, *sort_crit;

/* By key; ties: the critical path first (it runs straight), then as now. */
static int cmp_key(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	if (sort_key[x] != sort_key[y])
		return sort_key[x] < sort_key[y] ? -1 : 1;
	if (sort_crit[x] != sort_crit[y])
		return sort_crit[y] - sort_crit[x];
	return sort_pos[x] - sort_pos[y];
}

/* Reorders layer L by the mean position of its neighbours in layer L-1
 * (down = 1) or L+1 (down = 0). Items without such neighbours keep their
 * position as key. */
static void sweep_layer(struct lay *l, int L, int down, double *key, double *cnt)
{
	int *it = l->layer_items + l->layer_start[L];
	int m = l->layer_start[L + 1] - l->layer_start[L];
	for (int k = 0; k < m; k++) {
		key[it[k]] = 0;
		cnt[it[k]] = 0;
	}
	for (int s = 0; s < l->nsegs; s++) {
		int me = down ? l->sto[s] : l->sfrom[s];
		int other = down ? l->sfrom[s] : l->sto[s];
		if (l->ilayer[me] != L)
			continue;
		key[me] += l->ipos[other];
		cnt[me] += 1;
	}
	for (int k = 0; k < m; k++)
		key[it[k]] = cnt[it[k]] > 0 ? key[it[k]] / cnt[it[k]] : l->ipos[it[k]];
	sort_key = key;
	sort_pos = l->ipos;
	sort_crit = l->icrit;
	qsort(it, (size_t)m, sizeof *it, cmp_key);
	for (int k = 0; k < m; k++)
		l->ipos[it[k]] = k;
}

/* Moves the tasks joined to nothing to the end of their column (in plan
 * order), out of the way of the lines. */
static void sink_isolated(struct lay *l)
{
	unsigned char *linked = xcalloc((size_t)l->nitems + 1, 1);
	for (int s = 0; s < l->nsegs; s++)
		linked[l->sfrom[s]] = linked[l->sto[s]] = 1;
	int *tmp = xmalloc(((size_t)l->nitems + 1) * sizeof *tmp);
	for (int L = 1; L <= l->nw; L++) {
		int *it = l->layer_items + l->layer_start[L];
		int m = l->layer_start[L + 1] - l->layer_start[L], k = 0;
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < m; i++)
				if (linked[it[i]] == !pass)
					tmp[k++] = it[i];
		for (int i = 0; i < m; i++) {
			it[i] = tmp[i];
			l->ipos[it[i]] = i;
		}
	}
	free(tmp);
	free(linked);
}

/* ---- rows ---- */

/* Columns alternate row parity so a gap row holds either an outgoing or an
 * incoming line. A task is put near the mean row of its predecessors. */
static void assign_rows(struct lay *l)
{
	double *sum = xcalloc((size_t)l->nitems + 1, sizeof *sum);
	int *cnt = xcalloc((size_t)l->nitems + 1, sizeof *cnt);
	for (int L = 1; L <= l->nw; L++) {
		int par = (L - 1) & 1;
		int *it = l->layer_items + l->layer_start[L];
		int m = l->layer_start[L + 1] - l->layer_start[L];
		if (L > 1)
			for (int s = 0; s < l->nsegs; s++)
				if (l->ilayer[l->sto[s]] == L) {
					sum[l->sto[s]] += l->irow[l->sfrom[s]];
					cnt[l->sto[s]]++;
				}
		int prev = par - 2;
		for (int k = 0; k < m; k++) {
			int y = prev + 2;
			if (cnt[it[k]]) {
				/* the row of this parity nearest the mean, ties upwards */
				double want = sum[it[k]] / cnt[it[k]];
				int lo = (int)want;
				if (lo < 0)
					lo = 0;
				if ((lo & 1) != par)
					lo--;
				int d = want - lo <= lo + 2 - want ? lo : lo + 2;
				if (d > y)
					y = d;
			}
			l->irow[it[k]] = y;
			prev = y;
		}
	}
	free(sum);
	free(cnt);
}

/* ---- tracks ---- */

static int inside(int y, int a, int b)
{
	return a < b ? a < y && y < b : b < y && y < a;
}

/* Crossings between segments e and f when e's track is left of f's. */
static int cross_cost(const struct lay *l, int e, int f)
{
	int eys = l->irow[l->sfrom[e]], eyt = l->irow[l->sto[e]];
	int fys = l->irow[l->sfrom[f]], fyt = l->irow[l->sto[f]];
	return inside(eyt, fys, fyt) + inside(fys, eys, eyt);
}

/* Orders the tracks of the gap after layer L: segs has m segments, sorted
 * by source row then target row, then improved by adjacent swaps (the
 * crossings of a pair depend only on their relative order). */
static void order_tracks(const struct lay *l, int *segs, int m)
{
	for (int i = 1; i < m; i++) /* insertion sort by (source row, target row) */
		for (int j = i; j > 0; j--) {
			int a = segs[j - 1], b = segs[j];
			int ka = l->irow[l->sfrom[a]], kb = l->irow[l->sfrom[b]];
			if (ka < kb || (ka == kb && l->irow[l->sto[a]] >= l->irow[l->sto[b]]))
				break;
			segs[j - 1] = b;
			segs[j] = a;
		}
	for (int pass = 0; pass < m; pass++) {
		int changed = 0;
		for (int j = 0; j + 1 < m; j++)
			if (cross_cost(l, segs[j + 1], segs[j]) < cross_cost(l, segs[j], segs[j + 1])) {
				int t = segs[j];
				segs[j] = segs[j + 1];
				segs[j + 1] = t;
				changed = 1;
			}
		if (!changed)
			break;
	}
}

/* Gives the m ordered segments their columns: a segment goes right of
 * every earlier one whose rows overlap its own (so their order, and the
 * crossings counted for it, hold) and may share a column with those whose
 * rows do not. Returns the number of columns. */
static int pack_tracks(struct lay *l, const int *segs, int m)
{
	int ncol = 0;
	for (int i = 0; i < m; i++) {
		int e = segs[i];
		int ea = l->irow[l->sfrom[e]], eb = l->irow[l->sto[e]];
		if (ea > eb) {
			int t = ea;
			ea = eb;
			eb = t;
		}
		int col = 0;
		for (int j = 0; j < i; j++) {
			int f = segs[j];
			int fa = l->irow[l->sfrom[f]], fb = l->irow[l->sto[f]];
			if (fa > fb) {
				int t = fa;
				fa = fb;
				fb = t;
			}
			if (fa <= eb && ea <= fb && l->strack[f] + 1 > col)
				col = l->strack[f] + 1;
		}
		l->strack[e] = col;
		if (col + 1 > ncol)
			ncol = col + 1;
	}
	return ncol;
}

/* ---- drawing ---- */

struct canvas {
	int w, h;
	unsigned char *arms, *crit;
	uint32_t *over; /* explicit code point (arrow heads), else 0 */
};

static void put_arms(struct canvas *c, int y, int x, unsigned a, int crit)
{
	size_t i = (size_t)y * (size_t)c->w + (size_t)x;
	c->arms[i] |= (unsigned char)a;
	if (crit)
		c->crit[i] = 1;
}

static void hline(struct canvas *c, int y, int x0, int x1, int crit)
{
	for (int x = x0; x <= x1; x++)
		put_arms(c, y, x, ARM_L | ARM_R, crit);
}

static uint32_t arms_char(unsigned a)
{
	static const uint32_t tab[16] = {
		' ',    0x2502, 0x2502, 0x2502, /* -, U, D, UD */
		0x2500, 0x2518, 0x2510, 0x2524, /* L, UL, DL, UDL */
		0x2500, 0x2514, 0x250c, 0x251c, /* R, UR, DR, UDR */
		0x2500, 0x2534, 0x252c, 0x253c, /* LR, ULR, DLR, all */
	};
	return tab[a & 15];
}

static void set_cell(struct dagdraw *dd, int y, int x, uint32_t cp, int role, int task)
{
	struct dagdraw_cell *c = &dd->cells[(size_t)y * (size_t)dd->w + (size_t)x];
	c->cp = cp;
	c->role = (unsigned char)role;
	c->task = task;
}

int dagdraw_build(struct dagdraw *dd, const struct dag *g, const char *const *ids,
		  const char *const *glyphs, const int *path, int npath, struct err *e)
{
	memset(dd, 0, sizeof *dd);
	int n = g->n;
	for (int i = 0; i < n; i++) {
		if (g->wave[i] < 1 || g->wave[i] > g->nwaves)
			return err_set(e, "task %s has no wave (it is on or behind a dependency cycle)", ids[i]);
		for (int k = g->dep_start[i]; k < g->dep_start[i + 1]; k++)
			if (g->wave[g->dep[k]] >= g->wave[i])
				return err_set(e, "task %s is not in a later wave than its dependency %s", ids[i],
					       ids[g->dep[k]]);
	}
	struct lay l = { .n = n, .nw = g->nwaves };
	int *next_on_path = xmalloc(((size_t)n + 1) * sizeof(int));
	for (int i = 0; i < n; i++)
		next_on_path[i] = -1;
	unsigned char *on_path = xcalloc((size_t)n + 1, 1);
	for (int k = 0; k < npath; k++) {
		on_path[path[k]] = 1;
		if (k + 1 < npath)
			next_on_path[path[k]] = path[k + 1];
	}
	for (int i = 0; i < n; i++) /* items 0..n-1 are the tasks */
		item_new(&l, i, g->wave[i], on_path[i]);
	for (int i = 0; i < n; i++)
		for (int k = g->dep_start[i]; k < g->dep_start[i + 1]; k++) {
			int d = g->dep[k];
			int crit = next_on_path[d] == i;
			int prev = d;
			for (int L = g->wave[d] + 1; L < g->wave[i]; L++) {
				int dummy = item_new(&l, -1, L, crit);
				seg_new(&l, prev, dummy, crit);
				prev = dummy;
			}
			seg_new(&l, prev, i, crit);
		}
	/* layers: initial order = task order, then dummies in creation order */
	l.layer_start = xcalloc((size_t)l.nw + 2, sizeof(int));
	l.layer_items = xmalloc(((size_t)l.nitems + 1) * sizeof(int));
	for (int it = 0; it < l.nitems; it++)
		l.layer_start[l.ilayer[it] + 1]++;
	for (int L = 1; L <= l.nw + 1; L++)
		l.layer_start[L] += l.layer_start[L - 1];
	{
		int *fill = xmalloc(((size_t)l.nw + 2) * sizeof(int));
		memcpy(fill, l.layer_start, ((size_t)l.nw + 2) * sizeof(int));
		for (int it = 0; it < l.nitems; it++) {
			int L = l.ilayer[it];
			l.ipos[it] = fill[L] - l.layer_start[L];
			l.layer_items[fill[L]++] = it;
		}
		free(fill);
	}
	/* layer_start is indexed by layer (1-based): items of L are
	 * layer_items[layer_start[L] .. layer_start[L+1]) */
	double *key = xcalloc((size_t)l.nitems + 1, sizeof *key);
	double *cnt = xcalloc((size_t)l.nitems + 1, sizeof *cnt);
	for (int round = 0; round < 2; round++) {
		for (int L = 2; L <= l.nw; L++)
			sweep_layer(&l, L, 1, key, cnt);
		for (int L = l.nw - 1; L >= 1; L--)
			sweep_layer(&l, L, 0, key, cnt);
	}
	for (int L = 2; L <= l.nw; L++)
		sweep_layer(&l, L, 1, key, cnt);
	free(key);
	free(cnt);
	sink_isolated(&l);
	assign_rows(&l);

	/* columns: widths and gap track counts */
	int *cw = xcalloc((size_t)l.nw + 2, sizeof(int));
	int *cx = xcalloc((size_t)l.nw + 2, sizeof(int));
	int *ntr = xcalloc((size_t)l.nw + 2, sizeof(int));
	int *labw = xcalloc((size_t)n + 1, sizeof(int));
	char hdr[32];
	for (int L = 1; L <= l.nw; L++) {
		snprintf(hdr, sizeof hdr, "wave %d", L);
		cw[L] = (int)strlen(hdr);
	}
	for (int i = 0; i < n; i++) {
		labw[i] = 2 + utf8_cols(ids[i]);
		if (labw[i] > cw[g->wave[i]])
			cw[g->wave[i]] = labw[i];
	}
	int *segs = xmalloc(((size_t)l.nsegs + 1) * sizeof(int));
	int *gap_start = xcalloc((size_t)l.nw + 2, sizeof(int));
	int nseg_sorted = 0;
	for (int L = 1; L <= l.nw; L++) {
		gap_start[L] = nseg_sorted;
		for (int s = 0; s < l.nsegs; s++)
			if (l.ilayer[l.sfrom[s]] == L)
				segs[nseg_sorted++] = s;
		int m = nseg_sorted - gap_start[L];
		order_tracks(&l, segs + gap_start[L], m);
		ntr[L] = pack_tracks(&l, segs + gap_start[L], m);
	}
	int x = 0;
	for (int L = 1; L <= l.nw; L++) {
		cx[L] = x;
		x += cw[L] + (L < l.nw ? ntr[L] + 5 : 0);
	}
	int maxrow = 0;
	for (int it = 0; it < l.nitems; it++)
		if (l.irow[it] > maxrow)
			maxrow = l.irow[it];
	struct canvas c = { .w = x > 0 ? x : 1, .h = HEADER_ROWS + maxrow + 1 };
	size_t ncell = (size_t)c.w * (size_t)c.h;
	c.arms = xcalloc(ncell, 1);
	c.crit = xcalloc(ncell, 1);
	c.over = xcalloc(ncell, sizeof *c.over);

	/* dummies: a line across their column */
	for (int it = n; it < l.nitems; it++) {
		int L = l.ilayer[it];
		hline(&c, HEADER_ROWS + l.irow[it], cx[L], cx[L] + cw[L] - 1, l.icrit[it]);
	}
	/* segments: out of the source, along its track, into the target */
	for (int s = 0; s < l.nsegs; s++) {
		int a = l.sfrom[s], b = l.sto[s];
		int L = l.ilayer[a];
		int gx = cx[L] + cw[L]; /* first cell of the gap */
		int tx = gx + 2 + l.strack[s];
		int ys = HEADER_ROWS + l.irow[a], yt = HEADER_ROWS + l.irow[b];
		int crit = l.scrit[s];
		int sx = a < n ? cx[L] + labw[a] + 1 : gx;
		hline(&c, ys, sx, tx - 1, crit);
		put_arms(&c, ys, tx, ARM_L | (yt > ys ? ARM_D : ARM_U), crit);
		for (int y = (ys < yt ? ys : yt) + 1; y < (ys < yt ? yt : ys); y++)
			put_arms(&c, y, tx, ARM_U | ARM_D, crit);
		put_arms(&c, yt, tx, ARM_R | (yt > ys ? ARM_U : ARM_D), crit);
		int end = cx[L + 1] - 1;
		if (b < n) {
			end = cx[L + 1] - 3;
			c.over[(size_t)yt * (size_t)c.w + (size_t)(end + 1)] = 0x25b6; /* ▶ */
			put_arms(&c, yt, end + 1, 0, crit);
		}
		hline(&c, yt, tx + 1, end, crit);
	}

	dd->w = c.w;
	dd->h = c.h;
	dd->cells = xmalloc(ncell * sizeof *dd->cells);
	dd->node_x = xmalloc(((size_t)n + 1) * sizeof(int));
	dd->node_y = xmalloc(((size_t)n + 1) * sizeof(int));
	for (size_t i = 0; i < ncell; i++) {
		uint32_t cp = c.over[i] ? c.over[i] : arms_char(c.arms[i]);
		int role = cp == ' ' ? DAGDRAW_BLANK : c.crit[i] ? DAGDRAW_EDGE_CRIT : DAGDRAW_EDGE;
		dd->cells[i] = (struct dagdraw_cell){ cp, (unsigned char)role, -1 };
		if (!c.over[i] && c.arms[i] == 15)
			dd->crossings++;
	}
	for (int L = 1; L <= l.nw; L++) {
		snprintf(hdr, sizeof hdr, "wave %d", L);
		for (int k = 0; hdr[k]; k++)
			set_cell(dd, 0, cx[L] + k, (unsigned char)hdr[k], DAGDRAW_HEADER, -1);
	}
	for (int i = 0; i < n; i++) {
		int y = HEADER_ROWS + l.irow[i], x0 = cx[g->wave[i]];
		const char *gs = glyphs && glyphs[i] && *glyphs[i] ? glyphs[i] : "\xc2\xb7";
		set_cell(dd, y, x0, utf8_next(&gs), DAGDRAW_GLYPH, i);
		set_cell(dd, y, x0 + 1, ' ', DAGDRAW_BLANK, -1);
		const char *s = ids[i];
		for (int k = 2; *s; k++)
			set_cell(dd, y, x0 + k, utf8_next(&s), on_path[i] ? DAGDRAW_NODE_CRIT : DAGDRAW_NODE, i);
		dd->node_x[i] = x0;
		dd->node_y[i] = y;
	}
	free(c.arms);
	free(c.crit);
	free(c.over);
	free(cw);
	free(cx);
	free(ntr);
	free(labw);
	free(segs);
	free(gap_start);
	free(next_on_path);
	free(on_path);
	lay_free(&l);
	return 0;
}

void dagdraw_free(struct dagdraw *dd)
{
	free(dd->cells);
	free(dd->node_x);
	free(dd->node_y);
	memset(dd, 0, sizeof *dd);
}

static int row_len(const struct dagdraw *dd, int y)
{
	int w = dd->w;
	while (w > 0 && dagdraw_at(dd, y, w - 1)->cp == ' ')
		w--;
	return w;
}

char *dagdraw_row_text(const struct dagdraw *dd, int y)
{
	struct sbuf b = { 0 };
	int w = row_len(dd, y);
	for (int x = 0; x < w; x++)
		sbuf_add_utf8(&b, dagdraw_at(dd, y, x)->cp);
	return sbuf_steal(&b);
}

int dagdraw_row_runs(const struct dagdraw *dd, int y, int **lens, unsigned char **roles, int **tasks)
{
	int w = row_len(dd, y);
	*lens = xmalloc(((size_t)w + 1) * sizeof **lens);
	*roles = xmalloc((size_t)w + 1);
	*tasks = xmalloc(((size_t)w + 1) * sizeof **tasks);
	int nr = 0;
	struct sbuf b = { 0 };
	for (int x = 0; x < w; x++) {
		const struct dagdraw_cell *c = dagdraw_at(dd, y, x);
		size_t before = b.len;
		sbuf_add_utf8(&b, c->cp);
		int bytes = (int)(b.len - before);
		if (nr && (*roles)[nr - 1] == c->role && (*tasks)[nr - 1] == c->task) {
			(*lens)[nr - 1] += bytes;
			continue;
		}
		(*lens)[nr] = bytes;
		(*roles)[nr] = c->role;
		(*tasks)[nr] = c->task;
		nr++;
	}
	sbuf_free(&b);
	return nr;
}
