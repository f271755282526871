/* ctl — the control socket: request parsing/formatting, the non-blocking
 * server the event loop polls, and the blocking client of `shoal mark` and
 * `shoal send`. */
#include "ctl.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- requests ---- */

int ctl_req_parse(const char *line, struct ctl_req *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->enter = 1;
	cJSON *j = cJSON_Parse(line);
	if (!j || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return err_set(e, "bad request: not a JSON object");
	}
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(j, "cmd");
	const cJSON *task = cJSON_GetObjectItemCaseSensitive(j, "task");
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(j, "all");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(j, "state");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(j, "text");
	const cJSON *enter = cJSON_GetObjectItemCaseSensitive(j, "enter");
	int rc = -1;
	if (!cJSON_IsString(cmd)) {
		err_set(e, "bad request: missing \"cmd\"");
		goto out;
	}
	if (task && !cJSON_IsString(task)) {
		err_set(e, "bad request: \"task\" must be a string");
		goto out;
	}
	if (task && !*task->valuestring) {
		err_set(e, "bad request: empty task id");
		goto out;
	}
	if (!strcmp(cmd->valuestring, "ping")) {
		r->cmd = CTL_PING;
	} else if (!strcmp(cmd->valuestring, "mark")) {
		r->cmd = CTL_MARK;
		if (!task) {
			err_set(e, "mark: which task? (\"task\" missing)");
			goto out;
		}
		int m = cJSON_IsString(state) ? status_mark_parse(state->valuestring) : -1;
		if (m < 0) {
			err_set(e, "mark: state must be done, failed or waiting");
			goto out;
		}
		r->mark = (enum status_mark)m;
	} else if (!strcmp(cmd->valuestring, "send")) {
		r->cmd = CTL_SEND;
		if (all && !cJSON_IsBool(all)) {
			err_set(e, "send: \"all\" must be true or false");
			goto out;
		}
		r->all = cJSON_IsTrue(all);
		if (!!task == !!r->all) {
			err_set(e, "send: give either a task or \"all\"");
			goto out;
		}
		if (!cJSON_IsString(text)) {
			err_set(e, "send: \"text\" must be a string");
			goto out;
		}
		if (enter && !cJSON_IsBool(enter)) {
			err_set(e, "send: \"enter\" must be true or false");
			goto out;
		}
		if (enter)
			r->enter = cJSON_IsTrue(enter);
		r->text = xstrdup(text->valuestring);
	} else {
		err_set(e, "bad request: unknown command \"%.64s\"", cmd->valuestring);
		goto out;
	}
	if (task)
		r->task = xstrdup(task->valuestring);
	rc = 0;
out:
	cJSON_Delete(j);
	if (rc < 0)
		ctl_req_free(r);
	return rc;
}

char *ctl_req_format(const struct ctl_req *r)
{
	struct sbuf b = { 0 };
	static const char *const names[] = { [CTL_PING] = "ping", [CTL_MARK] = "mark",
					     [CTL_SEND] = "send" };
	sbuf_printf(&b, "{\"cmd\":\"%s\"", names[r->cmd]);
	if (r->task) {
		sbuf_adds(&b, ",\"task\":");
		sbuf_json_str(&b, r->task);
	}
	if (r->cmd == CTL_MARK)
		sbuf_printf(&b, ",\"state\":\"%s\"", status_mark_name(r->mark));
	if (r->cmd == CTL_SEND) {
		if (r->all)
			sbuf_adds(&b, ",\"all\":true");
		sbuf_adds(&b, ",\"text\":");
		sbuf_json_str(&b, r->text ? r->text : "");
		sbuf_printf(&b, ",\"enter\":%s", r->enter ? "true" : "false");
	}
	sbuf_adds(&b, "}\n");
	return sbuf_steal(&b);
}

void ctl_req_free(struct ctl_req *r)
{
	free(r->task);
	free(r->text);
	r->task = r->text = NULL;
}

/* ---- addresses ---- */

/* Fills sa for dir/ctl.sock; for a path too long for sun_path, opens an
 * O_PATH descriptor of dir (returned in *dirfd, to close after bind or
 * connect) and names the socket through /proc/self/fd. */
static int make_addr(const char *dir, struct sockaddr_un *sa, socklen_t *len, int *dirfd,
		     struct err *e)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	*dirfd = -1;
	int n = snprintf(sa->sun_path, sizeof sa->sun_path, "%s/%s", dir, CTL_SOCK_NAME);
	if (n < 0 || (size_t)n >= sizeof sa->sun_path) {
		*dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (*dirfd < 0)
			return err_set(e, "%s: %s", dir, strerror(errno));
		n = snprintf(sa->sun_path, sizeof sa->sun_path, "/proc/self/fd/%d/%s", *dirfd,
			     CTL_SOCK_NAME);
	}
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
	return 0;
}

/* ---- server ---- */

int ctl_listen(struct ctl_server *s, const char *shoal_dir, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->fd = -1;
	char *path = xasprintf("%s/%s", shoal_dir, CTL_SOCK_NAME);
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			err_set(e, "%s: exists and is not a socket; not replacing it", path);
			free(path);
			return -1;
		}
		unlink(path); /* a dead shoal's: we hold the repository lock */
	}
	struct sockaddr_un sa;
	socklen_t len;
	int dfd;
	if (make_addr(shoal_dir, &sa, &len, &dfd, e) < 0) {
		free(path);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* Only the owner may connect (connecting needs write permission on the
	 * socket): whoever can, can type into the agents. */
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) < 0 || chmod(sa.sun_path, 0600) < 0 ||
	    listen(fd, 16) < 0) {
		err_set(e, "%s: cannot listen: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (dfd >= 0)
			close(dfd);
		free(path);
		return -1;
	}
	if (dfd >= 0)
		close(dfd);
	s->fd = fd;
	s->path = path;
	return 0;
}

static void conn_drop(struct ctl_server *s, size_t i)
{
	close(s->conns[i].fd);
	sbuf_free(&s->conns[i].in);
	memmove(&s->conns[i], &s->conns[i + 1], (s->nconns - i - 1) * sizeof *s->conns);
	s->nconns--;
}

void ctl_close(struct ctl_server *s)
{
	while (s->nconns)
		conn_drop(s, 0);
	free(s->conns);
	s->conns = NULL;
	s->cap = 0;
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	s->fd = -1;
	free(s->path);
	s->path = NULL;
}

int ctl_pollfds(const struct ctl_server *s, struct pollfd *pfd, int max)
{
	int n = 0;
	if (s->fd >= 0 && n < max)
		pfd[n++] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
	for (size_t i = 0; i < s->nconns && n < max; i++)
		pfd[n++] = (struct pollfd){ .fd = s->conns[i].fd, .events = POLLIN };
	return n;
}

static void reply_send(int fd, const struct ctl_reply *rep)
{
	struct sbuf b = { 0 };
	sbuf_printf(&b, "{\"ok\":%s,\"%s\":", rep->ok ? "true" : "false", rep->ok ? "msg" : "error");
	sbuf_json_str(&b, rep->msg);
	sbuf_adds(&b, "}\n");
	/* The reply is small and the socket fresh: it fits in the buffer; a
	 * client that does not read gets what fits. */
	size_t off = 0;
	while (off < b.len) {
		ssize_t w = send(fd, b.s + off, b.len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	sbuf_free(&b);
}

static void serve(struct ctl_conn *c, const char *line, ctl_handler h, void *ud)
{
	struct ctl_req r;
	struct ctl_reply rep = { .ok = 1 };
	struct err e;
	if (ctl_req_parse(line, &r, &e) < 0) {
		rep.ok = 0;
		snprintf(rep.msg, sizeof rep.msg, "%s", e.msg);
	} else if (r.cmd == CTL_PING) {
		snprintf(rep.msg, sizeof rep.msg, "pong");
	} else {
		h(ud, &r, &rep);
	}
	ctl_req_free(&r);
	reply_send(c->fd, &rep);
}

/* Reads what is there; returns 1 when the connection is finished. */
static int conn_read(struct ctl_conn *c, ctl_handler h, void *ud)
{
	char buf[4096];
	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno != EAGAIN && errno != EWOULDBLOCK;
		if (n == 0) {
			/* EOF: a last request without its newline still counts. */
			if (c->in.len)
				serve(c, c->in.s, h, ud);
			return 1;
		}
		sbuf_add(&c->in, buf, (size_t)n);
		char *nl = memchr(c->in.s, '\n', c->in.len);
		if (nl) {
			*nl = 0;
			serve(c, c->in.s, h, ud);
			return 1;
		}
		if (c->in.len > CTL_LINE_MAX) {
			struct ctl_reply rep = { .ok = 0 };
			snprintf(rep.msg, sizeof rep.msg, "request longer than %d bytes", CTL_LINE_MAX);
			reply_send(c->fd, &rep);
			return 1;
		}
	}
}

void ctl_handle(struct ctl_server *s, const struct pollfd *pfd, int n, ctl_handler h, void *ud)
{
	for (int i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == s->fd) {
			for (;;) {
				int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (fd < 0)
					break; /* EAGAIN, or a client gone already */
				if (s->nconns >= CTL_MAX_CONNS)
					conn_drop(s, 0); /* the oldest: a client that never finished its line */
				xgrow((void **)&s->conns, &s->cap, s->nconns + 1, sizeof *s->conns);
				s->conns[s->nconns++] = (struct ctl_conn){ .fd = fd };
			}
			continue;
		}
		for (size_t k = 0; k < s->nconns; k++) {
			if (s->conns[k].fd != pfd[i].fd)
				continue;
			if (conn_read(&s->conns[k], h, ud))
				conn_drop(s, k);
			break;
		}
	}
}

/* ---- client ---- */

int ctl_request(const char *shoal_dir, const struct ctl_req *r, struct ctl_reply *reply,
		struct err *e)
{
	memset(reply, 0, sizeof *reply);
	struct sockaddr_un sa;
	socklen_t len;
	int dfd;
	struct stat sb;
	if (stat(shoal_dir, &sb) < 0)
		return err_set(e, "no shoal is running in this repository");
	if (make_addr(shoal_dir, &sa, &len, &dfd, e) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		if (dfd >= 0)
			close(dfd);
		return err_set(e, "socket: %s", strerror(errno));
	}
	int rc = connect(fd, (struct sockaddr *)&sa, len);
	int cerr = errno;
	if (dfd >= 0)
		close(dfd);
	if (rc < 0) {
		close(fd);
		if (cerr == ENOENT || cerr == ECONNREFUSED)
			return err_set(e, "no shoal is running in this repository");
		return err_set(e, "%s/%s: %s", shoal_dir, CTL_SOCK_NAME, strerror(cerr));
	}
	char *line = ctl_req_format(r);
	size_t n = strlen(line), off = 0;
	while (off < n) {
		ssize_t w = send(fd, line + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			free(line);
			close(fd);
			return err_set(e, "sending to shoal: %s", strerror(errno));
		}
		off += (size_t)w;
	}
	free(line);
	struct sbuf in = { 0 };
	char buf[4096];
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int pr = poll(&p, 1, CTL_TIMEOUT_MS);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			close(fd);
			sbuf_free(&in);
			return err_set(e, "shoal did not answer within %d s", CTL_TIMEOUT_MS / 1000);
		}
		ssize_t got = recv(fd, buf, sizeof buf, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		sbuf_add(&in, buf, (size_t)got);
		if (memchr(in.s, '\n', in.len) || in.len > CTL_LINE_MAX)
			break;
	}
	close(fd);
	cJSON *j = in.s ? cJSON_Parse(in.s) : NULL;
	sbuf_free(&in);
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(j, "ok");
	if (!cJSON_IsBool(ok)) {
		cJSON_Delete(j);
		return err_set(e, "shoal sent a reply that is not understood");
	}
	reply->ok = cJSON_IsTrue(ok);
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, reply->ok ? "msg" : "error");
	snprintf(reply->msg, sizeof reply->msg, "%s", cJSON_IsString(m) ? m->valuestring : "");
	cJSON_Delete(j);
	return 0;
}
