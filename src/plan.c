/* plan — reads a plan (shoal JSON, beads export or agentops wave file) into
 * struct plan and validates all of it, reporting every problem with its
 * position. Also the built-in agent profiles and placeholder expansion. */
#include "plan.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "jsonx.h"
#include "plan_ld.h"

/* ---------------------------------------------------------------- strv */

size_t strv_len(const strv v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void strv_free(strv v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static strv strv_from(const char *const *a)
{
	size_t n = 0;
	while (a[n])
		n++;
	strv v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(a[i]);
	return v;
}

static strv strv_copy(const strv a)
{
	return a ? strv_from((const char *const *)a) : NULL;
}

/* ---------------------------------------------------------- profiles */

static const char *const claude_argv[] = { "claude", "{prompt}", NULL };
static const char *const claude_resume[] = { "claude", "--continue", NULL };
static const char *const codex_argv[] = { "codex", "{prompt}", NULL };
static const char *const codex_resume[] = { "codex", "resume", "--last", NULL };
static const char *const aider_argv[] = { "aider", "--message-file", "{prompt_file}", NULL };
static const char *const aider_resume[] = { "aider", "--restore-chat-history", NULL };
static const char *const gemini_argv[] = { "gemini", "--prompt-interactive", "{prompt}", NULL };
static const char *const shell_argv[] = { "sh", "-c", "{prompt}", NULL };

static const struct {
	const char *name;
	const char *const *argv, *const *resume;
} builtin_defs[] = {
	{ "claude", claude_argv, claude_resume },
	{ "codex", codex_argv, codex_resume },
	{ "aider", aider_argv, aider_resume },
	{ "gemini", gemini_argv, NULL },
	{ "shell", shell_argv, NULL },
};

static struct plan_profile builtins[ARRAY_LEN(builtin_defs)];
static int builtins_ready;

const struct plan_profile *plan_builtin_profiles(int *n)
{
	/* Built once; plain data afterwards (the first call happens in main,
	 * before any thread starts). */
	if (!builtins_ready) {
		for (size_t i = 0; i < ARRAY_LEN(builtin_defs); i++) {
			builtins[i].name = (char *)builtin_defs[i].name;
			builtins[i].argv = strv_from(builtin_defs[i].argv);
			builtins[i].resume = builtin_defs[i].resume ? strv_from(builtin_defs[i].resume) : NULL;
			builtins[i].builtin = true;
		}
		builtins_ready = 1;
	}
	*n = (int)ARRAY_LEN(builtins);
	return builtins;
}

static void profile_copy(struct plan_profile *dst, const struct plan_profile *src)
{
	dst->name = xstrdup(src->name);
	dst->argv = strv_copy(src->argv);
	dst->resume = strv_copy(src->resume);
	dst->waiting = strv_copy(src->waiting);
	dst->working_title = src->working_title ? xstrdup(src->working_title) : NULL;
	dst->idle_after = src->idle_after;
	dst->builtin = src->builtin;
}

static void profile_clear(struct plan_profile *p)
{
	free(p->name);
	strv_free(p->argv);
	strv_free(p->resume);
	strv_free(p->waiting);
	free(p->working_title);
	memset(p, 0, sizeof *p);
}

const struct plan_profile *plan_profile_find(const struct plan *p, const char *name)
{
	if (!name)
		return NULL;
	/* later entries (the plan's own) override earlier ones */
	for (int i = p->nprofiles - 1; i >= 0; i--)
		if (!strcmp(p->profiles[i].name, name))
			return &p->profiles[i];
	return NULL;
}

const struct plan_profile *plan_task_profile(const struct plan *p, const struct plan_task *t)
{
	if (t->command)
		return NULL;
	return plan_profile_find(p, t->agent ? t->agent : p->agent);
}

/* ---------------------------------------------------------- ids */

int plan_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > PLAN_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (i == 0 && !alnum)
			return 0;
		if (!alnum && c != '.' && c != '_' && c != '-')
			return 0;
	}
	if (strstr(id, ".."))
		return 0;
	if (n >= 5 && !strcmp(id + n - 5, ".lock"))
		return 0;
	if (id[n - 1] == '.')
		return 0;
	return 1;
}

/* Why an id is unsafe, for the message. */
const char *ld_id_problem(const char *id)
{
	size_t n = strlen(id);
	if (n == 0)
		return "is empty";
	if (n > PLAN_ID_MAX)
		return "is longer than 64 characters";
	if (strstr(id, ".."))
		return "contains '..'";
	if (n >= 5 && !strcmp(id + n - 5, ".lock"))
		return "ends in '.lock'";
	if (id[n - 1] == '.')
		return "ends in '.'";
	char c = id[0];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
		return "must start with a letter or digit";
	return "may only contain letters, digits, '.', '_' and '-'";
}

/* A git-style check of a branch name (check-ref-format --branch rules). */
static const char *branch_problem(const char *b)
{
	size_t n = strlen(b);
	if (!n)
		return "is empty";
	if (b[0] == '-')
		return "starts with '-'";
	if (b[0] == '/' || b[n - 1] == '/' || b[n - 1] == '.')
		return "starts or ends with '/' or ends with '.'";
	if (strstr(b, "..") || strstr(b, "//") || strstr(b, "@{") || strstr(b, "/."))
		return "contains '..', '//', '/.' or '@{'";
	if (b[0] == '.')
		return "starts with '.'";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c < 0x20 || c == 0x7f || strchr(" ~^:?*[\\", c))
			return "contains a space, a control character or one of ~^:?*[\\";
	}
	if (!strcmp(b, "HEAD"))
		return "is HEAD";
	const char *p = b;
	while ((p = strstr(p, ".lock")) != NULL) {
		if (p[5] == '/' || p[5] == 0)
			return "has a component ending in '.lock'";
		p += 5;
	}
	return NULL;
}

char *plan_task_branch(const struct plan *p, const struct plan_task *t)
{
	return xasprintf("%s%s", p->branch_prefix ? p->branch_prefix : "", t->id);
}

/* ---------------------------------------------------------- id table */

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void ld_idmap_build(struct plan *p)
{
	size_t cap = 16;
	while (cap < (size_t)p->ntasks * 2 + 2)
		cap *= 2;
	free(p->id_index);
	p->id_index = xcalloc(cap, sizeof(int));
	p->id_cap = cap;
	for (int i = 0; i < p->ntasks; i++) {
		if (!p->tasks[i].id)
			continue;
		size_t h = str_hash(p->tasks[i].id) & (cap - 1);
		while (p->id_index[h]) {
			if (!strcmp(p->tasks[p->id_index[h] - 1].id, p->tasks[i].id))
				break; /* duplicate: keep the first */
			h = (h + 1) & (cap - 1);
		}
		if (!p->id_index[h])
			p->id_index[h] = i + 1;
	}
}

int plan_find(const struct plan *p, const char *id)
{
	if (!p->id_cap || !id)
		return -1;
	size_t h = str_hash(id) & (p->id_cap - 1);
	while (p->id_index[h]) {
		int i = p->id_index[h] - 1;
		if (!strcmp(p->tasks[i].id, id))
			return i;
		h = (h + 1) & (p->id_cap - 1);
	}
	return -1;
}

/* ---------------------------------------------------------- expansion */

/* The last one, {files}, is only known in resolve_prompt. */
static const char *const placeholders[] = {
	"id", "title", "prompt", "territory", "branch", "worktree", "deps", "prompt_file", "base", "files", NULL,
};
#define NPLACEHOLDERS_COMMON (ARRAY_LEN(placeholders) - 2)

char *plan_expand(const struct plan *p, const struct plan_task *t, const char *tmpl,
		  const char *worktree, const char *prompt_file)
{
	return plan_expand_resolve(p, t, tmpl, worktree, prompt_file, NULL, NULL);
}

char *plan_expand_resolve(const struct plan *p, const struct plan_task *t, const char *tmpl,
			  const char *worktree, const char *prompt_file, const char *base,
			  const char *files)
{
	struct sbuf b = { 0 };
	for (const char *s = tmpl; *s;) {
		if (s[0] == '{' && s[1] == '{') {
			sbuf_addc(&b, '{');
			s += 2;
			continue;
		}
		if (s[0] == '}' && s[1] == '}') {
			sbuf_addc(&b, '}');
			s += 2;
			continue;
		}
		const char *e = s[0] == '{' ? strchr(s, '}') : NULL;
		if (!e) {
			sbuf_addc(&b, *s++);
			continue;
		}
		size_t n = (size_t)(e - s - 1);
		const char *name = s + 1;
#define IS(x) (n == strlen(x) && !strncmp(name, x, n))
		if (IS("id")) {
			sbuf_adds(&b, t->id);
		} else if (IS("title")) {
			sbuf_adds(&b, t->title ? t->title : t->id);
		} else if (IS("prompt")) {
			sbuf_adds(&b, t->prompt ? t->prompt : "");
		} else if (IS("territory")) {
			if (!t->territory || !t->territory[0])
				sbuf_adds(&b, "the whole repository");
			for (size_t i = 0; t->territory && t->territory[i]; i++)
				sbuf_printf(&b, "%s%s", i ? ", " : "", t->territory[i]);
		} else if (IS("branch")) {
			char *br = plan_task_branch(p, t);
			sbuf_adds(&b, br);
			free(br);
		} else if (IS("worktree")) {
			sbuf_adds(&b, worktree ? worktree : "");
		} else if (IS("prompt_file")) {
			sbuf_adds(&b, prompt_file ? prompt_file : "");
		} else if (IS("base")) {
			sbuf_adds(&b, base ? base : p->base ? p->base : "HEAD");
		} else if (IS("files") && files) {
			sbuf_adds(&b, files);
		} else if (IS("deps")) {
			if (!t->ndeps)
				sbuf_adds(&b, "none");
			for (int i = 0; i < t->ndeps; i++)
				sbuf_printf(&b, "%s%s", i ? ", " : "", p->tasks[t->deps[i]].id);
		} else {
			sbuf_add(&b, s, (size_t)(e - s + 1)); /* unknown: kept as written */
		}
#undef IS
		s = e + 1;
	}
	return sbuf_steal(&b);
}

/* ---------------------------------------------------------- loading */

#define DEFAULT_TEMPLATE                                                                   \
	"You are working on task {id}: {title}\n\n{prompt}\n\nOnly change files in: {territory}.\n" \
	"Commit your work on this branch ({branch}) when you are done."

#define DEFAULT_RESOLVE                                                                        \
	"Task {id}: {base} was merged into your branch {branch} and the merge conflicts in: "      \
	"{files}. Resolve the conflicts in {worktree}: keep the intent of both sides, remove every " \
	"conflict marker, run the tests, then git add the files and conclude the merge with "      \
	"git commit --no-edit. Change nothing else."




void ld_err_at(struct ld *l, const cJSON *node, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_add(l->d, node ? jsonx_off(&l->j, node) : 0, "%s", b.s ? b.s : "");
	sbuf_free(&b);
}


void ld_err_key(struct ld *l, const cJSON *node, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_add(l->d, jsonx_key_off(&l->j, node), "%s", b.s ? b.s : "");
	sbuf_free(&b);
}

/* Reports unknown keys (with a suggestion) and duplicate keys of obj. */
void ld_check_keys(struct ld *l, const cJSON *obj, const char *where, const char *const *known)
{
	size_t nk = 0;
	while (known[nk])
		nk++;
	for (const cJSON *c = obj->child; c; c = c->next) {
		int ok = 0;
		for (size_t i = 0; i < nk && !ok; i++)
			ok = !strcmp(c->string, known[i]);
		if (!ok) {
			const char *s = util_suggest(c->string, known, nk);
			if (s)
				ld_err_key(l, c, "unknown key \"%s\" in %s (did you mean \"%s\"?)", c->string, where, s);
			else
				ld_err_key(l, c, "unknown key \"%s\" in %s", c->string, where);
			continue;
		}
		for (const cJSON *e = obj->child; e != c; e = e->next)
			if (!strcmp(e->string, c->string)) {
				int line, col;
				diags_linecol(l->d, jsonx_key_off(&l->j, e), &line, &col);
				ld_err_key(l, c, "duplicate key \"%s\" in %s (first at line %d)", c->string, where, line);
				break;
			}
	}
}

const char *ld_get_str(struct ld *l, const cJSON *obj, const char *key, int *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (present)
		*present = v != NULL;
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsString(v)) {
		ld_err_at(l, v, "\"%s\" must be a string, not %s", key, jsonx_type_name(v));
		return NULL;
	}
	return v->valuestring;
}

char *ld_dup_str(struct ld *l, const cJSON *obj, const char *key)
{
	const char *s = ld_get_str(l, obj, key, NULL);
	return s ? xstrdup(s) : NULL;
}

static int get_bool(struct ld *l, const cJSON *obj, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		return def;
	if (!cJSON_IsBool(v)) {
		ld_err_at(l, v, "\"%s\" must be true or false, not %s", key, jsonx_type_name(v));
		return def;
	}
	return cJSON_IsTrue(v);
}

/* An integer >= min; def when absent. */
static int get_int(struct ld *l, const cJSON *obj, const char *key, int def, int min, int max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		return def;
	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long long)v->valuedouble) {
		ld_err_at(l, v, "\"%s\" must be a whole number, not %s", key,
		       cJSON_IsNumber(v) ? "a fraction" : jsonx_type_name(v));
		return def;
	}
	if (v->valuedouble < min) {
		ld_err_at(l, v, "\"%s\" must be at least %d (got %.0f)", key, min, v->valuedouble);
		return def;
	}
	if (v->valuedouble > max) {
		ld_err_at(l, v, "\"%s\" must be at most %d (got %.0f)", key, max, v->valuedouble);
		return def;
	}
	return (int)v->valuedouble;
}

/* An array of strings (NULL when absent or wrong). */
strv ld_get_strv(struct ld *l, const cJSON *obj, const char *key, int nonempty)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsArray(v)) {
		ld_err_at(l, v, "\"%s\" must be an array of strings, not %s", key, jsonx_type_name(v));
		return NULL;
	}
	int n = cJSON_GetArraySize(v);
	if (nonempty && n == 0) {
		ld_err_at(l, v, "\"%s\" must not be empty", key);
		return NULL;
	}
	strv out = xcalloc((size_t)n + 1, sizeof *out);
	int k = 0, bad = 0;
	for (const cJSON *e = v->child; e; e = e->next) {
		if (!cJSON_IsString(e)) {
			ld_err_at(l, e, "\"%s\" must hold only strings, found %s", key, jsonx_type_name(e));
			bad = 1;
			continue;
		}
		out[k++] = xstrdup(e->valuestring);
	}
	if (bad) {
		strv_free(out);
		return NULL;
	}
	return out;
}

/* Unknown {placeholders} in a template are errors ({files} is known only
 * in resolve_prompt: with_files). */
static void check_template_in(struct ld *l, const cJSON *node, const char *what, const char *s,
			      int with_files)
{
	size_t nk = with_files ? ARRAY_LEN(placeholders) - 1 : NPLACEHOLDERS_COMMON;
	for (; *s; s++) {
		if (s[0] == '{' && s[1] == '{') {
			s++;
			continue;
		}
		if (*s != '{')
			continue;
		const char *e = strchr(s, '}');
		if (!e)
			return;
		char name[64];
		size_t n = (size_t)(e - s - 1);
		if (n >= sizeof name || n == 0) {
			s = e;
			continue;
		}
		memcpy(name, s + 1, n);
		name[n] = 0;
		int ok = 0;
		for (size_t i = 0; i < nk && !ok; i++)
			ok = !strcmp(name, placeholders[i]);
		if (!ok && !strcmp(name, "files")) {
			ld_err_at(l, node, "placeholder {files} in %s: it is known only in \"resolve_prompt\" "
					   "(the conflicted files)", what);
		} else if (!ok) {
			const char *sug = util_suggest(name, placeholders, nk);
			if (sug)
				ld_err_at(l, node, "unknown placeholder {%s} in %s (did you mean {%s}?)", name, what, sug);
			else
				ld_err_at(l, node, "unknown placeholder {%s} in %s (known: {id} {title} {prompt} "
						"{territory} {branch} {worktree} {deps} {prompt_file} {base}%s; "
						"write {{ for a literal brace)",
				       name, what, with_files ? " {files}" : "");
		}
		s = e;
	}
}

static void check_template(struct ld *l, const cJSON *node, const char *what, const char *s)
{
	check_template_in(l, node, what, s, 0);
}

static void check_regex(struct ld *l, const cJSON *node, const char *what, const char *re)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char buf[256];
		regerror(rc, &rx, buf, sizeof buf);
		ld_err_at(l, node, "invalid regular expression in %s: %s", what, buf);
		return;
	}
	regfree(&rx);
}

static const char *const profile_keys[] = { "command", "resume", "waiting", "working_title",
					    "idle_after", NULL };

static void load_profiles(struct ld *l, const cJSON *agents)
{
	struct plan *p = l->p;
	if (!cJSON_IsObject(agents)) {
		ld_err_at(l, agents, "\"agents\" must be an object of named profiles, not %s",
		       jsonx_type_name(agents));
		return;
	}
	for (const cJSON *a = agents->child; a; a = a->next) {
		if (!plan_id_valid(a->string)) {
			ld_err_key(l, a, "agent profile name \"%s\" %s", a->string, ld_id_problem(a->string));
			continue;
		}
		struct plan_profile pr = { 0 };
		pr.name = xstrdup(a->string);
		if (cJSON_IsArray(a)) { /* shorthand: the argv template */
			int n = cJSON_GetArraySize(a);
			if (!n)
				ld_err_at(l, a, "agent profile \"%s\" has an empty command", a->string);
			pr.argv = xcalloc((size_t)n + 1, sizeof *pr.argv);
			int k = 0;
			for (const cJSON *e = a->child; e; e = e->next) {
				if (!cJSON_IsString(e))
					ld_err_at(l, e, "agent profile \"%s\" command must hold only strings", a->string);
				else
					pr.argv[k++] = xstrdup(e->valuestring);
			}
		} else if (cJSON_IsObject(a)) {
			char *where = xasprintf("agent profile \"%s\"", a->string);
			ld_check_keys(l, a, where, profile_keys);
			free(where);
			const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(a, "command");
			if (!cmd)
				ld_err_at(l, a, "agent profile \"%s\" has no \"command\" (an argv array such as "
					     "[\"my-agent\", \"{prompt}\"])",
				       a->string);
			pr.argv = ld_get_strv(l, a, "command", 1);
			pr.resume = ld_get_strv(l, a, "resume", 1);
			pr.waiting = ld_get_strv(l, a, "waiting", 0);
			pr.working_title = ld_dup_str(l, a, "working_title");
			pr.idle_after = get_int(l, a, "idle_after", 0, 1, 86400);
			const cJSON *w = cJSON_GetObjectItemCaseSensitive(a, "waiting");
			if (pr.waiting)
				for (const cJSON *e = w->child; e; e = e->next)
					check_regex(l, e, "\"waiting\"", e->valuestring);
			if (pr.working_title)
				check_regex(l, cJSON_GetObjectItemCaseSensitive(a, "working_title"),
					    "\"working_title\"", pr.working_title);
		} else {
			ld_err_at(l, a, "agent profile \"%s\" must be an object or an argv array, not %s",
			       a->string, jsonx_type_name(a));
		}
		const cJSON *cmdnode = cJSON_IsArray(a) ? a : cJSON_GetObjectItemCaseSensitive(a, "command");
		for (size_t i = 0; pr.argv && pr.argv[i]; i++)
			check_template(l, cmdnode, "the agent command", pr.argv[i]);
		p->profiles = xrealloc(p->profiles, ((size_t)p->nprofiles + 1) * sizeof *p->profiles);
		p->profiles[p->nprofiles++] = pr;
	}
}

static const char *const plan_keys[] = {
	"name", "description", "base", "branch_prefix", "max_workers", "mode", "agent", "agents",
	"validate", "prompt_template", "resolve_prompt", "auto_merge", "auto_advance", "setup", "copy", "symlink",
	"idle_after", "tasks", NULL,
};
static const char *const task_keys[] = {
	"id", "title", "prompt", "depends_on", "territory", "agent", "command", "env", "report", NULL,
};

static void check_rel_paths(struct ld *l, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsArray(v))
		return;
	for (const cJSON *e = v->child; e; e = e->next) {
		if (!cJSON_IsString(e))
			continue;
		const char *s = e->valuestring;
		if (!*s || s[0] == '/' || !strcmp(s, "..") || !strncmp(s, "../", 3) || strstr(s, "/../") ||
		    (strlen(s) >= 3 && !strcmp(s + strlen(s) - 3, "/..")))
			ld_err_at(l, e, "\"%s\" path \"%s\" must be relative to the repository root and stay inside it",
			       key, s);
	}
}

static void load_task(struct ld *l, const cJSON *o, struct plan_task *t)
{
	t->line = t->col = 0;
	diags_linecol(l->d, jsonx_off(&l->j, o), &t->line, &t->col);
	if (!cJSON_IsObject(o)) {
		ld_err_at(l, o, "a task must be an object, not %s", jsonx_type_name(o));
		return;
	}
	ld_check_keys(l, o, "task", task_keys);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (!id) {
		ld_err_at(l, o, "task has no \"id\"");
	} else if (!cJSON_IsString(id)) {
		ld_err_at(l, id, "\"id\" must be a string, not %s", jsonx_type_name(id));
	} else {
		t->id = xstrdup(id->valuestring);
		if (!plan_id_valid(t->id))
			ld_err_at(l, id, "task id \"%s\" %s (ids name branches and directories)", t->id,
			       ld_id_problem(t->id));
	}
	t->title = ld_dup_str(l, o, "title");
	t->prompt = ld_dup_str(l, o, "prompt");
	if (t->prompt && strlen(t->prompt) > PLAN_PROMPT_MAX)
		ld_err_at(l, cJSON_GetObjectItemCaseSensitive(o, "prompt"),
		       "prompt of task \"%s\" is %zu bytes, over the 1 MiB limit", t->id ? t->id : "?",
		       strlen(t->prompt));
	t->depends_on = ld_get_strv(l, o, "depends_on", 0);
	t->territory = ld_get_strv(l, o, "territory", 0);
	check_rel_paths(l, o, "territory");
	t->agent = ld_dup_str(l, o, "agent");
	t->command = ld_get_strv(l, o, "command", 1);
	t->report = ld_dup_str(l, o, "report");
	if (t->command)
		for (const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "command")->child; e; e = e->next)
			check_template(l, e, "\"command\"", e->valuestring);
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(o, "env");
	if (env && !cJSON_IsObject(env)) {
		ld_err_at(l, env, "\"env\" must be an object of names to strings, not %s", jsonx_type_name(env));
	} else if (env) {
		int n = cJSON_GetArraySize(env), k = 0;
		t->env = xcalloc((size_t)n + 1, sizeof *t->env);
		for (const cJSON *e = env->child; e; e = e->next) {
			const char *k0 = e->string;
			int okname = *k0 && !(k0[0] >= '0' && k0[0] <= '9');
			for (const char *c = k0; *c && okname; c++)
				okname = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
					 (*c >= '0' && *c <= '9') || *c == '_';
			if (!okname)
				ld_err_key(l, e, "environment variable name \"%s\" is not valid", k0);
			else if (!cJSON_IsString(e))
				ld_err_at(l, e, "environment variable \"%s\" must be a string, not %s", k0,
				       jsonx_type_name(e));
			else
				t->env[k++] = xasprintf("%s=%s", k0, e->valuestring);
		}
	}
}

/* Resolves task i's dependency ids into indices, reporting unknown and self
 * dependencies at offs[k] (one offset per entry) or at off when offs is NULL. */
void ld_resolve_task(struct ld *l, int i, const size_t *offs, size_t off, const char **ids, int nids)
{
	struct plan *p = l->p;
	struct plan_task *t = &p->tasks[i];
	size_t n = strv_len(t->depends_on);
	t->deps = xcalloc(n + 1, sizeof(int));
	l->dep_offs[i] = xcalloc(n + 1, sizeof(size_t));
	for (size_t k = 0; k < n; k++) {
		const char *d = t->depends_on[k];
		size_t at = offs ? offs[k] : off;
		int j = plan_find(p, d);
		if (j < 0) {
			const char *sug = util_suggest(d, ids, (size_t)nids);
			diag_add(l->d, at, "task \"%s\" depends on unknown task \"%s\"%s%s%s", t->id ? t->id : "?", d,
				 sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
		} else if (j == i) {
			diag_add(l->d, at, "task \"%s\" depends on itself", t->id);
		} else {
			l->dep_offs[i][t->ndeps] = at;
			t->deps[t->ndeps++] = j;
		}
	}
}

/* The ids of all tasks, for suggestions. */
const char **ld_all_ids(const struct plan *p, int *n)
{
	const char **ids = xcalloc((size_t)p->ntasks + 1, sizeof *ids);
	*n = 0;
	for (int i = 0; i < p->ntasks; i++)
		if (p->tasks[i].id)
			ids[(*n)++] = p->tasks[i].id;
	return ids;
}

static void resolve_deps(struct ld *l, const cJSON *tasks_node)
{
	int nids, i = 0;
	const char **ids = ld_all_ids(l->p, &nids);
	for (const cJSON *o = tasks_node->child; o; o = o->next, i++) {
		size_t n = strv_len(l->p->tasks[i].depends_on);
		size_t *offs = xcalloc(n + 1, sizeof *offs);
		const cJSON *dn = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, "depends_on") : NULL;
		const cJSON *e = dn ? dn->child : NULL;
		for (size_t k = 0; k < n; k++, e = e ? e->next : NULL)
			offs[k] = jsonx_off(&l->j, e ? e : o);
		ld_resolve_task(l, i, offs, 0, ids, nids);
		free(offs);
	}
	free(ids);
}

void ld_check_cycles(struct ld *l)
{
	struct plan *p = l->p;
	struct dag g;
	int *nd = xmalloc(((size_t)p->ntasks + 1) * sizeof(int));
	int **dv = xmalloc(((size_t)p->ntasks + 1) * sizeof(int *));
	for (int i = 0; i < p->ntasks; i++) {
		nd[i] = p->tasks[i].ndeps;
		dv[i] = p->tasks[i].deps;
	}
	dag_init(&g, p->ntasks, dv, nd);
	if (dag_layer(&g) < 0) {
		int **cyc;
		int nc = dag_cycles(&g, &cyc);
		for (int c = 0; c < nc; c++) {
			struct sbuf b = { 0 };
			for (int k = 0; cyc[c][k] >= 0; k++)
				sbuf_printf(&b, "%s%s", k ? " -> " : "", p->tasks[cyc[c][k]].id);
			/* point at the first edge of the cycle */
			int a = cyc[c][0], bnext = cyc[c][1];
			size_t off = 0;
			for (int k = 0; k < p->tasks[a].ndeps; k++)
				if (p->tasks[a].deps[k] == bnext)
					off = l->dep_offs[a][k];
			diag_add(l->d, off, "dependency cycle: %s", b.s);
			sbuf_free(&b);
		}
		dag_cycles_free(cyc, nc);
	} else {
		for (int i = 0; i < p->ntasks; i++)
			p->tasks[i].wave = g.wave[i];
		p->nwaves = g.nwaves;
	}
	dag_free(&g);
	free(nd);
	free(dv);
}

static char *base_name_of(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	char *s = xstrdup(*b ? b : "plan");
	char *dot = strrchr(s, '.');
	if (dot && dot != s)
		*dot = 0;
	return s;
}

/* "shoal/<name>/" with characters unsafe in a branch replaced by '-'. */
static char *default_prefix(const char *name)
{
	struct sbuf b = { 0 };
	sbuf_adds(&b, "shoal/");
	size_t start = b.len;
	for (const char *c = name; *c; c++) {
		char ch = *c;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			 ch == '_' || ch == '-' || (ch == '.' && b.len > start && b.s[b.len - 1] != '.');
		sbuf_addc(&b, ok ? ch : '-');
	}
	if (b.len == start)
		sbuf_adds(&b, "plan");
	while (b.len > start && b.s[b.len - 1] == '.')
		b.s[--b.len] = 0;
	sbuf_addc(&b, '/');
	return sbuf_steal(&b);
}

static void add_profiles(struct plan *p, const struct plan_load_opts *o)
{
	int nb;
	const struct plan_profile *b = plan_builtin_profiles(&nb);
	int extra = o ? o->nextra_profiles : 0;
	p->profiles = xcalloc((size_t)(nb + extra) + 1, sizeof *p->profiles);
	for (int i = 0; i < nb; i++)
		profile_copy(&p->profiles[p->nprofiles++], &b[i]);
	for (int i = 0; i < extra; i++)
		profile_copy(&p->profiles[p->nprofiles++], &o->extra_profiles[i]);
}

void ld_set_defaults(struct plan *p)
{
	if (!p->name)
		p->name = base_name_of(p->path);
	if (!p->branch_prefix)
		p->branch_prefix = default_prefix(p->name);
	if (!p->prompt_template)
		p->prompt_template = xstrdup(DEFAULT_TEMPLATE);
	if (!p->resolve_prompt)
		p->resolve_prompt = xstrdup(DEFAULT_RESOLVE);
}

/* Checks that apply to every format once tasks are loaded. */
static void check_tasks(struct ld *l, const cJSON *tasks_node)
{
	struct plan *p = l->p;
	ld_idmap_build(p);
	char *probe = xasprintf("%sx", p->branch_prefix ? p->branch_prefix : "");
	int prefix_ok = !branch_problem(probe); /* a bad prefix is reported once, not per task */
	free(probe);
	/* duplicates */
	int i = 0;
	for (const cJSON *o = tasks_node->child; o; o = o->next, i++) {
		struct plan_task *t = &p->tasks[i];
		if (!t->id)
			continue;
		int first = plan_find(p, t->id);
		if (first >= 0 && first != i) {
			const cJSON *idn = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, "id") : o;
			ld_err_at(l, idn ? idn : o, "duplicate task id \"%s\" (first defined at line %d)", t->id,
			       p->tasks[first].line);
		}
		if (p->format == PLAN_FORMAT_SHOAL && !t->command) {
			const char *ag = t->agent ? t->agent : p->agent;
			if (!ag) {
				ld_err_at(l, o, "task \"%s\" has no \"command\" and no agent (set \"agent\" on the "
					     "task or the plan, or give a \"command\")",
				       t->id);
			} else if (!plan_profile_find(p, ag) && t->agent) {
				const char **names = xcalloc((size_t)p->nprofiles + 1, sizeof *names);
				for (int k = 0; k < p->nprofiles; k++)
					names[k] = p->profiles[k].name;
				const char *sug = util_suggest(ag, names, (size_t)p->nprofiles);
				const cJSON *an = cJSON_GetObjectItemCaseSensitive(o, "agent");
				if (sug)
					ld_err_at(l, an, "task \"%s\" uses unknown agent \"%s\" (did you mean \"%s\"?)",
					       t->id, ag, sug);
				else
					ld_err_at(l, an, "task \"%s\" uses unknown agent \"%s\"", t->id, ag);
				free(names);
			}
		}
		if (t->id && plan_id_valid(t->id) && prefix_ok) {
			char *br = plan_task_branch(p, t);
			const char *why = branch_problem(br);
			if (why)
				ld_err_at(l, o, "branch name \"%s\" for task \"%s\" %s", br, t->id, why);
			free(br);
		}
	}
	resolve_deps(l, tasks_node);
	ld_check_cycles(l);
}

static void load_shoal(struct ld *l, const cJSON *root)
{
	struct plan *p = l->p;
	if (!cJSON_IsObject(root)) {
		ld_err_at(l, root, "a plan must be a JSON object with \"tasks\", not %s", jsonx_type_name(root));
		return;
	}
	ld_check_keys(l, root, "plan", plan_keys);
	p->name = ld_dup_str(l, root, "name");
	if (p->name && !*p->name)
		ld_err_at(l, cJSON_GetObjectItemCaseSensitive(root, "name"), "\"name\" must not be empty");
	p->base = ld_dup_str(l, root, "base");
	if (p->base) {
		const char *why = branch_problem(p->base);
		if (why)
			ld_err_at(l, cJSON_GetObjectItemCaseSensitive(root, "base"), "base branch \"%s\" %s", p->base, why);
	}
	p->branch_prefix = ld_dup_str(l, root, "branch_prefix");
	if (p->branch_prefix) {
		char *probe = xasprintf("%sx", p->branch_prefix);
		const char *why = branch_problem(probe);
		if (why)
			ld_err_at(l, cJSON_GetObjectItemCaseSensitive(root, "branch_prefix"),
			       "\"branch_prefix\" \"%s\" does not make valid branch names: the result %s",
			       p->branch_prefix, why);
		free(probe);
	}
	p->max_workers = get_int(l, root, "max_workers", 4, 1, 1000);
	const char *mode = ld_get_str(l, root, "mode", NULL);
	if (mode) {
		if (!strcmp(mode, "waves")) {
			p->mode = PLAN_MODE_WAVES;
		} else if (!strcmp(mode, "dag")) {
			p->mode = PLAN_MODE_DAG;
		} else {
			static const char *const modes[] = { "waves", "dag" };
			const char *s = util_suggest(mode, modes, 2);
			ld_err_at(l, cJSON_GetObjectItemCaseSensitive(root, "mode"),
			       "\"mode\" must be \"waves\" or \"dag\", not \"%s\"%s%s%s", mode,
			       s ? " (did you mean \"" : "", s ? s : "", s ? "\"?)" : "");
		}
	}
	p->agent = ld_dup_str(l, root, "agent");
	p->validate = ld_dup_str(l, root, "validate");
	p->prompt_template = ld_dup_str(l, root, "prompt_template");
	if (p->prompt_template)
		check_template(l, cJSON_GetObjectItemCaseSensitive(root, "prompt_template"), "\"prompt_template\"",
			       p->prompt_template);
	p->resolve_prompt = ld_dup_str(l, root, "resolve_prompt");
	if (p->resolve_prompt)
		check_template_in(l, cJSON_GetObjectItemCaseSensitive(root, "resolve_prompt"),
				  "\"resolve_prompt\"", p->resolve_prompt, 1);
	p->setup = ld_dup_str(l, root, "setup");
	p->copy = ld_get_strv(l, root, "copy", 0);
	p->symlink = ld_get_strv(l, root, "symlink", 0);
	check_rel_paths(l, root, "copy");
	check_rel_paths(l, root, "symlink");
	p->idle_after = get_int(l, root, "idle_after", 5, 1, 86400);
	p->auto_merge = get_bool(l, root, "auto_merge", 0);
	p->auto_advance = get_bool(l, root, "auto_advance", 0);
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(root, "agents");
	if (agents)
		load_profiles(l, agents);
	if (p->agent && !plan_profile_find(p, p->agent)) {
		const char **names = xcalloc((size_t)p->nprofiles + 1, sizeof *names);
		for (int k = 0; k < p->nprofiles; k++)
			names[k] = p->profiles[k].name;
		const char *sug = util_suggest(p->agent, names, (size_t)p->nprofiles);
		ld_err_at(l, cJSON_GetObjectItemCaseSensitive(root, "agent"),
		       "unknown agent \"%s\"%s%s%s (known: claude, codex, aider, gemini, shell, or a profile "
		       "in \"agents\")",
		       p->agent, sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
		free(names);
	}
	ld_set_defaults(p);
	const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(root, "tasks");
	if (!tasks) {
		ld_err_at(l, root, "plan has no \"tasks\"");
		return;
	}
	if (!cJSON_IsArray(tasks)) {
		ld_err_at(l, tasks, "\"tasks\" must be an array, not %s", jsonx_type_name(tasks));
		return;
	}
	p->ntasks = cJSON_GetArraySize(tasks);
	if (!p->ntasks) {
		ld_err_at(l, tasks, "plan has no tasks (\"tasks\" is empty)");
		return;
	}
	p->tasks = xcalloc((size_t)p->ntasks, sizeof *p->tasks);
	l->dep_offs = xcalloc((size_t)p->ntasks, sizeof *l->dep_offs);
	int i = 0;
	for (const cJSON *o = tasks->child; o; o = o->next)
		load_task(l, o, &p->tasks[i++]);
	check_tasks(l, tasks);
}

struct plan *plan_parse(const char *path, const char *text, size_t len, const struct plan_load_opts *o,
			struct diags *d)
{
	size_t before = d->n;
	struct ld l = { .d = d };
	if (jsonx_parse(&l.j, text, len, d) < 0)
		return NULL;
	struct plan *p = xcalloc(1, sizeof *p);
	l.p = p;
	p->path = xstrdup(path);
	add_profiles(p, o);
	const cJSON *root = l.j.root;
	if (cJSON_IsArray(root))
		plan_load_beads(&l, root);
	else if (cJSON_IsObject(root) && !cJSON_GetObjectItemCaseSensitive(root, "tasks") &&
		 (cJSON_GetObjectItemCaseSensitive(root, "wave") || cJSON_GetObjectItemCaseSensitive(root, "blocked") ||
		  cJSON_GetObjectItemCaseSensitive(root, "completed")))
		plan_load_agentops(&l, root);
	else
		load_shoal(&l, root);
	for (int i = 0; l.dep_offs && i < p->ntasks; i++)
		free(l.dep_offs[i]);
	free(l.dep_offs);
	jsonx_free(&l.j);
	if (d->n > before) {
		plan_free(p);
		return NULL;
	}
	return p;
}

struct plan *plan_load(const char *path, const struct plan_load_opts *o, struct diags *d)
{
	struct err e;
	size_t len;
	char *text = util_read_file(path, &len, &e);
	if (!text) {
		diag_add(d, (size_t)-1, "cannot read plan: %s", e.msg);
		return NULL;
	}
	d->text = text;
	d->len = len;
	struct plan *p = plan_parse(path, text, len, o, d);
	/* diagnostics keep their computed line:col; the text can go */
	d->text = NULL;
	d->len = 0;
	free(text);
	return p;
}

void plan_dag(const struct plan *p, struct dag *g)
{
	int *nd = xmalloc(((size_t)p->ntasks + 1) * sizeof(int));
	int **dv = xmalloc(((size_t)p->ntasks + 1) * sizeof(int *));
	for (int i = 0; i < p->ntasks; i++) {
		nd[i] = p->tasks[i].ndeps;
		dv[i] = p->tasks[i].deps;
	}
	dag_init(g, p->ntasks, dv, nd);
	dag_layer(g);
	free(nd);
	free(dv);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->ntasks; i++) {
		struct plan_task *t = &p->tasks[i];
		free(t->id);
		free(t->title);
		free(t->prompt);
		strv_free(t->depends_on);
		free(t->deps);
		strv_free(t->territory);
		free(t->agent);
		strv_free(t->command);
		strv_free(t->env);
		free(t->report);
	}
	free(p->tasks);
	for (int i = 0; i < p->nprofiles; i++)
		profile_clear(&p->profiles[i]);
	free(p->profiles);
	free(p->path);
	free(p->name);
	free(p->base);
	free(p->branch_prefix);
	free(p->agent);
	free(p->validate);
	free(p->prompt_template);
	free(p->resolve_prompt);
	free(p->setup);
	strv_free(p->copy);
	strv_free(p->symlink);
	free(p->id_index);
	free(p);
}
