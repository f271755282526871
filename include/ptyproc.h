/* ptyproc — one child process on a pseudo-terminal: spawn with the right size,
 * working directory and a cleaned environment; non-blocking reads with a byte
 * budget; a write buffer that is flushed when the master is writable and never
 * blocks; resize; reaping with exit status. Knows nothing of terminals.
 * (Named ptyproc, not pty, so that it does not shadow the system <pty.h>; its
 * functions keep the short pty_ prefix.) */
#ifndef SHOAL_PTYPROC_H
#define SHOAL_PTYPROC_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct pty {
	int fd;         /* master, non-blocking; -1 once closed */
	pid_t pid;      /* child; 0 once reaped */
	int rows, cols; /* the size the kernel knows */
	int eof;        /* the master returned EOF/EIO: stop polling for input */
	int exited;     /* reaped; status holds the wait status */
	int status;
	char *wbuf;     /* pending bytes for the child */
	size_t wlen, woff, wcap;
};

struct pty_opts {
	char *const *argv;        /* argv[0] is looked up in PATH */
	const char *cwd;          /* NULL: inherit */
	int rows, cols;           /* initial size, >= 1 */
	const char *const *env;   /* extra "NAME=VALUE" entries, NULL-terminated, or NULL */
};

/* Variables removed from every child's environment (NULL-terminated), besides
 * COLORTERM, LINES and COLUMNS: the ones that make nested agents and
 * multiplexers refuse to start or misbehave. */
extern const char *const pty_env_strip[];

/* Starts argv on a new pty. TERM=xterm-256color, COLORTERM/LINES/COLUMNS and
 * pty_env_strip unset, default signal dispositions and an empty signal mask in
 * the child. If exec fails the child prints why on the pty and exits 127. */
int pty_spawn(struct pty *p, const struct pty_opts *o, struct err *e);

/* Reads at most cap bytes. Returns the count (> 0), 0 when nothing is
 * available now, -1 at end of file (p->eof is set). */
ssize_t pty_read(struct pty *p, char *buf, size_t cap);

/* Bytes a read would return at once (FIONREAD: what the line discipline
 * holds; not what its worker has still to move in), or -1 if unknown. */
int pty_readable(const struct pty *p);

/* Queues n bytes for the child and writes what the master takes now without
 * blocking. Bytes queued after EOF are dropped. */
void pty_write(struct pty *p, const void *data, size_t n);
/* Writes queued bytes until the master would block. 0, or -1 on a hard error
 * (the queue is then dropped). */
int pty_flush(struct pty *p);
/* Bytes still waiting: the caller polls for POLLOUT while this is non-zero. */
size_t pty_pending(const struct pty *p);

/* Tells the kernel the new size (TIOCSWINSZ, which signals the child) only
 * when it differs from the current one; sizes below 1 are clamped to 1.
 * Returns 1 if the size changed, 0 if not, -1 on error. */
int pty_resize(struct pty *p, int rows, int cols);

/* Non-blocking waitpid. Returns 1 when the child has just been reaped (then
 * p->exited and p->status are set), 0 otherwise. */
int pty_reap(struct pty *p);
/* "exited 0", "exited 3", "killed by SIGKILL" ... into buf. */
const char *pty_describe_exit(const struct pty *p, char *buf, size_t cap);
/* The exit code (0-255), or 128 + signal number, or -1 if not reaped yet. */
int pty_exit_code(const struct pty *p);

/* Sends sig to the child's process group (it is a session leader). */
void pty_kill(struct pty *p, int sig);
/* Closes the master, frees the buffer. Does not wait for the child. */
void pty_close(struct pty *p);

#endif
