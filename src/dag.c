/* dag — pure graph algorithms over task indices: layering into waves,
 * cycles (Tarjan SCC + shortest cycle per component), merge order, critical
 * path and ready sets. */
#include "dag.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void dag_init(struct dag *g, int n, int *const *deps, const int *ndeps)
{
	memset(g, 0, sizeof *g);
	g->n = n;
	g->dep_start = xcalloc((size_t)n + 1, sizeof(int));
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += (size_t)ndeps[i];
	g->dep = xmalloc((total ? total : 1) * sizeof(int));
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		g->dep_start[i] = (int)k;
		size_t s = k;
		for (int j = 0; j < ndeps[i]; j++)
			g->dep[k++] = deps[i][j];
		qsort(g->dep + s, k - s, sizeof(int), cmp_int);
		size_t w = s; /* drop duplicates */
		for (size_t r = s; r < k; r++)
			if (r == s || g->dep[r] != g->dep[w - 1])
				g->dep[w++] = g->dep[r];
		k = w;
	}
	g->dep_start[n] = (int)k;
	/* reverse edges */
	g->rdep_start = xcalloc((size_t)n + 1, sizeof(int));
	g->rdep = xmalloc((k ? k : 1) * sizeof(int));
	for (size_t e = 0; e < k; e++)
		g->rdep_start[g->dep[e] + 1]++;
	for (int i = 0; i < n; i++)
		g->rdep_start[i + 1] += g->rdep_start[i];
	int *fill = xmalloc(((size_t)n + 1) * sizeof(int));
	memcpy(fill, g->rdep_start, ((size_t)n + 1) * sizeof(int));
	for (int i = 0; i < n; i++)
		for (int e = g->dep_start[i]; e < g->dep_start[i + 1]; e++)
			g->rdep[fill[g->dep[e]]++] = i;
	free(fill);
	g->wave = xcalloc((size_t)n ? (size_t)n : 1, sizeof(int));
}

void dag_free(struct dag *g)
{
	free(g->dep_start);
	free(g->dep);
	free(g->rdep_start);
	free(g->rdep);
	free(g->wave);
	memset(g, 0, sizeof *g);
}

int dag_layer(struct dag *g)
{
	int n = g->n;
	int *indeg = xmalloc(((size_t)n + 1) * sizeof(int));
	int *queue = xmalloc(((size_t)n + 1) * sizeof(int));
	int head = 0, tail = 0;
	g->nwaves = 0;
	for (int i = 0; i < n; i++) {
		indeg[i] = g->dep_start[i + 1] - g->dep_start[i];
		g->wave[i] = 0;
		if (!indeg[i]) {
			g->wave[i] = 1;
			queue[tail++] = i;
		}
	}
	while (head < tail) {
		int u = queue[head++];
		if (g->wave[u] > g->nwaves)
			g->nwaves = g->wave[u];
		for (int e = g->rdep_start[u]; e < g->rdep_start[u + 1]; e++) {
			int v = g->rdep[e];
			if (g->wave[u] + 1 > g->wave[v])
				g->wave[v] = g->wave[u] + 1;
			if (--indeg[v] == 0)
				queue[tail++] = v;
		}
	}
	int ok = tail == n;
	if (!ok)
		for (int i = 0; i < n; i++)
			if (indeg[i])
				g->wave[i] = 0;
	free(indeg);
	free(queue);
	return ok ? 0 : -1;
}

/* Tarjan's strongly connected components, iteratively. comp[i] gets the
 * component number; returns the number of components. */
static int tarjan(const struct dag *g, int *comp)
{
	int n = g->n, idx = 0, ncomp = 0, sp = 0, cs = 0;
	int *index = xmalloc(((size_t)n + 1) * sizeof(int));
	int *low = xmalloc(((size_t)n + 1) * sizeof(int));
	char *on = xcalloc((size_t)n + 1, 1);
	int *stack = xmalloc(((size_t)n + 1) * sizeof(int));
	int *cnode = xmalloc(((size_t)n + 1) * sizeof(int)); /* call stack: node */
	int *cedge = xmalloc(((size_t)n + 1) * sizeof(int)); /* call stack: next edge */
	for (int i = 0; i < n; i++)
		index[i] = -1;
	for (int s = 0; s < n; s++) {
		if (index[s] >= 0)
			continue;
		cnode[cs] = s;
		cedge[cs] = g->dep_start[s];
		cs++;
		index[s] = low[s] = idx++;
		stack[sp++] = s;
		on[s] = 1;
		while (cs) {
			int u = cnode[cs - 1];
			if (cedge[cs - 1] < g->dep_start[u + 1]) {
				int v = g->dep[cedge[cs - 1]++];
				if (index[v] < 0) {
					index[v] = low[v] = idx++;
					stack[sp++] = v;
					on[v] = 1;
					cnode[cs] = v;
					cedge[cs] = g->dep_start[v];
					cs++;
				} else if (on[v] && index[v] < low[u]) {
					low[u] = index[v];
				}
				continue;
			}
			if (low[u] == index[u]) {
				int w;
				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = ncomp;
				} while (w != u);
				ncomp++;
			}
			cs--;
			if (cs && low[u] < low[cnode[cs - 1]])
				low[cnode[cs - 1]] = low[u];
		}
	}
	free(index);
	free(low);
	free(on);
	free(stack);
	free(cnode);
	free(cedge);
	return ncomp;
}

int dag_cycles(const struct dag *g, int ***out)
{
	int n = g->n;
	*out = NULL;
	if (!n)
		return 0;
	int *comp = xmalloc((size_t)n * sizeof(int));
	int ncomp = tarjan(g, comp);
	int *size = xcalloc((size_t)ncomp, sizeof(int));
	int *first = xmalloc((size_t)ncomp * sizeof(int));
	for (int c = 0; c < ncomp; c++)
		first[c] = -1;
	for (int i = 0; i < n; i++) {
		size[comp[i]]++;
		if (first[comp[i]] < 0)
			first[comp[i]] = i;
	}
	int **cyc = NULL;
	size_t ncyc = 0, cap = 0;
	int *parent = xmalloc((size_t)n * sizeof(int));
	int *queue = xmalloc((size_t)n * sizeof(int));
	/* components in order of their first task */
	for (int s = 0; s < n; s++) {
		int c = comp[s];
		if (first[c] != s)
			continue;
		int self = 0;
		for (int e = g->dep_start[s]; e < g->dep_start[s + 1]; e++)
			if (g->dep[e] == s)
				self = 1;
		if (size[c] < 2 && !self)
			continue;
		int *path;
		if (self) {
			path = xmalloc(3 * sizeof(int));
			path[0] = s, path[1] = s, path[2] = -1;
		} else {
			/* BFS from s inside the component for the shortest way back to s */
			for (int i = 0; i < n; i++)
				parent[i] = -2;
			int h = 0, t = 0, last = -1;
			queue[t++] = s;
			parent[s] = -1;
			while (h < t && last < 0) {
				int u = queue[h++];
				for (int e = g->dep_start[u]; e < g->dep_start[u + 1]; e++) {
					int v = g->dep[e];
					if (comp[v] != c)
						continue;
					if (v == s) {
						last = u;
						break;
					}
					if (parent[v] == -2) {
						parent[v] = u;
						queue[t++] = v;
					}
				}
			}
			int len = 0;
			for (int u = last; u >= 0; u = parent[u])
				len++;
			path = xmalloc(((size_t)len + 2) * sizeof(int));
			int k = len;
			for (int u = last; u >= 0; u = parent[u])
				path[--k] = u;
			path[len] = s;
			path[len + 1] = -1;
		}
		xgrow((void **)&cyc, &cap, ncyc + 1, sizeof *cyc);
		cyc[ncyc++] = path;
	}
	free(parent);
	free(queue);
	free(comp);
	free(size);
	free(first);
	*out = cyc;
	return (int)ncyc;
}

void dag_cycles_free(int **cycles, int n)
{
	for (int i = 0; i < n; i++)
		free(cycles[i]);
	free(cycles);
}

void dag_merge_order(const struct dag *g, int *order)
{
	/* counting sort by wave keeps index order within a wave */
	int *count = xcalloc((size_t)g->nwaves + 2, sizeof(int));
	for (int i = 0; i < g->n; i++)
		count[g->wave[i]]++;
	int pos = 0;
	for (int w = 0; w <= g->nwaves; w++) {
		int c = count[w];
		count[w] = pos;
		pos += c;
	}
	for (int i = 0; i < g->n; i++)
		order[count[g->wave[i]]++] = i;
	free(count);
}

int dag_critical_path(const struct dag *g, int *path)
{
	int end = -1;
	for (int i = 0; i < g->n; i++)
		if (g->wave[i] == g->nwaves && g->nwaves > 0) {
			end = i;
			break;
		}
	if (end < 0)
		return 0;
	int len = g->wave[end];
	int u = end;
	for (int k = len - 1; k >= 0; k--) {
		path[k] = u;
		int next = -1;
		for (int e = g->dep_start[u]; e < g->dep_start[u + 1]; e++)
			if (g->wave[g->dep[e]] == g->wave[u] - 1) {
				next = g->dep[e]; /* deps are sorted: lowest index first */
				break;
			}
		u = next;
		if (u < 0)
			break;
	}
	return len;
}

static int satisfied(enum dag_state s)
{
	return s == DAG_MERGED || s == DAG_SKIPPED;
}

int dag_current_wave(const struct dag *g, const enum dag_state *st)
{
	int cur = g->nwaves + 1;
	for (int i = 0; i < g->n; i++)
		if (!satisfied(st[i]) && g->wave[i] < cur && g->wave[i] > 0)
			cur = g->wave[i];
	return cur;
}

int dag_ready(const struct dag *g, const enum dag_state *st, enum dag_mode mode, unsigned char *ready)
{
	int n = 0;
	int cur = mode == DAG_MODE_WAVES ? dag_current_wave(g, st) : 0;
	for (int i = 0; i < g->n; i++) {
		ready[i] = 0;
		if (st[i] != DAG_PENDING || g->wave[i] == 0)
			continue;
		int ok = 1;
		if (mode == DAG_MODE_WAVES) {
			ok = g->wave[i] == cur;
		} else {
			for (int e = g->dep_start[i]; e < g->dep_start[i + 1] && ok; e++)
				ok = satisfied(st[g->dep[e]]);
		}
		if (ok) {
			ready[i] = 1;
			n++;
		}
	}
	return n;
}
