/* engine.c — the walk through a flow: current node, history, variables, results.
 *
 * The engine borrows the flow (immutable) and owns everything else: one value per flow
 * variable (NULL = unset) and the history of steps. Every action first checks that it
 * fits the current node and that its input is good, and only then changes anything, so
 * a failed action leaves the engine exactly as it was. Branch rules, ${label.fact} and
 * set: are in engine_logic.c, check nodes in engine_checks.c (shared state:
 * engine_int.h). */
#include "src/engine.h"
#include "src/engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "src/logscan.h"
#include "src/util.h"

/* ---- variable storage ---------------------------------------------------------- */

/* Free a value; a secret's bytes are wiped first so they do not linger in the heap. */
void val_free(const struct flow *f, size_t i, char *v)
{
	if (v && flow_var_secret(f, (int)i))
		explicit_bzero(v, strlen(v));
	free(v);
}

static char **vals_dup(const struct engine *e)
{
	char **v = xcalloc(e->f->nvars ? e->f->nvars : 1, sizeof(*v));
	for (size_t i = 0; i < e->f->nvars; i++)
		v[i] = xstrdup(e->vals[i]);
	return v;
}

static void vals_free(const struct flow *f, char **v)
{
	if (!v)
		return;
	for (size_t i = 0; i < f->nvars; i++)
		val_free(f, i, v[i]);
	free(v);
}

/* Replace every current value by a copy of snap. */
static void vals_restore(struct engine *e, char *const *snap)
{
	for (size_t i = 0; i < e->f->nvars; i++) {
		val_free(e->f, i, e->vals[i]);
		e->vals[i] = xstrdup(snap[i]);
	}
}

static void step_clear(const struct flow *f, struct engine_step *s)
{
	free(s->answer);
	free(s->ticked);
	free(s->matched);
	free(s->matched_line);
	for (size_t i = 0; i < s->nresults; i++)
		check_result_clear(&s->results[i]);
	free(s->results);
	free(s->outcome);
	free(s->note);
	vals_free(f, s->vars_before);
	vals_free(f, s->vars_after);
	memset(s, 0, sizeof(*s));
}

static void hist_clear(struct engine *e)
{
	for (size_t i = 0; i < e->nhist; i++)
		step_clear(e->f, &e->hist[i]);
	e->nhist = 0;
}

/* ---- life cycle ---------------------------------------------------------------- */

static int start_index(const struct flow *f)
{
	if (!f->start.id)
		return -1;
	int idx = f->start.idx;
	if (idx < 0 || (size_t)idx >= f->nnodes)
		idx = flow_node_index(f, f->start.id);
	return idx;
}

struct engine *engine_new(const struct flow *f)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	e->f = f;
	e->vals = xcalloc(f->nvars ? f->nvars : 1, sizeof(*e->vals));
	e->typed = xcalloc(f->nvars ? f->nvars : 1, sizeof(*e->typed));
	e->cur = start_index(f);
	return e;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	hist_clear(e);
	free(e->hist);
	vals_free(e->f, e->vals);
	vals_free(e->f, e->typed);
	free(e);
}

const struct flow *engine_flow(const struct engine *e)
{
	return e->f;
}

int engine_start(struct engine *e, const char *node_id, const char **err)
{
	int idx;
	if (node_id) {
		idx = flow_node_index(e->f, node_id);
		if (idx < 0) {
			if (err)
				*err = "no such node in this flow";
			return -1;
		}
	} else {
		idx = start_index(e->f);
		if (idx < 0) {
			if (err)
				*err = "the flow has no valid start node";
			return -1;
		}
	}
	hist_clear(e);
	e->cur = idx;
	return 0;
}

const struct flow_node *engine_node(const struct engine *e)
{
	if (e->cur < 0 || (size_t)e->cur >= e->f->nnodes)
		return NULL;
	return &e->f->nodes[e->cur];
}

int engine_node_idx(const struct engine *e)
{
	return e->cur;
}

size_t engine_step_no(const struct engine *e)
{
	return e->nhist + 1;
}

bool engine_at_end(const struct engine *e)
{
	const struct flow_node *n = engine_node(e);
	return n && n->type == NODE_END;
}

/* ---- variables ----------------------------------------------------------------- */

/* Values for validated kinds never hold surrounding blanks (a hostname, port or URL
 * pasted with a trailing space is still that hostname); free-form values are kept as
 * typed, since a password may well end in a space. */
static char *var_normalise(const struct flow_var *v, const char *value)
{
	if (!value)
		value = "";
	if (v->validate == VALIDATE_NONE)
		return xstrdup(value);
	return str_trim_dup(value);
}

/* The value a var gets from input text: empty means the default when there is one.
 * Returns a new string, or NULL with *err when the value is not acceptable. */
static char *var_accept(const struct flow_var *v, const char *value, const char **err)
{
	char *val = var_normalise(v, value);
	if (!*val && v->def) {
		free(val);
		val = xstrdup(v->def);
	}
	const char *msg = flow_var_check(v, val);
	if (msg) {
		if (v->secret)
			explicit_bzero(val, strlen(val));
		free(val);
		*err = msg;
		return NULL;
	}
	return val;
}

int engine_set_var(struct engine *e, const char *name, const char *value, const char **err)
{
	const char *dummy;
	if (!err)
		err = &dummy;
	int i = name ? flow_var_index(e->f, name) : -1;
	if (i < 0) {
		*err = "no such variable in this flow";
		return -1;
	}
	char *val = var_accept(&e->f->vars[i], value, err);
	if (!val)
		return -1;
	val_free(e->f, (size_t)i, e->vals[i]);
	e->vals[i] = val;
	return 0;
}

const char *engine_var(const struct engine *e, const char *name)
{
	int i = name ? flow_var_index(e->f, name) : -1;
	if (i < 0)
		return NULL;
	return e->vals[i] ? e->vals[i] : e->f->vars[i].def;
}

const char *engine_form_value(const struct engine *e, const char *name)
{
	int i = name ? flow_var_index(e->f, name) : -1;
	if (i >= 0 && e->typed[i])
		return e->typed[i];
	return engine_var(e, name);
}

bool engine_var_is_set(const struct engine *e, const char *name)
{
	int i = name ? flow_var_index(e->f, name) : -1;
	return i >= 0 && e->vals[i] != NULL;
}

/* ---- steps --------------------------------------------------------------------- */

bool node_ok(const struct engine *e, int idx)
{
	return idx >= 0 && (size_t)idx < e->f->nnodes;
}

/* Fetch the current node if it has the given type, else set *err. */
const struct flow_node *cur_of(const struct engine *e, enum node_type t, const char **err)
{
	const struct flow_node *n = engine_node(e);
	if (!n) {
		*err = "the walk has not started";
		return NULL;
	}
	if (n->type != t) {
		switch (n->type) {
		case NODE_INFO: *err = "this is an info node: it only goes on"; break;
		case NODE_QUESTION: *err = "this is a question: choose an answer"; break;
		case NODE_INPUT: *err = "this node asks for values"; break;
		case NODE_CHECK: *err = "this node runs checks"; break;
		case NODE_CLASSIFY: *err = "this node wants an error text to classify"; break;
		case NODE_STEPS: *err = "this node wants to know whether the steps helped"; break;
		case NODE_END: *err = "the walk has ended"; break;
		case NODE_BRANCH: *err = "this branch is decided by the flow"; break;
		case NODE_FLOW: *err = "this node runs a sub-flow"; break;
		case NODE_RETURN: *err = "this sub-flow has ended: it goes back to its caller"; break;
		default: *err = "this action does not fit the node"; break;
		}
		return NULL;
	}
	return n;
}

/* A new step for the current node with a snapshot of the variables before it; the
 * caller fills in what happened, then commits it. */
struct engine_step step_begin(const struct engine *e)
{
	struct engine_step s;
	memset(&s, 0, sizeof(s));
	s.node = e->cur;
	s.choice = -1;
	s.rule = -1;
	s.next = -1;
	s.capped = -1;
	s.vars_before = vals_dup(e);
	return s;
}

static size_t visits_in_history(const struct engine *e, int idx)
{
	size_t k = 0;
	for (size_t i = 0; i < e->nhist; i++)
		k += e->hist[i].node == idx;
	return k;
}

/* The step is in the history: a node about to be entered once more than its max_visits
 * allow sends the walk to its on_max instead, and that one may too (at most once per
 * node: a chain of on_max ends within the flow's size). */
static int visit_limit(struct engine *e, struct engine_step *s, int next)
{
	for (size_t hop = 0; hop < e->f->nnodes && node_ok(e, next); hop++) {
		const struct flow_node *n = &e->f->nodes[next];
		if (n->max_visits <= 0 || visits_in_history(e, next) < (size_t)n->max_visits)
			break;
		int to = flow_ref_target(e->f, &n->on_max);
		if (!node_ok(e, to) || to == next)
			break;      /* lint reports it; the walk enters the node as written */
		if (s->capped < 0)
			s->capped = next;
		next = to;
	}
	return next;
}

/* The step joins the history, then the node's set: and the chosen answer's set: are
 * applied (so they read this step's captures), then the variables after it are kept. */
void step_commit(struct engine *e, struct engine_step *s, int next)
{
	s->next = next;
	VEC_PUSH(e->hist, e->nhist, e->cap);
	struct engine_step *h = &e->hist[e->nhist++];
	*h = *s;
	const struct flow_node *n = node_ok(e, h->node) ? &e->f->nodes[h->node] : NULL;
	if (n) {
		apply_sets(e, n->withs, n->nwiths);     /* a call: the callee's variables */
		apply_sets(e, n->sets, n->nsets);
		if (n->type == NODE_QUESTION && h->choice >= 0 && (size_t)h->choice < n->nanswers)
			apply_sets(e, n->answers[h->choice].sets, n->answers[h->choice].nsets);
	}
	h->vars_after = vals_dup(e);
	h->next = visit_limit(e, h, next);
	e->cur = h->next;
}

int engine_next(struct engine *e, const char **err)
{
	ERRP(err);
	const struct flow_node *n = cur_of(e, NODE_INFO, err);
	if (!n)
		return -1;
	if (!node_ok(e, n->next.idx)) {
		*err = "this node leads nowhere (its next node is missing)";
		return -1;
	}
	struct engine_step s = step_begin(e);
	step_commit(e, &s, n->next.idx);
	return 0;
}

int engine_choose(struct engine *e, size_t answer, const char **err)
{
	ERRP(err);
	const struct flow_node *n = cur_of(e, NODE_QUESTION, err);
	if (!n)
		return -1;
	if (answer >= n->nanswers) {
		*err = "no such answer";
		return -1;
	}
	const struct flow_answer *a = &n->answers[answer];
	if (!node_ok(e, a->next.idx)) {
		*err = "this answer leads nowhere (its next node is missing)";
		return -1;
	}
	struct engine_step s = step_begin(e);
	s.answer = xstrdup(a->label);
	s.choice = (int)answer;
	step_commit(e, &s, a->next.idx);
	return 0;
}

int engine_submit_input(struct engine *e, const char *const *values, size_t n,
			size_t *bad_index, const char **err)
{
	ERRP(err);
	const struct flow_node *node = cur_of(e, NODE_INPUT, err);
	if (!node)
		return -1;
	if (n != node->nvars || (n && !values)) {
		if (bad_index)
			*bad_index = n < node->nvars ? n : node->nvars;
		*err = "wrong number of values for this node";
		return -1;
	}
	if (!node_ok(e, node->next.idx)) {
		*err = "this node leads nowhere (its next node is missing)";
		return -1;
	}
	/* Validate every value before touching anything. */
	char **accepted = xcalloc(n ? n : 1, sizeof(*accepted));
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		int vi = node->vars[i].idx;
		if (vi < 0 || (size_t)vi >= e->f->nvars) {
			*err = "this node asks for a variable the flow does not declare";
			rc = -1;
		} else {
			accepted[i] = var_accept(&e->f->vars[vi], values[i], err);
			if (!accepted[i])
				rc = -1;
		}
		if (rc) {
			if (bad_index)
				*bad_index = i;
			for (size_t j = 0; j < i; j++)
				val_free(e->f, (size_t)node->vars[j].idx, accepted[j]);
			free(accepted);
			return -1;
		}
	}
	struct engine_step s = step_begin(e);
	for (size_t i = 0; i < n; i++) {
		size_t vi = (size_t)node->vars[i].idx;
		val_free(e->f, vi, e->vals[vi]);
		e->vals[vi] = accepted[i];
		val_free(e->f, vi, e->typed[vi]);
		e->typed[vi] = NULL;
	}
	free(accepted);
	step_commit(e, &s, node->next.idx);
	return 0;
}

/* The route a node has written exactly for pattern, or NULL. */
const struct flow_route *route_exact(const struct flow_node *n, const char *pattern)
{
	for (size_t i = 0; i < n->nroutes; i++)
		if (str_eq(n->routes[i].pattern, pattern))
			return &n->routes[i];
	return NULL;
}

/* The route naming signature sig_id: bare or as "sig:ID" (a classify node has no
 * outcomes, so a bare id never clashes there). */
static const struct flow_route *route_sig(const struct flow_node *n, const char *sig_id)
{
	const struct flow_route *r = route_exact(n, sig_id);
	for (size_t i = 0; !r && i < n->nroutes; i++)
		if (str_eq(signature_route_id(n->routes[i].pattern), sig_id))
			r = &n->routes[i];
	return r;
}

int engine_route_signature(const struct flow_node *n, const char *sig_id)
{
	if (!n)
		return -1;
	const struct flow_route *r = NULL;
	if (sig_id)
		r = route_sig(n, sig_id);
	if (!r)
		r = route_exact(n, "default");
	return r ? r->next.idx : -1;
}

static bool routed(const struct flow_sig *sig, const void *node)
{
	return route_sig(node, sig->id) != NULL;
}

int engine_classify(struct engine *e, const char *pasted, const char **err)
{
	ERRP(err);
	const struct flow_node *n = cur_of(e, NODE_CLASSIFY, err);
	if (!n)
		return -1;
	if (!pasted) {
		*err = "nothing to classify";
		return -1;
	}
	struct logscan_matches m = {0};
	if (logscan_text(e->f, pasted, strlen(pasted), &m) != 0) {
		logscan_matches_clear(&m);
		*err = "the text could not be read";
		return -1;
	}
	/* The newest error is the one that matters (logscan_newest, as for a log file);
	 * signatures the node does not route on are passed over. */
	const struct logscan_match *hit = logscan_newest(&m, routed, n);
	int next = engine_route_signature(n, hit ? hit->sig->id : NULL);
	if (!node_ok(e, next)) {
		logscan_matches_clear(&m);
		*err = hit ? "the matching route leads nowhere (its node is missing)"
			   : "no known error matched and this node has no default route";
		return -1;
	}
	struct engine_step s = step_begin(e);
	s.answer = xstrdup(pasted);
	if (hit) {
		s.matched = xstrdup(hit->sig->id);
		s.matched_line = xstrdup(hit->text);
	}
	logscan_matches_clear(&m);
	step_commit(e, &s, next);
	return 0;
}

int engine_steps(struct engine *e, enum steps_outcome outcome, const bool *ticked, const char **err)
{
	ERRP(err);
	const struct flow_node *n = cur_of(e, NODE_STEPS, err);
	if (!n)
		return -1;
	if (outcome == STEPS_CANNOT && !n->cannot.id) {
		*err = "this node has no 'cannot': say whether the steps helped";
		return -1;
	}
	int next = outcome == STEPS_FIXED ? n->fixed.idx : outcome == STEPS_CANNOT ? n->cannot.idx : n->not_fixed.idx;
	if (!node_ok(e, next)) {
		*err = outcome == STEPS_FIXED ? "this node has no way on when fixed"
			: outcome == STEPS_CANNOT ? "this node has no way on when the steps could not be applied"
			: "this node has no way on when not fixed";
		return -1;
	}
	struct engine_step s = step_begin(e);
	s.answer = xstrdup(outcome == STEPS_FIXED ? "fixed" : outcome == STEPS_CANNOT ? "cannot" : "not fixed");
	s.choice = outcome == STEPS_FIXED ? STEPS_FIXED : outcome == STEPS_CANNOT ? STEPS_CANNOT : STEPS_NOT_FIXED;
	if (ticked && n->nsteps) {
		s.ticked = xcalloc(n->nsteps, sizeof(*s.ticked));
		memcpy(s.ticked, ticked, n->nsteps * sizeof(*s.ticked));
	}
	step_commit(e, &s, next);
	return 0;
}

/* ---- history ------------------------------------------------------------------- */

/* Undo the last step. */
static void back_one(struct engine *e)
{
	struct engine_step *s = &e->hist[--e->nhist];
	const struct flow_node *n = node_ok(e, s->node) ? &e->f->nodes[s->node] : NULL;
	for (size_t i = 0; n && n->type == NODE_INPUT && i < n->nvars; i++) {
		int vi = n->vars[i].idx;
		if (vi < 0 || (size_t)vi >= e->f->nvars)
			continue;
		val_free(e->f, (size_t)vi, e->typed[vi]);
		e->typed[vi] = xstrdup(s->vars_after[vi]);
	}
	vals_restore(e, s->vars_before);
	e->cur = s->node;
	step_clear(e->f, s);
}

/* A branch, a call and a return ask nothing (flow_node_automatic), so back never stops
 * on one: it undoes their steps too, back to the node that asked, across the boundary
 * of a sub-flow as well. */
int engine_back(struct engine *e)
{
	if (e->nhist == 0)
		return -1;
	back_one(e);
	while (e->nhist > 0 && node_ok(e, e->cur) && flow_node_automatic(e->f->nodes[e->cur].type))
		back_one(e);
	return 0;
}

void engine_restart(struct engine *e)
{
	int idx = start_index(e->f);
	hist_clear(e);
	if (idx >= 0)
		e->cur = idx;
}

size_t engine_visits(const struct engine *e, int idx)
{
	return visits_in_history(e, idx) + (e->cur == idx ? 1 : 0);
}

size_t engine_history_len(const struct engine *e)
{
	return e->nhist;
}

const struct engine_step *engine_history(const struct engine *e, size_t i)
{
	return i < e->nhist ? &e->hist[i] : NULL;
}

/* ---- graph --------------------------------------------------------------------- */

int engine_shortest_path(const struct flow *f, int from, int to)
{
	return flow_shortest_path(f, from, to, NULL, NULL);
}

int engine_shortest_path_routed(const struct flow *f, int from, int to, engine_route_fn route, const void *ctx)
{
	return flow_shortest_path(f, from, to, route, ctx);
}

static bool is_end(int node, const void *flow)
{
	const struct flow *f = flow;
	return f->nodes[node].type == NODE_END;
}

int engine_way_to_end(const struct engine *e, int **way)
{
	*way = NULL;
	const struct flow *f = e->f;
	if (e->cur < 0 || (size_t)e->cur >= f->nnodes)
		return -1;
	struct flow_graph g;
	flow_graph_build(&g, f, NULL, NULL, false);
	int *prev = xmalloc(f->nnodes * sizeof(*prev));
	int end = -1;
	int n = flow_graph_nearest(&g, e->cur, is_end, f, prev, &end);
	if (n > 0) {
		*way = xmalloc((size_t)n * sizeof(**way));
		int k = n, v = end;
		while (k > 0 && v >= 0 && v != e->cur) {   /* n steps back lead to e->cur */
			(*way)[--k] = v;
			v = prev[v];
		}
	}
	free(prev);
	flow_graph_clear(&g);
	return n;
}
