/* cmd_plan — the subcommands that read a plan: check, waves, dag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "dag.h"
#include "dagdraw.h"
#include "plan.h"

static const char *format_name(enum plan_format f)
{
	return f == PLAN_FORMAT_BEADS ? "beads export" : f == PLAN_FORMAT_AGENTOPS ? "agentops wave file" : "plan";
}

static void print_critical(const struct plan *p, const struct dag *g, FILE *f)
{
	int *path = xmalloc(((size_t)p->ntasks + 1) * sizeof(int));
	int n = dag_critical_path(g, path);
	fprintf(f, "critical path (%d task%s): ", n, n == 1 ? "" : "s");
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " -> " : "", p->tasks[path[i]].id);
	fputc('\n', f);
	free(path);
}

/* The common start of the plan commands: flags, the plan, its graph.
 * Returns NULL with *rc set when the command is over (help, error). */
static struct plan *open_plan(struct cli *c, int argc, char **argv, const struct cli_flag *flags,
			      size_t nflags, struct dag *g, int *rc)
{
	char *pos[1];
	int npos;
	*rc = cli_parse(c, argc, argv, flags, nflags, pos, 1, &npos);
	if (*rc) {
		*rc = *rc < 0 ? EXIT_OK : *rc;
		return NULL;
	}
	struct plan *p = cli_load_plan(c, npos ? pos[0] : NULL);
	if (!p) {
		*rc = EXIT_FAIL;
		return NULL;
	}
	plan_dag(p, g);
	return p;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	struct dag g;
	int rc;
	struct plan *p = open_plan(c, argc, argv, NULL, 0, &g, &rc);
	if (!p)
		return rc;
	int ndone = 0, nedges = 0;
	for (int i = 0; i < p->ntasks; i++) {
		ndone += p->tasks[i].done;
		nedges += p->tasks[i].ndeps;
	}
	printf("%s: ok: %s \"%s\", %d task%s, %d dependenc%s, %d wave%s, mode %s, at most %d at once\n", p->path,
	       format_name(p->format), p->name, p->ntasks, p->ntasks == 1 ? "" : "s", nedges,
	       nedges == 1 ? "y" : "ies", p->nwaves, p->nwaves == 1 ? "" : "s",
	       p->mode == PLAN_MODE_DAG ? "dag" : "waves", p->max_workers);
	if (ndone)
		printf("%d task%s already done (imported as closed or completed)\n", ndone, ndone == 1 ? "" : "s");
	printf("base: %s, branches: %s<id>\n", p->base ? p->base : "(the branch checked out in the main worktree)",
	       p->branch_prefix);
	for (int w = 1; w <= p->nwaves; w++) {
		printf("wave %d:", w);
		for (int i = 0; i < p->ntasks; i++)
			if (p->tasks[i].wave == w)
				printf(" %s%s", p->tasks[i].id, p->tasks[i].done ? " (done)" : "");
		putchar('\n');
	}
	print_critical(p, &g, stdout);
	dag_free(&g);
	plan_free(p);
	return EXIT_OK;
}

static void json_ids(struct sbuf *b, const struct plan *p, const int *idx, int n)
{
	sbuf_addc(b, '[');
	for (int i = 0; i < n; i++) {
		if (i)
			sbuf_adds(b, ", ");
		sbuf_json_str(b, p->tasks[idx[i]].id);
	}
	sbuf_addc(b, ']');
}

int cmd_waves(struct cli *c, int argc, char **argv)
{
	const char *json = NULL;
	const struct cli_flag flags[] = { { "--json", 0, 0, &json } };
	struct dag g;
	int rc;
	struct plan *p = open_plan(c, argc, argv, flags, ARRAY_LEN(flags), &g, &rc);
	if (!p)
		return rc;
	int *idx = xmalloc(((size_t)p->ntasks + 1) * sizeof(int));
	if (json) {
		struct sbuf b = { 0 };
		sbuf_adds(&b, "{\"plan\": ");
		sbuf_json_str(&b, p->name);
		sbuf_adds(&b, ", \"waves\": [");
		for (int w = 1; w <= p->nwaves; w++) {
			int n = 0;
			for (int i = 0; i < p->ntasks; i++)
				if (p->tasks[i].wave == w)
					idx[n++] = i;
			sbuf_printf(&b, "%s{\"wave\": %d, \"tasks\": ", w > 1 ? ", " : "", w);
			json_ids(&b, p, idx, n);
			sbuf_addc(&b, '}');
		}
		sbuf_adds(&b, "], \"critical_path\": ");
		int n = dag_critical_path(&g, idx);
		json_ids(&b, p, idx, n);
		sbuf_adds(&b, ", \"merge_order\": ");
		dag_merge_order(&g, idx);
		json_ids(&b, p, idx, p->ntasks);
		sbuf_adds(&b, "}\n");
		fputs(b.s, stdout);
		sbuf_free(&b);
	} else {
		for (int w = 1; w <= p->nwaves; w++) {
			int n = 0;
			for (int i = 0; i < p->ntasks; i++)
				n += p->tasks[i].wave == w;
			printf("wave %d (%d task%s)\n", w, n, n == 1 ? "" : "s");
			for (int i = 0; i < p->ntasks; i++) {
				const struct plan_task *t = &p->tasks[i];
				if (t->wave != w)
					continue;
				printf("  %-24s %s", t->id, t->title ? t->title : "");
				if (t->ndeps) {
					printf("  <- ");
					for (int k = 0; k < t->ndeps; k++)
						printf("%s%s", k ? ", " : "", p->tasks[t->deps[k]].id);
				}
				printf("%s\n", t->done ? "  (done)" : "");
			}
		}
		print_critical(p, &g, stdout);
	}
	free(idx);
	dag_free(&g);
	plan_free(p);
	return EXIT_OK;
}

/* A DOT string literal. */
static void dot_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The graph drawn: a column per wave, edges, the critical path under it.
 * Tasks imported as done get ✓, the others ·. */
static int print_drawing(const struct plan *p, const struct dag *g)
{
	const char **ids = xmalloc(((size_t)p->ntasks + 1) * sizeof *ids);
	const char **glyphs = xmalloc(((size_t)p->ntasks + 1) * sizeof *glyphs);
	for (int i = 0; i < p->ntasks; i++) {
		ids[i] = p->tasks[i].id;
		glyphs[i] = p->tasks[i].done ? "✓" : "·";
	}
	int *path = xmalloc(((size_t)p->ntasks + 1) * sizeof(int));
	int np = dag_critical_path(g, path);
	struct dagdraw dd;
	struct err e = { { 0 } };
	int rc = dagdraw_build(&dd, g, ids, glyphs, path, np, &e);
	if (rc == 0) {
		for (int y = 0; y < dd.h; y++) {
			char *row = dagdraw_row_text(&dd, y);
			puts(row);
			free(row);
		}
		putchar('\n');
		print_critical(p, g, stdout);
		dagdraw_free(&dd);
	} else {
		fprintf(stderr, "shoal: %s: %s\n", p->path, e.msg);
	}
	free(path);
	free(ids);
	free(glyphs);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_dag(struct cli *c, int argc, char **argv)
{
	const char *dot = NULL, *list = NULL;
	const struct cli_flag flags[] = { { "--dot", 0, 0, &dot }, { "--list", 0, 0, &list } };
	struct dag g;
	int rc;
	struct plan *p = open_plan(c, argc, argv, flags, ARRAY_LEN(flags), &g, &rc);
	if (!p)
		return rc;
	if (dot) {
		printf("digraph ");
		dot_str(stdout, p->name);
		printf(" {\n\trankdir=LR;\n\tnode [shape=box];\n");
		for (int w = 1; w <= p->nwaves; w++) {
			printf("\tsubgraph cluster_wave%d {\n\t\tlabel=\"wave %d\";\n", w, w);
			for (int i = 0; i < p->ntasks; i++) {
				const struct plan_task *t = &p->tasks[i];
				if (t->wave != w)
					continue;
				char *label = t->title ? xasprintf("%s\n%s", t->id, t->title) : xstrdup(t->id);
				printf("\t\t");
				dot_str(stdout, t->id);
				printf(" [label=");
				dot_str(stdout, label);
				printf("%s];\n", t->done ? ", style=dashed" : "");
				free(label);
			}
			printf("\t}\n");
		}
		for (int i = 0; i < p->ntasks; i++)
			for (int k = 0; k < p->tasks[i].ndeps; k++) {
				putchar('\t');
				dot_str(stdout, p->tasks[p->tasks[i].deps[k]].id);
				printf(" -> ");
				dot_str(stdout, p->tasks[i].id);
				printf(";\n");
			}
		printf("}\n");
	} else if (!list) {
		rc = print_drawing(p, &g);
	} else {
		for (int w = 1; w <= p->nwaves; w++) {
			printf("wave %d\n", w);
			for (int i = 0; i < p->ntasks; i++) {
				const struct plan_task *t = &p->tasks[i];
				if (t->wave != w)
					continue;
				printf("  %s", t->id);
				if (t->ndeps) {
					printf(" <- ");
					for (int k = 0; k < t->ndeps; k++)
						printf("%s%s", k ? ", " : "", p->tasks[t->deps[k]].id);
				}
				int nr = g.rdep_start[i + 1] - g.rdep_start[i];
				if (nr) {
					printf("  -> ");
					for (int e = g.rdep_start[i]; e < g.rdep_start[i + 1]; e++)
						printf("%s%s", e > g.rdep_start[i] ? ", " : "", p->tasks[g.rdep[e]].id);
				}
				putchar('\n');
			}
		}
	}
	dag_free(&g);
	plan_free(p);
	return rc;
}
