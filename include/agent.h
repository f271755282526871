/* agent — facts about the program a task runs, before it runs: is it
 * installed? A task whose program is missing fails at start with a message
 * naming the program, instead of a pane that flashes and dies (field.md:
 * "sessions that fail to start silently"). */
#ifndef SHOAL_AGENT_H
#define SHOAL_AGENT_H

#include "util.h"

struct plan;
struct plan_task;

/* Resolves prog like execvp would. A name with a '/' is taken as a path
 * (relative to dir when dir is given and the path is relative); otherwise
 * each entry of path_env (colon-separated; an empty entry means dir, or ".")
 * is tried. path_env NULL means the default search path. Returns the full
 * path (caller frees), or NULL with e:
 *   program "claude" is not installed (not found in PATH)
 *   program "./run.sh" not found / is not executable / is a directory */
char *agent_find_program(const char *prog, const char *path_env, const char *dir, struct err *e);

/* The program task t would run (its command's argv[0], or its profile's
 * argv[0]), or NULL when it has neither. Borrowed. */
const char *agent_task_program(const struct plan *p, const struct plan_task *t);

/* 0 if t's program can be found (relative commands resolve in worktree);
 * -1 with "task ID: program "X" is not installed (not found in PATH)". */
int agent_check_task(const struct plan *p, const struct plan_task *t, const char *worktree,
		     const char *path_env, struct err *e);

#endif
