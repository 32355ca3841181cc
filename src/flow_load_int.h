/* flow_load_int.h — private to the flow loader: its state and the typed-access helpers
 * shared by flow_load.c (top level, vars, signatures; defines them) and
 * flow_load_node.c (nodes). Only src/flow_load*.c include it. */
#ifndef TSHOOT_FLOW_LOAD_INT_H
#define TSHOOT_FLOW_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "src/flow.h"
#include "src/yamldoc.h"

/* The loader's state: the file messages name, where they go, how many errors so far. */
struct ld {
	const char *file;
	struct diags *d;
	size_t errors;
	const char *lang;            /* texts are read in this language (NULL: en) */
	struct flow_i18n *tx;        /* for lint (flow_load_opts.lint), else NULL */
};

/* An error at line:col of L's file, counted in L->errors. */
void lerr(struct ld *L, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An error at the line and column of ynode y. */
#define YERR(L, y, ...) lerr((L), (y)->line, (y)->col, __VA_ARGS__)

/* Each key/value pair p of mapping m. */
#define FOR_PAIRS(m, p) YNODE_FOR_PAIRS(m, p)

/* Whether s is one of the NULL-ended list. */
static inline bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* An error: key is not one of allowed (NULL-ended), where, with a suggestion. */
void unknown_key(struct ld *L, const struct ynode *key, const char *where,
		 const char *const *allowed);

/* A string value, allocated: NULL for an empty value; an error for a list or mapping. */
char *get_str(struct ld *L, const struct ynode *v, const char *key, const char *where);

/* Whether v is of kind k; an error naming key and where when not. */
bool want(struct ld *L, const struct ynode *v, enum ykind k, const char *key, const char *where);

/* A list that may be written empty: false when empty, not a list or over limit items. */
bool want_list(struct ld *L, const struct ynode *v, const char *key, const char *where,
	       size_t limit);

/* A mapping that may be written empty: false when empty, not one or over limit entries. */
bool want_map(struct ld *L, const struct ynode *v, const char *key, const char *where,
	      size_t limit);

/* true/yes or false/no (YAML 1.1 spellings); anything else an error, and false. */
bool get_bool(struct ld *L, const struct ynode *v, const char *key, const char *where);

/* p: the line and column of y. */
static inline void set_pos(struct flow_pos *p, const struct ynode *y)
{
	p->line = y->line;
	p->col = y->col;
}

/* r: the node id string v names (its index resolved after loading) and where it is. */
void get_ref(struct ld *L, struct flow_ref *r, const struct ynode *v, const char *key,
	     const char *where);

/* "pre" num (when not 0) "mid" 'id', allocated: where a value is, for messages. */
char *where_of(const char *pre, size_t num, const char *mid, const char *id);

/* Every reference of f (start, node references, variables of input nodes, set: and
 * with:) resolved to an index by its name (the first of equal names), -1 when none:
 * after loading, and by flow_link once callees are in (flow_link.c). */
void flow_resolve(struct flow *f);

/* ---- texts in languages (flow_load_lang.c) ---- */

/* Which text a value is, for lint and translation files: see lang_site_key. */
struct text_at {
	const char *sect, *owner, *list;
	int item;
};
#define TEXT_AT(sect, owner) (&(struct text_at){(sect), (owner), NULL, -1})
#define TEXT_AT_ITEM(owner, list, i) (&(struct text_at){"nodes", (owner), (list), (int)(i)})

/* A text field: a string, or a mapping of language tags to strings, of which the one
 * for L->lang is read (lang_pick). Allocated; NULL for an empty value or after an
 * error. With L->tx, where it is and its languages are kept for lint. */
char *get_text(struct ld *L, const struct ynode *v, const char *key, const char *where,
	       const struct text_at *at);
/* Is v a step written as a mapping of languages: a mapping with neither 'text' nor
 * 'why' (`- {en: ..., de: ...}`, not `- {text: ..., why: ...}`)? */
bool is_text_map(const struct ynode *v);
/* Top-level `languages:`: a list of tags. */
void load_languages(struct ld *L, struct flow *f, const struct ynode *v, const struct ynode *k);
/* After a flow f loaded: its translation file for L->lang applied (problems as warnings),
 * or with L->tx every declared language's read for lint. */
void load_translations(struct ld *L, struct flow *f);

/* Node k: v into n (zeroed by the caller), every problem an error in L
 * (flow_load_node.c). */
void load_node(struct ld *L, struct flow_node *n, const struct ynode *k,
	       const struct ynode *v);

#endif
