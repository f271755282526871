/* Tests for gitdiff: territory matching (pure), overlaps (pure), and the
 * changed files of real task branches checked against git diff -M. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gitdiff.h"
#include "gittest.h"
#include "gitwt.h"

static void test_territory(void **st)
{
	(void)st;
	char *src[] = { "src", NULL };
	char *src_slash[] = { "src/", NULL };
	char *multi[] = { "docs/guide.md", "./lib/", "/include", NULL };
	char *all[] = { ".", NULL };
	char *none[] = { NULL };
	assert_true(gitdiff_territory_match("src/a.c", src));
	assert_true(gitdiff_territory_match("src", src));
	assert_true(gitdiff_territory_match("src/deep/x/y.c", src_slash));
	assert_false(gitdiff_territory_match("srcx/a.c", src));
	assert_false(gitdiff_territory_match("srcx/a.c", src_slash));
	assert_false(gitdiff_territory_match("sr", src));
	assert_false(gitdiff_territory_match("lib/src/a.c", src));
	assert_true(gitdiff_territory_match("docs/guide.md", multi));
	assert_false(gitdiff_territory_match("docs/guide.md.bak", multi));
	assert_false(gitdiff_territory_match("docs/other.md", multi));
	assert_true(gitdiff_territory_match("lib/x.c", multi));
	assert_true(gitdiff_territory_match("include/x.h", multi));
	assert_false(gitdiff_territory_match("includes/x.h", multi));
	assert_true(gitdiff_territory_match("anything/at/all", all));
	assert_true(gitdiff_territory_match("anything", none));
	assert_true(gitdiff_territory_match("anything", NULL));
	char *uni[] = { "dössier", NULL };
	assert_true(gitdiff_territory_match("dössier/é.txt", uni));
	assert_false(gitdiff_territory_match("dössierx/é.txt", uni));
}

static struct gitdiff_file mkfile(const char *path, const char *old)
{
	struct gitdiff_file f = { 0 };
	f.status = old ? 'R' : 'M';
	f.path = xstrdup(path);
	f.old_path = xstrdup(old ? old : path);
	return f;
}

static void test_overlaps(void **st)
{
	(void)st;
	struct gitdiff_task t[3] = { { .id = "a" }, { .id = "b" }, { .id = "c" } };
	t[0].files = xcalloc(3, sizeof *t[0].files);
	t[0].files[0] = mkfile("src/x.c", NULL);
	t[0].files[1] = mkfile("src/new.c", "src/old.c"); /* rename: both paths count */
	t[0].files[2] = mkfile("src/x.c", NULL);           /* same path again (uncommitted) */
	t[0].nfiles = 3;
	t[1].files = xcalloc(2, sizeof *t[1].files);
	t[1].files[0] = mkfile("src/old.c", NULL);
	t[1].files[1] = mkfile("README", NULL);
	t[1].nfiles = 2;
	t[2].files = xcalloc(2, sizeof *t[2].files);
	t[2].files[0] = mkfile("src/x.c", NULL);
	t[2].files[1] = mkfile("docs/y", NULL);
	t[2].nfiles = 2;
	gitdiff_overlaps(t, 3);
	assert_int_equal(t[0].noverlaps, 2);
	assert_string_equal(t[0].overlaps[0].path, "src/old.c");
	assert_string_equal(t[0].overlaps[0].other, "b");
	assert_string_equal(t[0].overlaps[1].path, "src/x.c");
	assert_string_equal(t[0].overlaps[1].other, "c");
	assert_int_equal(t[1].noverlaps, 1);
	assert_string_equal(t[1].overlaps[0].other, "a");
	assert_int_equal(t[2].noverlaps, 1);
	assert_string_equal(t[2].overlaps[0].path, "src/x.c");
	assert_string_equal(t[2].overlaps[0].other, "a");
	/* idempotent */
	gitdiff_overlaps(t, 3);
	assert_int_equal(t[0].noverlaps, 2);
	for (int i = 0; i < 3; i++)
		gitdiff_task_free(&t[i]);
	gitdiff_overlaps(t, 0);
}

static void test_task_changes(void **st)
{
	(void)st;
	gt_setup();
	struct err e = { { 0 } };
	struct gitrepo *r = gitrepo_open(gt_repo, &e);
	assert_non_null(r);
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_add(r, "main", "shoal/t/one", "one", NULL, NULL, &ar, &e), 0);
	gitwt_add_result_free(&ar);
	assert_int_equal(gitwt_add(r, "main", "shoal/t/two", "two", NULL, NULL, &ar, &e), 0);
	gitwt_add_result_free(&ar);
	char *w1 = gt_fmt("%s/.shoal/worktrees/one", gt_repo);
	char *w2 = gt_fmt("%s/.shoal/worktrees/two", gt_repo);
	/* one: edit src/a.c, rename docs/guide.md, add a file outside territory */
	assert_int_equal(gt_sh("cd '%s' && printf 'int a;\\nint b2;\\nint c;\\nint d;\\n' >src/a.c && "
			       "git mv docs/guide.md src/guide.md && echo n >notes.txt && git add -A && "
			       GIT " commit -qm one && echo wip >>src/a.c && echo u >src/untracked.c",
			       w1),
			 0);
	assert_int_equal(gt_sh("cd '%s' && echo z >>src/a.c && " GIT " commit -qam two", w2), 0);
	/* base moves on: the diff stays relative to the merge base */
	assert_int_equal(gt_sh("cd '%s' && echo more >>README && " GIT " commit -qam base", gt_repo), 0);
	char *terr[] = { "src", NULL };
	struct gitdiff_task t[2] = { { .id = "one" }, { .id = "two" } };
	assert_int_equal(gitdiff_task(r, "main", "shoal/t/one", w1, terr, &t[0], &e), 0);
	assert_int_equal(gitdiff_task(r, "main", "shoal/t/two", w2, terr, &t[1], &e), 0);
	/* committed part agrees with git diff --name-status -M base...task */
	char *g = gt_out("git -C '%s' diff --name-status -M main...shoal/t/one | tr '\\t\\n' '  '", gt_repo);
	struct sbuf mine = { 0 };
	for (int i = 0; i < t[0].nfiles; i++) {
		struct gitdiff_file *f = &t[0].files[i];
		if (f->uncommitted)
			continue;
		if (f->status == 'R')
			sbuf_printf(&mine, "R100 %s %s ", f->old_path, f->path);
		else
			sbuf_printf(&mine, "%c %s ", f->status, f->path);
	}
	assert_string_equal(mine.s, g);
	sbuf_free(&mine);
	gt_free(g);
	int committed = 0, uncommitted = 0, outside = 0;
	for (int i = 0; i < t[0].nfiles; i++) {
		struct gitdiff_file *f = &t[0].files[i];
		if (f->uncommitted)
			uncommitted++;
		else
			committed++;
		if (f->outside)
			outside++;
		if (!f->uncommitted && !strcmp(f->path, "src/a.c")) {
			assert_int_equal(f->added, 2);
			assert_int_equal(f->removed, 1);
		}
		if (f->uncommitted && !strcmp(f->path, "src/untracked.c"))
			assert_int_equal(f->status, '?');
	}
	assert_int_equal(committed, 3);
	assert_int_equal(uncommitted, 2); /* src/a.c (wip) and src/untracked.c */
	/* notes.txt is outside; so is the rename (its old path docs/guide.md) */
	assert_int_equal(outside, 2);
	assert_int_equal(t[0].nviolations, 2);
	gitdiff_overlaps(t, 2);
	assert_int_equal(t[0].noverlaps, 1);
	assert_string_equal(t[0].overlaps[0].path, "src/a.c");
	assert_string_equal(t[0].overlaps[0].other, "two");
	assert_int_equal(t[1].noverlaps, 1);
	assert_int_equal(t[1].nviolations, 0);
	gitdiff_task_free(&t[0]);
	gitdiff_task_free(&t[1]);
	/* unrelated history: a clear error */
	assert_int_equal(gt_sh("cd '%s' && c=$(" GIT " commit-tree 'main^{tree}' -m orphan) && "
			       "git update-ref refs/heads/orphan $c",
			       gt_repo),
			 0);
	struct gitdiff_task o = { .id = "o" };
	assert_int_equal(gitdiff_task(r, "main", "orphan", NULL, NULL, &o, &e), -1);
	assert_non_null(strstr(e.msg, "unrelated"));
	gt_free(w1);
	gt_free(w2);
	gitrepo_close(r);
	gt_teardown();
}

static void test_patch(void **st)
{
	(void)st;
	gt_setup();
	struct err e = { { 0 } };
	struct gitrepo *r = gitrepo_open(gt_repo, &e);
	assert_non_null(r);
	/* a branch editing, adding and renaming; the base moves on meanwhile */
	assert_int_equal(gt_sh("cd '%s' && git checkout -qb shoal/t/p && "
			       "printf 'int a;\nint b2;\nint c;\n' >src/a.c && echo new >new.txt && "
			       "git mv docs/guide.md docs/manual.md && git add -A && " GIT " commit -qm p && "
			       "git checkout -q main && echo more >>README && " GIT " commit -qam base",
			       gt_repo),
			 0);
	char *text = NULL;
	int cut = -1;
	assert_int_equal(gitdiff_patch(r, "main", "shoal/t/p", 0, &text, &cut, &e), 0);
	assert_int_equal(cut, 0);
	/* the same text as git diff base...branch (the oracle) */
	char *g = gt_out("git -C '%s' -c core.abbrev=7 diff --no-color --no-ext-diff -M main...shoal/t/p", gt_repo);
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n')
		text[--n] = 0;
	assert_string_equal(text, g);
	assert_non_null(strstr(text, "rename from docs/guide.md"));
	assert_non_null(strstr(text, "-int b;\n+int b2;"));
	free(text);
	/* cut at a line count */
	assert_int_equal(gitdiff_patch(r, "main", "shoal/t/p", 3, &text, &cut, &e), 0);
	assert_int_equal(cut, 1);
	int lines = 0;
	for (char *c = text; *c; c++)
		lines += *c == '\n';
	assert_true(lines <= 4);
	free(text);
	assert_int_equal(gitdiff_patch(r, "main", "nosuch", 0, &text, &cut, &e), -1);
	assert_non_null(strstr(e.msg, "nosuch"));
	gitrepo_close(r);
	gt_teardown();
}

int main(void)
{
	gitrepo_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_territory),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_task_changes),
		cmocka_unit_test(test_patch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
