/* render — grid rows into curses windows, borders, titles. */
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "color.h"
#include "util.h"

#define STRIKE_MARK 0x0336

static struct color to_color(uint32_t v)
{
	struct color c = { 0 };
	switch (grid_color_kind(v)) {
	case GRID_COLOR_KIND_INDEXED:
		c.kind = COLOR_KIND_INDEXED;
		c.idx = (uint8_t)grid_color_index(v);
		break;
	case GRID_COLOR_KIND_RGB:
		c.kind = COLOR_KIND_RGB;
		c.r = (uint8_t)grid_color_r(v);
		c.g = (uint8_t)grid_color_g(v);
		c.b = (uint8_t)grid_color_b(v);
		break;
	default:
		c.kind = COLOR_KIND_DEFAULT;
	}
	return c;
}

int render_cell(const struct grid *g, const struct grid_cell *c, int reverse_all, int selected,
		cchar_t *out, int *pad)
{
	*pad = 0;
	if (c->flags & GRID_CELL_CONT)
		return 0;
	uint32_t cp[GRID_MAX_CHARS];
	int n = grid_cell_chars(g, c, cp, GRID_MAX_CHARS);
	wchar_t wc[CCHARW_MAX + 1];
	int k = 0, cols = c->width == 2 ? 2 : 1;
	if (n <= 0) {
		wc[k++] = L' ';
		if (cols == 2) /* an erased wide cell should not happen; keep columns */
			*pad = 1, cols = 1;
	} else {
		int ww = wcwidth((wchar_t)cp[0]);
		if (ww < 1) { /* unprintable, or a lone combining mark */
			wc[k++] = (wchar_t)0xFFFD;
			if (cols == 2)
				*pad = 1, cols = 1;
		} else if (ww == cols) {
			wc[k++] = (wchar_t)cp[0];
		} else if (cols == 1) { /* wcwidth says 2: it would shift the row */
			wc[k++] = (wchar_t)0xFFFD;
		} else { /* the grid says 2, wcwidth 1: draw it and pad */
			wc[k++] = (wchar_t)cp[0];
			*pad = 1, cols = 1;
		}
		if (wc[0] == (wchar_t)cp[0])
			for (int i = 1; i < n && k < CCHARW_MAX; i++)
				if (wcwidth((wchar_t)cp[i]) == 0)
					wc[k++] = (wchar_t)cp[i];
	}
	attr_t a = 0;
	uint16_t at = c->attrs;
	if (at & GRID_ATTR_BOLD)
		a |= A_BOLD;
	if (at & GRID_ATTR_ITALIC)
		a |= A_ITALIC;
	if (grid_attr_underline(at))
		a |= A_UNDERLINE;
	if (at & GRID_ATTR_BLINK)
		a |= A_BLINK;
	if (at & GRID_ATTR_DIM)
		a |= A_DIM;
	if ((at & GRID_ATTR_CONCEAL) && k > 0) {
		/* concealed: blanks in the cell's colours (A_INVIS is not drawn
		 * by every terminal); a wide cell becomes two */
		wc[0] = L' ';
		k = 1;
		if (cols == 2)
			*pad = 1, cols = 1;
	}
	if (((at & GRID_ATTR_REVERSE) != 0) ^ (reverse_all != 0) ^ (selected != 0))
		a |= A_REVERSE;
	if ((at & GRID_ATTR_STRIKE) && k < CCHARW_MAX && wc[0] != L' ')
		wc[k++] = STRIKE_MARK;
	wc[k] = 0;
	int nc = color_count(), bold = 0;
	struct color fc = to_color(c->fg), bc = to_color(c->bg);
	int fg = color_number(&fc, nc, &bold);
	if (bold)
		a |= A_BOLD;
	int bg = color_number(&bc, nc, NULL);
	int pair = color_pair(fg, bg);
	setcchar(out, wc, a, 0, &pair);
	return cols;
}

static int in_sel(const struct render_sel *s, int r, int c)
{
	if (!s || !s->active || r < s->r0 || r > s->r1)
		return 0;
	if (r == s->r0 && c < s->c0)
		return 0;
	if (r == s->r1 && c > s->c1)
		return 0;
	return 1;
}

void render_grid(WINDOW *win, struct grid *g, int y0, int x0, int h, int w, int full,
		 const struct render_sel *sel)
{
	int rows = grid_rows(g), cols = grid_cols(g), rev = grid_reverse(g);
	static cchar_t *line;
	static int line_cap;
	if (w + 1 > line_cap) {
		line_cap = w + 1;
		line = xrealloc(line, (size_t)line_cap * sizeof *line);
	}
	cchar_t blank;
	int zero = 0;
	setcchar(&blank, L" ", 0, 0, &zero);
	for (int r = 0; r < h; r++) {
		if (r < rows && !full && !grid_damage(g, r, NULL, NULL) && !(sel && sel->active))
			continue;
		if (r >= rows && !full)
			continue;
		int n = 0, x = 0;
		if (r < rows) {
			const struct grid_cell *cells = grid_view_row(g, r);
			for (int c = 0; c < cols && x < w; c++) {
				int pad;
				cchar_t cc;
				int used = render_cell(g, &cells[c], rev, in_sel(sel, r, c), &cc, &pad);
				if (used == 0)
					continue;
				if (x + used > w) { /* a wide glyph cut by the edge */
					line[n++] = blank;
					x++;
					break;
				}
				line[n++] = cc;
				x += used;
				if (pad && x < w) {
					cchar_t sp = cc;
					wchar_t wch[CCHARW_MAX + 1];
					attr_t a;
					short sp_pair;
					int ext;
					getcchar(&cc, wch, &a, &sp_pair, &ext);
					setcchar(&sp, L" ", a, 0, &ext);
					line[n++] = sp;
					x++;
				}
			}
		}
		while (x < w) {
			line[n++] = blank;
			x++;
		}
		mvwadd_wchnstr(win, y0 + r, x0, line, n);
	}
}

int render_utf8_to_wide(const char *s, wchar_t *out, size_t cap, int maxcols)
{
	size_t k = 0;
	int cols = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	if (!s)
		s = "";
	size_t len = strlen(s);
	while (*s && k + 1 < cap) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, len, &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			r = 1;
		}
		s += r;
		len -= r;
		int ww = wcwidth(wc);
		if (ww < 0 || wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			wc = L'?', ww = 1;
		if (cols + ww > maxcols)
			break;
		out[k++] = wc;
		cols += ww;
	}
	out[k] = 0;
	return cols;
}

static int border_pair(enum render_border_style st)
{
	switch (st) {
	case RENDER_BORDER_FOCUS:
		return color_pair(COLOR_GREEN, -1);
	case RENDER_BORDER_ATTN:
		return color_pair(COLOR_YELLOW, -1);
	default:
		return color_pair(8 < color_count() ? 8 : -1, -1);
	}
}

static void put_label(WINDOW *win, int y, int x, int maxcols, const char *s, attr_t a, int pair)
{
	if (maxcols < 3 || !s || !*s)
		return;
	wchar_t buf[512];
	buf[0] = L' ';
	int used = render_utf8_to_wide(s, buf + 1, ARRAY_LEN(buf) - 2, maxcols - 2);
	size_t k = wcslen(buf);
	buf[k++] = L' ';
	buf[k] = 0;
	(void)used;
	wattr_set(win, a, 0, &pair);
	mvwaddnwstr(win, y, x, buf, (int)k);
	wattr_set(win, 0, 0, &(int){ 0 });
}

static int label_cols(const char *s, int maxcols)
{
	wchar_t buf[512];
	if (!s || !*s)
		return 0;
	return render_utf8_to_wide(s, buf, ARRAY_LEN(buf), maxcols - 2) + 2;
}

void render_border(WINDOW *win, int h, int w, enum render_border_style style, const char *title,
		   const char *status, const char *hint)
{
	int pair = border_pair(style);
	attr_t a = style == RENDER_BORDER_FOCUS ? A_BOLD : 0;
	render_border_styled(win, h, w, style == RENDER_BORDER_FOCUS, a, pair,
			     style == RENDER_BORDER_ATTN ? color_pair(COLOR_YELLOW, -1) : pair, title,
			     status, hint);
}

void render_border_styled(WINDOW *win, int h, int w, int heavy, unsigned attr, int pair,
			  int status_pair, const char *title, const char *status, const char *hint)
{
	if (h < 3 || w < 3)
		return;
	attr_t a = attr;
	wattr_set(win, a, 0, &pair);
	cchar_t cc;
	/* Plain box-drawing characters, heavy for the focused pane. */
	const wchar_t *set = heavy ? L"┏┓┗┛━┃" : L"┌┐└┘─│";
	wchar_t ch[2] = { 0, 0 };
	int cw = wcwidth(set[0]) == 1;
	if (!cw) /* a locale without box drawing: fall back to ACS */
		box(win, 0, 0);
	else {
		for (int i = 0; i < 6; i++) {
			ch[0] = set[i];
			setcchar(&cc, ch, a, 0, &pair);
			switch (i) {
			case 0: mvwadd_wch(win, 0, 0, &cc); break;
			case 1: mvwadd_wch(win, 0, w - 1, &cc); break;
			case 2: mvwadd_wch(win, h - 1, 0, &cc); break;
			case 3: mvwins_wch(win, h - 1, w - 1, &cc); break; /* no scroll at the corner */
			case 4:
				mvwhline_set(win, 0, 1, &cc, w - 2);
				mvwhline_set(win, h - 1, 1, &cc, w - 2);
				break;
			case 5:
				mvwvline_set(win, 1, 0, &cc, h - 2);
				mvwvline_set(win, 1, w - 1, &cc, h - 2);
				break;
			}
		}
	}
	int room = w - 4;
	int sc = label_cols(status, room / 2 > 12 ? room / 2 : room);
	if (sc > 0) {
		put_label(win, 0, w - 1 - sc - 1 + 1, sc, status, A_BOLD, status_pair);
		room -= sc + 1;
	}
	put_label(win, 0, 2, room, title, heavy ? A_BOLD : 0, pair);
	if (hint && w > 8)
		put_label(win, h - 1, 2, w - 4, hint, 0, pair);
	wattr_set(win, 0, 0, &(int){ 0 });
}
