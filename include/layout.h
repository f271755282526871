/* layout — pure geometry: n panes + an area + a mode (+ zoom) → one
 * rectangle per pane, border included, and the inner rectangle the pane's
 * terminal gets. No curses, no state. */
#ifndef SHOAL_LAYOUT_H
#define SHOAL_LAYOUT_H

struct rect {
	int y, x, h, w;
};

enum layout_mode {
	LAYOUT_GRID, /* rows of equal panes, the last row spread wider */
	LAYOUT_MAIN, /* pane 1 on the left, the others stacked on the right */
	LAYOUT_NMODES
};

struct layout_pane {
	struct rect outer; /* border included */
	struct rect inner; /* what the terminal gets: outer minus the border */
	int visible;       /* 0 when another pane is zoomed */
};

/* The mode's name ("grid", "main"), and the mode for a name (-1 if none). */
const char *layout_mode_name(enum layout_mode m);
int layout_mode_parse(const char *name);

/* Fills out[0..n-1]. zoom is a pane index shown alone over the whole area, or
 * -1. Visible outer rectangles tile the area exactly without overlapping, and
 * every visible inner rectangle is at least 1x1. Returns 0, or -1 when the
 * area is too small for n panes (out is then left undefined). */
int layout_compute(int n, struct rect area, enum layout_mode mode, int zoom,
		   struct layout_pane *out);

/* The inner rectangle of an outer one: a 1-cell border all round when the
 * rectangle is at least 3x3, none otherwise. */
struct rect layout_inner(struct rect outer);
/* Whether the rectangle draws a border (see layout_inner). */
int layout_has_border(struct rect outer);

/* 1 if (y, x) is inside r. */
int layout_contains(struct rect r, int y, int x);

/* The visible pane nearest to pane `from` in direction (dy, dx) — one of
 * (-1,0), (1,0), (0,-1), (0,1) — or -1 when there is none. */
int layout_neighbour(const struct layout_pane *p, int n, int from, int dy, int dx);

#endif
