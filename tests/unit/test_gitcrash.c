/* Crash safety of merge_task: a child process merging a large branch is
 * killed with SIGKILL at many points (spread over a measured uninterrupted
 * run, denser near the end where the main worktree is written). After each
 * kill: the base ref is the old tip or the complete new merge (never
 * anything else), `git fsck` is clean, and once shoal's recovery has run
 * (what every mutating shoal command does first) the main worktree matches
 * the base ref and no temporary worktree or branch is left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

#include "gitrepo.h"
#include "gitwt.h"
#include "gittest.h"
#include "merge.h"

extern char **environ;

#define NFILES 1000
#define KILLS 16

static char self[4096];
static char tmpl[700]; /* the template repository, copied before each run */
static char *old_tip, *task_tip, *merged_tree;

static int child_main(const char *repo, const char *branch)
{
	gitrepo_global_init();
	struct err e = { { 0 } };
	struct gitrepo *r = gitrepo_open(repo, &e);
	if (!r)
		return 2;
	struct merge_opts o = { .id = "big", .validate = "test -f src/f1.c" };
	struct merge_result res;
	int rc = merge_task(r, "main", branch, &o, &res, &e);
	merge_result_free(&res);
	gitrepo_close(r);
	return rc == 0 ? 0 : 1;
}

static int child_add(const char *repo, const char *id)
{
	gitrepo_global_init();
	struct err e = { { 0 } };
	struct gitrepo *r = gitrepo_open(repo, &e);
	if (!r)
		return 2;
	struct gitwt_add_result ar;
	char *br = xasprintf("shoal/crash/%s", id);
	int rc = gitwt_add(r, "main", br, id, NULL, NULL, &ar, &e);
	gitwt_add_result_free(&ar);
	free(br);
	gitrepo_close(r);
	return rc == 0 ? 0 : 1;
}

static pid_t spawn_mode(const char *mode, const char *repo, const char *arg)
{
	char *argv[] = { self, (char *)mode, (char *)repo, (char *)arg, NULL };
	pid_t pid;
	if (posix_spawn(&pid, self, NULL, NULL, argv, environ) != 0)
		return -1;
	return pid;
}

static pid_t spawn_child(const char *repo)
{
	char *argv[] = { self, "--child", (char *)repo, "big", NULL };
	pid_t pid;
	if (posix_spawn(&pid, self, NULL, NULL, argv, environ) != 0)
		return -1;
	return pid;
}

static void fresh_copy(void)
{
	assert_int_equal(gt_sh("rm -rf '%s' && cp -a '%s' '%s'", gt_repo, tmpl, gt_repo), 0);
}

static int setup(void **st)
{
	(void)st;
	gt_setup();
	snprintf(tmpl, sizeof tmpl, "%s/template", gt_tmp);
	/* NFILES files; the task rewrites all and adds some, base changes docs */
	int rc = gt_sh("cd '%s' && i=0; while [ $i -lt %d ]; do printf 'line %%s\\n' $i >src/f$i.c; "
		       "i=$((i+1)); done && git add -A && " GIT " commit -qm files && "
		       "git checkout -qb big && i=0; while [ $i -lt %d ]; do printf 'changed %%s\\n' $i "
		       ">src/f$i.c; i=$((i+1)); done && mkdir -p new && i=0; while [ $i -lt 200 ]; do "
		       "echo n$i >new/n$i.txt; i=$((i+1)); done && git add -A && " GIT
		       " commit -qm big && git checkout -q main && echo base >docs/guide.md && " GIT
		       " commit -qam base-change && git gc -q",
		       gt_repo, NFILES, NFILES);
	assert_int_equal(rc, 0);
	old_tip = gt_rev("main");
	task_tip = gt_rev("big");
	merged_tree = gt_out("git -C '%s' merge-tree --write-tree main big | head -1", gt_repo);
	assert_int_equal(gt_sh("mv '%s' '%s'", gt_repo, tmpl), 0);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	gt_free(old_tip);
	gt_free(task_tip);
	gt_free(merged_tree);
	gt_teardown();
	return 0;
}

/* 1 if the main worktree and index match HEAD (= base) exactly. */
static int main_matches(void)
{
	return gt_sh("cd '%s' && git diff --quiet HEAD && git diff --cached --quiet && "
		     "test -z \"$(git status --porcelain)\"",
		     gt_repo) == 0;
}

static void sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (double)(long)(ms / 1000) * 1000) * 1e6) };
	nanosleep(&ts, NULL);
}

/* Returns 0 once path exists (or after 5 s), or 1 when the child finished
 * first (then it has been reaped into *wst): on a loaded machine the whole
 * merge can happen between two looks, which is no failure of the merge. */
static int wait_for_file(const char *path, pid_t pid, int *wst)
{
	uint64_t t0 = util_now_ms();
	while (!gitrepo_exists(path) && util_now_ms() - t0 < 5000) {
		if (waitpid(pid, wst, WNOHANG) == pid)
			return 1;
		sleep_ms(0.1);
	}
	return 0;
}

static void test_kill_points(void **st)
{
	(void)st;
	/* an uninterrupted run, to place the kill points */
	fresh_copy();
	uint64_t t0 = util_now_ns();
	pid_t pid = spawn_child(gt_repo);
	assert_true(pid > 0);
	int wst;
	waitpid(pid, &wst, 0);
	double total_ms = (double)(util_now_ns() - t0) / 1e6;
	assert_true(WIFEXITED(wst));
	assert_int_equal(WEXITSTATUS(wst), 0);
	char *tree = gt_out("git -C '%s' rev-parse 'main^{tree}'", gt_repo);
	assert_string_equal(tree, merged_tree);
	gt_free(tree);
	assert_true(main_matches());

	int n_old = 0, n_new = 0, n_finished = 0, n_repaired = 0, n_inconsistent = 0, n_half_admin = 0;
	char *journal = gt_fmt("%s/.shoal/merge-journal", gt_repo);
	for (int k = 0; k < KILLS; k++) {
		/* half spread over the whole run; half at 0, 2, 4 ... ms after the
		 * journal appears, i.e. while the main worktree is being written */
		double at = k < KILLS / 2 ? total_ms * k / (KILLS / 2) : 2.0 * (k - KILLS / 2);
		fresh_copy();
		pid = spawn_child(gt_repo);
		assert_true(pid > 0);
		int reaped = k >= KILLS / 2 && wait_for_file(journal, pid, &wst);
		if (!reaped) {
			sleep_ms(at);
			kill(pid, SIGKILL);
			waitpid(pid, &wst, 0);
		}
		if (WIFEXITED(wst))
			n_finished++;
		/* the base ref: old tip, or the complete merge */
		char *tip = gt_rev("main");
		if (!strcmp(tip, old_tip)) {
			n_old++;
		} else {
			n_new++;
			char *p1 = gt_rev("main^1"), *p2 = gt_rev("main^2");
			char *t = gt_out("git -C '%s' rev-parse 'main^{tree}'", gt_repo);
			assert_string_equal(p1, old_tip);
			assert_string_equal(p2, task_tip);
			assert_string_equal(t, merged_tree);
			gt_free(p1), gt_free(p2), gt_free(t);
		}
		/* fsck is clean, but for one state: libgit2's worktree add writes
		 * an admin dir's gitdir before its HEAD, so a kill in between
		 * leaves a validation worktree fsck calls an invalid HEAD (ref
		 * errors, 8). Recovery's sweep removes it (fsck after recovery,
		 * below, must be clean). */
		int fsck = gt_sh("git -C '%s' fsck --no-progress --strict", gt_repo);
		if (fsck != 0) {
			assert_int_equal(fsck, 8);
			assert_int_equal(gt_sh("cd '%s/.git/worktrees' && for d in *; do [ -f \"$d/gitdir\" ] && "
					       "[ ! -s \"$d/HEAD\" ] && exit 0; done; exit 1",
					       gt_repo),
					 0);
			n_half_admin++;
		}
		if (!main_matches())
			n_inconsistent++;
		/* recovery, as every mutating shoal command runs it first */
		struct err e = { { 0 } };
		struct gitrepo *r = gitrepo_open(gt_repo, &e);
		assert_non_null(r);
		if (gitrepo_prepare(r, &e) < 0)
			fail_msg("kill at %.0f ms: recovery failed: %s", at, e.msg);
		if (r->recovered)
			n_repaired++;
		gitrepo_close(r);
		char *tip2 = gt_rev("main");
		assert_string_equal(tip, tip2); /* recovery never moves the ref */
		gt_free(tip2);
		gt_free(tip);
		if (!main_matches())
			fail_msg("kill at %.0f ms: main worktree does not match the base ref after recovery", at);
		char *wl = gt_out("git -C '%s' worktree list --porcelain | grep -c '^worktree '", gt_repo);
		assert_string_equal(wl, "1");
		gt_free(wl);
		char *tb = gt_out("git -C '%s' branch --list 'shoal-tmp/*' | wc -l", gt_repo);
		assert_string_equal(tb, "0");
		gt_free(tb);
		assert_int_equal(gt_sh("git -C '%s' fsck --no-progress --strict", gt_repo), 0);
	}
	printf("# crash: uninterrupted merge %.0f ms; %d kills: base old %d, new %d; finished before "
	       "the kill %d; main worktree inconsistent right after the kill %d; half-made worktree "
	       "admin dir right after the kill %d; recovery repaired something %d\n",
	       total_ms, KILLS, n_old, n_new, n_finished, n_inconsistent, n_half_admin, n_repaired);
}

/* Killing `worktree add` anywhere: after recovery the repository is sound,
 * nothing half-made is left, and adding again works. */
static void test_kill_add(void **st)
{
	(void)st;
	fresh_copy();
	uint64_t t0 = util_now_ns();
	pid_t pid = spawn_mode("--child-add", gt_repo, "probe");
	int wst;
	waitpid(pid, &wst, 0);
	double total_ms = (double)(util_now_ns() - t0) / 1e6;
	assert_true(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	int n_complete = 0, n_undone = 0;
	for (int k = 0; k < 10; k++) {
		char id[16];
		snprintf(id, sizeof id, "k%d", k);
		pid = spawn_mode("--child-add", gt_repo, id);
		/* half spread over the run; half 0, 2, 4 ... ms after the add intent appears */
		int reaped = k >= 5 && wait_for_file(gt_fmt("%s/.shoal/adding-%s", gt_repo, id), pid, &wst);
		if (!reaped) {
			sleep_ms(k < 5 ? total_ms * k / 5 : 2.0 * (k - 5));
			kill(pid, SIGKILL);
			waitpid(pid, &wst, 0);
		}
		struct err e = { { 0 } };
		struct gitrepo *r = gitrepo_open(gt_repo, &e);
		assert_non_null(r);
		if (gitrepo_prepare(r, &e) < 0)
			fail_msg("add killed at %.0f ms: recovery failed: %s", total_ms * k / 10, e.msg);
		assert_int_equal(gt_sh("git -C '%s' fsck --no-progress --strict", gt_repo), 0);
		char *listed = gt_out("git -C '%s' worktree list --porcelain | grep -c '/.shoal/worktrees/%s$'",
				      gt_repo, id);
		if (!strcmp(listed, "1")) {
			n_complete++;
			char *s2 = gt_out("git -C '%s/.shoal/worktrees/%s' status --porcelain", gt_repo, id);
			assert_string_equal(s2, "");
		} else {
			n_undone++;
			assert_false(gitrepo_exists(gt_fmt("%s/.shoal/worktrees/%s", gt_repo, id)));
			assert_int_equal(gt_sh("git -C '%s' rev-parse -q --verify refs/heads/shoal/crash/%s",
					       gt_repo, id),
					 1);
			/* the retry works */
			struct gitwt_add_result ar;
			char *br = gt_fmt("shoal/crash/%s", id);
			if (gitwt_add(r, "main", br, id, NULL, NULL, &ar, &e) < 0)
				fail_msg("retry after a kill at %.0f ms: %s", total_ms * k / 10, e.msg);
			gitwt_add_result_free(&ar);
		}
		gitrepo_close(r);
		assert_int_equal(gt_sh("git -C '%s' worktree prune -n -v | grep -q .", gt_repo), 1);
		assert_true(main_matches());
	}
	printf("# crash: uninterrupted worktree add %.0f ms; 10 kills: %d complete, %d undone by "
	       "recovery and re-added\n",
	       total_ms, n_complete, n_undone);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child"))
		return child_main(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "--child-add"))
		return child_add(argv[2], argv[3]);
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 1;
	self[n] = 0;
	/* tmpfs when there is one: ext4 with discard makes the repeated
	 * copy/delete of a 1,200-file repository take seconds */
	if (!getenv("TMPDIR") && access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	gitrepo_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kill_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_add, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
