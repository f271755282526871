/* runner_ops — the runner's side of the orchestrator: the orch_ops
 * implementation (worktrees and merges through the git worker, agents in
 * PTYs), reading agents (log files with rotation, terminal, activity),
 * reaping, completion reports, git worker results, operator actions and
 * input. */
#include "runner_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gitworker.h"
#include "merge.h"

#define UD(i) ((void *)(intptr_t)((i) + 1))
#define UD_TASK(p) ((int)(intptr_t)(p) - 1)
#define READ_CHUNK 16384

/* ---- agents ---- */

void runner_agent_free(struct agent *a)
{
	if (a->pty.fd >= 0 || a->pty.wbuf)
		pty_close(&a->pty);
	a->pty.fd = -1;
	if (a->term)
		term_free(a->term);
	a->term = NULL;
	if (a->logfd >= 0)
		close(a->logfd);
	a->logfd = -1;
}

static char *log_path(const struct runner *r, int i)
{
	return xasprintf("%s/logs/%s.log", r->shoal, r->p->tasks[i].id);
}

static void log_open(struct runner *r, int i)
{
	struct agent *a = &r->a[i];
	char *p = log_path(r, i);
	a->logfd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	struct stat sb;
	a->logsz = a->logfd >= 0 && fstat(a->logfd, &sb) == 0 ? (size_t)sb.st_size : 0;
	if (a->logfd < 0)
		runner_emitf(r, RUNNER_EV_ERROR, i, "cannot write %s: %s", p, strerror(errno));
	free(p);
}

/* Appends to the agent's log; past RUNNER_LOG_MAX the log moves to
 * <id>.log.1 (replacing the previous one) and a new one starts. */
static void log_write(struct runner *r, int i, const char *buf, size_t n)
{
	struct agent *a = &r->a[i];
	if (a->logfd < 0)
		return;
	if (a->logsz + n > RUNNER_LOG_MAX) {
		char *p = log_path(r, i);
		char *old = xasprintf("%s.1", p);
		close(a->logfd);
		rename(p, old);
		free(old);
		free(p);
		log_open(r, i);
		if (a->logfd < 0)
			return;
	}
	while (n > 0) {
		ssize_t w = write(a->logfd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
		a->logsz += (size_t)w;
	}
}

static void log_note(struct runner *r, int i, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void log_note(struct runner *r, int i, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	char clock[32];
	time_t t = time(NULL);
	struct tm tm;
	strftime(clock, sizeof clock, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
	sbuf_printf(&b, "\r\n[shoal %s] ", clock);
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	sbuf_adds(&b, "\r\n");
	log_write(r, i, b.s, b.len);
	sbuf_free(&b);
}

/* Sends what the terminal produced (query replies, encoded keys). */
static void term_drain(struct agent *a)
{
	size_t n;
	const char *out = term_output(a->term, &n);
	if (out && n) {
		if (a->pty.fd >= 0 && !a->pty.eof)
			pty_write(&a->pty, out, n);
		term_output_consume(a->term, n);
	}
}

void runner_read_agent(struct runner *r, int i, size_t budget, int64_t now)
{
	struct agent *a = &r->a[i];
	char buf[READ_CHUNK];
	size_t total = 0;
	while (a->pty.fd >= 0 && !a->pty.eof && total < budget) {
		size_t want = budget - total < sizeof buf ? budget - total : sizeof buf;
		ssize_t n = pty_read(&a->pty, buf, want);
		if (n <= 0) {
			if (n < 0 && a->term)
				term_flush(a->term);
			break;
		}
		total += (size_t)n;
		log_write(r, i, buf, (size_t)n);
		if (a->term)
			term_feed(a->term, buf, (size_t)n);
		if (!a->reported)
			orch_output(&r->orch, i, now);
		/* the line discipline holds nothing more: another read would
		 * wait for its worker (pane_read says more) */
		if ((size_t)n < want && pty_readable(&a->pty) == 0)
			break;
	}
	if (a->term)
		term_drain(a);
}

/* Copies the task's completion report (plan "report", default
 * SHOAL_REPORT.md, at the worktree root) to .shoal/reports/<id>.md. */
static void save_report(struct runner *r, int i)
{
	const char *wt = r->orch.t[i].worktree;
	if (!wt)
		return;
	const char *name = r->p->tasks[i].report ? r->p->tasks[i].report : RUNNER_REPORT_DEFAULT;
	char *src = xasprintf("%s/%s", wt, name);
	size_t n;
	char *text = util_read_file(src, &n, NULL);
	free(src);
	if (!text)
		return;
	char *dir = xasprintf("%s/reports", r->shoal);
	mkdir(dir, 0755);
	char *dst = xasprintf("%s/%s.md", dir, r->p->tasks[i].id);
	char *tmp = xasprintf("%s.tmp", dst);
	FILE *f = fopen(tmp, "w");
	int ok = f && fwrite(text, 1, n, f) == n;
	if (f)
		ok &= fclose(f) == 0;
	if (ok && rename(tmp, dst) == 0) {
		runner_emitf(r, RUNNER_EV_INFO, i, "%s: report saved to %s", r->p->tasks[i].id, dst);
	} else {
		unlink(tmp);
		runner_emitf(r, RUNNER_EV_ERROR, i, "%s: cannot save the report to %s: %s", r->p->tasks[i].id,
			     dst, strerror(errno));
	}
	free(tmp);
	free(dst);
	free(dir);
	free(text);
}

void runner_reap(struct runner *r)
{
	for (int i = 0; i < r->p->ntasks; i++) {
		struct agent *a = &r->a[i];
		if (a->pty.pid <= 0 || a->reported)
			continue;
		if (!a->pty.exited && !pty_reap(&a->pty))
			continue;
		/* Its last output first (bounded: a grandchild may hold the pty). */
		runner_read_agent(r, i, 4u << 20, (int64_t)util_now_ms());
		a->reported = 1;
		a->kill_at = 0;
		int st = a->pty.status;
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		char desc[64];
		log_note(r, i, "%s", pty_describe_exit(&a->pty, desc, sizeof desc));
		if (a->orch_pid == r->orch.t[i].pid)
			orch_exited(&r->orch, i, code, sig);
	}
}

/* ---- orch_ops ---- */

static int op_start_worktree(void *ud, int i, const char *branch, int fresh, struct err *e)
{
	struct runner *r = ud;
	if (!r->w)
		return err_set(e, "the git worker is not running");
	/* An existing worktree of the task on its branch is used as it is;
	 * fresh (retry from scratch) discards it and the branch first. */
	gitworker_wt_start(r->w, r->base, branch, r->p->tasks[i].id, fresh, UD(i));
	return 0;
}

static int op_spawn(void *ud, int i, char *const *argv, char *const *env, const char *cwd, int *pid,
		    struct err *e)
{
	struct runner *r = ud;
	struct agent *a = &r->a[i];
	if (a->pty.pid > 0 && !a->pty.exited) {
		/* Restarted while the stopped one is still in its grace period:
		 * it goes now (and is reaped here, never reported). */
		pty_kill(&a->pty, SIGKILL);
		for (int k = 0; k < 100 && !pty_reap(&a->pty); k++) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (!a->pty.exited)
			return err_set(e, "its previous process (pid %d) does not exit", (int)a->pty.pid);
		a->reported = 1;
	}
	int rows = r->rows, cols = r->cols;
	if (a->term) /* keep the size the UI gave it */
		term_size(a->term, &rows, &cols);
	runner_agent_free(a);
	struct pty_opts po = { .argv = argv, .cwd = cwd, .rows = rows, .cols = cols,
			       .env = (const char *const *)env };
	memset(&a->pty, 0, sizeof a->pty);
	a->pty.fd = -1;
	if (pty_spawn(&a->pty, &po, e) < 0) {
		a->pty.fd = -1;
		a->pty.pid = 0;
		return -1;
	}
	a->term = term_new(rows, cols, r->sb);
	a->reported = 0;
	a->kill_at = 0;
	a->orch_pid = (int)a->pty.pid;
	log_open(r, i);
	struct sbuf b = { 0 };
	for (int k = 0; argv[k]; k++)
		sbuf_printf(&b, "%s%s", k ? " " : "", argv[k]);
	log_note(r, i, "started pid %d in %s: %.300s%s", (int)a->pty.pid, cwd, b.s ? b.s : "",
		 b.len > 300 ? "..." : "");
	sbuf_free(&b);
	*pid = (int)a->pty.pid;
	return 0;
}

static void op_kill(void *ud, int i, int pid, int sig)
{
	struct runner *r = ud;
	struct agent *a = &r->a[i];
	if (a->pty.pid == pid && !a->pty.exited)
		pty_kill(&a->pty, sig);
}

static int op_merge(void *ud, int i, const char *branch, struct err *e)
{
	struct runner *r = ud;
	if (!r->w)
		return err_set(e, "the git worker is not running");
	struct merge_opts mo = { .id = r->p->tasks[i].id, .validate = r->p->validate };
	r->merge_task = i;
	sbuf_free(&r->mline);
	gitworker_merge(r->w, r->base, branch, &mo, UD(i));
	return 0;
}

static int op_send(void *ud, int i, const char *bytes, size_t n, struct err *e)
{
	struct runner *r = ud;
	struct agent *a = &r->a[i];
	if (a->pty.fd < 0 || a->pty.exited || a->pty.eof)
		return err_set(e, "task %s has no running process", r->p->tasks[i].id);
	pty_write(&a->pty, bytes, n);
	return 0;
}

/* A prompt typed into the agent: pasted through its terminal (bracketed
 * when the agent asked for it), then Enter. */
static int op_type(void *ud, int i, const char *text, size_t n, struct err *e)
{
	struct runner *r = ud;
	struct agent *a = &r->a[i];
	if (a->pty.fd < 0 || a->pty.exited || a->pty.eof || !a->term)
		return err_set(e, "task %s has no running process", r->p->tasks[i].id);
	term_paste(a->term, text, n);
	term_drain(a);
	pty_write(&a->pty, "\r", 1);
	log_note(r, i, "typed the resolve prompt (%zu bytes)", n);
	return 0;
}

static void op_event(void *ud, const struct task_event *ev)
{
	struct runner *r = ud;
	int i = plan_find(r->p, ev->task);
	if (task_state_live(ev->from) && (ev->to == TASK_DONE || ev->to == TASK_FAILED || ev->to == TASK_STOPPED))
		save_report(r, i);
	runner_emit(r, RUNNER_EV_TASK, i, ev->from, ev->to, ev->reason);
	if (i >= 0)
		log_note(r, i, "%s -> %s%s%s", task_state_name(ev->from), task_state_name(ev->to),
			 ev->reason ? ": " : "", ev->reason ? ev->reason : "");
}

void runner_ops_init(struct runner *r, struct orch_ops *ops)
{
	memset(ops, 0, sizeof *ops);
	ops->ud = r;
	ops->start_worktree = op_start_worktree;
	ops->spawn = op_spawn;
	ops->kill = op_kill;
	ops->merge = op_merge;
	ops->send = op_send;
	ops->type = op_type;
	ops->event = op_event;
}

/* ---- git worker results ---- */

/* Validation output, split into lines (control characters dropped). */
static void merge_output(struct runner *r, int i, const char *text, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char c = text[k];
		if (c == '\n') {
			runner_emit(r, RUNNER_EV_OUTPUT, i, TASK_PENDING, TASK_PENDING, r->mline.s ? r->mline.s : "");
			sbuf_free(&r->mline);
		} else if (c == '\t' || (unsigned char)c >= 0x20) {
			if (r->mline.len < 4096)
				sbuf_addc(&r->mline, c);
		}
	}
}

static void merge_done(struct runner *r, int i, struct gw_msg *m)
{
	if (r->mline.len) {
		runner_emit(r, RUNNER_EV_OUTPUT, i, TASK_PENDING, TASK_PENDING, r->mline.s);
		sbuf_free(&r->mline);
	}
	r->merge_task = -1;
	struct merge_result *res = m->result;
	if (!res) {
		orch_merge_done(&r->orch, i, "error", NULL, m->err.msg);
		return;
	}
	struct sbuf d = { 0 };
	const char *outcome;
	switch (res->outcome) {
	case MERGE_MERGED:
	case MERGE_ALREADY:
		outcome = "merged";
		if (res->outcome == MERGE_ALREADY)
			sbuf_adds(&d, "already in the base");
		else if (res->validated)
			sbuf_printf(&d, "validated (exit %d)", res->validate_status);
		break;
	case MERGE_CONFLICTED:
		outcome = "conflict";
		for (int k = 0; k < res->preview.nconflicts; k++)
			sbuf_printf(&d, "%s%s", k ? ", " : "", res->preview.conflicts[k]);
		if (!d.len)
			sbuf_adds(&d, res->msg);
		break;
	case MERGE_INVALID:
		outcome = "invalid";
		sbuf_printf(&d, "exit status %d", res->validate_status);
		if (res->log_path)
			sbuf_printf(&d, ", log %s", res->log_path);
		break;
	default:
		outcome = merge_outcome_key(res->outcome);
		sbuf_adds(&d, res->msg[0] ? res->msg : merge_outcome_name(res->outcome));
		break;
	}
	/* The tasks queued after it: a conflict or failed validation stops them. */
	struct sbuf rest = { 0 };
	for (int k = 0; k < r->orch.nmq; k++)
		sbuf_printf(&rest, "%s%s", k ? ", " : "", r->p->tasks[r->orch.mq[k]].id);
	const char *commit = res->new_tip[0] ? res->new_tip : res->preview.base_tip;
	orch_merge_done(&r->orch, i, outcome, commit[0] ? commit : NULL, d.s);
	const char *id = r->p->tasks[i].id;
	if (r->orch.t[i].st == TASK_CONFLICT)
		runner_emitf(r, RUNNER_EV_ERROR, i,
			     "conflict with %s in %s, merge stopped%s%s%s; B (dashboard) or --resolve (shoal "
			     "run) merges %s into %s for its agent to resolve, then merge %s again",
			     r->base, d.s ? d.s : "?", rest.len ? " (" : "", rest.len ? rest.s : "",
			     rest.len ? (strchr(rest.s, ',') ? " wait)" : " waits)") : "", r->base, id, id);
	else if (r->orch.t[i].st == TASK_INVALID && rest.len)
		runner_emitf(r, RUNNER_EV_ERROR, i, "validation failed, merge stopped (%s %s)", rest.s,
			     strchr(rest.s, ',') ? "wait" : "waits");
	sbuf_free(&rest);
	sbuf_free(&d);
}

static void into_done(struct runner *r, int i, struct gw_msg *m)
{
	const char *id = r->p->tasks[i].id;
	struct merge_into_result *res = m->result;
	if (m->rc < 0 && (!res || res->outcome != INTO_CONFLICTS)) {
		runner_emitf(r, RUNNER_EV_ERROR, i, "%s: merging %s into it failed: %s", id, r->base, m->err.msg);
		return;
	}
	switch (res->outcome) {
	case INTO_UP_TO_DATE:
		runner_emitf(r, RUNNER_EV_INFO, i, "%s already contains %s", id, r->base);
		break;
	case INTO_FASTFORWARD:
		runner_emitf(r, RUNNER_EV_INFO, i, "%s fast-forwarded to %s", id, r->base);
		break;
	case INTO_MERGED:
		runner_emitf(r, RUNNER_EV_INFO, i, "merged %s into %s (merge commit in %s)", r->base, id,
			     res->worktree ? res->worktree : "its worktree");
		break;
	case INTO_CONFLICTS: {
		/* The markers are in its worktree: hand them to its agent. */
		struct sbuf b = { 0 };
		for (int k = 0; k < res->nconflicts; k++)
			sbuf_printf(&b, "%s%s", k ? ", " : "", res->conflicts[k]);
		const char *files = b.s ? b.s : "";
		int alive = r->orch.t[i].pid > 0;
		struct err e = { { 0 } };
		if (orch_resolve(&r->orch, i, r->base, files, &e) == 0)
			runner_emitf(r, RUNNER_EV_INFO, i, "merging %s into %s left %d conflict%s (%s): %s", r->base,
				     id, res->nconflicts, res->nconflicts == 1 ? "" : "s", files,
				     alive ? "the resolve prompt was typed to its agent"
					   : "its agent was started again to resolve them");
		else
			runner_emitf(r, RUNNER_EV_ERROR, i,
				     "merging %s into %s left %d conflict%s in %s (%s); its agent could not take "
				     "them: %s", r->base, id, res->nconflicts, res->nconflicts == 1 ? "" : "s",
				     res->worktree ? res->worktree : "its worktree", files, e.msg);
		sbuf_free(&b);
		break;
	}
	}
}

unsigned runner_git_job(struct runner *r, gw_fn fn, void *arg, void (*free_arg)(void *),
			void (*free_result)(void *), runner_git_done done, void *ud)
{
	unsigned id = gitworker_submit(r->w, fn, arg, free_arg, free_result, NULL);
	r->ujobs = xrealloc(r->ujobs, (size_t)(r->nujobs + 1) * sizeof *r->ujobs);
	r->ujobs[r->nujobs++] = (struct runner_ujob){ id, done, ud };
	return id;
}

static void ujob_done(struct runner *r, struct gw_msg *m)
{
	for (int k = 0; k < r->nujobs; k++) {
		if (r->ujobs[k].id != m->job)
			continue;
		struct runner_ujob u = r->ujobs[k];
		memmove(&r->ujobs[k], &r->ujobs[k + 1], (size_t)(r->nujobs - k - 1) * sizeof *r->ujobs);
		r->nujobs--;
		if (u.done)
			u.done(u.ud, m->job, m->rc, &m->result, &m->err);
		return;
	}
}

void runner_git_messages(struct runner *r)
{
	struct gw_msg *m;
	while (r->w && (m = gitworker_next(r->w))) {
		if (m->op == GW_CUSTOM) { /* runner_git_job */
			if (m->kind == GW_DONE)
				ujob_done(r, m);
			gw_msg_free(m);
			continue;
		}
		int i = UD_TASK(m->ud);
		if (i < 0 || i >= r->p->ntasks) {
			gw_msg_free(m);
			continue;
		}
		if (m->kind == GW_PROGRESS) {
			runner_emitf(r, RUNNER_EV_PROGRESS, i, "%s: %s %zu/%zu", r->p->tasks[i].id,
				     m->what ? m->what : "checkout", m->done, m->total);
		} else if (m->kind == GW_OUTPUT) {
			merge_output(r, i, m->text, m->n);
		} else if (m->op == GW_WT_ADD || m->op == GW_WT_START) {
			struct gitwt_add_result *res = m->result;
			if (m->rc == 0 && res && res->path)
				orch_worktree_done(&r->orch, i, res->path, NULL);
			else
				orch_worktree_done(&r->orch, i, NULL, m->err.msg[0] ? m->err.msg : "failed");
		} else if (m->op == GW_WT_REMOVE) {
			if (m->rc < 0)
				runner_emitf(r, RUNNER_EV_INFO, i, "%s: old worktree not removed: %s", r->p->tasks[i].id,
					     m->err.msg);
		} else if (m->op == GW_MERGE) {
			merge_done(r, i, m);
		} else if (m->op == GW_MERGE_INTO) {
			into_done(r, i, m);
		}
		gw_msg_free(m);
	}
}

/* ---- input ---- */

static int live_agent(struct runner *r, int i, struct err *e)
{
	if (i < 0 || i >= r->p->ntasks)
		return err_set(e, "no task %d", i);
	struct agent *a = &r->a[i];
	if (a->pty.fd < 0 || a->pty.exited || a->pty.eof || !a->term)
		return err_set(e, "task %s has no running process", r->p->tasks[i].id);
	return 0;
}

int runner_send_bytes(struct runner *r, int i, const char *bytes, size_t n, struct err *e)
{
	if (live_agent(r, i, e) < 0)
		return -1;
	pty_write(&r->a[i].pty, bytes, n);
	orch_input(&r->orch, i, (int64_t)util_now_ms());
	return 0;
}

void runner_term_input(struct runner *r, int i)
{
	struct err e;
	if (live_agent(r, i, &e) < 0) {
		if (i >= 0 && i < r->p->ntasks && r->a[i].term) { /* nobody to read it */
			size_t n;
			term_output(r->a[i].term, &n);
			term_output_consume(r->a[i].term, n);
		}
		return;
	}
	term_drain(&r->a[i]);
	orch_input(&r->orch, i, (int64_t)util_now_ms());
}

int runner_send_key(struct runner *r, int i, enum term_key key, unsigned mods, struct err *e)
{
	if (live_agent(r, i, e) < 0)
		return -1;
	if (term_key(r->a[i].term, key, mods) < 0)
		return err_set(e, "this key cannot be sent to a terminal");
	runner_term_input(r, i);
	return 0;
}

int runner_send_char(struct runner *r, int i, uint32_t cp, unsigned mods, struct err *e)
{
	if (live_agent(r, i, e) < 0)
		return -1;
	if (term_char(r->a[i].term, cp, mods) < 0)
		return err_set(e, "invalid character U+%04X", (unsigned)cp);
	runner_term_input(r, i);
	return 0;
}

int runner_paste(struct runner *r, int i, const char *utf8, size_t n, struct err *e)
{
	if (live_agent(r, i, e) < 0)
		return -1;
	term_paste(r->a[i].term, utf8, n);
	runner_term_input(r, i);
	return 0;
}

/* ---- operator actions ---- */

static int task_ok(struct runner *r, int i, struct err *e)
{
	if (i < 0 || i >= r->p->ntasks)
		return err_set(e, "no task %d", i);
	return 0;
}

int runner_next_wave(struct runner *r, struct err *e)
{
	return orch_next_wave(&r->orch, e);
}

int runner_start_task(struct runner *r, int i, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_start(&r->orch, i, e);
}

int runner_stop_task(struct runner *r, int i, struct err *e)
{
	if (task_ok(r, i, e) < 0 || orch_stop(&r->orch, i, e) < 0)
		return -1;
	struct agent *a = &r->a[i];
	if (a->pty.pid > 0 && !a->pty.exited)
		a->kill_at = (int64_t)util_now_ms() + RUNNER_STOP_GRACE_MS;
	return 0;
}

void runner_stop_all(struct runner *r)
{
	struct err e;
	for (int i = 0; i < r->p->ntasks; i++)
		if (task_state_live(r->orch.t[i].st))
			runner_stop_task(r, i, &e);
}

int runner_restart_task(struct runner *r, int i, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_restart(&r->orch, i, e);
}

int runner_resume_task(struct runner *r, int i, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_resume(&r->orch, i, e);
}

int runner_retry_task(struct runner *r, int i, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_retry(&r->orch, i, e);
}

int runner_skip_task(struct runner *r, int i, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_skip(&r->orch, i, e);
}

int runner_mark_task(struct runner *r, int i, enum status_mark m, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_mark(&r->orch, i, m, e);
}

int runner_merge_task(struct runner *r, int i, struct err *e)
{
	return task_ok(r, i, e) < 0 ? -1 : orch_merge(&r->orch, i, e);
}

int runner_merge_wave(struct runner *r, struct err *e)
{
	return orch_merge_wave(&r->orch, e);
}

int runner_merge_base_into(struct runner *r, int i, struct err *e)
{
	if (task_ok(r, i, e) < 0)
		return -1;
	if (!r->orch.t[i].worktree)
		return err_set(e, "task %s has no worktree yet", r->p->tasks[i].id);
	enum task_state st = r->orch.t[i].st;
	/* An idle or waiting agent is not touching its files: the conflict
	 * will be typed to it. A working one is. */
	if (st == TASK_STARTING || st == TASK_RUNNING)
		return err_set(e, "task %s is %s: wait until its agent is idle or done, or stop it (the "
			       "merge changes its files)", r->p->tasks[i].id, task_state_name(st));
	if (st == TASK_MERGING)
		return err_set(e, "task %s is being merged", r->p->tasks[i].id);
	gitworker_merge_into(r->w, r->base, r->orch.t[i].branch, UD(i));
	return 0;
}

int runner_resume_interrupted(struct runner *r)
{
	int n = 0;
	for (int i = 0; i < r->p->ntasks; i++) {
		if (r->orch.t[i].st != TASK_INTERRUPTED || r->a[i].resume_failed)
			continue;
		if (orch_live(&r->orch) >= r->p->max_workers)
			break;
		struct err e;
		int rc;
		const struct plan_profile *pr = plan_task_profile(r->p, &r->p->tasks[i]);
		if (!r->orch.t[i].worktree || access(r->orch.t[i].worktree, F_OK) != 0)
			rc = orch_retry(&r->orch, i, &e);
		else if (pr && pr->resume && pr->resume[0])
			rc = orch_resume(&r->orch, i, &e);
		else
			rc = orch_restart(&r->orch, i, &e);
		if (rc < 0) {
			r->a[i].resume_failed = 1;
			runner_emitf(r, RUNNER_EV_ERROR, i, "%s: cannot resume: %s", r->p->tasks[i].id, e.msg);
		}
		else
			n++;
	}
	return n;
}
