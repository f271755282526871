/* fuzz_state — libFuzzer target for the state-file loader: any bytes must
 * load or fail with a message; whatever loads must save to JSON that loads
 * back to the same state (the round trip a resume depends on). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state s, t;
	struct err e;
	if (state_parse(&s, "fuzz.json", (const char *)data, size, &e) < 0) {
		if (!e.msg[0])
			abort(); /* every failure says why */
		return 0;
	}
	char *text = state_to_json(&s);
	if (state_parse(&t, "again.json", text, strlen(text), &e) != 1)
		abort();
	if (t.ntasks != s.ntasks || !same(s.plan_path, t.plan_path) || !same(s.plan_hash, t.plan_hash))
		abort();
	for (int i = 0; i < s.ntasks; i++) {
		const struct state_task *a = &s.tasks[i], *b = &t.tasks[i];
		if (strcmp(a->id, b->id) || a->st != b->st || a->pid != b->pid || a->exit_code != b->exit_code ||
		    a->term_signal != b->term_signal || a->start_ms != b->start_ms || a->end_ms != b->end_ms ||
		    !same(a->branch, b->branch) || !same(a->worktree, b->worktree) || !same(a->reason, b->reason) ||
		    !same(a->session, b->session) || !same(a->report, b->report) || !same(a->merge_outcome, b->merge_outcome) ||
		    !same(a->merge_commit, b->merge_commit) || !same(a->merge_detail, b->merge_detail))
			abort();
	}
	state_resume_fixup(&s);
	free(text);
	state_free(&s);
	state_free(&t);
	return 0;
}
