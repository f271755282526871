/* pane — one child on the screen: its PTY, its terminal emulator, its curses
 * window and place in the layout, its copy mode, and how it is labelled.
 * Reading with a budget, passing the emulator's replies back to the child,
 * resizing only on real size changes, drawing. */
#ifndef SHOAL_PANE_H
#define SHOAL_PANE_H

#include <curses.h>
#include <stddef.h>

#include "copymode.h"
#include "layout.h"
#include "ptyproc.h"
#include "term.h"
#include "util.h"

/* Bytes gathered from the PTY before one term_feed() call. */
#define PANE_FEED_BATCH (64 * 1024)

struct pane {
	int id;      /* 1-based number shown in the border */
	char *label; /* the command line as shown */
	struct pty pty;
	struct term *term;
	WINDOW *win; /* covers geom.outer; NULL while hidden */
	struct layout_pane geom;
	int redraw;       /* everything on the next frame */
	int border_dirty; /* the border on the next frame */
	int bell;         /* a BEL arrived while unfocused */
	uint64_t bytes;   /* read from the child in total */
	struct copymode copy;
	char status[64];  /* what the border shows at the right */
};

/* Starts argv in cwd on a PTY of rows x cols with a terminal of the same
 * size keeping sb_lines of scrollback. The child gets SHOAL_PANE=<id> and
 * env (NULL-terminated "NAME=VALUE" entries, or NULL) on top of ptyproc's
 * cleaned environment. */
int pane_start(struct pane *p, int id, char *const *argv, const char *cwd,
	       const char *const *env, int rows, int cols, int sb_lines, struct err *e);
/* Reads from the child until it would block or budget bytes were read, and
 * feeds the terminal. Returns the bytes read; sets pty.eof at the end. */
size_t pane_read(struct pane *p, size_t budget);
/* Moves the terminal's replies to the PTY's write queue and writes what the
 * child takes now. */
void pane_flush(struct pane *p);
/* 1 if bytes wait for POLLOUT. */
int pane_wants_write(const struct pane *p);
/* Places the pane: window, terminal and PTY resized only when the inner size
 * really changes. A hidden pane keeps its size. */
void pane_place(struct pane *p, const struct layout_pane *g);
/* Redraws what changed into the window and wnoutrefresh()es it. */
void pane_draw(struct pane *p, int focused, const char *hint);
/* Where the cursor belongs on the screen (absolute), and whether to show
 * it. */
int pane_cursor(struct pane *p, int *y, int *x);
/* Updates the status text from the child's state; 1 if it changed. */
int pane_update_status(struct pane *p);
/* Closes the PTY (the child gets SIGHUP) and frees everything. */
void pane_free(struct pane *p);

/* Joins argv into a shell-like label ("vim 'a b.txt'"). Caller frees. */
char *pane_label(char *const *argv);

#endif
