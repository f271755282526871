/* runner — the live engine of a run: lock, orch, git worker, control
 * socket, one PTY + terminal per agent, SIGCHLD, timers and the event queue
 * (see include/runner.h). The orch_ops implementation is in runner_ops.c;
 * the shared internals in runner_int.h. */
#include "runner_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "gitrepo.h"
#include "gitworker.h"
#include "plandiff.h"
#include "ptyproc.h"

/* ---- SIGCHLD through a self-pipe (one runner per process) ---- */

static int chld_pipe[2] = { -1, -1 };
static struct sigaction chld_old;

static void on_chld(int s)
{
	(void)s;
	int saved = errno;
	unsigned char b = 1;
	(void)!write(chld_pipe[1], &b, 1);
	errno = saved;
}

static int chld_setup(struct err *e)
{
	if (chld_pipe[0] >= 0)
		return err_set(e, "a runner is already open in this process");
	if (pipe(chld_pipe) < 0)
		return err_set(e, "pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(chld_pipe[i], F_SETFL, fcntl(chld_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(chld_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &chld_old);
	return 0;
}

static void chld_teardown(void)
{
	if (chld_pipe[0] < 0)
		return;
	sigaction(SIGCHLD, &chld_old, NULL);
	close(chld_pipe[0]);
	close(chld_pipe[1]);
	chld_pipe[0] = chld_pipe[1] = -1;
}

/* ---- events ---- */

const char *runner_ev_kind_name(enum runner_ev_kind k)
{
	switch (k) {
	case RUNNER_EV_TASK: return "task";
	case RUNNER_EV_OUTPUT: return "output";
	case RUNNER_EV_PROGRESS: return "progress";
	case RUNNER_EV_INFO: return "info";
	case RUNNER_EV_ERROR: return "error";
	}
	return "?";
}

void runner_emit(struct runner *r, enum runner_ev_kind kind, int task, enum task_state from,
		 enum task_state to, const char *text)
{
	struct runner_event ev = { .kind = kind, .task = task, .from = from, .to = to,
				   .time_ms = task_now_ms(), .text = (char *)(text ? text : "") };
	if (r->o.on_event)
		r->o.on_event(r->o.ud, &ev);
	if (r->o.queue_off)
		return;
	if (r->qlen == RUNNER_EVENTS_MAX) { /* drop the oldest */
		free(r->q[r->qhead].text);
		r->qhead = (r->qhead + 1) % RUNNER_EVENTS_MAX;
		r->qlen--;
		r->dropped++;
	}
	if (!r->q)
		r->q = xcalloc(RUNNER_EVENTS_MAX, sizeof *r->q);
	struct runner_event *slot = &r->q[(r->qhead + r->qlen) % RUNNER_EVENTS_MAX];
	*slot = ev;
	slot->text = xstrdup(ev.text);
	r->qlen++;
}

void runner_emitf(struct runner *r, enum runner_ev_kind kind, int task, const char *fmt, ...)
{
	va_list ap;
	struct sbuf b = { 0 };
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	runner_emit(r, kind, task, TASK_PENDING, TASK_PENDING, b.s ? b.s : "");
	sbuf_free(&b);
}

const struct runner_event *runner_event_next(struct runner *r)
{
	free(r->cur.text);
	r->cur.text = NULL;
	if (!r->qlen)
		return NULL;
	r->cur = r->q[r->qhead];
	r->qhead = (r->qhead + 1) % RUNNER_EVENTS_MAX;
	r->qlen--;
	return &r->cur;
}

/* ---- open / close ---- */

/* The plan's path relative to the repository root when it lies inside. */
static char *plan_rel_path(const char *plan_path, const char *repo)
{
	char pr[PATH_MAX], rr[PATH_MAX];
	if (realpath(plan_path, pr) && realpath(repo, rr)) {
		size_t n = strlen(rr);
		if (!strncmp(pr, rr, n) && pr[n] == '/')
			return xstrdup(pr + n + 1);
		return xstrdup(pr);
	}
	return xstrdup(plan_path);
}

/* Compares the plan with the previous run's (its snapshot in
 * .shoal/plan.json) when the state says the plan changed; refuses an
 * incompatible one. */
static int check_plan_change(struct runner *r, const char *hash, struct err *e)
{
	char *sp = xasprintf("%s/state.json", r->shoal);
	struct state st;
	struct err le;
	int lr = state_load(&st, sp, &le);
	free(sp);
	if (lr <= 0) /* none, or corrupt: orch_init reports it */
		return 0;
	int rc = 0;
	if (st.plan_hash && strcmp(st.plan_hash, hash)) {
		char *snap = xasprintf("%s/plan.json", r->shoal);
		struct plan *old = NULL;
		if (access(snap, R_OK) == 0) {
			struct diags d;
			diags_init(&d, snap, NULL, 0);
			old = plan_load(snap, NULL, &d);
			diags_free(&d);
		}
		free(snap);
		r->changes = plandiff_describe(old, r->p, &st);
		if (!r->changes)
			r->changes = xstrdup("the plan file changed (no task or dependency changes)\n");
		if (old)
			plan_free(old);
		rc = plandiff_check(r->p, &st, e);
	}
	state_free(&st);
	return rc;
}

static void snapshot_plan(struct runner *r)
{
	size_t n;
	char *text = util_read_file(r->p->path, &n, NULL);
	if (!text)
		return;
	char *snap = xasprintf("%s/plan.json", r->shoal);
	char *tmp = xasprintf("%s.tmp", snap);
	FILE *f = fopen(tmp, "w");
	if (f) {
		int ok = fwrite(text, 1, n, f) == n;
		ok &= fclose(f) == 0;
		if (ok)
			rename(tmp, snap);
		else
			unlink(tmp);
	}
	free(tmp);
	free(snap);
	free(text);
}

struct runner *runner_open(struct plan *p, const char *repo_root, const struct runner_opts *o,
			   struct err *e)
{
	struct runner *r = xcalloc(1, sizeof *r);
	static const struct runner_opts none;
	r->o = o ? *o : none;
	r->p = p;
	r->repo = xstrdup(repo_root);
	r->shoal = xasprintf("%s/.shoal", repo_root);
	r->rows = r->o.rows > 0 ? r->o.rows : RUNNER_ROWS_DEFAULT;
	r->cols = r->o.cols > 0 ? r->o.cols : RUNNER_COLS_DEFAULT;
	r->sb = r->o.scrollback;
	r->merge_task = -1;
	r->ctl.fd = -1;
	r->a = xcalloc((size_t)p->ntasks + 1, sizeof *r->a);
	for (int i = 0; i < p->ntasks; i++) {
		r->a[i].pty.fd = -1;
		r->a[i].logfd = -1;
	}
	char *plan_path = NULL, *hash = NULL;

	/* The base branch, resolved once (read-only handle, this thread). */
	struct gitrepo *g = gitrepo_open(repo_root, e);
	if (!g)
		goto fail;
	int brc = gitrepo_base(g, p->base, &r->base, e);
	gitrepo_close(g);
	if (brc < 0)
		goto fail;
	if (state_mkdirs(r->shoal, e) < 0)
		goto fail;
	if (state_lock_acquire(&r->lock, r->shoal, e) < 0)
		goto fail;
	hash = state_hash_file(p->path, e);
	if (!hash)
		goto fail;
	if (check_plan_change(r, hash, e) < 0)
		goto fail;
	plan_path = r->o.plan_path ? xstrdup(r->o.plan_path) : plan_rel_path(p->path, repo_root);
	struct orch_paths paths = { .shoal_dir = r->shoal, .repo = r->repo, .plan_path = plan_path,
				    .plan_hash = hash };
	struct orch_ops ops;
	runner_ops_init(r, &ops);
	if (orch_init(&r->orch, p, &ops, &paths, e) < 0)
		goto fail;
	r->orch_on = 1;
	snapshot_plan(r);
	if (chld_setup(e) < 0)
		goto fail;
	r->chld_on = 1;
	r->w = gitworker_start(repo_root, e);
	if (!r->w)
		goto fail;
	if (!r->o.no_ctl) {
		if (ctl_listen(&r->ctl, r->shoal, e) < 0)
			goto fail;
	}
	free(plan_path);
	free(hash);
	return r;
fail:
	free(plan_path);
	free(hash);
	runner_close(r);
	return NULL;
}

void runner_close(struct runner *r)
{
	if (!r)
		return;
	/* Agents: killed, not reported (the state keeps them live, so the next
	 * run finds them interrupted). */
	int any = 0;
	for (int i = 0; i < r->p->ntasks; i++) {
		struct agent *a = &r->a[i];
		if (a->pty.pid > 0 && !a->pty.exited) {
			pty_kill(&a->pty, SIGHUP);
			pty_kill(&a->pty, SIGTERM);
			any = 1;
		}
	}
	for (uint64_t t0 = util_now_ms(); any && util_now_ms() - t0 < RUNNER_STOP_GRACE_MS;) {
		any = 0;
		for (int i = 0; i < r->p->ntasks; i++) {
			struct agent *a = &r->a[i];
			if (a->pty.pid > 0 && !a->pty.exited && !pty_reap(&a->pty))
				any = 1;
		}
		if (any) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	for (int i = 0; i < r->p->ntasks; i++) {
		struct agent *a = &r->a[i];
		if (a->pty.pid > 0 && !a->pty.exited) {
			pty_kill(&a->pty, SIGKILL);
			for (int k = 0; k < 100 && !pty_reap(&a->pty); k++) {
				struct timespec ts = { 0, 10 * 1000 * 1000 };
				nanosleep(&ts, NULL);
			}
		}
		runner_agent_free(a);
	}
	if (r->w)
		gitworker_stop(r->w);
	if (r->ctl.fd >= 0)
		ctl_close(&r->ctl);
	if (r->orch_on)
		orch_free(&r->orch);
	if (r->chld_on)
		chld_teardown();
	state_lock_release(&r->lock);
	while (runner_event_next(r))
		;
	free(r->q);
	free(r->ujobs);
	free(r->pmap);
	free(r->a);
	sbuf_free(&r->mline);
	free(r->changes);
	free(r->base);
	free(r->repo);
	free(r->shoal);
	free(r);
}

/* ---- a new plan for the live run ---- */

int runner_replan_check(struct runner *r, const struct plan *np, struct err *e)
{
	int jobs = r->w ? gitworker_pending(r->w) : 0;
	if (jobs > 0 || r->orch.merging >= 0 || r->orch.nmq > 0)
		return err_set(e, "git work is in progress (%d job%s%s): reload the plan when it is done",
			       jobs, jobs == 1 ? "" : "s", r->orch.merging >= 0 ? ", a merge" : "");
	if (plandiff_check_live(r->p, np, &r->orch.st, e) < 0)
		return -1;
	for (int i = 0; i < r->p->ntasks; i++) /* a removed task's process (a skipped one, stopping) */
		if (plan_find(np, r->p->tasks[i].id) < 0 && runner_task_alive(r, i))
			return err_set(e, "task %s still has a live process: wait until it has stopped",
				       r->p->tasks[i].id);
	return 0;
}

int runner_replan(struct runner *r, struct plan *np, int *from, struct err *e)
{
	if (runner_replan_check(r, np, e) < 0)
		return -1;
	char *hash = state_hash_file(np->path, e);
	if (!hash)
		return -1;
	for (int j = 0; j < np->ntasks; j++)
		from[j] = plan_find(r->p, np->tasks[j].id);
	if (orch_replan(&r->orch, np, from, hash, e) < 0) {
		free(hash);
		return -1;
	}
	free(hash);
	struct agent *na = xcalloc((size_t)np->ntasks + 1, sizeof *na);
	unsigned char *kept = xcalloc((size_t)r->p->ntasks + 1, 1);
	for (int j = 0; j < np->ntasks; j++) {
		if (from[j] >= 0) {
			na[j] = r->a[from[j]];
			kept[from[j]] = 1;
		} else {
			na[j].pty.fd = -1;
			na[j].logfd = -1;
		}
	}
	for (int i = 0; i < r->p->ntasks; i++)
		if (!kept[i])
			runner_agent_free(&r->a[i]);
	if (r->merge_task >= 0) {
		int m = -1;
		for (int j = 0; j < np->ntasks; j++)
			if (from[j] == r->merge_task)
				m = j;
		r->merge_task = m;
	}
	free(kept);
	free(r->a);
	r->a = na;
	free(r->pmap); /* sized by the task count: made again by runner_pollfds */
	r->pmap = NULL;
	r->npmap = 0;
	r->p = np;
	snapshot_plan(r);
	free(r->changes);
	r->changes = NULL;
	orch_schedule(&r->orch);
	return 0;
}

/* ---- accessors ---- */

struct orch *runner_orch(struct runner *r) { return &r->orch; }
const struct plan *runner_plan(const struct runner *r) { return r->p; }
const char *runner_shoal_dir(const struct runner *r) { return r->shoal; }
const char *runner_repo(const struct runner *r) { return r->repo; }
const char *runner_base(const struct runner *r) { return r->base; }
const char *runner_plan_changes(const struct runner *r) { return r->changes; }

struct term *runner_term(struct runner *r, int i)
{
	return i >= 0 && i < r->p->ntasks ? r->a[i].term : NULL;
}

int runner_task_alive(const struct runner *r, int i)
{
	return i >= 0 && i < r->p->ntasks && r->a[i].pty.pid > 0 && !r->a[i].pty.exited;
}

int runner_live_agents(const struct runner *r)
{
	int n = 0;
	for (int i = 0; i < r->p->ntasks; i++)
		n += runner_task_alive(r, i);
	return n;
}

int runner_git_pending(struct runner *r)
{
	return r->w ? gitworker_pending(r->w) : 0;
}

void runner_resize_task(struct runner *r, int i, int rows, int cols)
{
	if (i < 0 || i >= r->p->ntasks)
		return;
	struct agent *a = &r->a[i];
	if (a->term)
		term_resize(a->term, rows, cols);
	if (a->pty.fd >= 0 && !a->pty.exited)
		pty_resize(&a->pty, rows, cols);
}

char *runner_report_path(const struct runner *r, int i)
{
	char *p = xasprintf("%s/reports/%s.md", r->shoal, r->p->tasks[i].id);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/* ---- the loop ---- */

int runner_pollfds_max(const struct runner *r)
{
	return 2 + 1 + CTL_MAX_CONNS + r->p->ntasks;
}

int runner_pollfds(struct runner *r, struct pollfd *pfd, int max)
{
	int n = 0;
	r->npmap = 0;
	if (n < max)
		pfd[n++] = (struct pollfd){ .fd = chld_pipe[0], .events = POLLIN };
	if (n < max)
		pfd[n++] = (struct pollfd){ .fd = r->w ? gitworker_fd(r->w) : -1, .events = POLLIN };
	r->nctl = 0;
	if (r->ctl.fd >= 0 && n < max) {
		r->nctl = ctl_pollfds(&r->ctl, pfd + n, max - n);
		n += r->nctl;
	}
	if (!r->pmap)
		r->pmap = xcalloc((size_t)r->p->ntasks + 1, sizeof *r->pmap);
	r->pfirst = n;
	for (int i = 0; i < r->p->ntasks && n < max; i++) {
		struct agent *a = &r->a[i];
		if (a->pty.fd < 0 || (a->pty.eof && !pty_pending(&a->pty)))
			continue;
		short ev = a->pty.eof ? 0 : POLLIN;
		if (pty_pending(&a->pty))
			ev |= POLLOUT;
		r->pmap[r->npmap++] = i;
		pfd[n++] = (struct pollfd){ .fd = a->pty.fd, .events = ev };
	}
	return n;
}

int runner_timeout_ms(const struct runner *r, int64_t now)
{
	int64_t due = -1;
#define DUE(t) do { if ((t) > 0 && (due < 0 || (t) < due)) due = (t); } while (0)
	int live = 0;
	for (int i = 0; i < r->p->ntasks; i++) {
		const struct agent *a = &r->a[i];
		if (a->pty.pid > 0 && !a->pty.exited) {
			live = 1;
			DUE(a->kill_at);
		}
	}
	if (live)
		DUE(r->next_eval > 0 ? r->next_eval : now);
	if (r->orch.dirty)
		DUE(r->next_flush > 0 ? r->next_flush : now + RUNNER_FLUSH_MS);
#undef DUE
	if (due < 0)
		return -1;
	return due <= now ? 0 : (int)(due - now > 60000 ? 60000 : due - now);
}

static void read_chld(struct runner *r)
{
	unsigned char buf[64];
	while (read(chld_pipe[0], buf, sizeof buf) > 0)
		;
	runner_reap(r);
}

static void evaluate(struct runner *r, int64_t now)
{
	for (int i = 0; i < r->p->ntasks; i++) {
		struct agent *a = &r->a[i];
		if (!a->term || !task_state_live(r->orch.t[i].st))
			continue;
		struct grid *g = term_grid(a->term);
		int rows = grid_rows(g), cols = grid_cols(g);
		int nl = r->orch.t[i].rules.nlines > 0 ? r->orch.t[i].rules.nlines : STATUS_NLINES_DEFAULT;
		size_t cap = (size_t)cols * 4 + 8;
		/* The screen's last lines end at its last non-blank row (or the
		 * cursor's): a prompt near the top of a fresh screen counts. */
		char *buf = xmalloc(cap);
		int end = grid_cursor(g).row + 1;
		for (int row = rows - 1; row >= end; row--) {
			grid_row_text(g, row, buf, cap);
			if (buf[strspn(buf, " \t")]) {
				end = row + 1;
				break;
			}
		}
		free(buf);
		if (end > rows)
			end = rows;
		if (nl > end)
			nl = end;
		char **lines = xcalloc((size_t)nl + 1, sizeof *lines);
		for (int k = 0; k < nl; k++) {
			lines[k] = xmalloc(cap);
			grid_row_text(g, end - nl + k, lines[k], cap);
		}
		orch_evaluate(&r->orch, i, now, term_title(a->term), (const char *const *)lines, nl);
		for (int k = 0; k < nl; k++)
			free(lines[k]);
		free(lines);
	}
}

static void timers(struct runner *r, int64_t now)
{
	for (int i = 0; i < r->p->ntasks; i++) {
		struct agent *a = &r->a[i];
		if (a->kill_at > 0 && now >= a->kill_at) {
			a->kill_at = 0;
			if (a->pty.pid > 0 && !a->pty.exited) {
				pty_kill(&a->pty, SIGKILL);
				runner_emitf(r, RUNNER_EV_INFO, i, "%s did not stop after %d s: killed",
					     r->p->tasks[i].id, RUNNER_STOP_GRACE_MS / 1000);
			}
		}
	}
	if (r->next_eval <= 0 || now >= r->next_eval) {
		if (runner_live_agents(r)) {
			evaluate(r, now);
			r->next_eval = now + RUNNER_EVAL_MS;
		} else {
			r->next_eval = 0;
		}
	}
	if (r->orch.dirty) {
		if (r->next_flush <= 0)
			r->next_flush = now + RUNNER_FLUSH_MS;
		else if (now >= r->next_flush) {
			orch_flush(&r->orch);
			r->next_flush = 0;
		}
	} else {
		r->next_flush = 0;
	}
}

void runner_handle(struct runner *r, const struct pollfd *pfd, int n, int64_t now)
{
	if (n > 0 && (pfd[0].revents & POLLIN))
		read_chld(r);
	if (n > 1 && (pfd[1].revents & POLLIN))
		runner_git_messages(r);
	if (r->nctl > 0 && n >= 2 + r->nctl)
		ctl_handle(&r->ctl, pfd + 2, r->nctl, orch_ctl_handle, &r->orch);
	/* Agents, round-robin from a rotating start, one budget each. */
	int na = r->npmap;
	if (n < r->pfirst + na)
		na = n - r->pfirst > 0 ? n - r->pfirst : 0;
	int start = na ? r->rr++ % na : 0;
	for (int k = 0; k < na; k++) {
		int j = (start + k) % na;
		const struct pollfd *f = &pfd[r->pfirst + j];
		int i = r->pmap[j];
		struct agent *a = &r->a[i];
		if (f->fd != a->pty.fd)
			continue; /* the caller changed the array */
		if (f->revents & POLLOUT)
			pty_flush(&a->pty);
		if (f->revents & (POLLIN | POLLHUP | POLLERR))
			runner_read_agent(r, i, RUNNER_READ_BUDGET, now);
	}
	/* A child may have exited while its output was being read. */
	runner_reap(r);
	timers(r, now);
}
