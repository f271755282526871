/* board — the Markdown status board of a run (see include/board.h). */
#include "board.h"

#include <string.h>

void board_report_summary(const char *report, char *buf, size_t cap)
{
	if (!cap)
		return;
	buf[0] = 0;
	if (!report)
		return;
	const char *s = report;
	while (*s) {
		size_t n = strcspn(s, "\r\n");
		const char *l = s, *end = s + n;
		while (l < end && (*l == ' ' || *l == '\t'))
			l++;
		while (l < end && *l == '#')
			l++;
		if (l + 1 < end && (*l == '-' || *l == '*') && l[1] == ' ')
			l++;
		while (l < end && (*l == ' ' || *l == '\t'))
			l++;
		while (end > l && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > l) {
			size_t len = (size_t)(end - l);
			if (len < cap) {
				memcpy(buf, l, len);
				buf[len] = 0;
				return;
			}
			/* Cut on a UTF-8 boundary, leaving room for "…" (3 bytes). */
			size_t k = cap > 4 ? cap - 4 : 0;
			while (k > 0 && ((unsigned char)l[k] & 0xC0) == 0x80)
				k--;
			memcpy(buf, l, k);
			if (cap >= 4)
				memcpy(buf + k, "\xe2\x80\xa6", 4);
			else
				buf[k] = 0;
			return;
		}
		s += n;
		while (*s == '\r' || *s == '\n')
			s++;
	}
}

static void cell(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			sbuf_adds(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			sbuf_addc(b, ' ');
		else
			sbuf_addc(b, *s);
	}
}

static const char *state_mark(enum task_state s)
{
	switch (s) {
	case TASK_MERGED: return "✅ ";
	case TASK_DONE: return "☑️ ";
	case TASK_FAILED: case TASK_CONFLICT: case TASK_INVALID: return "❌ ";
	case TASK_RUNNING: case TASK_STARTING: case TASK_MERGING: return "⏳ ";
	case TASK_IDLE: case TASK_WAITING: case TASK_INTERRUPTED: case TASK_STOPPED: return "⏸️ ";
	case TASK_SKIPPED: return "⏭️ ";
	default: return "";
	}
}

void board_markdown(struct sbuf *b, const char *name, const char *base, const struct board_row *rows,
		    int n)
{
	int merged = 0;
	for (int i = 0; i < n; i++)
		merged += rows[i].st == TASK_MERGED;
	sbuf_adds(b, "## shoal: ");
	cell(b, name ? name : "run");
	sbuf_printf(b, "\n\n%d of %d task%s merged", merged, n, n == 1 ? "" : "s");
	if (base) {
		sbuf_adds(b, " into `");
		cell(b, base);
		sbuf_adds(b, "`");
	}
	sbuf_adds(b, ".\n\n| Wave | Task | State | Branch | Files | Report |\n|---:|---|---|---|---:|---|\n");
	for (int i = 0; i < n; i++) {
		const struct board_row *r = &rows[i];
		char sum[161];
		board_report_summary(r->report, sum, sizeof sum);
		if (r->wave > 0)
			sbuf_printf(b, "| %d | ", r->wave);
		else
			sbuf_adds(b, "| ? | ");
		cell(b, r->id);
		sbuf_printf(b, " | %s%s", state_mark(r->st), task_state_name(r->st));
		if (r->st == TASK_MERGED && r->merge_commit)
			sbuf_printf(b, " (%.7s)", r->merge_commit);
		sbuf_adds(b, " | ");
		if (r->branch) {
			sbuf_adds(b, "`");
			cell(b, r->branch);
			sbuf_adds(b, "`");
		}
		if (r->files >= 0)
			sbuf_printf(b, " | %d | ", r->files);
		else
			sbuf_adds(b, " |  | ");
		cell(b, sum);
		sbuf_adds(b, " |\n");
	}
}
