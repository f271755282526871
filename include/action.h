/* action — the dashboard's named commands as one plain data table (name,
 * default key, help, function), tmux/dvtm style: the key bindings, the help
 * view, the README's key table and `shoal config --print` all come from it.
 * A binding maps a key code (a character, or ACTION_KEY_SPECIAL + an enum
 * term_key) to an action; config files may rebind any action by name. */
#ifndef SHOAL_ACTION_H
#define SHOAL_ACTION_H

#include <stdint.h>

struct dash;

#define ACTION_KEY_SPECIAL 0x200000 /* + enum term_key */
#define ACTION_MAX_KEYS 4

enum {
	ACTION_DESTRUCTIVE = 1, /* asks first, saying exactly what it does */
	ACTION_NEEDS_TASK = 2,  /* applies to the selected task */
};

struct action {
	const char *name;  /* "next-wave" */
	int keys[ACTION_MAX_KEYS]; /* default keys (0-terminated) */
	const char *help;  /* one line */
	void (*fn)(struct dash *d, int arg, int confirmed);
	int arg;
	unsigned flags;
};

extern const struct action action_table[];
extern const int action_count;

/* The action called name, or -1. */
int action_find(const char *name);

/* The binding table in use: key code → action index (or -1). Starts from
 * the defaults; action_bind changes one key. */
struct action_keymap {
	int *key, *act;
	int n, cap;
};
void action_keymap_default(struct action_keymap *m);
void action_keymap_free(struct action_keymap *m);
/* Binds key to action act (-1 unbinds it). */
void action_bind(struct action_keymap *m, int key, int act);
/* The action bound to key, or -1. */
int action_lookup(const struct action_keymap *m, int key);
/* The keys bound to act, as text ("h, Left"), into buf. */
void action_keys_text(const struct action_keymap *m, int act, char *buf, int cap);

/* The name of a key code ("n", "Tab", "Left", "Space", "C-x") and the code
 * of a name (-1 when unknown). */
const char *action_key_name(int key, char *buf, int cap);
int action_key_parse(const char *name);

/* The help text, one line per action ("n            start the next wave"),
 * in table order, for a prefix named pk. Caller frees each line and the
 * array; returns the count. */
int action_help_lines(const struct action_keymap *m, const char *pk, char ***lines);

#endif
