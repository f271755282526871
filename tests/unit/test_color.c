/* test_color — colour quantisation: RGB to the xterm cube / grey ramp / 16
 * colours, indexes passed through, 8-colour terminals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "color.h"

static void test_rgb_to_256_exact(void **state)
{
	(void)state;
	/* Every cube and grey entry maps back to itself. */
	for (int i = 16; i < 256; i++) {
		uint8_t r, g, b;
		color_index_rgb(i, &r, &g, &b);
		int n = color_rgb_to_256(r, g, b);
		uint8_t r2, g2, b2;
		color_index_rgb(n, &r2, &g2, &b2);
		if (r != r2 || g != g2 || b != b2)
			fail_msg("index %d (%d,%d,%d) came back as %d", i, r, g, b, n);
	}
	assert_int_equal(color_rgb_to_256(255, 0, 0), 196);
	assert_int_equal(color_rgb_to_256(0, 0, 0), 16);
	assert_int_equal(color_rgb_to_256(255, 255, 255), 231);
	assert_int_equal(color_rgb_to_256(128, 128, 128), 244); /* grey ramp 128 */
	assert_int_equal(color_rgb_to_256(100, 101, 99), 241);  /* nearer grey 98 than cube 95/135 */
	assert_int_equal(color_rgb_to_256(250, 130, 10), 208);  /* 255,135,0 */
}

static void test_rgb_nearest_is_nearest(void **state)
{
	(void)state;
	/* Brute force: nothing among 16..255 is strictly nearer. */
	for (int r = 0; r < 256; r += 17)
		for (int g = 3; g < 256; g += 23)
			for (int b = 7; b < 256; b += 29) {
				int n = color_rgb_to_256((uint8_t)r, (uint8_t)g, (uint8_t)b);
				uint8_t nr, ng, nb;
				color_index_rgb(n, &nr, &ng, &nb);
				long d = (long)(r - nr) * (r - nr) + (long)(g - ng) * (g - ng) + (long)(b - nb) * (b - nb);
				for (int i = 16; i < 256; i++) {
					uint8_t ir, ig, ib;
					color_index_rgb(i, &ir, &ig, &ib);
					long di = (long)(r - ir) * (r - ir) + (long)(g - ig) * (g - ig) + (long)(b - ib) * (b - ib);
					if (di < d)
						fail_msg("(%d,%d,%d): chose %d (d=%ld) but %d has d=%ld", r, g, b, n, d, i, di);
				}
			}
}

static void test_color_number(void **state)
{
	(void)state;
	int bold;
	struct color def = { .kind = COLOR_KIND_DEFAULT };
	struct color i3 = { .kind = COLOR_KIND_INDEXED, .idx = 3 };
	struct color i12 = { .kind = COLOR_KIND_INDEXED, .idx = 12 };
	struct color i200 = { .kind = COLOR_KIND_INDEXED, .idx = 200 };
	struct color red = { .kind = COLOR_KIND_RGB, .r = 250, .g = 10, .b = 10 };
	assert_int_equal(color_number(&def, 256, NULL), -1);
	assert_int_equal(color_number(&i3, 256, NULL), 3);
	assert_int_equal(color_number(&i200, 256, NULL), 200);
	assert_int_equal(color_number(&red, 256, NULL), 196);
	/* 16 colours: bright indexes kept, 256 and RGB to the nearest of 16. */
	assert_int_equal(color_number(&i12, 16, NULL), 12);
	assert_int_equal(color_number(&red, 16, NULL), 9);
	assert_int_equal(color_number(&i200, 16, NULL), 13); /* 255,0,215 ~ bright magenta */
	/* 8 colours: bright as bold. */
	assert_int_equal(color_number(&i12, 8, &bold), 4);
	assert_int_equal(bold, 1);
	assert_int_equal(color_number(&i3, 8, &bold), 3);
	assert_int_equal(bold, 0);
	/* No colour at all. */
	assert_int_equal(color_number(&i3, 0, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rgb_to_256_exact),
		cmocka_unit_test(test_rgb_nearest_is_nearest),
		cmocka_unit_test(test_color_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
