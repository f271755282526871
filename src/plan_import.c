/* plan_import — plans from other tools: a beads export (`bd list --json`)
 * and an agentops wave file, read into the same struct plan. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_ld.h"

/* beads: `bd list --json`, an array of issues. */
void plan_load_beads(struct ld *l, const cJSON *root)
{
	struct plan *p = l->p;
	p->format = PLAN_FORMAT_BEADS;
	p->max_workers = 4;
	p->idle_after = 5;
	p->agent = xstrdup("claude");
	ld_set_defaults(p);
	p->ntasks = cJSON_GetArraySize(root);
	if (!p->ntasks) {
		ld_err_at(l, root, "beads export has no issues");
		return;
	}
	p->tasks = xcalloc((size_t)p->ntasks, sizeof *p->tasks);
	l->dep_offs = xcalloc((size_t)p->ntasks, sizeof *l->dep_offs);
	int i = 0;
	for (const cJSON *o = root->child; o; o = o->next, i++) {
		struct plan_task *t = &p->tasks[i];
		diags_linecol(l->d, jsonx_off(&l->j, o), &t->line, &t->col);
		if (!cJSON_IsObject(o)) {
			ld_err_at(l, o, "a beads issue must be an object, not %s", jsonx_type_name(o));
			continue;
		}
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
		if (!cJSON_IsString(id)) {
			ld_err_at(l, id ? id : o, "beads issue has no string \"id\"");
			continue;
		}
		t->id = xstrdup(id->valuestring);
		if (!plan_id_valid(t->id))
			ld_err_at(l, id, "task id \"%s\" %s (ids name branches and directories)", t->id, ld_id_problem(t->id));
		t->title = ld_dup_str(l, o, "title");
		t->prompt = ld_dup_str(l, o, "description");
		const char *st = ld_get_str(l, o, "status", NULL);
		t->done = st && !strcmp(st, "closed");
		const cJSON *deps = cJSON_GetObjectItemCaseSensitive(o, "dependencies");
		if (deps && !cJSON_IsArray(deps)) {
			ld_err_at(l, deps, "\"dependencies\" must be an array, not %s", jsonx_type_name(deps));
			continue;
		}
		int nd = deps ? cJSON_GetArraySize(deps) : 0, k = 0;
		t->depends_on = xcalloc((size_t)nd + 1, sizeof *t->depends_on);
		/* Only blocking kinds hold work back; parent-child is containment. */
		for (const cJSON *d = deps ? deps->child : NULL; d; d = d->next) {
			const cJSON *type = cJSON_GetObjectItemCaseSensitive(d, "type");
			const cJSON *on = cJSON_GetObjectItemCaseSensitive(d, "depends_on_id");
			if (!cJSON_IsObject(d) || !cJSON_IsString(on)) {
				ld_err_at(l, d, "beads dependency needs a string \"depends_on_id\"");
				continue;
			}
			const char *ty = cJSON_IsString(type) ? type->valuestring : "blocks";
			if (strcmp(ty, "blocks") && strcmp(ty, "conditional-blocks") && strcmp(ty, "waits-for"))
				continue;
			t->depends_on[k++] = xstrdup(on->valuestring);
		}
	}
	/* dependency offsets: point at the dependency objects */
	ld_idmap_build(p);
	int nids;
	const char **ids = ld_all_ids(p, &nids);
	i = 0;
	for (const cJSON *o = root->child; o; o = o->next, i++) {
		const cJSON *deps = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, "dependencies") : NULL;
		ld_resolve_task(l, i, NULL, jsonx_off(&l->j, deps ? deps : o), ids, nids);
	}
	free(ids);
	/* duplicates */
	for (int k = 0; k < p->ntasks; k++) {
		if (!p->tasks[k].id)
			continue;
		int first = plan_find(p, p->tasks[k].id);
		if (first >= 0 && first != k)
			diag_add(l->d, (size_t)-1, "duplicate task id \"%s\" (lines %d and %d)", p->tasks[k].id,
				 p->tasks[first].line, p->tasks[k].line);
	}
	ld_check_cycles(l);
}

/* agentops: {"wave": [...], "blocked": [{"id","title","blocked_by"}], "completed": [...]} */
void plan_load_agentops(struct ld *l, const cJSON *root)
{
	struct plan *p = l->p;
	p->format = PLAN_FORMAT_AGENTOPS;
	p->max_workers = 4;
	p->idle_after = 5;
	p->agent = xstrdup("claude");
	static const char *const keys[] = { "wave", "blocked", "completed", NULL };
	ld_check_keys(l, root, "agentops wave file", keys);
	ld_set_defaults(p);
	const char *sect[3] = { "completed", "wave", "blocked" };
	int total = 0;
	for (int s = 0; s < 3; s++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, sect[s]);
		if (a && !cJSON_IsArray(a)) {
			ld_err_at(l, a, "\"%s\" must be an array, not %s", sect[s], jsonx_type_name(a));
			continue;
		}
		total += a ? cJSON_GetArraySize(a) : 0;
	}
	if (l->d->n)
		return;
	if (!total) {
		ld_err_at(l, root, "agentops wave file has no tasks");
		return;
	}
	p->tasks = xcalloc((size_t)total, sizeof *p->tasks);
	l->dep_offs = xcalloc((size_t)total, sizeof *l->dep_offs);
	const cJSON **nodes = xcalloc((size_t)total, sizeof *nodes);
	for (int s = 0; s < 3; s++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, sect[s]);
		for (const cJSON *o = a ? a->child : NULL; o; o = o->next) {
			struct plan_task *t = &p->tasks[p->ntasks];
			nodes[p->ntasks++] = o;
			diags_linecol(l->d, jsonx_off(&l->j, o), &t->line, &t->col);
			const cJSON *id = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, "id") : NULL;
			if (!cJSON_IsString(id)) {
				ld_err_at(l, o, "agentops entry in \"%s\" has no string \"id\"", sect[s]);
				continue;
			}
			t->id = xstrdup(id->valuestring);
			if (!plan_id_valid(t->id))
				ld_err_at(l, id, "task id \"%s\" %s (ids name branches and directories)", t->id,
				       ld_id_problem(t->id));
			t->title = ld_dup_str(l, o, "title");
			const char *spec = cJSON_GetObjectItemCaseSensitive(o, "spec_path") ? ld_get_str(l, o, "spec_path", NULL) : NULL;
			if (spec)
				t->prompt = xasprintf("Implement the spec in %s.", spec);
			t->done = s == 0;
			const cJSON *bb = cJSON_GetObjectItemCaseSensitive(o, "blocked_by");
			if (cJSON_IsString(bb)) {
				t->depends_on = xcalloc(2, sizeof *t->depends_on);
				t->depends_on[0] = xstrdup(bb->valuestring);
			} else if (bb) {
				t->depends_on = ld_get_strv(l, o, "blocked_by", 0);
			}
		}
	}
	ld_idmap_build(p);
	int nids;
	const char **ids = ld_all_ids(p, &nids);
	for (int i = 0; i < p->ntasks; i++) {
		struct plan_task *t = &p->tasks[i];
		const cJSON *bb = cJSON_IsObject(nodes[i]) ? cJSON_GetObjectItemCaseSensitive(nodes[i], "blocked_by") : NULL;
		ld_resolve_task(l, i, NULL, jsonx_off(&l->j, bb ? bb : nodes[i]), ids, nids);
		int first = t->id ? plan_find(p, t->id) : -1;
		if (first >= 0 && first != i)
			ld_err_at(l, nodes[i], "duplicate task id \"%s\" (first defined at line %d)", t->id,
			       p->tasks[first].line);
	}
	free(ids);
	free(nodes);
	ld_check_cycles(l);
}

