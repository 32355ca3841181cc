/* flow_load_node.c — a flow's nodes, YAML -> struct flow_node (see flow_load.c).
 *
 * Each node is converted as flow_load.c hands it over (as it is parsed, or from the
 * whole tree): its type decides which keys belong; every problem is an error at its
 * file:line:col, collected, not stopped at. */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "src/expr.h"
#include "src/flow.h"
#include "src/flow_load_int.h"
#include "src/suggest.h"
#include "src/template.h"
#include "src/util.h"
#include "src/yamldoc.h"
/* ---- nodes ---- */

static const char *const node_types[] = {"info", "question", "input", "check", "classify",
					 "steps", "end", "branch", "flow", NULL};
static const char *const common_keys[] = {"type", "title", "text", "why", "set", NULL};
/* Keys every type but end may carry (tshoot-flow(5), LOOPS). */
static const char *const visit_keys[] = {"max_visits", "on_max", NULL};
/* Keys by type, in enum node_type order. */
static const char *const *const type_keys[] = {
	(const char *const[]){"next", NULL},
	(const char *const[]){"answers", NULL},
	(const char *const[]){"vars", "next", NULL},
	(const char *const[]){"run", "on", NULL},
	(const char *const[]){"on", NULL},
	(const char *const[]){"steps", "fixed", "not_fixed", "cannot", "ask", NULL},
	(const char *const[]){"result", "collect", "return", NULL},
	(const char *const[]){"when", "default", NULL},
	(const char *const[]){"flow", "with", "on", NULL},
};
static const char *const all_node_keys[] = {"type", "title", "text", "why", "set", "next",
					    "answers", "vars", "run", "on", "steps", "fixed",
					    "not_fixed", "cannot", "ask", "result", "collect", "when", "default",
					    "max_visits", "on_max", "flow", "with", "return", NULL};

/* set: {name: value, ...} on a node or an answer (format 2), or a call's with: (key
 * says which). Names are judged by lint (declared variables; a callee's for with:);
 * values are templates. */
static void load_sets(struct ld *L, const char *key, struct flow_set **out, size_t *nout,
		      const struct ynode *v, const char *where)
{
	if (!want_map(L, v, key, where, FLOW_MAX_ITEMS))
		return;
	*out = xcalloc(v->n ? v->n : 1, sizeof(**out));
	FOR_PAIRS(v, p) {
		if (p->val->kind != Y_SCALAR) {
			YERR(L, p->val, "value of '%s' in '%s' %s must be a string, not a %s",
			     p->key->s, key, where, ykind_name(p->val));
			continue;
		}
		struct flow_set *st = &(*out)[(*nout)++];
		st->name = xstrdup(p->key->s);
		st->value = xstrdup(p->val->null ? "" : p->val->s);
		st->idx = -1;
		set_pos(&st->pos, p->key);
	}
}

/* A branch node's when: list of {if: CONDITION, next: NODE}, each condition parsed now
 * so a syntax error points at its line and column. */
static void load_rules(struct ld *L, struct flow_node *n, const struct ynode *v)
{
	if (!want_list(L, v, "when", "in a branch node", FLOW_MAX_ITEMS))
		return;
	static const char *const keys[] = {"if", "next", NULL};
	n->rules = xcalloc(v->n ? v->n : 1, sizeof(*n->rules));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		struct flow_rule *r = &n->rules[n->nrules++];
		set_pos(&r->pos, it);
		r->next.idx = -1;
		set_pos(&r->next.pos, it);
		if (it->kind != Y_MAP) {
			YERR(L, it, "rule %zu of node '%s' must be a mapping {if, next}, not a %s",
			     i + 1, n->id, ykind_name(it));
			continue;
		}
		char *where = where_of("in rule ", i + 1, " of node ", n->id);
		const struct ynode *cond = NULL;
		FOR_PAIRS(it, p) {
			const char *key = p->key->s;
			if (!strcmp(key, "if")) {
				cond = p->val;
				r->cond = get_str(L, p->val, key, where);
				set_pos(&r->pos, p->val);
				if (p->val->quoted)
					r->pos.col++;   /* where the condition's text starts */
			} else if (!strcmp(key, "next")) {
				get_ref(L, &r->next, p->val, key, where);
			} else {
				unknown_key(L, p->key, where, keys);
			}
		}
		if (!cond)
			YERR(L, it, "rule %zu of node '%s' has no 'if'", i + 1, n->id);
		else if (!r->next.id)
			YERR(L, it, "rule %zu of node '%s' has no 'next'", i + 1, n->id);
		if (cond && cond->kind == Y_SCALAR) {
			char why[256];
			int col = 0;
			r->expr = expr_parse(r->cond ? r->cond : "", why, sizeof why, &col);
			if (!r->expr)
				lerr(L, r->pos.line, r->pos.col + (col > 0 ? col - 1 : 0),
				     "condition of rule %zu of node '%s': %s",
				     i + 1, n->id, why);
		}
		free(where);
	}
}

static void load_answers(struct ld *L, struct flow_node *n, const struct ynode *v)
{
	if (!want_list(L, v, "answers", "in a question node", FLOW_MAX_ITEMS))
		return;
	static const char *const keys[] = {"label", "next", "why", "set", NULL};
	n->answers = xcalloc(v->n ? v->n : 1, sizeof(*n->answers));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		struct flow_answer *a = &n->answers[n->nanswers++];
		set_pos(&a->pos, it);
		a->next.idx = -1;
		set_pos(&a->next.pos, it);
		char *where = where_of("in answer ", i + 1, " of node ", n->id);
		if (it->kind != Y_MAP) {
			YERR(L, it, "answer %zu of node '%s' must be a mapping {label, next, why}, "
			     "not a %s", i + 1, n->id, ykind_name(it));
			free(where);
			continue;
		}
		FOR_PAIRS(it, p) {
			const char *key = p->key->s;
			if (!strcmp(key, "label"))
				a->label = get_text(L, p->val, key, where, TEXT_AT_ITEM(n->id, "answers", i));
			else if (!strcmp(key, "why"))
				a->why = get_text(L, p->val, key, where, TEXT_AT_ITEM(n->id, "answers", i));
			else if (!strcmp(key, "next"))
				get_ref(L, &a->next, p->val, key, where);
			else if (!strcmp(key, "set"))
				load_sets(L, "set", &a->sets, &a->nsets, p->val, where);
			else
				unknown_key(L, p->key, where, keys);
		}
		if (!a->label)
			YERR(L, it, "answer %zu of node '%s' has no 'label'", i + 1, n->id);
		free(where);
	}
}

static void load_run(struct ld *L, struct flow_node *n, const struct ynode *v)
{
	if (!want_list(L, v, "run", "in a check node", FLOW_MAX_ITEMS))
		return;
	n->checks = xcalloc(v->n ? v->n : 1, sizeof(*n->checks));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		struct flow_check *c = &n->checks[n->nchecks++];
		set_pos(&c->pos, it);
		if (it->kind != Y_MAP) {
			YERR(L, it, "check %zu of node '%s' must be a mapping such as "
			     "{http: {url: ...}}, not a %s", i + 1, n->id, ykind_name(it));
			continue;
		}
		char *where = where_of("in check ", i + 1, " of node ", n->id);
		const struct ynode *kind_key = NULL, *params = NULL;
		FOR_PAIRS(it, p) {
			if (!strcmp(p->key->s, "label")) {
				c->label = get_text(L, p->val, "label", where, TEXT_AT_ITEM(n->id, "run", i));
				continue;
			}
			if (!strcmp(p->key->s, "capture")) {
				c->capture = get_str(L, p->val, "capture", where);
				set_pos(&c->capture_pos, p->val);
				if (c->capture && !template_name_valid(c->capture, strlen(c->capture)))
					YERR(L, p->val, "'capture' %s must be a name (%s), not '%s'",
					     where, TEMPLATE_NAME_RULE, c->capture);
				continue;
			}
			if (kind_key) {
				YERR(L, p->key, "check %zu of node '%s' names two kinds, '%s' and "
				     "'%s': write one check per list item", i + 1, n->id,
				     kind_key->s, p->key->s);
				continue;
			}
			kind_key = p->key;
			params = p->val;
		}
		if (!kind_key) {
			/* the kinds, from their table: "http, tls, ... or log" */
			struct strbuf kinds = {0};
			for (size_t k = 0; check_kinds[k]; k++)
				sb_printf(&kinds, "%s%s", k == 0 ? "" : check_kinds[k + 1] ? ", " : " or ",
					  check_kinds[k]->name);
			YERR(L, it, "check %zu of node '%s' names no check kind (%s)", i + 1, n->id, kinds.s);
			sb_clear(&kinds);
			free(where);
			continue;
		}
		c->kind = xstrdup(kind_key->s);
		set_pos(&c->pos, kind_key);
		free(where);
		where = xasprintf("of %s check in node '%s'", c->kind, n->id);
		if (!want_map(L, params, c->kind, where, FLOW_MAX_ITEMS)) {
			free(where);
			continue;
		}
		c->params = xcalloc(params->n ? params->n : 1, sizeof(*c->params));
		FOR_PAIRS(params, p) {
			if (p->val->kind != Y_SCALAR) {
				YERR(L, p->val, "parameter '%s' %s must be a string, not a %s",
				     p->key->s, where, ykind_name(p->val));
				continue;
			}
			struct flow_param *pa = &c->params[c->nparams++];
			pa->key = xstrdup(p->key->s);
			pa->value = xstrdup(p->val->null ? "" : p->val->s);
			set_pos(&pa->pos, p->key);
		}
		free(where);
	}
}

static void load_routes(struct ld *L, struct flow_node *n, const struct ynode *v)
{
	char *where = where_of("in node ", 0, "", n->id);
	if (want_map(L, v, "on", where, FLOW_MAX_ITEMS)) {
		n->routes = xcalloc(v->n ? v->n : 1, sizeof(*n->routes));
		FOR_PAIRS(v, p) {
			struct flow_route *r = &n->routes[n->nroutes++];
			r->pattern = xstrdup(p->key->s);
			set_pos(&r->pos, p->key);
			char *w2 = xasprintf("in route '%s' of node '%s'", p->key->s, n->id);
			get_ref(L, &r->next, p->val, p->key->s, w2);
			free(w2);
		}
	}
	free(where);
}

static void load_steps(struct ld *L, struct flow_node *n, const struct ynode *v)
{
	if (!want_list(L, v, "steps", "in a steps node", FLOW_MAX_ITEMS))
		return;
	static const char *const keys[] = {"text", "why", NULL};
	n->steps = xcalloc(v->n ? v->n : 1, sizeof(*n->steps));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		struct flow_step *s = &n->steps[n->nsteps++];
		set_pos(&s->pos, it);
		char *where = where_of("in step ", i + 1, " of node ", n->id);
		const struct text_at *at = TEXT_AT_ITEM(n->id, "steps", i);
		if (it->kind == Y_SCALAR || is_text_map(it)) {
			/* "text", or {en: ..., de: ...}: the step's text alone */
			s->text = it->null ? NULL : get_text(L, it, "text", where, at);
		} else if (it->kind == Y_MAP) {
			FOR_PAIRS(it, p) {
				if (!strcmp(p->key->s, "text"))
					s->text = get_text(L, p->val, "text", where, at);
				else if (!strcmp(p->key->s, "why"))
					s->why = get_text(L, p->val, "why", where, at);
				else
					unknown_key(L, p->key, where, keys);
			}
		} else {
			YERR(L, it, "step %zu of node '%s' must be a string or {text, why}, not a %s",
			     i + 1, n->id, ykind_name(it));
		}
		if (!s->text && it->kind != Y_SEQ)
			YERR(L, it, "step %zu of node '%s' has no text", i + 1, n->id);
		free(where);
	}
}

/* A list of strings (input vars, end collect). Returns the count stored in *out. */
static size_t load_str_list(struct ld *L, const struct ynode *v, const char *key,
			    const char *where, char ***out, const struct ynode ***at)
{
	*out = NULL;
	if (!want_list(L, v, key, where, FLOW_MAX_ITEMS))
		return 0;
	size_t n = 0;
	*out = xcalloc(v->n ? v->n : 1, sizeof(**out));
	if (at)
		*at = xcalloc(v->n ? v->n : 1, sizeof(**at));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		if (it->kind != Y_SCALAR || it->null) {
			YERR(L, it, "items of '%s' %s must be strings, not a %s", key, where,
			     ykind_name(it));
			continue;
		}
		if (at)
			(*at)[n] = it;
		(*out)[n++] = xstrdup(it->s);
	}
	return n;
}

/* The type of node id (its 'type' key in v): -1 when missing or unknown, reported. */
static int load_node_type(struct ld *L, const struct ynode *k, const struct ynode *v,
			  const char *id, const char *where)
{
	int type = -1;
	bool type_seen = false;
	FOR_PAIRS(v, p) {
		if (strcmp(p->key->s, "type"))
			continue;
		type_seen = true;
		if (p->val->kind != Y_SCALAR || p->val->null) {
			YERR(L, p->val, "'type' %s must be one of info, question, input, check, "
			     "classify, steps, end, branch, flow", where);
			break;
		}
		for (int t = 0; node_types[t]; t++)
			if (!strcmp(p->val->s, node_types[t]))
				type = t;
		if (type < 0) {
			char *sug = suggest_list(p->val->s, node_types);
			YERR(L, p->val, "unknown node type '%s' in node '%s'%s", p->val->s, id,
			     sug);
			free(sug);
		}
	}
	if (!type_seen)
		YERR(L, k, "node '%s' has no 'type' (info, question, input, check, classify, "
		     "steps, end, branch or flow)", id);
	return type;
}

/* A key no node has: suggest from the keys type allows when the type is known. */
static void node_unknown_key(struct ld *L, const struct ynode *key, int type, const char *where)
{
	const char *cands[16];
	size_t nc = 0;
	for (size_t i = 0; common_keys[i]; i++)
		cands[nc++] = common_keys[i];
	for (size_t i = 0; type >= 0 && type_keys[type][i]; i++)
		cands[nc++] = type_keys[type][i];
	for (size_t i = 0; type >= 0 && type != NODE_END && visit_keys[i]; i++)
		cands[nc++] = visit_keys[i];
	cands[nc] = NULL;
	unknown_key(L, key, where, type >= 0 ? cands : all_node_keys);
}

/* max_visits or on_max (visit_keys) of node n. */
static void load_visit_key(struct ld *L, struct flow_node *n, const char *key,
			   const struct ynode *val, const char *where)
{
	if (!strcmp(key, "on_max")) {
		get_ref(L, &n->on_max, val, key, where);
		return;
	}
	long mv = 0;
	if (val->kind != Y_SCALAR || val->null
	    || !parse_long(val->s, 1, FLOW_MAX_VISITS, &mv))
		YERR(L, val, "'max_visits' %s must be a whole number from 1 to %d, not '%s'",
		     where, FLOW_MAX_VISITS, val->kind == Y_SCALAR ? val->s : ykind_name(val));
	else
		n->max_visits = (int)mv;
}

/* An input node's vars: the names of the variables it asks for. */
static void load_input_vars(struct ld *L, struct flow_node *n, const struct ynode *val,
			    const char *where)
{
	char **names;
	const struct ynode **at = NULL;
	size_t nn = load_str_list(L, val, "vars", where, &names, &at);
	if (names) {
		n->vars = xcalloc(nn ? nn : 1, sizeof(*n->vars));
		for (size_t i = 0; i < nn; i++) {
			n->vars[i].id = names[i];
			n->vars[i].idx = -1;
			set_pos(&n->vars[i].pos, at[i]);
		}
		n->nvars = nn;
	}
	free(names);
	free(at);
}

/* A key of node n that its type allows (type_keys); *has_result set by 'result'. */
static void load_type_key(struct ld *L, struct flow_node *n, const char *key,
			  const struct ynode *val, const char *where, bool *has_result)
{
	if (!strcmp(key, "next")) {
		get_ref(L, &n->next, val, key, where);
	} else if (!strcmp(key, "fixed")) {
		get_ref(L, &n->fixed, val, key, where);
	} else if (!strcmp(key, "not_fixed")) {
		get_ref(L, &n->not_fixed, val, key, where);
	} else if (!strcmp(key, "cannot")) {
		get_ref(L, &n->cannot, val, key, where);
	} else if (!strcmp(key, "ask")) {
		free(n->ask);
		n->ask = get_text(L, val, key, where, TEXT_AT("nodes", n->id));
	} else if (!strcmp(key, "default")) {
		get_ref(L, &n->def, val, key, where);
	} else if (!strcmp(key, "when")) {
		load_rules(L, n, val);
	} else if (!strcmp(key, "answers")) {
		load_answers(L, n, val);
	} else if (!strcmp(key, "run")) {
		load_run(L, n, val);
	} else if (!strcmp(key, "on")) {
		load_routes(L, n, val);
	} else if (!strcmp(key, "steps")) {
		load_steps(L, n, val);
	} else if (!strcmp(key, "collect")) {
		n->ncollect = load_str_list(L, val, key, where, &n->collect, NULL);
	} else if (!strcmp(key, "vars")) {
		load_input_vars(L, n, val, where);
	} else if (!strcmp(key, "flow")) {
		free(n->callee);
		n->callee = get_str(L, val, key, where);
		set_pos(&n->callee_pos, val);
	} else if (!strcmp(key, "with")) {
		load_sets(L, "with", &n->withs, &n->nwiths, val, where);
	} else if (!strcmp(key, "return")) {
		free(n->ret);
		n->ret = get_str(L, val, key, where);
		if (n->ret && (!template_name_valid(n->ret, strlen(n->ret)) || !strcmp(n->ret, "resolved")
			       || !strcmp(n->ret, "escalate") || !strcmp(n->ret, "default")))
			YERR(L, val, "'return' %s must be a name (%s) other than resolved, escalate "
			     "and default, not '%s'", where, TEMPLATE_NAME_RULE, n->ret);
	} else if (!strcmp(key, "result")) {
		*has_result = true;
		if (val->kind == Y_SCALAR && !strcmp(val->s, "resolved"))
			n->result = END_RESOLVED;
		else if (val->kind == Y_SCALAR && !strcmp(val->s, "escalate"))
			n->result = END_ESCALATE;
		else
			YERR(L, val, "'result' %s must be resolved or escalate, not '%s'",
			     where, val->kind == Y_SCALAR ? val->s : ykind_name(val));
	}
}

/* One key p_key: val of node n of type type (-1: unknown or missing, already reported):
 * stored, or an error if it does not belong. *has_result set by 'result'. */
static void load_node_key(struct ld *L, struct flow_node *n, const struct ynode *p_key,
			  const struct ynode *val, int type, const char *where, bool *has_result)
{
	const char *key = p_key->s;
	if (!in_list(key, all_node_keys)) {
		node_unknown_key(L, p_key, type, where);
		return;
	}
	if (!strcmp(key, "set")) {
		load_sets(L, "set", &n->sets, &n->nsets, val, where);
		return;
	}
	if (in_list(key, common_keys)) {
		char **dst = !strcmp(key, "title") ? &n->title : !strcmp(key, "text") ? &n->text
			   : !strcmp(key, "why") ? &n->why : NULL;
		if (dst)
			*dst = get_text(L, val, key, where, TEXT_AT("nodes", n->id));
		return;
	}
	if (type < 0)
		return;   /* unknown or missing type: already reported */
	if (in_list(key, visit_keys) && type != NODE_END) {
		load_visit_key(L, n, key, val, where);
		return;
	}
	if (!in_list(key, type_keys[type])) {
		YERR(L, p_key, "key '%s' does not belong in %s node '%s'", key,
		     node_types[type], n->id);
		return;
	}
	load_type_key(L, n, key, val, where, has_result);
}

void load_node(struct ld *L, struct flow_node *n, const struct ynode *k,
	       const struct ynode *v)
{
	n->id = xstrdup(k->s);
	set_pos(&n->pos, k);
	n->next.idx = n->fixed.idx = n->not_fixed.idx = n->cannot.idx = n->on_max.idx = n->def.idx = -1;
	if (!*k->s)
		YERR(L, k, "empty node id");
	if (v->kind != Y_MAP) {
		YERR(L, v, "node '%s' must be a mapping (type, title, text, ...), not a %s",
		     n->id, ykind_name(v));
		return;
	}
	char *where = where_of("in node ", 0, "", n->id);
	/* The type decides which keys belong. */
	int type = load_node_type(L, k, v, n->id, where);
	n->type = type < 0 ? NODE_INFO : (enum node_type)type;

	bool has_result = false;
	FOR_PAIRS(v, p)
		load_node_key(L, n, p->key, p->val, type, where, &has_result);
	if (type == NODE_END && !has_result)
		YERR(L, k, "end node '%s' has no 'result' (resolved or escalate)", n->id);
	if (type == NODE_FLOW && !n->callee)
		YERR(L, k, "flow node '%s' has no 'flow' (the id or path of the flow it runs)", n->id);
	free(where);
}
