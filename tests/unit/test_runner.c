/* Unit tests for runner, the engine under `shoal run` and the dashboard, on a
 * real git repository in a temp dir with real PTY children: timers (none when
 * idle), the repository lock, a wave run to done through the caller's poll
 * loop, terminal title and screen, input, resize, logs, events, merging with
 * validation output, errors for tasks without a process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "grid.h"
#include "orch.h"
#include "plan.h"
#include "runner.h"
#include "term.h"

static char *dir;

static void sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	assert_true(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static int setup(void **u)
{
	(void)u;
	char tpl[] = "/tmp/shoal-test-runner.XXXXXX";
	assert_non_null(mkdtemp(tpl));
	dir = strdup(tpl);
	sh("cd %s && git init -q -b main && git config user.name t && git config user.email t@x.invalid && "
	   "echo hi >README && git add README && git commit -q -m init",
	   dir);
	return 0;
}

static int teardown(void **u)
{
	(void)u;
	sh("rm -rf %s", dir);
	free(dir);
	return 0;
}

static struct plan *write_plan(const char *text)
{
	char *path = xasprintf("%s/shoal.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct diags d;
	diags_init(&d, path, NULL, 0);
	struct plan *p = plan_load(path, NULL, &d);
	diags_free(&d);
	free(path);
	assert_non_null(p);
	return p;
}

/* Runs the caller's loop until cond(r) or 10 s; collects event texts. */
static int spin(struct runner *r, int (*cond)(struct runner *), struct sbuf *log)
{
	int max = runner_pollfds_max(r);
	struct pollfd *pfd = xcalloc((size_t)max, sizeof *pfd);
	uint64_t t0 = util_now_ms();
	int ok = 0;
	while (util_now_ms() - t0 < 10000) {
		const struct runner_event *ev;
		while ((ev = runner_event_next(r)))
			sbuf_printf(log, "%s %d %s>%s %s\n", runner_ev_kind_name(ev->kind), ev->task,
				    task_state_name(ev->from), task_state_name(ev->to), ev->text);
		if (cond(r)) {
			ok = 1;
			break;
		}
		int n = runner_pollfds(r, pfd, max);
		int64_t now = (int64_t)util_now_ms();
		int to = runner_timeout_ms(r, now);
		int pr = poll(pfd, (nfds_t)n, to < 0 || to > 200 ? 200 : to);
		runner_handle(r, pfd, pr > 0 ? n : 0, (int64_t)util_now_ms());
	}
	free(pfd);
	return ok;
}

static int all_done(struct runner *r)
{
	struct orch *o = runner_orch(r);
	for (int i = 0; i < o->plan->ntasks; i++)
		if (o->t[i].st != TASK_DONE)
			return 0;
	return 1;
}

static int all_merged(struct runner *r)
{
	struct orch *o = runner_orch(r);
	for (int i = 0; i < o->plan->ntasks; i++)
		if (o->t[i].st != TASK_MERGED)
			return 0;
	return !runner_git_pending(r);
}

static int asking(struct runner *r)
{
	struct term *t = runner_term(r, 1);
	if (!t)
		return 0;
	char buf[512];
	struct grid *g = term_grid(t);
	for (int row = 0; row < grid_rows(g); row++) {
		grid_row_text(g, row, buf, sizeof buf);
		if (strstr(buf, "name?"))
			return 1;
	}
	return 0;
}

static int screen_has(struct runner *r, int i, const char *needle)
{
	struct term *t = runner_term(r, i);
	if (!t)
		return 0;
	char buf[512];
	struct grid *g = term_grid(t);
	for (int row = 0; row < grid_rows(g); row++) {
		grid_row_text(g, row, buf, sizeof buf);
		if (strstr(buf, needle))
			return 1;
	}
	return 0;
}

static int got_hi(struct runner *r)
{
	return screen_has(r, 1, "got hi") && all_done(r);
}

static void test_run_wave(void **u)
{
	(void)u;
	char *val = xasprintf("%s.val", dir);
	char *text = xasprintf(
		"{\"name\":\"t\",\"base\":\"main\",\"validate\":\"echo validated-ok; echo v >>%s\",\"tasks\":["
		"{\"id\":\"one\",\"command\":[\"sh\",\"-c\",\"printf '\\\\033]0;hello title\\\\007'; echo line-one; "
		"echo 1 >one.txt; git add one.txt; git commit -qm one; echo report-one >SHOAL_REPORT.md\"]},"
		"{\"id\":\"two\",\"command\":[\"sh\",\"-c\",\"printf 'name? '; read x; echo got $x; echo 2 >two.txt; "
		"git add two.txt; git commit -qm two\"]}]}",
		val);
	struct plan *p = write_plan(text);
	free(text);
	struct err e;
	struct runner_opts ro = { .rows = 10, .cols = 50 };
	struct runner *r = runner_open(p, dir, &ro, &e);
	if (!r)
		fail_msg("%s", e.msg);
	/* Idle: no timer at all. */
	assert_int_equal(runner_timeout_ms(r, (int64_t)util_now_ms()), -1);
	assert_null(runner_term(r, 0));
	/* One runner per process (and one shoal per repository). */
	assert_null(runner_open(p, dir, &ro, &e));
	assert_int_equal(runner_send_bytes(r, 0, "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "has no running process"));

	assert_int_equal(runner_next_wave(r, &e), 0);
	struct sbuf log = { 0 };
	assert_true(spin(r, asking, &log));
	/* Live agents: the status timer runs. */
	int to = runner_timeout_ms(r, (int64_t)util_now_ms());
	assert_true(to >= 0 && to <= RUNNER_EVAL_MS);
	assert_int_equal(runner_send_bytes(r, 1, "hi\r", 3, &e), 0);
	if (!spin(r, got_hi, &log))
		fail_msg("not done: %s", log.s);
	assert_string_equal(term_title(runner_term(r, 0)), "hello title");
	assert_true(screen_has(r, 0, "line-one"));
	int rows, cols;
	term_size(runner_term(r, 0), &rows, &cols);
	assert_int_equal(rows, 10);
	assert_int_equal(cols, 50);
	runner_resize_task(r, 0, 12, 60);
	term_size(runner_term(r, 0), &rows, &cols);
	assert_int_equal(rows, 12);
	assert_int_equal(cols, 60);
	assert_non_null(strstr(log.s, "task 0 running>done exit 0"));
	assert_non_null(strstr(log.s, "task 1 running>done exit 0"));
	assert_non_null(strstr(log.s, "report saved to"));
	char *rp = runner_report_path(r, 0);
	assert_non_null(rp);
	size_t n;
	char *rep = util_read_file(rp, &n, NULL);
	assert_non_null(rep);
	assert_string_equal(rep, "report-one\n");
	free(rep);
	free(rp);
	assert_null(runner_report_path(r, 1));
	/* The agent's raw output is in its log. */
	char *lp = xasprintf("%s/.shoal/logs/one.log", dir);
	char *lt = util_read_file(lp, &n, NULL);
	assert_non_null(lt);
	assert_non_null(strstr(lt, "line-one"));
	assert_non_null(strstr(lt, "exited 0"));
	free(lt);
	free(lp);
	/* Nothing live: the timers stop (after the lazy save). */
	spin(r, all_done, &log);
	orch_flush(runner_orch(r));
	assert_int_equal(runner_timeout_ms(r, (int64_t)util_now_ms()), -1);

	assert_int_equal(runner_merge_wave(r, &e), 0);
	if (!spin(r, all_merged, &log))
		fail_msg("not merged: %s", log.s);
	assert_non_null(strstr(log.s, "output 0 pending>pending validated-ok"));
	assert_non_null(strstr(log.s, "task 1 merging>merged merged as "));
	sbuf_free(&log);
	char *vt = util_read_file(val, &n, NULL);
	assert_non_null(vt);
	assert_string_equal(vt, "v\nv\n");
	free(vt);
	runner_close(r);
	free(val);
	/* The lock is free again. */
	r = runner_open(p, dir, &ro, &e);
	if (!r)
		fail_msg("%s", e.msg);
	assert_true(all_merged(r));
	runner_close(r);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_wave, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
