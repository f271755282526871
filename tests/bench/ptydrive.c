/* ptydrive — the benchmark driver for the terminal engine (shoal exec, tmux,
 * or a raw command): runs a program in a pseudo-terminal of its own (200x50
 * by default), drains everything it draws, and measures.
 *
 *   ptydrive [opts] -- CMD [ARG...]
 *     -r ROWS -c COLS   pty size (50 x 200)
 *     -m MARK           wait until MARK appears in the output (repeatable:
 *                       all must appear); prints "time SECONDS"
 *     -T SECONDS        give up after this long (60); exit 1
 *     -e N              after the marks: N key-echo probes: send an
 *                       uppercase letter, time until it is drawn; prints
 *                       "echo_median_ms X echo_p90_ms Y"
 *     -w SECONDS        after the marks (and probes): sample the context
 *                       switches of PID (-P, default the child) over SECONDS;
 *                       prints "wakeups N"
 *     -R PIDS           after all that: print "rss_kb N", the summed VmRSS of
 *                       the comma-separated PIDS (0 = the child)
 *     -P PID            the process whose wakeups are counted
 *     -q BYTES          send BYTES (C escapes \a \x07 \n) at the end
 *   ptydrive --gen-sgr FILE MIB   write MIB MiB of SGR-coloured text lines
 *
 * The child gets SIGHUP (then SIGKILL) when the driver ends. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int gen_sgr(const char *path, long mib)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	static const char *const words[] = { "alpha", "bravo", "charlie", "delta", "echo",
					     "foxtrot", "golf", "hotel", "india", "juliet",
					     "kilo", "lima", "mike", "november", "oscar", "papa" };
	unsigned long long x = 88172645463325252ULL, total = 0, limit = (unsigned long long)mib << 20;
	long line = 0;
	char buf[512];
	while (total < limit) {
		int n = snprintf(buf, sizeof buf, "\033[1;3%dm%08ld\033[0m ", (int)(line % 7) + 1, line);
		while (n < 150) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			int c = (int)(x % 6);
			const char *w = words[(x >> 8) % 16];
			if (c == 0)
				n += snprintf(buf + n, sizeof buf - (size_t)n, "\033[38;5;%dm%s\033[39m ",
					      (int)((x >> 16) % 256), w);
			else if (c == 1)
				n += snprintf(buf + n, sizeof buf - (size_t)n, "\033[4;3%dm%s\033[0m ",
					      (int)((x >> 16) % 8), w);
			else
				n += snprintf(buf + n, sizeof buf - (size_t)n, "%s ", w);
		}
		buf[n++] = '\n';
		fwrite(buf, 1, (size_t)n, f);
		total += (unsigned long long)n;
		line++;
	}
	return fclose(f) ? 1 : 0;
}

static long ctxt(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long sum = 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "voluntary_ctxt_switches:", 24) ||
		    !strncmp(line, "nonvoluntary_ctxt_switches:", 27))
			sum += atol(strchr(line, ':') + 1);
	fclose(f);
	return sum;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long v = -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			v = atol(line + 6);
	fclose(f);
	return v;
}

static int master = -1;
static pid_t child;

/* Reads what is there; returns bytes read, -1 at EOF. */
static ssize_t drain(char *buf, size_t cap, int timeout_ms)
{
	struct pollfd pf = { .fd = master, .events = POLLIN };
	int r = poll(&pf, 1, timeout_ms);
	if (r <= 0)
		return 0;
	ssize_t n = read(master, buf, cap);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	return n;
}

static void unescape(const char *s, char *out, size_t *len)
{
	size_t k = 0;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			if (*s == 'a')
				out[k++] = 7;
			else if (*s == 'n')
				out[k++] = '\n';
			else if (*s == 'r')
				out[k++] = '\r';
			else if (*s == 'x' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
				char h[3] = { s[1], s[2], 0 };
				out[k++] = (char)strtol(h, NULL, 16);
				s += 2;
			} else
				out[k++] = *s;
		} else
			out[k++] = *s;
	}
	*len = k;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void finish(void)
{
	if (child > 0) {
		kill(-child, SIGHUP);
		kill(child, SIGHUP);
		for (int i = 0; i < 100; i++) {
			char buf[65536];
			drain(buf, sizeof buf, 10);
			if (waitpid(child, NULL, WNOHANG) == child) {
				child = 0;
				break;
			}
		}
		if (child > 0) {
			kill(-child, SIGKILL);
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--gen-sgr"))
		return gen_sgr(argv[2], atol(argv[3]));
	int rows = 50, cols = 200, probes = 0;
	double timeout = 60, wait_s = 0;
	const char *marks[16];
	int nmarks = 0;
	const char *quit = NULL, *rss = NULL;
	const char *wpids = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "r:c:m:T:e:w:R:P:q:")) != -1) {
		switch (opt) {
		case 'r': rows = atoi(optarg); break;
		case 'c': cols = atoi(optarg); break;
		case 'm': if (nmarks < 16) marks[nmarks++] = optarg; break;
		case 'T': timeout = atof(optarg); break;
		case 'e': probes = atoi(optarg); break;
		case 'w': wait_s = atof(optarg); break;
		case 'R': rss = optarg; break;
		case 'P': wpids = optarg; break;
		case 'q': quit = optarg; break;
		default: fprintf(stderr, "ptydrive: bad option\n"); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: ptydrive [opts] -- CMD [ARG...]\n");
		return 2;
	}
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	double t0 = now();
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		return 1;
	}
	if (child == 0) {
		setenv("TERM", "xterm-256color", 1);
		unsetenv("TMUX");
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	int rc = 0;
	/* Wait for every mark; keep a tail so a mark split across reads is found. */
	int found[16] = { 0 }, nfound = 0;
	static char buf[1 << 17];
	char tail[256] = "";
	size_t tl = 0;
	while (nfound < nmarks) {
		if (now() - t0 > timeout) {
			fprintf(stderr, "ptydrive: timeout waiting for marks\n");
			rc = 1;
			goto out;
		}
		ssize_t n = drain(buf + tl, sizeof buf - tl - 1, 100);
		if (n < 0) {
			fprintf(stderr, "ptydrive: EOF before the marks\n");
			rc = 1;
			goto out;
		}
		if (n == 0)
			continue;
		memcpy(buf, tail, tl);
		size_t len = tl + (size_t)n;
		buf[len] = 0;
		for (int i = 0; i < nmarks; i++)
			if (!found[i] && memmem(buf, len, marks[i], strlen(marks[i])))
				found[i] = 1, nfound++;
		tl = len < 200 ? len : 200;
		memcpy(tail, buf + len - tl, tl);
	}
	if (nmarks)
		printf("time %.3f\n", now() - t0);
	if (probes > 0) {
		double *lat = calloc((size_t)probes, sizeof *lat);
		int got = 0;
		for (int i = 0; i < probes; i++) {
			/* Let the flood go on between probes; drain meanwhile. */
			double until = now() + 0.03;
			while (now() < until)
				drain(buf, sizeof buf, 5);
			char k = (char)('A' + i % 26);
			if (k == 'C')
				k = 'X';
			double s = now();
			if (write(master, &k, 1) != 1)
				break;
			int seen = 0;
			while (!seen && now() - s < 2.0) {
				ssize_t n = drain(buf, sizeof buf, 50);
				if (n < 0)
					break;
				if (n > 0 && memchr(buf, k, (size_t)n))
					seen = 1;
			}
			if (seen)
				lat[got++] = (now() - s) * 1000;
		}
		qsort(lat, (size_t)got, sizeof *lat, cmp_d);
		if (got)
			printf("echo_median_ms %.3f echo_p90_ms %.3f echo_n %d\n", lat[got / 2],
			       lat[(got * 9) / 10 < got ? (got * 9) / 10 : got - 1], got);
		else {
			printf("echo_median_ms nan\n");
			rc = 1;
		}
		free(lat);
	}
	if (wait_s > 0) {
		/* Settle, then count. Keep draining (nothing should come). */
		double until = now() + 1.0;
		while (now() < until)
			drain(buf, sizeof buf, 50);
		pid_t ps[16];
		long a[16];
		int np = 0;
		char *list = strdup(wpids ? wpids : "0"), *save = NULL;
		for (char *t = strtok_r(list, ",", &save); t && np < 16; t = strtok_r(NULL, ",", &save)) {
			ps[np] = atoi(t) ? (pid_t)atoi(t) : child;
			a[np] = ctxt(ps[np]);
			np++;
		}
		free(list);
		until = now() + wait_s;
		while (now() < until)
			drain(buf, sizeof buf, 200);
		long sum = 0;
		for (int i = 0; i < np; i++) {
			long b = ctxt(ps[i]);
			if (a[i] < 0 || b < 0)
				sum = -1000000;
			sum += b - a[i];
		}
		printf("wakeups %ld\n", sum < 0 ? -1 : sum);
	}
	if (rss) {
		long sum = 0;
		char *list = strdup(rss), *save = NULL;
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			pid_t p = (pid_t)atoi(t);
			long v = rss_kb(p ? p : child);
			if (v > 0)
				sum += v;
		}
		free(list);
		printf("rss_kb %ld\n", sum);
	}
	if (quit) {
		char q[256];
		size_t ql;
		unescape(quit, q, &ql);
		if (write(master, q, ql) < 0)
			perror("write");
		double until = now() + 2;
		while (now() < until) {
			if (waitpid(child, NULL, WNOHANG) == child) {
				child = 0;
				break;
			}
			drain(buf, sizeof buf, 20);
		}
	}
out:
	finish();
	fflush(stdout);
	return rc;
}
