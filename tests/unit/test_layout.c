/* test_layout — tiling geometry: every mode over many sizes and pane counts
 * tiles the area exactly, without overlap, every pane at least 1x1 inside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

/* Checks the tiling property; returns 0 or a line number of the failure. */
static int check_tiling(int n, struct rect a, const struct layout_pane *p)
{
	static unsigned char cover[200 * 200];
	if (a.h > 200 || a.w > 200)
		return __LINE__;
	memset(cover, 0, (size_t)(a.h * a.w));
	for (int i = 0; i < n; i++) {
		if (!p[i].visible)
			continue;
		struct rect o = p[i].outer, in = p[i].inner;
		if (o.h < 1 || o.w < 1 || in.h < 1 || in.w < 1)
			return __LINE__;
		if (o.y < a.y || o.x < a.x || o.y + o.h > a.y + a.h || o.x + o.w > a.x + a.w)
			return __LINE__;
		if (in.y < o.y || in.x < o.x || in.y + in.h > o.y + o.h || in.x + in.w > o.x + o.w)
			return __LINE__;
		for (int y = o.y; y < o.y + o.h; y++)
			for (int x = o.x; x < o.x + o.w; x++) {
				unsigned char *c = &cover[(y - a.y) * a.w + (x - a.x)];
				if (*c)
					return __LINE__; /* overlap */
				*c = 1;
			}
	}
	for (int i = 0; i < a.h * a.w; i++)
		if (!cover[i])
			return __LINE__; /* hole */
	return 0;
}

static void test_property_many_sizes(void **state)
{
	(void)state;
	struct layout_pane p[40];
	int checked = 0;
	for (int mode = 0; mode < LAYOUT_NMODES; mode++)
		for (int n = 1; n <= 40; n++)
			for (int h = 1; h <= 60; h += (h < 12 ? 1 : 7))
				for (int w = 1; w <= 200; w += (w < 12 ? 1 : 13)) {
					struct rect a = { 2, 3, h, w };
					int r = layout_compute(n, a, (enum layout_mode)mode, -1, p);
					if (r < 0) {
						/* Only allowed when n panes cannot fit. */
						int fits = mode == LAYOUT_GRID ? n <= h * w
									       : n == 1 || (w >= 2 && n - 1 <= h);
						if (fits)
							fail_msg("mode %d n=%d %dx%d refused", mode, n, h, w);
						continue;
					}
					int line = check_tiling(n, a, p);
					if (line)
						fail_msg("mode %d n=%d area %dx%d: check at line %d", mode, n, h, w, line);
					checked++;
				}
	assert_true(checked > 10000);
}

static void test_zoom_and_border(void **state)
{
	(void)state;
	struct layout_pane p[4];
	struct rect a = { 0, 0, 48, 160 };
	assert_int_equal(layout_compute(4, a, LAYOUT_GRID, 2, p), 0);
	assert_false(p[0].visible);
	assert_true(p[2].visible);
	assert_int_equal(p[2].outer.h, 48);
	assert_int_equal(p[2].outer.w, 160);
	assert_int_equal(p[2].inner.y, 1);
	assert_int_equal(p[2].inner.x, 1);
	assert_int_equal(p[2].inner.h, 46);
	assert_int_equal(p[2].inner.w, 158);
	/* Tiny panes lose their border rather than their content. */
	struct rect t = layout_inner((struct rect){ 0, 0, 2, 10 });
	assert_int_equal(t.h, 2);
	assert_int_equal(t.w, 10);
}

static void test_grid_shapes(void **state)
{
	(void)state;
	struct layout_pane p[5];
	struct rect a = { 0, 0, 48, 160 };
	assert_int_equal(layout_compute(2, a, LAYOUT_GRID, -1, p), 0);
	/* Two panes side by side, 80 columns each. */
	assert_int_equal(p[0].outer.w, 80);
	assert_int_equal(p[1].outer.x, 80);
	assert_int_equal(p[1].outer.h, 48);
	assert_int_equal(layout_compute(3, a, LAYOUT_GRID, -1, p), 0);
	/* 2 on top, 1 spanning the bottom. */
	assert_int_equal(p[2].outer.w, 160);
	assert_int_equal(p[2].outer.y, 24);
	assert_int_equal(layout_compute(3, a, LAYOUT_MAIN, -1, p), 0);
	assert_int_equal(p[0].outer.h, 48);
	assert_int_equal(p[1].outer.x, p[0].outer.w);
	assert_int_equal(p[1].outer.h + p[2].outer.h, 48);
	/* Too small. */
	assert_int_equal(layout_compute(5, (struct rect){ 0, 0, 1, 2 }, LAYOUT_GRID, -1, p), -1);
	assert_int_equal(layout_compute(0, a, LAYOUT_GRID, -1, p), -1);
}

static void test_neighbours(void **state)
{
	(void)state;
	struct layout_pane p[4];
	assert_int_equal(layout_compute(4, (struct rect){ 0, 0, 40, 100 }, LAYOUT_GRID, -1, p), 0);
	/* 0 1 / 2 3 */
	assert_int_equal(layout_neighbour(p, 4, 0, 0, 1), 1);
	assert_int_equal(layout_neighbour(p, 4, 0, 1, 0), 2);
	assert_int_equal(layout_neighbour(p, 4, 3, -1, 0), 1);
	assert_int_equal(layout_neighbour(p, 4, 3, 0, -1), 2);
	assert_int_equal(layout_neighbour(p, 4, 0, -1, 0), -1);
	assert_int_equal(layout_neighbour(p, 4, 0, 0, -1), -1);
	assert_int_equal(layout_mode_parse("main"), LAYOUT_MAIN);
	assert_int_equal(layout_mode_parse("grid"), LAYOUT_GRID);
	assert_int_equal(layout_mode_parse("tiles"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property_many_sizes),
		cmocka_unit_test(test_zoom_and_border),
		cmocka_unit_test(test_grid_shapes),
		cmocka_unit_test(test_neighbours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
