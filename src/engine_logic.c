/* engine_logic.c — the engine's format-2 logic: a branch node decides its way by its
 * when: rules (src/expr.h), which read variables and captured facts (${label.fact},
 * engine_lookup); set: entries give variables values as a step is committed. */
#include "src/engine.h"
#include "src/engine_int.h"

#include <stdio.h>
#include <string.h>

#include "src/expr.h"
#include "src/flow_link.h"
#include "src/secret.h"
#include "src/util.h"

/* Apply set: entries (format 2): each value a template, expanded with what is known
 * now (this step's captures included); a secret variable's value is expanded with
 * secrets revealed, any other with them masked. Undeclared names (lint reports them)
 * are passed over. */
void apply_sets(struct engine *e, const struct flow_set *sets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int vi = sets[i].idx;
		if (vi < 0 || (size_t)vi >= e->f->nvars)
			continue;
		char *v = engine_expand(e, sets[i].value ? sets[i].value : "",
					flow_var_secret(e->f, vi));
		val_free(e->f, (size_t)vi, e->vals[vi]);
		e->vals[vi] = v;
	}
}

/* ---- branch and captures ------------------------------------------------------- */

int engine_scope(const struct engine *e)
{
	const struct flow_node *n = e ? engine_node(e) : NULL;
	return n ? n->scope : 0;
}

const char *engine_lookup(const struct engine *e, const char *name)
{
	return engine_lookup_in(e, engine_scope(e), name);
}

const char *engine_lookup_in(const struct engine *e, int scope, const char *name)
{
	if (!e || !name)
		return NULL;
	const char *dot = strchr(name, '.');
	if (!dot) {
		int vi = flow_var_index_in(e->f, scope, name);
		if (vi < 0)
			return NULL;
		return e->vals[vi] ? e->vals[vi] : e->f->vars[vi].def;
	}
	size_t llen = (size_t)(dot - name);
	const char *fact = dot + 1;
	/* the newest capture of that label in the same scope (a sub-flow's captures are
	 * its own) wins; history is bounded by the walk */
	for (size_t k = e->nhist; k-- > 0;) {
		const struct engine_step *s = &e->hist[k];
		if (!node_ok(e, s->node))
			continue;
		const struct flow_node *n = &e->f->nodes[s->node];
		if (n->type != NODE_CHECK || n->scope != scope)
			continue;
		for (size_t i = 0; i < n->nchecks && i < s->nresults; i++) {
			const char *c = n->checks[i].capture;
			if (!c || strlen(c) != llen || strncmp(c, name, llen))
				continue;
			if (!strcmp(fact, "outcome"))
				return s->results[i].outcome;
			const char *v = facts_get0(&s->results[i].facts, fact);
			if (v && secret_name(fact))
				return SECRET_MASK;
			return v;
		}
	}
	return NULL;
}

static const char *lookup_fn(const char *name, void *ctx)
{
	return engine_lookup(ctx, name);
}

/* A call goes to its callee's start (the with: values are given as the step is
 * committed, read in the caller); a return to where the call routes its result. */
static int decide_call(struct engine *e, const struct flow_node *n, const char **err)
{
	int next = flow_ref_target(e->f, &n->next);
	if (!node_ok(e, next)) {
		*err = n->type == NODE_FLOW ? "this sub-flow call is not linked (its flow was not brought in)"
					    : "the call does not route what this sub-flow ended with";
		return -1;
	}
	struct engine_step s = step_begin(e);
	if (n->type == NODE_RETURN)
		s.outcome = xstrdup(flow_end_name(n));
	step_commit(e, &s, next);
	return 0;
}

int engine_decide(struct engine *e, const char **err)
{
	ERRP(err);
	const struct flow_node *n = engine_node(e);
	if (n && (n->type == NODE_FLOW || n->type == NODE_RETURN))
		return decide_call(e, n, err);
	n = cur_of(e, NODE_BRANCH, err);
	if (!n)
		return -1;
	int rule = -1;
	size_t bad = 0;                 /* 1-based: the rule that could not be decided */
	char why[256] = "";
	for (size_t i = 0; i < n->nrules && rule < 0; i++) {
		bool holds = false;
		if (!n->rules[i].expr) {
			snprintf(why, sizeof why, "it has no valid condition");
			bad = i + 1;
			break;
		}
		if (expr_eval(n->rules[i].expr, lookup_fn, e, &holds, why, sizeof why) != 0) {
			bad = i + 1;        /* undecidable: the default, with why */
			break;
		}
		if (holds)
			rule = (int)i;
	}
	int next = rule >= 0 ? n->rules[rule].next.idx : n->def.idx;
	if (!node_ok(e, next)) {
		*err = rule >= 0 ? "the rule that held leads nowhere (its next node is missing)"
				 : "this branch has no default to go to";
		return -1;
	}
	struct engine_step s = step_begin(e);
	s.rule = rule;
	if (bad)
		s.note = xasprintf("%s: rule %zu could not be decided (%s): took the default, %s",
				   n->id, bad, why, n->def.id);
	step_commit(e, &s, next);
	return 0;
}
