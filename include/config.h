/* config — the user's settings: $XDG_CONFIG_HOME/shoal/config.json (or
 * ~/.config/shoal/config.json, or $SHOAL_CONFIG): prefix key, key bindings
 * (action name → key, see action.h), theme, agent profiles (added to every
 * plan's, as plan_load_opts.extra_profiles), idle threshold, scrollback
 * lines, bell and desktop notifications. Validated like plans, with
 * file:line:col diagnostics (jsonx.h, diag.h). A missing file is not an
 * error: the defaults apply. */
#ifndef SHOAL_CONFIG_H
#define SHOAL_CONFIG_H

#include "diag.h"
#include "plan.h"
#include "util.h"

struct dash_opts;

struct config_binding {
	char *action;
	int key; /* action.h key code, or -1 = unbound */
};

struct config {
	char *path;        /* the file read, or NULL when none */
	int prefix;        /* byte, default 7 (C-g) */
	char *theme;       /* NULL = "dark" (built in) */
	int bell;          /* default 1 */
	int notify;        /* default 0 */
	int idle_after;    /* seconds, 0 = the plan's */
	int scrollback;    /* lines, -1 = default */
	struct config_binding *bindings;
	int nbindings;
	struct plan_profile *profiles;
	int nprofiles;
};

void config_init(struct config *c);
void config_free(struct config *c);
/* Parses text (from path, for messages) into c (initialised first). Every
 * problem is added to d; 0, or -1 if there was any. */
int config_parse(struct config *c, const char *path, const char *text, size_t len,
		 struct diags *d);
/* The config file's path: $SHOAL_CONFIG, $XDG_CONFIG_HOME/shoal/config.json
 * or $HOME/.config/shoal/config.json. Caller frees. */
char *config_default_path(void);
/* Loads path (NULL: the default path; a missing default file gives the
 * defaults). -1 with the diagnostics, one per line, in e. */
int config_load(struct config *c, const char *path, struct err *e);
/* The effective configuration as JSON (defaults filled in, every binding
 * listed), for `shoal config --print`. Caller frees. */
char *config_to_json(const struct config *c);

/* Applies c to dashboard options / plan loading options (borrowing c). */
void config_dash_opts(const struct config *c, struct dash_opts *o);
void config_plan_opts(const struct config *c, struct plan_load_opts *lo);

#endif
