/* ptyproc — child processes on pseudo-terminals: spawn, non-blocking I/O with
 * a write queue, resize, reap. */
#include "ptyproc.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

const char *const pty_env_strip[] = {
	"CLAUDECODE",            /* Claude Code refuses to start nested */
	"CLAUDE_CODE_ENTRYPOINT",
	"CLAUDE_CODE_SSE_PORT",
	"CLAUDE_AGENT_SDK_VERSION",
	"CODEX_SANDBOX",         /* set inside Codex's own sandboxed shells */
	"CODEX_SANDBOX_NETWORK_DISABLED",
	"GEMINI_CLI",            /* set by Gemini CLI for its shell tools */
	"TMUX",                  /* tmux/screen refuse to nest without it unset */
	"TMUX_PANE",
	"STY",
	"SHOAL_PANE",
	NULL,
};

extern char **environ;

static int env_dropped(const char *entry)
{
	static const char *const always[] = { "COLORTERM", "LINES", "COLUMNS", "TERM", NULL };
	size_t n = strcspn(entry, "=");
	for (size_t i = 0; always[i]; i++)
		if (strlen(always[i]) == n && !strncmp(entry, always[i], n))
			return 1;
	for (size_t i = 0; pty_env_strip[i]; i++)
		if (strlen(pty_env_strip[i]) == n && !strncmp(entry, pty_env_strip[i], n))
			return 1;
	return 0;
}

/* The child's environment, built before fork() (allocating in the child of
 * a threaded parent could deadlock): ours minus the stripped names, then
 * TERM, then the extras (which replace same-named entries). */
static char **child_env(const struct pty_opts *o)
{
	size_t n = 0, k = 0, extra = 0;
	for (char **e = environ; e && *e; e++)
		n++;
	if (o->env)
		while (o->env[extra])
			extra++;
	char **env = xcalloc(n + extra + 2, sizeof *env);
	for (char **e = environ; e && *e; e++) {
		if (env_dropped(*e))
			continue;
		int replaced = 0;
		size_t len = strcspn(*e, "=");
		for (size_t i = 0; i < extra && !replaced; i++)
			if (strcspn(o->env[i], "=") == len && !strncmp(o->env[i], *e, len))
				replaced = 1;
		if (!replaced)
			env[k++] = *e;
	}
	env[k++] = "TERM=xterm-256color";
	for (size_t i = 0; i < extra; i++) {
		const char *eq = strchr(o->env[i], '=');
		if (eq && eq != o->env[i])
			env[k++] = (char *)o->env[i];
	}
	env[k] = NULL;
	return env;
}

static void child_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL); /* fails harmlessly for SIGKILL/SIGSTOP/RT gaps */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_fail(const char *what, const char *arg)
{
	/* stderr is the pty: the message shows in the pane. */
	char msg[512];
	int n = snprintf(msg, sizeof msg, "shoal: %s %s: %s\r\n", what, arg, strerror(errno));
	if (n > 0)
		(void)!write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
	_exit(127);
}

int pty_spawn(struct pty *p, const struct pty_opts *o, struct err *e)
{
	memset(p, 0, sizeof *p);
	p->fd = -1;
	if (!o->argv || !o->argv[0] || !o->argv[0][0])
		return err_set(e, "no command to run");
	int rows = o->rows < 1 ? 1 : o->rows, cols = o->cols < 1 ? 1 : o->cols;
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	int fd = -1;
	char **env = child_env(o);
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		free(env);
		return err_set(e, "cannot open a pseudo-terminal: %s", strerror(errno));
	}
	if (pid == 0) {
		child_signals();
		if (o->cwd && chdir(o->cwd) < 0)
			child_fail("cannot change directory to", o->cwd);
		execvpe(o->argv[0], o->argv, env);
		child_fail("cannot run", o->argv[0]);
	}
	free(env);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int saved = errno;
		close(fd);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err_set(e, "cannot set up the pseudo-terminal: %s", strerror(saved));
	}
	p->fd = fd;
	p->pid = pid;
	p->rows = rows;
	p->cols = cols;
	return 0;
}

ssize_t pty_read(struct pty *p, char *buf, size_t cap)
{
	if (p->fd < 0 || p->eof)
		return -1;
	for (;;) {
		ssize_t n = read(p->fd, buf, cap);
		if (n > 0)
			return n;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		/* 0 or EIO: the slave side is gone. */
		p->eof = 1;
		return -1;
	}
}

int pty_readable(const struct pty *p)
{
	int n = 0;
	if (p->fd < 0 || p->eof || ioctl(p->fd, FIONREAD, &n) < 0)
		return -1;
	return n;
}

size_t pty_pending(const struct pty *p)
{
	return p->wlen - p->woff;
}

int pty_flush(struct pty *p)
{
	while (p->woff < p->wlen) {
		if (p->fd < 0)
			goto drop;
		ssize_t n = write(p->fd, p->wbuf + p->woff, p->wlen - p->woff);
		if (n > 0) {
			p->woff += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		goto drop;
	}
	if (p->woff == p->wlen)
		p->woff = p->wlen = 0;
	return 0;
drop:
	p->woff = p->wlen = 0;
	return -1;
}

void pty_write(struct pty *p, const void *data, size_t n)
{
	if (n == 0 || p->fd < 0 || p->eof)
		return;
	if (p->woff > 0 && p->woff == p->wlen)
		p->woff = p->wlen = 0;
	if (p->woff > 0 && p->wlen + n > p->wcap) { /* compact before growing */
		memmove(p->wbuf, p->wbuf + p->woff, p->wlen - p->woff);
		p->wlen -= p->woff;
		p->woff = 0;
	}
	xgrow((void **)&p->wbuf, &p->wcap, p->wlen + n, 1);
	memcpy(p->wbuf + p->wlen, data, n);
	p->wlen += n;
	pty_flush(p);
}

int pty_resize(struct pty *p, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (rows == p->rows && cols == p->cols)
		return 0;
	if (p->fd < 0)
		return -1;
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	if (ioctl(p->fd, TIOCSWINSZ, &ws) < 0)
		return -1;
	p->rows = rows;
	p->cols = cols;
	return 1;
}

int pty_reap(struct pty *p)
{
	if (p->pid <= 0 || p->exited)
		return 0;
	int st;
	pid_t r;
	do
		r = waitpid(p->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != p->pid)
		return 0;
	p->exited = 1;
	p->status = st;
	p->pid = 0;
	return 1;
}

int pty_exit_code(const struct pty *p)
{
	if (!p->exited)
		return -1;
	if (WIFEXITED(p->status))
		return WEXITSTATUS(p->status);
	if (WIFSIGNALED(p->status))
		return 128 + WTERMSIG(p->status);
	return -1;
}

const char *pty_describe_exit(const struct pty *p, char *buf, size_t cap)
{
	if (!p->exited)
		snprintf(buf, cap, "running");
	else if (WIFEXITED(p->status))
		snprintf(buf, cap, "exited %d", WEXITSTATUS(p->status));
	else if (WIFSIGNALED(p->status)) {
		const char *name = sigabbrev_np(WTERMSIG(p->status));
		if (name)
			snprintf(buf, cap, "killed by SIG%s", name);
		else
			snprintf(buf, cap, "killed by signal %d", WTERMSIG(p->status));
	} else
		snprintf(buf, cap, "stopped");
	return buf;
}

void pty_kill(struct pty *p, int sig)
{
	if (p->pid > 0 && !p->exited) {
		if (kill(-p->pid, sig) < 0)
			kill(p->pid, sig);
	}
}

void pty_close(struct pty *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->wbuf);
	p->wbuf = NULL;
	p->wlen = p->woff = p->wcap = 0;
}
