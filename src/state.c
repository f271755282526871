/* state — .shoal/state.json (atomic save, validating load), the event log
 * and the per-repository lock. */
#include "state.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

uint64_t state_fnv1a64(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

char *state_hash_file(const char *path, struct err *e)
{
	size_t n;
	char *text = util_read_file(path, &n, e);
	if (!text)
		return NULL;
	char *h = xasprintf("fnv1a64:%016" PRIx64, state_fnv1a64(text, n));
	free(text);
	return h;
}

void state_init(struct state *s, const char *plan_path, const char *plan_hash)
{
	memset(s, 0, sizeof *s);
	s->plan_path = plan_path ? xstrdup(plan_path) : NULL;
	s->plan_hash = plan_hash ? xstrdup(plan_hash) : NULL;
}

static void task_free(struct state_task *t)
{
	free(t->id);
	free(t->branch);
	free(t->worktree);
	free(t->reason);
	free(t->session);
	free(t->report);
	free(t->merge_outcome);
	free(t->merge_commit);
	free(t->merge_detail);
}

void state_free(struct state *s)
{
	for (int i = 0; i < s->ntasks; i++)
		task_free(&s->tasks[i]);
	free(s->tasks);
	free(s->plan_path);
	free(s->plan_hash);
	memset(s, 0, sizeof *s);
}

struct state_task *state_task_find(struct state *s, const char *id)
{
	for (int i = 0; i < s->ntasks; i++)
		if (!strcmp(s->tasks[i].id, id))
			return &s->tasks[i];
	return NULL;
}

int state_task_remove(struct state *s, const char *id)
{
	struct state_task *t = state_task_find(s, id);
	if (!t)
		return 0;
	int i = (int)(t - s->tasks);
	task_free(t);
	memmove(&s->tasks[i], &s->tasks[i + 1], (size_t)(s->ntasks - i - 1) * sizeof *s->tasks);
	s->ntasks--;
	return 1;
}

struct state_task *state_task_get(struct state *s, const char *id)
{
	struct state_task *t = state_task_find(s, id);
	if (t)
		return t;
	xgrow((void **)&s->tasks, &s->cap, (size_t)s->ntasks + 1, sizeof *s->tasks);
	t = &s->tasks[s->ntasks++];
	memset(t, 0, sizeof *t);
	t->id = xstrdup(id);
	t->st = TASK_PENDING;
	t->exit_code = -1;
	return t;
}

void state_set_str(char **field, const char *v)
{
	char *old = *field;
	*field = v ? xstrdup(v) : NULL;
	free(old);
}

/* ---- JSON ---- */

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

char *state_to_json(const struct state *s)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "format", STATE_FORMAT);
	cJSON_AddNumberToObject(root, "version", STATE_VERSION);
	cJSON *plan = cJSON_AddObjectToObject(root, "plan");
	add_str(plan, "path", s->plan_path);
	add_str(plan, "hash", s->plan_hash);
	cJSON_AddNumberToObject(root, "updated_ms", (double)s->updated_ms);
	cJSON *tasks = cJSON_AddArrayToObject(root, "tasks");
	for (int i = 0; i < s->ntasks; i++) {
		const struct state_task *t = &s->tasks[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", t->id);
		cJSON_AddStringToObject(o, "state", task_state_name(t->st));
		add_str(o, "branch", t->branch);
		add_str(o, "worktree", t->worktree);
		cJSON_AddNumberToObject(o, "pid", t->pid);
		cJSON_AddNumberToObject(o, "exit_code", t->exit_code);
		cJSON_AddNumberToObject(o, "signal", t->term_signal);
		cJSON_AddNumberToObject(o, "start_ms", (double)t->start_ms);
		cJSON_AddNumberToObject(o, "end_ms", (double)t->end_ms);
		add_str(o, "reason", t->reason);
		add_str(o, "session", t->session);
		add_str(o, "report", t->report);
		if (t->merge_outcome) {
			cJSON *m = cJSON_AddObjectToObject(o, "merge");
			add_str(m, "outcome", t->merge_outcome);
			add_str(m, "commit", t->merge_commit);
			add_str(m, "detail", t->merge_detail);
		} else {
			cJSON_AddNullToObject(o, "merge");
		}
		cJSON_AddItemToArray(tasks, o);
	}
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text) {
		fprintf(stderr, "shoal: out of memory (state)\n");
		abort();
	}
	return text;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int state_save(struct state *s, const char *path, struct err *e)
{
	s->updated_ms = task_now_ms();
	char *text = state_to_json(s);
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	char *dir = dir_of(path);
	int rc = -1, fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(e, "%s: cannot write the state file: %s", tmp, strerror(errno));
		goto out;
	}
	size_t n = strlen(text);
	text[n] = '\n'; /* cJSON_Print leaves no final newline; keep the NUL out */
	if (write_all(fd, text, n + 1) < 0 || fsync(fd) < 0) {
		err_set(e, "%s: cannot write the state file: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0) {
		err_set(e, "%s: cannot write the state file: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		err_set(e, "%s: cannot replace the state file: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		/* The rename is durable once the directory is. */
		if (fsync(dfd) < 0 && errno != EINVAL) {
			err_set(e, "%s: cannot sync the directory: %s", dir, strerror(errno));
			close(dfd);
			goto out;
		}
		close(dfd);
	}
	rc = 0;
out:
	free(text);
	free(tmp);
	free(dir);
	return rc;
}

/* ---- loading ---- */

static void linecol(const char *text, size_t n, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < n; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Field readers: 0 ok (absent/null allowed where optional), -1 with e. */
static int get_str(const cJSON *o, const char *k, char **out, int required, const char *path,
		   const char *where, struct err *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return err_set(e, "%s: %s: missing \"%s\"", path, where, k);
		return 0;
	}
	if (!cJSON_IsString(v))
		return err_set(e, "%s: %s: \"%s\" must be a string", path, where, k);
	*out = xstrdup(v->valuestring);
	return 0;
}

static int get_num(const cJSON *o, const char *k, double lo, double hi, double *out,
		   const char *path, const char *where, struct err *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
	    v->valuedouble != (double)(int64_t)v->valuedouble)
		return err_set(e, "%s: %s: \"%s\" must be an integer in [%.0f, %.0f]", path, where, k,
			       lo, hi);
	*out = v->valuedouble;
	return 0;
}

static int load_task(struct state *s, const cJSON *o, int idx, const char *path, struct err *e)
{
	char where[64];
	snprintf(where, sizeof where, "task %d", idx + 1);
	if (!cJSON_IsObject(o))
		return err_set(e, "%s: %s: must be an object", path, where);
	char *id = NULL;
	if (get_str(o, "id", &id, 1, path, where, e) < 0)
		return -1;
	if (!*id || state_task_find(s, id)) {
		err_set(e, "%s: %s: %s task id \"%s\"", path, where, *id ? "duplicate" : "empty", id);
		free(id);
		return -1;
	}
	struct state_task *t = state_task_get(s, id);
	free(id);
	snprintf(where, sizeof where, "task \"%.40s\"", t->id);
	char *st = NULL;
	if (get_str(o, "state", &st, 1, path, where, e) < 0)
		return -1;
	int sv = task_state_parse(st);
	if (sv < 0) {
		err_set(e, "%s: %s: unknown state \"%s\"", path, where, st);
		free(st);
		return -1;
	}
	free(st);
	t->st = (enum task_state)sv;
	double pid = 0, code = -1, sig = 0, start = 0, end = 0;
	const double tmax = 9007199254740992.0; /* 2^53: exact in a double */
	if (get_str(o, "branch", &t->branch, 0, path, where, e) < 0 ||
	    get_str(o, "worktree", &t->worktree, 0, path, where, e) < 0 ||
	    get_str(o, "reason", &t->reason, 0, path, where, e) < 0 ||
	    get_str(o, "session", &t->session, 0, path, where, e) < 0 ||
	    get_str(o, "report", &t->report, 0, path, where, e) < 0 ||
	    get_num(o, "pid", 0, INT_MAX, &pid, path, where, e) < 0 ||
	    get_num(o, "exit_code", -1, 255, &code, path, where, e) < 0 ||
	    get_num(o, "signal", 0, 128, &sig, path, where, e) < 0 ||
	    get_num(o, "start_ms", 0, tmax, &start, path, where, e) < 0 ||
	    get_num(o, "end_ms", 0, tmax, &end, path, where, e) < 0)
		return -1;
	t->pid = (int)pid;
	t->exit_code = (int)code;
	t->term_signal = (int)sig;
	t->start_ms = (int64_t)start;
	t->end_ms = (int64_t)end;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "merge");
	if (m && !cJSON_IsNull(m)) {
		if (!cJSON_IsObject(m))
			return err_set(e, "%s: %s: \"merge\" must be an object or null", path, where);
		if (get_str(m, "outcome", &t->merge_outcome, 1, path, where, e) < 0 ||
		    get_str(m, "commit", &t->merge_commit, 0, path, where, e) < 0 ||
		    get_str(m, "detail", &t->merge_detail, 0, path, where, e) < 0)
			return -1;
		if (strcmp(t->merge_outcome, "merged") && strcmp(t->merge_outcome, "conflict") &&
		    strcmp(t->merge_outcome, "invalid"))
			return err_set(e, "%s: %s: merge outcome must be merged, conflict or invalid, not \"%s\"",
				       path, where, t->merge_outcome);
	}
	return 0;
}

int state_load(struct state *s, const char *path, struct err *e)
{
	state_init(s, NULL, NULL);
	size_t n;
	struct err re;
	errno = 0;
	char *text = util_read_file(path, &n, &re);
	if (!text) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, "%s", re.msg);
	}
	int rc = state_parse(s, path, text, n, e);
	free(text);
	return rc;
}

int state_parse(struct state *s, const char *path, const char *text, size_t n, struct err *e)
{
	state_init(s, NULL, NULL);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, n, &end, 0);
	if (!root) {
		int line, col;
		size_t off = end && end >= text && end <= text + n ? (size_t)(end - text) : 0;
		linecol(text, n, off, &line, &col);
		return err_set(e, "%s:%d:%d: error: the state file is not valid JSON (corrupt?); "
				  "shoal leaves it alone: move it away to start over", path, line, col);
	}
	int rc = -1;
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsObject(root) || !cJSON_IsString(fmt) || strcmp(fmt->valuestring, STATE_FORMAT)) {
		err_set(e, "%s: not a shoal state file (no \"format\": \"%s\"); shoal leaves it alone",
			path, STATE_FORMAT);
		goto out;
	}
	if (!cJSON_IsNumber(ver) || ver->valuedouble < 1 || ver->valuedouble != (int)ver->valuedouble) {
		err_set(e, "%s: bad \"version\" (expected a positive integer)", path);
		goto out;
	}
	if (ver->valueint > STATE_VERSION) {
		err_set(e, "%s: written by a newer shoal (state version %d; this shoal reads %d); "
			   "shoal leaves it alone", path, ver->valueint, STATE_VERSION);
		goto out;
	}
	const cJSON *plan = cJSON_GetObjectItemCaseSensitive(root, "plan");
	if (!cJSON_IsObject(plan)) {
		err_set(e, "%s: missing \"plan\" object", path);
		goto out;
	}
	if (get_str(plan, "path", &s->plan_path, 1, path, "plan", e) < 0 ||
	    get_str(plan, "hash", &s->plan_hash, 1, path, "plan", e) < 0)
		goto out;
	double upd = 0;
	if (get_num(root, "updated_ms", 0, 9007199254740992.0, &upd, path, "state", e) < 0)
		goto out;
	s->updated_ms = (int64_t)upd;
	const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(root, "tasks");
	if (!cJSON_IsArray(tasks)) {
		err_set(e, "%s: missing \"tasks\" array", path);
		goto out;
	}
	int i = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, tasks) {
		if (load_task(s, t, i++, path, e) < 0)
			goto out;
	}
	rc = 1;
out:
	cJSON_Delete(root);
	if (rc < 0)
		state_free(s);
	return rc;
}

int state_check_plan(const struct state *s, const char *state_path, const char *plan_path,
		     const char *plan_hash, struct err *e)
{
	if (!s->plan_path || strcmp(s->plan_path, plan_path))
		return err_set(e, "%s: this run belongs to another plan (%s), not %s; shoal leaves it "
				  "alone: finish or clean up that run, or move the file away",
			       state_path, s->plan_path ? s->plan_path : "(none)", plan_path);
	if (!s->plan_hash || strcmp(s->plan_hash, plan_hash))
		return 1;
	return 0;
}

int state_resume_fixup(struct state *s)
{
	int n = 0;
	for (int i = 0; i < s->ntasks; i++) {
		struct state_task *t = &s->tasks[i];
		if (task_state_live(t->st)) {
			char *r = xasprintf("was %s when shoal stopped", task_state_name(t->st));
			free(t->reason);
			t->reason = r;
			t->st = TASK_INTERRUPTED;
			t->pid = 0;
			n++;
		} else if (t->st == TASK_MERGING) {
			state_set_str(&t->reason, "merge interrupted; the base branch was not moved");
			t->st = TASK_DONE;
			n++;
		}
	}
	return n;
}

/* ---- files under .shoal ---- */

static int mkdir_p1(const char *d, struct err *e)
{
	if (mkdir(d, 0755) < 0 && errno != EEXIST)
		return err_set(e, "%s: cannot create directory: %s", d, strerror(errno));
	struct stat sb;
	if (stat(d, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, "%s: exists and is not a directory", d);
	return 0;
}

int state_mkdirs(const char *shoal_dir, struct err *e)
{
	if (mkdir_p1(shoal_dir, e) < 0)
		return -1;
	char *logs = xasprintf("%s/logs", shoal_dir);
	int rc = mkdir_p1(logs, e);
	free(logs);
	return rc;
}

int state_event_append(const char *path, const struct task_event *ev, struct err *e)
{
	struct sbuf b = { 0 };
	task_event_json(ev, &b);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int rc = 0;
	if (fd < 0 || write_all(fd, b.s, b.len) < 0)
		rc = err_set(e, "%s: cannot append the event: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	sbuf_free(&b);
	return rc;
}

/* ---- the lock ---- */

/* A lock file: "PID\n" and, since pids are reused (after a reboot the pid
 * of a dead shoal soon belongs to some other process), "start TICKS\n": the
 * owner's start time from /proc/PID/stat. Returns the pid (0 if none) and
 * the start time (0 if absent). */
static int read_lock(const char *path, unsigned long long *start)
{
	char buf[96];
	*start = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *endp;
	long v = strtol(buf, &endp, 10);
	if (endp == buf || v <= 0 || v > INT_MAX || (*endp && *endp != '\n'))
		return 0;
	if (*endp == '\n' && !strncmp(endp + 1, "start ", 6))
		*start = strtoull(endp + 7, NULL, 10);
	return (int)v;
}

static int read_pid(const char *path)
{
	unsigned long long start;
	return read_lock(path, &start);
}

/* The start time of pid in clock ticks since boot (field 22 of
 * /proc/PID/stat), or 0 when unknown. */
static unsigned long long proc_start(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p)
		return 0;
	/* After ")": state is field 3; starttime is field 22. */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

static int pid_alive(int pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* The lock's owner is alive: its pid exists and, when the lock recorded a
 * start time, that process started then (not a later one given the pid). */
static int owner_alive(int pid, unsigned long long start)
{
	if (!pid_alive(pid))
		return 0;
	unsigned long long now = start ? proc_start(pid) : 0;
	return !start || !now || now == start;
}

int state_lock_owner(const char *shoal_dir)
{
	char *p = xasprintf("%s/lock", shoal_dir);
	int pid = read_pid(p);
	free(p);
	return pid;
}

int state_lock_running(const char *shoal_dir)
{
	char *p = xasprintf("%s/lock", shoal_dir);
	unsigned long long start;
	int pid = read_lock(p, &start);
	free(p);
	return owner_alive(pid, start) ? pid : 0;
}

int state_lock_acquire(struct state_lock *l, const char *shoal_dir, struct err *e)
{
	memset(l, 0, sizeof *l);
	char *path = xasprintf("%s/lock", shoal_dir);
	char *tmp = xasprintf("%s/lock.%ld", shoal_dir, (long)getpid());
	char pidbuf[64];
	unsigned long long me = proc_start((int)getpid());
	int n = me ? snprintf(pidbuf, sizeof pidbuf, "%ld\nstart %llu\n", (long)getpid(), me)
		   : snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(e, "%s: cannot create the lock: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, pidbuf, (size_t)n) < 0 || close(fd) < 0) {
		err_set(e, "%s: cannot write the lock: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	for (int tries = 0; tries < 5; tries++) {
		if (link(tmp, path) == 0) {
			rc = 0;
			break;
		}
		if (errno != EEXIST) {
			err_set(e, "%s: cannot take the lock: %s", path, strerror(errno));
			break;
		}
		unsigned long long ostart;
		int owner = read_lock(path, &ostart);
		if (owner == (int)getpid()) {
			err_set(e, "%s: this process already holds the lock", path);
			break;
		}
		if (owner_alive(owner, ostart)) {
			err_set(e, "another shoal (pid %d) is running in this repository (lock: %s)",
				owner, path);
			break;
		}
		if (owner == 0) {
			/* Unreadable content: never ours to guess about. */
			err_set(e, "%s: the lock file holds no pid; if no shoal is running, remove it",
				path);
			break;
		}
		/* Stale: move it aside under a private name, and check that what
		 * we moved is still the dead owner's lock (another shoal may have
		 * taken it over in between; then put theirs back). */
		char *aside = xasprintf("%s/lock.stale.%ld", shoal_dir, (long)getpid());
		if (rename(path, aside) == 0) {
			unsigned long long mstart;
			int moved = read_lock(aside, &mstart);
			if ((moved != owner || mstart != ostart) && owner_alive(moved, mstart))
				(void)link(aside, path);
			unlink(aside);
		}
		free(aside);
	}
out_unlink:
	unlink(tmp);
out:
	free(tmp);
	if (rc == 0) {
		l->path = path;
		l->held = 1;
	} else {
		free(path);
	}
	return rc;
}

void state_lock_release(struct state_lock *l)
{
	if (l->held && l->path && read_pid(l->path) == (int)getpid())
		unlink(l->path);
	free(l->path);
	l->path = NULL;
	l->held = 0;
}
