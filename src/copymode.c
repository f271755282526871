/* copymode — cursor, selection and text extraction over scrollback + screen. */
#include "copymode.h"

#include "keys.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void show_cursor(struct copymode *cm, struct grid *g)
{
	int rows = grid_rows(g), off = grid_view_offset(g);
	if (cm->cy + off < 0)
		off = -cm->cy;
	else if (cm->cy + off >= rows)
		off = rows - 1 - cm->cy;
	if (off < 0)
		off = 0;
	if (off != grid_view_offset(g))
		grid_view_set(g, off);
}

void copy_enter(struct copymode *cm, struct grid *g)
{
	memset(cm, 0, sizeof *cm);
	cm->active = 1;
	cm->last_sb = grid_sb_count(g);
	int off = grid_view_offset(g);
	if (off > 0) {
		cm->cy = grid_rows(g) - 1 - off;
		cm->cx = 0;
	} else {
		struct grid_cursor c = grid_cursor(g);
		cm->cy = c.row;
		cm->cx = c.col;
	}
}

void copy_leave(struct copymode *cm, struct grid *g)
{
	cm->active = 0;
	cm->selecting = 0;
	grid_view_set(g, 0);
}

void copy_sync(struct copymode *cm, struct grid *g)
{
	int sb = grid_sb_count(g);
	int d = sb - cm->last_sb;
	cm->last_sb = sb;
	if (d == 0)
		return;
	cm->cy -= d;
	cm->ay -= d;
	if (cm->cy < -sb)
		cm->cy = -sb;
	if (cm->ay < -sb)
		cm->ay = -sb;
}

void copy_goto(struct copymode *cm, struct grid *g, int y, int x)
{
	cm->cy = clampi(y, -grid_sb_count(g), grid_rows(g) - 1);
	cm->cx = clampi(x, 0, grid_cols(g) - 1);
	show_cursor(cm, g);
}

void copy_move(struct copymode *cm, struct grid *g, int dy, int dx)
{
	copy_goto(cm, g, cm->cy + dy, cm->cx + dx);
}

void copy_page(struct copymode *cm, struct grid *g, int pages)
{
	int page = grid_rows(g) > 1 ? grid_rows(g) - 1 : 1;
	int off = grid_view_offset(g);
	grid_view_scroll(g, pages * page);
	int d = grid_view_offset(g) - off;
	if (d == 0) /* the view is at an end: move the cursor instead */
		copy_move(cm, g, -pages * page, 0);
	else
		copy_goto(cm, g, cm->cy - d, cm->cx);
}

void copy_toggle_select(struct copymode *cm)
{
	if (cm->selecting) {
		cm->selecting = 0;
		return;
	}
	cm->selecting = 1;
	cm->ay = cm->cy;
	cm->ax = cm->cx;
}

int copy_cursor_row(const struct copymode *cm, const struct grid *g)
{
	return cm->cy + grid_view_offset(g);
}

static void ordered(const struct copymode *cm, int *y0, int *x0, int *y1, int *x1)
{
	if (!cm->selecting) {
		*y0 = *y1 = cm->cy;
		*x0 = *x1 = cm->cx;
		return;
	}
	if (cm->ay < cm->cy || (cm->ay == cm->cy && cm->ax <= cm->cx)) {
		*y0 = cm->ay, *x0 = cm->ax, *y1 = cm->cy, *x1 = cm->cx;
	} else {
		*y0 = cm->cy, *x0 = cm->cx, *y1 = cm->ay, *x1 = cm->ax;
	}
}

void copy_selection(const struct copymode *cm, const struct grid *g, struct render_sel *out)
{
	memset(out, 0, sizeof *out);
	if (!cm->active || !cm->selecting)
		return;
	int y0, x0, y1, x1, off = grid_view_offset(g);
	ordered(cm, &y0, &x0, &y1, &x1);
	out->active = 1;
	out->r0 = y0 + off, out->c0 = x0, out->r1 = y1 + off, out->c1 = x1;
}

char *copy_text(struct grid *g, int y0, int x0, int y1, int x1)
{
	struct sbuf b = { 0 };
	int cols = grid_cols(g), sb = grid_sb_count(g);
	struct grid_cell *tmp = xcalloc((size_t)cols, sizeof *tmp);
	if (y0 < -sb)
		y0 = -sb, x0 = 0;
	if (y1 >= grid_rows(g))
		y1 = grid_rows(g) - 1, x1 = cols - 1;
	for (int y = y0; y <= y1; y++) {
		const struct grid_cell *cells;
		unsigned flags = 0;
		if (y < 0) {
			if (grid_sb_line(g, -y - 1, tmp, cols, &flags) < 0)
				continue;
			cells = tmp;
		} else {
			cells = grid_row(g, y);
			flags = grid_row_flags(g, y);
		}
		int a = y == y0 ? x0 : 0, z = y == y1 ? x1 : cols - 1;
		if (z >= cols)
			z = cols - 1;
		size_t line_start = b.len, keep = b.len;
		for (int x = a; x <= z; x++) {
			if (cells[x].flags & GRID_CELL_CONT)
				continue;
			uint32_t cp[GRID_MAX_CHARS];
			int n = grid_cell_chars(g, &cells[x], cp, GRID_MAX_CHARS);
			if (n <= 0) {
				sbuf_addc(&b, ' ');
				continue;
			}
			for (int i = 0; i < n; i++)
				sbuf_add_utf8(&b, cp[i]);
			keep = b.len;
		}
		(void)line_start;
		b.len = keep; /* drop trailing blanks */
		if (b.s)
			b.s[b.len] = 0;
		int wrapped = (flags & GRID_ROW_WRAPPED) && z == cols - 1;
		if (y < y1 && !wrapped)
			sbuf_addc(&b, '\n');
	}
	free(tmp);
	return sbuf_steal(&b);
}

char *copy_selected_text(const struct copymode *cm, struct grid *g)
{
	int y0, x0, y1, x1;
	ordered(cm, &y0, &x0, &y1, &x1);
	if (!cm->selecting)
		x0 = 0, x1 = grid_cols(g) - 1;
	return copy_text(g, y0, x0, y1, x1);
}

char *copy_osc52(const char *text, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct sbuf b = { 0 };
	sbuf_adds(&b, "\033]52;c;");
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		sbuf_addc(&b, b64[(v >> 18) & 63]);
		sbuf_addc(&b, b64[(v >> 12) & 63]);
		sbuf_addc(&b, i + 1 < len ? b64[(v >> 6) & 63] : '=');
		sbuf_addc(&b, i + 2 < len ? b64[v & 63] : '=');
	}
	sbuf_addc(&b, '\a');
	return sbuf_steal(&b);
}

enum copy_key_result copy_key(struct copymode *cm, struct grid *g, const struct keys_ev *ev)
{
	uint32_t c = ev->kind == KEYS_CHAR ? ev->cp : 0;
	int k = ev->kind == KEYS_SPECIAL ? ev->key : -1;
	if (c == 'q' || k == TERM_KEY_ESCAPE) {
		copy_leave(cm, g);
		return COPY_KEY_LEFT;
	}
	if (c == 'y' || k == TERM_KEY_ENTER)
		return COPY_KEY_COPY;
	if (c == 'k' || k == TERM_KEY_UP)
		copy_move(cm, g, -1, 0);
	else if (c == 'j' || k == TERM_KEY_DOWN)
		copy_move(cm, g, 1, 0);
	else if (c == 'h' || k == TERM_KEY_LEFT)
		copy_move(cm, g, 0, -1);
	else if (c == 'l' || k == TERM_KEY_RIGHT)
		copy_move(cm, g, 0, 1);
	else if (c == 2 || k == TERM_KEY_PAGEUP) /* C-b */
		copy_page(cm, g, 1);
	else if (c == 6 || k == TERM_KEY_PAGEDOWN) /* C-f */
		copy_page(cm, g, -1);
	else if (c == 'g')
		copy_goto(cm, g, -grid_sb_count(g), 0);
	else if (c == 'G')
		copy_goto(cm, g, grid_rows(g) - 1, 0);
	else if (c == '0' || k == TERM_KEY_HOME)
		copy_goto(cm, g, cm->cy, 0);
	else if (c == '$' || k == TERM_KEY_END)
		copy_goto(cm, g, cm->cy, grid_cols(g) - 1);
	else if (c == ' ' || c == 'v')
		copy_toggle_select(cm);
	else
		return COPY_KEY_IGNORED;
	return COPY_KEY_DONE;
}
