/* orch — the task lifecycle engine (see orch.h): ready set, wave gating,
 * the max_workers queue, transitions as persisted events, marks, operator
 * actions and the merge sequence, with git and PTY work behind orch_ops.
 * An agent's command line, environment and prompt file are orch_argv.c's;
 * the control socket's requests are orch_ctl.c's. */
#include "orch.h"
#include "orch_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "ctl.h"

extern char **environ;

/* ---- transitions ---- */

static void note_err(struct orch *o, const char *msg)
{
	snprintf(o->last_err.msg, sizeof o->last_err.msg, "%s", msg);
	o->nerrors++;
}

static void persist(struct orch *o)
{
	struct err e;
	o->dirty = 0;
	if (state_save(&o->st, o->state_path, &e) < 0)
		note_err(o, e.msg);
}

void orch_flush(struct orch *o)
{
	if (o->dirty)
		persist(o);
}

static int status_state(enum task_state s)
{
	return s == TASK_RUNNING || s == TASK_IDLE || s == TASK_WAITING;
}

static struct state_task *st_of(struct orch *o, int i)
{
	return state_task_get(&o->st, o->plan->tasks[i].id);
}

/* Moves task i to state `to` if the table allows it: updates the persisted
 * record, logs the event, tells the UI. -1 (and nothing changes) if not. */
static int set_state(struct orch *o, int i, enum task_state to, const char *reason)
{
	struct orch_task *t = &o->t[i];
	enum task_state from = t->st;
	if (!task_transition_ok(from, to)) {
		struct err e;
		task_transition_check(o->plan->tasks[i].id, from, to, &e);
		note_err(o, e.msg);
		return -1;
	}
	int64_t now = task_now_ms();
	t->st = to;
	struct state_task *s = st_of(o, i);
	s->st = to;
	state_set_str(&s->reason, reason);
	state_set_str(&s->branch, t->branch);
	state_set_str(&s->worktree, t->worktree);
	s->pid = t->pid;
	if (to == TASK_STARTING) {
		s->start_ms = now;
		s->end_ms = 0;
		s->exit_code = -1;
		s->term_signal = 0;
	}
	if (task_state_live(from) && !task_state_live(to))
		s->end_ms = now;
	struct task_event ev = { .task = o->plan->tasks[i].id, .from = from, .to = to,
				 .time_ms = now, .reason = reason };
	struct err e;
	if (state_event_append(o->events_path, &ev, &e) < 0)
		note_err(o, e.msg);
	/* running / idle / waiting-input flip often and a crash turns them all
	 * into "interrupted" anyway: those wait for orch_flush (the loop's
	 * timer), everything else is on disk before we go on. */
	if (status_state(from) && status_state(to))
		o->dirty = 1;
	else
		persist(o);
	if (o->ops.event)
		o->ops.event(o->ops.ud, &ev);
	return 0;
}

static int set_statef(struct orch *o, int i, enum task_state to, const char *fmt, ...) PRINTF_LIKE(4, 5);
static int set_statef(struct orch *o, int i, enum task_state to, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	int rc = set_state(o, i, to, b.s ? b.s : "");
	sbuf_free(&b);
	return rc;
}

/* ---- setup ---- */

int orch_find(const struct orch *o, const char *id)
{
	return plan_find(o->plan, id);
}

int orch_init(struct orch *o, struct plan *p, const struct orch_ops *ops,
	      const struct orch_paths *paths, struct err *e)
{
	memset(o, 0, sizeof *o);
	o->plan = p;
	o->ops = *ops;
	o->merging = -1;
	o->shoal_dir = xstrdup(paths->shoal_dir);
	o->repo = xstrdup(paths->repo ? paths->repo : "");
	o->plan_path = xstrdup(paths->plan_path);
	o->state_path = xasprintf("%s/state.json", paths->shoal_dir);
	o->events_path = xasprintf("%s/logs/events.jsonl", paths->shoal_dir);
	plan_dag(p, &o->g);
	o->t = xcalloc((size_t)p->ntasks + 1, sizeof *o->t);
	o->mq = xcalloc((size_t)p->ntasks + 1, sizeof *o->mq);

	if (state_mkdirs(paths->shoal_dir, e) < 0)
		goto fail;
	char *prompts = xasprintf("%s/prompts", paths->shoal_dir);
	if (mkdir(prompts, 0755) < 0 && errno != EEXIST) {
		err_set(e, "%s: cannot create directory: %s", prompts, strerror(errno));
		free(prompts);
		goto fail;
	}
	free(prompts);
	int rc = state_load(&o->st, o->state_path, e);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		if (state_check_plan(&o->st, o->state_path, paths->plan_path, paths->plan_hash, e) < 0) {
			state_free(&o->st);
			goto fail;
		}
		if (rc == 1 && o->st.plan_hash && strcmp(o->st.plan_hash, paths->plan_hash))
			o->plan_changed = 1; /* tasks are matched by id */
		state_set_str(&o->st.plan_hash, paths->plan_hash);
	} else {
		state_free(&o->st);
		state_init(&o->st, paths->plan_path, paths->plan_hash);
	}
	for (int i = 0; i < p->ntasks; i++) {
		struct orch_task *t = &o->t[i];
		struct state_task *s = st_of(o, i);
		t->branch = plan_task_branch(p, &p->tasks[i]);
		const struct plan_profile *pr = plan_task_profile(p, &p->tasks[i]);
		if (status_rules_init(&t->rules, pr ? pr->name : NULL,
				      pr ? (const char *const *)pr->waiting : NULL,
				      pr ? pr->working_title : NULL,
				      pr && pr->idle_after > 0 ? pr->idle_after : p->idle_after, e) < 0)
			goto fail;
		t->st = s->st;
		t->worktree = s->worktree ? xstrdup(s->worktree) : NULL;
		if (p->tasks[i].done && t->st == TASK_PENDING) {
			/* Imported as closed/completed: its work is in the base. */
			t->st = s->st = TASK_MERGED;
			state_set_str(&s->reason, "imported as done");
		}
		if (t->st == TASK_READY) /* the queue is rebuilt by scheduling */
			t->st = s->st = TASK_PENDING;
		if (t->st != TASK_PENDING && p->mode == PLAN_MODE_WAVES && p->tasks[i].wave > o->wave_open &&
		    t->st != TASK_MERGED && t->st != TASK_SKIPPED)
			o->wave_open = p->tasks[i].wave; /* keep the waves that were open */
		if (t->st != TASK_PENDING && t->st != TASK_MERGED && t->st != TASK_SKIPPED)
			o->started = 1;
	}
	/* Processes did not survive the previous shoal. */
	for (int i = 0; i < p->ntasks; i++) {
		enum task_state s = o->t[i].st;
		if (task_state_live(s))
			set_statef(o, i, TASK_INTERRUPTED, "was %s when shoal stopped", task_state_name(s));
		else if (s == TASK_MERGING)
			set_state(o, i, TASK_DONE, "merge interrupted; the base branch was not moved");
	}
	for (int i = 0; i < p->ntasks; i++)
		st_of(o, i)->pid = 0;
	if (state_save(&o->st, o->state_path, e) < 0)
		goto fail;
	return 0;
fail:
	orch_free(o);
	return -1;
}

void orch_free(struct orch *o)
{
	if (o->dirty && o->state_path)
		orch_flush(o);
	if (o->t)
		for (int i = 0; i < o->plan->ntasks; i++) {
			free(o->t[i].branch);
			free(o->t[i].worktree);
			if (o->t[i].rules.idle_after_ms)
				status_rules_free(&o->t[i].rules);
		}
	free(o->t);
	free(o->mq);
	if (o->g.n || o->g.dep_start)
		dag_free(&o->g);
	state_free(&o->st);
	free(o->shoal_dir);
	free(o->repo);
	free(o->plan_path);
	free(o->state_path);
	free(o->events_path);
	memset(o, 0, sizeof *o);
}

/* ---- a new plan for the live run ---- */

static int task_rules(struct orch_task *t, const struct plan *p, int i, struct err *e)
{
	const struct plan_profile *pr = plan_task_profile(p, &p->tasks[i]);
	return status_rules_init(&t->rules, pr ? pr->name : NULL,
				 pr ? (const char *const *)pr->waiting : NULL, pr ? pr->working_title : NULL,
				 pr && pr->idle_after > 0 ? pr->idle_after : p->idle_after, e);
}

int orch_replan(struct orch *o, struct plan *np, const int *from, const char *plan_hash,
		struct err *e)
{
	struct plan *op = o->plan;
	int n = np->ntasks;
	struct orch_task *nt = xcalloc((size_t)n + 1, sizeof *nt);
	int *to = xcalloc((size_t)op->ntasks + 1, sizeof *to); /* old index -> new, or -1 */
	for (int i = 0; i < op->ntasks; i++)
		to[i] = -1;
	for (int j = 0; j < n; j++)
		if (from[j] >= 0)
			to[from[j]] = j;
	/* Status rules first: the only step that can fail (a bad regex in a
	 * new profile); nothing has changed yet when it does. */
	for (int j = 0; j < n; j++) {
		int i = from[j];
		if (i >= 0 && task_state_live(o->t[i].st))
			continue; /* a live agent keeps its rules */
		if (task_rules(&nt[j], np, j, e) < 0) {
			for (int k = 0; k < j; k++)
				if (nt[k].rules.idle_after_ms)
					status_rules_free(&nt[k].rules);
			free(nt);
			free(to);
			return -1;
		}
	}
	for (int j = 0; j < n; j++) {
		int i = from[j];
		struct orch_task *t = &nt[j];
		if (i >= 0) {
			struct status_rules rules = t->rules;
			int fresh_rules = !task_state_live(o->t[i].st);
			if (fresh_rules && o->t[i].rules.idle_after_ms)
				status_rules_free(&o->t[i].rules);
			*t = o->t[i];
			if (fresh_rules)
				t->rules = rules;
			if (t->st == TASK_PENDING || t->st == TASK_READY) { /* no branch yet */
				free(t->branch);
				t->branch = plan_task_branch(np, &np->tasks[j]);
				if (t->st == TASK_READY) /* the queue is rebuilt by scheduling */
					t->st = state_task_get(&o->st, np->tasks[j].id)->st = TASK_PENDING;
			}
		} else {
			struct state_task *s = state_task_get(&o->st, np->tasks[j].id);
			t->branch = plan_task_branch(np, &np->tasks[j]);
			t->st = s->st == TASK_READY ? TASK_PENDING : s->st;
			s->st = t->st;
			t->worktree = s->worktree ? xstrdup(s->worktree) : NULL;
		}
	}
	for (int i = 0; i < op->ntasks; i++) {
		if (to[i] >= 0)
			continue;
		state_task_remove(&o->st, op->tasks[i].id);
		free(o->t[i].branch);
		free(o->t[i].worktree);
		if (o->t[i].rules.idle_after_ms)
			status_rules_free(&o->t[i].rules);
	}
	free(o->t);
	o->t = nt;
	int nq = 0;
	int *mq = xcalloc((size_t)n + 1, sizeof *mq);
	for (int k = 0; k < o->nmq; k++)
		if (to[o->mq[k]] >= 0)
			mq[nq++] = to[o->mq[k]];
	free(o->mq);
	o->mq = mq;
	o->nmq = nq;
	o->merging = o->merging >= 0 ? to[o->merging] : -1;
	free(to);
	dag_free(&o->g);
	o->plan = np;
	plan_dag(np, &o->g);
	if (plan_hash)
		state_set_str(&o->st.plan_hash, plan_hash);
	o->plan_changed = 0;
	persist(o);
	return 0;
}

/* ---- queries ---- */

int orch_live(const struct orch *o)
{
	int n = 0;
	for (int i = 0; i < o->plan->ntasks; i++)
		n += task_state_live(o->t[i].st);
	return n;
}

static enum dag_state dag_state_of(enum task_state s)
{
	switch (s) {
	case TASK_PENDING: case TASK_READY: return DAG_PENDING;
	case TASK_MERGED: return DAG_MERGED;
	case TASK_SKIPPED: return DAG_SKIPPED;
	default: return DAG_ACTIVE;
	}
}

static enum dag_state *dag_states(const struct orch *o)
{
	enum dag_state *ds = xcalloc((size_t)o->plan->ntasks + 1, sizeof *ds);
	for (int i = 0; i < o->plan->ntasks; i++)
		ds[i] = dag_state_of(o->t[i].st);
	return ds;
}

int orch_current_wave(const struct orch *o)
{
	enum dag_state *ds = dag_states(o);
	int w = dag_current_wave(&o->g, ds);
	free(ds);
	return w;
}

/* The first dependency of i that is neither merged nor skipped, or -1. */
static int unmet_dep(const struct orch *o, int i)
{
	const struct plan_task *t = &o->plan->tasks[i];
	for (int k = 0; k < t->ndeps; k++) {
		enum task_state s = o->t[t->deps[k]].st;
		if (s != TASK_MERGED && s != TASK_SKIPPED)
			return t->deps[k];
	}
	return -1;
}

/* ---- starting ---- */

/* Starts task i's agent in its worktree: its prompt, or text instead
 * (written to .shoal/prompts/resolve/<id>.md) when given. */
static void spawn_task(struct orch *o, int i, int resume, const char *text)
{
	struct orch_task *t = &o->t[i];
	const struct plan_task *pt = &o->plan->tasks[i];
	struct err e;
	const char *path_env = o->path_env ? o->path_env : getenv("PATH");
	if (agent_check_task(o->plan, pt, t->worktree, path_env, &e) < 0) {
		set_state(o, i, TASK_FAILED, e.msg);
		return;
	}
	char *pf = text ? xasprintf("%s/prompts/resolve/%s.md", o->shoal_dir, pt->id)
			: xasprintf("%s/prompts/%s.md", o->shoal_dir, pt->id);
	if (text) {
		char *dir = xasprintf("%s/prompts/resolve", o->shoal_dir);
		mkdir(dir, 0755);
		free(dir);
	}
	if (orch_prompt_write(o, i, pf, text, &e) < 0) {
		set_state(o, i, TASK_FAILED, e.msg);
		free(pf);
		return;
	}
	strv argv = orch_argv_build(o, i, pf, resume, text, &e);
	if (!argv) {
		set_state(o, i, TASK_FAILED, e.msg);
		free(pf);
		return;
	}
	char *prog = xstrdup(argv[0]);
	if (t->needs_setup) {
		strv w = orch_setup_argv(o->plan, o->repo, argv);
		strv_free(argv);
		argv = w;
		t->needs_setup = 0;
	}
	strv env = orch_task_env(o, i, pf, 0);
	int pid = 0;
	t->mark = STATUS_MARK_NONE;
	if (o->ops.spawn(o->ops.ud, i, argv, env, t->worktree, &pid, &e) < 0) {
		char *why = xasprintf("cannot start %s: %s", prog, e.msg);
		set_state(o, i, TASK_FAILED, why);
		free(why);
	} else {
		t->pid = pid;
		status_activity_start(&t->act, (int64_t)util_now_ms());
		t->last_input_ms = 0;
		struct state_task *s = st_of(o, i);
		s->exit_code = -1;
		s->term_signal = 0;
		set_statef(o, i, TASK_RUNNING, "%s %s (pid %d)%s", resume ? "resumed with" : "started", prog, pid,
			   text ? " to resolve the conflicts" : "");
	}
	strv_free(argv);
	strv_free(env);
	free(prog);
	free(pf);
}

static void begin(struct orch *o, int i)
{
	struct orch_task *t = &o->t[i];
	if (set_state(o, i, TASK_STARTING, t->fresh ? "new worktree from the base tip" : "creating the worktree") < 0)
		return;
	struct err e;
	int fresh = t->fresh;
	t->fresh = 0;
	if (o->ops.start_worktree(o->ops.ud, i, t->branch, fresh, &e) < 0) {
		char *why = xasprintf("worktree: %s", e.msg);
		set_state(o, i, TASK_FAILED, why);
		free(why);
	}
}

void orch_schedule(struct orch *o)
{
	const struct plan *p = o->plan;
	int n = p->ntasks;
	enum dag_state *ds = dag_states(o);
	unsigned char *rw = xcalloc((size_t)n + 1, 1);
	enum dag_mode mode = p->mode == PLAN_MODE_DAG ? DAG_MODE_DAG : DAG_MODE_WAVES;
	dag_ready(&o->g, ds, mode, rw);
	int cur = dag_current_wave(&o->g, ds);
	for (int i = 0; i < n; i++) {
		if (o->t[i].st != TASK_PENDING)
			continue;
		int gate = mode == DAG_MODE_WAVES ? cur <= o->wave_open : o->started;
		if (rw[i] && gate)
			set_statef(o, i, TASK_READY, mode == DAG_MODE_WAVES ? "wave %d open" : "dependencies merged",
				   p->tasks[i].wave);
		else if (o->t[i].manual && unmet_dep(o, i) < 0)
			set_state(o, i, TASK_READY, "started by the operator");
	}
	free(rw);
	free(ds);
	/* The queue: ready tasks in plan order, while a worker is free. */
	for (int i = 0; i < n && orch_live(o) < p->max_workers; i++)
		if (o->t[i].st == TASK_READY)
			begin(o, i);
}

int orch_next_wave(struct orch *o, struct err *e)
{
	const struct plan *p = o->plan;
	if (p->mode == PLAN_MODE_DAG) {
		if (o->started)
			return err_set(e, "the run is already started (dag mode: tasks start when their dependencies are merged)");
		o->started = 1;
		orch_schedule(o);
		return 0;
	}
	int cur = orch_current_wave(o);
	if (cur > o->g.nwaves)
		return err_set(e, "every wave is merged");
	if (o->wave_open >= cur) {
		int total = 0, merged = 0;
		for (int i = 0; i < p->ntasks; i++)
			if (p->tasks[i].wave == cur) {
				total++;
				merged += o->t[i].st == TASK_MERGED || o->t[i].st == TASK_SKIPPED;
			}
		return err_set(e, "wave %d is still open (%d of %d tasks merged or skipped); merge it first",
			       cur, merged, total);
	}
	o->wave_open = cur;
	o->started = 1;
	orch_schedule(o);
	return 0;
}

int orch_start(struct orch *o, int i, struct err *e)
{
	const char *id = o->plan->tasks[i].id;
	struct orch_task *t = &o->t[i];
	if (t->st != TASK_PENDING && t->st != TASK_READY)
		return err_set(e, "task %s is %s, not waiting to start", id, task_state_name(t->st));
	int d = unmet_dep(o, i);
	if (d >= 0)
		return err_set(e, "task %s depends on %s, which is %s (not merged yet)", id,
			       o->plan->tasks[d].id, task_state_name(o->t[d].st));
	t->manual = 1;
	orch_schedule(o);
	return 0;
}

/* ---- completions ---- */

static void auto_merge(struct orch *o);

void orch_worktree_done(struct orch *o, int i, const char *path, const char *error)
{
	struct orch_task *t = &o->t[i];
	if (t->st != TASK_STARTING)
		return; /* stopped meanwhile */
	if (error || !path) {
		char *why = xasprintf("worktree: %s", error ? error : "no path");
		set_state(o, i, TASK_FAILED, why);
		free(why);
		orch_schedule(o);
		return;
	}
	free(t->worktree);
	t->worktree = xstrdup(path);
	t->needs_setup = 1; /* a new worktree: copy/symlink/setup first */
	state_set_str(&st_of(o, i)->worktree, path);
	spawn_task(o, i, 0, NULL);
	if (o->t[i].st == TASK_FAILED)
		orch_schedule(o);
}

/* The task's completion report (the plan's "report" file in its worktree),
 * kept in the state for the UI and `shoal status --json`; at most 64 KiB. */
static void read_report(struct orch *o, int i)
{
	const struct plan_task *pt = &o->plan->tasks[i];
	const struct orch_task *t = &o->t[i];
	if (!pt->report || !t->worktree)
		return;
	char *path = xasprintf("%s/%s", t->worktree, pt->report);
	size_t n;
	char *text = util_read_file(path, &n, NULL);
	free(path);
	if (!text)
		return;
	if (n > 65536) {
		text[65536] = 0;
		n = 65536;
	}
	size_t bad;
	if (!util_utf8_valid(text, n, &bad))
		text[bad] = 0; /* JSON strings must be UTF-8 */
	state_set_str(&st_of(o, i)->report, text);
	free(text);
}

void orch_exited(struct orch *o, int i, int exit_code, int term_signal)
{
	struct orch_task *t = &o->t[i];
	struct state_task *s = st_of(o, i);
	t->pid = 0;
	s->pid = 0;
	s->exit_code = term_signal ? -1 : exit_code;
	s->term_signal = term_signal;
	char sigbuf[32], why[96];
	if (term_signal)
		snprintf(why, sizeof why, "killed by %s", status_signal_name(term_signal, sigbuf, sizeof sigbuf));
	else
		snprintf(why, sizeof why, "exit %d", exit_code);
	int ok = !term_signal && exit_code == 0;
	read_report(o, i);
	if (task_state_live(t->st)) {
		set_state(o, i, ok ? TASK_DONE : TASK_FAILED, why);
	} else if (t->st == TASK_DONE && !ok) {
		/* Marked done while alive, then failed: the process state changed,
		 * so the mark no longer holds. */
		char *r = xasprintf("%s after being marked done", why);
		set_state(o, i, TASK_FAILED, r);
		free(r);
	} else {
		s->end_ms = task_now_ms();
		persist(o);
	}
	auto_merge(o);
	orch_schedule(o);
}

void orch_status(struct orch *o, int i, const struct status_out *s)
{
	enum task_state cur = o->t[i].st;
	if (cur != TASK_RUNNING && cur != TASK_IDLE && cur != TASK_WAITING)
		return;
	if (s->st != STATUS_RUNNING && s->st != STATUS_IDLE && s->st != STATUS_WAITING)
		return; /* done/failed come from orch_exited and orch_mark */
	enum task_state to = status_task_state(s->st);
	if (to != cur)
		set_state(o, i, to, s->reason);
}

/* ---- operator actions ---- */

int orch_mark(struct orch *o, int i, enum status_mark m, struct err *e)
{
	struct orch_task *t = &o->t[i];
	const char *id = o->plan->tasks[i].id;
	enum task_state to = m == STATUS_MARK_DONE ? TASK_DONE : m == STATUS_MARK_FAILED ? TASK_FAILED : TASK_WAITING;
	if (m == STATUS_MARK_NONE)
		return err_set(e, "task %s: no mark given", id);
	if (t->st == TASK_STARTING)
		return err_set(e, "task %s is still starting", id);
	if (to == TASK_WAITING && !task_state_live(t->st))
		return err_set(e, "task %s is not running (it is %s)", id, task_state_name(t->st));
	if (t->st == to)
		return 0; /* already so: a hook may repeat itself */
	if (task_transition_check(id, t->st, to, e) < 0)
		return -1;
	t->mark = m;
	t->mark_alive = t->pid != 0;
	t->mark_ms = (int64_t)util_now_ms(); /* the clock of orch_input / orch_evaluate */
	set_statef(o, i, to, "marked %s", status_mark_name(m));
	auto_merge(o);
	orch_schedule(o);
	return 0;
}

int orch_stop(struct orch *o, int i, struct err *e)
{
	struct orch_task *t = &o->t[i];
	if (!task_state_live(t->st))
		return err_set(e, "task %s is not running (it is %s)", o->plan->tasks[i].id,
			       task_state_name(t->st));
	if (t->pid > 0)
		o->ops.kill(o->ops.ud, i, t->pid, SIGTERM);
	set_state(o, i, TASK_STOPPED, "stopped by the operator");
	orch_schedule(o);
	return 0;
}

int orch_skip(struct orch *o, int i, struct err *e)
{
	struct orch_task *t = &o->t[i];
	const char *id = o->plan->tasks[i].id;
	if (task_state_live(t->st))
		return err_set(e, "task %s is %s: stop it first", id, task_state_name(t->st));
	if (t->st == TASK_MERGING)
		return err_set(e, "task %s is being merged", id);
	if (task_transition_check(id, t->st, TASK_SKIPPED, e) < 0)
		return -1;
	for (int k = 0; k < o->nmq; k++)
		if (o->mq[k] == i) {
			memmove(&o->mq[k], &o->mq[k + 1], (size_t)(o->nmq - k - 1) * sizeof *o->mq);
			o->nmq--;
			break;
		}
	set_state(o, i, TASK_SKIPPED, "skipped by the operator");
	orch_schedule(o);
	return 0;
}

static int check_again(struct orch *o, int i, struct err *e)
{
	struct orch_task *t = &o->t[i];
	const char *id = o->plan->tasks[i].id;
	if (task_state_live(t->st))
		return err_set(e, "task %s is %s: stop it first", id, task_state_name(t->st));
	if (t->st == TASK_MERGED || t->st == TASK_MERGING || t->st == TASK_PENDING ||
	    t->st == TASK_READY || t->st == TASK_SKIPPED)
		return err_set(e, "task %s is %s: nothing to run again", id, task_state_name(t->st));
	int d = unmet_dep(o, i);
	if (d >= 0)
		return err_set(e, "task %s depends on %s, which is %s (not merged yet)", id,
			       o->plan->tasks[d].id, task_state_name(o->t[d].st));
	return 0;
}

static int again(struct orch *o, int i, int resume, struct err *e)
{
	if (check_again(o, i, e) < 0)
		return -1;
	struct orch_task *t = &o->t[i];
	if (orch_live(o) >= o->plan->max_workers)
		return err_set(e, "all %d workers are busy; stop a task or wait", o->plan->max_workers);
	if (!t->worktree) {
		if (resume)
			return err_set(e, "task %s has no worktree to resume in", o->plan->tasks[i].id);
		return orch_retry(o, i, e);
	}
	if (resume) {
		/* Check before leaving the current state. */
		strv probe = orch_argv_build(o, i, NULL, 1, NULL, e);
		if (!probe)
			return -1;
		strv_free(probe);
	}
	t->manual = 1;
	if (set_state(o, i, TASK_STARTING, resume ? "resuming the agent's session" : "restarted in the same worktree") < 0)
		return err_set(e, "%s", o->last_err.msg);
	spawn_task(o, i, resume, NULL);
	orch_schedule(o);
	return 0;
}

int orch_restart(struct orch *o, int i, struct err *e)
{
	return again(o, i, 0, e);
}

int orch_resume(struct orch *o, int i, struct err *e)
{
	return again(o, i, 1, e);
}

int orch_retry(struct orch *o, int i, struct err *e)
{
	if (check_again(o, i, e) < 0)
		return -1;
	struct orch_task *t = &o->t[i];
	t->manual = 1;
	t->fresh = 1;
	if (set_state(o, i, TASK_READY, "retry from scratch") < 0)
		return err_set(e, "%s", o->last_err.msg);
	orch_schedule(o);
	return 0;
}

int orch_resolve(struct orch *o, int i, const char *base, const char *files, struct err *e)
{
	struct orch_task *t = &o->t[i];
	const struct plan_task *pt = &o->plan->tasks[i];
	enum task_state st = t->st;
	if (st == TASK_STARTING || st == TASK_RUNNING)
		return err_set(e, "task %s is %s: its agent is busy; wait until it is idle or done", pt->id,
			       task_state_name(st));
	if (st == TASK_MERGING || st == TASK_MERGED || st == TASK_PENDING || st == TASK_READY ||
	    st == TASK_SKIPPED)
		return err_set(e, "task %s is %s: nothing to resolve", pt->id, task_state_name(st));
	if (!t->worktree)
		return err_set(e, "task %s has no worktree", pt->id);
	const char *tmpl = o->plan->resolve_prompt && *o->plan->resolve_prompt
				   ? o->plan->resolve_prompt
				   : "Resolve the merge conflicts in {files}, then git add them and git commit --no-edit.";
	char *text = plan_expand_resolve(o->plan, pt, tmpl, t->worktree, NULL, base, files);
	int rc = 0;
	if (t->pid > 0) {
		/* Its agent still runs (idle, waiting, or marked done): type it. */
		if (task_transition_check(pt->id, st, TASK_RUNNING, e) < 0) {
			free(text);
			return -1;
		}
		size_t n = strlen(text);
		if (!o->ops.type && !o->ops.send)
			rc = err_set(e, "task %s: there is no way to type into its agent", pt->id);
		else if (o->ops.type)
			rc = o->ops.type(o->ops.ud, i, text, n, e);
		else if ((rc = o->ops.send(o->ops.ud, i, text, n, e)) == 0)
			rc = o->ops.send(o->ops.ud, i, "\r", 1, e);
		if (rc == 0) {
			int64_t now = (int64_t)util_now_ms();
			t->mark = STATUS_MARK_NONE;
			t->last_input_ms = now;
			status_activity_start(&t->act, now);
			set_statef(o, i, TASK_RUNNING, "resolve prompt typed to its agent: conflicts with %s in %s",
				   base, files);
		}
		free(text);
		return rc;
	}
	/* Its agent has exited: start it again in the worktree with the
	 * resolve prompt instead of the task's prompt. */
	if (orch_live(o) >= o->plan->max_workers) {
		free(text);
		return err_set(e, "all %d workers are busy; stop a task or wait, then resolve %s",
			       o->plan->max_workers, pt->id);
	}
	if (task_transition_check(pt->id, st, TASK_STARTING, e) < 0) {
		free(text);
		return -1;
	}
	t->manual = 1;
	if (set_statef(o, i, TASK_STARTING, "resolving the conflicts with %s in %s", base, files) < 0) {
		free(text);
		return err_set(e, "%s", o->last_err.msg);
	}
	spawn_task(o, i, 0, text);
	free(text);
	orch_schedule(o);
	return 0;
}

/* ---- merges ---- */

static void pump(struct orch *o)
{
	while (o->merging < 0 && o->nmq > 0) {
		int i = o->mq[0];
		memmove(&o->mq[0], &o->mq[1], (size_t)(o->nmq - 1) * sizeof *o->mq);
		o->nmq--;
		enum task_state s = o->t[i].st;
		if (s != TASK_DONE && s != TASK_CONFLICT && s != TASK_INVALID)
			continue;
		if (set_state(o, i, TASK_MERGING, "merge started") < 0)
			continue;
		o->merging = i;
		struct err e;
		if (o->ops.merge(o->ops.ud, i, o->t[i].branch, &e) < 0) {
			o->merging = -1;
			char *why = xasprintf("merge could not start: %s", e.msg);
			set_state(o, i, TASK_DONE, why);
			free(why);
			o->nmq = 0; /* the sequence stops */
		}
	}
}

static int queued(const struct orch *o, int i)
{
	for (int k = 0; k < o->nmq; k++)
		if (o->mq[k] == i)
			return 1;
	return o->merging == i;
}

int orch_merge(struct orch *o, int i, struct err *e)
{
	struct orch_task *t = &o->t[i];
	const char *id = o->plan->tasks[i].id;
	if (t->st != TASK_DONE && t->st != TASK_CONFLICT && t->st != TASK_INVALID)
		return err_set(e, "task %s is %s: only done tasks are merged", id, task_state_name(t->st));
	if (queued(o, i))
		return err_set(e, "task %s is already being merged", id);
	const struct plan_task *pt = &o->plan->tasks[i];
	for (int k = 0; k < pt->ndeps; k++) {
		int d = pt->deps[k];
		enum task_state ds = o->t[d].st;
		if (ds != TASK_MERGED && ds != TASK_SKIPPED && !queued(o, d))
			return err_set(e, "task %s depends on %s, which is %s: merge %s first", id,
				       o->plan->tasks[d].id, task_state_name(ds), o->plan->tasks[d].id);
	}
	o->mq[o->nmq++] = i;
	pump(o);
	return 0;
}

int orch_merge_wave(struct orch *o, struct err *e)
{
	const struct plan *p = o->plan;
	int cur = orch_current_wave(o);
	if (cur > o->g.nwaves)
		return err_set(e, "every wave is merged");
	struct sbuf bad = { 0 };
	int nbad = 0;
	for (int i = 0; i < p->ntasks; i++) {
		if (p->tasks[i].wave != cur)
			continue;
		enum task_state s = o->t[i].st;
		if (s == TASK_DONE || s == TASK_CONFLICT || s == TASK_INVALID || s == TASK_MERGED ||
		    s == TASK_SKIPPED || s == TASK_MERGING)
			continue;
		if (nbad++ < 6)
			sbuf_printf(&bad, "%s%s (%s)", nbad > 1 ? ", " : "", p->tasks[i].id, task_state_name(s));
	}
	if (nbad) {
		err_set(e, "wave %d is not finished: %s%s", cur, bad.s, nbad > 6 ? ", ..." : "");
		sbuf_free(&bad);
		return -1;
	}
	sbuf_free(&bad);
	int *order = xcalloc((size_t)p->ntasks + 1, sizeof *order);
	dag_merge_order(&o->g, order);
	int n = 0;
	for (int k = 0; k < p->ntasks; k++) {
		int i = order[k];
		enum task_state s = o->t[i].st;
		if (p->tasks[i].wave == cur && (s == TASK_DONE || s == TASK_CONFLICT || s == TASK_INVALID) &&
		    !queued(o, i)) {
			o->mq[o->nmq++] = i;
			n++;
		}
	}
	free(order);
	if (!n && o->merging < 0)
		return err_set(e, "wave %d has nothing left to merge", cur);
	pump(o);
	return 0;
}

static void auto_merge(struct orch *o)
{
	const struct plan *p = o->plan;
	if (!p->auto_merge)
		return;
	int *order = xcalloc((size_t)p->ntasks + 1, sizeof *order);
	dag_merge_order(&o->g, order);
	for (int k = 0; k < p->ntasks; k++) {
		int i = order[k];
		if (o->t[i].st != TASK_DONE || queued(o, i))
			continue;
		/* Dependencies merged, or ahead of it in the queue. */
		const struct plan_task *t = &p->tasks[i];
		int ok = 1;
		for (int d = 0; d < t->ndeps && ok; d++) {
			enum task_state s = o->t[t->deps[d]].st;
			ok = s == TASK_MERGED || s == TASK_SKIPPED || queued(o, t->deps[d]);
		}
		if (ok)
			o->mq[o->nmq++] = i;
	}
	free(order);
	pump(o);
}

void orch_merge_done(struct orch *o, int i, const char *outcome, const char *commit,
		     const char *detail)
{
	struct orch_task *t = &o->t[i];
	if (t->st != TASK_MERGING || o->merging != i)
		return;
	o->merging = -1;
	struct state_task *s = st_of(o, i);
	enum task_state to;
	const char *rec;
	if (outcome && !strcmp(outcome, "merged")) {
		to = TASK_MERGED;
		rec = "merged";
	} else if (outcome && !strcmp(outcome, "conflict")) {
		to = TASK_CONFLICT;
		rec = "conflict";
	} else if (outcome && !strcmp(outcome, "invalid")) {
		to = TASK_INVALID;
		rec = "invalid";
	} else {
		to = TASK_DONE; /* the merge did not happen: an error */
		rec = NULL;
	}
	state_set_str(&s->merge_outcome, rec);
	state_set_str(&s->merge_commit, rec ? commit : NULL);
	state_set_str(&s->merge_detail, detail);
	char *why = to == TASK_MERGED ? xasprintf("merged%s%.12s", commit ? " as " : "", commit ? commit : "")
		    : to == TASK_CONFLICT ? xasprintf("conflict%s%s", detail ? ": " : "", detail ? detail : "")
		    : to == TASK_INVALID ? xasprintf("validation failed%s%s", detail ? ": " : "", detail ? detail : "")
					 : xasprintf("merge failed: %s", detail ? detail : outcome ? outcome : "unknown error");
	set_state(o, i, to, why);
	free(why);
	if (to != TASK_MERGED)
		o->nmq = 0; /* a conflict or a failed validation stops the sequence */
	pump(o);
	auto_merge(o);
	if (o->plan->mode == PLAN_MODE_WAVES && o->plan->auto_advance && o->wave_open > 0) {
		int cur = orch_current_wave(o);
		if (cur <= o->g.nwaves && cur > o->wave_open)
			o->wave_open = cur;
	}
	orch_schedule(o);
}

/* ---- status signals ---- */

void orch_output(struct orch *o, int i, int64_t now_ms)
{
	struct orch_task *t = &o->t[i];
	if (t->pid > 0)
		status_activity_output(&t->act, &t->rules, now_ms);
}

void orch_input(struct orch *o, int i, int64_t now_ms)
{
	o->t[i].last_input_ms = now_ms;
}

void orch_evaluate(struct orch *o, int i, int64_t now_ms, const char *title,
		   const char *const *lines, int nlines)
{
	struct orch_task *t = &o->t[i];
	if (t->st != TASK_RUNNING && t->st != TASK_IDLE && t->st != TASK_WAITING)
		return;
	struct status_in in = {
		.now_ms = now_ms, .alive = t->pid > 0, .act = &t->act, .title = title,
		.lines = lines, .nlines = nlines, .mark = t->mark, .mark_alive = t->mark_alive,
		.mark_ms = t->mark_ms, .last_input_ms = t->last_input_ms,
	};
	struct status_out out;
	status_eval(&t->rules, &in, &out);
	orch_status(o, i, &out);
}
