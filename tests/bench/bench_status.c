/* bench_status — what status detection costs per pane: status_eval with the
 * claude profile's rules (7 waiting + 3 busy regexes over the last 30 screen
 * lines, the title check) on a 50x200 screen, in the C and the UTF-8 locale
 * (the dashboard runs in the user's, usually UTF-8, where glibc regexec is
 * slower). Compared with hashing the whole screen (FNV-1a; claude-squad
 * hashes the screen with SHA-256 every 500 ms, which costs more than FNV),
 * and with the frame budget: 100 panes evaluated within one 16.7 ms frame. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "status.h"

enum { ROWS = 50, COLS = 200, RUNS = 7, ITERS = 2000 };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static char *lines_buf[ROWS];

static void make_screen(int with_prompt)
{
	for (int i = 0; i < ROWS; i++) {
		free(lines_buf[i]);
		char *l = xmalloc(COLS + 1);
		int n = snprintf(l, COLS + 1, "  src/module_%02d.c:%d:%d: note: building object obj/unit_%05d.o "
					       "from the sources with -O2 -g -Wall \xe2\x94\x82 %d%% ", i, i * 7, i % 80, i, i * 2);
		for (; n < COLS; n++)
			l[n] = "abcdefghij klmnopqrst"[n % 21];
		l[COLS] = 0;
		lines_buf[i] = l;
	}
	if (with_prompt)
		snprintf(lines_buf[ROWS - 3], COLS + 1, "\xe2\x94\x82 Do you want to proceed?");
}

static double median_ns(const struct status_rules *r, int hash_only)
{
	uint64_t t[RUNS];
	struct status_activity a;
	status_activity_start(&a, 0);
	struct status_in in = { .now_ms = 60000, .alive = 1, .act = &a,
				.title = "\xe2\x9c\xb3 Claude Code", .lines = (const char *const *)lines_buf,
				.nlines = ROWS };
	volatile uint64_t sink = 0;
	for (int k = 0; k < RUNS; k++) {
		uint64_t t0 = util_now_ns();
		for (int it = 0; it < ITERS; it++) {
			if (hash_only) {
				uint64_t h = 0;
				for (int i = 0; i < ROWS; i++)
					h ^= state_fnv1a64(lines_buf[i], strlen(lines_buf[i]));
				sink += h;
			} else {
				struct status_out o;
				status_eval(r, &in, &o);
				sink += o.st;
			}
		}
		t[k] = (util_now_ns() - t0) / ITERS;
	}
	(void)sink;
	qsort(t, RUNS, sizeof t[0], cmp_u64);
	return (double)t[RUNS / 2];
}

int main(void)
{
	const char *locs[] = { "C", "C.UTF-8" };
	printf("status detection per pane, 50x200 screen (median of %d runs of %d)\n", RUNS, ITERS);
	printf("  %-42s %12s %12s %8s %14s\n", "what", "per pane", "screen hash", "ratio", "100 panes/frame");
	for (size_t l = 0; l < 2; l++) {
		if (!setlocale(LC_ALL, locs[l]))
			continue;
		struct status_rules r;
		struct err e;
		if (status_rules_init(&r, "claude", NULL, NULL, 0, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		for (int prompt = 0; prompt < 2; prompt++) {
			make_screen(prompt);
			double ns = median_ns(&r, 0), hash = median_ns(&r, 1);
			char what[64];
			snprintf(what, sizeof what, "%s, %s", locs[l], prompt ? "prompt on screen" : "no match (worst case)");
			printf("  %-42s %10.1fus %10.1fus %7.1fx %13.1f%%\n", what, ns / 1e3, hash / 1e3, ns / hash,
			       100.0 * ns * 100 / 16.7e6);
		}
		status_rules_free(&r);
	}
	for (int i = 0; i < ROWS; i++)
		free(lines_buf[i]);
	return 0;
}
