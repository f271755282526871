/* Unit tests for ctl: request parsing, and the real control socket in a temp
 * dir — the non-blocking server polled in a thread of this process, the
 * blocking client in the test thread — including long directory paths, stale
 * sockets and "no shoal is running". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "ctl.h"

static void test_parse(void **st)
{
	(void)st;
	struct ctl_req r;
	struct err e;
	assert_int_equal(ctl_req_parse("{\"cmd\":\"mark\",\"task\":\"a\",\"state\":\"waiting\"}", &r, &e), 0);
	assert_int_equal(r.cmd, CTL_MARK);
	assert_string_equal(r.task, "a");
	assert_int_equal(r.mark, STATUS_MARK_WAITING);
	ctl_req_free(&r);
	assert_int_equal(ctl_req_parse("{\"cmd\":\"send\",\"all\":true,\"text\":\"go\\n\",\"enter\":false}", &r, &e), 0);
	assert_int_equal(r.cmd, CTL_SEND);
	assert_true(r.all);
	assert_null(r.task);
	assert_string_equal(r.text, "go\n");
	assert_false(r.enter);
	ctl_req_free(&r);
	assert_int_equal(ctl_req_parse("{\"cmd\":\"send\",\"task\":\"b\",\"text\":\"\"}", &r, &e), 0);
	assert_true(r.enter); /* default */
	ctl_req_free(&r);

	static const struct { const char *in, *err; } bad[] = {
		{ "", "bad request: not a JSON object" },
		{ "[1]", "bad request: not a JSON object" },
		{ "{}", "bad request: missing \"cmd\"" },
		{ "{\"cmd\":\"explode\"}", "bad request: unknown command \"explode\"" },
		{ "{\"cmd\":\"mark\",\"state\":\"done\"}", "mark: which task? (\"task\" missing)" },
		{ "{\"cmd\":\"mark\",\"task\":\"a\",\"state\":\"finished\"}", "mark: state must be done, failed or waiting" },
		{ "{\"cmd\":\"mark\",\"task\":\"a\"}", "mark: state must be done, failed or waiting" },
		{ "{\"cmd\":\"mark\",\"task\":3,\"state\":\"done\"}", "bad request: \"task\" must be a string" },
		{ "{\"cmd\":\"mark\",\"task\":\"\",\"state\":\"done\"}", "bad request: empty task id" },
		{ "{\"cmd\":\"send\",\"text\":\"x\"}", "send: give either a task or \"all\"" },
		{ "{\"cmd\":\"send\",\"task\":\"a\",\"all\":true,\"text\":\"x\"}", "send: give either a task or \"all\"" },
		{ "{\"cmd\":\"send\",\"all\":1,\"text\":\"x\"}", "send: \"all\" must be true or false" },
		{ "{\"cmd\":\"send\",\"task\":\"a\"}", "send: \"text\" must be a string" },
		{ "{\"cmd\":\"send\",\"task\":\"a\",\"text\":\"x\",\"enter\":\"yes\"}", "send: \"enter\" must be true or false" },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(ctl_req_parse(bad[i].in, &r, &e), -1);
		assert_string_equal(e.msg, bad[i].err);
		assert_null(r.task);
		assert_null(r.text);
	}
}

static void test_format_roundtrip(void **st)
{
	(void)st;
	struct ctl_req reqs[] = {
		{ .cmd = CTL_PING },
		{ .cmd = CTL_MARK, .task = "user-model", .mark = STATUS_MARK_DONE },
		{ .cmd = CTL_MARK, .task = "x", .mark = STATUS_MARK_FAILED },
		{ .cmd = CTL_SEND, .task = "t", .text = "quote \" back \\ nl \n tab \t é", .enter = 1 },
		{ .cmd = CTL_SEND, .all = 1, .text = "y", .enter = 0 },
	};
	for (size_t i = 0; i < ARRAY_LEN(reqs); i++) {
		char *line = ctl_req_format(&reqs[i]);
		size_t n = strlen(line);
		assert_true(n > 0 && line[n - 1] == '\n');
		assert_null(memchr(line, '\n', n - 1));
		struct ctl_req r;
		struct err e;
		if (ctl_req_parse(line, &r, &e) < 0)
			fail_msg("%s: %s", line, e.msg);
		assert_int_equal(r.cmd, reqs[i].cmd);
		assert_int_equal(r.all, reqs[i].all);
		if (reqs[i].task)
			assert_string_equal(r.task, reqs[i].task);
		if (reqs[i].cmd == CTL_MARK)
			assert_int_equal(r.mark, reqs[i].mark);
		if (reqs[i].cmd == CTL_SEND) {
			assert_string_equal(r.text, reqs[i].text);
			assert_int_equal(r.enter, reqs[i].enter);
		}
		ctl_req_free(&r);
		free(line);
	}
}

/* The server side: a thread polling the server, as the event loop will. The
 * handler knows tasks "a" and "b" and records what it was asked. */
struct srv {
	struct ctl_server s;
	pthread_t th;
	volatile int stop;
	pthread_mutex_t mu;
	char log[4096];
};

static void handler(void *ud, const struct ctl_req *r, struct ctl_reply *rep)
{
	struct srv *v = ud;
	pthread_mutex_lock(&v->mu);
	size_t n = strlen(v->log);
	if (r->cmd == CTL_MARK) {
		if (strcmp(r->task, "a") && strcmp(r->task, "b")) {
			rep->ok = 0;
			snprintf(rep->msg, sizeof rep->msg, "no task \"%s\"", r->task);
		} else {
			snprintf(v->log + n, sizeof v->log - n, "mark %s %s;", r->task,
				 status_mark_name(r->mark));
			snprintf(rep->msg, sizeof rep->msg, "%s marked %s", r->task, status_mark_name(r->mark));
		}
	} else if (r->cmd == CTL_SEND) {
		snprintf(v->log + n, sizeof v->log - n, "send %s [%s]%s;", r->all ? "*" : r->task,
			 r->text, r->enter ? "+enter" : "");
		snprintf(rep->msg, sizeof rep->msg, "sent to %d task(s)", r->all ? 2 : 1);
	}
	pthread_mutex_unlock(&v->mu);
}

static void *srv_main(void *arg)
{
	struct srv *v = arg;
	while (!v->stop) {
		struct pollfd pfd[1 + CTL_MAX_CONNS];
		int n = ctl_pollfds(&v->s, pfd, 1 + CTL_MAX_CONNS);
		if (poll(pfd, (nfds_t)n, 20) > 0)
			ctl_handle(&v->s, pfd, n, handler, v);
	}
	return NULL;
}

static void srv_start(struct srv *v, const char *dir)
{
	memset(v, 0, sizeof *v);
	struct err e;
	if (ctl_listen(&v->s, dir, &e) < 0)
		fail_msg("%s", e.msg);
	pthread_mutex_init(&v->mu, NULL);
	assert_int_equal(pthread_create(&v->th, NULL, srv_main, v), 0);
}

static void srv_stop(struct srv *v)
{
	v->stop = 1;
	pthread_join(v->th, NULL);
	ctl_close(&v->s);
	pthread_mutex_destroy(&v->mu);
}

static void exercise(const char *dir)
{
	struct srv v;
	srv_start(&v, dir);
	struct ctl_reply rep;
	struct err e;
	struct ctl_req ping = { .cmd = CTL_PING };
	if (ctl_request(dir, &ping, &rep, &e) < 0)
		fail_msg("%s", e.msg);
	assert_true(rep.ok);
	assert_string_equal(rep.msg, "pong");
	struct ctl_req mark = { .cmd = CTL_MARK, .task = "a", .mark = STATUS_MARK_DONE };
	assert_int_equal(ctl_request(dir, &mark, &rep, &e), 0);
	assert_true(rep.ok);
	assert_string_equal(rep.msg, "a marked done");
	mark.task = "zz";
	assert_int_equal(ctl_request(dir, &mark, &rep, &e), 0);
	assert_false(rep.ok);
	assert_string_equal(rep.msg, "no task \"zz\"");
	struct ctl_req send = { .cmd = CTL_SEND, .task = "b", .text = "yes \"please\"\n", .enter = 1 };
	assert_int_equal(ctl_request(dir, &send, &rep, &e), 0);
	assert_true(rep.ok);
	send.task = NULL;
	send.all = 1;
	send.enter = 0;
	send.text = "go";
	assert_int_equal(ctl_request(dir, &send, &rep, &e), 0);
	assert_string_equal(rep.msg, "sent to 2 task(s)");
	srv_stop(&v);
	assert_string_equal(v.log, "mark a done;send b [yes \"please\"\n]+enter;send * [go];");
	/* Closed: the socket file is gone and clients are told so. */
	char *sock = xasprintf("%s/%s", dir, CTL_SOCK_NAME);
	assert_int_equal(access(sock, F_OK), -1);
	free(sock);
	assert_int_equal(ctl_request(dir, &ping, &rep, &e), -1);
	assert_string_equal(e.msg, "no shoal is running in this repository");
}

static void test_server_client(void **st)
{
	(void)st;
	char *d = tu_tmpdir("ctl");
	exercise(d);
	tu_rm_rf(d);
	free(d);
}

static void test_long_path(void **st)
{
	(void)st;
	char *d = tu_tmpdir("ctl");
	/* A .shoal directory whose socket path is far over sun_path's 108. */
	struct sbuf p = { 0 };
	sbuf_adds(&p, d);
	for (int i = 0; i < 6; i++) {
		sbuf_adds(&p, "/a-rather-long-directory-name-for-a-repository");
		assert_int_equal(mkdir(p.s, 0755), 0);
	}
	sbuf_adds(&p, "/.shoal");
	assert_int_equal(mkdir(p.s, 0755), 0);
	assert_true(p.len + strlen("/ctl.sock") > sizeof(((struct sockaddr_un *)0)->sun_path));
	exercise(p.s);
	/* While listening, the socket is where it belongs. */
	struct srv v;
	srv_start(&v, p.s);
	char *sock = xasprintf("%s/%s", p.s, CTL_SOCK_NAME);
	struct stat sb;
	assert_int_equal(stat(sock, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600); /* only the owner may connect */
	srv_stop(&v);
	free(sock);
	sbuf_free(&p);
	tu_rm_rf(d);
	free(d);
}

static void test_not_running(void **st)
{
	(void)st;
	char *d = tu_tmpdir("ctl");
	struct ctl_reply rep;
	struct err e;
	struct ctl_req ping = { .cmd = CTL_PING };
	/* No socket. */
	assert_int_equal(ctl_request(d, &ping, &rep, &e), -1);
	assert_string_equal(e.msg, "no shoal is running in this repository");
	/* No .shoal directory at all. */
	char *nod = xasprintf("%s/.shoal", d);
	assert_int_equal(ctl_request(nod, &ping, &rep, &e), -1);
	assert_string_equal(e.msg, "no shoal is running in this repository");
	free(nod);
	/* A socket left by a dead shoal: nobody listens. */
	char *sock = xasprintf("%s/%s", d, CTL_SOCK_NAME);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
	assert_int_equal(ctl_request(d, &ping, &rep, &e), -1);
	assert_string_equal(e.msg, "no shoal is running in this repository");
	/* A new server replaces that stale socket. */
	struct srv v;
	srv_start(&v, d);
	assert_int_equal(ctl_request(d, &ping, &rep, &e), 0);
	srv_stop(&v);
	/* But never a file that is not a socket. */
	FILE *f = fopen(sock, "w");
	fputs("mine", f);
	fclose(f);
	struct ctl_server s;
	assert_int_equal(ctl_listen(&s, d, &e), -1);
	assert_non_null(strstr(e.msg, "exists and is not a socket; not replacing it"));
	assert_int_equal(access(sock, F_OK), 0);
	free(sock);
	tu_rm_rf(d);
	free(d);
}

/* Speaks the protocol by hand: raw bytes in, the reply line out. */
static char *raw(const char *dir, const char *bytes, size_t n, int shut)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", dir, CTL_SOCK_NAME);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	size_t off = 0;
	while (off < n) {
		ssize_t w = send(fd, bytes + off, n - off, MSG_NOSIGNAL);
		if (w <= 0)
			break; /* the server may close early on an oversized line */
		off += (size_t)w;
	}
	if (shut)
		shutdown(fd, SHUT_WR);
	struct sbuf in = { 0 };
	char buf[512];
	ssize_t got;
	while ((got = recv(fd, buf, sizeof buf, 0)) > 0)
		sbuf_add(&in, buf, (size_t)got);
	close(fd);
	return sbuf_steal(&in);
}

static void test_raw_protocol(void **st)
{
	(void)st;
	char *d = tu_tmpdir("ctl");
	struct srv v;
	srv_start(&v, d);
	char *r = raw(d, "garbage\n", 8, 0);
	assert_string_equal(r, "{\"ok\":false,\"error\":\"bad request: not a JSON object\"}\n");
	free(r);
	/* No newline, then EOF: still served. */
	const char *q = "{\"cmd\":\"ping\"}";
	r = raw(d, q, strlen(q), 1);
	assert_string_equal(r, "{\"ok\":true,\"msg\":\"pong\"}\n");
	free(r);
	/* Only the first line of a connection is served. */
	q = "{\"cmd\":\"mark\",\"task\":\"b\",\"state\":\"failed\"}\n{\"cmd\":\"mark\",\"task\":\"a\",\"state\":\"done\"}\n";
	r = raw(d, q, strlen(q), 0);
	assert_string_equal(r, "{\"ok\":true,\"msg\":\"b marked failed\"}\n");
	free(r);
	/* An endless line is cut off with an error. */
	size_t big = CTL_LINE_MAX + 10000;
	char *blob = xmalloc(big);
	memset(blob, 'x', big);
	r = raw(d, blob, big, 0);
	assert_non_null(strstr(r, "request longer than 65536 bytes"));
	free(r);
	free(blob);
	srv_stop(&v);
	assert_string_equal(v.log, "mark b failed;");
	tu_rm_rf(d);
	free(d);
}

static void test_idle_clients(void **st)
{
	(void)st;
	char *d = tu_tmpdir("ctl");
	struct srv v;
	srv_start(&v, d);
	/* Clients that connect and never finish a line: the oldest are dropped
	 * beyond CTL_MAX_CONNS, and requests still get through. */
	int fds[CTL_MAX_CONNS + 8];
	for (size_t i = 0; i < ARRAY_LEN(fds); i++) {
		fds[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", d, CTL_SOCK_NAME);
		assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof sa), 0);
		assert_int_equal(send(fds[i], "{\"cmd\"", 6, 0), 6);
	}
	struct ctl_reply rep;
	struct err e;
	struct ctl_req ping = { .cmd = CTL_PING };
	for (int k = 0; k < 3; k++) {
		if (ctl_request(d, &ping, &rep, &e) < 0)
			fail_msg("%s", e.msg);
		assert_true(rep.ok);
	}
	/* The first idle clients were closed by the server: they read EOF (or
	 * a reset, when their bytes were still unread). */
	char c;
	ssize_t got = recv(fds[0], &c, 1, 0);
	if (!(got == 0 || (got < 0 && errno == ECONNRESET)))
		fail_msg("recv on a dropped client: %zd (%s)", got, strerror(errno));
	srv_stop(&v);
	for (size_t i = 0; i < ARRAY_LEN(fds); i++)
		close(fds[i]);
	tu_rm_rf(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_server_client),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_not_running),
		cmocka_unit_test(test_raw_protocol),
		cmocka_unit_test(test_idle_clients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
