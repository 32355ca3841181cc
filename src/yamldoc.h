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
#include <stdint.h>

#include "src/diag.h"
#include "src/flow.h"

/* Total scalars and collections in one file: keeps a 4 MiB file of "[a,a,a,...]"
 * from turning into hundreds of MiB of tree. */
#define YAML_MAX_VALUES 500000

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode;
struct ypair {
	struct ynode *key, *val;
};

/* A value of the tree. The whole tree lives in one arena (an obstack) that ynode_free
 * of the root lets go in one step: a 10,000-node flow is some 200,000 values, and a
 * malloc for each value, string and growing list cost more than the parse itself. */
struct ynode {
	unsigned char kind;          /* enum ykind */
	bool null;                   /* plain empty, ~ or null */
	bool quoted;                 /* a scalar written in quotes: its text starts one column
	                                after col (a condition's error column, flow_load_node.c) */
	bool skip;                   /* as a mapping key: a duplicate or not a plain string
	                                (reported), so the pair is ignored */
	int line, col;               /* 1-based */
	uint32_t n;                  /* items or pairs (at most YAML_MAX_VALUES) */
	union {
		char *s;                 /* Y_SCALAR (never NULL) */
		struct ynode **items;    /* Y_SEQ: n */
		struct ypair *pairs;     /* Y_MAP: n, in the order written */
	};
};

/* Each pair p of mapping m that was not skipped (a repeated or non-scalar key). */
#define YNODE_FOR_PAIRS(m, p) \
	for (struct ypair *p = (m)->pairs; p && p < (m)->pairs + (m)->n; p++) \
		if (!p->key->skip)

/* For a reader that makes something of a part of the document as soon as it is parsed,
 * so that part is never whole in memory (flow_load.c makes each node of a flow this
 * way: a flow's tree is mostly its nodes). The entries of the mapping that is the value
 * of the first top-level key named key are handed to entry, in order, each once it is
 * complete; then the value and all it holds are freed, and in the tree it is an empty
 * value. k is the entry's key, skipped (k->skip) when it is not a plain string; a key
 * written twice is only known when the mapping closes, so entry is called for the
 * repeat too and the reader looks at the finished mapping (map) for which to keep. */
struct yamldoc_stream {
	const char *key;
	void (*entry)(void *ctx, const struct ynode *k, const struct ynode *v);
	void *ctx;
	const struct ynode *map;     /* set by the loader: that mapping, once it opens */
};

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

/* The file at path into a tree, as yamldoc_parse: the root, or NULL when the file could
 * not be read or parsed (errors in d, *fatal set; d may be NULL) or holds nothing (no
 * error: *errors is 0). A regular file is parsed a block at a time as it is read,
 * never held whole (a read that fails or goes past the limit on the way is then the one
 * error); anything else (a FIFO) is read whole first, as by yamldoc_read. With st,
 * the entries of st->key are handed over as they are parsed (struct yamldoc_stream).
 * errors and fatal may be NULL. */
struct ynode *yamldoc_load_stream(const char *path, struct yamldoc_stream *st, struct diags *d,
				  size_t *errors, bool *fatal);
/* The same for a text (yamldoc_parse). */
struct ynode *yamldoc_parse_stream(const char *file, const char *text, size_t len,
				   struct yamldoc_stream *st, struct diags *d, size_t *errors,
				   bool *fatal);

/* yamldoc_load_stream with no stream. */
struct ynode *yamldoc_load(const char *path, struct diags *d, size_t *errors);

/* Is the tree a training scenario rather than a flow or an answers file? The one place
 * this is decided (scenario_is_file and flow_load_file_or_scenario ask here): a
 * top-level mapping with a "scenario" key. */
bool yamldoc_is_scenario(const struct ynode *root);

/* Frees a root from yamldoc_parse or yamldoc_load and its whole tree (NULL-safe); never
 * a node inside a tree. */
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
