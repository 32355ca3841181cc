/* flow.c — the flow model: lookups, names, value validation, signature matching and
 * freeing. Loading is in flow_load.c (nodes: flow_load_node.c); finding a flow file in
 * flow_catalog.c. */
#include "src/flow.h"

#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "src/expr.h"
#include "src/flow_lang.h"
#include "src/util.h"

static void ref_clear(struct flow_ref *r)
{
	FREE_NULL(r->id);
}

static void sets_free(struct flow_set *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].value);
	}
	free(s);
}

void flow_node_clear(struct flow_node *n)
{
	free(n->id);
	free(n->title);
	free(n->text);
	free(n->why);
	ref_clear(&n->next);
	for (size_t i = 0; i < n->nanswers; i++) {
		free(n->answers[i].label);
		free(n->answers[i].why);
		ref_clear(&n->answers[i].next);
		sets_free(n->answers[i].sets, n->answers[i].nsets);
	}
	free(n->answers);
	for (size_t i = 0; i < n->nvars; i++)
		ref_clear(&n->vars[i]);
	free(n->vars);
	for (size_t i = 0; i < n->nchecks; i++) {
		struct flow_check *c = &n->checks[i];
		free(c->kind);
		free(c->label);
		free(c->capture);
		for (size_t j = 0; j < c->nparams; j++) {
			free(c->params[j].key);
			free(c->params[j].value);
		}
		free(c->params);
	}
	free(n->checks);
	for (size_t i = 0; i < n->nroutes; i++) {
		free(n->routes[i].pattern);
		ref_clear(&n->routes[i].next);
	}
	free(n->routes);
	for (size_t i = 0; i < n->nsteps; i++) {
		free(n->steps[i].text);
		free(n->steps[i].why);
	}
	free(n->steps);
	ref_clear(&n->fixed);
	ref_clear(&n->not_fixed);
	ref_clear(&n->cannot);
	free(n->ask);
	ref_clear(&n->on_max);
	for (size_t i = 0; i < n->ncollect; i++)
		free(n->collect[i]);
	free(n->collect);
	for (size_t i = 0; i < n->nrules; i++) {
		free(n->rules[i].cond);
		expr_free(n->rules[i].expr);
		ref_clear(&n->rules[i].next);
	}
	free(n->rules);
	ref_clear(&n->def);
	sets_free(n->sets, n->nsets);
	free(n->callee);
	sets_free(n->withs, n->nwiths);
	free(n->ret);
	memset(n, 0, sizeof(*n));
}

void flow_free(struct flow *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->id);
	free(f->title);
	free(f->version);
	free(f->description);
	ref_clear(&f->start);
	for (size_t i = 0; i < f->nvars; i++) {
		struct flow_var *v = &f->vars[i];
		free(v->name);
		free(v->prompt);
		free(v->def);
		free(v->why);
	}
	free(f->vars);
	for (size_t i = 0; i < f->nsigs; i++) {
		struct flow_sig *s = &f->sigs[i];
		/* the loader sets is_regex only once regcomp succeeded */
		if (s->is_regex)
			regfree(&s->re);
		free(s->id);
		free(s->title);
		free(s->text);
	}
	free(f->sigs);
	for (size_t i = 0; i < f->nnodes; i++)
		flow_node_clear(&f->nodes[i]);
	free(f->nodes);
	for (size_t i = 0; i < f->nscopes; i++) {
		free(f->scopes[i].prefix);
		free(f->scopes[i].flow_id);
		free(f->scopes[i].title);
	}
	free(f->scopes);
	strv_free(f->langs, f->nlangs);
	free(f->lang);
	flow_i18n_free(f->i18n);
	free(f);
}

int flow_node_index(const struct flow *f, const char *id)
{
	if (!f || !id)
		return -1;
	for (size_t i = 0; i < f->nnodes; i++)
		if (str_eq(f->nodes[i].id, id))
			return (int)i;
	return -1;
}

int flow_var_index(const struct flow *f, const char *name)
{
	if (!f || !name)
		return -1;
	for (size_t i = 0; i < f->nvars; i++)
		if (str_eq(f->vars[i].name, name))
			return (int)i;
	return -1;
}

const char *flow_scope_prefix(const struct flow *f, int scope)
{
	if (!f || scope <= 0 || (size_t)scope >= f->nscopes)
		return "";
	return f->scopes[scope].prefix;
}

int flow_var_index_in(const struct flow *f, int scope, const char *name)
{
	const char *pre = flow_scope_prefix(f, scope);
	if (!*pre || !name)
		return flow_var_index(f, name);
	char *full = xasprintf("%s%s", pre, name);
	int i = flow_var_index(f, full);
	free(full);
	return i;
}

bool flow_var_secret(const struct flow *f, int vi)
{
	return !f || vi < 0 || (size_t)vi >= f->nvars || f->vars[vi].secret;
}

const struct flow_sig *flow_sig_get0(const struct flow *f, const char *id)
{
	if (!f || !id)
		return NULL;
	for (size_t i = 0; i < f->nsigs; i++)
		if (str_eq(f->sigs[i].id, id))
			return &f->sigs[i];
	return NULL;
}

const char *flow_node_type_name(enum node_type t)
{
	switch (t) {
	case NODE_INFO: return "info";
	case NODE_QUESTION: return "question";
	case NODE_INPUT: return "input";
	case NODE_CHECK: return "check";
	case NODE_CLASSIFY: return "classify";
	case NODE_STEPS: return "steps";
	case NODE_END: return "end";
	case NODE_BRANCH: return "branch";
	case NODE_FLOW: return "flow";
	case NODE_RETURN: return "return";
	}
	return "?";
}

bool flow_node_automatic(enum node_type t)
{
	return t == NODE_BRANCH || t == NODE_FLOW || t == NODE_RETURN;
}

const char *flow_validate_name(enum validate_kind v)
{
	switch (v) {
	case VALIDATE_NONE: return "none";
	case VALIDATE_HOSTNAME: return "hostname";
	case VALIDATE_PORT: return "port";
	case VALIDATE_URL: return "url";
	case VALIDATE_NONEMPTY: return "nonempty";
	}
	return "?";
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (!is_space((unsigned char)*s))
			return false;
	return true;
}

const char *flow_var_check(const struct flow_var *v, const char *value)
{
	if (blank(value))
		return v->optional ? NULL : "a value is required";
	switch (v->validate) {
	case VALIDATE_NONE:
	case VALIDATE_NONEMPTY:
		return NULL;
	case VALIDATE_HOSTNAME:
		return check_host_problem(value);
	case VALIDATE_PORT:
		return check_port_problem(value);
	case VALIDATE_URL:
		return check_url_problem(value);
	}
	return NULL;
}

/* ASCII only: the locale must not change what a signature matches. */
static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Does pattern p (already trimmed, up to pe) match text at t? Any whitespace run in p
 * matches one or more whitespace characters in t. The end of the match in t, or NULL. */
static const unsigned char *match_at(const unsigned char *p, const unsigned char *pe, const unsigned char *t)
{
	while (p < pe) {
		if (is_space(*p)) {
			while (p < pe && is_space(*p))
				p++;
			if (!is_space(*t))
				return NULL;
			while (is_space(*t))
				t++;
			continue;
		}
		if (!*t || lower(*p) != lower(*t))
			return NULL;
		p++;
		t++;
	}
	return t;
}

bool flow_sig_find(const struct flow_sig *s, const char *text, size_t *so, size_t *eo)
{
	if (!s || !text || !s->text)
		return false;
	if (s->is_regex) {
		regmatch_t m[1];
		if (regexec(&s->re, text, so ? 1 : 0, m, 0) != 0)
			return false;
		if (so) {
			*so = (size_t)m[0].rm_so;
			*eo = (size_t)m[0].rm_eo;
		}
		return true;
	}
	const unsigned char *p = (const unsigned char *)s->text;
	while (is_space(*p))
		p++;
	const unsigned char *pe = p + strlen((const char *)p);
	while (pe > p && is_space(pe[-1]))
		pe--;
	if (p == pe)
		return false;       /* an empty signature matches nothing */
	for (const unsigned char *t = (const unsigned char *)text; *t; t++) {
		const unsigned char *end = match_at(p, pe, t);
		if (end) {
			if (so) {
				*so = (size_t)(t - (const unsigned char *)text);
				*eo = (size_t)(end - (const unsigned char *)text);
			}
			return true;
		}
	}
	return false;
}

bool flow_sig_match(const struct flow_sig *s, const char *text)
{
	return flow_sig_find(s, text, NULL, NULL);
}

bool flow_sig_healthy(const struct flow_sig *s)
{
	return s && s->id && !strncmp(s->id, "healthy_", 8);
}
