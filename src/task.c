/* task — task states, their names, the allowed transitions (a table), and
 * transition events as JSON lines or human lines. */
#include "task.h"

#include <string.h>
#include <time.h>

static const char *const names[TASK_NSTATES] = {
	[TASK_PENDING] = "pending",
	[TASK_READY] = "ready",
	[TASK_STARTING] = "starting",
	[TASK_RUNNING] = "running",
	[TASK_IDLE] = "idle",
	[TASK_WAITING] = "waiting-input",
	[TASK_DONE] = "done",
	[TASK_FAILED] = "failed",
	[TASK_STOPPED] = "stopped",
	[TASK_SKIPPED] = "skipped",
	[TASK_MERGING] = "merging",
	[TASK_MERGED] = "merged",
	[TASK_CONFLICT] = "conflict",
	[TASK_INVALID] = "invalid",
	[TASK_INTERRUPTED] = "interrupted",
};

#define B(s) (1u << (s))
/* Live states share their exits: the agent can change status, finish, fail,
 * be stopped by the operator, or die with shoal (interrupted, found on
 * resume). A mark (`shoal mark`) can say done/failed/waiting at any time. */
#define LIVE_EXITS (B(TASK_DONE) | B(TASK_FAILED) | B(TASK_STOPPED) | B(TASK_INTERRUPTED))
/* Finished-but-not-merged states can be restarted (same worktree: starting)
 * or retried from scratch (new worktree: ready), or skipped. */
#define AGAIN (B(TASK_STARTING) | B(TASK_READY) | B(TASK_SKIPPED))

const uint32_t task_transitions[TASK_NSTATES] = {
	/* Becomes ready when its dependencies / wave allow; skip any time. */
	[TASK_PENDING] = B(TASK_READY) | B(TASK_SKIPPED),
	/* Back to pending when a dependency is reopened (e.g. retried). */
	[TASK_READY] = B(TASK_STARTING) | B(TASK_PENDING) | B(TASK_SKIPPED),
	/* Worktree creation or spawn may fail (program not installed ...). */
	[TASK_STARTING] = B(TASK_RUNNING) | B(TASK_FAILED) | B(TASK_STOPPED) | B(TASK_INTERRUPTED),
	[TASK_RUNNING] = B(TASK_IDLE) | B(TASK_WAITING) | LIVE_EXITS,
	[TASK_IDLE] = B(TASK_RUNNING) | B(TASK_WAITING) | LIVE_EXITS,
	[TASK_WAITING] = B(TASK_RUNNING) | B(TASK_IDLE) | LIVE_EXITS,
	/* done: merge it; or the process, marked done while alive, then exits
	 * non-zero (failed); or do it again; or its still-running agent gets
	 * more work (a resolve prompt typed to it: orch_resolve). */
	[TASK_DONE] = B(TASK_MERGING) | B(TASK_FAILED) | B(TASK_RUNNING) | AGAIN,
	/* failed/stopped: the operator may accept the work anyway (mark done). */
	[TASK_FAILED] = B(TASK_DONE) | AGAIN,
	[TASK_STOPPED] = B(TASK_DONE) | AGAIN,
	/* Un-skip. */
	[TASK_SKIPPED] = B(TASK_PENDING) | B(TASK_READY),
	/* A cancelled or crashed merge leaves the base untouched: back to done. */
	[TASK_MERGING] = B(TASK_MERGED) | B(TASK_CONFLICT) | B(TASK_INVALID) | B(TASK_DONE),
	/* Final. */
	[TASK_MERGED] = 0,
	/* Try the merge again (after fixing the branch), or redo the task, or
	 * its still-running agent resolves it (a resolve prompt typed to it). */
	[TASK_CONFLICT] = B(TASK_MERGING) | B(TASK_DONE) | B(TASK_RUNNING) | AGAIN,
	[TASK_INVALID] = B(TASK_MERGING) | B(TASK_DONE) | AGAIN,
	/* Resume (starting), retry (ready), skip, or accept/reject by hand. */
	[TASK_INTERRUPTED] = B(TASK_DONE) | B(TASK_FAILED) | B(TASK_STOPPED) | AGAIN,
};
#undef B

const char *task_state_name(enum task_state s)
{
	if ((int)s < 0 || s >= TASK_NSTATES)
		return "?";
	return names[s];
}

int task_state_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < TASK_NSTATES; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

int task_state_live(enum task_state s)
{
	return s == TASK_STARTING || s == TASK_RUNNING || s == TASK_IDLE || s == TASK_WAITING;
}

int task_state_finished(enum task_state s)
{
	switch (s) {
	case TASK_DONE: case TASK_FAILED: case TASK_STOPPED: case TASK_SKIPPED:
	case TASK_MERGING: case TASK_MERGED: case TASK_CONFLICT: case TASK_INVALID:
	case TASK_INTERRUPTED:
		return 1;
	default:
		return 0;
	}
}

int task_transition_ok(enum task_state from, enum task_state to)
{
	if ((int)from < 0 || from >= TASK_NSTATES || (int)to < 0 || to >= TASK_NSTATES)
		return 0;
	return (task_transitions[from] >> to) & 1u;
}

int task_transition_check(const char *id, enum task_state from, enum task_state to,
			  struct err *e)
{
	if (task_transition_ok(from, to))
		return 0;
	if (from == to)
		return err_set(e, "task %s: already %s", id, task_state_name(from));
	return err_set(e, "task %s: cannot go from %s to %s", id, task_state_name(from),
		       task_state_name(to));
}

int64_t task_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void task_event_json(const struct task_event *ev, struct sbuf *b)
{
	time_t sec = (time_t)(ev->time_ms / 1000);
	int ms = (int)(ev->time_ms % 1000);
	if (ms < 0) {
		ms += 1000;
		sec -= 1;
	}
	struct tm tm;
	char ts[40];
	gmtime_r(&sec, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	sbuf_printf(b, "{\"time\":\"%s.%03dZ\",\"ms\":%lld,\"task\":", ts, ms,
		    (long long)ev->time_ms);
	sbuf_json_str(b, ev->task ? ev->task : "");
	sbuf_printf(b, ",\"from\":\"%s\",\"to\":\"%s\",\"reason\":", task_state_name(ev->from),
		    task_state_name(ev->to));
	if (ev->reason)
		sbuf_json_str(b, ev->reason);
	else
		sbuf_adds(b, "null");
	sbuf_adds(b, "}\n");
}

void task_event_human(const struct task_event *ev, struct sbuf *b)
{
	time_t sec = (time_t)(ev->time_ms / 1000);
	if (ev->time_ms < 0 && ev->time_ms % 1000)
		sec -= 1;
	struct tm tm;
	char ts[16];
	localtime_r(&sec, &tm);
	strftime(ts, sizeof ts, "%H:%M:%S", &tm);
	sbuf_printf(b, "%s %s: %s \xe2\x86\x92 %s", ts, ev->task ? ev->task : "?",
		    task_state_name(ev->from), task_state_name(ev->to));
	if (ev->reason && *ev->reason) {
		/* One line: control characters in a reason (an agent's screen
		 * text ...) become spaces. */
		sbuf_adds(b, " (");
		for (const char *p = ev->reason; *p; p++)
			sbuf_addc(b, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
		sbuf_addc(b, ')');
	}
	sbuf_addc(b, '\n');
}
