/* plan — loading and validating plan files (shoal JSON plans, beads exports
 * and agentops wave files) into one in-memory model. Pure: no terminal, no
 * git. Errors come back as compiler-style diagnostics (see diag.h). */
#ifndef SHOAL_PLAN_H
#define SHOAL_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define PLAN_ID_MAX 64
#define PLAN_PROMPT_MAX (1024 * 1024)

enum plan_mode { PLAN_MODE_WAVES, PLAN_MODE_DAG };
enum plan_format { PLAN_FORMAT_SHOAL, PLAN_FORMAT_BEADS, PLAN_FORMAT_AGENTOPS };

/* A NULL-terminated array of strings. */
typedef char **strv;
size_t strv_len(const strv v);
void strv_free(strv v);

/* An agent profile: how to start one kind of agent and read its status. */
struct plan_profile {
	char *name;
	strv argv;           /* argv template; placeholders as in prompt_template */
	strv resume;         /* optional argv template to resume an interrupted run */
	strv waiting;        /* regexes on the last screen lines: waiting for input */
	char *working_title; /* regex on the terminal title meaning "working" */
	int idle_after;      /* seconds of silence meaning idle; 0 = plan default */
	bool builtin;
};

struct plan_task {
	char *id;
	char *title;
	char *prompt;
	strv depends_on;     /* ids, as written */
	int *deps;           /* indices into plan.tasks, same order; ndeps entries */
	int ndeps;
	strv territory;      /* path prefixes the task may change (empty = anywhere) */
	char *agent;         /* profile name as written, or NULL (then plan.agent) */
	strv command;        /* explicit argv, or NULL */
	strv env;            /* "KEY=VALUE" entries */
	char *report;        /* completion report file, relative to the worktree */
	bool done;           /* imported as already done (beads closed, agentops completed) */
	int wave;            /* 1-based, filled by plan_load */
	int line, col;       /* where the task is defined */
};

struct plan {
	char *path;          /* as given */
	enum plan_format format;
	char *name;
	char *base;          /* base branch, or NULL = the branch checked out in the main worktree */
	char *branch_prefix; /* default "shoal/<name>/" */
	int max_workers;     /* default 4 */
	enum plan_mode mode;
	char *agent;         /* default profile name, or NULL */
	char *validate;      /* shell command run after each merge, or NULL */
	char *prompt_template;
	char *resolve_prompt; /* typed to / started with an agent to resolve a merge conflict */
	char *setup;         /* shell command run in each new worktree, or NULL */
	strv copy;           /* gitignored files copied into each new worktree */
	strv symlink;        /* gitignored files symlinked into each new worktree */
	int idle_after;      /* seconds, default 5 */
	bool auto_merge;
	bool auto_advance;
	struct plan_profile *profiles; /* built-ins first, then the plan's own */
	int nprofiles;
	struct plan_task *tasks;
	int ntasks;
	int nwaves;
	int *id_index; /* private: open-addressing table of task indices (+1) by id */
	size_t id_cap;
};

struct plan_load_opts {
	/* Profiles from the config file, added after the built-ins (and before the
	 * plan's own, which override both). May be NULL. */
	const struct plan_profile *extra_profiles;
	int nextra_profiles;
};

/* Loads and validates the plan in text (len bytes) read from path (used in
 * messages). Every problem found is added to d; returns NULL if there was any
 * error. On success the waves are computed (task.wave, plan.nwaves). */
struct plan *plan_parse(const char *path, const char *text, size_t len,
			const struct plan_load_opts *o, struct diags *d);
/* Reads path and calls plan_parse. */
struct plan *plan_load(const char *path, const struct plan_load_opts *o, struct diags *d);
void plan_free(struct plan *p);

/* The index of the task with that id, or -1 (hash lookup). */
int plan_find(const struct plan *p, const char *id);
/* The profile a task runs with (task.agent, else plan.agent), or NULL when
 * the task has an explicit command or no profile resolves. */
const struct plan_profile *plan_task_profile(const struct plan *p, const struct plan_task *t);
const struct plan_profile *plan_profile_find(const struct plan *p, const char *name);
/* 1 if id is safe as a directory and branch-name component:
 * [A-Za-z0-9][A-Za-z0-9._-]*, no "..", no ".lock" suffix, at most 64 bytes. */
int plan_id_valid(const char *id);
/* The task's branch name: branch_prefix + id. Caller frees. */
char *plan_task_branch(const struct plan *p, const struct plan_task *t);

/* Expands {id} {title} {prompt} {territory} {branch} {worktree} {deps}
 * {prompt_file} {base} in tmpl for task t; worktree/prompt_file may be NULL
 * (then expanded to ""). "{{" gives "{". Caller frees. */
char *plan_expand(const struct plan *p, const struct plan_task *t, const char *tmpl,
		  const char *worktree, const char *prompt_file);

/* plan_expand plus {files} (files, e.g. the conflicted paths) and {base}
 * given explicitly (base NULL: as plan_expand). */
char *plan_expand_resolve(const struct plan *p, const struct plan_task *t, const char *tmpl,
			  const char *worktree, const char *prompt_file, const char *base,
			  const char *files);

struct dag;
/* Builds the task graph of p into g (dag.h) and layers it. */
void plan_dag(const struct plan *p, struct dag *g);

/* The built-in agent profiles (claude, codex, aider, gemini, shell). */
const struct plan_profile *plan_builtin_profiles(int *n);

#endif
