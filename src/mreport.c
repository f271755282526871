/* mreport — the merge report: tracking the last merge sequence and its
 * view (see include/mreport.h). */
#include "mreport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dash.h"
#include "orch.h"
#include "sidebar.h"
#include "vlines.h"

static void reset(struct mreport *m)
{
	for (int k = 0; k < m->n; k++)
		free(m->e[k].id);
	free(m->e);
	m->e = NULL;
	m->n = 0;
	m->wave = 0;
}

void mreport_free(struct mreport *m)
{
	reset(m);
	memset(m, 0, sizeof *m);
}

static struct mreport_entry *find(struct mreport *m, const char *id)
{
	for (int k = 0; k < m->n; k++)
		if (!strcmp(m->e[k].id, id))
			return &m->e[k];
	return NULL;
}

static struct mreport_entry *add(struct mreport *m, const char *id)
{
	m->e = xrealloc(m->e, (size_t)(m->n + 1) * sizeof *m->e);
	m->e[m->n] = (struct mreport_entry){ xstrdup(id), 0 };
	return &m->e[m->n++];
}

void mreport_wave(struct mreport *m, int wave, char *const *ids, int n)
{
	if (!m->active)
		reset(m);
	m->active = 1;
	m->wave = wave;
	for (int k = 0; k < n; k++)
		if (!find(m, ids[k]))
			add(m, ids[k]);
}

void mreport_event(struct mreport *m, const char *id, enum task_state from, enum task_state to)
{
	(void)from;
	if (to != TASK_MERGING)
		return;
	if (!m->active) {
		reset(m);
		m->active = 1;
	}
	struct mreport_entry *e = find(m, id);
	if (!e)
		e = add(m, id);
	e->attempted = 1;
}

/* The outcome of an attempted entry: 1 merged, 0 a problem, -1 still going. */
static int outcome(struct dash *d, const struct mreport_entry *en)
{
	int i = plan_find(d->p, en->id);
	if (i < 0)
		return 0;
	enum task_state s = dash_task_state(d, i);
	if (s == TASK_MERGING)
		return -1;
	return s == TASK_MERGED;
}

void mreport_check(struct dash *d)
{
	struct mreport *m = &d->mr;
	if (!m->active || d->o->merging >= 0 || d->o->nmq > 0)
		return;
	m->active = 0;
	m->end_ms = task_now_ms();
	int merged = 0, bad = 0, skipped = 0;
	for (int k = 0; k < m->n; k++) {
		if (!m->e[k].attempted) {
			skipped++;
			continue;
		}
		if (outcome(d, &m->e[k]) == 1)
			merged++;
		else
			bad++;
	}
	if (bad && m->wave > 0 && !d->confirm) {
		mreport_view(d);
		dash_error(d, "wave %d merge stopped: %d merged, %d with a problem%s%s", m->wave, merged,
			   bad, skipped ? ", not attempted: " : "", skipped ? "see the report" : "");
	} else if (bad) {
		dash_error(d, "merge stopped: %d merged, %d with a problem (E: merge report)", merged, bad);
	} else if (merged) {
		dash_msg(d, "merge finished: %d merged (E: merge report)", merged);
	}
}

static void entry_lines(struct dash *d, struct vlines *b, const char *id, int attempted)
{
	int i = plan_find(d->p, id);
	struct state_task *st = state_task_find(&d->o->st, id);
	char *log = xasprintf("%s/logs/merge-%s.log", runner_shoal_dir(d->r), id);
	int has_log = access(log, R_OK) == 0;
	enum task_state s = i >= 0 ? dash_task_state(d, i) : TASK_PENDING;
	const char *oc = st && st->merge_outcome ? st->merge_outcome : NULL;
	const char *detail = st && st->merge_detail ? st->merge_detail : "";
	char now[48] = ""; /* the state moved on since (skipped, retried ...) */
	if (oc && s != TASK_MERGED && s != TASK_CONFLICT && s != TASK_INVALID && s != TASK_MERGING)
		snprintf(now, sizeof now, "  (now %s)", task_state_name(s));
	if (!attempted) {
		vlines_add(b, TH_DIM, "  · %-16s not attempted (the sequence stopped before it)", id);
	} else if (s == TASK_MERGING) {
		vlines_add(b, TH_ST_RUNNING, "  ⇢ %-16s merging…", id);
	} else if (oc && !strcmp(oc, "merged")) {
		vlines_add(b, TH_ST_MERGED, "  ✓ %-16s merged     %.12s%s%s%s", id,
			   st->merge_commit ? st->merge_commit : "", *detail ? "  " : "", detail, now);
	} else if (oc && !strcmp(oc, "conflict")) {
		vlines_add(b, TH_ERROR, "  ! %-16s conflict   the base was not touched%s", id, now);
		/* the detail lists the files, comma separated */
		for (const char *p = detail; *p;) {
			size_t n = strcspn(p, ",");
			vlines_add(b, TH_ERROR, "      conflicting: %.*s", (int)n, p);
			p += n;
			while (*p == ',' || *p == ' ')
				p++;
		}
		vlines_add(b, TH_DIM, "      B merges the base into %s's worktree so its agent can resolve", id);
	} else if (oc && !strcmp(oc, "invalid")) {
		/* "exit status N, log PATH": the log has its own line */
		const char *cut = strstr(detail, ", log ");
		vlines_add(b, TH_ERROR, "  ! %-16s validation failed: %.*s%s", id,
			   cut ? (int)(cut - detail) : (int)strlen(detail), detail, now);
	} else {
		vlines_add(b, TH_ERROR, "  ! %-16s merge failed: %s%s", id,
			   *detail ? detail : st && st->reason ? st->reason : "unknown error", now);
	}
	if (attempted && has_log)
		vlines_add(b, TH_DIM, "      validation log: %s", log);
	free(log);
}

void mreport_view(struct dash *d)
{
	struct mreport *m = &d->mr;
	struct vlines b = { 0 };
	const struct plan *p = d->p;
	if (m->n) {
		char when[32] = "under way";
		if (!m->active && m->end_ms) {
			time_t t = (time_t)(m->end_ms / 1000);
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(when, sizeof when, "finished %H:%M:%S", &tm);
		}
		if (m->wave > 0)
			vlines_add(&b, TH_TITLE, "Last merge: wave %d in dependency order (%s)", m->wave, when);
		else
			vlines_add(&b, TH_TITLE, "Last merge (%s)", when);
		vlines_add(&b, TH_DIM, "  validation: %s", p->validate ? p->validate : "(none in the plan)");
		for (int k = 0; k < m->n; k++)
			entry_lines(d, &b, m->e[k].id, m->e[k].attempted);
		vlines_add(&b, TH_NORMAL, "%s", "");
	}
	int n = 0;
	for (int i = 0; i < p->ntasks; i++) {
		struct state_task *st = state_task_find(&d->o->st, p->tasks[i].id);
		if (!st || !st->merge_outcome)
			continue;
		if (!n++)
			vlines_add(&b, TH_TITLE, "%s", "Every merge outcome of this run (state.json)");
		entry_lines(d, &b, p->tasks[i].id, 1);
	}
	if (!b.n)
		vlines_add(&b, TH_DIM, "%s", "no merge yet: m merges the selected task, M the current wave");
	dash_view_open(d, VIEW_REPORT, "merge report · merged, conflicts, validation", b.v, b.n);
}
