/* cmd_config — `shoal config`: the effective configuration (defaults, the
 * config file, every key binding) and theme as JSON, or a check of a config
 * file with file:line:col diagnostics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "action.h"
#include "config.h"
#include "keys.h"
#include "theme.h"

int cmd_config(struct cli *c, int argc, char **argv)
{
	const char *print = NULL, *check = NULL, *theme = NULL, *keys = NULL, *keys_md = NULL;
	struct cli_flag flags[] = { { "--print", 'p', 0, &print }, { "--check", 0, 1, &check },
				    { "--theme", 't', 1, &theme }, { "--keys", 0, 0, &keys },
				    { "--keys-markdown", 0, 0, &keys_md } };
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
	if (keys || keys_md) { /* the binding table, as the help view shows it */
		struct action_keymap km;
		action_keymap_default(&km);
		char pk[16];
		keys_char_name(7, pk, sizeof pk);
		if (keys_md) {
			printf("| key | action |\n|---|---|\n| `%s` `%s` | send the prefix key to the agent |\n", pk, pk);
			for (int i = 0; i < action_count; i++) {
				if (!action_table[i].help)
					continue;
				char k[64];
				action_keys_text(&km, i, k, sizeof k);
				if (!strcmp(action_table[i].name, "focus-1"))
					snprintf(k, sizeof k, "1-9");
				printf("| `%s` | %s%s |\n", k, action_table[i].help,
				       action_table[i].flags & ACTION_DESTRUCTIVE ? " (asks first)" : "");
			}
		} else {
			char **lines;
			int n = action_help_lines(&km, pk, &lines);
			for (int i = 0; i < n; i++) {
				printf("%s\n", lines[i]);
				free(lines[i]);
			}
			free(lines);
		}
		action_keymap_free(&km);
		config_free(&cfg);
		return EXIT_OK;
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
			theme_free(&th);
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
