/* fuzz_term — libFuzzer target for the terminal core: random bytes fed in
 * random chunks, interleaved with random resizes (down to 1x1), keys,
 * characters, pastes, mouse events, focus changes, view scrolls and reads
 * of every row and scrollback line (what the renderer does).
 *
 * Input layout: byte 0-1 = initial rows/cols, then records of
 * [op][arg][arg2] ... where op selects the action and feed records carry
 * their payload length in arg. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "grid.h"
#include "term.h"

static void read_all(struct term *t)
{
	struct grid *g = term_grid(t);
	int rows = grid_rows(g), cols = grid_cols(g);
	char buf[4096];
	uint32_t cp[GRID_MAX_CHARS];
	for (int r = 0; r < rows; r++) {
		const struct grid_cell *c = grid_view_row(g, r);
		for (int i = 0; i < cols; i++) {
			int n = grid_cell_chars(g, &c[i], cp, GRID_MAX_CHARS);
			/* invariants the renderer relies on */
			if (c[i].width == 2 && (i + 1 >= cols || !(c[i + 1].flags & GRID_CELL_CONT)))
				__builtin_trap();
			if ((c[i].flags & GRID_CELL_CONT) && (i == 0 || c[i - 1].width != 2))
				__builtin_trap();
			if (c[i].width < 1 || c[i].width > 2 || n > GRID_MAX_CHARS)
				__builtin_trap();
		}
		grid_row_text(g, r, buf, sizeof buf);
		grid_damage(g, r, NULL, NULL);
	}
	int n = grid_sb_count(g);
	for (int i = 0; i < n && i < 50; i++)
		grid_sb_text(g, i, buf, sizeof buf);
	char why[256];
	if (grid_check(g, why, sizeof why) < 0) {
		fprintf(stderr, "grid_check: %s\n", why);
		__builtin_trap();
	}
	grid_damage_clear(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int rows = 1 + data[0] % 40, cols = 1 + data[1] % 120;
	struct term *t = term_new(rows, cols, 50);
	size_t i = 2;
	while (i < size) {
		uint8_t op = data[i++];
		uint8_t a = i < size ? data[i] : 0;
		uint8_t b = i + 1 < size ? data[i + 1] : 0;
		switch (op % 16) {
		case 0:
			term_resize(t, a % 50, b % 130); /* 0 is clamped to 1 */
			i += 2;
			break;
		case 1:
			term_key(t, (enum term_key)(a % 20 < 16 ? a % 20 : TERM_KEY_F0 + a % 14), b % 8);
			i += 2;
			break;
		case 2:
			term_char(t, (uint32_t)a << (b % 12), b % 8);
			i += 2;
			break;
		case 3: {
			size_t n = a;
			if (n > size - i)
				n = size - i;
			term_paste(t, (const char *)data + i, n);
			i += n;
			break;
		}
		case 4:
			term_mouse_button(t, a % 60 - 5, b % 130 - 5, a % 6, b & 1, (unsigned)(a >> 5));
			i += 2;
			break;
		case 5:
			term_mouse_move(t, a % 60, b % 130, 0);
			i += 2;
			break;
		case 6:
			term_focus(t, a & 1);
			i += 1;
			break;
		case 7:
			grid_view_scroll(term_grid(t), (int)(int8_t)a);
			i += 1;
			break;
		case 8:
			read_all(t);
			break;
		case 9:
			term_flush(t);
			break;
		default: {
			/* feed a chunk of the rest as terminal output */
			size_t n = 1 + (size_t)a * 4;
			i += 1;
			if (i >= size)
				break;
			if (n > size - i)
				n = size - i;
			term_feed(t, (const char *)data + i, n);
			i += n;
			break;
		}
		}
		size_t olen;
		term_output(t, &olen);
		if (olen > 4096)
			term_output_consume(t, olen);
		term_title_changed(t);
		term_bell(t);
	}
	read_all(t);
	term_free(t);
	return 0;
}
