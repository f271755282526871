/* jsonx — cJSON with positions: a strict syntax check that reports the first
 * error with its line and column and a precise message, and, once the text
 * is valid, a map from every cJSON node to the byte offsets of its key and
 * value, so validators can point at the offending value. Shared by the plan,
 * config and theme loaders. */
#ifndef SHOAL_JSONX_H
#define SHOAL_JSONX_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "diag.h"

#define JSONX_MAX_DEPTH 128

struct jsonx_pos {
	const cJSON *node;
	size_t key_off; /* offset of the key string of an object member, else == val_off */
	size_t val_off; /* offset of the value's first byte */
};

struct jsonx {
	cJSON *root;
	struct jsonx_pos *tab; /* open-addressing hash on node pointers */
	size_t cap;
};

/* Parses text; on a syntax error adds one diagnostic to d and returns -1. */
int jsonx_parse(struct jsonx *j, const char *text, size_t len, struct diags *d);
void jsonx_free(struct jsonx *j);
/* Offset of node's value / of its key (its value when it has no key). */
size_t jsonx_off(const struct jsonx *j, const cJSON *node);
size_t jsonx_key_off(const struct jsonx *j, const cJSON *node);
/* "string", "number", "array", ... for messages. */
const char *jsonx_type_name(const cJSON *node);

#endif
