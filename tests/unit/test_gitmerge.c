/* Tests for merge + gitworker: previews, fast-forward and clean merges with
 * validation, conflicts, unrelated histories, a dirty main worktree, failed
 * validation, base moved during validation, wave merges, --into-task,
 * identity fallback and the worker thread — on real repositories, checked
 * with the git CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <git2.h>
#include <poll.h>
#include <sys/stat.h>

#include "gitrepo.h"
#include "gittest.h"
#include "gitworker.h"
#include "gitwt.h"
#include "merge.h"

/* Commits in the main worktree with the CLI (keeps it clean). */
static void main_commit(const char *path, const char *content)
{
	assert_int_equal(gt_sh("cd '%s' && mkdir -p \"$(dirname '%s')\" && printf '%%s' '%s' >'%s' && "
			       "git add -A && " GIT " commit -qm 'main: %s'",
			       gt_repo, path, content, path, path),
			 0);
}

static void assert_main_clean(void)
{
	char *s = gt_out("git -C '%s' status --porcelain", gt_repo);
	assert_string_equal(s, "");
	gt_free(s);
	assert_int_equal(gt_sh("git -C '%s' diff --quiet HEAD", gt_repo), 0);
	assert_int_equal(gt_sh("git -C '%s' fsck --no-progress --strict", gt_repo), 0);
}

/* No validation worktree or temporary branch left behind. */
static void assert_no_leftovers(void)
{
	char *n = gt_out("git -C '%s' worktree list --porcelain | grep -c '/.shoal/validate/'", gt_repo);
	assert_string_equal(n, "0");
	gt_free(n);
	n = gt_out("git -C '%s' branch --list 'shoal-tmp/*' | wc -l", gt_repo);
	assert_string_equal(n, "0");
	gt_free(n);
	assert_false(gitrepo_exists(gt_fmt("%s/.shoal/merge-journal", gt_repo)));
}

static void test_preview_kinds(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	gt_commit_file("ff", "main", "src/new.c", "new\n");
	gt_commit_file("cl", "main", "src/b.c", "b\n");
	gt_commit_file("cf", "main", "README", "theirs\n");
	gt_commit_file("cf", "cf", "docs/guide.md", "theirs guide\n");
	assert_int_equal(gt_sh("cd '%s' && git branch old", gt_repo), 0);
	main_commit("README", "ours\n");
	main_commit("docs/guide.md", "ours guide\n");
	assert_int_equal(gt_sh("cd '%s' && git update-ref refs/heads/ff $(git rev-parse main) && true",
			       gt_repo),
			 0);
	gt_commit_file("ff", "ff", "src/new.c", "new\n");
	assert_int_equal(gt_sh("cd '%s' && c=$(" GIT " commit-tree 'main^{tree}' -m orphan) && "
			       "git update-ref refs/heads/orphan $c",
			       gt_repo),
			 0);
	char *before = gt_rev("main");
	struct gitrepo *r = gt_open();
	struct merge_preview p;
	assert_int_equal(merge_preview(r, "main", "ff", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_FASTFORWARD);
	assert_int_equal(p.ahead, 1);
	merge_preview_free(&p);
	assert_int_equal(merge_preview(r, "main", "cl", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_CLEAN);
	merge_preview_free(&p);
	assert_int_equal(merge_preview(r, "main", "cf", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_CONFLICT);
	assert_int_equal(p.nconflicts, 2);
	assert_string_equal(p.conflicts[0], "README");
	assert_string_equal(p.conflicts[1], "docs/guide.md");
	/* same list as git merge-tree */
	char *mt = gt_out("git -C '%s' merge-tree --write-tree --name-only main cf | sed -n '2,/^$/p' | "
			  "grep . | tr '\\n' ' '",
			  gt_repo);
	assert_string_equal(mt, "README docs/guide.md ");
	gt_free(mt);
	merge_preview_free(&p);
	/* file on one side, directory of the same name on the other: the
	 * shortcut must not call it clean; libgit2 reports the conflict */
	gt_commit_file("fd1", "old", "docs/x", "file\n");
	gt_commit_file("fd2", "old", "docs/x/y", "in a dir\n");
	assert_int_equal(merge_preview(r, "fd1", "fd2", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_CONFLICT);
	merge_preview_free(&p);
	assert_int_equal(merge_preview(r, "fd2", "fd1", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_CONFLICT);
	merge_preview_free(&p);
	/* disjoint changes: clean, and the real merge agrees */
	gt_commit_file("dj1", "old", "src/one.c", "1\n");
	gt_commit_file("dj2", "old", "src/two.c", "2\n");
	assert_int_equal(merge_preview(r, "dj1", "dj2", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_CLEAN);
	merge_preview_free(&p);
	assert_int_equal(gt_sh("git -C '%s' merge-tree --write-tree dj1 dj2", gt_repo), 0);
	assert_int_equal(merge_preview(r, "main", "old", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_UP_TO_DATE);
	merge_preview_free(&p);
	assert_int_equal(merge_preview(r, "main", "orphan", &p, &e), 0);
	assert_int_equal(p.kind, MERGE_UNRELATED);
	merge_preview_free(&p);
	assert_int_equal(merge_preview(r, "main", "nope", &p, &e), -1);
	assert_non_null(strstr(e.msg, "nope"));
	/* nothing touched */
	char *after = gt_rev("main");
	assert_string_equal(before, after);
	assert_false(gitrepo_exists(gt_fmt("%s/.git/MERGE_HEAD", gt_repo)));
	assert_main_clean();
	/* merge refuses unrelated histories and conflicts, changing nothing */
	struct merge_opts o = { .id = "orphan" };
	struct merge_result res;
	assert_int_equal(merge_task(r, "main", "orphan", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_REFUSED);
	assert_non_null(strstr(res.msg, "unrelated histories"));
	merge_result_free(&res);
	o.id = "cf";
	assert_int_equal(merge_task(r, "main", "cf", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_CONFLICTED);
	assert_int_equal(res.preview.nconflicts, 2);
	merge_result_free(&res);
	o.id = "old";
	assert_int_equal(merge_task(r, "main", "old", &o, &res, &e), 0);
	assert_int_equal(res.outcome, MERGE_ALREADY);
	assert_string_equal(merge_outcome_key(res.outcome), "merged");
	assert_string_equal(res.new_tip, before);
	assert_string_equal(merge_outcome_key(MERGE_CONFLICTED), "conflict");
	assert_string_equal(merge_outcome_key(MERGE_INVALID), "invalid");
	merge_result_free(&res);
	after = gt_rev("main");
	assert_string_equal(before, after);
	assert_main_clean();
	gitrepo_close(r);
}

static void test_ff_and_clean_merge(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	gt_commit_file("ff", "main", "src/new.c", "new\n");
	struct gitrepo *r = gt_open();
	struct merge_opts o = { .id = "ff", .validate = "test -f src/new.c && echo validated-ff" };
	struct merge_result res;
	char *ff = gt_rev("ff");
	assert_int_equal(merge_task(r, "main", "ff", &o, &res, &e), 0);
	assert_int_equal(res.outcome, MERGE_MERGED);
	assert_int_equal(res.preview.kind, MERGE_FASTFORWARD);
	assert_int_equal(res.validated, 1);
	assert_int_equal(res.main_updated, 1);
	char *m = gt_rev("main");
	assert_string_equal(m, ff);
	char *log = util_read_file(res.log_path, NULL, NULL);
	assert_non_null(log);
	assert_non_null(strstr(log, "validated-ff"));
	gt_free(log);
	merge_result_free(&res);
	assert_true(gitrepo_exists(gt_fmt("%s/src/new.c", gt_repo)));
	assert_main_clean();
	assert_no_leftovers();
	char *rl = gt_out("git -C '%s' reflog -1 --format=%%gs main", gt_repo);
	assert_string_equal(rl, "shoal: merge ff: Fast-forward");
	gt_free(rl);

	/* clean (non-fast-forward) merge */
	gt_commit_file("cl", "main", "src/b.c", "b\n");
	main_commit("docs/guide.md", "ours guide\n");
	char *old = gt_rev("main"), *cl = gt_rev("cl");
	o.id = "cl";
	o.validate = "test -f src/b.c && test \"$(cat docs/guide.md)\" = 'ours guide' && echo both-sides";
	assert_int_equal(merge_task(r, "main", "cl", &o, &res, &e), 0);
	assert_int_equal(res.preview.kind, MERGE_CLEAN);
	assert_int_equal(res.identity_fallback, 0);
	char *parents = gt_out("git -C '%s' rev-list --parents -n 1 main", gt_repo);
	char *want = gt_fmt("%s %s %s", res.new_tip, old, cl);
	assert_string_equal(parents, want); /* first parent = base */
	/* same tree as git's own merge */
	char *tree = gt_out("git -C '%s' rev-parse 'main^{tree}'", gt_repo);
	char *gtree = gt_out("git -C '%s' merge-tree --write-tree '%s' cl | head -1", gt_repo, old);
	assert_string_equal(tree, gtree);
	char *subj = gt_out("git -C '%s' log -1 --format=%%s main", gt_repo);
	assert_string_equal(subj, "Merge branch 'cl'");
	merge_result_free(&res);
	assert_true(gitrepo_exists(gt_fmt("%s/src/b.c", gt_repo)));
	assert_main_clean();
	assert_no_leftovers();
	/* merging again: already merged */
	assert_int_equal(merge_task(r, "main", "cl", &o, &res, &e), 0);
	assert_int_equal(res.outcome, MERGE_ALREADY);
	merge_result_free(&res);
	gitrepo_close(r);
}

/* A base that no worktree has checked out: only the ref moves; the main
 * worktree (on another branch, even dirty) is not touched. */
static void test_base_not_checked_out(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	assert_int_equal(gt_sh("cd '%s' && git branch release", gt_repo), 0);
	gt_commit_file("rel/fix", "release", "src/fix.c", "fix\n");
	gt_commit_file("release", "release", "docs/rel.md", "rel\n");
	assert_int_equal(gt_sh("echo local >>'%s/README'", gt_repo), 0);
	char *old = gt_rev("release"), *mainb = gt_rev("main");
	struct gitrepo *r = gt_open();
	struct merge_opts o = { .id = "fix", .validate = "test -f src/fix.c && test -f docs/rel.md" };
	struct merge_result res;
	assert_int_equal(merge_task(r, "release", "rel/fix", &o, &res, &e), 0);
	assert_int_equal(res.outcome, MERGE_MERGED);
	assert_int_equal(res.main_updated, 0);
	char *subj = gt_out("git -C '%s' log -1 --format=%%s release", gt_repo);
	assert_string_equal(subj, "Merge branch 'rel/fix' into release");
	char *p1 = gt_rev("release^1");
	assert_string_equal(p1, old);
	merge_result_free(&res);
	char *m2 = gt_rev("main");
	assert_string_equal(m2, mainb);
	char *st2 = gt_out("git -C '%s' status --porcelain", gt_repo);
	assert_string_equal(st2, " M README");
	assert_false(gitrepo_exists(gt_fmt("%s/src/fix.c", gt_repo)));
	assert_int_equal(gt_sh("git -C '%s' fsck --no-progress --strict", gt_repo), 0);
	assert_no_leftovers();
	gitrepo_close(r);
}

static void test_dirty_main_refused(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	gt_commit_file("t", "main", "src/b.c", "b\n");
	main_commit("docs/guide.md", "ours\n");
	char *before = gt_rev("main");
	assert_int_equal(gt_sh("echo local-edit >>'%s/README'", gt_repo), 0);
	char *objs = gt_out("find '%s/.git/objects' -type f | wc -l", gt_repo);
	struct gitrepo *r = gt_open();
	struct merge_opts o = { .id = "t", .validate = "true" };
	struct merge_result res;
	assert_int_equal(merge_task(r, "main", "t", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_MAIN_DIRTY);
	assert_non_null(strstr(res.msg, "README"));
	assert_non_null(strstr(e.msg, "uncommitted changes"));
	merge_result_free(&res);
	char *after = gt_rev("main");
	assert_string_equal(before, after);
	char *objs2 = gt_out("find '%s/.git/objects' -type f | wc -l", gt_repo);
	assert_string_equal(objs, objs2); /* nothing written, not even objects */
	char *readme = gt_out("cat '%s/README'", gt_repo);
	assert_string_equal(readme, "hello\nlocal-edit");
	assert_false(gitrepo_exists(gt_fmt("%s/src/b.c", gt_repo)));
	/* a held index.lock: refused, lock left alone */
	assert_int_equal(gt_sh("cd '%s' && git checkout -q README && : >.git/index.lock", gt_repo), 0);
	assert_int_equal(merge_task(r, "main", "t", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_MAIN_DIRTY);
	assert_non_null(strstr(res.msg, "index.lock"));
	merge_result_free(&res);
	assert_true(gitrepo_exists(gt_fmt("%s/.git/index.lock", gt_repo)));
	assert_int_equal(gt_sh("rm '%s/.git/index.lock'", gt_repo), 0);
	/* an untracked file in the way: refused by the checkout, nothing written */
	assert_int_equal(gt_sh("echo mine >'%s/src/b.c'", gt_repo), 0);
	assert_int_equal(merge_task(r, "main", "t", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_MAIN_DIRTY);
	assert_non_null(strstr(res.msg, "src/b.c"));
	merge_result_free(&res);
	after = gt_rev("main");
	assert_string_equal(before, after);
	char *b = gt_out("cat '%s/src/b.c'", gt_repo);
	assert_string_equal(b, "mine");
	assert_int_equal(gt_sh("rm '%s/src/b.c'", gt_repo), 0);
	assert_main_clean();
	assert_no_leftovers();
	/* dry run with a clean main: says what it would do, changes nothing */
	o.dry_run = 1;
	assert_int_equal(merge_task(r, "main", "t", &o, &res, &e), 0);
	assert_int_equal(res.outcome, MERGE_DRY_RUN);
	merge_result_free(&res);
	after = gt_rev("main");
	assert_string_equal(before, after);
	/* and for real */
	o.dry_run = 0;
	assert_int_equal(merge_task(r, "main", "t", &o, &res, &e), 0);
	merge_result_free(&res);
	assert_main_clean();
	gitrepo_close(r);
}

static void test_validation_failure(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_add(r, "main", "shoal/t/v", "v", NULL, NULL, &ar, &e), 0);
	gitwt_add_result_free(&ar);
	assert_int_equal(gt_sh("cd '%s/.shoal/worktrees/v' && echo v >v.txt && git add v.txt && " GIT
			       " commit -qm v && echo wip >>README",
			       gt_repo),
			 0);
	main_commit("docs/guide.md", "ours\n");
	char *before = gt_rev("main"), *tip = gt_rev("shoal/t/v");
	struct merge_opts o = { .id = "v", .validate = "echo boom; test -f v.txt && exit 3" };
	struct merge_result res;
	assert_int_equal(merge_task(r, "main", "shoal/t/v", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_INVALID);
	assert_int_equal(res.validate_status, 3);
	char *log = util_read_file(res.log_path, NULL, NULL);
	assert_non_null(strstr(log, "boom"));
	assert_non_null(strstr(log, "# exit status 3"));
	gt_free(log);
	merge_result_free(&res);
	char *after = gt_rev("main"), *tip2 = gt_rev("shoal/t/v");
	assert_string_equal(before, after);
	assert_string_equal(tip, tip2);
	assert_false(gitrepo_exists(gt_fmt("%s/v.txt", gt_repo)));
	char *wip = gt_out("git -C '%s/.shoal/worktrees/v' status --porcelain", gt_repo);
	assert_string_equal(wip, " M README"); /* the task's uncommitted work untouched */
	assert_main_clean();
	assert_no_leftovers();
	gitrepo_close(r);
}

static void test_base_moved_during_validation(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	gt_commit_file("t", "main", "src/b.c", "b\n");
	main_commit("docs/guide.md", "ours\n");
	struct gitrepo *r = gt_open();
	char *cmd = gt_fmt("cd '%s' && " GIT " commit -q --allow-empty -m moved-meanwhile", gt_repo);
	struct merge_opts o = { .id = "t", .validate = cmd };
	struct merge_result res;
	assert_int_equal(merge_task(r, "main", "t", &o, &res, &e), -1);
	assert_int_equal(res.outcome, MERGE_BASE_MOVED);
	assert_non_null(strstr(res.msg, "moved"));
	merge_result_free(&res);
	char *subj = gt_out("git -C '%s' log -1 --format=%%s main", gt_repo);
	assert_string_equal(subj, "moved-meanwhile"); /* theirs kept, ours not published */
	assert_false(gitrepo_exists(gt_fmt("%s/src/b.c", gt_repo)));
	assert_main_clean();
	assert_no_leftovers();
	gt_free(cmd);
	gitrepo_close(r);
}

static void test_wave_in_order_with_conflict(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	/* a; b depends on a (branches from it); c conflicts with a; d independent */
	gt_commit_file("w/a", "main", "README", "from a\n");
	gt_commit_file("w/b", "w/a", "b.txt", "b\n");
	gt_commit_file("w/c", "main", "README", "from c\n");
	gt_commit_file("w/d", "main", "d.txt", "d\n");
	main_commit("docs/guide.md", "ours\n");
	char *before = gt_rev("main");
	struct gitrepo *r = gt_open();
	struct merge_wave_item items[] = {
		{ "a", "w/a" }, { "b", "w/b" }, { "c", "w/c" }, { "d", "w/d" }
	};
	struct merge_result res[4];
	int done = 0;
	struct merge_opts o = { .validate = "test -f docs/guide.md", .dry_run = 1 };
	assert_int_equal(merge_wave(r, "main", items, 4, &o, res, &done, &e), -1);
	assert_int_equal(done, 3);
	assert_int_equal(res[0].outcome, MERGE_DRY_RUN);
	assert_int_equal(res[1].outcome, MERGE_DRY_RUN);
	assert_int_equal(res[2].outcome, MERGE_CONFLICTED);
	for (int i = 0; i < 4; i++)
		merge_result_free(&res[i]);
	char *after = gt_rev("main");
	assert_string_equal(before, after);

	o.dry_run = 0;
	assert_int_equal(merge_wave(r, "main", items, 4, &o, res, &done, &e), -1);
	assert_int_equal(done, 3);
	assert_int_equal(res[0].outcome, MERGE_MERGED);
	assert_int_equal(res[0].validated, 1);
	assert_int_equal(res[1].outcome, MERGE_MERGED);
	assert_int_equal(res[1].validated, 1);
	assert_int_equal(res[2].outcome, MERGE_CONFLICTED);
	assert_string_equal(res[2].preview.conflicts[0], "README");
	assert_int_equal(res[3].outcome, MERGE_MERGED); /* zeroed: not attempted */
	assert_int_equal(res[3].validated, 0);
	char *tip = gt_rev("main");
	assert_string_equal(tip, res[1].new_tip);
	for (int i = 0; i < 4; i++)
		merge_result_free(&res[i]);
	/* a then b in history, neither c nor d */
	assert_int_equal(gt_sh("git -C '%s' merge-base --is-ancestor w/a main", gt_repo), 0);
	assert_int_equal(gt_sh("git -C '%s' merge-base --is-ancestor w/b main", gt_repo), 0);
	assert_int_equal(gt_sh("git -C '%s' merge-base --is-ancestor w/c main", gt_repo), 1);
	assert_int_equal(gt_sh("git -C '%s' merge-base --is-ancestor w/d main", gt_repo), 1);
	char *readme = gt_out("cat '%s/README'", gt_repo);
	assert_string_equal(readme, "from a");
	assert_true(gitrepo_exists(gt_fmt("%s/b.txt", gt_repo)));
	assert_false(gitrepo_exists(gt_fmt("%s/d.txt", gt_repo)));
	assert_main_clean();
	assert_no_leftovers();
	gitrepo_close(r);
}

static void test_into_task(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitrepo *r = gt_open();
	struct gitwt_add_result ar;
	assert_int_equal(gitwt_add(r, "main", "shoal/t/x", "x", NULL, NULL, &ar, &e), 0);
	gitwt_add_result_free(&ar);
	char *wt = gt_fmt("%s/.shoal/worktrees/x", gt_repo);
	assert_int_equal(gt_sh("cd '%s' && echo task >README && " GIT " commit -qam task", wt), 0);
	main_commit("README", "base\n");
	main_commit("docs/guide.md", "base guide\n");
	char *base_before = gt_rev("main");
	struct merge_into_result ir;
	assert_int_equal(merge_into_task(r, "main", "shoal/t/x", &ir, &e), 0);
	assert_int_equal(ir.outcome, INTO_CONFLICTS);
	assert_int_equal(ir.nconflicts, 1);
	assert_string_equal(ir.conflicts[0], "README");
	merge_into_result_free(&ir);
	char *readme = gt_out("cat '%s/README'", wt);
	assert_non_null(strstr(readme, "<<<<<<<"));
	char *guide = gt_out("cat '%s/docs/guide.md'", wt);
	assert_string_equal(guide, "base guide");
	/* git sees a merge in progress it can conclude */
	assert_int_equal(gt_sh("git -C '%s' rev-parse -q --verify MERGE_HEAD", wt), 0);
	/* a second call refuses and aborts nothing */
	assert_int_equal(merge_into_task(r, "main", "shoal/t/x", &ir, &e), -1);
	assert_non_null(strstr(e.msg, "in progress"));
	assert_int_equal(gt_sh("git -C '%s' rev-parse -q --verify MERGE_HEAD", wt), 0);
	char *after = gt_rev("main");
	assert_string_equal(base_before, after);
	assert_main_clean();
	/* resolve like an agent would; then the merge into base is clean */
	assert_int_equal(gt_sh("cd '%s' && echo resolved >README && git add README && " GIT
			       " commit -q --no-edit",
			       wt),
			 0);
	/* concluded with the message shoal wrote (naming the base, not its id) */
	char *subj = gt_out("git -C '%s' log -1 --format=%%s", wt);
	assert_string_equal(subj, "Merge branch 'main' into shoal/t/x");
	struct merge_opts o = { .id = "x", .validate = "grep -q resolved README" };
	struct merge_result res;
	assert_int_equal(merge_task(r, "main", "shoal/t/x", &o, &res, &e), 0);
	assert_int_equal(res.outcome, MERGE_MERGED);
	assert_int_equal(res.preview.kind, MERGE_FASTFORWARD);
	merge_result_free(&res);
	readme = gt_out("cat '%s/README'", gt_repo);
	assert_string_equal(readme, "resolved");
	/* into-task without conflicts makes the merge commit in the worktree */
	assert_int_equal(gt_sh("cd '%s' && echo more >more.txt && git add more.txt && " GIT
			       " commit -qm more",
			       wt),
			 0);
	main_commit("docs/guide.md", "newer guide\n");
	assert_int_equal(merge_into_task(r, "main", "shoal/t/x", &ir, &e), 0);
	assert_int_equal(ir.outcome, INTO_MERGED);
	merge_into_result_free(&ir);
	char *wst = gt_out("git -C '%s' status --porcelain", wt);
	assert_string_equal(wst, "");
	assert_int_equal(gt_sh("git -C '%s' merge-base --is-ancestor main shoal/t/x", gt_repo), 0);
	guide = gt_out("cat '%s/docs/guide.md'", wt);
	assert_string_equal(guide, "newer guide");
	assert_int_equal(merge_into_task(r, "main", "shoal/t/x", &ir, &e), 0);
	assert_int_equal(ir.outcome, INTO_UP_TO_DATE);
	merge_into_result_free(&ir);
	gt_free(wt);
	gitrepo_close(r);
}

static void test_identity_fallback(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	char *empty = gt_fmt("%s/noconf", gt_tmp);
	mkdir(empty, 0777);
	git_buf saved[3] = { { 0 } };
	int levels[3] = { GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM };
	for (int i = 0; i < 3; i++) {
		git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, levels[i], &saved[i]);
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], empty);
	}
	assert_int_equal(gt_sh("cd '%s' && git config --unset user.name && git config --unset user.email",
			       gt_repo),
			 0);
	gt_commit_file("t", "main", "src/b.c", "b\n");
	main_commit("docs/guide.md", "ours\n");
	struct gitrepo *r = gt_open();
	struct merge_opts o = { .id = "t" };
	struct merge_result res;
	int rc = merge_task(r, "main", "t", &o, &res, &e);
	for (int i = 0; i < 3; i++) {
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], saved[i].ptr);
		git_buf_dispose(&saved[i]);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(res.identity_fallback, 1);
	merge_result_free(&res);
	char *who = gt_out("git -C '%s' log -1 --format='%%an <%%ae>' main", gt_repo);
	assert_string_equal(who, "shoal <shoal@localhost>");
	gitrepo_close(r);
	gt_free(empty);
}

static void test_worker(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	struct gitworker *w = gitworker_start(gt_repo, &e);
	assert_non_null(w);
	int tag = 42;
	unsigned j1 = gitworker_wt_add(w, "main", "shoal/t/wk", "wk", &tag);
	struct merge_opts o = { .id = "wk", .validate = "echo line-one; echo line-two" };
	unsigned j2 = gitworker_merge(w, "main", "shoal/t/wk", &o, NULL);
	unsigned j3 = gitworker_wt_remove(w, "main", "nope", 0, NULL);
	assert_true(j1 < j2 && j2 < j3);
	int progress = 0, done = 0;
	struct sbuf out = { 0 };
	uint64_t t0 = util_now_ms();
	while (done < 3 && util_now_ms() - t0 < 20000) {
		struct pollfd pfd = { gitworker_fd(w), POLLIN, 0 };
		assert_true(poll(&pfd, 1, 20000) >= 0);
		struct gw_msg *m;
		while ((m = gitworker_next(w))) {
			if (m->kind == GW_PROGRESS && m->job == j1) {
				progress++;
				assert_ptr_equal(m->ud, &tag);
			} else if (m->kind == GW_OUTPUT) {
				assert_int_equal(m->job, j2);
				sbuf_add(&out, m->text, m->n);
			} else if (m->kind == GW_DONE) {
				done++;
				if (m->job == j1) {
					assert_int_equal(m->rc, 0);
					struct gitwt_add_result *ar = m->result;
					assert_non_null(strstr(ar->path, ".shoal/worktrees/wk"));
				} else if (m->job == j2) {
					/* branch at base: already merged */
					assert_int_equal(m->rc, 0);
					struct merge_result *mr = m->result;
					assert_int_equal(mr->outcome, MERGE_ALREADY);
				} else {
					assert_int_equal(m->rc, -1);
					assert_non_null(strstr(m->err.msg, "no shoal worktree"));
				}
			}
			gw_msg_free(m);
		}
	}
	assert_int_equal(done, 3);
	assert_true(progress >= 1);
	/* a merge with validation output streamed as messages */
	assert_int_equal(gt_sh("cd '%s/.shoal/worktrees/wk' && echo w >w.txt && git add w.txt && " GIT
			       " commit -qm w",
			       gt_repo),
			 0);
	j2 = gitworker_merge(w, "main", "shoal/t/wk", &o, NULL);
	done = 0;
	while (!done && util_now_ms() - t0 < 20000) {
		struct pollfd pfd = { gitworker_fd(w), POLLIN, 0 };
		poll(&pfd, 1, 20000);
		struct gw_msg *m;
		while ((m = gitworker_next(w))) {
			if (m->kind == GW_OUTPUT)
				sbuf_add(&out, m->text, m->n);
			if (m->kind == GW_DONE) {
				done = 1;
				assert_int_equal(m->rc, 0);
				assert_int_equal(((struct merge_result *)m->result)->outcome, MERGE_MERGED);
			}
			gw_msg_free(m);
		}
	}
	assert_non_null(out.s);
	assert_non_null(strstr(out.s, "line-one\nline-two\n"));
	sbuf_free(&out);
	assert_int_equal(gitworker_pending(w), 0);

	/* a long validation is cancelled: nothing changes, nothing is left */
	assert_int_equal(gt_sh("cd '%s/.shoal/worktrees/wk' && echo w2 >w2.txt && git add w2.txt && " GIT
			       " commit -qm w2",
			       gt_repo),
			 0);
	char *before = gt_rev("main");
	struct merge_opts slow = { .id = "wk", .validate = "echo started; sleep 30; echo never" };
	j2 = gitworker_merge(w, "main", "shoal/t/wk", &slow, NULL);
	uint64_t c0 = util_now_ms();
	done = 0;
	int started = 0;
	while (!done && util_now_ms() - c0 < 20000) {
		struct pollfd pfd = { gitworker_fd(w), POLLIN, 0 };
		poll(&pfd, 1, 1000);
		struct gw_msg *m;
		while ((m = gitworker_next(w))) {
			if (m->kind == GW_OUTPUT && strstr(m->text, "started")) {
				started = 1;
				gitworker_cancel(w);
			}
			if (m->kind == GW_DONE) {
				done = 1;
				assert_int_equal(m->rc, -1);
				assert_int_equal(((struct merge_result *)m->result)->outcome, MERGE_CANCELLED);
			}
			gw_msg_free(m);
		}
	}
	assert_true(started);
	assert_true(done);
	assert_true(util_now_ms() - c0 < 10000);
	char *after = gt_rev("main");
	assert_string_equal(before, after);
	gitworker_stop(w);
	assert_main_clean();
	assert_no_leftovers();
}

/* A long validation does not hold the repository: a second worker adds a
 * worktree meanwhile, and the merge still publishes correctly. */
static void test_validation_does_not_block(void **st)
{
	(void)st;
	struct err e = { { 0 } };
	gt_commit_file("slow", "main", "src/slow.c", "slow\n");
	main_commit("docs/guide.md", "moved on\n");
	struct gitworker *a = gitworker_start(gt_repo, &e), *b = gitworker_start(gt_repo, &e);
	assert_non_null(a);
	assert_non_null(b);
	struct merge_opts o = { .id = "slow", .validate = "echo started; sleep 2; test -f src/slow.c" };
	unsigned ja = gitworker_merge(a, "main", "slow", &o, NULL);
	unsigned jb = 0;
	int a_done = 0, b_done = 0, order = 0;
	uint64_t t0 = util_now_ms();
	while ((!a_done || !b_done) && util_now_ms() - t0 < 30000) {
		struct pollfd pfd[2] = { { gitworker_fd(a), POLLIN, 0 }, { gitworker_fd(b), POLLIN, 0 } };
		poll(pfd, 2, 500);
		struct gw_msg *m;
		while ((m = gitworker_next(a))) {
			if (m->kind == GW_OUTPUT && strstr(m->text, "started") && !jb)
				jb = gitworker_wt_add(b, "main", "shoal/t/side", "side", NULL);
			if (m->kind == GW_DONE && m->job == ja) {
				a_done = ++order;
				assert_int_equal(m->rc, 0);
				assert_int_equal(((struct merge_result *)m->result)->outcome, MERGE_MERGED);
			}
			gw_msg_free(m);
		}
		while ((m = gitworker_next(b))) {
			if (m->kind == GW_DONE && m->job == jb) {
				b_done = ++order;
				if (m->rc < 0)
					fail_msg("worktree add during a validation: %s", m->err.msg);
			}
			gw_msg_free(m);
		}
	}
	assert_int_equal(b_done, 1); /* the add finished while the validation ran */
	assert_int_equal(a_done, 2);
	gitworker_stop(a);
	gitworker_stop(b);
	assert_true(gitrepo_exists(gt_fmt("%s/src/slow.c", gt_repo)));
	assert_true(gitrepo_exists(gt_fmt("%s/.shoal/worktrees/side/README", gt_repo)));
	assert_main_clean();
	assert_no_leftovers();
}

int main(void)
{
	gitrepo_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_preview_kinds, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ff_and_clean_merge, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_base_not_checked_out, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dirty_main_refused, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_validation_failure, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_base_moved_during_validation, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_wave_in_order_with_conflict, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_into_task, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_identity_fallback, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_worker, gt_fixture_setup, gt_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_validation_does_not_block, gt_fixture_setup, gt_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
