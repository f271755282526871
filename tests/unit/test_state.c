/* Unit tests for state: state.json save/load with real files in a temp dir
 * (round trip, atomic replace, corrupt / foreign / newer files, another
 * plan's state), the event log and the per-repository lock (free, held,
 * stale, garbage). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <cJSON.h>

#include "tmpdir.h"

#include "state.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
	struct err e;
	char *t = util_read_file(path, NULL, &e);
	if (!t)
		fail_msg("%s", e.msg);
	return t;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_hash(void **st)
{
	(void)st;
	assert_true(state_fnv1a64("", 0) == 0xcbf29ce484222325ull);
	assert_true(state_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(state_fnv1a64("foobar", 6) == 0x85944171f73967e8ull);
	char *d = tu_tmpdir("state");
	char *p = xasprintf("%s/plan.json", d);
	write_file(p, "foobar");
	struct err e;
	char *h = state_hash_file(p, &e);
	assert_string_equal(h, "fnv1a64:85944171f73967e8");
	free(h);
	free(p);
	p = xasprintf("%s/missing.json", d);
	assert_null(state_hash_file(p, &e));
	assert_non_null(strstr(e.msg, "missing.json: No such file or directory"));
	free(p);
	tu_rm_rf(d);
	free(d);
}

static void fill(struct state *s)
{
	state_init(s, "plans/auth.json", "fnv1a64:0123456789abcdef");
	struct state_task *t = state_task_get(s, "user-model");
	t->st = TASK_MERGED;
	state_set_str(&t->branch, "shoal/auth/user-model");
	state_set_str(&t->worktree, "/repo/.shoal/worktrees/user-model");
	t->pid = 0;
	t->exit_code = 0;
	t->start_ms = 1700000000000LL;
	t->end_ms = 1700000123456LL;
	state_set_str(&t->reason, "exit 0");
	state_set_str(&t->merge_outcome, "merged");
	state_set_str(&t->merge_commit, "0123456789abcdef0123456789abcdef01234567");
	state_set_str(&t->merge_detail, "validate: ok\n\"quoted\" \\ tab\t");
	state_set_str(&t->session, "a1b2c3");
	state_set_str(&t->report, "files_changed: src/user.c\ntests: 12 passed");
	t = state_task_get(s, "hashing");
	t->st = TASK_RUNNING;
	t->pid = 4242;
	t->start_ms = 1700000200000LL;
	t = state_task_get(s, "tests");
	t->st = TASK_FAILED;
	t->term_signal = 9;
	state_set_str(&t->reason, "killed by SIGKILL");
	assert_ptr_equal(state_task_get(s, "hashing"), t - 1); /* get finds, no duplicate */
	assert_int_equal(s->ntasks, 3);
}

static void test_roundtrip(void **st)
{
	(void)st;
	char *d = tu_tmpdir("state");
	char *p = xasprintf("%s/state.json", d);
	struct state s, l;
	struct err e;
	fill(&s);
	if (state_save(&s, p, &e) < 0)
		fail_msg("%s", e.msg);
	assert_true(s.updated_ms > 0);
	assert_int_equal(count_entries(d), 1); /* no temp file left */
	char *text = read_file(p);
	assert_true(text[strlen(text) - 1] == '\n');
	free(text);
	assert_int_equal(state_load(&l, p, &e), 1);
	assert_string_equal(l.plan_path, "plans/auth.json");
	assert_string_equal(l.plan_hash, "fnv1a64:0123456789abcdef");
	assert_true(l.updated_ms == s.updated_ms);
	assert_int_equal(l.ntasks, 3);
	for (int i = 0; i < 3; i++) {
		struct state_task *a = &s.tasks[i], *b = &l.tasks[i];
		assert_string_equal(a->id, b->id);
		assert_int_equal(a->st, b->st);
		assert_int_equal(a->pid, b->pid);
		assert_int_equal(a->exit_code, b->exit_code);
		assert_int_equal(a->term_signal, b->term_signal);
		assert_true(a->start_ms == b->start_ms && a->end_ms == b->end_ms);
#define SAME(f) do { if (a->f) assert_string_equal(a->f, b->f); else assert_null(b->f); } while (0)
		SAME(branch); SAME(worktree); SAME(reason); SAME(session); SAME(report);
		SAME(merge_outcome); SAME(merge_commit); SAME(merge_detail);
#undef SAME
	}
	assert_int_equal(l.tasks[1].exit_code, -1);
	/* Saving again replaces the file (atomically), still no leftovers. */
	state_task_find(&l, "hashing")->st = TASK_DONE;
	assert_int_equal(state_save(&l, p, &e), 0);
	state_free(&l);
	assert_int_equal(state_load(&l, p, &e), 1);
	assert_int_equal(state_task_find(&l, "hashing")->st, TASK_DONE);
	assert_null(state_task_find(&l, "nope"));
	assert_int_equal(count_entries(d), 1);
	state_free(&l);
	state_free(&s);
	free(p);
	tu_rm_rf(d);
	free(d);
}

static void test_save_errors(void **st)
{
	(void)st;
	char *d = tu_tmpdir("state");
	struct state s;
	struct err e;
	fill(&s);
	char *p = xasprintf("%s/no/such/dir/state.json", d);
	assert_int_equal(state_save(&s, p, &e), -1);
	assert_non_null(strstr(e.msg, "cannot write the state file: No such file or directory"));
	free(p);
	/* The target is a directory: rename fails, the temp file is removed. */
	p = xasprintf("%s/state.json", d);
	assert_int_equal(mkdir(p, 0755), 0);
	char *inner = xasprintf("%s/keep", p);
	write_file(inner, "x");
	assert_int_equal(state_save(&s, p, &e), -1);
	assert_non_null(strstr(e.msg, "cannot replace the state file"));
	assert_int_equal(count_entries(d), 1);
	free(inner);
	free(p);
	state_free(&s);
	tu_rm_rf(d);
	free(d);
}

/* Writes text as state.json, expects load to fail with needle in the
 * message and the file to be left exactly as it was. */
static void expect_bad(const char *text, const char *needle)
{
	char *d = tu_tmpdir("state");
	char *p = xasprintf("%s/state.json", d);
	write_file(p, text);
	struct state s;
	struct err e = { { 0 } };
	assert_int_equal(state_load(&s, p, &e), -1);
	if (!strstr(e.msg, needle))
		fail_msg("expected \"%s\" in \"%s\"", needle, e.msg);
	assert_int_equal(s.ntasks, 0);
	char *after = read_file(p);
	assert_string_equal(after, text);
	free(after);
	free(p);
	tu_rm_rf(d);
	free(d);
}

#define HDR "{\"format\":\"shoal-state\",\"version\":1,\"plan\":{\"path\":\"p.json\",\"hash\":\"h\"},"

static void test_load_bad(void **st)
{
	(void)st;
	expect_bad("{\"format\":\"shoal-state\",\n \"version\": 1,\n \"tasks\": [ {\"id\": \"a\", ",
		   "state.json:3:"); /* truncated: line:col of the error */
	expect_bad("{\"format\":\"shoal-state\",\n \"version\": 1,\n \"tasks\": [ {\"id\": \"a\", ",
		   "error: the state file is not valid JSON (corrupt?); shoal leaves it alone");
	expect_bad("", "state.json:1:1: error: the state file is not valid JSON");
	expect_bad("\x7f" "ELF\x02\x01\x01", "not valid JSON");
	expect_bad("{\"name\":\"my-plan\",\"tasks\":[]}", "not a shoal state file");
	expect_bad("[1,2,3]", "not a shoal state file");
	expect_bad("{\"format\":\"shoal-state\",\"version\":2,\"tasks\":[]}",
		   "written by a newer shoal (state version 2; this shoal reads 1)");
	expect_bad("{\"format\":\"shoal-state\",\"version\":\"1\"}", "bad \"version\"");
	expect_bad("{\"format\":\"shoal-state\",\"version\":1,\"tasks\":[]}", "missing \"plan\" object");
	expect_bad(HDR "\"tasks\":{}}", "missing \"tasks\" array");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"flying\"}]}",
		   "task \"a\": unknown state \"flying\"");
	expect_bad(HDR "\"tasks\":[{\"state\":\"done\"}]}", "task 1: missing \"id\"");
	expect_bad(HDR "\"tasks\":[3]}", "task 1: must be an object");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"done\"},{\"id\":\"a\",\"state\":\"done\"}]}",
		   "task 2: duplicate task id \"a\"");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"done\",\"pid\":\"12\"}]}",
		   "task \"a\": \"pid\" must be an integer");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"done\",\"pid\":1.5}]}",
		   "\"pid\" must be an integer");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"done\",\"exit_code\":300}]}",
		   "\"exit_code\" must be an integer in [-1, 255]");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"done\",\"branch\":7}]}",
		   "\"branch\" must be a string");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"merged\",\"merge\":{\"outcome\":\"yes\"}}]}",
		   "merge outcome must be merged, conflict or invalid, not \"yes\"");
	expect_bad(HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"merged\",\"merge\":[]}]}",
		   "\"merge\" must be an object or null");
}

static void test_load_missing_and_minimal(void **st)
{
	(void)st;
	char *d = tu_tmpdir("state");
	char *p = xasprintf("%s/state.json", d);
	struct state s;
	struct err e;
	assert_int_equal(state_load(&s, p, &e), 0);
	assert_int_equal(s.ntasks, 0);
	state_free(&s);
	/* Optional fields may be absent or null. */
	write_file(p, HDR "\"tasks\":[{\"id\":\"a\",\"state\":\"pending\",\"branch\":null,\"merge\":null}]}");
	assert_int_equal(state_load(&s, p, &e), 1);
	assert_int_equal(s.ntasks, 1);
	assert_int_equal(s.tasks[0].st, TASK_PENDING);
	assert_int_equal(s.tasks[0].exit_code, -1);
	assert_null(s.tasks[0].branch);
	state_free(&s);
	/* A directory where the file should be. */
	char *q = xasprintf("%s/dir.json", d);
	assert_int_equal(mkdir(q, 0755), 0);
	assert_int_equal(state_load(&s, q, &e), -1);
	assert_non_null(strstr(e.msg, "dir.json"));
	free(q);
	free(p);
	tu_rm_rf(d);
	free(d);
}

static void test_check_plan(void **st)
{
	(void)st;
	struct state s;
	struct err e;
	state_init(&s, "plan.json", "fnv1a64:1111111111111111");
	assert_int_equal(state_check_plan(&s, ".shoal/state.json", "plan.json", "fnv1a64:1111111111111111", &e), 0);
	assert_int_equal(state_check_plan(&s, ".shoal/state.json", "plan.json", "fnv1a64:2222222222222222", &e), 1);
	assert_int_equal(state_check_plan(&s, ".shoal/state.json", "other.json", "fnv1a64:1111111111111111", &e), -1);
	assert_string_equal(e.msg, ".shoal/state.json: this run belongs to another plan (plan.json), not "
				   "other.json; shoal leaves it alone: finish or clean up that run, or move the file away");
	state_free(&s);
}

static void test_resume_fixup(void **st)
{
	(void)st;
	struct state s;
	state_init(&s, "p", "h");
	enum task_state in[] = { TASK_PENDING, TASK_STARTING, TASK_RUNNING, TASK_IDLE, TASK_WAITING,
				 TASK_DONE, TASK_MERGING, TASK_MERGED, TASK_FAILED };
	enum task_state out[] = { TASK_PENDING, TASK_INTERRUPTED, TASK_INTERRUPTED, TASK_INTERRUPTED,
				  TASK_INTERRUPTED, TASK_DONE, TASK_DONE, TASK_MERGED, TASK_FAILED };
	for (size_t i = 0; i < ARRAY_LEN(in); i++) {
		char id[8];
		snprintf(id, sizeof id, "t%zu", i);
		struct state_task *t = state_task_get(&s, id);
		t->st = in[i];
		t->pid = 100 + (int)i;
	}
	assert_int_equal(state_resume_fixup(&s), 5);
	for (size_t i = 0; i < ARRAY_LEN(in); i++) {
		assert_int_equal(s.tasks[i].st, out[i]);
		if (out[i] == TASK_INTERRUPTED)
			assert_int_equal(s.tasks[i].pid, 0);
	}
	assert_string_equal(s.tasks[2].reason, "was running when shoal stopped");
	assert_string_equal(s.tasks[6].reason, "merge interrupted; the base branch was not moved");
	assert_int_equal(state_resume_fixup(&s), 0);
	state_free(&s);
}

static void test_events(void **st)
{
	(void)st;
	char *d = tu_tmpdir("state");
	char *sd = xasprintf("%s/.shoal", d);
	struct err e;
	assert_int_equal(state_mkdirs(sd, &e), 0);
	assert_int_equal(state_mkdirs(sd, &e), 0); /* again: fine */
	char *p = xasprintf("%s/logs/events.jsonl", sd);
	struct task_event ev = { .task = "a", .from = TASK_READY, .to = TASK_STARTING,
				 .time_ms = 1700000000000LL, .reason = "wave 1" };
	assert_int_equal(state_event_append(p, &ev, &e), 0);
	ev.from = TASK_STARTING;
	ev.to = TASK_RUNNING;
	ev.reason = "pid 42";
	assert_int_equal(state_event_append(p, &ev, &e), 0);
	char *text = read_file(p);
	char *nl = strchr(text, '\n');
	assert_non_null(nl);
	*nl = 0;
	cJSON *j1 = cJSON_Parse(text), *j2 = cJSON_Parse(nl + 1);
	assert_non_null(j1);
	assert_non_null(j2);
	assert_string_equal(cJSON_GetObjectItem(j1, "to")->valuestring, "starting");
	assert_string_equal(cJSON_GetObjectItem(j2, "reason")->valuestring, "pid 42");
	assert_int_equal(nl[1 + strlen(nl + 1) - 1], '\n');
	cJSON_Delete(j1);
	cJSON_Delete(j2);
	free(text);
	/* A file where the directory should be. */
	char *f = xasprintf("%s/file", d);
	write_file(f, "x");
	assert_int_equal(state_mkdirs(f, &e), -1);
	assert_non_null(strstr(e.msg, "exists and is not a directory"));
	char *bad = xasprintf("%s/nodir/events.jsonl", d);
	assert_int_equal(state_event_append(bad, &ev, &e), -1);
	assert_non_null(strstr(e.msg, "cannot append the event"));
	free(bad);
	free(f);
	free(p);
	free(sd);
	tu_rm_rf(d);
	free(d);
}

static void test_lock(void **st)
{
	(void)st;
	char *d = tu_tmpdir("state");
	char *lp = xasprintf("%s/lock", d);
	struct state_lock l, l2;
	struct err e;

	/* Free: taken, holds our pid, no temp files around. */
	if (state_lock_acquire(&l, d, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(state_lock_owner(d), (int)getpid());
	assert_int_equal(count_entries(d), 1);
	assert_int_equal(state_lock_acquire(&l2, d, &e), -1);
	assert_non_null(strstr(e.msg, "this process already holds the lock"));
	state_lock_release(&l);
	assert_int_equal(access(lp, F_OK), -1);
	state_lock_release(&l); /* twice: harmless */

	/* Held by a live process (our parent). */
	char buf[32];
	snprintf(buf, sizeof buf, "%d\n", (int)getppid());
	write_file(lp, buf);
	assert_int_equal(state_lock_acquire(&l, d, &e), -1);
	char want[128];
	snprintf(want, sizeof want, "another shoal (pid %d) is running in this repository", (int)getppid());
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(state_lock_owner(d), (int)getppid()); /* untouched */
	assert_int_equal(count_entries(d), 1);

	/* Stale: the pid of a process that has exited. */
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	snprintf(buf, sizeof buf, "%d\n", (int)child);
	write_file(lp, buf);
	if (state_lock_acquire(&l, d, &e) < 0)
		fail_msg("stale lock not taken over: %s", e.msg);
	assert_int_equal(state_lock_owner(d), (int)getpid());
	assert_int_equal(count_entries(d), 1);
	/* Someone else's lock replaced ours behind our back: release leaves it. */
	snprintf(buf, sizeof buf, "%d\n", (int)getppid());
	write_file(lp, buf);
	state_lock_release(&l);
	assert_int_equal(state_lock_owner(d), (int)getppid());

	/* Pids are reused: the lock records its owner's start time, and a live
	 * process with the same pid but another start time is not the owner. */
	unlink(lp);
	if (state_lock_acquire(&l, d, &e) < 0)
		fail_msg("%s", e.msg);
	char *text0 = read_file(lp);
	assert_non_null(strstr(text0, "\nstart "));
	free(text0);
	state_lock_release(&l);
	unsigned long long ppstart = 0;
	{
		char sp[64], sb[1024];
		snprintf(sp, sizeof sp, "/proc/%d/stat", (int)getppid());
		FILE *pf = fopen(sp, "r");
		assert_non_null(pf);
		size_t got = fread(sb, 1, sizeof sb - 1, pf);
		fclose(pf);
		sb[got] = 0;
		char *q = strrchr(sb, ')');
		for (int field = 2; field < 22 && q; field++)
			q = strchr(q + 1, ' ');
		assert_non_null(q);
		ppstart = strtoull(q + 1, NULL, 10);
	}
	snprintf(buf, sizeof buf, "%d\nstart %llu\n", (int)getppid(), ppstart);
	write_file(lp, buf);
	assert_int_equal(state_lock_running(d), (int)getppid());
	assert_int_equal(state_lock_acquire(&l, d, &e), -1);
	assert_non_null(strstr(e.msg, "another shoal"));
	snprintf(buf, sizeof buf, "%d\nstart %llu\n", (int)getppid(), ppstart + 12345);
	write_file(lp, buf);
	assert_int_equal(state_lock_running(d), 0);
	if (state_lock_acquire(&l, d, &e) < 0)
		fail_msg("a reused pid kept the lock: %s", e.msg);
	assert_int_equal(state_lock_owner(d), (int)getpid());
	assert_int_equal(state_lock_running(d), (int)getpid());
	state_lock_release(&l);

	/* Garbage in the lock file: refused, not deleted. */
	write_file(lp, "not a pid");
	assert_int_equal(state_lock_acquire(&l, d, &e), -1);
	assert_non_null(strstr(e.msg, "the lock file holds no pid"));
	char *text = read_file(lp);
	assert_string_equal(text, "not a pid");
	free(text);

	/* No such directory. */
	char *nod = xasprintf("%s/nope", d);
	assert_int_equal(state_lock_acquire(&l, nod, &e), -1);
	assert_non_null(strstr(e.msg, "cannot create the lock"));
	free(nod);
	free(lp);
	tu_rm_rf(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_save_errors),
		cmocka_unit_test(test_load_bad),
		cmocka_unit_test(test_load_missing_and_minimal),
		cmocka_unit_test(test_check_plan),
		cmocka_unit_test(test_resume_fixup),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_lock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
