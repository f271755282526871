/* sidebar — the dashboard's left column as a pure model: the plan name and
 * overall progress, every wave with a progress bar (merged / done / running
 * / total) and its gate, every task with a status glyph, its dependencies,
 * elapsed time and warnings. Built from the plan and a snapshot of each
 * task's state; produces rows of text with style roles (theme.h) that the
 * dashboard draws. No curses, no clock: the caller passes now. */
#ifndef SHOAL_SIDEBAR_H
#define SHOAL_SIDEBAR_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "task.h"
#include "theme.h"

/* Per-task warning flags. */
enum {
	SB_WARN_OVERLAP = 1,   /* changes files another task also changes */
	SB_WARN_TERRITORY = 2, /* changes files outside its territory */
	SB_WARN_BELL = 4,      /* rang the bell while unwatched */
};

struct sidebar_task {
	enum task_state st;
	int64_t start_ms, end_ms; /* wall clock; 0 = never started / not ended */
	const char *reason;       /* last transition's reason, may be NULL */
	int nfiles;               /* changed files (0: none or not known yet) */
	unsigned warn;
};

struct sidebar_counts {
	int total, merged, done, running, skipped, failed, waiting;
};

enum sidebar_kind { SB_ROW_TITLE, SB_ROW_WAVE, SB_ROW_TASK, SB_ROW_BLANK };

struct sidebar_row {
	enum sidebar_kind kind;
	int task;              /* SB_ROW_TASK: task index; else -1 */
	int wave;              /* the wave the row belongs to (0 for the title) */
	enum theme_role role;  /* the row's main style */
	enum theme_role glyph_role;
	char text[256];        /* UTF-8, fits the width given to sidebar_build */
	int bar_col, bar_len;  /* SB_ROW_WAVE/TITLE: where the bar is (columns), 0 len = none */
	struct sidebar_counts c; /* for the bar's colours */
};

/* The glyph of a state: "●" running, "?" waiting-input, "✓" merged ... */
const char *sidebar_glyph(enum task_state s);
/* Short label for a state as shown in the sidebar ("waiting" for
 * waiting-input, else task_state_name). */
const char *sidebar_state_label(enum task_state s);
/* "7s", "4m05s", "2h03m" for a duration in ms (negative: "0s"). */
void sidebar_elapsed(int64_t ms, char *buf, size_t cap);
/* Counts the tasks of wave w (0: all waves). */
void sidebar_counts(const struct plan *p, const struct sidebar_task *t, int wave,
		    struct sidebar_counts *c);
/* A progress bar of width columns: merged "█", done "▓", running "▒", rest
 * "░" (proportional, at least one cell for any non-zero count that fits).
 * Writes UTF-8 into buf; returns the columns. */
int sidebar_bar(const struct sidebar_counts *c, int width, char *buf, size_t cap);
/* The gate of wave w: "merged" when every task is merged or skipped, "open"
 * when it may start (wave 1, or the previous wave all merged/skipped),
 * "locked" otherwise. */
const char *sidebar_gate(const struct plan *p, const struct sidebar_task *t, int wave);

/* Builds the rows for a sidebar width columns wide. Returns the number of
 * rows; *rows is allocated (caller frees). */
int sidebar_build(const struct plan *p, const struct sidebar_task *t, int width, int64_t now_ms,
		  struct sidebar_row **rows);

/* Display columns of a UTF-8 string (wcwidth; control characters count 1). */
int sidebar_cols(const char *s);
/* Appends s to buf (of cap bytes, NUL-terminated, currently *col columns
 * wide) without exceeding maxcol columns; a cut string ends in "…". */
void sidebar_append(char *buf, size_t cap, int *col, int maxcol, const char *s);

#endif
