/* diag — compiler-style diagnostics for files shoal reads (plans, config,
 * themes): "FILE:LINE:COL: error: MESSAGE", collected so that every problem
 * is reported at once. Positions are byte offsets into the text, turned into
 * 1-based line and column (in characters) when printed. */
#ifndef SHOAL_DIAG_H
#define SHOAL_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

struct diag {
	size_t off;   /* byte offset in the text, or (size_t)-1 for "no position" */
	int line, col;
	size_t seq; /* order of discovery */
	char *msg;
};

struct diags {
	const char *file;
	const char *text; /* borrowed; offsets refer to it */
	size_t len;
	struct diag *v;
	size_t n, cap;
	int max; /* stop recording after this many (0 = 100) */
	size_t *lines; /* start offset of each line, built on first use */
	size_t nlines;
};

void diags_init(struct diags *d, const char *file, const char *text, size_t len);
void diags_free(struct diags *d);
/* Adds an error at byte offset off. */
void diag_add(struct diags *d, size_t off, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* 1-based line and column (UTF-8 characters) of offset off in text. */
void diag_linecol(const char *text, size_t len, size_t off, int *line, int *col);
/* Line and column of offset off in d's text, via a line index (fast for
 * many lookups in a large file). */
void diags_linecol(struct diags *d, size_t off, int *line, int *col);
/* Sorts by position (stable for equal positions). */
void diags_sort(struct diags *d);
/* Sorts by position and prints "FILE:LINE:COL: error: MSG" lines. */
void diags_print(struct diags *d, FILE *f);
/* All diagnostics, sorted, one per line as printed, or NULL when there are
 * none (caller frees). */
char *diags_join(struct diags *d);
/* One diagnostic formatted as printed (caller frees). */
char *diag_format(const struct diags *d, size_t i);

#endif
