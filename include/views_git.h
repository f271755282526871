/* views_git — the dashboard views that read git: a task's changes (files,
 * +/-, overlaps, territory, and its coloured diff against the base) and the
 * merge previews (one task, or the current wave in dependency order). They
 * never block the UI: the key opens the view at once with "computing…",
 * the reading happens on the git worker (runner_git_job) on a copy of what
 * it needs, and the result fills the view when it arrives — unless the
 * operator moved on (another view, or closed it), then it is dropped. A
 * merge preview asks its question only once it is there. */
#ifndef SHOAL_VIEWS_GIT_H
#define SHOAL_VIEWS_GIT_H

#include "dash.h"

/* The changes view, the selected task's diff included (task may be -1). */
void views_changes(struct dash *d, int task);
/* The merge preview of task i; when it can go ahead, asks to merge (action
 * "merge", confirmed = 1 merges); otherwise says why. */
void views_merge_preview(struct dash *d, int i);
/* The same for the current wave (action "merge-wave"). */
void views_merge_wave_preview(struct dash *d);
/* The sidebar's per-task figures, refreshed in the background: every task
 * with a branch that is not merged or skipped gets its changed-file count
 * (committed and uncommitted) and warnings (files another such task also
 * changes, files outside its territory). Fills d->scan when the worker's
 * answer arrives (by task id: a reload in between is harmless). Does
 * nothing while a scan is under way. */
void views_scan(struct dash *d);

#endif
