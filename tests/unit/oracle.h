/* oracle.h — test helper: libvterm 0.1.4's own VTermScreen as a reference
 * for our state+grid. Feeds the same bytes to both and compares every cell
 * (characters, width, attributes, colours), the cursor and the alternate
 * screen flag. Included by the term test binaries (static functions only).
 *
 * Deliberate differences, normalised here:
 * - Overwriting or erasing half of a wide character: libvterm leaves the
 *   other half behind (a wide glyph shown as width 1, or a stale
 *   continuation that makes the new glyph look wide); we blank the broken
 *   half. Such cells are accepted when ours is blank (glibc's wcwidth says
 *   which libvterm glyphs are intrinsically wide; main() sets C.UTF-8).
 * - The continuation cell's pen is stale in libvterm (only chars[0] is set),
 *   so continuation cells are compared for being continuations only.
 * - A selective erase (DECSED/DECSEL) over a protected wide glyph: the
 *   continuation cell does not carry libvterm's protection, so libvterm
 *   blanks the right half; we keep the pair (both halves are protected).
 * - Double-width/height line attributes (dwl/dhl) are per row for us and
 *   not compared.
 * - Dim (SGR 2) and conceal (SGR 8): 0.1.4 has neither, we track them
 *   (term_feed.c's scanner), so GRID_ATTR_DIM and GRID_ATTR_CONCEAL are masked
 *   out here and tested on their own in test_term.c.
 * Not compared at all, because we deliberately differ: resizes (we reflow
 * wrapped lines and pull lines back from our scrollback; 0.1.4 truncates),
 * and the scrollback itself (we trim trailing blanks, encode compactly and
 * also keep lines a scroll by more than the screen height pushes out).
 * Those are covered by test_term.c and test_grid.c. */
#ifndef SHOAL_TEST_ORACLE_H
#define SHOAL_TEST_ORACLE_H

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <vterm.h>

#include "grid.h"
#include "term.h"

struct oracle {
	VTerm *vt;
	VTermScreen *vs;
	int alt;
};

static int oracle_prop(VTermProp p, VTermValue *v, void *u)
{
	struct oracle *o = u;
	if (p == VTERM_PROP_ALTSCREEN)
		o->alt = v->boolean;
	return 1;
}

static void oracle_out(const char *s, size_t len, void *u)
{
	(void)s;
	(void)len;
	(void)u;
}

static const VTermScreenCallbacks oracle_cbs = {
	.settermprop = oracle_prop,
};

static void oracle_init(struct oracle *o, int rows, int cols)
{
	memset(o, 0, sizeof *o);
	o->vt = vterm_new(rows, cols);
	vterm_set_utf8(o->vt, 1);
	o->vs = vterm_obtain_screen(o->vt);
	vterm_screen_set_callbacks(o->vs, &oracle_cbs, o);
	vterm_screen_enable_altscreen(o->vs, 1);
	vterm_output_set_callback(o->vt, oracle_out, o);
	vterm_screen_reset(o->vs, 1);
}

static void oracle_free(struct oracle *o) { vterm_free(o->vt); }

static void oracle_feed(struct oracle *o, const char *s, size_t n)
{
	if (n)
		vterm_input_write(o->vt, s, n);
}

static uint32_t oracle_color(const VTermColor *c)
{
	if (c->type & VTERM_COLOR_DEFAULT_MASK)
		return GRID_COLOR_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(c))
		return GRID_COLOR_INDEXED(c->indexed.idx);
	return GRID_COLOR_RGB(c->rgb.red, c->rgb.green, c->rgb.blue);
}

static uint16_t oracle_attrs(const VTermScreenCell *c)
{
	uint16_t a = 0;
	if (c->attrs.bold)
		a |= GRID_ATTR_BOLD;
	a |= (uint16_t)(c->attrs.underline << GRID_ATTR_UNDERLINE_SHIFT);
	if (c->attrs.italic)
		a |= GRID_ATTR_ITALIC;
	if (c->attrs.blink)
		a |= GRID_ATTR_BLINK;
	if (c->attrs.reverse)
		a |= GRID_ATTR_REVERSE;
	if (c->attrs.strike)
		a |= GRID_ATTR_STRIKE;
	a |= (uint16_t)(c->attrs.font << GRID_ATTR_FONT_SHIFT);
	return a;
}

/* Compares everything; on the first difference writes a description into
 * why and returns 0. */
static int oracle_compare(struct oracle *o, struct term *t, char *why, size_t whylen)
{
	struct grid *g = term_grid(t);
	if (grid_check(g, why, whylen) < 0)
		return 0;
	int rows, cols;
	vterm_get_size(o->vt, &rows, &cols);
	if (rows != grid_rows(g) || cols != grid_cols(g)) {
		snprintf(why, whylen, "size %dx%d vs %dx%d", rows, cols, grid_rows(g), grid_cols(g));
		return 0;
	}
	for (int r = 0; r < rows; r++) {
		const struct grid_cell *row = grid_row(g, r);
		for (int c = 0; c < cols; c++) {
			VTermScreenCell vc, vn;
			vterm_screen_get_cell(o->vs, (VTermPos){ r, c }, &vc);
			const struct grid_cell *gc = &row[c];
			int g_cont = (gc->flags & GRID_CELL_CONT) != 0;
			uint32_t gch[GRID_MAX_CHARS];
			int gn = grid_cell_chars(g, gc, gch, GRID_MAX_CHARS);
			int g_blank = gn == 0 && gc->width == 1 && !g_cont;
			if (vc.chars[0] == (uint32_t)-1) {
				/* an orphan continuation (pairs are skipped below) */
				if (!g_blank) {
					snprintf(why, whylen, "(%d,%d): libvterm has an orphan "
						 "continuation, we have U+%04X w%d cont%d",
						 r, c, gn ? gch[0] : 0, gc->width, g_cont);
					return 0;
				}
				continue;
			}
			int vwide = 0;
			if (c + 1 < cols) {
				vterm_screen_get_cell(o->vs, (VTermPos){ r, c + 1 }, &vn);
				vwide = vn.chars[0] == (uint32_t)-1;
			}
			int vn_ = 0;
			while (vn_ < VTERM_MAX_CHARS_PER_CELL && vc.chars[vn_])
				vn_++;
			int same = vn_ == gn;
			for (int i = 0; same && i < gn; i++)
				same = vc.chars[i] == gch[i];
			int skip_next = 0;
			if (vwide) {
				skip_next = 1;
				const struct grid_cell *gnext = &row[c + 1];
				if (gc->width == 2) {
					if (!(gnext->flags & GRID_CELL_CONT)) {
						snprintf(why, whylen, "(%d,%d): no continuation after wide", r, c);
						return 0;
					}
				} else {
					/* libvterm: a stale continuation after a glyph written
					 * over a wide one; we blanked it */
					if (gnext->ch != 0 || (gnext->flags & (GRID_CELL_CONT | GRID_CELL_COMBINED)) ||
					    (vn_ && wcwidth((wchar_t)vc.chars[0]) == 2)) {
						snprintf(why, whylen, "(%d,%d): wide U+%04X vs w%d U+%04X",
							 r, c, vc.chars[0], gc->width, gn ? gch[0] : 0);
						return 0;
					}
				}
			} else if (same && gc->width == 2 && vn_ && wcwidth((wchar_t)vc.chars[0]) == 2) {
				/* libvterm: a protected wide glyph whose continuation
				 * (which does not carry the protection) a selective
				 * erase blanked; we keep the pair */
				skip_next = 1;
			} else if (!same && g_blank && vn_ && wcwidth((wchar_t)vc.chars[0]) == 2) {
				/* libvterm: the left half of a wide glyph whose right
				 * half was overwritten; we blanked it */
				continue;
			} else if (gc->width != 1 || g_cont) {
				snprintf(why, whylen, "(%d,%d): U+%04X w1 vs U+%04X w%d cont%d", r, c,
					 vn_ ? vc.chars[0] : 0, gn ? gch[0] : 0, gc->width, g_cont);
				return 0;
			}
			if (!same) {
				snprintf(why, whylen, "(%d,%d): chars U+%04X(+%d) vs U+%04X(+%d)", r, c,
					 vn_ ? vc.chars[0] : 0, vn_, gn ? gch[0] : 0, gn);
				return 0;
			}
			uint16_t ga = gc->attrs & (uint16_t)~(GRID_ATTR_DIM | GRID_ATTR_CONCEAL);
			if (grid_reverse(g))
				ga ^= GRID_ATTR_REVERSE;
			if (oracle_attrs(&vc) != ga) {
				snprintf(why, whylen, "(%d,%d) U+%04X: attrs %#x vs %#x", r, c,
					 vn_ ? vc.chars[0] : 0, oracle_attrs(&vc), ga);
				return 0;
			}
			if (oracle_color(&vc.fg) != gc->fg || oracle_color(&vc.bg) != gc->bg) {
				snprintf(why, whylen, "(%d,%d) U+%04X: fg/bg %#x/%#x vs %#x/%#x", r, c,
					 vn_ ? vc.chars[0] : 0, oracle_color(&vc.fg),
					 oracle_color(&vc.bg), gc->fg, gc->bg);
				return 0;
			}
			c += skip_next;
		}
	}
	VTermPos p;
	vterm_state_get_cursorpos(vterm_obtain_state(o->vt), &p);
	struct grid_cursor gcur = grid_cursor(g);
	if (p.row != gcur.row || p.col != gcur.col) {
		snprintf(why, whylen, "cursor (%d,%d) vs (%d,%d)", p.row, p.col, gcur.row, gcur.col);
		return 0;
	}
	if (o->alt != grid_altscreen(g) || o->alt != term_altscreen(t)) {
		snprintf(why, whylen, "altscreen %d vs %d", o->alt, grid_altscreen(g));
		return 0;
	}
	return 1;
}

#endif
