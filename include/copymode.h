/* copymode — scrollback navigation and selection over a grid: a cursor that
 * moves through the scrollback and the live screen (scrolling the grid's
 * view to keep itself visible), a selection from an anchor, the selected
 * text as UTF-8, and the OSC 52 sequence that hands it to the outer
 * terminal's clipboard. Reads the grid; no curses.
 *
 * Lines are addressed by y: 0..rows-1 are live rows, -1 is the most recent
 * scrollback line, -sb_count the oldest. */
#ifndef SHOAL_COPYMODE_H
#define SHOAL_COPYMODE_H

#include <stddef.h>

#include "grid.h"
#include "render.h"

struct copymode {
	int active;
	int cy, cx;    /* cursor */
	int selecting; /* anchor set */
	int ay, ax;    /* anchor */
	int last_sb;   /* scrollback count at the last sync */
};

/* Enters copy mode with the cursor on the live cursor (or the bottom line of
 * the current view when scrolled back). */
void copy_enter(struct copymode *cm, struct grid *g);
/* Leaves: the view goes back to live. */
void copy_leave(struct copymode *cm, struct grid *g);
/* Follows scrollback growth (call after feeding the grid): keeps the cursor
 * and the anchor on the same text. */
void copy_sync(struct copymode *cm, struct grid *g);
/* Moves the cursor by (dy, dx), clamped, scrolling the view to show it. */
void copy_move(struct copymode *cm, struct grid *g, int dy, int dx);
/* Moves to an absolute position (clamped), scrolling the view. */
void copy_goto(struct copymode *cm, struct grid *g, int y, int x);
/* Scrolls the view by pages (> 0: back) keeping the cursor on the same
 * display row; at either end, moves the cursor instead. */
void copy_page(struct copymode *cm, struct grid *g, int pages);
/* Starts (or clears, when already started) a selection at the cursor. */
void copy_toggle_select(struct copymode *cm);
/* The cursor's row on the display (view), for drawing it. */
int copy_cursor_row(const struct copymode *cm, const struct grid *g);
/* The selection in display coordinates for render_grid. */
void copy_selection(const struct copymode *cm, const struct grid *g, struct render_sel *out);

/* UTF-8 text of lines y0..y1, columns x0 (on y0) to x1 (on y1) inclusive:
 * trailing blanks of each line dropped, lines joined with '\n' except where
 * a line soft-wraps onto the next. Caller frees. */
char *copy_text(struct grid *g, int y0, int x0, int y1, int x1);
/* The current selection's text (or the cursor's line when no anchor). */
char *copy_selected_text(const struct copymode *cm, struct grid *g);

/* "ESC ] 52 ; c ; BASE64 BEL" for text; caller frees. */
char *copy_osc52(const char *text, size_t len);

#endif
