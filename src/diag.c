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

void diags_move(struct diags *dst, struct diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		VEC_PUSH(dst->v, dst->n, dst->cap);
		dst->v[dst->n++] = src->v[i];
	}
	FREE_NULL(src->v);
	src->n = src->cap = 0;
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

static char *diag_format_raw(const struct diag *g)
{
	if (g->line > 0 && g->col > 0)
		return xasprintf("%s:%d:%d: %s: %s", g->file, g->line, g->col, sev_name(g->sev), g->msg);
	if (g->line > 0)
		return xasprintf("%s:%d: %s: %s", g->file, g->line, sev_name(g->sev), g->msg);
	return xasprintf("%s: %s: %s", g->file, sev_name(g->sev), g->msg);
}

/* Messages quote what a file holds (ids, keys, log lines): cleaned for the terminal. */
char *diag_format(const struct diag *g)
{
	char *raw = diag_format_raw(g);
	char *s = str_clean_dup(raw);
	free(raw);
	return s;
}

/* Sort by file, line, column; equal positions keep the order they were added in. */
struct diag_ref {
	const struct diag *g;
	size_t seq;
};

static int cmp_diag(const void *a, const void *b)
{
	const struct diag_ref *rx = a, *ry = b;
	const struct diag *x = rx->g, *y = ry->g;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return rx->seq < ry->seq ? -1 : rx->seq > ry->seq;
}

void diags_print(const struct diags *d, FILE *out)
{
	if (!d->n)
		return;
	struct diag_ref *v = xmalloc(d->n * sizeof(*v));
	for (size_t i = 0; i < d->n; i++)
		v[i] = (struct diag_ref){&d->v[i], i};
	qsort(v, d->n, sizeof(*v), cmp_diag);
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(v[i].g);
		fprintf(out, "%s\n", s);
		free(s);
	}
	free(v);
}

void diags_clear(struct diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	FREE_NULL(d->v);
	d->n = d->cap = 0;
}
