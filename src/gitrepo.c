/* gitrepo — opening the repository, .shoal/ run data, the mutation lock,
 * identity, libgit2 errors, the partial-admin-dir sweep and crash recovery
 * (see include/gitrepo.h and notes/libgit2.md §2, §4, §9, §11). */
#include "gitrepo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOCK_WAIT_MS 30000

/* LeakSanitizer (SANITIZE=1 builds only; otherwise an unused function):
 * libgit2 1.5.1 as built by Debian (pcre2 regexps) leaks pcre2 match data
 * in git_config_foreach_match, reached from git_branch_delete. Not ours. */
const char *__lsan_default_suppressions(void);
__attribute__((used)) const char *__lsan_default_suppressions(void)
{
	return "leak:libpcre2-8.so\n";
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	git_libgit2_init();
	/* sparse-checkout sets extensions.worktreeConfig; accept it (§10). */
	const char *exts[] = { "worktreeconfig" };
	git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, exts, (size_t)1);
}

void gitrepo_global_init(void)
{
	pthread_once(&init_once, global_init);
}

int gitrepo_fail(struct err *e, const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	const char *detail = ge && ge->message ? ge->message : "(no detail)";
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	size_t n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", detail);
	return -1;
}

int gitrepo_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int rc = (flag == FTW_DP || flag == FTW_D) ? rmdir(p) : unlink(p);
	return rc < 0 && errno != ENOENT ? -1 : 0;
}

int gitrepo_rmtree(const char *path)
{
	if (!gitrepo_exists(path))
		return 0;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *strip_slash(const char *s)
{
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		n--;
	return xstrndup(s, n);
}

struct gitrepo *gitrepo_open(const char *dir, struct err *e)
{
	gitrepo_global_init();
	git_repository *repo = NULL, *main = NULL;
	if (!dir)
		dir = ".";
	git_error_clear();
	int rc = git_repository_open_ext(&repo, dir, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		err_set(e, "not a git repository (or any parent up to the filesystem boundary): %s",
			dir);
		return NULL;
	}
	if (rc < 0) {
		gitrepo_fail(e, "cannot open the git repository at %s", dir);
		return NULL;
	}
	if (git_repository_is_bare(repo)) {
		err_set(e, "refusing the bare repository %s: shoal needs a main worktree "
			   "(clone it, or run shoal inside a non-bare clone)",
			git_repository_path(repo));
		git_repository_free(repo);
		return NULL;
	}
	if (git_repository_is_worktree(repo)) {
		char *common = xstrdup(git_repository_commondir(repo));
		git_repository_free(repo);
		repo = NULL;
		git_error_clear();
		if (git_repository_open(&main, common) < 0) {
			gitrepo_fail(e, "cannot open the main repository %s", common);
			free(common);
			return NULL;
		}
		free(common);
	} else {
		main = repo;
	}
	const char *wd = git_repository_workdir(main);
	if (!wd || git_repository_is_bare(main)) {
		err_set(e, "refusing the bare repository %s: shoal needs a main worktree",
			git_repository_path(main));
		git_repository_free(main);
		return NULL;
	}
	if (git_repository_is_empty(main) == 1) {
		err_set(e, "the repository %s has no commits yet: make a first commit, then run shoal",
			wd);
		git_repository_free(main);
		return NULL;
	}
	struct gitrepo *r = xcalloc(1, sizeof *r);
	r->git = main;
	r->root = strip_slash(wd);
	r->gitdir = strip_slash(git_repository_commondir(main));
	r->shoal = xasprintf("%s/.shoal", r->root);
	r->lockfd = -1;
	return r;
}

void gitrepo_close(struct gitrepo *r)
{
	if (!r)
		return;
	if (r->lockfd >= 0)
		close(r->lockfd); /* releases the flock */
	git_repository_free(r->git);
	free(r->root);
	free(r->gitdir);
	free(r->shoal);
	free(r);
}

static int mkdir_one(const char *p, struct err *e)
{
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		return err_set(e, "cannot create %s: %s", p, strerror(errno));
	return 0;
}

/* Adds "/.shoal/" to <gitdir>/info/exclude unless some line already covers it. */
static int ensure_exclude(struct gitrepo *r, struct err *e)
{
	char *info = xasprintf("%s/info", r->gitdir);
	char *path = xasprintf("%s/info/exclude", r->gitdir);
	int rc = mkdir_one(info, e);
	size_t len = 0;
	char *text = rc == 0 ? util_read_file(path, &len, NULL) : NULL;
	int found = 0;
	if (text) {
		for (char *line = text; line && *line;) {
			char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line) : strlen(line);
			while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
				n--;
			if ((n == 8 && !memcmp(line, "/.shoal/", 8)) || (n == 7 && !memcmp(line, ".shoal/", 7)) ||
			    (n == 6 && !memcmp(line, ".shoal", 6)) || (n == 7 && !memcmp(line, "/.shoal", 7)))
				found = 1;
			line = nl ? nl + 1 : NULL;
		}
	}
	if (rc == 0 && !found) {
		FILE *f = fopen(path, "a");
		if (!f) {
			rc = err_set(e, "cannot write %s: %s", path, strerror(errno));
		} else {
			if (len && text[len - 1] != '\n')
				fputc('\n', f);
			fputs("# shoal run data (worktrees, logs, state)\n/.shoal/\n", f);
			if (fclose(f) != 0)
				rc = err_set(e, "cannot write %s: %s", path, strerror(errno));
		}
	}
	free(text);
	free(info);
	free(path);
	return rc;
}

static int take_lock(struct gitrepo *r, struct err *e)
{
	if (r->lockfd >= 0)
		return 0;
	char *p = xasprintf("%s/git.lock", r->shoal); /* not .shoal/lock: that is the one-shoal-per-repo lock (state.h) */
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		err_set(e, "cannot open %s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	uint64_t t0 = util_now_ms();
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			err_set(e, "cannot lock %s: %s", p, strerror(errno));
			goto fail;
		}
		if (util_now_ms() - t0 > LOCK_WAIT_MS) {
			err_set(e, "another shoal process is changing this repository "
				   "(%s is held); try again when it has finished", p);
			goto fail;
		}
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	free(p);
	r->lockfd = fd;
	return 0;
fail:
	free(p);
	close(fd);
	return -1;
}

void gitrepo_unlock(struct gitrepo *r)
{
	if (r->lockfd >= 0)
		close(r->lockfd);
	r->lockfd = -1;
}

static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static char *live_keys[64];

void gitrepo_validation_live(const char *key, int live)
{
	pthread_mutex_lock(&live_mu);
	for (size_t i = 0; i < ARRAY_LEN(live_keys); i++) {
		if (live && !live_keys[i]) {
			live_keys[i] = xstrdup(key);
			break;
		}
		if (!live && live_keys[i] && !strcmp(live_keys[i], key)) {
			free(live_keys[i]);
			live_keys[i] = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&live_mu);
}

/* s starts with "<pid>-<n>": 1 if that validation may still be running
 * (registered in this process, or another process with that pid lives). */
static int validation_in_use(const char *s)
{
	char *end;
	long pid = strtol(s, &end, 10);
	if (end == s || *end != '-' || pid <= 0)
		return 0;
	if (pid != (long)getpid())
		return kill((pid_t)pid, 0) == 0 || errno == EPERM;
	long n = strtol(end + 1, &end, 10);
	char key[64];
	snprintf(key, sizeof key, "%ld-%ld", pid, n);
	int live = 0;
	pthread_mutex_lock(&live_mu);
	for (size_t i = 0; i < ARRAY_LEN(live_keys); i++)
		if (live_keys[i] && !strcmp(live_keys[i], key))
			live = 1;
	pthread_mutex_unlock(&live_mu);
	return live;
}

int gitrepo_sweep(struct gitrepo *r)
{
	char *wts = xasprintf("%s/worktrees", r->gitdir);
	DIR *d = opendir(wts);
	int n = 0;
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *p = xasprintf("%s/%s", wts, de->d_name);
			char *g = xasprintf("%s/gitdir", p), *c = xasprintf("%s/commondir", p),
			     *h = xasprintf("%s/HEAD", p), *l = xasprintf("%s/locked", p);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
			    (!gitrepo_exists(g) || !gitrepo_exists(c) || !gitrepo_exists(h)) &&
			    !gitrepo_exists(l)) {
				if (gitrepo_rmtree(p) == 0)
					n++;
			}
			free(g), free(c), free(h), free(l), free(p);
		}
		closedir(d);
	}
	free(wts);
	return n;
}

static int find_gitattributes(const char *root, const git_tree_entry *te, void *payload)
{
	(void)root;
	if (!strcmp(git_tree_entry_name(te), ".gitattributes")) {
		*(int *)payload = 1;
		return -1; /* stop */
	}
	return 0;
}

int gitrepo_filters_needed(struct gitrepo *r, const git_oid *tip)
{
	int needed = 0;
	git_config *cfg = NULL;
	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return 1;
	int b = 0;
	const char *str = NULL;
	if (git_config_get_bool(&b, cfg, "core.autocrlf") == 0 && b)
		needed = 1;
	else if (git_config_get_string(&str, cfg, "core.autocrlf") == 0 && strcmp(str, "false") &&
		 strcmp(str, "input"))
		needed = 1;
	if (git_config_get_string(&str, cfg, "core.attributesfile") == 0)
		needed = 1;
	git_config_free(cfg);
	git_error_clear();
	char *p = xasprintf("%s/info/attributes", r->gitdir);
	if (gitrepo_exists(p))
		needed = 1;
	free(p);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	p = xdg && *xdg ? xasprintf("%s/git/attributes", xdg)
			: xasprintf("%s/.config/git/attributes", home ? home : "/nonexistent");
	if (gitrepo_exists(p) || gitrepo_exists("/etc/gitattributes"))
		needed = 1;
	free(p);
	if (needed)
		return 1;
	git_commit *c = NULL;
	git_tree *t = NULL;
	if (git_commit_lookup(&c, r->git, tip) < 0 || git_commit_tree(&t, c) < 0) {
		needed = 1;
	} else {
		git_tree_walk(t, GIT_TREEWALK_PRE, find_gitattributes, &needed);
	}
	git_tree_free(t);
	git_commit_free(c);
	git_error_clear();
	return needed;
}

char *gitrepo_branch_holder(struct gitrepo *r, const char *refname)
{
	char *p = xasprintf("%s/HEAD", r->gitdir);
	char *head = util_read_trimmed(p);
	free(p);
	char *want = xasprintf("ref: %s", refname);
	char *holder = NULL;
	if (head && !strcmp(head, want))
		holder = xstrdup("");
	free(head);
	char *wts = xasprintf("%s/worktrees", r->gitdir);
	DIR *d = holder ? NULL : opendir(wts);
	if (d) {
		struct dirent *de;
		while (!holder && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *hp = xasprintf("%s/%s/HEAD", wts, de->d_name);
			char *h = util_read_trimmed(hp);
			if (h && !strcmp(h, want)) {
				char *gp = xasprintf("%s/%s/gitdir", wts, de->d_name);
				char *g = util_read_trimmed(gp);
				if (g) {
					size_t n = strlen(g);
					if (n > 5 && !strcmp(g + n - 5, "/.git"))
						g[n - 5] = 0;
					holder = g;
				} else {
					holder = xasprintf("%s/%s", wts, de->d_name);
				}
				free(gp);
			}
			free(h);
			free(hp);
		}
		closedir(d);
	}
	free(wts);
	free(want);
	return holder;
}

int gitrepo_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 64)
		return 0;
	if (!((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z') ||
	      (id[0] >= '0' && id[0] <= '9')))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	if (strstr(id, ".."))
		return 0;
	if (n >= 5 && !strcmp(id + n - 5, ".lock"))
		return 0;
	return 1;
}

int gitrepo_check_names(const char *id, const char *branch, struct err *e)
{
	if (!gitrepo_id_valid(id))
		return err_set(e, "invalid task id \"%s\": use 1-64 ASCII letters, digits, '.', '_' "
				  "or '-', starting with a letter or digit, without \"..\" or a "
				  "\".lock\" suffix", id);
	int valid = 0;
	if (git_branch_name_is_valid(&valid, branch) < 0 || !valid)
		return err_set(e, "invalid branch name \"%s\" for task \"%s\" (check branch_prefix)",
			       branch, id);
	return 0;
}

int gitrepo_base(struct gitrepo *r, const char *base, char **out, struct err *e)
{
	*out = NULL;
	if (base) {
		git_reference *ref = NULL;
		char *name = xasprintf("refs/heads/%s", base);
		git_error_clear();
		int rc = git_reference_lookup(&ref, r->git, name);
		free(name);
		if (rc < 0)
			return err_set(e, "base branch \"%s\" not found in %s", base, r->root);
		git_reference_free(ref);
		*out = xstrdup(base);
		return 0;
	}
	git_reference *head = NULL;
	git_error_clear();
	if (git_reference_lookup(&head, r->git, "HEAD") < 0)
		return gitrepo_fail(e, "cannot read HEAD of %s", r->root);
	int rc = 0;
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
	    strncmp(git_reference_symbolic_target(head), "refs/heads/", 11)) {
		rc = err_set(e, "the main worktree (%s) has a detached HEAD: set \"base\" in the "
				"plan or check out a branch", r->root);
	} else {
		*out = xstrdup(git_reference_symbolic_target(head) + 11);
		git_reference *b = NULL;
		if (git_reference_lookup(&b, r->git, git_reference_symbolic_target(head)) < 0) {
			rc = err_set(e, "the base branch \"%s\" has no commits yet", *out);
			free(*out);
			*out = NULL;
		}
		git_reference_free(b);
	}
	git_reference_free(head);
	return rc;
}

int gitrepo_branch_oid(struct gitrepo *r, const char *branch, git_oid *out, struct err *e)
{
	git_reference *ref = NULL, *res = NULL;
	char *name = xasprintf("refs/heads/%s", branch);
	git_error_clear();
	int rc = git_reference_lookup(&ref, r->git, name);
	if (rc == 0)
		rc = git_reference_resolve(&res, ref);
	if (rc < 0)
		err_set(e, "branch \"%s\" not found", branch);
	else
		git_oid_cpy(out, git_reference_target(res));
	git_reference_free(ref);
	git_reference_free(res);
	free(name);
	return rc < 0 ? -1 : 0;
}

int gitrepo_identity(struct gitrepo *r, git_signature **sig, int *fallback, struct err *e)
{
	*fallback = 0;
	git_error_clear();
	if (git_signature_default(sig, r->git) == 0)
		return 0;
	*fallback = 1;
	git_error_clear();
	if (git_signature_now(sig, "shoal", "shoal@localhost") < 0)
		return gitrepo_fail(e, "cannot make a commit signature");
	return 0;
}

int gitrepo_dirty(git_repository *wr, int untracked, char ***paths, int limit, struct err *e)
{
	git_status_options so;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = untracked ? GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS : 0;
	so.flags |= GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	git_status_list *sl = NULL;
	git_error_clear();
	if (git_status_list_new(&sl, wr, &so) < 0)
		return gitrepo_fail(e, "cannot read the status of %s", git_repository_workdir(wr));
	size_t n = git_status_list_entrycount(sl);
	if (paths) {
		size_t m = n < (size_t)limit ? n : (size_t)limit;
		*paths = xcalloc(m + 1, sizeof(char *));
		for (size_t i = 0; i < m; i++) {
			const git_status_entry *se = git_status_byindex(sl, i);
			const git_diff_delta *d = se->index_to_workdir ? se->index_to_workdir
								     : se->head_to_index;
			(*paths)[i] = xstrdup(d && d->new_file.path ? d->new_file.path : "?");
		}
	}
	git_status_list_free(sl);
	return (int)n;
}

/* ---- main worktree checkout (merge publish and recovery) ---- */

struct co_ctx {
	struct sbuf conflicts;
	int nconf;
	void (*progress)(const char *path, size_t done, size_t total, void *ud);
	void *ud;
};

static int co_notify(git_checkout_notify_t why, const char *path, const git_diff_file *b,
		     const git_diff_file *t, const git_diff_file *w, void *payload)
{
	(void)why, (void)b, (void)t, (void)w;
	struct co_ctx *c = payload;
	if (c->nconf < 10)
		sbuf_printf(&c->conflicts, "%s%s", c->nconf ? ", " : "", path);
	c->nconf++;
	return 0;
}

static void co_progress(const char *path, size_t done, size_t total, void *payload)
{
	struct co_ctx *c = payload;
	if (c->progress)
		c->progress(path, done, total, c->ud);
}

static int write_index_retry(git_index *idx, struct err *e)
{
	uint64_t t0 = util_now_ms();
	for (;;) {
		git_error_clear();
		int rc = git_index_write(idx);
		if (rc == 0)
			return 0;
		if (rc != GIT_ELOCKED || util_now_ms() - t0 > 5000)
			return gitrepo_fail(e, "cannot write the index");
		struct timespec ts = { 0, 80 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

static int collect_paths(git_repository *repo, git_tree *a, git_tree *b, git_strarray *out)
{
	git_diff *d = NULL;
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(&d, repo, a, b, &o) < 0)
		return -1;
	size_t n = git_diff_num_deltas(d);
	out->strings = xcalloc(2 * n + 1, sizeof(char *));
	out->count = 0;
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *dl = git_diff_get_delta(d, i);
		out->strings[out->count++] = xstrdup(dl->old_file.path);
		if (strcmp(dl->old_file.path, dl->new_file.path))
			out->strings[out->count++] = xstrdup(dl->new_file.path);
	}
	git_diff_free(d);
	return 0;
}

static void strarray_free_own(git_strarray *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->strings[i]);
	free(s->strings);
	s->strings = NULL;
	s->count = 0;
}

int gitrepo_checkout_main(struct gitrepo *r, const git_oid *from_commit, const git_oid *to_commit,
			  enum gitrepo_co mode, void (*progress)(const char *, size_t, size_t, void *), void *ud,
			  struct err *e)
{
	git_repository *wr = NULL;
	git_commit *cf = NULL, *ct = NULL;
	git_tree *tf = NULL, *tt = NULL;
	git_index *idx = NULL;
	git_strarray paths = { 0 };
	struct co_ctx c = { { 0 }, 0, progress, ud };
	int rc = -1;
	char *lock = xasprintf("%s/index.lock", r->gitdir);

	if (gitrepo_exists(lock)) {
		err_set(e, "%s exists: another git process is using the main worktree's index "
			   "(shoal never removes lock files; retry when it is gone)", lock);
		goto out;
	}
	git_error_clear();
	if (git_repository_open(&wr, r->root) < 0) {
		gitrepo_fail(e, "cannot open %s", r->root);
		goto out;
	}
	if (git_commit_lookup(&cf, wr, from_commit) < 0 || git_commit_lookup(&ct, wr, to_commit) < 0 ||
	    git_commit_tree(&tf, cf) < 0 || git_commit_tree(&tt, ct) < 0) {
		gitrepo_fail(e, "cannot read the commits to check out");
		goto out;
	}
	if (collect_paths(wr, tf, tt, &paths) < 0) {
		gitrepo_fail(e, "cannot compare the trees");
		goto out;
	}
	if (paths.count == 0) {
		rc = 0;
		goto out;
	}
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	int force = mode == GITREPO_CO_FORCE;
	co.checkout_strategy = (force ? GIT_CHECKOUT_FORCE : GIT_CHECKOUT_SAFE) |
			       GIT_CHECKOUT_DONT_WRITE_INDEX | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	if (mode == GITREPO_CO_CHECK)
		co.checkout_strategy |= GIT_CHECKOUT_DRY_RUN;
	co.baseline = tf;
	co.paths = paths;
	co.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
	co.notify_cb = co_notify;
	co.notify_payload = &c;
	co.progress_cb = co_progress;
	co.progress_payload = &c;
	git_error_clear();
	int crc = git_checkout_tree(wr, (git_object *)tt, &co);
	if (crc == GIT_ECONFLICT || c.nconf) {
		err_set(e, "the main worktree %s has local changes or untracked files the merge "
			   "would overwrite (%d: %s%s); nothing was written",
			r->root, c.nconf, c.conflicts.s ? c.conflicts.s : "?", c.nconf > 10 ? ", ..." : "");
		rc = -2;
		goto out;
	}
	if (crc < 0) {
		gitrepo_fail(e, "checkout into %s failed", r->root);
		goto out;
	}
	if (mode == GITREPO_CO_CHECK) {
		rc = 0;
		goto out;
	}
	if (git_repository_index(&idx, wr) < 0) {
		gitrepo_fail(e, "cannot read the index of %s", r->root);
		goto out;
	}
	if (force) {
		/* Make each changed path's index entry match the file now on disk. */
		for (size_t i = 0; i < paths.count; i++) {
			git_tree_entry *te = NULL;
			if (git_tree_entry_bypath(&te, tt, paths.strings[i]) == 0) {
				git_tree_entry_free(te);
				git_index_add_bypath(idx, paths.strings[i]);
			} else {
				git_index_remove_bypath(idx, paths.strings[i]);
			}
		}
	}
	rc = write_index_retry(idx, e);
out:
	git_index_free(idx);
	git_tree_free(tf);
	git_tree_free(tt);
	git_commit_free(cf);
	git_commit_free(ct);
	git_repository_free(wr);
	strarray_free_own(&paths);
	sbuf_free(&c.conflicts);
	free(lock);
	return rc;
}

/* ---- journal and recovery ---- */

static int write_durable(const char *path, const char *text, struct err *e)
{
	char *tmp = xasprintf("%s.tmp", path);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd >= 0) {
		size_t n = strlen(text);
		if (write(fd, text, n) == (ssize_t)n && fsync(fd) == 0)
			rc = 0;
		if (close(fd) < 0)
			rc = -1;
	}
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0)
		err_set(e, "cannot write %s: %s", path, strerror(errno));
	free(tmp);
	return rc;
}

int gitrepo_add_intent(struct gitrepo *r, const char *id, const char *admin_name,
		       const char *branch, int creates_branch, struct err *e)
{
	char *p = xasprintf("%s/adding-%s", r->shoal, id);
	char *text = xasprintf("%s\n%s\n%d\n", admin_name, branch, creates_branch);
	int rc = write_durable(p, text, e);
	free(text);
	free(p);
	return rc;
}

void gitrepo_add_done(struct gitrepo *r, const char *id)
{
	char *p = xasprintf("%s/adding-%s", r->shoal, id);
	unlink(p);
	free(p);
}

/* The lock file a process killed while writing `ref` left. libgit2 commits
 * a lock file by link() then unlink() (p_rename in posix.c), so a kill
 * between the two leaves the ref written AND its lock, and every later
 * update or delete of the ref fails on the lock. Only for refs that no one
 * but a shoal holding git.lock writes. */
static void drop_ref_lock(struct gitrepo *r, const char *ref)
{
	char *lk = xasprintf("%s/%s.lock", r->gitdir, ref);
	unlink(lk);
	free(lk);
}

/* Undoes the worktree adds a killed shoal left half done. */
static void recover_adds(struct gitrepo *r)
{
	DIR *d = opendir(r->shoal);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *id = de->d_name;
		if (strncmp(id, "adding-", 7) || strstr(id, ".tmp"))
			continue;
		id += 7;
		char *ip = xasprintf("%s/%s", r->shoal, de->d_name);
		char *text = util_read_trimmed(ip);
		char *name = text, *branch = text ? strchr(text, '\n') : NULL;
		char *created = branch ? strchr(branch + 1, '\n') : NULL;
		if (branch && created && gitrepo_id_valid(id)) {
			*branch++ = 0;
			*created++ = 0;
			if (*name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..")) {
				char *admin = xasprintf("%s/worktrees/%s", r->gitdir, name);
				gitrepo_rmtree(admin);
				free(admin);
			}
			char *wt = xasprintf("%s/worktrees/%s", r->shoal, id);
			gitrepo_rmtree(wt);
			free(wt);
			git_reference *b = NULL;
			char *ref = xasprintf("refs/heads/%s", branch);
			char *holder = gitrepo_branch_holder(r, ref);
			if (!strcmp(created, "1") && !holder) {
				/* killed inside git_branch_create: its lock on our new
				 * branch goes first, or the delete cannot lock the ref */
				drop_ref_lock(r, ref);
				if (git_branch_lookup(&b, r->git, branch, GIT_BRANCH_LOCAL) == 0)
					git_branch_delete(b);
			}
			git_reference_free(b);
			free(holder);
			free(ref);
		}
		unlink(ip);
		r->recovered++;
		free(text);
		free(ip);
	}
	closedir(d);
	git_error_clear();
}

static char *journal_path(struct gitrepo *r)
{
	return xasprintf("%s/merge-journal", r->shoal);
}

int gitrepo_journal_write(struct gitrepo *r, const char *refname, const git_oid *old_tip,
			  const git_oid *new_tip, struct err *e)
{
	char *p = journal_path(r);
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
	git_oid_tostr(a, sizeof a, old_tip);
	git_oid_tostr(b, sizeof b, new_tip);
	char *text = xasprintf("%s\n%s\n%s\n", refname, a, b);
	int rc = write_durable(p, text, e);
	free(text);
	free(p);
	return rc;
}

int gitrepo_journal_clear(struct gitrepo *r)
{
	char *p = journal_path(r);
	int rc = unlink(p) < 0 && errno != ENOENT ? -1 : 0;
	free(p);
	return rc;
}

/* A journal means a merge died between touching the main worktree and
 * clearing the journal: make the main worktree match the base ref again. */
/* Lock files a killed merge may have left: the base ref's lock holding our
 * new tip (only we write that), and index.lock created after the journal
 * that no live process releases within 2 s. Anything else is left alone. */
static void drop_own_locks(struct gitrepo *r, const char *ref, const char *new_hex,
			   const struct stat *jst)
{
	char *rl = xasprintf("%s/%s.lock", r->gitdir, ref);
	char *c = util_read_trimmed(rl);
	if (c && !strcmp(c, new_hex))
		unlink(rl);
	free(c);
	free(rl);
	char *il = xasprintf("%s/index.lock", r->gitdir);
	struct stat st;
	uint64_t t0 = util_now_ms();
	while (lstat(il, &st) == 0 && util_now_ms() - t0 < 2000) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (lstat(il, &st) == 0 &&
	    (st.st_mtim.tv_sec > jst->st_mtim.tv_sec ||
	     (st.st_mtim.tv_sec == jst->st_mtim.tv_sec && st.st_mtim.tv_nsec >= jst->st_mtim.tv_nsec)))
		unlink(il);
	free(il);
}

static int recover_journal(struct gitrepo *r, struct err *e)
{
	char *p = journal_path(r);
	struct stat jst;
	char *text = lstat(p, &jst) == 0 ? util_read_trimmed(p) : NULL;
	free(p);
	if (!text)
		return 0;
	char *ref = text, *a = strchr(ref, '\n'), *b = a ? strchr(a + 1, '\n') : NULL;
	git_oid old_tip, new_tip, cur;
	int rc = 0;
	if (!a || !b) {
		gitrepo_journal_clear(r);
		free(text);
		return 0;
	}
	*a++ = 0;
	*b++ = 0;
	drop_own_locks(r, ref, b, &jst);
	if (git_oid_fromstr(&old_tip, a) < 0 || git_oid_fromstr(&new_tip, b) < 0 ||
	    git_reference_name_to_id(&cur, r->git, ref) < 0) {
		gitrepo_journal_clear(r);
		free(text);
		return 0;
	}
	const git_oid *from = NULL;
	if (git_oid_equal(&cur, &old_tip))
		from = &new_tip;
	else if (git_oid_equal(&cur, &new_tip))
		from = &old_tip;
	if (from) {
		rc = gitrepo_checkout_main(r, from, &cur, GITREPO_CO_FORCE, NULL, NULL, e);
		if (rc < 0) {
			size_t n = strlen(e->msg);
			snprintf(e->msg + n, sizeof e->msg - n,
				 " (while recovering from an interrupted merge)");
		}
	}
	if (rc == 0) {
		gitrepo_journal_clear(r);
		r->recovered++;
	}
	free(text);
	return rc;
}

/* Removes validation worktrees and temporary branches a killed merge left. */
static void recover_validation(struct gitrepo *r)
{
	char *wts = xasprintf("%s/worktrees", r->gitdir);
	char *vdir = xasprintf("%s/validate/", r->shoal);
	DIR *d = opendir(wts);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *gp = xasprintf("%s/%s/gitdir", wts, de->d_name);
			char *g = util_read_trimmed(gp);
			if (g && !strncmp(g, vdir, strlen(vdir)) &&
			    !validation_in_use(g + strlen(vdir))) {
				char *admin = xasprintf("%s/%s", wts, de->d_name);
				gitrepo_rmtree(admin);
				free(admin);
				r->recovered++;
			}
			free(g);
			free(gp);
		}
		closedir(d);
	}
	/* What is left in .shoal/validate and not in use was left by a killed shoal. */
	DIR *vd = opendir(vdir);
	if (vd) {
		struct dirent *de;
		while ((de = readdir(vd))) {
			if (de->d_name[0] == '.' || validation_in_use(de->d_name))
				continue;
			char *p = xasprintf("%s%s", vdir, de->d_name);
			gitrepo_rmtree(p);
			free(p);
		}
		closedir(vd);
	}
	git_branch_iterator *it = NULL;
	if (git_branch_iterator_new(&it, r->git, GIT_BRANCH_LOCAL) == 0) {
		git_reference *ref;
		git_branch_t type;
		while (git_branch_next(&ref, &type, it) == 0) {
			const char *name = git_reference_shorthand(ref);
			if (!strncmp(name, "shoal-tmp/", 10)) {
				char *h = gitrepo_branch_holder(r, git_reference_name(ref));
				if (!h)
					drop_ref_lock(r, git_reference_name(ref));
				if (!h && git_branch_delete(ref) == 0)
					r->recovered++;
				free(h);
			}
			git_reference_free(ref);
		}
		git_branch_iterator_free(it);
	}
	free(wts);
	free(vdir);
}

int gitrepo_prepare(struct gitrepo *r, struct err *e)
{
	char *w = xasprintf("%s/worktrees", r->shoal), *l = xasprintf("%s/logs", r->shoal),
	     *v = xasprintf("%s/validate", r->shoal);
	int rc = mkdir_one(r->shoal, e);
	if (rc == 0)
		rc = mkdir_one(w, e);
	if (rc == 0)
		rc = mkdir_one(l, e);
	if (rc == 0)
		rc = mkdir_one(v, e);
	free(w), free(l), free(v);
	if (rc == 0)
		rc = ensure_exclude(r, e);
	if (rc == 0)
		rc = take_lock(r, e);
	if (rc < 0)
		return -1;
	r->recovered = 0;
	recover_adds(r);
	recover_validation(r);
	r->recovered += gitrepo_sweep(r);
	return recover_journal(r, e);
}
