/* render — draws a terminal grid into a curses WINDOW (dirty rows only, as
 * cchar_t row arrays), pane borders with title and status, and the copy-mode
 * selection. Reads the grid; knows nothing of libvterm or PTYs.
 *
 * Attribute mapping: bold, italic, underline (any style), blink, reverse
 * (xor the whole-screen DECSCNM flag) map to the curses attributes. ncurses
 * has no strikethrough attribute: struck cells get U+0336 COMBINING LONG
 * STROKE OVERLAY appended to their characters (drawn as a line through the
 * glyph by terminals that compose it; dropped when the cell already holds the
 * most combining marks a cchar_t can carry). Dim maps to A_DIM; concealed
 * cells (SGR 8) are drawn as blanks in their own colours. */
#ifndef SHOAL_RENDER_H
#define SHOAL_RENDER_H

#include <curses.h>

#include "grid.h"

/* A selection in display coordinates (rows of the current view), inclusive,
 * drawn reversed; active == 0 for none. */
struct render_sel {
	int active;
	int r0, c0, r1, c1; /* normalised: (r0,c0) <= (r1,c1) in reading order */
};

/* Draws display rows of g into win at (y0, x0), clipped to h x w (blank
 * beyond the grid). Only damaged rows unless full. Does not clear damage. */
void render_grid(WINDOW *win, struct grid *g, int y0, int x0, int h, int w, int full,
		 const struct render_sel *sel);

/* Border roles, each with its own look. */
enum render_border_style { RENDER_BORDER_NORMAL, RENDER_BORDER_FOCUS, RENDER_BORDER_ATTN };

/* Draws a box around the whole of win (h x w >= 3x3), with `title` on the
 * top edge at the left and `status` on the top edge at the right, and `hint`
 * on the bottom edge. Strings are UTF-8, clipped to fit; control characters
 * are shown as '?'. Any may be NULL. */
void render_border(WINDOW *win, int h, int w, enum render_border_style style, const char *title,
		   const char *status, const char *hint);

/* The same with explicit looks: heavy lines or not, the attribute and pair
 * of the lines and title, and the pair of the status label (themes). */
void render_border_styled(WINDOW *win, int h, int w, int heavy, unsigned attr, int pair,
			  int status_pair, const char *title, const char *status, const char *hint);

/* Converts one grid cell to a cchar_t (exposed for tests). Returns the number
 * of columns it covers on screen (1 or 2); 0 for a continuation cell, which
 * is skipped. *pad is set to 1 when a blank cell must follow to keep columns
 * aligned (libvterm and wcwidth disagree). */
int render_cell(const struct grid *g, const struct grid_cell *c, int reverse_all, int selected,
		cchar_t *out, int *pad);

/* Copies a UTF-8 string into wide characters, replacing control and invalid
 * bytes by '?', at most `maxcols` columns; returns the columns used. */
int render_utf8_to_wide(const char *s, wchar_t *out, size_t cap, int maxcols);

#endif
