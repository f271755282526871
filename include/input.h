/* input — the prefix-key state machine and the binding table of exec mode.
 * A key press either goes to the focused pane, arms the prefix, or (after the
 * prefix) names an action. The table is plain data (key, action name, help);
 * the help screen is printed from it. Pure logic: no curses, no I/O. */
#ifndef SHOAL_INPUT_H
#define SHOAL_INPUT_H

#include "keys.h"

enum input_action {
	ACT_NONE,
	ACT_QUIT,
	ACT_ZOOM,
	ACT_FOCUS_LEFT,
	ACT_FOCUS_DOWN,
	ACT_FOCUS_UP,
	ACT_FOCUS_RIGHT,
	ACT_FOCUS_NUM, /* arg = pane number 1-9 */
	ACT_FOCUS_NEXT,
	ACT_NEXT_LAYOUT,
	ACT_COPY_MODE,
	ACT_PASTE,
	ACT_HELP,
	ACT_NACTIONS
};

/* A binding: after the prefix, `key` (a character, or a term special key
 * when special != 0) runs the action called `action`. */
struct input_binding {
	const char *keyname; /* as shown in help */
	int special;         /* 0: key is a character; 1: key is an enum term_key */
	int key;
	const char *action;  /* an action name, see input_action_name() */
	int arg;
};

extern const struct input_binding input_bindings[];
extern const int input_nbindings;

/* The action's name ("quit", "zoom", "focus-left" ...) and its description. */
const char *input_action_name(enum input_action a);
const char *input_action_help(enum input_action a);
/* The action called name, or ACT_NONE. */
enum input_action input_action_parse(const char *name);

enum input_result {
	INPUT_FORWARD, /* send the key to the focused pane */
	INPUT_PREFIX,  /* the prefix was pressed: wait for the next key */
	INPUT_ACTION,  /* run *act (with *arg) */
	INPUT_UNBOUND, /* prefix followed by a key with no binding */
};

struct input {
	int prefix; /* the prefix byte (default 7, C-g) */
	int armed;
};

void input_init(struct input *in, int prefix);
/* Feeds one key. After the prefix, the prefix again is forwarded (the child
 * gets it) and Esc cancels (INPUT_UNBOUND). */
enum input_result input_key(struct input *in, const struct keys_ev *ev, enum input_action *act,
			    int *arg);

#endif
