/* loop — the screen of `shoal exec` and its event loop: the only poll() of
 * the process (keyboard, every pane's PTY read round-robin with a byte budget,
 * POLLOUT for queued writes, a self-pipe for SIGCHLD/SIGWINCH/SIGTERM/SIGHUP,
 * and a frame timer: at most one frame per LOOP_FRAME_MS with one doupdate(),
 * only when something changed; no timeout at all when nothing happens).
 * It also owns curses setup/teardown, the layout, focus, zoom, the prefix
 * key and its actions, mouse, paste, copy mode and the help overlay. */
#ifndef SHOAL_LOOP_H
#define SHOAL_LOOP_H

#include "layout.h"
#include "util.h"

#define LOOP_FRAME_MS 16
#define LOOP_FLOOD_FRAME_MS 33
#define LOOP_FLOOD_BYTES (256 * 1024)
/* Bytes read from one pane before the loop looks at the others and the
 * keyboard again. */
#define LOOP_READ_BUDGET (64 * 1024)
/* ... read in pieces of this size, looking at the keyboard in between: what
 * a pty read gives at most (the line discipline's buffer), so a key waits
 * for at most one such piece to be parsed (8 KiB: echo median ~10% higher
 * under a flood, throughput the same). */
#define LOOP_READ_CHUNK (4 * 1024)
/* After a key goes to the focused pane, for up to LOOP_ECHO_MS: that pane is
 * read first and its output drawn at once, the others read at most
 * LOOP_ECHO_BUDGET bytes per turn. */
#define LOOP_ECHO_MS 25
/* A bracketed paste from the outer terminal larger than this without its
 * end marker is dropped (and typing works again). */
#define LOOP_PASTE_MAX (16 << 20)
#define LOOP_ECHO_BUDGET 0

struct loop_opts {
	enum layout_mode mode;
	int focus;    /* 0-based pane that has the keyboard first */
	int sb_lines; /* scrollback lines per pane (< 0: default) */
	int prefix;   /* the prefix byte (7 = C-g) */
	const char *cwd;
};

/* Runs cmds[0..n-1] (each a NULL-terminated argv) in tiled panes until the
 * user quits or SIGTERM/SIGHUP arrives; restores the terminal. Returns 0, or
 * -1 with e filled when the screen or a PTY cannot be set up. */
int loop_exec(char **const *cmds, int n, const struct loop_opts *o, struct err *e);

#endif
