/* test_dagdraw — the drawn DAG: exact drawings of small graphs (a chain, a
 * diamond, an edge skipping a wave, two independent chains), the roles of
 * the critical path, and on random 100-task DAGs a walk over the canvas
 * proving every edge drawn joins exactly its two tasks and no label is
 * overwritten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "dagdraw.h"
#include "util.h"

static const char *const letters[] = { "a", "b", "c", "d", "e", "f", "g", "h" };

/* Graph of n tasks; edges[k] = { task, dependency }. */
static void build(struct dag *g, int n, const int (*edges)[2], int nedges)
{
	int **deps = xcalloc((size_t)n, sizeof *deps);
	int *nd = xcalloc((size_t)n, sizeof *nd);
	for (int i = 0; i < n; i++)
		deps[i] = xcalloc((size_t)nedges + 1, sizeof(int));
	for (int e = 0; e < nedges; e++)
		deps[edges[e][0]][nd[edges[e][0]]++] = edges[e][1];
	dag_init(g, n, deps, nd);
	assert_int_equal(dag_layer(g), 0);
	for (int i = 0; i < n; i++)
		free(deps[i]);
	free(deps);
	free(nd);
}

/* The drawing as text, rows joined by '\n'. */
static char *draw_text(const struct dagdraw *dd)
{
	struct sbuf b = { 0 };
	for (int y = 0; y < dd->h; y++) {
		char *r = dagdraw_row_text(dd, y);
		sbuf_printf(&b, "%s\n", r);
		free(r);
	}
	return sbuf_steal(&b);
}

static void check_drawing(int n, const int (*edges)[2], int nedges, const char *want)
{
	struct dag g;
	build(&g, n, edges, nedges);
	struct dagdraw dd;
	struct err e = { { 0 } };
	assert_int_equal(dagdraw_build(&dd, &g, letters, NULL, NULL, 0, &e), 0);
	char *got = draw_text(&dd);
	if (strcmp(got, want))
		print_message("got:\n%s", got);
	assert_string_equal(got, want);
	free(got);
	dagdraw_free(&dd);
	dag_free(&g);
}

static void test_chain(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 2, 1 } };
	check_drawing(3, e, 2,
		      "wave 1      wave 2      wave 3\n"
		      "\n"
		      "· a ────┐           ┌─▶ · c\n"
		      "        └─▶ · b ────┘\n");
}

static void test_diamond(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 2, 0 }, { 3, 1 }, { 3, 2 } };
	check_drawing(4, e, 4,
		      "wave 1       wave 2       wave 3\n"
		      "\n"
		      "· a ────┬┐\n"
		      "        │└─▶ · b ────┐\n"
		      "        │            └┬─▶ · d\n"
		      "        └──▶ · c ─────┘\n");
}

static void test_skip_edge(void **s)
{
	(void)s;
	/* a -> b -> c and a -> c: the long edge passes wave 2 on a row of its own */
	const int e[][2] = { { 1, 0 }, { 2, 1 }, { 2, 0 } };
	check_drawing(3, e, 3,
		      "wave 1       wave 2       wave 3\n"
		      "\n"
		      "· a ────┬┐\n"
		      "        │└─▶ · b ────┐\n"
		      "        │            └┬─▶ · c\n"
		      "        └─────────────┘\n");
}

static void test_two_chains(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 2, 1 }, { 4, 3 }, { 5, 4 } };
	/* (the two chains' tracks share a column: their rows do not overlap) */
	check_drawing(6, e, 4,
		      "wave 1      wave 2      wave 3\n"
		      "\n"
		      "· a ────┐           ┌─▶ · c\n"
		      "        └─▶ · b ────┘\n"
		      "· d ────┐           ┌─▶ · f\n"
		      "        └─▶ · e ────┘\n");
}

static void test_single_and_roles(void **s)
{
	(void)s;
	/* one task: just its label */
	struct dag g;
	build(&g, 1, NULL, 0);
	struct dagdraw dd;
	const char *gl[] = { "✓", "●", "·" };
	assert_int_equal(dagdraw_build(&dd, &g, letters, gl, NULL, 0, NULL), 0);
	char *t = draw_text(&dd);
	assert_string_equal(t, "wave 1\n\n✓ a\n");
	free(t);
	dagdraw_free(&dd);
	dag_free(&g);

	/* chain a -> b -> c with only a -> b given as critical */
	const int e[][2] = { { 1, 0 }, { 2, 1 } };
	build(&g, 3, e, 2);
	int path[3];
	assert_int_equal(dag_critical_path(&g, path), 3);
	assert_int_equal(dagdraw_build(&dd, &g, letters, gl, path, 2, NULL), 0);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[0], dd.node_x[0])->role, DAGDRAW_GLYPH);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[0], dd.node_x[0])->cp, 0x2713);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[0], dd.node_x[0] + 2)->role, DAGDRAW_NODE_CRIT);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[1], dd.node_x[1] + 2)->role, DAGDRAW_NODE_CRIT);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[2], dd.node_x[2] + 2)->role, DAGDRAW_NODE);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[2], dd.node_x[2] + 2)->task, 2);
	/* a -> b's line is critical, b -> c's is not */
	assert_int_equal(dagdraw_at(&dd, dd.node_y[0], dd.node_x[0] + 5)->role, DAGDRAW_EDGE_CRIT);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[1], dd.node_x[1] - 2)->cp, 0x25b6);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[1], dd.node_x[1] - 2)->role, DAGDRAW_EDGE_CRIT);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[1], dd.node_x[1] + 5)->role, DAGDRAW_EDGE);
	assert_int_equal(dagdraw_at(&dd, dd.node_y[2], dd.node_x[2] - 2)->role, DAGDRAW_EDGE);
	/* runs of row a: glyph, blank, id, blank, edge, blank, edge into c ... */
	int *lens, *tasks;
	unsigned char *roles;
	int nr = dagdraw_row_runs(&dd, dd.node_y[0], &lens, &roles, &tasks);
	/* (c shares the row: the chain zig-zags between two rows) */
	assert_int_equal(nr, 11);
	assert_int_equal(roles[8], DAGDRAW_GLYPH);
	assert_int_equal(tasks[8], 2);
	assert_int_equal(roles[10], DAGDRAW_NODE);
	assert_int_equal(roles[0], DAGDRAW_GLYPH);
	assert_int_equal(lens[0], 3); /* ✓ */
	assert_int_equal(tasks[0], 0);
	assert_int_equal(roles[2], DAGDRAW_NODE_CRIT);
	assert_int_equal(roles[4], DAGDRAW_EDGE_CRIT);
	char *row = dagdraw_row_text(&dd, dd.node_y[0]);
	int sum = 0;
	for (int k = 0; k < nr; k++)
		sum += lens[k];
	assert_int_equal(sum, (int)strlen(row));
	free(row);
	free(lens);
	free(roles);
	free(tasks);
	dagdraw_free(&dd);
	dag_free(&g);
}

static void test_cycle_refused(void **s)
{
	(void)s;
	int *deps[2] = { (int[]){ 1 }, (int[]){ 0 } };
	int nd[2] = { 1, 1 };
	struct dag g;
	dag_init(&g, 2, deps, nd);
	assert_int_equal(dag_layer(&g), -1);
	struct dagdraw dd;
	struct err er = { { 0 } };
	assert_int_equal(dagdraw_build(&dd, &g, letters, NULL, NULL, 0, &er), -1);
	assert_non_null(strstr(er.msg, "cycle"));
	dag_free(&g);
}

/* ---- the canvas walk ---- */

enum { U = 1, D = 2, L = 4, R = 8 };

static unsigned arms_of(uint32_t cp)
{
	switch (cp) {
	case 0x2500: return L | R;
	case 0x2502: return U | D;
	case 0x250c: return D | R;
	case 0x2510: return D | L;
	case 0x2514: return U | R;
	case 0x2518: return U | L;
	case 0x251c: return U | D | R;
	case 0x2524: return U | D | L;
	case 0x252c: return L | R | D;
	case 0x2534: return L | R | U;
	case 0x253c: return U | D | L | R;
	case 0x25b6: return L; /* the arrow head ends a line */
	default: return 0;
	}
}

static int is_line(const struct dagdraw *dd, int y, int x)
{
	if (y < 0 || y >= dd->h || x < 0 || x >= dd->w)
		return 0;
	const struct dagdraw_cell *c = dagdraw_at(dd, y, x);
	return c->role == DAGDRAW_EDGE || c->role == DAGDRAW_EDGE_CRIT;
}

/* Follows lines from (y, x), entered moving in direction dir, the way a
 * reader does: lines flow rightwards (never move left); on a task's
 * outgoing line (out = 1) every branch up or down is a fan-out and is
 * followed; once a vertical has been followed to its end, the line runs
 * into a task (out = 0), where branches up or down are other lines joining
 * (fan-in) and are passed, and only a corner (a line through a skipped
 * wave turning) is followed. A crossing (┼) is passed straight. Marks each
 * task reached in hit[]. */
static void walk(const struct dagdraw *dd, int y, int x, unsigned dir, int out,
		 unsigned char *seen, unsigned char *hit)
{
	if (!is_line(dd, y, x))
		fail_msg("line broken at row %d col %d", y, x);
	const struct dagdraw_cell *c = dagdraw_at(dd, y, x);
	unsigned a = arms_of(c->cp);
	unsigned from = dir == R ? L : dir == L ? R : dir == D ? U : D;
	if (!(a & from))
		fail_msg("line at row %d col %d (U+%04X) does not connect to where it came from", y, x,
			 (unsigned)c->cp);
	size_t k = (((size_t)y * (size_t)dd->w + (size_t)x) * 4 + (dir == R ? 0 : dir == U ? 1 : 2)) * 2 +
		   (size_t)out;
	if (seen[k])
		return;
	seen[k] = 1;
	if (c->cp == 0x25b6) {
		const struct dagdraw_cell *t = dagdraw_at(dd, y, x + 2);
		assert_int_equal(dagdraw_at(dd, y, x + 1)->cp, ' ');
		assert_int_equal(t->role, DAGDRAW_GLYPH);
		hit[t->task] = 1;
		return;
	}
	unsigned go = a & ~from;
	if (a == (U | D | L | R)) {
		go = dir; /* a crossing */
	} else if (dir == R && !out && (a & R)) {
		go = R; /* a fan-in joining */
	} else if (dir == U || dir == D) {
		if (a & (U | D) & ~from) {
			go = dir; /* still on the vertical */
		} else {
			if (!(a & R))
				fail_msg("vertical ends without turning right at row %d col %d", y, x);
			go = R;
			out = 0;
		}
	}
	if (go & R)
		walk(dd, y, x + 1, R, out, seen, hit);
	if (go & U)
		walk(dd, y - 1, x, U, out, seen, hit);
	if (go & D)
		walk(dd, y + 1, x, D, out, seen, hit);
}

static void check_walk(const struct dag *g, const char *const *ids, const struct dagdraw *dd)
{
	int n = g->n;
	size_t ncell = (size_t)dd->w * (size_t)dd->h;
	unsigned char *seen = xcalloc(ncell * 8, 1);
	unsigned char *hit = xcalloc((size_t)n, 1);
	if (getenv("DAGDRAW_DUMP")) {
		char *t = draw_text(dd);
		fputs(t, stderr);
		free(t);
	}
	int arrows = 0, wanted_arrows = 0;
	/* labels intact */
	for (int i = 0; i < n; i++) {
		int y = dd->node_y[i], x = dd->node_x[i];
		assert_int_equal(dagdraw_at(dd, y, x)->role, DAGDRAW_GLYPH);
		assert_int_equal(dagdraw_at(dd, y, x)->task, i);
		assert_int_equal(dagdraw_at(dd, y, x + 1)->cp, ' ');
		for (int k = 0; ids[i][k]; k++) {
			assert_int_equal(dagdraw_at(dd, y, x + 2 + k)->cp, (uint32_t)ids[i][k]);
			assert_int_equal(dagdraw_at(dd, y, x + 2 + k)->task, i);
		}
		wanted_arrows += g->dep_start[i + 1] > g->dep_start[i];
	}
	for (size_t c = 0; c < ncell; c++)
		arrows += dd->cells[c].cp == 0x25b6;
	assert_int_equal(arrows, wanted_arrows); /* one arrow head per task with deps */
	for (int i = 0; i < n; i++) {
		int nout = g->rdep_start[i + 1] - g->rdep_start[i];
		int x = dd->node_x[i] + 2 + (int)strlen(ids[i]);
		memset(seen, 0, ncell * 8);
		memset(hit, 0, (size_t)n);
		if (nout == 0) {
			assert_false(is_line(dd, dd->node_y[i], x + 1));
			continue;
		}
		assert_int_equal(dagdraw_at(dd, dd->node_y[i], x)->cp, ' ');
		walk(dd, dd->node_y[i], x + 1, R, 1, seen, hit);
		/* reached exactly the dependents */
		for (int t = 0; t < n; t++) {
			int want = 0;
			for (int k = g->rdep_start[i]; k < g->rdep_start[i + 1]; k++)
				want |= g->rdep[k] == t;
			if (want != hit[t])
				fail_msg("from %s: %s %s", ids[i], ids[t], want ? "not reached" : "reached but no edge");
		}
	}
	free(seen);
	free(hit);
}

static void test_small_walks(void **s)
{
	(void)s;
	const int e[][2] = { { 2, 0 }, { 3, 1 }, { 2, 1 }, { 3, 0 }, { 4, 2 },
			     { 5, 3 }, { 6, 0 }, { 7, 6 }, { 7, 2 }, { 7, 1 } };
	struct dag g;
	build(&g, 8, e, 10);
	struct dagdraw dd;
	assert_int_equal(dagdraw_build(&dd, &g, letters, NULL, NULL, 0, NULL), 0);
	check_walk(&g, letters, &dd);
	assert_true(dd.crossings > 0); /* K2,2 between a,b and c,d cannot be planar here */
	dagdraw_free(&dd);
	dag_free(&g);
}

static uint32_t rnd_state;
static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void test_random_100(void **s)
{
	(void)s;
	enum { N = 100 };
	char names[N][16];
	const char *ids[N];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "task-%d", i);
		ids[i] = names[i];
	}
	for (uint32_t seed = 1; seed <= 12; seed++) {
		rnd_state = seed;
		int (*edges)[2] = xmalloc(N * 4 * sizeof *edges);
		int ne = 0;
		for (int i = 1; i < N; i++) {
			int k = (int)(rnd() % 4); /* 0..3 dependencies on earlier tasks */
			for (int j = 0; j < k; j++)
				edges[ne][0] = i, edges[ne][1] = (int)(rnd() % (uint32_t)i), ne++;
		}
		struct dag g;
		build(&g, N, edges, ne);
		int path[N];
		int np = dag_critical_path(&g, path);
		struct dagdraw dd;
		assert_int_equal(dagdraw_build(&dd, &g, ids, NULL, path, np, NULL), 0);
		check_walk(&g, ids, &dd);
		/* the critical path's nodes are marked, and the line out of each
		 * of them towards the next starts critical */
		for (int k = 0; k < np; k++)
			assert_int_equal(dagdraw_at(&dd, dd.node_y[path[k]], dd.node_x[path[k]] + 2)->role,
					 DAGDRAW_NODE_CRIT);
		for (int k = 0; k + 1 < np; k++) {
			int i = path[k];
			int x = dd.node_x[i] + 3 + (int)strlen(ids[i]);
			assert_int_equal(dagdraw_at(&dd, dd.node_y[i], x)->role, DAGDRAW_EDGE_CRIT);
		}
		dagdraw_free(&dd);
		dag_free(&g);
		free(edges);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),      cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_skip_edge),  cmocka_unit_test(test_two_chains),
		cmocka_unit_test(test_single_and_roles), cmocka_unit_test(test_cycle_refused),
		cmocka_unit_test(test_small_walks), cmocka_unit_test(test_random_100),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
