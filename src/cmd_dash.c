/* cmd_dash — `shoal [PLAN]` / `shoal ui`: the dashboard; `shoal demo`: the
 * demo project in a temporary git repository, opened in the dashboard. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assets.h"
#include "cli.h"
#include "cmd.h"
#include "config.h"
#include "dash.h"
#include "keys.h"
#include "plan.h"

/* Options shared by ui and demo; config first, then the command line. */
static int dash_setup(struct cli *c, const char *theme, const char *prefix, struct dash_opts *o,
		      struct config *cfg, struct plan_load_opts *lo)
{
	struct err e = { { 0 } };
	if (config_load(cfg, NULL, &e) < 0)
		return cli_fail(c, "%s", e.msg);
	memset(o, 0, sizeof *o);
	config_dash_opts(cfg, o);
	if (theme)
		o->theme = theme;
	if (prefix) {
		int k = keys_parse_prefix(prefix);
		if (k < 0)
			return cli_usage_error(c, "bad prefix '%s' (a control key such as C-g or C-a)", prefix);
		o->prefix = k;
	}
	config_plan_opts(cfg, lo);
	o->plan_opts = lo; /* the reload key loads the plan the same way */
	return 0;
}

static struct plan *load_plan(struct cli *c, const char *path, const struct plan_load_opts *lo)
{
	struct diags d;
	diags_init(&d, path, NULL, 0);
	struct plan *p = plan_load(path, lo, &d);
	if (!p)
		diags_print(&d, stderr);
	diags_free(&d);
	(void)c;
	return p;
}

int cmd_ui(struct cli *c, int argc, char **argv)
{
	const char *theme = NULL, *prefix = NULL;
	struct cli_flag flags[] = { { "--theme", 't', 1, &theme }, { "--prefix", 0, 1, &prefix } };
	char *pos[1];
	int npos;
	int rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 1, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct dash_opts o;
	struct config cfg;
	struct plan_load_opts lo = { 0 };
	if ((rc = dash_setup(c, theme, prefix, &o, &cfg, &lo)))
		return rc;
	char *owned = NULL;
	const char *path = npos ? pos[0] : c->plan_path;
	if (!path) {
		char *root = cli_repo_root();
		if (!root) {
			config_free(&cfg);
			return cli_fail(c, "no plan given and not inside a git repository (pass PLAN, or try 'shoal demo')");
		}
		owned = xasprintf("%s/shoal.json", root);
		free(root);
		if (access(owned, F_OK) != 0) {
			rc = cli_fail(c, "no plan given and %s does not exist (pass PLAN, 'shoal new' writes one, 'shoal demo' shows one)", owned);
			free(owned);
			config_free(&cfg);
			return rc;
		}
		path = owned;
	}
	struct plan *p = load_plan(c, path, &lo);
	if (!p) {
		free(owned);
		config_free(&cfg);
		return EXIT_FAIL;
	}
	char *root = cli_repo_root();
	if (!root) {
		plan_free(p);
		free(owned);
		config_free(&cfg);
		return cli_fail(c, "not inside a git repository (run shoal in the repository the plan is for)");
	}
	struct err e = { { 0 } };
	rc = dash_run(p, root, &o, &e) < 0 ? cli_fail(c, "%s", e.msg) : EXIT_OK;
	free(root);
	plan_free(p);
	free(owned);
	config_free(&cfg);
	return rc;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	const char *dir = NULL, *theme = NULL, *prefix = NULL, *speed = NULL;
	struct cli_flag flags[] = { { "--dir", 'd', 1, &dir }, { "--theme", 't', 1, &theme },
				    { "--prefix", 0, 1, &prefix }, { "--speed", 0, 1, &speed } };
	char *pos[1];
	int npos;
	int rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 0, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (speed) {
		char *end;
		double v = strtod(speed, &end);
		if (*end || v < 0 || v > 100)
			return cli_usage_error(c, "--speed wants a delay factor from 0 to 100 (1 = demo pace, 0.2 = five times faster)");
		setenv("SHOAL_DEMO_SPEED", speed, 1);
	}
	if (!isatty(0) || !isatty(1))
		return cli_fail(c, "the demo opens the dashboard and needs a terminal");
	struct err e = { { 0 } };
	char *setup = assets_find("demo/setup.sh", &e);
	if (!setup)
		return cli_fail(c, "%s", e.msg);
	char *repo;
	if (dir) {
		repo = xstrdup(dir);
	} else {
		const char *tmp = getenv("TMPDIR");
		char *t = xasprintf("%s/shoal-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(t)) {
			rc = cli_fail(c, "cannot create a temporary directory %s: %s", t, strerror(errno));
			free(t);
			free(setup);
			return rc;
		}
		repo = xasprintf("%s/todo", t);
		free(t);
	}
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execlp("sh", "sh", setup, repo, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		rc = cli_fail(c, "creating the demo repository in %s failed (%s)", repo, setup);
		free(repo);
		free(setup);
		return rc;
	}
	free(setup);
	if (chdir(repo) != 0) {
		rc = cli_fail(c, "cannot enter %s: %s", repo, strerror(errno));
		free(repo);
		return rc;
	}
	struct dash_opts o;
	struct config cfg;
	struct plan_load_opts lo = { 0 };
	if ((rc = dash_setup(c, theme, prefix, &o, &cfg, &lo))) {
		free(repo);
		return rc;
	}
	struct plan *p = load_plan(c, "shoal.json", &lo);
	if (!p) {
		free(repo);
		config_free(&cfg);
		return EXIT_FAIL;
	}
	rc = dash_run(p, repo, &o, &e) < 0 ? cli_fail(c, "%s", e.msg) : EXIT_OK;
	plan_free(p);
	config_free(&cfg);
	printf("The demo repository is %s\n"
	       "  git -C %s log --oneline --graph --all   # what the agents did\n"
	       "  shoal -C %s                              # reopen the dashboard where you left it\n",
	       repo, repo, repo);
	free(repo);
	return rc;
}
