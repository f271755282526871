/* jsonx — a strict JSON syntax scanner (positions, clear messages) in front
 * of cJSON, and the node → offset map built by walking both in document
 * order. */
#include "jsonx.h"

#include <stdlib.h>
#include <string.h>

struct scan {
	const char *s;
	size_t n, i;
	struct diags *d;
	int failed;
	size_t *keys, *vals; /* preorder positions of every value */
	size_t npos, cap;
};

static void scan_err(struct scan *sc, size_t off, const char *fmt, const char *arg)
{
	if (sc->failed)
		return;
	sc->failed = 1;
	if (arg)
		diag_add(sc->d, off, fmt, arg);
	else
		diag_add(sc->d, off, "%s", fmt);
}

static void skip_ws(struct scan *sc)
{
	while (sc->i < sc->n) {
		char c = sc->s[sc->i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			sc->i++;
		else
			break;
	}
}

/* Describes the character at the cursor for "found X" messages. */
static const char *found(struct scan *sc, char *buf, size_t len)
{
	if (sc->i >= sc->n)
		return "end of file";
	unsigned char c = (unsigned char)sc->s[sc->i];
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", c);
	return buf;
}

static void push_pos(struct scan *sc, size_t key, size_t val)
{
	if (sc->npos == sc->cap) {
		size_t c1 = sc->cap, c2 = sc->cap;
		xgrow((void **)&sc->keys, &c1, sc->npos + 1, sizeof *sc->keys);
		xgrow((void **)&sc->vals, &c2, sc->npos + 1, sizeof *sc->vals);
		sc->cap = c1;
	}
	sc->keys[sc->npos] = key;
	sc->vals[sc->npos] = val;
	sc->npos++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long read_u4(struct scan *sc, size_t at)
{
	if (at + 4 > sc->n)
		return -1;
	long v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(sc->s[at + (size_t)k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void scan_string(struct scan *sc)
{
	size_t start = sc->i++;
	while (sc->i < sc->n) {
		unsigned char c = (unsigned char)sc->s[sc->i];
		if (c == '"') {
			sc->i++;
			return;
		}
		if (c < 0x20) {
			scan_err(sc, sc->i, c == '\n' ? "unterminated string (newline before the closing '\"')"
						      : "control character in string (must be escaped)", NULL);
			return;
		}
		if (c == '\\') {
			if (sc->i + 1 >= sc->n)
				break;
			char e = sc->s[sc->i + 1];
			if (e == 'u') {
				long v = read_u4(sc, sc->i + 2);
				if (v < 0) {
					scan_err(sc, sc->i, "invalid \\u escape in string (needs 4 hex digits)", NULL);
					return;
				}
				if (v == 0) {
					scan_err(sc, sc->i, "string contains a NUL character (\\u0000)", NULL);
					return;
				}
				if (v >= 0xdc00 && v <= 0xdfff) {
					scan_err(sc, sc->i, "invalid \\u escape in string (unpaired surrogate)", NULL);
					return;
				}
				if (v >= 0xd800 && v <= 0xdbff) {
					long lo = -1;
					if (sc->i + 11 < sc->n && sc->s[sc->i + 6] == '\\' && sc->s[sc->i + 7] == 'u')
						lo = read_u4(sc, sc->i + 8);
					if (lo < 0xdc00 || lo > 0xdfff) {
						scan_err(sc, sc->i, "invalid \\u escape in string (unpaired surrogate)", NULL);
						return;
					}
					sc->i += 6;
				}
				sc->i += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e) || e == 0) {
				char b[8];
				snprintf(b, sizeof b, "%c", e >= 0x20 && e < 0x7f ? e : '?');
				scan_err(sc, sc->i, "invalid escape '\\%s' in string", b);
				return;
			}
			sc->i += 2;
			continue;
		}
		if (c >= 0x80) {
			size_t bad;
			/* validate one UTF-8 sequence */
			size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (sc->i + len > sc->n)
				len = sc->n - sc->i;
			if (!util_utf8_valid(sc->s + sc->i, len, &bad) || c < 0xc2 || c > 0xf4) {
				scan_err(sc, sc->i, "invalid UTF-8 in string", NULL);
				return;
			}
			sc->i += len;
			continue;
		}
		sc->i++;
	}
	scan_err(sc, start, "unterminated string", NULL);
}

static void scan_number(struct scan *sc)
{
	size_t st = sc->i;
	const char *s = sc->s;
	size_t i = sc->i, n = sc->n;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
	} else if (i < n && s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		scan_err(sc, st, "invalid number", NULL);
		return;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (!(i < n && s[i] >= '0' && s[i] <= '9')) {
			scan_err(sc, st, "invalid number (digits must follow '.')", NULL);
			return;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!(i < n && s[i] >= '0' && s[i] <= '9')) {
			scan_err(sc, st, "invalid number (bad exponent)", NULL);
			return;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || (s[i] >= 'a' && s[i] <= 'z'))) {
		scan_err(sc, st, "invalid number", NULL);
		return;
	}
	sc->i = i;
}

static void scan_value(struct scan *sc, size_t key, int depth);

static void scan_container(struct scan *sc, int depth, char close)
{
	int obj = close == '}';
	size_t open = sc->i++;
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == close) {
		sc->i++;
		return;
	}
	for (;;) {
		char b[16];
		skip_ws(sc);
		size_t key = (size_t)-1;
		if (obj) {
			if (sc->i >= sc->n || sc->s[sc->i] != '"') {
				scan_err(sc, sc->i, "expected '\"' to start an object key, found %s", found(sc, b, sizeof b));
				return;
			}
			key = sc->i;
			scan_string(sc);
			if (sc->failed)
				return;
			skip_ws(sc);
			if (sc->i >= sc->n || sc->s[sc->i] != ':') {
				scan_err(sc, sc->i, "expected ':' after the object key, found %s", found(sc, b, sizeof b));
				return;
			}
			sc->i++;
			skip_ws(sc);
		}
		scan_value(sc, key, depth + 1);
		if (sc->failed)
			return;
		skip_ws(sc);
		if (sc->i >= sc->n) {
			scan_err(sc, open, obj ? "unterminated object (no closing '}')" : "unterminated array (no closing ']')", NULL);
			return;
		}
		char c = sc->s[sc->i];
		if (c == close) {
			sc->i++;
			return;
		}
		if (c != ',') {
			scan_err(sc, sc->i, obj ? "expected ',' or '}' after an object member, found %s"
						: "expected ',' or ']' after an array element, found %s",
				 found(sc, b, sizeof b));
			return;
		}
		size_t comma = sc->i++;
		skip_ws(sc);
		if (sc->i < sc->n && sc->s[sc->i] == close) {
			scan_err(sc, comma, obj ? "trailing comma before '}'" : "trailing comma before ']'", NULL);
			return;
		}
	}
}

static void scan_value(struct scan *sc, size_t key, int depth)
{
	char b[16];
	if (depth > JSONX_MAX_DEPTH) {
		scan_err(sc, sc->i, "nesting too deep", NULL);
		return;
	}
	skip_ws(sc);
	if (sc->i >= sc->n) {
		scan_err(sc, sc->i, "expected a value, found end of file", NULL);
		return;
	}
	push_pos(sc, key == (size_t)-1 ? sc->i : key, sc->i);
	char c = sc->s[sc->i];
	switch (c) {
	case '{': scan_container(sc, depth, '}'); return;
	case '[': scan_container(sc, depth, ']'); return;
	case '"': scan_string(sc); return;
	case 't': case 'f': case 'n': {
		const char *w = c == 't' ? "true" : c == 'f' ? "false" : "null";
		size_t l = strlen(w);
		if (sc->i + l <= sc->n && !memcmp(sc->s + sc->i, w, l)) {
			sc->i += l;
			return;
		}
		break;
	}
	default:
		if (c == '-' || (c >= '0' && c <= '9')) {
			scan_number(sc);
			return;
		}
	}
	if (c == '\'')
		scan_err(sc, sc->i, "strings must use double quotes, found %s", found(sc, b, sizeof b));
	else
		scan_err(sc, sc->i, "expected a value, found %s", found(sc, b, sizeof b));
}

static size_t hash_ptr(const void *p, size_t cap)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= (uintptr_t)0x9e3779b97f4a7c15ull;
	x ^= x >> 29;
	return (size_t)x & (cap - 1);
}

static void map_put(struct jsonx *j, const cJSON *node, size_t key, size_t val)
{
	size_t h = hash_ptr(node, j->cap);
	while (j->tab[h].node)
		h = (h + 1) & (j->cap - 1);
	j->tab[h] = (struct jsonx_pos){ node, key, val };
}

static const struct jsonx_pos *map_get(const struct jsonx *j, const cJSON *node)
{
	if (!j->cap || !node)
		return NULL;
	size_t h = hash_ptr(node, j->cap);
	while (j->tab[h].node) {
		if (j->tab[h].node == node)
			return &j->tab[h];
		h = (h + 1) & (j->cap - 1);
	}
	return NULL;
}

/* Walks the cJSON tree in document order, pairing nodes with positions. */
static void zip(struct jsonx *j, const cJSON *node, struct scan *sc, size_t *k)
{
	/* iterative over siblings, recursive over children (depth is bounded) */
	if (*k < sc->npos) {
		map_put(j, node, sc->keys[*k], sc->vals[*k]);
		(*k)++;
	}
	for (const cJSON *c = node->child; c; c = c->next)
		zip(j, c, sc, k);
}

int jsonx_parse(struct jsonx *j, const char *text, size_t len, struct diags *d)
{
	memset(j, 0, sizeof *j);
	struct scan sc = { .s = text, .n = len, .d = d };
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		sc.i = 3; /* tolerate a UTF-8 byte order mark */
	skip_ws(&sc);
	if (sc.i >= len) {
		diag_add(d, sc.i, "empty file (expected a JSON value)");
		return -1;
	}
	scan_value(&sc, (size_t)-1, 0);
	if (!sc.failed) {
		skip_ws(&sc);
		if (sc.i < len)
			scan_err(&sc, sc.i, "unexpected text after the JSON value", NULL);
	}
	if (sc.failed) {
		free(sc.keys);
		free(sc.vals);
		return -1;
	}
	const char *end = NULL;
	j->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!j->root) {
		size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
		diag_add(d, off, "invalid JSON");
		free(sc.keys);
		free(sc.vals);
		return -1;
	}
	size_t cap = 16;
	while (cap < sc.npos * 2 + 2)
		cap *= 2;
	j->cap = cap;
	j->tab = xcalloc(cap, sizeof *j->tab);
	size_t k = 0;
	zip(j, j->root, &sc, &k);
	free(sc.keys);
	free(sc.vals);
	return 0;
}

void jsonx_free(struct jsonx *j)
{
	cJSON_Delete(j->root);
	free(j->tab);
	memset(j, 0, sizeof *j);
}

size_t jsonx_off(const struct jsonx *j, const cJSON *node)
{
	const struct jsonx_pos *p = map_get(j, node);
	return p ? p->val_off : 0;
}

size_t jsonx_key_off(const struct jsonx *j, const cJSON *node)
{
	const struct jsonx_pos *p = map_get(j, node);
	return p ? p->key_off : 0;
}

const char *jsonx_type_name(const cJSON *n)
{
	if (!n)
		return "nothing";
	if (cJSON_IsString(n))
		return "a string";
	if (cJSON_IsNumber(n))
		return "a number";
	if (cJSON_IsBool(n))
		return "a boolean";
	if (cJSON_IsNull(n))
		return "null";
	if (cJSON_IsArray(n))
		return "an array";
	if (cJSON_IsObject(n))
		return "an object";
	return "an unknown value";
}
