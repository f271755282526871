/* keys — ncurses key codes → term key events; key names. */
#include "keys.h"

#include <curses.h> /* also declares tigetstr: ncurses' <term.h> is shadowed by ours */
#include <stdio.h>
#include <string.h>

#include "term.h"
#include "util.h"

struct fixed {
	int code;
	int key;
	unsigned mods;
};

static const struct fixed fixed_keys[] = {
	{ KEY_UP, TERM_KEY_UP, 0 },
	{ KEY_DOWN, TERM_KEY_DOWN, 0 },
	{ KEY_LEFT, TERM_KEY_LEFT, 0 },
	{ KEY_RIGHT, TERM_KEY_RIGHT, 0 },
	{ KEY_SR, TERM_KEY_UP, TERM_MOD_SHIFT },
	{ KEY_SF, TERM_KEY_DOWN, TERM_MOD_SHIFT },
	{ KEY_SLEFT, TERM_KEY_LEFT, TERM_MOD_SHIFT },
	{ KEY_SRIGHT, TERM_KEY_RIGHT, TERM_MOD_SHIFT },
	{ KEY_HOME, TERM_KEY_HOME, 0 },
	{ KEY_END, TERM_KEY_END, 0 },
	{ KEY_SHOME, TERM_KEY_HOME, TERM_MOD_SHIFT },
	{ KEY_SEND, TERM_KEY_END, TERM_MOD_SHIFT },
	{ KEY_IC, TERM_KEY_INS, 0 },
	{ KEY_DC, TERM_KEY_DEL, 0 },
	{ KEY_SIC, TERM_KEY_INS, TERM_MOD_SHIFT },
	{ KEY_SDC, TERM_KEY_DEL, TERM_MOD_SHIFT },
	{ KEY_PPAGE, TERM_KEY_PAGEUP, 0 },
	{ KEY_NPAGE, TERM_KEY_PAGEDOWN, 0 },
	{ KEY_SPREVIOUS, TERM_KEY_PAGEUP, TERM_MOD_SHIFT },
	{ KEY_SNEXT, TERM_KEY_PAGEDOWN, TERM_MOD_SHIFT },
	{ KEY_BTAB, TERM_KEY_TAB, TERM_MOD_SHIFT },
	{ KEY_BACKSPACE, TERM_KEY_BACKSPACE, 0 },
	{ KEY_ENTER, TERM_KEY_ENTER, 0 },
	{ KEY_B2, TERM_KEY_NONE, 0 },
};

/* Run-time codes: xterm's modified keys kXXXn, n = modifier + 1. */
static const struct {
	const char *cap;
	int key;
} dyn_names[] = {
	{ "kUP", TERM_KEY_UP },     { "kDN", TERM_KEY_DOWN },  { "kLFT", TERM_KEY_LEFT },
	{ "kRIT", TERM_KEY_RIGHT }, { "kHOM", TERM_KEY_HOME }, { "kEND", TERM_KEY_END },
	{ "kIC", TERM_KEY_INS },    { "kDC", TERM_KEY_DEL },   { "kPRV", TERM_KEY_PAGEUP },
	{ "kNXT", TERM_KEY_PAGEDOWN },
};

#define DYN_MAX 96
static struct fixed dyn[DYN_MAX];
static int ndyn;

void keys_init(void)
{
	ndyn = 0;
	for (size_t i = 0; i < ARRAY_LEN(dyn_names); i++)
		for (int m = 2; m <= 8; m++) {
			char cap[16];
			snprintf(cap, sizeof cap, "%s%d", dyn_names[i].cap, m);
			char *s = tigetstr(cap);
			if (!s || s == (char *)-1)
				continue;
			int code = key_defined(s);
			if (code <= 0 || ndyn >= DYN_MAX)
				continue;
			dyn[ndyn++] = (struct fixed){ code, dyn_names[i].key, (unsigned)(m - 1) };
		}
	define_key("\033[200~", KEYS_CODE_PASTE_BEGIN);
	define_key("\033[201~", KEYS_CODE_PASTE_END);
}

struct keys_ev keys_translate(int is_func, uint32_t code)
{
	struct keys_ev ev = { .kind = KEYS_NONE };
	if (!is_func) {
		switch (code) {
		case '\r':
		case '\n':
			ev.kind = KEYS_SPECIAL, ev.key = TERM_KEY_ENTER;
			break;
		case '\t':
			ev.kind = KEYS_SPECIAL, ev.key = TERM_KEY_TAB;
			break;
		case 127:
			ev.kind = KEYS_SPECIAL, ev.key = TERM_KEY_BACKSPACE;
			break;
		case 27:
			ev.kind = KEYS_SPECIAL, ev.key = TERM_KEY_ESCAPE;
			break;
		default:
			ev.kind = KEYS_CHAR, ev.cp = code;
		}
		return ev;
	}
	int c = (int)code;
	if (c == KEY_MOUSE) {
		ev.kind = KEYS_MOUSE;
		return ev;
	}
	if (c == KEY_RESIZE) {
		ev.kind = KEYS_RESIZE;
		return ev;
	}
	if (c == KEYS_CODE_PASTE_BEGIN) {
		ev.kind = KEYS_PASTE_BEGIN;
		return ev;
	}
	if (c == KEYS_CODE_PASTE_END) {
		ev.kind = KEYS_PASTE_END;
		return ev;
	}
	if (c >= KEY_F(1) && c <= KEY_F(63)) {
		/* xterm: F13-24 = Shift, 25-36 = Ctrl, 37-48 = Ctrl+Shift,
		 * 49-60 = Alt, 61-63 = Alt+Shift. */
		static const unsigned bank_mods[] = {
			0, TERM_MOD_SHIFT, TERM_MOD_CTRL, TERM_MOD_CTRL | TERM_MOD_SHIFT,
			TERM_MOD_ALT, TERM_MOD_ALT | TERM_MOD_SHIFT,
		};
		int n = c - KEY_F(1); /* 0-based */
		ev.kind = KEYS_SPECIAL;
		ev.key = TERM_KEY_F(n % 12 + 1);
		ev.mods = bank_mods[n / 12];
		return ev;
	}
	for (size_t i = 0; i < ARRAY_LEN(fixed_keys); i++)
		if (fixed_keys[i].code == c) {
			if (fixed_keys[i].key != TERM_KEY_NONE)
				ev.kind = KEYS_SPECIAL;
			ev.key = fixed_keys[i].key;
			ev.mods = fixed_keys[i].mods;
			return ev;
		}
	for (int i = 0; i < ndyn; i++)
		if (dyn[i].code == c) {
			ev.kind = KEYS_SPECIAL;
			ev.key = dyn[i].key;
			ev.mods = dyn[i].mods;
			return ev;
		}
	return ev;
}

struct keys_ev keys_alt(struct keys_ev ev)
{
	if (ev.kind == KEYS_CHAR || ev.kind == KEYS_SPECIAL)
		ev.mods |= TERM_MOD_ALT;
	return ev;
}

int keys_parse_prefix(const char *name)
{
	if (!name)
		return -1;
	size_t n = strlen(name);
	int c = -1;
	if (n == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-')
		c = (unsigned char)name[2];
	else if (n == 2 && name[0] == '^')
		c = (unsigned char)name[1];
	if (c < 0)
		return -1;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 1;
	if (c >= '@' && c <= '_') /* C-@ C-A..C-Z C-[ C-\ C-] C-^ C-_ */
		return c - '@';
	if (c == ' ')
		return 0;
	return -1;
}

const char *keys_char_name(uint32_t cp, char *buf, int cap)
{
	if (cp == ' ')
		snprintf(buf, (size_t)cap, "Space");
	else if (cp == 27)
		snprintf(buf, (size_t)cap, "Esc");
	else if (cp == 0)
		snprintf(buf, (size_t)cap, "C-Space");
	else if (cp < 32)
		snprintf(buf, (size_t)cap, "C-%c", (char)(cp + 96 <= 'z' ? cp + 96 : cp + 64));
	else if (cp == 127)
		snprintf(buf, (size_t)cap, "BSpace");
	else if (cp < 128)
		snprintf(buf, (size_t)cap, "%c", (char)cp);
	else
		snprintf(buf, (size_t)cap, "U+%04X", (unsigned)cp);
	return buf;
}
