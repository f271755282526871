/* Unit tests for agent: finding a task's program (PATH search, relative
 * commands in the worktree, missing / not executable / directory), with real
 * files in a temp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent.h"
#include "plan.h"

static char *dir;

static void put(const char *rel, mode_t mode)
{
	char *p = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static int setup(void **st)
{
	(void)st;
	char tpl[] = "/tmp/shoal-test-agent.XXXXXX";
	assert_non_null(mkdtemp(tpl));
	dir = xstrdup(tpl);
	char *p = xasprintf("%s/bin", dir);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/bin2", dir);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/bin2/dirprog", dir);
	mkdir(p, 0755);
	free(p);
	put("bin/claude", 0755);
	put("bin/noexec", 0644);
	put("bin2/codex", 0755);
	put("run.sh", 0755);
	put("data.txt", 0644);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
	return 0;
}

static void test_path_search(void **st)
{
	(void)st;
	struct err e;
	char *path = xasprintf("/nonexistent:%s/bin:%s/bin2", dir, dir);
	char *f = agent_find_program("claude", path, NULL, &e);
	char *want = xasprintf("%s/bin/claude", dir);
	assert_non_null(f);
	assert_string_equal(f, want);
	free(f);
	free(want);
	f = agent_find_program("codex", path, NULL, &e);
	assert_non_null(f);
	free(f);
	assert_null(agent_find_program("gemini", path, NULL, &e));
	assert_string_equal(e.msg, "program \"gemini\" is not installed (not found in PATH)");
	assert_null(agent_find_program("noexec", path, NULL, &e));
	assert_string_equal(e.msg, "program \"noexec\" is in PATH but not executable");
	assert_null(agent_find_program("dirprog", path, NULL, &e));
	assert_string_equal(e.msg, "program \"dirprog\" is not installed (not found in PATH)");
	assert_null(agent_find_program("", path, NULL, &e));
	assert_string_equal(e.msg, "empty program name");
	free(path);
	/* An empty PATH entry means the directory given. */
	path = xasprintf("/nonexistent::/also-not");
	f = agent_find_program("run.sh", path, dir, &e);
	assert_non_null(f);
	free(f);
	free(path);
	/* The default search path finds sh. */
	f = agent_find_program("sh", NULL, NULL, &e);
	assert_non_null(f);
	free(f);
}

static void test_paths(void **st)
{
	(void)st;
	struct err e;
	char *f = agent_find_program("./run.sh", "", dir, &e);
	assert_non_null(f);
	free(f);
	assert_null(agent_find_program("./data.txt", "", dir, &e));
	assert_string_equal(e.msg, "program \"./data.txt\" is not executable");
	assert_null(agent_find_program("bin2/dirprog", "", dir, &e));
	assert_string_equal(e.msg, "program \"bin2/dirprog\" is a directory");
	assert_null(agent_find_program("tools/agent.sh", "", dir, &e));
	assert_string_equal(e.msg, "program \"tools/agent.sh\" not found");
	char *abs = xasprintf("%s/run.sh", dir);
	f = agent_find_program(abs, "", "/elsewhere", &e);
	assert_non_null(f);
	assert_string_equal(f, abs);
	free(f);
	free(abs);
}

static void test_tasks(void **st)
{
	(void)st;
	const char *text =
		"{\"name\":\"t\",\"agent\":\"claude\",\"tasks\":["
		"{\"id\":\"a\",\"title\":\"A\"},"
		"{\"id\":\"b\",\"title\":\"B\",\"agent\":\"gemini\"},"
		"{\"id\":\"c\",\"title\":\"C\",\"command\":[\"./run.sh\",\"x\"]},"
		"{\"id\":\"d\",\"title\":\"D\",\"command\":[\"tools/missing.sh\"]}]}";
	struct diags d;
	diags_init(&d, "p.json", text, strlen(text));
	struct plan *p = plan_parse("p.json", text, strlen(text), NULL, &d);
	if (!p) {
		char *m = d.n ? diag_format(&d, 0) : xstrdup("?");
		fail_msg("%s", m);
	}
	diags_free(&d);
	struct err e;
	char *path = xasprintf("%s/bin", dir);
	assert_string_equal(agent_task_program(p, &p->tasks[0]), "claude");
	assert_string_equal(agent_task_program(p, &p->tasks[1]), "gemini");
	assert_string_equal(agent_task_program(p, &p->tasks[2]), "./run.sh");
	assert_int_equal(agent_check_task(p, &p->tasks[0], dir, path, &e), 0);
	assert_int_equal(agent_check_task(p, &p->tasks[1], dir, path, &e), -1);
	assert_string_equal(e.msg, "task b: program \"gemini\" is not installed (not found in PATH)");
	assert_int_equal(agent_check_task(p, &p->tasks[2], dir, path, &e), 0);
	assert_int_equal(agent_check_task(p, &p->tasks[3], dir, path, &e), -1);
	assert_string_equal(e.msg, "task d: program \"tools/missing.sh\" not found");
	free(path);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_search),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_tasks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
