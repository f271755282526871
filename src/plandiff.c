/* plandiff — plan changes between runs and the compatibility of a saved
 * state with a changed plan (see include/plandiff.h). */
#include "plandiff.h"

#include <stdlib.h>
#include <string.h>

static int started(enum task_state s)
{
	return s != TASK_PENDING && s != TASK_READY && s != TASK_SKIPPED;
}

static void deps_text(const struct plan *p, const struct plan_task *t, struct sbuf *b)
{
	if (!t->ndeps) {
		sbuf_adds(b, "(none)");
		return;
	}
	for (int k = 0; k < t->ndeps; k++)
		sbuf_printf(b, "%s%s", k ? ", " : "", p->tasks[t->deps[k]].id);
}

/* Same dependency ids, in any order. */
static int same_deps(const struct plan *a, const struct plan_task *ta, const struct plan *b,
		     const struct plan_task *tb)
{
	if (ta->ndeps != tb->ndeps)
		return 0;
	for (int i = 0; i < ta->ndeps; i++) {
		const char *id = a->tasks[ta->deps[i]].id;
		int found = 0;
		for (int k = 0; k < tb->ndeps && !found; k++)
			found = !strcmp(b->tasks[tb->deps[k]].id, id);
		if (!found)
			return 0;
	}
	return 1;
}

char *plandiff_describe(const struct plan *old, const struct plan *cur, const struct state *st)
{
	struct sbuf b = { 0 };
	for (int i = 0; i < cur->ntasks; i++) {
		const char *id = cur->tasks[i].id;
		int known = old ? plan_find(old, id) >= 0 : st && state_task_find((struct state *)st, id) != NULL;
		if (!known)
			sbuf_printf(&b, "task added: %s\n", id);
	}
	if (old) {
		for (int i = 0; i < old->ntasks; i++) {
			const char *id = old->tasks[i].id;
			if (plan_find(cur, id) >= 0)
				continue;
			struct state_task *s = st ? state_task_find((struct state *)st, id) : NULL;
			sbuf_printf(&b, "task removed: %s (it was %s)\n", id, s ? task_state_name(s->st) : "pending");
		}
		for (int i = 0; i < cur->ntasks; i++) {
			int j = plan_find(old, cur->tasks[i].id);
			if (j < 0 || same_deps(old, &old->tasks[j], cur, &cur->tasks[i]))
				continue;
			sbuf_printf(&b, "task %s: dependencies changed: ", cur->tasks[i].id);
			deps_text(old, &old->tasks[j], &b);
			sbuf_adds(&b, " -> ");
			deps_text(cur, &cur->tasks[i], &b);
			sbuf_addc(&b, '\n');
		}
	} else if (st) {
		for (int i = 0; i < st->ntasks; i++)
			if (plan_find(cur, st->tasks[i].id) < 0)
				sbuf_printf(&b, "task removed: %s (it was %s)\n", st->tasks[i].id,
					    task_state_name(st->tasks[i].st));
	}
	if (!b.len)
		return NULL;
	return sbuf_steal(&b);
}

int plandiff_check(const struct plan *cur, const struct state *st, struct err *e)
{
	for (int i = 0; i < st->ntasks; i++) {
		const struct state_task *s = &st->tasks[i];
		if (started(s->st) && plan_find(cur, s->id) < 0)
			return err_set(e, "task %s is %s in the saved run but no longer in the plan; put it back, "
					  "or start a new run (shoal worktree clean, then remove .shoal/state.json)",
				       s->id, task_state_name(s->st));
	}
	for (int i = 0; i < cur->ntasks; i++) {
		const struct plan_task *t = &cur->tasks[i];
		struct state_task *s = state_task_find((struct state *)st, t->id);
		if (!s || s->st != TASK_MERGED)
			continue;
		for (int k = 0; k < t->ndeps; k++) {
			const char *d = cur->tasks[t->deps[k]].id;
			struct state_task *ds = state_task_find((struct state *)st, d);
			if (!ds || (ds->st != TASK_MERGED && ds->st != TASK_SKIPPED))
				return err_set(e, "task %s is already merged but now depends on %s, which is %s; "
						  "the merge order of the saved run cannot be kept",
					       t->id, d, ds ? task_state_name(ds->st) : "new");
		}
	}
	return 0;
}
