/* bench_state — what persisting the run costs on the event-loop thread:
 * state_save (JSON + write + fsync + rename + directory fsync) of a
 * 100-task and a 1000-task state, and one event append, each against the
 * 16.7 ms frame budget. Run in a temp dir on the same file system as /tmp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"

enum { RUNS = 15 };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void fill(struct state *s, int n)
{
	state_init(s, "plans/big.json", "fnv1a64:0123456789abcdef");
	for (int i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "task-%04d", i);
		struct state_task *t = state_task_get(s, id);
		t->st = (enum task_state)(i % TASK_NSTATES);
		char *b = xasprintf("shoal/big/%s", id), *w = xasprintf("/repo/.shoal/worktrees/%s", id);
		state_set_str(&t->branch, b);
		state_set_str(&t->worktree, w);
		state_set_str(&t->reason, "no output for 5 s");
		free(b);
		free(w);
		t->pid = 10000 + i;
		t->start_ms = 1700000000000LL + i;
	}
}

int main(void)
{
	char tpl[] = "/tmp/shoal-bench-state.XXXXXX";
	if (!mkdtemp(tpl))
		return 1;
	char *path = xasprintf("%s/state.json", tpl), *log = xasprintf("%s/events.jsonl", tpl);
	printf("persisting the run (median and worst of %d; budget: one 16.7 ms frame)\n", RUNS);
	printf("  %-36s %10s %10s %12s\n", "what", "median", "worst", "median/frame");
	int sizes[] = { 100, 1000 };
	for (size_t k = 0; k < 2; k++) {
		struct state s;
		fill(&s, sizes[k]);
		uint64_t t[RUNS];
		struct err e;
		for (int r = 0; r < RUNS; r++) {
			uint64_t t0 = util_now_ns();
			if (state_save(&s, path, &e) < 0) {
				fprintf(stderr, "%s\n", e.msg);
				return 1;
			}
			t[r] = util_now_ns() - t0;
		}
		qsort(t, RUNS, sizeof t[0], cmp_u64);
		char what[64];
		snprintf(what, sizeof what, "state_save, %d tasks", sizes[k]);
		printf("  %-36s %8.2fms %8.2fms %11.2fx\n", what, t[RUNS / 2] / 1e6, t[RUNS - 1] / 1e6,
		       t[RUNS / 2] / 16.7e6);
		state_free(&s);
	}
	struct task_event ev = { .task = "task-0001", .from = TASK_RUNNING, .to = TASK_IDLE,
				 .time_ms = 1700000000000LL, .reason = "no output for 5 s" };
	uint64_t t[RUNS];
	struct err e;
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = util_now_ns();
		state_event_append(log, &ev, &e);
		t[r] = util_now_ns() - t0;
	}
	qsort(t, RUNS, sizeof t[0], cmp_u64);
	printf("  %-36s %8.2fms %8.2fms %11.2fx\n", "event append (events.jsonl)", t[RUNS / 2] / 1e6,
	       t[RUNS - 1] / 1e6, t[RUNS / 2] / 16.7e6);
	unlink(path);
	unlink(log);
	rmdir(tpl);
	free(path);
	free(log);
	return 0;
}
