/* theme — colour roles, the built-in dark theme, theme files. */
#include "theme.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "jsonx.h"
#include "task.h"

static const char *const role_names[TH_NROLES] = {
	[TH_NORMAL] = "normal",
	[TH_TITLE] = "sidebar.title",
	[TH_WAVE] = "sidebar.wave",
	[TH_WAVE_DONE] = "sidebar.wave-done",
	[TH_BAR_MERGED] = "bar.merged",
	[TH_BAR_DONE] = "bar.done",
	[TH_BAR_RUNNING] = "bar.running",
	[TH_BAR_EMPTY] = "bar.empty",
	[TH_SELECTED] = "sidebar.selected",
	[TH_DIM] = "dim",
	[TH_WARN] = "warning",
	[TH_ERROR] = "error",
	[TH_ST_PENDING] = "task.pending",
	[TH_ST_RUNNING] = "task.running",
	[TH_ST_IDLE] = "task.idle",
	[TH_ST_WAITING] = "task.waiting",
	[TH_ST_DONE] = "task.done",
	[TH_ST_FAILED] = "task.failed",
	[TH_ST_MERGED] = "task.merged",
	[TH_ST_SKIPPED] = "task.skipped",
	[TH_BORDER] = "border",
	[TH_BORDER_FOCUS] = "border.focus",
	[TH_BORDER_ATTN] = "border.attention",
	[TH_STATUS] = "status",
	[TH_STATUS_KEY] = "status.key",
	[TH_STATUS_ERR] = "status.error",
	[TH_DIFF_ADD] = "diff.add",
	[TH_DIFF_DEL] = "diff.del",
	[TH_DIFF_HUNK] = "diff.hunk",
	[TH_CRITICAL] = "dag.critical",
};

const char *theme_role_name(enum theme_role r)
{
	return (unsigned)r < TH_NROLES ? role_names[r] : "?";
}

int theme_role_parse(const char *name)
{
	for (int i = 0; i < TH_NROLES; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}

static const char *const color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
	"bright-magenta", "bright-cyan", "bright-white",
};

int theme_color_parse(const char *s, struct color *c)
{
	memset(c, 0, sizeof *c);
	if (!s || !*s)
		return -1;
	if (!strcmp(s, "default")) {
		c->kind = COLOR_KIND_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 16; i++)
		if (!strcmp(s, color_names[i])) {
			c->kind = COLOR_KIND_INDEXED;
			c->idx = (uint8_t)i;
			return 0;
		}
	if (s[0] == '#') {
		if (strlen(s) != 7 || strspn(s + 1, "0123456789abcdefABCDEF") != 6)
			return -1;
		unsigned long v = strtoul(s + 1, NULL, 16);
		c->kind = COLOR_KIND_RGB;
		c->r = (uint8_t)(v >> 16);
		c->g = (uint8_t)(v >> 8);
		c->b = (uint8_t)v;
		return 0;
	}
	if (strspn(s, "0123456789") == strlen(s) && strlen(s) <= 3) {
		int v = atoi(s);
		if (v > 255)
			return -1;
		c->kind = COLOR_KIND_INDEXED;
		c->idx = (uint8_t)v;
		return 0;
	}
	return -1;
}

void theme_color_format(const struct color *c, char *buf, size_t cap)
{
	if (c->kind == COLOR_KIND_DEFAULT)
		snprintf(buf, cap, "default");
	else if (c->kind == COLOR_KIND_RGB)
		snprintf(buf, cap, "#%02x%02x%02x", c->r, c->g, c->b);
	else if (c->idx < 16)
		snprintf(buf, cap, "%s", color_names[c->idx]);
	else
		snprintf(buf, cap, "%d", c->idx);
}

static struct color ix(int i)
{
	if (i < 0)
		return (struct color){ .kind = COLOR_KIND_DEFAULT };
	return (struct color){ .kind = COLOR_KIND_INDEXED, .idx = (uint8_t)i };
}

void theme_default(struct theme *t)
{
	memset(t, 0, sizeof *t);
	t->name = xstrdup("dark");
	static const struct {
		int role, fg, bg;
		unsigned attr;
	} d[] = {
		{ TH_NORMAL, -1, -1, 0 },
		{ TH_TITLE, 6, -1, THEME_A_BOLD },
		{ TH_WAVE, 7, -1, THEME_A_BOLD },
		{ TH_WAVE_DONE, 2, -1, THEME_A_BOLD },
		{ TH_BAR_MERGED, 2, -1, 0 },
		{ TH_BAR_DONE, 6, -1, 0 },
		{ TH_BAR_RUNNING, 3, -1, 0 },
		{ TH_BAR_EMPTY, 8, -1, 0 },
		{ TH_SELECTED, -1, 236, THEME_A_BOLD },
		{ TH_DIM, 8, -1, 0 },
		{ TH_WARN, 3, -1, THEME_A_BOLD },
		{ TH_ERROR, 1, -1, THEME_A_BOLD },
		{ TH_ST_PENDING, 8, -1, 0 },
		{ TH_ST_RUNNING, 4, -1, THEME_A_BOLD },
		{ TH_ST_IDLE, 6, -1, 0 },
		{ TH_ST_WAITING, 3, -1, THEME_A_BOLD },
		{ TH_ST_DONE, 6, -1, THEME_A_BOLD },
		{ TH_ST_FAILED, 1, -1, THEME_A_BOLD },
		{ TH_ST_MERGED, 2, -1, 0 },
		{ TH_ST_SKIPPED, 8, -1, 0 },
		{ TH_BORDER, 8, -1, 0 },
		{ TH_BORDER_FOCUS, 2, -1, THEME_A_BOLD },
		{ TH_BORDER_ATTN, 3, -1, THEME_A_BOLD },
		{ TH_STATUS, 7, 236, 0 },
		{ TH_STATUS_KEY, 6, 236, THEME_A_BOLD },
		{ TH_STATUS_ERR, 15, 1, THEME_A_BOLD },
		{ TH_DIFF_ADD, 2, -1, 0 },
		{ TH_DIFF_DEL, 1, -1, 0 },
		{ TH_DIFF_HUNK, 6, -1, 0 },
		{ TH_CRITICAL, 5, -1, THEME_A_BOLD },
	};
	for (size_t i = 0; i < ARRAY_LEN(d); i++) {
		t->s[d[i].role].fg = ix(d[i].fg);
		t->s[d[i].role].bg = ix(d[i].bg);
		t->s[d[i].role].attr = d[i].attr;
	}
}

void theme_free(struct theme *t)
{
	free(t->name);
	t->name = NULL;
}

static const struct {
	const char *key;
	unsigned bit;
} attr_keys[] = {
	{ "bold", THEME_A_BOLD }, { "dim", THEME_A_DIM }, { "underline", THEME_A_UNDERLINE },
	{ "reverse", THEME_A_REVERSE }, { "italic", THEME_A_ITALIC },
};

static const char *const known_color_help =
	"a colour is \"default\", a name (black, red, green, yellow, blue, magenta, cyan, white, "
	"bright-black ... bright-white), 0-255 or \"#rrggbb\"";

static void parse_color(struct jsonx *j, const cJSON *v, struct color *out, struct diags *d,
			const char *what)
{
	if (cJSON_IsNumber(v)) {
		double x = v->valuedouble;
		if (x < 0 || x > 255 || x != (int)x)
			diag_add(d, jsonx_off(j, v), "%s: colour %g is not 0-255", what, x);
		else
			*out = ix((int)x);
		return;
	}
	if (!cJSON_IsString(v)) {
		diag_add(d, jsonx_off(j, v), "%s must be a colour string, not %s", what,
			 jsonx_type_name(v));
		return;
	}
	if (theme_color_parse(v->valuestring, out) < 0) {
		const char *s = util_suggest(v->valuestring, color_names, 16);
		if (s)
			diag_add(d, jsonx_off(j, v), "%s: unknown colour \"%s\" (did you mean \"%s\"?)",
				 what, v->valuestring, s);
		else
			diag_add(d, jsonx_off(j, v), "%s: bad colour \"%s\": %s", what,
				 v->valuestring, known_color_help);
	}
}

int theme_parse(struct theme *t, const char *path, const char *text, size_t len,
		struct diags *d)
{
	(void)path;
	theme_default(t);
	size_t before = d->n;
	struct jsonx j;
	if (jsonx_parse(&j, text, len, d) < 0)
		return -1;
	if (!cJSON_IsObject(j.root)) {
		diag_add(d, jsonx_off(&j, j.root), "a theme must be a JSON object, not %s",
			 jsonx_type_name(j.root));
		jsonx_free(&j);
		return -1;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, j.root)
	{
		if (!strcmp(m->string, "name")) {
			if (!cJSON_IsString(m))
				diag_add(d, jsonx_off(&j, m), "\"name\" must be a string, not %s",
					 jsonx_type_name(m));
			else {
				free(t->name);
				t->name = xstrdup(m->valuestring);
			}
		} else if (!strcmp(m->string, "description")) {
			if (!cJSON_IsString(m))
				diag_add(d, jsonx_off(&j, m), "\"description\" must be a string, not %s",
					 jsonx_type_name(m));
		} else if (!strcmp(m->string, "colors")) {
			if (!cJSON_IsObject(m)) {
				diag_add(d, jsonx_off(&j, m), "\"colors\" must be an object, not %s",
					 jsonx_type_name(m));
				continue;
			}
			const cJSON *c;
			cJSON_ArrayForEach(c, m)
			{
				int r = theme_role_parse(c->string);
				if (r < 0) {
					const char *s = util_suggest(c->string, role_names, TH_NROLES);
					if (s)
						diag_add(d, jsonx_key_off(&j, c),
							 "unknown colour role \"%s\" (did you mean \"%s\"?)",
							 c->string, s);
					else
						diag_add(d, jsonx_key_off(&j, c),
							 "unknown colour role \"%s\"", c->string);
					continue;
				}
				struct theme_style *st = &t->s[r];
				if (cJSON_IsString(c) || cJSON_IsNumber(c)) {
					parse_color(&j, c, &st->fg, d, c->string);
					continue;
				}
				if (!cJSON_IsObject(c)) {
					diag_add(d, jsonx_off(&j, c),
						 "\"%s\" must be a colour or an object with fg, bg and "
						 "attributes, not %s", c->string, jsonx_type_name(c));
					continue;
				}
				st->attr = 0;
				const cJSON *f;
				cJSON_ArrayForEach(f, c)
				{
					char what[96];
					snprintf(what, sizeof what, "%s.%s", c->string, f->string);
					if (!strcmp(f->string, "fg")) {
						parse_color(&j, f, &st->fg, d, what);
						continue;
					}
					if (!strcmp(f->string, "bg")) {
						parse_color(&j, f, &st->bg, d, what);
						continue;
					}
					size_t k;
					for (k = 0; k < ARRAY_LEN(attr_keys); k++)
						if (!strcmp(f->string, attr_keys[k].key))
							break;
					if (k == ARRAY_LEN(attr_keys)) {
						diag_add(d, jsonx_key_off(&j, f),
							 "unknown key \"%s\" in \"%s\" (fg, bg, bold, dim, "
							 "underline, reverse, italic)", f->string, c->string);
						continue;
					}
					if (!cJSON_IsBool(f)) {
						diag_add(d, jsonx_off(&j, f), "%s must be true or false, not %s",
							 what, jsonx_type_name(f));
						continue;
					}
					if (cJSON_IsTrue(f))
						st->attr |= attr_keys[k].bit;
				}
			}
		} else {
			diag_add(d, jsonx_key_off(&j, m),
				 "unknown key \"%s\" in a theme (name, description, colors)", m->string);
		}
	}
	jsonx_free(&j);
	return d->n > before ? -1 : 0;
}

static char *find_theme(const char *name, struct sbuf *tried)
{
	size_t n = strlen(name);
	if (strchr(name, '/') || (n > 5 && !strcmp(name + n - 5, ".json")))
		return xstrdup(name);
	char *dirs[8];
	int nd = 0;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		dirs[nd++] = xasprintf("%s/shoal/themes", xdg);
	else if (home && *home)
		dirs[nd++] = xasprintf("%s/.config/shoal/themes", home);
	char **ad = assets_dirs();
	for (size_t i = 0; ad[i] && nd < 7; i++)
		dirs[nd++] = xasprintf("%s/../themes", ad[i]);
	assets_dirs_free(ad);
	char *found = NULL;
	for (int i = 0; i < nd; i++) {
		char *p = xasprintf("%s/%s.json", dirs[i], name);
		struct stat sb;
		if (!found && stat(p, &sb) == 0)
			found = p;
		else {
			if (!found)
				sbuf_printf(tried, "%s%s", tried->len ? ", " : "", dirs[i]);
			free(p);
		}
		free(dirs[i]);
	}
	return found;
}

int theme_load(struct theme *t, const char *name, struct err *e)
{
	struct sbuf tried = { 0 };
	char *path = find_theme(name, &tried);
	if (!path) {
		err_set(e, "theme \"%s\" not found (looked for %s.json in %s)", name, name,
			tried.len ? tried.s : "no directory");
		sbuf_free(&tried);
		theme_default(t);
		return -1;
	}
	sbuf_free(&tried);
	size_t len;
	char *text = util_read_file(path, &len, e);
	if (!text) {
		free(path);
		theme_default(t);
		return -1;
	}
	struct diags d;
	diags_init(&d, path, text, len);
	int rc = theme_parse(t, path, text, len, &d);
	if (rc < 0) {
		char *all = diags_join(&d);
		err_set(e, "%s", all ? all : "bad theme");
		free(all);
	}
	diags_free(&d);
	free(text);
	free(path);
	return rc;
}

char *theme_to_json(const struct theme *t)
{
	struct sbuf b = { 0 };
	sbuf_adds(&b, "{\n  \"name\": ");
	sbuf_json_str(&b, t->name ? t->name : "");
	sbuf_adds(&b, ",\n  \"colors\": {\n");
	for (int r = 0; r < TH_NROLES; r++) {
		char fg[16], bg[16];
		theme_color_format(&t->s[r].fg, fg, sizeof fg);
		theme_color_format(&t->s[r].bg, bg, sizeof bg);
		sbuf_printf(&b, "    \"%s\": { \"fg\": \"%s\", \"bg\": \"%s\"", role_names[r], fg, bg);
		for (size_t k = 0; k < ARRAY_LEN(attr_keys); k++)
			if (t->s[r].attr & attr_keys[k].bit)
				sbuf_printf(&b, ", \"%s\": true", attr_keys[k].key);
		sbuf_printf(&b, " }%s\n", r + 1 < TH_NROLES ? "," : "");
	}
	sbuf_adds(&b, "  }\n}\n");
	return sbuf_steal(&b);
}

void theme_attr(const struct theme *t, enum theme_role r, unsigned *attr, int *pair)
{
	const struct theme_style *s = &t->s[(unsigned)r < TH_NROLES ? r : TH_NORMAL];
	int n = color_count();
	int bold = 0, bold2 = 0;
	int fg = color_number(&s->fg, n, &bold);
	int bg = color_number(&s->bg, n, &bold2);
	unsigned a = 0;
	if (s->attr & THEME_A_BOLD || bold)
		a |= A_BOLD;
	if (s->attr & THEME_A_DIM)
		a |= A_DIM;
	if (s->attr & THEME_A_UNDERLINE)
		a |= A_UNDERLINE;
	if (s->attr & THEME_A_REVERSE)
		a |= A_REVERSE;
	if (s->attr & THEME_A_ITALIC)
		a |= A_ITALIC;
	if (n == 0 && (r == TH_SELECTED || r == TH_STATUS || r == TH_STATUS_ERR))
		a |= A_REVERSE; /* no colours: keep bars and selection visible */
	*attr = a;
	*pair = n ? color_pair(fg, bg) : 0;
}

enum theme_role theme_state_role(int st)
{
	switch ((enum task_state)st) {
	case TASK_STARTING:
	case TASK_RUNNING:
	case TASK_MERGING:
		return TH_ST_RUNNING;
	case TASK_IDLE:
		return TH_ST_IDLE;
	case TASK_WAITING:
		return TH_ST_WAITING;
	case TASK_DONE:
		return TH_ST_DONE;
	case TASK_FAILED:
	case TASK_CONFLICT:
	case TASK_INVALID:
		return TH_ST_FAILED;
	case TASK_MERGED:
		return TH_ST_MERGED;
	case TASK_SKIPPED:
	case TASK_STOPPED:
	case TASK_INTERRUPTED:
		return TH_ST_SKIPPED;
	default:
		return TH_ST_PENDING;
	}
}
