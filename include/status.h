/* status — what an agent is doing, combined from several signals, as pure
 * functions (no clock, no I/O: the caller passes "now" and what it saw).
 *
 * Signals and precedence, strongest first (the first that applies wins):
 *
 *  1. An explicit mark (operator key, `shoal mark TASK done|failed|waiting`,
 *     agent hooks calling it). It holds until the process state changes (a
 *     mark made while the process was alive stops applying when it exits, and
 *     the reverse); a "waiting" mark also ends as soon as input is sent to the
 *     agent at or after the mark (it was answered). mark_ms and last_input_ms
 *     must come from the same (monotonic) clock as now_ms.
 *  2. The process: exited with 0 = done; exited non-zero = failed ("exit 3");
 *     killed by a signal = failed ("killed by SIGKILL").
 *  3. Waiting-for-input screen patterns (per profile, POSIX extended regexes)
 *     matched against each of the last `nlines` non-blank screen lines, but
 *     only once output has settled (no output for STATUS_SETTLE_MS): a prompt
 *     line left in view while the agent is busy again is not "waiting".
 *     Error banners ("API Error: 401", "Please run /login") count as waiting:
 *     the operator has to act.
 *  4. The terminal title (OSC 0/2) matching the profile's "working" pattern
 *     (Claude Code animates a Braille spinner U+2800..U+28FF in the title
 *     while it works: the built-in claude check, done on code points).
 *  5. Busy screen patterns (built in per profile, e.g. "esc to interrupt").
 *  6. Output activity: silence for idle_after seconds = idle. Output since
 *     the process started without any such silence = running. After a
 *     silence, output only means running again once it is sustained (at least
 *     two outputs spanning spike_ms); a single burst — a status-bar tick, a
 *     clock, an echoed key — leaves the agent idle (spike filtering).
 *
 * Results: running, idle, waiting (waiting-input), done, failed, each with a
 * short reason for the sidebar and the event log. */
#ifndef SHOAL_STATUS_H
#define SHOAL_STATUS_H

#include <regex.h>
#include <stdint.h>

#include "task.h"
#include "util.h"

enum status { STATUS_RUNNING, STATUS_IDLE, STATUS_WAITING, STATUS_DONE, STATUS_FAILED };

/* "running", "idle", "waiting-input", "done", "failed". */
const char *status_name(enum status s);
/* The task state a status shows as (running → TASK_RUNNING ...). */
enum task_state status_task_state(enum status s);

enum status_mark { STATUS_MARK_NONE, STATUS_MARK_DONE, STATUS_MARK_FAILED, STATUS_MARK_WAITING };
/* "done", "failed", "waiting" (also "waiting-input"); -1 otherwise. */
int status_mark_parse(const char *s);
const char *status_mark_name(enum status_mark m);

#define STATUS_IDLE_AFTER_DEFAULT 5 /* seconds */
#define STATUS_NLINES_DEFAULT 30
#define STATUS_SETTLE_MS 500
#define STATUS_SPIKE_MS 1000

/* The compiled rules of one profile. */
struct status_rules {
	char *profile;
	regex_t *waiting;
	char **waiting_src;
	int nwaiting;
	regex_t *busy;
	char **busy_src;
	int nbusy;
	/* Each list also compiled as one alternation "(p1)|(p2)|...", so a line
	 * costs one regexec instead of one per pattern (has_* = 1 when it
	 * compiled; otherwise the patterns are tried one by one). */
	regex_t waiting_all, busy_all;
	int has_waiting_all, has_busy_all;
	enum { STATUS_TITLE_NONE, STATUS_TITLE_BRAILLE, STATUS_TITLE_REGEX } title_mode;
	regex_t title;
	char *title_src;
	int64_t idle_after_ms;
	int64_t spike_ms; /* min(STATUS_SPIKE_MS, idle_after / 2) */
	int nlines;
};

/* Compiles the rules for a profile. waiting (NULL-terminated, may be NULL)
 * replaces the built-in waiting patterns of that profile when non-empty;
 * working_title (may be NULL) replaces the built-in title check. Profiles
 * without built-ins (e.g. "shell", or NULL for an explicit command) get the
 * generic prompts and otherwise rely on the process and output activity. idle_after_s <= 0 means the default.
 * Returns -1 with "profile claude: bad waiting pattern "(": ..." in e. */
int status_rules_init(struct status_rules *r, const char *profile, const char *const *waiting,
		      const char *working_title, int idle_after_s, struct err *e);
void status_rules_free(struct status_rules *r);

/* The built-in waiting / busy patterns and title check of a profile name
 * (NULL-terminated arrays). Other names (and NULL: an explicit command) get
 * the generic terminal prompts ("[y/N]", "Password:", "Press Enter"), as
 * the shell profile does. */
const char *const *status_builtin_waiting(const char *profile);
const char *const *status_builtin_busy(const char *profile);
int status_builtin_title_braille(const char *profile);

/* Output activity of one process, fed by the caller on every PTY read. */
struct status_activity {
	int64_t start_ms;        /* the process started */
	int64_t last_ms;         /* last output (start_ms before any) */
	int64_t streak_start_ms; /* first output after the last silence */
	unsigned streak_n;       /* outputs since then */
	int quiet_seen;          /* there was a silence of idle_after since start */
};
void status_activity_start(struct status_activity *a, int64_t now_ms);
void status_activity_output(struct status_activity *a, const struct status_rules *r,
			    int64_t now_ms);

struct status_in {
	int64_t now_ms;
	int alive;          /* the process is running */
	int exit_code;      /* when !alive and term_signal == 0 */
	int term_signal;    /* when !alive: the signal that killed it, or 0 */
	const struct status_activity *act; /* NULL: no activity information */
	const char *title;  /* the terminal title, or NULL */
	const char *const *lines; /* screen lines, top to bottom (UTF-8) */
	int nlines;
	enum status_mark mark;
	int mark_alive;         /* in->alive when the mark was made */
	int64_t mark_ms;        /* when the mark was made */
	int64_t last_input_ms;  /* last input sent to the agent, 0 = never */
};

struct status_out {
	enum status st;
	char reason[256];
};

void status_eval(const struct status_rules *r, const struct status_in *in,
		 struct status_out *out);

/* "SIGKILL" for 9, ...; "signal 77" for unknown numbers (static or buf). */
const char *status_signal_name(int sig, char *buf, size_t n);

#endif
