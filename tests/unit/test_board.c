/* Unit tests for board: the Markdown status board of `shoal status
 * --markdown` (report summaries, escaping, rows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"

static void test_report_summary(void **u)
{
	(void)u;
	char buf[32];
	board_report_summary("\n\n  ## Done: the parser  \nmore\n", buf, sizeof buf);
	assert_string_equal(buf, "Done: the parser");
	board_report_summary("- item one\n", buf, sizeof buf);
	assert_string_equal(buf, "item one");
	board_report_summary("   \n\n", buf, sizeof buf);
	assert_string_equal(buf, "");
	board_report_summary(NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
	/* Cut on a UTF-8 boundary with an ellipsis. */
	char small[8];
	board_report_summary("ééééééé", small, sizeof small);
	assert_string_equal(small, "éé\xe2\x80\xa6");
}

static void test_board(void **u)
{
	(void)u;
	struct board_row rows[] = {
		{ .wave = 1, .id = "a", .st = TASK_MERGED, .branch = "s/a", .files = -1, .report = "# A | B\n",
		  .merge_commit = "0123456789abcdef" },
		{ .wave = 2, .id = "b", .st = TASK_CONFLICT, .branch = "s/b", .files = 3 },
		{ .wave = 0, .id = "c", .st = TASK_PENDING, .files = -1 },
	};
	struct sbuf b = { 0 };
	board_markdown(&b, "demo", "main", rows, 3);
	assert_non_null(strstr(b.s, "## shoal: demo\n\n1 of 3 tasks merged into `main`.\n"));
	assert_non_null(strstr(b.s, "| 1 | a | ✅ merged (0123456) | `s/a` |  | A \\| B |\n"));
	assert_non_null(strstr(b.s, "| 2 | b | ❌ conflict | `s/b` | 3 |  |\n"));
	assert_non_null(strstr(b.s, "| ? | c | pending |  |  |  |\n"));
	sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_summary),
		cmocka_unit_test(test_board),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
