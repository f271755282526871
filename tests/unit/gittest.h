/* gittest — helpers shared by the git unit tests: real repositories made
 * with the git CLI in temp dirs (path with a space and a non-ASCII letter),
 * shell commands and their output. Header-only (tests/unit/test_*.c are
 * each their own binary). */
#ifndef SHOAL_GITTEST_H
#define SHOAL_GITTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* Strings made by the helpers are registered and freed by gt_teardown (or
 * earlier by gt_free), so tests can use them inline. */
static void **gt_reg;
static size_t gt_nreg, gt_capreg;
static char *gt_keep(char *p)
{
	xgrow((void **)&gt_reg, &gt_capreg, gt_nreg + 1, sizeof *gt_reg);
	gt_reg[gt_nreg++] = p;
	return p;
}
__attribute__((unused)) static void gt_free(void *p)
{
	for (size_t i = 0; i < gt_nreg; i++)
		if (gt_reg[i] == p)
			gt_reg[i] = NULL;
	free(p);
}
static void gt_free_all(void)
{
	for (size_t i = 0; i < gt_nreg; i++)
		free(gt_reg[i]);
	free(gt_reg);
	gt_reg = NULL;
	gt_nreg = gt_capreg = 0;
}
/* xasprintf, registered. */
__attribute__((unused)) static char *PRINTF_LIKE(1, 2) gt_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sbuf b = { 0 };
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	return gt_keep(sbuf_steal(&b));
}

static char gt_tmp[512];  /* the temp dir */
static char gt_repo[600]; /* the repository inside it: "<tmp>/my repo é" */

/* Runs a shell command (formatted); returns its exit status. */
__attribute__((unused)) static int PRINTF_LIKE(1, 2) gt_sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sbuf b = { 0 };
	sbuf_adds(&b, "{ ");
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	sbuf_adds(&b, "\n} >/dev/null 2>&1");
	int st = system(b.s);
	sbuf_free(&b);
	return st == -1 ? -1 : WEXITSTATUS(st);
}

/* Runs a shell command and returns its stdout, trailing newlines removed
 * (caller frees). */
__attribute__((unused)) static char *PRINTF_LIKE(1, 2) gt_out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sbuf b = { 0 };
	sbuf_adds(&b, "{ ");
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	sbuf_adds(&b, "\n} 2>/dev/null");
	FILE *f = popen(b.s, "r");
	sbuf_free(&b);
	struct sbuf o = { 0 };
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&o, buf, n);
	if (f)
		pclose(f);
	char *s = sbuf_steal(&o);
	size_t l = strlen(s);
	while (l && s[l - 1] == '\n')
		s[--l] = 0;
	return gt_keep(s);
}

#define GIT "git -c user.name=tester -c user.email=t@shoal.invalid -c init.defaultBranch=main " \
	    "-c advice.detachedHead=false"

/* A fresh temp dir and a repository in it with one commit on main
 * (README, src/a.c, docs/guide.md). */
static void gt_setup(void)
{
	snprintf(gt_tmp, sizeof gt_tmp, "%s/shoal-gt-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(gt_tmp))
		abort();
	snprintf(gt_repo, sizeof gt_repo, "%s/my repo é", gt_tmp);
	if (gt_sh("mkdir -p '%s' && cd '%s' && git init -q -b main . && git config user.name tester && "
		  "git config user.email t@shoal.invalid && mkdir src docs && printf 'hello\\n' >README && "
		  "printf 'int a;\\nint b;\\nint c;\\n' >src/a.c && printf 'guide\\n' >docs/guide.md && "
		  "git add -A && git commit -qm init",
		  gt_repo, gt_repo) != 0)
		abort();
}

static void gt_teardown(void)
{
	if (!getenv("GT_KEEP"))
		gt_sh("rm -rf '%s'", gt_tmp);
	gt_free_all();
}

/* cmocka per-test fixtures: a fresh repository for each test. */
__attribute__((unused)) static int gt_fixture_setup(void **st)
{
	(void)st;
	gt_setup();
	return 0;
}

__attribute__((unused)) static int gt_fixture_teardown(void **st)
{
	(void)st;
	gt_teardown();
	return 0;
}

#ifdef SHOAL_GITREPO_H
/* The test repository opened with shoal's gitrepo (fails the test if not). */
__attribute__((unused)) static struct gitrepo *gt_open(void)
{
	struct err e = { { 0 } };
	struct gitrepo *r = gitrepo_open(gt_repo, &e);
	if (!r)
		fail_msg("open: %s", e.msg);
	return r;
}
#endif

/* Commits a file change on a branch via a temporary CLI worktree-free
 * route: git hash-object + commit-tree, so no checkout is involved. The
 * branch is created from `from` when missing. */
__attribute__((unused)) static void gt_commit_file(const char *branch, const char *from, const char *path,
			   const char *content)
{
	int rc = gt_sh("cd '%s' && (git rev-parse -q --verify refs/heads/%s || git branch %s %s) && "
		       "export GIT_INDEX_FILE=\"$PWD/.git/gt-index\" && git read-tree %s && "
		       "b=$(printf '%%s' '%s' | git hash-object -w --stdin) && "
		       "git update-index --add --cacheinfo 100644,$b,'%s' && t=$(git write-tree) && "
		       "c=$(" GIT " commit-tree $t -p %s -m 'change %s') && "
		       "git update-ref refs/heads/%s $c && rm -f \"$GIT_INDEX_FILE\"",
		       gt_repo, branch, branch, from, branch, content, path, branch, path, branch);
	if (rc != 0)
		abort();
}

/* The commit a ref points to in gt_repo (caller frees). */
__attribute__((unused)) static char *gt_rev(const char *rev)
{
	return gt_out("git -C '%s' rev-parse '%s'", gt_repo, rev);
}

#endif
