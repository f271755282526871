/* cli — the command line: global options, the subcommand table (name, usage,
 * summary, function) that dispatch, `shoal --help` and the usage hints are
 * built from. Each subcommand lives in a src/cmd_*.c file. */
#ifndef SHOAL_CLI_H
#define SHOAL_CLI_H

#include "util.h"

struct plan;

/* Exit statuses, everywhere. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
	const char *plan_path; /* -f/--plan, or NULL for shoal.json at the repo root */
	const char *cmd;       /* the subcommand's name, for messages */
};

struct cli_cmd {
	const char *name;
	const char *usage; /* arguments after the name, e.g. "[PLAN] [--json]" */
	const char *summary;
	int (*fn)(struct cli *c, int argc, char **argv); /* argv[0] is the name */
};

extern const struct cli_cmd cli_cmds[];
extern const size_t cli_ncmds;

int cli_main(int argc, char **argv);

/* "shoal CMD: MESSAGE" + a usage hint on stderr; returns EXIT_USAGE. */
int cli_usage_error(struct cli *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* "shoal CMD: MESSAGE" on stderr; returns EXIT_FAIL. */
int cli_fail(struct cli *c, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Parses the options every plan-reading command takes (-f/--plan FILE,
 * --json, --dot ...) out of argv. Simple by design: each command passes the
 * flags it accepts; returns the positional arguments in pos (up to maxpos)
 * or EXIT_USAGE after printing an error. A flag's value is stored in *vals[i]
 * (flags taking no value store "1"). */
struct cli_flag {
	const char *lng;  /* "--json" */
	char shrt;        /* 'f' or 0 */
	int takes_value;
	const char **val; /* where the value (or "1") goes */
};
int cli_parse(struct cli *c, int argc, char **argv, const struct cli_flag *flags, size_t nflags,
	      char **pos, int maxpos, int *npos);

/* Finds the plan (positional PLAN, then -f, then shoal.json at the root of
 * the repository containing the current directory), loads and validates it,
 * printing diagnostics to stderr. NULL on failure. */
struct plan *cli_load_plan(struct cli *c, const char *positional);
/* The top of the repository (main worktree) containing the current
 * directory, or NULL when not in a repository. Caller frees. */
char *cli_repo_root(void);

#endif
