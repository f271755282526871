/* cmd_exec — `shoal exec`: run commands side by side in tiled panes in the
 * current directory (no plan, no worktrees). Parses the arguments and hands
 * over to the loop. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "keys.h"
#include "layout.h"
#include "loop.h"

#define EXEC_MAX_PANES 64

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cmd_exec(struct cli *c, int argc, char **argv)
{
	struct loop_opts o = { .mode = LAYOUT_GRID, .focus = 0, .sb_lines = -1, .prefix = 7 };
	int i = 1;
	const char *prefix_name = getenv("SHOAL_PREFIX");
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: shoal exec [--layout grid|main] [--focus N] [--scrollback LINES]\n"
			       "                  [--prefix C-x] -- CMD [ARG...] [::: CMD [ARG...]]...\n"
			       "Runs each command in its own tiled pane in the current directory.\n"
			       "Keys: the prefix (default C-g, or $SHOAL_PREFIX) then ? lists the bindings;\n"
			       "prefix q quits.\n");
			return EXIT_OK;
		}
		static const char *const opts[] = { "--layout", "--focus", "--scrollback", "--prefix" };
		size_t k;
		for (k = 0; k < ARRAY_LEN(opts); k++) {
			size_t n = strlen(opts[k]);
			if (!strncmp(a, opts[k], n) && (a[n] == 0 || a[n] == '=')) {
				if (a[n] == '=')
					val = a + n + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return cli_usage_error(c, "option '%s' needs a value", opts[k]);
				break;
			}
		}
		if (k == ARRAY_LEN(opts)) {
			if (a[0] == '-')
				return cli_usage_error(c, "unknown option '%s'", a);
			return cli_usage_error(c, "expected '--' before the command ('%s')", a);
		}
		long v;
		switch (k) {
		case 0: {
			int m = layout_mode_parse(val);
			if (m < 0)
				return cli_usage_error(c, "unknown layout '%s' (grid or main)", val);
			o.mode = (enum layout_mode)m;
			break;
		}
		case 1:
			if (parse_int(val, 1, EXEC_MAX_PANES, &v) < 0)
				return cli_usage_error(c, "--focus wants a pane number from 1, got '%s'", val);
			o.focus = (int)v - 1;
			break;
		case 2:
			if (parse_int(val, 0, 10000000, &v) < 0)
				return cli_usage_error(c, "--scrollback wants a number of lines (0-10000000), got '%s'", val);
			o.sb_lines = (int)v;
			break;
		case 3:
			prefix_name = val;
			break;
		}
	}
	if (prefix_name) {
		int p = keys_parse_prefix(prefix_name);
		if (p < 0)
			return cli_usage_error(c, "bad prefix key '%s' (use C-a ... C-z, C-] or ^x)", prefix_name);
		o.prefix = p;
	}
	if (i >= argc)
		return cli_usage_error(c, "no command: put the commands after '--'");
	i++; /* skip -- */
	if (i >= argc)
		return cli_usage_error(c, "no command after '--'");
	/* Split at ":::" into commands. */
	char ***cmds = xcalloc(EXEC_MAX_PANES, sizeof *cmds);
	int n = 0, rc = EXIT_OK;
	int start = i;
	for (int j = i; j <= argc; j++) {
		if (j < argc && strcmp(argv[j], ":::"))
			continue;
		if (j == start) {
			rc = cli_usage_error(c, "empty command %s", n == 0 ? "before the first ':::'" : "after ':::'");
			goto out;
		}
		if (n == EXEC_MAX_PANES) {
			rc = cli_usage_error(c, "too many commands (at most %d)", EXEC_MAX_PANES);
			goto out;
		}
		int len = j - start;
		cmds[n] = xcalloc((size_t)len + 1, sizeof **cmds);
		for (int k2 = 0; k2 < len; k2++)
			cmds[n][k2] = argv[start + k2];
		n++;
		start = j + 1;
	}
	if (o.focus >= n) {
		rc = cli_usage_error(c, "--focus %d but there %s only %d pane%s", o.focus + 1,
				     n == 1 ? "is" : "are", n, n == 1 ? "" : "s");
		goto out;
	}
	char cwd[PATH_MAX];
	o.cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL;
	struct err e;
	if (loop_exec(cmds, n, &o, &e) < 0)
		rc = cli_fail(c, "%s", e.msg);
out:
	for (int k2 = 0; k2 < n; k2++)
		free(cmds[k2]);
	free(cmds);
	return rc;
}
