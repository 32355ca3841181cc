/* engine_checks.c — check nodes in the engine: the requests a node's checks make
 * (parameters templated, labels and targets for showing), and the results they bring
 * back, which choose the node's route by outcome (route_rank: the most specific wins). */
#include "src/engine.h"
#include "src/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/flow_catalog.h"
#include "src/secret.h"
#include "src/util.h"

/* ---- checks -------------------------------------------------------------------- */

static const struct flow_param *check_param(const struct flow_check *c, const char *key)
{
	for (size_t i = 0; i < c->nparams; i++)
		if (str_eq(c->params[i].key, key))
			return &c->params[i];
	return NULL;
}

/* What a check looks at, for showing: its main parameter ("host:port" for a host), with
 * secrets masked; NULL when it has none. */
static char *check_target(const struct engine *e, const struct flow_check *c)
{
	static const char *const target_keys[] = {"url", "host", "proxy", "name", "file"};
	const struct flow_param *t = NULL;
	for (size_t i = 0; i < ARRAY_LEN(target_keys) && !t; i++)
		t = check_param(c, target_keys[i]);
	if (!t)
		return NULL;
	char *target = engine_expand(e, t->value, false);
	const struct flow_param *port = str_eq(t->key, "host") ? check_param(c, "port") : NULL;
	if (port) {
		char *p = engine_expand(e, port->value, false);
		char *hp = xasprintf("%s:%s", target, p);
		free(p);
		free(target);
		target = hp;
	}
	/* a password written into a URL by the flow or in a plain variable */
	char *shown = secret_mask_urls_dup(target);
	free(target);
	return shown;
}

/* A label for a check without one: the kind and what it looks at. */
static char *check_label(const struct engine *e, const struct flow_check *c)
{
	if (c->label)
		return engine_expand(e, c->label, false);
	char *target = check_target(e, c);
	if (!target)
		return xstrdup(c->kind ? c->kind : "check");
	char *label = xasprintf("%s %s", c->kind, target);
	free(target);
	return label;
}

void engine_requests_clear(struct engine_requests *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		size_t np = r->reqs ? r->reqs[i].nparams : 0;
		for (size_t j = 0; r->keys && j < np; j++)
			free(r->keys[i][j]);
		for (size_t j = 0; r->values && j < np; j++) {
			/* values were templated with secrets revealed */
			if (r->values[i][j])
				explicit_bzero(r->values[i][j], strlen(r->values[i][j]));
			free(r->values[i][j]);
		}
		if (r->keys)
			free(r->keys[i]);
		if (r->values)
			free(r->values[i]);
		if (r->labels)
			free(r->labels[i]);
		if (r->targets)
			free(r->targets[i]);
	}
	free(r->keys);
	free(r->values);
	free(r->labels);
	free(r->targets);
	free(r->reqs);
	memset(r, 0, sizeof(*r));
}

int engine_check_requests(const struct engine *e, struct engine_requests *out, const char **err)
{
	ERRP(err);
	memset(out, 0, sizeof(*out));
	const struct flow_node *n = cur_of(e, NODE_CHECK, err);
	if (!n)
		return -1;
	size_t nc = n->nchecks;
	out->reqs = xcalloc(nc ? nc : 1, sizeof(*out->reqs));
	out->labels = xcalloc(nc ? nc : 1, sizeof(*out->labels));
	out->targets = xcalloc(nc ? nc : 1, sizeof(*out->targets));
	out->keys = xcalloc(nc ? nc : 1, sizeof(*out->keys));
	out->values = xcalloc(nc ? nc : 1, sizeof(*out->values));
	out->n = nc;
	for (size_t i = 0; i < nc; i++) {
		const struct flow_check *c = &n->checks[i];
		bool add_flow = str_eq(c->kind, "log") && !check_param(c, "flow") && e->f->path;
		size_t np = c->nparams + (add_flow ? 1 : 0);
		char **keys = xcalloc(np ? np : 1, sizeof(*keys));
		char **vals = xcalloc(np ? np : 1, sizeof(*vals));
		struct check_request *r = &out->reqs[i];
		out->keys[i] = keys;
		out->values[i] = vals;
		r->kind = c->kind;
		r->keys = (const char *const *)keys;
		r->values = (const char *const *)vals;
		r->nparams = np;
		r->timeout_ms = 0;          /* the kind's own default (a log scan takes longer) */
		r->cancel = NULL;
		out->labels[i] = check_label(e, c);
		out->targets[i] = check_target(e, c);
		if (!out->targets[i])
			out->targets[i] = xstrdup(c->kind ? c->kind : "check");
		/* A parameter that templates to nothing is left out, so an optional variable
		 * (a CA file, proxy credentials) can feed a parameter only when given. */
		size_t k = 0;
		for (size_t j = 0; j < c->nparams; j++) {
			char *v = engine_expand(e, c->params[j].value ? c->params[j].value : "", true);
			if (!*v) {
				free(v);
				continue;
			}
			if (str_eq(c->kind, "log") && str_eq(c->params[j].key, "flow")) {
				/* an installed flow's id: the log check is given a path */
				char *path = flow_find(v);
				if (path) {
					free(v);
					v = path;
				}
			}
			keys[k] = xstrdup(c->params[j].key);
			vals[k++] = v;
		}
		if (add_flow) {
			keys[k] = xstrdup("flow");
			vals[k++] = xstrdup(e->f->path);
		}
		np = k;
		r->nparams = np;
		/* the timeout as the kind's table takes it; one that templated into nonsense
		 * is left to check_run, which refuses it with outcome error and says why */
		const struct check_param_info *tp = check_param_get0(check_kind_get0(r->kind), "timeout");
		const char *t = check_request_param(r, "timeout");
		char buf[160];
		if (tp && t && !check_param_problem(tp, t, "timeout", buf, sizeof buf))
			r->timeout_ms = check_request_timeout_ms(r);
	}
	return 0;
}

/* How specific a route pattern is for an outcome: 0 no match, then default < problem <
 * class (http_5xx, tls_*, proxy_*) < the exact name. */
static int route_rank(const char *pattern, const char *outcome)
{
	if (!pattern || !outcome)
		return 0;
	if (strcmp(pattern, outcome) == 0)
		return 4;
	if (!outcome_match(pattern, outcome))
		return 0;
	if (signature_route_id(pattern))
		return 4;               /* sig:ID for the signature ID: its exact name */
	if (strcmp(pattern, "default") == 0)
		return 1;
	if (strcmp(pattern, "problem") == 0)
		return 2;
	return 3;
}

int engine_route_outcome(const struct flow_node *n, const char *outcome)
{
	if (!n || !outcome)
		return -1;
	int best = 0, idx = -1;
	for (size_t i = 0; i < n->nroutes; i++) {
		int rank = route_rank(n->routes[i].pattern, outcome);
		if (rank > best) {          /* ties: the first written wins */
			best = rank;
			idx = n->routes[i].next.idx;
		}
	}
	return idx;
}

int engine_check_results(struct engine *e, const struct check_result *results, size_t n,
			 const char **err)
{
	ERRP(err);
	const struct flow_node *node = cur_of(e, NODE_CHECK, err);
	if (!node)
		return -1;
	if (n != node->nchecks || (n && !results)) {
		*err = "the number of results does not match the node's checks";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!results[i].outcome) {
			*err = "a check gave no outcome";
			return -1;
		}
		if (strcmp(results[i].outcome, "cancelled") == 0) {
			*err = "checks were cancelled";
			return ENGINE_CANCELLED;
		}
	}
	/* A check that could not run (outcome error: a parameter that templated into
	 * nonsense) says nothing about the target: only an explicit error route takes
	 * it; without one the results are refused, naming the check and its problem. */
	const char *outcome = "ok";
	const struct check_result *bad = NULL;
	for (size_t i = 0; i < n && !bad; i++)
		if (strcmp(results[i].outcome, "error") == 0)
			bad = &results[i];
	for (size_t i = 0; i < n && !bad; i++)
		if (strcmp(outcome, "ok") == 0 && strcmp(results[i].outcome, "ok") != 0)
			outcome = results[i].outcome;
	if (bad) {
		outcome = "error";
		if (!route_exact(node, "error")) {
			size_t i = (size_t)(bad - results);
			char *label = check_label(e, &node->checks[i]);
			char *msg = xasprintf("check '%s' could not run: %s (the node has no 'error' route)",
					      label, bad->summary && *bad->summary ? bad->summary : "bad input");
			char *shown = engine_mask_secrets(e, msg);
			snprintf(e->error, sizeof e->error, "%s", shown);
			free(shown);
			free(msg);
			free(label);
			*err = e->error;
			return -1;
		}
	}
	int next = engine_route_outcome(node, outcome);
	if (!node_ok(e, next)) {
		*err = "no route for this outcome (and no default)";
		return -1;
	}
	struct engine_step s = step_begin(e);
	s.outcome = xstrdup(outcome);
	s.nresults = n;
	s.results = xcalloc(n ? n : 1, sizeof(*s.results));
	for (size_t i = 0; i < n; i++)
		check_result_copy(&s.results[i], &results[i]);
	step_commit(e, &s, next);
	return 0;
}
