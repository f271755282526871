/* test_grid — the grid on its own: puts, erases, scrolls through the row
 * ring, wide-character pairs, damage, the scrollback encoding (round trips
 * of every cell property), limits, the view, and reflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "util.h"

static void put_str(struct grid *g, int row, int col, const char *s)
{
	for (; *s; s++, col++) {
		uint32_t c = (unsigned char)*s;
		grid_put(g, row, col, &c, 1, 1);
	}
}

static const char *text(struct grid *g, int row)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	grid_row_text(g, row, buf[k], sizeof buf[k]);
	return buf[k];
}

static const char *sbtext(struct grid *g, int n)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	grid_sb_text(g, n, buf[k], sizeof buf[k]);
	return buf[k];
}

static void test_new_is_blank(void **s)
{
	(void)s;
	struct grid *g = grid_new(3, 4, -1);
	assert_int_equal(grid_rows(g), 3);
	assert_int_equal(grid_cols(g), 4);
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 4; c++) {
			const struct grid_cell *x = &grid_row(g, r)[c];
			assert_int_equal(x->ch, 0);
			assert_int_equal(x->width, 1);
			assert_int_equal(x->fg, GRID_COLOR_DEFAULT);
		}
	assert_int_equal(grid_sb_count(g), 0);
	grid_free(g);
	g = grid_new(0, -5, 0); /* clamped */
	assert_int_equal(grid_rows(g), 1);
	assert_int_equal(grid_cols(g), 1);
	grid_free(g);
}

static void test_put_and_text(void **s)
{
	(void)s;
	struct grid *g = grid_new(2, 10, 0);
	put_str(g, 0, 2, "hi");
	assert_string_equal(text(g, 0), "  hi");
	uint32_t wide = 0x4e2d;
	grid_put(g, 1, 8, &wide, 1, 2);
	assert_int_equal(grid_row(g, 1)[8].width, 2);
	assert_true(grid_row(g, 1)[9].flags & GRID_CELL_CONT);
	grid_put(g, 1, 9, &wide, 1, 2); /* no room: stored as width 1 */
	assert_int_equal(grid_row(g, 1)[9].width, 1);
	assert_int_equal(grid_row(g, 1)[8].width, 1); /* left half blanked */
	assert_int_equal(grid_row(g, 1)[8].ch, 0);
	grid_put(g, -1, 0, &wide, 1, 1); /* out of range: ignored */
	grid_put(g, 0, 10, &wide, 1, 1);
	grid_free(g);
}

static void test_overwrite_half_of_wide(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 6, 0);
	uint32_t w = 0x4e2d, x = 'x';
	grid_put(g, 0, 0, &w, 1, 2);
	grid_put(g, 0, 2, &w, 1, 2);
	grid_put(g, 0, 1, &x, 1, 1); /* right half of the first */
	assert_int_equal(grid_row(g, 0)[0].ch, 0);
	assert_int_equal(grid_row(g, 0)[0].width, 1);
	grid_put(g, 0, 2, &x, 1, 1); /* left half of the second */
	assert_false(grid_row(g, 0)[3].flags & GRID_CELL_CONT);
	assert_string_equal(text(g, 0), " xx");
	grid_free(g);
}

static void test_combined_chars(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 4, 10);
	uint32_t seq[3] = { 'a', 0x300, 0x301 };
	grid_put(g, 0, 0, seq, 3, 1);
	grid_put(g, 0, 1, seq, 3, 1);
	assert_int_equal(grid_row(g, 0)[0].ch, grid_row(g, 0)[1].ch); /* interned */
	uint32_t out[GRID_MAX_CHARS];
	assert_int_equal(grid_cell_chars(g, &grid_row(g, 0)[0], out, GRID_MAX_CHARS), 3);
	assert_int_equal(out[2], 0x301);
	assert_int_equal(grid_cell_chars(g, &grid_row(g, 0)[0], out, 2), 2);
	uint32_t many[8] = { 'b', 0x301, 0x302, 0x303, 0x304, 0x305, 0x306, 0x307 };
	grid_put(g, 0, 2, many, 8, 1); /* capped at GRID_MAX_CHARS */
	assert_int_equal(grid_cell_chars(g, &grid_row(g, 0)[2], out, 8), GRID_MAX_CHARS);
	grid_free(g);
}

static void test_combined_table_collects(void **s)
{
	(void)s;
	struct grid *g = grid_new(2, 4, 0);
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t seq[2] = { 'a' + i % 26, 0x300 + i };
		grid_put(g, (int)(i % 2), (int)(i % 4), seq, 2, 1);
	}
	/* only the last 8 sequences are on screen; the rest were collected */
	uint32_t out[GRID_MAX_CHARS];
	assert_int_equal(grid_cell_chars(g, &grid_row(g, 1)[3], out, GRID_MAX_CHARS), 2);
	assert_int_equal(out[1], 0x300 + 19999);
	grid_free(g);
}

static void test_erase_with_pen(void **s)
{
	(void)s;
	struct grid *g = grid_new(2, 6, 0);
	put_str(g, 0, 0, "abcdef");
	struct grid_pen p = { .bg = GRID_COLOR_INDEXED(4) };
	grid_set_pen(g, &p);
	grid_erase(g, 0, 1, 2, 4, 0);
	assert_string_equal(text(g, 0), "ab  ef");
	assert_int_equal(grid_row(g, 0)[2].bg, GRID_COLOR_INDEXED(4));
	assert_int_equal(grid_row(g, 0)[4].bg, GRID_COLOR_DEFAULT);
	struct grid_pen d = { 0 };
	grid_set_pen(g, &d);
	grid_erase(g, 0, 2, 0, 99, 0); /* clamped */
	assert_string_equal(text(g, 0), "");
	assert_int_equal(grid_row(g, 0)[2].bg, GRID_COLOR_DEFAULT);
	grid_free(g);
}

static void test_selective_erase(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 6, 0);
	struct grid_pen p = { .protect = 1 };
	grid_set_pen(g, &p);
	put_str(g, 0, 0, "ab");
	p.protect = 0;
	grid_set_pen(g, &p);
	put_str(g, 0, 2, "cd");
	grid_erase(g, 0, 1, 0, 6, 1);
	assert_string_equal(text(g, 0), "ab");
	grid_free(g);
}

static void test_scroll_full_screen_rotates(void **s)
{
	(void)s;
	struct grid *g = grid_new(3, 5, 10);
	put_str(g, 0, 0, "one");
	put_str(g, 1, 0, "two");
	put_str(g, 2, 0, "three");
	grid_scroll(g, 0, 3, 0, 5, 1, 0);
	assert_string_equal(text(g, 0), "two");
	assert_string_equal(text(g, 1), "three");
	assert_string_equal(text(g, 2), "");
	assert_int_equal(grid_sb_count(g), 1);
	assert_string_equal(sbtext(g, 0), "one");
	grid_scroll(g, 0, 3, 0, 5, -1, 0); /* reverse: no scrollback pop */
	assert_string_equal(text(g, 0), "");
	assert_string_equal(text(g, 1), "two");
	assert_int_equal(grid_sb_count(g), 1);
	for (int i = 0; i < 1000; i++) { /* many rotations */
		char b[8];
		snprintf(b, sizeof b, "%d", i);
		put_str(g, 2, 0, b);
		grid_scroll(g, 0, 3, 0, 5, 1, 0);
	}
	assert_string_equal(text(g, 1), "999");
	assert_int_equal(grid_sb_count(g), 10);
	assert_string_equal(sbtext(g, 0), "997");
	grid_free(g);
}

static void test_scroll_region_and_partial(void **s)
{
	(void)s;
	struct grid *g = grid_new(5, 6, 10);
	for (int r = 0; r < 5; r++) {
		char b[8];
		snprintf(b, sizeof b, "r%d", r);
		put_str(g, r, 0, b);
	}
	grid_scroll(g, 1, 4, 0, 6, 1, 0); /* region rows 1-3 */
	assert_string_equal(text(g, 0), "r0");
	assert_string_equal(text(g, 1), "r2");
	assert_string_equal(text(g, 2), "r3");
	assert_string_equal(text(g, 3), "");
	assert_string_equal(text(g, 4), "r4");
	assert_int_equal(grid_sb_count(g), 0); /* not from row 0 */
	grid_scroll(g, 0, 5, 2, 6, 0, 1); /* delete a column in cols 2-5 */
	put_str(g, 0, 2, "abcd");
	grid_scroll(g, 0, 1, 2, 6, 0, 1);
	assert_string_equal(text(g, 0), "r0bcd");
	grid_scroll(g, 0, 1, 2, 6, 0, -2);
	assert_string_equal(text(g, 0), "r0  bc");
	grid_scroll(g, 0, 2, 1, 4, 1, 0); /* partial width, vertical */
	assert_string_equal(text(g, 0), "r2  bc");
	grid_scroll(g, 1, 5, 0, 6, 9, 0); /* more than the height: erase */
	for (int r = 1; r < 5; r++)
		assert_string_equal(text(g, r), "");
	assert_int_equal(grid_sb_count(g), 0); /* like vterm_scroll_rect */
	grid_scroll(g, 0, 5, 0, 6, 9, 0); /* from the top: to the scrollback */
	assert_string_equal(text(g, 0), "");
	assert_int_equal(grid_sb_count(g), 5);
	assert_string_equal(sbtext(g, 4), "r2  bc");
	grid_free(g);
}

static void test_scroll_splits_straddling_wide(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 6, 0);
	uint32_t w = 0x4e2d;
	grid_put(g, 0, 1, &w, 1, 2); /* cols 1-2 */
	grid_scroll(g, 0, 1, 2, 6, 0, -1); /* insert at col 2: splits it */
	const struct grid_cell *c = grid_row(g, 0);
	assert_int_equal(c[1].width, 1);
	assert_int_equal(c[1].ch, 0);
	for (int i = 0; i < 6; i++)
		assert_false(c[i].flags & GRID_CELL_CONT);
	grid_put(g, 0, 4, &w, 1, 2); /* cols 4-5 */
	grid_scroll(g, 0, 1, 0, 6, 0, -1); /* pushed off the right edge */
	c = grid_row(g, 0);
	assert_int_equal(c[5].width, 1);
	assert_int_equal(c[5].ch, 0);
	grid_free(g);
}

static void test_damage(void **s)
{
	(void)s;
	struct grid *g = grid_new(4, 10, 0);
	grid_damage_clear(g);
	assert_false(grid_dirty(g));
	put_str(g, 1, 3, "ab");
	put_str(g, 1, 7, "c");
	int c0, c1;
	assert_true(grid_damage(g, 1, &c0, &c1));
	assert_int_equal(c0, 3);
	assert_int_equal(c1, 8);
	assert_false(grid_damage(g, 0, &c0, &c1));
	assert_false(grid_damage(g, 4, &c0, &c1)); /* out of range */
	grid_damage_clear(g);
	grid_scroll(g, 1, 3, 0, 10, 1, 0);
	assert_false(grid_damage(g, 0, NULL, NULL));
	assert_true(grid_damage(g, 1, NULL, NULL));
	assert_true(grid_damage(g, 2, NULL, NULL));
	assert_false(grid_damage(g, 3, NULL, NULL));
	grid_damage_clear(g);
	grid_damage_all(g);
	assert_true(grid_damage(g, 3, &c0, &c1));
	assert_int_equal(c1, 10);
	grid_free(g);
}

static void test_sb_roundtrip_everything(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 12, 10);
	struct grid_pen p = { .attrs = GRID_ATTR_BOLD | GRID_ATTR_ITALIC | (3 << GRID_ATTR_UNDERLINE_SHIFT),
			      .fg = GRID_COLOR_RGB(1, 2, 3),
			      .bg = GRID_COLOR_INDEXED(200) };
	grid_set_pen(g, &p);
	uint32_t a = 'a', wide = 0x1f600, comb[3] = { 'e', 0x301, 0x302 }, nul = 0;
	grid_put(g, 0, 0, &a, 1, 1);
	p.fg = GRID_COLOR_INDEXED(7);
	p.protect = 1;
	grid_set_pen(g, &p);
	grid_put(g, 0, 1, &wide, 1, 2);
	p = (struct grid_pen){ 0 };
	grid_set_pen(g, &p);
	grid_put(g, 0, 4, comb, 3, 1);
	grid_put(g, 0, 6, &nul, 1, 1); /* an explicit NUL stays a blank */
	p.bg = GRID_COLOR_INDEXED(1);
	grid_set_pen(g, &p);
	grid_erase(g, 0, 1, 8, 10, 0); /* coloured blanks are kept */
	struct grid_cell before[12];
	memcpy(before, grid_row(g, 0), sizeof before);
	grid_scroll(g, 0, 1, 0, 12, 1, 0);
	assert_int_equal(grid_sb_count(g), 1);
	struct grid_cell after[12];
	unsigned fl;
	assert_int_equal(grid_sb_line(g, 0, after, 12, &fl), 10);
	for (int i = 0; i < 12; i++) {
		uint32_t x[GRID_MAX_CHARS], y[GRID_MAX_CHARS];
		int nx = grid_cell_chars(g, &before[i], x, GRID_MAX_CHARS);
		int ny = grid_cell_chars(g, &after[i], y, GRID_MAX_CHARS);
		if (nx != ny)
			fail_msg("cell %d: %d chars before, %d after", i, nx, ny);
		assert_memory_equal(x, y, (size_t)nx * sizeof *x);
		assert_int_equal(before[i].width, after[i].width);
		assert_int_equal(before[i].attrs, after[i].attrs);
		assert_int_equal(before[i].fg, after[i].fg);
		assert_int_equal(before[i].bg, after[i].bg);
		assert_int_equal(before[i].flags & ~GRID_CELL_COMBINED, after[i].flags & ~GRID_CELL_COMBINED);
	}
	/* narrower decode: cut, and a wide char cut in half is blanked */
	struct grid_cell cut[2];
	grid_sb_line(g, 0, cut, 2, NULL);
	assert_int_equal(cut[1].width, 1);
	assert_int_equal(cut[1].ch, 0);
	assert_int_equal(grid_sb_line(g, 1, cut, 2, NULL), -1);
	assert_int_equal(grid_sb_line(g, -1, cut, 2, NULL), -1);
	grid_free(g);
}

static void test_sb_blank_runs(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 600, 10);
	put_str(g, 0, 0, "a");
	struct grid_pen p = { .bg = GRID_COLOR_INDEXED(3), .attrs = GRID_ATTR_REVERSE };
	grid_set_pen(g, &p);
	grid_erase(g, 0, 1, 1, 400, 0); /* 399 coloured blanks: two runs */
	struct grid_pen d = { 0 };
	grid_set_pen(g, &d);
	put_str(g, 0, 401, "b"); /* one default blank at 400 */
	put_str(g, 0, 590, "c");  /* 188 default blanks */
	struct grid_cell before[600], after[600];
	memcpy(before, grid_row(g, 0), sizeof before);
	grid_scroll(g, 0, 1, 0, 600, 1, 0);
	assert_int_equal(grid_sb_line(g, 0, after, 600, NULL), 591);
	assert_memory_equal(before, after, sizeof before);
	assert_true(grid_sb_bytes(g) < 100); /* runs, not 600 cells */
	grid_free(g);
}

static void test_sb_trims_and_is_compact(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 200, 1000);
	for (int i = 0; i < 1000; i++) {
		put_str(g, 0, 0, "short line");
		grid_scroll(g, 0, 1, 0, 200, 1, 0);
	}
	assert_int_equal(grid_sb_count(g), 1000);
	/* 10 characters, not 200 cells of 16 bytes */
	assert_true(grid_sb_bytes(g) < 1000 * 32);
	assert_string_equal(sbtext(g, 999), "short line");
	grid_free(g);
}

static void test_sb_limits(void **s)
{
	(void)s;
	struct grid *g = grid_new(1, 10, 3);
	const char *w[] = { "a", "b", "c", "d", "e" };
	for (int i = 0; i < 5; i++) {
		put_str(g, 0, 0, w[i]);
		grid_scroll(g, 0, 1, 0, 10, 1, 0);
	}
	assert_int_equal(grid_sb_count(g), 3);
	assert_string_equal(sbtext(g, 0), "e");
	assert_string_equal(sbtext(g, 2), "c");
	grid_sb_set_limits(g, 2, GRID_SB_DEFAULT_BYTES);
	assert_int_equal(grid_sb_count(g), 2);
	assert_string_equal(sbtext(g, 1), "d");
	grid_sb_set_limits(g, 100, 40); /* a byte cap evicts the oldest */
	for (int i = 0; i < 10; i++) {
		put_str(g, 0, 0, "0123456789");
		grid_scroll(g, 0, 1, 0, 10, 1, 0);
	}
	assert_true(grid_sb_bytes(g) <= 40 || grid_sb_count(g) == 1);
	assert_true(grid_sb_count(g) >= 1);
	grid_sb_set_limits(g, 0, GRID_SB_DEFAULT_BYTES); /* no scrollback */
	put_str(g, 0, 0, "x");
	grid_scroll(g, 0, 1, 0, 10, 1, 0);
	assert_int_equal(grid_sb_count(g), 0);
	grid_free(g);
}

static void test_view(void **s)
{
	(void)s;
	struct grid *g = grid_new(2, 4, 10);
	const char *w[] = { "l0", "l1", "l2", "l3" };
	for (int i = 0; i < 4; i++) {
		put_str(g, 1, 0, w[i]);
		grid_scroll(g, 0, 2, 0, 4, 1, 0);
	}
	/* scrollback: l0? no: row 0 pushed each time: "", l0, l1, l2 */
	assert_int_equal(grid_sb_count(g), 4);
	grid_view_set(g, 2);
	assert_int_equal(grid_view_offset(g), 2);
	char b[16];
	const struct grid_cell *r0 = grid_view_row(g, 0), *r1;
	assert_int_equal(r0[0].ch, 'l');
	assert_int_equal(r0[1].ch, '1');
	r1 = grid_view_row(g, 1);
	assert_int_equal(r1[1].ch, '2');
	grid_view_scroll(g, 100);
	assert_int_equal(grid_view_offset(g), 4);
	grid_view_scroll(g, -100);
	assert_int_equal(grid_view_offset(g), 0);
	grid_view_set(g, 1);
	put_str(g, 1, 0, "l4");
	grid_scroll(g, 0, 2, 0, 4, 1, 0); /* anchored: the view follows its text */
	assert_int_equal(grid_view_offset(g), 2);
	assert_int_equal(grid_view_row(g, 0)[1].ch, '2');
	grid_set_altscreen(g, 1);
	assert_int_equal(grid_view_offset(g), 0);
	grid_set_altscreen(g, 0);
	grid_sb_clear(g);
	assert_int_equal(grid_view_offset(g), 0);
	(void)b;
	grid_free(g);
}

static void test_damage_follows_view(void **s)
{
	(void)s;
	struct grid *g = grid_new(3, 5, 10);
	for (int i = 0; i < 4; i++) {
		put_str(g, 2, 0, "x");
		grid_scroll(g, 0, 3, 0, 5, 1, 0);
	}
	grid_view_set(g, 1);
	grid_damage_clear(g);
	put_str(g, 0, 2, "y"); /* live row 0 is display row 1 */
	assert_false(grid_damage(g, 0, NULL, NULL));
	int c0, c1;
	assert_true(grid_damage(g, 1, &c0, &c1));
	assert_int_equal(c0, 2);
	assert_int_equal(c1, 3);
	assert_int_equal(grid_view_row(g, 1)[2].ch, 'y');
	grid_damage_clear(g);
	put_str(g, 2, 0, "z"); /* live row 2 is below the display */
	assert_false(grid_damage(g, 2, NULL, NULL));
	assert_true(grid_dirty(g));
	grid_view_set(g, 0); /* changing the view redraws everything */
	assert_true(grid_damage(g, 0, NULL, NULL));
	grid_free(g);
}

static void test_reflow_roundtrip(void **s)
{
	(void)s;
	struct grid *g = grid_new(4, 10, 100);
	put_str(g, 0, 0, "0123456789");
	grid_set_row_flags(g, 0, GRID_ROW_WRAPPED, GRID_ROW_WRAPPED);
	put_str(g, 1, 0, "abc");
	put_str(g, 2, 0, "second");
	int r = 2, c = 6;
	grid_resize(g, 4, 4, &r, &c);
	/* 0123 4567 89ab c | seco nd: 6 rows on 4 -> 2 to scrollback */
	assert_int_equal(grid_sb_count(g), 2);
	assert_string_equal(sbtext(g, 1), "0123");
	assert_string_equal(text(g, 0), "89ab");
	assert_string_equal(text(g, 1), "c");
	assert_string_equal(text(g, 2), "seco");
	assert_string_equal(text(g, 3), "nd");
	assert_int_equal(r, 3);
	assert_int_equal(c, 2);
	grid_resize(g, 4, 30, &r, &c);
	assert_int_equal(grid_sb_count(g), 0);
	assert_string_equal(text(g, 0), "0123456789abc");
	assert_string_equal(text(g, 1), "second");
	assert_false(grid_row_flags(g, 0) & GRID_ROW_WRAPPED);
	assert_int_equal(r, 1);
	assert_int_equal(c, 6);
	grid_free(g);
}

static void test_reflow_wide_and_attrs(void **s)
{
	(void)s;
	struct grid *g = grid_new(2, 5, 10);
	struct grid_pen p = { .fg = GRID_COLOR_INDEXED(2) };
	grid_set_pen(g, &p);
	uint32_t w = 0x4e2d;
	put_str(g, 0, 0, "ab");
	grid_put(g, 0, 2, &w, 1, 2);
	put_str(g, 0, 4, "c");
	int r = 0, c = 0;
	grid_resize(g, 2, 3, &r, &c); /* ab中c -> "ab" + "中c": the wide char is not split */
	assert_string_equal(text(g, 0), "ab");
	assert_string_equal(text(g, 1), "\xe4\xb8\xad" "c");
	assert_int_equal(grid_row(g, 1)[0].width, 2);
	assert_int_equal(grid_row(g, 1)[0].fg, GRID_COLOR_INDEXED(2));
	grid_resize(g, 2, 5, &r, &c);
	assert_string_equal(text(g, 0), "ab\xe4\xb8\xad" "c");
	grid_free(g);
}

static void test_resize_alt_truncates(void **s)
{
	(void)s;
	struct grid *g = grid_new(3, 6, 10);
	put_str(g, 0, 0, "primary");
	grid_set_altscreen(g, 1);
	put_str(g, 0, 0, "altalt");
	put_str(g, 2, 0, "bottom");
	int r = 2, c = 5;
	grid_resize(g, 2, 3, &r, &c);
	assert_string_equal(text(g, 0), "alt");
	assert_int_equal(r, 1);
	assert_int_equal(c, 2);
	grid_set_altscreen(g, 0);
	assert_string_equal(text(g, 0), "pri");
	grid_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_is_blank),
		cmocka_unit_test(test_put_and_text),
		cmocka_unit_test(test_overwrite_half_of_wide),
		cmocka_unit_test(test_combined_chars),
		cmocka_unit_test(test_combined_table_collects),
		cmocka_unit_test(test_erase_with_pen),
		cmocka_unit_test(test_selective_erase),
		cmocka_unit_test(test_scroll_full_screen_rotates),
		cmocka_unit_test(test_scroll_region_and_partial),
		cmocka_unit_test(test_scroll_splits_straddling_wide),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_sb_roundtrip_everything),
		cmocka_unit_test(test_sb_blank_runs),
		cmocka_unit_test(test_sb_trims_and_is_compact),
		cmocka_unit_test(test_sb_limits),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_damage_follows_view),
		cmocka_unit_test(test_reflow_roundtrip),
		cmocka_unit_test(test_reflow_wide_and_attrs),
		cmocka_unit_test(test_resize_alt_truncates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
