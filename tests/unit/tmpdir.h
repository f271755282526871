/* tmpdir — temp directories for unit tests that need files: made under
 * /tmp with a recognisable prefix, removed with rm -rf. Header-only (each
 * tests/unit/test_*.c is its own binary); include after cmocka.h. */
#ifndef SHOAL_TEST_TMPDIR_H
#define SHOAL_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* A new directory /tmp/shoal-test-NAME.XXXXXX (caller frees the path). */
__attribute__((unused)) static char *tu_tmpdir(const char *name)
{
	char *tpl = xasprintf("/tmp/shoal-test-%s.XXXXXX", name);
	assert_non_null(mkdtemp(tpl));
	return tpl;
}

__attribute__((unused)) static void tu_rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

#endif
