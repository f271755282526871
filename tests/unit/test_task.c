/* Unit tests for task: state names, the transition table, events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "task.h"

static void test_names_roundtrip(void **st)
{
	(void)st;
	for (int i = 0; i < TASK_NSTATES; i++) {
		const char *n = task_state_name((enum task_state)i);
		assert_non_null(n);
		assert_string_not_equal(n, "?");
		assert_int_equal(task_state_parse(n), i);
		for (int j = 0; j < i; j++) /* names are distinct */
			assert_string_not_equal(n, task_state_name((enum task_state)j));
	}
	assert_string_equal(task_state_name(TASK_WAITING), "waiting-input");
	assert_string_equal(task_state_name(TASK_NSTATES), "?");
	assert_string_equal(task_state_name((enum task_state)-1), "?");
	assert_int_equal(task_state_parse("waiting"), -1);
	assert_int_equal(task_state_parse(""), -1);
	assert_int_equal(task_state_parse(NULL), -1);
}

static void test_lifecycle_path(void **st)
{
	(void)st;
	/* The happy path of DESIGN.md, every step allowed. */
	enum task_state path[] = { TASK_PENDING, TASK_READY, TASK_STARTING, TASK_RUNNING,
				   TASK_IDLE, TASK_RUNNING, TASK_WAITING, TASK_RUNNING,
				   TASK_DONE, TASK_MERGING, TASK_MERGED };
	for (size_t i = 0; i + 1 < ARRAY_LEN(path); i++)
		assert_true(task_transition_ok(path[i], path[i + 1]));
}

static void test_forbidden(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	/* Merged is final. */
	for (int i = 0; i < TASK_NSTATES; i++)
		assert_false(task_transition_ok(TASK_MERGED, (enum task_state)i));
	/* Nothing goes to itself. */
	for (int i = 0; i < TASK_NSTATES; i++)
		assert_false(task_transition_ok((enum task_state)i, (enum task_state)i));
	assert_false(task_transition_ok(TASK_RUNNING, TASK_MERGED));
	assert_false(task_transition_ok(TASK_PENDING, TASK_RUNNING));
	assert_false(task_transition_ok(TASK_FAILED, TASK_MERGING)); /* failed work is not merged */
	assert_false(task_transition_ok(TASK_RUNNING, TASK_MERGING));
	assert_false(task_transition_ok(TASK_SKIPPED, TASK_RUNNING));
	assert_false(task_transition_ok(TASK_NSTATES, TASK_DONE));
	/* a conflict goes back to its agent (orch_resolve): restarted, or typed
	 * to while it still runs (also when it was marked done); never from a
	 * merged task, nor straight from a failed one */
	assert_true(task_transition_ok(TASK_CONFLICT, TASK_STARTING));
	assert_true(task_transition_ok(TASK_CONFLICT, TASK_RUNNING));
	assert_true(task_transition_ok(TASK_DONE, TASK_RUNNING));
	assert_false(task_transition_ok(TASK_MERGED, TASK_RUNNING));
	assert_false(task_transition_ok(TASK_FAILED, TASK_RUNNING));
	assert_false(task_transition_ok(TASK_INVALID, TASK_RUNNING));
	assert_int_equal(task_transition_check("hashing", TASK_RUNNING, TASK_MERGED, &e), -1);
	assert_string_equal(e.msg, "task hashing: cannot go from running to merged");
	assert_int_equal(task_transition_check("hashing", TASK_DONE, TASK_DONE, &e), -1);
	assert_string_equal(e.msg, "task hashing: already done");
	assert_int_equal(task_transition_check("hashing", TASK_DONE, TASK_MERGING, &e), 0);
}

static void test_table_shape(void **st)
{
	(void)st;
	/* Every state except merged has a way out, and every state but pending
	 * can be reached; every live state can be stopped and can fail. */
	uint32_t reach = 0;
	for (int i = 0; i < TASK_NSTATES; i++) {
		if (i != TASK_MERGED)
			assert_true(task_transitions[i] != 0);
		assert_true((task_transitions[i] >> TASK_NSTATES) == 0);
		reach |= task_transitions[i];
		if (task_state_live((enum task_state)i)) {
			assert_true(task_transition_ok((enum task_state)i, TASK_STOPPED));
			assert_true(task_transition_ok((enum task_state)i, TASK_FAILED));
			assert_true(task_transition_ok((enum task_state)i, TASK_INTERRUPTED));
			assert_false(task_state_finished((enum task_state)i));
		}
	}
	for (int i = 0; i < TASK_NSTATES; i++)
		if (i != TASK_PENDING)
			assert_true((reach >> i) & 1u);
	/* Retry from every failure-ish state. */
	enum task_state again[] = { TASK_FAILED, TASK_STOPPED, TASK_CONFLICT, TASK_INVALID,
				    TASK_INTERRUPTED, TASK_DONE };
	for (size_t i = 0; i < ARRAY_LEN(again); i++) {
		assert_true(task_transition_ok(again[i], TASK_READY));
		assert_true(task_transition_ok(again[i], TASK_STARTING));
		assert_true(task_state_finished(again[i]));
	}
	assert_false(task_state_live(TASK_PENDING));
	assert_false(task_state_finished(TASK_PENDING));
	assert_false(task_state_finished(TASK_READY));
}

static void test_event_json(void **st)
{
	(void)st;
	struct task_event ev = { .task = "user-model", .from = TASK_RUNNING, .to = TASK_WAITING,
				 .time_ms = 1700000000123LL,
				 .reason = "screen: \"Do you want to proceed?\"\n\t\x01" };
	struct sbuf b = { 0 };
	task_event_json(&ev, &b);
	assert_true(b.len > 0 && b.s[b.len - 1] == '\n');
	assert_null(memchr(b.s, '\n', b.len - 1)); /* one line */
	cJSON *j = cJSON_Parse(b.s);
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "time")->valuestring, "2023-11-14T22:13:20.123Z");
	assert_true(cJSON_GetObjectItem(j, "ms")->valuedouble == 1700000000123.0);
	assert_string_equal(cJSON_GetObjectItem(j, "task")->valuestring, "user-model");
	assert_string_equal(cJSON_GetObjectItem(j, "from")->valuestring, "running");
	assert_string_equal(cJSON_GetObjectItem(j, "to")->valuestring, "waiting-input");
	assert_string_equal(cJSON_GetObjectItem(j, "reason")->valuestring, ev.reason);
	cJSON_Delete(j);
	sbuf_free(&b);

	ev.reason = NULL;
	task_event_json(&ev, &b);
	j = cJSON_Parse(b.s);
	assert_non_null(j);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "reason")));
	cJSON_Delete(j);
	sbuf_free(&b);
}

static void test_event_human(void **st)
{
	(void)st;
	setenv("TZ", "UTC", 1);
	tzset();
	struct task_event ev = { .task = "hashing", .from = TASK_RUNNING, .to = TASK_IDLE,
				 .time_ms = 1700000000123LL, .reason = "no output for 5 s" };
	struct sbuf b = { 0 };
	task_event_human(&ev, &b);
	assert_string_equal(b.s, "22:13:20 hashing: running \xe2\x86\x92 idle (no output for 5 s)\n");
	sbuf_free(&b);
	ev.reason = "two\nlines";
	ev.to = TASK_FAILED;
	task_event_human(&ev, &b);
	assert_string_equal(b.s, "22:13:20 hashing: running \xe2\x86\x92 failed (two lines)\n");
	sbuf_free(&b);
	ev.reason = NULL;
	task_event_human(&ev, &b);
	assert_string_equal(b.s, "22:13:20 hashing: running \xe2\x86\x92 failed\n");
	sbuf_free(&b);
	assert_true(task_now_ms() > 1700000000000LL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_roundtrip),
		cmocka_unit_test(test_lifecycle_path),
		cmocka_unit_test(test_forbidden),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_event_json),
		cmocka_unit_test(test_event_human),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
