/* layout — tiling geometry for panes (grid, main-plus-stack, zoom). */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

static const char *const mode_names[LAYOUT_NMODES] = { "grid", "main" };

const char *layout_mode_name(enum layout_mode m)
{
	return (unsigned)m < LAYOUT_NMODES ? mode_names[m] : "?";
}

int layout_mode_parse(const char *name)
{
	for (int i = 0; i < LAYOUT_NMODES; i++)
		if (strcmp(name, mode_names[i]) == 0)
			return i;
	return -1;
}

int layout_has_border(struct rect r)
{
	return r.h >= 3 && r.w >= 3;
}

struct rect layout_inner(struct rect r)
{
	if (!layout_has_border(r))
		return r;
	return (struct rect){ r.y + 1, r.x + 1, r.h - 2, r.w - 2 };
}

int layout_contains(struct rect r, int y, int x)
{
	return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

/* Splits len into k parts whose sizes differ by at most one, the larger ones
 * first; returns the start of part i and its size in *size. */
static int split(int start, int len, int k, int i, int *size)
{
	int base = len / k, extra = len % k;
	*size = base + (i < extra);
	return start + i * base + (i < extra ? i : extra);
}

static void set(struct layout_pane *p, int y, int x, int h, int w)
{
	p->outer = (struct rect){ y, x, h, w };
	p->inner = layout_inner(p->outer);
	p->visible = 1;
}

static int grid(int n, struct rect a, struct layout_pane *out)
{
	int cols = 1;
	while (cols * cols < n)
		cols++;
	if (cols > a.w)
		cols = a.w;
	int rows = (n + cols - 1) / cols;
	while (rows > a.h && cols < a.w) { /* wide and low: more columns */
		cols++;
		rows = (n + cols - 1) / cols;
	}
	if (rows > a.h || cols < 1)
		return -1;
	for (int r = 0, i = 0; r < rows; r++) {
		int h, y = split(a.y, a.h, rows, r, &h);
		int in_row = r < rows - 1 ? cols : n - cols * (rows - 1);
		for (int c = 0; c < in_row; c++, i++) {
			int w, x = split(a.x, a.w, in_row, c, &w);
			set(&out[i], y, x, h, w);
		}
	}
	return 0;
}

static int main_stack(int n, struct rect a, struct layout_pane *out)
{
	if (n == 1) {
		set(&out[0], a.y, a.x, a.h, a.w);
		return 0;
	}
	if (a.w < 2 || n - 1 > a.h)
		return -1;
	int mw = a.w * 3 / 5;
	if (mw < 1)
		mw = 1;
	if (mw > a.w - 1)
		mw = a.w - 1;
	set(&out[0], a.y, a.x, a.h, mw);
	for (int i = 1; i < n; i++) {
		int h, y = split(a.y, a.h, n - 1, i - 1, &h);
		set(&out[i], y, a.x + mw, h, a.w - mw);
	}
	return 0;
}

int layout_compute(int n, struct rect area, enum layout_mode mode, int zoom,
		   struct layout_pane *out)
{
	if (n < 1 || area.h < 1 || area.w < 1)
		return -1;
	if (zoom >= 0 && zoom < n) {
		for (int i = 0; i < n; i++)
			memset(&out[i], 0, sizeof out[i]);
		set(&out[zoom], area.y, area.x, area.h, area.w);
		return 0;
	}
	switch (mode) {
	case LAYOUT_MAIN:
		return main_stack(n, area, out);
	case LAYOUT_GRID:
	default:
		return grid(n, area, out);
	}
}

int layout_neighbour(const struct layout_pane *p, int n, int from, int dy, int dx)
{
	if (from < 0 || from >= n || !p[from].visible)
		return -1;
	struct rect f = p[from].outer;
	int best = -1;
	long best_score = 0;
	for (int i = 0; i < n; i++) {
		if (i == from || !p[i].visible)
			continue;
		struct rect r = p[i].outer;
		long gap, overlap;
		if (dx) {
			gap = dx > 0 ? r.x - (f.x + f.w) : f.x - (r.x + r.w);
			int lo = r.y > f.y ? r.y : f.y, hi = (r.y + r.h < f.y + f.h) ? r.y + r.h : f.y + f.h;
			overlap = hi - lo;
		} else {
			gap = dy > 0 ? r.y - (f.y + f.h) : f.y - (r.y + r.h);
			int lo = r.x > f.x ? r.x : f.x, hi = (r.x + r.w < f.x + f.w) ? r.x + r.w : f.x + f.w;
			overlap = hi - lo;
		}
		if (gap < 0)
			continue;
		/* Prefer the nearest, then the one sharing the most edge. */
		long score = gap * 100000 - (overlap > 0 ? overlap : -10000 + overlap);
		if (best < 0 || score < best_score) {
			best = i;
			best_score = score;
		}
	}
	return best;
}
