/* term_feed — the feed pre-scanner of term (include/term.h; struct term
 * in include/term_int.h): term_feed / term_flush, the carry buffer
 * (unfinished sequences across feeds, APC/PM/SOS dropping, overlong CSIs),
 * dim and conceal from SGRs, SGRs without libvterm (sgr_fast, pen_sync),
 * the plain-text and line-end fast paths (fast_run, fast_ctl) with
 * libvterm catching up after them (term_vt_catch_up), and the mirrors of
 * libvterm state they depend on (track_esc, track_csi). Includes
 * vterm.h, with term.c. */
#include "term_int.h"

#include <string.h>

#include <vterm.h>

#include "util.h"

/* Pre-scanner states (term_feed). */
enum {
	SC_GROUND,
	SC_ESC,      /* after ESC */
	SC_ESC_INT,  /* ESC + intermediates */
	SC_CSI,      /* ESC [ ... */
	SC_STR,      /* OSC / DCS body */
	SC_STR_ESC,  /* ESC inside a string */
	SC_DROP,     /* APC / PM / SOS body: not fed */
	SC_DROP_ESC, /* ESC inside a dropped string */
	SC_UTF8,     /* inside a UTF-8 sequence split across feeds */
	SC_CSI_DROP, /* a CSI with too many arguments: not fed */
};

/* 0.1.4's parser overflows its argument array (and crashes) past 16 CSI
 * arguments; longer sequences are dropped. */
#define TERM_CSI_MAX_SEPS 15
/* No real CSI is this long; longer ones are dropped too (libvterm would
 * overflow its argument values). */
#define TERM_CSI_MAX_LEN 256

/* ---- feeding ---- */

/* Appends the decimal digits of v to b at *n. */
static void put_num(char *b, size_t *n, unsigned v)
{
	char dig[12];
	size_t nd = 0;
	do
		dig[nd++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (nd > 0)
		b[(*n)++] = dig[--nd];
}

/* Moves libvterm's cursor (not ours) with CUP; the fast paths run only
 * with origin mode off, so CUP is absolute. */
static void vt_cup(struct term *t, int row, int col)
{
	char b[32];
	size_t n = 0;
	b[n++] = '\033';
	b[n++] = '[';
	put_num(b, &n, (unsigned)row + 1);
	b[n++] = ';';
	put_num(b, &n, (unsigned)col + 1);
	b[n++] = 'H';
	vterm_input_write(t->vt, b, n);
}

/* 1 if p[0..n) are only controls that neither read nor change what
 * libvterm knows of the last glyph or the charsets: BEL, BS, HT, LF, VT,
 * FF, CR. */
static int benign_controls(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x07 || (unsigned char)p[i] > 0x0d)
			return 0;
	return 1;
}

/* Brings libvterm up to date before it is fed p[0..n) (see vt_lazy), or
 * (p NULL) before anything else reads it:
 * puts the last glyph again where it was, with the callbacks muted (our
 * grid has it already), unless what comes next overwrites that memory
 * anyway (a printable ASCII byte, in ground state: libvterm prints it) or
 * cannot read it (benign controls); then puts its cursor on ours. Neither
 * has a pending wrap here (the fast paths stay away from it), and CUP
 * leaves none. */
void term_vt_catch_up(struct term *t, const char *p, size_t n)
{
	int printable = p && n && (unsigned char)p[0] >= 0x20 && (unsigned char)p[0] < 0x7f;
	t->muted = 1;
	if (t->lg_lazy && !printable && !(p && benign_controls(p, n))) {
		vt_cup(t, t->lg_row, t->lg_col);
		vterm_input_write(t->vt, &t->lg_ch, 1);
	}
	if (!(p && benign_controls(p, n)))
		t->lg_lazy = 0;
	VTermPos p0;
	vterm_state_get_cursorpos(t->st, &p0);
	if (p0.row != t->cur.row || p0.col != t->cur.col)
		vt_cup(t, t->cur.row, t->cur.col);
	t->vt_lazy = 0;
	t->muted = 0;
}

/* 1 if p[0..n) holds a UTF-8 lead byte whose sequence it does not
 * complete (0.1.4's decoder then waits for more). */
static int utf8_incomplete(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0xc0 || c > 0xfd)
			continue;
		size_t need = c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf8 ? 3 : c < 0xfc ? 4 : 5;
		for (size_t k = 1; k <= need; k++)
			if (i + k >= n || ((unsigned char)p[i + k] & 0xc0) != 0x80)
				return 1;
		i += need;
	}
	return 0;
}

void term_feed_raw(struct term *t, const char *p, size_t n)
{
	if (n) {
		if (t->vt_lazy || t->lg_lazy)
			term_vt_catch_up(t, p, n);
		if (!t->gl_dirty && utf8_incomplete(p, n))
			t->gl_dirty = 1;
		t->last_hi = (unsigned char)p[n - 1] >= 0x80;
		vterm_input_write(t->vt, p, n);
	}
}

static void carry_add(struct term *t, const char *p, size_t n)
{
	xgrow((void **)&t->carry, &t->carry_cap, t->carry_len + n, 1);
	memcpy(t->carry + t->carry_len, p, n);
	t->carry_len += n;
}

/* Feeds the carried head plus buf[from, end) as one write. */
static void feed_carry_with(struct term *t, const char *buf, size_t from, size_t end)
{
	carry_add(t, buf + from, end - from);
	term_feed_raw(t, t->carry, t->carry_len);
	t->carry_len = 0;
}

/* Length of an incomplete UTF-8 sequence at the end of p[0..n) (0-3), and
 * in *need how many continuation bytes it still lacks. */
static size_t utf8_tail(const char *p, size_t n, int *need)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)p[n - k];
		if ((c & 0xc0) == 0x80)
			continue;
		int len = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc0 && c < 0xe0 ? 2 : 1;
		if ((size_t)len > k) {
			*need = len - (int)k;
			return k;
		}
		return 0;
	}
	return 0;
}

/* ---- SGR without libvterm ---- */

/* Applies the SGR sequence a[0..an) + b[0..bn) (ESC [ params m) to the
 * grid's pen if every parameter is one whose effect on 0.1.4's pen is
 * plain (the oracle tests compare): 0-5, 7-9, 10-19, 21-25, 27-29,
 * 30-49 (38/48 with ;5;N or ;2;R;G;B), 90-97, 100-107, with ';' only.
 * Dim (2) and conceal (8), which 0.1.4 does not know, go to sgr_extra too.
 * Returns 0 (nothing changed) for anything else. */
static int sgr_fast(struct term *t, const char *a, size_t an, const char *b, size_t bn)
{
	int v[TERM_CSI_MAX_SEPS + 2], nv = 0, cur = -1;
	for (size_t k = 2; k + 1 < an + bn; k++) { /* after ESC [, before m */
		unsigned char c = (unsigned char)(k < an ? a[k] : b[k - an]);
		if (c >= '0' && c <= '9') {
			cur = (cur < 0 ? 0 : cur) * 10 + (c - '0');
			if (cur > 100000)
				return 0;
		} else if (c == ';' && nv + 1 < (int)ARRAY_LEN(v)) {
			v[nv++] = cur;
			cur = -1;
		} else {
			return 0;
		}
	}
	v[nv++] = cur;
	struct grid_pen p = *grid_pen(t->g);
	for (int i = 0; i < nv; i++) {
		int x = v[i] < 0 ? 0 : v[i];
		switch (x) {
		case 0:
			p.attrs = 0;
			p.fg = p.bg = GRID_COLOR_DEFAULT;
			break;
		case 1: term_set_bit(&p.attrs, GRID_ATTR_BOLD, 1); break;
		case 22:
			term_set_bit(&p.attrs, GRID_ATTR_BOLD, 0);
			term_set_bit(&p.attrs, GRID_ATTR_DIM, 0);
			break;
		case 2: term_set_bit(&p.attrs, GRID_ATTR_DIM, 1); break;
		case 8: term_set_bit(&p.attrs, GRID_ATTR_CONCEAL, 1); break;
		case 28: term_set_bit(&p.attrs, GRID_ATTR_CONCEAL, 0); break;
		case 3: term_set_bit(&p.attrs, GRID_ATTR_ITALIC, 1); break;
		case 23: term_set_bit(&p.attrs, GRID_ATTR_ITALIC, 0); break;
		case 5: term_set_bit(&p.attrs, GRID_ATTR_BLINK, 1); break;
		case 25: term_set_bit(&p.attrs, GRID_ATTR_BLINK, 0); break;
		case 7: term_set_bit(&p.attrs, GRID_ATTR_REVERSE, 1); break;
		case 27: term_set_bit(&p.attrs, GRID_ATTR_REVERSE, 0); break;
		case 9: term_set_bit(&p.attrs, GRID_ATTR_STRIKE, 1); break;
		case 29: term_set_bit(&p.attrs, GRID_ATTR_STRIKE, 0); break;
		case 4:
		case 21:
		case 24:
			p.attrs = (uint16_t)((p.attrs & ~GRID_ATTR_UNDERLINE_MASK) |
					     ((unsigned)(x == 4 ? 1 : x == 21 ? 2 : 0)
					      << GRID_ATTR_UNDERLINE_SHIFT));
			break;
		case 39: p.fg = GRID_COLOR_DEFAULT; break;
		case 49: p.bg = GRID_COLOR_DEFAULT; break;
		case 38:
		case 48: {
			uint32_t col;
			if (i + 2 < nv && v[i + 1] == 5 && v[i + 2] >= 0 && v[i + 2] <= 255) {
				col = GRID_COLOR_INDEXED(v[i + 2]);
				i += 2;
			} else if (i + 4 < nv && v[i + 1] == 2 && v[i + 2] >= 0 && v[i + 2] <= 255 &&
				   v[i + 3] >= 0 && v[i + 3] <= 255 && v[i + 4] >= 0 && v[i + 4] <= 255) {
				col = GRID_COLOR_RGB(v[i + 2], v[i + 3], v[i + 4]);
				i += 4;
			} else {
				return 0;
			}
			if (x == 38)
				p.fg = col;
			else
				p.bg = col;
			break;
		}
		default:
			if (x >= 10 && x <= 19)
				p.attrs = (uint16_t)((p.attrs & ~GRID_ATTR_FONT_MASK) |
						     (((unsigned)(x - 10) << GRID_ATTR_FONT_SHIFT) &
						      GRID_ATTR_FONT_MASK));
			else if (x >= 30 && x <= 37)
				p.fg = GRID_COLOR_INDEXED(x - 30);
			else if (x >= 40 && x <= 47)
				p.bg = GRID_COLOR_INDEXED(x - 40);
			else if (x >= 90 && x <= 97)
				p.fg = GRID_COLOR_INDEXED(x - 90 + 8);
			else if (x >= 100 && x <= 107)
				p.bg = GRID_COLOR_INDEXED(x - 100 + 8);
			else
				return 0;
		}
	}
	grid_set_pen(t->g, &p);
	t->sgr_extra = p.attrs & (GRID_ATTR_DIM | GRID_ATTR_CONCEAL);
	t->vt_pen_stale = 1;
	return 1;
}

static void sgr_color(struct sbuf *b, int base, uint32_t c)
{
	if (grid_color_kind(c) == GRID_COLOR_KIND_INDEXED)
		sbuf_printf(b, ";%d;5;%u", base, grid_color_index(c));
	else if (grid_color_kind(c) == GRID_COLOR_KIND_RGB)
		sbuf_printf(b, ";%d;2;%u;%u;%u", base, grid_color_r(c), grid_color_g(c),
			    grid_color_b(c));
}

/* Gives libvterm the grid's pen as one SGR (its callbacks set the same pen
 * back on the grid). */
static void pen_sync(struct term *t)
{
	if (!t->vt_pen_stale)
		return;
	t->vt_pen_stale = 0;
	const struct grid_pen *p = grid_pen(t->g);
	struct sbuf b = { 0 };
	sbuf_adds(&b, "\033[0");
	unsigned a = p->attrs;
	if (a & GRID_ATTR_BOLD)
		sbuf_adds(&b, ";1");
	if (a & GRID_ATTR_ITALIC)
		sbuf_adds(&b, ";3");
	if (grid_attr_underline((uint16_t)a))
		sbuf_printf(&b, ";4:%u", grid_attr_underline((uint16_t)a));
	if (a & GRID_ATTR_BLINK)
		sbuf_adds(&b, ";5");
	if (a & GRID_ATTR_REVERSE)
		sbuf_adds(&b, ";7");
	if (a & GRID_ATTR_STRIKE)
		sbuf_adds(&b, ";9");
	if (a & GRID_ATTR_FONT_MASK)
		sbuf_printf(&b, ";%u", 10 + ((a & GRID_ATTR_FONT_MASK) >> GRID_ATTR_FONT_SHIFT));
	/* colours in a second SGR: 0.1.4 crashes past 16 arguments */
	sbuf_adds(&b, "m\033[39;49");
	sgr_color(&b, 38, p->fg);
	sgr_color(&b, 48, p->bg);
	sbuf_addc(&b, 'm');
	struct grid_pen keep = *p; /* libvterm knows no dim or conceal */
	term_feed_raw(t, b.s, b.len);
	grid_set_pen(t->g, &keep);
	sbuf_free(&b);
}

/* What an SGR sequence (the bytes p1 then p2: ESC [ params m) leaves of
 * dim and conceal, starting from cur. Walks the arguments the way 0.1.4's
 * pen.c does: an argument's ':' subparameters go with it, and 38/48/58
 * take their colour arguments along (5;n or 2;r;g;b), so neither reads as
 * a 2 or an 8; an empty argument is 0 (reset). */
/* 1 if the bytes hold an argument that is exactly "2" or "8": without one,
 * an SGR cannot turn dim or conceal on. */
static int sgr_may_set(const char *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if ((p[k] == '2' || p[k] == '8') && (k == 0 || p[k - 1] < '0' || p[k - 1] > '9') &&
		    (k + 1 == n || p[k + 1] < '0' || p[k + 1] > '9'))
			return 1;
	return 0;
}

static unsigned sgr_eval(unsigned cur, const char *p1, size_t n1, const char *p2, size_t n2)
{
	/* the common case: nothing on, and nothing that could turn it on
	 * (checked per span: where the spans meet, "2" + "8" reads as a 2 and
	 * an 8, which only costs the full walk, never a miss) */
	if (cur == 0 && !sgr_may_set(p1, n1) && !sgr_may_set(p2, n2))
		return 0;
	long val[TERM_CSI_MAX_SEPS + 2];
	unsigned char more[TERM_CSI_MAX_SEPS + 2];
	int argc = 0, started = 0;
	long v = -1;
	for (size_t k = 0; k < n1 + n2; k++) {
		unsigned char b = (unsigned char)(k < n1 ? p1[k] : p2[k - n1]);
		if (!started) {
			started = b == '[';
			continue;
		}
		if (b >= '0' && b <= '9') {
			if (v < 0)
				v = 0;
			if (v < 100000)
				v = v * 10 + (b - '0');
		} else if (b == ';' || b == ':' || (b >= 0x40 && b <= 0x7e)) {
			if (argc < (int)ARRAY_LEN(val)) {
				val[argc] = v;
				more[argc] = b == ':';
				argc++;
			}
			v = -1;
			if (b >= 0x40)
				break;
		}
	}
	for (int a = 0; a < argc;) {
		switch (val[a]) {
		case -1:
		case 0: cur = 0; break;
		case 2: cur |= GRID_ATTR_DIM; break;
		case 22: cur &= ~GRID_ATTR_DIM; break;
		case 8: cur |= GRID_ATTR_CONCEAL; break;
		case 28: cur &= ~GRID_ATTR_CONCEAL; break;
		case 38:
		case 48:
		case 58:
			if (a + 1 < argc) {
				int rest = argc - a - 2;
				a += 1 + (val[a + 1] == 2 ? (rest < 3 ? rest : 3) : val[a + 1] == 5 ? (rest > 0) : 0);
			}
			break;
		default: break;
		}
		int m;
		do
			m = more[a++];
		while (m && a < argc);
	}
	return cur;
}

/* Feeds a complete sequence sp[0..sn) that needs care: REP (CSI n b) hangs
 * 0.1.4 when the last glyph had width 0 (or none since reset), DECALN
 * (ESC # 8) puts glyphs without changing what REP would repeat, and ED 3
 * (CSI 3 J, sent by `clear`) should clear the scrollback, which 0.1.4
 * ignores; and anything that reads libvterm's pen while sgr_fast left it
 * stale (pen_sync first). */
static void feed_special(struct term *t, int kind, const char *sp, size_t sn)
{
	if (kind >= 4) {
		/* 4: an SGR, 5: DECRC, changing dim or conceal from here on;
		 * 6: it reads libvterm's pen. All read it: up to date first. */
		pen_sync(t);
		term_feed_raw(t, sp, sn);
		if (kind == 6)
			return;
		struct grid_pen pen = *grid_pen(t->g);
		pen.attrs = (uint16_t)((pen.attrs & ~(GRID_ATTR_DIM | GRID_ATTR_CONCEAL)) | t->sgr_next);
		grid_set_pen(t->g, &pen);
		t->sgr_extra = t->sgr_next;
		return;
	}
	if (kind == 3) {
		term_feed_raw(t, sp, sn);
		grid_sb_clear(t->g);
		return;
	}
	if (kind == 1) {
		if (t->rep_width > 0)
			term_feed_raw(t, sp, sn);
		return;
	}
	int w = t->rep_width;
	term_feed_raw(t, sp, sn);
	t->rep_width = w;
}

/* ---- the plain-text fast path ---- */

/* libvterm 0.1.4 costs a callback and a few hundred instructions per
 * glyph, and as many per control byte; a run of printable ASCII is written
 * into the grid here instead, and CR and LF move the cursor (and scroll)
 * here, when libvterm's state says it would do exactly that: GL is a
 * US-ASCII set with no single shift pending, insert mode, origin mode and
 * left/right margins are off, no double-width/height line and no DECSCA
 * was ever seen, and the cursor is not at the pending wrap; for LF also
 * no scroll region and no new-line mode. libvterm lags behind meanwhile
 * (vt_lazy, lg_lazy) and is brought up to date (term_vt_catch_up) before it is
 * fed anything. The last column is left to libvterm (the pending wrap).
 * Verified against VTermScreen by the oracle tests. */
static int fast_ok(const struct term *t)
{
#ifdef TERM_DEBUG_NOFAST /* -DTERM_DEBUG_NOFAST: the plain path only, to compare */
	return 0;
#endif
	return t->gl >= 0 && t->g_ascii[t->gl] && !t->single_shift && t->irm == 0 &&
	       t->lrmm == 0 && t->decom == 0 && !t->sticky_slow;
}

/* libvterm's cursor, or ours while it lags behind (the same then). */
static VTermPos vt_cursor(const struct term *t)
{
	VTermPos p;
	if (t->vt_lazy) {
		p.row = t->cur.row;
		p.col = t->cur.col;
	} else {
		vterm_state_get_cursorpos(t->st, &p);
	}
	return p;
}

/* The cursor may be at the pending wrap (a glyph ended at the right edge
 * there): only libvterm knows. */
static int maybe_phantom(const struct term *t, VTermPos p)
{
	return t->ph && p.row == t->ph_row && p.col == t->ph_col;
}

/* buf[s, e) is a run of bytes 0x20-0x7e in ground state, followed by a
 * byte >= 0x80 if hi_next; *from is the first byte of buf not yet fed to
 * libvterm (<= s). */
static void fast_run(struct term *t, const char *buf, size_t s, size_t e, size_t *from, int hi_next)
{
	if (!fast_ok(t))
		return;
	int clears = 0;
	if (s > *from ? (unsigned char)buf[s - 1] >= 0x80 : t->last_hi) {
		/* a write to libvterm must not end inside a UTF-8 sequence:
		 * libvterm gets this one with the bytes before it */
		s++;
	} else if (t->gl_dirty || utf8_incomplete(buf + *from, s - *from)) {
		/* G0's decoder may be waiting: libvterm decodes this one (and
		 * is then done waiting) */
		s++;
		clears = 1;
	}
	if (hi_next)
		e--; /* that byte goes with the last one, in G0's run as here */
	while (s < e) {
		term_feed_raw(t, buf + *from, s - *from);
		*from = s;
		if (clears) {
			t->gl_dirty = 0;
			clears = 0;
		}
		if (!fast_ok(t)) /* again: what was just fed may have changed it */
			return;
		VTermPos p = vt_cursor(t);
		if (maybe_phantom(t, p)) {
			s++; /* libvterm puts this one */
			continue;
		}
		if (p.row < 0 || p.row >= t->rows || p.col < 0 || p.col >= t->cols)
			return;
		size_t avail = e - s;
		size_t room = (size_t)(t->cols - 1 - p.col); /* before the last column */
		size_t k = avail < room ? avail : room;
		if (k > 0) {
			grid_put_ascii(t->g, p.row, p.col, buf + s, (int)k);
			t->wc_valid = 1;
			t->wc_row = p.row;
			t->wc_end = p.col + (int)k;
			t->rep_width = 1;
			t->lg_lazy = 1;
			t->lg_row = p.row;
			t->lg_col = p.col + (int)k - 1;
			t->lg_ch = buf[s + k - 1];
			t->vt_lazy = 1;
			term_cursor_moved(t, p.row, p.col + (int)k, t->cur.visible);
			s += k;
			*from = s;
		}
		if (avail <= room)
			return; /* the run ends on this row */
		/* libvterm puts the glyph in the last column and the one that
		 * wraps; then on with the next row */
		s += 2;
		if (s > e)
			return;
	}
}

/* CR or LF at buf[i], in ground state; *from is the first byte of buf not
 * yet fed to libvterm (<= i). Done here if it can be (see fast_ok);
 * returns 1 then. */
static int fast_ctl(struct term *t, const char *buf, size_t i, size_t *from)
{
	if (!fast_ok(t) || (buf[i] == '\n' && (t->region || t->lnm)))
		return 0;
	/* what came before goes first, and must not end inside UTF-8 */
	if (i > *from ? (unsigned char)buf[i - 1] >= 0x80 : t->last_hi)
		return 0;
	term_feed_raw(t, buf + *from, i - *from);
	*from = i;
	if (!fast_ok(t) || (buf[i] == '\n' && (t->region || t->lnm)))
		return 0;
	VTermPos p = vt_cursor(t);
	if (maybe_phantom(t, p) || p.row < 0 || p.row >= t->rows || p.col < 0 || p.col >= t->cols)
		return 0;
	if (buf[i] == '\r') {
		if (p.col != 0) {
			t->vt_lazy = 1;
			term_cursor_moved(t, p.row, 0, t->cur.visible);
		}
	} else if (p.row == t->rows - 1) {
		/* libvterm scrolls the screen (its line info too, all plain
		 * here: no double-width line was ever seen) */
		VTermRect r = { .start_row = 0, .end_row = t->rows, .start_col = 0, .end_col = t->cols };
		term_cb_scrollrect(r, 1, 0, t);
	} else {
		t->vt_lazy = 1;
		term_cursor_moved(t, p.row + 1, p.col, t->cur.visible);
	}
	*from = i + 1;
	return 1;
}

/* Mirrors what a complete escape sequence does to the state fast_run
 * depends on. kind: 'E' an ESC + final, 'I' ESC + intermediates + final,
 * 'C' a CSI, whose bytes are a[0..an) + b[0..bn) (NULL if not all at
 * hand). */
static void track_esc(struct term *t, unsigned char final)
{
	switch (final) {
	case 'c': /* RIS: 0.1.4 resets charsets, shifts and modes */
		t->gl = 0;
		for (int k = 0; k < 4; k++)
			t->g_ascii[k] = 1;
		t->single_shift = 0;
		t->irm = 0;
		t->decom = 0;
		t->lnm = 0;
		t->region = 0;
		break;
	case 'n':
		t->gl = 2;
		break;
	case 'o':
		t->gl = 3;
		break;
	case 'N':
	case 'O':
		t->single_shift = 1;
		break;
	default:
		break;
	}
}

static void track_esc_int(struct term *t, unsigned char final)
{
	int i1 = t->esc_int;
	if (i1 >= '(' && i1 <= '+')
		t->g_ascii[i1 - '('] = t->esc_nint == 1 && final == 'B';
	else if (i1 >= '-' && i1 <= '/')
		t->g_ascii[i1 - '-' + 1] = 0;
}

/* 1 if DECSTBM with these arguments (-1: missing) leaves the whole
 * screen as the scroll region in 0.1.4 (its code, state.c). */
static int decstbm_full(const struct term *t, const int *vals, int nv)
{
	int top = (vals[0] < 0 ? 1 : vals[0]) - 1;
	if (top < 0)
		top = 0;
	if (top > t->rows)
		top = t->rows;
	int bottom = nv < 2 || vals[1] < 0 ? -1 : vals[1];
	if (top == 0 && bottom == t->rows)
		bottom = -1;
	else if (bottom > t->rows)
		bottom = t->rows;
	int sb = bottom > -1 ? bottom : t->rows;
	return sb <= top || (top == 0 && sb == t->rows);
}

static int track_csi(struct term *t, const char *a, size_t an, const char *b, size_t bn,
		     unsigned char final)
{
	int saves = 0; /* ? 1048 h / ? 1049 h: saves the cursor (and pen) */
	if (final != 'h' && final != 'l' && final != 'q' && final != 'r')
		return 0;
	char tmp[TERM_CSI_MAX_LEN + 16];
	if (!a || an + bn > sizeof tmp) {
		/* not all at hand: assume the worst */
		if (final == 'h')
			t->irm = t->lrmm = t->decom = t->lnm = -1;
		else if (final == 'q')
			t->sticky_slow = 1;
		else if (final == 'r')
			t->region = 1;
		return final == 'h';
	}
	memcpy(tmp, a, an);
	memcpy(tmp + an, b, bn);
	size_t n = an + bn;
	size_t i = 0;
	while (i < n && tmp[i] != '[')
		i++; /* ESC, maybe intermediates (0.1.4 starts a CSI on them) */
	i++;
	int leader = 0, inter = 0, colon = 0;
	int val = -1;
	int vals[TERM_CSI_MAX_SEPS + 2], nv = 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)tmp[i];
		if (c < 0x20)
			continue; /* a control inside: executed, not part of it */
		if (c >= 0x3c && c <= 0x3f) {
			leader = c;
		} else if (c >= '0' && c <= '9') {
			val = (val < 0 ? 0 : val) * 10 + (c - '0');
			if (val > 100000)
				val = 100000;
		} else if (c == ';' || c == ':') {
			colon |= c == ':';
			if (nv < (int)ARRAY_LEN(vals))
				vals[nv++] = val;
			val = -1;
		} else if (c >= 0x20 && c <= 0x2f) {
			inter = c;
		} else {
			break;
		}
	}
	if (nv < (int)ARRAY_LEN(vals))
		vals[nv++] = val;
	if (final == 'q') {
		if (inter == '"')
			t->sticky_slow = 1; /* DECSCA: the glyphs' protection */
		return 0;
	}
	if (inter)
		return 0;
	if (final == 'r') {
		if (!leader)
			t->region = colon || !decstbm_full(t, vals, nv);
		return 0;
	}
	/* 0.1.4 sets or resets the first mode named only (state.c: SM, RM
	 * and the DEC private forms read args[0]) */
	for (int k = 0; k < 1; k++) {
		if (!leader && vals[k] == 4)
			t->irm = final == 'h';
		else if (!leader && vals[k] == 20)
			t->lnm = final == 'h';
		else if (leader == '?' && vals[k] == 69)
			t->lrmm = final == 'h';
		else if (leader == '?' && vals[k] == 6)
			t->decom = final == 'h';
		else if (leader == '?' && final == 'h' && (vals[k] == 1048 || vals[k] == 1049))
			saves = 1;
	}
	return saves;
}

/* An ESC at buf[i] that ended a string starts a new sequence: it is held
 * (the carry is just it) and the scanner goes on from it as after any ESC.
 * Returns the new in_carry (1); the caller steps back onto b. */
static int restart_at_esc(struct term *t, size_t *from, size_t i)
{
	t->carry_len = 0;
	carry_add(t, "\x1b", 1);
	*from = i;
	t->sc = SC_ESC;
	return 1;
}

/* A sequence starting at buf[seq] is dropped (not fed): what came before
 * it goes to libvterm, and if libvterm already has the sequence's head
 * (term_flush, carry overflow: nohold), CAN cancels it there. */
static void drop_start(struct term *t, const char *buf, size_t from, size_t seq, int in_carry)
{
	if (in_carry)
		t->carry_len = 0;
	else if (!t->nohold)
		term_feed_raw(t, buf + from, seq - from);
	if (t->nohold)
		term_feed_raw(t, "\x18", 1);
	t->nohold = 0;
}

void term_feed(struct term *t, const char *buf, size_t len)
{
	size_t from = 0;       /* bytes of buf before this are handled */
	size_t seq = 0;        /* start in buf of the current sequence */
	int in_carry = t->carry_len > 0; /* the current sequence began earlier */
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)buf[i];
		int done = 0; /* the sequence ended with this byte */
		int kind = 0; /* feed_special: 1 REP, 2 DECALN, 3 ED 3, 4 SGR, 5 DECRC, 6 reads the pen */
		switch (t->sc) {
		case SC_GROUND: {
			/* to the next ESC: printable runs may take the fast
			 * path; SO and SI are mirrored */
			const unsigned char *u = (const unsigned char *)buf;
			size_t j = i;
			while (j < len) {
				unsigned char c = u[j];
				if (c >= 0x20 && c < 0x7f) {
					size_t s0 = j;
					while (++j < len && u[j] >= 0x20 && u[j] < 0x7f)
						;
					fast_run(t, buf, s0, j, &from, j < len && u[j] >= 0x80);
					continue;
				}
				if (c == 0x1b)
					break;
				if (c == '\r' || c == '\n')
					fast_ctl(t, buf, j, &from);
				else if (c == 0x0e)
					t->gl = 1;
				else if (c == 0x0f)
					t->gl = 0;
				j++;
			}
			if (j >= len) {
				i = len;
				continue;
			}
			i = j;
			t->sc = SC_ESC;
			seq = i;
			in_carry = 0;
			t->nohold = 0;
			break;
		}
		case SC_UTF8:
			if ((b & 0xc0) == 0x80) {
				if (--t->utf8_need <= 0)
					done = 1;
			} else if (b >= 0x20 && b < 0x7f) {
				/* not a continuation: libvterm shows U+FFFD only if the
				 * lead and the next character come in one write */
				done = 1;
			} else {
				/* not a continuation: feed the stray lead, redo b */
				feed_carry_with(t, buf, from, i);
				from = i;
				in_carry = 0;
				t->sc = SC_GROUND;
				i--;
				continue;
			}
			break;
		case SC_ESC:
			if (b == '[') {
				t->sc = SC_CSI;
				t->csi_plain = 1;
				t->csi_nsep = 0;
				t->csi_val = 0;
				t->csi_len = 0;
				t->csi_phase = 0;
			} else if (b == ']' || b == 'P') {
				t->sc = SC_STR;
				t->str_dcs = b == 'P';
			}
			else if (b == '_' || b == '^' || b == 'X') {
				/* APC / PM / SOS: feed what came before, drop the rest
				 * (cancelling an ESC libvterm already got) */
				drop_start(t, buf, from, seq, in_carry);
				in_carry = 0;
				t->sc = SC_DROP;
			} else if (b >= 0x20 && b <= 0x2f) {
				t->sc = SC_ESC_INT;
				t->esc_hash = b == '#';
				t->esc_int = b;
				t->esc_nint = 1;
			} else if (b == 0x1b || b < 0x20 || b >= 0x7f) {
				/* stays: libvterm restarts, executes controls,
				 * ignores DEL and bytes >= 0x80 here */
				if (b == 0x0e)
					t->gl = 1;
				else if (b == 0x0f)
					t->gl = 0;
			} else {
				done = 1;
				track_esc(t, b);
				if (b == 'c') /* RIS resets the pen: known now, for the SGRs after it */
					t->sgr_extra = t->sgr_saved = 0;
				else if (b == '7') { /* DECSC saves the pen, DECRC restores it */
					t->sgr_saved = t->sgr_extra;
					if (t->vt_pen_stale)
						kind = 6;
				} else if (b == '8' && t->sgr_saved != t->sgr_extra) {
					kind = 5;
					t->sgr_next = t->sgr_saved;
				}
			}
			break;
		case SC_ESC_INT:
			if (b == '[' || b == ']' || b == 'P') {
				/* 0.1.4 starts a CSI / OSC / DCS on these even after
				 * intermediates (its ESC state tests them first), so
				 * the scanner must too, or it misses a CSI whose
				 * argument count overflows libvterm (fuzz_term) */
				t->sc = SC_ESC;
				i--;
				continue;
			}
			if (b >= 0x30 && b <= 0x7e) {
				done = 1;
				if (b == '8' && t->esc_hash)
					kind = 2;
				track_esc_int(t, b);
			} else if (b == 0x1b)
				t->sc = SC_ESC;
			else if (b >= 0x20 && b <= 0x2f) {
				t->esc_hash = 0;
				t->esc_nint++;
			} else if (b == 0x0e || b == 0x0f)
				t->gl = -1; /* not sure 0.1.4 runs it here */
			break;
		case SC_CSI:
			if (b >= 0x20 && b < 0x40) {
				if (t->csi_phase == 0 && !(b >= 0x3c && b <= 0x3f))
					t->csi_phase = 1;
				if (t->csi_phase == 1 && !((b >= '0' && b <= '9') || b == ';' || b == ':'))
					t->csi_phase = 2;
				if (t->csi_phase == 2 && b >= 0x30) {
					done = 1; /* invalid (a leader or digit too late): it ends, nothing runs */
					break;
				}
			}
			if (b >= 0x40 && b <= 0x7e) {
				done = 1;
				if (b == 'b' && t->csi_plain)
					kind = 1;
				else if (b == 'J' && t->csi_plain && t->csi_nsep == 0 && t->csi_val == 3)
					kind = 3;
				else if (b == 'h' || b == 'l' || b == 'q' || b == 'r') {
					int r;
					if (t->nohold)
						r = track_csi(t, NULL, 0, NULL, 0, b);
					else if (in_carry)
						r = track_csi(t, t->carry, t->carry_len, buf + from, i + 1 - from, b);
					else
						r = track_csi(t, buf + seq, i + 1 - seq, "", 0, b);
					if (r && t->vt_pen_stale)
						kind = 6; /* saves the cursor and pen */
				} else if (b == 'm' && t->csi_plain) {
					/* what came before goes first: the pen changes here */
					int fast = 0;
					if (t->nohold || t->sticky_slow || t->decom != 0) {
						/* libvterm parses it */
					} else if (in_carry) {
						fast = sgr_fast(t, t->carry, t->carry_len, buf + from, i + 1 - from);
					} else {
						term_feed_raw(t, buf + from, seq - from);
						from = seq;
						/* again: a double-width line just fed makes
						 * 0.1.4 clamp the cursor at the end of any CSI */
						if (!t->sticky_slow)
							fast = sgr_fast(t, buf + seq, i + 1 - seq, "", 0);
					}
					if (fast) { /* libvterm does not see it */
						t->carry_len = 0;
						in_carry = 0;
						from = i + 1;
					} else {
						kind = 4;
					}
				} else if (b == 's' && t->vt_pen_stale) {
					kind = 6;
				}
			} else if (b == 0x1b) {
				/* cancels the CSI and starts a new sequence here: what
				 * came before goes to libvterm as it is, so that the
				 * new one's bytes (tracked modes, SGR) are its own */
				if (in_carry)
					feed_carry_with(t, buf, from, i);
				else if (t->nohold)
					term_feed_raw(t, buf + from, i - from);
				if (in_carry || t->nohold)
					from = i;
				in_carry = 0;
				t->nohold = 0;
				seq = i;
				t->sc = SC_ESC;
			} else if (b == 0x18 || b == 0x1a || b >= 0x80)
				done = 1; /* cancelled; a byte >= 0x80 ends it in 0.1.4 */
			else {
				if (b == 0x0e || b == 0x0f)
					t->gl = -1; /* run inside, unless dropped */
				if (b >= '0' && b <= '9') {
					if (t->csi_nsep == 0 && t->csi_val < 100000)
						t->csi_val = t->csi_val * 10 + (b - '0');
				} else if ((b >= 0x3c && b <= 0x3f) || (b >= 0x20 && b <= 0x2f))
					t->csi_plain = 0;
				else if (b == ';' || b == ':')
					t->csi_nsep++;
				if (t->csi_nsep <= TERM_CSI_MAX_SEPS && ++t->csi_len <= TERM_CSI_MAX_LEN)
					break;
				/* feed what came before, drop the sequence; if libvterm
				 * already has its head (term_flush, carry overflow),
				 * cancel it there with CAN */
				drop_start(t, buf, from, seq, in_carry);
				in_carry = 0;
				from = len; /* nothing of buf is fed until the drop ends */
				t->sc = SC_CSI_DROP;
			}
			break;
		case SC_CSI_DROP:
			if ((b >= 0x40 && b <= 0x7e) || b == 0x18 || b == 0x1a) {
				t->sc = SC_GROUND;
				from = i + 1;
			} else if (b == 0x1b) {
				t->sc = SC_ESC;
				seq = from = i;
				in_carry = 0;
				t->nohold = 0;
			}
			break;
		case SC_STR:
			if (b == 0x07 || b == 0x18 || b == 0x1a) {
				done = 1;
				if (t->str_dcs && t->vt_pen_stale)
					kind = 6; /* DECRQSS reads the pen */
			}
			else if (b == 0x1b)
				t->sc = SC_STR_ESC;
			else if (b == 0x0e || b == 0x0f)
				t->gl = -1; /* not sure 0.1.4 runs it here */
			break;
		case SC_STR_ESC:
			if (b == '\\') {
				done = 1;
				if (t->str_dcs && t->vt_pen_stale)
					kind = 6;
				break;
			}
			/* The string ended at that ESC, which starts a new escape.
			 * 0.1.4 mis-measures a string whose ESC is not followed
			 * by '\\' (with controls in between it reads past the
			 * buffer; found by fuzz_term), so end the string with a
			 * proper ST ourselves and start the escape afresh. */
			if (t->nohold) {
				term_feed_raw(t, buf + from, i - from);
			} else if (in_carry) {
				carry_add(t, buf + from, i - from);
			} else {
				term_feed_raw(t, buf + from, seq - from);
				carry_add(t, buf + seq, i - seq);
			}
			carry_add(t, "\\", 1);
			if (t->nohold)
				term_feed_raw(t, "\\", 1);
			else
				term_feed_raw(t, t->carry, t->carry_len);
			t->nohold = 0;
			in_carry = restart_at_esc(t, &from, i);
			i--;
			continue;
		case SC_DROP:
			if (b == 0x07 || b == 0x18 || b == 0x1a) {
				t->sc = SC_GROUND;
				from = i + 1;
			} else if (b == 0x1b)
				t->sc = SC_DROP_ESC;
			break;
		case SC_DROP_ESC:
			if (b == '\\') {
				t->sc = SC_GROUND;
				from = i + 1;
			} else if (b == 0x1b) {
				; /* stays */
			} else {
				/* the dropped string ended; that ESC starts a sequence */
				in_carry = restart_at_esc(t, &from, i);
				i--;
				continue;
			}
			break;
		}
		if (done) {
			t->sc = SC_GROUND;
			if (kind == 4) { /* SGR: special only when dim or conceal change */
				t->sgr_next = in_carry ? sgr_eval(t->sgr_extra, t->carry, t->carry_len, buf + from, i + 1 - from)
						       : sgr_eval(t->sgr_extra, buf + seq, i + 1 - seq, NULL, 0);
				if (t->sgr_next == t->sgr_extra)
					kind = t->vt_pen_stale ? 6 : 0;
			}
			if (kind && !t->nohold) {
				if (in_carry) {
					carry_add(t, buf + from, i + 1 - from);
					feed_special(t, kind, t->carry, t->carry_len);
					t->carry_len = 0;
				} else {
					term_feed_raw(t, buf + from, seq - from);
					feed_special(t, kind, buf + seq, i + 1 - seq);
				}
				from = i + 1;
				in_carry = 0;
			} else if (in_carry) {
				feed_carry_with(t, buf, from, i + 1);
				from = i + 1;
				in_carry = 0;
			}
			t->nohold = 0;
		}
	}
	if (t->sc == SC_GROUND) {
		/* 0.1.4 loses a UTF-8 sequence split at the end of a write that
		 * holds other text: keep the head for the next feed */
		int need = 0;
		size_t k = utf8_tail(buf + from, len - from, &need);
		term_feed_raw(t, buf + from, len - from - k);
		if (k) {
			carry_add(t, buf + len - k, k);
			t->utf8_need = need;
			t->sc = SC_UTF8;
		}
		return;
	}
	if (t->sc == SC_DROP || t->sc == SC_DROP_ESC || t->sc == SC_CSI_DROP) {
		/* everything from the drop start on is discarded */
		return;
	}
	if (t->nohold) {
		/* an overlong sequence: libvterm gets it as it comes */
		if (in_carry)
			feed_carry_with(t, buf, from, len);
		else
			term_feed_raw(t, buf + from, len - from);
		return;
	}
	if (in_carry) {
		carry_add(t, buf + from, len - from);
	} else {
		term_feed_raw(t, buf + from, seq - from);
		carry_add(t, buf + seq, len - seq);
	}
	if (t->carry_len > TERM_CARRY_MAX) {
		term_feed_raw(t, t->carry, t->carry_len);
		t->carry_len = 0;
		t->nohold = 1;
	}
}

void term_flush(struct term *t)
{
	if (t->carry_len) {
		term_feed_raw(t, t->carry, t->carry_len);
		t->carry_len = 0;
	}
	if (t->sc == SC_UTF8)
		t->sc = SC_GROUND;
	if (t->sc != SC_DROP && t->sc != SC_DROP_ESC && t->sc != SC_CSI_DROP &&
	    t->sc != SC_GROUND)
		t->nohold = 1;
}

size_t term_pending(const struct term *t) { return t->carry_len; }
