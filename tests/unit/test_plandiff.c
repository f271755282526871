/* Unit tests for plandiff (plan changes between runs, compatibility of a
 * saved state). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"
#include "plandiff.h"
#include "state.h"

static struct plan *load(const char *text)
{
	struct diags d;
	diags_init(&d, "p.json", text, strlen(text));
	struct plan *p = plan_parse("p.json", text, strlen(text), NULL, &d);
	diags_free(&d);
	assert_non_null(p);
	return p;
}

#define PLAN_ABC "{\"name\":\"x\",\"tasks\":[{\"id\":\"a\",\"command\":[\"true\"]}," \
		 "{\"id\":\"b\",\"command\":[\"true\"]},{\"id\":\"c\",\"depends_on\":[\"a\"],\"command\":[\"true\"]}]}"

static void set(struct state *s, const char *id, enum task_state st)
{
	state_task_get(s, id)->st = st;
}

static void test_same_plan(void **u)
{
	(void)u;
	struct plan *a = load(PLAN_ABC), *b = load(PLAN_ABC);
	struct state s;
	state_init(&s, "p.json", "h");
	assert_null(plandiff_describe(a, b, &s));
	assert_int_equal(plandiff_check(b, &s, &(struct err){ { 0 } }), 0);
	state_free(&s);
	plan_free(a);
	plan_free(b);
}

static void test_added_removed_deps(void **u)
{
	(void)u;
	struct plan *old = load(PLAN_ABC);
	struct plan *cur = load("{\"name\":\"x\",\"tasks\":[{\"id\":\"a\",\"command\":[\"true\"]},"
				"{\"id\":\"d\",\"command\":[\"true\"]},"
				"{\"id\":\"c\",\"depends_on\":[\"a\",\"d\"],\"command\":[\"true\"]}]}");
	struct state s;
	state_init(&s, "p.json", "h");
	set(&s, "a", TASK_MERGED);
	set(&s, "b", TASK_PENDING);
	set(&s, "c", TASK_PENDING);
	char *d = plandiff_describe(old, cur, &s);
	assert_non_null(d);
	assert_non_null(strstr(d, "task added: d (wave 1)\n"));
	assert_non_null(strstr(d, "task removed: b (it was pending)\n"));
	assert_non_null(strstr(d, "task c: dependencies changed: a -> a, d\n"));
	free(d);
	struct err e = { { 0 } };
	assert_int_equal(plandiff_check(cur, &s, &e), 0); /* b never started */
	/* A started task removed: refused, naming it. */
	set(&s, "b", TASK_DONE);
	assert_int_equal(plandiff_check(cur, &s, &e), -1);
	assert_non_null(strstr(e.msg, "task b is done in the saved run but no longer in the plan"));
	state_free(&s);
	plan_free(old);
	plan_free(cur);
}

static void test_merged_gets_unmerged_dep(void **u)
{
	(void)u;
	struct plan *cur = load("{\"name\":\"x\",\"tasks\":[{\"id\":\"a\",\"depends_on\":[\"n\"],\"command\":[\"true\"]},"
				"{\"id\":\"n\",\"command\":[\"true\"]}]}");
	struct state s;
	state_init(&s, "p.json", "h");
	set(&s, "a", TASK_MERGED);
	struct err e = { { 0 } };
	assert_int_equal(plandiff_check(cur, &s, &e), -1);
	assert_non_null(strstr(e.msg, "task a is already merged but now depends on n, which is new"));
	set(&s, "n", TASK_SKIPPED);
	assert_int_equal(plandiff_check(cur, &s, &e), 0);
	/* Without the old plan: ids only. */
	set(&s, "gone", TASK_PENDING);
	char *d = plandiff_describe(NULL, cur, &s);
	assert_non_null(d);
	assert_non_null(strstr(d, "task removed: gone (it was pending)"));
	assert_null(strstr(d, "task added"));
	free(d);
	state_free(&s);
	plan_free(cur);
}

static void test_settings_and_fields(void **u)
{
	(void)u;
	struct plan *old = load("{\"name\":\"x\",\"max_workers\":4,\"validate\":\"make\",\"tasks\":["
				"{\"id\":\"a\",\"prompt\":\"do a\",\"agent\":\"claude\",\"territory\":[\"src/\"]},"
				"{\"id\":\"b\",\"title\":\"Bee\",\"command\":[\"true\"]}]}");
	struct plan *cur = load("{\"name\":\"x\",\"max_workers\":2,\"validate\":\"make test\",\"tasks\":["
				"{\"id\":\"a\",\"prompt\":\"do a better\",\"agent\":\"codex\",\"territory\":[\"src/\",\"doc/\"]},"
				"{\"id\":\"b\",\"title\":\"Bee\",\"depends_on\":[\"a\"],\"command\":[\"false\"]}]}");
	char *d = plandiff_describe(old, cur, NULL);
	assert_non_null(d);
	assert_non_null(strstr(d, "max_workers: 4 -> 2\n"));
	assert_non_null(strstr(d, "validate: \"make\" -> \"make test\"\n"));
	assert_non_null(strstr(d, "task a: prompt changed\n"));
	assert_non_null(strstr(d, "task a: agent: \"claude\" -> \"codex\"\n"));
	assert_non_null(strstr(d, "task a: territory: src/ -> src/, doc/\n"));
	assert_non_null(strstr(d, "task b: command: true -> false\n"));
	assert_non_null(strstr(d, "task b: wave 1 -> 2\n"));
	assert_non_null(strstr(d, "task b: dependencies changed: (none) -> a\n"));
	assert_null(strstr(d, "title")); /* b's title is the same */
	free(d);
	/* Only a setting: one line. */
	struct plan *same = load("{\"name\":\"x\",\"max_workers\":4,\"validate\":\"make\",\"tasks\":["
				 "{\"id\":\"a\",\"prompt\":\"do a\",\"agent\":\"claude\",\"territory\":[\"src/\"]},"
				 "{\"id\":\"b\",\"title\":\"Bee\",\"command\":[\"true\"]}]}");
	assert_null(plandiff_describe(old, same, NULL));
	plan_free(same);
	plan_free(old);
	plan_free(cur);
}

static void test_check_live(void **u)
{
	(void)u;
	struct plan *old = load(PLAN_ABC);
	/* c gets b as a second dependency; d is added. */
	struct plan *cur = load("{\"name\":\"x\",\"tasks\":[{\"id\":\"a\",\"command\":[\"true\"]},"
				"{\"id\":\"b\",\"command\":[\"true\"]},{\"id\":\"d\",\"command\":[\"true\"]},"
				"{\"id\":\"c\",\"depends_on\":[\"a\",\"b\"],\"command\":[\"true\"]}]}");
	struct state s;
	state_init(&s, "p.json", "h");
	set(&s, "a", TASK_RUNNING);
	set(&s, "b", TASK_PENDING);
	set(&s, "c", TASK_PENDING);
	struct err e = { { 0 } };
	assert_int_equal(plandiff_check_live(old, cur, &s, &e), 0); /* c never started */
	set(&s, "c", TASK_DONE);
	assert_int_equal(plandiff_check_live(old, cur, &s, &e), -1);
	assert_non_null(strstr(e.msg, "task c is done: its dependencies can not change in a live run (a -> a, b)"));
	set(&s, "c", TASK_PENDING);
	/* A started task dropped. */
	struct plan *drop = load("{\"name\":\"x\",\"tasks\":[{\"id\":\"b\",\"command\":[\"true\"]}]}");
	assert_int_equal(plandiff_check_live(old, drop, &s, &e), -1);
	assert_non_null(strstr(e.msg, "task a is running"));
	/* The branch prefix once something started. */
	struct plan *pre = load("{\"name\":\"x\",\"branch_prefix\":\"other/\",\"tasks\":[{\"id\":\"a\",\"command\":[\"true\"]},"
				"{\"id\":\"b\",\"command\":[\"true\"]},{\"id\":\"c\",\"depends_on\":[\"a\"],\"command\":[\"true\"]}]}");
	assert_int_equal(plandiff_check_live(old, pre, &s, &e), -1);
	assert_non_null(strstr(e.msg, "branch_prefix can not change"));
	set(&s, "a", TASK_PENDING);
	assert_int_equal(plandiff_check_live(old, pre, &s, &e), 0);
	plan_free(pre);
	plan_free(drop);
	state_free(&s);
	plan_free(old);
	plan_free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_plan),
		cmocka_unit_test(test_added_removed_deps),
		cmocka_unit_test(test_merged_gets_unmerged_dep),
		cmocka_unit_test(test_settings_and_fields),
		cmocka_unit_test(test_check_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
