/* bench_term — throughput of the terminal core (struct term: VTermState +
 * our grid) against libvterm's own VTermScreen, and scrollback memory.
 *
 * Inputs, generated in memory, deterministic:
 *  - seq: the output of `seq 1 3000000` as a pty delivers it (\r\n);
 *  - seqlf: the same bytes as the file (\n only: the lines staircase and
 *    wrap across the 200 columns; this is what the notes §15 measured);
 *  - sgr: 50 MiB of text with SGR colours (256-colour, RGB, bold...).
 * Both are fed in 64 KiB chunks to a 50x200 terminal. VTermScreen is set up
 * the way an embedder must use it (damage merge SCROLL, flush per chunk,
 * sb_pushline copying the line) and, being slow, gets a prefix of each
 * input; MiB/s figures are comparable. "VTermState, no-op callbacks" is the
 * parser + state machine alone: the ceiling for any grid under it.
 * Also: bytes per scrollback line for 100,000 lines of 67 columns (tmux
 * stores ~540 bytes per line).
 *
 * usage: bench_term [scale]   (scale < 1 shrinks every input, e.g. 0.1) */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vterm.h>

#include "term.h"
#include "util.h"

#define ROWS 50
#define COLS 200
#define CHUNK 65536

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *gen_seq(long n, const char *eol, size_t *len)
{
	struct sbuf b = { 0 };
	char tmp[32];
	for (long i = 1; i <= n; i++) {
		int k = snprintf(tmp, sizeof tmp, "%ld%s", i, eol);
		sbuf_add(&b, tmp, (size_t)k);
	}
	*len = b.len;
	return sbuf_steal(&b);
}

static char *gen_sgr(size_t target, size_t *len)
{
	static const char *const words[] = { "error", "warning:", "src/grid.c:123:", "PASS", "FAIL",
					     "the", "quick", "brown", "fox", "jumps", "over", "lazy",
					     "dog", "0x7f3a", "[ok]", "make", "test_term", "\xc3\xa9t\xc3\xa9" };
	struct sbuf b = { 0 };
	uint64_t s = 42;
	while (b.len < target) {
		int col = 0;
		while (col < 120) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			unsigned r = (unsigned)(s >> 33);
			switch (r % 6) {
			case 0:
				sbuf_printf(&b, "\033[38;5;%um", r % 256);
				break;
			case 1:
				sbuf_printf(&b, "\033[1;3%um", r % 8);
				break;
			case 2:
				sbuf_printf(&b, "\033[38;2;%u;%u;%um", r % 256, (r >> 8) % 256, (r >> 16) % 256);
				break;
			case 3:
				sbuf_adds(&b, "\033[0m");
				break;
			default:
				break;
			}
			const char *w = words[(r >> 4) % ARRAY_LEN(words)];
			sbuf_adds(&b, w);
			sbuf_addc(&b, ' ');
			col += (int)strlen(w) + 1;
		}
		sbuf_adds(&b, "\033[0m\r\n");
	}
	*len = b.len;
	return sbuf_steal(&b);
}

/* ---- ours ---- */

static double run_term(const char *s, size_t n)
{
	struct term *t = term_new(ROWS, COLS, 10000);
	double t0 = now();
	for (size_t i = 0; i < n; i += CHUNK) {
		size_t k = n - i < CHUNK ? n - i : CHUNK;
		term_feed(t, s + i, k);
		grid_damage_clear(term_grid(t)); /* what a frame does */
	}
	double dt = now() - t0;
	term_free(t);
	return dt;
}

/* ---- libvterm VTermScreen, the way an embedder uses it ---- */

struct sbcopy {
	VTermScreenCell *last;
	long pushed;
};

static int vs_push(int cols, const VTermScreenCell *cells, void *user)
{
	struct sbcopy *c = user;
	memcpy(c->last, cells, (size_t)cols * sizeof *cells);
	c->pushed++;
	return 1;
}

static int vs_prop(VTermProp p, VTermValue *v, void *u)
{
	(void)p;
	(void)v;
	(void)u;
	return 1;
}

static int vs_damage(VTermRect r, void *u)
{
	(void)r;
	(void)u;
	return 1;
}

static void vs_out(const char *s, size_t len, void *u)
{
	(void)s;
	(void)len;
	(void)u;
}

static double run_screen(const char *s, size_t n)
{
	static const VTermScreenCallbacks cbs = {
		.damage = vs_damage, .settermprop = vs_prop, .sb_pushline = vs_push
	};
	struct sbcopy c = { xcalloc(COLS, sizeof(VTermScreenCell)), 0 };
	VTerm *vt = vterm_new(ROWS, COLS);
	vterm_set_utf8(vt, 1);
	VTermScreen *vs = vterm_obtain_screen(vt);
	vterm_screen_set_callbacks(vs, &cbs, &c);
	vterm_screen_enable_altscreen(vs, 1);
	vterm_screen_set_damage_merge(vs, VTERM_DAMAGE_SCROLL);
	vterm_output_set_callback(vt, vs_out, NULL);
	vterm_screen_reset(vs, 1);
	double t0 = now();
	for (size_t i = 0; i < n; i += CHUNK) {
		size_t k = n - i < CHUNK ? n - i : CHUNK;
		vterm_input_write(vt, s + i, k);
		vterm_screen_flush_damage(vs);
	}
	double dt = now() - t0;
	vterm_free(vt);
	free(c.last);
	return dt;
}

/* ---- VTermState with callbacks that do nothing: the parser's ceiling ---- */

static int st_glyph(VTermGlyphInfo *i, VTermPos p, void *u)
{
	(void)i;
	(void)p;
	(void)u;
	return 1;
}
static int st_move(VTermPos p, VTermPos o, int v, void *u)
{
	(void)p;
	(void)o;
	(void)v;
	(void)u;
	return 1;
}
static int st_scroll(VTermRect r, int d, int rr, void *u)
{
	(void)r;
	(void)d;
	(void)rr;
	(void)u;
	return 1;
}
static int st_erase(VTermRect r, int s, void *u)
{
	(void)r;
	(void)s;
	(void)u;
	return 1;
}
static int st_pen(VTermAttr a, VTermValue *v, void *u)
{
	(void)a;
	(void)v;
	(void)u;
	return 1;
}

static double run_state(const char *s, size_t n)
{
	static const VTermStateCallbacks cbs = { .putglyph = st_glyph, .movecursor = st_move,
						 .scrollrect = st_scroll, .erase = st_erase,
						 .setpenattr = st_pen, .settermprop = vs_prop };
	VTerm *vt = vterm_new(ROWS, COLS);
	vterm_set_utf8(vt, 1);
	VTermState *st = vterm_obtain_state(vt);
	vterm_state_set_callbacks(st, &cbs, NULL);
	vterm_output_set_callback(vt, vs_out, NULL);
	vterm_state_reset(st, 1);
	double t0 = now();
	for (size_t i = 0; i < n; i += CHUNK) {
		size_t k = n - i < CHUNK ? n - i : CHUNK;
		vterm_input_write(vt, s + i, k);
	}
	double dt = now() - t0;
	vterm_free(vt);
	return dt;
}

static double mib(size_t n) { return (double)n / (1024.0 * 1024.0); }

static void row3(const char *input, const char *who, size_t n, double dt, double ref_rate)
{
	double rate = mib(n) / dt;
	printf("| %-6s | %-34s | %8.1f | %7.3f | %8.1f | %6.2fx |\n", input, who, mib(n), dt, rate,
	       ref_rate > 0 ? rate / ref_rate : 1.0);
}

static void bench_input(const char *name, const char *s, size_t n, double scale)
{
	size_t vs_n = (size_t)((strncmp(name, "seq", 3) == 0 ? 2.0 : 8.0) * 1024 * 1024 * (scale < 1 ? scale : 1));
	if (vs_n > n)
		vs_n = n;
	double d_screen = run_screen(s, vs_n);
	double r_screen = mib(vs_n) / d_screen;
	double d_state = run_state(s, n);
	double d_term = run_term(s, n);
	row3(name, "libvterm VTermScreen (prefix)", vs_n, d_screen, r_screen);
	row3(name, "VTermState, no-op callbacks", n, d_state, r_screen);
	row3(name, "shoal term (VTermState + grid)", n, d_term, r_screen);
}

static void bench_memory(void)
{
	const int lines = 100000;
	struct mallinfo2 m0 = mallinfo2();
	struct term *t = term_new(ROWS, 67, lines);
	struct mallinfo2 m1 = mallinfo2();
	char buf[128];
	for (int i = 0; i < lines + ROWS; i++) {
		/* exactly 67 columns of a realistic mix of text, then CR LF */
		char line[80];
		snprintf(line, sizeof line, "%06d: compiling src/module_%03d.c -> build/obj/module_%03d.o [ok]",
			 i, i % 997, i % 997);
		snprintf(buf, sizeof buf, "%-67.67s\r\n", line);
		term_feed(t, buf, 69);
	}
	struct mallinfo2 m2 = mallinfo2();
	struct grid *g = term_grid(t);
	int n = grid_sb_count(g);
	double enc = (double)grid_sb_bytes(g) / n;
	double heap = (double)(m2.uordblks - m1.uordblks) / n;
	printf("\nscrollback memory, %d lines of 67 columns (tmux: ~540 bytes/line)\n\n", n);
	printf("| measure                              | bytes/line | vs tmux |\n");
	printf("|--------------------------------------|-----------:|--------:|\n");
	printf("| encoded lines (grid_sb_bytes)        | %10.1f | %6.2fx |\n", enc, enc / 540.0);
	printf("| heap growth incl. malloc overhead    | %10.1f | %6.2fx |\n", heap, heap / 540.0);
	printf("| (a VTermScreenCell line would be)    | %10d | %6.2fx |\n", 67 * (int)sizeof(VTermScreenCell),
	       67.0 * (double)sizeof(VTermScreenCell) / 540.0);
	(void)m0;
	term_free(t);
}

int main(int argc, char **argv)
{
	double scale = argc > 1 ? atof(argv[1]) : 1.0;
	if (scale <= 0)
		scale = 1.0;
	size_t nseq, nlf, nsgr;
	char *seq = gen_seq((long)(3000000 * scale), "\r\n", &nseq);
	char *lf = gen_seq((long)(3000000 * scale), "\n", &nlf);
	char *sgr = gen_sgr((size_t)(50.0 * 1024 * 1024 * scale), &nsgr);
	printf("terminal core throughput, %dx%d, %d KiB chunks (ratio: vs VTermScreen)\n\n", ROWS, COLS,
	       CHUNK / 1024);
	printf("| input  | feeder                             |      MiB |       s |    MiB/s |  ratio |\n");
	printf("|--------|------------------------------------|---------:|--------:|---------:|-------:|\n");
	bench_input("seq", seq, nseq, scale);
	bench_input("seqlf", lf, nlf, scale);
	bench_input("sgr", sgr, nsgr, scale);
	bench_memory();
	free(seq);
	free(lf);
	free(sgr);
	return 0;
}
