/* dash — the dashboard: `shoal [PLAN]` over the runner (runner.h). One poll()
 * loop (keyboard, the runner's fds, a self-pipe for SIGWINCH/SIGTERM/SIGHUP,
 * a frame timer of at most one frame per DASH_FRAME_MS, sleeping without
 * timeout when nothing happens); the screen: a sidebar (sidebar.h), the
 * running tasks' terminals tiled (layout.h, render.h) and paged when more
 * run than fit, a status line, full-area views (help, DAG, event log:
 * views.h; changes and merge previews, computed on the git worker:
 * views_git.h; the merge report: mreport.h; the plan reload) and
 * confirmations. Keys go to the focused agent unless they follow the prefix
 * or the sidebar has focus; then they name an action (action.h). The plan
 * can be reloaded live (dash_replan). This header is the dashboard's
 * internal interface, shared by dash*.c, action.c, views*.c and mreport.c
 * (dash_int.h: between dash.c, dash_draw.c and dash_input.c). */
#ifndef SHOAL_DASH_H
#define SHOAL_DASH_H

#include <curses.h>
#include <stdint.h>

#include "action.h"
#include "copymode.h"
#include "keys.h"
#include "layout.h"
#include "mreport.h"
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
#define DASH_SCAN_MS 3000       /* changed files / overlaps refreshed at most this often */

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
	const struct plan_load_opts *plan_opts; /* how the plan was loaded (reload: the same) */
};

enum dash_view { VIEW_NONE, VIEW_HELP, VIEW_DAG, VIEW_CHANGES, VIEW_LOG, VIEW_MERGE, VIEW_RELOAD,
		VIEW_REPORT };

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

/* A task's changes as the last background scan saw them (views_scan). */
struct dash_scan {
	int nfiles;    /* changed files, committed or not */
	unsigned warn; /* SB_WARN_OVERLAP | SB_WARN_TERRITORY (sidebar.h) */
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
	struct dash_scan *scan;   /* per task: changed files and warnings */
	unsigned scan_job;        /* the scan under way (0: none) */
	int scan_want;            /* a task changed state: scan again soon */
	uint64_t last_scan;       /* when the last scan was asked for (ms) */
	uint64_t scan_ms;         /* how long the last one took */
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
	unsigned vjob;      /* the git job computing the view's lines (0: none) */
	int vjob_act;       /* the action its question confirms (-1: none) */
	int vjob_task;
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
	struct mreport mr;     /* the last merge sequence */
	/* plan reload */
	struct plan *reload;   /* loaded and shown, waiting for the confirmation */
	struct plan **plans;   /* plans loaded by reloads (the current one may be
			        * among them), freed at exit: nothing keeps a
			        * pointer into a plan past that */
	int nplans;
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
/* Replaces the open view's lines (taken over), keeping the view and title. */
void dash_view_replace(struct dash *d, struct view_line *vl, int n);
/* Asks "text (y/n)"; accepted, action act runs again with confirmed = 1. */
void dash_ask(struct dash *d, int act, int task, const char *fmt, ...) PRINTF_LIKE(4, 5);
/* Switches the live run to plan np (runner_replan) and remaps the
 * dashboard's per-task data; np is kept until exit. 0, or -1 with e. */
int dash_replan(struct dash *d, struct plan *np, struct err *e);
/* Appends a line to the event log. */
void dash_log(struct dash *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* A task needing attention (waiting, failed, conflict, invalid). */
int dash_task_attention(const struct dash *d, int i);
enum task_state dash_task_state(const struct dash *d, int i);

#endif
