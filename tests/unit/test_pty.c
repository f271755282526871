/* test_pty — real pseudo-terminals: spawn, read, size, resize, exit status,
 * cleaned environment, the write queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ptyproc.h"

/* Reads everything until EOF (at most 5 s) into a string. */
static char *read_all(struct pty *p)
{
	struct sbuf b = { 0 };
	uint64_t end = util_now_ms() + 5000;
	while (!p->eof && util_now_ms() < end) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		poll(&pf, 1, 100);
		char buf[4096];
		ssize_t n;
		while ((n = pty_read(p, buf, sizeof buf)) > 0)
			sbuf_add(&b, buf, (size_t)n);
	}
	return sbuf_steal(&b);
}

/* Reads until needle shows up (at most 5 s). */
static char *read_until(struct pty *p, const char *needle)
{
	struct sbuf b = { 0 };
	uint64_t end = util_now_ms() + 5000;
	while (!p->eof && util_now_ms() < end && !(b.s && strstr(b.s, needle))) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		poll(&pf, 1, 100);
		char buf[4096];
		ssize_t n;
		while ((n = pty_read(p, buf, sizeof buf)) > 0)
			sbuf_add(&b, buf, (size_t)n);
	}
	return sbuf_steal(&b);
}

static void wait_reaped(struct pty *p)
{
	uint64_t end = util_now_ms() + 5000;
	while (!pty_reap(p) && util_now_ms() < end)
		usleep(2000);
	assert_true(p->exited);
}

static void test_printf_and_exit(void **state)
{
	(void)state;
	struct pty p;
	struct err e;
	char *argv[] = { "printf", "hello %s", "world", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = argv, .rows = 10, .cols = 40 }, &e), 0);
	char *out = read_all(&p);
	assert_string_equal(out, "hello world");
	free(out);
	wait_reaped(&p);
	assert_int_equal(pty_exit_code(&p), 0);
	char d[64];
	assert_string_equal(pty_describe_exit(&p, d, sizeof d), "exited 0");
	pty_close(&p);
}

/* pty_readable: what a read takes at once; 0 once it is all read (the
 * pane and agent readers stop there instead of sleeping in read()). */
static void test_readable(void **state)
{
	(void)state;
	struct pty p;
	struct err e;
	char *argv[] = { "sh", "-c", "printf 0123456789; sleep 2", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = argv, .rows = 10, .cols = 40 }, &e), 0);
	struct pollfd pf = { .fd = p.fd, .events = POLLIN };
	assert_int_equal(poll(&pf, 1, 5000), 1);
	uint64_t end = util_now_ms() + 5000;
	while (pty_readable(&p) < 10 && util_now_ms() < end)
		usleep(1000);
	assert_int_equal(pty_readable(&p), 10);
	char buf[64];
	assert_int_equal(pty_read(&p, buf, 4), 4);
	assert_int_equal(pty_readable(&p), 6);
	assert_int_equal(pty_read(&p, buf, sizeof buf), 6);
	assert_memory_equal(buf, "456789", 6);
	assert_int_equal(pty_readable(&p), 0);
	assert_int_equal(pty_read(&p, buf, sizeof buf), 0); /* nothing, and no wait for it */
	pty_kill(&p, SIGKILL);
	wait_reaped(&p);
	pty_close(&p);
	assert_int_equal(pty_readable(&p), -1);
}

static void test_exit_codes(void **state)
{
	(void)state;
	struct pty p;
	struct err e;
	char d[64];
	char *a1[] = { "sh", "-c", "exit 7", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = a1, .rows = 5, .cols = 20 }, &e), 0);
	free(read_all(&p));
	wait_reaped(&p);
	assert_int_equal(pty_exit_code(&p), 7);
	assert_string_equal(pty_describe_exit(&p, d, sizeof d), "exited 7");
	pty_close(&p);

	char *a2[] = { "sh", "-c", "kill -TERM $$", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = a2, .rows = 5, .cols = 20 }, &e), 0);
	free(read_all(&p));
	wait_reaped(&p);
	assert_int_equal(pty_exit_code(&p), 128 + SIGTERM);
	assert_string_equal(pty_describe_exit(&p, d, sizeof d), "killed by SIGTERM");
	pty_close(&p);

	/* A command that does not exist: 127 and a message in the pane. */
	char *a3[] = { "/nonexistent/shoal-no-such-cmd", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = a3, .rows = 5, .cols = 80 }, &e), 0);
	char *out = read_all(&p);
	assert_non_null(strstr(out, "cannot run /nonexistent/shoal-no-such-cmd"));
	free(out);
	wait_reaped(&p);
	assert_int_equal(pty_exit_code(&p), 127);
	pty_close(&p);

	char *none[] = { NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = none, .rows = 5, .cols = 20 }, &e), -1);
	assert_non_null(strstr(e.msg, "no command"));
}

static void test_size_and_resize(void **state)
{
	(void)state;
	struct pty p;
	struct err e;
	char *argv[] = { "sh", "-c", "stty size; read x; stty size", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = argv, .rows = 13, .cols = 57 }, &e), 0);
	char *out = read_until(&p, "13 57");
	assert_non_null(strstr(out, "13 57"));
	free(out);
	assert_int_equal(pty_resize(&p, 13, 57), 0); /* unchanged: nothing done */
	assert_int_equal(pty_resize(&p, 21, 99), 1);
	assert_int_equal(pty_resize(&p, 0, -3), 1);  /* clamped to 1x1 */
	assert_int_equal(p.rows, 1);
	assert_int_equal(p.cols, 1);
	assert_int_equal(pty_resize(&p, 21, 99), 1);
	pty_write(&p, "\r", 1);
	out = read_all(&p);
	assert_non_null(strstr(out, "21 99"));
	free(out);
	wait_reaped(&p);
	pty_close(&p);
}

static void test_env_and_cwd(void **state)
{
	(void)state;
	setenv("CLAUDECODE", "1", 1);
	setenv("CLAUDE_CODE_ENTRYPOINT", "cli", 1);
	setenv("COLORTERM", "truecolor", 1);
	setenv("LINES", "5", 1);
	setenv("COLUMNS", "9", 1);
	setenv("TERM", "dumb", 1);
	setenv("SHOAL_TEST_KEEP", "kept", 1);
	setenv("SHOAL_TEST_OVER", "old", 1);
	char dir[] = "/tmp/shoal-pty-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct pty p;
	struct err e;
	char *argv[] = { "sh", "-c",
			 "echo \"T=$TERM C=${COLORTERM-unset} L=${LINES-unset} N=${COLUMNS-unset} "
			 "CC=${CLAUDECODE-unset} E=${CLAUDE_CODE_ENTRYPOINT-unset} K=$SHOAL_TEST_KEEP "
			 "X=$EXTRA O=$SHOAL_TEST_OVER\"; env | grep -c '^SHOAL_TEST_OVER='; pwd",
			 NULL };
	const char *env[] = { "EXTRA=yes", "SHOAL_TEST_OVER=new", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = argv, .cwd = dir, .rows = 5, .cols = 200, .env = env }, &e), 0);
	char *out = read_all(&p);
	if (!strstr(out, "T=xterm-256color C=unset L=unset N=unset CC=unset E=unset K=kept X=yes O=new\r\n1\r\n"))
		fail_msg("child saw: %s", out);
	assert_non_null(strstr(out, dir));
	free(out);
	wait_reaped(&p);
	pty_close(&p);
	rmdir(dir);

	char *a2[] = { "true", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = a2, .cwd = "/nonexistent-shoal", .rows = 5, .cols = 200 }, &e), 0);
	out = read_all(&p);
	assert_non_null(strstr(out, "cannot change directory to /nonexistent-shoal"));
	free(out);
	wait_reaped(&p);
	assert_int_equal(pty_exit_code(&p), 127);
	pty_close(&p);
}

static void test_signals_default_in_child(void **state)
{
	(void)state;
	/* Even if we ignore SIGINT, the child gets the default disposition. */
	signal(SIGINT, SIG_IGN);
	struct pty p;
	struct err e;
	char *argv[] = { "sh", "-c", "grep SigIgn /proc/self/status", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = argv, .rows = 5, .cols = 80 }, &e), 0);
	char *out = read_all(&p);
	signal(SIGINT, SIG_DFL);
	/* grep reports its own mask: none of the standard signals 1-31 ignored
	 * (glibc keeps its internal real-time signals 32/33 to itself). */
	const char *m = strstr(out, "SigIgn:\t");
	if (!m)
		fail_msg("child output: %s", out);
	unsigned long long ign = strtoull(m + 8, NULL, 16);
	if (ign & 0x7fffffffULL)
		fail_msg("ignored signals in the child: %s", out);
	free(out);
	wait_reaped(&p);
	pty_close(&p);
}

static void test_write_queue(void **state)
{
	(void)state;
	/* A child that does not read: our writes must queue, never block. */
	struct pty p;
	struct err e;
	char *argv[] = { "sh", "-c", "stty raw -echo; sleep 1; exec cat", NULL };
	assert_int_equal(pty_spawn(&p, &(struct pty_opts){ .argv = argv, .rows = 5, .cols = 80 }, &e), 0);
	usleep(200000);
	size_t total = 256 * 1024;
	char *blob = malloc(total);
	for (size_t i = 0; i < total; i++)
		blob[i] = (char)('a' + i % 26);
	uint64_t t0 = util_now_ms();
	for (size_t off = 0; off < total; off += 4096)
		pty_write(&p, blob + off, 4096);
	assert_true(util_now_ms() - t0 < 500); /* did not block on the sleeping child */
	assert_true(pty_pending(&p) > 0);
	/* Drain: flush on POLLOUT, read the echo back through cat. */
	size_t got = 0;
	uint64_t end = util_now_ms() + 10000;
	while (got < total && util_now_ms() < end) {
		struct pollfd pf = { .fd = p.fd, .events = POLLIN | (pty_pending(&p) ? POLLOUT : 0) };
		poll(&pf, 1, 100);
		if (pf.revents & POLLOUT)
			assert_int_equal(pty_flush(&p), 0);
		char buf[8192];
		ssize_t n;
		while ((n = pty_read(&p, buf, sizeof buf)) > 0) {
			for (ssize_t i = 0; i < n; i++)
				if (buf[i] != (char)('a' + (got + (size_t)i) % 26))
					fail_msg("byte %zu differs", got + (size_t)i);
			got += (size_t)n;
		}
	}
	assert_int_equal(got, total);
	assert_int_equal(pty_pending(&p), 0);
	free(blob);
	pty_kill(&p, SIGKILL);
	wait_reaped(&p);
	assert_int_equal(pty_exit_code(&p), 128 + SIGKILL);
	pty_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_and_exit),
		cmocka_unit_test(test_readable),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_size_and_resize),
		cmocka_unit_test(test_env_and_cwd),
		cmocka_unit_test(test_signals_default_in_child),
		cmocka_unit_test(test_write_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
