/* lint.c — validate a loaded flow: references, dead ends, cycles with no exit, checks
 * and their routes, classify routes, and warnings for what is never used.
 * The loader has already judged YAML and shape; here every node is known. */
#include "src/lint.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "src/expr.h"
#include "src/flow_lang.h"
#include "src/flow_graph.h"
#include "src/flow_link.h"
#include "src/suggest.h"
#include "src/template.h"
#include "src/util.h"

struct lint {
	const struct flow *f;
	struct diags *d;
	size_t errors;
	bool *var_used;
	bool *sig_used;
	const bool *good;            /* lint_cycles: an end can be reached from node i */
};

static void report(struct lint *X, enum diag_sev sev, struct flow_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(struct lint *X, enum diag_sev sev, struct flow_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diags_add(X->d, sev, X->f->path, pos.line, pos.col, "%s", msg);
	free(msg);
	if (sev == DIAG_ERROR)
		X->errors++;
}

#define ERR(X, pos, ...) report((X), DIAG_ERROR, (pos), __VA_ARGS__)
#define WARN(X, pos, ...) report((X), DIAG_WARNING, (pos), __VA_ARGS__)

/* ---- references ---- */

/* An edge of node n must lead to a node. */
static void check_ref(struct lint *X, const struct flow_node *n, const struct flow_edge *e)
{
	if (e->to >= 0)
		return;
	const struct flow_ref *r = e->ref;
	struct suggest s = suggest_start(r->id);
	for (size_t i = 0; i < X->f->nnodes; i++)
		suggest_consider(&s, X->f->nodes[i].id);
	char *sug = suggest_text(&s);
	/* what the reference is called: "answer 'Yes': next ", "fixed " */
	char *what = e->kind == FLOW_EDGE_ANSWER ? xasprintf("answer '%s': next ", e->label)
		   : e->kind == FLOW_EDGE_ROUTE ? xasprintf("route '%s': next ", e->label)
		   : e->kind == FLOW_EDGE_RULE ? xasprintf("rule %zu: next ", e->index + 1)
		   : xstrdup(e->kind == FLOW_EDGE_DEFAULT ? "default " : e->kind == FLOW_EDGE_FIXED ? "fixed "
			     : e->kind == FLOW_EDGE_NOT_FIXED ? "not_fixed "
			     : e->kind == FLOW_EDGE_CANNOT ? "cannot "
			     : e->kind == FLOW_EDGE_ON_MAX ? "on_max " : "next ");
	ERR(X, r->pos, "node '%s': %s'%s' names no node%s", n->id, what, r->id, sug);
	free(what);
	free(sug);
}

/* Is label a capture label of some check item of the flow? */
static bool capture_known(const struct flow *f, const char *label, size_t len)
{
	for (size_t i = 0; i < f->nnodes; i++)
		for (size_t j = 0; j < f->nodes[i].nchecks; j++) {
			const char *c = f->nodes[i].checks[j].capture;
			if (c && strlen(c) == len && !strncmp(c, label, len))
				return true;
		}
	return false;
}

/* A reference must name a declared variable, or for label.fact a capture label of some
 * check item (format 2); reported at pos as "${ref} in where". */
static void check_ref_name(struct lint *X, const struct flow_node *n, const char *ref,
			   struct flow_pos pos, const char *where)
{
	const char *dot = strchr(ref, '.');
	if (dot) {
		if (!capture_known(X->f, ref, (size_t)(dot - ref)))
			ERR(X, pos, "node '%s': ${%s} in %s names no capture (no check item has "
			    "'capture: %.*s')", n->id, ref, where, (int)(dot - ref), ref);
		return;
	}
	int vi = flow_var_index(X->f, ref);
	if (vi < 0) {
		struct suggest s = suggest_start(ref);
		for (size_t i = 0; i < X->f->nvars; i++)
			suggest_consider(&s, X->f->vars[i].name);
		char *sug = suggest_text(&s);
		ERR(X, pos, "node '%s': ${%s} in %s names no variable%s", n->id, ref, where, sug);
		free(sug);
	} else {
		X->var_used[vi] = true;
	}
}

/* Every ${name} in text must name a variable (or a capture's fact); "$${" is a literal. */
static void check_templates(struct lint *X, const struct flow_node *n, const char *text,
			    struct flow_pos pos, const char *where)
{
	if (!text)
		return;
	struct template_token t;
	for (const char *p = text; template_next(&p, &t);) {
		if (t.kind == TEMPLATE_BAD) {
			ERR(X, pos, "node '%s': malformed '${' in %s (write ${name}, or $${ for a "
			    "literal ${)", n->id, where);
			continue;
		}
		if (t.kind != TEMPLATE_VAR)
			continue;
		char *var = xstrndup(t.text, t.len);
		check_ref_name(X, n, var, pos, where);
		free(var);
	}
}

/* set: entries name declared variables; their values are templates. */
static void check_sets(struct lint *X, const struct flow_node *n, const struct flow_set *sets,
		       size_t nsets)
{
	for (size_t i = 0; i < nsets; i++) {
		const struct flow_set *st = &sets[i];
		int vi = flow_var_index(X->f, st->name);
		if (vi < 0) {
			struct suggest s = suggest_start(st->name);
			for (size_t j = 0; j < X->f->nvars; j++)
				suggest_consider(&s, X->f->vars[j].name);
			char *sug = suggest_text(&s);
			ERR(X, st->pos, "node '%s': set: '%s' is not declared in 'vars'%s", n->id,
			    st->name, sug);
			free(sug);
		} else {
			X->var_used[vi] = true;
		}
		check_templates(X, n, st->value, st->pos, "a set: value");
	}
}

struct cond_ctx {
	struct lint *X;
	const struct flow_node *n;
	const struct flow_rule *r;
	size_t rule;
};

static void cond_name(const char *name, int col, void *ctx)
{
	struct cond_ctx *c = ctx;
	struct flow_pos pos = c->r->pos;
	pos.col += col - 1;
	char where[64];
	snprintf(where, sizeof where, "the condition of rule %zu", c->rule + 1);
	check_ref_name(c->X, c->n, name, pos, where);
}

/* A branch node: a default, rules with a next each, names in conditions known. */
static void lint_branch_node(struct lint *X, const struct flow_node *n)
{
	if (!n->def.id)
		ERR(X, n->pos, "node '%s': branch node has no 'default' (where to go when no "
		    "rule holds or a condition cannot be decided)", n->id);
	if (!n->nrules)
		WARN(X, n->pos, "node '%s': branch node has no rules ('when:'): it always takes "
		     "its default", n->id);
	for (size_t i = 0; i < n->nrules; i++) {
		const struct flow_rule *r = &n->rules[i];
		if (!r->expr)
			continue;
		struct cond_ctx c = {X, n, r, i};
		expr_names(r->expr, cond_name, &c);
	}
}

static void lint_templates(struct lint *X, const struct flow_node *n)
{
	check_templates(X, n, n->title, n->pos, "title");
	check_templates(X, n, n->text, n->pos, "text");
	check_templates(X, n, n->why, n->pos, "why");
	for (size_t i = 0; i < n->nanswers; i++) {
		check_templates(X, n, n->answers[i].label, n->answers[i].pos, "an answer");
		check_templates(X, n, n->answers[i].why, n->answers[i].pos, "an answer");
	}
	for (size_t i = 0; i < n->nsteps; i++) {
		check_templates(X, n, n->steps[i].text, n->steps[i].pos, "a step");
		check_templates(X, n, n->steps[i].why, n->steps[i].pos, "a step");
	}
	check_templates(X, n, n->ask, n->pos, "ask");
	for (size_t i = 0; i < n->nchecks; i++) {
		const struct flow_check *c = &n->checks[i];
		check_templates(X, n, c->label, c->pos, "a check label");
		for (size_t j = 0; j < c->nparams; j++) {
			char *where = xasprintf("parameter '%s'", c->params[j].key);
			check_templates(X, n, c->params[j].value, c->params[j].pos, where);
			free(where);
		}
	}
	for (size_t i = 0; i < n->ncollect; i++)
		check_templates(X, n, n->collect[i], n->pos, "collect");
	check_sets(X, n, n->sets, n->nsets);
	for (size_t i = 0; i < n->nanswers; i++)
		check_sets(X, n, n->answers[i].sets, n->answers[i].nsets);
	/* a call's with: values are read in this flow (their names are the callee's:
	 * flow_link_check) */
	for (size_t i = 0; i < n->nwiths; i++)
		check_templates(X, n, n->withs[i].value, n->withs[i].pos, "a with: value");
}

/* ---- check nodes ---- */

static bool node_has_log(const struct flow_node *n)
{
	for (size_t i = 0; i < n->nchecks; i++)
		if (str_eq(n->checks[i].kind, "log"))
			return true;
	return false;
}

static bool routed(const struct flow_node *n, const char *outcome)
{
	for (size_t i = 0; i < n->nroutes; i++)
		if (outcome_match(n->routes[i].pattern, outcome))
			return true;
	return false;
}

/* A literal parameter value (no ${...}) is judged now by its kind's table, as the CLI
 * and check_run judge it; a file's readability is for where the check runs. */
static const char *param_problem(const struct check_param_info *p, const char *value, char *buf, size_t size)
{
	if (strstr(value, "${"))
		return NULL;
	return check_param_problem(p, value, p->key, buf, size);
}

/* One check item: a known kind, parameters it has, literal values it takes, the ones
 * it needs. False when the kind is unknown (its routes cannot be judged). */
static bool lint_check_item(struct lint *X, const struct flow_node *n, const struct flow_check *c)
{
	const struct check_kind *k = check_kind_get0(c->kind);
	if (!k) {
		struct suggest s = suggest_start(c->kind ? c->kind : "");
		for (size_t j = 0; check_kinds[j]; j++)
			suggest_consider(&s, check_kinds[j]->name);
		char *sug = suggest_text(&s);
		ERR(X, c->pos, "node '%s': unknown check kind '%s'%s", n->id, c->kind ? c->kind : "", sug);
		free(sug);
		return false;
	}
	for (size_t j = 0; j < c->nparams; j++) {
		const struct flow_param *p = &c->params[j];
		const struct check_param_info *info = check_param_get0(k, p->key);
		if (info) {
			char buf[256];
			const char *problem = param_problem(info, p->value, buf, sizeof buf);
			if (problem && p->value[0])
				ERR(X, p->pos, "node '%s': %s check parameter '%s': %s", n->id, k->name, p->key,
				    problem);
			continue;
		}
		struct suggest s = suggest_start(p->key);
		for (const struct check_param_info *q = k->params; q->key; q++)
			suggest_consider(&s, q->key);
		char *sug = suggest_text(&s);
		ERR(X, p->pos, "node '%s': %s check has no parameter '%s'%s", n->id, k->name, p->key, sug);
		free(sug);
	}
	for (const struct check_param_info *q = k->params; q->key; q++) {
		if (!q->required)
			continue;
		bool have = false;
		for (size_t j = 0; j < c->nparams && !have; j++)
			have = str_eq(c->params[j].key, q->key) && c->params[j].value[0];
		if (!have)
			ERR(X, c->pos, "node '%s': %s check needs parameter '%s' (%s)", n->id, k->name, q->key,
			    q->doc);
	}
	return true;
}

/* Each route of a check node: an outcome, class, signature (log checks) or default
 * that one of its checks can produce. True when the node has a default route. */
static bool lint_check_routes(struct lint *X, const struct flow_node *n, bool all_known)
{
	const struct flow *f = X->f;
	bool has_log = node_has_log(n);
	bool has_default = false;
	for (size_t i = 0; i < n->nroutes; i++) {
		const struct flow_route *r = &n->routes[i];
		if (str_eq(r->pattern, "default")) {
			has_default = true;
			continue;
		}
		const char *sig_name = signature_route_id(r->pattern);
		if (sig_name) {
			const struct flow_sig *s = flow_sig_get0(f, sig_name);
			if (!has_log) {
				ERR(X, r->pos, "node '%s': route '%s' names a signature, but no log check "
				    "here reports signatures", n->id, r->pattern);
			} else if (!s) {
				struct suggest sg = suggest_start(sig_name);
				for (size_t j = 0; j < f->nsigs; j++)
					suggest_consider(&sg, f->sigs[j].id);
				char *sug = suggest_text(&sg);
				ERR(X, r->pos, "node '%s': '%s' names no signature%s", n->id, sig_name, sug);
				free(sug);
			} else {
				X->sig_used[s - f->sigs] = true;
			}
			continue;
		}
		bool is_sig = flow_sig_get0(f, r->pattern) != NULL;
		/* a signature named like an outcome or class: the bare name is the outcome */
		bool clash = is_sig && outcome_pattern_is_valid(r->pattern);
		if (clash)
			is_sig = false;
		if (!outcome_pattern_is_valid(r->pattern) && !(has_log && is_sig)) {
			struct suggest s = suggest_start(r->pattern);
			for (size_t j = 0; j < outcome_count; j++)
				suggest_consider(&s, outcome_table[j].name);
			if (has_log)
				for (size_t j = 0; j < f->nsigs; j++)
					suggest_consider(&s, f->sigs[j].id);
			char *sug = suggest_text(&s);
			ERR(X, r->pos, "node '%s': '%s' is not an outcome, class or %s%s", n->id, r->pattern,
			    has_log ? "signature" : "'default'", sug);
			free(sug);
			continue;
		}
		if (is_sig && has_log)
			X->sig_used[flow_sig_get0(f, r->pattern) - f->sigs] = true;
		if (!all_known)
			continue;
		bool can = false;
		for (size_t j = 0; j < n->nchecks && !can; j++)
			can = check_kind_can_produce(check_kind_get0(n->checks[j].kind), r->pattern);
		if (!can && clash && has_log)
			ERR(X, r->pos, "node '%s': route '%s' can never be taken: no check here "
			    "produces the outcome '%s'; to route the signature of that name write "
			    "'sig:%s'", n->id, r->pattern, r->pattern, r->pattern);
		else if (!can)
			ERR(X, r->pos, "node '%s': route '%s' can never be taken: no check here "
			    "produces it", n->id, r->pattern);
	}
	return has_default;
}

/* Without a default every outcome the node's checks can produce needs a route: the
 * ones that have none, listed once each. */
static void lint_check_unrouted(struct lint *X, const struct flow_node *n)
{
	const struct flow *f = X->f;
	struct strbuf missing = {0};
	size_t nmissing = 0;
	bool sigs_done = false;
	for (size_t i = 0; i < n->nchecks; i++) {
		const struct check_kind *k = check_kind_get0(n->checks[i].kind);
		for (const char *const *o = k->outcomes; *o; o++) {
			const char *names[2] = {*o, NULL};
			size_t nnames = 1;
			if (str_eq(*o, "http_NNN")) {
				names[0] = "http_4xx";
				names[1] = "http_5xx";
				nnames = 2;
			}
			if (str_eq(*o, "signature")) {
				for (size_t j = 0; j < f->nsigs && !sigs_done; j++) {
					char *name = signature_outcome(f->sigs[j].id);
					if (!routed(n, name))
						sb_printf(&missing, "%s%s", nmissing++ ? ", " : "", name);
					free(name);
				}
				sigs_done = true;
				continue;
			}
			for (size_t j = 0; j < nnames; j++) {
				if (routed(n, names[j]))
					continue;
				/* listed once even when two checks share it */
				bool dup = false;
				for (size_t a = 0; a < i && !dup; a++) {
					const struct check_kind *ka = check_kind_get0(n->checks[a].kind);
					for (const char *const *oa = ka->outcomes; *oa && !dup; oa++)
						dup = str_eq(*oa, *o);
				}
				if (dup)
					continue;
				sb_printf(&missing, "%s%s", nmissing++ ? ", " : "", names[j]);
			}
		}
	}
	if (nmissing)
		ERR(X, n->pos, "node '%s': outcome%s %s not routed and there is no 'default'", n->id,
		    nmissing > 1 ? "s" : "", missing.s);
	sb_clear(&missing);
}

static void lint_check_node(struct lint *X, const struct flow_node *n)
{
	if (!n->nchecks)
		ERR(X, n->pos, "node '%s': check node runs no checks (add 'run:')", n->id);
	bool all_known = n->nchecks > 0;
	for (size_t i = 0; i < n->nchecks; i++)
		if (!lint_check_item(X, n, &n->checks[i]))
			all_known = false;
	bool has_default = lint_check_routes(X, n, all_known);
	if (!has_default && all_known && n->nroutes)
		lint_check_unrouted(X, n);
}

static void lint_classify_node(struct lint *X, const struct flow_node *n)
{
	bool has_default = false;
	for (size_t i = 0; i < n->nroutes; i++) {
		const struct flow_route *r = &n->routes[i];
		if (str_eq(r->pattern, "default")) {
			has_default = true;
			continue;
		}
		const char *sig_name = signature_route_id(r->pattern);
		if (!sig_name)
			sig_name = r->pattern;
		const struct flow_sig *s = flow_sig_get0(X->f, sig_name);
		if (s) {
			X->sig_used[s - X->f->sigs] = true;
			continue;
		}
		struct suggest sg = suggest_start(sig_name);
		for (size_t j = 0; j < X->f->nsigs; j++)
			suggest_consider(&sg, X->f->sigs[j].id);
		char *sug = suggest_text(&sg);
		ERR(X, r->pos, "node '%s': '%s' names no signature%s", n->id, sig_name, sug);
		free(sug);
	}
	if (n->nroutes && !has_default)
		ERR(X, n->pos, "node '%s': classify node has no 'default' route (for text that "
		    "matches no signature)", n->id);
}

/* ---- per node ---- */

static void lint_node(struct lint *X, const struct flow_node *n)
{
	const char *type = flow_node_type_name(n->type);
	switch (n->type) {
	case NODE_INFO:
	case NODE_INPUT:
		if (!n->next.id)
			ERR(X, n->pos, "node '%s': dead end: %s node has no 'next'", n->id, type);
		break;
	case NODE_QUESTION:
		if (!n->nanswers)
			ERR(X, n->pos, "node '%s': dead end: question has no answers", n->id);
		for (size_t i = 0; i < n->nanswers; i++) {
			const struct flow_answer *a = &n->answers[i];
			if (!a->next.id)
				ERR(X, a->pos, "node '%s': dead end: answer '%s' has no 'next'", n->id,
				    a->label ? a->label : "");
		}
		break;
	case NODE_CHECK:
	case NODE_CLASSIFY:
		if (!n->nroutes)
			ERR(X, n->pos, "node '%s': dead end: %s node has no routes ('on:')", n->id,
			    type);
		for (size_t i = 0; i < n->nroutes; i++)
			if (!n->routes[i].next.id)
				ERR(X, n->routes[i].pos, "node '%s': route '%s' goes nowhere", n->id,
				    n->routes[i].pattern);
		break;
	case NODE_STEPS:
		if (!n->fixed.id)
			ERR(X, n->pos, "node '%s': dead end: steps node has no 'fixed'", n->id);
		if (!n->not_fixed.id)
			ERR(X, n->pos, "node '%s': dead end: steps node has no 'not_fixed'", n->id);
		if (!n->nsteps)
			WARN(X, n->pos, "node '%s': steps node lists no steps", n->id);
		break;
	case NODE_END:
		if (n->nsets)
			WARN(X, n->pos, "node '%s': set: on an end node changes nothing the walk can "
			     "read", n->id);
		break;
	case NODE_BRANCH:
		lint_branch_node(X, n);
		break;
	case NODE_FLOW:
		/* the callee, with: and which results are routed: flow_link_check */
		for (size_t i = 0; i < n->nroutes; i++)
			if (!n->routes[i].next.id)
				ERR(X, n->routes[i].pos, "node '%s': route '%s' goes nowhere", n->id,
				    n->routes[i].pattern);
		break;
	case NODE_RETURN:
		break;              /* made by flow_link, never written */
	}
	/* loops (tshoot-flow(5), LOOPS): max_visits and on_max come together */
	if (n->max_visits > 0 && !n->on_max.id)
		ERR(X, n->pos, "node '%s': max_visits without on_max (where the walk goes "
		    "instead once the node has been visited %d times)", n->id, n->max_visits);
	if (n->on_max.id && n->max_visits <= 0)
		ERR(X, n->on_max.pos, "node '%s': on_max without max_visits", n->id);
	if (n->on_max.id && str_eq(n->on_max.id, n->id))
		ERR(X, n->on_max.pos, "node '%s': on_max leads back to the node itself", n->id);
	struct flow_edge e;
	for (size_t c = 0; flow_edge_next(X->f, n, &c, &e);)
		check_ref(X, n, &e);
	if (n->type == NODE_CHECK)
		lint_check_node(X, n);
	else if (n->type == NODE_CLASSIFY)
		lint_classify_node(X, n);
	if (n->type == NODE_INPUT) {
		if (!n->nvars)
			WARN(X, n->pos, "node '%s': input node asks for no variables", n->id);
		for (size_t i = 0; i < n->nvars; i++) {
			const struct flow_ref *v = &n->vars[i];
			int vi = flow_var_index(X->f, v->id);
			if (vi >= 0) {
				X->var_used[vi] = true;
				continue;
			}
			struct suggest s = suggest_start(v->id);
			for (size_t j = 0; j < X->f->nvars; j++)
				suggest_consider(&s, X->f->vars[j].name);
			char *sug = suggest_text(&s);
			ERR(X, v->pos, "node '%s': variable '%s' is not declared in 'vars'%s", n->id,
			    v->id, sug);
			free(sug);
		}
	}
	lint_templates(X, n);
}

/* ---- graph-wide rules ---- */

static void lint_reachability(struct lint *X, const struct flow_graph *g)
{
	const struct flow *f = X->f;
	int start = flow_ref_target(f, &f->start);
	if (start < 0)
		return;
	int *dist = xmalloc((g->n + 1) * sizeof(*dist));
	flow_graph_bfs(g, &start, 1, dist);
	for (size_t i = 0; i < g->n; i++)
		if (dist[i] < 0)
			WARN(X, f->nodes[i].pos, "node '%s' is unreachable from start '%s'",
			     f->nodes[i].id, f->start.id);
	free(dist);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* "'a', 'b', 'c' and 2 more": the members of a component, in the order written. */
static void members_text(const struct flow *f, const int *m, size_t size, struct strbuf *sb)
{
	size_t shown = 0;
	for (; shown < size && shown < 6; shown++)
		sb_printf(sb, "%s'%s'", shown ? ", " : "", f->nodes[m[shown]].id);
	if (size > shown)
		sb_printf(sb, " and %zu more", size - shown);
}

/* Each cycle of g among the nodes not skipped (skip NULL: all): its strongly connected
 * component of more than one node, or one node with an edge to itself, handed to each
 * with its members sorted (in the order written). Tarjan's algorithm, iterative. */
static void lint_sccs(struct lint *X, const struct flow_graph *g, const bool *skip,
		      void (*each)(struct lint *X, const int *m, size_t size))
{
	size_t n = g->n;
	int *index = xmalloc(n * sizeof(*index)), *low = xmalloc(n * sizeof(*low));
	bool *on = xcalloc(n, sizeof(*on));
	int *sstack = xmalloc(n * sizeof(*sstack));
	size_t ssp = 0;
	int *cstack = xmalloc(n * sizeof(*cstack));     /* call stack: node */
	size_t *cedge = xmalloc(n * sizeof(*cedge));    /* call stack: next edge */
	int counter = 0;
	for (size_t i = 0; i < n; i++)
		index[i] = -1;
	for (size_t root = 0; root < n; root++) {
		if ((skip && skip[root]) || index[root] >= 0)
			continue;
		size_t csp = 0;
		cstack[csp] = (int)root;
		cedge[csp++] = g->off[root];
		index[root] = low[root] = counter++;
		sstack[ssp++] = (int)root;
		on[root] = true;
		while (csp) {
			int u = cstack[csp - 1];
			if (cedge[csp - 1] < g->off[u + 1]) {
				int v = g->adj[cedge[csp - 1]++];
				if (skip && skip[v])
					continue;
				if (index[v] < 0) {
					index[v] = low[v] = counter++;
					sstack[ssp++] = v;
					on[v] = true;
					cstack[csp] = v;
					cedge[csp++] = g->off[v];
				} else if (on[v] && index[v] < low[u]) {
					low[u] = index[v];
				}
				continue;
			}
			csp--;
			if (csp && low[u] < low[cstack[csp - 1]])
				low[cstack[csp - 1]] = low[u];
			if (low[u] != index[u])
				continue;
			/* u roots a component: pop it */
			size_t top = ssp;
			while (sstack[--ssp] != u)
				on[sstack[ssp]] = false;
			on[u] = false;
			size_t size = top - ssp;
			bool self = false;
			for (size_t e = g->off[u]; e < g->off[u + 1]; e++)
				self |= g->adj[e] == u;
			if (size < 2 && !self)
				continue;
			qsort(sstack + ssp, size, sizeof(*sstack), cmp_int);
			each(X, sstack + ssp, size);
		}
	}
	free(index);
	free(low);
	free(on);
	free(sstack);
	free(cstack);
	free(cedge);
}

static void no_exit(struct lint *X, const int *m, size_t size)
{
	const struct flow *f = X->f;
	struct strbuf sb = {0};
	members_text(f, m, size, &sb);
	/* report at the member written first */
	ERR(X, f->nodes[m[0]].pos, "node '%s': cycle with no exit: from %s no end "
	    "node can be reached", f->nodes[m[0]].id, sb.s);
	sb_clear(&sb);
}

/* A loop the walk can leave (an end can be reached from it, else no_exit said so) but
 * need not: none of its nodes has max_visits, so a walk may go round it for ever. */
static void no_limit(struct lint *X, const int *m, size_t size)
{
	const struct flow *f = X->f;
	for (size_t i = 0; i < size; i++)
		if (f->nodes[m[i]].max_visits > 0 || !X->good[m[i]])
			return;
	struct strbuf sb = {0};
	members_text(f, m, size, &sb);
	WARN(X, f->nodes[m[0]].pos, "node '%s': loop with no max_visits: %s (give one of "
	     "them max_visits and on_max, so the loop ends in an escalation)",
	     f->nodes[m[0]].id, sb.s);
	sb_clear(&sb);
}

/* Nodes from which no end node can be reached, grouped into strongly connected
 * components: each cycle among them is a loop the operator can never leave. Then every
 * other cycle, which warns when none of its nodes has max_visits (tshoot-flow(5),
 * LOOPS). */
static void lint_cycles(struct lint *X, const struct flow_graph *g)
{
	const struct flow *f = X->f;
	size_t n = g->n;
	if (!n)
		return;
	/* good: an end node can be reached (a search back from every end node) */
	int *ends = xmalloc(n * sizeof(*ends));
	size_t nend = 0;
	for (size_t i = 0; i < n; i++)
		if (f->nodes[i].type == NODE_END)
			ends[nend++] = (int)i;
	if (!nend)
		ERR(X, f->pos, "the flow has no end node (type: end)");
	struct flow_graph back;
	flow_graph_build(&back, f, NULL, NULL, true);
	int *to_end = xmalloc(n * sizeof(*to_end));
	flow_graph_bfs(&back, ends, nend, to_end);
	flow_graph_clear(&back);
	free(ends);
	bool *good = xcalloc(n, sizeof(*good));
	for (size_t i = 0; i < n; i++)
		good[i] = to_end[i] >= 0;
	free(to_end);
	lint_sccs(X, g, good, no_exit);
	X->good = good;
	lint_sccs(X, g, NULL, no_limit);
	X->good = NULL;
	free(good);
}

static void lint_duplicates(struct lint *X)
{
	const struct flow *f = X->f;
	struct name_index seen = {0};
	name_index_init(&seen, f->nnodes);
	for (size_t i = 0; i < f->nnodes; i++) {
		const struct flow_node *n = &f->nodes[i];
		int first = name_index_add(&seen, n->id ? n->id : "", (int)i);
		if (first >= 0)
			ERR(X, n->pos, "duplicate node id '%s' (first at line %d)", n->id,
			    f->nodes[first].pos.line);
	}
	name_index_clear(&seen);
}

/* ---- languages ---- */

/* Is language li of f given for text s: inline, in its translation file, or (the first
 * declared language) as a plain string? */
static bool site_has(const struct flow *f, const struct flow_text_site *s, size_t li)
{
	if (s->in_file & (1ull << li))
		return true;
	if (!s->ntags)
		return li == 0;
	for (size_t i = 0; i < s->ntags; i++)
		if (!strcmp(s->tags[i], f->langs[li]))
			return true;
	return false;
}

/* Texts in languages (tshoot-flow(5), LANGUAGES), as the loader kept them for lint
 * (flow->i18n): the translation files' problems; a declared language with no text at
 * all (said once); a text in a language not declared; a text missing in a declared one. */
static void lint_languages(struct lint *X)
{
	const struct flow *f = X->f;
	const struct flow_i18n *x = f->i18n;
	if (!x)
		return;
	for (size_t i = 0; i < x->problems.n; i++) {
		const struct diag *g = &x->problems.v[i];
		diags_add(X->d, g->sev, g->file, g->line, g->col, "%s", g->msg);
		X->errors += g->sev == DIAG_ERROR;
	}
	if (!f->nlangs)
		return;
	bool some[FLOW_MAX_LANGS] = {0};
	struct strbuf decl = {0};
	for (size_t li = 0; li < f->nlangs; li++) {
		sb_printf(&decl, "%s%s", li ? ", " : "", f->langs[li]);
		some[li] = x->file_found[li];
		for (size_t i = 0; i < x->nsites && !some[li]; i++)
			some[li] = site_has(f, &x->sites[i], li);
		if (!some[li]) {
			char *tp = lang_translation_path(f->path, f->langs[li]);
			ERR(X, f->langs_pos, "language '%s' is declared but no text is in it (no "
			    "'%s:' in a text and no %s)", f->langs[li], f->langs[li], tp);
			free(tp);
		}
	}
	for (size_t i = 0; i < x->nsites; i++) {
		const struct flow_text_site *s = &x->sites[i];
		for (size_t t = 0; t < s->ntags; t++) {
			bool declared = false;
			for (size_t li = 0; li < f->nlangs; li++)
				declared |= !strcmp(s->tags[t], f->langs[li]);
			if (!declared)
				ERR(X, s->tag_pos[t], "%s: language '%s' is not declared in 'languages' "
				    "(%s)", s->what, s->tags[t], decl.s);
		}
		struct strbuf miss = {0};
		for (size_t li = 0; li < f->nlangs; li++)
			if (some[li] && !site_has(f, s, li))
				sb_printf(&miss, "%s%s", miss.len ? ", " : "", f->langs[li]);
		if (miss.len)
			ERR(X, s->pos, "%s has no text in %s", s->what, miss.s);
		sb_clear(&miss);
	}
	sb_clear(&decl);
}

size_t lint_flow(const struct flow *f, struct diags *d)
{
	size_t errors = lint_flow_self(f, d);
	return errors + flow_link_check(f, d);
}

size_t lint_flow_self(const struct flow *f, struct diags *d)
{
	struct lint X = {.f = f, .d = d};
	X.var_used = xcalloc(f->nvars + 1, sizeof(*X.var_used));
	X.sig_used = xcalloc(f->nsigs + 1, sizeof(*X.sig_used));

	if (!f->start.id) {
		ERR(&X, f->pos, "missing 'start' (the id of the first node)");
	} else if (flow_ref_target(f, &f->start) < 0) {
		struct suggest s = suggest_start(f->start.id);
		for (size_t i = 0; i < f->nnodes; i++)
			suggest_consider(&s, f->nodes[i].id);
		char *sug = suggest_text(&s);
		ERR(&X, f->start.pos, "start '%s' names no node%s", f->start.id, sug);
		free(sug);
	}
	lint_duplicates(&X);
	lint_languages(&X);
	/* a URL default (the loader leaves it to lint: flow_load.c, load_var) */
	for (size_t i = 0; i < f->nvars; i++) {
		const struct flow_var *v = &f->vars[i];
		const char *problem = v->validate == VALIDATE_URL && v->def && *v->def
				      ? flow_var_check(v, v->def) : NULL;
		if (problem && v->secret)
			ERR(&X, v->pos, "default of variable '%s': %s", v->name, problem);
		else if (problem)
			ERR(&X, v->pos, "default '%s' of variable '%s': %s", v->def, v->name, problem);
	}
	for (size_t i = 0; i < f->nnodes; i++)
		lint_node(&X, &f->nodes[i]);

	struct flow_graph g;
	flow_graph_build(&g, f, NULL, NULL, false);
	lint_reachability(&X, &g);
	lint_cycles(&X, &g);
	flow_graph_clear(&g);

	for (size_t i = 0; i < f->nsigs; i++)
		if (!X.sig_used[i])
			WARN(&X, f->sigs[i].pos, "signature '%s' is never used (no route names it)",
			     f->sigs[i].id);
	for (size_t i = 0; i < f->nvars; i++)
		if (!X.var_used[i])
			WARN(&X, f->vars[i].pos, "variable '%s' is never used (no input node asks "
			     "for it and no ${%s} names it)", f->vars[i].name, f->vars[i].name);
	free(X.var_used);
	free(X.sig_used);
	return X.errors;
}

size_t lint_file(const char *path, FILE *out)
{
	struct diags d = {0};
	struct flow *f = flow_load_opts(path, NULL, 0, &(struct flow_load_opts){.lint = true}, &d, NULL);
	if (f)
		lint_flow(f, &d);
	size_t errors = diags_count(&d, DIAG_ERROR);
	diags_print(&d, out);
	flow_free(f);
	diags_clear(&d);
	return errors;
}
