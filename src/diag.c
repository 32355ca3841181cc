/* diag.c — positioned diagnostics. */
#include "src/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

void diags_add(struct diags *d, enum diag_sev sev, const char *file, int line, int col,
	       const char *fmt, ...)
{
	VEC_PUSH(d->v, d->n, d->cap);
	struct diag *g = &d->v[d->n++];
	va_list ap;
	va_start(ap, fmt);
	g->msg = xvasprintf(fmt, ap);
	va_end(ap);
	g->file = xstrdup(file ? file : "<input>");
	g->line = line;
	g->col = col;
	g->sev = sev;
}

size_t diags_count(const struct diags *d, enum diag_sev sev)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].sev == sev;
	return n;
}

static const char *sev_name(enum diag_sev s)
{
	switch (s) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "error";
}

char *diag_format(const struct diag *g)
{
	if (g->line > 0 && g->col > 0)
		return xasprintf("%s:%d:%d: %s: %s", g->file, g->line, g->col, sev_name(g->sev), g->msg);
	if (g->line > 0)
		return xasprintf("%s:%d: %s: %s", g->file, g->line, sev_name(g->sev), g->msg);
	return xasprintf("%s: %s: %s", g->file, sev_name(g->sev), g->msg);
}

static int cmp_diag(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

void diags_print(const struct diags *d, FILE *out)
{
	if (!d->n)
		return;
	/* sort a copy of the pointers' order so the list itself stays as added */
	struct diag *v = xmalloc(d->n * sizeof(*v));
	memcpy(v, d->v, d->n * sizeof(*v));
	/* a stable order for equal positions: mergesort is not in libc; ties keep
	 * qsort's order, which is fine for distinct messages */
	qsort(v, d->n, sizeof(*v), cmp_diag);
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&v[i]);
		fprintf(out, "%s\n", s);
		free(s);
	}
	free(v);
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	FREE_NULL(d->v);
	d->n = d->cap = 0;
}
