/* input — prefix key and exec-mode bindings. */
#include "input.h"

#include <string.h>

#include "term.h"
#include "util.h"

static const struct {
	const char *name, *help;
} actions[ACT_NACTIONS] = {
	[ACT_NONE] = { "none", "nothing" },
	[ACT_QUIT] = { "quit", "quit (the children get SIGHUP)" },
	[ACT_ZOOM] = { "zoom", "zoom / unzoom the focused pane" },
	[ACT_FOCUS_LEFT] = { "focus-left", "focus the pane to the left" },
	[ACT_FOCUS_DOWN] = { "focus-down", "focus the pane below" },
	[ACT_FOCUS_UP] = { "focus-up", "focus the pane above" },
	[ACT_FOCUS_RIGHT] = { "focus-right", "focus the pane to the right" },
	[ACT_FOCUS_NUM] = { "focus", "focus pane N" },
	[ACT_FOCUS_NEXT] = { "focus-next", "focus the next pane" },
	[ACT_NEXT_LAYOUT] = { "next-layout", "next layout (grid, main)" },
	[ACT_COPY_MODE] = { "copy-mode", "scrollback / copy mode" },
	[ACT_PASTE] = { "paste", "paste the last copied text into the pane" },
	[ACT_HELP] = { "help", "this help" },
};

const struct input_binding input_bindings[] = {
	{ "q", 0, 'q', "quit", 0 },
	{ "z", 0, 'z', "zoom", 0 },
	{ "Left", 1, TERM_KEY_LEFT, "focus-left", 0 },
	{ "Down", 1, TERM_KEY_DOWN, "focus-down", 0 },
	{ "Up", 1, TERM_KEY_UP, "focus-up", 0 },
	{ "Right", 1, TERM_KEY_RIGHT, "focus-right", 0 },
	{ "h", 0, 'h', "focus-left", 0 },
	{ "j", 0, 'j', "focus-down", 0 },
	{ "k", 0, 'k', "focus-up", 0 },
	{ "l", 0, 'l', "focus-right", 0 },
	{ "1", 0, '1', "focus", 1 },
	{ "2", 0, '2', "focus", 2 },
	{ "3", 0, '3', "focus", 3 },
	{ "4", 0, '4', "focus", 4 },
	{ "5", 0, '5', "focus", 5 },
	{ "6", 0, '6', "focus", 6 },
	{ "7", 0, '7', "focus", 7 },
	{ "8", 0, '8', "focus", 8 },
	{ "9", 0, '9', "focus", 9 },
	{ "o", 0, 'o', "focus-next", 0 },
	{ "Space", 0, ' ', "next-layout", 0 },
	{ "[", 0, '[', "copy-mode", 0 },
	{ "PgUp", 1, TERM_KEY_PAGEUP, "copy-mode", 1 }, /* and one page up */
	{ "]", 0, ']', "paste", 0 },
	{ "?", 0, '?', "help", 0 },
};
const int input_nbindings = (int)ARRAY_LEN(input_bindings);

const char *input_action_name(enum input_action a)
{
	return (unsigned)a < ACT_NACTIONS ? actions[a].name : "?";
}

const char *input_action_help(enum input_action a)
{
	return (unsigned)a < ACT_NACTIONS ? actions[a].help : "?";
}

enum input_action input_action_parse(const char *name)
{
	for (int i = 0; i < ACT_NACTIONS; i++)
		if (strcmp(actions[i].name, name) == 0)
			return (enum input_action)i;
	return ACT_NONE;
}

void input_init(struct input *in, int prefix)
{
	in->prefix = prefix;
	in->armed = 0;
}

static int is_prefix(const struct input *in, const struct keys_ev *ev)
{
	if (ev->mods & TERM_MOD_ALT)
		return 0;
	if (ev->kind == KEYS_CHAR)
		return (int)ev->cp == in->prefix;
	/* C-i, C-m, C-[ and DEL arrive as special keys. */
	if (ev->kind == KEYS_SPECIAL && !ev->mods)
		return (ev->key == TERM_KEY_TAB && in->prefix == 9) ||
		       (ev->key == TERM_KEY_ENTER && in->prefix == 13) ||
		       (ev->key == TERM_KEY_ESCAPE && in->prefix == 27);
	return 0;
}

enum input_result input_key(struct input *in, const struct keys_ev *ev, enum input_action *act,
			    int *arg)
{
	*act = ACT_NONE;
	*arg = 0;
	if (ev->kind != KEYS_CHAR && ev->kind != KEYS_SPECIAL)
		return INPUT_FORWARD;
	if (!in->armed) {
		if (is_prefix(in, ev)) {
			in->armed = 1;
			return INPUT_PREFIX;
		}
		return INPUT_FORWARD;
	}
	in->armed = 0;
	if (is_prefix(in, ev))
		return INPUT_FORWARD;
	for (int i = 0; i < input_nbindings; i++) {
		const struct input_binding *b = &input_bindings[i];
		int match = b->special ? ev->kind == KEYS_SPECIAL && ev->key == b->key && !ev->mods
				       : ev->kind == KEYS_CHAR && (int)ev->cp == b->key &&
						 !(ev->mods & TERM_MOD_ALT);
		if (match) {
			*act = input_action_parse(b->action);
			*arg = b->arg;
			return *act == ACT_NONE ? INPUT_UNBOUND : INPUT_ACTION;
		}
	}
	return INPUT_UNBOUND;
}
