/* answers.c — answer files (answers.h): node id -> answer, or -> {var: value}. */
#include "src/answers.h"

#include <stdlib.h>
#include <string.h>

#include "src/util.h"
#include "src/yamldoc.h"

/* One visit's answer. */
struct entry {
	char *value;                 /* scalar answer, or NULL for an input mapping */
	char **keys, **vals;         /* input: var -> value */
	size_t nvars;
};

/* A node's answers, one per visit in order (a list in the file; one for a plain value). */
struct answer {
	char *node;
	struct entry *e;
	size_t n;
};

struct answers {
	char *path;
	char *flow;
	struct answer *v;
	size_t n, cap;
};

static void entry_clear(struct entry *x)
{
	free(x->value);
	for (size_t k = 0; k < x->nvars; k++) {
		free(x->keys[k]);
		free(x->vals[k]);
	}
	free(x->keys);
	free(x->vals);
	memset(x, 0, sizeof(*x));
}

void answers_free(struct answers *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < a->v[i].n; j++)
			entry_clear(&a->v[i].e[j]);
		free(a->v[i].e);
		free(a->v[i].node);
	}
	free(a->v);
	free(a->flow);
	free(a->path);
	free(a);
}

static const struct answer *find(const struct answers *a, const char *node)
{
	for (size_t i = 0; a && node && i < a->n; i++)
		if (str_eq(a->v[i].node, node))
			return &a->v[i];
	return NULL;
}

/* The answer for visit (1-based; 0 counts as 1) of a node: the list's item of that
 * number, its last item once the list runs out. */
static const struct entry *find_visit(const struct answers *a, const char *node, size_t visit)
{
	const struct answer *x = find(a, node);
	if (!x || !x->n)
		return NULL;
	size_t k = visit ? visit - 1 : 0;
	return &x->e[k < x->n ? k : x->n - 1];
}

/* One visit's answer v into *x: a text, or a mapping of variables. false after saying why not. */
static bool load_entry(struct answers *a, const char *node, const struct ynode *v,
		       struct entry *x, struct diags *d)
{
	if (v->kind == Y_SCALAR) {
		x->value = xstrdup(v->s);
		return true;
	}
	if (v->kind != Y_MAP) {
		yamldoc_err(d, a->path, v,
			"the answer for node '%s' must be a text, or a mapping of variables for an input node", node);
		return false;
	}
	YNODE_FOR_PAIRS(v, q) {
		if (q->val->kind != Y_SCALAR) {
			yamldoc_err(d, a->path, q->val,
				    "at node '%s': a variable and its value must be plain texts", node);
			continue;
		}
		x->keys = xrealloc(x->keys, (x->nvars + 1) * sizeof *x->keys);
		x->vals = xrealloc(x->vals, (x->nvars + 1) * sizeof *x->vals);
		x->keys[x->nvars] = xstrdup(q->key->s);
		x->vals[x->nvars++] = xstrdup(q->val->s);
	}
	return true;
}

static void load_answers_map(struct answers *a, const struct ynode *map, struct diags *d)
{
	if (map->kind != Y_MAP) {
		yamldoc_err(d, a->path, map, "'answers' must be a mapping of node id to answer");
		return;
	}
	/* the loader has refused a node id given twice (yamldoc.h) */
	YNODE_FOR_PAIRS(map, p) {
		const char *node = p->key->s;
		const struct ynode *v = p->val;
		struct answer x = {0};
		if (v->kind == Y_SEQ) {
			/* one answer per visit, in order (tshoot-flow(5), ANSWERS FILES) */
			size_t cap = 0;
			for (uint32_t i = 0; i < v->n; i++) {
				const struct ynode *it = v->items[i];
				if (it->kind == Y_SEQ) {
					yamldoc_err(d, a->path, it,
						    "at node '%s': each answer in the list must be a text or a mapping of variables", node);
					continue;
				}
				VEC_PUSH(x.e, x.n, cap);
				memset(&x.e[x.n], 0, sizeof(*x.e));
				if (load_entry(a, node, it, &x.e[x.n], d))
					x.n++;
			}
			if (!x.n) {
				yamldoc_err(d, a->path, v, "the list of answers for node '%s' is empty", node);
				free(x.e);
				continue;
			}
		} else {
			x.e = xcalloc(1, sizeof(*x.e));
			if (!load_entry(a, node, v, &x.e[0], d)) {
				free(x.e);
				continue;
			}
			x.n = 1;
		}
		x.node = xstrdup(node);
		VEC_PUSH(a->v, a->n, a->cap);
		a->v[a->n++] = x;
	}
}

struct answers *answers_load(const char *path, struct diags *d)
{
	size_t errors_before = diags_count(d, DIAG_ERROR), errors = 0;
	struct ynode *root = yamldoc_load(path, d, &errors);
	if (!root) {
		if (!errors)
			diags_add(d, DIAG_ERROR, path, 1, 1, "empty answers file (expected 'answers:')");
		return NULL;
	}
	struct answers *a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	if (root->kind != Y_MAP) {
		yamldoc_err(d, path, root, "an answers file is a mapping with 'answers:' (and optionally 'flow:')");
	} else {
		bool seen_answers = false;
		YNODE_FOR_PAIRS(root, p) {
			const char *key = p->key->s;
			const struct ynode *v = p->val;
			if (str_eq(key, "flow")) {
				if (v->kind != Y_SCALAR)
					yamldoc_err(d, path, v, "'flow' must be a flow id or path");
				else
					a->flow = xstrdup(v->s);
			} else if (str_eq(key, "answers")) {
				seen_answers = true;
				if (v->kind == Y_SCALAR && !*v->s)
					continue;    /* "answers:" with nothing: no answers */
				load_answers_map(a, v, d);
			} else {
				yamldoc_err(d, path, p->key, "unknown key '%s' (expected 'flow' or 'answers')", key);
			}
		}
		if (!seen_answers)
			yamldoc_err(d, path, root, "no 'answers:' mapping");
	}
	ynode_free(root);
	if (diags_count(d, DIAG_ERROR) > errors_before) {
		answers_free(a);
		return NULL;
	}
	return a;
}

const char *answers_get0(const struct answers *a, const char *node_id)
{
	return answers_get_at0(a, node_id, 1);
}

const char *answers_var0(const struct answers *a, const char *node_id, const char *var)
{
	return answers_var_at0(a, node_id, var, 1);
}

const char *answers_get_at0(const struct answers *a, const char *node_id, size_t visit)
{
	const struct entry *x = find_visit(a, node_id, visit);
	return x ? x->value : NULL;
}

const char *answers_var_at0(const struct answers *a, const char *node_id, const char *var,
			    size_t visit)
{
	const struct entry *x = find_visit(a, node_id, visit);
	for (size_t i = 0; x && i < x->nvars; i++)
		if (str_eq(x->keys[i], var))
			return x->vals[i];
	return NULL;
}

bool answers_has(const struct answers *a, const char *node_id)
{
	return find(a, node_id) != NULL;
}

const char *answers_flow0(const struct answers *a)
{
	return a ? a->flow : NULL;
}
