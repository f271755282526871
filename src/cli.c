/* cli — global options, the subcommand table, dispatch, usage and help, and
 * the helpers every subcommand shares (flag parsing, finding the plan). */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "plan.h"

/* The command table: dispatch, `shoal --help` and usage hints come from it. */
const struct cli_cmd cli_cmds[] = {
	{ "check", "[PLAN]", "validate a plan and print its tasks, waves and critical path", cmd_check },
	{ "waves", "[PLAN] [--json]", "print the waves of a plan (--json: machine-readable)", cmd_waves },
	{ "dag", "[PLAN] [--dot | --list]", "draw the task graph by wave with its edges (--dot: Graphviz DOT; --list: as text)", cmd_dag },
	{ "new", "OBJECTIVE [--roles a,b,c] [--agents claude:3,codex:2] [--validate CMD] [-o FILE] [--force]",
	  "write a starter plan: one task per role or per agent instance, all on OBJECTIVE", cmd_new },
	{ "mark", "TASK done|failed|waiting", "tell the running shoal a task's status (for hooks)", cmd_mark },
	{ "send", "TASK TEXT... | --all TEXT... [--no-enter]", "type TEXT into a running agent (or all of them)", cmd_send },
	{ "run", "[PLAN] [--merge [--resolve]] [--waves N] [--retries N] [--timeout SECS] [--json]",
	  "run the plan without a screen: agents in PTYs, logs in .shoal/logs, progress on stdout", cmd_run },
	{ "status", "[--json | --markdown]", "show every task's state in this repository's run (.shoal/state.json)", cmd_status },
	{ "log", "[TASK] [-n N] [--json]", "show the task state changes (.shoal/logs/events.jsonl)", cmd_log },
	{ "worktree", "ACTION [TASK...] [OPTIONS]",
	  "task worktrees: add TASK..., list [--json], remove TASK... [--force], prune, clean [--force]", cmd_worktree },
	{ "diff", "[TASK...] [--json]",
	  "files each task branch changed, overlaps between tasks, territory violations", cmd_diff },
	{ "merge", "TASK|--wave N [OPTIONS]",
	  "merge into base: --dry-run, --no-validate; --into-task merges base into TASK", cmd_merge },
	{ "exec", "[--layout grid|main] [--focus N] [--scrollback LINES] [--prefix C-x] -- CMD [ARG...] [::: CMD [ARG...]]...",
	  "run commands side by side in tiled panes in the current directory", cmd_exec },
	{ "ui", "[PLAN] [--theme NAME] [--prefix C-x]",
	  "open the dashboard on PLAN (what 'shoal [PLAN]' does)", cmd_ui },
	{ "demo", "[--dir DIR] [--speed K] [--theme NAME]",
	  "create the demo project in a temporary git repository and open the dashboard on it", cmd_demo },
	{ "config", "[--print] [--check FILE] [--theme NAME] [--keys | --keys-markdown]",
	  "print the effective configuration and theme, check a config file, list the keys", cmd_config },
	{ "help", "[COMMAND]", "show help for shoal or one command", NULL },
};
const size_t cli_ncmds = ARRAY_LEN(cli_cmds);

static const struct cli_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < cli_ncmds; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

static void print_help(FILE *f)
{
	fprintf(f, "usage: shoal [-C DIR] [-f PLAN] [--theme NAME] [PLAN]   (the dashboard)\n"
		   "       shoal [-C DIR] [-f PLAN] COMMAND [ARGS]\n"
		   "       shoal --help | --version\n\n"
		   "Runs a swarm of coding agents on one git repository: one worktree and branch per\n"
		   "task of a plan, merged in dependency order.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < cli_ncmds; i++) {
		char left[256];
		snprintf(left, sizeof left, "%s %s", cli_cmds[i].name, cli_cmds[i].usage);
		if (strlen(left) <= 32)
			fprintf(f, "  %-32s  %s\n", left, cli_cmds[i].summary);
		else /* a long usage gets its own line */
			fprintf(f, "  %s\n  %-32s  %s\n", left, "", cli_cmds[i].summary);
	}
	fprintf(f, "\nOptions:\n"
		   "  -C DIR             run as if started in DIR\n"
		   "  -f, --plan FILE    the plan file (default: shoal.json at the repository root)\n"
		   "  -h, --help         this help; 'shoal help COMMAND' for one command\n"
		   "  -V, --version      print the version\n\n"
		   "PLAN may be a shoal plan, a beads export (bd list --json) or an agentops wave file.\n"
		   "Exit status: 0 success, 1 failure or invalid input, 2 usage error.\n"
		   "See shoal(1) for the plan format.\n");
}

static void print_cmd_usage(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "usage: shoal %s %s\n", cmd->name, cmd->usage);
}

/* "shoal CMD: MESSAGE\n" on stderr. */
static void vcomplain(struct cli *c, const char *fmt, va_list ap)
{
	fprintf(stderr, "shoal%s%s: ", c && c->cmd ? " " : "", c && c->cmd ? c->cmd : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcomplain(c, fmt, ap);
	va_end(ap);
	const struct cli_cmd *cmd = c && c->cmd ? find_cmd(c->cmd) : NULL;
	if (cmd)
		fprintf(stderr, "usage: shoal %s %s (see 'shoal help %s')\n", cmd->name, cmd->usage, cmd->name);
	else
		fprintf(stderr, "Run 'shoal --help' for usage.\n");
	return EXIT_USAGE;
}

int cli_fail(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcomplain(c, fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

int cli_parse(struct cli *c, int argc, char **argv, const struct cli_flag *flags, size_t nflags, char **pos,
	      int maxpos, int *npos)
{
	int only_pos = 0;
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || !a[1]) {
			if (*npos >= maxpos)
				return cli_usage_error(c, "unexpected argument '%s'", a);
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			const struct cli_cmd *cmd = find_cmd(c->cmd);
			if (cmd) {
				print_cmd_usage(stdout, cmd);
				printf("%s\n", cmd->summary);
			}
			return -1;
		}
		/* -f/--plan is accepted by every command */
		const char *val = NULL;
		const struct cli_flag *fl = NULL;
		static const char *plan_dummy;
		struct cli_flag planflag = { "--plan", 'f', 1, &plan_dummy };
		const char *eq = strchr(a, '=');
		size_t namelen = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
		for (size_t k = 0; k <= nflags && !fl; k++) {
			const struct cli_flag *f = k < nflags ? &flags[k] : &planflag;
			if (a[1] == '-') {
				if (strlen(f->lng) == namelen && !strncmp(f->lng, a, namelen))
					fl = f;
			} else if (f->shrt && a[1] == f->shrt) {
				fl = f;
			}
		}
		if (!fl)
			return cli_usage_error(c, "unknown option '%s'", a);
		if (fl->takes_value) {
			if (a[1] == '-' && eq)
				val = eq + 1;
			else if (a[1] != '-' && a[2])
				val = a + 2;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return cli_usage_error(c, "option '%s' needs a value", fl->lng);
		} else {
			if ((a[1] == '-' && eq) || (a[1] != '-' && a[2]))
				return cli_usage_error(c, "option '%s' takes no value", fl->lng);
			val = "1";
		}
		if (fl == &planflag)
			c->plan_path = val;
		else
			*fl->val = val;
	}
	return 0;
}

char *cli_repo_root(void)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	char *dir = xstrdup(cwd);
	for (;;) {
		char *git = xasprintf("%s/.git", dir);
		struct stat st;
		if (stat(git, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				free(git);
				return dir;
			}
			/* a linked worktree: .git is "gitdir: <main>/.git/worktrees/<name>" */
			size_t len;
			char *txt = util_read_file(git, &len, NULL);
			free(git);
			if (txt && !strncmp(txt, "gitdir: ", 8)) {
				char *gd = txt + 8;
				gd[strcspn(gd, "\r\n")] = 0;
				char *w = strstr(gd, "/.git/worktrees/");
				if (w) {
					*w = 0;
					char *root = gd[0] == '/' ? xstrdup(gd) : xasprintf("%s/%s", dir, gd);
					free(txt);
					free(dir);
					return root;
				}
			}
			free(txt);
			return dir;
		}
		free(git);
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			free(dir);
			return NULL;
		}
		*slash = 0;
	}
}

struct plan *cli_load_plan(struct cli *c, const char *positional)
{
	const char *path = positional ? positional : c->plan_path;
	char *owned = NULL;
	if (!path) {
		char *root = cli_repo_root();
		if (!root) {
			cli_fail(c, "no plan given and not inside a git repository (pass PLAN or -f FILE)");
			return NULL;
		}
		owned = xasprintf("%s/shoal.json", root);
		free(root);
		if (access(owned, F_OK) != 0) {
			cli_fail(c, "no plan given and %s does not exist (pass PLAN or -f FILE)", owned);
			free(owned);
			return NULL;
		}
		path = owned;
	}
	struct diags d;
	diags_init(&d, path, NULL, 0);
	struct plan *p = plan_load(path, NULL, &d);
	if (!p)
		diags_print(&d, stderr);
	diags_free(&d);
	free(owned);
	return p;
}

static int cmd_help(struct cli *c, int argc, char **argv)
{
	if (argc > 2)
		return cli_usage_error(c, "help takes at most one command");
	if (argc == 2) {
		const struct cli_cmd *cmd = find_cmd(argv[1]);
		if (!cmd)
			return cli_usage_error(c, "unknown command '%s'", argv[1]);
		print_cmd_usage(stdout, cmd);
		printf("%s\n", cmd->summary);
		return EXIT_OK;
	}
	print_help(stdout);
	return EXIT_OK;
}

/* A positional argument that names a plan file rather than a command. */
static int is_plan_arg(const char *a)
{
	size_t n = strlen(a);
	return access(a, F_OK) == 0 || strchr(a, '/') || (n > 5 && !strcmp(a + n - 5, ".json"));
}

static int has_default_plan(void)
{
	char *root = cli_repo_root();
	if (!root)
		return 0;
	char *p = xasprintf("%s/shoal.json", root);
	int ok = access(p, F_OK) == 0;
	free(p);
	free(root);
	return ok;
}

int cli_main(int argc, char **argv)
{
	struct cli c = { 0 };
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			return EXIT_OK;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("shoal %s\n", SHOAL_VERSION);
			return EXIT_OK;
		}
		if (!strcmp(a, "-C") || !strcmp(a, "-f") || !strcmp(a, "--plan") || !strncmp(a, "--plan=", 7) ||
		    (a[1] == 'C' && a[2]) || (a[1] == 'f' && a[2])) {
			const char *v;
			if (!strncmp(a, "--plan=", 7))
				v = a + 7;
			else if (a[1] != '-' && a[2])
				v = a + 2;
			else if (i + 1 < argc)
				v = argv[++i];
			else
				return cli_usage_error(&c, "option '%s' needs a value", a);
			if (a[1] == 'C') {
				if (chdir(v) != 0)
					return cli_fail(&c, "cannot change to directory '%s': %s", v, strerror(errno));
			} else {
				c.plan_path = v;
			}
			continue;
		}
		if (!strncmp(a, "--theme", 7) || !strncmp(a, "--prefix", 8) || !strcmp(a, "-t"))
			break; /* dashboard options: shoal [--theme T] [PLAN] */
		return cli_usage_error(&c, "unknown option '%s'", a);
	}
	if (i >= argc || argv[i][0] == '-' || (!find_cmd(argv[i]) && is_plan_arg(argv[i]))) {
		/* shoal [PLAN]: the dashboard (no plan and no shoal.json: the help) */
		if (i >= argc && !c.plan_path && !has_default_plan()) {
			print_help(stderr);
			return EXIT_USAGE;
		}
		char **v = xcalloc((size_t)(argc - i) + 2, sizeof *v);
		v[0] = "ui";
		for (int k = i; k < argc; k++)
			v[k - i + 1] = argv[k];
		c.cmd = "ui";
		int rc = cmd_ui(&c, argc - i + 1, v);
		free(v);
		return rc;
	}
	const struct cli_cmd *cmd = find_cmd(argv[i]);
	if (!cmd) {
		const char *names[64];
		size_t n = 0;
		for (size_t k = 0; k < cli_ncmds && n < ARRAY_LEN(names); k++)
			names[n++] = cli_cmds[k].name;
		const char *s = util_suggest(argv[i], names, n);
		if (s)
			return cli_usage_error(&c, "unknown command '%s' (did you mean '%s'?)", argv[i], s);
		return cli_usage_error(&c, "unknown command '%s'", argv[i]);
	}
	c.cmd = cmd->name;
	if (!cmd->fn)
		return cmd_help(&c, argc - i, argv + i);
	return cmd->fn(&c, argc - i, argv + i);
}
