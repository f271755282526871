/* plandiff — what changed in a plan between two runs (tasks added, removed,
 * dependencies changed), and whether the saved state of the previous run is
 * compatible with the new plan. Pure: no I/O. */
#ifndef SHOAL_PLANDIFF_H
#define SHOAL_PLANDIFF_H

#include "plan.h"
#include "state.h"
#include "util.h"

/* The differences between old (may be NULL: then only the ids known to st
 * are compared) and cur, one human-readable line each:
 *   "task added: ID", "task removed: ID (it was STATE)",
 *   "task ID: dependencies changed: a, b -> a, c"
 * Returns NULL when nothing changed (caller frees). */
char *plandiff_describe(const struct plan *old, const struct plan *cur, const struct state *st);

/* 0 when the run saved in st can go on with plan cur; -1 with e naming the
 * first problem: a task that was started (anything but pending, ready or
 * skipped) is no longer in the plan, or a task already merged now depends
 * on a task that is not merged (nor skipped). */
int plandiff_check(const struct plan *cur, const struct state *st, struct err *e);

#endif
