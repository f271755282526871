/* cmd_orch — orchestration subcommands that need no dashboard:
 * `shoal new` (write a starter plan: one task per role or per agent
 * instance, all on one objective), the control-socket clients `shoal mark`
 * and `shoal send`, and the readers of .shoal/ `shoal status` and
 * `shoal log`. */
#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assets.h"
#include "cli.h"
#include "cmd.h"
#include "ctl.h"
#include "plan.h"
#include "state.h"

#define NEW_MAX_TASKS 64
#define NEW_MAX_PER_AGENT 32

/* ---- shoal new ---- */

struct newplan {
	char *roles[NEW_MAX_TASKS];
	int nroles;
	const char *inst[NEW_MAX_TASKS]; /* one profile name per agent instance */
	int ninst;
	int agents_given;
	const char *validate; /* or NULL */
};

/* 1 if the file at root/name has a line starting with target. */
static int has_line(const char *root, const char *name, const char *target)
{
	char *path = xasprintf("%s/%s", root, name);
	char *text = util_read_file(path, NULL, NULL);
	free(path);
	if (!text)
		return 0;
	size_t n = strlen(target);
	int found = 0;
	for (char *l = text; l && !found; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		found = !strncmp(l, target, n);
	free(text);
	return found;
}

static int exists_in(const char *root, const char *name)
{
	char *path = xasprintf("%s/%s", root, name);
	int ok = access(path, F_OK) == 0;
	free(path);
	return ok;
}

/* A validation command guessed from the project's build files at root, or
 * NULL. */
static const char *detect_validate(const char *root)
{
	if (exists_in(root, "Makefile") || exists_in(root, "makefile") || exists_in(root, "GNUmakefile")) {
		const char *mk = exists_in(root, "Makefile") ? "Makefile" : exists_in(root, "makefile") ? "makefile" : "GNUmakefile";
		if (has_line(root, mk, "check:"))
			return "make && make check";
		if (has_line(root, mk, "test:"))
			return "make && make test";
		return "make";
	}
	if (exists_in(root, "Cargo.toml"))
		return "cargo build && cargo test";
	if (exists_in(root, "go.mod"))
		return "go build ./... && go test ./...";
	if (exists_in(root, "package.json"))
		return "npm test";
	if (exists_in(root, "pyproject.toml") || exists_in(root, "setup.py"))
		return "python3 -m pytest";
	return NULL;
}

static int join_err(struct cli *c, const char *what, const char *bad, const char *const *cands,
		    size_t n)
{
	const char *s = util_suggest(bad, cands, n);
	struct sbuf b = { 0 };
	for (size_t i = 0; i < n; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "", cands[i]);
	int rc = cli_usage_error(c, "unknown %s \"%s\"%s%s%s (known: %s)", what, bad,
				 s ? " (did you mean \"" : "", s ? s : "", s ? "\"?)" : "",
				 b.len ? b.s : "none");
	sbuf_free(&b);
	return rc;
}

/* The role names shipped in assets/roles (sorted), for messages. */
static int known_roles(char ***out)
{
	struct err e;
	char *dir = assets_find("roles", &e);
	int n = 0;
	*out = NULL;
	if (!dir)
		return 0;
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return 0;
	struct dirent *de;
	size_t cap = 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 3 && !strcmp(de->d_name + len - 3, ".md")) {
			xgrow((void **)out, &cap, (size_t)n + 1, sizeof **out);
			(*out)[n++] = xstrndup(de->d_name, len - 3);
		}
	}
	closedir(d);
	for (int i = 1; i < n; i++) /* insertion sort: a handful of names */
		for (int j = i; j > 0 && strcmp((*out)[j - 1], (*out)[j]) > 0; j--) {
			char *t = (*out)[j];
			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return n;
}

static void free_strs(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int parse_roles(struct cli *c, const char *spec, struct newplan *np)
{
	char **known;
	int nknown = known_roles(&known);
	int rc = 0;
	char *copy = xstrdup(spec), *save = NULL;
	if (!*spec)
		rc = cli_usage_error(c, "--roles needs at least one role");
	for (char *r = strtok_r(copy, ",", &save); r && !rc; r = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*r))
			r++;
		size_t len = strlen(r);
		while (len && isspace((unsigned char)r[len - 1]))
			r[--len] = 0;
		if (!plan_id_valid(r)) {
			rc = cli_usage_error(c, "role \"%s\" is not a valid task id (letters, digits, '.', '_', '-')", r);
			break;
		}
		int found = 0;
		for (int i = 0; i < nknown; i++)
			found |= !strcmp(known[i], r);
		if (!found) {
			rc = join_err(c, "role", r, (const char *const *)known, (size_t)nknown);
			break;
		}
		for (int i = 0; i < np->nroles; i++)
			if (!strcmp(np->roles[i], r)) {
				rc = cli_usage_error(c, "role \"%s\" is given twice", r);
				break;
			}
		if (!rc && np->nroles >= NEW_MAX_TASKS)
			rc = cli_usage_error(c, "too many roles (at most %d)", NEW_MAX_TASKS);
		if (!rc)
			np->roles[np->nroles++] = xstrdup(r);
	}
	if (!rc && np->nroles == 0)
		rc = cli_usage_error(c, "--roles needs at least one role");
	free(copy);
	free_strs(known, nknown);
	return rc;
}

static int parse_agents(struct cli *c, const char *spec, struct newplan *np)
{
	int nb;
	const struct plan_profile *b = plan_builtin_profiles(&nb);
	const char *names[16];
	for (int i = 0; i < nb && i < 16; i++)
		names[i] = b[i].name;
	char *copy = xstrdup(spec), *save = NULL;
	int rc = 0;
	for (char *a = strtok_r(copy, ",", &save); a && !rc; a = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(a, ':');
		long count = 1;
		if (colon) {
			*colon = 0;
			char *end;
			errno = 0;
			count = strtol(colon + 1, &end, 10);
			if (end == colon + 1 || *end || errno || count < 1 || count > NEW_MAX_PER_AGENT) {
				rc = cli_usage_error(c, "agent count in \"%s:%s\" must be a number from 1 to %d",
						     a, colon + 1, NEW_MAX_PER_AGENT);
				break;
			}
		}
		int k = -1;
		for (int i = 0; i < nb; i++)
			if (!strcmp(names[i], a))
				k = i;
		if (k < 0) {
			rc = join_err(c, "agent", a, names, (size_t)nb);
			break;
		}
		for (int i = 0; i < np->ninst; i++)
			if (!strcmp(np->inst[i], names[k])) {
				rc = cli_usage_error(c, "agent \"%s\" is given twice (use %s:N for N instances)",
						     a, a);
				break;
			}
		if (!rc && np->ninst + count > NEW_MAX_TASKS)
			rc = cli_usage_error(c, "too many agent instances (at most %d)", NEW_MAX_TASKS);
		for (long i = 0; !rc && i < count; i++)
			np->inst[np->ninst++] = names[k];
	}
	if (!rc && np->ninst == 0)
		rc = cli_usage_error(c, "--agents needs at least one agent");
	free(copy);
	return rc;
}

/* "Add OAuth login!" -> "add-oauth-login" (at most 40 bytes; "swarm" when
 * nothing is left). */
static char *slug(const char *s)
{
	struct sbuf b = { 0 };
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && b.len < 40; p++) {
		if (isalnum(*p)) {
			if (dash && b.len)
				sbuf_addc(&b, '-');
			sbuf_addc(&b, (char)tolower(*p));
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (!b.len)
		sbuf_adds(&b, "swarm");
	return sbuf_steal(&b);
}

static char *shorten(const char *s, size_t max)
{
	size_t n = strcspn(s, "\n");
	if (n <= max)
		return xstrndup(s, n);
	size_t cut = max;
	while (cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	char *r = xmalloc(cut + 4);
	memcpy(r, s, cut);
	memcpy(r + cut, "\xe2\x80\xa6", 4);
	return r;
}

/* Builds the plan text. NULL with e when a role prompt cannot be read. */
static char *new_plan_json(const char *objective, const struct newplan *np, struct err *e)
{
	/* Roles and agent instances pair up in turn; with more instances than
	 * roles, roles repeat (several agents on one role: domain-1, domain-2). */
	int ntasks = np->nroles ? (np->agents_given && np->ninst > np->nroles ? np->ninst : np->nroles)
				: np->ninst;
	char *ids[NEW_MAX_TASKS], *role_of[NEW_MAX_TASKS];
	const char *agent_of[NEW_MAX_TASKS];
	for (int i = 0; i < ntasks; i++) {
		if (np->nroles) {
			int r = i % np->nroles;
			role_of[i] = np->roles[r];
			agent_of[i] = np->inst[i % np->ninst];
			int uses = (ntasks - r + np->nroles - 1) / np->nroles;
			ids[i] = uses > 1 ? xasprintf("%s-%d", np->roles[r], i / np->nroles + 1)
					  : xstrdup(np->roles[r]);
		} else {
			int k = 1;
			for (int j = 0; j < i; j++)
				k += !strcmp(np->inst[j], np->inst[i]);
			ids[i] = xasprintf("%s-%d", np->inst[i], k);
			role_of[i] = "domain";
			agent_of[i] = np->inst[i];
		}
	}
	cJSON *root = cJSON_CreateObject();
	char *name = slug(objective);
	cJSON_AddStringToObject(root, "name", name);
	free(name);
	cJSON_AddStringToObject(root, "description", objective);
	cJSON_AddStringToObject(root, "agent", np->inst[0]);
	cJSON_AddNumberToObject(root, "max_workers", ntasks < 8 ? ntasks : 8);
	if (np->validate && *np->validate)
		cJSON_AddStringToObject(root, "validate", np->validate);
	cJSON *tasks = cJSON_AddArrayToObject(root, "tasks");
	char *res = NULL;
	char *obj_short = shorten(objective, 60);
	for (int i = 0; i < ntasks; i++) {
		char *rel = xasprintf("roles/%s.md", role_of[i]);
		char *path = assets_find(rel, e);
		free(rel);
		char *persona = path ? util_read_file(path, NULL, e) : NULL;
		free(path);
		if (!persona)
			goto out;
		struct sbuf pr = { 0 };
		sbuf_printf(&pr, "Objective: %s\n\n", objective);
		if (ntasks > 1) {
			sbuf_printf(&pr, "You are one of %d agents working on this objective in parallel, each "
					 "in its own git worktree and branch. The others: ", ntasks);
			int first = 1;
			for (int j = 0; j < ntasks; j++) {
				if (j == i)
					continue;
				if (np->nroles)
					sbuf_printf(&pr, "%s%s (%s)", first ? "" : ", ", ids[j], agent_of[j]);
				else
					sbuf_printf(&pr, "%s%s", first ? "" : ", ", ids[j]);
				first = 0;
			}
			sbuf_adds(&pr, ". Stay within your role so that the branches merge cleanly.\n\n");
		}
		sbuf_adds(&pr, persona);
		free(persona);
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "id", ids[i]);
		char *title = xasprintf("%s: %s", ids[i], obj_short);
		cJSON_AddStringToObject(t, "title", title);
		free(title);
		cJSON_AddStringToObject(t, "prompt", pr.s);
		sbuf_free(&pr);
		if (strcmp(agent_of[i], np->inst[0]))
			cJSON_AddStringToObject(t, "agent", agent_of[i]);
		cJSON_AddItemToArray(tasks, t);
	}
	char *txt = cJSON_Print(root);
	res = xasprintf("%s\n", txt);
	free(txt);
out:
	free(obj_short);
	cJSON_Delete(root);
	for (int i = 0; i < ntasks; i++)
		free(ids[i]);
	return res;
}

static int write_new_file(const char *path, const char *text, int force, struct err *e)
{
	if (!force && access(path, F_OK) == 0)
		return err_set(e, "%s already exists; not overwriting it (use --force, or -o another file)", path);
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	size_t n = strlen(text);
	int ok = write(fd, text, n) == (ssize_t)n;
	ok &= close(fd) == 0;
	if (!ok || rename(tmp, path) < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int cmd_new(struct cli *c, int argc, char **argv)
{
	const char *roles = NULL, *agents = NULL, *out = NULL, *force = NULL, *validate = NULL;
	const struct cli_flag flags[] = {
		{ "--roles", 'r', 1, &roles },
		{ "--agents", 'a', 1, &agents },
		{ "--output", 'o', 1, &out },
		{ "--force", 0, 0, &force },
		{ "--validate", 0, 1, &validate },
	};
	char *pos[1];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 1, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos < 1)
		return cli_usage_error(c, "missing the OBJECTIVE (what the agents should achieve)");
	const char *objective = pos[0];
	const char *p = objective;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return cli_usage_error(c, "the OBJECTIVE is empty");
	struct err e;
	if (!util_utf8_valid(objective, strlen(objective), NULL))
		return cli_fail(c, "the OBJECTIVE is not valid UTF-8");

	struct newplan np = { .nroles = 0 };
	if (roles && (rc = parse_roles(c, roles, &np)))
		goto done;
	if (agents && (rc = parse_agents(c, agents, &np)))
		goto done;
	np.agents_given = agents != NULL;
	if (!np.ninst)
		np.inst[np.ninst++] = "claude";
	if (!np.nroles && !agents) {
		/* Neither: a balanced default team. */
		static const char *const def[] = { "domain", "adversarial", "tests" };
		for (size_t i = 0; i < ARRAY_LEN(def); i++)
			np.roles[np.nroles++] = xstrdup(def[i]);
	}

	/* The validation command run after each merge: given, or guessed from
	 * the build files at the repository root ("" for none). */
	int guessed = 0;
	if (validate) {
		np.validate = validate;
	} else {
		char *root = cli_repo_root();
		char *cwd = root ? NULL : getcwd(NULL, 0);
		np.validate = detect_validate(root ? root : cwd ? cwd : ".");
		guessed = np.validate != NULL;
		free(root);
		free(cwd);
	}
	char *text = new_plan_json(objective, &np, &e);
	if (!text) {
		rc = cli_fail(c, "%s", e.msg);
		goto done;
	}
	/* Our own output must load cleanly; a failure here is a bug in shoal. */
	struct diags d;
	diags_init(&d, "(new plan)", text, strlen(text));
	struct plan *pl = plan_parse("(new plan)", text, strlen(text), NULL, &d);
	if (!pl) {
		diags_print(&d, stderr);
		diags_free(&d);
		free(text);
		rc = cli_fail(c, "internal error: the generated plan does not load");
		goto done;
	}
	diags_free(&d);

	char *owned = NULL;
	if (!out) {
		char *root = cli_repo_root();
		owned = root ? xasprintf("%s/shoal.json", root) : xstrdup("shoal.json");
		free(root);
		out = owned;
	}
	if (!strcmp(out, "-")) {
		fputs(text, stdout);
	} else if (write_new_file(out, text, force != NULL, &e) < 0) {
		rc = cli_fail(c, "%s", e.msg);
	} else {
		printf("wrote %s: plan \"%s\", %d task%s:", out, pl->name, pl->ntasks,
		       pl->ntasks == 1 ? "" : "s");
		for (int i = 0; i < pl->ntasks; i++) {
			const struct plan_profile *pp = plan_task_profile(pl, &pl->tasks[i]);
			printf(" %s (%s)", pl->tasks[i].id, pp ? pp->name : "?");
		}
		printf("\n");
		if (pl->validate)
			printf("validate: %s%s\n", pl->validate, guessed ? " (guessed from the build files; --validate to change)" : "");
		else
			printf("validate: none (add \"validate\": the build and test command run after each merge)\n");
		printf("edit it (\"territory\", dependencies ...), then run: shoal %s\n", out);
	}
	free(owned);
	plan_free(pl);
	free(text);
done:
	for (int i = 0; i < np.nroles; i++)
		free(np.roles[i]);
	return rc;
}

/* ---- shoal mark / shoal send ---- */

static char *shoal_dir(struct cli *c)
{
	char *root = cli_repo_root();
	if (!root) {
		cli_fail(c, "not inside a git repository, so no shoal is running here");
		return NULL;
	}
	char *d = xasprintf("%s/.shoal", root);
	free(root);
	return d;
}

static int request(struct cli *c, const struct ctl_req *r)
{
	char *dir = shoal_dir(c);
	if (!dir)
		return EXIT_FAIL;
	struct ctl_reply rep;
	struct err e;
	int rc = ctl_request(dir, r, &rep, &e);
	free(dir);
	if (rc < 0)
		return cli_fail(c, "%s", e.msg);
	if (!rep.ok)
		return cli_fail(c, "%s", rep.msg);
	if (*rep.msg)
		printf("%s\n", rep.msg);
	return EXIT_OK;
}

int cmd_mark(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos, rc = cli_parse(c, argc, argv, NULL, 0, pos, 2, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos < 2)
		return cli_usage_error(c, "expected TASK and a state (done, failed or waiting)");
	int m = status_mark_parse(pos[1]);
	if (m < 0)
		return cli_usage_error(c, "state must be done, failed or waiting, not \"%s\"", pos[1]);
	if (!plan_id_valid(pos[0]))
		return cli_fail(c, "\"%s\" is not a valid task id", pos[0]);
	struct ctl_req r = { .cmd = CTL_MARK, .task = pos[0], .mark = (enum status_mark)m };
	return request(c, &r);
}

int cmd_send(struct cli *c, int argc, char **argv)
{
	const char *all = NULL, *noenter = NULL;
	const struct cli_flag flags[] = { { "--all", 0, 0, &all }, { "--no-enter", 0, 0, &noenter } };
	char *pos[256];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 256, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	int first = all ? 0 : 1;
	if (npos < first + 1)
		return cli_usage_error(c, all ? "expected the TEXT to send" : "expected TASK and the TEXT to send (or --all TEXT)");
	if (!all && !plan_id_valid(pos[0]))
		return cli_fail(c, "\"%s\" is not a valid task id", pos[0]);
	struct sbuf text = { 0 };
	for (int i = first; i < npos; i++)
		sbuf_printf(&text, "%s%s", i > first ? " " : "", pos[i]);
	if (text.len > CTL_LINE_MAX / 2) {
		sbuf_free(&text);
		return cli_fail(c, "the text is too long (at most %d bytes)", CTL_LINE_MAX / 2);
	}
	struct ctl_req r = { .cmd = CTL_SEND, .task = all ? NULL : pos[0], .all = all != NULL,
			     .text = text.s ? text.s : "", .enter = !noenter };
	rc = request(c, &r);
	sbuf_free(&text);
	return rc;
}

/* ---- shoal status / shoal log ---- */


static void fmt_clock(int64_t ms, char *buf, size_t n)
{
	if (ms <= 0) {
		snprintf(buf, n, "-");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, n, "%H:%M:%S", &tm);
}

int cmd_status(struct cli *c, int argc, char **argv)
{
	const char *json = NULL;
	const struct cli_flag flags[] = { { "--json", 0, 0, &json } };
	char *pos[1];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 0, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	char *dir = shoal_dir(c);
	if (!dir)
		return EXIT_FAIL;
	char *path = xasprintf("%s/state.json", dir);
	struct state s;
	struct err e;
	int lr = state_load(&s, path, &e);
	int pid = state_lock_running(dir);
	if (lr <= 0) {
		rc = lr < 0 ? cli_fail(c, "%s", e.msg)
			    : cli_fail(c, "no shoal run in this repository (no %s)", path);
		free(path);
		free(dir);
		return rc;
	}
	if (json) {
		char *text = state_to_json(&s);
		cJSON *j = cJSON_Parse(text);
		free(text);
		cJSON_AddNumberToObject(j, "shoal_pid", pid);
		text = cJSON_Print(j);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(j);
	} else {
		char upd[16];
		fmt_clock(s.updated_ms, upd, sizeof upd);
		int counts[TASK_NSTATES] = { 0 };
		int w = 4;
		for (int i = 0; i < s.ntasks; i++) {
			counts[s.tasks[i].st]++;
			int l = (int)strlen(s.tasks[i].id);
			w = l > w ? l : w;
		}
		printf("plan %s, %d task%s, updated %s; ", s.plan_path, s.ntasks, s.ntasks == 1 ? "" : "s", upd);
		if (pid)
			printf("shoal is running (pid %d)\n", pid);
		else
			printf("no shoal is running\n");
		for (int i = 0; i < s.ntasks; i++) {
			const struct state_task *t = &s.tasks[i];
			struct sbuf d = { 0 };
			if (t->pid > 0 && task_state_live(t->st) && pid)
				sbuf_printf(&d, "pid %d", t->pid);
			if (t->merge_outcome)
				sbuf_printf(&d, "%s%s%s%.12s", d.len ? ", " : "", t->merge_outcome,
					    t->merge_commit ? " " : "", t->merge_commit ? t->merge_commit : "");
			else if (t->reason)
				sbuf_printf(&d, "%s%s", d.len ? ", " : "", t->reason);
			printf("  %-*s  %-13s  %s\n", w, t->id, task_state_name(t->st), d.len ? d.s : "");
			sbuf_free(&d);
		}
		struct sbuf sum = { 0 };
		for (int k = 0; k < TASK_NSTATES; k++)
			if (counts[k])
				sbuf_printf(&sum, "%s%d %s", sum.len ? ", " : "", counts[k], task_state_name((enum task_state)k));
		printf("%s\n", sum.len ? sum.s : "no tasks");
		sbuf_free(&sum);
	}
	state_free(&s);
	free(path);
	free(dir);
	return EXIT_OK;
}

int cmd_log(struct cli *c, int argc, char **argv)
{
	const char *json = NULL, *nval = NULL;
	const struct cli_flag flags[] = { { "--json", 0, 0, &json }, { "--lines", 'n', 1, &nval } };
	char *pos[1];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 1, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	long last = -1;
	if (nval) {
		char *end;
		errno = 0;
		last = strtol(nval, &end, 10);
		if (end == nval || *end || errno || last < 0)
			return cli_usage_error(c, "-n needs a number of events, not \"%s\"", nval);
	}
	if (npos && !plan_id_valid(pos[0]))
		return cli_fail(c, "\"%s\" is not a valid task id", pos[0]);
	char *dir = shoal_dir(c);
	if (!dir)
		return EXIT_FAIL;
	char *path = xasprintf("%s/logs/events.jsonl", dir);
	free(dir);
	struct err e;
	size_t len;
	errno = 0;
	char *text = util_read_file(path, &len, &e);
	if (!text) {
		rc = errno == ENOENT ? cli_fail(c, "no events yet in this repository (no %s)", path)
				     : cli_fail(c, "%s", e.msg);
		free(path);
		return rc;
	}
	/* Collect the matching lines, then print the last n. */
	char **lines = NULL;
	size_t nl = 0, cap = 0;
	int lineno = 0;
	for (char *l = text, *nx; l && *l; l = nx) {
		nx = strchr(l, '\n');
		if (nx)
			*nx++ = 0;
		lineno++;
		if (!*l)
			continue;
		cJSON *j = cJSON_Parse(l);
		const cJSON *task = cJSON_GetObjectItemCaseSensitive(j, "task");
		const cJSON *from = cJSON_GetObjectItemCaseSensitive(j, "from");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(j, "to");
		const cJSON *ms = cJSON_GetObjectItemCaseSensitive(j, "ms");
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(j, "reason");
		if (!cJSON_IsString(task) || !cJSON_IsString(from) || !cJSON_IsString(to) || !cJSON_IsNumber(ms) ||
		    task_state_parse(from->valuestring) < 0 || task_state_parse(to->valuestring) < 0) {
			fprintf(stderr, "shoal log: %s:%d: not an event line (skipped)\n", path, lineno);
			cJSON_Delete(j);
			continue;
		}
		if (npos && strcmp(task->valuestring, pos[0])) {
			cJSON_Delete(j);
			continue;
		}
		struct sbuf b = { 0 };
		struct task_event ev = { .task = task->valuestring,
					 .from = (enum task_state)task_state_parse(from->valuestring),
					 .to = (enum task_state)task_state_parse(to->valuestring),
					 .time_ms = (int64_t)ms->valuedouble,
					 .reason = cJSON_IsString(why) ? why->valuestring : NULL };
		if (json)
			task_event_json(&ev, &b);
		else
			task_event_human(&ev, &b);
		cJSON_Delete(j);
		xgrow((void **)&lines, &cap, nl + 1, sizeof *lines);
		lines[nl++] = sbuf_steal(&b);
	}
	size_t from_i = last >= 0 && (size_t)last < nl ? nl - (size_t)last : 0;
	for (size_t k = 0; k < nl; k++) {
		if (k >= from_i)
			fputs(lines[k], stdout);
		free(lines[k]);
	}
	free(lines);
	free(text);
	free(path);
	return EXIT_OK;
}
