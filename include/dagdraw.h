/* dagdraw — the task graph drawn on a character canvas: one column per
 * wave (left to right), one labelled row per task ("<glyph> <id>"), edges
 * drawn with box-drawing characters through the gaps between the columns
 * and ending in an arrow head at the dependent task. Pure: no curses, no
 * plan; every cell carries a role so the UI colours it from its theme.
 *
 * Layout: edges that skip waves pass through the skipped columns on a row
 * of their own (a "dummy" slot), so they never cross a label; tasks are
 * ordered within a wave by barycentre sweeps (tasks joined to nothing go
 * last); in each gap an edge has a vertical track of its own wherever its
 * rows overlap another's, the tracks ordered to reduce crossings.
 * Consecutive waves use rows of opposite parity, so a row in a gap carries
 * either one task's outgoing line or one task's incoming line, never both:
 * ┬ ┴ ┐ ┘ ┌ └ are always fan-outs and fan-ins, and ┼ is always a crossing. */
#ifndef SHOAL_DAGDRAW_H
#define SHOAL_DAGDRAW_H

#include <stdint.h>

#include "dag.h"
#include "util.h"

enum dagdraw_role {
	DAGDRAW_BLANK,
	DAGDRAW_HEADER,    /* "wave N" above each column */
	DAGDRAW_GLYPH,     /* a task's status glyph (cell.task says which) */
	DAGDRAW_NODE,      /* a task's id */
	DAGDRAW_NODE_CRIT, /* the id of a task on the critical path */
	DAGDRAW_EDGE,
	DAGDRAW_EDGE_CRIT, /* an edge between consecutive critical-path tasks */
};

struct dagdraw_cell {
	uint32_t cp;        /* code point; ' ' for blanks */
	unsigned char role; /* enum dagdraw_role */
	int task;           /* for GLYPH and NODE cells, else -1 */
};

struct dagdraw {
	int w, h;
	struct dagdraw_cell *cells; /* h rows of w cells */
	int *node_x, *node_y;       /* per task: where its glyph is */
	int crossings;              /* edge crossings drawn (┼) */
};

/* Draws graph g (dag_layer done, no cycle). ids[i] is task i's label
 * (printable ASCII or UTF-8 of one column per code point), glyphs[i] its
 * status glyph (the first code point is used; NULL: '·'). path/npath: the
 * critical path (may be NULL/0). Returns 0, or -1 with e set (a cycle or a
 * task without a wave). Free with dagdraw_free. */
int dagdraw_build(struct dagdraw *dd, const struct dag *g, const char *const *ids,
		  const char *const *glyphs, const int *path, int npath, struct err *e);
void dagdraw_free(struct dagdraw *dd);

static inline const struct dagdraw_cell *dagdraw_at(const struct dagdraw *dd, int y, int x)
{
	return &dd->cells[(size_t)y * (size_t)dd->w + (size_t)x];
}

/* Row y as UTF-8 without trailing blanks. Caller frees. */
char *dagdraw_row_text(const struct dagdraw *dd, int y);

/* Row y split into runs of one role: run k covers lens[k] bytes of the
 * row's text (dagdraw_row_text) and has role roles[k], task tasks[k] (-1
 * unless a GLYPH or NODE run, which hold one task each). Returns the run
 * count; the arrays are allocated (caller frees each). */
int dagdraw_row_runs(const struct dagdraw *dd, int y, int **lens, unsigned char **roles, int **tasks);

#endif
