/* The demo plan's "sim" agent profile (assets/demo/plan.json) against what
 * the simulated agents (assets/agents) really print: the profile's waiting
 * pattern must catch the asker's question and its working_title the
 * worker's spinner title, through status_eval. Runs the real scripts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "status.h"

static const char *top(void)
{
	static char cwd[4096];
	const char *t = getenv("SHOAL_TOP");
	if (t && *t)
		return t;
	return getcwd(cwd, sizeof cwd) ? cwd : ".";
}

/* Runs an agent script (speed 0, no colour, stdin from /dev/null) in a
 * temp dir; returns everything it printed. */
static char *run_agent(const char *agent)
{
	char *cmd = xasprintf("d=$(mktemp -d) && cd \"$d\" && SHOAL_DEMO_SPEED=0 NO_COLOR=1 SHOAL_TASK_ID=t1 SIM_FILES=lib/x.sh "
			      "sh '%s/assets/agents/%s.sh' prompt </dev/null 2>&1; rm -rf \"$d\"", top(), agent);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	struct sbuf b = { 0 };
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&b, buf, n);
	pclose(f);
	free(cmd);
	return sbuf_steal(&b);
}

static struct plan *demo_plan(void)
{
	char *path = xasprintf("%s/assets/demo/plan.json", top());
	struct diags d;
	diags_init(&d, path, NULL, 0);
	struct plan *p = plan_load(path, NULL, &d);
	if (!p)
		fail_msg("%s does not load", path);
	diags_free(&d);
	free(path);
	return p;
}

static void rules_for(struct status_rules *r, const struct plan *p)
{
	const struct plan_profile *pr = plan_profile_find(p, "sim");
	assert_non_null(pr);
	struct err e;
	if (status_rules_init(r, pr->name, (const char *const *)pr->waiting, pr->working_title,
			      pr->idle_after, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_asker_question_is_waiting(void **st)
{
	(void)st;
	struct plan *p = demo_plan();
	struct status_rules r;
	rules_for(&r, p);
	char *out = run_agent("asker");
	/* The screen as the agent leaves it while it waits: the question is the
	 * last line, the cursor after it. */
	char *q = strstr(out, "? Should t1");
	assert_non_null(q);
	char *nl = strchr(q, '\n');
	if (nl)
		*nl = 0;
	const char *lines[] = { "● sim-agent · t1 — t1", "", "✓ Reading the code", "", q };
	struct status_activity a;
	status_activity_start(&a, 0);
	status_activity_output(&a, &r, 100);
	struct status_in in = { .now_ms = 1000, .alive = 1, .act = &a, .lines = lines, .nlines = 5 };
	struct status_out o;
	status_eval(&r, &in, &o);
	if (o.st != STATUS_WAITING)
		fail_msg("\"%s\" gave %s (%s)", q, status_name(o.st), o.reason);
	/* Answered and back at work: the question scrolled on, not waiting. */
	lines[4] = "✓ Writing lib/args.sh (with long options)";
	status_eval(&r, &in, &o);
	assert_int_not_equal(o.st, STATUS_WAITING);
	free(out);
	status_rules_free(&r);
	plan_free(p);
}

static void test_worker_title_is_working(void **st)
{
	(void)st;
	struct plan *p = demo_plan();
	struct status_rules r;
	rules_for(&r, p);
	/* Outside a repository the worker stops at its commit, after its steps. */
	char *out = run_agent("worker");
	/* Every OSC 0 title the agent set: working ones must match, the rest
	 * must not. */
	int working = 0, resting = 0;
	for (char *s = strstr(out, "\033]0;"); s; s = strstr(s + 1, "\033]0;")) {
		char *end = strchr(s, '\007');
		assert_non_null(end);
		char *title = xstrndup(s + 4, (size_t)(end - s - 4));
		struct status_activity a;
		status_activity_start(&a, 0);
		struct status_in in = { .now_ms = 60000, .alive = 1, .act = &a, .title = title };
		struct status_out o;
		status_eval(&r, &in, &o);
		if (strstr(title, "working")) {
			assert_int_equal(o.st, STATUS_RUNNING);
			working++;
		} else {
			assert_int_equal(o.st, STATUS_IDLE);
			resting++;
		}
		free(title);
	}
	assert_true(working >= 2);
	assert_true(resting >= 1);
	free(out);
	status_rules_free(&r);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asker_question_is_waiting),
		cmocka_unit_test(test_worker_title_is_working),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
