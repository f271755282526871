/* cmd_run — `shoal run`: the orchestrator without a screen. Agents still
 * get PTYs (their output goes to .shoal/logs/<id>.log); progress goes to
 * stdout, one line per event (--json: one JSON object per line); waves
 * advance by themselves, and with --merge each finished wave is merged in
 * dependency order (validated after each merge) before the next one opens.
 * With --resolve, a task whose merge conflicts gets the base merged into its
 * worktree and its agent started again to resolve the conflict (once per
 * task); the wave's merge then goes on.
 * Interrupted tasks of an earlier run are resumed first. SIGINT/SIGTERM stop
 * the agents, save the state (they come back as interrupted) and exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "dag.h"
#include "grid.h"
#include "orch.h"
#include "plan.h"
#include "runner.h"
#include "state.h"

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t got_signal;

static void on_signal(int s)
{
	int saved = errno;
	got_signal = s;
	unsigned char b = (unsigned char)s;
	(void)!write(sig_pipe[1], &b, 1);
	errno = saved;
}

struct run {
	struct runner *r;
	struct orch *o;
	const struct plan *p;
	int json, merge, waves_limit, retries, timeout_s, resolve;
	int waves_opened;     /* waves opened by this run */
	int merge_asked_wave; /* the wave whose merge this run requested */
	int *retried;         /* restarts used per task */
	int *timed_out;       /* stopped for running too long */
	int *resolved;        /* --resolve: the base was merged into it for its agent */
	int finished;
};

/* ---- output ---- */

static void json_line(struct sbuf *b)
{
	fwrite(b->s, 1, b->len, stdout);
	fflush(stdout);
	sbuf_free(b);
}

static void say(struct run *u, const char *kind, int task, const char *fmt, ...) PRINTF_LIKE(4, 5);
static void say(struct run *u, const char *kind, int task, const char *fmt, ...)
{
	struct sbuf t = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&t, fmt, ap);
	va_end(ap);
	if (u->json) {
		struct sbuf b = { 0 };
		sbuf_printf(&b, "{\"ms\":%lld,\"kind\":", (long long)task_now_ms());
		sbuf_json_str(&b, kind);
		if (task >= 0) {
			sbuf_adds(&b, ",\"task\":");
			sbuf_json_str(&b, u->p->tasks[task].id);
		}
		sbuf_adds(&b, ",\"text\":");
		sbuf_json_str(&b, t.s ? t.s : "");
		sbuf_adds(&b, "}\n");
		json_line(&b);
	} else {
		printf("%s\n", t.s ? t.s : "");
		fflush(stdout);
	}
	sbuf_free(&t);
}

/* The last non-blank line on task i's screen (the question it asks). */
static void last_line(struct run *u, int i, char *buf, size_t cap)
{
	buf[0] = 0;
	struct term *t = runner_term(u->r, i);
	if (!t)
		return;
	struct grid *g = term_grid(t);
	for (int row = grid_rows(g) - 1; row >= 0; row--) {
		grid_row_text(g, row, buf, cap);
		size_t n = strlen(buf);
		while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
			buf[--n] = 0;
		if (n)
			return;
	}
}

static void print_event(struct run *u, const struct runner_event *ev)
{
	if (ev->kind == RUNNER_EV_PROGRESS)
		return; /* checkout progress: too chatty for a log */
	if (ev->kind == RUNNER_EV_TASK) {
		struct task_event te = { .task = ev->task >= 0 ? u->p->tasks[ev->task].id : "?", .from = ev->from,
					 .to = ev->to, .time_ms = ev->time_ms, .reason = ev->text[0] ? ev->text : NULL };
		struct sbuf b = { 0 };
		if (u->json)
			task_event_json(&te, &b);
		else
			task_event_human(&te, &b);
		json_line(&b);
		if (ev->to == TASK_WAITING && ev->task >= 0) {
			char q[1024];
			last_line(u, ev->task, q, sizeof q);
			const char *id = u->p->tasks[ev->task].id;
			say(u, "waiting", ev->task,
			    "task %s is waiting for input%s%s%s; answer it with: shoal send %s TEXT", id,
			    q[0] ? ": \"" : "", q, q[0] ? "\"" : "", id);
		}
		return;
	}
	if (ev->kind == RUNNER_EV_OUTPUT) {
		say(u, "output", ev->task, "  %s | %s", ev->task >= 0 ? u->p->tasks[ev->task].id : "?", ev->text);
		return;
	}
	say(u, runner_ev_kind_name(ev->kind), ev->task, "%s%s", ev->kind == RUNNER_EV_ERROR ? "error: " : "",
	    ev->text);
}

static void drain(struct run *u)
{
	const struct runner_event *ev;
	while ((ev = runner_event_next(u->r)))
		print_event(u, ev);
}

/* ---- deciding what to do next ---- */

static int settled(enum task_state s)
{
	return s == TASK_DONE || s == TASK_FAILED || s == TASK_STOPPED || s == TASK_SKIPPED ||
	       s == TASK_MERGED || s == TASK_CONFLICT || s == TASK_INVALID;
}

static int merge_busy(const struct orch *o)
{
	return o->merging >= 0 || o->nmq > 0;
}

static void retry_failed(struct run *u)
{
	for (int i = 0; i < u->p->ntasks; i++) {
		if (u->o->t[i].st != TASK_FAILED || u->retried[i] >= u->retries || u->timed_out[i])
			continue;
		if (orch_live(u->o) >= u->p->max_workers)
			return;
		struct err e;
		if (runner_restart_task(u->r, i, &e) == 0) {
			u->retried[i]++;
			say(u, "info", i, "%s failed: restarting it in its worktree (retry %d of %d)", u->p->tasks[i].id,
			    u->retried[i], u->retries);
		} else {
			u->retried[i] = u->retries; /* cannot: do not try again */
			say(u, "error", i, "error: %s: cannot restart: %s", u->p->tasks[i].id, e.msg);
		}
	}
}

/* --resolve: merges the base into every conflicted task not handled yet;
 * the runner hands the conflict to its agent when the git worker is done
 * (orch_resolve: conflict → starting → running → done). The wave's merge
 * is asked again once it settles. */
static void resolve_conflicts(struct run *u)
{
	for (int i = 0; u->resolve && i < u->p->ntasks; i++) {
		if (u->o->t[i].st != TASK_CONFLICT || u->resolved[i])
			continue;
		struct err e;
		u->resolved[i] = 1;
		if (runner_merge_base_into(u->r, i, &e) == 0) {
			say(u, "info", i, "%s conflicts: merging %s into its worktree for its agent to resolve (--resolve)",
			    u->p->tasks[i].id, runner_base(u->r));
			u->merge_asked_wave = 0;
		} else {
			say(u, "error", i, "error: %s: cannot resolve: %s", u->p->tasks[i].id, e.msg);
		}
	}
}

/* A conflict nobody is resolving: it stops the merges. */
static int conflict_stuck(struct run *u, int i)
{
	return u->o->t[i].st == TASK_CONFLICT && !(u->resolve && runner_git_pending(u->r));
}

static void enforce_timeout(struct run *u)
{
	if (u->timeout_s <= 0)
		return;
	int64_t now = task_now_ms();
	for (int i = 0; i < u->p->ntasks; i++) {
		if (!task_state_live(u->o->t[i].st) || u->o->t[i].st == TASK_STARTING)
			continue;
		struct state_task *s = state_task_find(&u->o->st, u->p->tasks[i].id);
		if (!s || !s->start_ms || now - s->start_ms < (int64_t)u->timeout_s * 1000)
			continue;
		struct err e;
		say(u, "info", i, "%s has run for more than %d s (--timeout): stopping it", u->p->tasks[i].id,
		    u->timeout_s);
		u->timed_out[i] = 1;
		if (runner_stop_task(u->r, i, &e) < 0)
			say(u, "error", i, "error: %s", e.msg);
	}
}

/* Merges the done tasks of wave w one by one in dependency order (when
 * some of the wave failed: the others still get merged). */
static int merge_done_tasks(struct run *u, int w)
{
	int n = u->p->ntasks, queued = 0;
	int *order = xcalloc((size_t)n + 1, sizeof *order);
	dag_merge_order(&u->o->g, order);
	for (int k = 0; k < n; k++) {
		int i = order[k];
		if (u->p->tasks[i].wave != w || u->o->t[i].st != TASK_DONE)
			continue;
		struct err e;
		if (runner_merge_task(u->r, i, &e) == 0)
			queued++;
		else
			say(u, "info", i, "%s not merged: %s", u->p->tasks[i].id, e.msg);
	}
	free(order);
	return queued;
}

static void drive_waves(struct run *u)
{
	const struct plan *p = u->p;
	struct orch *o = u->o;
	struct err e;
	int cur = orch_current_wave(o);
	if (cur > p->nwaves) {
		u->finished = 1;
		return;
	}
	if (o->wave_open < cur) {
		if (merge_busy(o))
			return;
		if (u->waves_limit && u->waves_opened >= u->waves_limit) {
			u->finished = 1;
			return;
		}
		if (runner_next_wave(u->r, &e) < 0) {
			say(u, "error", -1, "error: %s", e.msg);
			u->finished = 1;
			return;
		}
		u->waves_opened++;
		say(u, "wave", -1, "wave %d of %d started", cur, p->nwaves);
		return;
	}
	/* The current wave is open: wait until every task of it has settled. */
	int all_done = 1, bad = 0;
	for (int i = 0; i < p->ntasks; i++) {
		if (p->tasks[i].wave != cur)
			continue;
		enum task_state s = o->t[i].st;
		/* Interrupted with a worker free: its resume failed (drive
		 * resumes the others first). */
		int stuck = s == TASK_INTERRUPTED && orch_live(o) < p->max_workers;
		if (!settled(s) && !stuck)
			return;
		if (s == TASK_CONFLICT && !conflict_stuck(u, i))
			return; /* the base is being merged into it (--resolve) */
		if (s == TASK_FAILED && u->retried[i] < u->retries && !u->timed_out[i])
			return; /* about to be restarted */
		if (conflict_stuck(u, i) || s == TASK_INVALID)
			bad = 1;
		if (s != TASK_DONE && s != TASK_MERGED && s != TASK_SKIPPED)
			all_done = 0;
	}
	if (merge_busy(o))
		return;
	if (bad || !u->merge || u->merge_asked_wave == cur) {
		/* Nothing more will happen by itself (auto_merge plans merge as
		 * their tasks finish: merge_busy covered that). */
		u->finished = 1;
		return;
	}
	u->merge_asked_wave = cur;
	if (all_done) {
		say(u, "wave", -1, "wave %d finished: merging it", cur);
		if (runner_merge_wave(u->r, &e) < 0) {
			say(u, "error", -1, "error: %s", e.msg);
			u->finished = 1;
		}
	} else {
		say(u, "wave", -1, "wave %d finished with failures: merging its done tasks", cur);
		if (!merge_done_tasks(u, cur))
			u->finished = 1;
	}
}

static void drive_dag(struct run *u)
{
	const struct plan *p = u->p;
	struct orch *o = u->o;
	struct err e;
	if (!o->started) {
		if (runner_next_wave(u->r, &e) < 0) {
			say(u, "error", -1, "error: %s", e.msg);
			u->finished = 1;
		}
		return;
	}
	int bad = 0;
	for (int i = 0; i < p->ntasks; i++)
		bad |= conflict_stuck(u, i) || o->t[i].st == TASK_INVALID;
	if (u->merge && !bad && !merge_busy(o)) {
		int *order = xcalloc((size_t)p->ntasks + 1, sizeof *order);
		dag_merge_order(&o->g, order);
		for (int k = 0; k < p->ntasks; k++) {
			int i = order[k];
			if (o->t[i].st != TASK_DONE)
				continue;
			int ok = 1;
			for (int d = 0; d < p->tasks[i].ndeps && ok; d++) {
				enum task_state ds = o->t[p->tasks[i].deps[d]].st;
				ok = ds == TASK_MERGED || ds == TASK_SKIPPED;
			}
			if (ok && runner_merge_task(u->r, i, &e) < 0)
				say(u, "error", i, "error: %s", e.msg);
		}
		free(order);
	}
	if (merge_busy(o))
		return;
	for (int i = 0; i < p->ntasks; i++) {
		enum task_state s = o->t[i].st;
		if (task_state_live(s) || s == TASK_READY || s == TASK_MERGING ||
		    (s == TASK_INTERRUPTED && orch_live(o) >= p->max_workers))
			return;
		if (s == TASK_FAILED && u->retried[i] < u->retries && !u->timed_out[i])
			return;
		if (s == TASK_DONE && u->merge && !bad) {
			int ok = 1;
			for (int d = 0; d < p->tasks[i].ndeps && ok; d++) {
				enum task_state ds = o->t[p->tasks[i].deps[d]].st;
				ok = ds == TASK_MERGED || ds == TASK_SKIPPED;
			}
			if (ok)
				return; /* merged at the next turn */
		}
	}
	u->finished = 1;
}

static void drive(struct run *u)
{
	enforce_timeout(u);
	runner_resume_interrupted(u->r);
	retry_failed(u);
	resolve_conflicts(u);
	if (u->p->mode == PLAN_MODE_DAG)
		drive_dag(u);
	else
		drive_waves(u);
	/* Still live agents: not finished, whatever the waves say. */
	if (u->finished && (runner_live_agents(u->r) || orch_live(u->o) || (u->resolve && runner_git_pending(u->r))))
		u->finished = 0;
}

/* ---- the summary ---- */

/* With --waves N only the waves this run opened count for the exit
 * status. */
static int task_in_scope(struct run *u, int i)
{
	if (u->p->mode == PLAN_MODE_WAVES && u->waves_limit)
		return u->p->tasks[i].wave <= u->o->wave_open;
	return 1;
}

static int succeeded(struct run *u, int i)
{
	enum task_state s = u->o->t[i].st;
	if (s == TASK_MERGED || s == TASK_SKIPPED)
		return 1;
	return !u->merge && !u->p->auto_merge && s == TASK_DONE;
}

static void fmt_dur(int64_t ms, char *buf, size_t n)
{
	if (ms <= 0)
		snprintf(buf, n, "-");
	else if (ms < 60000)
		snprintf(buf, n, "%.1fs", (double)ms / 1000.0);
	else
		snprintf(buf, n, "%lldm%02llds", (long long)(ms / 60000), (long long)(ms / 1000 % 60));
}

static int summary(struct run *u, int interrupted)
{
	const struct plan *p = u->p;
	int ok = !interrupted, w = 4, bw = 6;
	for (int i = 0; i < p->ntasks; i++) {
		int l = (int)strlen(p->tasks[i].id), b = (int)strlen(u->o->t[i].branch);
		w = l > w ? l : w;
		bw = b > bw ? b : bw;
		if (task_in_scope(u, i) && !succeeded(u, i))
			ok = 0;
	}
	int code = ok ? EXIT_OK : EXIT_FAIL;
	struct sbuf b = { 0 };
	if (u->json)
		sbuf_adds(&b, "{\"summary\":[");
	else
		sbuf_printf(&b, "\n%-*s  %4s  %-13s  %-*s  %-7s  %-9s  %s\n", w, "TASK", "WAVE", "STATE", bw, "BRANCH",
			    "EXIT", "MERGE", "DURATION");
	for (int i = 0; i < p->ntasks; i++) {
		struct state_task *s = state_task_find(&u->o->st, p->tasks[i].id);
		char ex[16] = "-", dur[32];
		if (s && s->term_signal) {
			char sb[16];
			snprintf(ex, sizeof ex, "%s", status_signal_name(s->term_signal, sb, sizeof sb));
		} else if (s && s->exit_code >= 0) {
			snprintf(ex, sizeof ex, "%d", s->exit_code);
		}
		int64_t d = s && s->start_ms ? (s->end_ms >= s->start_ms ? s->end_ms : task_now_ms()) - s->start_ms : 0;
		fmt_dur(d, dur, sizeof dur);
		const char *mo = s && s->merge_outcome ? s->merge_outcome : "-";
		if (u->json) {
			sbuf_adds(&b, i ? ",{\"task\":" : "{\"task\":");
			sbuf_json_str(&b, p->tasks[i].id);
			sbuf_printf(&b, ",\"wave\":%d,\"state\":", p->tasks[i].wave);
			sbuf_json_str(&b, task_state_name(u->o->t[i].st));
			sbuf_adds(&b, ",\"branch\":");
			sbuf_json_str(&b, u->o->t[i].branch);
			sbuf_printf(&b, ",\"exit\":%d,\"signal\":%d,\"merge\":", s ? s->exit_code : -1,
				    s ? s->term_signal : 0);
			if (s && s->merge_outcome)
				sbuf_json_str(&b, s->merge_outcome);
			else
				sbuf_adds(&b, "null");
			sbuf_printf(&b, ",\"duration_ms\":%lld}", (long long)d);
		} else {
			sbuf_printf(&b, "%-*s  %4d  %-13s  %-*s  %-7s  %-9s  %s\n", w, p->tasks[i].id, p->tasks[i].wave,
				    task_state_name(u->o->t[i].st), bw, u->o->t[i].branch, ex, mo, dur);
		}
	}
	if (u->json) {
		sbuf_printf(&b, "],\"interrupted\":%s,\"exit\":%d}\n", interrupted ? "true" : "false", code);
	} else {
		int counts[TASK_NSTATES] = { 0 };
		for (int i = 0; i < p->ntasks; i++)
			counts[u->o->t[i].st]++;
		struct sbuf sum = { 0 };
		for (int k = 0; k < TASK_NSTATES; k++)
			if (counts[k])
				sbuf_printf(&sum, "%s%d %s", sum.len ? ", " : "", counts[k], task_state_name((enum task_state)k));
		sbuf_printf(&b, "%s%s\n", sum.s ? sum.s : "no tasks",
			    interrupted ? "; interrupted (run shoal run again to resume)" : "");
		sbuf_free(&sum);
	}
	json_line(&b);
	return code;
}

/* ---- the command ---- */

static int parse_count(struct cli *c, const char *flag, const char *v, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (end == v || *end || errno || n < 0 || n > INT_MAX)
		return cli_usage_error(c, "%s needs a whole number, not \"%s\"", flag, v);
	*out = (int)n;
	return 0;
}

static void signals_on(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int cmd_run(struct cli *c, int argc, char **argv)
{
	const char *waves = NULL, *merge = NULL, *json = NULL, *retries = NULL, *timeout = NULL;
	const char *resolve = NULL;
	const struct cli_flag flags[] = {
		{ "--waves", 0, 1, &waves }, { "--merge", 0, 0, &merge }, { "--json", 0, 0, &json },
		{ "--retries", 0, 1, &retries }, { "--timeout", 0, 1, &timeout },
		{ "--resolve", 0, 0, &resolve },
	};
	char *pos[1];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 1, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct run u;
	memset(&u, 0, sizeof u);
	u.json = json != NULL;
	u.merge = merge != NULL;
	u.resolve = resolve != NULL;
	if (u.resolve && !u.merge)
		return cli_usage_error(c, "--resolve goes with --merge (it resolves the conflicts of merges)");
	if (waves && parse_count(c, "--waves", waves, &u.waves_limit))
		return EXIT_USAGE;
	if (waves && !u.waves_limit)
		return cli_usage_error(c, "--waves needs at least 1");
	if (retries && parse_count(c, "--retries", retries, &u.retries))
		return EXIT_USAGE;
	if (timeout && parse_count(c, "--timeout", timeout, &u.timeout_s))
		return EXIT_USAGE;
	if (timeout && !u.timeout_s)
		return cli_usage_error(c, "--timeout needs at least 1 second");
	struct plan *p = cli_load_plan(c, npos ? pos[0] : NULL);
	if (!p)
		return EXIT_FAIL;
	if (waves && p->mode == PLAN_MODE_DAG) {
		plan_free(p);
		return cli_usage_error(c, "--waves applies to plans in waves mode; this plan runs in dag mode");
	}
	char *root = cli_repo_root();
	if (!root) {
		plan_free(p);
		return cli_fail(c, "not inside a git repository");
	}
	if (pipe(sig_pipe) < 0) {
		free(root);
		plan_free(p);
		return cli_fail(c, "pipe: %s", strerror(errno));
	}
	for (int k = 0; k < 2; k++) {
		fcntl(sig_pipe[k], F_SETFL, fcntl(sig_pipe[k], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[k], F_SETFD, FD_CLOEXEC);
	}
	signals_on();
	struct err e;
	struct runner_opts ro = { 0 };
	u.r = runner_open(p, root, &ro, &e);
	if (!u.r) {
		rc = cli_fail(c, "%s", e.msg);
		goto out;
	}
	u.o = runner_orch(u.r);
	u.p = p;
	u.merge_asked_wave = 0;
	u.retried = xcalloc((size_t)p->ntasks + 1, sizeof *u.retried);
	u.timed_out = xcalloc((size_t)p->ntasks + 1, sizeof *u.timed_out);
	u.resolved = xcalloc((size_t)p->ntasks + 1, sizeof *u.resolved);
	const char *ch = runner_plan_changes(u.r);
	if (ch) {
		say(&u, "plan-changed", -1, "the plan changed since the last run:");
		for (const char *s = ch; *s;) {
			size_t n = strcspn(s, "\n");
			say(&u, "plan-changed", -1, "  %.*s", (int)n, s);
			s += n + (s[n] == '\n');
		}
	}
	int nint = 0;
	for (int i = 0; i < p->ntasks; i++)
		nint += u.o->t[i].st == TASK_INTERRUPTED;
	if (nint)
		say(&u, "info", -1, "resuming %d interrupted task%s of the last run", nint, nint == 1 ? "" : "s");

	int maxfd = runner_pollfds_max(u.r) + 1;
	struct pollfd *pfd = xcalloc((size_t)maxfd, sizeof *pfd);
	int interrupted = 0;
	for (;;) {
		drain(&u); /* what happened first, then what to do about it */
		drive(&u);
		drain(&u);
		if (u.finished)
			break;
		int n = runner_pollfds(u.r, pfd, maxfd - 1);
		pfd[n] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
		int64_t now = (int64_t)util_now_ms();
		int to = runner_timeout_ms(u.r, now);
		if (u.timeout_s && (to < 0 || to > 500))
			to = 500; /* the --timeout check */
		int pr = poll(pfd, (nfds_t)n + 1, to);
		if (pr < 0 && errno != EINTR)
			break;
		if (pr > 0 && (pfd[n].revents & POLLIN)) {
			unsigned char buf[16];
			while (read(sig_pipe[0], buf, sizeof buf) > 0)
				;
		}
		if (got_signal) {
			interrupted = 1;
			break;
		}
		runner_handle(u.r, pfd, pr > 0 ? n : 0, (int64_t)util_now_ms());
	}
	free(pfd);
	drain(&u);
	if (interrupted)
		say(&u, "info", -1, "interrupted by %s: stopping the agents and saving the state",
		    got_signal == SIGINT ? "SIGINT" : got_signal == SIGTERM ? "SIGTERM" : "a signal");
	if (!interrupted && !u.merge && !p->auto_merge && p->mode == PLAN_MODE_WAVES) {
		int waiting = 0, cur = orch_current_wave(u.o);
		for (int i = 0; i < p->ntasks; i++)
			waiting += u.o->t[i].st == TASK_PENDING && p->tasks[i].wave > cur;
		if (waiting && !(u.waves_limit && u.o->wave_open >= cur))
			say(&u, "info", -1,
			    "%d task%s of later waves wait for wave %d to be merged: run with --merge, or "
			    "shoal merge --wave %d",
			    waiting, waiting == 1 ? "" : "s", cur, cur);
	}
	rc = summary(&u, interrupted);
	runner_close(u.r);
	free(u.retried);
	free(u.timed_out);
	free(u.resolved);
out:
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	free(root);
	plan_free(p);
	return rc;
}
