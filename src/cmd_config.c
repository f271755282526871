/* cmd_config — `shoal config`: the effective configuration (defaults, the
 * config file, every key binding) and theme as JSON, or a check of a config
 * file with file:line:col diagnostics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "config.h"
#include "theme.h"

int cmd_config(struct cli *c, int argc, char **argv)
{
	const char *print = NULL, *check = NULL, *theme = NULL;
	struct cli_flag flags[] = { { "--print", 'p', 0, &print }, { "--check", 0, 1, &check },
				    { "--theme", 't', 1, &theme } };
	char *pos[1];
	int npos;
	int rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 0, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct config cfg;
	struct err e = { { 0 } };
	if (config_load(&cfg, check, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return EXIT_FAIL;
	}
	if (check && !print) {
		printf("%s: ok\n", check);
		config_free(&cfg);
		return EXIT_OK;
	}
	struct theme th;
	const char *tn = theme ? theme : cfg.theme;
	if (tn) {
		if (theme_load(&th, tn, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			config_free(&cfg);
			return EXIT_FAIL;
		}
	} else
		theme_default(&th);
	char *path = cfg.path ? xstrdup(cfg.path) : config_default_path();
	char *cj = config_to_json(&cfg), *tj = theme_to_json(&th);
	printf("// config: %s%s\n", path, cfg.path ? "" : " (absent: defaults)");
	printf("%s", cj);
	printf("// theme: %s\n%s", th.name, tj);
	free(cj);
	free(tj);
	free(path);
	theme_free(&th);
	config_free(&cfg);
	return EXIT_OK;
}
