/* scenario.c — training scenarios (scenario.h): load and check against their flow.
 * The simulated runner that plays a scenario's outcomes lives in src/simrun.c. */
#include "src/scenario.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/engine.h"
#include "src/flow_catalog.h"
#include "src/flow_graph.h"
#include "src/util.h"
#include "src/yamldoc.h"

bool scenario_is_file(const char *path)
{
	if (!path)
		return false;
	/* quietly: a file that is no scenario is some other file's business */
	struct ynode *root = yamldoc_load(path, NULL, NULL);
	bool found = yamldoc_is_scenario(root);
	ynode_free(root);
	return found;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->id);
	free(s->title);
	free(s->brief);
	free(s->flow);
	free(s->expect);
	for (size_t i = 0; i < s->nset; i++) {
		free(s->set_keys[i]);
		free(s->set_values[i]);
	}
	free(s->set_keys);
	free(s->set_values);
	free(s->set_pos);
	for (size_t i = 0; i < s->nouts; i++) {
		free(s->outs[i].node);
		for (size_t k = 0; k < s->outs[i].n; k++)
			free(s->outs[i].outcomes[k]);
		free(s->outs[i].outcomes);
	}
	free(s->outs);
	for (size_t i = 0; i < s->nfacts; i++) {
		free(s->facts[i].node);
		for (size_t k = 0; k < s->facts[i].n; k++)
			facts_clear(&s->facts[i].sets[k]);
		free(s->facts[i].sets);
	}
	free(s->facts);
	free(s);
}

static char *scalar_field(const char *path, const struct ynode *k, const struct ynode *v, struct diags *d)
{
	if (v->kind != Y_SCALAR) {
		yamldoc_err(d, path, v, "'%s' must be a text", k->s);
		return NULL;
	}
	return xstrdup(v->s);       /* the loader refuses what is longer than FLOW_MAX_STRING */
}

static void load_set(struct scenario *s, const struct ynode *v, struct diags *d)
{
	if (v->kind != Y_MAP) {
		yamldoc_err(d, s->path, v, "'set' must be a mapping of variable to value");
		return;
	}
	size_t cap = 0;
	YNODE_FOR_PAIRS(v, p) {
		if (p->val->kind != Y_SCALAR) {
			yamldoc_err(d, s->path, p->val, "'set' entries must be 'variable: value'");
			continue;
		}
		if (s->nset >= FLOW_MAX_ITEMS) {
			yamldoc_err(d, s->path, p->key, "too many variables in 'set'");
			break;
		}
		if (s->nset >= cap) {
			cap = cap ? cap * 2 : 8;
			s->set_keys = xrealloc(s->set_keys, cap * sizeof *s->set_keys);
			s->set_values = xrealloc(s->set_values, cap * sizeof *s->set_values);
			s->set_pos = xrealloc(s->set_pos, cap * sizeof *s->set_pos);
		}
		s->set_keys[s->nset] = xstrdup(p->key->s);
		s->set_values[s->nset] = xstrdup(p->val->s);
		s->set_pos[s->nset++] = yamldoc_pos(p->key);
	}
}

/* Is v a non-empty list of lists (one entry per visit)? */
static bool per_visit(const struct ynode *v)
{
	if (v->kind != Y_SEQ || v->n == 0)
		return false;
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i]->kind == Y_SEQ)
			return true;
	return false;
}

/* One entry of outcomes: a name (every check) or a list of one per check. false after
 * an error. */
static bool load_outcome_entry(struct scenario *s, const char *node, const struct ynode *val,
			       struct scenario_outcome *o, struct diags *d)
{
	if (val->kind == Y_SCALAR && *val->s) {
		o->outcomes = xcalloc(1, sizeof *o->outcomes);
		o->outcomes[o->n++] = xstrdup(val->s);
		return true;
	}
	if (val->kind != Y_SEQ || val->n == 0 || val->n > FLOW_MAX_ITEMS) {
		yamldoc_err(d, s->path, val, "node '%s': give one outcome, or a list of one per check", node);
		return false;
	}
	o->outcomes = xcalloc(val->n, sizeof *o->outcomes);
	for (size_t i = 0; i < val->n; i++) {
		const struct ynode *x = val->items[i];
		if (x->kind != Y_SCALAR || !*x->s) {
			yamldoc_err(d, s->path, x, "node '%s': each outcome must be a name such as ok or refused", node);
			strv_free(o->outcomes, o->n);
			o->outcomes = NULL;
			o->n = 0;
			return false;
		}
		o->outcomes[o->n++] = xstrdup(x->s);
	}
	return true;
}

/* A list of lists, one per visit: every item must be a list. false after an error. */
static bool visits_ok(struct scenario *s, const char *node, const struct ynode *val, const char *example,
		      struct diags *d)
{
	if (val->n > FLOW_MAX_ITEMS) {
		yamldoc_err(d, s->path, val, "node '%s': too many visits", node);
		return false;
	}
	for (size_t i = 0; i < val->n; i++)
		if (val->items[i]->kind != Y_SEQ) {
			yamldoc_err(d, s->path, val->items[i],
				    "node '%s': one entry per visit is a list of lists, such as %s", node, example);
			return false;
		}
	return true;
}

static void load_outcomes(struct scenario *s, const struct ynode *v, struct diags *d)
{
	if (v->kind != Y_MAP) {
		yamldoc_err(d, s->path, v, "'outcomes' must be a mapping of check node to outcome(s)");
		return;
	}
	size_t cap = 0;
	/* the loader has refused a node given twice (yamldoc.h) */
	YNODE_FOR_PAIRS(v, p) {
		const char *node = p->key->s;
		const struct ynode *val = p->val;
		bool visits = per_visit(val);
		if (visits && !visits_ok(s, node, val, "[[http_503], [ok]]", d))
			continue;
		size_t nv = visits ? val->n : 1;
		for (size_t i = 0; i < nv; i++) {
			struct scenario_outcome o = {.pos = yamldoc_pos(p->key), .visit = visits ? i + 1 : 0};
			if (!load_outcome_entry(s, node, visits ? val->items[i] : val, &o, d))
				break;
			o.node = xstrdup(node);
			VEC_PUSH(s->outs, s->nouts, cap);
			s->outs[s->nouts++] = o;
		}
	}
}

/* A fact key as the live checks write them: lower case letters, digits, '_'. */
static bool fact_key_ok(const char *k)
{
	if (!k || !*k || strlen(k) > 64)
		return false;
	for (const char *p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* One set of facts: {key: value, key: [value, ...]}. false after an error. */
static bool load_fact_set(struct scenario *s, const struct ynode *m, struct facts *out, struct diags *d)
{
	if (m->kind != Y_MAP) {
		yamldoc_err(d, s->path, m, "facts are a mapping such as {status: 407, proxy_authenticate: [NTLM, Basic]}");
		return false;
	}
	YNODE_FOR_PAIRS(m, p) {
		const char *key = p->key->s;
		const struct ynode *v = p->val;
		if (!fact_key_ok(key)) {
			yamldoc_err(d, s->path, p->key, "a fact key is a name such as status or not_after (a-z, 0-9, _)");
			return false;
		}
		/* a value, or a list of values: the key repeated */
		bool list = v->kind == Y_SEQ;
		size_t n = list ? v->n : 1;
		for (size_t i = 0; i < n; i++) {
			const char *val = yamldoc_scalar0(list ? v->items[i] : v);
			if (!val || out->n >= FLOW_MAX_ITEMS) {
				yamldoc_err(d, s->path, v, "fact '%s': give a text, or a list of texts", key);
				return false;
			}
			facts_add(out, key, val);
		}
	}
	return true;
}

/* One entry of facts: a set for every check, or a list of one per check. false after an
 * error (nothing kept). */
static bool load_facts_entry(struct scenario *s, const char *node, const struct ynode *val,
			     struct scenario_facts *sf, struct diags *d)
{
	bool list = val->kind == Y_SEQ;
	size_t n = list ? val->n : 1;
	if (n == 0 || n > FLOW_MAX_ITEMS) {
		yamldoc_err(d, s->path, val, "node '%s': give one set of facts, or a list of one per check", node);
		return false;
	}
	sf->n = n;
	sf->sets = xcalloc(n, sizeof *sf->sets);
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++)
		ok = load_fact_set(s, list ? val->items[i] : val, &sf->sets[i], d);
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			facts_clear(&sf->sets[i]);
		free(sf->sets);
		sf->sets = NULL;
		sf->n = 0;
	}
	return ok;
}

static void load_facts(struct scenario *s, const struct ynode *v, struct diags *d)
{
	if (v->kind != Y_MAP) {
		yamldoc_err(d, s->path, v, "'facts' must be a mapping of check node to facts");
		return;
	}
	size_t cap = 0;
	/* the loader has refused a node given twice (yamldoc.h) */
	YNODE_FOR_PAIRS(v, p) {
		const char *node = p->key->s;
		const struct ynode *val = p->val;
		bool visits = per_visit(val);
		if (visits && !visits_ok(s, node, val, "[[{status: 503}], [{}]]", d))
			continue;
		size_t nv = visits ? val->n : 1;
		for (size_t i = 0; i < nv; i++) {
			struct scenario_facts sf = {.pos = yamldoc_pos(p->key), .visit = visits ? i + 1 : 0};
			if (!load_facts_entry(s, node, visits ? val->items[i] : val, &sf, d))
				break;
			sf.node = xstrdup(node);
			VEC_PUSH(s->facts, s->nfacts, cap);
			s->facts[s->nfacts++] = sf;
		}
	}
}

struct scenario *scenario_load(const char *path, struct diags *d)
{
	size_t errors_before = diags_count(d, DIAG_ERROR), errors = 0;
	struct ynode *root = yamldoc_load(path, d, &errors);
	if (!root && errors)
		return NULL;                 /* cannot be read or parsed: said why */
	struct scenario *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	if (!root || root->kind != Y_MAP) {
		yamldoc_err(d, path, root, "a scenario is a mapping starting with 'scenario: ID'");
	} else {
		/* the loader has refused a key given twice (yamldoc.h) */
		YNODE_FOR_PAIRS(root, p) {
			const char *key = p->key->s;
			const struct ynode *v = p->val;
			char **field = NULL;
			if (str_eq(key, "scenario"))
				field = &s->id;
			else if (str_eq(key, "title"))
				field = &s->title;
			else if (str_eq(key, "brief"))
				field = &s->brief;
			else if (str_eq(key, "flow")) {
				field = &s->flow;
				s->flow_pos = yamldoc_pos(v);
			} else if (str_eq(key, "expect")) {
				field = &s->expect;
				s->expect_pos = yamldoc_pos(v);
			} else if (str_eq(key, "set")) {
				load_set(s, v, d);
				continue;
			} else if (str_eq(key, "outcomes")) {
				load_outcomes(s, v, d);
				continue;
			} else if (str_eq(key, "facts")) {
				load_facts(s, v, d);
				continue;
			} else {
				yamldoc_err(d, path, p->key,
					    "unknown key '%s' (expected scenario, flow, title, brief, set, outcomes, facts, expect)",
					    key);
				continue;
			}
			*field = scalar_field(path, p->key, v, d);
		}
		if (!s->id || !*s->id)
			yamldoc_err(d, path, root, "missing 'scenario: ID'");
		if (!s->flow || !*s->flow)
			yamldoc_err(d, path, root, "missing 'flow:' (the flow id or path this scenario trains on)");
	}
	ynode_free(root);
	if (diags_count(d, DIAG_ERROR) > errors_before) {
		scenario_free(s);
		return NULL;
	}
	if (!s->title)
		s->title = xstrdup(s->id);
	/* Resolve the flow now, so that flow_find(s->flow) works from any directory. */
	char *resolved = flow_find_for_scenario(path, s->flow);
	if (resolved) {
		free(s->flow);
		s->flow = resolved;
	}
	return s;
}

/* ---- lint */

/* Can check c of flow f give outcome o? */
static bool check_can_give(const struct flow *f, const struct flow_check *c, const char *o)
{
	const struct check_kind *k = check_kind_get0(c->kind);
	if (!k)
		return true;                 /* an unknown kind is the flow lint's to report */
	if (str_eq(c->kind, "log")) {
		if (str_eq(o, "ok"))
			return true;
		return flow_sig_get0(f, o) != NULL;
	}
	return outcome_is_valid(o) && check_kind_can_produce(k, o);
}

/* The outcome a node's checks produce under the scenario: the first that is not ok. */
static const char *node_outcome(const struct flow_node *n, const struct scenario_outcome *so)
{
	if (!so || so->n == 0)
		return "ok";
	size_t nchecks = n->nchecks ? n->nchecks : 1;
	for (size_t i = 0; i < nchecks; i++) {
		const char *o = so->outcomes[i < so->n ? i : so->n - 1];
		if (!str_eq(o, "ok"))
			return o;
	}
	return "ok";
}

/* The entry of node for its visit-th visit (SIZE_MAX: the last scripted one): the
 * plain entry (visit 0), or the one of that visit, or the last before it. NULL when the
 * scenario has none. */
static const struct scenario_outcome *outcome_for(const struct scenario *s, const char *node, size_t visit)
{
	const struct scenario_outcome *best = NULL;
	for (size_t i = 0; i < s->nouts; i++) {
		const struct scenario_outcome *o = &s->outs[i];
		if (str_eq(o->node, node) && o->visit <= visit && (!best || o->visit > best->visit))
			best = o;
	}
	return best;
}

int scenario_route_visit(const struct flow_node *n, const struct scenario *s, size_t visit)
{
	return engine_route_outcome(n, node_outcome(n, outcome_for(s, n->id, visit)));
}

int scenario_route(const struct flow_node *n, const void *scenario)
{
	return scenario_route_visit(n, scenario, SIZE_MAX);
}

/* Lint's walk: every check node on the same visit (visits past a node's last repeat it). */
struct visit_route {
	const struct scenario *s;
	size_t visit;
};

static int route_on_visit(const struct flow_node *n, const void *ctx)
{
	const struct visit_route *vr = ctx;
	return scenario_route_visit(n, vr->s, vr->visit);
}

/* " for visit N" of a per-visit entry, "" for the plain forms; free it. */
static char *visit_label(size_t visit)
{
	return visit ? xasprintf(" for visit %zu", visit) : xstrdup("");
}

/* A node a scenario names under key (outcomes, facts): it must be a check node of f
 * running at least nsets checks. Its index, or -1 after an error. */
static int lint_node(const struct scenario *s, const struct flow *f, const char *node, size_t visit,
		     size_t nsets, struct flow_pos pos, const char *what, struct diags *d)
{
	int idx = flow_node_index(f, node);
	if (idx < 0) {
		diags_add(d, DIAG_ERROR, s->path, pos.line, pos.col, "unknown node '%s' in flow '%s'", node,
			  f->id ? f->id : "?");
		return -1;
	}
	const struct flow_node *n = &f->nodes[idx];
	if (n->type != NODE_CHECK) {
		diags_add(d, DIAG_ERROR, s->path, pos.line, pos.col,
			  "node '%s' is a %s node, not a check node: it has no %s", node,
			  flow_node_type_name(n->type), what);
		return -1;
	}
	if (nsets > n->nchecks) {
		char *at = visit_label(visit);
		diags_add(d, DIAG_ERROR, s->path, pos.line, pos.col, "node '%s' runs %zu check%s but %zu %s are given%s",
			  node, n->nchecks, n->nchecks == 1 ? "" : "s", nsets, what, at);
		free(at);
		return -1;
	}
	return idx;
}

/* A later visit's entry of a node that is not a check node of f: lint_node said so at
 * the first. */
static bool said_at_first_visit(const struct flow *f, const char *node, size_t visit)
{
	int idx = flow_node_index(f, node);
	return visit > 1 && (idx < 0 || f->nodes[idx].type != NODE_CHECK);
}

size_t scenario_lint(const struct scenario *s, const struct flow *f, struct diags *d)
{
	size_t before = diags_count(d, DIAG_ERROR);
	const char *p = s->path;
	size_t maxvisit = 1;
	for (size_t i = 0; i < s->nouts; i++) {
		const struct scenario_outcome *so = &s->outs[i];
		if (said_at_first_visit(f, so->node, so->visit))
			continue;
		if (so->visit > maxvisit)
			maxvisit = so->visit;
		int idx = lint_node(s, f, so->node, so->visit, so->n, so->pos, "outcomes", d);
		if (idx < 0)
			continue;
		const struct flow_node *n = &f->nodes[idx];
		char *at = visit_label(so->visit);
		bool bad = false;
		for (size_t c = 0; c < n->nchecks; c++) {
			const char *o = so->outcomes[c < so->n ? c : so->n - 1];
			if (check_can_give(f, &n->checks[c], o))
				continue;
			bad = true;
			const char *hint = so->n == 1 && n->nchecks > 1 ? "; give a list, one outcome per check" : "";
			if (!outcome_is_valid(o) && !str_eq(n->checks[c].kind, "log"))
				diags_add(d, DIAG_ERROR, p, so->pos.line, so->pos.col, "node '%s': '%s' is not an outcome%s",
					  so->node, o, at);
			else
				diags_add(d, DIAG_ERROR, p, so->pos.line, so->pos.col,
					  "node '%s': check %zu (%s) cannot give '%s'%s%s", so->node, c + 1,
					  n->checks[c].kind, o, at, hint);
		}
		if (!bad && engine_route_outcome(n, node_outcome(n, so)) < 0)
			diags_add(d, DIAG_ERROR, p, so->pos.line, so->pos.col,
				  "node '%s' has no route for outcome '%s'%s", so->node, node_outcome(n, so), at);
		free(at);
	}
	for (size_t i = 0; i < s->nfacts; i++) {
		const struct scenario_facts *sf = &s->facts[i];
		if (said_at_first_visit(f, sf->node, sf->visit))
			continue;
		lint_node(s, f, sf->node, sf->visit, sf->n, sf->pos, "sets of facts", d);
	}
	for (size_t i = 0; i < s->nset; i++) {
		struct flow_pos sp = s->set_pos ? s->set_pos[i] : s->flow_pos;
		int vi = flow_var_index(f, s->set_keys[i]);
		if (vi < 0) {
			diags_add(d, DIAG_ERROR, p, sp.line, sp.col, "flow '%s' has no variable '%s'", f->id ? f->id : "?",
				  s->set_keys[i]);
			continue;
		}
		const char *msg = flow_var_check(&f->vars[vi], s->set_values[i]);
		if (msg)
			diags_add(d, DIAG_ERROR, p, sp.line, sp.col, "variable '%s': %s", s->set_keys[i], msg);
	}
	if (!s->expect) {
		diags_add(d, DIAG_WARNING, p, 0, 0, "no 'expect:' end node: the trainee gets no verdict");
	} else {
		int e = flow_node_index(f, s->expect);
		if (e < 0) {
			diags_add(d, DIAG_ERROR, p, s->expect_pos.line, s->expect_pos.col, "expect: unknown node '%s'",
				  s->expect);
		} else if (f->nodes[e].type != NODE_END) {
			diags_add(d, DIAG_ERROR, p, s->expect_pos.line, s->expect_pos.col,
				  "expect: node '%s' is a %s node, not an end node", s->expect,
				  flow_node_type_name(f->nodes[e].type));
		} else {
			/* with every check node on its first visit, or its second ... (a loop that
			 * fails first and passes later reaches its end on the later one) */
			bool reached = false;
			for (size_t v = 1; v <= maxvisit && !reached; v++) {
				struct visit_route vr = {s, v};
				reached = flow_shortest_path(f, f->start.idx, e, route_on_visit, &vr) >= 0;
			}
			if (!reached)
				diags_add(d, DIAG_ERROR, p, s->expect_pos.line, s->expect_pos.col,
					  "expect: end node '%s' cannot be reached with this scenario's outcomes",
					  s->expect);
		}
	}
	return diags_count(d, DIAG_ERROR) - before;
}
