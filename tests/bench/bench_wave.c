/* bench_wave — the next-wave key to all eight agents of a wave running, on a
 * generated 20,000-file repository: through the runner (include/runner.h,
 * what the dashboard's `n` calls: runner_next_wave, then the same poll loop
 * until the orchestrator has every task "running", i.e. its worktree made by
 * the git worker and its agent spawned in a PTY), against eight
 * `git worktree add` runs one after the other (the checkouts alone, no
 * agent). Interleaved runs, medians. The agents are `sleep`; they are
 * stopped after each run and the worktrees removed (not timed).
 * Runs on tmpfs (/dev/shm) when available; set TMPDIR to choose. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plan.h"
#include "runner.h"

#define NFILES 20000
#define NDIRS 400
#define NWT 8
#define RUNS 3

static char dir[512], repo[600];

static int sh(const char *fmt, ...) PRINTF_LIKE(1, 2);
static int sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sbuf b = { 0 };
	sbuf_adds(&b, "{ ");
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	sbuf_adds(&b, getenv("BENCH_VERBOSE") ? "\n}" : "\n} >/dev/null 2>&1");
	int st = system(b.s);
	sbuf_free(&b);
	return st == -1 ? -1 : WEXITSTATUS(st);
}

static void die(const char *what)
{
	fprintf(stderr, "bench_wave: %s\n", what);
	if (dir[0])
		sh("rm -rf '%s'", dir);
	exit(1);
}

/* The same shape as bench_git's: 400 directories of 50 files of ~1.6 KB. */
static void gen_repo(void)
{
	if (sh("git init -q -b main '%s' && git -C '%s' config user.name bench && "
	       "git -C '%s' config user.email bench@shoal.invalid && git -C '%s' config gc.auto 0",
	       repo, repo, repo, repo))
		die("git init failed");
	char line[128];
	char *src = xasprintf("%s/src", repo);
	mkdir(src, 0777);
	free(src);
	for (int d = 0; d < NDIRS; d++) {
		char *p = xasprintf("%s/src/m%03d", repo, d);
		mkdir(p, 0777);
		for (int f = 0; f < NFILES / NDIRS; f++) {
			char *fp = xasprintf("%s/f%03d.c", p, f);
			FILE *o = fopen(fp, "w");
			if (!o)
				die("cannot write the generated files");
			for (int l = 0; l < 24; l++) {
				snprintf(line, sizeof line, "int m%03d_f%03d_line%02d = %d; /* generated */\n", d,
					 f, l, d * 1000 + f * 10 + l);
				fputs(line, o);
			}
			fclose(o);
			free(fp);
		}
		free(p);
	}
	if (sh("cd '%s' && printf '.shoal/\\n' >.gitignore && git add -A && "
	       "git commit -qm 'generated 20k files' && git gc -q",
	       repo))
		die("initial commit failed");
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return v[n / 2];
}

static int count_running(struct runner *r)
{
	struct orch *o = runner_orch(r);
	int n = 0;
	for (int i = 0; i < o->plan->ntasks; i++)
		n += o->t[i].st == TASK_RUNNING;
	return n;
}

/* One turn of the loop the dashboard runs. */
static void turn(struct runner *r, struct pollfd *pfd, int max, int cap_ms)
{
	int n = runner_pollfds(r, pfd, max);
	int to = runner_timeout_ms(r, util_now_ms());
	if (to < 0 || to > cap_ms)
		to = cap_ms;
	int pr = poll(pfd, (nfds_t)n, to);
	runner_handle(r, pfd, pr > 0 ? n : 0, util_now_ms());
	const struct runner_event *ev;
	while ((ev = runner_event_next(r)))
		if (ev->kind == RUNNER_EV_ERROR)
			fprintf(stderr, "bench_wave: runner: %s\n", ev->text);
}

/* Run k through the runner: ms from runner_next_wave to NWT running;
 * *first: to the first one running. */
static double shoal_run(int k, double *first)
{
	struct sbuf pj = { 0 };
	sbuf_printf(&pj, "{\"name\":\"w%d\",\"max_workers\":%d,\"tasks\":[", k, NWT);
	for (int i = 0; i < NWT; i++)
		sbuf_printf(&pj, "%s{\"id\":\"r%dt%d\",\"command\":[\"sleep\",\"120\"]}", i ? "," : "", k, i);
	sbuf_adds(&pj, "]}");
	char *path = xasprintf("%s/plan-%d.json", dir, k);
	FILE *pf = fopen(path, "w");
	if (!pf || fwrite(pj.s, 1, pj.len, pf) != pj.len || fclose(pf) != 0)
		die("cannot write the plan");
	struct diags dg;
	diags_init(&dg, path, pj.s, pj.len);
	struct plan *p = plan_load(path, NULL, &dg);
	if (!p)
		die("the generated plan does not load");
	diags_free(&dg);
	free(path);
	struct err e = { { 0 } };
	struct runner_opts ro = { .no_ctl = 1 };
	struct runner *r = runner_open(p, repo, &ro, &e);
	if (!r)
		die(e.msg);
	int max = runner_pollfds_max(r);
	struct pollfd *pfd = xcalloc((size_t)max + 1, sizeof *pfd);
	uint64_t t0 = util_now_ns(), t1 = 0;
	if (runner_next_wave(r, &e) < 0)
		die(e.msg);
	*first = -1;
	for (;;) {
		int n = count_running(r);
		if (n > 0 && *first < 0)
			*first = (double)(util_now_ns() - t0) / 1e6;
		if (n == NWT) {
			t1 = util_now_ns();
			break;
		}
		if ((util_now_ns() - t0) / 1000000000u > 120)
			die("the wave did not start within 120 s");
		turn(r, pfd, max, 50);
	}
	runner_stop_all(r);
	for (int w = 0; w < 200 && runner_live_agents(r); w++)
		turn(r, pfd, max, 20);
	runner_close(r);
	free(pfd);
	plan_free(p);
	sbuf_free(&pj);
	if (sh("cd '%s' && rm -rf .shoal && git worktree prune", repo))
		die("cleaning up after the run failed");
	return (double)(t1 - t0) / 1e6;
}

static double cli_run(int k)
{
	uint64_t t0 = util_now_ns();
	for (int i = 0; i < NWT; i++)
		if (sh("git -C '%s' worktree add -q -b cli%d/t%d '%s/cli%d-t%d' main", repo, k, i, dir, k, i))
			die("git worktree add failed");
	uint64_t t1 = util_now_ns();
	if (sh("rm -rf '%s'/cli%d-t* && git -C '%s' worktree prune", dir, k, repo))
		die("cleaning up the CLI worktrees failed");
	return (double)(t1 - t0) / 1e6;
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	if (!t)
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/shoal-bwave-XXXXXX", t);
	if (!mkdtemp(dir))
		die("mkdtemp failed");
	snprintf(repo, sizeof repo, "%s/repo", dir);
	uint64_t g0 = util_now_ns();
	gen_repo();
	fprintf(stderr, "bench_wave: generated %d files in %.1f s under %s\n", NFILES,
		(double)(util_now_ns() - g0) / 1e9, t);
	double s[RUNS], f[RUNS], c[RUNS];
	for (int k = 0; k < RUNS; k++) {
		s[k] = shoal_run(k, &f[k]);
		c[k] = cli_run(k);
	}
	double ms = median(s, RUNS), mf = median(f, RUNS), mc = median(c, RUNS);
	printf("next wave to %d agents running, %d files (%d dirs, ~1.6 KB each), storage %s, median of %d\n",
	       NWT, NFILES, NDIRS, t, RUNS);
	printf("%-46s %12s %14s %8s\n", "operation", "shoal", "8x git wt add", "ratio");
	printf("%-46s %10.0f ms %12.0f ms %7.2fx\n", "n -> all 8 agents running", ms, mc, ms / mc);
	printf("%-46s %10.0f ms %12.0f ms %7.2fx\n", "n -> the first agent running", mf, mc / NWT,
	       mf / (mc / NWT));
	printf("(shoal: runner_next_wave, the git worker making each worktree and branch, the agent\n"
	       " spawned in a PTY, as the dashboard's n does; git: 8 sequential `git worktree add -b`\n"
	       " (second row: one of them, on average); ratio = shoal / git)\n");
	sh("rm -rf '%s'", dir);
	return 0;
}
