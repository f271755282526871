/* vlines — building a view's styled lines (see include/vlines.h). */
#include "vlines.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"

void vlines_add(struct vlines *b, enum theme_role role, const char *fmt, ...)
{
	xgrow((void **)&b->v, &b->cap, (size_t)b->n + 1, sizeof *b->v);
	va_list ap;
	va_start(ap, fmt);
	struct sbuf s = { 0 };
	sbuf_vprintf(&s, fmt, ap);
	va_end(ap);
	b->v[b->n].text = s.s ? sbuf_steal(&s) : xstrdup("");
	b->v[b->n].role = role;
	b->v[b->n].runs = NULL;
	b->v[b->n].nruns = 0;
	b->n++;
}

void vlines_add_text(struct vlines *b, enum theme_role role, const char *prefix, const char *text)
{
	for (const char *s = text; s && *s;) {
		size_t n = strcspn(s, "\n");
		vlines_add(b, role, "%s%.*s", prefix, (int)n, s);
		s += n + (s[n] == '\n');
	}
}

void vlines_free(struct vlines *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->v[i].text);
		free(b->v[i].runs);
	}
	free(b->v);
	memset(b, 0, sizeof *b);
}
