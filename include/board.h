/* board — the status board of a run as Markdown, fit for a pull request
 * description (`shoal status --markdown`): a heading with the counts, then
 * one table row per task: wave, task, state, branch, changed files, the
 * first line of its completion report. Pure formatting: no I/O. */
#ifndef SHOAL_BOARD_H
#define SHOAL_BOARD_H

#include <stddef.h>

#include "task.h"
#include "util.h"

struct board_row {
	int wave;           /* 0 = unknown (task no longer in the plan) */
	const char *id;
	enum task_state st;
	const char *branch; /* or NULL */
	int files;          /* changed files against the base, -1 = unknown */
	const char *report; /* the whole report text, or NULL */
	const char *merge_commit; /* or NULL */
};

/* The report's summary: its first non-blank line without Markdown heading
 * marks ("# ", "## " ...) or list bullets, at most cap-1 bytes (cut on a
 * UTF-8 boundary, "…" added when cut). "" when none. */
void board_report_summary(const char *report, char *buf, size_t cap);

/* Appends the board: "## shoal: NAME" + counts, then the table. Cells are
 * escaped (| and newlines). base may be NULL. */
void board_markdown(struct sbuf *b, const char *name, const char *base, const struct board_row *rows,
		    int n);

#endif
