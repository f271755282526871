/* diag — collects "FILE:LINE:COL: error: MESSAGE" diagnostics and prints
 * them in file order. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void diags_init(struct diags *d, const char *file, const char *text, size_t len)
{
	memset(d, 0, sizeof *d);
	d->file = file;
	d->text = text;
	d->len = len;
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	free(d->lines);
	d->lines = NULL;
	d->nlines = 0;
	d->v = NULL;
	d->n = d->cap = 0;
}

void diag_linecol(const char *text, size_t len, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c++; /* count characters, not continuation bytes */
		}
	}
	*line = l;
	*col = c;
}

void diags_linecol(struct diags *d, size_t off, int *line, int *col)
{
	if (!d->text) {
		*line = *col = 0;
		return;
	}
	if (!d->lines) {
		size_t cap = 0;
		xgrow((void **)&d->lines, &cap, 1, sizeof *d->lines);
		d->lines[d->nlines++] = 0;
		for (size_t i = 0; i < d->len; i++)
			if (d->text[i] == '\n') {
				xgrow((void **)&d->lines, &cap, d->nlines + 1, sizeof *d->lines);
				d->lines[d->nlines++] = i + 1;
			}
	}
	if (off > d->len)
		off = d->len;
	size_t lo = 0, hi = d->nlines; /* last line start <= off */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	int c = 1;
	for (size_t i = d->lines[lo]; i < off; i++)
		if (((unsigned char)d->text[i] & 0xc0) != 0x80)
			c++;
	*line = (int)lo + 1;
	*col = c;
}

void diag_add(struct diags *d, size_t off, const char *fmt, ...)
{
	int max = d->max ? d->max : 100;
	if ((int)d->n >= max)
		return;
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	xgrow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v);
	struct diag *g = &d->v[d->n++];
	g->off = off;
	g->seq = d->n - 1;
	g->msg = sbuf_steal(&b);
	g->line = g->col = 0;
	if (off != (size_t)-1 && d->text)
		diags_linecol(d, off, &g->line, &g->col);
}

static int diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diags_sort(struct diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, diag_cmp);
}

char *diag_format(const struct diags *d, size_t i)
{
	const struct diag *g = &d->v[i];
	if (g->off == (size_t)-1)
		return xasprintf("%s: error: %s", d->file, g->msg);
	return xasprintf("%s:%d:%d: error: %s", d->file, g->line, g->col, g->msg);
}

char *diags_join(struct diags *d)
{
	if (!d->n)
		return NULL;
	diags_sort(d);
	struct sbuf b = { 0 };
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(d, i);
		sbuf_printf(&b, "%s%s", i ? "\n" : "", s);
		free(s);
	}
	return sbuf_steal(&b);
}

void diags_print(struct diags *d, FILE *f)
{
	diags_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(d, i);
		fprintf(f, "%s\n", s);
		free(s);
	}
	int max = d->max ? d->max : 100;
	if ((int)d->n >= max)
		fprintf(f, "%s: note: stopped after %d errors\n", d->file, max);
}
