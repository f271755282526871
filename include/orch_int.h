/* orch_int — what src/orch.c uses from src/orch_argv.c. Not for other
 * modules (they use orch.h). */
#ifndef SHOAL_ORCH_INT_H
#define SHOAL_ORCH_INT_H

#include "orch.h"

/* Task i's argv: its agent profile's resume command if resume (and the
 * profile has one), else the fresh command with the prompt (text if not
 * NULL); prompt_file is where the prompt was written (NULL: not yet). */
strv orch_argv_build(const struct orch *o, int i, const char *prompt_file, int resume,
		     const char *text, struct err *e);
/* Writes task i's prompt (override if not NULL) to path, atomically. */
int orch_prompt_write(const struct orch *o, int i, const char *path, const char *override,
		      struct err *e);

#endif
