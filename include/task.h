/* task — the lifecycle of one task as pure data: the states, their names,
 * the table of allowed transitions, and transition events (who, from, to,
 * when, why) rendered as a JSON line (.shoal/logs/events.jsonl,
 * `shoal run --json`) or as one human-readable line. No I/O here.
 *
 * Lifecycle (see DESIGN.md):
 *   pending → ready → starting → running ⇄ idle / waiting-input → done | failed
 *   done → merging → merged | conflict | invalid (validation failed)
 *   conflict → starting | running (its agent resolves it: orch_resolve) → done
 *   any live state → stopped (the operator killed it); pending/ready → skipped.
 *
 * "interrupted" exists for resume: when shoal starts and state.json says a
 * task was starting/running/idle/waiting-input, its process died with the
 * previous shoal (or the machine), so we neither know it finished nor that it
 * failed. Calling it "failed" would lie and calling it "running" would show a
 * dead pane as alive; "interrupted" lets the operator resume (the profile's
 * resume argv), restart or retry it. Likewise a task found in "merging" comes
 * back as "done" (the merge never moves the base ref before it is complete, so
 * nothing was merged). */
#ifndef SHOAL_TASK_H
#define SHOAL_TASK_H

#include <stdint.h>

#include "util.h"

enum task_state {
	TASK_PENDING,
	TASK_READY,
	TASK_STARTING,
	TASK_RUNNING,
	TASK_IDLE,
	TASK_WAITING,   /* "waiting-input" */
	TASK_DONE,
	TASK_FAILED,
	TASK_STOPPED,
	TASK_SKIPPED,
	TASK_MERGING,
	TASK_MERGED,
	TASK_CONFLICT,
	TASK_INVALID,   /* merged cleanly but the validation command failed */
	TASK_INTERRUPTED,
	TASK_NSTATES
};

/* "pending", "waiting-input", ... (never NULL; "?" for out-of-range). */
const char *task_state_name(enum task_state s);
/* Parses a state name; -1 when unknown. */
int task_state_parse(const char *name);

/* 1 when the agent process may be alive in this state (starting, running,
 * idle, waiting-input). */
int task_state_live(enum task_state s);
/* 1 when the state counts as finished for the agent (done, failed, stopped,
 * skipped, merging, merged, conflict, invalid, interrupted). */
int task_state_finished(enum task_state s);

/* The transition table: task_transitions[from] is a bit set of the states
 * `from` may move to (bit 1u << to). Pure data, exported for the docs/tests. */
extern const uint32_t task_transitions[TASK_NSTATES];

/* 1 if from → to is allowed. A state never "moves" to itself: from == to is
 * not a transition (callers skip it; it is reported as not allowed). */
int task_transition_ok(enum task_state from, enum task_state to);
/* Returns 0, or -1 with "task ID: cannot go from running to merged" in e. */
int task_transition_check(const char *id, enum task_state from, enum task_state to,
			  struct err *e);

/* One state change. time_ms is wall-clock milliseconds since the epoch. */
struct task_event {
	const char *task;   /* task id (borrowed) */
	enum task_state from, to;
	int64_t time_ms;
	const char *reason; /* why, e.g. "exit 0", "no output for 5 s"; may be NULL */
};

/* Wall-clock now in milliseconds since the epoch. */
int64_t task_now_ms(void);

/* {"time":"2026-11-21T12:51:23.123Z","ms":...,"task":"x","from":"running",
 *  "to":"idle","reason":"..."} followed by "\n", appended to b. */
void task_event_json(const struct task_event *ev, struct sbuf *b);
/* "12:51:23 hashing: running → idle (no output for 5 s)" + "\n" (local time),
 * appended to b. */
void task_event_human(const struct task_event *ev, struct sbuf *b);

#endif
