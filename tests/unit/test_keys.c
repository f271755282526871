/* test_keys — the key translation table (fixed and run-time terminfo codes),
 * the bytes a real libvterm-backed term sends for them, the prefix state
 * machine and the binding table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "input.h"
#include "keys.h"
#include "term.h"

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
	keypad(stdscr, TRUE);
	keys_init();
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

static void expect_special(struct keys_ev ev, int key, unsigned mods)
{
	assert_int_equal(ev.kind, KEYS_SPECIAL);
	assert_int_equal(ev.key, key);
	assert_int_equal(ev.mods, mods);
}

static void test_fixed_table(void **state)
{
	(void)state;
	expect_special(keys_translate(1, KEY_UP), TERM_KEY_UP, 0);
	expect_special(keys_translate(1, KEY_SR), TERM_KEY_UP, TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_SLEFT), TERM_KEY_LEFT, TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_BTAB), TERM_KEY_TAB, TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_DC), TERM_KEY_DEL, 0);
	expect_special(keys_translate(1, KEY_SNEXT), TERM_KEY_PAGEDOWN, TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_ENTER), TERM_KEY_ENTER, 0);
	expect_special(keys_translate(1, KEY_BACKSPACE), TERM_KEY_BACKSPACE, 0);
	expect_special(keys_translate(1, KEY_F(5)), TERM_KEY_F(5), 0);
	expect_special(keys_translate(1, KEY_F(13)), TERM_KEY_F(1), TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_F(24)), TERM_KEY_F(12), TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_F(25)), TERM_KEY_F(1), TERM_MOD_CTRL);
	expect_special(keys_translate(1, KEY_F(40)), TERM_KEY_F(4), TERM_MOD_CTRL | TERM_MOD_SHIFT);
	expect_special(keys_translate(1, KEY_F(49)), TERM_KEY_F(1), TERM_MOD_ALT);
	expect_special(keys_translate(1, KEY_F(63)), TERM_KEY_F(3), TERM_MOD_ALT | TERM_MOD_SHIFT);
	expect_special(keys_translate(0, '\r'), TERM_KEY_ENTER, 0);
	expect_special(keys_translate(0, '\t'), TERM_KEY_TAB, 0);
	expect_special(keys_translate(0, 127), TERM_KEY_BACKSPACE, 0);
	expect_special(keys_translate(0, 27), TERM_KEY_ESCAPE, 0);
	struct keys_ev c = keys_translate(0, 0x20AC);
	assert_int_equal(c.kind, KEYS_CHAR);
	assert_int_equal(c.cp, 0x20AC);
	c = keys_alt(keys_translate(0, 'x'));
	assert_int_equal(c.mods, TERM_MOD_ALT);
	assert_int_equal(keys_translate(1, KEY_MOUSE).kind, KEYS_MOUSE);
	assert_int_equal(keys_translate(1, KEY_RESIZE).kind, KEYS_RESIZE);
	assert_int_equal(keys_translate(1, KEY_B2).kind, KEYS_NONE);
}

static void test_dynamic_codes(void **state)
{
	(void)state;
	static const struct {
		const char *cap;
		int key;
	} caps[] = { { "kUP", TERM_KEY_UP },   { "kDN", TERM_KEY_DOWN }, { "kLFT", TERM_KEY_LEFT },
		     { "kRIT", TERM_KEY_RIGHT }, { "kHOM", TERM_KEY_HOME }, { "kEND", TERM_KEY_END },
		     { "kDC", TERM_KEY_DEL },  { "kNXT", TERM_KEY_PAGEDOWN } };
	int seen = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
		for (int m = 3; m <= 7; m++) {
			char name[16];
			snprintf(name, sizeof name, "%s%d", caps[i].cap, m);
			char *s = tigetstr(name);
			if (!s || s == (char *)-1)
				continue;
			int code = key_defined(s);
			assert_true(code > KEY_MIN);
			expect_special(keys_translate(1, (uint32_t)code), caps[i].key, (unsigned)(m - 1));
			seen++;
		}
	assert_true(seen >= 30); /* xterm-256color defines them all */
	assert_int_equal(key_defined("\033[200~"), KEYS_CODE_PASTE_BEGIN);
	assert_int_equal(key_defined("\033[201~"), KEYS_CODE_PASTE_END);
	assert_int_equal(keys_translate(1, KEYS_CODE_PASTE_BEGIN).kind, KEYS_PASTE_BEGIN);
}

/* Sends ev through a real term and compares the bytes for the child. */
static void expect_bytes(struct term *t, struct keys_ev ev, const char *want)
{
	size_t n;
	term_output(t, &n);
	term_output_consume(t, n);
	if (ev.kind == KEYS_SPECIAL)
		term_key(t, (enum term_key)ev.key, ev.mods);
	else
		term_char(t, ev.cp, ev.mods);
	const char *out = term_output(t, &n);
	char got[64] = "";
	memcpy(got, out, n < sizeof got - 1 ? n : sizeof got - 1);
	if (n != strlen(want) || memcmp(out, want, n))
		fail_msg("expected \"%s\", got \"%s\" (%zu bytes)", want, got, n);
	term_output_consume(t, n);
}

static void test_through_term(void **state)
{
	(void)state;
	struct term *t = term_new(24, 80, 100);
	expect_bytes(t, keys_translate(1, KEY_UP), "\033[A");
	expect_bytes(t, keys_translate(1, KEY_F(1)), "\033OP");
	expect_bytes(t, keys_translate(1, KEY_F(13)), "\033[1;2P");
	expect_bytes(t, keys_translate(1, KEY_F(17)), "\033[15;2~");
	expect_bytes(t, keys_translate(1, KEY_F(25)), "\033[1;5P");
	expect_bytes(t, keys_translate(1, KEY_DC), "\033[3~");
	expect_bytes(t, keys_translate(1, KEY_SR), "\033[1;2A");
	expect_bytes(t, keys_translate(1, KEY_BTAB), "\033[Z");
	expect_bytes(t, keys_translate(1, KEY_BACKSPACE), "\x7f");
	expect_bytes(t, keys_translate(0, '\r'), "\r");
	expect_bytes(t, keys_translate(0, 1), "\x01");
	expect_bytes(t, keys_translate(0, 7), "\x07");
	expect_bytes(t, keys_alt(keys_translate(0, 'x')), "\033x");
	expect_bytes(t, keys_translate(0, 0x20AC), "\xe2\x82\xac");
	int kup5 = key_defined(tigetstr("kUP5"));
	expect_bytes(t, keys_translate(1, (uint32_t)kup5), "\033[1;5A");
	int kdc3 = key_defined(tigetstr("kDC3"));
	expect_bytes(t, keys_translate(1, (uint32_t)kdc3), "\033[3;3~");
	/* Application cursor keys (DECCKM) honoured. */
	term_feed(t, "\033[?1h", 5);
	expect_bytes(t, keys_translate(1, KEY_UP), "\033OA");
	term_free(t);
}

static void test_prefix_machine(void **state)
{
	(void)state;
	struct input in;
	enum input_action act;
	int arg;
	input_init(&in, 7);
	struct keys_ev cg = keys_translate(0, 7), q = keys_translate(0, 'q'), a = keys_translate(0, 'a');
	assert_int_equal(input_key(&in, &a, &act, &arg), INPUT_FORWARD);
	assert_int_equal(input_key(&in, &cg, &act, &arg), INPUT_PREFIX);
	assert_int_equal(input_key(&in, &q, &act, &arg), INPUT_ACTION);
	assert_int_equal(act, ACT_QUIT);
	/* Twice: the child gets it. */
	assert_int_equal(input_key(&in, &cg, &act, &arg), INPUT_PREFIX);
	assert_int_equal(input_key(&in, &cg, &act, &arg), INPUT_FORWARD);
	assert_int_equal(input_key(&in, &q, &act, &arg), INPUT_FORWARD);
	/* Unbound, then back to normal. */
	struct keys_ev w = keys_translate(0, 'w');
	input_key(&in, &cg, &act, &arg);
	assert_int_equal(input_key(&in, &w, &act, &arg), INPUT_UNBOUND);
	assert_int_equal(input_key(&in, &w, &act, &arg), INPUT_FORWARD);
	/* Special keys and numbers. */
	struct keys_ev up = keys_translate(1, KEY_UP), three = keys_translate(0, '3');
	input_key(&in, &cg, &act, &arg);
	assert_int_equal(input_key(&in, &up, &act, &arg), INPUT_ACTION);
	assert_int_equal(act, ACT_FOCUS_UP);
	input_key(&in, &cg, &act, &arg);
	assert_int_equal(input_key(&in, &three, &act, &arg), INPUT_ACTION);
	assert_int_equal(act, ACT_FOCUS_NUM);
	assert_int_equal(arg, 3);
	/* Alt+q after the prefix is not q. */
	struct keys_ev altq = keys_alt(q);
	input_key(&in, &cg, &act, &arg);
	assert_int_equal(input_key(&in, &altq, &act, &arg), INPUT_UNBOUND);
	/* A Tab prefix (C-i) arrives as the Tab key. */
	input_init(&in, 9);
	struct keys_ev tab = keys_translate(0, '\t');
	assert_int_equal(input_key(&in, &tab, &act, &arg), INPUT_PREFIX);
	assert_int_equal(input_key(&in, &tab, &act, &arg), INPUT_FORWARD);
}

static void test_prefix_names_and_table(void **state)
{
	(void)state;
	assert_int_equal(keys_parse_prefix("C-g"), 7);
	assert_int_equal(keys_parse_prefix("C-a"), 1);
	assert_int_equal(keys_parse_prefix("^b"), 2);
	assert_int_equal(keys_parse_prefix("C-]"), 29);
	assert_int_equal(keys_parse_prefix("C-G"), 7);
	assert_int_equal(keys_parse_prefix("M-x"), -1);
	assert_int_equal(keys_parse_prefix("g"), -1);
	assert_int_equal(keys_parse_prefix("C-1"), -1);
	assert_int_equal(keys_parse_prefix(""), -1);
	char b[16];
	assert_string_equal(keys_char_name(7, b, sizeof b), "C-g");
	assert_string_equal(keys_char_name(' ', b, sizeof b), "Space");
	assert_string_equal(keys_char_name('q', b, sizeof b), "q");
	/* Every binding names a real action, and every action has a binding. */
	int used[ACT_NACTIONS] = { 0 };
	for (int i = 0; i < input_nbindings; i++) {
		enum input_action a = input_action_parse(input_bindings[i].action);
		if (a == ACT_NONE)
			fail_msg("binding %s: unknown action %s", input_bindings[i].keyname,
				 input_bindings[i].action);
		used[a] = 1;
		for (int j = 0; j < i; j++)
			if (input_bindings[j].special == input_bindings[i].special &&
			    input_bindings[j].key == input_bindings[i].key)
				fail_msg("key %s bound twice", input_bindings[i].keyname);
	}
	for (int a = 1; a < ACT_NACTIONS; a++)
		if (!used[a])
			fail_msg("action %s has no binding", input_action_name((enum input_action)a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_table),
		cmocka_unit_test(test_dynamic_codes),
		cmocka_unit_test(test_through_term),
		cmocka_unit_test(test_prefix_machine),
		cmocka_unit_test(test_prefix_names_and_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
