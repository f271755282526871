/* grid — the cells of one terminal: a primary and an alternate screen whose
 * rows are a ring of row pointers (a full-width scroll is a rotation plus
 * clearing one row), per-row damage for the renderer, the cursor and screen
 * properties, a compact scrollback ring with a line limit and a byte cap, a
 * scrolled-back view, and reflow of wrapped lines on resize.
 *
 * The grid knows nothing of libvterm: src/term.c (and term_feed.c) drive it from VTermState's
 * callbacks, and the renderer only reads it. Cells are plain values:
 * a code point (or an index into the grid's table of combined sequences),
 * a width, attributes and two colours. */
#ifndef SHOAL_GRID_H
#define SHOAL_GRID_H

#include <stddef.h>
#include <stdint.h>

/* Most code points one cell holds: a base character plus combining marks. */
#define GRID_MAX_CHARS 6

/* Colours are a uint32_t: the top byte says the kind, the rest the value.
 * DEFAULT means "the terminal's default foreground/background", INDEXED
 * carries a palette index 0-255 in the low byte, RGB carries 0xRRGGBB. */
#define GRID_COLOR_DEFAULT 0u
#define GRID_COLOR_KIND_INDEXED 1u
#define GRID_COLOR_KIND_RGB 2u
#define GRID_COLOR_INDEXED(i) ((GRID_COLOR_KIND_INDEXED << 24) | ((uint32_t)(i) & 0xffu))
#define GRID_COLOR_RGB(r, g, b)                                                 \
	((GRID_COLOR_KIND_RGB << 24) | (((uint32_t)(r) & 0xffu) << 16) |        \
	 (((uint32_t)(g) & 0xffu) << 8) | ((uint32_t)(b) & 0xffu))
static inline unsigned grid_color_kind(uint32_t c) { return c >> 24; } /* 0, 1 or 2 */
static inline unsigned grid_color_index(uint32_t c) { return c & 0xffu; }
static inline unsigned grid_color_r(uint32_t c) { return (c >> 16) & 0xffu; }
static inline unsigned grid_color_g(uint32_t c) { return (c >> 8) & 0xffu; }
static inline unsigned grid_color_b(uint32_t c) { return c & 0xffu; }

/* Attribute bits of a cell (grid_cell.attrs). */
#define GRID_ATTR_BOLD 0x0001u
#define GRID_ATTR_UNDERLINE_MASK 0x0006u /* 0 none, 1 single, 2 double, 3 curly */
#define GRID_ATTR_UNDERLINE_SHIFT 1
#define GRID_ATTR_ITALIC 0x0008u
#define GRID_ATTR_BLINK 0x0010u
#define GRID_ATTR_REVERSE 0x0020u
#define GRID_ATTR_STRIKE 0x0040u
#define GRID_ATTR_FONT_MASK 0x0780u /* alternative font 0-9 (SGR 10-19) */
#define GRID_ATTR_FONT_SHIFT 7
#define GRID_ATTR_DIM 0x0800u     /* SGR 2 (tracked by term_feed.c's scanner: 0.1.4 has no dim) */
#define GRID_ATTR_CONCEAL 0x1000u /* SGR 8 (likewise: no conceal in 0.1.4) */
static inline unsigned grid_attr_underline(uint16_t a)
{
	return (a & GRID_ATTR_UNDERLINE_MASK) >> GRID_ATTR_UNDERLINE_SHIFT;
}

/* Flag bits of a cell (grid_cell.flags). */
#define GRID_CELL_COMBINED 0x01u /* ch is an index into the combined table */
#define GRID_CELL_CONT 0x02u     /* right half of a wide character: skip it */
#define GRID_CELL_PROTECTED 0x04u /* DECSCA: survives selective erase */

/* One cell, 16 bytes. An erased cell has ch == 0 and keeps the pen it was
 * erased with (its background shows). For the right half of a wide
 * character, flags has GRID_CELL_CONT (and ch == 0, width 1): the renderer
 * skips it, because the left half (width 2) covers both columns.
 * Read the characters with grid_cell_chars(), never ch directly, because a
 * cell with combining marks stores an index there. */
struct grid_cell {
	uint32_t ch;
	uint32_t fg, bg;
	uint16_t attrs;
	uint8_t width; /* 1 or 2 */
	uint8_t flags;
};

/* Flag bits of a row. */
#define GRID_ROW_WRAPPED 0x01u /* the line continues on the next row (soft wrap) */
#define GRID_ROW_DWL 0x02u     /* DECDWL: double-width line */
#define GRID_ROW_DHL_TOP 0x04u /* DECDHL top half */
#define GRID_ROW_DHL_BOT 0x08u /* DECDHL bottom half */

/* Cursor shapes (grid_cursor.shape). */
enum { GRID_CURSOR_BLOCK = 1, GRID_CURSOR_UNDERLINE = 2, GRID_CURSOR_BAR = 3 };

struct grid_cursor {
	int row, col;  /* on the live screen, 0-based */
	int visible;   /* DECTCEM */
	int blink;
	int shape;     /* GRID_CURSOR_* */
};

/* The pen: what new glyphs and erased cells get. */
struct grid_pen {
	uint16_t attrs;
	uint32_t fg, bg;
	uint8_t protect; /* DECSCA */
};

struct grid;

/* Default scrollback limits: lines, and bytes of encoded lines per grid. */
#define GRID_SB_DEFAULT_LINES 10000
#define GRID_SB_DEFAULT_BYTES (32u << 20)

/* ---- life cycle ---- */

/* A grid of rows x cols (each clamped to >= 1), keeping at most sb_lines
 * scrollback lines (< 0: the default; 0: none). */
struct grid *grid_new(int rows, int cols, int sb_lines);
void grid_free(struct grid *g);
int grid_rows(const struct grid *g);
int grid_cols(const struct grid *g);
/* Sets the scrollback limits; evicts the oldest lines beyond them. */
void grid_sb_set_limits(struct grid *g, int max_lines, size_t max_bytes);

/* Resizes both screens (rows, cols clamped to >= 1). The primary screen and
 * the scrollback are reflowed when the width changes: soft-wrapped lines are
 * rejoined and wrapped again at the new width. When rows shrink, lines above
 * the cursor go to the scrollback; when they grow, lines come back from it
 * (primary screen only). *crow, *ccol is the cursor on the active screen:
 * it is moved to follow its logical position. Marks everything dirty. */
void grid_resize(struct grid *g, int rows, int cols, int *crow, int *ccol);

/* ---- reading (the renderer) ---- */

/* The cells of live row 0 <= row < rows of the active screen (cols cells).
 * Valid until the next call that changes the grid. */
const struct grid_cell *grid_row(const struct grid *g, int row);
/* Row flags (GRID_ROW_*) of live row `row`. */
unsigned grid_row_flags(const struct grid *g, int row);
/* The code points of a cell: the base character and its combining marks,
 * at most min(max, GRID_MAX_CHARS). Returns the count: 0 for an erased cell
 * or the right half of a wide character (draw a space / skip). */
int grid_cell_chars(const struct grid *g, const struct grid_cell *c, uint32_t *out, int max);
/* UTF-8 text of live row `row`, trailing blanks trimmed, erased cells inside
 * the line as spaces; always NUL-terminated. Returns the length (or the
 * length it would have had, like snprintf). */
size_t grid_row_text(const struct grid *g, int row, char *buf, size_t cap);

struct grid_cursor grid_cursor(const struct grid *g);
int grid_altscreen(const struct grid *g);   /* 1 while the alternate screen is shown */
int grid_reverse(const struct grid *g);     /* DECSCNM: whole screen reversed */

/* ---- damage ---- */

/* 1 if anything changed since the last grid_damage_clear(). */
int grid_dirty(const struct grid *g);
/* 1 if display row `row` changed; then [*col0, *col1) is the changed column
 * range (either pointer may be NULL). Display rows follow the view offset. */
int grid_damage(const struct grid *g, int row, int *col0, int *col1);
/* Forgets all damage (after a frame). */
void grid_damage_clear(struct grid *g);
/* Marks every row dirty (after a resize, or when a pane becomes visible). */
void grid_damage_all(struct grid *g);

/* ---- scrollback and the view ---- */

int grid_sb_count(const struct grid *g);   /* lines held */
size_t grid_sb_bytes(const struct grid *g); /* bytes used by the encoded lines */
/* Decodes scrollback line n (0 = the most recent) into out[0..ncols),
 * padding with blank cells. Returns the line's own length in cells (may be
 * more than ncols: the rest is cut), or -1 if n is out of range. *flags
 * (if not NULL) gets GRID_ROW_WRAPPED when the line continues on the next.
 * Combining marks are entered in g's combined table (hence not const). */
int grid_sb_line(struct grid *g, int n, struct grid_cell *out, int ncols, unsigned *flags);
/* UTF-8 text of scrollback line n, like grid_row_text. */
size_t grid_sb_text(struct grid *g, int n, char *buf, size_t cap);
/* Drops the whole scrollback (ED 3). */
void grid_sb_clear(struct grid *g);

/* The view: how many lines the display is scrolled back (0 = live).
 * Clamped to [0, grid_sb_count()]; always 0 on the alternate screen. While
 * scrolled back, new scrollback lines keep the view anchored on the same
 * text. Changing it marks everything dirty. */
int grid_view_offset(const struct grid *g);
void grid_view_set(struct grid *g, int offset);
void grid_view_scroll(struct grid *g, int delta); /* > 0: further back */
/* The cells of display row `row` (0 <= row < rows) at the current view:
 * scrollback lines first, then live rows. Valid until the next call. */
const struct grid_cell *grid_view_row(struct grid *g, int row);

/* Checks the grid's internal invariants (blank tails, whole wide pairs,
 * cursor on the screen); for tests and fuzzing. Returns 0, or -1 with a
 * description in why. */
int grid_check(const struct grid *g, char *why, size_t whylen);

/* ---- writing (src/term.c) ---- */

void grid_set_pen(struct grid *g, const struct grid_pen *pen);
const struct grid_pen *grid_pen(const struct grid *g);
/* Puts a glyph (base + combining, n <= GRID_MAX_CHARS code points) of width
 * 1 or 2 at (row, col) with the current pen. A wide glyph also writes the
 * continuation cell. Overwriting half of a wide glyph blanks the other half. */
void grid_put(struct grid *g, int row, int col, const uint32_t *chars, int n, int width);
/* Puts n narrow printable ASCII characters s[0..n) at (row, col..col+n)
 * with the current pen, like n grid_put() calls (cut at the right edge). */
void grid_put_ascii(struct grid *g, int row, int col, const char *s, int n);
/* Erases [row0,row1) x [col0,col1) with the pen; selective keeps protected
 * cells. */
void grid_erase(struct grid *g, int row0, int row1, int col0, int col1, int selective);
/* Scrolls the rectangle [row0,row1) x [col0,col1) by `down` rows (> 0: the
 * content moves up, like a line feed at the bottom) and `right` columns
 * (> 0: content moves left, like DCH), erasing what is uncovered with the
 * pen. A full-width scroll up of a region starting at row 0 on the primary
 * screen pushes the lines that leave the top to the scrollback. */
void grid_scroll(struct grid *g, int row0, int row1, int col0, int col1, int down, int right);
/* Sets row flags bits in mask to the values in val (GRID_ROW_*). */
void grid_set_row_flags(struct grid *g, int row, unsigned mask, unsigned val);
void grid_set_cursor(struct grid *g, const struct grid_cursor *c);
/* The same for position and visibility only (the hot path). */
void grid_move_cursor(struct grid *g, int row, int col, int visible);
/* Switches to the alternate screen (1) or back (0). The alternate screen is
 * not cleared here (the terminal erases it on entry). */
void grid_set_altscreen(struct grid *g, int alt);
void grid_set_reverse(struct grid *g, int reverse);

#endif
