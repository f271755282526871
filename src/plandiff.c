/* plandiff — plan changes between runs (or on a live reload) and the
 * compatibility of a saved or live state with a changed plan (see
 * include/plandiff.h). */
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

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int strv_eq(const strv a, const strv b)
{
	size_t na = a ? strv_len(a) : 0, nb = b ? strv_len(b) : 0;
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

/* "a, b" (or none) for a list, shortened past 60 bytes. */
static void strv_text(const strv v, const char *none, const char *sep, struct sbuf *b)
{
	if (!v || !v[0]) {
		sbuf_adds(b, none);
		return;
	}
	size_t start = b->len;
	for (size_t i = 0; v[i]; i++) {
		if (b->len - start > 60) {
			sbuf_adds(b, " ...");
			return;
		}
		sbuf_printf(b, "%s%s", i ? sep : "", v[i]);
	}
}

/* A value for a line: short text quoted and cut at 40 characters. */
static void val_text(const char *v, struct sbuf *b)
{
	if (!v) {
		sbuf_adds(b, "(none)");
		return;
	}
	size_t n = strcspn(v, "\n");
	int cut = n > 40 || v[n];
	if (n > 40)
		n = 40;
	sbuf_printf(b, "\"%.*s%s\"", (int)n, v, cut ? "..." : "");
}

static void str_line(struct sbuf *b, const char *what, const char *a, const char *c)
{
	if (str_eq(a, c))
		return;
	sbuf_printf(b, "%s: ", what);
	val_text(a, b);
	sbuf_adds(b, " -> ");
	val_text(c, b);
	sbuf_addc(b, '\n');
}

static void int_line(struct sbuf *b, const char *what, long a, long c)
{
	if (a != c)
		sbuf_printf(b, "%s: %ld -> %ld\n", what, a, c);
}

static void strv_line(struct sbuf *b, const char *what, const strv a, const strv c,
		      const char *none, const char *sep)
{
	if (strv_eq(a, c))
		return;
	sbuf_printf(b, "%s: ", what);
	strv_text(a, none, sep, b);
	sbuf_adds(b, " -> ");
	strv_text(c, none, sep, b);
	sbuf_addc(b, '\n');
}

static const char *mode_name(enum plan_mode m)
{
	return m == PLAN_MODE_DAG ? "dag" : "waves";
}

/* The plan-wide settings that differ. */
static void settings_diff(const struct plan *a, const struct plan *c, struct sbuf *b)
{
	str_line(b, "name", a->name, c->name);
	str_line(b, "base", a->base, c->base);
	str_line(b, "branch_prefix", a->branch_prefix, c->branch_prefix);
	int_line(b, "max_workers", a->max_workers, c->max_workers);
	if (a->mode != c->mode)
		sbuf_printf(b, "mode: %s -> %s\n", mode_name(a->mode), mode_name(c->mode));
	str_line(b, "agent", a->agent, c->agent);
	str_line(b, "validate", a->validate, c->validate);
	if (!str_eq(a->prompt_template, c->prompt_template))
		sbuf_adds(b, "prompt_template changed (tasks started from now on use it)\n");
	str_line(b, "setup", a->setup, c->setup);
	strv_line(b, "copy", a->copy, c->copy, "(none)", ", ");
	strv_line(b, "symlink", a->symlink, c->symlink, "(none)", ", ");
	int_line(b, "idle_after", a->idle_after, c->idle_after);
	if (a->auto_merge != c->auto_merge)
		sbuf_printf(b, "auto_merge: %s -> %s\n", a->auto_merge ? "true" : "false",
			    c->auto_merge ? "true" : "false");
	if (a->auto_advance != c->auto_advance)
		sbuf_printf(b, "auto_advance: %s -> %s\n", a->auto_advance ? "true" : "false",
			    c->auto_advance ? "true" : "false");
}

/* What differs in one task present in both plans, besides dependencies. */
static void task_diff(const struct plan *a, const struct plan_task *ta, const struct plan *c,
		      const struct plan_task *tc, struct sbuf *b)
{
	char what[PLAN_ID_MAX + 32];
	const char *id = tc->id;
	snprintf(what, sizeof what, "task %s: title", id);
	str_line(b, what, ta->title, tc->title);
	if (!str_eq(ta->prompt, tc->prompt))
		sbuf_printf(b, "task %s: prompt changed\n", id);
	snprintf(what, sizeof what, "task %s: agent", id);
	str_line(b, what, ta->agent ? ta->agent : a->agent, tc->agent ? tc->agent : c->agent);
	snprintf(what, sizeof what, "task %s: command", id);
	strv_line(b, what, ta->command, tc->command, "(none)", " ");
	snprintf(what, sizeof what, "task %s: territory", id);
	strv_line(b, what, ta->territory, tc->territory, "(anywhere)", ", ");
	if (!strv_eq(ta->env, tc->env))
		sbuf_printf(b, "task %s: env changed\n", id);
	snprintf(what, sizeof what, "task %s: report", id);
	str_line(b, what, ta->report, tc->report);
	if (ta->wave != tc->wave)
		sbuf_printf(b, "task %s: wave %d -> %d\n", id, ta->wave, tc->wave);
}

char *plandiff_describe(const struct plan *old, const struct plan *cur, const struct state *st)
{
	struct sbuf b = { 0 };
	for (int i = 0; i < cur->ntasks; i++) {
		const char *id = cur->tasks[i].id;
		int known = old ? plan_find(old, id) >= 0 : st && state_task_find((struct state *)st, id) != NULL;
		if (!known)
			sbuf_printf(&b, "task added: %s (wave %d)\n", id, cur->tasks[i].wave);
	}
	if (old) {
		settings_diff(old, cur, &b);
		for (int i = 0; i < old->ntasks; i++) {
			const char *id = old->tasks[i].id;
			if (plan_find(cur, id) >= 0)
				continue;
			struct state_task *s = st ? state_task_find((struct state *)st, id) : NULL;
			sbuf_printf(&b, "task removed: %s (it was %s)\n", id, s ? task_state_name(s->st) : "pending");
		}
		for (int i = 0; i < cur->ntasks; i++) {
			int j = plan_find(old, cur->tasks[i].id);
			if (j < 0)
				continue;
			task_diff(old, &old->tasks[j], cur, &cur->tasks[i], &b);
			if (same_deps(old, &old->tasks[j], cur, &cur->tasks[i]))
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

int plandiff_check_live(const struct plan *old, const struct plan *cur, const struct state *st,
			struct err *e)
{
	int any = 0;
	for (int i = 0; i < old->ntasks; i++) {
		const struct plan_task *t = &old->tasks[i];
		struct state_task *s = state_task_find((struct state *)st, t->id);
		if (!s || !started(s->st))
			continue;
		any = 1;
		int j = plan_find(cur, t->id);
		if (j < 0)
			return err_set(e, "task %s is %s: a started task can not be removed from a live run "
					  "(put it back, or skip it with S)", t->id, task_state_name(s->st));
		if (!same_deps(old, t, cur, &cur->tasks[j])) {
			struct sbuf a = { 0 }, c = { 0 };
			deps_text(old, t, &a);
			deps_text(cur, &cur->tasks[j], &c);
			err_set(e, "task %s is %s: its dependencies can not change in a live run (%s -> %s)",
				t->id, task_state_name(s->st), a.s, c.s);
			sbuf_free(&a);
			sbuf_free(&c);
			return -1;
		}
	}
	if (any && !str_eq(old->base, cur->base))
		return err_set(e, "the base branch can not change while tasks have branches from it "
				  "(%s -> %s)", old->base ? old->base : "(checked out)",
			       cur->base ? cur->base : "(checked out)");
	if (any && !str_eq(old->branch_prefix, cur->branch_prefix))
		return err_set(e, "branch_prefix can not change while tasks have branches (%s -> %s)",
			       old->branch_prefix ? old->branch_prefix : "(default)",
			       cur->branch_prefix ? cur->branch_prefix : "(default)");
	return plandiff_check(cur, st, e);
}
