/* config — the user's config file (see config.h). */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "dash.h"
#include "jsonx.h"
#include "keys.h"

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->prefix = 7;
	c->bell = 1;
	c->scrollback = -1;
}

static void profile_free(struct plan_profile *p)
{
	free(p->name);
	strv_free(p->argv);
	strv_free(p->resume);
	strv_free(p->waiting);
	free(p->working_title);
}

void config_free(struct config *c)
{
	free(c->path);
	free(c->theme);
	for (int i = 0; i < c->nbindings; i++)
		free(c->bindings[i].action);
	free(c->bindings);
	for (int i = 0; i < c->nprofiles; i++)
		profile_free(&c->profiles[i]);
	free(c->profiles);
	memset(c, 0, sizeof *c);
}

static const char *const top_keys[] = { "prefix", "bindings", "theme", "agents", "idle_after",
					"scrollback", "bell", "notify", NULL };
static const char *const profile_keys[] = { "command", "resume", "waiting", "working_title",
					    "idle_after", NULL };

static void unknown_key(struct diags *d, struct jsonx *j, const cJSON *m, const char *const *keys,
			const char *where)
{
	size_t n = 0;
	while (keys[n])
		n++;
	const char *s = util_suggest(m->string, keys, n);
	struct sbuf list = { 0 };
	for (size_t i = 0; i < n; i++)
		sbuf_printf(&list, "%s%s", i ? ", " : "", keys[i]);
	if (s)
		diag_add(d, jsonx_key_off(j, m), "unknown key \"%s\" in %s (did you mean \"%s\"?)",
			 m->string, where, s);
	else
		diag_add(d, jsonx_key_off(j, m), "unknown key \"%s\" in %s (known: %s)", m->string, where,
			 list.s);
	sbuf_free(&list);
}

static int get_bool(struct diags *d, struct jsonx *j, const cJSON *m, int *out)
{
	if (!cJSON_IsBool(m)) {
		diag_add(d, jsonx_off(j, m), "\"%s\" must be true or false, not %s", m->string,
			 jsonx_type_name(m));
		return -1;
	}
	*out = cJSON_IsTrue(m);
	return 0;
}

static int get_int(struct diags *d, struct jsonx *j, const cJSON *m, int lo, int hi, int *out)
{
	if (!cJSON_IsNumber(m) || m->valuedouble != (double)(long long)m->valuedouble) {
		diag_add(d, jsonx_off(j, m), "\"%s\" must be a whole number, not %s", m->string,
			 cJSON_IsNumber(m) ? "a fraction" : jsonx_type_name(m));
		return -1;
	}
	double v = m->valuedouble;
	if (v < lo || v > hi) {
		diag_add(d, jsonx_off(j, m), "\"%s\" must be between %d and %d, not %g", m->string, lo,
			 hi, v);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static strv get_strv(struct diags *d, struct jsonx *j, const cJSON *m, int nonempty, const char *what)
{
	if (!cJSON_IsArray(m)) {
		diag_add(d, jsonx_off(j, m), "%s must be an array of strings, not %s", what,
			 jsonx_type_name(m));
		return NULL;
	}
	int n = cJSON_GetArraySize(m);
	if (nonempty && n == 0) {
		diag_add(d, jsonx_off(j, m), "%s must not be empty", what);
		return NULL;
	}
	strv v = xcalloc((size_t)n + 1, sizeof *v);
	int k = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, m)
	{
		if (!cJSON_IsString(e)) {
			diag_add(d, jsonx_off(j, e), "%s: every element must be a string, not %s", what,
				 jsonx_type_name(e));
			continue;
		}
		v[k++] = xstrdup(e->valuestring);
	}
	return v;
}

static void check_regex(struct diags *d, struct jsonx *j, const cJSON *node, const char *re,
			const char *what)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char msg[200];
		regerror(rc, &rx, msg, sizeof msg);
		diag_add(d, jsonx_off(j, node), "%s: bad regular expression \"%s\": %s", what, re, msg);
	} else
		regfree(&rx);
}

static void parse_profile(struct config *c, struct diags *d, struct jsonx *j, const cJSON *a)
{
	char what[160];
	if (!plan_id_valid(a->string)) {
		diag_add(d, jsonx_key_off(j, a), "agent profile name \"%s\" must be letters, digits, '.', '_' or '-'",
			 a->string);
		return;
	}
	struct plan_profile pr;
	memset(&pr, 0, sizeof pr);
	pr.name = xstrdup(a->string);
	if (cJSON_IsArray(a)) { /* shorthand: the argv */
		snprintf(what, sizeof what, "agent \"%s\"", a->string);
		pr.argv = get_strv(d, j, a, 1, what);
	} else if (!cJSON_IsObject(a)) {
		diag_add(d, jsonx_off(j, a), "agent \"%s\" must be an object (command, resume, waiting, "
					     "working_title, idle_after) or an argv array, not %s",
			 a->string, jsonx_type_name(a));
	} else {
		const cJSON *m;
		cJSON_ArrayForEach(m, a)
		{
			snprintf(what, sizeof what, "agent \"%s\": \"%s\"", a->string, m->string);
			/* a key given twice: the last one wins */
			if (!strcmp(m->string, "command")) {
				strv_free(pr.argv);
				pr.argv = get_strv(d, j, m, 1, what);
			} else if (!strcmp(m->string, "resume")) {
				strv_free(pr.resume);
				pr.resume = get_strv(d, j, m, 1, what);
			} else if (!strcmp(m->string, "waiting")) {
				strv_free(pr.waiting);
				pr.waiting = get_strv(d, j, m, 0, what);
				const cJSON *e;
				int k = 0;
				cJSON_ArrayForEach(e, m)
				{
					if (cJSON_IsString(e))
						check_regex(d, j, e, e->valuestring, what);
					k++;
				}
			} else if (!strcmp(m->string, "working_title")) {
				if (!cJSON_IsString(m))
					diag_add(d, jsonx_off(j, m), "%s must be a string, not %s", what,
						 jsonx_type_name(m));
				else {
					free(pr.working_title);
					pr.working_title = xstrdup(m->valuestring);
					check_regex(d, j, m, m->valuestring, what);
				}
			} else if (!strcmp(m->string, "idle_after"))
				get_int(d, j, m, 1, 86400, &pr.idle_after);
			else {
				char where[120];
				snprintf(where, sizeof where, "agent \"%s\"", a->string);
				unknown_key(d, j, m, profile_keys, where);
			}
		}
		if (!pr.argv && !cJSON_GetObjectItemCaseSensitive(a, "command"))
			diag_add(d, jsonx_off(j, a), "agent \"%s\" needs a \"command\" (an argv array)",
				 a->string);
	}
	c->profiles = xrealloc(c->profiles, ((size_t)c->nprofiles + 1) * sizeof *c->profiles);
	c->profiles[c->nprofiles++] = pr;
}

int config_parse(struct config *c, const char *path, const char *text, size_t len,
		 struct diags *d)
{
	config_init(c);
	c->path = path ? xstrdup(path) : NULL;
	size_t before = d->n;
	struct jsonx j;
	if (jsonx_parse(&j, text, len, d) < 0)
		return -1;
	if (!cJSON_IsObject(j.root)) {
		diag_add(d, jsonx_off(&j, j.root), "the config must be a JSON object, not %s",
			 jsonx_type_name(j.root));
		jsonx_free(&j);
		return -1;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, j.root)
	{
		if (!strcmp(m->string, "prefix")) {
			int k = cJSON_IsString(m) ? keys_parse_prefix(m->valuestring) : -1;
			if (!cJSON_IsString(m))
				diag_add(d, jsonx_off(&j, m), "\"prefix\" must be a string such as \"C-g\", not %s",
					 jsonx_type_name(m));
			else if (k < 0)
				diag_add(d, jsonx_off(&j, m),
					 "\"prefix\" must be a control key such as \"C-g\" or \"C-a\", not \"%s\"",
					 m->valuestring);
			else
				c->prefix = k;
		} else if (!strcmp(m->string, "theme")) {
			if (!cJSON_IsString(m) || !*m->valuestring)
				diag_add(d, jsonx_off(&j, m), "\"theme\" must be a theme name or path, not %s",
					 cJSON_IsString(m) ? "an empty string" : jsonx_type_name(m));
			else {
				free(c->theme);
				c->theme = xstrdup(m->valuestring);
			}
		} else if (!strcmp(m->string, "bell")) {
			get_bool(d, &j, m, &c->bell);
		} else if (!strcmp(m->string, "notify")) {
			get_bool(d, &j, m, &c->notify);
		} else if (!strcmp(m->string, "idle_after")) {
			get_int(d, &j, m, 1, 86400, &c->idle_after);
		} else if (!strcmp(m->string, "scrollback")) {
			get_int(d, &j, m, 0, 1000000, &c->scrollback);
		} else if (!strcmp(m->string, "bindings")) {
			if (!cJSON_IsObject(m)) {
				diag_add(d, jsonx_off(&j, m),
					 "\"bindings\" must be an object of action name → key, not %s",
					 jsonx_type_name(m));
				continue;
			}
			const cJSON *b;
			cJSON_ArrayForEach(b, m)
			{
				if (action_find(b->string) < 0) {
					const char *names[128];
					int n = 0;
					for (int i = 0; i < action_count && n < 128; i++)
						names[n++] = action_table[i].name;
					const char *s = util_suggest(b->string, names, (size_t)n);
					if (s)
						diag_add(d, jsonx_key_off(&j, b),
							 "unknown action \"%s\" (did you mean \"%s\"?)", b->string, s);
					else
						diag_add(d, jsonx_key_off(&j, b),
							 "unknown action \"%s\" (shoal config --print lists them)",
							 b->string);
					continue;
				}
				int key = -1;
				if (cJSON_IsNull(b) || (cJSON_IsString(b) && !strcmp(b->valuestring, "none")))
					key = -1;
				else if (!cJSON_IsString(b) || (key = action_key_parse(b->valuestring)) < 0) {
					diag_add(d, jsonx_off(&j, b),
						 "bad key for \"%s\": %s%s%s (a character, Tab, Enter, Left, F5, C-x, "
						 "Space or \"none\")", b->string, cJSON_IsString(b) ? "\"" : "",
						 cJSON_IsString(b) ? b->valuestring : jsonx_type_name(b),
						 cJSON_IsString(b) ? "\"" : "");
					continue;
				}
				if (key == c->prefix && key >= 0) {
					diag_add(d, jsonx_off(&j, b), "\"%s\" cannot use the prefix key", b->string);
					continue;
				}
				c->bindings = xrealloc(c->bindings, ((size_t)c->nbindings + 1) * sizeof *c->bindings);
				c->bindings[c->nbindings].action = xstrdup(b->string);
				c->bindings[c->nbindings].key = key;
				c->nbindings++;
			}
		} else if (!strcmp(m->string, "agents")) {
			if (!cJSON_IsObject(m)) {
				diag_add(d, jsonx_off(&j, m), "\"agents\" must be an object of profiles, not %s",
					 jsonx_type_name(m));
				continue;
			}
			const cJSON *a;
			cJSON_ArrayForEach(a, m)
				parse_profile(c, d, &j, a);
		} else {
			unknown_key(d, &j, m, top_keys, "the config");
		}
	}
	jsonx_free(&j);
	return d->n > before ? -1 : 0;
}

char *config_default_path(void)
{
	const char *env = getenv("SHOAL_CONFIG");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/shoal/config.json", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/shoal/config.json", home && *home ? home : ".");
}

int config_load(struct config *c, const char *path, struct err *e)
{
	char *p = path ? xstrdup(path) : config_default_path();
	config_init(c);
	if (!path && access(p, F_OK) != 0) {
		free(p);
		return 0;
	}
	size_t len;
	char *text = util_read_file(p, &len, e);
	if (!text) {
		free(p);
		return -1;
	}
	struct diags d;
	diags_init(&d, p, text, len);
	int rc = config_parse(c, p, text, len, &d);
	if (rc < 0) {
		char *all = diags_join(&d);
		err_set(e, "%s", all ? all : "bad config");
		free(all);
		config_free(c);
		config_init(c);
	}
	diags_free(&d);
	free(text);
	free(p);
	return rc;
}

static void json_strv(struct sbuf *b, char *const *v)
{
	sbuf_addc(b, '[');
	for (size_t i = 0; v && v[i]; i++) {
		if (i)
			sbuf_adds(b, ", ");
		sbuf_json_str(b, v[i]);
	}
	sbuf_addc(b, ']');
}

char *config_to_json(const struct config *c)
{
	struct sbuf b = { 0 };
	char pk[16];
	keys_char_name((uint32_t)c->prefix, pk, sizeof pk);
	sbuf_adds(&b, "{\n  \"prefix\": ");
	sbuf_json_str(&b, pk);
	sbuf_adds(&b, ",\n  \"theme\": ");
	sbuf_json_str(&b, c->theme ? c->theme : "dark");
	sbuf_printf(&b, ",\n  \"bell\": %s,\n  \"notify\": %s,\n  \"idle_after\": %d,\n  \"scrollback\": %d,\n",
		    c->bell ? "true" : "false", c->notify ? "true" : "false", c->idle_after,
		    c->scrollback);
	struct action_keymap km;
	action_keymap_default(&km);
	for (int i = 0; i < c->nbindings; i++) {
		int a = action_find(c->bindings[i].action);
		for (int k = 0; k < km.n; k++) /* a rebinding replaces the defaults */
			if (km.act[k] == a)
				km.act[k] = -1;
	}
	for (int i = 0; i < c->nbindings; i++)
		if (c->bindings[i].key >= 0)
			action_bind(&km, c->bindings[i].key, action_find(c->bindings[i].action));
	sbuf_adds(&b, "  \"bindings\": {\n");
	for (int a = 0; a < action_count; a++) {
		char keys[64];
		action_keys_text(&km, a, keys, sizeof keys);
		char *comma = strchr(keys, ',');
		if (comma)
			*comma = 0; /* one key per action in the file format */
		sbuf_adds(&b, "    ");
		sbuf_json_str(&b, action_table[a].name);
		sbuf_adds(&b, ": ");
		sbuf_json_str(&b, keys[0] ? keys : "none");
		sbuf_adds(&b, a + 1 < action_count ? ",\n" : "\n");
	}
	action_keymap_free(&km);
	sbuf_adds(&b, "  },\n  \"agents\": {");
	for (int i = 0; i < c->nprofiles; i++) {
		const struct plan_profile *p = &c->profiles[i];
		sbuf_adds(&b, i ? ",\n    " : "\n    ");
		sbuf_json_str(&b, p->name);
		sbuf_adds(&b, ": { \"command\": ");
		json_strv(&b, p->argv);
		if (p->resume) {
			sbuf_adds(&b, ", \"resume\": ");
			json_strv(&b, p->resume);
		}
		if (p->waiting) {
			sbuf_adds(&b, ", \"waiting\": ");
			json_strv(&b, p->waiting);
		}
		if (p->working_title) {
			sbuf_adds(&b, ", \"working_title\": ");
			sbuf_json_str(&b, p->working_title);
		}
		if (p->idle_after)
			sbuf_printf(&b, ", \"idle_after\": %d", p->idle_after);
		sbuf_adds(&b, " }");
	}
	sbuf_adds(&b, c->nprofiles ? "\n  }\n}\n" : "}\n}\n");
	return sbuf_steal(&b);
}

void config_dash_opts(const struct config *c, struct dash_opts *o)
{
	o->theme = c->theme;
	o->prefix = c->prefix;
	o->scrollback = c->scrollback;
	o->bell = c->bell;
	o->notify = c->notify;
	o->idle_after = c->idle_after;
	o->bindings = c->bindings;
	o->nbindings = c->nbindings;
}

void config_plan_opts(const struct config *c, struct plan_load_opts *lo)
{
	lo->extra_profiles = c->profiles;
	lo->nextra_profiles = c->nprofiles;
}
