/* dash — the dashboard: `shoal [PLAN]` over the runner (runner.h). One poll()
 * loop (keyboard, the runner's fds, a self-pipe for SIGWINCH/SIGTERM/SIGHUP,
 * a frame timer of at most one frame per DASH_FRAME_MS, sleeping without
 * timeout when nothing happens); the screen: a sidebar (sidebar.h), the
 * running tasks' terminals tiled (layout.h, render.h) and paged when more
 * run than fit, a status line, full-area views (help, DAG, changes, event
 * log, merge preview) and confirmations. Keys go to the focused agent
 * unless they follow the prefix or the sidebar has focus; then they name an
 * action (action.h). This header is the dashboard's internal interface,
 * shared by dash.c, action.c and views.c. */
#ifndef SHOAL_DASH_H
#define SHOAL_DASH_H

#include <curses.h>
#include <stdint.h>

#include "action.h"
#include "copymode.h"
#include "keys.h"
#include "layout.h"
#include "plan.h"
#include "runner.h"
#include "screen.h"
#include "theme.h"
#include "util.h"

#define DASH_FRAME_MS 16
#define DASH_TICK_MS 1000       /* sidebar clock (elapsed times) while agents run */
#define DASH_MIN_PANE_W 20      /* smallest tile, border included */
#define DASH_MIN_PANE_H 6
#define DASH_LOG_MAX 1000       /* event log lines kept */
#define DASH_MAX_TILES 64

struct config_binding;

struct dash_opts {
	const char *theme;      /* name or path; NULL: config or "dark" */
	int prefix;             /* prefix byte (7 = C-g) */
	int scrollback;         /* lines per agent (<0: default) */
	int bell;               /* ring the bell on attention */
	int notify;             /* notify-send on attention, when present */
	int idle_after;         /* seconds; > 0 replaces the plan's default */
	const struct config_binding *bindings; /* config.h: rebindings, applied in order */
	int nbindings;
};

enum dash_view { VIEW_NONE, VIEW_HELP, VIEW_DAG, VIEW_CHANGES, VIEW_LOG, VIEW_MERGE };

/* A line of a view: text and its style role. */
/* A line of a view: text in one role, or (runs != NULL) split into runs of
 * len bytes, each in its own role (the drawn DAG). */
struct view_run {
	int len;
	enum theme_role role;
};
struct view_line {
	char *text;
	enum theme_role role;
	struct view_run *runs;
	int nruns;
};

struct dash_tile {
	int task;
	WINDOW *win;
	struct layout_pane geom;
	int redraw;
	int drawn_state; /* task state + attention the border shows (-1: none yet) */
};

/* What a confirmation does when accepted. */
enum confirm_kind { CONFIRM_NONE, CONFIRM_ACTION, CONFIRM_QUIT };

struct dash {
	struct runner *r;
	struct orch *o;
	const struct plan *p;
	struct theme th;
	struct action_keymap km;
	struct dash_opts opt;
	/* selection and focus */
	int sel;            /* selected task (sidebar row) */
	int sidebar_focus;  /* keys go to the sidebar (bare action keys) */
	int sidebar_on;
	int sbw;            /* sidebar width in use (0 = hidden) */
	int armed;          /* the prefix was pressed */
	int zoom;           /* the focused (selected) task's pane fills the area */
	enum layout_mode mode;
	int page;           /* page of panes shown */
	int npages;
	/* panes */
	struct dash_tile tiles[DASH_MAX_TILES];
	int ntiles;
	int *shown;         /* task indices that have a pane, in plan order */
	int nshown;
	struct copymode *copy; /* per task */
	unsigned char *bell;   /* per task: rang while not focused */
	unsigned char *attn_seen; /* per task: attention already announced */
	/* windows */
	WINDOW *sidewin, *statwin, *viewwin;
	struct screen_keys keys; /* the key reader (and its never-drawn window) */
	struct rect area;   /* where panes and views go */
	/* views */
	enum dash_view view;
	struct view_line *vl;
	int nvl;
	int vscroll;
	int vhscroll; /* columns scrolled to the right */
	char vtitle[128];
	/* confirmation */
	enum confirm_kind confirm;
	int confirm_act;    /* index into action_table */
	int confirm_task;
	char confirm_text[512];
	/* messages and the event log */
	char msg[512];
	int msg_err;
	char **log;
	int nlog, log_start; /* ring */
	/* loop */
	int quit;
	int dirty_all, side_dirty, stat_dirty;
	uint64_t last_frame, last_tick;
	int cursor_shown;
	char *clip;
	int sb_top;          /* first sidebar row shown */
};

/* Opens the dashboard on plan p in repository repo (main worktree root)
 * until the operator quits; restores the terminal. 0, or -1 with e. */
int dash_run(struct plan *p, const char *repo, const struct dash_opts *o, struct err *e);

/* ---- for action.c and views.c ---- */

void dash_msg(struct dash *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
void dash_error(struct dash *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Selects task i (and focuses its pane when it has one). */
void dash_select(struct dash *d, int i);
/* The task actions apply to: the selection. -1 when none. */
int dash_target(struct dash *d);
/* Recomputes which tasks have panes and where (after a change). */
void dash_relayout(struct dash *d);
/* Opens a view with lines (taken over), or closes it (VIEW_NONE). */
void dash_view_open(struct dash *d, enum dash_view v, const char *title, struct view_line *vl,
		    int n);
void dash_view_close(struct dash *d);
/* Asks "text (y/n)"; accepted, action act runs again with confirmed = 1. */
void dash_ask(struct dash *d, int act, int task, const char *fmt, ...) PRINTF_LIKE(4, 5);
/* Appends a line to the event log. */
void dash_log(struct dash *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* A task needing attention (waiting, failed, conflict, invalid). */
int dash_task_attention(const struct dash *d, int i);
enum task_state dash_task_state(const struct dash *d, int i);

#endif
