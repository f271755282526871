/* test_render — grid cells to curses: characters, wide and combining
 * characters and the width guard, attributes (strike fallback, dim,
 * conceal), colours and pairs, rows drawn at the right columns, borders
 * with titles. Uses a real term for the cells and a real curses screen
 * writing to /dev/null. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <locale.h>

#include <cmocka.h>
#include <curses.h>

#include "color.h"
#include "render.h"
#include "term.h"

static SCREEN *scr;
static FILE *fout, *fin;

static int setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
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

struct got {
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	int fg, bg;
	int cols, pad;
};

static struct got cell(struct term *t, int row, int col)
{
	struct grid *g = term_grid(t);
	cchar_t cc;
	struct got r;
	memset(&r, 0, sizeof r);
	r.cols = render_cell(g, &grid_row(g, row)[col], 0, 0, &cc, &r.pad);
	if (r.cols == 0)
		return r;
	short sp;
	int pair = 0;
	getcchar(&cc, r.wc, &r.a, &sp, &pair);
	extended_pair_content(pair, &r.fg, &r.bg);
	return r;
}

static void test_text_and_attrs(void **state)
{
	(void)state;
	struct term *t = term_new(5, 40, 0);
	const char *s = "\033[1;3;4mB\033[0m\033[7mR\033[0m\033[9mS\033[0m\033[5mK\033[0m x";
	term_feed(t, s, strlen(s));
	struct got b = cell(t, 0, 0);
	assert_int_equal(b.wc[0], L'B');
	assert_true(b.a & A_BOLD);
	assert_true(b.a & A_ITALIC);
	assert_true(b.a & A_UNDERLINE);
	assert_true(cell(t, 0, 1).a & A_REVERSE);
	/* Strike: U+0336 appended (ncurses has no strike attribute). */
	struct got st = cell(t, 0, 2);
	assert_int_equal(st.wc[0], L'S');
	assert_int_equal(st.wc[1], 0x0336);
	assert_true(cell(t, 0, 3).a & A_BLINK);
	struct got sp = cell(t, 0, 4);
	assert_int_equal(sp.wc[0], L' ');
	assert_int_equal(sp.a & (A_BOLD | A_REVERSE | A_UNDERLINE), 0);
	/* Erased cell: a space. */
	assert_int_equal(cell(t, 3, 10).wc[0], L' ');
	term_free(t);
}

/* Dim (A_DIM) and conceal (blanks in the cell's colours), which the term
 * tracks itself for libvterm 0.1.4. */
static void test_dim_conceal(void **state)
{
	(void)state;
	struct term *t = term_new(5, 40, 0);
	const char *s = "\033[2;31md\033[22mn\033[8;32;44mc\033[9mS\033[0m\033[8m\xe4\xb8\xad\033[28mv";
	term_feed(t, s, strlen(s));
	struct got d = cell(t, 0, 0), n = cell(t, 0, 1), c = cell(t, 0, 2), st = cell(t, 0, 3);
	assert_int_equal(d.wc[0], L'd');
	assert_true(d.a & A_DIM);
	assert_int_equal(d.fg, 1);
	assert_false(n.a & A_DIM);
	/* concealed: a blank, in its colours, no strike mark */
	assert_int_equal(c.wc[0], L' ');
	assert_int_equal(c.wc[1], 0);
	assert_int_equal(c.fg, 2);
	assert_int_equal(c.bg, 4);
	assert_false(c.a & A_INVIS);
	assert_int_equal(st.wc[0], L' ');
	assert_int_equal(st.wc[1], 0);
	/* a concealed wide character: a blank and a pad, still two columns */
	struct got w = cell(t, 0, 4);
	assert_int_equal(w.wc[0], L' ');
	assert_int_equal(w.cols, 1);
	assert_int_equal(w.pad, 1);
	assert_int_equal(cell(t, 0, 6).wc[0], L'v');
	WINDOW *win = newwin(5, 40, 0, 0);
	render_grid(win, term_grid(t), 0, 0, 5, 40, 1, NULL);
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short p;
	mvwin_wch(win, 0, 2, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], L' ');
	mvwin_wch(win, 0, 6, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], L'v');
	delwin(win);
	term_free(t);
}

static void test_colours(void **state)
{
	(void)state;
	struct term *t = term_new(5, 40, 0);
	const char *s = "\033[31mr\033[0m\033[38;5;208;48;5;17mo\033[0m\033[38;2;255;0;0mt\033[0m\033[44md\033[0m";
	term_feed(t, s, strlen(s));
	struct got r = cell(t, 0, 0), o = cell(t, 0, 1), tc = cell(t, 0, 2), d = cell(t, 0, 3),
		   n = cell(t, 0, 4);
	assert_int_equal(r.fg, 1);
	assert_int_equal(r.bg, -1);
	assert_int_equal(o.fg, 208);
	assert_int_equal(o.bg, 17);
	assert_int_equal(tc.fg, 196);
	assert_int_equal(d.fg, -1);
	assert_int_equal(d.bg, 4);
	assert_int_equal(n.fg, -1);
	assert_int_equal(n.bg, -1);
	term_free(t);
}

static void test_wide_and_combining(void **state)
{
	(void)state;
	struct term *t = term_new(5, 40, 0);
	const char *s = "\xe4\xb8\xad" "x" "e\xcc\x81" "y";
	term_feed(t, s, strlen(s));
	struct got w = cell(t, 0, 0);
	assert_int_equal(w.wc[0], 0x4E2D);
	assert_int_equal(w.cols, 2);
	assert_int_equal(cell(t, 0, 1).cols, 0); /* continuation: skipped */
	assert_int_equal(cell(t, 0, 2).wc[0], L'x');
	struct got e = cell(t, 0, 3);
	assert_int_equal(e.wc[0], L'e');
	assert_int_equal(e.wc[1], 0x0301);
	/* Drawn into a window: each lands on its column. */
	WINDOW *win = newwin(5, 40, 0, 0);
	render_grid(win, term_grid(t), 0, 0, 5, 40, 1, NULL);
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short p;
	mvwin_wch(win, 0, 2, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], L'x');
	mvwin_wch(win, 0, 3, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], L'e');
	assert_int_equal(wc[1], 0x0301);
	mvwin_wch(win, 0, 4, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], L'y');
	delwin(win);
	term_free(t);
}

static void test_width_guard(void **state)
{
	(void)state;
	/* Cells whose width disagrees with wcwidth(): built by hand. */
	struct term *t = term_new(2, 10, 0);
	struct grid *g = term_grid(t);
	struct grid_cell c = { .ch = 0x4E2D, .width = 1 }; /* wcwidth 2, grid says 1 */
	cchar_t cc;
	int pad;
	assert_int_equal(render_cell(g, &c, 0, 0, &cc, &pad), 1);
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short p;
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], 0xFFFD);
	struct grid_cell c2 = { .ch = 'A', .width = 2 }; /* wcwidth 1, grid says 2 */
	assert_int_equal(render_cell(g, &c2, 0, 0, &cc, &pad), 1);
	assert_int_equal(pad, 1);
	struct grid_cell c3 = { .ch = 0x0301, .width = 1 }; /* a lone combining mark */
	assert_int_equal(render_cell(g, &c3, 0, 0, &cc, &pad), 1);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], 0xFFFD);
	/* Selection and whole-screen reverse flip A_REVERSE. */
	struct grid_cell c4 = { .ch = 'z', .width = 1 };
	render_cell(g, &c4, 0, 1, &cc, &pad);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_true(a & A_REVERSE);
	render_cell(g, &c4, 1, 1, &cc, &pad);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_false(a & A_REVERSE);
	term_free(t);
}

static void test_border_and_labels(void **state)
{
	(void)state;
	wchar_t out[64];
	assert_int_equal(render_utf8_to_wide("ab\x01" "c", out, 64, 80), 4);
	assert_true(wcscmp(out, L"ab?c") == 0);
	assert_int_equal(render_utf8_to_wide("\xe4\xb8\xad\xe4\xb8\xad", out, 64, 3), 2);
	assert_true(wcscmp(out, L"\x4E2D") == 0);
	assert_int_equal(render_utf8_to_wide("bad\xff", out, 64, 80), 4);
	WINDOW *win = newwin(6, 30, 0, 0);
	render_border(win, 6, 30, RENDER_BORDER_NORMAL, "1 vim", "exited 3", "hint");
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short p;
	char row[64] = "";
	for (int x = 0; x < 30; x++) {
		mvwin_wch(win, 0, x, &cc);
		getcchar(&cc, wc, &a, &p, NULL);
		row[x] = wc[0] < 128 ? (char)wc[0] : '#';
	}
	row[30] = 0;
	assert_non_null(strstr(row, " 1 vim "));
	assert_non_null(strstr(row, " exited 3 #"));
	mvwin_wch(win, 5, 0, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	assert_int_equal(wc[0], 0x2514); /* └ */
	delwin(win);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_attrs),
		cmocka_unit_test(test_colours),
		cmocka_unit_test(test_dim_conceal),
		cmocka_unit_test(test_wide_and_combining),
		cmocka_unit_test(test_width_guard),
		cmocka_unit_test(test_border_and_labels),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
