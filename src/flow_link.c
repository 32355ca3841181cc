/* flow_link.c — sub-flows: checking calls and bringing callees into one flow
 * (flow_link.h). */
#include "src/flow_link.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/flow_catalog.h"
#include "src/flow_load_int.h"
#include "src/lint.h"
#include "src/suggest.h"
#include "src/util.h"

struct linker {
	struct diags *d;
	bool splice;                 /* flow_link: bring callees in; else only check */
	char *stack[FLOW_MAX_CALL_DEPTH + 1];   /* real paths of the flows being linked */
	size_t depth;
	size_t errors;
};

static void lk_diag(struct linker *K, enum diag_sev sev, const struct flow *f, struct flow_pos pos,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void lk_diag(struct linker *K, enum diag_sev sev, const struct flow *f, struct flow_pos pos,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diags_add(K->d, sev, f->path ? f->path : "", pos.line, pos.col, "%s", msg);
	free(msg);
	if (sev == DIAG_ERROR)
		K->errors++;
}
#define LERR(K, f, pos, ...) lk_diag((K), DIAG_ERROR, (f), (pos), __VA_ARGS__)
#define LWARN(K, f, pos, ...) lk_diag((K), DIAG_WARNING, (f), (pos), __VA_ARGS__)

/* ---- what a callee gives back ---- */

const char *flow_end_name(const struct flow_node *n)
{
	if (n->ret)
		return n->ret;
	return n->result == END_RESOLVED ? "resolved" : "escalate";
}

static const struct flow_route *route_named(const struct flow_node *call, const char *name)
{
	for (size_t i = 0; i < call->nroutes; i++)
		if (str_eq(call->routes[i].pattern, name))
			return &call->routes[i];
	return NULL;
}

const struct flow_route *flow_call_route(const struct flow_node *call, const struct flow_node *end)
{
	const struct flow_route *r = end->ret ? route_named(call, end->ret) : NULL;
	if (!r)
		r = route_named(call, end->result == END_RESOLVED ? "resolved" : "escalate");
	if (!r)
		r = route_named(call, "default");
	return r;
}

/* The end nodes of callee's own (scope 0): those that return to the call. */
static bool own_end(const struct flow_node *n)
{
	return n->type == NODE_END && n->scope == 0;
}

/* ---- checking one call ---- */

/* with: names variables of the callee. */
static void check_withs(struct linker *K, const struct flow *f, const struct flow_node *call,
			const struct flow *callee)
{
	for (size_t i = 0; i < call->nwiths; i++) {
		const struct flow_set *w = &call->withs[i];
		if (flow_var_index(callee, w->name) >= 0 && !strchr(w->name, '/'))
			continue;
		struct suggest s = suggest_start(w->name);
		for (size_t j = 0; j < callee->nvars; j++)
			if (!strchr(callee->vars[j].name, '/'))
				suggest_consider(&s, callee->vars[j].name);
		char *sug = suggest_text(&s);
		LERR(K, f, w->pos, "node '%s': 'with' names '%s', which flow '%s' does not declare in "
		     "'vars'%s", call->id, w->name, callee->id ? callee->id : call->callee, sug);
		free(sug);
	}
}

/* Every end of the callee is routed (or a default is there); every route names
 * something the callee can end with. */
static void check_routes(struct linker *K, const struct flow *f, const struct flow_node *call,
			 const struct flow *callee)
{
	const char *cid = callee->id ? callee->id : call->callee;
	struct strbuf miss = {0};
	for (size_t i = 0; i < callee->nnodes; i++) {
		const struct flow_node *end = &callee->nodes[i];
		if (!own_end(end) || flow_call_route(call, end))
			continue;
		sb_printf(&miss, "%s'%s' (end node '%s')", miss.len ? ", " : "", flow_end_name(end),
			  end->id);
	}
	if (miss.len)
		LERR(K, f, call->pos, "node '%s': flow '%s' can end with %s, which 'on' does not route "
		     "(route it, or add a 'default')", call->id, cid, miss.s);
	sb_clear(&miss);
	for (size_t r = 0; r < call->nroutes; r++) {
		const char *pat = call->routes[r].pattern;
		bool used = str_eq(pat, "default");
		for (size_t i = 0; i < callee->nnodes && !used; i++) {
			const struct flow_node *end = &callee->nodes[i];
			used = own_end(end) && flow_call_route(call, end) == &call->routes[r];
		}
		if (!used)
			LWARN(K, f, call->routes[r].pos, "node '%s': route '%s' can never be taken: flow "
			      "'%s' never ends with it (it ends with resolved, escalate or an end "
			      "node's 'return')", call->id, pat, cid);
	}
}

/* ---- bringing a callee in ---- */

static char *prefixed(const char *pre, const char *s)
{
	return s ? xasprintf("%s%s", pre, s) : NULL;
}

static void prefix_str(const char *pre, char **s)
{
	if (!*s)
		return;
	char *n = prefixed(pre, *s);
	free(*s);
	*s = n;
}

static void prefix_sets(const char *pre, struct flow_set *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		prefix_str(pre, &s[i].name);
}

/* Every node and variable name node n refers to, prefixed (indices are resolved again
 * once every callee is in). */
static void prefix_node(const char *pre, struct flow_node *n)
{
	prefix_str(pre, &n->id);
	struct flow_ref *refs[] = {&n->next, &n->fixed, &n->not_fixed, &n->cannot, &n->on_max, &n->def};
	for (size_t i = 0; i < ARRAY_LEN(refs); i++)
		prefix_str(pre, &refs[i]->id);
	for (size_t i = 0; i < n->nanswers; i++) {
		prefix_str(pre, &n->answers[i].next.id);
		prefix_sets(pre, n->answers[i].sets, n->answers[i].nsets);
	}
	for (size_t i = 0; i < n->nroutes; i++)
		prefix_str(pre, &n->routes[i].next.id);
	for (size_t i = 0; i < n->nrules; i++)
		prefix_str(pre, &n->rules[i].next.id);
	for (size_t i = 0; i < n->nvars; i++)
		prefix_str(pre, &n->vars[i].id);
	prefix_sets(pre, n->sets, n->nsets);
	prefix_sets(pre, n->withs, n->nwiths);
}

static void add_scope(struct flow *f, char *prefix, const char *flow_id, const char *title,
		      int call, int parent, int depth)
{
	f->scopes = xrealloc(f->scopes, (f->nscopes + 1) * sizeof(*f->scopes));
	struct flow_scope *s = &f->scopes[f->nscopes++];
	s->prefix = prefix;
	s->flow_id = xstrdup(flow_id ? flow_id : "");
	s->title = title ? xstrdup(title) : NULL;
	s->call = call;
	s->parent = parent;
	s->depth = depth;
}

/* The signatures of callee not in f (by id) move to f; one of the same id that says
 * something else is a warning (the caller's is used: one signature per id). */
static void take_sigs(struct linker *K, struct flow *f, struct flow *callee)
{
	f->sigs = xrealloc(f->sigs, (f->nsigs + callee->nsigs + 1) * sizeof(*f->sigs));
	for (size_t i = 0; i < callee->nsigs; i++) {
		struct flow_sig *s = &callee->sigs[i];
		const struct flow_sig *have = flow_sig_get0(f, s->id);
		if (!have) {
			f->sigs[f->nsigs++] = *s;
			continue;
		}
		if (have->is_regex != s->is_regex || !str_eq(have->text, s->text))
			LWARN(K, callee, s->pos, "signature '%s' differs from the one of the same id "
			      "in %s, which is used", s->id, f->path ? f->path : "the calling flow");
		if (s->is_regex)
			regfree(&s->re);
		free(s->id);
		free(s->title);
		free(s->text);
	}
	free(callee->sigs);
	callee->sigs = NULL;
	callee->nsigs = 0;
}

/* Call node ci of f runs callee (linked): its nodes, variables, signatures and scopes
 * move into f under the prefix "ID/"; its own end nodes become returns. */
static int splice(struct linker *K, struct flow *f, size_t ci, struct flow *callee)
{
	char *pre = xasprintf("%s/", f->nodes[ci].id);
	for (size_t i = 0; i < callee->nnodes; i++) {
		char *id = prefixed(pre, callee->nodes[i].id);
		bool clash = flow_node_index(f, id) >= 0;
		if (clash)
			LERR(K, f, f->nodes[ci].pos, "node '%s': the id '%s' of a node the sub-flow "
			     "brings in is already a node of this flow ('/' joins a call and its "
			     "nodes: rename one)", f->nodes[ci].id, id);
		free(id);
		if (clash) {
			free(pre);
			return -1;
		}
	}
	if (f->nnodes + callee->nnodes > FLOW_MAX_NODES) {
		LERR(K, f, f->nodes[ci].pos, "node '%s': with its sub-flows the flow would have "
		     "more than %d nodes", f->nodes[ci].id, FLOW_MAX_NODES);
		free(pre);
		return -1;
	}
	size_t base = f->nnodes;
	int sbase = (int)f->nscopes;        /* callee scope k becomes sbase + k */
	struct flow_node *call = &f->nodes[ci];
	add_scope(f, xstrdup(pre), callee->id, callee->title, (int)ci, call->scope,
		  f->scopes[call->scope].depth + 1);
	for (size_t k = 1; k < callee->nscopes; k++) {
		const struct flow_scope *cs = &callee->scopes[k];
		add_scope(f, prefixed(pre, cs->prefix), cs->flow_id, cs->title,
			  cs->call + (int)base, sbase + cs->parent, cs->depth + f->scopes[sbase].depth);
	}
	f->nodes = xrealloc(f->nodes, (base + callee->nnodes + 1) * sizeof(*f->nodes));
	call = &f->nodes[ci];
	for (size_t i = 0; i < callee->nnodes; i++) {
		struct flow_node *n = &f->nodes[base + i];
		*n = callee->nodes[i];
		bool returns = own_end(n);
		prefix_node(pre, n);
		n->scope += sbase;
		if (returns) {
			const struct flow_route *r = flow_call_route(call, n);
			n->type = NODE_RETURN;
			if (!n->title)      /* what the path and the report call the step */
				n->title = xasprintf("ended: %s", flow_end_name(n));
			free(n->next.id);
			n->next.id = r && r->next.id ? xstrdup(r->next.id) : NULL;
			n->next.pos = r ? r->next.pos : call->pos;
		}
	}
	f->nnodes = base + callee->nnodes;
	free(callee->nodes);
	callee->nodes = NULL;
	callee->nnodes = 0;
	free(call->next.id);
	call->next.id = prefixed(pre, callee->start.id);
	call->next.pos = call->callee_pos;
	prefix_sets(pre, call->withs, call->nwiths);

	f->vars = xrealloc(f->vars, (f->nvars + callee->nvars + 1) * sizeof(*f->vars));
	for (size_t i = 0; i < callee->nvars; i++) {
		f->vars[f->nvars] = callee->vars[i];
		prefix_str(pre, &f->vars[f->nvars++].name);
	}
	free(callee->vars);
	callee->vars = NULL;
	callee->nvars = 0;
	take_sigs(K, f, callee);
	free(pre);
	return 0;
}

/* ---- one flow's calls ---- */

static int link_flow(struct linker *K, struct flow *f);

/* The callee of call node n of f, loaded, linked (check or splice) and linted; NULL
 * with an error at the call when it cannot be had. */
static struct flow *load_callee(struct linker *K, const struct flow *f, const struct flow_node *n)
{
	char *path = flow_find_for_call(f->path, n->callee);
	if (!path) {
		LERR(K, f, n->callee_pos, "node '%s': no flow '%s' next to this file or in the flow "
		     "directories (%s)", n->id, n->callee, FLOW_DIRS_TEXT);
		return NULL;
	}
	char real[PATH_MAX];
	if (!realpath(path, real))
		snprintf(real, sizeof real, "%s", path);
	for (size_t i = 0; i < K->depth; i++) {
		if (strcmp(K->stack[i], real))
			continue;
		struct strbuf chain = {0};
		for (size_t j = i; j < K->depth; j++)
			sb_printf(&chain, "%s -> ", K->stack[j]);
		LERR(K, f, n->callee_pos, "node '%s': flow '%s' is already running (%s%s): a flow "
		     "may not call itself, directly or through others", n->id, n->callee, chain.s, real);
		sb_clear(&chain);
		free(path);
		return NULL;
	}
	if (K->depth >= FLOW_MAX_CALL_DEPTH) {
		LERR(K, f, n->callee_pos, "node '%s': sub-flows nest more than %d deep", n->id,
		     FLOW_MAX_CALL_DEPTH);
		free(path);
		return NULL;
	}
	struct diags cd = {0};
	/* in the caller's language (tshoot-flow(5), LANGUAGES) */
	struct flow *c = flow_load_opts(path, NULL, 0, &(struct flow_load_opts){.lang = f->lang}, &cd, NULL);
	/* lint's own check lints the callee; a walk or a graph links what lint passed (a
	 * walk is refused before linking when lint fails), and lint would load libcurl for
	 * a literal URL where tshoot graph needs nothing of it */
	if (c && (K->splice || lint_flow_self(c, &cd) == 0)) {
		struct diags *outer = K->d;
		size_t errs = K->errors;
		K->d = &cd;
		K->stack[K->depth++] = xstrdup(real);
		link_flow(K, c);
		free(K->stack[--K->depth]);
		K->d = outer;
		if (K->errors > errs)
			K->errors = errs;    /* counted again below, once, at the call */
	}
	if (!c || diags_count(&cd, DIAG_ERROR)) {
		char *first = NULL;
		for (size_t i = 0; i < cd.n && !first; i++)
			if (cd.v[i].sev == DIAG_ERROR)
				first = diag_format(&cd.v[i]);
		LERR(K, f, n->callee_pos, "node '%s': flow '%s' (%s) has errors; the first: %s", n->id,
		     n->callee, path, first ? first : "it does not load");
		free(first);
		flow_free(c);
		c = NULL;
	}
	diags_clear(&cd);
	free(path);
	return c;
}

static int link_flow(struct linker *K, struct flow *f)
{
	size_t errs = K->errors;
	if (K->splice && !f->nscopes)
		add_scope(f, xstrdup(""), f->id, f->title, -1, -1, 0);
	size_t own = f->nnodes;     /* nodes spliced in are linked already */
	for (size_t i = 0; i < own; i++) {
		if (f->nodes[i].type != NODE_FLOW || !f->nodes[i].callee)
			continue;
		struct flow *callee = load_callee(K, f, &f->nodes[i]);
		if (!callee)
			continue;
		check_withs(K, f, &f->nodes[i], callee);
		check_routes(K, f, &f->nodes[i], callee);
		if (K->splice && K->errors == errs)
			splice(K, f, i, callee);
		flow_free(callee);
	}
	if (K->splice && K->errors == errs)
		flow_resolve(f);
	return K->errors > errs ? -1 : 0;
}

size_t flow_link_check(const struct flow *f, struct diags *d)
{
	struct linker K = {.d = d, .splice = false};
	char real[PATH_MAX];
	if (f->path && realpath(f->path, real))
		K.stack[K.depth++] = xstrdup(real);
	link_flow(&K, (struct flow *)f);    /* only read when not splicing */
	while (K.depth)
		free(K.stack[--K.depth]);
	return K.errors;
}

int flow_link(struct flow *f, struct diags *d)
{
	struct linker K = {.d = d, .splice = true};
	char real[PATH_MAX];
	if (f->path && realpath(f->path, real))
		K.stack[K.depth++] = xstrdup(real);
	int rc = link_flow(&K, f);
	while (K.depth)
		free(K.stack[--K.depth]);
	return rc;
}
