/* vlines — a growing list of styled lines (struct view_line, dash.h), the
 * text of a dashboard view being built: vlines_add appends one formatted
 * line; the finished array goes to dash_view_open (or views_lines_free). */
#ifndef SHOAL_VLINES_H
#define SHOAL_VLINES_H

#include <stddef.h>

#include "theme.h"
#include "util.h"

struct view_line;

struct vlines {
	struct view_line *v;
	int n;
	size_t cap;
};

void vlines_add(struct vlines *b, enum theme_role role, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Appends every line of text (split at '\n', a final newline adds nothing),
 * each after prefix. */
void vlines_add_text(struct vlines *b, enum theme_role role, const char *prefix, const char *text);
void vlines_free(struct vlines *b);

#endif
