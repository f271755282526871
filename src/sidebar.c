/* sidebar — the sidebar model: waves, bars, task rows (see sidebar.h). */
#include "sidebar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const char *sidebar_glyph(enum task_state s)
{
	switch (s) {
	case TASK_PENDING: return "·";
	case TASK_READY: return "○";
	case TASK_STARTING: return "◌";
	case TASK_RUNNING: return "●";
	case TASK_IDLE: return "◐";
	case TASK_WAITING: return "?";
	case TASK_DONE: return "◆";
	case TASK_FAILED: return "✗";
	case TASK_STOPPED: return "■";
	case TASK_SKIPPED: return "-";
	case TASK_MERGING: return "⇢";
	case TASK_MERGED: return "✓";
	case TASK_CONFLICT: return "!";
	case TASK_INVALID: return "!";
	case TASK_INTERRUPTED: return "‖";
	default: return " ";
	}
}

const char *sidebar_state_label(enum task_state s)
{
	return s == TASK_WAITING ? "waiting" : task_state_name(s);
}

void sidebar_elapsed(int64_t ms, char *buf, size_t cap)
{
	int64_t s = ms < 0 ? 0 : ms / 1000;
	if (s < 60)
		snprintf(buf, cap, "%ds", (int)s);
	else if (s < 3600)
		snprintf(buf, cap, "%dm%02ds", (int)(s / 60), (int)(s % 60));
	else
		snprintf(buf, cap, "%dh%02dm", (int)(s / 3600), (int)(s / 60 % 60));
}

void sidebar_counts(const struct plan *p, const struct sidebar_task *t, int wave,
		    struct sidebar_counts *c)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < p->ntasks; i++) {
		if (wave && p->tasks[i].wave != wave)
			continue;
		c->total++;
		switch (t[i].st) {
		case TASK_MERGED: c->merged++; break;
		case TASK_SKIPPED: c->skipped++; break;
		case TASK_DONE:
		case TASK_MERGING: c->done++; break;
		case TASK_STARTING:
		case TASK_RUNNING:
		case TASK_IDLE: c->running++; break;
		case TASK_WAITING: c->running++; c->waiting++; break;
		case TASK_FAILED:
		case TASK_CONFLICT:
		case TASK_INVALID: c->failed++; break;
		default: break;
		}
	}
}

static void put(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > cap)
		return;
	memcpy(buf + *len, s, n + 1);
	*len += n;
}

int sidebar_bar(const struct sidebar_counts *c, int width, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = 0;
	if (width <= 0)
		return 0;
	int total = c->total > 0 ? c->total : 1;
	int seg[3] = { c->merged + c->skipped, c->done, c->running };
	int cells[3], used = 0;
	for (int k = 0; k < 3; k++) {
		cells[k] = seg[k] * width / total;
		if (seg[k] > 0 && cells[k] == 0)
			cells[k] = 1;
		if (used + cells[k] > width)
			cells[k] = width - used;
		used += cells[k];
	}
	/* all merged: the bar is full even when rounding left a gap */
	if (seg[0] + seg[1] + seg[2] == c->total && c->total > 0)
		cells[0] += width - used, used = width;
	static const char *const g[4] = { "█", "▓", "▒", "░" };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < cells[k]; i++)
			put(buf, cap, &len, g[k]);
	for (int i = used; i < width; i++)
		put(buf, cap, &len, g[3]);
	return width;
}

static int wave_all_merged(const struct plan *p, const struct sidebar_task *t, int wave)
{
	for (int i = 0; i < p->ntasks; i++)
		if (p->tasks[i].wave == wave && t[i].st != TASK_MERGED && t[i].st != TASK_SKIPPED)
			return 0;
	return 1;
}

const char *sidebar_gate(const struct plan *p, const struct sidebar_task *t, int wave)
{
	if (wave_all_merged(p, t, wave))
		return "merged";
	if (wave <= 1 || wave_all_merged(p, t, wave - 1))
		return "open";
	return "locked";
}

/* Decodes one UTF-8 sequence; returns its length (1 for a bad byte). */
static int utf8_dec(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	int n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc0 ? 2 : 1;
	if (n == 1) {
		*cp = '?';
		return 1;
	}
	uint32_t v = u[0] & (0x7f >> n);
	for (int i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = '?';
			return 1;
		}
		v = v << 6 | (u[i] & 0x3f);
	}
	*cp = v;
	return n;
}

static int cp_cols(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/* C locale: assume East Asian wide ranges are 2, the rest 1 */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

int sidebar_cols(const char *s)
{
	int cols = 0;
	while (*s) {
		uint32_t cp;
		s += utf8_dec(s, &cp);
		cols += cp_cols(cp);
	}
	return cols;
}

void sidebar_append(char *buf, size_t cap, int *col, int maxcol, const char *s)
{
	size_t len = strlen(buf);
	while (*s) {
		uint32_t cp;
		int n = utf8_dec(s, &cp);
		int w = cp_cols(cp);
		/* keep room for the ellipsis unless this is the last character */
		int last = s[n] == 0;
		if (*col + w > maxcol || (!last && *col + w == maxcol && sidebar_cols(s + n) > 0)) {
			if (*col < maxcol && len + 4 <= cap) {
				memcpy(buf + len, "…", 3);
				len += 3;
				buf[len] = 0;
				(*col)++;
			}
			return;
		}
		if (len + (size_t)n + 1 > cap)
			return;
		if (cp < 0x20 || cp == 0x7f) {
			buf[len++] = '?';
		} else {
			memcpy(buf + len, s, (size_t)n);
			len += (size_t)n;
		}
		buf[len] = 0;
		*col += w;
		s += n;
	}
}

static void pad_to(char *buf, size_t cap, int *col, int target)
{
	size_t len = strlen(buf);
	while (*col < target && len + 2 <= cap) {
		buf[len++] = ' ';
		buf[len] = 0;
		(*col)++;
	}
}

static struct sidebar_row *push(struct sidebar_row **rows, int *n, size_t *cap)
{
	xgrow((void **)rows, cap, (size_t)*n + 1, sizeof **rows);
	struct sidebar_row *r = &(*rows)[(*n)++];
	memset(r, 0, sizeof *r);
	r->task = -1;
	return r;
}

int sidebar_build(const struct plan *p, const struct sidebar_task *t, int width, int64_t now_ms,
		  struct sidebar_row **rows)
{
	int n = 0;
	size_t cap = 0;
	*rows = NULL;
	if (width < 8)
		width = 8;
	/* title: "todo-demo  ████░░ 3/8" */
	struct sidebar_counts all;
	sidebar_counts(p, t, 0, &all);
	struct sidebar_row *r = push(rows, &n, &cap);
	r->kind = SB_ROW_TITLE;
	r->role = TH_TITLE;
	r->c = all;
	char cnt[32];
	snprintf(cnt, sizeof cnt, " %d/%d", all.merged + all.skipped, all.total);
	int col = 0;
	int barw = width >= 30 ? 10 : width >= 20 ? 5 : 0;
	int namemax = width - barw - (barw ? 1 : 0) - (int)strlen(cnt);
	sidebar_append(r->text, sizeof r->text, &col, namemax > 4 ? namemax : 4, p->name ? p->name : "plan");
	if (barw) {
		pad_to(r->text, sizeof r->text, &col, width - barw - (int)strlen(cnt));
		r->bar_col = col;
		r->bar_len = barw;
		char bar[128];
		sidebar_bar(&all, barw, bar, sizeof bar);
		sidebar_append(r->text, sizeof r->text, &col, width, bar);
	} else
		pad_to(r->text, sizeof r->text, &col, width - (int)strlen(cnt));
	sidebar_append(r->text, sizeof r->text, &col, width, cnt);
	for (int w = 1; w <= p->nwaves; w++) {
		struct sidebar_counts c;
		sidebar_counts(p, t, w, &c);
		r = push(rows, &n, &cap);
		r->kind = SB_ROW_WAVE;
		r->wave = w;
		r->c = c;
		const char *gate = sidebar_gate(p, t, w);
		r->role = !strcmp(gate, "merged") ? TH_WAVE_DONE : TH_WAVE;
		col = 0;
		char head[32];
		snprintf(head, sizeof head, width >= 24 ? "WAVE %d " : "W%d ", w);
		sidebar_append(r->text, sizeof r->text, &col, width, head);
		char tail[48];
		if (width >= 34)
			snprintf(tail, sizeof tail, " %d/%d %s", c.merged + c.skipped, c.total, gate);
		else
			snprintf(tail, sizeof tail, " %d/%d", c.merged + c.skipped, c.total);
		int bw = width - col - (int)strlen(tail);
		if (bw > 12)
			bw = 12;
		if (bw >= 3) {
			r->bar_col = col;
			r->bar_len = bw;
			char bar[128];
			sidebar_bar(&c, bw, bar, sizeof bar);
			sidebar_append(r->text, sizeof r->text, &col, width, bar);
		}
		sidebar_append(r->text, sizeof r->text, &col, width, tail);
		for (int i = 0; i < p->ntasks; i++) {
			const struct plan_task *pt = &p->tasks[i];
			if (pt->wave != w)
				continue;
			const struct sidebar_task *st = &t[i];
			r = push(rows, &n, &cap);
			r->kind = SB_ROW_TASK;
			r->task = i;
			r->wave = w;
			r->glyph_role = theme_state_role(st->st);
			int attention = st->st == TASK_WAITING || st->st == TASK_FAILED ||
					st->st == TASK_CONFLICT || st->st == TASK_INVALID;
			r->role = attention ? r->glyph_role : TH_NORMAL;
			col = 0;
			sidebar_append(r->text, sizeof r->text, &col, width, " ");
			sidebar_append(r->text, sizeof r->text, &col, width, sidebar_glyph(st->st));
			sidebar_append(r->text, sizeof r->text, &col, width, " ");
			/* right part: elapsed, or the state word for attention */
			char right[64] = "";
			if (st->st == TASK_WAITING)
				snprintf(right, sizeof right, "waiting");
			else if (attention)
				snprintf(right, sizeof right, "%s", sidebar_state_label(st->st));
			else if (st->start_ms > 0 && task_state_live(st->st))
				sidebar_elapsed(now_ms - st->start_ms, right, sizeof right);
			else if (st->start_ms > 0 && st->end_ms >= st->start_ms)
				sidebar_elapsed(st->end_ms - st->start_ms, right, sizeof right);
			if (st->nfiles > 0 && width >= 26) { /* changed files before the time */
				char both[40];
				snprintf(both, sizeof both, "%df%s%.24s", st->nfiles, right[0] ? " " : "", right);
				snprintf(right, sizeof right, "%s", both);
			}
			char warn[16] = "";
			if (st->warn & (SB_WARN_OVERLAP | SB_WARN_TERRITORY))
				snprintf(warn, sizeof warn, "⚠");
			int rw = (int)strlen(right) + (warn[0] ? 2 : 0);
			int idmax = width - col - rw - 1;
			if (idmax < 4)
				idmax = 4;
			int idcol = col;
			sidebar_append(r->text, sizeof r->text, &col, idcol + idmax, pt->id);
			/* deps, dimmed by the renderer after the id */
			if (pt->ndeps > 0 && width >= 30) {
				char deps[200] = "";
				size_t dl = 0;
				for (int k = 0; k < pt->ndeps && dl < sizeof deps - 70; k++)
					dl += (size_t)snprintf(deps + dl, sizeof deps - dl, "%s%s",
							       k ? "," : " ← ",
							       p->tasks[pt->deps[k]].id);
				if (idcol + idmax - col > 4)
					sidebar_append(r->text, sizeof r->text, &col, idcol + idmax, deps);
			}
			pad_to(r->text, sizeof r->text, &col, width - rw);
			if (warn[0]) {
				sidebar_append(r->text, sizeof r->text, &col, width, warn);
				sidebar_append(r->text, sizeof r->text, &col, width, " ");
			}
			sidebar_append(r->text, sizeof r->text, &col, width, right);
		}
	}
	return n;
}
