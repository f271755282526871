/* plandiff — what changed in a plan between two runs or on a live reload
 * (tasks added, removed, dependencies changed, settings and task fields),
 * and whether the saved state of the previous run, or a live run, can take
 * the new plan. Pure: no I/O. */
#ifndef SHOAL_PLANDIFF_H
#define SHOAL_PLANDIFF_H

#include "plan.h"
#include "state.h"
#include "util.h"

/* The differences between old (may be NULL: then only the ids known to st
 * are compared) and cur, one human-readable line each:
 *   "task added: ID (wave N)", "task removed: ID (it was STATE)",
 *   "task ID: dependencies changed: a, b -> a, c",
 * and, when old is given, plan settings ("max_workers: 4 -> 2",
 * "validate: \"make\" -> \"make test\"", "prompt_template changed ...") and
 * task fields ("task ID: prompt changed", "task ID: agent: \"a\" -> \"b\"",
 * "task ID: territory: src/ -> src/, doc/", "task ID: wave 2 -> 3", title,
 * command, env, report).
 * Returns NULL when nothing changed (caller frees). */
char *plandiff_describe(const struct plan *old, const struct plan *cur, const struct state *st);

/* 0 when the run saved in st can go on with plan cur; -1 with e naming the
 * first problem: a task that was started (anything but pending, ready or
 * skipped) is no longer in the plan, or a task already merged now depends
 * on a task that is not merged (nor skipped). */
int plandiff_check(const struct plan *cur, const struct state *st, struct err *e);

/* plandiff_check, plus what a live run (the dashboard's reload) cannot
 * take: a started task (anything but pending, ready or skipped in st) whose
 * dependencies changed, and a changed base or branch_prefix once any task
 * has started. 0, or -1 with e saying why. */
int plandiff_check_live(const struct plan *old, const struct plan *cur, const struct state *st,
			struct err *e);

#endif
