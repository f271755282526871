/* bench_frame — what the real dashboard costs per frame with 100 tasks:
 * `shoal` (the binary given) runs on a 300x80 pseudo-terminal of ours in a
 * generated repository with a 100-task plan (5 waves of 20, max_workers 12,
 * agents that print 60 coloured lines and sleep); after `n` twelve agents
 * run in tiles. Then keys, one at a time, each waited for until the screen
 * output stops (so each is one frame):
 *   - j / k in the sidebar: the selection moves (sidebar redrawn),
 *   - space: the next layout (every pane, the sidebar and the status line
 *     redrawn: a full frame, with the panes resized),
 *   - ? then q: the help view opened, then closed (a full redraw at the
 *     same sizes).
 * The cost is the CPU time of the shoal process (/proc/PID/stat, all its
 * threads) over the keys, minus its background rate (the 1 s sidebar clock
 * and the 4 Hz status evaluation) measured over an idle stretch, per frame,
 * in µs, compared with a frame budget of 16 ms (60 Hz). Also the output
 * bytes per frame and the key-to-drawn latency.
 *   usage: bench_frame PATH/TO/shoal [FRAMES] */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define ROWS 80
#define COLS 300
#define NTASKS 100
#define WORKERS 12
#define BUDGET_US 16000.0

static char dir[512], repo[600];
static int mfd = -1;
static pid_t child;
static size_t nout;

static void die(const char *what)
{
	fprintf(stderr, "bench_frame: %s\n", what);
	if (child > 0)
		kill(child, SIGKILL);
	if (dir[0]) {
		char *c = xasprintf("rm -rf '%s'", dir);
		(void)!system(c);
		free(c);
	}
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The child's CPU time (user + system, all threads) in ms. */
static double cpu_ms(void)
{
	char p[64], buf[2048];
	snprintf(p, sizeof p, "/proc/%d/stat", (int)child);
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		die("cannot read the shoal process's /proc stat");
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		die("cannot read the shoal process's /proc stat");
	buf[n] = 0;
	char *s = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	/* after ") ": state, then fields 4.. ; utime is field 14, stime 15 */
	if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		die("cannot parse /proc stat");
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* Reads what is there within wait_ms; returns bytes read. */
static size_t drain(int wait_ms)
{
	char buf[65536];
	size_t got = 0;
	struct pollfd p = { mfd, POLLIN, 0 };
	while (poll(&p, 1, wait_ms) > 0) {
		ssize_t n = read(mfd, buf, sizeof buf);
		if (n <= 0)
			break;
		got += (size_t)n;
		wait_ms = 0;
	}
	nout += got;
	return got;
}

/* Waits for output (up to first_ms), then until quiet_ms pass without any. */
static int settle(int first_ms, int quiet_ms)
{
	double end = now_ms() + first_ms;
	while (!drain(5))
		if (now_ms() > end)
			return -1;
	while (drain(quiet_ms))
		;
	return 0;
}

static int count_running(void)
{
	char *p = xasprintf("%s/.shoal/state.json", repo);
	size_t n;
	char *s = util_read_file(p, &n, NULL);
	free(p);
	int c = 0;
	for (char *q = s; q && (q = strstr(q, "\"running\"")); q++)
		c++;
	free(s);
	return c;
}

static void key(const char *k)
{
	if (write(mfd, k, strlen(k)) < 0)
		die("cannot write to the pty");
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct result {
	const char *name;
	int frames;
	double cpu_us, bytes, lat_med;
};

/* Presses keys[k % nkeys] n times, one frame each. */
static struct result measure(const char *name, const char *const *keys, int nkeys, int n,
			     double bg_per_ms)
{
	double *lat = xcalloc((size_t)n, sizeof *lat);
	size_t b0 = nout;
	double c0 = cpu_ms(), w0 = now_ms();
	int frames = 0;
	for (int k = 0; k < n; k++) {
		double t = now_ms();
		key(keys[k % nkeys]);
		if (settle(1000, 12) < 0)
			die("a key drew nothing within 1 s");
		lat[k] = now_ms() - t;
		frames++;
	}
	double c1 = cpu_ms(), w1 = now_ms();
	qsort(lat, (size_t)n, sizeof *lat, cmp_d);
	struct result r = { .name = name, .frames = frames };
	double cpu = (c1 - c0) - bg_per_ms * (w1 - w0);
	r.cpu_us = (cpu < 0 ? 0 : cpu) * 1000.0 / frames;
	r.bytes = (double)(nout - b0) / frames;
	r.lat_med = lat[n / 2];
	free(lat);
	return r;
}

static void write_plan(void)
{
	char *p = xasprintf("%s/shoal.json", repo);
	FILE *f = fopen(p, "w");
	free(p);
	if (!f)
		die("cannot write the plan");
	fprintf(f, "{ \"name\": \"bench100\", \"max_workers\": %d, \"idle_after\": 3600,\n"
		   "  \"tasks\": [\n", WORKERS);
	for (int i = 0; i < NTASKS; i++) {
		fprintf(f, "    { \"id\": \"task-%03d\", \"title\": \"generated task %d of the frame bench\", ", i, i);
		if (i >= 20)
			fprintf(f, "\"depends_on\": [\"task-%03d\"], ", i - 20);
		fprintf(f, "\"command\": [\"sh\", \"-c\", \"i=0; while [ $i -lt 60 ]; do "
			   "printf '\\\\033[3%%dm%%s\\\\033[0m line %%d: compiling module %%d\\\\n' "
			   "$((i %% 7 + 1)) {id} $i $i; i=$((i + 1)); done; exec sleep 600\"] }%s\n",
			i + 1 < NTASKS ? "," : "");
	}
	fprintf(f, "] }\n");
	if (fclose(f) != 0)
		die("cannot write the plan");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_frame PATH/TO/shoal [FRAMES]\n");
		return 2;
	}
	char shoal[4096];
	if (!realpath(argv[1], shoal))
		die("the shoal binary is missing");
	int nf = argc > 2 ? atoi(argv[2]) : 200;
	if (nf < 10)
		nf = 10;
	const char *t = getenv("TMPDIR");
	if (!t)
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/shoal-bframe-XXXXXX", t);
	if (!mkdtemp(dir))
		die("mkdtemp failed");
	snprintf(repo, sizeof repo, "%s/repo", dir);
	char *cmd = xasprintf("git init -q -b main '%s' && cd '%s' && git config user.name bench && "
			      "git config user.email bench@shoal.invalid && echo hi >README && "
			      "printf '.shoal/\\n' >.gitignore && git add -A && git commit -qm init",
			      repo, repo);
	if (system(cmd) != 0)
		die("git init failed");
	free(cmd);
	write_plan();

	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	child = forkpty(&mfd, NULL, NULL, &ws);
	if (child < 0)
		die("forkpty failed");
	if (child == 0) {
		if (chdir(repo) < 0)
			_exit(127);
		setenv("TERM", "xterm-256color", 1);
		setenv("SHOAL_CONFIG", "/nonexistent/shoal-bench-config.json", 1);
		execl(shoal, "shoal", (char *)NULL);
		_exit(127);
	}
	signal(SIGPIPE, SIG_IGN);
	if (settle(10000, 300) < 0)
		die("the dashboard drew nothing");
	key("n");
	double end = now_ms() + 60000;
	while (count_running() < WORKERS) {
		drain(20);
		if (now_ms() > end)
			die("12 agents did not start within 60 s");
	}
	/* their 60 lines drawn, the start-up done */
	double q_end = now_ms() + 1500;
	while (now_ms() < q_end)
		drain(20);

	/* the background: the sidebar clock, status evaluation */
	double c0 = cpu_ms(), w0 = now_ms();
	while (now_ms() - w0 < 3000)
		drain(20);
	double bg = (cpu_ms() - c0) / (now_ms() - w0);

	static const char *const jk[] = { "j", "k" };
	static const char *const sp[] = { " " };
	static const char *const help[] = { "?", "q" };
	struct result r[3];
	r[0] = measure("sidebar: selection moves (j / k)", jk, 2, nf, bg);
	r[1] = measure("full frame: next layout (space)", sp, 1, nf / 2, bg);
	r[2] = measure("full frame: help view open / close (? q)", help, 2, nf / 2, bg);

	key("q");
	drain(300);
	key("y");
	int st = 0;
	for (int k = 0; k < 100 && waitpid(child, &st, WNOHANG) == 0; k++)
		drain(50);
	if (waitpid(child, &st, WNOHANG) == 0) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
	}
	child = 0;

	printf("dashboard, %d tasks (%d running in tiles), %dx%d terminal; CPU per frame of the shoal process\n",
	       NTASKS, WORKERS, COLS, ROWS);
	printf("%-44s %7s %12s %10s %10s %12s\n", "frame", "frames", "cost", "budget", "ratio", "bytes/frame");
	for (int k = 0; k < 3; k++)
		printf("%-44s %7d %9.0f us %7.0f us %9.3fx %12.0f\n", r[k].name, r[k].frames, r[k].cpu_us,
		       BUDGET_US, r[k].cpu_us / BUDGET_US, r[k].bytes);
	printf("(key to drawn, median: %.1f / %.1f / %.1f ms, including the pty and the 16 ms frame cap;\n"
	       " background %.2f ms CPU per s subtracted; /proc ticks are %ld per s: more frames, more precision:\n"
	       " bench_frame SHOAL FRAMES; ratio = cost / budget)\n",
	       r[0].lat_med, r[1].lat_med, r[2].lat_med, bg * 1000.0, sysconf(_SC_CLK_TCK));
	char *rm = xasprintf("rm -rf '%s'", dir);
	(void)!system(rm);
	free(rm);
	return 0;
}
