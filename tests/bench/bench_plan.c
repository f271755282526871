/* bench_plan — how long a generated plan of 10,000 tasks and 50,000 edges
 * takes to load, validate and layer (and to derive merge order and critical
 * path), against the one-second budget. Prints a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "plan.h"

static char *gen(int ntasks, int nedges, size_t *len)
{
	struct sbuf b = { 0 };
	sbuf_adds(&b, "{\n  \"name\": \"bench\", \"agent\": \"claude\", \"max_workers\": 8,\n  \"tasks\": [\n");
	srand(42);
	int per = nedges / ntasks, made = 0;
	for (int i = 0; i < ntasks; i++) {
		sbuf_printf(&b, "    {\"id\": \"task-%05d\", \"title\": \"Task number %d\", \"prompt\": \"Do part %d of the work.\", "
				"\"territory\": [\"src/m%d/\"]",
			    i, i, i, i % 100);
		if (i > 0) {
			sbuf_adds(&b, ", \"depends_on\": [");
			int k = i < per ? i : per;
			for (int e = 0; e < k; e++) {
				/* mostly recent tasks, so the graph is deep as well as wide */
				int j = i - 1 - rand() % (i < 50 ? i : 50);
				sbuf_printf(&b, "%s\"task-%05d\"", e ? ", " : "", j);
				made++;
			}
			sbuf_addc(&b, ']');
		}
		sbuf_printf(&b, "}%s\n", i + 1 < ntasks ? "," : "");
	}
	sbuf_adds(&b, "  ]\n}\n");
	fprintf(stderr, "bench_plan: generated %d tasks, %d edges, %zu bytes\n", ntasks, made, b.len);
	*len = b.len;
	return sbuf_steal(&b);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	size_t len;
	char *text = gen(10000, 50000, &len);
	enum { RUNS = 7 };
	uint64_t t_parse[RUNS], t_derive[RUNS];
	int nwaves = 0;
	for (int r = 0; r < RUNS; r++) {
		struct diags d;
		diags_init(&d, "bench.json", text, len);
		uint64_t t0 = util_now_ns();
		struct plan *p = plan_parse("bench.json", text, len, NULL, &d);
		uint64_t t1 = util_now_ns();
		if (!p) {
			diags_print(&d, stderr);
			return 1;
		}
		struct dag g;
		plan_dag(p, &g);
		int *buf = xmalloc((size_t)p->ntasks * sizeof(int));
		dag_merge_order(&g, buf);
		dag_critical_path(&g, buf);
		uint64_t t2 = util_now_ns();
		nwaves = p->nwaves;
		t_parse[r] = t1 - t0;
		t_derive[r] = t2 - t1;
		free(buf);
		dag_free(&g);
		plan_free(p);
		diags_free(&d);
	}
	qsort(t_parse, RUNS, sizeof t_parse[0], cmp_u64);
	qsort(t_derive, RUNS, sizeof t_derive[0], cmp_u64);
	double parse = (double)t_parse[RUNS / 2] / 1e9, derive = (double)t_derive[RUNS / 2] / 1e9;
	printf("plan: 10,000 tasks, 50,000 edges, %d waves (median of %d runs)\n", nwaves, RUNS);
	printf("  %-44s %10s %10s %8s\n", "what", "shoal", "budget", "ratio");
	printf("  %-44s %9.3fs %9.3fs %7.3fx\n", "load + validate + layer (plan_parse)", parse, 1.0, parse / 1.0);
	printf("  %-44s %9.3fs %9.3fs %7.3fx\n", "graph + merge order + critical path", derive, 1.0, derive / 1.0);
	printf("  %-44s %9.3fs %9.3fs %7.3fx\n", "total", parse + derive, 1.0, parse + derive);
	free(text);
	return 0;
}
