/* Unit tests for status: the combination of process state, output activity,
 * terminal title, screen patterns and marks, with the precedence documented
 * in include/status.h. Pure functions: time is passed in. */
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "status.h"

#define T0 1000000 /* an arbitrary start time, ms */

/* Compiles a profile's rules or fails the test. */
static void rules(struct status_rules *r, const char *profile, const char *const *waiting,
		  const char *title, int idle_after)
{
	struct err e = { { 0 } };
	if (status_rules_init(r, profile, waiting, title, idle_after, &e) < 0)
		fail_msg("%s", e.msg);
}

/* An alive process started at T0 with an activity record. */
static struct status_in alive_in(const struct status_activity *a, int64_t now)
{
	struct status_in in = { .now_ms = now, .alive = 1, .act = a };
	return in;
}

static enum status eval(const struct status_rules *r, const struct status_in *in,
			struct status_out *out)
{
	status_eval(r, in, out);
	return out->st;
}

static void test_names(void **st)
{
	(void)st;
	assert_string_equal(status_name(STATUS_WAITING), "waiting-input");
	assert_string_equal(status_name(STATUS_DONE), "done");
	assert_int_equal(status_task_state(STATUS_RUNNING), TASK_RUNNING);
	assert_int_equal(status_task_state(STATUS_IDLE), TASK_IDLE);
	assert_int_equal(status_task_state(STATUS_WAITING), TASK_WAITING);
	assert_int_equal(status_task_state(STATUS_DONE), TASK_DONE);
	assert_int_equal(status_task_state(STATUS_FAILED), TASK_FAILED);
	assert_int_equal(status_mark_parse("done"), STATUS_MARK_DONE);
	assert_int_equal(status_mark_parse("failed"), STATUS_MARK_FAILED);
	assert_int_equal(status_mark_parse("waiting"), STATUS_MARK_WAITING);
	assert_int_equal(status_mark_parse("waiting-input"), STATUS_MARK_WAITING);
	assert_int_equal(status_mark_parse("Done"), -1);
	assert_int_equal(status_mark_parse("running"), -1);
	assert_int_equal(status_mark_parse(NULL), -1);
}

static void test_exit(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	rules(&r, "claude", NULL, NULL, 0);
	struct status_in in = { .now_ms = T0, .alive = 0, .exit_code = 0 };
	assert_int_equal(eval(&r, &in, &o), STATUS_DONE);
	assert_string_equal(o.reason, "exit 0");
	in.exit_code = 3;
	assert_int_equal(eval(&r, &in, &o), STATUS_FAILED);
	assert_string_equal(o.reason, "exit 3");
	in.exit_code = 0;
	in.term_signal = SIGKILL;
	assert_int_equal(eval(&r, &in, &o), STATUS_FAILED);
	assert_string_equal(o.reason, "killed by SIGKILL");
	in.term_signal = SIGSEGV;
	eval(&r, &in, &o);
	assert_string_equal(o.reason, "killed by SIGSEGV");
	in.term_signal = 77;
	eval(&r, &in, &o);
	assert_string_equal(o.reason, "killed by signal 77");
	/* A finished process is done even with a waiting prompt on screen. */
	const char *lines[] = { "Do you want to proceed?" };
	in.term_signal = 0;
	in.lines = lines;
	in.nlines = 1;
	in.title = "\xe2\xa0\x82 working";
	assert_int_equal(eval(&r, &in, &o), STATUS_DONE);
	status_rules_free(&r);
}

static void test_idle_after(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "shell", NULL, NULL, 0);
	assert_int_equal(r.idle_after_ms, 5000);
	status_activity_start(&a, T0);
	struct status_in in = alive_in(&a, T0);
	/* Just started, nothing printed yet: running ("starting"). */
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	assert_string_equal(o.reason, "starting");
	in.now_ms = T0 + 4999;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	in.now_ms = T0 + 5000;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	assert_string_equal(o.reason, "no output since start (5 s)");

	/* Output right away, then silence. */
	status_activity_start(&a, T0);
	for (int t = 0; t <= 3000; t += 100)
		status_activity_output(&a, &r, T0 + t);
	in.now_ms = T0 + 3000 + 4999;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	assert_string_equal(o.reason, "output");
	in.now_ms = T0 + 3000 + 5000;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	assert_string_equal(o.reason, "no output for 5 s");
	in.now_ms = T0 + 3000 + 125000;
	eval(&r, &in, &o);
	assert_string_equal(o.reason, "no output for 2 min");
	status_rules_free(&r);

	/* A profile's own idle_after. */
	rules(&r, "shell", NULL, NULL, 2);
	status_activity_start(&a, T0);
	status_activity_output(&a, &r, T0 + 10);
	in.now_ms = T0 + 10 + 1999;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	in.now_ms = T0 + 10 + 2000;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);
}

static void test_spike_filter(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "codex", NULL, NULL, 0);
	status_activity_start(&a, T0);
	status_activity_output(&a, &r, T0 + 100);
	int64_t t = T0 + 100 + 60000; /* a minute of silence */
	struct status_in in = alive_in(&a, t);
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);

	/* One status-bar tick after the silence: still idle. */
	status_activity_output(&a, &r, t);
	in.now_ms = t + 50;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	assert_string_equal(o.reason, "single burst of output after a silence");
	/* A second write 300 ms later (a redraw): still a burst. */
	status_activity_output(&a, &r, t + 300);
	in.now_ms = t + 350;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	/* Sustained output for a second: working again. */
	for (int k = 4; k <= 10; k++)
		status_activity_output(&a, &r, t + k * 100);
	in.now_ms = t + 1000;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	assert_string_equal(o.reason, "output");
	/* And idle again after idle_after of silence. */
	in.now_ms = t + 1000 + 5000;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);

	/* A clock ticking every 10 s never makes a streak. */
	int64_t u = t + 20000;
	for (int k = 0; k < 6; k++) {
		status_activity_output(&a, &r, u + k * 10000);
		in.now_ms = u + k * 10000 + 1;
		assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	}
	status_rules_free(&r);
}

static void test_title(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "claude", NULL, NULL, 0);
	assert_int_equal(r.title_mode, STATUS_TITLE_BRAILLE);
	status_activity_start(&a, T0);
	struct status_in in = alive_in(&a, T0 + 30000); /* silent for 30 s */
	in.title = "\xe2\xa0\x90 Fix the login bug"; /* U+2810 */
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	assert_string_equal(o.reason, "title: \"\xe2\xa0\x90 Fix the login bug\"");
	in.title = "\xe2\xa3\xbf x"; /* U+28FF, the top of the block */
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	in.title = "\xe2\x9c\xb3 Fix the login bug"; /* ✳ U+2733: Claude at rest */
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	in.title = "\xe2\xa4\x80 arrow"; /* U+2900, just past the block */
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	in.title = "\xe2\xa0"; /* truncated sequence: no overread, not working */
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);

	/* Other profiles do not read Braille titles... */
	rules(&r, "codex", NULL, NULL, 0);
	in.title = "\xe2\xa0\x90 busy";
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);
	/* ...unless they say how. */
	rules(&r, "shell", NULL, "^(working|building)", 0);
	in.title = "building shoal";
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	in.title = "shell: building";
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	in.title = NULL;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);
}

/* Screen lines: a prompt near the bottom, blank lines under it. */
static void check_waiting(const char *profile, const char *prompt_line, int expect_waiting)
{
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, profile, NULL, NULL, 0);
	status_activity_start(&a, T0);
	status_activity_output(&a, &r, T0 + 100);
	const char *lines[] = { "some earlier output", "", prompt_line, "", "   ", "" };
	struct status_in in = alive_in(&a, T0 + 100 + STATUS_SETTLE_MS);
	in.lines = lines;
	in.nlines = (int)ARRAY_LEN(lines);
	enum status s = eval(&r, &in, &o);
	if (expect_waiting) {
		if (s != STATUS_WAITING)
			fail_msg("%s: \"%s\" gave %s (%s)", profile, prompt_line, status_name(s), o.reason);
		assert_non_null(strstr(o.reason, "screen: \""));
	} else if (s == STATUS_WAITING) {
		fail_msg("%s: \"%s\" taken for waiting (%s)", profile, prompt_line, o.reason);
	}
	status_rules_free(&r);
}

static void test_waiting_builtin(void **st)
{
	(void)st;
	check_waiting("claude", "\xe2\x94\x82 Do you want to proceed?", 1);
	check_waiting("claude", " Do you want to make this edit to login.c?", 1);
	check_waiting("claude", "\xe2\x9d\xaf 3. No, and tell Claude what to do differently (esc)", 1);
	check_waiting("claude", "  3. Deny (esc)", 1);
	check_waiting("claude", "  API Error: 401 {\"type\":\"error\"}", 1);
	check_waiting("claude", "Invalid API key \xc2\xb7 Please run /login", 1);
	check_waiting("claude", "I changed the parser; the tests pass.", 0);
	check_waiting("claude", "> ", 0);
	check_waiting("codex", "Allow command? [y/n]", 1);
	check_waiting("codex", "Press Enter to confirm or Esc to cancel", 1);
	check_waiting("codex", "No, and tell Claude what to do differently", 0);
	check_waiting("aider", "Add src/x.c to the chat? (Y)es/(N)o/(D)on't ask again [Yes]: ", 1);
	check_waiting("aider", "Run shell command? [Yes]:", 1);
	check_waiting("aider", "Applied edit to src/x.c", 0);
	check_waiting("gemini", "\xe2\x97\x8f 1. Yes, allow once", 1);
	check_waiting("gemini", "Allow execution of: 'make'?", 1);
	check_waiting("gemini", "Thinking (esc to cancel, 12s)", 0);
	check_waiting("shell", "Do you want to proceed?", 0);
	check_waiting(NULL, "Do you want to proceed?", 0);
	/* Generic prompts for plain programs (shell, explicit commands). */
	check_waiting("shell", "Overwrite existing file? [y/N] ", 1);
	check_waiting(NULL, "Continue (y/n)?", 1);
	check_waiting(NULL, "Proceed? [Yes/No]: ", 1);
	check_waiting("my-own-agent", "[sudo] password for root: ", 1);
	check_waiting(NULL, "Enter passphrase for key '/root/.ssh/id_ed25519': ", 1);
	check_waiting(NULL, "Press ENTER to continue", 1);
	check_waiting(NULL, "parsing the [y/n] flag of the option table", 0);
	check_waiting(NULL, "password: updated the hashing code", 0);
	check_waiting("codex", "[sudo] password for root: ", 0); /* profiles keep their own */
}

static void test_waiting_rules(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "claude", NULL, NULL, 0);
	status_activity_start(&a, T0);
	for (int t = 0; t < 3000; t += 100)
		status_activity_output(&a, &r, T0 + t);
	int64_t last = T0 + 2900;

	/* The prompt, then 40 lines of output under it: out of the scanned
	 * window (30 lines), so not waiting. */
	const char *lines[50];
	lines[0] = "Do you want to proceed?";
	for (int i = 1; i < 50; i++)
		lines[i] = i <= 40 ? "compiling..." : "";
	struct status_in in = alive_in(&a, last + 6000);
	in.lines = lines;
	in.nlines = 50;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	/* Within the window (trailing blank lines do not count). */
	lines[12] = "Do you want to proceed?";
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	assert_string_equal(o.reason, "screen: \"Do you want to proceed?\"");
	/* Output still flowing: a prompt in view is not trusted yet. */
	in.now_ms = last + STATUS_SETTLE_MS - 1;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	in.now_ms = last + STATUS_SETTLE_MS;
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	/* Waiting beats a working title (the spinner may be stale). */
	in.title = "\xe2\xa0\x82 task";
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	/* NULL lines are skipped. */
	lines[12] = NULL;
	in.title = NULL;
	in.now_ms = last + 6000;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);

	/* The plan's own patterns replace the built-in ones. */
	const char *const mine[] = { "^READY>", NULL };
	rules(&r, "claude", mine, NULL, 0);
	const char *l2[] = { "Do you want to proceed?" };
	in.lines = l2;
	in.nlines = 1;
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	l2[0] = "READY> ";
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	status_rules_free(&r);
	/* An empty list keeps the built-ins. */
	const char *const empty[] = { NULL };
	rules(&r, "claude", empty, NULL, 0);
	l2[0] = "Do you want to proceed?";
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	status_rules_free(&r);
}

static void test_long_reason(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	rules(&r, "claude", NULL, NULL, 0);
	char line[400];
	/* 78 ASCII then "é" (2 bytes) straddling the 80-byte cut, then more. */
	memset(line, 'x', 79);
	memcpy(line + 79, "\xc3\xa9", 2);
	snprintf(line + 81, sizeof line - 81, " Do you want to proceed? %0100d", 0);
	const char *lines[] = { line };
	struct status_in in = { .now_ms = T0, .alive = 1, .lines = lines, .nlines = 1 };
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	char want[128];
	snprintf(want, sizeof want, "screen: \"%.*s\xe2\x80\xa6\"", 79, line);
	assert_string_equal(o.reason, want);
	status_rules_free(&r);
}

static void test_busy_patterns(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "claude", NULL, NULL, 0);
	status_activity_start(&a, T0);
	struct status_in in = alive_in(&a, T0 + 20000);
	const char *lines[] = { "\xe2\x9c\xbd Tempering\xe2\x80\xa6 (12s \xc2\xb7 esc to interrupt)",
				"\xe2\x95\xad\xe2\x94\x80\xe2\x94\x80", "\xe2\x94\x82 > " };
	in.lines = lines;
	in.nlines = 3;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	assert_non_null(strstr(o.reason, "esc to interrupt"));
	lines[0] = "\xe2\x9c\xbd Tempering\xe2\x80\xa6 (\xe2\x86\x91 1.2k tokens)";
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	lines[0] = "Done.";
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);

	rules(&r, "codex", NULL, NULL, 0);
	lines[0] = "Working (3s \xe2\x80\xa2 Esc to interrupt)";
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	status_rules_free(&r);
	rules(&r, "gemini", NULL, NULL, 0);
	lines[0] = "\xe2\xa0\x8b Reticulating (esc to cancel, 12s)";
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	status_rules_free(&r);
}

static void test_marks(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "claude", NULL, NULL, 0);
	status_activity_start(&a, T0);
	for (int t = 0; t < 3000; t += 100)
		status_activity_output(&a, &r, T0 + t);
	struct status_in in = alive_in(&a, T0 + 3000);
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);

	/* Marked done while running: done, whatever the output says. */
	in.mark = STATUS_MARK_DONE;
	in.mark_alive = 1;
	in.mark_ms = T0 + 3000;
	in.title = "\xe2\xa0\x82 busy";
	assert_int_equal(eval(&r, &in, &o), STATUS_DONE);
	assert_string_equal(o.reason, "marked done");
	/* The process then exits non-zero: the mark no longer applies. */
	in.alive = 0;
	in.exit_code = 2;
	assert_int_equal(eval(&r, &in, &o), STATUS_FAILED);
	assert_string_equal(o.reason, "exit 2");
	/* A mark made after the exit (accepting the work) holds. */
	in.mark_alive = 0;
	assert_int_equal(eval(&r, &in, &o), STATUS_DONE);
	assert_string_equal(o.reason, "marked done");
	in.mark = STATUS_MARK_FAILED;
	in.exit_code = 0;
	assert_int_equal(eval(&r, &in, &o), STATUS_FAILED);
	assert_string_equal(o.reason, "marked failed");

	/* Waiting (e.g. from a Notification hook) until input is sent. */
	in.alive = 1;
	in.mark = STATUS_MARK_WAITING;
	in.mark_alive = 1;
	in.mark_ms = T0 + 3000;
	in.last_input_ms = T0 + 2000;
	assert_int_equal(eval(&r, &in, &o), STATUS_WAITING);
	assert_string_equal(o.reason, "marked waiting");
	in.last_input_ms = T0 + 3500;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING); /* back to the title */
	/* Marks on another process state are ignored. */
	in.mark = STATUS_MARK_FAILED;
	in.mark_alive = 0;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	status_rules_free(&r);
}

static void test_bad_patterns(void **st)
{
	(void)st;
	struct status_rules r;
	struct err e = { { 0 } };
	const char *const bad[] = { "ok", "(unclosed", NULL };
	assert_int_equal(status_rules_init(&r, "claude", bad, NULL, 0, &e), -1);
	assert_non_null(strstr(e.msg, "profile claude: bad waiting pattern \"(unclosed\": "));
	assert_int_equal(status_rules_init(&r, "mine", NULL, "[z-a]", 0, &e), -1);
	assert_non_null(strstr(e.msg, "profile mine: bad working_title pattern \"[z-a]\": "));
	/* Every built-in pattern compiles, under C and UTF-8 locales. */
	const char *profiles[] = { "claude", "codex", "aider", "gemini", "shell" };
	for (int loc = 0; loc < 2; loc++) {
		if (loc == 1 && !setlocale(LC_ALL, "C.UTF-8"))
			break;
		for (size_t i = 0; i < ARRAY_LEN(profiles); i++) {
			if (status_rules_init(&r, profiles[i], NULL, NULL, 0, &e) < 0)
				fail_msg("%s", e.msg);
			status_rules_free(&r);
		}
	}
	setlocale(LC_ALL, "C");
	assert_non_null(status_builtin_waiting("nope"));
	assert_non_null(status_builtin_waiting("nope")[0]); /* the generic prompts */
	assert_ptr_equal(status_builtin_waiting("nope"), status_builtin_waiting("shell"));
	assert_null(status_builtin_busy(NULL)[0]);
}

static void test_utf8_locale(void **st)
{
	(void)st;
	/* The dashboard runs with setlocale(LC_ALL, ""): the same answers. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		skip();
	check_waiting("claude", "\xe2\x94\x82 Do you want to proceed?", 1);
	check_waiting("codex", "Allow command? [y/n]", 1);
	check_waiting("aider", "Add x? (Y)es/(N)o/(D)on't ask again [Yes]: ", 1);
	check_waiting("claude", "I changed the parser.", 0);
	struct status_rules r;
	struct status_out o;
	struct status_activity a;
	rules(&r, "codex", NULL, NULL, 0);
	status_activity_start(&a, T0);
	struct status_in in = alive_in(&a, T0 + 20000);
	const char *lines[] = { "Working (3s \xe2\x80\xa2 esc to interrupt)" };
	in.lines = lines;
	in.nlines = 1;
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	status_rules_free(&r);
	/* A non-ASCII bracket expression keeps its meaning: characters, not
	 * bytes (compiled in the current locale). */
	rules(&r, "shell", NULL, "^[\xe2\xa0\x90\xe2\xa0\x82] ", 0);
	in.lines = NULL;
	in.nlines = 0;
	in.title = "\xe2\xa0\x90 working";
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	in.title = "\xe2\x9c\xb3 resting"; /* U+2733: same lead byte, outside the range */
	assert_int_equal(eval(&r, &in, &o), STATUS_IDLE);
	status_rules_free(&r);
	setlocale(LC_ALL, "C");
}

static void test_no_activity_info(void **st)
{
	(void)st;
	struct status_rules r;
	struct status_out o;
	rules(&r, NULL, NULL, NULL, 0);
	struct status_in in = { .now_ms = T0, .alive = 1 };
	assert_int_equal(eval(&r, &in, &o), STATUS_RUNNING);
	assert_string_equal(o.reason, "process alive");
	status_rules_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_idle_after),
		cmocka_unit_test(test_spike_filter),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_waiting_builtin),
		cmocka_unit_test(test_waiting_rules),
		cmocka_unit_test(test_long_reason),
		cmocka_unit_test(test_busy_patterns),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_bad_patterns),
		cmocka_unit_test(test_utf8_locale),
		cmocka_unit_test(test_no_activity_info),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
