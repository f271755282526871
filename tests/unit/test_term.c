/* test_term — the libvterm wrapper in the libvterm-harness style: push
 * bytes, assert cells, cursor, properties and the bytes for the child.
 * Includes a regression test for every 0.1.4 crash or loss in
 * shared/notes/libvterm.md (and the ones found while building this). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vterm.h>

#include "term.h"
#include "util.h"

static void push(struct term *t, const char *s) { term_feed(t, s, strlen(s)); }

static const char *row(struct term *t, int r)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	grid_row_text(term_grid(t), r, buf[k], sizeof buf[k]);
	return buf[k];
}

/* The bytes for the child so far, consumed, as a string. */
static const char *out(struct term *t)
{
	static char buf[65536];
	size_t n;
	const char *p = term_output(t, &n);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	if (p)
		memcpy(buf, p, n);
	buf[n] = '\0';
	term_output_consume(t, n);
	return buf;
}

static void cursor_is(struct term *t, int r, int c)
{
	struct grid_cursor cur = grid_cursor(term_grid(t));
	if (cur.row != r || cur.col != c)
		fail_msg("cursor (%d,%d), expected (%d,%d)", cur.row, cur.col, r, c);
}

static const struct grid_cell *cell(struct term *t, int r, int c) { return &grid_row(term_grid(t), r)[c]; }

/* ---- text, cursor, basic controls ---- */

static void test_text(void **s)
{
	(void)s;
	struct term *t = term_new(5, 20, 100);
	push(t, "hello\r\nworld");
	assert_string_equal(row(t, 0), "hello");
	assert_string_equal(row(t, 1), "world");
	cursor_is(t, 1, 5);
	term_free(t);
}

static void test_utf8_wide_combining(void **s)
{
	(void)s;
	struct term *t = term_new(3, 20, 0);
	push(t, "\xc3\xa9|\xe4\xb8\xad|e\xcc\x81|");
	assert_string_equal(row(t, 0), "\xc3\xa9|\xe4\xb8\xad|e\xcc\x81|");
	assert_int_equal(cell(t, 0, 2)->width, 2);
	assert_true(cell(t, 0, 3)->flags & GRID_CELL_CONT);
	uint32_t cp[GRID_MAX_CHARS];
	assert_int_equal(grid_cell_chars(term_grid(t), cell(t, 0, 5), cp, GRID_MAX_CHARS), 2);
	assert_int_equal(cp[0], 'e');
	assert_int_equal(cp[1], 0x301);
	cursor_is(t, 0, 7);
	term_free(t);
}

static void test_utf8_split_every_offset(void **s)
{
	(void)s;
	const char *str = "ab\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80z";
	size_t n = strlen(str);
	for (size_t cut = 0; cut <= n; cut++) {
		struct term *t = term_new(2, 20, 0);
		term_feed(t, str, cut);
		term_feed(t, str + cut, n - cut);
		assert_string_equal(row(t, 0), str);
		term_free(t);
	}
}

static void test_combining_split_across_feeds(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	push(t, "e");
	push(t, "\xcc\x81x");
	assert_string_equal(row(t, 0), "e\xcc\x81x");
	term_free(t);
}

static void test_wrap_sets_row_flag(void **s)
{
	(void)s;
	struct term *t = term_new(4, 5, 0);
	push(t, "abcdefg\r\nxy");
	assert_string_equal(row(t, 0), "abcde");
	assert_string_equal(row(t, 1), "fg");
	assert_true(grid_row_flags(term_grid(t), 0) & GRID_ROW_WRAPPED);
	assert_false(grid_row_flags(term_grid(t), 1) & GRID_ROW_WRAPPED);
	term_free(t);
}

static void test_exact_fill_then_crlf_is_not_a_wrap(void **s)
{
	(void)s;
	struct term *t = term_new(4, 5, 0);
	push(t, "abcde\r\nfg");
	assert_false(grid_row_flags(term_grid(t), 0) & GRID_ROW_WRAPPED);
	/* the same across a feed boundary at the phantom column */
	push(t, "\r\n12345");
	push(t, "6");
	assert_true(grid_row_flags(term_grid(t), 2) & GRID_ROW_WRAPPED);
	term_free(t);
}

static void test_wide_wrap_flag(void **s)
{
	(void)s;
	struct term *t = term_new(3, 5, 0);
	push(t, "abcd\xe4\xb8\xad");
	assert_string_equal(row(t, 0), "abcd");
	assert_string_equal(row(t, 1), "\xe4\xb8\xad");
	assert_true(grid_row_flags(term_grid(t), 0) & GRID_ROW_WRAPPED);
	term_free(t);
}

static void test_wrap_at_bottom_scrolls(void **s)
{
	(void)s;
	struct term *t = term_new(2, 3, 10);
	push(t, "abcdefghi");
	assert_string_equal(row(t, 0), "def");
	assert_string_equal(row(t, 1), "ghi");
	assert_true(grid_row_flags(term_grid(t), 0) & GRID_ROW_WRAPPED);
	unsigned fl = 0;
	struct grid_cell c[3];
	assert_int_equal(grid_sb_line(term_grid(t), 0, c, 3, &fl), 3);
	assert_true(fl & GRID_ROW_WRAPPED);
	term_free(t);
}

/* ---- SGR ---- */

static void test_sgr(void **s)
{
	(void)s;
	struct term *t = term_new(2, 40, 0);
	push(t, "\033[1;4;31;44ma\033[0;38;5;200;48;2;1;2;3mb\033[7;9;3mc\033[mD");
	const struct grid_cell *a = cell(t, 0, 0), *b = cell(t, 0, 1), *c = cell(t, 0, 2), *d = cell(t, 0, 3);
	assert_int_equal(a->attrs, GRID_ATTR_BOLD | (1 << GRID_ATTR_UNDERLINE_SHIFT));
	assert_int_equal(a->fg, GRID_COLOR_INDEXED(1));
	assert_int_equal(a->bg, GRID_COLOR_INDEXED(4));
	assert_int_equal(b->attrs, 0);
	assert_int_equal(b->fg, GRID_COLOR_INDEXED(200));
	assert_int_equal(b->bg, GRID_COLOR_RGB(1, 2, 3));
	assert_int_equal(grid_color_kind(b->bg), GRID_COLOR_KIND_RGB);
	assert_int_equal(c->attrs & (GRID_ATTR_REVERSE | GRID_ATTR_STRIKE | GRID_ATTR_ITALIC),
			 GRID_ATTR_REVERSE | GRID_ATTR_STRIKE | GRID_ATTR_ITALIC);
	assert_int_equal(d->attrs, 0);
	assert_int_equal(d->fg, GRID_COLOR_DEFAULT);
	assert_int_equal(d->bg, GRID_COLOR_DEFAULT);
	term_free(t);
}

static char ref_buf[256];
static size_t ref_len;
static void ref_out(const char *s, size_t len, void *user)
{
	(void)user;
	if (ref_len + len < sizeof ref_buf) {
		memcpy(ref_buf + ref_len, s, len);
		ref_len += len;
	}
}

/* SGR handled without libvterm (term_feed.c sgr_fast) leaves libvterm's own pen
 * behind; DECRQSS reads it, so it must be brought up to date first: the
 * reply is the one a plain VTermState gives for the same bytes. */
static void test_sgr_fast_decrqss(void **s)
{
	(void)s;
	static const char *const streams[] = {
		"\033[1;4;31;44mx\033P$qm\033\\",
		"\033[0;38;5;200;48;2;1;2;3;3;9mx\033P$qm\007",
		"\033[1;32mx\033[m\033P$qm\033\\",
	};
	for (size_t i = 0; i < ARRAY_LEN(streams); i++) {
		struct term *t = term_new(2, 40, 0);
		push(t, streams[i]);
		char got[256];
		snprintf(got, sizeof got, "%s", out(t));
		term_free(t);
		/* the reference: the same bytes through libvterm alone */
		char want[256];
		ref_len = 0;
		VTerm *vt = vterm_new(2, 40);
		vterm_set_utf8(vt, 1);
		vterm_state_reset(vterm_obtain_state(vt), 1);
		vterm_output_set_callback(vt, ref_out, NULL);
		vterm_input_write(vt, streams[i], strlen(streams[i]));
		vterm_free(vt);
		snprintf(want, sizeof want, "%.*s", (int)ref_len, ref_buf);
		assert_true(strstr(got, "$r") != NULL);
		assert_string_equal(got, want);
	}
}

/* dim and conceal of each cell of row 0, as a string: '.' none, 'd' dim,
 * 'c' conceal, 'b' both */
static const char *dimcon(struct term *t, int n)
{
	static char buf[128];
	for (int i = 0; i < n && i < 127; i++) {
		unsigned a = cell(t, 0, i)->attrs;
		int d = (a & GRID_ATTR_DIM) != 0, c = (a & GRID_ATTR_CONCEAL) != 0;
		buf[i] = d && c ? 'b' : d ? 'd' : c ? 'c' : '.';
		buf[i + 1] = 0;
	}
	return buf;
}

/* libvterm 0.1.4 has neither; the feed scanner tracks them. */
static void test_sgr_dim_conceal(void **s)
{
	(void)s;
	struct term *t = term_new(2, 40, 0);
	/* on, off by 22 / 28, reset by 0 and by an empty SGR, together with
	 * other attributes kept */
	push(t, "a\033[2mb\033[22mc\033[8md\033[28me\033[2;8mf\033[0mg\033[1;2mh\033[mi\033[2;1;31mj");
	assert_string_equal(row(t, 0), "abcdefghij");
	assert_string_equal(dimcon(t, 10), ".d.c.b.d.d");
	assert_true(cell(t, 0, 7)->attrs & GRID_ATTR_BOLD);
	assert_true(cell(t, 0, 9)->attrs & GRID_ATTR_BOLD);
	assert_int_equal(cell(t, 0, 9)->fg, GRID_COLOR_INDEXED(1));
	/* 22 also ends bold (normal intensity); 0 then 2 in one SGR */
	push(t, "\r\033[0;2mk\033[22ml\033[8;0mm\033[;8mn\033[0m");
	assert_string_equal(dimcon(t, 4), "d..c");
	assert_false(cell(t, 0, 1)->attrs & GRID_ATTR_BOLD);
	term_free(t);

	/* colour arguments and ':' subparameters are not 2 or 8 */
	t = term_new(2, 40, 0);
	push(t, "\033[38;5;2ma\033[48;5;8mb\033[38;2;8;2;8mc\033[38:2:0:8:2:8md\033[4:2me"
		"\033[58;5;2mf\033[38:5:8mg\033[48;2;2mh\033[2:1mi\033[0m");
	assert_string_equal(dimcon(t, 9), "........d");
	assert_int_equal(cell(t, 0, 0)->fg, GRID_COLOR_INDEXED(2));
	assert_int_equal(cell(t, 0, 2)->fg, GRID_COLOR_RGB(8, 2, 8));
	assert_int_equal(grid_attr_underline(cell(t, 0, 4)->attrs), 2);
	/* a private or intermediate SGR-like sequence is not an SGR */
	push(t, "\r\033[>2mA\033[?8mB\033[2$mC");
	assert_string_equal(dimcon(t, 3), "...");
	term_free(t);

	/* split across feeds, byte by byte, and with text around it */
	t = term_new(2, 40, 0);
	const char *seq = "x\033[2;38;5;8my\033[22;8mz\033[28mw";
	for (const char *p = seq; *p; p++)
		term_feed(t, p, 1);
	assert_string_equal(row(t, 0), "xyzw");
	assert_string_equal(dimcon(t, 4), ".dc.");
	assert_int_equal(cell(t, 0, 1)->fg, GRID_COLOR_INDEXED(8));
	push(t, "\r\033[");
	push(t, "2");
	push(t, "mA\033[0");
	push(t, "mB");
	assert_string_equal(dimcon(t, 2), "d.");
	term_free(t);

	/* erased cells keep the pen; RIS (ESC c) resets it */
	t = term_new(2, 40, 0);
	push(t, "\033[2m\033[K");
	assert_true(cell(t, 0, 5)->attrs & GRID_ATTR_DIM);
	push(t, "\033cq");
	assert_string_equal(dimcon(t, 6), "......");
	push(t, "\033[2mr");
	assert_string_equal(dimcon(t, 2), ".d");
	/* a reset and a new dim in the same feed as the text (RIS); DECSTR
	 * keeps the pen in 0.1.4 (bold too), so dim stays as well */
	push(t, "\033cA\033[1;2mB\033[!pC\033[2mD\033c\033[2mE");
	assert_string_equal(row(t, 0), "E");
	assert_string_equal(dimcon(t, 1), "d"); /* dim was on before the RIS */
	push(t, "\033cA\033[1;2mB\033[!pC\033[22mD");
	assert_string_equal(row(t, 0), "ABCD");
	assert_string_equal(dimcon(t, 4), ".dd.");
	assert_true(cell(t, 0, 2)->attrs & GRID_ATTR_BOLD);
	/* DECSC / DECRC save and restore them with the rest of the pen */
	push(t, "\033c\033[1;2m\0337\033[0m\033[1;1HA\0338\033[1;2HB\033[8m\0337\033[28m\033[1;3HC"
		"\0338\033[1;4HD");
	assert_string_equal(row(t, 0), "ABCD");
	assert_string_equal(dimcon(t, 4), ".ddb");
	assert_true(cell(t, 0, 1)->attrs & GRID_ATTR_BOLD); /* 0.1.4 restores bold itself */
	push(t, "\033c\033[2m\033"); /* split: DECSC ... DECRC (back to column 0) */
	push(t, "7\033[22mA\033");
	push(t, "8B");
	assert_string_equal(row(t, 0), "B");
	assert_string_equal(dimcon(t, 1), "d");
	push(t, "\033c\033[2;8mE\033");
	push(t, "c\033[2mF");
	assert_string_equal(dimcon(t, 2), "d.");
	term_free(t);
}

static void test_erase_keeps_pen_background(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	push(t, "\033[42mab\033[K");
	assert_int_equal(cell(t, 0, 9)->bg, GRID_COLOR_INDEXED(2));
	assert_int_equal(cell(t, 0, 9)->ch, 0);
	assert_int_equal(cell(t, 1, 0)->bg, GRID_COLOR_DEFAULT);
	term_free(t);
}

/* ---- properties ---- */

static void test_title_and_changed_flag(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	assert_string_equal(term_title(t), "");
	push(t, "\033]2;hello\a");
	assert_string_equal(term_title(t), "hello");
	assert_true(term_title_changed(t));
	assert_false(term_title_changed(t));
	push(t, "\033]2;hello\033\\");
	assert_false(term_title_changed(t)); /* same title: no change */
	push(t, "\033]0;both\a");
	assert_string_equal(term_title(t), "both");
	assert_string_equal(term_icon_name(t), "both");
	push(t, "\033]2;a\tb\x7f" "c\a");
	assert_string_equal(term_title(t), "abc"); /* control characters stripped */
	term_free(t);
}

static void test_osc_title_split_at_every_offset(void **s)
{
	(void)s;
	/* 0.1.4 loses the head of a split OSC (notes §3) */
	const char *seq = "x\033]2;0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-END\033\\y";
	size_t n = strlen(seq);
	for (size_t cut = 0; cut <= n; cut++) {
		struct term *t = term_new(2, 20, 0);
		term_feed(t, seq, cut);
		term_feed(t, seq + cut, n - cut);
		assert_string_equal(term_title(t),
				    "0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-END");
		assert_string_equal(row(t, 0), "xy");
		assert_int_equal(term_pending(t), 0);
		term_free(t);
	}
}

static void test_osc_split_byte_by_byte_and_bel(void **s)
{
	(void)s;
	struct term *t = term_new(2, 20, 0);
	const char *seq = "\033]2;byte by byte\a";
	for (const char *p = seq; *p; p++)
		term_feed(t, p, 1);
	assert_string_equal(term_title(t), "byte by byte");
	term_free(t);
}

static void osc_cb(const char *p, size_t n, void *user)
{
	struct sbuf *b = user;
	sbuf_add(b, p, n);
	sbuf_addc(b, '|');
}

static void test_osc_fallback_handler(void **s)
{
	(void)s;
	struct term *t = term_new(2, 20, 0);
	struct sbuf b = { 0 };
	term_set_osc_handler(t, osc_cb, &b);
	push(t, "\033]7;file://host/tmp\a\033]133;A\033\\");
	const char *seq = "\033]9;notification text\a";
	term_feed(t, seq, 7);
	push(t, seq + 7);
	assert_string_equal(b.s, "7;file://host/tmp|133;A|9;notification text|");
	sbuf_free(&b);
	term_free(t);
}

static void test_bell_counts(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	push(t, "a\a\ab\a");
	assert_int_equal(term_bell(t), 3);
	assert_int_equal(term_bell(t), 0);
	assert_string_equal(row(t, 0), "ab");
	term_free(t);
}

static void test_cursor_props(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	assert_true(grid_cursor(term_grid(t)).visible);
	push(t, "\033[?25l");
	assert_false(grid_cursor(term_grid(t)).visible);
	push(t, "\033[?25h\033[6 q");
	assert_true(grid_cursor(term_grid(t)).visible);
	assert_int_equal(grid_cursor(term_grid(t)).shape, GRID_CURSOR_BAR);
	push(t, "\033[4 q");
	assert_int_equal(grid_cursor(term_grid(t)).shape, GRID_CURSOR_UNDERLINE);
	term_free(t);
}

/* DECSCUSR as the number to forward to the outer terminal. */
static void test_cursor_style(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	assert_int_equal(term_cursor_style(t), 0); /* never set: the terminal's own */
	const char *seqs[] = { "\033[1 q", "\033[2 q", "\033[3 q", "\033[4 q", "\033[5 q", "\033[6 q" };
	for (int n = 1; n <= 6; n++) {
		push(t, seqs[n - 1]);
		assert_int_equal(term_cursor_style(t), n);
	}
	push(t, "\033[0 q"); /* 0 is blinking block in libvterm, like 1 */
	assert_int_equal(term_cursor_style(t), 1);
	push(t, "\033[");
	push(t, "4 ");
	push(t, "q");
	assert_int_equal(term_cursor_style(t), 4);
	term_free(t);
}

static void test_altscreen(void **s)
{
	(void)s;
	struct term *t = term_new(3, 10, 10);
	push(t, "primary");
	push(t, "\033[?1049h");
	assert_true(term_altscreen(t));
	assert_true(grid_altscreen(term_grid(t)));
	assert_string_equal(row(t, 0), "");
	push(t, "\033[Halt");
	assert_string_equal(row(t, 0), "alt");
	push(t, "\033[?1049l");
	assert_false(term_altscreen(t));
	assert_string_equal(row(t, 0), "primary");
	cursor_is(t, 0, 7);
	/* second entry: blank again (notes §0.6: stale content) */
	push(t, "\033[?1049h");
	assert_string_equal(row(t, 0), "");
	push(t, "\033[?1049l");
	term_free(t);
}

static void test_altscreen_no_scrollback(void **s)
{
	(void)s;
	struct term *t = term_new(3, 10, 10);
	push(t, "\033[?1049h1\r\n2\r\n3\r\n4\r\n5");
	assert_int_equal(grid_sb_count(term_grid(t)), 0);
	push(t, "\033[?1049l");
	push(t, "1\r\n2\r\n3\r\n4\r\n5");
	assert_int_equal(grid_sb_count(term_grid(t)), 2);
	term_free(t);
}

static void test_mouse_mode_and_gate(void **s)
{
	(void)s;
	struct term *t = term_new(10, 20, 0);
	assert_int_equal(term_mouse_mode(t), TERM_MOUSE_NONE);
	/* 0.1.4 reports clicks even when not asked (notes §9) */
	assert_int_equal(term_mouse_button(t, 2, 3, 1, 1, 0), 0);
	assert_int_equal(term_mouse_move(t, 2, 3, 0), 0);
	assert_string_equal(out(t), "");
	push(t, "\033[?1000h\033[?1006h");
	assert_int_equal(term_mouse_mode(t), TERM_MOUSE_CLICK);
	assert_int_equal(term_mouse_button(t, 2, 3, 1, 1, 0), 1);
	assert_int_equal(term_mouse_button(t, 2, 3, 1, 0, 0), 1);
	assert_string_equal(out(t), "\033[<0;4;3M\033[<0;4;3m");
	assert_int_equal(term_mouse_button(t, 0, 0, 4, 1, 0), 1);
	assert_string_equal(out(t), "\033[<64;1;1M");
	push(t, "\033[?1002h");
	assert_int_equal(term_mouse_mode(t), TERM_MOUSE_DRAG);
	push(t, "\033[?1003h");
	assert_int_equal(term_mouse_mode(t), TERM_MOUSE_MOVE);
	assert_int_equal(term_mouse_move(t, 5, 5, 0), 1);
	assert_string_equal(out(t), "\033[<35;6;6M");
	push(t, "\033[?1003l");
	assert_int_equal(term_mouse_mode(t), TERM_MOUSE_NONE);
	assert_int_equal(term_mouse_button(t, 1, 1, 1, 1, 0), 0);
	assert_string_equal(out(t), "");
	term_free(t);
}

static void test_focus_reports(void **s)
{
	(void)s;
	struct term *t = term_new(2, 10, 0);
	term_focus(t, 1);
	assert_string_equal(out(t), "");
	push(t, "\033[?1004h");
	term_focus(t, 1);
	term_focus(t, 0);
	assert_string_equal(out(t), "\033[I\033[O");
	term_free(t);
}

/* ---- replies and the output buffer ---- */

static void test_replies(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 0);
	push(t, "\033[c");
	assert_string_equal(out(t), "\033[?1;2c");
	push(t, "\033[3;4H\033[6n");
	assert_string_equal(out(t), "\033[3;4R");
	term_free(t);
}

/* Text and line ends taken without libvterm (term_feed.c fast_run, fast_ctl)
 * leave its cursor behind; whatever reads it is answered from ours. */
static void test_replies_after_fast_line_ends(void **s)
{
	(void)s;
	struct term *t = term_new(5, 20, 10);
	push(t, "first line\r\nsecond\r\n\r\nabc\033[6n");
	assert_string_equal(out(t), "\033[4;4R");
	push(t, "\r\n\r\n\r\nxy\033[6n"); /* scrolled twice */
	assert_string_equal(out(t), "\033[5;3R");
	assert_string_equal(row(t, 1), "abc");
	/* split across feeds */
	push(t, "\r");
	push(t, "\n");
	push(t, "q");
	push(t, "\033[");
	push(t, "6n");
	assert_string_equal(out(t), "\033[5;2R");
	term_free(t);
}

/* A resize while libvterm lags behind: REP and a combining mark after it
 * still see the last glyph, where it was. */
static void test_resize_after_fast_text(void **s)
{
	(void)s;
	struct term *t = term_new(5, 20, 10);
	push(t, "one\r\nabc");
	term_resize(t, 6, 30);
	push(t, "\xcc\x81");
	assert_int_equal(cell(t, 1, 2)->flags & GRID_CELL_COMBINED, GRID_CELL_COMBINED);
	push(t, "\033[2b");
	assert_string_equal(row(t, 0), "one");
	cursor_is(t, 1, 5);
	push(t, "xyz");
	term_resize(t, 6, 25);
	push(t, "\033[b\r\n\033[6n");
	assert_string_equal(out(t), "\033[3;1R");
	assert_int_equal(grid_row(term_grid(t), 1)[8].ch, 'z');
	term_free(t);
}

static void test_output_past_64_bytes(void **s)
{
	(void)s;
	/* 0.1.4's own buffer keeps 64 bytes and drops the rest (notes §0.4) */
	struct term *t = term_new(5, 10, 0);
	for (int i = 0; i < 200; i++)
		push(t, "\033[6n");
	size_t n;
	term_output(t, &n);
	assert_int_equal(n, 200 * strlen("\033[1;1R"));
	term_output_consume(t, 6);
	term_output(t, &n);
	assert_int_equal(n, 199 * 6);
	for (int i = 0; i < 1000; i++)
		term_char(t, 'x', 0);
	term_output(t, &n);
	assert_int_equal(n, 199 * 6 + 1000);
	term_output_consume(t, (size_t)-1);
	assert_null(term_output(t, &n));
	assert_int_equal(n, 0);
	term_free(t);
}

/* ---- keys ---- */

static void test_keys(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 0);
	term_key(t, TERM_KEY_ENTER, 0);
	assert_string_equal(out(t), "\r");
	term_key(t, TERM_KEY_BACKSPACE, 0);
	assert_string_equal(out(t), "\x7f");
	term_key(t, TERM_KEY_BACKSPACE, TERM_MOD_CTRL); /* not CSI 127;5u */
	assert_string_equal(out(t), "\x08");
	term_key(t, TERM_KEY_TAB, TERM_MOD_SHIFT);
	assert_string_equal(out(t), "\033[Z");
	term_key(t, TERM_KEY_UP, 0);
	assert_string_equal(out(t), "\033[A");
	term_key(t, TERM_KEY_UP, TERM_MOD_CTRL);
	assert_string_equal(out(t), "\033[1;5A");
	push(t, "\033[?1h");
	term_key(t, TERM_KEY_UP, 0);
	term_key(t, TERM_KEY_HOME, 0);
	assert_string_equal(out(t), "\033OA\033OH");
	term_key(t, TERM_KEY_F(1), 0);
	assert_string_equal(out(t), "\033OP");
	term_key(t, TERM_KEY_F(1), TERM_MOD_SHIFT); /* what F13 maps to */
	assert_string_equal(out(t), "\033[1;2P");
	term_key(t, TERM_KEY_F(5), TERM_MOD_SHIFT);
	assert_string_equal(out(t), "\033[15;2~");
	term_key(t, TERM_KEY_F(12), TERM_MOD_ALT);
	assert_string_equal(out(t), "\033[24;3~");
	term_key(t, TERM_KEY_DEL, 0);
	assert_string_equal(out(t), "\033[3~");
	term_key(t, TERM_KEY_PAGEUP, TERM_MOD_SHIFT);
	assert_string_equal(out(t), "\033[5;2~");
	term_key(t, TERM_KEY_KP_ENTER, 0);
	assert_string_equal(out(t), "\r");
	term_key(t, TERM_KEY_ENTER, TERM_MOD_ALT);
	assert_string_equal(out(t), "\033\r");
	assert_int_equal(term_key(t, TERM_KEY_F(13), 0), -1);
	assert_int_equal(term_key(t, TERM_KEY_NONE, 0), -1);
	assert_string_equal(out(t), "");
	term_free(t);
}

static void test_chars(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 0);
	term_char(t, 'a', TERM_MOD_CTRL);
	assert_string_equal(out(t), "\x01");
	term_char(t, 'A', TERM_MOD_CTRL); /* not CSI 65;5u */
	assert_string_equal(out(t), "\x01");
	term_char(t, 'x', TERM_MOD_ALT);
	assert_string_equal(out(t), "\033x");
	term_char(t, 'c', TERM_MOD_CTRL | TERM_MOD_ALT);
	assert_string_equal(out(t), "\033\x03");
	term_char(t, '[', TERM_MOD_CTRL);
	assert_string_equal(out(t), "\033");
	term_char(t, ' ', TERM_MOD_CTRL);
	assert_int_equal(term_output(t, NULL) != NULL, 1);
	size_t n;
	const char *p = term_output(t, &n);
	assert_int_equal(n, 1);
	assert_int_equal(p[0], 0);
	term_output_consume(t, 1);
	term_char(t, 0x20ac, 0);
	assert_string_equal(out(t), "\xe2\x82\xac");
	term_char(t, 'B', TERM_MOD_SHIFT);
	assert_string_equal(out(t), "B");
	assert_int_equal(term_char(t, 0x110000, 0), -1);
	assert_int_equal(term_char(t, 0xd800, 0), -1);
	assert_string_equal(out(t), "");
	term_free(t);
}

/* ---- paste ---- */

static void test_paste_plain(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 0);
	assert_false(term_bracketed_paste(t));
	const char *txt = "line1\nline2\r\n\033[201~evil\x01\ttab \xc3\xa9\xff";
	term_paste(t, txt, strlen(txt));
	assert_string_equal(out(t), "line1\rline2\r[201~evil\ttab \xc3\xa9");
	term_free(t);
}

static void test_paste_bracketed(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 0);
	push(t, "\033[?2004h");
	assert_true(term_bracketed_paste(t));
	assert_string_equal(out(t), ""); /* probing sends nothing */
	const char *txt = "a\nb\033[201~c\xc2\x9b" "d";
	term_paste(t, txt, strlen(txt));
	assert_string_equal(out(t), "\033[200~a\nb[201~cd\033[201~");
	push(t, "\033[?2004l");
	assert_false(term_bracketed_paste(t));
	term_free(t);
}

/* ---- feed pre-scanner ---- */

static void test_apc_pm_sos_not_rendered(void **s)
{
	(void)s;
	/* 0.1.4 prints APC payloads as text (notes §3) */
	struct term *t = term_new(3, 40, 0);
	push(t, "a\033_Gi=31,s=1,v=1,a=q;AAAA\033\\b\033^privacy\033\\c\033Xsos\ad");
	assert_string_equal(row(t, 0), "abcd");
	/* split at every offset */
	const char *seq = "x\033_Gkitty graphics payload\033\\y";
	size_t n = strlen(seq);
	for (size_t cut = 0; cut <= n; cut++) {
		struct term *u = term_new(2, 40, 0);
		term_feed(u, seq, cut);
		term_feed(u, seq + cut, n - cut);
		assert_string_equal(row(u, 0), "xy");
		term_free(u);
	}
	/* an APC ended by an ESC that starts another sequence */
	push(t, "\r\n\033_junk\033[31mred");
	assert_string_equal(row(t, 1), "red");
	assert_int_equal(cell(t, 1, 0)->fg, GRID_COLOR_INDEXED(1));
	term_free(t);
}

static void test_csi_split_at_every_offset(void **s)
{
	(void)s;
	const char *seq = "a\033[38;2;10;20;30mb\033[2;5Hc\033[?25l";
	size_t n = strlen(seq);
	for (size_t cut = 0; cut <= n; cut++) {
		struct term *t = term_new(5, 20, 0);
		term_feed(t, seq, cut);
		term_feed(t, seq + cut, n - cut);
		assert_string_equal(row(t, 0), "ab");
		assert_int_equal(cell(t, 0, 1)->fg, GRID_COLOR_RGB(10, 20, 30));
		assert_string_equal(row(t, 1), "    c");
		assert_false(grid_cursor(term_grid(t)).visible);
		term_free(t);
	}
}

static void test_lone_esc_held(void **s)
{
	(void)s;
	struct term *t = term_new(2, 20, 0);
	push(t, "ab\033");
	assert_int_equal(term_pending(t), 1);
	push(t, "[1mc");
	assert_int_equal(term_pending(t), 0);
	assert_string_equal(row(t, 0), "abc");
	assert_true(cell(t, 0, 2)->attrs & GRID_ATTR_BOLD);
	term_free(t);
}

static void test_carry_cap(void **s)
{
	(void)s;
	struct term *t = term_new(2, 20, 0);
	struct sbuf b = { 0 };
	sbuf_adds(&b, "\033]2;");
	for (int i = 0; i < TERM_CARRY_MAX + 100; i++)
		sbuf_addc(&b, 'x');
	term_feed(t, b.s, b.len);
	assert_true(term_pending(t) <= TERM_CARRY_MAX); /* never grows without bound */
	push(t, "\aok");
	assert_int_equal(term_pending(t), 0);
	assert_string_equal(row(t, 0), "ok");
	sbuf_free(&b);
	term_free(t);
}

static void test_flush_feeds_tail(void **s)
{
	(void)s;
	struct term *t = term_new(2, 20, 0);
	push(t, "ab\xe4\xb8");
	assert_int_equal(term_pending(t), 2);
	term_flush(t);
	assert_int_equal(term_pending(t), 0);
	push(t, "cd");
	/* 0.1.4 drops a lone partial sequence when the next write comes */
	assert_string_equal(row(t, 0), "abcd");
	term_free(t);
}

static void test_too_many_csi_args(void **s)
{
	(void)s;
	/* 0.1.4 overflows its argument array past 16 (segfault) */
	struct term *t = term_new(2, 20, 0);
	push(t, "a\033[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;21;22;23;24;25;26;27;28;29;30;31;32;33mb");
	push(t, "\033[1:2:3:4:5:6:7:8:9:1:2:3:4:5:6:7:8:9:1:2:3:4:5:6:7:8:9:1:2:3:4:5:6:7:8:9mc");
	assert_string_equal(row(t, 0), "abc");
	push(t, "\033[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16mx"); /* 16 is fine */
	assert_string_equal(row(t, 0), "abcx");
	struct sbuf b = { 0 };
	sbuf_adds(&b, "\033[");
	for (int i = 0; i < 300; i++)
		sbuf_addc(&b, '9'); /* overlong: dropped, never fed in parts */
	sbuf_adds(&b, "my");
	term_feed(t, b.s, b.len);
	assert_string_equal(row(t, 0), "abcxy");
	assert_int_equal(term_pending(t), 0);
	sbuf_free(&b);
	term_free(t);
}

static void test_flush_then_overlong_or_apc(void **s)
{
	(void)s;
	/* found by fuzz_term: term_flush hands libvterm the head of a CSI;
	 * when the rest turns out too long to feed, libvterm must not be
	 * left inside the sequence (its arguments would overflow later) */
	struct term *t = term_new(3, 40, 0);
	push(t, "a\033[?1049");
	term_flush(t);
	push(t, ";;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;h");
	push(t, "b;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;c");
	assert_string_equal(row(t, 0), "ab;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;");
	assert_string_equal(row(t, 1), "c");
	assert_false(term_altscreen(t));
	/* a lone ESC flushed, then an APC: its payload stays hidden and the
	 * ESC does not swallow what follows */
	push(t, "\r\n\033");
	term_flush(t);
	push(t, "_payload\033\\xy");
	assert_string_equal(row(t, 2), "xy");
	term_free(t);
}

static void test_high_bytes_in_escapes(void **s)
{
	(void)s;
	/* found by fuzz_term: 0.1.4 ignores bytes >= 0x80 after ESC (so
	 * ESC \xff [ starts a CSI) and a byte >= 0x80 ends a CSI; the feed
	 * scanner must agree, or it miscounts CSI arguments */
	struct term *t = term_new(3, 40, 0);
	push(t, "\033\xff\xff[31mx");
	assert_int_equal(cell(t, 0, 0)->fg, GRID_COLOR_INDEXED(1));
	push(t, "\033\xff[?1049;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;h");
	assert_false(term_altscreen(t));
	push(t, "\033[0m\033[3\xff" "1my");
	assert_string_equal(row(t, 0), "x1my");
	assert_int_equal(cell(t, 0, 1)->fg, GRID_COLOR_DEFAULT);
	term_free(t);
}

static void test_string_ended_by_other_escape(void **s)
{
	(void)s;
	/* found by fuzz_term: an ESC in an OSC followed by controls before
	 * the '\\' makes 0.1.4 read past its input */
	struct term *t = term_new(3, 20, 0);
	static const char a[] = "\033]2;title\033\0\0\0\\x";
	term_feed(t, a, sizeof a - 1);
	assert_string_equal(term_title(t), "title");
	assert_string_equal(row(t, 0), "x");
	push(t, "\033]2;abc\033[31my"); /* ESC [ ends the string, starts a CSI */
	assert_string_equal(term_title(t), "abc");
	assert_string_equal(row(t, 0), "xy");
	assert_int_equal(cell(t, 0, 1)->fg, GRID_COLOR_INDEXED(1));
	const char *split = "\033]2;split\033[1mz";
	for (size_t cut = 0; cut <= strlen(split); cut++) {
		struct term *u = term_new(2, 20, 0);
		term_feed(u, split, cut);
		push(u, split + cut);
		assert_string_equal(term_title(u), "split");
		assert_string_equal(row(u, 0), "z");
		assert_true(cell(u, 0, 0)->attrs & GRID_ATTR_BOLD);
		term_free(u);
	}
	term_free(t);
}

static void test_rep_without_glyph(void **s)
{
	(void)s;
	/* 0.1.4 loops forever on REP when the last glyph had width 0 */
	struct term *t = term_new(3, 20, 0);
	push(t, "\033[5b");
	push(t, "\033#8\033[3b");
	assert_string_equal(row(t, 0), "EEEEEEEEEEEEEEEEEEEE");
	push(t, "\033[2J\033[Hab\033[3b");
	assert_string_equal(row(t, 0), "abbbb");
	term_free(t);
}

/* ---- resize ---- */

static void test_resize_shrink_cursor_guard(void **s)
{
	(void)s;
	/* notes §7: text on rows 23-24, cursor at (0,0), shrink 25 -> 20 */
	struct term *t = term_new(25, 80, 100);
	push(t, "\033[23;1Hline 23\033[24;1Hline 24\033[1;1H");
	term_resize(t, 20, 80);
	struct grid_cursor c = grid_cursor(term_grid(t));
	assert_true(c.row >= 0 && c.row < 20);
	push(t, "\r\033[K$ ");
	push(t, "\033#6\033[K");
	assert_string_equal(row(t, 19), "line 24");
	term_resize(t, 19, 80);
	push(t, "\r\033[K$ ");
	term_free(t);
}

static void test_resize_to_zero(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 10);
	term_resize(t, 0, 10);
	int r, c;
	term_size(t, &r, &c);
	assert_int_equal(r, 1);
	assert_int_equal(c, 10);
	push(t, "text after resize to zero\r\n\033[K");
	term_resize(t, 5, 0);
	term_size(t, &r, &c);
	assert_int_equal(c, 1);
	push(t, "more text\033[K\033[5;5H");
	term_resize(t, -3, -7);
	term_size(t, &r, &c);
	assert_int_equal(r, 1);
	assert_int_equal(c, 1);
	push(t, "x");
	term_resize(t, 24, 80);
	push(t, "y");
	term_free(t);
}

static void test_resize_grow_brings_back_lines(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 100);
	push(t, "1\r\n2\r\n3\r\n4\r\n5");
	term_resize(t, 3, 10);
	assert_string_equal(row(t, 0), "3");
	assert_int_equal(grid_sb_count(term_grid(t)), 2);
	cursor_is(t, 2, 1);
	term_resize(t, 5, 10);
	assert_string_equal(row(t, 0), "1");
	assert_string_equal(row(t, 4), "5");
	cursor_is(t, 4, 1);
	assert_int_equal(grid_sb_count(term_grid(t)), 0);
	push(t, "x");
	assert_string_equal(row(t, 4), "5x");
	term_free(t);
}

static void test_reflow_keeps_text(void **s)
{
	(void)s;
	/* 0.1.4 truncates on narrowing: 01234 / ABCDE (notes §7) */
	struct term *t = term_new(4, 10, 100);
	push(t, "0123456789ABCDE");
	term_resize(t, 4, 5);
	assert_string_equal(row(t, 0), "01234");
	assert_string_equal(row(t, 1), "56789");
	assert_string_equal(row(t, 2), "ABCDE");
	cursor_is(t, 3, 0); /* just past the full row: on the next one */
	term_resize(t, 4, 20);
	assert_string_equal(row(t, 0), "0123456789ABCDE");
	assert_string_equal(row(t, 1), "");
	cursor_is(t, 0, 15);
	push(t, "F");
	assert_string_equal(row(t, 0), "0123456789ABCDEF");
	term_free(t);
}

static void test_reflow_cursor_follows(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 100);
	push(t, "abcdefghijklm\r\n$ l");
	cursor_is(t, 2, 3);
	term_resize(t, 5, 4);
	/* abcd (to scrollback) efgh ijkl m / $ l */
	assert_string_equal(row(t, 0), "abcd");
	assert_string_equal(row(t, 2), "ijkl");
	assert_string_equal(row(t, 3), "m");
	assert_string_equal(row(t, 4), "$ l");
	cursor_is(t, 4, 3);
	push(t, "s");
	/* the cursor is just past a full row: the next glyph goes below,
	 * keeping the logical line whole */
	term_resize(t, 5, 3);
	assert_string_equal(row(t, 4), "s");
	cursor_is(t, 4, 1);
	push(t, "X");
	term_resize(t, 5, 20);
	assert_string_equal(row(t, 0), "abcdefghijklm");
	assert_string_equal(row(t, 1), "$ lsX");
	cursor_is(t, 1, 5);
	assert_int_equal(grid_sb_count(term_grid(t)), 0);
	term_free(t);
}

/* ---- scrollback through the term ---- */

static void test_scrollback_and_clear(void **s)
{
	(void)s;
	struct term *t = term_new(3, 10, 5);
	for (int i = 0; i < 10; i++) {
		char b[16];
		snprintf(b, sizeof b, "%sl%d", i ? "\r\n" : "", i);
		push(t, b);
	}
	struct grid *g = term_grid(t);
	assert_int_equal(grid_sb_count(g), 5); /* limit */
	char txt[64];
	grid_sb_text(g, 0, txt, sizeof txt);
	assert_string_equal(txt, "l6");
	grid_sb_text(g, 4, txt, sizeof txt);
	assert_string_equal(txt, "l2");
	push(t, "\033[3J"); /* ED 3: clear scrollback (0.1.4 has no sb_clear) */
	assert_int_equal(grid_sb_count(g), 0);
	assert_string_equal(row(t, 2), "l9");
	term_free(t);
}

static void test_damage_rows(void **s)
{
	(void)s;
	struct term *t = term_new(5, 10, 0);
	struct grid *g = term_grid(t);
	assert_true(grid_dirty(g));
	grid_damage_clear(g);
	assert_false(grid_dirty(g));
	push(t, "\033[3;4Hxy");
	assert_true(grid_dirty(g));
	int c0, c1;
	assert_false(grid_damage(g, 0, NULL, NULL));
	assert_true(grid_damage(g, 2, &c0, &c1));
	assert_int_equal(c0, 3);
	assert_int_equal(c1, 5);
	assert_false(grid_damage(g, 3, NULL, NULL));
	grid_damage_clear(g);
	push(t, "\033[5;1H\n"); /* a scroll: every row */
	for (int r = 0; r < 5; r++)
		assert_true(grid_damage(g, r, NULL, NULL));
	term_free(t);
}

/* 0.1.4 starts a CSI after ESC + intermediates ("ESC , [") and does not bound
 * its argument count: the scanner must see that CSI too and drop it before
 * more than 16 arguments reach libvterm (found by fuzz_term in CI). */
static void test_csi_after_esc_intermediate(void **s)
{
	(void)s;
	struct term *t = term_new(5, 20, 100);
	const char seq[] = "\033,\000\377[?1049;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;h" "ok";
	term_feed(t, seq, sizeof seq - 1);
	term_feed(t, "\r\nstill alive", 12);
	term_flush(t);
	term_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csi_after_esc_intermediate),
		cmocka_unit_test(test_replies_after_fast_line_ends),
		cmocka_unit_test(test_resize_after_fast_text),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_utf8_wide_combining),
		cmocka_unit_test(test_utf8_split_every_offset),
		cmocka_unit_test(test_combining_split_across_feeds),
		cmocka_unit_test(test_wrap_sets_row_flag),
		cmocka_unit_test(test_exact_fill_then_crlf_is_not_a_wrap),
		cmocka_unit_test(test_wide_wrap_flag),
		cmocka_unit_test(test_wrap_at_bottom_scrolls),
		cmocka_unit_test(test_sgr),
		cmocka_unit_test(test_sgr_fast_decrqss),
		cmocka_unit_test(test_erase_keeps_pen_background),
		cmocka_unit_test(test_title_and_changed_flag),
		cmocka_unit_test(test_osc_title_split_at_every_offset),
		cmocka_unit_test(test_osc_split_byte_by_byte_and_bel),
		cmocka_unit_test(test_osc_fallback_handler),
		cmocka_unit_test(test_bell_counts),
		cmocka_unit_test(test_cursor_props),
		cmocka_unit_test(test_altscreen),
		cmocka_unit_test(test_altscreen_no_scrollback),
		cmocka_unit_test(test_mouse_mode_and_gate),
		cmocka_unit_test(test_focus_reports),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_output_past_64_bytes),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_paste_plain),
		cmocka_unit_test(test_paste_bracketed),
		cmocka_unit_test(test_apc_pm_sos_not_rendered),
		cmocka_unit_test(test_csi_split_at_every_offset),
		cmocka_unit_test(test_lone_esc_held),
		cmocka_unit_test(test_sgr_dim_conceal),
		cmocka_unit_test(test_cursor_style),
		cmocka_unit_test(test_carry_cap),
		cmocka_unit_test(test_flush_feeds_tail),
		cmocka_unit_test(test_too_many_csi_args),
		cmocka_unit_test(test_flush_then_overlong_or_apc),
		cmocka_unit_test(test_high_bytes_in_escapes),
		cmocka_unit_test(test_string_ended_by_other_escape),
		cmocka_unit_test(test_rep_without_glyph),
		cmocka_unit_test(test_resize_shrink_cursor_guard),
		cmocka_unit_test(test_resize_to_zero),
		cmocka_unit_test(test_resize_grow_brings_back_lines),
		cmocka_unit_test(test_reflow_keeps_text),
		cmocka_unit_test(test_reflow_cursor_follows),
		cmocka_unit_test(test_scrollback_and_clear),
		cmocka_unit_test(test_damage_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
