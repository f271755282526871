/* cmd_git — the git subcommands: `worktree add|list|remove|prune|clean`,
 * `diff` and `merge`. Every mutating operation runs on the git worker
 * thread (the same engine the dashboard uses); progress and validation
 * output go to stderr, results to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "dag.h"
#include "gitdiff.h"
#include "gitrepo.h"
#include "gitworker.h"
#include "gitwt.h"
#include "merge.h"
#include "plan.h"

struct gctx {
	struct cli *c;
	struct plan *plan;   /* NULL when optional and absent */
	struct gitrepo *repo;
	char *base;          /* resolved base branch */
	struct gitworker *w;
};

static void gctx_free(struct gctx *g)
{
	if (g->w)
		gitworker_stop(g->w);
	gitrepo_close(g->repo);
	plan_free(g->plan);
	free(g->base);
}

/* Opens the repository and (when need_plan, or when one exists) the plan,
 * and resolves the base branch. */
static int gctx_open(struct gctx *g, struct cli *c, int need_plan, int need_base)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	struct err e = { { 0 } };
	g->repo = gitrepo_open(NULL, &e);
	if (!g->repo)
		return cli_fail(c, "%s", e.msg);
	int have = c->plan_path != NULL;
	if (!have) {
		char *p = xasprintf("%s/shoal.json", g->repo->root);
		have = access(p, F_OK) == 0;
		free(p);
	}
	if (need_plan || have) {
		g->plan = cli_load_plan(c, NULL);
		if (!g->plan)
			return EXIT_FAIL;
	}
	if (gitrepo_base(g->repo, g->plan ? g->plan->base : NULL, &g->base, &e) < 0) {
		if (need_base)
			return cli_fail(c, "%s", e.msg);
		/* list and prune work without one (no ahead/behind/merged) */
		fprintf(stderr, "shoal %s: note: %s\n", c->cmd, e.msg);
	}
	return EXIT_OK;
}

static int gctx_worker(struct gctx *g)
{
	struct err e = { { 0 } };
	g->w = gitworker_start(g->repo->root, &e);
	if (!g->w)
		return cli_fail(g->c, "%s", e.msg);
	return EXIT_OK;
}

static volatile sig_atomic_t interrupted;
static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Waits for job id, showing progress (on a terminal) and streaming
 * validation output to stderr. Ctrl-C (or SIGTERM) cancels a running
 * validation, which changes nothing, instead of leaving it running.
 * Returns the GW_DONE message. */
static struct gw_msg *wait_job(struct gitworker *w, unsigned id)
{
	int tty = isatty(2);
	int shown = 0, cancelled = 0;
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (;;) {
		if (interrupted && !cancelled) {
			cancelled = 1;
			fputs("\nshoal: interrupted: cancelling (nothing will be changed)\n", stderr);
			gitworker_cancel(w);
		}
		struct gw_msg *m;
		while ((m = gitworker_next(w))) {
			if (m->job == id && m->kind == GW_DONE) {
				if (shown)
					fputs("\r\033[K", stderr);
				sigaction(SIGINT, &old_int, NULL);
				sigaction(SIGTERM, &old_term, NULL);
				return m;
			}
			if (m->kind == GW_OUTPUT) {
				if (shown)
					fputs("\r\033[K", stderr), shown = 0;
				fwrite(m->text, 1, m->n, stderr);
			} else if (m->kind == GW_PROGRESS && tty && m->total) {
				fprintf(stderr, "\r\033[K%s: %zu/%zu files", m->what, m->done, m->total);
				shown = 1;
			}
			gw_msg_free(m);
		}
		struct pollfd p = { gitworker_fd(w), POLLIN, 0 };
		poll(&p, 1, 200);
	}
}

/* Looks up task ids in the plan; prints every unknown one (with a
 * suggestion) and returns -1 if any. idx gets n indices. */
static int find_tasks(struct gctx *g, char **ids, int n, int *idx)
{
	int bad = 0;
	const char **names = xcalloc((size_t)g->plan->ntasks + 1, sizeof *names);
	for (int i = 0; i < g->plan->ntasks; i++)
		names[i] = g->plan->tasks[i].id;
	for (int i = 0; i < n; i++) {
		idx[i] = plan_find(g->plan, ids[i]);
		if (idx[i] < 0) {
			const char *s = util_suggest(ids[i], names, (size_t)g->plan->ntasks);
			if (s)
				cli_fail(g->c, "no task \"%s\" in %s (did you mean \"%s\"?)", ids[i],
					 g->plan->path, s);
			else
				cli_fail(g->c, "no task \"%s\" in %s", ids[i], g->plan->path);
			bad = 1;
		}
	}
	free(names);
	return bad ? -1 : 0;
}

static char *task_branch(struct gctx *g, int i)
{
	return plan_task_branch(g->plan, &g->plan->tasks[i]);
}

/* ---- worktree ---- */

static int wt_add(struct gctx *g, char **ids, int n)
{
	int *idx = xcalloc((size_t)n + 1, sizeof *idx), rc = EXIT_OK;
	if (find_tasks(g, ids, n, idx) < 0 || gctx_worker(g)) {
		free(idx);
		return EXIT_FAIL;
	}
	for (int i = 0; i < n; i++) {
		char *br = task_branch(g, idx[i]);
		unsigned j = gitworker_wt_add(g->w, g->base, br, ids[i], NULL);
		struct gw_msg *m = wait_job(g->w, j);
		if (m->rc < 0) {
			cli_fail(g->c, "%s", m->err.msg);
			rc = EXIT_FAIL;
		} else {
			struct gitwt_add_result *r = m->result;
			if (r->reused)
				printf("%s: worktree %s on existing branch %s at %.12s", ids[i], r->path, br,
				       r->head);
			else
				printf("%s: worktree %s on new branch %s from %s at %.12s", ids[i], r->path,
				       br, g->base, r->head);
			printf("%s\n", r->pruned_stale ? " (a stale entry was pruned first)" : "");
		}
		gw_msg_free(m);
		free(br);
	}
	free(idx);
	return rc;
}

static void json_info(struct sbuf *b, const struct gitwt_info *w)
{
	sbuf_adds(b, "{\"id\": ");
	sbuf_json_str(b, w->id);
	sbuf_adds(b, ", \"branch\": ");
	if (w->branch)
		sbuf_json_str(b, w->branch);
	else
		sbuf_adds(b, "null");
	sbuf_adds(b, ", \"path\": ");
	sbuf_json_str(b, w->path);
	sbuf_adds(b, ", \"head\": ");
	sbuf_json_str(b, w->head);
	sbuf_printf(b, ", \"ahead\": %d, \"behind\": %d, \"dirty\": %d, \"clean\": %s, \"locked\": %s",
		    w->ahead, w->behind, w->dirty, w->dirty == 0 ? "true" : "false",
		    w->locked ? "true" : "false");
	sbuf_adds(b, ", \"lock_reason\": ");
	if (w->locked)
		sbuf_json_str(b, w->lock_reason ? w->lock_reason : "");
	else
		sbuf_adds(b, "null");
	sbuf_printf(b, ", \"stale\": %s, \"merged\": %s}", w->stale ? "true" : "false",
		    w->merged ? "true" : "false");
}

static int wt_list(struct gctx *g, int json)
{
	struct err e = { { 0 } };
	struct gitwt_info *v;
	int n;
	if (gitwt_list(g->repo, g->base, &v, &n, &e) < 0)
		return cli_fail(g->c, "%s", e.msg);
	if (json) {
		struct sbuf b = { 0 };
		sbuf_adds(&b, "{\"base\": ");
		if (g->base)
			sbuf_json_str(&b, g->base);
		else
			sbuf_adds(&b, "null");
		sbuf_adds(&b, ", \"worktrees\": [");
		for (int i = 0; i < n; i++) {
			if (i)
				sbuf_adds(&b, ", ");
			json_info(&b, &v[i]);
		}
		sbuf_adds(&b, "]}");
		puts(b.s);
		sbuf_free(&b);
	} else if (n == 0) {
		printf("no shoal worktrees\n");
	} else {
		printf("%-20s %-32s %-12s %5s %6s  %s\n", "TASK", "BRANCH", "HEAD", "AHEAD", "BEHIND",
		       "STATE");
		for (int i = 0; i < n; i++) {
			const struct gitwt_info *w = &v[i];
			char state[256];
			if (w->stale)
				snprintf(state, sizeof state, "stale (directory deleted; shoal worktree prune)");
			else if (w->dirty > 0)
				snprintf(state, sizeof state, "dirty (%d change%s)", w->dirty,
					 w->dirty == 1 ? "" : "s");
			else if (w->dirty == 0)
				snprintf(state, sizeof state, "clean");
			else
				snprintf(state, sizeof state, "unknown");
			if (w->locked) {
				size_t l = strlen(state);
				snprintf(state + l, sizeof state - l, ", locked%s%s",
					 w->lock_reason && *w->lock_reason ? ": " : "",
					 w->lock_reason ? w->lock_reason : "");
			}
			if (w->merged) {
				size_t l = strlen(state);
				snprintf(state + l, sizeof state - l, ", merged");
			}
			printf("%-20s %-32s %-12.12s %5d %6d  %s\n", w->id, w->branch ? w->branch : "(detached)",
			       w->head, w->ahead, w->behind, state);
		}
	}
	gitwt_list_free(v, n);
	return EXIT_OK;
}

static int remove_one(struct gctx *g, const char *id, int force)
{
	unsigned j = gitworker_wt_remove(g->w, g->base, id, force, NULL);
	struct gw_msg *m = wait_job(g->w, j);
	int rc = EXIT_OK;
	if (m->rc < 0) {
		cli_fail(g->c, "%s", m->err.msg);
		rc = EXIT_FAIL;
	} else {
		struct gitwt_remove_result *r = m->result;
		if (r->branch_deleted)
			printf("%s: worktree removed, branch %s deleted%s\n", id, r->branch,
			       r->branch_kept_unmerged ? " (not merged; --force)" : " (merged)");
		else if (r->branch_kept_unmerged)
			printf("%s: worktree removed, branch %s kept: not merged into %s "
			       "(--force deletes it)\n", id, r->branch, g->base);
		else
			printf("%s: worktree removed\n", id);
	}
	gw_msg_free(m);
	return rc;
}

static int wt_remove(struct gctx *g, char **ids, int n, int force)
{
	if (gctx_worker(g))
		return EXIT_FAIL;
	int rc = EXIT_OK;
	for (int i = 0; i < n; i++)
		if (remove_one(g, ids[i], force))
			rc = EXIT_FAIL;
	return rc;
}

static int wt_prune(struct gctx *g)
{
	if (gctx_worker(g))
		return EXIT_FAIL;
	unsigned j = gitworker_wt_prune(g->w, NULL);
	struct gw_msg *m = wait_job(g->w, j);
	int rc = EXIT_OK;
	if (m->rc < 0)
		rc = cli_fail(g->c, "%s", m->err.msg);
	else
		printf("pruned %d stale entr%s\n", m->rc, m->rc == 1 ? "y" : "ies");
	gw_msg_free(m);
	return rc;
}

static int wt_clean(struct gctx *g, int force)
{
	struct err e = { { 0 } };
	struct gitwt_info *v;
	int n, rc = EXIT_OK, removed = 0;
	if (gitwt_list_fast(g->repo, g->base, &v, &n, &e) < 0)
		return cli_fail(g->c, "%s", e.msg);
	if (gctx_worker(g)) {
		gitwt_list_free(v, n);
		return EXIT_FAIL;
	}
	for (int i = 0; i < n; i++) {
		if (!v[i].merged) {
			printf("%s: kept (branch %s not merged into %s)\n", v[i].id,
			       v[i].branch ? v[i].branch : "(detached)", g->base);
			continue;
		}
		if (remove_one(g, v[i].id, force))
			rc = EXIT_FAIL;
		else
			removed++;
	}
	printf("cleaned %d worktree%s\n", removed, removed == 1 ? "" : "s");
	gitwt_list_free(v, n);
	return rc;
}

int cmd_worktree(struct cli *c, int argc, char **argv)
{
	const char *json = NULL, *force = NULL;
	const struct cli_flag flags[] = { { "--json", 0, 0, &json }, { "--force", 0, 0, &force } };
	char *pos[256];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 256, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos < 1)
		return cli_usage_error(c, "missing action: add, list, remove, prune or clean");
	const char *act = pos[0];
	int isadd = !strcmp(act, "add"), islist = !strcmp(act, "list"), isrm = !strcmp(act, "remove"),
	    isprune = !strcmp(act, "prune"), isclean = !strcmp(act, "clean");
	if (!isadd && !islist && !isrm && !isprune && !isclean)
		return cli_usage_error(c, "unknown action '%s' (add, list, remove, prune, clean)", act);
	if ((isadd || isrm) && npos < 2)
		return cli_usage_error(c, "%s needs at least one TASK", act);
	if ((islist || isprune || isclean) && npos > 1)
		return cli_usage_error(c, "%s takes no TASK", act);
	if (json && !islist)
		return cli_usage_error(c, "--json only applies to list");
	if (force && !isrm && !isclean)
		return cli_usage_error(c, "--force only applies to remove and clean");
	struct gctx g;
	rc = gctx_open(&g, c, isadd, isadd || isrm || isclean);
	if (rc == EXIT_OK) {
		if (isadd)
			rc = wt_add(&g, pos + 1, npos - 1);
		else if (islist)
			rc = wt_list(&g, json != NULL);
		else if (isrm)
			rc = wt_remove(&g, pos + 1, npos - 1, force != NULL);
		else if (isprune)
			rc = wt_prune(&g);
		else
			rc = wt_clean(&g, force != NULL);
	}
	gctx_free(&g);
	return rc;
}

/* ---- diff ---- */

static void json_diff(struct sbuf *b, const struct gitdiff_task *t, const char *branch)
{
	sbuf_adds(b, "{\"id\": ");
	sbuf_json_str(b, t->id);
	sbuf_adds(b, ", \"branch\": ");
	sbuf_json_str(b, branch);
	sbuf_printf(b, ", \"added\": %d, \"removed\": %d, \"files\": [", t->added, t->removed);
	for (int i = 0; i < t->nfiles; i++) {
		const struct gitdiff_file *f = &t->files[i];
		sbuf_printf(b, "%s{\"status\": \"%c\", \"path\": ", i ? ", " : "", f->status);
		sbuf_json_str(b, f->path);
		sbuf_adds(b, ", \"old_path\": ");
		sbuf_json_str(b, f->old_path);
		sbuf_printf(b, ", \"added\": %d, \"removed\": %d, \"uncommitted\": %s, \"outside\": %s}",
			    f->added, f->removed, f->uncommitted ? "true" : "false",
			    f->outside ? "true" : "false");
	}
	sbuf_adds(b, "], \"overlaps\": [");
	for (int i = 0; i < t->noverlaps; i++) {
		sbuf_adds(b, i ? ", {\"path\": " : "{\"path\": ");
		sbuf_json_str(b, t->overlaps[i].path);
		sbuf_adds(b, ", \"with\": ");
		sbuf_json_str(b, t->overlaps[i].other);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "], \"violations\": [");
	int k = 0;
	for (int i = 0; i < t->nfiles; i++) {
		if (!t->files[i].outside)
			continue;
		if (k++)
			sbuf_adds(b, ", ");
		sbuf_json_str(b, t->files[i].path);
	}
	sbuf_adds(b, "]}");
}

static void print_diff(const struct gitdiff_task *t, const char *branch, const struct plan_task *pt)
{
	printf("%s (%s): %d file%s, +%d -%d\n", t->id, branch, t->nfiles, t->nfiles == 1 ? "" : "s",
	       t->added, t->removed);
	for (int i = 0; i < t->nfiles; i++) {
		const struct gitdiff_file *f = &t->files[i];
		printf("  %c %s", f->status, f->path);
		if (strcmp(f->path, f->old_path))
			printf(" (from %s)", f->old_path);
		if (f->added >= 0)
			printf("  +%d -%d", f->added, f->removed);
		else
			printf("  binary");
		if (f->uncommitted)
			printf("  [uncommitted]");
		if (f->outside)
			printf("  [outside territory]");
		putchar('\n');
	}
	for (int i = 0; i < t->noverlaps; i++)
		printf("  overlap: %s also changed by %s\n", t->overlaps[i].path, t->overlaps[i].other);
	if (t->nviolations) {
		printf("  territory: %d file%s outside", t->nviolations, t->nviolations == 1 ? "" : "s");
		for (int i = 0; pt->territory && pt->territory[i]; i++)
			printf(" %s", pt->territory[i]);
		putchar('\n');
	}
}

int cmd_diff(struct cli *c, int argc, char **argv)
{
	const char *json = NULL;
	const struct cli_flag flags[] = { { "--json", 0, 0, &json } };
	char *pos[256];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 256, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct gctx g;
	if ((rc = gctx_open(&g, c, 1, 1)) != EXIT_OK) {
		gctx_free(&g);
		return rc;
	}
	int n = npos ? npos : g.plan->ntasks;
	int *idx = xcalloc((size_t)n + 1, sizeof *idx);
	if (npos && find_tasks(&g, pos, npos, idx) < 0) {
		free(idx);
		gctx_free(&g);
		return EXIT_FAIL;
	}
	if (!npos)
		for (int i = 0; i < n; i++)
			idx[i] = i;
	struct err e = { { 0 } };
	struct gitwt_info *wv = NULL;
	int nw = 0;
	if (gitwt_list_fast(g.repo, g.base, &wv, &nw, &e) < 0) {
		rc = cli_fail(c, "%s", e.msg);
		goto out;
	}
	struct gitdiff_task *t = xcalloc((size_t)n + 1, sizeof *t);
	char **branches = xcalloc((size_t)n + 1, sizeof *branches);
	int *tidx = xcalloc((size_t)n + 1, sizeof *tidx);
	int nt = 0;
	for (int i = 0; i < n; i++) {
		const struct plan_task *pt = &g.plan->tasks[idx[i]];
		char *br = task_branch(&g, idx[i]);
		struct err be = { { 0 } };
		struct gitdiff_task *d = &t[nt];
		d->id = pt->id;
		const struct gitwt_info *w = gitwt_find(wv, nw, pt->id);
		if (gitdiff_task(g.repo, g.base, br, w ? w->path : NULL, pt->territory, d, &be) < 0) {
			if (npos || !strstr(be.msg, "not found")) {
				cli_fail(c, "%s: %s", pt->id, be.msg);
				rc = EXIT_FAIL;
			}
			free(br);
			continue;
		}
		branches[nt] = br;
		tidx[nt++] = idx[i];
	}
	gitdiff_overlaps(t, nt);
	if (json) {
		struct sbuf b = { 0 };
		sbuf_adds(&b, "{\"base\": ");
		sbuf_json_str(&b, g.base);
		sbuf_adds(&b, ", \"tasks\": [");
		for (int i = 0; i < nt; i++) {
			if (i)
				sbuf_adds(&b, ", ");
			json_diff(&b, &t[i], branches[i]);
		}
		sbuf_adds(&b, "]}");
		puts(b.s);
		sbuf_free(&b);
	} else if (nt == 0) {
		printf("no task branches yet (base %s)\n", g.base);
	} else {
		for (int i = 0; i < nt; i++)
			print_diff(&t[i], branches[i], &g.plan->tasks[tidx[i]]);
	}
	for (int i = 0; i < nt; i++) {
		gitdiff_task_free(&t[i]);
		free(branches[i]);
	}
	free(t);
	free(branches);
	free(tidx);
out:
	gitwt_list_free(wv, nw);
	free(idx);
	gctx_free(&g);
	return rc;
}

/* ---- merge ---- */

static void print_conflicts(const struct merge_preview *p)
{
	for (int i = 0; i < p->nconflicts; i++)
		printf("  conflict: %s\n", p->conflicts[i]);
}

static void print_result(struct gctx *g, const char *id, const char *branch,
			 const struct merge_result *r)
{
	printf("%s (%s): %s", id, branch, merge_outcome_name(r->outcome));
	if (r->outcome == MERGE_MERGED || r->outcome == MERGE_DRY_RUN)
		printf(" (%s)", merge_kind_name(r->preview.kind));
	if (r->outcome == MERGE_MERGED)
		printf(", %s now at %.12s", g->base, r->new_tip);
	putchar('\n');
	if (r->outcome != MERGE_MERGED && r->outcome != MERGE_ALREADY && r->outcome != MERGE_DRY_RUN)
		printf("  %s\n", r->msg);
	if (r->outcome == MERGE_CONFLICTED)
		print_conflicts(&r->preview);
	if (r->validated)
		printf("  validation: exit status %d, log %s\n", r->validate_status, r->log_path);
	if (r->identity_fallback)
		printf("  committed as shoal <shoal@localhost>: no user.name/user.email in git config\n");
}

/* Uncommitted work is not part of a merge: say so. */
/* Before a merge: uncommitted work is not part of it, and committed
 * changes outside the task's territory are shown (not blocking). */
static void warn_before_merge(struct gctx *g, const char *id)
{
	int d = gitwt_dirty(g->repo, id);
	if (d > 0)
		fprintf(stderr, "shoal merge: warning: %s's worktree has %d uncommitted change%s; "
				"only its commits are merged\n", id, d, d == 1 ? "" : "s");
	int ti = plan_find(g->plan, id);
	const struct plan_task *pt = &g->plan->tasks[ti];
	if (!pt->territory || !pt->territory[0])
		return;
	char *br = task_branch(g, ti);
	struct gitdiff_task t = { .id = id };
	struct err e = { { 0 } };
	if (gitdiff_task(g->repo, g->base, br, NULL, pt->territory, &t, &e) == 0 && t.nviolations) {
		fprintf(stderr, "shoal merge: warning: %s changes %d file%s outside its territory (", id,
			t.nviolations, t.nviolations == 1 ? "" : "s");
		for (int i = 0; pt->territory[i]; i++)
			fprintf(stderr, "%s%s", i ? " " : "", pt->territory[i]);
		fputs("):", stderr);
		for (int i = 0, k = 0; i < t.nfiles && k < 10; i++)
			if (t.files[i].outside)
				fprintf(stderr, " %s", t.files[i].path), k++;
		fputs(t.nviolations > 10 ? " ...\n" : "\n", stderr);
	}
	gitdiff_task_free(&t);
	free(br);
}

static int merge_one(struct gctx *g, const char *id, int dry, int novalidate)
{
	int ti = plan_find(g->plan, id);
	if (find_tasks(g, (char **)&id, 1, &ti) < 0)
		return EXIT_FAIL;
	if (gctx_worker(g))
		return EXIT_FAIL;
	char *br = task_branch(g, ti);
	warn_before_merge(g, id);
	struct merge_opts o = { .id = id, .dry_run = dry,
				.validate = novalidate ? NULL : g->plan->validate };
	if (!dry && !novalidate && !o.validate)
		fprintf(stderr, "shoal merge: the plan has no \"validate\" command: merging without "
				"validation\n");
	unsigned j = gitworker_merge(g->w, g->base, br, &o, NULL);
	struct gw_msg *m = wait_job(g->w, j);
	int rc = EXIT_OK;
	if (!m->result) {
		rc = cli_fail(g->c, "%s", m->err.msg);
	} else {
		print_result(g, id, br, m->result);
		if (m->rc < 0)
			rc = EXIT_FAIL;
	}
	gw_msg_free(m);
	free(br);
	return rc;
}

static int merge_into(struct gctx *g, const char *id)
{
	int ti;
	if (find_tasks(g, (char **)&id, 1, &ti) < 0 || gctx_worker(g))
		return EXIT_FAIL;
	char *br = task_branch(g, ti);
	unsigned j = gitworker_merge_into(g->w, g->base, br, NULL);
	struct gw_msg *m = wait_job(g->w, j);
	int rc = EXIT_OK;
	if (m->rc < 0) {
		rc = cli_fail(g->c, "%s", m->err.msg);
	} else {
		struct merge_into_result *r = m->result;
		switch (r->outcome) {
		case INTO_UP_TO_DATE:
			printf("%s: %s already contains %s\n", id, br, g->base);
			break;
		case INTO_FASTFORWARD:
			printf("%s: %s fast-forwarded to %s in %s\n", id, br, g->base, r->worktree);
			break;
		case INTO_MERGED:
			printf("%s: merged %s into %s in %s (merge commit made)\n", id, g->base, br,
			       r->worktree);
			break;
		case INTO_CONFLICTS:
			printf("%s: merging %s into %s left %d conflict%s in %s:\n", id, g->base, br,
			       r->nconflicts, r->nconflicts == 1 ? "" : "s", r->worktree);
			for (int i = 0; i < r->nconflicts; i++)
				printf("  conflict: %s\n", r->conflicts[i]);
			printf("resolve them there, then `git add` the files and `git commit`; "
			       "the next shoal merge %s will be clean\n", id);
			break;
		}
		if (r->identity_fallback)
			printf("  committed as shoal <shoal@localhost>: no user.name/user.email in git config\n");
	}
	gw_msg_free(m);
	free(br);
	return rc;
}

static int merge_wave_cmd(struct gctx *g, const char *wave_s, int dry, int novalidate)
{
	char *end;
	long wave = strtol(wave_s, &end, 10);
	if (*end || wave < 1 || wave > g->plan->nwaves)
		return cli_usage_error(g->c, "--wave takes a wave number from 1 to %d, not '%s'",
				       g->plan->nwaves, wave_s);
	struct dag dg;
	plan_dag(g->plan, &dg);
	int *order = xcalloc((size_t)g->plan->ntasks + 1, sizeof *order);
	dag_merge_order(&dg, order);
	dag_free(&dg);
	struct merge_wave_item *items = xcalloc((size_t)g->plan->ntasks + 1, sizeof *items);
	char **brs = xcalloc((size_t)g->plan->ntasks + 1, sizeof *brs);
	int n = 0;
	struct gitwt_info *wv = NULL;
	int nw = 0;
	struct err e = { { 0 } };
	if (gitwt_list_fast(g->repo, g->base, &wv, &nw, &e) < 0) {
		free(order), free(items), free(brs);
		return cli_fail(g->c, "%s", e.msg);
	}
	printf("wave %ld: \"done\" = tasks whose branch has commits ahead of %s\n", wave, g->base);
	for (int k = 0; k < g->plan->ntasks; k++) {
		const struct plan_task *t = &g->plan->tasks[order[k]];
		if (t->wave != wave)
			continue;
		char *br = task_branch(g, order[k]);
		struct merge_preview p;
		struct err pe = { { 0 } };
		if (merge_preview(g->repo, g->base, br, &p, &pe) < 0) {
			printf("%s (%s): skipped: %s\n", t->id, br, pe.msg);
			free(br);
			continue;
		}
		if (p.ahead == 0) {
			printf("%s (%s): skipped: no commits ahead of %s%s\n", t->id, br, g->base,
			       p.kind == MERGE_UP_TO_DATE ? " (already merged or not started)" : "");
			merge_preview_free(&p);
			free(br);
			continue;
		}
		merge_preview_free(&p);
		warn_before_merge(g, t->id);
		items[n].id = t->id;
		items[n].branch = br;
		brs[n++] = br;
	}
	gitwt_list_free(wv, nw);
	free(order);
	int rc = EXIT_OK;
	if (n == 0) {
		printf("nothing to merge in wave %ld\n", wave);
	} else if (gctx_worker(g) == EXIT_OK) {
		struct merge_opts o = { .dry_run = dry, .validate = novalidate ? NULL : g->plan->validate };
		unsigned j = gitworker_merge_wave(g->w, g->base, items, n, &o, NULL);
		struct gw_msg *m = wait_job(g->w, j);
		struct gw_wave_result *wr = m->result;
		int merged = 0;
		for (int i = 0; i < wr->done; i++) {
			print_result(g, items[i].id, items[i].branch, &wr->res[i]);
			merged += wr->res[i].outcome == MERGE_MERGED;
		}
		for (int i = wr->done; i < n; i++)
			printf("%s (%s): not attempted\n", items[i].id, items[i].branch);
		if (m->rc < 0) {
			printf("wave %ld stopped at %s: %d merged, %d not attempted\n", wave,
			       items[wr->done - 1 >= 0 ? wr->done - 1 : 0].id, merged, n - wr->done);
			rc = EXIT_FAIL;
		} else {
			printf("wave %ld: %d %s\n", wave, dry ? n : merged,
			       dry ? "would merge" : "merged");
		}
		gw_msg_free(m);
	} else {
		rc = EXIT_FAIL;
	}
	for (int i = 0; i < n; i++)
		free(brs[i]);
	free(brs);
	free(items);
	return rc;
}

int cmd_merge(struct cli *c, int argc, char **argv)
{
	const char *dry = NULL, *nov = NULL, *wave = NULL, *into = NULL;
	const struct cli_flag flags[] = { { "--dry-run", 'n', 0, &dry },
					  { "--no-validate", 0, 0, &nov },
					  { "--wave", 0, 1, &wave },
					  { "--into-task", 0, 0, &into } };
	char *pos[2];
	int npos, rc = cli_parse(c, argc, argv, flags, ARRAY_LEN(flags), pos, 1, &npos);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (wave && npos)
		return cli_usage_error(c, "give either TASK or --wave N, not both");
	if (!wave && !npos)
		return cli_usage_error(c, "missing TASK (or --wave N)");
	if (into && (wave || dry || nov))
		return cli_usage_error(c, "--into-task takes a TASK and no other option");
	struct gctx g;
	if ((rc = gctx_open(&g, c, 1, 1)) == EXIT_OK) {
		if (into)
			rc = merge_into(&g, pos[0]);
		else if (wave)
			rc = merge_wave_cmd(&g, wave, dry != NULL, nov != NULL);
		else
			rc = merge_one(&g, pos[0], dry != NULL, nov != NULL);
	}
	gctx_free(&g);
	return rc;
}
