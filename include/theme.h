/* theme — every colour the dashboard draws, by role ("sidebar.title",
 * "task.running", "border.focus" ...): the built-in dark theme, JSON theme
 * files (themes/NAME.json) validated with file:line:col diagnostics, the
 * colour syntax (default, black..white, bright-black..bright-white, 0-255,
 * "#rrggbb"), and the curses attribute + pair of a role (colours mapped to
 * what the terminal has through color.h). Pure except theme_attr. */
#ifndef SHOAL_THEME_H
#define SHOAL_THEME_H

#include "color.h"
#include "diag.h"
#include "util.h"

enum theme_role {
	TH_NORMAL,
	TH_TITLE,        /* the sidebar's plan name */
	TH_WAVE,         /* wave headers */
	TH_WAVE_DONE,    /* a wave whose tasks are all merged or skipped */
	TH_BAR_MERGED,   /* progress bar segments */
	TH_BAR_DONE,
	TH_BAR_RUNNING,
	TH_BAR_EMPTY,
	TH_SELECTED,     /* the selected sidebar row */
	TH_DIM,          /* dependencies, elapsed time, secondary text */
	TH_WARN,         /* warnings: overlaps, territory */
	TH_ERROR,
	TH_ST_PENDING,   /* one role per task state group */
	TH_ST_RUNNING,
	TH_ST_IDLE,
	TH_ST_WAITING,
	TH_ST_DONE,
	TH_ST_FAILED,
	TH_ST_MERGED,
	TH_ST_SKIPPED,
	TH_BORDER,
	TH_BORDER_FOCUS,
	TH_BORDER_ATTN,
	TH_STATUS,       /* the status line */
	TH_STATUS_KEY,   /* key names in the status line and help */
	TH_STATUS_ERR,
	TH_DIFF_ADD,
	TH_DIFF_DEL,
	TH_DIFF_HUNK,
	TH_CRITICAL,     /* the critical path in the DAG view */
	TH_NROLES
};

struct theme_style {
	struct color fg, bg;
	unsigned attr; /* THEME_A_* */
};
enum { THEME_A_BOLD = 1, THEME_A_DIM = 2, THEME_A_UNDERLINE = 4, THEME_A_REVERSE = 8,
       THEME_A_ITALIC = 16 };

struct theme {
	char *name;
	struct theme_style s[TH_NROLES];
};

/* The role's key in theme files ("task.running"), and the role for a key
 * (-1 when unknown). */
const char *theme_role_name(enum theme_role r);
int theme_role_parse(const char *name);

/* The built-in dark theme (also the base every file starts from). */
void theme_default(struct theme *t);
void theme_free(struct theme *t);

/* Parses a colour: "default", "red", "bright-red", "8", "#ff8800". 0 or -1. */
int theme_color_parse(const char *s, struct color *c);
/* Formats a colour the way theme_color_parse reads it. */
void theme_color_format(const struct color *c, char *buf, size_t cap);

/* Loads a theme from JSON text: {"name": "...", "colors": {"ROLE":
 * {"fg": C, "bg": C, "bold": true, "dim": ..., "underline": ..., "reverse":
 * ..., "italic": ...} or "C" (fg only)}}; roles left out keep the dark
 * theme's style. Every problem goes to d. 0, or -1 with diagnostics. */
int theme_parse(struct theme *t, const char *path, const char *text, size_t len,
		struct diags *d);
/* Finds NAME (a path when it contains '/' or ends in .json, else
 * NAME.json in $XDG_CONFIG_HOME/shoal/themes, the install dir
 * (PREFIX/share/shoal/themes) and themes/ next to the binary) and loads it.
 * Diagnostics are printed into e's message. */
int theme_load(struct theme *t, const char *name, struct err *e);
/* The theme as JSON (every role), for `shoal config --print`. Caller frees. */
char *theme_to_json(const struct theme *t);

/* The curses attribute and colour pair of a role (needs color_init). */
void theme_attr(const struct theme *t, enum theme_role r, unsigned *attr, int *pair);
/* The style role for a task state. */
enum theme_role theme_state_role(int task_state);

#endif
