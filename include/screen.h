/* screen — what the two full-screen UIs (shoal exec's loop and the
 * dashboard) share: the curses screen's setup and teardown (raw keys,
 * colours, mouse with drags, bracketed paste, a never-drawn window to read
 * keys from), the outer terminal's new size after SIGWINCH, signals through
 * a self-pipe, raw writes to the terminal, and reading key events (ESC + key
 * = Alt + key; bracketed pastes collected). */
#ifndef SHOAL_SCREEN_H
#define SHOAL_SCREEN_H

#include <curses.h>

#include "keys.h"
#include "util.h"

/* Sets up curses on the terminal. -1 with e when stdin/stdout is not a
 * terminal (needs_tty says what to use instead) or curses cannot start. */
int screen_open(WINDOW **inwin, const char *needs_tty, struct err *e);
void screen_close(WINDOW *inwin);
/* After SIGWINCH: asks the terminal its size, resizes curses and keeps the
 * key window 1x1 at (0,0). Delete windows that touch the edges first. */
void screen_resized(WINDOW *inwin);
/* Writes s to the terminal at once (mode sequences, OSC 52). */
void screen_write(const char *s);
/* Sets the outer terminal's cursor style (DECSCUSR n, 0 = its default)
 * when it differs from the last one set; screen_close restores 0. */
void screen_cursor_style(int style);

/* Routes sigs[0..n) to a non-blocking self-pipe (SIGPIPE is ignored);
 * screen_signal_fd() is its read end; screen_signal_read() drains it,
 * returning how many signal numbers it stored in out (at most cap). */
int screen_signals(const int *sigs, int n, struct err *e);
int screen_signal_fd(void);
int screen_signal_read(int *out, int cap);
void screen_signals_restore(void);

/* The reader of key events. */
struct screen_keys {
	WINDOW *inwin;
	int pasting;       /* inside ESC[200~ ... ESC[201~ */
	struct sbuf paste; /* the paste so far (UTF-8; Enter as \r, Tab as \t) */
	size_t paste_max;  /* beyond this without the end marker, the paste is dropped */
	struct keys_ev queued;
	int has_queued;
};
enum screen_key_kind {
	SCREEN_NONE,       /* nothing more to read now */
	SCREEN_KEY,        /* *ev is a key (KEYS_CHAR / KEYS_SPECIAL / KEYS_MOUSE ...) */
	SCREEN_PASTE,      /* a whole paste is in sk->paste (caller resets len) */
	SCREEN_PASTE_DROPPED, /* a paste passed paste_max without its end */
};
/* Reads the next event without blocking. */
enum screen_key_kind screen_read_key(struct screen_keys *sk, struct keys_ev *ev);

#endif
