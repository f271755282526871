/* orch_argv — what an agent is started with (include/orch.h, orch_int.h):
 * its argv from the task's agent profile (resume or fresh), its
 * environment (the task's env, SHOAL_* variables, nested-agent variables
 * removed), the prompt text with the plan's template, and the prompt file
 * written atomically; the setup command's argv. */
#include "orch.h"
#include "orch_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

extern char **environ;

/* The expanded prompt_template, or a copy of text when the agent is started
 * for something else (resolving a conflict: orch_resolve). */
static char *full_prompt(const struct orch *o, int i, const char *prompt_file, const char *text)
{
	const struct plan *p = o->plan;
	if (text)
		return xstrdup(text);
	const char *tmpl = p->prompt_template ? p->prompt_template : "{prompt}";
	return plan_expand(p, &p->tasks[i], tmpl, o->t[i].worktree, prompt_file);
}

strv orch_argv_build(const struct orch *o, int i, const char *prompt_file, int resume,
		      const char *text, struct err *e)
{
	const struct plan *p = o->plan;
	const struct plan_task *pt = &p->tasks[i];
	const struct plan_profile *pr = plan_task_profile(p, pt);
	char *const *tmpl = pt->command ? pt->command : pr ? pr->argv : NULL;
	if (resume) {
		if (!pr || !pr->resume || !pr->resume[0]) {
			err_set(e, "task %s: %s has no resume command; restart it instead", pt->id,
				pr ? "its agent profile" : "an explicit command");
			return NULL;
		}
		tmpl = pr->resume;
	}
	if (!tmpl || !tmpl[0]) {
		err_set(e, "task %s: no command and no agent profile to run", pt->id);
		return NULL;
	}
	/* {prompt} in an argv is the whole expanded prompt_template. */
	struct plan_task copy = *pt;
	char *prompt = full_prompt(o, i, prompt_file, text);
	copy.prompt = prompt;
	size_t n = strv_len((strv)tmpl);
	strv v = xcalloc(n + 1, sizeof *v);
	for (size_t k = 0; k < n; k++)
		v[k] = plan_expand(p, &copy, tmpl[k], o->t[i].worktree, prompt_file);
	free(prompt);
	return v;
}

strv orch_task_argv(const struct orch *o, int i, const char *prompt_file, struct err *e)
{
	return orch_argv_build(o, i, prompt_file, 0, NULL, e);
}

static int env_key_is(const char *entry, const char *key)
{
	size_t n = strlen(key);
	return !strncmp(entry, key, n) && entry[n] == '=';
}

strv orch_task_env(const struct orch *o, int i, const char *prompt_file, int full)
{
	const struct plan *p = o->plan;
	const struct plan_task *pt = &p->tasks[i];
	const struct orch_task *t = &o->t[i];
	const char *const *base = o->environ_base ? o->environ_base : (const char *const *)environ;
	struct { const char *k; const char *v; } ours[] = {
		{ "SHOAL_TASK_ID", pt->id },
		{ "SHOAL_TASK_TITLE", pt->title ? pt->title : pt->id },
		{ "SHOAL_WORKTREE", t->worktree },
		{ "SHOAL_BRANCH", t->branch },
		{ "SHOAL_BASE", p->base },
		{ "SHOAL_PLAN", o->plan_path },
		{ "SHOAL_REPO", o->repo },
		{ "SHOAL_PROMPT_FILE", prompt_file },
	};
	size_t nb = 0, ne = strv_len(pt->env);
	while (full && base && base[nb])
		nb++;
	strv v = xcalloc(nb + ARRAY_LEN(ours) + ne + 1, sizeof *v);
	size_t n = 0;
	for (size_t k = 0; k < nb; k++) {
		const char *s = base[k];
		int drop = env_key_is(s, "CLAUDECODE") || !strncmp(s, "SHOAL_", 6);
		for (size_t j = 0; j < ne && !drop; j++) {
			const char *eq = strchr(pt->env[j], '=');
			size_t kl = eq ? (size_t)(eq - pt->env[j]) : strlen(pt->env[j]);
			drop = !strncmp(s, pt->env[j], kl) && s[kl] == '=';
		}
		if (!drop)
			v[n++] = xstrdup(s);
	}
	for (size_t k = 0; k < ARRAY_LEN(ours); k++)
		if (ours[k].v)
			v[n++] = xasprintf("%s=%s", ours[k].k, ours[k].v);
	for (size_t j = 0; j < ne; j++)
		v[n++] = xstrdup(pt->env[j]);
	v[n] = NULL;
	return v;
}

static const char setup_script[] =
	"repo=$1; shift\n"
	"n=$1; shift\n"
	"while [ \"$n\" -gt 0 ]; do\n"
	"  p=$1; shift; n=$((n - 1))\n"
	"  if [ -e \"$p\" ] || [ -L \"$p\" ]; then continue; fi\n"
	"  if [ ! -e \"$repo/$p\" ]; then printf 'shoal: copy: %s does not exist in %s\\n' \"$p\" \"$repo\" >&2; exit 97; fi\n"
	"  mkdir -p -- \"$(dirname -- \"$p\")\" && cp -R -- \"$repo/$p\" \"$p\" ||\n"
	"    { printf 'shoal: copy: cannot copy %s\\n' \"$p\" >&2; exit 97; }\n"
	"  printf 'shoal: copied %s\\n' \"$p\"\n"
	"done\n"
	"n=$1; shift\n"
	"while [ \"$n\" -gt 0 ]; do\n"
	"  p=$1; shift; n=$((n - 1))\n"
	"  if [ -e \"$p\" ] || [ -L \"$p\" ]; then continue; fi\n"
	"  if [ ! -e \"$repo/$p\" ]; then printf 'shoal: symlink: %s does not exist in %s\\n' \"$p\" \"$repo\" >&2; exit 97; fi\n"
	"  mkdir -p -- \"$(dirname -- \"$p\")\" && ln -s -- \"$repo/$p\" \"$p\" ||\n"
	"    { printf 'shoal: symlink: cannot link %s\\n' \"$p\" >&2; exit 97; }\n"
	"  printf 'shoal: linked %s\\n' \"$p\"\n"
	"done\n"
	"setup=$1; shift; shift\n"
	"if [ -n \"$setup\" ]; then\n"
	"  printf 'shoal: setup: %s\\n' \"$setup\"\n"
	"  sh -c \"$setup\" || { st=$?; printf '\\nshoal: the setup command failed (exit %d)\\n' \"$st\" >&2; exit \"$st\"; }\n"
	"fi\n"
	"exec \"$@\"\n";

strv orch_setup_argv(const struct plan *p, const char *repo, char *const *argv)
{
	size_t nc = strv_len(p->copy), nl = strv_len(p->symlink), na = strv_len((strv)argv);
	int wrap = nc || nl || (p->setup && *p->setup);
	size_t n = wrap ? 5 + 1 + nc + 1 + nl + 2 + na : na; /* sh -c SCRIPT shoal-setup REPO */
	strv v = xcalloc(n + 1, sizeof *v);
	size_t k = 0;
	if (wrap) {
		v[k++] = xstrdup("sh");
		v[k++] = xstrdup("-c");
		v[k++] = xstrdup(setup_script);
		v[k++] = xstrdup("shoal-setup");
		v[k++] = xstrdup(repo);
		v[k++] = xasprintf("%zu", nc);
		for (size_t i = 0; i < nc; i++)
			v[k++] = xstrdup(p->copy[i]);
		v[k++] = xasprintf("%zu", nl);
		for (size_t i = 0; i < nl; i++)
			v[k++] = xstrdup(p->symlink[i]);
		v[k++] = xstrdup(p->setup ? p->setup : "");
		v[k++] = xstrdup("--");
	}
	for (size_t i = 0; i < na; i++)
		v[k++] = xstrdup(argv[i]);
	v[k] = NULL;
	return v;
}

int orch_prompt_write(const struct orch *o, int i, const char *path, const char *override,
			struct err *e)
{
	char *text = full_prompt(o, i, path, override);
	char *tmp = xasprintf("%s.tmp", path);
	int rc = 0;
	FILE *f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fputc('\n', f) < 0 || fclose(f) != 0 || rename(tmp, path) < 0) {
		rc = err_set(e, "%s: cannot write the prompt: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(text);
	return rc;
}
