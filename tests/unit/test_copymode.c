/* test_copymode — the copy-mode cursor over scrollback and screen, view
 * following, selections to text (wrapped lines joined), anchoring while
 * output flows, OSC 52 encoding. Real terms, fed real bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "copymode.h"
#include "term.h"

static struct term *lines(int rows, int cols, int from, int to)
{
	struct term *t = term_new(rows, cols, 1000);
	char buf[32];
	for (int i = from; i <= to; i++) {
		int n = snprintf(buf, sizeof buf, "line %d\r\n", i);
		term_feed(t, buf, (size_t)n);
	}
	return t;
}

static void test_navigation_and_text(void **state)
{
	(void)state;
	/* 5 rows: lines 7..10 and the empty prompt row are live, 1..6 in scrollback. */
	struct term *t = lines(5, 20, 1, 10);
	struct grid *g = term_grid(t);
	assert_int_equal(grid_sb_count(g), 6);
	struct copymode cm;
	copy_enter(&cm, g);
	assert_int_equal(cm.cy, 4);
	assert_int_equal(cm.cx, 0);
	copy_move(&cm, g, -1, 0);
	char *s = copy_selected_text(&cm, g); /* no anchor: the cursor's line */
	assert_string_equal(s, "line 10");
	free(s);
	/* Up into the scrollback: the view follows. */
	copy_move(&cm, g, -6, 0);
	assert_int_equal(cm.cy, -3);
	assert_int_equal(grid_view_offset(g), 3);
	assert_int_equal(copy_cursor_row(&cm, g), 0);
	s = copy_selected_text(&cm, g);
	assert_string_equal(s, "line 4");
	free(s);
	/* Select from "4" of line 4 to the end of line 6. */
	copy_goto(&cm, g, -3, 5);
	copy_toggle_select(&cm);
	copy_move(&cm, g, 2, 10);
	s = copy_selected_text(&cm, g);
	assert_string_equal(s, "4\nline 5\nline 6");
	free(s);
	struct render_sel sel;
	copy_selection(&cm, g, &sel);
	assert_true(sel.active);
	assert_int_equal(sel.r0, 0);
	assert_int_equal(sel.c0, 5);
	assert_int_equal(sel.r1, 2);
	/* Clamped at the oldest line and at the bottom. */
	copy_move(&cm, g, -100, 0);
	assert_int_equal(cm.cy, -6);
	assert_int_equal(grid_view_offset(g), 6);
	copy_move(&cm, g, 100, 0);
	assert_int_equal(cm.cy, 4);
	assert_int_equal(grid_view_offset(g), 0);
	/* Pages. */
	copy_page(&cm, g, 1);
	assert_int_equal(grid_view_offset(g), 4);
	assert_int_equal(copy_cursor_row(&cm, g), 4);
	copy_page(&cm, g, -1);
	assert_int_equal(grid_view_offset(g), 0);
	copy_leave(&cm, g);
	assert_false(cm.active);
	term_free(t);
}

static void test_wrapped_lines_join(void **state)
{
	(void)state;
	struct term *t = term_new(4, 10, 100);
	const char *s = "0123456789ABCDE\r\nnext\r\n";
	term_feed(t, s, strlen(s));
	struct grid *g = term_grid(t);
	char *txt = copy_text(g, 0, 0, 2, 9);
	assert_string_equal(txt, "0123456789ABCDE\nnext");
	free(txt);
	term_free(t);
}

static void test_anchored_while_output_flows(void **state)
{
	(void)state;
	struct term *t = lines(5, 20, 1, 10);
	struct grid *g = term_grid(t);
	struct copymode cm;
	copy_enter(&cm, g);
	copy_move(&cm, g, -7, 0); /* from the prompt row up to "line 4" */
	copy_toggle_select(&cm);
	char buf[32];
	for (int i = 11; i <= 13; i++) {
		int n = snprintf(buf, sizeof buf, "line %d\r\n", i);
		term_feed(t, buf, (size_t)n);
	}
	copy_sync(&cm, g);
	copy_move(&cm, g, 0, 19); /* to the end of the same line */
	char *s = copy_selected_text(&cm, g);
	assert_string_equal(s, "line 4");
	free(s);
	term_free(t);
}

static void test_osc52(void **state)
{
	(void)state;
	char *o = copy_osc52("hello", 5);
	assert_string_equal(o, "\033]52;c;aGVsbG8=\a");
	free(o);
	o = copy_osc52("ab", 2);
	assert_string_equal(o, "\033]52;c;YWI=\a");
	free(o);
	o = copy_osc52("", 0);
	assert_string_equal(o, "\033]52;c;\a");
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_navigation_and_text),
		cmocka_unit_test(test_wrapped_lines_join),
		cmocka_unit_test(test_anchored_while_output_flows),
		cmocka_unit_test(test_osc52),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
