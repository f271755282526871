/* test_sb — the scrollback store (src/sb.c): lines come back as pushed,
 * newest first, across many blocks; dropping from both ends; limits; and
 * memory held stays near what the lines take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sb.h"

/* Line k's bytes: "line <k>" padded to a length that varies with k. */
static size_t line_of(int k, unsigned char *buf)
{
	int n = snprintf((char *)buf, 64, "line %d", k);
	size_t len = (size_t)n + (size_t)(k * 7 % 300);
	for (size_t i = (size_t)n; i < len; i++)
		buf[i] = (unsigned char)('a' + (k + (int)i) % 26);
	return len;
}

static void expect_line(const struct sb *s, int n, int k)
{
	unsigned char want[512];
	size_t len = line_of(k, want);
	const struct sb_line *l = sb_line(s, n);
	assert_non_null(l);
	assert_int_equal(l->nbytes, len);
	assert_int_equal(l->ncells, k % 1000);
	assert_int_equal(l->flags, k & 1);
	assert_memory_equal(l->data, want, len);
}

static void push_k(struct sb *s, int k)
{
	unsigned char buf[512];
	size_t len = line_of(k, buf);
	assert_int_equal(sb_push(s, buf, len, k % 1000, (unsigned)(k & 1)), 0);
}

static void test_push_and_read_back(void **st)
{
	(void)st;
	struct sb *s = sb_new(5000);
	for (int k = 0; k < 3000; k++)
		push_k(s, k);
	assert_int_equal(sb_count(s), 3000);
	for (int n = 0; n < 3000; n++)
		expect_line(s, n, 2999 - n);
	assert_null(sb_line(s, 3000));
	assert_null(sb_line(s, -1));
	/* memory held: the lines plus at most a block of slack and the index */
	assert_true(sb_held(s) <= sb_bytes(s) + 65536 + 5000 * sizeof(void *));
	sb_free(s);
}

static void test_full_ring_drops_oldest(void **st)
{
	(void)st;
	struct sb *s = sb_new(1000);
	for (int k = 0; k < 20000; k++)
		push_k(s, k);
	assert_int_equal(sb_count(s), 1000);
	for (int n = 0; n < 1000; n++)
		expect_line(s, n, 19999 - n);
	/* blocks whose lines are gone were given back */
	assert_true(sb_held(s) <= sb_bytes(s) + 2 * 65536 + 1000 * sizeof(void *));
	sb_free(s);
}

static void test_drop_both_ends(void **st)
{
	(void)st;
	struct sb *s = sb_new(4000);
	for (int k = 0; k < 3000; k++)
		push_k(s, k);
	for (int i = 0; i < 1000; i++)
		sb_drop_oldest(s);
	for (int i = 0; i < 1500; i++)
		sb_drop_newest(s);
	assert_int_equal(sb_count(s), 500);
	for (int n = 0; n < 500; n++)
		expect_line(s, n, 1499 - n);
	/* pushing again reuses the space the newest lines left */
	for (int k = 1500; k < 2500; k++)
		push_k(s, k);
	for (int n = 0; n < 1500; n++)
		expect_line(s, n, 2499 - n);
	while (sb_count(s) > 0)
		sb_drop_newest(s);
	assert_int_equal(sb_bytes(s), 0);
	sb_drop_newest(s); /* empty: nothing happens */
	sb_drop_oldest(s);
	push_k(s, 7);
	expect_line(s, 0, 7);
	sb_free(s);
}

static void test_limits(void **st)
{
	(void)st;
	struct sb *s = sb_new(100);
	for (int k = 0; k < 150; k++)
		push_k(s, k);
	sb_set_max(s, 10);
	assert_int_equal(sb_count(s), 10);
	for (int n = 0; n < 10; n++)
		expect_line(s, n, 149 - n);
	sb_set_max(s, 50); /* grows: the same lines, room for more */
	for (int k = 150; k < 180; k++)
		push_k(s, k);
	assert_int_equal(sb_count(s), 40);
	expect_line(s, 39, 140);
	sb_set_max(s, 0); /* none kept */
	assert_int_equal(sb_count(s), 0);
	unsigned char b[4] = "abc";
	assert_int_equal(sb_push(s, b, 3, 3, 0), -1);
	assert_int_equal(sb_held(s), 0);
	sb_free(s);
}

static void test_big_and_empty_lines(void **st)
{
	(void)st;
	struct sb *s = sb_new(10);
	static unsigned char big[200000];
	memset(big, 'x', sizeof big);
	assert_int_equal(sb_push(s, big, sizeof big, 4000, 0), 0);
	assert_int_equal(sb_push(s, NULL, 0, 0, 1), 0);
	assert_int_equal(sb_push(s, big, 10, 10, 0), 0);
	assert_int_equal(sb_line(s, 0)->nbytes, 10);
	assert_int_equal(sb_line(s, 1)->nbytes, 0);
	assert_int_equal(sb_line(s, 1)->flags, 1);
	assert_int_equal(sb_line(s, 2)->nbytes, sizeof big);
	assert_memory_equal(sb_line(s, 2)->data, big, sizeof big);
	sb_clear(s);
	assert_int_equal(sb_count(s), 0);
	assert_int_equal(sb_bytes(s), 0);
	sb_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_and_read_back),
		cmocka_unit_test(test_full_ring_drops_oldest),
		cmocka_unit_test(test_drop_both_ends),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_big_and_empty_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
