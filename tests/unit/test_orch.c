/* Unit tests for orch, the lifecycle engine: scheduling (ready set, wave
 * gating, max_workers queue in plan order), transitions and their events,
 * persistence and resume, marks and operator actions, the merge sequence.
 *
 * The orch_ops table below is a set of test implementations that only
 * record the calls the engine makes (and hand out pids); the test then plays
 * the completions (worktree ready, process exit, merge outcome) the way the
 * git and terminal engines will. This is a test of the scheduling logic, not
 * a mock of git or of a PTY: no worktree, process or merge is pretended to
 * exist, and the engines' real behaviour is tested in their own suites.
 * state.json and events.jsonl are real files in a temp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "ctl.h"
#include "orch.h"

struct rec {
	struct sbuf calls;  /* "wt:a;spawn:a;..." */
	struct sbuf events; /* "a:pending>ready;..." */
	int nevents;
	int next_pid;
	int fail_spawn, fail_merge_start;
	strv argv, env;
	char cwd[256];
};

static int r_wt(void *ud, int task, const char *branch, int fresh, struct err *e)
{
	(void)e;
	struct rec *r = ud;
	(void)branch;
	sbuf_printf(&r->calls, "wt:%d%s;", task, fresh ? ":fresh" : "");
	return 0;
}

static char **dupv(char *const *v)
{
	size_t n = 0;
	while (v[n])
		n++;
	char **c = xcalloc(n + 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static int r_spawn(void *ud, int task, char *const *argv, char *const *env, const char *cwd,
		   int *pid, struct err *e)
{
	struct rec *r = ud;
	if (r->fail_spawn)
		return err_set(e, "forkpty: Resource temporarily unavailable");
	sbuf_printf(&r->calls, "spawn:%d;", task);
	strv_free(r->argv);
	strv_free(r->env);
	r->argv = dupv(argv);
	r->env = dupv(env);
	snprintf(r->cwd, sizeof r->cwd, "%s", cwd);
	*pid = r->next_pid++;
	return 0;
}

static void r_kill(void *ud, int task, int pid, int sig)
{
	struct rec *r = ud;
	sbuf_printf(&r->calls, "kill:%d:%d:%d;", task, pid, sig);
}

static int r_merge(void *ud, int task, const char *branch, struct err *e)
{
	struct rec *r = ud;
	if (r->fail_merge_start)
		return err_set(e, "the git worker is busy");
	sbuf_printf(&r->calls, "merge:%d:%s;", task, branch);
	return 0;
}

static int r_send(void *ud, int task, const char *bytes, size_t n, struct err *e)
{
	(void)e;
	struct rec *r = ud;
	sbuf_printf(&r->calls, "send:%d:", task);
	for (size_t k = 0; k < n; k++)
		sbuf_printf(&r->calls, bytes[k] == '\r' ? "\\r" : "%c", bytes[k]);
	sbuf_addc(&r->calls, ';');
	return 0;
}

static void r_event(void *ud, const struct task_event *ev)
{
	struct rec *r = ud;
	sbuf_printf(&r->events, "%s:%s>%s;", ev->task, task_state_name(ev->from), task_state_name(ev->to));
	r->nevents++;
}

/* The fixture: a plan, a temp .shoal, the engine. */
struct fx {
	char *dir, *shoal;
	struct plan *p;
	struct rec r;
	struct orch o;
	const char *hash; /* the plan's hash as given to orch_init */
};

static struct plan *parse(const char *text)
{
	struct diags d;
	diags_init(&d, "plan.json", text, strlen(text));
	struct plan *p = plan_parse("plan.json", text, strlen(text), NULL, &d);
	if (!p) {
		char *m = d.n ? diag_format(&d, 0) : xstrdup("?");
		fail_msg("%s", m);
	}
	diags_free(&d);
	return p;
}

static const struct orch_ops ops_tmpl = { .start_worktree = r_wt, .spawn = r_spawn, .kill = r_kill,
					  .merge = r_merge, .send = r_send, .event = r_event };

static int open_orch(struct fx *f, struct err *e)
{
	struct orch_ops ops = ops_tmpl;
	ops.ud = &f->r;
	struct orch_paths paths = { .shoal_dir = f->shoal, .repo = f->dir, .plan_path = "plan.json",
				    .plan_hash = f->hash ? f->hash : "fnv1a64:0000000000000001" };
	int rc = orch_init(&f->o, f->p, &ops, &paths, e);
	if (rc == 0)
		f->o.path_env = "/usr/bin:/bin";
	return rc;
}

static void fx_init(struct fx *f, const char *plan)
{
	memset(f, 0, sizeof *f);
	char tpl[] = "/tmp/shoal-test-orch.XXXXXX";
	assert_non_null(mkdtemp(tpl));
	f->dir = xstrdup(tpl);
	f->shoal = xasprintf("%s/.shoal", f->dir);
	f->p = parse(plan);
	f->r.next_pid = 1000;
	struct err e;
	if (open_orch(f, &e) < 0)
		fail_msg("%s", e.msg);
}

static void fx_free(struct fx *f)
{
	if (f->o.plan)
		orch_free(&f->o);
	plan_free(f->p);
	sbuf_free(&f->r.calls);
	sbuf_free(&f->r.events);
	strv_free(f->r.argv);
	strv_free(f->r.env);
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->dir);
	free(f->shoal);
}

/* Takes the recorded calls (and clears them). */
static char *calls(struct fx *f)
{
	return sbuf_steal(&f->r.calls);
}

#define CALLS(f, want) do { char *c_ = calls(f); assert_string_equal(c_, want); free(c_); } while (0)
#define ST(f, id) (f)->o.t[plan_find((f)->p, id)].st
#define IDX(f, id) plan_find((f)->p, id)

/* The worktree of task id is ready. */
static void wt_ready(struct fx *f, const char *id)
{
	char *path = xasprintf("%s/.shoal/worktrees/%s", f->dir, id);
	orch_worktree_done(&f->o, IDX(f, id), path, NULL);
	free(path);
}

/* Runs id from ready to exited with code. */
static void finish(struct fx *f, const char *id, int code)
{
	if (ST(f, id) == TASK_STARTING)
		wt_ready(f, id);
	assert_int_equal(ST(f, id), TASK_RUNNING);
	orch_exited(&f->o, IDX(f, id), code, 0);
}

static const char *PLAN5 =
	"{\"name\":\"t\",\"max_workers\":2,\"tasks\":["
	"{\"id\":\"a\",\"command\":[\"sh\",\"-c\",\"echo {id}\"]},"
	"{\"id\":\"b\",\"command\":[\"sh\",\"-c\",\"echo {id}\"]},"
	"{\"id\":\"c\",\"command\":[\"sh\",\"-c\",\"echo {id}\"]},"
	"{\"id\":\"d\",\"depends_on\":[\"a\"],\"command\":[\"sh\",\"-c\",\"echo {id}\"]},"
	"{\"id\":\"e\",\"depends_on\":[\"d\",\"b\"],\"command\":[\"sh\",\"-c\",\"echo {id}\"]}]}";

static void test_waves_queue_merge(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, PLAN5);
	/* Nothing starts before the operator opens wave 1. */
	orch_schedule(&f.o);
	CALLS(&f, "");
	assert_int_equal(ST(&f, "a"), TASK_PENDING);
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	/* Three ready, two workers: a and b start, c waits (plan order). */
	CALLS(&f, "wt:0;wt:1;");
	assert_int_equal(ST(&f, "c"), TASK_READY);
	assert_int_equal(ST(&f, "d"), TASK_PENDING);
	assert_int_equal(orch_live(&f.o), 2);
	assert_int_equal(orch_next_wave(&f.o, &e), -1);
	assert_string_equal(e.msg, "wave 1 is still open (0 of 3 tasks merged or skipped); merge it first");

	wt_ready(&f, "a");
	CALLS(&f, "spawn:0;");
	assert_int_equal(ST(&f, "a"), TASK_RUNNING);
	assert_string_equal(f.r.argv[0], "sh");
	assert_string_equal(f.r.argv[2], "echo a");
	char *wt = xasprintf("%s/.shoal/worktrees/a", f.dir);
	assert_string_equal(f.r.cwd, wt);
	free(wt);
	/* a finishes: a worker frees up, c starts; d waits for the merge. */
	orch_exited(&f.o, IDX(&f, "a"), 0, 0);
	assert_int_equal(ST(&f, "a"), TASK_DONE);
	CALLS(&f, "wt:2;");
	assert_int_equal(ST(&f, "d"), TASK_PENDING);
	/* The wave cannot be merged while b and c run. */
	assert_int_equal(orch_merge_wave(&f.o, &e), -1);
	assert_string_equal(e.msg, "wave 1 is not finished: b (starting), c (starting)");
	finish(&f, "b", 0);
	finish(&f, "c", 0);
	CALLS(&f, "spawn:1;spawn:2;");
	/* Merge the wave: one at a time, in order. */
	assert_int_equal(orch_merge_wave(&f.o, &e), 0);
	CALLS(&f, "merge:0:shoal/t/a;");
	assert_int_equal(ST(&f, "a"), TASK_MERGING);
	assert_int_equal(ST(&f, "b"), TASK_DONE);
	orch_merge_done(&f.o, IDX(&f, "a"), "merged", "0123456789abcdef0123", NULL);
	CALLS(&f, "merge:1:shoal/t/b;");
	assert_int_equal(ST(&f, "a"), TASK_MERGED);
	orch_merge_done(&f.o, IDX(&f, "b"), "merged", "1111", NULL);
	orch_merge_done(&f.o, IDX(&f, "c"), "merged", "2222", NULL);
	CALLS(&f, "merge:2:shoal/t/c;");
	/* Wave 2 waits for the operator (no auto_advance). */
	assert_int_equal(ST(&f, "d"), TASK_PENDING);
	assert_int_equal(orch_current_wave(&f.o), 2);
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	CALLS(&f, "wt:3;");
	finish(&f, "d", 0);
	assert_int_equal(orch_merge_wave(&f.o, &e), 0);
	orch_merge_done(&f.o, IDX(&f, "d"), "merged", "3333", NULL);
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	finish(&f, "e", 0);
	assert_int_equal(orch_merge(&f.o, IDX(&f, "e"), &e), 0);
	orch_merge_done(&f.o, IDX(&f, "e"), "merged", "4444", NULL);
	assert_int_equal(orch_next_wave(&f.o, &e), -1);
	assert_string_equal(e.msg, "every wave is merged");
	assert_int_equal(f.o.nerrors, 0);

	/* Every transition was logged and persisted. */
	struct err le;
	char *log = xasprintf("%s/logs/events.jsonl", f.shoal);
	char *text = util_read_file(log, NULL, &le);
	assert_non_null(text);
	int lines = 0;
	for (char *c = text; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, f.r.nevents);
	assert_int_equal(f.r.nevents, 5 * 6); /* pending ready starting running done merging merged */
	free(text);
	free(log);
	char *sp = xasprintf("%s/state.json", f.shoal);
	struct state s;
	assert_int_equal(state_load(&s, sp, &le), 1);
	for (int i = 0; i < s.ntasks; i++)
		assert_int_equal(s.tasks[i].st, TASK_MERGED);
	assert_string_equal(state_task_find(&s, "a")->merge_commit, "0123456789abcdef0123");
	assert_string_equal(state_task_find(&s, "a")->branch, "shoal/t/a");
	assert_int_equal(state_task_find(&s, "a")->exit_code, 0);
	assert_true(state_task_find(&s, "a")->end_ms >= state_task_find(&s, "a")->start_ms);
	state_free(&s);
	free(sp);
	fx_free(&f);
}

static void test_conflict_stops_sequence(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, PLAN5);
	orch_next_wave(&f.o, &e);
	finish(&f, "a", 0);
	finish(&f, "b", 0);
	finish(&f, "c", 0);
	free(calls(&f));
	/* Merging d before a is refused. */
	assert_int_equal(orch_merge_wave(&f.o, &e), 0);
	CALLS(&f, "merge:0:shoal/t/a;");
	orch_merge_done(&f.o, IDX(&f, "a"), "conflict", NULL, "src/x.c");
	/* The sequence stops: b and c are not merged. */
	CALLS(&f, "");
	assert_int_equal(ST(&f, "a"), TASK_CONFLICT);
	assert_int_equal(ST(&f, "b"), TASK_DONE);
	assert_string_equal(state_task_find(&f.o.st, "a")->merge_outcome, "conflict");
	assert_string_equal(state_task_find(&f.o.st, "a")->reason, "conflict: src/x.c");
	/* A failed validation stops it too. */
	assert_int_equal(orch_merge(&f.o, IDX(&f, "b"), &e), 0);
	assert_int_equal(orch_merge(&f.o, IDX(&f, "c"), &e), 0);
	CALLS(&f, "merge:1:shoal/t/b;");
	assert_int_equal(orch_merge(&f.o, IDX(&f, "b"), &e), -1);
	assert_string_equal(e.msg, "task b is merging: only done tasks are merged");
	assert_int_equal(orch_merge(&f.o, IDX(&f, "c"), &e), -1);
	assert_string_equal(e.msg, "task c is already being merged");
	orch_merge_done(&f.o, IDX(&f, "b"), "invalid", "5555", "make test: 1 failed");
	CALLS(&f, "");
	assert_int_equal(ST(&f, "b"), TASK_INVALID);
	assert_int_equal(ST(&f, "c"), TASK_DONE);
	/* A merge that errors out returns the task to done. */
	assert_int_equal(orch_merge(&f.o, IDX(&f, "c"), &e), 0);
	orch_merge_done(&f.o, IDX(&f, "c"), "error", NULL, "libgit2: out of disk");
	assert_int_equal(ST(&f, "c"), TASK_DONE);
	assert_string_equal(state_task_find(&f.o.st, "c")->reason, "merge failed: libgit2: out of disk");
	/* ... and one that cannot start, too. */
	free(calls(&f));
	f.r.fail_merge_start = 1;
	assert_int_equal(orch_merge(&f.o, IDX(&f, "c"), &e), 0);
	assert_int_equal(ST(&f, "c"), TASK_DONE);
	assert_string_equal(state_task_find(&f.o.st, "c")->reason, "merge could not start: the git worker is busy");
	f.r.fail_merge_start = 0;
	/* Dependencies first. */
	orch_merge(&f.o, IDX(&f, "a"), &e);
	orch_merge_done(&f.o, IDX(&f, "a"), "merged", "6666", NULL);
	assert_int_equal(orch_merge(&f.o, IDX(&f, "a"), &e), -1);
	/* Results for a task that is not merging are ignored. */
	orch_merge_done(&f.o, IDX(&f, "b"), "merged", "7777", NULL);
	assert_int_equal(ST(&f, "b"), TASK_INVALID);
	fx_free(&f);
}

/* A conflict handed to the task's agent (orch_resolve): an exited agent is
 * started again in its worktree with the resolve prompt instead of the
 * task's prompt; a live one (marked done, still running) gets the prompt
 * typed; either way the task ends done and merges again. */
static void test_resolve(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"max_workers\":2,"
		    "\"resolve_prompt\":\"fix {id}: {files} vs {base} in {worktree}\",\"tasks\":["
		    "{\"id\":\"a\",\"prompt\":\"do A\",\"command\":[\"sh\",\"{prompt}\",\"{prompt_file}\"]},"
		    "{\"id\":\"b\",\"prompt\":\"do B\",\"command\":[\"sh\",\"{prompt}\"]}]}");
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	finish(&f, "a", 0);
	finish(&f, "b", 0);
	CALLS(&f, "wt:0;wt:1;spawn:0;spawn:1;");
	/* a merges; b conflicts. */
	assert_int_equal(orch_merge_wave(&f.o, &e), 0);
	orch_merge_done(&f.o, IDX(&f, "a"), "merged", "1", NULL);
	orch_merge_done(&f.o, IDX(&f, "b"), "conflict", NULL, "x.c");
	CALLS(&f, "merge:0:shoal/t/a;merge:1:shoal/t/b;");
	assert_int_equal(orch_resolve(&f.o, IDX(&f, "a"), "main", "x.c", &e), -1);
	assert_string_equal(e.msg, "task a is merged: nothing to resolve");

	/* b's agent has exited: restarted with the resolve prompt. */
	sbuf_free(&f.r.events);
	assert_int_equal(orch_resolve(&f.o, IDX(&f, "b"), "main", "x.c, y.c", &e), 0);
	CALLS(&f, "spawn:1;");
	assert_int_equal(ST(&f, "b"), TASK_RUNNING);
	char *wt = xasprintf("%s/.shoal/worktrees/b", f.dir);
	char *want = xasprintf("fix b: x.c, y.c vs main in %s", wt);
	assert_string_equal(f.r.argv[1], want);
	assert_string_equal(f.r.cwd, wt);
	assert_string_equal(f.r.events.s, "b:conflict>starting;b:starting>running;");
	/* The resolve prompt has its own file; the task's prompt is kept. */
	char *rp = xasprintf("%s/prompts/resolve/b.md", f.shoal);
	size_t n;
	char *text = util_read_file(rp, &n, NULL);
	assert_non_null(text);
	char *want_nl = xasprintf("%s\n", want);
	assert_string_equal(text, want_nl);
	free(text);
	free(want_nl);
	free(rp);
	char *tp = xasprintf("%s/prompts/b.md", f.shoal);
	text = util_read_file(tp, &n, NULL);
	assert_non_null(strstr(text, "do B"));
	free(text);
	free(tp);
	struct state_task *s = state_task_find(&f.o.st, "b");
	assert_string_equal(s->reason, "started sh (pid 1002) to resolve the conflicts");
	/* Busy while it works. */
	assert_int_equal(orch_resolve(&f.o, IDX(&f, "b"), "main", "x.c", &e), -1);
	assert_string_equal(e.msg, "task b is running: its agent is busy; wait until it is idle or done");
	/* It resolves and exits: done, merged again. */
	orch_exited(&f.o, IDX(&f, "b"), 0, 0);
	assert_int_equal(ST(&f, "b"), TASK_DONE);
	assert_int_equal(orch_merge(&f.o, IDX(&f, "b"), &e), 0);
	orch_merge_done(&f.o, IDX(&f, "b"), "merged", "2", NULL);
	assert_int_equal(ST(&f, "b"), TASK_MERGED);
	CALLS(&f, "merge:1:shoal/t/b;");
	free(want);
	free(wt);
	fx_free(&f);

	/* A live agent, marked done, conflicts: the prompt is typed to it. */
	fx_init(&f, "{\"name\":\"t\",\"tasks\":[{\"id\":\"a\",\"command\":[\"sh\"]}]}");
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	wt_ready(&f, "a");
	assert_int_equal(orch_mark(&f.o, IDX(&f, "a"), STATUS_MARK_DONE, &e), 0);
	assert_int_equal(orch_merge(&f.o, IDX(&f, "a"), &e), 0);
	orch_merge_done(&f.o, IDX(&f, "a"), "conflict", NULL, "x.c");
	CALLS(&f, "wt:0;spawn:0;merge:0:shoal/t/a;");
	sbuf_free(&f.r.events);
	assert_int_equal(orch_resolve(&f.o, IDX(&f, "a"), "dev", "x.c", &e), 0);
	/* The default prompt (no resolve_prompt in the plan), then Enter. */
	char *c = calls(&f);
	assert_non_null(strstr(c, "send:0:Task a: dev was merged into your branch shoal/t/a and the merge conflicts in: x.c."));
	assert_non_null(strstr(c, ";send:0:\\r;"));
	free(c);
	assert_string_equal(f.r.events.s, "a:conflict>running;");
	assert_int_equal(f.o.t[0].mark, STATUS_MARK_NONE);
	/* No worker free for an exited agent. */
	orch_exited(&f.o, IDX(&f, "a"), 0, 0);
	assert_int_equal(ST(&f, "a"), TASK_DONE);
	f.p->max_workers = 0;
	assert_int_equal(orch_resolve(&f.o, IDX(&f, "a"), "dev", "x.c", &e), -1);
	assert_string_equal(e.msg, "all 0 workers are busy; stop a task or wait, then resolve a");
	fx_free(&f);
}

static void test_dag_mode_and_manual_start(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	char *plan = xstrdup(PLAN5);
	memcpy(strstr(plan, "\"max_workers\":2"), "\"max_workers\":5", 15);
	char *q = xasprintf("{\"mode\":\"dag\",%s", plan + 1);
	fx_init(&f, q);
	free(plan);
	free(q);
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	CALLS(&f, "wt:0;wt:1;wt:2;");
	assert_int_equal(orch_next_wave(&f.o, &e), -1);
	finish(&f, "a", 0);
	free(calls(&f));
	assert_int_equal(orch_merge(&f.o, IDX(&f, "a"), &e), 0);
	orch_merge_done(&f.o, IDX(&f, "a"), "merged", "1", NULL);
	/* d's only dependency is merged: it starts now, though b and c run. */
	CALLS(&f, "merge:0:shoal/t/a;wt:3;");
	/* e needs b too. */
	assert_int_equal(ST(&f, "e"), TASK_PENDING);
	assert_int_equal(orch_start(&f.o, IDX(&f, "e"), &e), -1);
	assert_string_equal(e.msg, "task e depends on d, which is starting (not merged yet)");
	fx_free(&f);

	/* Waves mode: s starts a task whose dependencies are merged before its
	 * wave is opened. */
	fx_init(&f, PLAN5);
	orch_next_wave(&f.o, &e);
	finish(&f, "a", 0);
	orch_merge(&f.o, IDX(&f, "a"), &e);
	orch_merge_done(&f.o, IDX(&f, "a"), "merged", "1", NULL);
	free(calls(&f));
	assert_int_equal(ST(&f, "d"), TASK_PENDING);
	finish(&f, "b", 0); /* frees a worker */
	free(calls(&f));
	assert_int_equal(orch_start(&f.o, IDX(&f, "d"), &e), 0);
	CALLS(&f, "wt:3;");
	assert_int_equal(ST(&f, "d"), TASK_STARTING);
	assert_int_equal(orch_start(&f.o, IDX(&f, "d"), &e), -1);
	assert_string_equal(e.msg, "task d is starting, not waiting to start");
	fx_free(&f);
}

static void test_start_failures(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"max_workers\":1,\"tasks\":["
		    "{\"id\":\"x\",\"command\":[\"no-such-agent-xyz\",\"--go\"]},"
		    "{\"id\":\"y\",\"agent\":\"gemini\"},"
		    "{\"id\":\"z\",\"command\":[\"sh\"]},"
		    "{\"id\":\"w\",\"command\":[\"sh\"]}]}");
	orch_next_wave(&f.o, &e);
	CALLS(&f, "wt:0;");
	wt_ready(&f, "x");
	/* Not installed: failed at start, naming the program; no spawn; the
	 * next task takes the worker. */
	assert_int_equal(ST(&f, "x"), TASK_FAILED);
	assert_string_equal(state_task_find(&f.o.st, "x")->reason,
			    "task x: program \"no-such-agent-xyz\" is not installed (not found in PATH)");
	CALLS(&f, "wt:1;");
	f.o.path_env = "/nonexistent";
	wt_ready(&f, "y");
	assert_int_equal(ST(&f, "y"), TASK_FAILED);
	assert_string_equal(state_task_find(&f.o.st, "y")->reason,
			    "task y: program \"gemini\" is not installed (not found in PATH)");
	f.o.path_env = "/usr/bin:/bin";
	CALLS(&f, "wt:2;");
	/* The worktree cannot be made. */
	orch_worktree_done(&f.o, IDX(&f, "z"), NULL, "branch shoal/t/z is checked out elsewhere");
	assert_int_equal(ST(&f, "z"), TASK_FAILED);
	assert_string_equal(state_task_find(&f.o.st, "z")->reason,
			    "worktree: branch shoal/t/z is checked out elsewhere");
	CALLS(&f, "wt:3;");
	/* The PTY cannot be made. */
	f.r.fail_spawn = 1;
	wt_ready(&f, "w");
	assert_int_equal(ST(&f, "w"), TASK_FAILED);
	assert_string_equal(state_task_find(&f.o.st, "w")->reason,
			    "cannot start sh: forkpty: Resource temporarily unavailable");
	f.r.fail_spawn = 0;
	/* A late worktree result for a task that is no longer starting. */
	wt_ready(&f, "w");
	assert_int_equal(ST(&f, "w"), TASK_FAILED);
	CALLS(&f, "");
	fx_free(&f);
}

static void test_marks_stop_skip_retry(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, PLAN5);
	orch_next_wave(&f.o, &e);
	wt_ready(&f, "a");
	wt_ready(&f, "b");
	free(calls(&f));
	/* Status signals move running / idle / waiting-input. */
	struct status_out so = { .st = STATUS_IDLE, .reason = "no output for 5 s" };
	orch_status(&f.o, IDX(&f, "a"), &so);
	assert_int_equal(ST(&f, "a"), TASK_IDLE);
	so.st = STATUS_WAITING;
	orch_status(&f.o, IDX(&f, "a"), &so);
	assert_int_equal(ST(&f, "a"), TASK_WAITING);
	so.st = STATUS_DONE; /* done/failed only come from exits and marks */
	orch_status(&f.o, IDX(&f, "a"), &so);
	assert_int_equal(ST(&f, "a"), TASK_WAITING);
	/* Marked done while alive: done, the worker is free for c. */
	assert_int_equal(orch_mark(&f.o, IDX(&f, "a"), STATUS_MARK_DONE, &e), 0);
	assert_int_equal(ST(&f, "a"), TASK_DONE);
	CALLS(&f, "wt:2;");
	assert_int_equal(orch_mark(&f.o, IDX(&f, "a"), STATUS_MARK_DONE, &e), 0); /* repeat: fine */
	/* ... then the process exits non-zero: failed. */
	orch_exited(&f.o, IDX(&f, "a"), 3, 0);
	assert_int_equal(ST(&f, "a"), TASK_FAILED);
	assert_string_equal(state_task_find(&f.o.st, "a")->reason, "exit 3 after being marked done");
	/* The operator accepts the work anyway. */
	assert_int_equal(orch_mark(&f.o, IDX(&f, "a"), STATUS_MARK_DONE, &e), 0);
	assert_int_equal(ST(&f, "a"), TASK_DONE);
	assert_int_equal(orch_mark(&f.o, IDX(&f, "a"), STATUS_MARK_WAITING, &e), -1);
	assert_string_equal(e.msg, "task a is not running (it is done)");
	assert_int_equal(orch_mark(&f.o, IDX(&f, "d"), STATUS_MARK_DONE, &e), -1);
	assert_string_equal(e.msg, "task d: cannot go from pending to done");
	assert_int_equal(orch_mark(&f.o, IDX(&f, "c"), STATUS_MARK_DONE, &e), -1);
	assert_string_equal(e.msg, "task c is still starting");

	/* Stop: SIGTERM to its pid, stopped; the exit that follows is kept. */
	int pid_b = f.o.t[IDX(&f, "b")].pid;
	assert_int_equal(orch_stop(&f.o, IDX(&f, "b"), &e), 0);
	char want[64];
	snprintf(want, sizeof want, "kill:1:%d:%d;", pid_b, SIGTERM);
	CALLS(&f, want);
	assert_int_equal(ST(&f, "b"), TASK_STOPPED);
	orch_exited(&f.o, IDX(&f, "b"), 0, SIGTERM);
	assert_int_equal(ST(&f, "b"), TASK_STOPPED);
	assert_int_equal(state_task_find(&f.o.st, "b")->term_signal, SIGTERM);
	assert_int_equal(orch_stop(&f.o, IDX(&f, "b"), &e), -1);
	assert_string_equal(e.msg, "task b is not running (it is stopped)");

	/* Restart in the same worktree: spawns right away. */
	assert_int_equal(orch_restart(&f.o, IDX(&f, "b"), &e), 0);
	CALLS(&f, "spawn:1;");
	assert_int_equal(ST(&f, "b"), TASK_RUNNING);
	/* Both workers busy now (b running, c starting). */
	orch_exited(&f.o, IDX(&f, "b"), 1, 0);
	assert_int_equal(ST(&f, "b"), TASK_FAILED);
	wt_ready(&f, "c");
	free(calls(&f));
	/* Retry from scratch: a fresh worktree. */
	assert_int_equal(orch_retry(&f.o, IDX(&f, "b"), &e), 0);
	assert_int_equal(ST(&f, "b"), TASK_STARTING);
	CALLS(&f, "wt:1:fresh;");
	assert_int_equal(orch_retry(&f.o, IDX(&f, "b"), &e), -1);
	assert_string_equal(e.msg, "task b is starting: stop it first");
	assert_int_equal(orch_restart(&f.o, IDX(&f, "d"), &e), -1);
	assert_string_equal(e.msg, "task d is pending: nothing to run again");

	/* Skip: not while live; skipped satisfies dependents. */
	assert_int_equal(orch_skip(&f.o, IDX(&f, "c"), &e), -1);
	assert_string_equal(e.msg, "task c is running: stop it first");
	assert_int_equal(orch_stop(&f.o, IDX(&f, "c"), &e), 0);
	assert_int_equal(orch_skip(&f.o, IDX(&f, "c"), &e), 0);
	assert_int_equal(ST(&f, "c"), TASK_SKIPPED);
	assert_int_equal(f.o.nerrors, 0);
	fx_free(&f);
}

static void test_env_argv_prompt(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"base\":\"main\",\"prompt_template\":\"Task {id}: {prompt} [{territory}]\","
		    "\"agents\":{\"mine\":{\"command\":[\"sh\",\"-c\",\"{prompt}\",\"--file={prompt_file}\",\"{worktree}\"]}},"
		    "\"tasks\":[{\"id\":\"a\",\"title\":\"Title A\",\"prompt\":\"do it\",\"agent\":\"mine\","
		    "\"territory\":[\"src/\"],\"env\":{\"FOO\":\"bar\",\"HOME\":\"/custom\"}}]}");
	const char *base[] = { "PATH=/usr/bin:/bin", "HOME=/root", "CLAUDECODE=1", "SHOAL_TASK_ID=stale",
			       "LANG=C.UTF-8", NULL };
	f.o.environ_base = base;
	orch_next_wave(&f.o, &e);
	wt_ready(&f, "a");
	char *wt = xasprintf("%s/.shoal/worktrees/a", f.dir);
	char *pf = xasprintf("%s/prompts/a.md", f.shoal);
	/* argv: {prompt} is the whole template, {prompt_file}, {worktree}. */
	assert_string_equal(f.r.argv[2], "Task a: do it [src/]");
	char *w3 = xasprintf("--file=%s", pf);
	assert_string_equal(f.r.argv[3], w3);
	assert_string_equal(f.r.argv[4], wt);
	assert_null(f.r.argv[5]);
	free(w3);
	/* The prompt file holds the same text. */
	char *text = util_read_file(pf, NULL, &e);
	assert_non_null(text);
	assert_string_equal(text, "Task a: do it [src/]\n");
	free(text);
	/* What the spawner gets: only what shoal sets, in order, the task's own
	 * last. */
	struct sbuf all = { 0 };
	for (char **v = f.r.env; *v; v++)
		sbuf_printf(&all, "%s\n", *v);
	char *extra = xasprintf("SHOAL_TASK_ID=a\nSHOAL_TASK_TITLE=Title A\nSHOAL_WORKTREE=%s\n"
				"SHOAL_BRANCH=shoal/t/a\nSHOAL_BASE=main\nSHOAL_PLAN=plan.json\nSHOAL_REPO=%s\n"
				"SHOAL_PROMPT_FILE=%s\nFOO=bar\nHOME=/custom\n", wt, f.dir, pf);
	assert_string_equal(all.s, extra);
	free(extra);
	sbuf_free(&all);
	/* The complete environment: the parent's minus CLAUDECODE and stale
	 * SHOAL_*, plus ours, plus the task's own (which win). */
	strv full = orch_task_env(&f.o, IDX(&f, "a"), pf, 1);
	for (char **v = full; *v; v++)
		sbuf_printf(&all, "%s\n", *v);
	strv_free(full);
	assert_null(strstr(all.s, "CLAUDECODE"));
	assert_null(strstr(all.s, "SHOAL_TASK_ID=stale"));
	assert_null(strstr(all.s, "HOME=/root"));
	const char *want[] = { "PATH=/usr/bin:/bin\n", "LANG=C.UTF-8\n", "SHOAL_TASK_ID=a\n",
			       "SHOAL_TASK_TITLE=Title A\n", "SHOAL_BRANCH=shoal/t/a\n", "SHOAL_BASE=main\n",
			       "SHOAL_PLAN=plan.json\n", "FOO=bar\n", "HOME=/custom\n" };
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		if (!strstr(all.s, want[i]))
			fail_msg("missing %s in:\n%s", want[i], all.s);
	char *we = xasprintf("SHOAL_WORKTREE=%s\n", wt);
	assert_non_null(strstr(all.s, we));
	char *pe = xasprintf("SHOAL_PROMPT_FILE=%s\n", pf);
	assert_non_null(strstr(all.s, pe));
	char *re = xasprintf("SHOAL_REPO=%s\n", f.dir);
	assert_non_null(strstr(all.s, re));
	free(we);
	free(pe);
	free(re);
	sbuf_free(&all);
	free(wt);
	free(pf);
	fx_free(&f);
}

static void test_resume_and_foreign(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, PLAN5);
	orch_next_wave(&f.o, &e);
	finish(&f, "a", 0);
	orch_merge(&f.o, IDX(&f, "a"), &e);
	orch_merge_done(&f.o, IDX(&f, "a"), "merged", "abc", NULL);
	wt_ready(&f, "b"); /* b running, c starting */
	finish(&f, "c", 0);
	orch_merge(&f.o, IDX(&f, "c"), &e); /* c merging when shoal dies */
	free(calls(&f));
	/* shoal goes away without cleaning up; a new one starts. */
	orch_free(&f.o);
	sbuf_free(&f.r.events);
	f.r.nevents = 0;
	assert_int_equal(open_orch(&f, &e), 0);
	assert_int_equal(ST(&f, "a"), TASK_MERGED);
	assert_int_equal(ST(&f, "b"), TASK_INTERRUPTED);
	assert_int_equal(ST(&f, "c"), TASK_DONE);
	assert_int_equal(ST(&f, "d"), TASK_PENDING);
	assert_string_equal(f.r.events.s, "b:running>interrupted;c:merging>done;");
	assert_string_equal(state_task_find(&f.o.st, "b")->reason, "was running when shoal stopped");
	assert_int_equal(state_task_find(&f.o.st, "b")->pid, 0);
	/* Wave 1 is still open: no need to press n again; resume b. */
	assert_int_equal(f.o.wave_open, 1);
	assert_int_equal(orch_restart(&f.o, IDX(&f, "b"), &e), 0);
	CALLS(&f, "spawn:1;");
	char *wt = xasprintf("%s/.shoal/worktrees/b", f.dir);
	assert_string_equal(f.r.cwd, wt);
	free(wt);
	orch_free(&f.o);

	/* Another plan's state: refused, and the file is left as it was. */
	char *sp = xasprintf("%s/state.json", f.shoal);
	char *before = util_read_file(sp, NULL, &e);
	struct orch_ops ops = ops_tmpl;
	ops.ud = &f.r;
	struct orch_paths paths = { .shoal_dir = f.shoal, .repo = f.dir, .plan_path = "other.json",
				    .plan_hash = "fnv1a64:0000000000000002" };
	assert_int_equal(orch_init(&f.o, f.p, &ops, &paths, &e), -1);
	assert_non_null(strstr(e.msg, "this run belongs to another plan (plan.json), not other.json"));
	char *after = util_read_file(sp, NULL, &e);
	assert_string_equal(before, after);
	free(after);
	/* A corrupt state file: refused, untouched. */
	FILE *fp = fopen(sp, "w");
	fputs("{\"format\":\"shoal-state\",", fp);
	fclose(fp);
	paths.plan_path = "plan.json";
	assert_int_equal(orch_init(&f.o, f.p, &ops, &paths, &e), -1);
	assert_non_null(strstr(e.msg, "not valid JSON"));
	after = util_read_file(sp, NULL, &e);
	assert_string_equal(after, "{\"format\":\"shoal-state\",");
	free(after);
	free(before);
	free(sp);
	fx_free(&f);
}

static void test_resume_profile(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"agent\":\"sim\",\"agents\":{\"sim\":{\"command\":[\"sh\",\"-c\",\"{prompt}\"],"
		    "\"resume\":[\"sh\",\"-c\",\"echo resumed {id}\"]}},"
		    "\"tasks\":[{\"id\":\"a\",\"prompt\":\"p\"},{\"id\":\"b\",\"command\":[\"sh\"]}]}");
	orch_next_wave(&f.o, &e);
	wt_ready(&f, "a");
	wt_ready(&f, "b");
	free(calls(&f));
	/* shoal dies; the next one finds both interrupted. */
	orch_free(&f.o);
	assert_int_equal(open_orch(&f, &e), 0);
	assert_int_equal(ST(&f, "a"), TASK_INTERRUPTED);
	assert_int_equal(orch_resume(&f.o, IDX(&f, "a"), &e), 0);
	CALLS(&f, "spawn:0;");
	assert_string_equal(f.r.argv[2], "echo resumed a");
	assert_int_equal(ST(&f, "a"), TASK_RUNNING);
	assert_non_null(strstr(state_task_find(&f.o.st, "a")->reason, "resumed with sh (pid "));
	/* A task with an explicit command has nothing to resume with: it
	 * stays interrupted, and can be restarted. */
	assert_int_equal(orch_resume(&f.o, IDX(&f, "b"), &e), -1);
	assert_string_equal(e.msg, "task b: an explicit command has no resume command; restart it instead");
	assert_int_equal(ST(&f, "b"), TASK_INTERRUPTED);
	assert_int_equal(orch_restart(&f.o, IDX(&f, "b"), &e), 0);
	assert_int_equal(ST(&f, "b"), TASK_RUNNING);
	assert_int_equal(f.o.plan_changed, 0);
	/* The plan file changed between runs: noted for the UI, tasks kept by id. */
	orch_free(&f.o);
	f.hash = "fnv1a64:00000000000000ff";
	assert_int_equal(open_orch(&f, &e), 0);
	assert_int_equal(f.o.plan_changed, 1);
	assert_int_equal(ST(&f, "a"), TASK_INTERRUPTED);
	fx_free(&f);
}

static void test_auto_merge_advance(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	char *q = xasprintf("{\"auto_merge\":true,\"auto_advance\":true,%s", PLAN5 + 1);
	fx_init(&f, q);
	free(q);
	orch_next_wave(&f.o, &e);
	/* Play the engines until the plan is finished: every worktree made,
	 * every process exiting 0, every merge succeeding. */
	for (int round = 0; round < 50; round++) {
		int acted = 0;
		for (int i = 0; i < f.p->ntasks; i++) {
			const char *id = f.p->tasks[i].id;
			if (ST(&f, id) == TASK_STARTING) {
				wt_ready(&f, id);
				acted = 1;
			} else if (ST(&f, id) == TASK_RUNNING) {
				orch_exited(&f.o, i, 0, 0);
				acted = 1;
			} else if (ST(&f, id) == TASK_MERGING) {
				orch_merge_done(&f.o, i, "merged", "c0ffee", NULL);
				acted = 1;
			}
		}
		if (!acted)
			break;
	}
	for (int i = 0; i < f.p->ntasks; i++)
		assert_int_equal(f.o.t[i].st, TASK_MERGED);
	/* Merges happened in dependency order. */
	char *c = calls(&f);
	char *ma = strstr(c, "merge:0:"), *md = strstr(c, "merge:3:"), *me = strstr(c, "merge:4:");
	assert_true(ma && md && me && ma < md && md < me);
	free(c);
	fx_free(&f);
}

static void test_status_signals_and_ctl(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"max_workers\":2,\"agent\":\"sim\",\"agents\":{\"sim\":{\"command\":[\"sh\"],"
		    "\"waiting\":[\"\\\\[y/n\\\\] *$\"],\"working_title\":\"working\",\"idle_after\":2}},"
		    "\"tasks\":[{\"id\":\"alpha\"},{\"id\":\"beta\"},{\"id\":\"gamma\"}]}");
	orch_next_wave(&f.o, &e);
	wt_ready(&f, "alpha");
	wt_ready(&f, "beta");
	free(calls(&f));
	int a = IDX(&f, "alpha");
	int64_t t0 = f.o.t[a].act.start_ms;
	const char *quiet[] = { "$ sh", "building..." };
	const char *ask[] = { "$ sh", "Overwrite config? [y/n] " };

	/* Output, then 2 s of silence (the profile's idle_after): idle. */
	orch_output(&f.o, a, t0 + 100);
	orch_evaluate(&f.o, a, t0 + 200, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_RUNNING);
	orch_evaluate(&f.o, a, t0 + 2100, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_IDLE);
	assert_string_equal(state_task_find(&f.o.st, "alpha")->reason, "no output for 2 s");
	/* Status flips are saved lazily, by orch_flush. */
	{
		char *sp = xasprintf("%s/state.json", f.shoal);
		struct state disk;
		assert_int_equal(state_load(&disk, sp, &e), 1);
		assert_int_equal(state_task_find(&disk, "alpha")->st, TASK_RUNNING);
		state_free(&disk);
		assert_true(f.o.dirty);
		orch_flush(&f.o);
		assert_false(f.o.dirty);
		assert_int_equal(state_load(&disk, sp, &e), 1);
		assert_int_equal(state_task_find(&disk, "alpha")->st, TASK_IDLE);
		state_free(&disk);
		free(sp);
	}
	/* The profile's waiting pattern. */
	orch_evaluate(&f.o, a, t0 + 2200, NULL, ask, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_WAITING);
	assert_string_equal(state_task_find(&f.o.st, "alpha")->reason, "screen: \"Overwrite config? [y/n]\"");
	/* Its working title, while silent. */
	orch_evaluate(&f.o, a, t0 + 2300, "working on it", quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_RUNNING);
	/* Sustained output after a silence: running; a single tick: not. */
	orch_evaluate(&f.o, a, t0 + 9000, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_IDLE);
	orch_output(&f.o, a, t0 + 9000);
	orch_evaluate(&f.o, a, t0 + 9100, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_IDLE);
	for (int k = 1; k <= 12; k++)
		orch_output(&f.o, a, t0 + 9000 + k * 100);
	orch_evaluate(&f.o, a, t0 + 10200, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_RUNNING);

	/* shoal mark alpha waiting (a hook): holds while silent... */
	struct ctl_reply rep;
	struct ctl_req mark = { .cmd = CTL_MARK, .task = "alpha", .mark = STATUS_MARK_WAITING };
	orch_ctl_handle(&f.o, &mark, &rep);
	assert_true(rep.ok);
	assert_string_equal(rep.msg, "task alpha is waiting-input");
	int64_t now = (int64_t)util_now_ms();
	orch_evaluate(&f.o, a, now + 60000, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_WAITING);
	/* ...until it is answered: shoal send alpha y. */
	struct ctl_req send = { .cmd = CTL_SEND, .task = "alpha", .text = "y", .enter = 1 };
	orch_ctl_handle(&f.o, &send, &rep);
	assert_true(rep.ok);
	assert_string_equal(rep.msg, "sent to alpha");
	CALLS(&f, "send:0:y\\r;");
	orch_evaluate(&f.o, a, now + 60000, NULL, quiet, 2);
	assert_int_equal(ST(&f, "alpha"), TASK_IDLE);

	/* Errors come back to the client. */
	mark.task = "alpah";
	orch_ctl_handle(&f.o, &mark, &rep);
	assert_false(rep.ok);
	assert_string_equal(rep.msg, "no task \"alpah\" in plan t (did you mean \"alpha\"?)");
	send.task = "gamma";
	orch_ctl_handle(&f.o, &send, &rep);
	assert_false(rep.ok);
	assert_string_equal(rep.msg, "task gamma is not running (it is ready)");
	/* send --all reaches every running agent. */
	struct ctl_req all = { .cmd = CTL_SEND, .all = 1, .text = "status", .enter = 0 };
	orch_ctl_handle(&f.o, &all, &rep);
	assert_true(rep.ok);
	assert_string_equal(rep.msg, "sent to 2 tasks");
	CALLS(&f, "send:0:status;send:1:status;");
	/* mark done over the socket finishes the task and frees its worker. */
	mark.task = "beta";
	mark.mark = STATUS_MARK_DONE;
	orch_ctl_handle(&f.o, &mark, &rep);
	assert_true(rep.ok);
	assert_string_equal(rep.msg, "task beta is done");
	assert_int_equal(ST(&f, "gamma"), TASK_STARTING);
	/* Evaluating a task that is not live changes nothing. */
	orch_evaluate(&f.o, IDX(&f, "beta"), now, NULL, ask, 2);
	assert_int_equal(ST(&f, "beta"), TASK_DONE);
	fx_free(&f);
}

/* Runs argv in dir (a real process) and returns its exit status. */
static int run_in(const char *dir, char *const *argv)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir(dir) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void put_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *slurp(const char *path)
{
	struct err e;
	return util_read_file(path, NULL, &e);
}

static void test_worktree_setup(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"copy\":[\".env\",\"conf/my local's.ini\"],\"symlink\":[\"node_modules\"],"
		    "\"setup\":\"echo setup-ran > setup.txt\",\"tasks\":["
		    "{\"id\":\"a\",\"command\":[\"sh\",\"-c\",\"cat setup.txt > agent.txt\"]}]}");
	/* The main worktree holds the gitignored files. */
	char *repo = f.dir;
	char *pth = xasprintf("%s/.env", repo);
	put_file(pth, "SECRET=1\n");
	free(pth);
	pth = xasprintf("%s/conf", repo);
	mkdir(pth, 0755);
	free(pth);
	pth = xasprintf("%s/conf/my local's.ini", repo);
	put_file(pth, "[x]\n");
	free(pth);
	pth = xasprintf("%s/node_modules", repo);
	mkdir(pth, 0755);
	free(pth);

	/* A new worktree: the agent's argv comes wrapped. */
	orch_next_wave(&f.o, &e);
	wt_ready(&f, "a");
	assert_string_equal(f.r.argv[0], "sh");
	assert_string_equal(f.r.argv[3], "shoal-setup");
	assert_string_equal(state_task_find(&f.o.st, "a")->reason + 0, "started sh (pid 1000)");
	/* Run it for real in a fresh directory standing for the worktree. */
	char *wt = xasprintf("%s/wt", repo);
	mkdir(wt, 0755);
	assert_int_equal(run_in(wt, f.r.argv), 0);
	pth = xasprintf("%s/.env", wt);
	char *txt = slurp(pth);
	assert_string_equal(txt, "SECRET=1\n");
	free(txt);
	free(pth);
	pth = xasprintf("%s/conf/my local's.ini", wt);
	txt = slurp(pth);
	assert_string_equal(txt, "[x]\n");
	free(txt);
	free(pth);
	pth = xasprintf("%s/node_modules", wt);
	char link[512];
	ssize_t ln = readlink(pth, link, sizeof link - 1);
	assert_true(ln > 0);
	link[ln] = 0;
	char *want = xasprintf("%s/node_modules", repo);
	assert_string_equal(link, want);
	free(want);
	free(pth);
	pth = xasprintf("%s/agent.txt", wt);
	txt = slurp(pth);
	assert_string_equal(txt, "setup-ran\n"); /* setup ran first, then the agent */
	free(txt);
	free(pth);
	/* Run again: existing files are left alone. */
	pth = xasprintf("%s/.env", wt);
	put_file(pth, "MINE=1\n");
	assert_int_equal(run_in(wt, f.r.argv), 0);
	txt = slurp(pth);
	assert_string_equal(txt, "MINE=1\n");
	free(txt);
	free(pth);
	/* A restart in the same worktree is not wrapped again. */
	orch_exited(&f.o, 0, 1, 0);
	assert_int_equal(orch_restart(&f.o, 0, &e), 0);
	assert_string_equal(f.r.argv[2], "cat setup.txt > agent.txt");
	strv_free(f.r.argv);
	f.r.argv = NULL;

	/* A listed file missing from the main worktree: exit 97, no agent. */
	char *wt2 = xasprintf("%s/wt2", repo);
	mkdir(wt2, 0755);
	pth = xasprintf("%s/.env", repo);
	unlink(pth);
	free(pth);
	char *const agent[] = { "sh", "-c", "echo ran > agent.txt", NULL };
	strv v = orch_setup_argv(f.p, repo, agent);
	assert_int_equal(run_in(wt2, v), 97);
	pth = xasprintf("%s/agent.txt", wt2);
	assert_int_equal(access(pth, F_OK), -1);
	free(pth);
	strv_free(v);
	/* Without copy/symlink/setup: the argv as it is. */
	struct plan *plain = parse("{\"name\":\"t\",\"tasks\":[{\"id\":\"a\",\"command\":[\"x\"]}]}");
	v = orch_setup_argv(plain, repo, agent);
	assert_string_equal(v[0], "sh");
	assert_string_equal(v[2], "echo ran > agent.txt");
	assert_null(v[3]);
	strv_free(v);
	plan_free(plain);
	/* A failing setup ends the run with its status, before the agent. */
	struct plan *bad = parse("{\"name\":\"t\",\"setup\":\"exit 3\",\"tasks\":[{\"id\":\"a\",\"command\":[\"x\"]}]}");
	v = orch_setup_argv(bad, repo, agent);
	assert_int_equal(run_in(wt2, v), 3);
	pth = xasprintf("%s/agent.txt", wt2);
	assert_int_equal(access(pth, F_OK), -1);
	free(pth);
	strv_free(v);
	plan_free(bad);
	free(wt);
	free(wt2);
	fx_free(&f);
}

static void test_report(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, "{\"name\":\"t\",\"tasks\":[{\"id\":\"a\",\"report\":\"out/REPORT.md\",\"command\":[\"sh\"]},"
		    "{\"id\":\"b\",\"report\":\"none.md\",\"command\":[\"sh\"]}]}");
	orch_next_wave(&f.o, &e);
	wt_ready(&f, "a");
	wt_ready(&f, "b");
	char *d = xasprintf("%s/.shoal/worktrees/a/out", f.dir);
	char *cmd = xasprintf("mkdir -p '%s' && printf 'files_changed: x.c\\n\\377bad' > '%s/REPORT.md'", d, d);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(d);
	orch_exited(&f.o, IDX(&f, "a"), 0, 0);
	orch_exited(&f.o, IDX(&f, "b"), 0, 0);
	/* Kept (cut before invalid UTF-8), and saved. */
	assert_string_equal(state_task_find(&f.o.st, "a")->report, "files_changed: x.c\n");
	assert_null(state_task_find(&f.o.st, "b")->report); /* no file: nothing */
	char *sp = xasprintf("%s/state.json", f.shoal);
	struct state s;
	assert_int_equal(state_load(&s, sp, &e), 1);
	assert_string_equal(state_task_find(&s, "a")->report, "files_changed: x.c\n");
	state_free(&s);
	free(sp);
	fx_free(&f);
}

/* A new plan for the live run: tasks keep their state and branch under new
 * indices, a new task joins its (open) wave and waits for a worker, a task
 * that never started is forgotten (also in state.json), the hash is saved. */
static void test_replan(void **st)
{
	(void)st;
	struct fx f;
	struct err e;
	fx_init(&f, PLAN5);
	assert_int_equal(orch_next_wave(&f.o, &e), 0);
	CALLS(&f, "wt:0;wt:1;");
	assert_int_equal(ST(&f, "c"), TASK_READY);
	/* f is new (wave 1), c is gone, the order changes, e loses b */
	struct plan *np = parse("{\"name\":\"t\",\"max_workers\":2,\"tasks\":["
				"{\"id\":\"f\",\"command\":[\"true\"]},"
				"{\"id\":\"b\",\"command\":[\"sh\",\"-c\",\"echo {id}\"]},"
				"{\"id\":\"a\",\"command\":[\"sh\",\"-c\",\"echo {id}\"]},"
				"{\"id\":\"d\",\"depends_on\":[\"a\"],\"command\":[\"true\"]},"
				"{\"id\":\"e\",\"depends_on\":[\"d\"],\"command\":[\"true\"]}]}");
	int from[5];
	for (int j = 0; j < np->ntasks; j++)
		from[j] = plan_find(f.p, np->tasks[j].id);
	assert_int_equal(from[0], -1);
	assert_int_equal(orch_replan(&f.o, np, from, "fnv1a64:00000000000000ff", &e), 0);
	plan_free(f.p);
	f.p = np;
	assert_int_equal(ST(&f, "a"), TASK_STARTING);
	assert_int_equal(ST(&f, "b"), TASK_STARTING);
	assert_string_equal(f.o.t[IDX(&f, "a")].branch, "shoal/t/a");
	assert_string_equal(f.o.t[IDX(&f, "f")].branch, "shoal/t/f");
	assert_int_equal(ST(&f, "f"), TASK_PENDING);
	assert_null(state_task_find(&f.o.st, "c"));
	assert_non_null(state_task_find(&f.o.st, "f"));
	assert_int_equal(f.o.g.n, 5);
	/* wave 1 is open: f gets ready, and waits for one of the two workers */
	orch_schedule(&f.o);
	CALLS(&f, "");
	assert_int_equal(ST(&f, "f"), TASK_READY);
	wt_ready(&f, "a");
	CALLS(&f, "spawn:2;");
	orch_exited(&f.o, IDX(&f, "a"), 0, 0);
	CALLS(&f, "wt:0;"); /* f, at its new index */
	/* on disk */
	char *sp = xasprintf("%s/state.json", f.shoal);
	struct state s;
	struct err le;
	assert_int_equal(state_load(&s, sp, &le), 1);
	assert_string_equal(s.plan_hash, "fnv1a64:00000000000000ff");
	assert_null(state_task_find(&s, "c"));
	assert_int_equal(state_task_find(&s, "a")->st, TASK_DONE);
	assert_int_equal(state_task_find(&s, "f")->st, TASK_STARTING);
	state_free(&s);
	free(sp);
	assert_int_equal(f.o.nerrors, 0);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waves_queue_merge),
		cmocka_unit_test(test_conflict_stops_sequence),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_dag_mode_and_manual_start),
		cmocka_unit_test(test_start_failures),
		cmocka_unit_test(test_marks_stop_skip_retry),
		cmocka_unit_test(test_env_argv_prompt),
		cmocka_unit_test(test_resume_and_foreign),
		cmocka_unit_test(test_resume_profile),
		cmocka_unit_test(test_auto_merge_advance),
		cmocka_unit_test(test_status_signals_and_ctl),
		cmocka_unit_test(test_worktree_setup),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_replan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
