/* dag — the task graph as pure data: waves (layers), cycles with their path,
 * dependents, ready sets, the critical path and the merge order. Works on
 * task indices only; no plan, no terminal, no git. */
#ifndef SHOAL_DAG_H
#define SHOAL_DAG_H

#include <stddef.h>

/* Edges in CSR form: task i depends on dep[dep_start[i] .. dep_start[i+1]). */
struct dag {
	int n;
	int *dep_start, *dep;   /* dependencies of each task */
	int *rdep_start, *rdep; /* dependents of each task (reverse edges) */
	int *wave;              /* 1-based layer; 0 for tasks on or behind a cycle */
	int nwaves;
};

/* Builds the graph from per-task dependency lists (deps[i] has ndeps[i]
 * indices, each in [0, n)). Duplicate edges are kept once. */
void dag_init(struct dag *g, int n, int *const *deps, const int *ndeps);
void dag_free(struct dag *g);

/* Computes waves. Returns 0, or -1 when the graph has a cycle (then tasks on
 * a cycle or depending on one get wave 0). */
int dag_layer(struct dag *g);

/* Cycles: one per strongly connected component that has one, each as the
 * path a -> b -> ... -> a (following "depends on"), starting at the
 * component's first task in index order. Self-loops are included.
 * Returns the number of cycles; *out is an array of arrays, each terminated
 * by -1 and with the first task repeated before the terminator. */
int dag_cycles(const struct dag *g, int ***out);
void dag_cycles_free(int **cycles, int n);

/* Merge order: every task after its dependencies; ties by wave then index.
 * order has n entries. Requires dag_layer to have succeeded. */
void dag_merge_order(const struct dag *g, int *order);

/* The longest dependency chain, from a wave-1 task to a task of the last
 * wave (ties: lowest index). Returns its length; path gets that many indices
 * (room for n). */
int dag_critical_path(const struct dag *g, int *path);

/* Task states as far as the graph cares. */
enum dag_state {
	DAG_PENDING,  /* not started */
	DAG_ACTIVE,   /* started: running, idle, done-not-merged, failed ... */
	DAG_MERGED,   /* its work is in the base branch */
	DAG_SKIPPED,  /* counts as satisfied for its dependents */
};
enum dag_mode { DAG_MODE_WAVES, DAG_MODE_DAG };

/* ready[i] = 1 for pending tasks that may start now. In DAG_MODE_DAG a task
 * is ready when all its dependencies are merged or skipped; in
 * DAG_MODE_WAVES when every task of every lower wave is merged or skipped.
 * Returns the number of ready tasks. */
int dag_ready(const struct dag *g, const enum dag_state *st, enum dag_mode mode,
	      unsigned char *ready);
/* The lowest wave that still has a task neither merged nor skipped (the
 * "current" wave), or nwaves + 1 when all are. */
int dag_current_wave(const struct dag *g, const enum dag_state *st);

#endif
