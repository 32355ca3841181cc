/* answers.c — answer files (answers.h): node id -> answer, or -> {var: value}. */
#include "src/answers.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "src/util.h"
#include "src/yamldoc.h"

struct answer {
	char *node;
	char *value;                 /* scalar answer, or NULL for an input mapping */
	char **keys, **vals;         /* input: var -> value */
	size_t nvars;
};

struct answers {
	char *path;
	char *flow;
	struct answer *v;
	size_t n, cap;
};

void answers_free(struct answers *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		struct answer *x = &a->v[i];
		free(x->node);
		free(x->value);
		for (size_t k = 0; k < x->nvars; k++) {
			free(x->keys[k]);
			free(x->vals[k]);
		}
		free(x->keys);
		free(x->vals);
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

static void load_answers_map(struct answers *a, yaml_document_t *doc, yaml_node_t *map, struct diags *d)
{
	if (map->type != YAML_MAPPING_NODE) {
		yamldoc_err(d, a->path, map, "'answers' must be a mapping of node id to answer");
		return;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const char *node = yamldoc_scalar0(k);
		if (!node) {
			yamldoc_err(d, a->path, k, "a node id must be a plain text");
			continue;
		}
		if (find(a, node)) {
			yamldoc_err(d, a->path, k, "node '%s' is answered twice", node);
			continue;
		}
		if (!v) {
			yamldoc_err(d, a->path, k, "node '%s' has no answer", node);
			continue;
		}
		struct answer x = {0};
		if (v->type == YAML_SCALAR_NODE) {
			x.value = xstrdup(yamldoc_scalar0(v));
		} else if (v->type == YAML_MAPPING_NODE) {
			bool ok = true;
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *vk = yaml_document_get_node(doc, q->key);
				yaml_node_t *vv = yaml_document_get_node(doc, q->value);
				if (!yamldoc_scalar0(vk) || !yamldoc_scalar0(vv)) {
					yamldoc_err(d, a->path, yamldoc_scalar0(vk) ? vv : vk,
						"at node '%s': a variable and its value must be plain texts", node);
					ok = false;
					continue;
				}
				bool dup = false;
				for (size_t i = 0; i < x.nvars; i++)
					dup |= str_eq(x.keys[i], yamldoc_scalar0(vk));
				if (dup) {
					yamldoc_err(d, a->path, vk, "variable '%s' is given twice", yamldoc_scalar0(vk));
					ok = false;
					continue;
				}
				x.keys = xrealloc(x.keys, (x.nvars + 1) * sizeof *x.keys);
				x.vals = xrealloc(x.vals, (x.nvars + 1) * sizeof *x.vals);
				x.keys[x.nvars] = xstrdup(yamldoc_scalar0(vk));
				x.vals[x.nvars++] = xstrdup(yamldoc_scalar0(vv));
			}
			(void)ok;
		} else {
			yamldoc_err(d, a->path, v,
				"the answer for node '%s' must be a text, or a mapping of variables for an input node", node);
			continue;
		}
		x.node = xstrdup(node);
		VEC_PUSH(a->v, a->n, a->cap);
		a->v[a->n++] = x;
	}
}

struct answers *answers_load(const char *path, struct diags *d)
{
	yaml_document_t doc;
	if (!yamldoc_load(path, &doc, d))
		return NULL;
	size_t errors_before = diags_count(d, DIAG_ERROR);
	struct answers *a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		diags_add(d, DIAG_ERROR, path, 1, 1, "empty answers file (expected 'answers:')");
	} else if (root->type != YAML_MAPPING_NODE) {
		yamldoc_err(d, path, root, "an answers file is a mapping with 'answers:' (and optionally 'flow:')");
	} else {
		bool seen_answers = false;
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			yaml_node_t *v = yaml_document_get_node(&doc, p->value);
			const char *key = yamldoc_scalar0(k);
			if (str_eq(key, "flow")) {
				if (!yamldoc_scalar0(v))
					yamldoc_err(d, path, v, "'flow' must be a flow id or path");
				else if (!a->flow)
					a->flow = xstrdup(yamldoc_scalar0(v));
			} else if (str_eq(key, "answers")) {
				seen_answers = true;
				if (v && v->type == YAML_SCALAR_NODE && !*yamldoc_scalar0(v))
					continue;    /* "answers:" with nothing: no answers */
				load_answers_map(a, &doc, v, d);
			} else {
				yamldoc_err(d, path, k, "unknown key '%s' (expected 'flow' or 'answers')", key ? key : "?");
			}
		}
		if (!seen_answers)
			yamldoc_err(d, path, root, "no 'answers:' mapping");
	}
	yaml_document_delete(&doc);
	if (diags_count(d, DIAG_ERROR) > errors_before) {
		answers_free(a);
		return NULL;
	}
	return a;
}

const char *answers_get0(const struct answers *a, const char *node_id)
{
	const struct answer *x = find(a, node_id);
	return x ? x->value : NULL;
}

const char *answers_var0(const struct answers *a, const char *node_id, const char *var)
{
	const struct answer *x = find(a, node_id);
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
