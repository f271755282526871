/* state — what shoal remembers between runs, under .shoal/ at the root of the
 * main worktree: state.json (every task's state, branch, worktree, pid, exit,
 * times, merge outcome, plus the plan's path and a hash of its bytes), the
 * event log logs/events.jsonl, and the per-repository lock file `lock`.
 *
 * state.json is written atomically (temp file in the same directory, fsync,
 * rename, fsync of the directory): a crash leaves the old or the new file,
 * never half of one. Loading validates the format marker, the version and the
 * shape of every field; a corrupt or foreign file is reported with a clear
 * error and never silently overwritten (the caller refuses to go on). */
#ifndef SHOAL_STATE_H
#define SHOAL_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "task.h"
#include "util.h"

#define STATE_FORMAT "shoal-state"
#define STATE_VERSION 1

struct state_task {
	char *id;
	enum task_state st;
	char *branch;        /* NULL until known */
	char *worktree;      /* path, NULL until created */
	int pid;             /* 0 = no process */
	int exit_code;       /* -1 = none (still running, never ran, or killed) */
	int term_signal;     /* 0 = none */
	int64_t start_ms;    /* wall clock ms of the last start, 0 = never */
	int64_t end_ms;      /* wall clock ms of the last end, 0 = not ended */
	char *reason;        /* reason of the last transition, or NULL */
	char *session;       /* the agent's session id (for its resume argv), or NULL */
	char *report;        /* the task's completion report (plan "report" file), or NULL */
	/* The merge outcome: "merged", "conflict", "invalid", or NULL when the
	 * task was never merged; the merge commit; details (conflicting files,
	 * the validation's last lines). */
	char *merge_outcome;
	char *merge_commit;
	char *merge_detail;
};

struct state {
	char *plan_path;     /* as the caller gave it (repo-relative is best) */
	char *plan_hash;     /* "fnv1a64:<16 hex>" of the plan file's bytes */
	int64_t updated_ms;  /* set by state_save */
	struct state_task *tasks;
	int ntasks;
	size_t cap;
};

/* FNV-1a 64 of n bytes. */
uint64_t state_fnv1a64(const void *p, size_t n);
/* "fnv1a64:0123456789abcdef" of the file's bytes (caller frees), or NULL
 * with e filled. */
char *state_hash_file(const char *path, struct err *e);

void state_init(struct state *s, const char *plan_path, const char *plan_hash);
void state_free(struct state *s);
/* The task with that id, or NULL. */
struct state_task *state_task_find(struct state *s, const char *id);
/* The task with that id, added (pending, no process) if absent. */
struct state_task *state_task_get(struct state *s, const char *id);
/* Forgets the task with that id (a task removed from the plan); 1 if it
 * was there. Pointers to other tasks may move. */
int state_task_remove(struct state *s, const char *id);
/* Sets a string field (frees the old value; v may be NULL). */
void state_set_str(char **field, const char *v);

/* s as the JSON text state_save writes (no final newline; caller frees). */
char *state_to_json(const struct state *s);
/* Writes s to path atomically (updates s->updated_ms). -1 with e on error,
 * the previous file untouched. */
int state_save(struct state *s, const char *path, struct err *e);
/* Loads path into *s. Returns 1 when loaded, 0 when there is no such file
 * (s is then empty), -1 with e for an unreadable, corrupt or foreign file
 * ("PATH:LINE:COL: state file is not valid JSON ...",
 *  "PATH: not a shoal state file", "PATH: written by a newer shoal ...",
 *  "PATH: task 3: \"state\" must be one of ..."). */
int state_load(struct state *s, const char *path, struct err *e);

/* The same from text (n bytes, need not be NUL-terminated); path is for
 * messages. 1 or -1. */
int state_parse(struct state *s, const char *path, const char *text, size_t n, struct err *e);

/* Does state s belong to the plan at plan_path with that hash?
 * 0: same plan, same bytes; 1: same plan path but the file changed since
 * (the caller reconciles tasks by id); -1: another plan (e says which, and
 * that the state file is left alone). */
int state_check_plan(const struct state *s, const char *state_path, const char *plan_path,
		     const char *plan_hash, struct err *e);

/* After a restart: tasks found starting/running/idle/waiting-input lost their
 * process (they become interrupted, pid 0), tasks found merging become done
 * again (a merge never moves the base ref before it is complete). Returns how
 * many tasks changed; each gets a reason. */
int state_resume_fixup(struct state *s);

/* Creates dir (and dir/logs) if missing. */
int state_mkdirs(const char *shoal_dir, struct err *e);
/* Appends the event as one JSON line to path (O_APPEND, one write). */
int state_event_append(const char *path, const struct task_event *ev, struct err *e);

/* The per-repository lock: dir/lock holds the owner's pid (and its start
 * time, so that a pid reused after a crash or reboot is not taken for a
 * running shoal). Taking it is
 * atomic (the pid is written to a temp file that is link()ed to the lock
 * name, so the lock never exists empty); a lock whose pid is no longer alive
 * is stale and taken over. */
struct state_lock {
	char *path;
	int held;
};
/* 0 when taken; -1 with "another shoal (pid 1234) is running in this
 * repository (lock: PATH)" or an I/O error. */
int state_lock_acquire(struct state_lock *l, const char *shoal_dir, struct err *e);
/* Removes the lock if it is still ours. Safe to call when not held. */
void state_lock_release(struct state_lock *l);
/* The pid in a lock file, 0 if absent/unreadable. */
int state_lock_owner(const char *shoal_dir);
/* The pid of the shoal holding the lock if it is alive (the same process:
 * the lock records its start time, so a reused pid does not count), else 0. */
int state_lock_running(const char *shoal_dir);

#endif
