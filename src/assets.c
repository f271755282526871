/* assets — locating shipped files (see assets.h for the search order). */
#include "assets.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char **assets_dirs(void)
{
	char **v = xcalloc(8, sizeof *v);
	int n = 0;
	const char *env = getenv("SHOAL_ASSETS");
	if (env && *env)
		v[n++] = xstrdup(env);
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			v[n++] = xasprintf("%s/assets", exe);
			v[n++] = xasprintf("%s/../assets", exe);
			v[n++] = xasprintf("%s/../../assets", exe);
			v[n++] = xasprintf("%s/../share/shoal", exe);
		}
	}
	return v;
}

void assets_dirs_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char *assets_find(const char *rel, struct err *e)
{
	char **dirs = assets_dirs();
	struct sbuf tried = { 0 };
	char *found = NULL;
	for (size_t i = 0; dirs[i] && !found; i++) {
		char *p = xasprintf("%s/%s", dirs[i], rel);
		struct stat sb;
		if (stat(p, &sb) == 0)
			found = p;
		else {
			sbuf_printf(&tried, "%s%s", tried.len ? ", " : "", dirs[i]);
			free(p);
		}
	}
	if (!found)
		err_set(e, "%s not found in the shoal assets (looked in %s; set SHOAL_ASSETS to the "
			   "assets directory)", rel, tried.len ? tried.s : "nowhere");
	sbuf_free(&tried);
	assets_dirs_free(dirs);
	return found;
}
