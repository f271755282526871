/* The status rules on a real process: the demo's asking agent
 * (assets/agents/asker.sh, at high speed) runs on a real pseudo-terminal in a
 * real git repository; its output feeds the activity record as it arrives,
 * its OSC title and last lines (a plain line view, no terminal emulator)
 * feed status_eval with the demo plan's "sim" profile. It must be seen
 * running, then waiting for input at its question, then (answered through
 * the PTY) running again, then done when it exits 0 after its commit. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* A line view of the output: '\r' returns to the start of the line (the
 * spinner overwrites itself), OSC 0/2 sets the title, other escapes are
 * dropped. */
struct view {
	char lines[64][256];
	int n;      /* lines in use; the current one is lines[n - 1] */
	size_t col;
	char title[256];
	enum { V_TEXT, V_ESC, V_OSC, V_CSI } st;
	char osc[256];
	size_t oscn;
};

static void view_newline(struct view *v)
{
	if (v->n == 64) {
		memmove(v->lines[0], v->lines[1], sizeof v->lines[0] * 63);
		v->n = 63;
	}
	v->lines[v->n][0] = 0;
	v->n++;
	v->col = 0;
}

static void view_feed(struct view *v, const char *p, size_t n)
{
	if (!v->n)
		view_newline(v);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		switch (v->st) {
		case V_TEXT:
			if (c == 0x1b)
				v->st = V_ESC;
			else if (c == '\n')
				view_newline(v);
			else if (c == '\r')
				v->col = 0;
			else if (c >= 0x20 && v->col < 255) {
				char *l = v->lines[v->n - 1];
				l[v->col++] = (char)c;
				if (strlen(l) < v->col)
					l[v->col] = 0;
			}
			break;
		case V_ESC:
			v->st = c == ']' ? V_OSC : c == '[' ? V_CSI : V_TEXT;
			v->oscn = 0;
			break;
		case V_OSC:
			if (c == 0x07) {
				v->osc[v->oscn] = 0;
				if ((v->osc[0] == '0' || v->osc[0] == '2') && v->osc[1] == ';')
					snprintf(v->title, sizeof v->title, "%s", v->osc + 2);
				v->st = V_TEXT;
			} else if (v->oscn < sizeof v->osc - 1) {
				v->osc[v->oscn++] = (char)c;
			}
			break;
		case V_CSI:
			if (c >= 0x40 && c <= 0x7e)
				v->st = V_TEXT;
			break;
		}
	}
}

static void test_asker_on_a_pty(void **st)
{
	(void)st;
	/* The plan's profile. */
	char *plan_path = xasprintf("%s/assets/demo/plan.json", top());
	struct diags d;
	diags_init(&d, plan_path, NULL, 0);
	struct plan *p = plan_load(plan_path, NULL, &d);
	assert_non_null(p);
	diags_free(&d);
	const struct plan_profile *pr = plan_profile_find(p, "sim");
	assert_non_null(pr);
	struct status_rules r;
	struct err e;
	if (status_rules_init(&r, pr->name, (const char *const *)pr->waiting, pr->working_title,
			      pr->idle_after, &e) < 0)
		fail_msg("%s", e.msg);

	/* A repository for the agent to commit in. */
	char tpl[] = "/tmp/shoal-test-live.XXXXXX";
	assert_non_null(mkdtemp(tpl));
	char *cmd = xasprintf("git init -q '%s'", tpl);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *script = xasprintf("%s/assets/agents/asker.sh", top());

	int master;
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		if (chdir(tpl) < 0)
			_exit(126);
		setenv("SHOAL_DEMO_SPEED", "0.05", 1);
		setenv("NO_COLOR", "1", 1);
		setenv("SHOAL_TASK_ID", "live", 1);
		setenv("SIM_FILES", "lib/args.sh", 1);
		execlp("sh", "sh", script, "the prompt", (char *)NULL);
		_exit(127);
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

	struct view v;
	memset(&v, 0, sizeof v);
	struct status_activity a;
	status_activity_start(&a, (int64_t)util_now_ms());
	char seq[16] = { 0 }; /* the distinct statuses seen, as letters */
	size_t nseq = 0;
	int answered = 0, status = 0, exited = 0;
	int64_t last_input = 0, deadline = (int64_t)util_now_ms() + 15000;
	while ((int64_t)util_now_ms() < deadline) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		poll(&pfd, 1, 50);
		char buf[4096];
		ssize_t n;
		while ((n = read(master, buf, sizeof buf)) > 0) {
			status_activity_output(&a, &r, (int64_t)util_now_ms());
			view_feed(&v, buf, (size_t)n);
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		const char *lines[64];
		for (int i = 0; i < v.n; i++)
			lines[i] = v.lines[i];
		struct status_in in = { .now_ms = (int64_t)util_now_ms(), .alive = !exited, .act = &a,
					.title = v.title[0] ? v.title : NULL, .lines = lines, .nlines = v.n,
					.last_input_ms = last_input };
		if (exited) {
			in.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			in.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		}
		struct status_out o;
		status_eval(&r, &in, &o);
		char letter = "RIWDF"[o.st];
		if ((!nseq || seq[nseq - 1] != letter) && nseq < sizeof seq - 1)
			seq[nseq++] = letter;
		if (o.st == STATUS_WAITING && !answered) {
			assert_non_null(strstr(o.reason, "[y/n]"));
			assert_int_equal(write(master, "y\n", 2), 2);
			last_input = (int64_t)util_now_ms();
			answered = 1;
		}
		if (exited)
			break;
	}
	close(master);
	if (!exited) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("the agent did not finish; statuses seen: %s", seq);
	}
	/* Running (working title, output), waiting at the question, running
	 * again once answered, done. Idle may show between when the machine
	 * is slow, but waiting must come before done and after running. */
	if (!strstr(seq, "RW") || !strchr(strstr(seq, "W"), 'R') || seq[nseq - 1] != 'D')
		fail_msg("statuses seen: %s (R running, I idle, W waiting, D done, F failed)", seq);
	print_message("statuses seen: %s\n", seq);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* It committed the answer. */
	cmd = xasprintf("git -C '%s' log --oneline | grep -q 'with long options'", tpl);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("rm -rf '%s'", tpl);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(script);
	free(plan_path);
	status_rules_free(&r);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asker_on_a_pty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
