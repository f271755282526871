/* assets — finding the files shoal ships (role prompts, simulated agents,
 * the demo project) at run time: $SHOAL_ASSETS, then next to the binary
 * (assets/ in a source tree, whether the binary is ./shoal or
 * build/<variant>/shoal), then PREFIX/share/shoal for an installed binary. */
#ifndef SHOAL_ASSETS_H
#define SHOAL_ASSETS_H

#include "util.h"

/* The full path of rel (e.g. "roles/domain.md") in the first assets
 * directory that has it, or NULL with e listing where it looked. */
char *assets_find(const char *rel, struct err *e);
/* The assets directories searched, in order (NULL-terminated; caller frees
 * with assets_dirs_free). */
char **assets_dirs(void);
void assets_dirs_free(char **v);

#endif
