/* scenario.c — training scenarios (scenario.h): load and check against their flow.
 * The simulated runner that plays a scenario's outcomes lives in src/simrun.c. */
#include "src/scenario.h"

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
		struct scenario_outcome o = {0};
		o.pos = yamldoc_pos(p->key);
		if (val->kind == Y_SCALAR && *val->s) {
			o.outcomes = xcalloc(1, sizeof *o.outcomes);
			o.outcomes[o.n++] = xstrdup(val->s);
		} else if (val->kind == Y_SEQ) {
			if (val->n == 0 || val->n > FLOW_MAX_ITEMS) {
				yamldoc_err(d, s->path, val, "node '%s': give one outcome, or a list of one per check", node);
				continue;
			}
			o.outcomes = xcalloc(val->n, sizeof *o.outcomes);
			bool ok = true;
			for (size_t i = 0; i < val->n; i++) {
				const struct ynode *x = val->items[i];
				if (x->kind != Y_SCALAR || !*x->s) {
					yamldoc_err(d, s->path, x, "node '%s': each outcome must be a name such as ok or refused", node);
					ok = false;
					continue;
				}
				o.outcomes[o.n++] = xstrdup(x->s);
			}
			if (!ok) {
				strv_free(o.outcomes, o.n);
				continue;
			}
		} else {
			yamldoc_err(d, s->path, val, "node '%s': give one outcome, or a list of one per check", node);
			continue;
		}
		o.node = xstrdup(node);
		if (s->nouts >= cap) {
			cap = cap ? cap * 2 : 8;
			s->outs = xrealloc(s->outs, cap * sizeof *s->outs);
		}
		s->outs[s->nouts++] = o;
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
		bool list = val->kind == Y_SEQ;
		size_t n = list ? val->n : 1;
		if (n == 0 || n > FLOW_MAX_ITEMS) {
			yamldoc_err(d, s->path, val, "node '%s': give one set of facts, or a list of one per check", node);
			continue;
		}
		struct scenario_facts sf = {.n = n, .pos = yamldoc_pos(p->key)};
		sf.sets = xcalloc(n, sizeof *sf.sets);
		bool ok = true;
		for (size_t i = 0; i < n && ok; i++)
			ok = load_fact_set(s, list ? val->items[i] : val, &sf.sets[i], d);
		if (!ok) {
			for (size_t i = 0; i < n; i++)
				facts_clear(&sf.sets[i]);
			free(sf.sets);
			continue;
		}
		sf.node = xstrdup(node);
		VEC_PUSH(s->facts, s->nfacts, cap);
		s->facts[s->nfacts++] = sf;
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

static const struct scenario_outcome *outcome_for(const struct scenario *s, const char *node)
{
	for (size_t i = 0; i < s->nouts; i++)
		if (str_eq(s->outs[i].node, node))
			return &s->outs[i];
	return NULL;
}

int scenario_route(const struct flow_node *n, const void *scenario)
{
	const struct scenario *s = scenario;
	return engine_route_outcome(n, node_outcome(n, outcome_for(s, n->id)));
}

/* A node a scenario names under key (outcomes, facts): it must be a check node of f
 * running at least nsets checks. Its index, or -1 after an error. */
static int lint_node(const struct scenario *s, const struct flow *f, const char *node, size_t nsets,
		     struct flow_pos pos, const char *what, struct diags *d)
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
		diags_add(d, DIAG_ERROR, s->path, pos.line, pos.col, "node '%s' runs %zu check%s but %zu %s are given",
			  node, n->nchecks, n->nchecks == 1 ? "" : "s", nsets, what);
		return -1;
	}
	return idx;
}

size_t scenario_lint(const struct scenario *s, const struct flow *f, struct diags *d)
{
	size_t before = diags_count(d, DIAG_ERROR);
	const char *p = s->path;
	for (size_t i = 0; i < s->nouts; i++) {
		const struct scenario_outcome *so = &s->outs[i];
		int idx = lint_node(s, f, so->node, so->n, so->pos, "outcomes", d);
		if (idx < 0)
			continue;
		const struct flow_node *n = &f->nodes[idx];
		bool bad = false;
		for (size_t c = 0; c < n->nchecks; c++) {
			const char *o = so->outcomes[c < so->n ? c : so->n - 1];
			if (check_can_give(f, &n->checks[c], o))
				continue;
			bad = true;
			const char *hint = so->n == 1 && n->nchecks > 1 ? "; give a list, one outcome per check" : "";
			if (!outcome_is_valid(o) && !str_eq(n->checks[c].kind, "log"))
				diags_add(d, DIAG_ERROR, p, so->pos.line, so->pos.col, "node '%s': '%s' is not an outcome",
					  so->node, o);
			else
				diags_add(d, DIAG_ERROR, p, so->pos.line, so->pos.col,
					  "node '%s': check %zu (%s) cannot give '%s'%s", so->node, c + 1,
					  n->checks[c].kind, o, hint);
		}
		if (!bad && engine_route_outcome(n, node_outcome(n, so)) < 0)
			diags_add(d, DIAG_ERROR, p, so->pos.line, so->pos.col,
				  "node '%s' has no route for outcome '%s'", so->node, node_outcome(n, so));
	}
	for (size_t i = 0; i < s->nfacts; i++)
		lint_node(s, f, s->facts[i].node, s->facts[i].n, s->facts[i].pos, "sets of facts", d);
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
		} else if (flow_shortest_path(f, f->start.idx, e, scenario_route, s) < 0) {
			diags_add(d, DIAG_ERROR, p, s->expect_pos.line, s->expect_pos.col,
				  "expect: end node '%s' cannot be reached with this scenario's outcomes", s->expect);
		}
	}
	return diags_count(d, DIAG_ERROR) - before;
}
