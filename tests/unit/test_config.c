/* test_config — the config file and theme files: defaults, every setting,
 * and the exact file:line:col diagnostics for bad input; colour syntax. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "config.h"
#include "theme.h"

/* All diagnostics of parsing text as a config (or a theme), one per line. */
static char *diags_of(const char *text, int theme)
{
	struct diags d;
	diags_init(&d, "c.json", text, strlen(text));
	if (theme) {
		struct theme t;
		theme_parse(&t, "c.json", text, strlen(text), &d);
		theme_free(&t);
	} else {
		struct config c;
		config_parse(&c, "c.json", text, strlen(text), &d);
		config_free(&c);
	}
	diags_sort(&d);
	struct sbuf b = { 0 };
	for (size_t i = 0; i < d.n; i++) {
		char *s = diag_format(&d, i);
		sbuf_printf(&b, "%s\n", s);
		free(s);
	}
	diags_free(&d);
	return sbuf_steal(&b);
}

#define EXPECT_CONFIG(text, want)                                                                  \
	do {                                                                                       \
		char *got_ = diags_of(text, 0);                                                    \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)
#define EXPECT_THEME(text, want)                                                                   \
	do {                                                                                       \
		char *got_ = diags_of(text, 1);                                                    \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void test_config_good(void **s)
{
	(void)s;
	const char *text = "{\n"
			   "  \"prefix\": \"C-a\",\n"
			   "  \"theme\": \"light\",\n"
			   "  \"bell\": false, \"notify\": true,\n"
			   "  \"idle_after\": 9, \"scrollback\": 5000,\n"
			   "  \"bindings\": { \"next-wave\": \"N\", \"zoom\": \"F2\", \"skip\": \"none\" },\n"
			   "  \"agents\": { \"mine\": { \"command\": [\"my-agent\", \"{prompt}\"],\n"
			   "                          \"waiting\": [\"\\\\? $\"], \"idle_after\": 3 },\n"
			   "              \"short\": [\"sh\", \"-c\", \"x\"] }\n"
			   "}\n";
	struct diags d;
	diags_init(&d, "c.json", text, strlen(text));
	struct config c;
	assert_int_equal(config_parse(&c, "c.json", text, strlen(text), &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(c.prefix, 1);
	assert_string_equal(c.theme, "light");
	assert_int_equal(c.bell, 0);
	assert_int_equal(c.notify, 1);
	assert_int_equal(c.idle_after, 9);
	assert_int_equal(c.scrollback, 5000);
	assert_int_equal(c.nbindings, 3);
	assert_string_equal(c.bindings[0].action, "next-wave");
	assert_int_equal(c.bindings[0].key, 'N');
	assert_int_equal(c.bindings[2].key, -1);
	assert_int_equal(c.nprofiles, 2);
	assert_string_equal(c.profiles[0].name, "mine");
	assert_string_equal(c.profiles[0].argv[1], "{prompt}");
	assert_int_equal(c.profiles[0].idle_after, 3);
	assert_string_equal(c.profiles[1].argv[0], "sh");
	/* the printed config: rebinding replaces the default, "none" unbinds */
	char *j = config_to_json(&c);
	assert_non_null(strstr(j, "\"prefix\": \"C-a\""));
	assert_non_null(strstr(j, "\"next-wave\": \"N\""));
	assert_non_null(strstr(j, "\"skip\": \"none\""));
	assert_non_null(strstr(j, "\"zoom\": \"F2\""));
	assert_non_null(strstr(j, "\"mine\": { \"command\": [\"my-agent\", \"{prompt}\"]"));
	free(j);
	config_free(&c);
	diags_free(&d);
}

static void test_config_defaults(void **s)
{
	(void)s;
	struct config c;
	struct err e = { { 0 } };
	setenv("SHOAL_CONFIG", "/nonexistent/dir/config.json", 1);
	/* an explicit missing file is an error; the default path may be absent */
	assert_int_equal(config_load(&c, "/nonexistent/dir/config.json", &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/dir/config.json"));
	config_free(&c);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_int_equal(c.prefix, 7);
	assert_int_equal(c.bell, 1);
	assert_int_equal(c.notify, 0);
	assert_null(c.theme);
	config_free(&c);
	unsetenv("SHOAL_CONFIG");
}

static void test_config_errors(void **s)
{
	(void)s;
	EXPECT_CONFIG("{ \"prefx\": \"C-a\" }",
		      "c.json:1:3: error: unknown key \"prefx\" in the config (did you mean \"prefix\"?)\n");
	EXPECT_CONFIG("{\n  \"prefix\": \"M-x\"\n}",
		      "c.json:2:13: error: \"prefix\" must be a control key such as \"C-g\" or \"C-a\", not \"M-x\"\n");
	EXPECT_CONFIG("{ \"bell\": \"yes\", \"scrollback\": -1 }",
		      "c.json:1:11: error: \"bell\" must be true or false, not a string\n"
		      "c.json:1:32: error: \"scrollback\" must be between 0 and 1000000, not -1\n");
	EXPECT_CONFIG("{ \"idle_after\": 2.5 }",
		      "c.json:1:17: error: \"idle_after\" must be a whole number, not a fraction\n");
	EXPECT_CONFIG("{ \"bindings\": { \"next-wav\": \"n\", \"zoom\": \"F13\", \"quit\": \"C-g\" } }",
		      "c.json:1:17: error: unknown action \"next-wav\" (did you mean \"next-wave\"?)\n"
		      "c.json:1:42: error: bad key for \"zoom\": \"F13\" (a character, Tab, Enter, Left, F5, C-x, Space or \"none\")\n"
		      "c.json:1:57: error: \"quit\" cannot use the prefix key\n");
	EXPECT_CONFIG("{ \"agents\": { \"a b\": [\"x\"], \"ok\": { \"comand\": [\"x\"] }, \"re\": { \"command\": [\"x\"], \"waiting\": [\"(\"] } } }",
		      "c.json:1:15: error: agent profile name \"a b\" must be letters, digits, '.', '_' or '-'\n"
		      "c.json:1:35: error: agent \"ok\" needs a \"command\" (an argv array)\n"
		      "c.json:1:37: error: unknown key \"comand\" in agent \"ok\" (did you mean \"command\"?)\n"
		      "c.json:1:94: error: agent \"re\": \"waiting\": bad regular expression \"(\": Unmatched ( or \\(\n");
	EXPECT_CONFIG("[1]", "c.json:1:1: error: the config must be a JSON object, not an array\n");
	char *got = diags_of("{ \"bell\": tru }", 0);
	assert_non_null(strstr(got, "c.json:1:11: error:"));
	free(got);
}

static void test_colors(void **s)
{
	(void)s;
	struct color c;
	char b[16];
	assert_int_equal(theme_color_parse("default", &c), 0);
	assert_int_equal(c.kind, COLOR_KIND_DEFAULT);
	assert_int_equal(theme_color_parse("bright-red", &c), 0);
	assert_int_equal(c.kind, COLOR_KIND_INDEXED);
	assert_int_equal(c.idx, 9);
	assert_int_equal(theme_color_parse("236", &c), 0);
	assert_int_equal(c.idx, 236);
	assert_int_equal(theme_color_parse("#ff8000", &c), 0);
	assert_int_equal(c.kind, COLOR_KIND_RGB);
	assert_int_equal(c.r, 255);
	assert_int_equal(c.g, 128);
	theme_color_format(&c, b, sizeof b);
	assert_string_equal(b, "#ff8000");
	assert_int_equal(theme_color_parse("256", &c), -1);
	assert_int_equal(theme_color_parse("#ff80", &c), -1);
	assert_int_equal(theme_color_parse("#ggggggg", &c), -1);
	assert_int_equal(theme_color_parse("", &c), -1);
	assert_int_equal(theme_color_parse("redd", &c), -1);
}

static void test_theme(void **s)
{
	(void)s;
	const char *text = "{ \"name\": \"t\", \"colors\": { \"task.running\": \"#00ff00\",\n"
			   "  \"status\": { \"fg\": 15, \"bg\": \"blue\", \"bold\": true } } }";
	struct diags d;
	diags_init(&d, "t.json", text, strlen(text));
	struct theme t;
	assert_int_equal(theme_parse(&t, "t.json", text, strlen(text), &d), 0);
	assert_string_equal(t.name, "t");
	assert_int_equal(t.s[TH_ST_RUNNING].fg.kind, COLOR_KIND_RGB);
	assert_int_equal(t.s[TH_STATUS].fg.idx, 15);
	assert_int_equal(t.s[TH_STATUS].bg.idx, 4);
	assert_int_equal(t.s[TH_STATUS].attr, THEME_A_BOLD);
	/* roles left out keep the dark theme's look */
	struct theme dark;
	theme_default(&dark);
	assert_memory_equal(&t.s[TH_BORDER], &dark.s[TH_BORDER], sizeof dark.s[0]);
	/* every role has a unique name that parses back */
	for (int r = 0; r < TH_NROLES; r++)
		assert_int_equal(theme_role_parse(theme_role_name((enum theme_role)r)), r);
	/* the printed theme parses back to the same theme */
	char *j = theme_to_json(&t);
	struct diags d2;
	diags_init(&d2, "j", j, strlen(j));
	struct theme t2;
	assert_int_equal(theme_parse(&t2, "j", j, strlen(j), &d2), 0);
	assert_memory_equal(t.s, t2.s, sizeof t.s);
	theme_free(&t2);
	diags_free(&d2);
	free(j);
	theme_free(&dark);
	theme_free(&t);
	diags_free(&d);
}

static void test_theme_errors(void **s)
{
	(void)s;
	EXPECT_THEME("{ \"colors\": { \"task.runing\": \"red\" } }",
		     "c.json:1:15: error: unknown colour role \"task.runing\" (did you mean \"task.running\"?)\n");
	EXPECT_THEME("{ \"colors\": { \"status\": { \"fg\": \"gren\", \"bg\": 300, \"blink\": true, \"bold\": 1 } } }",
		     "c.json:1:33: error: status.fg: unknown colour \"gren\" (did you mean \"green\"?)\n"
		     "c.json:1:47: error: status.bg: colour 300 is not 0-255\n"
		     "c.json:1:52: error: unknown key \"blink\" in \"status\" (fg, bg, bold, dim, underline, reverse, italic)\n"
		     "c.json:1:75: error: status.bold must be true or false, not a number\n");
	EXPECT_THEME("{ \"colours\": {} }",
		     "c.json:1:3: error: unknown key \"colours\" in a theme (name, description, colors)\n");
	EXPECT_THEME("{ \"colors\": { \"dim\": [1] } }",
		     "c.json:1:22: error: \"dim\" must be a colour or an object with fg, bg and attributes, not an array\n");
}

static void test_shipped_themes(void **s)
{
	(void)s;
	/* the themes/ directory's files load without a diagnostic */
	const char *top = getenv("SHOAL_TOP");
	const char *names[] = { "dark", "light", "high-contrast" };
	for (size_t i = 0; i < 3; i++) {
		char *path = xasprintf("%s/themes/%s.json", top ? top : ".", names[i]);
		struct theme t;
		struct err e = { { 0 } };
		int rc = theme_load(&t, path, &e);
		if (rc < 0)
			fprintf(stderr, "%s\n", e.msg);
		assert_int_equal(rc, 0);
		assert_string_equal(t.name, names[i]);
		theme_free(&t);
		free(path);
	}
	struct theme t;
	struct err e = { { 0 } };
	assert_int_equal(theme_load(&t, "no-such-theme", &e), -1);
	assert_non_null(strstr(e.msg, "theme \"no-such-theme\" not found (looked for no-such-theme.json in "));
	theme_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_good),   cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_errors), cmocka_unit_test(test_colors),
		cmocka_unit_test(test_theme),         cmocka_unit_test(test_theme_errors),
		cmocka_unit_test(test_shipped_themes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
