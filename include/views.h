/* views — the dashboard's full-area views as lines of styled text: help
 * (generated from the action table), the DAG (layered by wave, edges both
 * ways, the critical path marked) and the event log. The views that read
 * git (changes, merge previews) are in views_git.h.
 * The DAG layout is pure (views_dag_build) and unit-tested. */
#ifndef SHOAL_VIEWS_H
#define SHOAL_VIEWS_H

#include <stddef.h>

#include "dash.h"
#include "plan.h"
#include "task.h"

/* Lines of the DAG view for plan p with task states st (NULL: all pending).
 * Returns the count; caller frees with views_lines_free. */
int views_dag_build(const struct plan *p, const enum task_state *st, struct view_line **out);
void views_lines_free(struct view_line *vl, int n);

void views_help(struct dash *d);
void views_dag(struct dash *d);
void views_log(struct dash *d);
/* The task before/after `from` in sidebar order (by wave, then plan order). */
int views_sidebar_step(struct dash *d, int from, int dy);

#endif
