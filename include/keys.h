/* keys — what the outer terminal sends (ncurses key codes and characters)
 * translated into terminal key events (include/term.h): the translation
 * table, the run-time kUP5-style codes, bracketed-paste markers, and the
 * names of keys ("C-g", "Up", "F5") for the binding table and help. */
#ifndef SHOAL_KEYS_H
#define SHOAL_KEYS_H

#include <stdint.h>

enum keys_kind {
	KEYS_NONE,        /* nothing to send (unknown function key) */
	KEYS_CHAR,        /* cp with mods */
	KEYS_SPECIAL,     /* key (enum term_key) with mods */
	KEYS_MOUSE,       /* KEY_MOUSE: call getmouse() */
	KEYS_RESIZE,      /* KEY_RESIZE */
	KEYS_PASTE_BEGIN, /* ESC[200~ from the outer terminal */
	KEYS_PASTE_END,   /* ESC[201~ */
};

struct keys_ev {
	enum keys_kind kind;
	uint32_t cp;   /* KEYS_CHAR */
	int key;       /* KEYS_SPECIAL: enum term_key */
	unsigned mods; /* TERM_MOD_* */
};

/* Codes given to the paste markers with define_key (above KEY_MAX). */
#define KEYS_CODE_PASTE_BEGIN (KEY_MAX + 1)
#define KEYS_CODE_PASTE_END (KEY_MAX + 2)

/* Builds the table of run-time key codes (kUP3..kUP7, kDN*, kLFT*, ...:
 * looked up with tigetstr + key_defined) and defines the paste markers.
 * Needs an initialised curses screen. */
void keys_init(void);

/* Translates what wget_wch returned: is_func is 1 for KEY_CODE_YES (a
 * function key code), 0 for a character. Alt is not handled here (an ESC
 * followed by a character: see keys_alt). */
struct keys_ev keys_translate(int is_func, uint32_t code);
/* The event for ESC followed by ev (Alt+key): adds TERM_MOD_ALT. */
struct keys_ev keys_alt(struct keys_ev ev);

/* Parses a key name for the prefix: "C-g", "^g", "C-]", "M-x" is refused
 * (the prefix must be one byte). Returns the byte, or -1. */
int keys_parse_prefix(const char *name);
/* The name of a character key for messages and help: "C-g", "q", "Space". */
const char *keys_char_name(uint32_t cp, char *buf, int cap);

#endif
