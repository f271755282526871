/* term — one terminal emulator per pane: libvterm 0.1.4's VTermState parses
 * the child's output (modes, charsets, replies) and drives our own grid
 * (include/grid.h); keys, mouse, paste and focus are encoded through
 * libvterm's keyboard and mouse API. Bytes the child must receive (replies
 * to queries, keys, mouse reports, pastes) collect in an output buffer that
 * the caller drains without blocking.
 *
 * Only src/term.c and src/term_feed.c (with include/term_int.h) include
 * vterm.h. Every 0.1.4 workaround from shared/notes/libvterm.md lives in
 * them: the feed carry buffer (split OSC/DCS,
 * CSI tails, lone ESC; APC/PM/SOS dropped), size clamps, the cursor guard
 * after a shrink, the mouse gate, the CSI-u key traps and paste filtering,
 * and dim (SGR 2/22) and conceal (SGR 8/28), which 0.1.4 lacks: the feed
 * scanner tracks them (SGR, RIS, DECSC/DECRC) and puts them in the grid
 * pen. */
#ifndef SHOAL_TERM_H
#define SHOAL_TERM_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"

struct term;

/* Modifier bits for term_key / term_char / term_mouse_*. */
enum {
	TERM_MOD_NONE = 0,
	TERM_MOD_SHIFT = 1,
	TERM_MOD_ALT = 2,
	TERM_MOD_CTRL = 4,
};

/* Special keys. Function keys are TERM_KEY_F(1..12). */
enum term_key {
	TERM_KEY_NONE = 0,
	TERM_KEY_ENTER,
	TERM_KEY_TAB,
	TERM_KEY_BACKSPACE,
	TERM_KEY_ESCAPE,
	TERM_KEY_UP,
	TERM_KEY_DOWN,
	TERM_KEY_LEFT,
	TERM_KEY_RIGHT,
	TERM_KEY_INS,
	TERM_KEY_DEL,
	TERM_KEY_HOME,
	TERM_KEY_END,
	TERM_KEY_PAGEUP,
	TERM_KEY_PAGEDOWN,
	TERM_KEY_KP_ENTER, /* keypad Enter: sent as Enter (see notes §8) */
	TERM_KEY_F0 = 0x100,
};
#define TERM_KEY_F(n) ((enum term_key)(TERM_KEY_F0 + (n)))

/* Mouse modes the child asked for (term_mouse_mode). */
enum { TERM_MOUSE_NONE = 0, TERM_MOUSE_CLICK, TERM_MOUSE_DRAG, TERM_MOUSE_MOVE };

/* Most bytes term_feed holds back waiting for the end of a string or
 * sequence; past it the tail is fed anyway. */
#define TERM_CARRY_MAX 4096

/* ---- life cycle ---- */

/* A terminal of rows x cols (clamped to >= 1) keeping scrollback_lines of
 * scrollback (< 0: GRID_SB_DEFAULT_LINES). Never NULL (allocation failure
 * aborts, util.h). */
struct term *term_new(int rows, int cols, int scrollback_lines);
void term_free(struct term *t);

/* Feeds bytes from the child. An unterminated OSC/DCS string, an incomplete
 * CSI/escape sequence or a lone ESC at the end is held back and completed by
 * the next feed; APC, PM and SOS strings are dropped (0.1.4 would print
 * them). Damage accumulates in the grid. */
void term_feed(struct term *t, const char *buf, size_t len);
/* Feeds whatever term_feed is holding back (e.g. at EOF). */
void term_flush(struct term *t);
/* Bytes currently held back by term_feed. */
size_t term_pending(const struct term *t);

/* Resizes (rows, cols clamped to >= 1; the same size is a no-op). Reflows
 * wrapped lines of the primary screen and scrollback, keeps the cursor on
 * its logical position and never leaves it off the screen. */
void term_resize(struct term *t, int rows, int cols);
void term_size(const struct term *t, int *rows, int *cols);

/* The grid to render from (cells, damage, cursor, scrollback, view). */
struct grid *term_grid(struct term *t);

/* ---- bytes for the child ---- */

/* The bytes waiting to be written to the child (*len of them; NULL/0 when
 * none). Write what you can without blocking, then consume that much. */
const char *term_output(const struct term *t, size_t *len);
void term_output_consume(struct term *t, size_t n);

/* ---- input from the user ---- */

/* Encodes a special key with modifiers (DECCKM/keypad modes honoured).
 * Ctrl+Backspace sends 0x08 (not 0.1.4's CSI-u). Returns 0, or -1 for a key
 * libvterm cannot encode (e.g. F13: map it to F1 + SHIFT first). */
int term_key(struct term *t, enum term_key key, unsigned mods);
/* Encodes a character with modifiers: Ctrl+letter gives the control byte
 * (uppercase letters are lowered first, avoiding 0.1.4's CSI-u), Alt
 * prefixes ESC. Returns 0, or -1 for an invalid code point. */
int term_char(struct term *t, uint32_t cp, unsigned mods);
/* Pastes UTF-8 text: ESC and other C0/C1 controls except \t \r \n are
 * stripped (so a pasted ESC[201~ cannot end the paste), invalid UTF-8 is
 * dropped; wrapped in ESC[200~ ... ESC[201~ when the child enabled
 * bracketed paste, otherwise \n becomes \r. */
void term_paste(struct term *t, const char *utf8, size_t len);
/* Mouse button press/release (button 1-3, 4/5 = wheel up/down) or motion at
 * pane-local (row, col). Forwarded in the child's chosen encoding only when
 * the child enabled mouse reporting: returns 1 if forwarded, 0 if the child
 * does not want the mouse (the caller may use the event itself). */
int term_mouse_button(struct term *t, int row, int col, int button, int pressed, unsigned mods);
int term_mouse_move(struct term *t, int row, int col, unsigned mods);
/* Focus in (1) / out (0): ESC[I / ESC[O if the child enabled ?1004. */
void term_focus(struct term *t, int in);

/* ---- properties ---- */

const char *term_title(const struct term *t);     /* OSC 0/2, "" if none */
const char *term_icon_name(const struct term *t); /* OSC 0/1, "" if none */
/* 1 if the title changed since the last call (then clears the flag). */
int term_title_changed(struct term *t);
/* Number of BELs since the last call (then resets it). */
int term_bell(struct term *t);
int term_altscreen(const struct term *t);
/* The cursor style the child asked for with DECSCUSR (CSI n SP q), as that
 * n: 1/2 blinking/steady block, 3/4 underline, 5/6 bar; 0 when it never
 * set one (the outer terminal's default). */
int term_cursor_style(const struct term *t);
int term_mouse_mode(const struct term *t);       /* TERM_MOUSE_* */
int term_bracketed_paste(const struct term *t);  /* 1 if the child set ?2004 */

/* Receives OSC strings libvterm does not handle itself (OSC 7, 8, 9, 133,
 * 777 ...): the whole payload including the number, e.g. "7;file://h/p",
 * not NUL-terminated. Called synchronously from term_feed. */
typedef void term_osc_fn(const char *payload, size_t len, void *user);
void term_set_osc_handler(struct term *t, term_osc_fn *fn, void *user);

#endif
