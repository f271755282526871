/* agent — finding the program a task runs, execvp-style, before spawning. */
#include "agent.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"

/* 0 executable regular file; else an errno-like reason. */
static int check_exec(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return ENOENT;
	if (S_ISDIR(sb.st_mode))
		return EISDIR;
	if (!S_ISREG(sb.st_mode) || access(path, X_OK) < 0)
		return EACCES;
	return 0;
}

char *agent_find_program(const char *prog, const char *path_env, const char *dir, struct err *e)
{
	if (!prog || !*prog) {
		err_set(e, "empty program name");
		return NULL;
	}
	if (strchr(prog, '/')) {
		char *full = prog[0] == '/' || !dir ? xstrdup(prog) : xasprintf("%s/%s", dir, prog);
		int r = check_exec(full);
		if (!r)
			return full;
		free(full);
		err_set(e, "program \"%s\" %s", prog,
			r == ENOENT ? "not found" : r == EISDIR ? "is a directory" : "is not executable");
		return NULL;
	}
	const char *path = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
	int seen_noexec = 0;
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char *d = n ? xstrndup(p, n) : xstrdup(dir ? dir : ".");
		char *full = xasprintf("%s/%s", d, prog);
		free(d);
		int r = check_exec(full);
		if (!r)
			return full;
		if (r == EACCES)
			seen_noexec = 1;
		free(full);
		if (!colon)
			break;
		p = colon + 1;
	}
	if (seen_noexec)
		err_set(e, "program \"%s\" is in PATH but not executable", prog);
	else
		err_set(e, "program \"%s\" is not installed (not found in PATH)", prog);
	return NULL;
}

const char *agent_task_program(const struct plan *p, const struct plan_task *t)
{
	if (t->command && t->command[0])
		return t->command[0];
	const struct plan_profile *pr = plan_task_profile(p, t);
	if (pr && pr->argv && pr->argv[0])
		return pr->argv[0];
	return NULL;
}

int agent_check_task(const struct plan *p, const struct plan_task *t, const char *worktree,
		     const char *path_env, struct err *e)
{
	const char *prog = agent_task_program(p, t);
	if (!prog)
		return err_set(e, "task %s: no command and no agent profile to run", t->id);
	struct err fe;
	char *full = agent_find_program(prog, path_env, worktree, &fe);
	if (!full)
		return err_set(e, "task %s: %s", t->id, fe.msg);
	free(full);
	return 0;
}
