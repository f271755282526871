/* orch_ctl — the orchestrator's side of the control socket (ctl.h): marks
 * and input sent to one task or to every running agent, with a
 * suggestion when the task id is unknown. */
#include "orch.h"

#include <stdio.h>
#include <stdlib.h>

#include "ctl.h"
#include "util.h"

/* ---- the control socket ---- */

static int find_task(struct orch *o, const char *id, struct ctl_reply *rep)
{
	int i = plan_find(o->plan, id);
	if (i >= 0)
		return i;
	const char **ids = xcalloc((size_t)o->plan->ntasks + 1, sizeof *ids);
	for (int k = 0; k < o->plan->ntasks; k++)
		ids[k] = o->plan->tasks[k].id;
	const char *s = util_suggest(id, ids, (size_t)o->plan->ntasks);
	rep->ok = 0;
	snprintf(rep->msg, sizeof rep->msg, "no task \"%s\" in plan %s%s%s%s", id, o->plan->name,
		 s ? " (did you mean \"" : "", s ? s : "", s ? "\"?)" : "");
	free(ids);
	return -1;
}

static int send_to(struct orch *o, int i, const char *bytes, size_t n, struct err *e)
{
	struct orch_task *t = &o->t[i];
	if (!task_state_live(t->st) || t->pid <= 0)
		return err_set(e, "task %s is not running (it is %s)", o->plan->tasks[i].id,
			       task_state_name(t->st));
	if (!o->ops.send)
		return err_set(e, "sending input is not available");
	if (o->ops.send(o->ops.ud, i, bytes, n, e) < 0)
		return -1;
	orch_input(o, i, (int64_t)util_now_ms());
	return 0;
}

void orch_ctl_handle(void *ud, const struct ctl_req *r, struct ctl_reply *rep)
{
	struct orch *o = ud;
	struct err e;
	rep->ok = 1;
	rep->msg[0] = 0;
	if (r->cmd == CTL_MARK) {
		int i = find_task(o, r->task, rep);
		if (i < 0)
			return;
		if (orch_mark(o, i, r->mark, &e) < 0) {
			rep->ok = 0;
			snprintf(rep->msg, sizeof rep->msg, "%s", e.msg);
			return;
		}
		snprintf(rep->msg, sizeof rep->msg, "task %s is %s", r->task, task_state_name(o->t[i].st));
		return;
	}
	if (r->cmd != CTL_SEND)
		return;
	struct sbuf b = { 0 };
	sbuf_adds(&b, r->text ? r->text : "");
	if (r->enter)
		sbuf_addc(&b, '\r');
	if (!r->all) {
		int i = find_task(o, r->task, rep);
		if (i >= 0) {
			if (send_to(o, i, b.s ? b.s : "", b.len, &e) < 0) {
				rep->ok = 0;
				snprintf(rep->msg, sizeof rep->msg, "%s", e.msg);
			} else {
				snprintf(rep->msg, sizeof rep->msg, "sent to %s", r->task);
			}
		}
		sbuf_free(&b);
		return;
	}
	int sent = 0, failed = 0;
	for (int i = 0; i < o->plan->ntasks; i++) {
		if (!task_state_live(o->t[i].st) || o->t[i].pid <= 0)
			continue;
		if (send_to(o, i, b.s ? b.s : "", b.len, &e) < 0)
			failed++;
		else
			sent++;
	}
	sbuf_free(&b);
	if (!sent && !failed) {
		rep->ok = 0;
		snprintf(rep->msg, sizeof rep->msg, "no agent is running");
	} else if (failed) {
		rep->ok = sent > 0;
		snprintf(rep->msg, sizeof rep->msg, "sent to %d task%s, failed for %d: %.900s", sent,
			 sent == 1 ? "" : "s", failed, e.msg);
	} else {
		snprintf(rep->msg, sizeof rep->msg, "sent to %d task%s", sent, sent == 1 ? "" : "s");
	}
}
