/* color — quantising terminal colours to what the outer terminal has, and
 * allocating curses pairs. */
#include "color.h"

#include <curses.h>
#include <stdlib.h>

static const uint8_t cube_level[6] = { 0, 95, 135, 175, 215, 255 };

/* xterm's default 16 colours. */
static const uint8_t base16[16][3] = {
	{ 0, 0, 0 },       { 205, 0, 0 },     { 0, 205, 0 },     { 205, 205, 0 },
	{ 0, 0, 238 },     { 205, 0, 205 },   { 0, 205, 205 },   { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 },     { 0, 255, 0 },     { 255, 255, 0 },
	{ 92, 92, 255 },   { 255, 0, 255 },   { 0, 255, 255 },   { 255, 255, 255 },
};

void color_index_rgb(int idx, uint8_t *r, uint8_t *g, uint8_t *b)
{
	if (idx < 0)
		idx = 0;
	if (idx > 255)
		idx = 255;
	if (idx < 16) {
		*r = base16[idx][0], *g = base16[idx][1], *b = base16[idx][2];
	} else if (idx < 232) {
		int i = idx - 16;
		*r = cube_level[i / 36], *g = cube_level[(i / 6) % 6], *b = cube_level[i % 6];
	} else {
		uint8_t v = (uint8_t)(8 + 10 * (idx - 232));
		*r = *g = *b = v;
	}
}

static long dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
	long dr = r1 - r2, dg = g1 - g2, db = b1 - b2;
	return dr * dr + dg * dg + db * db;
}

static int nearest_level(int v)
{
	int best = 0;
	for (int i = 1; i < 6; i++)
		if (abs(v - cube_level[i]) < abs(v - cube_level[best]))
			best = i;
	return best;
}

int color_rgb_to_256(uint8_t r, uint8_t g, uint8_t b)
{
	int ri = nearest_level(r), gi = nearest_level(g), bi = nearest_level(b);
	int cube = 16 + 36 * ri + 6 * gi + bi;
	long dc = dist2(r, g, b, cube_level[ri], cube_level[gi], cube_level[bi]);
	/* Grey ramp: 8, 18, ..., 238. */
	int avg = (r + g + b) / 3;
	int gi2 = (avg - 8 + 5) / 10;
	if (gi2 < 0)
		gi2 = 0;
	if (gi2 > 23)
		gi2 = 23;
	int gv = 8 + 10 * gi2;
	long dg = dist2(r, g, b, gv, gv, gv);
	return dg < dc ? 232 + gi2 : cube;
}

int color_rgb_to_16(uint8_t r, uint8_t g, uint8_t b)
{
	int best = 0;
	long bd = -1;
	for (int i = 0; i < 16; i++) {
		long d = dist2(r, g, b, base16[i][0], base16[i][1], base16[i][2]);
		if (bd < 0 || d < bd)
			bd = d, best = i;
	}
	return best;
}

int color_number(const struct color *c, int ncolors, int *bold)
{
	if (bold)
		*bold = 0;
	if (c->kind == COLOR_KIND_DEFAULT || ncolors < 8)
		return -1;
	int n;
	if (c->kind == COLOR_KIND_INDEXED) {
		if (c->idx < ncolors)
			return c->idx;
		if (c->idx < 16)
			n = c->idx;
		else {
			uint8_t r, g, b;
			color_index_rgb(c->idx, &r, &g, &b);
			n = color_rgb_to_16(r, g, b);
		}
	} else if (ncolors >= 256) {
		return color_rgb_to_256(c->r, c->g, c->b);
	} else {
		n = color_rgb_to_16(c->r, c->g, c->b);
	}
	if (n >= ncolors) { /* 8-colour terminal: bright as bold */
		n -= 8;
		if (bold)
			*bold = 1;
	}
	return n;
}

static int ncolors;
static int last_fg = -2, last_bg = -2, last_pair;

void color_init(void)
{
	ncolors = has_colors() ? COLORS : 0;
	last_fg = last_bg = -2;
}

int color_count(void)
{
	return ncolors;
}

int color_pair(int fg, int bg)
{
	if (ncolors == 0 || (fg == -1 && bg == -1))
		return 0;
	if (fg == last_fg && bg == last_bg)
		return last_pair;
	int p = alloc_pair(fg, bg);
	if (p < 0)
		p = 0;
	last_fg = fg, last_bg = bg, last_pair = p;
	return p;
}
