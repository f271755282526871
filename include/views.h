/* views — the dashboard's full-area views as lines of styled text: help
 * (generated from the action table), the DAG (layered by wave, edges both
 * ways, the critical path marked), changes (files, +/-, overlaps, territory
 * and the coloured diff of a task), the merge previews and the event log.
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
void views_changes(struct dash *d, int task);
void views_log(struct dash *d);
/* Previews merging task i into the base: fills *vl (count returned) and a
 * one-line question in summary; -1 with the reason in summary when the
 * merge cannot go ahead (nothing to merge, conflicts, ...). */
int views_merge_preview(struct dash *d, int i, struct view_line **vl, char *summary, size_t cap);
int views_merge_wave_preview(struct dash *d, struct view_line **vl, char *summary, size_t cap);
/* The task before/after `from` in sidebar order (by wave, then plan order). */
int views_sidebar_step(struct dash *d, int from, int dy);

#endif
