/* diag.h — diagnostics with positions: "file:line:col: error: message", like a compiler. */
#ifndef TSHOOT_DIAG_H
#define TSHOOT_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_sev { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	char *file;              /* owned */
	int line, col;           /* 1-based; 0 when unknown (then omitted when printed) */
	enum diag_sev sev;
	char *msg;               /* owned */
};

/* A list of diagnostics. Zero-initialise: struct diags d = {0}. Owns its items. */
struct diags {
	struct diag *v;
	size_t n, cap;
};

void diags_add(struct diags *d, enum diag_sev sev, const char *file, int line, int col,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Move every diagnostic of src to the end of dst, in order; src is left empty. */
void diags_move(struct diags *dst, struct diags *src);
size_t diags_count(const struct diags *d, enum diag_sev sev);
/* Print every diagnostic, sorted by file, line, column: "file:line:col: error: msg\n". */
void diags_print(const struct diags *d, FILE *out);
/* Format one diagnostic; caller frees. */
char *diag_format(const struct diag *g);
void diags_free(struct diags *d);

#endif
