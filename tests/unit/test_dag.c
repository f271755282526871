/* test_dag — waves, cycles, merge order, critical path and ready sets on
 * hand-made graphs, plus a property test on random DAGs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "util.h"

/* Builds a graph from "i:j,k;..." edges text: task i depends on j and k. */
static void build(struct dag *g, int n, const int (*edges)[2], int nedges)
{
	int **deps = xcalloc((size_t)n, sizeof *deps);
	int *nd = xcalloc((size_t)n, sizeof *nd);
	for (int i = 0; i < n; i++)
		deps[i] = xcalloc((size_t)nedges + 1, sizeof(int));
	for (int e = 0; e < nedges; e++) {
		int a = edges[e][0], b = edges[e][1];
		deps[a][nd[a]++] = b;
	}
	dag_init(g, n, deps, nd);
	for (int i = 0; i < n; i++)
		free(deps[i]);
	free(deps);
	free(nd);
}

static void test_chain(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 2, 1 }, { 3, 2 } };
	struct dag g;
	build(&g, 4, e, 4 - 1);
	assert_int_equal(dag_layer(&g), 0);
	assert_int_equal(g.nwaves, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(g.wave[i], i + 1);
	int path[4];
	assert_int_equal(dag_critical_path(&g, path), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(path[i], i);
	dag_free(&g);
}

static void test_diamond(void **s)
{
	(void)s;
	/* 0 <- 1, 0 <- 2, {1,2} <- 3, and 4 standalone */
	const int e[][2] = { { 1, 0 }, { 2, 0 }, { 3, 1 }, { 3, 2 } };
	struct dag g;
	build(&g, 5, e, 4);
	assert_int_equal(dag_layer(&g), 0);
	assert_int_equal(g.nwaves, 3);
	int want[] = { 1, 2, 2, 3, 1 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(g.wave[i], want[i]);
	int order[5];
	dag_merge_order(&g, order);
	int want_order[] = { 0, 4, 1, 2, 3 }; /* by wave, then plan order */
	assert_memory_equal(order, want_order, sizeof order);
	int path[5];
	assert_int_equal(dag_critical_path(&g, path), 3);
	assert_int_equal(path[0], 0);
	assert_int_equal(path[1], 1); /* tie between 1 and 2: lowest index */
	assert_int_equal(path[2], 3);
	/* dependents */
	assert_int_equal(g.rdep_start[1] - g.rdep_start[0], 2);
	assert_int_equal(g.rdep[g.rdep_start[0]], 1);
	assert_int_equal(g.rdep[g.rdep_start[0] + 1], 2);
	dag_free(&g);
}

static void test_duplicate_edges(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 1, 0 }, { 1, 0 } };
	struct dag g;
	build(&g, 2, e, 3);
	assert_int_equal(g.dep_start[2] - g.dep_start[1], 1);
	assert_int_equal(dag_layer(&g), 0);
	assert_int_equal(g.wave[1], 2);
	dag_free(&g);
}

static void test_cycles(void **s)
{
	(void)s;
	/* 0 -> 1 -> 2 -> 0 (0 depends on 1 ...), 3 depends on 0 (behind the
	 * cycle), 4 -> 4 self loop, 5 independent, 6 <-> 7 */
	const int e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 0 }, { 3, 0 }, { 4, 4 }, { 6, 7 }, { 7, 6 } };
	struct dag g;
	build(&g, 8, e, 7);
	assert_int_equal(dag_layer(&g), -1);
	assert_int_equal(g.wave[5], 1);
	assert_int_equal(g.wave[0], 0);
	assert_int_equal(g.wave[3], 0);
	int **c;
	int n = dag_cycles(&g, &c);
	assert_int_equal(n, 3);
	int c0[] = { 0, 1, 2, 0, -1 }, c1[] = { 4, 4, -1 }, c2[] = { 6, 7, 6, -1 };
	assert_memory_equal(c[0], c0, sizeof c0);
	assert_memory_equal(c[1], c1, sizeof c1);
	assert_memory_equal(c[2], c2, sizeof c2);
	dag_cycles_free(c, n);
	dag_free(&g);
}

static void test_shortest_cycle_reported(void **s)
{
	(void)s;
	/* 0->1->2->3->0 and the chord 1->0: the cycle through 0 is 0 -> 1 -> 0 */
	const int e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 0 }, { 1, 0 } };
	struct dag g;
	build(&g, 4, e, 5);
	int **c;
	assert_int_equal(dag_cycles(&g, &c), 1);
	int want[] = { 0, 1, 0, -1 };
	assert_memory_equal(c[0], want, sizeof want);
	dag_cycles_free(c, 1);
	dag_free(&g);
}

static void test_ready_waves_mode(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 2, 0 }, { 3, 1 } };
	struct dag g;
	build(&g, 5, e, 3); /* waves: 0,4 -> 1; 1,2 -> 2; 3 -> 3 */
	dag_layer(&g);
	enum dag_state st[5] = { 0 };
	unsigned char r[5];
	assert_int_equal(dag_ready(&g, st, DAG_MODE_WAVES, r), 2);
	assert_true(r[0] && r[4] && !r[1]);
	assert_int_equal(dag_current_wave(&g, st), 1);
	st[0] = DAG_MERGED;
	st[4] = DAG_ACTIVE; /* wave 1 not finished: nothing new */
	assert_int_equal(dag_ready(&g, st, DAG_MODE_WAVES, r), 0);
	st[4] = DAG_SKIPPED;
	assert_int_equal(dag_ready(&g, st, DAG_MODE_WAVES, r), 2);
	assert_true(r[1] && r[2] && !r[3]);
	assert_int_equal(dag_current_wave(&g, st), 2);
	st[1] = st[2] = DAG_MERGED;
	assert_int_equal(dag_ready(&g, st, DAG_MODE_WAVES, r), 1);
	assert_true(r[3]);
	st[3] = DAG_MERGED;
	assert_int_equal(dag_current_wave(&g, st), 4);
	assert_int_equal(dag_ready(&g, st, DAG_MODE_WAVES, r), 0);
	dag_free(&g);
}

static void test_ready_dag_mode(void **s)
{
	(void)s;
	const int e[][2] = { { 1, 0 }, { 2, 0 }, { 3, 1 }, { 3, 4 } };
	struct dag g;
	build(&g, 5, e, 4);
	dag_layer(&g);
	enum dag_state st[5] = { 0 };
	unsigned char r[5];
	st[0] = DAG_MERGED;
	st[4] = DAG_ACTIVE;
	/* 1 and 2 are ready although 4 (wave 1) still runs */
	assert_int_equal(dag_ready(&g, st, DAG_MODE_DAG, r), 2);
	assert_true(r[1] && r[2] && !r[3]);
	st[1] = DAG_MERGED;
	assert_int_equal(dag_ready(&g, st, DAG_MODE_DAG, r), 1); /* 3 waits for 4 */
	st[4] = DAG_SKIPPED;
	assert_int_equal(dag_ready(&g, st, DAG_MODE_DAG, r), 2);
	assert_true(r[2] && r[3]);
	dag_free(&g);
}

static void test_empty(void **s)
{
	(void)s;
	struct dag g;
	dag_init(&g, 0, NULL, NULL);
	assert_int_equal(dag_layer(&g), 0);
	assert_int_equal(g.nwaves, 0);
	int **c;
	assert_int_equal(dag_cycles(&g, &c), 0);
	int path[1];
	assert_int_equal(dag_critical_path(&g, path), 0);
	dag_free(&g);
}

/* Property test: random DAGs (edges only to lower indices, then shuffled
 * labels) layer without error; every task's wave exceeds its dependencies'
 * waves and equals 1 + the largest; merge order is a topological order that
 * is sorted by wave; the critical path is a real chain of nwaves tasks. */
static void test_random_dags(void **s)
{
	(void)s;
	srand(12345);
	for (int round = 0; round < 300; round++) {
		int n = 1 + rand() % 60;
		int *perm = xmalloc((size_t)n * sizeof(int));
		for (int i = 0; i < n; i++)
			perm[i] = i;
		for (int i = n - 1; i > 0; i--) {
			int j = rand() % (i + 1), t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		int **deps = xcalloc((size_t)n, sizeof *deps);
		int *nd = xcalloc((size_t)n, sizeof *nd);
		for (int i = 0; i < n; i++) {
			deps[perm[i]] = xcalloc((size_t)n + 1, sizeof(int));
			int k = i ? rand() % (i < 5 ? i + 1 : 5) : 0;
			for (int e = 0; e < k; e++)
				deps[perm[i]][nd[perm[i]]++] = perm[rand() % i];
		}
		struct dag g;
		dag_init(&g, n, deps, nd);
		assert_int_equal(dag_layer(&g), 0);
		int maxw = 0;
		for (int i = 0; i < n; i++) {
			int want = 1;
			for (int e = 0; e < nd[i]; e++) {
				assert_true(g.wave[i] > g.wave[deps[i][e]]);
				if (g.wave[deps[i][e]] + 1 > want)
					want = g.wave[deps[i][e]] + 1;
			}
			assert_int_equal(g.wave[i], want);
			if (g.wave[i] > maxw)
				maxw = g.wave[i];
		}
		assert_int_equal(g.nwaves, maxw);
		int *order = xmalloc((size_t)n * sizeof(int)), *pos = xmalloc((size_t)n * sizeof(int));
		dag_merge_order(&g, order);
		for (int k = 0; k < n; k++)
			pos[order[k]] = k;
		for (int k = 1; k < n; k++)
			assert_true(g.wave[order[k - 1]] <= g.wave[order[k]]);
		for (int i = 0; i < n; i++)
			for (int e = 0; e < nd[i]; e++)
				assert_true(pos[deps[i][e]] < pos[i]);
		int *path = xmalloc((size_t)n * sizeof(int));
		int len = dag_critical_path(&g, path);
		assert_int_equal(len, g.nwaves);
		for (int k = 1; k < len; k++) {
			int found = 0;
			for (int e = g.dep_start[path[k]]; e < g.dep_start[path[k] + 1]; e++)
				found |= g.dep[e] == path[k - 1];
			assert_true(found);
		}
		int **c;
		assert_int_equal(dag_cycles(&g, &c), 0);
		for (int i = 0; i < n; i++)
			free(deps[i]);
		free(deps);
		free(nd);
		free(perm);
		free(order);
		free(pos);
		free(path);
		dag_free(&g);
	}
}

/* Property test: adding one back edge to a random chain always yields a
 * cycle whose path follows real edges and returns to its start. */
static void test_random_cycles(void **s)
{
	(void)s;
	srand(777);
	for (int round = 0; round < 200; round++) {
		int n = 2 + rand() % 30;
		int (*e)[2] = xmalloc(((size_t)n + 1) * sizeof *e);
		int ne = 0;
		for (int i = 1; i < n; i++) {
			e[ne][0] = i;
			e[ne++][1] = i - 1;
		}
		int a = rand() % n, b = a + rand() % (n - a); /* a depends on b >= a */
		e[ne][0] = a;
		e[ne++][1] = b;
		struct dag g;
		build(&g, n, (const int(*)[2])e, ne);
		assert_int_equal(dag_layer(&g), -1);
		int **c;
		assert_int_equal(dag_cycles(&g, &c), 1);
		int k = 0;
		for (; c[0][k + 1] >= 0; k++) {
			int found = 0;
			for (int x = g.dep_start[c[0][k]]; x < g.dep_start[c[0][k] + 1]; x++)
				found |= g.dep[x] == c[0][k + 1];
			assert_true(found);
		}
		assert_int_equal(c[0][k], c[0][0]);
		assert_int_equal(c[0][0], a); /* the lowest index on the cycle */
		dag_cycles_free(c, 1);
		dag_free(&g);
		free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),        cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_duplicate_edges), cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_shortest_cycle_reported), cmocka_unit_test(test_ready_waves_mode),
		cmocka_unit_test(test_ready_dag_mode), cmocka_unit_test(test_empty),
		cmocka_unit_test(test_random_dags),  cmocka_unit_test(test_random_cycles),
	};
	return cmocka_run_group_tests_name("dag", tests, NULL, NULL);
}
