/* dash_input — the dashboard's keyboard and mouse (see dash.h): the prefix
 * state machine, keys to the focused agent or to actions (action.h),
 * confirmations, view scrolling, copy mode keys, pastes, clicks and the
 * wheel. */
#include "dash_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "sidebar.h"
#include "views.h"

/* ---- keys ---- */

static int key_code(const struct keys_ev *ev)
{
	if (ev->kind == KEYS_CHAR && !(ev->mods & TERM_MOD_ALT))
		return (int)ev->cp;
	if (ev->kind == KEYS_SPECIAL && !ev->mods)
		return ACTION_KEY_SPECIAL + ev->key;
	return -1;
}

void dash_run_action(struct dash *d, int act, int confirmed)
{
	if (act < 0 || act >= action_count)
		return;
	const struct action *a = &action_table[act];
	if (d->view != VIEW_NONE && a->fn != NULL && strcmp(a->name, "help") && !confirmed &&
	    strcmp(a->name, "merge") && strcmp(a->name, "merge-wave"))
		dash_view_close(d);
	a->fn(d, a->arg, confirmed);
	d->stat_dirty = d->side_dirty = 1;
}

static void send_to_agent(struct dash *d, const struct keys_ev *ev)
{
	int i = d->sel;
	struct term *t = runner_term(d->r, i);
	if (!t || !runner_task_alive(d->r, i)) {
		dash_msg(d, "%s has no running agent (Tab: sidebar keys; ? help)", d->p->tasks[i].id);
		return;
	}
	struct grid *g = term_grid(t);
	if (grid_view_offset(g) > 0) {
		grid_view_set(g, 0);
		d->dirty_all = 1;
	}
	struct err e;
	if (ev->kind == KEYS_CHAR)
		runner_send_char(d->r, i, ev->cp, ev->mods, &e);
	else if (ev->kind == KEYS_SPECIAL)
		runner_send_key(d->r, i, (enum term_key)ev->key, ev->mods, &e);
}

static void dash_copy_key(struct dash *d, int i, const struct keys_ev *ev)
{
	struct copymode *cm = &d->copy[i];
	struct grid *g = term_grid(runner_term(d->r, i));
	if (copy_key(cm, g, ev) == COPY_KEY_COPY) {
		char *text = copy_selected_text(cm, g);
		free(d->clip);
		d->clip = text;
		char *osc = copy_osc52(text, strlen(text));
		doupdate();
		screen_write(osc);
		free(osc);
		copy_leave(cm, g);
		dash_msg(d, "copied %zu bytes", strlen(text));
	}
	d->dirty_all = 1;
}

static void view_key(struct dash *d, const struct keys_ev *ev)
{
	uint32_t c = ev->kind == KEYS_CHAR ? ev->cp : 0;
	int k = ev->kind == KEYS_SPECIAL ? ev->key : -1;
	int page = d->area.h - 3 > 1 ? d->area.h - 3 : 1;
	if (c == 'q' || k == TERM_KEY_ESCAPE)
		dash_view_close(d);
	else if (c == 'j' || k == TERM_KEY_DOWN || k == TERM_KEY_ENTER)
		d->vscroll++;
	else if (c == 'k' || k == TERM_KEY_UP)
		d->vscroll--;
	else if (k == TERM_KEY_PAGEDOWN || c == ' ' || c == 6)
		d->vscroll += page;
	else if (k == TERM_KEY_PAGEUP || c == 2)
		d->vscroll -= page;
	else if (c == 'G' || k == TERM_KEY_END)
		d->vscroll = d->nvl;
	else if (k == TERM_KEY_HOME)
		d->vscroll = 0, d->vhscroll = 0;
	else if (c == 'h' || k == TERM_KEY_LEFT)
		d->vhscroll = d->vhscroll > 8 ? d->vhscroll - 8 : 0;
	else if (c == 'l' || k == TERM_KEY_RIGHT)
		d->vhscroll += 8;
	else {
		int act = action_lookup(&d->km, key_code(ev));
		if (act >= 0) {
			int same = (d->view == VIEW_HELP && !strcmp(action_table[act].name, "help")) ||
				   (d->view == VIEW_DAG && !strcmp(action_table[act].name, "dag")) ||
				   (d->view == VIEW_LOG && !strcmp(action_table[act].name, "events")) ||
				   (d->view == VIEW_CHANGES && !strcmp(action_table[act].name, "changes")) ||
				   (d->view == VIEW_REPORT && !strcmp(action_table[act].name, "merge-report"));
			dash_view_close(d);
			if (!same)
				dash_run_action(d, act, 0);
		}
	}
	if (d->vscroll < 0)
		d->vscroll = 0;
	d->dirty_all = 1;
}

static void handle_key(struct dash *d, const struct keys_ev *ev)
{
	int code = key_code(ev);
	if (d->msg[0] && !d->confirm) {
		d->msg[0] = 0;
		d->stat_dirty = 1;
	}
	if (d->confirm) {
		if (code == 'y' || code == 'Y' || code == ACTION_KEY_SPECIAL + TERM_KEY_ENTER) {
			int act = d->confirm_act, task = d->confirm_task;
			d->confirm = CONFIRM_NONE;
			d->dirty_all = 1;
			if (task >= 0)
				d->sel = task;
			dash_run_action(d, act, 1);
		} else if (code == 'n' || code == 'N' || code == 'q' ||
			   code == ACTION_KEY_SPECIAL + TERM_KEY_ESCAPE || code == d->opt.prefix) {
			d->confirm = CONFIRM_NONE;
			if (d->view == VIEW_MERGE || d->view == VIEW_RELOAD)
				dash_view_close(d);
			if (d->reload) { /* the plan shown is not applied */
				plan_free(d->reload);
				d->reload = NULL;
			}
			dash_msg(d, "cancelled");
			d->dirty_all = 1;
		}
		return;
	}
	if (d->armed) {
		d->armed = 0;
		d->dirty_all = 1;
		if (code == d->opt.prefix) { /* prefix twice: to the agent */
			send_to_agent(d, ev);
			return;
		}
		if (code == ACTION_KEY_SPECIAL + TERM_KEY_ESCAPE)
			return;
		int act = action_lookup(&d->km, code);
		if (act < 0) {
			char kn[24], pk[16];
			keys_char_name((uint32_t)d->opt.prefix, pk, sizeof pk);
			action_key_name(code, kn, sizeof kn);
			dash_error(d, "%s %s is not bound (%s ? for help)", pk, code < 0 ? "that key" : kn, pk);
			return;
		}
		if (d->view != VIEW_NONE) {
			view_key(d, ev);
			return;
		}
		dash_run_action(d, act, 0);
		return;
	}
	if (code == d->opt.prefix) {
		d->armed = 1;
		d->dirty_all = 1;
		return;
	}
	if (d->view != VIEW_NONE) {
		view_key(d, ev);
		return;
	}
	int i = d->sel;
	int pane_keys = !d->sidebar_focus && dash_tile_of(d, i) >= 0;
	if (pane_keys && d->copy[i].active) {
		dash_copy_key(d, i, ev);
		return;
	}
	if (pane_keys && runner_task_alive(d->r, i)) {
		struct term *t = runner_term(d->r, i);
		struct grid *g = term_grid(t);
		int k = ev->kind == KEYS_SPECIAL ? ev->key : -1;
		if (grid_view_offset(g) > 0 && (k == TERM_KEY_PAGEUP || k == TERM_KEY_PAGEDOWN)) {
			int page = grid_rows(g) - 1 > 0 ? grid_rows(g) - 1 : 1;
			grid_view_scroll(g, k == TERM_KEY_PAGEUP ? page : -page);
			d->dirty_all = 1;
			return;
		}
		send_to_agent(d, ev);
		return;
	}
	/* the sidebar has the keys (or the pane's agent is gone) */
	if (d->sidebar_focus && code == ACTION_KEY_SPECIAL + TERM_KEY_ENTER) {
		if (dash_has_pane(d, i)) {
			d->sidebar_focus = 0;
			dash_select(d, i);
			d->dirty_all = 1;
		} else
			dash_msg(d, "%s has no pane (s starts it)", d->p->tasks[i].id);
		return;
	}
	int act = action_lookup(&d->km, code);
	if (act >= 0)
		dash_run_action(d, act, 0);
	else if (code >= 0) {
		char kn[24];
		dash_error(d, "%s is not bound (? for help)", action_key_name(code, kn, sizeof kn));
	}
}

static void handle_mouse(struct dash *d)
{
	MEVENT me;
	if (getmouse(&me) != OK || d->confirm)
		return;
	mmask_t b = me.bstate;
	int press = b & (BUTTON1_PRESSED | BUTTON1_CLICKED);
	int wheel = b & (BUTTON4_PRESSED | BUTTON5_PRESSED);
	if (d->view != VIEW_NONE) {
		if (wheel)
			d->vscroll += b & BUTTON4_PRESSED ? -3 : 3;
		if (d->vscroll < 0)
			d->vscroll = 0;
		d->dirty_all = 1;
		return;
	}
	if (d->sbw && me.x < d->sbw && me.y < d->area.h) {
		if (press) { /* which row? rebuild the row list to find it */
			struct sidebar_task *st = xcalloc((size_t)d->p->ntasks + 1, sizeof *st);
			dash_snapshot(d, st);
			struct sidebar_row *rows;
			int n = sidebar_build(d->p, st, d->sbw - 2, task_now_ms(), &rows);
			int k = d->sb_top + me.y;
			if (k < n && rows[k].kind == SB_ROW_TASK) {
				d->sidebar_focus = 1;
				dash_select(d, rows[k].task);
			}
			free(rows);
			free(st);
		} else if (wheel) {
			dash_select(d, views_sidebar_step(d, d->sel, b & BUTTON4_PRESSED ? -1 : 1));
		}
		d->side_dirty = 1;
		return;
	}
	for (int k = 0; k < d->ntiles; k++) {
		struct dash_tile *t = &d->tiles[k];
		if (!layout_contains(t->geom.outer, me.y, me.x))
			continue;
		struct term *tm = runner_term(d->r, t->task);
		struct rect in = t->geom.inner;
		int inside = layout_contains(in, me.y, me.x);
		if (press && (t->task != d->sel || d->sidebar_focus)) {
			d->sidebar_focus = 0;
			dash_select(d, t->task);
		}
		if (inside && tm && term_mouse_mode(tm) != TERM_MOUSE_NONE &&
		    runner_task_alive(d->r, t->task) && !d->copy[t->task].active) {
			int row = me.y - in.y, col = me.x - in.x;
			if (b & BUTTON1_PRESSED)
				term_mouse_button(tm, row, col, 1, 1, 0);
			if (b & BUTTON1_RELEASED)
				term_mouse_button(tm, row, col, 1, 0, 0);
			if (b & BUTTON4_PRESSED)
				term_mouse_button(tm, row, col, 4, 1, 0);
			if (b & BUTTON5_PRESSED)
				term_mouse_button(tm, row, col, 5, 1, 0);
			runner_term_input(d->r, t->task);
		} else if (wheel && tm) {
			int dl = b & BUTTON4_PRESSED ? 3 : -3;
			if (d->copy[t->task].active)
				copy_move(&d->copy[t->task], term_grid(tm), -dl, 0);
			else
				grid_view_scroll(term_grid(tm), dl);
			t->redraw = 1;
		}
		d->dirty_all = 1;
		return;
	}
}

void dash_read_keys(struct dash *d)
{
	struct keys_ev ev;
	enum screen_key_kind k;
	for (int guard = 0; guard < 4096 && !d->quit; guard++) {
		k = screen_read_key(&d->keys, &ev);
		if (k == SCREEN_NONE)
			break;
		if (k == SCREEN_PASTE) {
			int i = d->sel;
			if (d->keys.paste.len && runner_task_alive(d->r, i) && !d->sidebar_focus &&
			    d->view == VIEW_NONE && !d->confirm) {
				struct err e;
				runner_paste(d->r, i, d->keys.paste.s, d->keys.paste.len, &e);
			}
			d->keys.paste.len = 0;
		} else if (k == SCREEN_PASTE_DROPPED) {
			dash_error(d, "a paste without its end marker was dropped");
		} else if (ev.kind == KEYS_MOUSE) {
			handle_mouse(d);
		} else {
			handle_key(d, &ev);
		}
	}
}
