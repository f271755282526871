/* Tests for gitrepo + gitwt: opening, worktree add/list/remove/prune on real
 * repositories, checked against the git CLI (list --porcelain, status, fsck). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <git2.h>
#include <sys/stat.h>

#include "gitrepo.h"
#include "gittest.h"
#include "gitwt.h"

static char *wt_path(const char *id)
{
	return gt_fmt("%s/.shoal/worktrees/%s", gt_repo, id);
}

static void add_ok(struct gitrepo *r, const char *id)
{
	struct err e = { { 0 } };
	struct gitwt_add_result res;
	char *br = gt_fmt("shoal/t/%s", id);
	if (gitwt_add(r, "main", br, id, NULL, NULL, &res, &e) < 0)
		fail_msg("add %s: %s", id, e.msg);
	gitwt_add_result_free(&res);
	gt_free(br);
}

/* The CLI agrees the repository is sound and the main worktree clean. */
static void cli_sound(void)
{
	assert_int_equal(gt_sh("git -C '%s' fsck --no-progress --strict", gt_repo), 0);
	char *st = gt_out("git -C '%s' status --porcelain", gt_repo);
	assert_string_equal(st, "");
	gt_free(st);
}

static void test_open_everywhere(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	add_ok(r, "T-1");
	char *root = xstrdup(r->root);
	gitrepo_close(r);
	char *sub = gt_fmt("%s/src", gt_repo);
	r = gitrepo_open(sub, &e);
	assert_non_null(r);
	assert_string_equal(r->root, root);
	gitrepo_close(r);
	char *wsub = gt_fmt("%s/.shoal/worktrees/T-1/src", gt_repo);
	r = gitrepo_open(wsub, &e);
	assert_non_null(r);
	assert_string_equal(r->root, root); /* acts on the main repository */
	gitrepo_close(r);
	gt_free(sub);
	gt_free(wsub);
	gt_free(root);

	/* bare, empty, not a repository: refused with a clear message */
	char *bare = gt_fmt("%s/bare.git", gt_tmp);
	assert_int_equal(gt_sh("git clone -q --bare '%s' '%s'", gt_repo, bare), 0);
	assert_null(gitrepo_open(bare, &e));
	assert_non_null(strstr(e.msg, "bare"));
	char *empty = gt_fmt("%s/empty", gt_tmp);
	assert_int_equal(gt_sh("git init -q '%s'", empty), 0);
	assert_null(gitrepo_open(empty, &e));
	assert_non_null(strstr(e.msg, "no commits"));
	char *none = gt_fmt("%s/none", gt_tmp);
	mkdir(none, 0777);
	assert_null(gitrepo_open(none, &e));
	assert_non_null(strstr(e.msg, "not a git repository"));
	gt_free(bare);
	gt_free(empty);
	gt_free(none);
}

static void test_round_trip(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	add_ok(r, "T-1");
	add_ok(r, "T-2");
	/* .shoal/ is excluded once, via info/exclude, not .gitignore */
	add_ok(r, "T-3");
	char *n = gt_out("grep -c '^/.shoal/$' '%s/.git/info/exclude'", gt_repo);
	assert_string_equal(n, "1");
	gt_free(n);
	assert_false(gitrepo_exists(gt_fmt("%s/.gitignore", gt_repo)));
	cli_sound();

	char *porc = gt_out("git -C '%s' worktree list --porcelain", gt_repo);
	for (int i = 1; i <= 3; i++) {
		char *p = gt_fmt("worktree %s/.shoal/worktrees/T-%d\n", gt_repo, i);
		char *b = gt_fmt("branch refs/heads/shoal/t/T-%d", i);
		assert_non_null(strstr(porc, p));
		assert_non_null(strstr(porc, b));
		gt_free(p);
		gt_free(b);
	}
	gt_free(porc);
	char *wst = gt_out("git -C '%s/.shoal/worktrees/T-1' status --porcelain", gt_repo);
	assert_string_equal(wst, "");
	gt_free(wst);

	/* a commit on T-1, a dirty file in T-2 */
	assert_int_equal(gt_sh("cd '%s/.shoal/worktrees/T-1' && echo x >>README && " GIT
			       " commit -qam work",
			       gt_repo),
			 0);
	assert_int_equal(gt_sh("echo y >>'%s/.shoal/worktrees/T-2/src/a.c'", gt_repo), 0);
	struct gitwt_info *v;
	int nv;
	assert_int_equal(gitwt_list(r, "main", &v, &nv, &e), 0);
	assert_int_equal(nv, 3);
	assert_string_equal(v[0].id, "T-1");
	assert_string_equal(v[0].branch, "shoal/t/T-1");
	assert_int_equal(v[0].ahead, 1);
	assert_int_equal(v[0].behind, 0);
	assert_int_equal(v[0].dirty, 0);
	assert_int_equal(v[0].merged, 0);
	char *h = gt_out("git -C '%s' rev-parse shoal/t/T-1", gt_repo);
	assert_string_equal(v[0].head, h);
	gt_free(h);
	assert_int_equal(v[1].dirty, 1);
	assert_int_equal(v[1].merged, 1);
	assert_int_equal(v[2].stale, 0);
	assert_int_equal(v[2].locked, 0);
	gitwt_list_free(v, nv);

	/* dirty refused; clean+merged removed with its branch; unmerged keeps its branch */
	struct gitwt_remove_result rr;
	assert_int_equal(gitwt_remove(r, "main", "T-2", 0, &rr, &e), -1);
	assert_non_null(strstr(e.msg, "uncommitted"));
	assert_non_null(strstr(e.msg, "src/a.c"));
	assert_true(gitrepo_exists(gt_fmt("%s/.shoal/worktrees/T-2/src/a.c", gt_repo)));
	assert_int_equal(gitwt_remove(r, "main", "T-3", 0, &rr, &e), 0);
	assert_int_equal(rr.branch_deleted, 1);
	gitwt_remove_result_free(&rr);
	assert_int_equal(gitwt_remove(r, "main", "T-1", 0, &rr, &e), 0);
	assert_int_equal(rr.branch_deleted, 0);
	assert_int_equal(rr.branch_kept_unmerged, 1);
	gitwt_remove_result_free(&rr);
	assert_int_equal(gitwt_remove(r, "main", "T-2", 1, &rr, &e), 0);
	gitwt_remove_result_free(&rr);
	char *branches = gt_out("git -C '%s' branch --format='%%(refname:short)' | tr '\\n' ' '", gt_repo);
	assert_string_equal(branches, "main shoal/t/T-1 ");
	gt_free(branches);
	porc = gt_out("git -C '%s' worktree list --porcelain | grep -c '^worktree '", gt_repo);
	assert_string_equal(porc, "1");
	gt_free(porc);
	assert_false(gitrepo_exists(gt_fmt("%s/.shoal/worktrees/T-1", gt_repo)));
	cli_sound();

	/* re-adding a task whose branch exists and no worktree holds reuses it */
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_add(r, "main", "shoal/t/T-1", "T-1", NULL, NULL, &ar, &e), 0);
	assert_int_equal(ar.reused, 1);
	char *t1 = gt_out("git -C '%s' rev-parse shoal/t/T-1", gt_repo);
	assert_string_equal(ar.head, t1);
	gt_free(t1);
	gitwt_add_result_free(&ar);
	/* a branch checked out elsewhere is refused, nothing created */
	assert_int_equal(gitwt_add(r, "main", "main", "T-9", NULL, NULL, &ar, &e), -1);
	assert_non_null(strstr(e.msg, "already checked out"));
	assert_false(gitrepo_exists(gt_fmt("%s/.shoal/worktrees/T-9", gt_repo)));
	assert_false(gitrepo_exists(gt_fmt("%s/.git/worktrees/T-9", gt_repo)));
	/* already has a worktree */
	assert_int_equal(gitwt_add(r, "main", "shoal/t/T-1", "T-1", NULL, NULL, &ar, &e), -1);
	assert_non_null(strstr(e.msg, "already has a worktree"));
	cli_sound();
	gitrepo_close(r);
}

static void test_stale_and_prune(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	add_ok(r, "gone");
	add_ok(r, "kept");
	char *p = wt_path("gone");
	assert_int_equal(gt_sh("rm -rf '%s'", p), 0);
	struct gitwt_info *v;
	int nv;
	assert_int_equal(gitwt_list(r, "main", &v, &nv, &e), 0);
	assert_int_equal(nv, 2);
	assert_int_equal(v[0].stale, 1);
	assert_int_equal(v[0].dirty, -1);
	assert_int_equal(v[1].stale, 0);
	gitwt_list_free(v, nv);
	/* the CLI sees it as prunable too */
	char *porc = gt_out("git -C '%s' worktree list --porcelain", gt_repo);
	assert_non_null(strstr(porc, "prunable"));
	gt_free(porc);
	assert_int_equal(gitwt_prune(r, &e), 1);
	porc = gt_out("git -C '%s' worktree list --porcelain", gt_repo);
	assert_null(strstr(porc, "prunable"));
	assert_null(strstr(porc, "/gone"));
	assert_non_null(strstr(porc, "/kept"));
	gt_free(porc);
	/* after prune, adding it again reuses the branch */
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_add(r, "main", "shoal/t/gone", "gone", NULL, NULL, &ar, &e), 0);
	assert_int_equal(ar.reused, 1);
	gitwt_add_result_free(&ar);
	/* a stale entry for the same task is pruned by add itself */
	assert_int_equal(gt_sh("rm -rf '%s'", p), 0);
	assert_int_equal(gitwt_add(r, "main", "shoal/t/gone", "gone", NULL, NULL, &ar, &e), 0);
	assert_int_equal(ar.pruned_stale, 1);
	gitwt_add_result_free(&ar);
	cli_sound();
	assert_int_equal(gt_sh("git -C '%s' worktree prune -n -v | grep -q .", gt_repo), 1);
	gt_free(p);
	gitrepo_close(r);
}

static void test_partial_admin_dirs(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	/* the libgit2 trap: two leftover partial admin dirs poison every add */
	assert_int_equal(gt_sh("mkdir -p '%s/.git/worktrees/q1' '%s/.git/worktrees/q2'", gt_repo,
			       gt_repo),
			 0);
	add_ok(r, "after-trap");
	assert_false(gitrepo_exists(gt_fmt("%s/.git/worktrees/q1", gt_repo)));
	assert_false(gitrepo_exists(gt_fmt("%s/.git/worktrees/q2", gt_repo)));
	/* a failing add (target exists, not empty) cleans up after itself */
	char *p = wt_path("blocked");
	assert_int_equal(gt_sh("mkdir -p '%s' && echo x >'%s/file'", p, p), 0);
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_add(r, "main", "shoal/t/blocked", "blocked", NULL, NULL, &ar, &e), -1);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_false(gitrepo_exists(gt_fmt("%s/.git/worktrees/blocked", gt_repo)));
	assert_int_equal(gt_sh("git -C '%s' rev-parse -q --verify refs/heads/shoal/t/blocked", gt_repo), 1);
	/* the retry works once the obstacle is gone */
	assert_int_equal(gt_sh("rm -rf '%s'", p), 0);
	add_ok(r, "blocked");
	/* an empty leftover directory does not block */
	char *p2 = wt_path("emptydir");
	mkdir(p2, 0777);
	add_ok(r, "emptydir");
	cli_sound();
	char *porc = gt_out("git -C '%s' worktree list --porcelain | grep -c '^worktree '", gt_repo);
	assert_string_equal(porc, "4");
	gt_free(porc);
	gt_free(p);
	gt_free(p2);
	gitrepo_close(r);
}

/* A process killed inside libgit2's commit of a new ref (link(), then
 * unlink() of the lock) leaves the ref AND its lock; recovery must still
 * delete the branch it half made, and a leftover temporary branch too. */
static void test_recover_linked_lock(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	assert_int_equal(gitrepo_prepare(r, &e), 0);
	assert_int_equal(gt_sh("cd '%s' && git branch shoal/t/half && git branch shoal-tmp/v1 && "
			       "ln .git/refs/heads/shoal/t/half .git/refs/heads/shoal/t/half.lock && "
			       "ln .git/refs/heads/shoal-tmp/v1 .git/refs/heads/shoal-tmp/v1.lock",
			       gt_repo),
			 0);
	assert_int_equal(gitrepo_add_intent(r, "half", "half", "shoal/t/half", 1, &e), 0);
	gitrepo_close(r);
	r = gt_open();
	assert_int_equal(gitrepo_prepare(r, &e), 0);
	assert_true(r->recovered >= 2);
	assert_int_equal(gt_sh("git -C '%s' rev-parse -q --verify refs/heads/shoal/t/half", gt_repo), 1);
	assert_int_equal(gt_sh("git -C '%s' rev-parse -q --verify refs/heads/shoal-tmp/v1", gt_repo), 1);
	assert_false(gitrepo_exists(gt_fmt("%s/.git/refs/heads/shoal/t/half.lock", gt_repo)));
	assert_false(gitrepo_exists(gt_fmt("%s/.git/refs/heads/shoal-tmp/v1.lock", gt_repo)));
	assert_false(gitrepo_exists(gt_fmt("%s/.shoal/adding-half", gt_repo)));
	/* and the add works again */
	add_ok(r, "half");
	cli_sound();
	gitrepo_close(r);
}

static void test_locked_and_invalid(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	add_ok(r, "lk");
	assert_int_equal(gt_sh("git -C '%s' worktree lock --reason 'on a USB disk' '%s'", gt_repo,
			       wt_path("lk")),
			 0);
	struct gitwt_info *v;
	int nv;
	assert_int_equal(gitwt_list(r, "main", &v, &nv, &e), 0);
	assert_int_equal(v[0].locked, 1);
	assert_string_equal(v[0].lock_reason, "on a USB disk");
	gitwt_list_free(v, nv);
	struct gitwt_remove_result rr;
	assert_int_equal(gitwt_remove(r, "main", "lk", 0, &rr, &e), -1);
	assert_non_null(strstr(e.msg, "locked: on a USB disk"));
	assert_true(gitrepo_exists(wt_path("lk")));
	assert_int_equal(gitwt_remove(r, "main", "lk", 1, &rr, &e), 0);
	gitwt_remove_result_free(&rr);
	assert_false(gitrepo_exists(wt_path("lk")));
	/* invalid ids: refused, nothing created */
	const char *bad[] = { "tâche", "a b", "..", "-x", "x.lock", "a/b", "" };
	struct gitwt_add_result ar;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *br = gt_fmt("shoal/t/%s", bad[i]);
		assert_int_equal(gitwt_add(r, "main", br, bad[i], NULL, NULL, &ar, &e), -1);
		assert_non_null(strstr(e.msg, "invalid task id"));
		gt_free(br);
	}
	char *ls = gt_out("ls -A '%s/.shoal/worktrees' | wc -l", gt_repo);
	assert_string_equal(ls, "0");
	gt_free(ls);
	/* a bad branch prefix */
	assert_int_equal(gitwt_add(r, "main", "bad..prefix/x", "x", NULL, NULL, &ar, &e), -1);
	assert_non_null(strstr(e.msg, "invalid branch name"));
	/* unknown base */
	assert_int_equal(gitwt_add(r, "nope", "shoal/t/x", "x", NULL, NULL, &ar, &e), -1);
	assert_non_null(strstr(e.msg, "base branch \"nope\" not found"));
	cli_sound();
	char *br = gt_out("git -C '%s' branch | wc -l", gt_repo);
	assert_string_equal(br, "1");
	gt_free(br);
	gitrepo_close(r);
}

static size_t nprog;
static void count_progress(const char *path, size_t done, size_t total, void *ud)
{
	(void)path, (void)done, (void)ud;
	if (total)
		nprog++;
}

static void test_progress_and_base_default(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	char *base = NULL;
	assert_int_equal(gitrepo_base(r, NULL, &base, &e), 0);
	assert_string_equal(base, "main");
	struct gitwt_add_result ar;
	nprog = 0;
	assert_int_equal(gitwt_add(r, NULL, "shoal/t/p", "p", count_progress, NULL, &ar, &e), 0);
	assert_true(nprog >= 3);
	gitwt_add_result_free(&ar);
	gt_free(base);
	assert_int_equal(gt_sh("git -C '%s' checkout -q --detach", gt_repo), 0);
	assert_int_equal(gitrepo_base(r, NULL, &base, &e), -1);
	assert_non_null(strstr(e.msg, "detached"));
	gitrepo_close(r);
}

/* The disable_filters shortcut must never change what lands on disk. */
static void test_filters_still_applied(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	git_oid tip;
	assert_int_equal(gitrepo_branch_oid(r, "main", &tip, &e), 0);
	assert_int_equal(gitrepo_filters_needed(r, &tip), 0);
	gitrepo_close(r);
	/* a nested .gitattributes asking for CRLF */
	assert_int_equal(gt_sh("cd '%s' && printf '*.txt text eol=crlf\\n' >docs/.gitattributes && "
			       "printf 'a\\nb\\n' >docs/n.txt && git add -A && " GIT " commit -qm attrs",
			       gt_repo),
			 0);
	r = gt_open();
	assert_int_equal(gitrepo_branch_oid(r, "main", &tip, &e), 0);
	assert_int_equal(gitrepo_filters_needed(r, &tip), 1);
	add_ok(r, "crlf");
	char *crlf = gt_out("od -c '%s/docs/n.txt' | head -1", wt_path("crlf"));
	assert_non_null(strstr(crlf, "\\r  \\n"));
	char *stt = gt_out("git -C '%s' status --porcelain", wt_path("crlf"));
	assert_string_equal(stt, "");
	gitrepo_close(r);
	/* core.autocrlf=true without any attributes file */
	assert_int_equal(gt_sh("cd '%s' && git rm -q docs/.gitattributes && " GIT " commit -qm noattrs && "
			       "git config core.autocrlf true",
			       gt_repo),
			 0);
	r = gt_open();
	assert_int_equal(gitrepo_branch_oid(r, "main", &tip, &e), 0);
	assert_int_equal(gitrepo_filters_needed(r, &tip), 1);
	add_ok(r, "auto");
	crlf = gt_out("od -c '%s/README' | head -1", wt_path("auto"));
	assert_non_null(strstr(crlf, "\\r  \\n"));
	gitrepo_close(r);
}

/* The orchestrator's start: resume uses the existing worktree, fresh
 * discards worktree and branch (even dirty) and starts from the base tip. */
static void test_start_resume_and_fresh(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_start(r, "main", "shoal/t/s", "s", 0, NULL, NULL, &ar, &e), 0);
	assert_int_equal(ar.existing, 0);
	gitwt_add_result_free(&ar);
	assert_int_equal(gt_sh("cd '%s' && echo w >w.txt && git add w.txt && " GIT " commit -qm w && "
			       "echo dirty >>README",
			       wt_path("s")),
			 0);
	char *tip = gt_out("git -C '%s' rev-parse shoal/t/s", gt_repo);
	assert_int_equal(gitwt_start(r, "main", "shoal/t/s", "s", 0, NULL, NULL, &ar, &e), 0);
	assert_int_equal(ar.existing, 1);
	assert_string_equal(ar.head, tip);
	gitwt_add_result_free(&ar);
	char *readme = gt_out("tail -n 1 '%s/README'", wt_path("s"));
	assert_string_equal(readme, "dirty"); /* resume touches nothing */
	assert_int_equal(gitwt_start(r, "main", "shoal/t/s", "s", 1, NULL, NULL, &ar, &e), 0);
	assert_int_equal(ar.discarded, 1);
	assert_int_equal(ar.reused, 0);
	char *main_tip = gt_out("git -C '%s' rev-parse main", gt_repo);
	assert_string_equal(ar.head, main_tip);
	gitwt_add_result_free(&ar);
	char *wst = gt_out("git -C '%s' status --porcelain", wt_path("s"));
	assert_string_equal(wst, "");
	assert_false(gitrepo_exists(gt_fmt("%s/w.txt", wt_path("s"))));
	cli_sound();
	/* a locked worktree is not discarded */
	assert_int_equal(gt_sh("git -C '%s' worktree lock '%s'", gt_repo, wt_path("s")), 0);
	assert_int_equal(gitwt_start(r, "main", "shoal/t/s", "s", 1, NULL, NULL, &ar, &e), -1);
	assert_non_null(strstr(e.msg, "locked"));
	assert_true(gitrepo_exists(wt_path("s")));
	gitrepo_close(r);
}

int main(void)
{
	gitrepo_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_everywhere, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_stale_and_prune, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_partial_admin_dirs, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_recover_linked_lock, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_locked_and_invalid, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_progress_and_base_default, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_filters_still_applied, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_start_resume_and_fresh, gt_fixture_setup, gt_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
