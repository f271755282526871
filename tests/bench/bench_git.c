/* bench_git — the git engine on a generated 20,000-file repository:
 * creating 8 task worktrees with shoal (libgit2, via gitwt_add) against
 * `git worktree add` run 8 times (interleaved, so both see the same cache
 * state), then merge preview and changed-files diff against their git CLI
 * equivalents (merge-tree, diff --name-status). Prints a table of ratios.
 * Runs on tmpfs (/dev/shm) when available; set TMPDIR to choose. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>

#include "gitdiff.h"
#include "gitworker.h"
#include "gitrepo.h"
#include "gitwt.h"
#include "merge.h"

#define NFILES 20000
#define NDIRS 400
#define NWT 8
#define RUNS 7

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
	fprintf(stderr, "bench_git: %s\n", what);
	if (dir[0])
		sh("rm -rf '%s'", dir);
	exit(1);
}

static void gen_repo(void)
{
	if (sh("git init -q -b main '%s' && git -C '%s' config user.name bench && "
	       "git -C '%s' config user.email bench@shoal.invalid && git -C '%s' config gc.auto 0",
	       repo, repo, repo, repo))
		die("git init failed");
	char line[128];
	for (int d = 0; d < NDIRS; d++) {
		char *p = xasprintf("%s/src/m%03d", repo, d);
		char *q = xasprintf("%s/src", repo);
		mkdir(q, 0777);
		mkdir(p, 0777);
		free(q);
		for (int f = 0; f < NFILES / NDIRS; f++) {
			char *fp = xasprintf("%s/f%03d.c", p, f);
			FILE *o = fopen(fp, "w");
			if (!o)
				die("cannot write the generated files");
			/* ~1.6 KB per file, as in notes/libgit2.md §12 */
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
	if (sh("cd '%s' && git add -A && git commit -qm 'generated 20k files' && git gc -q", repo))
		die("initial commit failed");
	/* a task branch changing 50 files, base changing 50 others */
	if (sh("cd '%s' && git checkout -qb task && for i in $(seq -w 0 49); do echo task >>src/m001/f0$i.c; "
	       "done && git commit -qam task && git checkout -q main && for i in $(seq -w 0 49); do "
	       "echo base >>src/m002/f0$i.c; done && git commit -qam base",
	       repo))
		die("making the branches failed");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static double median_ms(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_u64);
	return (double)v[n / 2] / 1e6;
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	if (!t)
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/shoal-bench-XXXXXX", t);
	if (!mkdtemp(dir))
		die("mkdtemp failed");
	snprintf(repo, sizeof repo, "%s/repo", dir);
	uint64_t g0 = util_now_ns();
	gen_repo();
	fprintf(stderr, "bench_git: generated %d files in %.1f s under %s\n", NFILES,
		(double)(util_now_ns() - g0) / 1e9, t);

	gitrepo_global_init();
	struct err e = { { 0 } };
	struct gitrepo *r = gitrepo_open(repo, &e);
	if (!r)
		die(e.msg);
	/* interleaved: shoal add i, then git worktree add i */
	uint64_t t_shoal = 0, t_cli = 0, w_shoal[NWT], w_cli[NWT];
	for (int i = 0; i < NWT; i++) {
		char id[32], br[64];
		snprintf(id, sizeof id, "t%d", i);
		snprintf(br, sizeof br, "shoal/bench/t%d", i);
		struct gitwt_add_result ar;
		uint64_t a = util_now_ns();
		if (gitwt_add(r, "main", br, id, NULL, NULL, &ar, &e) < 0)
			die(e.msg);
		uint64_t b = util_now_ns();
		gitwt_add_result_free(&ar);
		if (sh("git -C '%s' worktree add -q -b cli/t%d '%s/cli-t%d' main", repo, i, dir, i))
			die("git worktree add failed");
		uint64_t c = util_now_ns();
		w_shoal[i] = b - a;
		w_cli[i] = c - b;
		t_shoal += b - a;
		t_cli += c - b;
	}
	double ms_shoal = (double)t_shoal / 1e6, ms_cli = (double)t_cli / 1e6;
	double med_shoal = median_ms(w_shoal, NWT), med_cli = median_ms(w_cli, NWT);

	/* merge preview and diff, median of RUNS */
	uint64_t p_shoal[RUNS], p_cli[RUNS], d_shoal[RUNS], d_cli[RUNS];
	int kind = -1, nfiles = 0;
	for (int k = 0; k < RUNS; k++) {
		struct merge_preview p;
		uint64_t a = util_now_ns();
		if (merge_preview(r, "main", "task", &p, &e) < 0)
			die(e.msg);
		uint64_t b = util_now_ns();
		kind = p.kind;
		merge_preview_free(&p);
		if (sh("git -C '%s' merge-tree --write-tree main task", repo))
			die("git merge-tree failed");
		uint64_t c = util_now_ns();
		struct gitdiff_task dt = { .id = "task" };
		if (gitdiff_task(r, "main", "task", NULL, NULL, &dt, &e) < 0)
			die(e.msg);
		uint64_t d = util_now_ns();
		nfiles = dt.nfiles;
		gitdiff_task_free(&dt);
		if (sh("git -C '%s' diff --name-status -M main...task", repo))
			die("git diff failed");
		uint64_t f = util_now_ns();
		p_shoal[k] = b - a;
		p_cli[k] = c - b;
		d_shoal[k] = d - c;
		d_cli[k] = f - d;
	}
	double mp_s = median_ms(p_shoal, RUNS), mp_c = median_ms(p_cli, RUNS);
	double md_s = median_ms(d_shoal, RUNS), md_c = median_ms(d_cli, RUNS);

	/* the UI loop while the worker checks out a 20k-file worktree */
	gitrepo_close(r);
	struct gitworker *w = gitworker_start(repo, &e);
	if (!w)
		die(e.msg);
	unsigned job = gitworker_wt_add(w, "main", "shoal/bench/ui", "ui", NULL);
	uint64_t u0 = util_now_ns(), last = u0, gap = 0;
	int wakeups = 0, nprog = 0, finished = 0;
	while (!finished) {
		struct pollfd pfd = { gitworker_fd(w), POLLIN, 0 };
		poll(&pfd, 1, 16); /* a 60 Hz frame timer, like the dashboard's */
		uint64_t now = util_now_ns();
		if (now - last > gap)
			gap = now - last;
		last = now;
		wakeups++;
		struct gw_msg *m;
		while ((m = gitworker_next(w))) {
			if (m->kind == GW_PROGRESS)
				nprog++;
			if (m->kind == GW_DONE && m->job == job) {
				if (m->rc < 0)
					die(m->err.msg);
				finished = 1;
			}
			gw_msg_free(m);
		}
	}
	double ui_total = (double)(util_now_ns() - u0) / 1e6, ui_gap = (double)gap / 1e6;
	gitworker_stop(w);
	r = gitrepo_open(repo, &e);
	if (!r)
		die(e.msg);

	printf("git engine, %d files (%d dirs, ~1.6 KB each), storage %s\n", NFILES, NDIRS, t);
	printf("%-44s %12s %12s %8s\n", "operation", "shoal", "git CLI", "ratio");
	printf("%-44s %10.0f ms %10.0f ms %7.2fx\n", "8 worktrees (branch + checkout), total", ms_shoal,
	       ms_cli, ms_shoal / ms_cli);
	printf("%-44s %10.0f ms %10.0f ms %7.2fx\n", "  one worktree, median", med_shoal, med_cli,
	       med_shoal / med_cli);
	printf("%-44s %10.1f ms %10.1f ms %7.2fx\n", "merge preview (50 vs 50 files), median", mp_s, mp_c,
	       mp_s / mp_c);
	printf("%-44s %10.1f ms %10.1f ms %7.2fx\n", "changed files since merge-base, median", md_s, md_c,
	       md_s / md_c);
	printf("%-44s %10.1f ms %10.1f ms %7.2fx\n", "UI loop during a worktree add: longest stall",
	       ui_gap, 16.7, ui_gap / 16.7);
	printf("  (%d poll wake-ups and %d progress messages while the worker took %.0f ms; second column "
	       "= one 60 Hz frame)\n",
	       wakeups, nprog, ui_total);
	printf("(ratio = shoal / git CLI; the CLI times include starting a git process; preview: %s, "
	       "diff: %d files)\n",
	       merge_kind_name((enum merge_kind)kind), nfiles);
	gitrepo_close(r);
	sh("rm -rf '%s'", dir);
	return 0;
}
