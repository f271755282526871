/* status — the status-signal combination rules (see status.h for the
 * precedence) and the built-in per-profile patterns, from what the field
 * knows about each agent's screen (shared/notes/field.md). */
#include "status.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const st_names[] = {
	[STATUS_RUNNING] = "running", [STATUS_IDLE] = "idle", [STATUS_WAITING] = "waiting-input",
	[STATUS_DONE] = "done",       [STATUS_FAILED] = "failed",
};

const char *status_name(enum status s)
{
	if ((unsigned)s >= ARRAY_LEN(st_names))
		return "?";
	return st_names[s];
}

enum task_state status_task_state(enum status s)
{
	switch (s) {
	case STATUS_IDLE: return TASK_IDLE;
	case STATUS_WAITING: return TASK_WAITING;
	case STATUS_DONE: return TASK_DONE;
	case STATUS_FAILED: return TASK_FAILED;
	default: return TASK_RUNNING;
	}
}

int status_mark_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "done"))
		return STATUS_MARK_DONE;
	if (!strcmp(s, "failed"))
		return STATUS_MARK_FAILED;
	if (!strcmp(s, "waiting") || !strcmp(s, "waiting-input"))
		return STATUS_MARK_WAITING;
	return -1;
}

const char *status_mark_name(enum status_mark m)
{
	switch (m) {
	case STATUS_MARK_DONE: return "done";
	case STATUS_MARK_FAILED: return "failed";
	case STATUS_MARK_WAITING: return "waiting";
	default: return "none";
	}
}

/* ---- built-in patterns, per profile ---- */

/* Claude Code: permission dialogs, "esc to cancel" in dialogs, and the error
 * banners that need the operator (field.md: ccmanager, claude-squad,
 * agent-deck). Busy: the "esc to interrupt" hint and the token counter of
 * the spinner line. */
static const char *const claude_waiting[] = {
	"([Dd]o you want|[Ww]ould you like) [^?]*\\?",
	"No, and tell Claude what to do differently",
	"[0-9]+\\. *[Dd]eny.*\\([Ee]sc\\)",
	"[Ee]sc to cancel",
	"API Error: [0-9]+",
	"Please run /login",
	"[Ii]nvalid API key",
	NULL,
};
static const char *const claude_busy[] = {
	"[Ee]sc to interrupt",
	"[Cc]trl\\+[Cc] to interrupt",
	"[0-9.]+k? tokens",
	NULL,
};
/* Codex CLI: approval prompts (ccmanager); busy: "esc … interrupt". */
static const char *const codex_waiting[] = {
	"\\[y/n\\]",
	"[Aa]llow command\\?",
	"[Pp]ress [Ee]nter to confirm or [Ee]sc to cancel",
	"([Dd]o you want|[Ww]ould you like) [^?]*\\?",
	NULL,
};
static const char *const codex_busy[] = {
	"[Ee]sc.{0,12}interrupt",
	NULL,
};
/* Aider: "Add file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]:". */
static const char *const aider_waiting[] = {
	"\\(Y\\)es/\\(N\\)o",
	"\\[Yes\\]: *$",
	"\\(D\\)on't ask again",
	NULL,
};
/* Gemini CLI: tool confirmations ("Allow execution?", "Yes, allow once");
 * while it works it shows "(esc to cancel, 12s)". */
static const char *const gemini_waiting[] = {
	"Yes, allow once",
	"[Aa]llow execution",
	"Waiting for user confirmation",
	"[Aa]pply this change\\?",
	NULL,
};
static const char *const gemini_busy[] = {
	"\\([Ee]sc to cancel, [0-9]+s\\)",
	NULL,
};
static const char *const none[] = { NULL };
/* Plain programs (the shell profile, explicit commands, profiles of the
 * plan's own without patterns): the classic terminal prompts, anchored at
 * the end of the line so that a log line mentioning "[y/n]" is not one. */
static const char *const generic_waiting[] = {
	"[[(][Yy](es)?/[Nn]o?[])] *[:?]? *$",
	"[Pp]assword( for [^:]*)?: *$",
	"[Pp]assphrase[^:]*: *$",
	"[Pp]ress (ENTER|[Ee]nter|RETURN|[Rr]eturn|any key)",
	NULL,
};

static const struct builtin {
	const char *name;
	const char *const *waiting, *const *busy;
	int braille_title;
} builtins[] = {
	{ "claude", claude_waiting, claude_busy, 1 },
	{ "codex", codex_waiting, codex_busy, 0 },
	{ "aider", aider_waiting, none, 0 },
	{ "gemini", gemini_waiting, gemini_busy, 0 },
	{ "shell", generic_waiting, none, 0 },
};
static const struct builtin generic = { NULL, generic_waiting, none, 0 };

static const struct builtin *builtin_find(const char *profile)
{
	for (size_t i = 0; profile && i < ARRAY_LEN(builtins); i++)
		if (!strcmp(builtins[i].name, profile))
			return &builtins[i];
	return &generic;
}

const char *const *status_builtin_waiting(const char *profile)
{
	const struct builtin *b = builtin_find(profile);
	return b ? b->waiting : none;
}

const char *const *status_builtin_busy(const char *profile)
{
	const struct builtin *b = builtin_find(profile);
	return b ? b->busy : none;
}

int status_builtin_title_braille(const char *profile)
{
	const struct builtin *b = builtin_find(profile);
	return b ? b->braille_title : 0;
}

/* ---- rules ---- */

/* Patterns that are pure ASCII are compiled in the C locale: glibc then
 * matches bytes, several times faster than in a UTF-8 locale (see
 * tests/bench/bench_status.c), and for an ASCII pattern the result is the
 * same on UTF-8 text except that "." steps over a byte instead of a
 * character. Patterns with non-ASCII characters are compiled in the current
 * locale, so "[⠀-⣿]" keeps meaning a range of characters. */
static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static int regcomp_fast(regex_t *re, const char *src)
{
	static locale_t c_loc;
	if (!is_ascii(src))
		return regcomp(re, src, REG_EXTENDED | REG_NOSUB);
	if (!c_loc)
		c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0;
	int rc = regcomp(re, src, REG_EXTENDED | REG_NOSUB);
	if (c_loc)
		uselocale(old);
	return rc;
}

static int compile(regex_t *re, const char *src, const char *profile, const char *what,
		   struct err *e)
{
	int rc = regcomp_fast(re, src);
	if (rc) {
		char msg[256];
		regerror(rc, re, msg, sizeof msg);
		regfree(re);
		return err_set(e, "profile %s: bad %s pattern \"%s\": %s", profile ? profile : "(none)",
			       what, src, msg);
	}
	return 0;
}

/* All of src as one alternation; 1 if it compiled. */
static int compile_all(regex_t *re, const char *const *src, int n)
{
	if (n < 2)
		return 0;
	struct sbuf b = { 0 };
	for (int i = 0; i < n; i++)
		sbuf_printf(&b, "%s(%s)", i ? "|" : "", src[i]);
	int ok = regcomp_fast(re, b.s) == 0;
	sbuf_free(&b);
	return ok;
}

static int compile_list(const char *const *src, regex_t **res, char ***srcs, int *n,
			const char *profile, const char *what, struct err *e)
{
	int cnt = 0;
	while (src && src[cnt])
		cnt++;
	*res = xcalloc((size_t)cnt + 1, sizeof **res);
	*srcs = xcalloc((size_t)cnt + 1, sizeof **srcs);
	*n = 0;
	for (int i = 0; i < cnt; i++) {
		if (compile(&(*res)[i], src[i], profile, what, e) < 0)
			return -1;
		(*srcs)[i] = xstrdup(src[i]);
		*n = i + 1;
	}
	return 0;
}

int status_rules_init(struct status_rules *r, const char *profile, const char *const *waiting,
		      const char *working_title, int idle_after_s, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->profile = profile ? xstrdup(profile) : NULL;
	r->nlines = STATUS_NLINES_DEFAULT;
	r->idle_after_ms = (int64_t)(idle_after_s > 0 ? idle_after_s : STATUS_IDLE_AFTER_DEFAULT) * 1000;
	r->spike_ms = r->idle_after_ms / 2 < STATUS_SPIKE_MS ? r->idle_after_ms / 2 : STATUS_SPIKE_MS;
	const char *const *w = waiting && waiting[0] ? waiting : status_builtin_waiting(profile);
	if (compile_list(w, &r->waiting, &r->waiting_src, &r->nwaiting, profile, "waiting", e) < 0 ||
	    compile_list(status_builtin_busy(profile), &r->busy, &r->busy_src, &r->nbusy, profile,
			 "busy", e) < 0)
		goto fail;
	r->has_waiting_all = compile_all(&r->waiting_all, (const char *const *)r->waiting_src, r->nwaiting);
	r->has_busy_all = compile_all(&r->busy_all, (const char *const *)r->busy_src, r->nbusy);
	if (working_title && *working_title) {
		if (compile(&r->title, working_title, profile, "working_title", e) < 0)
			goto fail;
		r->title_src = xstrdup(working_title);
		r->title_mode = STATUS_TITLE_REGEX;
	} else if (status_builtin_title_braille(profile)) {
		r->title_mode = STATUS_TITLE_BRAILLE;
	}
	return 0;
fail:
	status_rules_free(r);
	return -1;
}

void status_rules_free(struct status_rules *r)
{
	for (int i = 0; i < r->nwaiting; i++) {
		regfree(&r->waiting[i]);
		free(r->waiting_src[i]);
	}
	for (int i = 0; i < r->nbusy; i++) {
		regfree(&r->busy[i]);
		free(r->busy_src[i]);
	}
	if (r->has_waiting_all)
		regfree(&r->waiting_all);
	if (r->has_busy_all)
		regfree(&r->busy_all);
	free(r->waiting);
	free(r->waiting_src);
	free(r->busy);
	free(r->busy_src);
	if (r->title_mode == STATUS_TITLE_REGEX)
		regfree(&r->title);
	free(r->title_src);
	free(r->profile);
	memset(r, 0, sizeof *r);
}

/* ---- activity ---- */

void status_activity_start(struct status_activity *a, int64_t now_ms)
{
	memset(a, 0, sizeof *a);
	a->start_ms = a->last_ms = a->streak_start_ms = now_ms;
}

void status_activity_output(struct status_activity *a, const struct status_rules *r,
			    int64_t now_ms)
{
	if (now_ms - a->last_ms >= r->idle_after_ms) {
		/* After a silence: a new streak, which must prove itself. */
		a->quiet_seen = 1;
		a->streak_start_ms = now_ms;
		a->streak_n = 1;
	} else {
		a->streak_n++;
	}
	a->last_ms = now_ms;
}

/* ---- evaluation ---- */

const char *status_signal_name(int sig, char *buf, size_t n)
{
	static const struct { int sig; const char *name; } sigs[] = {
		{ SIGHUP, "SIGHUP" },   { SIGINT, "SIGINT" },   { SIGQUIT, "SIGQUIT" },
		{ SIGILL, "SIGILL" },   { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" },   { SIGFPE, "SIGFPE" },   { SIGKILL, "SIGKILL" },
		{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
		{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	};
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		if (sigs[i].sig == sig)
			return sigs[i].name;
	snprintf(buf, n, "signal %d", sig);
	return buf;
}

static int has_braille(const char *s)
{
	/* U+2800..U+28FF is E2 A0 80 .. E2 A3 BF in UTF-8. */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (p[0] == 0xe2 && p[1] >= 0xa0 && p[1] <= 0xa3 && p[2] >= 0x80 && p[2] <= 0xbf)
			return 1;
	return 0;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/* Copies line into the reason after prefix, trimmed and shortened. */
static void set_reason_line(struct status_out *out, const char *prefix, const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	size_t max = 80;
	int cut = n > max;
	if (cut) {
		n = max;
		while (n && ((unsigned char)line[n] & 0xc0) == 0x80) /* no split UTF-8 */
			n--;
	}
	snprintf(out->reason, sizeof out->reason, "%s\"%.*s%s\"", prefix, (int)n, line,
		 cut ? "…" : "");
}

/* Index of the bottom-most line among the last nlines non-blank-trailing
 * lines matching one of res, or -1. */
static int scan_lines(const struct status_rules *r, const regex_t *res, int nres,
		      const regex_t *all, const struct status_in *in)
{
	if (!in->lines || nres == 0)
		return -1;
	int end = in->nlines;
	while (end > 0 && (!in->lines[end - 1] || blank(in->lines[end - 1])))
		end--;
	int begin = end - r->nlines > 0 ? end - r->nlines : 0;
	for (int i = end - 1; i >= begin; i--) {
		if (!in->lines[i])
			continue;
		if (all) {
			if (regexec(all, in->lines[i], 0, NULL, 0) == 0)
				return i;
			continue;
		}
		for (int k = 0; k < nres; k++)
			if (regexec(&res[k], in->lines[i], 0, NULL, 0) == 0)
				return i;
	}
	return -1;
}

static void set(struct status_out *out, enum status st, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void set(struct status_out *out, enum status st, const char *fmt, ...)
{
	va_list ap;
	out->st = st;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof out->reason, fmt, ap);
	va_end(ap);
}

static void fmt_secs(char *buf, size_t n, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 60000)
		snprintf(buf, n, "%lld s", (long long)(ms / 1000));
	else
		snprintf(buf, n, "%lld min", (long long)(ms / 60000));
}

void status_eval(const struct status_rules *r, const struct status_in *in,
		 struct status_out *out)
{
	char buf[64];

	/* 1. Marks, while the process state is the one they were made in. */
	if (in->mark != STATUS_MARK_NONE && !!in->mark_alive == !!in->alive &&
	    !(in->mark == STATUS_MARK_WAITING && in->last_input_ms && in->last_input_ms >= in->mark_ms)) {
		enum status st = in->mark == STATUS_MARK_DONE     ? STATUS_DONE
				 : in->mark == STATUS_MARK_FAILED ? STATUS_FAILED
								  : STATUS_WAITING;
		set(out, st, "marked %s", status_mark_name(in->mark));
		return;
	}

	/* 2. The process. */
	if (!in->alive) {
		if (in->term_signal)
			set(out, STATUS_FAILED, "killed by %s",
			    status_signal_name(in->term_signal, buf, sizeof buf));
		else if (in->exit_code == 0)
			set(out, STATUS_DONE, "exit 0");
		else
			set(out, STATUS_FAILED, "exit %d", in->exit_code);
		return;
	}

	const struct status_activity *a = in->act;
	int64_t quiet = a ? in->now_ms - a->last_ms : INT64_MAX;

	/* 3. Waiting-for-input patterns, once the output has settled. */
	if (quiet >= STATUS_SETTLE_MS) {
		int i = scan_lines(r, r->waiting, r->nwaiting, r->has_waiting_all ? &r->waiting_all : NULL, in);
		if (i >= 0) {
			out->st = STATUS_WAITING;
			set_reason_line(out, "screen: ", in->lines[i]);
			return;
		}
	}

	/* 4. The title. */
	if (in->title && r->title_mode != STATUS_TITLE_NONE) {
		int working = r->title_mode == STATUS_TITLE_BRAILLE
				      ? has_braille(in->title)
				      : regexec(&r->title, in->title, 0, NULL, 0) == 0;
		if (working) {
			out->st = STATUS_RUNNING;
			set_reason_line(out, "title: ", in->title);
			return;
		}
	}

	/* 5. Busy screen patterns. */
	int i = scan_lines(r, r->busy, r->nbusy, r->has_busy_all ? &r->busy_all : NULL, in);
	if (i >= 0) {
		out->st = STATUS_RUNNING;
		set_reason_line(out, "screen: ", in->lines[i]);
		return;
	}

	/* 6. Output activity. */
	if (!a) {
		set(out, STATUS_RUNNING, "process alive");
		return;
	}
	if (quiet >= r->idle_after_ms) {
		fmt_secs(buf, sizeof buf, quiet);
		set(out, STATUS_IDLE, a->last_ms == a->start_ms && !a->quiet_seen && a->streak_n == 0
				      ? "no output since start (%s)" : "no output for %s", buf);
		return;
	}
	if (!a->quiet_seen) {
		set(out, STATUS_RUNNING, a->streak_n ? "output" : "starting");
		return;
	}
	if (a->streak_n >= 2 && a->last_ms - a->streak_start_ms >= r->spike_ms) {
		set(out, STATUS_RUNNING, "output");
		return;
	}
	set(out, STATUS_IDLE, "single burst of output after a silence");
}
