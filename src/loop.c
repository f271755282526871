/* loop — curses screen + poll loop for tiled panes (shoal exec). */
#include "loop.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "color.h"
#include "copymode.h"
#include "input.h"
#include "keys.h"
#include "pane.h"
#include "render.h"
#include "screen.h"

struct loop {
	struct pane *panes;
	int n;
	enum layout_mode mode;
	int zoom;  /* pane index, or -1 */
	int focus; /* pane index */
	struct input in;
	int quit;
	int too_small;
	int help;         /* help overlay shown */
	int overlay_dirty;
	WINDOW *helpwin;
	struct screen_keys keys; /* the key reader and its never-drawn window */
	char msg[160];    /* shown in the focused pane's bottom border */
	char *clip;       /* the copy buffer */
	int rr;           /* round-robin start */
	uint64_t last_frame;
	int cursor_shown;
	/* A key went to the focused pane and its echo is not drawn yet: the
	 * pane's next output is drawn at once (not at the next frame tick),
	 * and the other panes read small budgets until then. */
	int echo_wait;
	uint64_t echo_deadline;
	uint64_t last_beep;
	int keys_pending; /* read_keys() stopped with input possibly left in ncurses */
	size_t frame_bytes; /* read from all panes since the last frame */
	const struct loop_opts *o;
};

static int screen_start(struct loop *l, struct err *e)
{
	if (screen_open(&l->keys.inwin, "standard input and output must be a terminal", e) < 0)
		return -1;
	l->cursor_shown = 0;
	return 0;
}

static void screen_end(struct loop *l)
{
	if (l->helpwin)
		delwin(l->helpwin);
	screen_close(l->keys.inwin);
}

static void help_hide(struct loop *l);

/* ---- layout ---- */

static void relayout(struct loop *l)
{
	struct layout_pane *g = xcalloc((size_t)l->n, sizeof *g);
	struct rect area = { 0, 0, LINES, COLS };
	int r = layout_compute(l->n, area, l->mode, l->zoom, g);
	if (r < 0 && l->zoom < 0) { /* too small for all: show the focused one */
		r = layout_compute(l->n, area, l->mode, l->focus, g);
	}
	l->too_small = r < 0;
	if (!l->too_small)
		for (int i = 0; i < l->n; i++)
			pane_place(&l->panes[i], &g[i]);
	else
		for (int i = 0; i < l->n; i++) {
			struct layout_pane hidden = { 0 };
			pane_place(&l->panes[i], &hidden);
		}
	free(g);
	l->overlay_dirty = 1;
}

static void on_winch(struct loop *l)
{
	/* resizeterm() shrinks and grows windows that touch the screen's
	 * edges on its own: drop ours first and let relayout() make new ones. */
	for (int i = 0; i < l->n; i++)
		if (l->panes[i].win) {
			delwin(l->panes[i].win);
			l->panes[i].win = NULL;
		}
	if (l->help)
		help_hide(l);
	screen_resized(l->keys.inwin);
	relayout(l);
}

/* ---- focus ---- */

static void set_focus(struct loop *l, int i)
{
	if (i < 0 || i >= l->n || i == l->focus)
		return;
	struct pane *old = &l->panes[l->focus], *p = &l->panes[i];
	term_focus(old->term, 0);
	pane_flush(old);
	old->border_dirty = 1;
	l->focus = i;
	term_focus(p->term, 1);
	pane_flush(p);
	p->bell = 0;
	p->border_dirty = 1;
	if (l->zoom >= 0 && l->zoom != i) { /* follow focus while zoomed */
		l->zoom = i;
		relayout(l);
	}
}

static void set_msg(struct loop *l, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void set_msg(struct loop *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->msg, sizeof l->msg, fmt, ap);
	va_end(ap);
	l->panes[l->focus].border_dirty = 1;
}

static void clear_msg(struct loop *l)
{
	if (l->msg[0]) {
		l->msg[0] = 0;
		l->panes[l->focus].border_dirty = 1;
	}
}

/* ---- help ---- */

static void help_show(struct loop *l)
{
	int lines = input_nbindings - 8 + 4, width = 56;
	if (lines > LINES)
		lines = LINES;
	if (width > COLS)
		width = COLS;
	if (l->helpwin)
		delwin(l->helpwin);
	l->helpwin = newwin(lines, width, (LINES - lines) / 2, (COLS - width) / 2);
	if (!l->helpwin)
		return;
	WINDOW *w = l->helpwin;
	werase(w);
	char pk[16];
	keys_char_name((uint32_t)l->in.prefix, pk, sizeof pk);
	render_border(w, lines, width, RENDER_BORDER_FOCUS, "shoal exec · keys after the prefix", NULL,
		      "any key closes");
	int y = 1;
	mvwprintw(w, y++, 2, "%-8s %s", pk, "send the prefix to the pane");
	for (int i = 0; i < input_nbindings && y < lines - 1; i++) {
		const struct input_binding *b = &input_bindings[i];
		enum input_action a = input_action_parse(b->action);
		if (a == ACT_FOCUS_NUM) {
			if (b->arg == 1)
				mvwprintw(w, y++, 2, "%-8s focus pane N", "1-9");
		} else
			mvwprintw(w, y++, 2, "%-8s %s", b->keyname, input_action_help(a));
	}
	l->help = 1;
	l->overlay_dirty = 1;
}

static void help_hide(struct loop *l)
{
	l->help = 0;
	if (l->helpwin)
		delwin(l->helpwin);
	l->helpwin = NULL;
	for (int i = 0; i < l->n; i++)
		l->panes[i].redraw = 1;
	clearok(curscr, FALSE);
	l->overlay_dirty = 1;
}

/* ---- copy mode ---- */

static void copy_finish(struct loop *l, struct pane *p)
{
	struct grid *g = term_grid(p->term);
	char *text = copy_selected_text(&p->copy, g);
	free(l->clip);
	l->clip = text;
	size_t len = strlen(text);
	char *osc = copy_osc52(text, len);
	doupdate();
	screen_write(osc);
	free(osc);
	copy_leave(&p->copy, g);
	set_msg(l, "copied %zu bytes", len);
	p->redraw = 1;
}

/* Keys while the focused pane is in copy mode. */
static void loop_copy_key(struct loop *l, struct pane *p, const struct keys_ev *ev)
{
	if (copy_key(&p->copy, term_grid(p->term), ev) == COPY_KEY_COPY)
		copy_finish(l, p);
	else if (!p->copy.active)
		p->redraw = 1;
	pane_update_status(p);
}

/* ---- sending to the focused pane ---- */

static struct pane *focused(struct loop *l)
{
	return &l->panes[l->focus];
}

static void snap_live(struct pane *p)
{
	struct grid *g = term_grid(p->term);
	if (grid_view_offset(g) > 0) {
		grid_view_set(g, 0);
		pane_update_status(p);
	}
}

static void send_key(struct loop *l, const struct keys_ev *ev)
{
	struct pane *p = focused(l);
	if (p->pty.eof)
		return;
	snap_live(p);
	if (ev->kind == KEYS_CHAR)
		term_char(p->term, ev->cp, ev->mods);
	else if (ev->kind == KEYS_SPECIAL)
		term_key(p->term, (enum term_key)ev->key, ev->mods);
	pane_flush(p);
	l->echo_wait = 1;
	l->echo_deadline = util_now_ms() + LOOP_ECHO_MS;
}

static void run_action(struct loop *l, enum input_action a, int arg)
{
	struct pane *p = focused(l);
	switch (a) {
	case ACT_QUIT:
		l->quit = 1;
		break;
	case ACT_ZOOM:
		l->zoom = l->zoom >= 0 ? -1 : l->focus;
		relayout(l);
		break;
	case ACT_FOCUS_LEFT:
	case ACT_FOCUS_RIGHT:
	case ACT_FOCUS_UP:
	case ACT_FOCUS_DOWN: {
		if (l->zoom >= 0)
			break;
		int dy = a == ACT_FOCUS_UP ? -1 : a == ACT_FOCUS_DOWN ? 1 : 0;
		int dx = a == ACT_FOCUS_LEFT ? -1 : a == ACT_FOCUS_RIGHT ? 1 : 0;
		struct layout_pane *g = xcalloc((size_t)l->n, sizeof *g);
		for (int i = 0; i < l->n; i++)
			g[i] = l->panes[i].geom;
		int t = layout_neighbour(g, l->n, l->focus, dy, dx);
		free(g);
		if (t >= 0)
			set_focus(l, t);
		break;
	}
	case ACT_FOCUS_NUM:
		if (arg >= 1 && arg <= l->n)
			set_focus(l, arg - 1);
		else
			set_msg(l, "no pane %d", arg);
		break;
	case ACT_FOCUS_NEXT:
		set_focus(l, (l->focus + 1) % l->n);
		break;
	case ACT_NEXT_LAYOUT:
		l->mode = (enum layout_mode)((l->mode + 1) % LAYOUT_NMODES);
		l->zoom = -1;
		relayout(l);
		set_msg(l, "layout %s", layout_mode_name(l->mode));
		break;
	case ACT_COPY_MODE: {
		struct grid *g = term_grid(p->term);
		if (!p->copy.active)
			copy_enter(&p->copy, g);
		if (arg == 1)
			copy_page(&p->copy, g, 1);
		pane_update_status(p);
		break;
	}
	case ACT_PASTE:
		if (!l->clip || !*l->clip) {
			set_msg(l, "nothing copied yet (copy mode: prefix [)");
			break;
		}
		if (!p->pty.eof) {
			snap_live(p);
			term_paste(p->term, l->clip, strlen(l->clip));
			pane_flush(p);
		}
		break;
	case ACT_HELP:
		help_show(l);
		break;
	default:
		break;
	}
}

static void handle_key(struct loop *l, const struct keys_ev *ev)
{
	if (l->help) {
		help_hide(l);
		return;
	}
	struct pane *p = focused(l);
	enum input_action act;
	int arg;
	int was_armed = l->in.armed;
	enum input_result r = input_key(&l->in, ev, &act, &arg);
	clear_msg(l);
	switch (r) {
	case INPUT_PREFIX:
		p->border_dirty = 1;
		return;
	case INPUT_ACTION:
		p->border_dirty = 1;
		run_action(l, act, arg);
		return;
	case INPUT_UNBOUND: {
		char pk[16], kn[16];
		keys_char_name((uint32_t)l->in.prefix, pk, sizeof pk);
		if (ev->kind == KEYS_CHAR)
			keys_char_name(ev->cp, kn, sizeof kn);
		else
			snprintf(kn, sizeof kn, "that key");
		set_msg(l, "%s %s is not bound (%s ? for help)", pk, kn, pk);
		return;
	}
	case INPUT_FORWARD:
		break;
	}
	if (was_armed)
		p->border_dirty = 1;
	if (p->copy.active) {
		loop_copy_key(l, p, ev);
		return;
	}
	struct grid *g = term_grid(p->term);
	if (grid_view_offset(g) > 0 && !was_armed) { /* scrolled back by the wheel */
		int k = ev->kind == KEYS_SPECIAL ? ev->key : -1;
		int page = grid_rows(g) - 1 > 0 ? grid_rows(g) - 1 : 1;
		if (k == TERM_KEY_PAGEUP || k == TERM_KEY_PAGEDOWN) {
			grid_view_scroll(g, k == TERM_KEY_PAGEUP ? page : -page);
			pane_update_status(p);
			return;
		}
		if ((ev->kind == KEYS_CHAR && ev->cp == 'q') || k == TERM_KEY_ESCAPE) {
			snap_live(p);
			return;
		}
	}
	send_key(l, ev);
}

/* ---- mouse ---- */

static void handle_mouse(struct loop *l)
{
	MEVENT me;
	if (getmouse(&me) != OK || l->help)
		return;
	int idx = -1;
	for (int i = 0; i < l->n; i++)
		if (l->panes[i].geom.visible && layout_contains(l->panes[i].geom.outer, me.y, me.x))
			idx = i;
	if (idx < 0)
		return;
	struct pane *p = &l->panes[idx];
	mmask_t b = me.bstate;
	unsigned mods = (b & BUTTON_SHIFT ? TERM_MOD_SHIFT : 0) | (b & BUTTON_ALT ? TERM_MOD_ALT : 0) |
			(b & BUTTON_CTRL ? TERM_MOD_CTRL : 0);
	int press = b & (BUTTON1_PRESSED | BUTTON2_PRESSED | BUTTON3_PRESSED | BUTTON1_CLICKED);
	if (press && idx != l->focus)
		set_focus(l, idx);
	struct rect in = p->geom.inner;
	int inside = layout_contains(in, me.y, me.x);
	int row = me.y - in.y, col = me.x - in.x;
	if (inside && term_mouse_mode(p->term) != TERM_MOUSE_NONE && !p->copy.active &&
	    !p->pty.eof) {
		static const struct {
			mmask_t mask;
			int button, pressed;
		} map[] = {
			{ BUTTON1_PRESSED, 1, 1 }, { BUTTON1_RELEASED, 1, 0 }, { BUTTON2_PRESSED, 2, 1 },
			{ BUTTON2_RELEASED, 2, 0 }, { BUTTON3_PRESSED, 3, 1 }, { BUTTON3_RELEASED, 3, 0 },
			{ BUTTON4_PRESSED, 4, 1 }, { BUTTON5_PRESSED, 5, 1 },
		};
		snap_live(p);
		int any = 0;
		for (size_t i = 0; i < ARRAY_LEN(map); i++)
			if (b & map[i].mask) {
				term_mouse_button(p->term, row, col, map[i].button, map[i].pressed, mods);
				any = 1;
			}
		if (!any && (b & REPORT_MOUSE_POSITION))
			term_mouse_move(p->term, row, col, mods);
		pane_flush(p);
		return;
	}
	struct grid *g = term_grid(p->term);
	if ((b & (BUTTON4_PRESSED | BUTTON5_PRESSED)) && term_altscreen(p->term) && !p->copy.active &&
	    !p->pty.eof) {
		/* A full-screen program that did not ask for the mouse (less,
		 * man): the wheel becomes arrow keys, as in xterm and tmux. */
		enum term_key k = b & BUTTON4_PRESSED ? TERM_KEY_UP : TERM_KEY_DOWN;
		for (int i = 0; i < 3; i++)
			term_key(p->term, k, 0);
		pane_flush(p);
	} else if (b & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		int d = b & BUTTON4_PRESSED ? 3 : -3;
		if (p->copy.active)
			copy_move(&p->copy, g, -d, 0);
		else
			grid_view_scroll(g, d);
		pane_update_status(p);
	} else if ((b & BUTTON1_PRESSED) && p->copy.active && inside) {
		copy_goto(&p->copy, g, row - grid_view_offset(g), col);
	}
}

/* ---- keyboard ---- */

static void read_keys(struct loop *l)
{
	struct keys_ev ev;
	l->keys_pending = 0;
	for (int guard = 0; !l->quit; guard++) {
		if (guard == 4096) { /* ncurses may hold more: come back without polling */
			l->keys_pending = 1;
			break;
		}
		enum screen_key_kind k = screen_read_key(&l->keys, &ev);
		if (k == SCREEN_NONE)
			break;
		if (k == SCREEN_PASTE) {
			struct pane *p = focused(l);
			if (!p->pty.eof && l->keys.paste.len) {
				snap_live(p);
				term_paste(p->term, l->keys.paste.s, l->keys.paste.len);
				pane_flush(p);
			}
			l->keys.paste.len = 0;
		} else if (k == SCREEN_PASTE_DROPPED) {
			set_msg(l, "paste over %d MiB without an end: dropped", LOOP_PASTE_MAX >> 20);
		} else if (ev.kind == KEYS_MOUSE) {
			handle_mouse(l);
		} else {
			handle_key(l, &ev);
		}
	}
}

/* ---- signals ---- */

static void read_signals(struct loop *l)
{
	int sigs[64];
	int n = screen_signal_read(sigs, 64);
	int chld = 0, winch = 0;
	for (int i = 0; i < n; i++) {
		if (sigs[i] == SIGCHLD)
			chld = 1;
		else if (sigs[i] == SIGWINCH)
			winch = 1;
		else if (sigs[i] == SIGTERM || sigs[i] == SIGHUP)
			l->quit = 1;
	}
	if (chld)
		for (int i = 0; i < l->n; i++)
			if (pty_reap(&l->panes[i].pty))
				pane_update_status(&l->panes[i]);
	if (winch)
		on_winch(l);
}

/* ---- drawing ---- */

static int anything_dirty(struct loop *l)
{
	if (l->overlay_dirty)
		return 1;
	for (int i = 0; i < l->n; i++) {
		struct pane *p = &l->panes[i];
		if (!p->geom.visible)
			continue;
		if (p->redraw || p->border_dirty || grid_dirty(term_grid(p->term)) || p->copy.active)
			return 1;
	}
	return 0;
}

static void draw(struct loop *l, int only_focused)
{
	if (l->too_small) {
		werase(stdscr);
		mvaddstr(0, 0, "terminal too small");
		wnoutrefresh(stdscr);
	}
	char hint[200], pk[16];
	keys_char_name((uint32_t)l->in.prefix, pk, sizeof pk);
	if (l->msg[0])
		snprintf(hint, sizeof hint, "%s", l->msg);
	else if (l->in.armed)
		snprintf(hint, sizeof hint, "%s … (? help)", pk);
	else if (focused(l)->copy.active)
		snprintf(hint, sizeof hint, "copy: arrows/hjkl PgUp/PgDn g/G  Space select  Enter copy  q leave");
	else
		snprintf(hint, sizeof hint, "%s ? help", pk);
	for (int i = 0; i < l->n && !only_focused; i++)
		if (i != l->focus)
			pane_draw(&l->panes[i], 0, NULL);
	struct pane *p = focused(l);
	int y = 0, x = 0;
	int show = !l->help && pane_cursor(p, &y, &x);
	if (p->win) {
		pane_draw(p, 1, hint);
		if (show) {
			leaveok(p->win, FALSE);
			wmove(p->win, y - p->geom.outer.y, x - p->geom.outer.x);
			wnoutrefresh(p->win);
		} else {
			leaveok(p->win, TRUE);
		}
	}
	if (l->help && l->helpwin) {
		touchwin(l->helpwin);
		wnoutrefresh(l->helpwin);
	}
	if (show != l->cursor_shown) {
		curs_set(show ? 1 : 0);
		l->cursor_shown = show;
	}
	doupdate();
	if (show) /* the focused child's cursor shape (DECSCUSR), forwarded */
		screen_cursor_style(term_cursor_style(p->term));
	if (!only_focused)
		l->overlay_dirty = 0;
}

/* ---- the loop ---- */

static void after_read(struct loop *l, struct pane *p, int idx)
{
	if (term_title_changed(p->term))
		p->border_dirty = 1;
	if (term_bell(p->term) > 0) {
		if (idx != l->focus) { /* flagged in its border until focused */
			p->bell = 1;
			p->border_dirty = 1;
		} else if (util_now_ms() >= l->last_beep + 1000) { /* passed on, at most 1/s */
			beep();
			l->last_beep = util_now_ms();
		}
	}
	if (p->copy.active || grid_view_offset(term_grid(p->term)) > 0)
		pane_update_status(p);
	if (p->pty.eof)
		pane_update_status(p);
}

/* Frames come every LOOP_FRAME_MS, or every LOOP_FLOOD_FRAME_MS while the
 * panes pour out more than LOOP_FLOOD_BYTES between two frames: nobody reads
 * a flood at 60 frames a second, and drawing less leaves more for parsing. */
static unsigned frame_interval(const struct loop *l)
{
	return l->frame_bytes > LOOP_FLOOD_BYTES ? LOOP_FLOOD_FRAME_MS : LOOP_FRAME_MS;
}

static int stdin_ready(void)
{
	struct pollfd pf = { .fd = 0, .events = POLLIN };
	return poll(&pf, 1, 0) > 0;
}

/* Reads up to budget bytes from p in LOOP_READ_CHUNK pieces, stopping early
 * when the keyboard has something: a flood never delays a key by more than
 * one chunk. Returns 1 if it stopped for the keyboard. */
static int read_pane(struct loop *l, struct pane *p, int idx, size_t budget)
{
	size_t total = 0;
	int keys = 0;
	while (total < budget) {
		size_t want = budget - total < LOOP_READ_CHUNK ? budget - total : LOOP_READ_CHUNK;
		size_t n = pane_read(p, want);
		total += n;
		if (n < want)
			break;
		if (stdin_ready()) {
			keys = 1;
			break;
		}
	}
	l->frame_bytes += total;
	after_read(l, p, idx);
	return keys;
}

static void run(struct loop *l)
{
	struct pollfd *pf = xcalloc((size_t)l->n + 2, sizeof *pf);
	int *map = xcalloc((size_t)l->n + 2, sizeof *map);
	while (!l->quit) {
		int np = 0;
		pf[np++] = (struct pollfd){ .fd = 0, .events = POLLIN };
		pf[np++] = (struct pollfd){ .fd = screen_signal_fd(), .events = POLLIN };
		for (int i = 0; i < l->n; i++) {
			struct pane *p = &l->panes[i];
			if (p->pty.fd < 0 || p->pty.eof)
				continue;
			/* While an echo is awaited the others wait (bounded). */
			short ev = l->echo_wait && LOOP_ECHO_BUDGET == 0 && i != l->focus ? 0 : POLLIN;
			if (pane_wants_write(p))
				ev |= POLLOUT;
			map[np] = i;
			pf[np++] = (struct pollfd){ .fd = p->pty.fd, .events = ev };
		}
		int timeout = -1;
		if (l->echo_wait) { /* frames wait for the echo (a bounded while) */
			uint64_t now = util_now_ms();
			timeout = now >= l->echo_deadline ? 0 : (int)(l->echo_deadline - now);
		} else if (anything_dirty(l)) {
			uint64_t now = util_now_ms();
			uint64_t due = l->last_frame + frame_interval(l);
			timeout = now >= due ? 0 : (int)(due - now);
		}
		if (l->keys_pending)
			timeout = 0;
		int r = poll(pf, (nfds_t)np, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r == 0 && l->keys_pending)
			read_keys(l);
		if (r > 0) {
			if (pf[1].revents & POLLIN)
				read_signals(l);
			if ((pf[0].revents & POLLIN) || l->keys_pending)
				read_keys(l);
			if (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL))
				l->quit = 1;
			if (l->echo_wait && util_now_ms() > l->echo_deadline)
				l->echo_wait = 0;
			/* The focused pane first while an echo is awaited; its
			 * output is then drawn at once. */
			int keys_waiting = 0;
			for (int j = 2; j < np && l->echo_wait; j++) {
				if (map[j] != l->focus || !(pf[j].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				struct pane *p = &l->panes[map[j]];
				size_t got = pane_read(p, LOOP_READ_BUDGET);
				after_read(l, p, map[j]);
				if (got > 0) {
					if (!l->help && p->geom.visible)
						draw(l, 1);
					l->echo_wait = 0;
				}
				pf[j].revents &= ~(POLLIN | POLLHUP | POLLERR);
			}
			/* Panes, round-robin: each gets one budget per turn (a
			 * small one while an echo is awaited). */
			size_t budget = l->echo_wait ? LOOP_ECHO_BUDGET : LOOP_READ_BUDGET;
			int start = l->rr++ % (np > 2 ? np - 2 : 1);
			for (int k = 0; k < np - 2; k++) {
				int j = 2 + (start + k) % (np - 2);
				struct pane *p = &l->panes[map[j]];
				if (pf[j].revents & POLLOUT)
					pty_flush(&p->pty);
				if ((pf[j].revents & (POLLIN | POLLHUP | POLLERR)) && budget > 0) {
					if (keys_waiting) /* keys first: one chunk only */
						budget = LOOP_READ_CHUNK;
					keys_waiting |= read_pane(l, p, map[j], budget);
				}
			}
		} else if (r < 0) {
			read_signals(l);
		}
		if (l->echo_wait && util_now_ms() > l->echo_deadline)
			l->echo_wait = 0;
		if (!l->echo_wait && anything_dirty(l) &&
		    util_now_ms() >= l->last_frame + frame_interval(l) && !stdin_ready()) {
			draw(l, 0);
			l->last_frame = util_now_ms();
			l->frame_bytes = 0;
		}
	}
	free(pf);
	free(map);
}

int loop_exec(char **const *cmds, int n, const struct loop_opts *o, struct err *e)
{
	if (n < 1)
		return err_set(e, "no command to run");
	struct loop l;
	memset(&l, 0, sizeof l);
	l.n = n;
	l.mode = o->mode;
	l.zoom = -1;
	l.focus = o->focus >= 0 && o->focus < n ? o->focus : 0;
	l.o = o;
	input_init(&l.in, o->prefix);
	static const int sigs[] = { SIGCHLD, SIGWINCH, SIGTERM, SIGHUP };
	l.keys.paste_max = LOOP_PASTE_MAX;
	if (screen_signals(sigs, (int)ARRAY_LEN(sigs), e) < 0)
		return -1;
	if (screen_start(&l, e) < 0) {
		screen_signals_restore();
		return -1;
	}
	/* Sizes first, so every child starts with its real window size. */
	struct layout_pane *g = xcalloc((size_t)n, sizeof *g);
	struct rect area = { 0, 0, LINES, COLS };
	if (layout_compute(n, area, l.mode, -1, g) < 0)
		for (int i = 0; i < n; i++)
			g[i].inner = (struct rect){ 0, 0, LINES > 2 ? LINES - 2 : 1, COLS > 2 ? COLS - 2 : 1 };
	l.panes = xcalloc((size_t)n, sizeof *l.panes);
	int rc = 0;
	for (int i = 0; i < n; i++)
		if (pane_start(&l.panes[i], i + 1, cmds[i], o->cwd, NULL, g[i].inner.h, g[i].inner.w,
			       o->sb_lines, e) < 0) {
			rc = -1;
			l.n = i;
			break;
		}
	free(g);
	if (rc == 0) {
		relayout(&l);
		term_focus(l.panes[l.focus].term, 1);
		run(&l);
	}
	for (int i = 0; i < l.n; i++) {
		pty_kill(&l.panes[i].pty, SIGHUP);
		pane_free(&l.panes[i]);
	}
	free(l.panes);
	sbuf_free(&l.keys.paste);
	free(l.clip);
	screen_end(&l);
	screen_signals_restore();
	return rc;
}
