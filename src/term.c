/* term — libvterm 0.1.4's VTermState driving our grid (include/term.h):
 * the state callbacks, soft-wrap tracking for reflow, resize with the cursor
 * guard, the output buffer, and key / mouse / paste / focus encoding.
 * The feed pre-scanner and its fast paths are in term_feed.c; struct term
 * is in include/term_int.h. Only these two files include vterm.h. */
#include "term_int.h"

#include <stdio.h>
#include <string.h>

#include <vterm.h>

#include "util.h"

/* ---- colours and pen ---- */

static uint32_t color_of(const VTermColor *c)
{
	if (c->type & VTERM_COLOR_DEFAULT_MASK)
		return GRID_COLOR_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(c))
		return GRID_COLOR_INDEXED(c->indexed.idx);
	return GRID_COLOR_RGB(c->rgb.red, c->rgb.green, c->rgb.blue);
}

/* ---- state callbacks ---- */

static int cb_putglyph(VTermGlyphInfo *info, VTermPos pos, void *user)
{
	struct term *t = user;
	if (t->muted)
		return 1;
	int n = info->chars[0] ? 1 : 0;
	if (n && info->chars[1])
		while (n < GRID_MAX_CHARS && info->chars[n])
			n++;
	int width = info->width;
	if (n == 0) {
		t->rep_width = width;
		return 1;
	}
	if (t->wc_valid && pos.col == 0 && pos.row == t->wc_row + 1 &&
	    (t->wc_end >= t->cols || (t->wc_end == t->cols - 1 && width == 2)))
		grid_set_row_flags(t->g, t->wc_row, GRID_ROW_WRAPPED, GRID_ROW_WRAPPED);
	if (t->protect != (int)info->protected_cell) {
		struct grid_pen pen = *grid_pen(t->g);
		pen.protect = info->protected_cell;
		grid_set_pen(t->g, &pen);
		t->protect = info->protected_cell;
	}
	grid_put(t->g, pos.row, pos.col, info->chars, n, width);
	t->single_shift = 0;
	if (pos.col + (width > 0 ? width : 1) >= t->cols) {
		t->ph = 1;
		t->ph_row = pos.row;
		t->ph_col = pos.col;
	}
	t->rep_width = width;
	t->wc_valid = 1;
	t->wc_row = pos.row;
	t->wc_end = pos.col + (width > 0 ? width : 1);
	return 1;
}

static int cb_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct term *t = user;
	(void)oldpos;
	if (!t->muted)
		term_cursor_moved(t, pos.row, pos.col, visible);
	return 1;
}

static int cb_moverect(VTermRect dest, VTermRect src, void *user)
{
	/* Not reached: term_cb_scrollrect handles every scroll. */
	(void)dest;
	(void)src;
	(void)user;
	return 1;
}

static int cb_erase(VTermRect r, int selective, void *user)
{
	struct term *t = user;
	grid_erase(t->g, r.start_row, r.end_row, r.start_col, r.end_col, selective);
	return 1;
}

static int cb_initpen(void *user)
{
	struct term *t = user;
	struct grid_pen p = { 0 };
	grid_set_pen(t->g, &p);
	t->protect = 0;
	t->sgr_extra = 0;
	return 1;
}

static int cb_setpenattr(VTermAttr attr, VTermValue *val, void *user)
{
	struct term *t = user;
	struct grid_pen p = *grid_pen(t->g);
	switch (attr) {
	case VTERM_ATTR_BOLD:
		term_set_bit(&p.attrs, GRID_ATTR_BOLD, val->boolean);
		break;
	case VTERM_ATTR_UNDERLINE:
		p.attrs = (uint16_t)((p.attrs & ~GRID_ATTR_UNDERLINE_MASK) |
				     (((unsigned)val->number << GRID_ATTR_UNDERLINE_SHIFT) &
				      GRID_ATTR_UNDERLINE_MASK));
		break;
	case VTERM_ATTR_ITALIC:
		term_set_bit(&p.attrs, GRID_ATTR_ITALIC, val->boolean);
		break;
	case VTERM_ATTR_BLINK:
		term_set_bit(&p.attrs, GRID_ATTR_BLINK, val->boolean);
		break;
	case VTERM_ATTR_REVERSE:
		term_set_bit(&p.attrs, GRID_ATTR_REVERSE, val->boolean);
		break;
	case VTERM_ATTR_STRIKE:
		term_set_bit(&p.attrs, GRID_ATTR_STRIKE, val->boolean);
		break;
	case VTERM_ATTR_FONT:
		p.attrs = (uint16_t)((p.attrs & ~GRID_ATTR_FONT_MASK) |
				     (((unsigned)val->number << GRID_ATTR_FONT_SHIFT) & GRID_ATTR_FONT_MASK));
		break;
	case VTERM_ATTR_FOREGROUND:
		p.fg = color_of(&val->color);
		break;
	case VTERM_ATTR_BACKGROUND:
		p.bg = color_of(&val->color);
		break;
	default:
		return 0;
	}
	grid_set_pen(t->g, &p);
	return 1;
}

/* Copies a title, dropping control characters, bounded. */
static void copy_title(char *dst, const char *src)
{
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)src; *s && n + 1 < TERM_TITLE_MAX; s++)
		if (*s >= 0x20 && *s != 0x7f)
			dst[n++] = (char)*s;
	/* do not end inside a UTF-8 sequence */
	while (n > 0 && ((unsigned char)dst[n - 1] & 0xc0) == 0x80) {
		size_t k = n;
		while (k > 0 && ((unsigned char)dst[k - 1] & 0xc0) == 0x80)
			k--;
		if (k == 0)
			break;
		unsigned char lead = (unsigned char)dst[k - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
		if (n - (k - 1) >= need)
			break;
		n = k - 1;
	}
	if (n > 0 && (unsigned char)dst[n - 1] >= 0xc0)
		n--;
	dst[n] = '\0';
}

static int cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct term *t = user;
	switch (prop) {
	case VTERM_PROP_CURSORVISIBLE:
		t->cur.visible = val->boolean;
		grid_set_cursor(t->g, &t->cur);
		break;
	case VTERM_PROP_CURSORBLINK:
		t->cur.blink = val->boolean;
		t->shape_seen |= t->ready;
		grid_set_cursor(t->g, &t->cur);
		break;
	case VTERM_PROP_CURSORSHAPE:
		t->cur.shape = val->number;
		t->shape_seen |= t->ready;
		grid_set_cursor(t->g, &t->cur);
		break;
	case VTERM_PROP_ALTSCREEN:
		t->alt = val->boolean;
		t->wc_valid = 0;
		grid_set_altscreen(t->g, val->boolean);
		break;
	case VTERM_PROP_TITLE: {
		char old[TERM_TITLE_MAX];
		memcpy(old, t->title, sizeof old);
		copy_title(t->title, val->string ? val->string : "");
		if (strcmp(old, t->title) != 0)
			t->title_changed = 1;
		break;
	}
	case VTERM_PROP_ICONNAME:
		copy_title(t->icon, val->string ? val->string : "");
		break;
	case VTERM_PROP_REVERSE:
		grid_set_reverse(t->g, val->boolean);
		break;
	case VTERM_PROP_MOUSE:
		t->mouse = val->number;
		break;
	default:
		break;
	}
	return 1; /* accept: libvterm stores only what we accept (notes §0.6) */
}

static int cb_bell(void *user)
{
	struct term *t = user;
	t->bells++;
	return 1;
}

static int cb_resize(int rows, int cols, VTermPos *delta, void *user)
{
	struct term *t = user;
	VTermPos p;
	vterm_state_get_cursorpos(t->st, &p);
	int r = p.row, c = p.col;
	/* at the pending-wrap column the logical position is one further */
	if (t->resize_phantom)
		c++;
	grid_resize(t->g, rows, cols, &r, &c);
	delta->row = r - p.row;
	delta->col = c - p.col;
	/* libvterm then steps a pending wrap one column right itself */
	if (t->resize_phantom && p.col < cols - 1)
		delta->col--;
	t->rows = rows;
	t->cols = cols;
	t->wc_valid = 0;
	return 1;
}

static int cb_setlineinfo(int row, const VTermLineInfo *ni, const VTermLineInfo *oi, void *user)
{
	struct term *t = user;
	/* like VTermScreen: a line turning double-width loses its right half */
	if ((ni->doublewidth != oi->doublewidth || ni->doubleheight != oi->doubleheight) &&
	    ni->doublewidth)
		grid_erase(t->g, row, row + 1, t->cols / 2, t->cols, 0);
	if (ni->doublewidth || ni->doubleheight)
		t->sticky_slow = 1;
	unsigned f = (ni->doublewidth ? GRID_ROW_DWL : 0) |
		     (ni->doubleheight == 1 ? GRID_ROW_DHL_TOP : 0) |
		     (ni->doubleheight == 2 ? GRID_ROW_DHL_BOT : 0);
	grid_set_row_flags(t->g, row, GRID_ROW_DWL | GRID_ROW_DHL_TOP | GRID_ROW_DHL_BOT, f);
	return 1;
}

static const VTermStateCallbacks state_cbs = {
	.putglyph = cb_putglyph,
	.movecursor = cb_movecursor,
	.scrollrect = term_cb_scrollrect,
	.moverect = cb_moverect,
	.erase = cb_erase,
	.initpen = cb_initpen,
	.setpenattr = cb_setpenattr,
	.settermprop = cb_settermprop,
	.bell = cb_bell,
	.resize = cb_resize,
	.setlineinfo = cb_setlineinfo,
};

static int fb_osc(const char *command, size_t len, void *user)
{
	struct term *t = user;
	if (t->osc_fn)
		t->osc_fn(command, len, t->osc_user);
	return 1;
}

static const VTermParserCallbacks fallbacks = {
	.osc = fb_osc,
};

static void cb_output(const char *s, size_t len, void *user)
{
	struct term *t = user;
	if (t->probing) {
		t->probe_hit = 1;
		return;
	}
	if (t->out_off > 0 && t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
	if (t->out_off > 4096 && t->out_off * 2 > t->out_len) {
		memmove(t->out, t->out + t->out_off, t->out_len - t->out_off);
		t->out_len -= t->out_off;
		t->out_off = 0;
	}
	xgrow((void **)&t->out, &t->out_cap, t->out_len + len, 1);
	memcpy(t->out + t->out_len, s, len);
	t->out_len += len;
}

/* ---- life cycle ---- */

struct term *term_new(int rows, int cols, int scrollback_lines)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	struct term *t = xcalloc(1, sizeof *t);
	t->rows = rows;
	t->cols = cols;
	t->g = grid_new(rows, cols, scrollback_lines);
	t->cur.visible = 1;
	t->cur.shape = GRID_CURSOR_BLOCK;
	for (int i = 0; i < 4; i++)
		t->g_ascii[i] = 1;
	t->vt = vterm_new(rows, cols);
	if (!t->vt) {
		fprintf(stderr, "shoal: vterm_new failed\n");
		abort();
	}
	vterm_set_utf8(t->vt, 1);
	t->st = vterm_obtain_state(t->vt);
	vterm_state_set_callbacks(t->st, &state_cbs, t);
	vterm_state_set_unrecognised_fallbacks(t->st, &fallbacks, t);
	vterm_output_set_callback(t->vt, cb_output, t);
	vterm_state_reset(t->st, 1);
	t->ready = 1;
	grid_damage_all(t->g);
	return t;
}

void term_free(struct term *t)
{
	if (!t)
		return;
	vterm_free(t->vt);
	grid_free(t->g);
	free(t->out);
	free(t->carry);
	free(t);
}

struct grid *term_grid(struct term *t) { return t->g; }

void term_size(const struct term *t, int *rows, int *cols)
{
	if (rows)
		*rows = t->rows;
	if (cols)
		*cols = t->cols;
}

/* ---- resize ---- */

void term_resize(struct term *t, int rows, int cols)
{
	if (rows < 1)
		rows = 1; /* 0 => SEGV on the next write in 0.1.4 */
	if (cols < 1)
		cols = 1;
	if (rows > 4096)
		rows = 4096;
	if (cols > 4096)
		cols = 4096;
	if (rows == t->rows && cols == t->cols)
		return;
	if (t->vt_lazy || t->lg_lazy)
		term_vt_catch_up(t, NULL, 0);
	VTermPos old;
	vterm_state_get_cursorpos(t->st, &old);
	int phantom = t->wc_valid && t->wc_end >= t->cols && old.row == t->wc_row &&
		      old.col == t->cols - 1;
	t->resize_phantom = phantom;
	vterm_set_size(t->vt, rows, cols); /* calls cb_resize -> grid_resize */
	t->resize_phantom = 0;
	struct grid_cursor want = grid_cursor(t->g);
	VTermPos p;
	vterm_state_get_cursorpos(t->st, &p);
	/* Then, always (the parser is in ground state: the carry holds any
	 * unfinished sequence):
	 * - reset the scroll region and the left/right margins, as xterm does
	 *   on a resize: 0.1.4 clamps only their far ends, so a region whose
	 *   top is past the new bottom makes the next line feed memmove a
	 *   negative size (found by fuzz_term);
	 * - put the cursor where the grid says: 0.1.4 can leave it off the
	 *   screen (a negative row after a shrink; the next ESC[K crashes),
	 *   and a pending wrap libvterm kept would wrap the next glyph from
	 *   the wrong place. With the region reset, CUP is absolute even in
	 *   origin mode. */
	(void)p;
	(void)phantom;
	char b[64];
	int n = snprintf(b, sizeof b, "\033[r\033[?69h\033[s\033[?69l\033[%d;%dH", want.row + 1,
			 want.col + 1);
	term_feed_raw(t, b, (size_t)n);
	t->region = 0;
	vterm_state_get_cursorpos(t->st, &p);
	t->cur.row = p.row;
	t->cur.col = p.col;
	grid_set_cursor(t->g, &t->cur);
	grid_damage_all(t->g);
}

/* ---- output ---- */

const char *term_output(const struct term *t, size_t *len)
{
	size_t n = t->out_len - t->out_off;
	if (len)
		*len = n;
	return n ? t->out + t->out_off : NULL;
}

void term_output_consume(struct term *t, size_t n)
{
	size_t have = t->out_len - t->out_off;
	if (n > have)
		n = have;
	t->out_off += n;
	if (t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
}

static void push_out(struct term *t, const char *s, size_t n) { cb_output(s, n, t); }

/* ---- input ---- */

static VTermModifier vmods(unsigned mods) { return (VTermModifier)(mods & VTERM_ALL_MODS_MASK); }

int term_key(struct term *t, enum term_key key, unsigned mods)
{
	VTermKey k;
	switch (key) {
	case TERM_KEY_ENTER: k = VTERM_KEY_ENTER; break;
	case TERM_KEY_KP_ENTER: k = VTERM_KEY_ENTER; break;
	case TERM_KEY_TAB: k = VTERM_KEY_TAB; break;
	case TERM_KEY_BACKSPACE:
		if (mods & TERM_MOD_CTRL) {
			/* 0.1.4 sends CSI 127;5u; a tty sends ^H */
			if (mods & TERM_MOD_ALT)
				push_out(t, "\x1b\x08", 2);
			else
				push_out(t, "\x08", 1);
			return 0;
		}
		k = VTERM_KEY_BACKSPACE;
		break;
	case TERM_KEY_ESCAPE: k = VTERM_KEY_ESCAPE; break;
	case TERM_KEY_UP: k = VTERM_KEY_UP; break;
	case TERM_KEY_DOWN: k = VTERM_KEY_DOWN; break;
	case TERM_KEY_LEFT: k = VTERM_KEY_LEFT; break;
	case TERM_KEY_RIGHT: k = VTERM_KEY_RIGHT; break;
	case TERM_KEY_INS: k = VTERM_KEY_INS; break;
	case TERM_KEY_DEL: k = VTERM_KEY_DEL; break;
	case TERM_KEY_HOME: k = VTERM_KEY_HOME; break;
	case TERM_KEY_END: k = VTERM_KEY_END; break;
	case TERM_KEY_PAGEUP: k = VTERM_KEY_PAGEUP; break;
	case TERM_KEY_PAGEDOWN: k = VTERM_KEY_PAGEDOWN; break;
	default:
		if (key > TERM_KEY_F0 && key <= TERM_KEY_F(12)) {
			k = (VTermKey)VTERM_KEY_FUNCTION(key - TERM_KEY_F0);
			break;
		}
		return -1;
	}
	vterm_keyboard_key(t->vt, k, vmods(mods));
	return 0;
}

int term_char(struct term *t, uint32_t cp, unsigned mods)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	if (mods & TERM_MOD_CTRL) {
		uint32_t c = cp;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A'; /* Ctrl+uppercase would be CSI-u in 0.1.4 */
		int byte = -1;
		if (c >= 'a' && c <= 'z')
			byte = (int)(c & 0x1f);
		else if (c == ' ' || c == '@' || c == '2')
			byte = 0;
		else if (c == '[' || c == '3')
			byte = 0x1b;
		else if (c == '\\' || c == '4')
			byte = 0x1c;
		else if (c == ']' || c == '5')
			byte = 0x1d;
		else if (c == '^' || c == '6')
			byte = 0x1e;
		else if (c == '_' || c == '/' || c == '7')
			byte = 0x1f;
		else if (c == '?' || c == '8')
			byte = 0x7f;
		if (byte >= 0) {
			char b[2];
			size_t n = 0;
			if (mods & TERM_MOD_ALT)
				b[n++] = 0x1b;
			b[n++] = (char)byte;
			push_out(t, b, n);
			return 0;
		}
	}
	vterm_keyboard_unichar(t->vt, cp, vmods(mods));
	return 0;
}

int term_bracketed_paste(const struct term *t)
{
	struct term *m = (struct term *)t;
	m->probing = 1;
	m->probe_hit = 0;
	vterm_keyboard_start_paste(m->vt);
	vterm_keyboard_end_paste(m->vt);
	m->probing = 0;
	return m->probe_hit;
}

void term_paste(struct term *t, const char *s, size_t len)
{
	int bracketed = term_bracketed_paste(t);
	if (bracketed)
		vterm_keyboard_start_paste(t->vt);
	struct sbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t k;
		if (c < 0x80) {
			cp = c;
			k = 1;
		} else {
			k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			size_t bad;
			if (k == 1 || i + k > len || !util_utf8_valid(s + i, k, &bad)) {
				i++; /* invalid UTF-8: dropped */
				continue;
			}
			cp = c & (k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
			for (size_t j = 1; j < k; j++)
				cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		i += k;
		if (cp == '\r' && i < len && p[i] == '\n')
			continue; /* CRLF -> one line break */
		if (cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n')
			continue;
		if (cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			continue;
		if (cp == '\n' && !bracketed)
			cp = '\r';
		if (cp < 0x80) {
			sbuf_addc(&b, (char)cp);
		} else {
			sbuf_add(&b, s + i - k, k);
		}
	}
	if (b.len)
		push_out(t, b.s, b.len);
	sbuf_free(&b);
	if (bracketed)
		vterm_keyboard_end_paste(t->vt);
}

int term_mouse_mode(const struct term *t) { return t->mouse; }

static void clamp_pos(const struct term *t, int *row, int *col)
{
	if (*row < 0)
		*row = 0;
	if (*row >= t->rows)
		*row = t->rows - 1;
	if (*col < 0)
		*col = 0;
	if (*col >= t->cols)
		*col = t->cols - 1;
}

int term_mouse_button(struct term *t, int row, int col, int button, int pressed, unsigned mods)
{
	if (t->mouse == TERM_MOUSE_NONE || button < 1 || button > 5)
		return 0; /* 0.1.4 would report even when not asked (notes §9) */
	if ((button == 4 || button == 5) && !pressed)
		return 1; /* wheel: press only */
	clamp_pos(t, &row, &col);
	vterm_mouse_move(t->vt, row, col, vmods(mods));
	vterm_mouse_button(t->vt, button, pressed != 0, vmods(mods));
	return 1;
}

int term_mouse_move(struct term *t, int row, int col, unsigned mods)
{
	if (t->mouse == TERM_MOUSE_NONE)
		return 0;
	clamp_pos(t, &row, &col);
	vterm_mouse_move(t->vt, row, col, vmods(mods));
	return 1;
}

void term_focus(struct term *t, int in)
{
	if (in)
		vterm_state_focus_in(t->st);
	else
		vterm_state_focus_out(t->st);
}

/* ---- properties ---- */

const char *term_title(const struct term *t) { return t->title; }
const char *term_icon_name(const struct term *t) { return t->icon; }

int term_title_changed(struct term *t)
{
	int c = t->title_changed;
	t->title_changed = 0;
	return c;
}

int term_bell(struct term *t)
{
	int b = t->bells;
	t->bells = 0;
	return b;
}

int term_altscreen(const struct term *t) { return t->alt; }

int term_cursor_style(const struct term *t)
{
	if (!t->shape_seen)
		return 0;
	int base = t->cur.shape == GRID_CURSOR_UNDERLINE ? 3 : t->cur.shape == GRID_CURSOR_BAR ? 5 : 1;
	return t->cur.blink ? base : base + 1;
}

void term_set_osc_handler(struct term *t, term_osc_fn *fn, void *user)
{
	t->osc_fn = fn;
	t->osc_user = user;
}
