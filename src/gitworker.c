/* gitworker — the single git worker thread and its message queue
 * (include/gitworker.h). Messages go into a mutex-protected list; the pipe
 * only carries wake-up bytes, so the worker never blocks on a slow reader. */
#include "gitworker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
	struct job *next;
	unsigned id;
	enum gw_op op;
	gw_fn fn;
	void *arg;
	void (*free_arg)(void *);
	void (*free_result)(void *);
	void *ud;
};

struct qmsg {
	struct qmsg *next;
	struct gw_msg *m;
};

struct gitworker {
	char *dir;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *jobs, *jobs_tail;
	struct qmsg *msgs, *msgs_tail;
	int pipe[2];
	int quit;
	volatile int cancel;
	int pending;
	unsigned next_id;
};

struct gw_ctx {
	struct gitworker *w;
	struct job *job;
	uint64_t last_ns;
};

static void post(struct gitworker *w, struct gw_msg *m)
{
	struct qmsg *q = xcalloc(1, sizeof *q);
	q->m = m;
	pthread_mutex_lock(&w->mu);
	if (w->msgs_tail)
		w->msgs_tail->next = q;
	else
		w->msgs = q;
	w->msgs_tail = q;
	pthread_mutex_unlock(&w->mu);
	char b = 1;
	/* Non-blocking: a full pipe already means "readable". */
	while (write(w->pipe[1], &b, 1) < 0 && errno == EINTR)
		;
}

static struct gw_msg *new_msg(struct gw_ctx *c, enum gw_msg_kind k)
{
	struct gw_msg *m = xcalloc(1, sizeof *m);
	m->kind = k;
	m->job = c->job->id;
	m->op = c->job->op;
	m->ud = c->job->ud;
	return m;
}

void gw_progress(struct gw_ctx *c, const char *what, const char *path, size_t done, size_t total)
{
	uint64_t now = util_now_ns();
	if (done != total && done != 0 && now - c->last_ns < 50 * 1000 * 1000)
		return;
	c->last_ns = now;
	struct gw_msg *m = new_msg(c, GW_PROGRESS);
	m->what = what;
	m->text = xstrdup(path ? path : "");
	m->done = done;
	m->total = total;
	post(c->w, m);
}

void gw_output(struct gw_ctx *c, const char *text, size_t n)
{
	struct gw_msg *m = new_msg(c, GW_OUTPUT);
	m->text = xstrndup(text, n);
	m->n = n;
	post(c->w, m);
}

void gw_msg_free(struct gw_msg *m)
{
	if (!m)
		return;
	free(m->text);
	if (m->result && m->free_result)
		m->free_result(m->result);
	free(m);
}

static void *worker_main(void *p)
{
	struct gitworker *w = p;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (!w->jobs && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		struct job *j = w->jobs;
		w->jobs = j->next;
		if (!w->jobs)
			w->jobs_tail = NULL;
		w->cancel = 0; /* a cancel applies to the job running when it is asked */
		pthread_mutex_unlock(&w->mu);

		struct gw_ctx c = { w, j, 0 };
		struct gw_msg *done = new_msg(&c, GW_DONE);
		struct gitrepo *r = gitrepo_open(w->dir, &done->err);
		if (!r) {
			done->rc = -1;
		} else {
			done->rc = j->fn(r, j->arg, &c, &done->result, &done->err);
			gitrepo_close(r);
		}
		done->free_result = j->free_result;
		if (j->free_arg)
			j->free_arg(j->arg);
		free(j);
		pthread_mutex_lock(&w->mu);
		w->pending--;
		pthread_mutex_unlock(&w->mu);
		post(w, done);
	}
	return NULL;
}

struct gitworker *gitworker_start(const char *dir, struct err *e)
{
	gitrepo_global_init();
	struct gitrepo *r = gitrepo_open(dir, e);
	if (!r)
		return NULL;
	struct gitworker *w = xcalloc(1, sizeof *w);
	w->dir = xstrdup(r->root);
	gitrepo_close(r);
	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		err_set(e, "pipe: %s", strerror(errno));
		free(w->dir);
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->next_id = 1;
	int rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc != 0) {
		err_set(e, "cannot start the git worker thread: %s", strerror(rc));
		close(w->pipe[0]);
		close(w->pipe[1]);
		free(w->dir);
		free(w);
		return NULL;
	}
	return w;
}

void gitworker_cancel(struct gitworker *w)
{
	w->cancel = 1;
}

void gitworker_stop(struct gitworker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	w->cancel = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	for (struct job *j = w->jobs, *n; j; j = n) {
		n = j->next;
		if (j->free_arg)
			j->free_arg(j->arg);
		free(j);
	}
	for (struct qmsg *q = w->msgs, *n; q; q = n) {
		n = q->next;
		gw_msg_free(q->m);
		free(q);
	}
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->dir);
	free(w);
}

int gitworker_fd(const struct gitworker *w)
{
	return w->pipe[0];
}

int gitworker_pending(struct gitworker *w)
{
	pthread_mutex_lock(&w->mu);
	int n = w->pending;
	pthread_mutex_unlock(&w->mu);
	return n;
}

struct gw_msg *gitworker_next(struct gitworker *w)
{
	char buf[256];
	pthread_mutex_lock(&w->mu);
	struct qmsg *q = w->msgs;
	if (q) {
		w->msgs = q->next;
		if (!w->msgs)
			w->msgs_tail = NULL;
	} else {
		/* Empty: clear the wake-up bytes (more may come after we unlock;
		 * their bytes arrive after this read). */
		while (read(w->pipe[0], buf, sizeof buf) > 0)
			;
	}
	pthread_mutex_unlock(&w->mu);
	if (!q)
		return NULL;
	struct gw_msg *m = q->m;
	free(q);
	return m;
}

static unsigned submit_op(struct gitworker *w, enum gw_op op, gw_fn fn, void *arg,
			  void (*free_arg)(void *), void (*free_result)(void *), void *ud)
{
	struct job *j = xcalloc(1, sizeof *j);
	j->fn = fn;
	j->arg = arg;
	j->free_arg = free_arg;
	j->free_result = free_result;
	j->ud = ud;
	j->op = op;
	pthread_mutex_lock(&w->mu);
	j->id = w->next_id++;
	if (w->jobs_tail)
		w->jobs_tail->next = j;
	else
		w->jobs = j;
	w->jobs_tail = j;
	w->pending++;
	unsigned id = j->id;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return id;
}

unsigned gitworker_submit(struct gitworker *w, gw_fn fn, void *arg, void (*free_arg)(void *),
			  void (*free_result)(void *), void *ud)
{
	return submit_op(w, GW_CUSTOM, fn, arg, free_arg, free_result, ud);
}

/* ---- typed jobs ---- */

struct args {
	char *base, *branch, *id, *validate;
	int force, dry_run;
	struct merge_wave_item *items;
	char **strs; /* owned copies of item strings */
	int n;
};

static void args_free(void *p)
{
	struct args *a = p;
	free(a->base);
	free(a->branch);
	free(a->id);
	free(a->validate);
	for (int i = 0; i < 2 * a->n; i++)
		free(a->strs[i]);
	free(a->strs);
	free(a->items);
	free(a);
}

static struct args *args_new(const char *base, const char *branch, const char *id)
{
	struct args *a = xcalloc(1, sizeof *a);
	a->base = base ? xstrdup(base) : NULL;
	a->branch = branch ? xstrdup(branch) : NULL;
	a->id = id ? xstrdup(id) : NULL;
	return a;
}

static void on_progress(const char *path, size_t done, size_t total, void *ud)
{
	gw_progress(ud, "worktree", path, done, total);
}

static void on_merge_progress(const char *what, const char *path, size_t done, size_t total,
			      void *ud)
{
	gw_progress(ud, what, path, done, total);
}

static void on_output(const char *text, size_t n, void *ud)
{
	gw_output(ud, text, n);
}

static void free_add(void *p)
{
	gitwt_add_result_free(p);
	free(p);
}

static int job_add(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	struct args *a = arg;
	struct gitwt_add_result *res = xcalloc(1, sizeof *res);
	*result = res;
	return gitwt_add(r, a->base, a->branch, a->id, on_progress, c, res, e);
}

unsigned gitworker_wt_add(struct gitworker *w, const char *base, const char *branch, const char *id,
			  void *ud)
{
	return submit_op(w, GW_WT_ADD, job_add, args_new(base, branch, id), args_free, free_add, ud);
}

static int job_start(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	struct args *a = arg;
	struct gitwt_add_result *res = xcalloc(1, sizeof *res);
	*result = res;
	return gitwt_start(r, a->base, a->branch, a->id, a->force, on_progress, c, res, e);
}

unsigned gitworker_wt_start(struct gitworker *w, const char *base, const char *branch,
			    const char *id, int fresh, void *ud)
{
	struct args *a = args_new(base, branch, id);
	a->force = fresh;
	return submit_op(w, GW_WT_START, job_start, a, args_free, free_add, ud);
}

static void free_remove(void *p)
{
	gitwt_remove_result_free(p);
	free(p);
}

static int job_remove(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	(void)c;
	struct args *a = arg;
	struct gitwt_remove_result *res = xcalloc(1, sizeof *res);
	*result = res;
	return gitwt_remove(r, a->base, a->id, a->force, res, e);
}

unsigned gitworker_wt_remove(struct gitworker *w, const char *base, const char *id, int force,
			     void *ud)
{
	struct args *a = args_new(base, NULL, id);
	a->force = force;
	return submit_op(w, GW_WT_REMOVE, job_remove, a, args_free, free_remove, ud);
}

static int job_prune(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	(void)arg, (void)c, (void)result;
	return gitwt_prune(r, e);
}

unsigned gitworker_wt_prune(struct gitworker *w, void *ud)
{
	return submit_op(w, GW_WT_PRUNE, job_prune, args_new(NULL, NULL, NULL), args_free, NULL, ud);
}

static void free_merge(void *p)
{
	merge_result_free(p);
	free(p);
}

static struct merge_opts opts_for(struct args *a, struct gw_ctx *c)
{
	struct merge_opts o = { 0 };
	o.id = a->id;
	o.validate = a->validate;
	o.dry_run = a->dry_run;
	o.output = on_output;
	o.progress = on_merge_progress;
	o.ud = c;
	o.cancel = &c->w->cancel;
	return o;
}

static int job_merge(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	struct args *a = arg;
	struct merge_result *res = xcalloc(1, sizeof *res);
	*result = res;
	struct merge_opts o = opts_for(a, c);
	return merge_task(r, a->base, a->branch, &o, res, e);
}

unsigned gitworker_merge(struct gitworker *w, const char *base, const char *branch,
			 const struct merge_opts *o, void *ud)
{
	struct args *a = args_new(base, branch, o->id);
	a->validate = o->validate ? xstrdup(o->validate) : NULL;
	a->dry_run = o->dry_run;
	return submit_op(w, GW_MERGE, job_merge, a, args_free, free_merge, ud);
}

static void free_wave(void *p)
{
	struct gw_wave_result *wr = p;
	for (int i = 0; i < wr->n; i++)
		merge_result_free(&wr->res[i]);
	free(wr->res);
	free(wr);
}

static int job_wave(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	struct args *a = arg;
	struct gw_wave_result *wr = xcalloc(1, sizeof *wr);
	wr->n = a->n;
	wr->res = xcalloc((size_t)a->n + 1, sizeof *wr->res);
	*result = wr;
	struct merge_opts o = opts_for(a, c);
	return merge_wave(r, a->base, a->items, a->n, &o, wr->res, &wr->done, e);
}

unsigned gitworker_merge_wave(struct gitworker *w, const char *base,
			      const struct merge_wave_item *items, int n, const struct merge_opts *o,
			      void *ud)
{
	struct args *a = args_new(base, NULL, NULL);
	a->validate = o->validate ? xstrdup(o->validate) : NULL;
	a->dry_run = o->dry_run;
	a->n = n;
	a->items = xcalloc((size_t)n + 1, sizeof *a->items);
	a->strs = xcalloc(2 * (size_t)n + 1, sizeof *a->strs);
	for (int i = 0; i < n; i++) {
		a->strs[2 * i] = xstrdup(items[i].id);
		a->strs[2 * i + 1] = xstrdup(items[i].branch);
		a->items[i].id = a->strs[2 * i];
		a->items[i].branch = a->strs[2 * i + 1];
	}
	return submit_op(w, GW_MERGE_WAVE, job_wave, a, args_free, free_wave, ud);
}

static void free_into(void *p)
{
	merge_into_result_free(p);
	free(p);
}

static int job_into(struct gitrepo *r, void *arg, struct gw_ctx *c, void **result, struct err *e)
{
	(void)c;
	struct args *a = arg;
	struct merge_into_result *res = xcalloc(1, sizeof *res);
	*result = res;
	return merge_into_task(r, a->base, a->branch, res, e);
}

unsigned gitworker_merge_into(struct gitworker *w, const char *base, const char *branch, void *ud)
{
	return submit_op(w, GW_MERGE_INTO, job_into, args_new(base, branch, NULL), args_free,
			 free_into, ud);
}
