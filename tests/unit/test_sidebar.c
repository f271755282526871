/* test_sidebar — the dashboard's pure parts: the sidebar model (glyphs,
 * elapsed times, progress bars, gates, rows and their widths), the DAG view
 * layout, and the action table (key names, bindings, generated help). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "plan.h"
#include "sidebar.h"
#include "term.h"
#include "views.h"

static const char plan_text[] =
	"{ \"name\": \"auth-sprint\", \"tasks\": ["
	"{ \"id\": \"user-model\", \"title\": \"U\", \"command\": [\"true\"] },"
	"{ \"id\": \"config\", \"title\": \"C\", \"command\": [\"true\"] },"
	"{ \"id\": \"hashing\", \"title\": \"H\", \"command\": [\"true\"], \"depends_on\": [\"user-model\"] },"
	"{ \"id\": \"login\", \"title\": \"L\", \"command\": [\"true\"], \"depends_on\": [\"user-model\"] },"
	"{ \"id\": \"tokens\", \"title\": \"T\", \"command\": [\"true\"], \"depends_on\": [\"config\"] },"
	"{ \"id\": \"e2e\", \"title\": \"E\", \"command\": [\"true\"], \"depends_on\": [\"hashing\", \"login\"] }"
	"] }";

static struct plan *load(void)
{
	struct diags d;
	diags_init(&d, "p.json", plan_text, strlen(plan_text));
	struct plan *p = plan_parse("p.json", plan_text, strlen(plan_text), NULL, &d);
	if (!p)
		diags_print(&d, stderr);
	diags_free(&d);
	assert_non_null(p);
	return p;
}

static void test_elapsed(void **s)
{
	(void)s;
	char b[32];
	sidebar_elapsed(-5, b, sizeof b);
	assert_string_equal(b, "0s");
	sidebar_elapsed(7999, b, sizeof b);
	assert_string_equal(b, "7s");
	sidebar_elapsed(245000, b, sizeof b);
	assert_string_equal(b, "4m05s");
	sidebar_elapsed((2 * 3600 + 3 * 60 + 59) * 1000LL, b, sizeof b);
	assert_string_equal(b, "2h03m");
}

static void test_bar(void **s)
{
	(void)s;
	char b[128];
	struct sidebar_counts c = { .total = 4, .merged = 1, .done = 1, .running = 1 };
	assert_int_equal(sidebar_bar(&c, 8, b, sizeof b), 8);
	assert_string_equal(b, "██▓▓▒▒░░");
	/* a count too small for its share still gets a cell */
	struct sidebar_counts c2 = { .total = 40, .running = 1 };
	sidebar_bar(&c2, 4, b, sizeof b);
	assert_string_equal(b, "▒░░░");
	/* all merged or skipped: full even when rounding leaves a gap */
	struct sidebar_counts c3 = { .total = 3, .merged = 2, .skipped = 1 };
	sidebar_bar(&c3, 10, b, sizeof b);
	assert_string_equal(b, "██████████");
	struct sidebar_counts c4 = { .total = 0 };
	sidebar_bar(&c4, 3, b, sizeof b);
	assert_string_equal(b, "░░░");
	assert_int_equal(sidebar_bar(&c, 0, b, sizeof b), 0);
	assert_string_equal(b, "");
}

static void test_counts_gates(void **s)
{
	(void)s;
	struct plan *p = load();
	struct sidebar_task t[6] = { 0 };
	t[0].st = TASK_MERGED;
	t[1].st = TASK_DONE;
	t[2].st = TASK_WAITING;
	struct sidebar_counts c;
	sidebar_counts(p, t, 1, &c);
	assert_int_equal(c.total, 2);
	assert_int_equal(c.merged, 1);
	assert_int_equal(c.done, 1);
	sidebar_counts(p, t, 0, &c);
	assert_int_equal(c.total, 6);
	assert_int_equal(c.running, 1);
	assert_int_equal(c.waiting, 1);
	assert_string_equal(sidebar_gate(p, t, 1), "open");
	assert_string_equal(sidebar_gate(p, t, 2), "locked");
	t[1].st = TASK_SKIPPED;
	assert_string_equal(sidebar_gate(p, t, 1), "merged");
	assert_string_equal(sidebar_gate(p, t, 2), "open");
	assert_string_equal(sidebar_gate(p, t, 3), "locked");
	plan_free(p);
}

static void test_rows(void **s)
{
	(void)s;
	struct plan *p = load();
	struct sidebar_task t[6] = { 0 };
	t[0] = (struct sidebar_task){ .st = TASK_MERGED, .start_ms = 1000, .end_ms = 63000 };
	t[1] = (struct sidebar_task){ .st = TASK_RUNNING, .start_ms = 100000, .nfiles = 3 };
	t[3] = (struct sidebar_task){ .st = TASK_WAITING, .start_ms = 100000, .nfiles = 12,
				      .warn = SB_WARN_OVERLAP };
	struct sidebar_row *r;
	int n = sidebar_build(p, t, 40, 112000, &r);
	/* title + 3 waves + 6 tasks */
	assert_int_equal(n, 10);
	assert_int_equal(r[0].kind, SB_ROW_TITLE);
	assert_string_equal(r[0].text, "auth-sprint               █▒▒▒░░░░░░ 1/6");
	assert_int_equal(r[1].kind, SB_ROW_WAVE);
	assert_string_equal(r[1].text, "WAVE 1 ██████▒▒▒▒▒▒ 1/2 open");
	assert_int_equal(r[2].task, 0);
	assert_string_equal(r[2].text, " ✓ user-model                      1m02s");
	assert_string_equal(r[3].text, " ● config                         3f 12s");
	assert_int_equal(r[3].glyph_role, TH_ST_RUNNING);
	assert_string_equal(r[4].text, "WAVE 2 ▒▒▒▒░░░░░░░░ 0/3 locked");
	/* dependencies, the warning and the attention word */
	assert_string_equal(r[6].text, " ? login ← user-model      ⚠ 12f waiting");
	assert_int_equal(r[6].role, TH_ST_WAITING);
	assert_string_equal(r[7].text, " · tokens ← config                      ");
	/* every row fits the width */
	for (int k = 0; k < n; k++)
		assert_true(sidebar_cols(r[k].text) <= 40);
	free(r);
	/* narrow: no deps, short wave headers, ids cut with an ellipsis */
	n = sidebar_build(p, t, 14, 112000, &r);
	for (int k = 0; k < n; k++)
		assert_true(sidebar_cols(r[k].text) <= 14);
	assert_string_equal(r[1].text, "W1 ████▒▒▒ 1/2");
	assert_string_equal(r[2].text, " ✓ user… 1m02s");
	assert_string_equal(r[3].text, " ● config  12s"); /* no room for the file count */
	free(r);
	plan_free(p);
}

static void test_append(void **s)
{
	(void)s;
	char b[64] = "";
	int col = 0;
	sidebar_append(b, sizeof b, &col, 6, "abcdefgh");
	assert_string_equal(b, "abcde…");
	assert_int_equal(col, 6);
	b[0] = 0, col = 0;
	sidebar_append(b, sizeof b, &col, 6, "abc\tz");
	assert_string_equal(b, "abc?z");
	b[0] = 0, col = 0;
	sidebar_append(b, sizeof b, &col, 3, "abc");
	assert_string_equal(b, "abc");
	assert_int_equal(sidebar_cols("✓ ok"), 4);
}

static void test_dag_view(void **s)
{
	(void)s;
	struct plan *p = load();
	enum task_state st[6] = { TASK_MERGED, TASK_MERGED, TASK_RUNNING, TASK_PENDING,
				  TASK_PENDING, TASK_PENDING };
	struct view_line *vl;
	int n = views_dag_build(p, st, &vl);
	assert_int_equal(n, 2 + 1 + 8 + 3 * 2 + 6);
	assert_string_equal(vl[0].text, "auth-sprint: 6 tasks in 3 waves");
	assert_string_equal(vl[1].text, "★ critical path (3): user-model → hashing → e2e");
	/* the drawing (dagdraw), in runs coloured by role */
	assert_string_equal(vl[3].text, "wave 1             wave 2          wave 3");
	assert_int_equal(vl[3].runs[0].role, TH_WAVE);
	assert_string_equal(vl[5].text, "✓ user-model ─┬┐");
	assert_int_equal(vl[5].nruns, 5);
	assert_int_equal(vl[5].runs[0].len, 3);
	assert_int_equal(vl[5].runs[0].role, TH_ST_MERGED);
	assert_int_equal(vl[5].runs[2].role, TH_CRITICAL); /* user-model is on the path */
	assert_int_equal(vl[5].runs[4].role, TH_CRITICAL); /* so is its line to hashing */
	assert_string_equal(vl[6].text, "              │└─▶ ● hashing ─┐");
	assert_string_equal(vl[7].text, "✓ config ─────┼┐              └┬─▶ · e2e");
	assert_int_equal(vl[7].runs[2].role, theme_state_role(TASK_MERGED));
	assert_int_equal(vl[7].runs[4].role, TH_DIM); /* config -> tokens is not critical */
	assert_string_equal(vl[10].text, "               └─▶ · tokens");
	/* the per-task lines under it */
	assert_string_equal(vl[12].text, "WAVE 1");
	assert_string_equal(vl[13].text,
			    " ┬ ✓ user-model     merged      ─▶ hashing, login  ★");
	assert_int_equal(vl[13].role, TH_CRITICAL);
	assert_null(vl[13].runs);
	assert_string_equal(vl[14].text, " ├ ✓ config         merged      ─▶ tokens");
	assert_int_equal(vl[14].role, TH_ST_MERGED);
	assert_string_equal(vl[17].text,
			    " ┬ ● hashing        running    ◀─ user-model  ─▶ e2e  ★");
	assert_string_equal(vl[22].text, " ┬ · e2e            pending    ◀─ hashing, login  ★");
	views_lines_free(vl, n);
	plan_free(p);
}

static void test_actions(void **s)
{
	(void)s;
	char b[32];
	assert_int_equal(action_key_parse("n"), 'n');
	assert_int_equal(action_key_parse("Tab"), ACTION_KEY_SPECIAL + TERM_KEY_TAB);
	assert_int_equal(action_key_parse("C-x"), 24);
	assert_int_equal(action_key_parse("F5"), ACTION_KEY_SPECIAL + TERM_KEY_F(5));
	assert_int_equal(action_key_parse("Space"), ' ');
	assert_int_equal(action_key_parse("F13"), -1);
	assert_int_equal(action_key_parse("nn"), -1);
	assert_string_equal(action_key_name(ACTION_KEY_SPECIAL + TERM_KEY_LEFT, b, sizeof b), "Left");
	assert_string_equal(action_key_name(' ', b, sizeof b), "Space");
	/* names are unique; every action with help has a key */
	struct action_keymap m;
	action_keymap_default(&m);
	for (int i = 0; i < action_count; i++) {
		for (int j = i + 1; j < action_count; j++)
			assert_string_not_equal(action_table[i].name, action_table[j].name);
		char keys[64];
		action_keys_text(&m, i, keys, sizeof keys);
		assert_true(keys[0] != 0);
	}
	/* the DESIGN table's keys */
	assert_int_equal(action_lookup(&m, 'n'), action_find("next-wave"));
	assert_int_equal(action_lookup(&m, 'M'), action_find("merge-wave"));
	assert_int_equal(action_lookup(&m, '['), action_find("copy-mode"));
	assert_int_equal(action_lookup(&m, ACTION_KEY_SPECIAL + TERM_KEY_TAB), action_find("sidebar-focus"));
	assert_int_equal(action_lookup(&m, 'Z'), -1);
	/* rebinding */
	action_bind(&m, 'N', action_find("next-wave"));
	action_bind(&m, 'n', -1);
	assert_int_equal(action_lookup(&m, 'n'), -1);
	char keys[64];
	action_keys_text(&m, action_find("next-wave"), keys, sizeof keys);
	assert_string_equal(keys, "N");
	action_keys_text(&m, action_find("focus-left"), keys, sizeof keys);
	assert_string_equal(keys, "h, Left");
	/* help: one line per action with help, plus the prefix line */
	char **lines;
	int n = action_help_lines(&m, "C-g", &lines);
	int with_help = 0;
	for (int i = 0; i < action_count; i++)
		with_help += action_table[i].help != NULL;
	assert_int_equal(n, with_help + 1);
	assert_string_equal(lines[0], "C-g          (twice) send the prefix key to the agent");
	assert_string_equal(lines[1], "N            start the next wave");
	int found_stop = 0;
	for (int i = 0; i < n; i++) {
		if (!strcmp(lines[i], "x            stop the selected task's agent (asks first)"))
			found_stop = 1;
		free(lines[i]);
	}
	free(lines);
	assert_true(found_stop);
	action_keymap_free(&m);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elapsed),  cmocka_unit_test(test_bar),
		cmocka_unit_test(test_counts_gates), cmocka_unit_test(test_rows),
		cmocka_unit_test(test_append),   cmocka_unit_test(test_dag_view),
		cmocka_unit_test(test_actions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
