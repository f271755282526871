/* screen — curses setup, signals, key reading shared by the UIs. */
#include "screen.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "color.h"
#include "term.h"

void screen_write(const char *s)
{
	fflush(stdout);
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = write(1, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		s += w;
		n -= (size_t)w;
	}
}

static SCREEN *scr;

int screen_open(WINDOW **inwin, const char *needs_tty, struct err *e)
{
	if (!isatty(0) || !isatty(1))
		return err_set(e, "%s", needs_tty);
	setlocale(LC_ALL, "");
	/* newterm, not initscr: initscr exits the process on an unknown TERM. */
	const char *term = getenv("TERM");
	if (!term || !*term)
		return err_set(e, "TERM is not set");
	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return err_set(e, "cannot use the terminal: no terminfo entry for TERM=%s", term);
	set_term(scr);
	raw();
	noecho();
	nonl();
	set_escdelay(25);
	typeahead(-1);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	color_init();
	curs_set(0);
	*inwin = newwin(1, 1, 0, 0);
	keypad(*inwin, TRUE);
	nodelay(*inwin, TRUE);
	untouchwin(*inwin);
	keys_init();
	mousemask(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION, NULL);
	mouseinterval(0);
	/* ncurses 6.4 flushes its output after every cursor movement (one
	 * write(2) per row drawn) until the screen has been through endwin()
	 * and back: its _endwin stays "initial" after newterm. One round trip
	 * here makes a frame one write instead of fifty. */
	endwin();
	doupdate();
	screen_write("\033[?1002h\033[?2004h");
	return 0;
}

static int cursor_style; /* the DECSCUSR the outer terminal has from us */

void screen_cursor_style(int style)
{
	if (style < 0 || style > 6 || style == cursor_style)
		return;
	char seq[16];
	snprintf(seq, sizeof seq, "\033[%d q", style);
	screen_write(seq);
	cursor_style = style;
}

void screen_close(WINDOW *inwin)
{
	screen_cursor_style(0);
	if (inwin)
		delwin(inwin);
	screen_write("\033[?2004l\033[?1002l");
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	if (scr)
		delscreen(scr);
	scr = NULL;
}

void screen_resized(WINDOW *inwin)
{
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	/* The key window touched both edges of a 1x1 screen and may have been
	 * grown with it; wget_wch() would then paint it blank over everything. */
	wresize(inwin, 1, 1);
	mvwin(inwin, 0, 0);
	untouchwin(inwin);
	clearok(curscr, TRUE);
}

/* ---- signals ---- */

static int sig_pipe[2] = { -1, -1 };
static int sig_list[16];
static int sig_n;

static void on_signal(int s)
{
	int saved = errno;
	unsigned char b = (unsigned char)s;
	(void)!write(sig_pipe[1], &b, 1);
	errno = saved;
}

int screen_signals(const int *sigs, int n, struct err *e)
{
	if (pipe(sig_pipe) < 0)
		return err_set(e, "pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sig_n = 0;
	for (int i = 0; i < n && sig_n < (int)ARRAY_LEN(sig_list); i++) {
		sigaction(sigs[i], &sa, NULL);
		sig_list[sig_n++] = sigs[i];
	}
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int screen_signal_fd(void)
{
	return sig_pipe[0];
}

int screen_signal_read(int *out, int cap)
{
	unsigned char buf[64];
	ssize_t n;
	int k = 0;
	while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (k < cap)
				out[k++] = buf[i];
	return k;
}

void screen_signals_restore(void)
{
	for (int i = 0; i < sig_n; i++)
		signal(sig_list[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sig_n = 0;
	for (int i = 0; i < 2; i++)
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

/* ---- keys ---- */

static void paste_char(struct sbuf *b, const struct keys_ev *ev)
{
	uint32_t cp;
	if (ev->kind == KEYS_CHAR)
		cp = ev->cp;
	else if (ev->kind == KEYS_SPECIAL && ev->key == TERM_KEY_ENTER)
		cp = '\r';
	else if (ev->kind == KEYS_SPECIAL && ev->key == TERM_KEY_TAB)
		cp = '\t';
	else
		return;
	sbuf_add_utf8(b, cp);
}

enum screen_key_kind screen_read_key(struct screen_keys *sk, struct keys_ev *ev)
{
	for (int guard = 0; guard < (1 << 26); guard++) {
		if (sk->has_queued) {
			sk->has_queued = 0;
			*ev = sk->queued;
		} else {
			wint_t wc;
			int r = wget_wch(sk->inwin, &wc);
			if (r == ERR)
				return SCREEN_NONE;
			*ev = keys_translate(r == KEY_CODE_YES, (uint32_t)wc);
		}
		if (sk->pasting) {
			if (ev->kind == KEYS_PASTE_END) {
				sk->pasting = 0;
				return SCREEN_PASTE;
			}
			paste_char(&sk->paste, ev);
			if (sk->paste_max && sk->paste.len > sk->paste_max) {
				sk->pasting = 0;
				sk->paste.len = 0;
				return SCREEN_PASTE_DROPPED;
			}
			continue;
		}
		if (ev->kind == KEYS_SPECIAL && ev->key == TERM_KEY_ESCAPE && !ev->mods) {
			/* ESC + key = Alt+key */
			wint_t wc2;
			int r2 = wget_wch(sk->inwin, &wc2);
			if (r2 != ERR) {
				struct keys_ev ev2 = keys_translate(r2 == KEY_CODE_YES, (uint32_t)wc2);
				if (ev2.kind == KEYS_CHAR || ev2.kind == KEYS_SPECIAL) {
					*ev = keys_alt(ev2);
				} else {
					sk->queued = ev2; /* the ESC now, the other next */
					sk->has_queued = 1;
				}
			}
		}
		if (ev->kind == KEYS_PASTE_BEGIN) {
			sk->pasting = 1;
			sk->paste.len = 0;
			continue;
		}
		if (ev->kind == KEYS_PASTE_END || ev->kind == KEYS_RESIZE || ev->kind == KEYS_NONE)
			continue;
		return SCREEN_KEY;
	}
	return SCREEN_NONE;
}
