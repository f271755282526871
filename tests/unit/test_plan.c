/* test_plan — plan loading and validation: every bad-input case with its
 * exact message and position, the three formats, defaults and expansion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "plan.h"

/* Parses text as "p.json"; returns the plan or NULL, and all diagnostics
 * as printed, one per line, in *out (caller frees). */
static struct plan *parse(const char *text, char **out)
{
	struct diags d;
	diags_init(&d, "p.json", text, strlen(text));
	struct plan *p = plan_parse("p.json", text, strlen(text), NULL, &d);
	diags_sort(&d);
	struct sbuf b = { 0 };
	for (size_t i = 0; i < d.n; i++) {
		char *s = diag_format(&d, i);
		sbuf_printf(&b, "%s\n", s);
		free(s);
	}
	diags_free(&d);
	*out = sbuf_steal(&b);
	return p;
}

/* Expects the text to fail with exactly these diagnostics (order of the file). */
static void expect_errors(const char *text, const char *want)
{
	char *got;
	struct plan *p = parse(text, &got);
	assert_null(p);
	/* diags are in order of discovery; sort lines for a stable compare */
	assert_string_equal(got, want);
	free(got);
}

static void expect_error(const char *text, const char *want_line)
{
	char *want = xasprintf("%s\n", want_line);
	expect_errors(text, want);
	free(want);
}

#define T1 "{\"agent\": \"shell\", \"tasks\": ["
#define T1B "\"agent\": \"shell\", \"tasks\": ["

static void test_minimal_plan(void **s)
{
	(void)s;
	char *err;
	struct plan *p = parse(T1 "{\"id\": \"a\"}]}", &err);
	assert_non_null(p);
	assert_string_equal(err, "");
	assert_string_equal(p->name, "p");
	assert_string_equal(p->branch_prefix, "shoal/p/");
	assert_null(p->base);
	assert_int_equal(p->max_workers, 4);
	assert_int_equal(p->idle_after, 5);
	assert_int_equal(p->mode, PLAN_MODE_WAVES);
	assert_int_equal(p->ntasks, 1);
	assert_int_equal(p->nwaves, 1);
	assert_int_equal(p->tasks[0].wave, 1);
	assert_string_equal(plan_task_profile(p, &p->tasks[0])->name, "shell");
	plan_free(p);
	free(err);
}

static void test_full_plan(void **s)
{
	(void)s;
	const char *text = "{\n"
			   "  \"name\": \"auth sprint\", \"base\": \"develop\", \"max_workers\": 3, \"mode\": \"dag\",\n"
			   "  \"agent\": \"claude\", \"validate\": \"make test\", \"auto_merge\": true,\n"
			   "  \"setup\": \"npm ci\", \"copy\": [\".env\"], \"symlink\": [\"node_modules\"], \"idle_after\": 9,\n"
			   "  \"agents\": {\"mine\": {\"command\": [\"my-agent\", \"--task\", \"{prompt_file}\"],\n"
			   "             \"waiting\": [\"Continue\\\\?\"], \"working_title\": \"^working\", \"idle_after\": 3}},\n"
			   "  \"tasks\": [\n"
			   "    {\"id\": \"a\", \"title\": \"A\", \"prompt\": \"do a\", \"territory\": [\"src/a\"],\n"
			   "     \"env\": {\"FOO\": \"bar\"}, \"report\": \"R.md\"},\n"
			   "    {\"id\": \"b\", \"depends_on\": [\"a\"], \"agent\": \"mine\"},\n"
			   "    {\"id\": \"c\", \"depends_on\": [\"a\", \"b\"], \"command\": [\"sh\", \"-c\", \"true\"]}\n"
			   "  ]\n}\n";
	char *err;
	struct plan *p = parse(text, &err);
	assert_string_equal(err, "");
	assert_non_null(p);
	assert_string_equal(p->branch_prefix, "shoal/auth-sprint/");
	assert_string_equal(p->base, "develop");
	assert_int_equal(p->mode, PLAN_MODE_DAG);
	assert_true(p->auto_merge);
	assert_int_equal(p->idle_after, 9);
	assert_string_equal(p->copy[0], ".env");
	assert_string_equal(p->symlink[0], "node_modules");
	assert_int_equal(p->nwaves, 3);
	assert_int_equal(p->tasks[2].wave, 3);
	assert_int_equal(p->tasks[0].line, 8);
	assert_int_equal(p->tasks[0].col, 5);
	assert_string_equal(p->tasks[0].env[0], "FOO=bar");
	const struct plan_profile *pr = plan_task_profile(p, &p->tasks[1]);
	assert_string_equal(pr->name, "mine");
	assert_string_equal(pr->argv[2], "{prompt_file}");
	assert_string_equal(pr->waiting[0], "Continue\\?");
	assert_int_equal(pr->idle_after, 3);
	assert_null(plan_task_profile(p, &p->tasks[2]));
	assert_int_equal(plan_find(p, "c"), 2);
	assert_int_equal(plan_find(p, "zz"), -1);
	char *br = plan_task_branch(p, &p->tasks[1]);
	assert_string_equal(br, "shoal/auth-sprint/b");
	free(br);
	char *x = plan_expand(p, &p->tasks[2], "{id}|{title}|{deps}|{territory}|{branch}|{worktree}|{{x}}|{nope}",
			      "/w", NULL);
	assert_string_equal(x, "c|c|a, b|the whole repository|shoal/auth-sprint/c|/w|{x}|{nope}");
	free(x);
	x = plan_expand(p, &p->tasks[0], p->prompt_template, NULL, NULL);
	assert_non_null(strstr(x, "task a: A\n\ndo a\n"));
	assert_non_null(strstr(x, "Only change files in: src/a."));
	free(x);
	plan_free(p);
	free(err);
}

static void test_invalid_json(void **s)
{
	(void)s;
	expect_error("{\"tasks\": [\n  {\"id\": \"a\",}\n]}", "p.json:2:13: error: trailing comma before '}'");
	expect_error("{\"tasks\": [\n  {\"id\" \"a\"}\n]}",
		     "p.json:2:9: error: expected ':' after the object key, found '\"'");
	expect_error("{\"tasks\": [}", "p.json:1:12: error: expected a value, found '}'");
	expect_error("{\"tasks\": [", "p.json:1:12: error: expected a value, found end of file");
	expect_error("{\"a\": 1} x", "p.json:1:10: error: unexpected text after the JSON value");
	expect_error("{\"a\": 'x'}", "p.json:1:7: error: strings must use double quotes, found '''");
	expect_error("{\"a\": \"x\n\"}", "p.json:1:9: error: unterminated string (newline before the closing '\"')");
	expect_error("{\"a\": \"\\q\"}", "p.json:1:8: error: invalid escape '\\q' in string");
	expect_error("{\"a\": 01}", "p.json:1:7: error: invalid number");
	expect_error("{\"a\": [1 2]}", "p.json:1:10: error: expected ',' or ']' after an array element, found '2'");
	expect_error("", "p.json:1:1: error: empty file (expected a JSON value)");
	expect_error("{\"a\": \"\\ud800\"}", "p.json:1:8: error: invalid \\u escape in string (unpaired surrogate)");
	expect_error("{\"a\": \"x\\u0000\"}", "p.json:1:9: error: string contains a NUL character (\\u0000)");
	expect_error("{\"a\": {\"b\": [1,\n  {\"c\": tru}]}}", "p.json:2:9: error: expected a value, found 't'");
}

static void test_non_utf8(void **s)
{
	(void)s;
	expect_error("{\"agent\": \"shell\", \"tasks\": [{\"id\": \"a\", \"title\": \"caf\xe9\"}]}",
		     "p.json:1:55: error: invalid UTF-8 in string");
	/* valid multi-byte characters are fine and count as one column */
	char *err;
	struct plan *p = parse("{\"agent\": \"shell\", \"tasks\": [{\"id\": \"a\", \"title\": \"café 中\"}]}", &err);
	assert_non_null(p);
	assert_string_equal(p->tasks[0].title, "café 中");
	plan_free(p);
	free(err);
	expect_error("{\"name\": \"é\", \"max_workers\": 0, \"agent\": \"shell\", \"tasks\": [{\"id\": \"a\"}]}",
		     "p.json:1:30: error: \"max_workers\" must be at least 1 (got 0)");
}

static void test_wrong_types(void **s)
{
	(void)s;
	expect_errors("{\"name\": 3, \"max_workers\": \"4\", \"auto_merge\": \"yes\", \"agent\": \"shell\",\n"
		      " \"tasks\": [{\"id\": \"a\", \"depends_on\": \"b\", \"territory\": [1], \"command\": \"ls\"}]}",
		      "p.json:1:10: error: \"name\" must be a string, not a number\n"
		      "p.json:1:28: error: \"max_workers\" must be a whole number, not a string\n"
		      "p.json:1:47: error: \"auto_merge\" must be true or false, not a string\n"
		      "p.json:2:38: error: \"depends_on\" must be an array of strings, not a string\n"
		      "p.json:2:57: error: \"territory\" must hold only strings, found a number\n"
		      "p.json:2:72: error: \"command\" must be an array of strings, not a string\n");
	expect_error("{\"max_workers\": 2.5, \"agent\": \"shell\", \"tasks\": [{\"id\": \"a\"}]}",
		     "p.json:1:17: error: \"max_workers\" must be a whole number, not a fraction");
	expect_error("{\"tasks\": {}}", "p.json:1:11: error: \"tasks\" must be an array, not an object");
	expect_error("[1]", "p.json:1:2: error: a beads issue must be an object, not a number");
	expect_error("\"x\"", "p.json:1:1: error: a plan must be a JSON object with \"tasks\", not a string");
	expect_error("{\"agent\": \"shell\", \"tasks\": [3]}", "p.json:1:30: error: a task must be an object, not a number");
}

static void test_unknown_keys(void **s)
{
	(void)s;
	expect_errors("{\"agent\": \"shell\", \"max_worker\": 2, \"bogus\": 1,\n"
		      " \"tasks\": [{\"id\": \"a\", \"depend_on\": [], \"titel\": \"x\"}]}",
		      "p.json:1:20: error: unknown key \"max_worker\" in plan (did you mean \"max_workers\"?)\n"
		      "p.json:1:37: error: unknown key \"bogus\" in plan\n"
		      "p.json:2:24: error: unknown key \"depend_on\" in task (did you mean \"depends_on\"?)\n"
		      "p.json:2:41: error: unknown key \"titel\" in task (did you mean \"title\"?)\n");
	expect_error("{\"agent\": \"shell\", \"agent\": \"claude\", \"tasks\": [{\"id\": \"a\"}]}",
		     "p.json:1:20: error: duplicate key \"agent\" in plan (first at line 1)");
}

static void test_ids(void **s)
{
	(void)s;
	expect_error(T1 "{\"title\": \"x\"}]}", "p.json:1:30: error: task has no \"id\"");
	expect_error(T1 "{\"id\": 7}]}", "p.json:1:37: error: \"id\" must be a string, not a number");
	expect_errors(T1 "{\"id\": \"a\"},\n{\"id\": \"a\"}]}",
		      "p.json:2:8: error: duplicate task id \"a\" (first defined at line 1)\n");
	expect_error(T1 "{\"id\": \"a b\"}]}",
		     "p.json:1:37: error: task id \"a b\" may only contain letters, digits, '.', '_' and '-' "
		     "(ids name branches and directories)");
	expect_error(T1 "{\"id\": \"a..b\"}]}",
		     "p.json:1:37: error: task id \"a..b\" contains '..' (ids name branches and directories)");
	expect_error(T1 "{\"id\": \"x.lock\"}]}",
		     "p.json:1:37: error: task id \"x.lock\" ends in '.lock' (ids name branches and directories)");
	expect_error(T1 "{\"id\": \"-x\"}]}",
		     "p.json:1:37: error: task id \"-x\" must start with a letter or digit (ids name branches and "
		     "directories)");
	expect_error(T1 "{\"id\": \"\"}]}", "p.json:1:37: error: task id \"\" is empty (ids name branches and directories)");
	char buf[256];
	snprintf(buf, sizeof buf, T1 "{\"id\": \"%s\"}]}",
		 "a1234567890123456789012345678901234567890123456789012345678901234");
	expect_error(buf, "p.json:1:37: error: task id \"a1234567890123456789012345678901234567890123456789012345678901234\" "
			  "is longer than 64 characters (ids name branches and directories)");
	assert_true(plan_id_valid("T-1.2_x"));
	assert_true(plan_id_valid("a123456789012345678901234567890123456789012345678901234567890123"));
	assert_false(plan_id_valid("é"));
	assert_false(plan_id_valid("a/b"));
	assert_false(plan_id_valid("a."));
}

static void test_dependencies(void **s)
{
	(void)s;
	expect_error(T1 "{\"id\": \"user-model\"},\n {\"id\": \"hashing\", \"depends_on\": [\"usr-model\"]}]}",
		     "p.json:2:35: error: task \"hashing\" depends on unknown task \"usr-model\" (did you mean "
		     "\"user-model\"?)");
	expect_error(T1 "{\"id\": \"a\", \"depends_on\": [\"zzzzzz\"]}]}",
		     "p.json:1:57: error: task \"a\" depends on unknown task \"zzzzzz\"");
	expect_error(T1 "{\"id\": \"a\", \"depends_on\": [\"a\"]}]}", "p.json:1:57: error: task \"a\" depends on itself");
}

static void test_cycles(void **s)
{
	(void)s;
	expect_error(T1 "\n{\"id\": \"a\", \"depends_on\": [\"b\"]},\n{\"id\": \"b\", \"depends_on\": [\"c\"]},\n"
		     "{\"id\": \"c\", \"depends_on\": [\"a\"]}]}",
		     "p.json:2:28: error: dependency cycle: a -> b -> c -> a");
	/* two separate cycles, and a task behind one, are all reported once */
	expect_errors(T1 "\n{\"id\": \"a\", \"depends_on\": [\"b\"]},\n{\"id\": \"b\", \"depends_on\": [\"a\"]},\n"
		      "{\"id\": \"x\", \"depends_on\": [\"a\", \"y\"]},\n{\"id\": \"y\", \"depends_on\": [\"z\"]},\n"
		      "{\"id\": \"z\", \"depends_on\": [\"y\"]}]}",
		      "p.json:2:28: error: dependency cycle: a -> b -> a\n"
		      "p.json:5:28: error: dependency cycle: y -> z -> y\n");
}

static void test_empty_and_limits(void **s)
{
	(void)s;
	expect_error("{\"agent\": \"shell\", \"tasks\": []}", "p.json:1:29: error: plan has no tasks (\"tasks\" is empty)");
	expect_error("{\"agent\": \"shell\"}", "p.json:1:1: error: plan has no \"tasks\"");
	expect_error("{\"max_workers\": 0, " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:17: error: \"max_workers\" must be at least 1 (got 0)");
	expect_error("{\"max_workers\": -3, " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:17: error: \"max_workers\" must be at least 1 (got -3)");
	/* a prompt over 1 MiB */
	size_t big = PLAN_PROMPT_MAX + 1;
	char *text = xmalloc(big + 100);
	int n = sprintf(text, T1 "{\"id\": \"a\", \"prompt\": \"");
	memset(text + n, 'x', big);
	strcpy(text + n + big, "\"}]}");
	expect_error(text, "p.json:1:52: error: prompt of task \"a\" is 1048577 bytes, over the 1 MiB limit");
	free(text);
}

static void test_agents(void **s)
{
	(void)s;
	expect_error("{\"tasks\": [{\"id\": \"a\"}]}",
		     "p.json:1:12: error: task \"a\" has no \"command\" and no agent (set \"agent\" on the task or the "
		     "plan, or give a \"command\")");
	expect_error("{\"tasks\": [{\"id\": \"a\", \"agent\": \"claud\"}]}",
		     "p.json:1:33: error: task \"a\" uses unknown agent \"claud\" (did you mean \"claude\"?)");
	expect_error("{\"agent\": \"gemeni\", \"tasks\": [{\"id\": \"a\"}]}",
		     "p.json:1:11: error: unknown agent \"gemeni\" (did you mean \"gemini\"?) (known: claude, codex, "
		     "aider, gemini, shell, or a profile in \"agents\")");
	expect_error("{\"agents\": {\"x\": {\"cmd\": [\"a\"]}}, \"tasks\": [{\"id\": \"a\", \"agent\": \"x\"}]}",
		     "p.json:1:18: error: agent profile \"x\" has no \"command\" (an argv array such as [\"my-agent\", "
		     "\"{prompt}\"])\n"
		     "p.json:1:19: error: unknown key \"cmd\" in agent profile \"x\"");
	expect_error("{\"agents\": {\"x\": {\"command\": [\"a\"], \"waiting\": [\"(\"]}}, \"tasks\": [{\"id\": \"a\", "
		     "\"agent\": \"x\"}]}",
		     "p.json:1:49: error: invalid regular expression in \"waiting\": Unmatched ( or \\(");
	expect_error("{\"prompt_template\": \"do {titel}\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:21: error: unknown placeholder {titel} in \"prompt_template\" (did you mean {title}?)");
	/* {files} exists only in resolve_prompt; its placeholders are checked too */
	expect_error("{\"prompt_template\": \"do {files}\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:21: error: placeholder {files} in \"prompt_template\": it is known only in "
		     "\"resolve_prompt\" (the conflicted files)");
	expect_error("{\"resolve_prompt\": \"fix {file}\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:20: error: unknown placeholder {file} in \"resolve_prompt\" (did you mean {files}?)");
	expect_error("{\"resolve_prompt\": \"fix {x}\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:20: error: unknown placeholder {x} in \"resolve_prompt\" (known: {id} {title} {prompt} "
		     "{territory} {branch} {worktree} {deps} {prompt_file} {base} {files}; write {{ for a literal brace)");
	expect_error("{\"resolve_prompt\": 3, " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:20: error: \"resolve_prompt\" must be a string, not a number");
	{
		char *rerr;
		struct plan *rp = parse("{\"resolve_prompt\": \"{id}: {files} with {base}\", " T1B "{\"id\": \"a\"}]}", &rerr);
		assert_non_null(rp);
		char *x = plan_expand_resolve(rp, &rp->tasks[0], rp->resolve_prompt, "/w", NULL, "dev", "a.c, b.c");
		assert_string_equal(x, "a: a.c, b.c with dev");
		free(x);
		plan_free(rp);
		free(rerr);
		/* the default names the files and how to conclude */
		rp = parse("{" T1B "{\"id\": \"a\"}]}", &rerr);
		assert_non_null(rp);
		assert_non_null(strstr(rp->resolve_prompt, "{files}"));
		assert_non_null(strstr(rp->resolve_prompt, "git commit --no-edit"));
		plan_free(rp);
		free(rerr);
	}
	/* a task with a command needs no agent; a plan-level profile overrides a built-in */
	char *err;
	struct plan *p = parse("{\"agents\": {\"claude\": [\"my-claude\", \"{prompt}\"]}, \"tasks\": [{\"id\": \"a\", \"agent\": "
			       "\"claude\"}, {\"id\": \"b\", \"command\": [\"true\"]}]}",
			       &err);
	assert_non_null(p);
	assert_string_equal(plan_task_profile(p, &p->tasks[0])->argv[0], "my-claude");
	assert_false(plan_task_profile(p, &p->tasks[0])->builtin);
	plan_free(p);
	free(err);
}

static void test_misc_values(void **s)
{
	(void)s;
	expect_error("{\"mode\": \"wave\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:10: error: \"mode\" must be \"waves\" or \"dag\", not \"wave\" (did you mean \"waves\"?)");
	expect_error("{\"base\": \"a..b\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:10: error: base branch \"a..b\" contains '..', '//', '/.' or '@{'");
	expect_error("{\"branch_prefix\": \"x y/\", " T1B "{\"id\": \"a\"}]}",
		     "p.json:1:19: error: \"branch_prefix\" \"x y/\" does not make valid branch names: the result contains "
		     "a space, a control character or one of ~^:?*[\\");
	expect_error(T1 "{\"id\": \"a\", \"territory\": [\"../etc\"]}]}",
		     "p.json:1:56: error: \"territory\" path \"../etc\" must be relative to the repository root and stay "
		     "inside it");
	expect_error(T1 "{\"id\": \"a\", \"env\": {\"1X\": \"v\"}}]}",
		     "p.json:1:50: error: environment variable name \"1X\" is not valid");
}

static void test_all_errors_at_once(void **s)
{
	(void)s;
	char *err;
	struct plan *p = parse("{\"max_workers\": 0, \"mode\": \"x\", \"tasks\": [\n"
			       "{\"id\": \"a b\"}, {\"id\": \"c\", \"depends_on\": [\"q\"]}, {\"id\": \"c\"}]}",
			       &err);
	assert_null(p);
	int lines = 0;
	for (char *c = err; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 8); /* max_workers, mode, id, 3x no agent, unknown dep, duplicate */
	free(err);
}

static void test_beads(void **s)
{
	(void)s;
	const char *text =
		"[{\"id\": \"bd-1\", \"title\": \"P\", \"description\": \"parse\", \"status\": \"closed\", \"dependencies\": []},\n"
		" {\"id\": \"bd-2\", \"title\": \"T\", \"status\": \"open\", \"priority\": 2, \"labels\": [],\n"
		"  \"dependencies\": [{\"issue_id\": \"bd-2\", \"depends_on_id\": \"bd-1\", \"type\": \"blocks\"},\n"
		"                   {\"issue_id\": \"bd-2\", \"depends_on_id\": \"bd-3\", \"type\": \"parent-child\"}]},\n"
		" {\"id\": \"bd-3\", \"title\": \"Epic\", \"status\": \"open\"}]";
	char *err;
	struct plan *p = parse(text, &err);
	assert_string_equal(err, "");
	assert_non_null(p);
	assert_int_equal(p->format, PLAN_FORMAT_BEADS);
	assert_int_equal(p->ntasks, 3);
	assert_true(p->tasks[0].done);
	assert_false(p->tasks[1].done);
	assert_string_equal(p->tasks[0].prompt, "parse");
	assert_int_equal(p->tasks[1].ndeps, 1); /* parent-child does not hold work back */
	assert_int_equal(p->tasks[1].wave, 2);
	assert_string_equal(plan_task_profile(p, &p->tasks[1])->name, "claude");
	plan_free(p);
	free(err);
	expect_error("[{\"id\": \"bd-1\", \"dependencies\": [{\"depends_on_id\": \"bd-9\", \"type\": \"blocks\"}]}]",
		     "p.json:1:33: error: task \"bd-1\" depends on unknown task \"bd-9\" (did you mean \"bd-1\"?)");
	expect_error("[]", "p.json:1:1: error: beads export has no issues");
}

static void test_agentops(void **s)
{
	(void)s;
	const char *text = "{\"wave\": [{\"id\": \"a\", \"title\": \"A\", \"spec_path\": \"specs/a.md\"}],\n"
			   " \"blocked\": [{\"id\": \"b\", \"title\": \"B\", \"blocked_by\": [\"a\", \"done1\"]},\n"
			   "             {\"id\": \"c\", \"blocked_by\": \"b\"}],\n"
			   " \"completed\": [{\"id\": \"done1\", \"title\": \"D\"}]}";
	char *err;
	struct plan *p = parse(text, &err);
	assert_string_equal(err, "");
	assert_non_null(p);
	assert_int_equal(p->format, PLAN_FORMAT_AGENTOPS);
	assert_int_equal(p->ntasks, 4);
	int a = plan_find(p, "a"), b = plan_find(p, "b"), c = plan_find(p, "c"), d = plan_find(p, "done1");
	assert_true(p->tasks[d].done);
	assert_string_equal(p->tasks[a].prompt, "Implement the spec in specs/a.md.");
	assert_int_equal(p->tasks[b].wave, 2);
	assert_int_equal(p->tasks[c].wave, 3);
	plan_free(p);
	free(err);
	expect_error("{\"wave\": [{\"id\": \"a\"}], \"blocked\": [{\"id\": \"b\", \"blocked_by\": [\"x\"]}]}",
		     "p.json:1:63: error: task \"b\" depends on unknown task \"x\" (did you mean \"a\"?)");
	expect_error("{\"wave\": [], \"oops\": 1}", "p.json:1:14: error: unknown key \"oops\" in agentops wave file");
}

static void test_load_missing_file(void **s)
{
	(void)s;
	struct diags d;
	diags_init(&d, "/nonexistent/plan.json", NULL, 0);
	assert_null(plan_load("/nonexistent/plan.json", NULL, &d));
	assert_int_equal(d.n, 1);
	char *m = diag_format(&d, 0);
	assert_string_equal(m, "/nonexistent/plan.json: error: cannot read plan: /nonexistent/plan.json: No such file or directory");
	free(m);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_plan),     cmocka_unit_test(test_full_plan),
		cmocka_unit_test(test_invalid_json),     cmocka_unit_test(test_non_utf8),
		cmocka_unit_test(test_wrong_types),      cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_ids),              cmocka_unit_test(test_dependencies),
		cmocka_unit_test(test_cycles),           cmocka_unit_test(test_empty_and_limits),
		cmocka_unit_test(test_agents),           cmocka_unit_test(test_misc_values),
		cmocka_unit_test(test_all_errors_at_once), cmocka_unit_test(test_beads),
		cmocka_unit_test(test_agentops),         cmocka_unit_test(test_load_missing_file),
	};
	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
