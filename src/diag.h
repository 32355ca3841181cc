/* diag.h — diagnostics with positions: "file:line:col: error: message", like a compiler.
 *
 * The one error convention of src/ (STYLE.md 6, "errors are values with messages"):
 *
 * 1. Reading a file a person wrote (a flow, a scenario, an answers file, a journal
 *    being replayed): every problem is a positioned diagnostic added to a
 *    `struct diags *d`, and reading goes on, so one run shows them all. The function
 *    returns NULL (a loader) or the number of errors (lint) when it added any error;
 *    warnings alone do not fail it.
 * 2. Anything else that can fail returns int, 0 for success and non-zero for failure
 *    (a constructor: NULL), propagated with `if (rc) return rc;`, and says why in its
 *    last parameter:
 *      const char **err  a fixed message, borrowed (never freed), for rules the
 *                        caller may show as is (engine_*: "not a valid hostname");
 *      char **err        a formatted message handed over, the caller frees (tmux's
 *                        `char **cause`), for failures that name a file or errno.
 *    err is set only on failure (engine_* also take NULL for it).
 * 3. src/ does not print errors: the caller decides where they go (main.c prints
 *    "tshoot: message" on stderr; a front end shows them). The exceptions are the
 *    functions that are a command's output themselves (session_list and session_prune
 *    write to the FILE they are given, and a delete that fails to stderr). (The
 *    answers-file front end, ui/replay.c, says on stderr which answer it could not
 *    use: it is a front end, and stderr is where a script looks.)
 * Aborting is only for a broken invariant or exhausted memory (util.h's x*alloc). */
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
void diags_clear(struct diags *d);

#endif
