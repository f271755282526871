/* fuzz_config — libFuzzer target for the config and theme parsers: any
 * bytes, as a config file and as a theme, must load or fail cleanly with
 * diagnostics; what loads must print (config_to_json / theme_to_json) and
 * the printed theme must load back to the same colours. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct diags d;
	diags_init(&d, "config.json", text, size);
	struct config c;
	if (config_parse(&c, "config.json", text, size, &d) == 0)
		free(config_to_json(&c));
	config_free(&c);
	for (size_t i = 0; i < d.n; i++)
		free(diag_format(&d, i));
	diags_free(&d);

	diags_init(&d, "theme.json", text, size);
	struct theme t;
	if (theme_parse(&t, "theme.json", text, size, &d) == 0) {
		char *j = theme_to_json(&t);
		struct diags d2;
		diags_init(&d2, "j", j, strlen(j));
		struct theme t2;
		if (theme_parse(&t2, "j", j, strlen(j), &d2) != 0 ||
		    memcmp(t.s, t2.s, sizeof t.s) != 0)
			abort(); /* the printed theme must round-trip */
		theme_free(&t2);
		diags_free(&d2);
		free(j);
	}
	theme_free(&t);
	for (size_t i = 0; i < d.n; i++)
		free(diag_format(&d, i));
	diags_free(&d);
	return 0;
}
