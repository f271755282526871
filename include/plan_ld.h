/* plan_ld — the plan loader's internals, shared by plan.c (shoal plans) and
 * plan_import.c (beads and agentops). Not for other modules. */
#ifndef SHOAL_PLAN_LD_H
#define SHOAL_PLAN_LD_H

#include "jsonx.h"
#include "plan.h"

struct ld {
	struct plan *p;
	struct jsonx j;
	struct diags *d;
	size_t *dep_off; /* per task, offsets of its depends_on entries (flattened) */
	size_t **dep_offs;
};

void ld_err_at(struct ld *l, const cJSON *node, const char *fmt, ...) PRINTF_LIKE(3, 4);
void ld_err_key(struct ld *l, const cJSON *node, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Unknown keys (with a suggestion) and duplicate keys of obj. */
void ld_check_keys(struct ld *l, const cJSON *obj, const char *where, const char *const *known);
const char *ld_get_str(struct ld *l, const cJSON *obj, const char *key, int *present);
char *ld_dup_str(struct ld *l, const cJSON *obj, const char *key);
strv ld_get_strv(struct ld *l, const cJSON *obj, const char *key, int nonempty);
void ld_resolve_task(struct ld *l, int i, const size_t *offs, size_t off, const char **ids, int nids);
const char **ld_all_ids(const struct plan *p, int *n);
void ld_check_cycles(struct ld *l);
void ld_set_defaults(struct plan *p);
void ld_idmap_build(struct plan *p);
const char *ld_id_problem(const char *id);

void plan_load_beads(struct ld *l, const cJSON *root);
void plan_load_agentops(struct ld *l, const cJSON *root);

#endif
