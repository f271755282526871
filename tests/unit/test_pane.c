/* test_pane — a child on a real PTY feeding a real term: reading with a
 * budget, replies to the child, size changes reaching the PTY only when the
 * size changes, exit status, labels. Curses writes to /dev/null. */
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
#include <curses.h>

#include "color.h"
#include "pane.h"

static SCREEN *scr;
static FILE *fout, *fin;

static int setup(void **state)
{
	(void)state;
	fout = fopen("/dev/null", "w");
	fin = fopen("/dev/null", "r");
	scr = newterm("xterm-256color", fout, fin);
	if (!scr)
		return -1;
	start_color();
	use_default_colors();
	color_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	endwin();
	delscreen(scr);
	fclose(fout);
	fclose(fin);
	return 0;
}

/* Reads until the grid's row (-1: any row) shows want (5 s at most). */
static int wait_row(struct pane *p, int row, const char *want)
{
	uint64_t end = util_now_ms() + 5000;
	char buf[512];
	while (util_now_ms() < end) {
		struct grid *g = term_grid(p->term);
		for (int r = row < 0 ? 0 : row; r < (row < 0 ? grid_rows(g) : row + 1); r++) {
			grid_row_text(g, r, buf, sizeof buf);
			if (strstr(buf, want))
				return 1;
		}
		struct pollfd pf = { .fd = p->pty.fd, .events = POLLIN };
		if (!p->pty.eof)
			poll(&pf, 1, 50);
		else
			usleep(10000);
		pane_read(p, 1 << 20);
		pty_reap(&p->pty);
	}
	return 0;
}

static void test_output_budget_and_exit(void **state)
{
	(void)state;
	struct pane p;
	struct err e;
	char *argv[] = { "sh", "-c", "printf 'hello\\r\\n'; head -c 300000 /dev/zero | tr '\\0' x; printf '\\r\\nend'; exit 4", NULL };
	assert_int_equal(pane_start(&p, 3, argv, NULL, NULL, 10, 40, 100, &e), 0);
	assert_string_equal(p.label, "sh -c 'printf '\\''hello\\r\\n'\\''; head -c 300000 /dev/zero | tr '\\''\\0'\\'' x; printf '\\''\\r\\nend'\\''; exit 4'");
	/* One call never reads more than its budget. */
	struct pollfd pf = { .fd = p.pty.fd, .events = POLLIN };
	poll(&pf, 1, 2000);
	usleep(100000);
	size_t got = pane_read(&p, 1000);
	assert_true(got > 0 && got <= 1000);
	assert_true(wait_row(&p, 9, "end"));
	uint64_t end = util_now_ms() + 5000;
	while (!p.pty.exited && util_now_ms() < end) {
		pane_read(&p, 1 << 20);
		pty_reap(&p.pty);
		usleep(5000);
	}
	assert_true(p.pty.exited);
	pane_update_status(&p);
	assert_string_equal(p.status, "exited 4");
	assert_true(p.bytes > 300000);
	pane_free(&p);
}

static void test_replies_and_resize(void **state)
{
	(void)state;
	struct pane p;
	struct err e;
	/* The child asks for the cursor position (DSR 6); the term answers
	 * through the pane's write queue; the child prints what it got. */
	char *argv[] = { "sh", "-c",
			 "stty raw -echo; printf '\\033[3;5H\\033[6n'; r=$(dd bs=1 count=6 2>/dev/null | od -An -c | tr -d ' \\n'); "
			 "printf '\\033[1;1Hgot:%s' \"$r\"; read x; stty size; sleep 5",
			 NULL };
	const char *env[] = { "SHOAL_EXTRA=1", NULL };
	assert_int_equal(pane_start(&p, 1, argv, NULL, env, 10, 40, 100, &e), 0);
	assert_true(wait_row(&p, 0, "got:033[3;5R"));
	/* Placing at the same size does not touch the PTY; a new size does. */
	struct layout_pane g = { .outer = { 0, 0, 12, 42 }, .visible = 1 };
	g.inner = layout_inner(g.outer);
	pane_place(&p, &g);
	assert_int_equal(p.pty.rows, 10);
	assert_int_equal(p.pty.cols, 40);
	g.outer = (struct rect){ 0, 0, 20, 62 };
	g.inner = layout_inner(g.outer);
	pane_place(&p, &g);
	assert_int_equal(p.pty.rows, 18);
	assert_int_equal(p.pty.cols, 60);
	int rows, cols;
	term_size(p.term, &rows, &cols);
	assert_int_equal(rows, 18);
	assert_int_equal(cols, 60);
	pty_write(&p.pty, "\n", 1); /* raw mode: a newline ends `read` */
	assert_true(wait_row(&p, -1, "18 60"));
	/* Hidden: keeps its size and drops its window. */
	struct layout_pane hidden = { 0 };
	pane_place(&p, &hidden);
	assert_null(p.win);
	assert_int_equal(p.pty.rows, 18);
	pty_kill(&p.pty, 9);
	pane_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_budget_and_exit),
		cmocka_unit_test(test_replies_and_resize),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
