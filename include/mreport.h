/* mreport — the dashboard's merge report: which tasks the last merge
 * sequence (a task's merge, or a wave merged in dependency order) tried,
 * and the view that lists each one merged / conflicted / failed validation
 * (the conflicting files, the validation's exit status, the log
 * .shoal/logs/merge-<id>.log) or not attempted because the sequence
 * stopped, followed by every merge outcome of the run (state.json). The
 * dashboard feeds it the task events; a wave merge that stops on a problem
 * opens the view by itself. */
#ifndef SHOAL_MREPORT_H
#define SHOAL_MREPORT_H

#include <stdint.h>

#include "task.h"

struct dash;

struct mreport_entry {
	char *id;
	int attempted; /* it went through merging in this sequence */
};

struct mreport {
	struct mreport_entry *e;
	int n;
	int active;     /* a sequence is under way */
	int wave;       /* the wave merged (0: single task merges) */
	int64_t end_ms; /* when the last sequence ended (0: none yet) */
};

/* A wave merge was asked for: its tasks, in the order they will merge. */
void mreport_wave(struct mreport *m, int wave, char *const *ids, int n);
/* A task event (from the runner): a task entering merging joins the
 * sequence (starting one when none is under way). */
void mreport_event(struct mreport *m, const char *id, enum task_state from, enum task_state to);
/* After the events of a loop turn: when a sequence is under way and the
 * orch merges nothing more, it ends: says so in the status line, and opens
 * the report when a wave merge stopped on a problem. */
void mreport_check(struct dash *d);
/* Opens the merge report view. */
void mreport_view(struct dash *d);
void mreport_free(struct mreport *m);

#endif
