/* fuzz_plan — libFuzzer target for the plan loader: any bytes, as a shoal
 * plan, a beads export or an agentops file, must load or fail cleanly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	diags_init(&d, "fuzz.json", (const char *)data, size);
	struct plan *p = plan_parse("fuzz.json", (const char *)data, size, NULL, &d);
	for (size_t i = 0; i < d.n; i++)
		free(diag_format(&d, i));
	if (p) {
		/* everything a command does with a valid plan */
		struct dag g;
		plan_dag(p, &g);
		int *buf = malloc(((size_t)p->ntasks + 1) * sizeof(int));
		dag_merge_order(&g, buf);
		dag_critical_path(&g, buf);
		for (int i = 0; i < p->ntasks; i++) {
			free(plan_expand(p, &p->tasks[i], p->prompt_template, "/w", "/p"));
			if (plan_find(p, p->tasks[i].id) < 0)
				abort();
		}
		free(buf);
		dag_free(&g);
		plan_free(p);
	}
	diags_free(&d);
	return 0;
}
