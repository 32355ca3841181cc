/* yamldoc.h — the one YAML loader: flow files, training scenarios and answers files are
 * all read here, into a small tree of scalars, lists and mappings (struct ynode), with
 * the same limits and the same file:line:col errors for all three (tshoot(1), LIMITS):
 *   - at most FLOW_MAX_FILE_BYTES read (a FIFO or /dev/zero cannot make it read
 *     forever), a directory refused;
 *   - nesting at most FLOW_MAX_DEPTH, refused while parsing, so "[[[[..." costs
 *     nothing;
 *   - at most YAML_MAX_VALUES scalars and collections, strings of at most
 *     FLOW_MAX_STRING bytes, no NUL in a string;
 *   - one document, no anchors or aliases (no billion laughs), no key twice in a
 *     mapping (the second would silently win), keys plain strings.
 * What the tree means is each reader's business (flow_load.c, scenario.c, answers.c);
 * they report their own problems with yamldoc_err at a node. Errors follow diag.h. */
#ifndef TSHOOT_YAMLDOC_H
#define TSHOOT_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "src/diag.h"
#include "src/flow.h"

/* Total scalars and collections in one file: keeps a 4 MiB file of "[a,a,a,...]"
 * from turning into hundreds of MiB of tree. */
#define YAML_MAX_VALUES 500000

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode;
struct ypair {
	struct ynode *key, *val;
	bool skip;                   /* duplicate or non-scalar key: reported, ignored */
};

struct ynode {
	enum ykind kind;
	int line, col;               /* 1-based */
	char *s;                     /* scalar (never NULL for scalars) */
	bool null;                   /* plain empty, ~ or null */
	struct ynode **items;        /* Y_SEQ */
	struct ypair *pairs;         /* Y_MAP */
	size_t n, cap;
	struct ynode *pending_key;   /* Y_MAP while building */
};

/* Each pair p of mapping m that was not skipped (a repeated or non-scalar key). */
#define YNODE_FOR_PAIRS(m, p) \
	for (struct ypair *p = (m)->pairs; p && p < (m)->pairs + (m)->n; p++) \
		if (!p->skip)

/* The whole file at path, NUL-terminated, its length in *len (caller frees); NULL with
 * an error in d (unless d is NULL) when it cannot be read, is a directory or is larger
 * than FLOW_MAX_FILE_BYTES. */
char *yamldoc_read(const char *path, size_t *len, struct diags *d);

/* Parse text (len bytes, named file in messages) into a tree: the root, or NULL for an
 * empty document. Every problem is an error in d (none when d is NULL), counted in
 * *errors; *fatal when the text is not worth reading further (a syntax error, too deep,
 * too many values), and then NULL is returned. Non-fatal errors (an alias, a long
 * string, a repeated key) leave a tree to read, so a reader reports its own problems
 * too. ynode_free the root. */
struct ynode *yamldoc_parse(const char *file, const char *text, size_t len, struct diags *d,
			    size_t *errors, bool *fatal);

/* yamldoc_read then yamldoc_parse: the root, or NULL when the file could not be read or
 * parsed (errors in d) or holds nothing (no error: *errors is 0). */
struct ynode *yamldoc_load(const char *path, struct diags *d, size_t *errors);

void ynode_free(struct ynode *y);
/* "string", "empty value", "list" or "mapping", for messages. */
const char *ykind_name(const struct ynode *y);

/* A scalar's text (borrowed; "" for an empty value), or NULL for NULL or any other kind
 * of node. */
const char *yamldoc_scalar0(const struct ynode *n);

/* Where n starts, 1-based; {0, 0} for NULL. */
struct flow_pos yamldoc_pos(const struct ynode *n);

/* An error at n (no position for NULL) in path. */
void yamldoc_err(struct diags *d, const char *path, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
