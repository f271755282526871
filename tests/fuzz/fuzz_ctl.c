/* fuzz_ctl — libFuzzer target for control-socket requests (what any local
 * process may write to .shoal/ctl.sock): any line must parse or fail with a
 * message; whatever parses must format to a line that parses back the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = 0;
	struct ctl_req r, q;
	struct err e;
	if (ctl_req_parse(line, &r, &e) < 0) {
		if (!e.msg[0] || r.task || r.text)
			abort();
		free(line);
		return 0;
	}
	char *again = ctl_req_format(&r);
	if (ctl_req_parse(again, &q, &e) < 0)
		abort();
	if (q.cmd != r.cmd || q.all != r.all || q.mark != r.mark || q.enter != r.enter ||
	    !!q.task != !!r.task || (r.task && strcmp(q.task, r.task)) || !!q.text != !!r.text ||
	    (r.text && strcmp(q.text, r.text)))
		abort();
	ctl_req_free(&r);
	ctl_req_free(&q);
	free(again);
	free(line);
	return 0;
}
