/* ctl — the control socket .shoal/ctl.sock through which `shoal mark` and
 * `shoal send` (and agent hooks calling them) reach the running dashboard.
 *
 * AF_UNIX SOCK_STREAM; one JSON line per request, one JSON line per reply,
 * then the server closes the connection:
 *   {"cmd":"mark","task":"ID","state":"done|failed|waiting"}
 *   {"cmd":"send","task":"ID","text":"...","enter":true}
 *   {"cmd":"send","all":true,"text":"...","enter":true}
 *   {"cmd":"ping"}
 *   → {"ok":true,"msg":"..."} | {"ok":false,"error":"..."}
 * The server side is non-blocking and made to sit in the event loop's poll():
 * ctl_pollfds() lists the fds to watch, ctl_handle() serves what is ready and
 * calls the owner's handler for each complete request.
 *
 * The socket is mode 0600: only its owner can connect (and so type into the
 * agents).
 *
 * Unix socket paths are limited to 107 bytes; when .shoal/ctl.sock is longer
 * (deep repositories), both sides go through /proc/self/fd/N/ctl.sock with N
 * an O_PATH descriptor of the .shoal directory — no chdir, which would race
 * with other threads. */
#ifndef SHOAL_CTL_H
#define SHOAL_CTL_H

#include <poll.h>
#include <stddef.h>

#include "status.h"
#include "util.h"

#define CTL_SOCK_NAME "ctl.sock"
#define CTL_LINE_MAX (64 * 1024)
#define CTL_TIMEOUT_MS 5000
#define CTL_MAX_CONNS 32 /* open client connections; beyond, the oldest is dropped */

enum ctl_cmd { CTL_PING, CTL_MARK, CTL_SEND };

struct ctl_req {
	enum ctl_cmd cmd;
	char *task;            /* NULL for send --all and ping */
	int all;               /* send to every live task */
	enum status_mark mark; /* for CTL_MARK */
	char *text;            /* for CTL_SEND */
	int enter;             /* for CTL_SEND: press Enter after the text */
};

/* Parses one request line; -1 with a message naming the problem. */
int ctl_req_parse(const char *line, struct ctl_req *r, struct err *e);
/* The request as a JSON line with its "\n" (caller frees). */
char *ctl_req_format(const struct ctl_req *r);
void ctl_req_free(struct ctl_req *r);

struct ctl_reply {
	int ok;
	char msg[1024]; /* info when ok, the error otherwise */
};

/* The owner's handler: acts on r and fills reply (ok defaults to 1). */
typedef void (*ctl_handler)(void *ud, const struct ctl_req *r, struct ctl_reply *reply);

struct ctl_conn {
	int fd;
	struct sbuf in;
};

struct ctl_server {
	int fd;      /* listening, non-blocking; -1 when closed */
	char *path;  /* the socket's full path (for unlink) */
	struct ctl_conn *conns;
	size_t nconns, cap;
};

/* Listens on shoal_dir/ctl.sock. The caller holds the repository lock, so
 * a socket file already there is a dead shoal's and is replaced; anything
 * else there is an error. */
int ctl_listen(struct ctl_server *s, const char *shoal_dir, struct err *e);
/* Closes every connection and the socket, and removes the socket file. */
void ctl_close(struct ctl_server *s);
/* Fills up to max pollfds (listening fd first, then connections); returns
 * how many. Give it room for 1 + CTL_MAX_CONNS, or some clients wait. */
int ctl_pollfds(const struct ctl_server *s, struct pollfd *pfd, int max);
/* Serves the ready fds among pfd[0..n) (as returned by ctl_pollfds and
 * filled by poll()); calls h for each complete request. */
void ctl_handle(struct ctl_server *s, const struct pollfd *pfd, int n, ctl_handler h, void *ud);

/* Client: sends r to the shoal running with shoal_dir and waits (up to
 * CTL_TIMEOUT_MS) for the reply. 0 with reply filled (reply->ok may be 0:
 * the server refused), or -1 with e: "no shoal is running in this
 * repository" when nobody listens, or an I/O error. */
int ctl_request(const char *shoal_dir, const struct ctl_req *r, struct ctl_reply *reply,
		struct err *e);

#endif
