/* dash_int — the dashboard's private functions shared by its three files:
 * src/dash.c (state, tiles, events, loop), src/dash_draw.c (drawing) and
 * src/dash_input.c (keys, mouse). Not for other modules: action.c and
 * views.c use dash.h. */
#ifndef SHOAL_DASH_INT_H
#define SHOAL_DASH_INT_H

#include "dash.h"
#include "sidebar.h"

/* ---- dash.c ---- */

/* Task i has a pane (a terminal, and a state that shows one). */
int dash_has_pane(struct dash *d, int i);
/* The tile showing task, or -1. */
int dash_tile_of(struct dash *d, int task);
/* Deletes every window (tiles, sidebar, status, view). */
void dash_drop_windows(struct dash *d);
/* Recomputes d->shown (tasks with a pane, plan order); 1 if it changed. */
int dash_compute_shown(struct dash *d);

/* ---- dash_draw.c ---- */

/* Draws s at (y, x) of w in role r, at most maxcols columns. */
void dash_put_styled(WINDOW *w, int y, int x, const char *s, enum theme_role r,
		     const struct theme *th, int maxcols);
/* The sidebar's view of every task (t: ntasks entries). */
void dash_snapshot(struct dash *d, struct sidebar_task *t);
/* Something needs drawing. */
int dash_anything_dirty(struct dash *d);
/* Draws what is dirty and calls doupdate(). */
void dash_draw(struct dash *d);

/* ---- dash_input.c ---- */

/* Runs action act (confirmed: the operator said yes to its question). */
void dash_run_action(struct dash *d, int act, int confirmed);
/* Reads and handles every key, paste and mouse event waiting. */
void dash_read_keys(struct dash *d);

#endif
