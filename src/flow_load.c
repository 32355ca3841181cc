/* flow_load.c — YAML -> struct flow, every problem as a file:line:col diagnostic.
 *
 * One parse. The one YAML loader (src/yamldoc.h) builds a small tree of scalars, lists
 * and mappings (ynode), enforcing the limits as it goes: nesting depth, string length,
 * total size, no anchors or aliases (no billion laughs), no duplicate keys. The tree is
 * converted into the model, checking shape: the keys each place allows, value types,
 * enums, booleans, regexes. Each node is converted as soon as it is parsed and its part
 * of the tree let go (struct streamed, through yamldoc's stream hook), the rest once
 * the tree is whole; either way the errors are the same, in the same order. Errors are
 * collected, not stopped at; any error means NULL is returned. Cross-references are
 * resolved to indices here (a hash of the ids) but judged by lint. The same parse tells
 * a training scenario from a flow (yamldoc_is_scenario).
 *
 * Here: the top level, vars, signatures and the helpers every part uses (declared in
 * src/flow_load_int.h); the nodes are made in flow_load_node.c; texts in languages and
 * translation files are read in flow_load_lang.c (the language is an option of the load,
 * struct flow_load_opts). */
#include "src/flow.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/flow_lang.h"
#include "src/flow_load_int.h"
#include "src/regex_cost.h"
#include "src/secret.h"
#include "src/suggest.h"
#include "src/template.h"
#include "src/util.h"
#include "src/yamldoc.h"

void lerr(struct ld *L, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diags_add(L->d, DIAG_ERROR, L->file, line, col, "%s", msg);
	free(msg);
	L->errors++;
}

/* ---- nodes made as they are parsed ---- */

/* The nodes of a flow are made as soon as each is parsed, and its part of the tree let
 * go (yamldoc's stream hook on "nodes"): a flow's tree is mostly its nodes, so it never
 * has to be whole. What load_top would have done with them is decided when it gets
 * there: a node whose id turns out to be a duplicate is dropped, with its errors; more
 * than FLOW_MAX_NODES drops them all. Errors are held meanwhile, so they come in the
 * order load_top would have made them. */
struct streamed {
	struct yamldoc_stream hook;  /* hook.map: the top-level "nodes" mapping, once it opens */
	struct ld NL;                /* errors of the nodes, into d */
	struct diags d;
	struct flow_node *nodes;     /* one per entry of the mapping, in order */
	size_t *dend;                /* per entry: d.n once it was made */
	bool *made;                  /* per entry: made (not for a key that is no string) */
	size_t n, cap;
	bool over;                   /* more than FLOW_MAX_NODES entries: none is kept */
};

/* Empty st of the nodes made so far and their errors. */
static void streamed_clear(struct streamed *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->made[i])
			flow_node_clear(&st->nodes[i]);
	FREE_NULL(st->nodes);
	FREE_NULL(st->dend);
	FREE_NULL(st->made);
	st->n = st->cap = 0;
	diags_clear(&st->d);
}

/* yamldoc's stream hook: entry k: v of the "nodes" mapping is complete; make the node. */
static void stream_node(void *ctx, const struct ynode *k, const struct ynode *v)
{
	struct streamed *st = ctx;
	if (!st->over && st->n >= FLOW_MAX_NODES) {
		/* load_top will refuse the mapping (want_map): keep nothing */
		st->over = true;
		streamed_clear(st);
	}
	if (st->over)
		return;
	if (st->n >= st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->nodes = xrealloc(st->nodes, st->cap * sizeof(*st->nodes));
		st->dend = xrealloc(st->dend, st->cap * sizeof(*st->dend));
		st->made = xrealloc(st->made, st->cap * sizeof(*st->made));
	}
	size_t i = st->n++;
	memset(&st->nodes[i], 0, sizeof(st->nodes[i]));
	st->made[i] = !k->skip;
	if (st->made[i])
		load_node(&st->NL, &st->nodes[i], k, v);
	st->dend[i] = st->d.n;
}

static void streamed_init(struct streamed *st, const struct ld *L)
{
	*st = (struct streamed){
		.hook = {.key = "nodes", .entry = stream_node, .ctx = st},
		.NL = {.file = L->file, .d = &st->d, .lang = L->lang, .tx = L->tx},
	};
}

/* ---- suggestions ---- */

void unknown_key(struct ld *L, const struct ynode *key, const char *where,
		 const char *const *allowed)
{
	char *sug = suggest_list(key->s, allowed);
	YERR(L, key, "unknown key '%s' %s%s", key->s, where, sug);
	free(sug);
}

/* ---- typed access ---- */

/* A string value: NULL for an empty value; an error for a list or mapping. */
char *get_str(struct ld *L, const struct ynode *v, const char *key, const char *where)
{
	if (v->kind != Y_SCALAR) {
		YERR(L, v, "'%s' %s must be a string, not a %s", key, where, ykind_name(v));
		return NULL;
	}
	return v->null ? NULL : xstrdup(v->s);
}

bool want(struct ld *L, const struct ynode *v, enum ykind k, const char *key, const char *where)
{
	if (v->kind == k)
		return true;
	YERR(L, v, "'%s' %s must be a %s, not a %s", key, where,
	     k == Y_MAP ? "mapping" : k == Y_SEQ ? "list" : "string", ykind_name(v));
	return false;
}

/* A list that may be written empty (`answers:`): false when neither list nor empty. */
bool want_list(struct ld *L, const struct ynode *v, const char *key, const char *where,
	       size_t limit)
{
	if (v->kind == Y_SCALAR && v->null)
		return false;
	if (!want(L, v, Y_SEQ, key, where))
		return false;
	if (v->n > limit) {
		YERR(L, v, "too many items in '%s' %s (limit %zu)", key, where, limit);
		return false;
	}
	return true;
}

bool want_map(struct ld *L, const struct ynode *v, const char *key, const char *where,
	      size_t limit)
{
	if (v->kind == Y_SCALAR && v->null)
		return false;
	if (!want(L, v, Y_MAP, key, where))
		return false;
	if (v->n > limit) {
		YERR(L, v, "too many entries in '%s' %s (limit %zu)", key, where, limit);
		return false;
	}
	return true;
}

bool get_bool(struct ld *L, const struct ynode *v, const char *key, const char *where)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", NULL};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", NULL};
	if (v->kind == Y_SCALAR && in_list(v->s, yes))
		return true;
	if (v->kind == Y_SCALAR && in_list(v->s, no))
		return false;
	if (v->kind == Y_SCALAR)
		YERR(L, v, "'%s' %s must be true or false, not '%s'", key, where, v->s);
	else
		YERR(L, v, "'%s' %s must be true or false, not a %s", key, where, ykind_name(v));
	return false;
}

void get_ref(struct ld *L, struct flow_ref *r, const struct ynode *v, const char *key,
	     const char *where)
{
	free(r->id);
	r->id = get_str(L, v, key, where);
	r->idx = -1;
	set_pos(&r->pos, v);
}

/* Where a value is, for messages: "in node 'x'", "in answer 2 of node 'x'". Every
 * node and item gets one though only a message reads it, so it is put together here
 * rather than by xasprintf, which cost a twentieth of a large flow's load. pre, num (shown
 * when not 0), mid, then 'id'. */
char *where_of(const char *pre, size_t num, const char *mid, const char *id)
{
	char digits[24];
	size_t nd = 0;
	for (size_t v = num; v; v /= 10)
		digits[nd++] = (char)('0' + v % 10);
	size_t lp = strlen(pre), lm = strlen(mid), li = strlen(id);
	char *w = xmalloc(lp + nd + lm + li + 3);
	char *o = w;
	memcpy(o, pre, lp);
	o += lp;
	while (nd)
		*o++ = digits[--nd];
	memcpy(o, mid, lm);
	o += lm;
	*o++ = '\'';
	memcpy(o, id, li);
	o += li;
	*o++ = '\'';
	*o = '\0';
	return w;
}

/* ---- vars ---- */

static const char *const var_keys[] = {"prompt", "default", "validate", "secret", "optional",
				       "why", NULL};
static const char *const validate_names[] = {"hostname", "port", "url", "nonempty", NULL};

static void load_var(struct ld *L, struct flow *f, const struct ynode *k, const struct ynode *v)
{
	struct flow_var *var = &f->vars[f->nvars++];
	var->name = xstrdup(k->s);
	set_pos(&var->pos, k);
	char *where = xasprintf("in variable '%s'", k->s);
	if (!template_name_valid(k->s, strlen(k->s)))
		YERR(L, k, "variable name '%s' is not valid (" TEMPLATE_NAME_RULE ")", k->s);
	const struct ynode *defv = NULL;
	if (v->kind == Y_MAP) {
		FOR_PAIRS(v, p) {
			const char *key = p->key->s;
			if (!strcmp(key, "prompt")) {
				var->prompt = get_text(L, p->val, key, where, TEXT_AT("vars", var->name));
			} else if (!strcmp(key, "default")) {
				var->def = get_str(L, p->val, key, where);
				defv = p->val;
			} else if (!strcmp(key, "why")) {
				var->why = get_text(L, p->val, key, where, TEXT_AT("vars", var->name));
			} else if (!strcmp(key, "secret")) {
				var->secret = get_bool(L, p->val, key, where);
			} else if (!strcmp(key, "optional")) {
				var->optional = get_bool(L, p->val, key, where);
			} else if (!strcmp(key, "validate")) {
				char *s = get_str(L, p->val, key, where);
				if (!s || !strcmp(s, "none"))
					var->validate = VALIDATE_NONE;
				else if (!strcmp(s, "hostname"))
					var->validate = VALIDATE_HOSTNAME;
				else if (!strcmp(s, "port"))
					var->validate = VALIDATE_PORT;
				else if (!strcmp(s, "url"))
					var->validate = VALIDATE_URL;
				else if (!strcmp(s, "nonempty"))
					var->validate = VALIDATE_NONEMPTY;
				else {
					char *sug = suggest_list(s, validate_names);
					YERR(L, p->val, "unknown validate '%s' %s: use hostname, port, "
					     "url or nonempty%s", s, where, sug);
					free(sug);
				}
				free(s);
			} else {
				unknown_key(L, p->key, where, var_keys);
			}
		}
	} else if (!(v->kind == Y_SCALAR && v->null)) {
		YERR(L, v, "variable '%s' must be a mapping (prompt, default, validate, ...), "
		     "not a %s", k->s, ykind_name(v));
	}
	if (!var->prompt)
		var->prompt = xstrdup(var->name);
	/* The one rule for secret names: a variable called "password" or "api_token" is
	 * secret even when the flow does not say so. */
	if (secret_name(var->name))
		var->secret = true;
	/* A default must pass the variable's own validation (an empty one means none). A
	 * URL's is judged by lint (lint_flow_self), which every walk runs first: reading it
	 * takes libcurl's URL parser, and a command that only reads flows (graph, list)
	 * never loads libcurl. */
	if (defv && var->def && *var->def && var->validate != VALIDATE_URL) {
		const char *problem = flow_var_check(var, var->def);
		if (problem && var->secret)
			YERR(L, defv, "default of variable '%s': %s", var->name, problem);
		else if (problem)
			YERR(L, defv, "default '%s' of variable '%s': %s", var->def, var->name,
			     problem);
	}
	free(where);
}

/* ---- signatures ---- */

static const char *const sig_keys[] = {"match", "regex", "title", NULL};

static void load_sig(struct ld *L, struct flow *f, const struct ynode *k, const struct ynode *v)
{
	struct flow_sig *s = &f->sigs[f->nsigs++];
	s->id = xstrdup(k->s);
	set_pos(&s->pos, k);
	char *where = xasprintf("in signature '%s'", k->s);
	if (!*k->s)
		YERR(L, k, "empty signature id");
	else if (!strcmp(k->s, "default"))
		YERR(L, k, "'default' cannot be a signature id (it is the fallback route)");
	const struct ynode *textv = NULL, *regexv = NULL;
	if (v->kind == Y_SCALAR) {
		s->text = v->null ? NULL : xstrdup(v->s);
		textv = v;
	} else if (v->kind == Y_MAP) {
		FOR_PAIRS(v, p) {
			const char *key = p->key->s;
			if (!strcmp(key, "title")) {
				free(s->title);
				s->title = get_text(L, p->val, key, where, TEXT_AT("signatures", s->id));
			} else if (!strcmp(key, "match") || !strcmp(key, "regex")) {
				if (textv || regexv) {
					YERR(L, p->key, "signature '%s' has both 'match' and 'regex'; "
					     "give one", s->id);
					continue;
				}
				s->text = get_str(L, p->val, key, where);
				if (!strcmp(key, "regex"))
					regexv = p->val;
				else
					textv = p->val;
			} else {
				unknown_key(L, p->key, where, sig_keys);
			}
		}
		if (!textv && !regexv)
			YERR(L, k, "signature '%s' needs 'match' or 'regex'", s->id);
	} else {
		YERR(L, v, "signature '%s' must be a string or a mapping (match/regex, title), "
		     "not a %s", s->id, ykind_name(v));
	}
	const struct ynode *at = regexv ? regexv : textv;
	if (at && (!s->text || !*s->text)) {
		YERR(L, at, "signature '%s' is empty (it would match everything)", s->id);
	} else if (regexv && s->text && regex_cost_problem(s->text)) {
		YERR(L, regexv, "regex of signature '%s' %s", s->id, regex_cost_problem(s->text));
	} else if (regexv && s->text) {
		/* no REG_NOSUB: flow_sig_find asks where a match is (matching alone passes
		 * nmatch 0 and costs the same) */
		int rc = regcomp(&s->re, s->text, REG_EXTENDED | REG_ICASE);
		if (rc) {
			char buf[256];
			regerror(rc, &s->re, buf, sizeof(buf));
			YERR(L, regexv, "bad regex in signature '%s': %s", s->id, buf);
		} else {
			s->is_regex = true;
		}
	}
	free(where);
}


/* ---- resolving names to indices ---- */

void flow_resolve(struct flow *f)
{
	/* equal names (lint reports them) resolve to the first, as flow_node_index does */
	struct name_index nodes = {0}, vars = {0};
	name_index_init(&nodes, f->nnodes);
	name_index_init(&vars, f->nvars);
	for (size_t i = 0; i < f->nnodes; i++)
		name_index_add(&nodes, f->nodes[i].id, (int)i);
	for (size_t i = 0; i < f->nvars; i++)
		name_index_add(&vars, f->vars[i].name, (int)i);
#define R(r) ((r).idx = name_index_find(&nodes, (r).id))
	R(f->start);
	for (size_t i = 0; i < f->nnodes; i++) {
		struct flow_node *n = &f->nodes[i];
		R(n->next);
		R(n->fixed);
		R(n->not_fixed);
		R(n->cannot);
		R(n->on_max);
		R(n->def);
		for (size_t j = 0; j < n->nrules; j++)
			R(n->rules[j].next);
		for (size_t j = 0; j < n->nsets; j++)
			n->sets[j].idx = name_index_find(&vars, n->sets[j].name);
		for (size_t j = 0; j < n->nanswers; j++) {
			R(n->answers[j].next);
			for (size_t k = 0; k < n->answers[j].nsets; k++)
				n->answers[j].sets[k].idx =
					name_index_find(&vars, n->answers[j].sets[k].name);
		}
		for (size_t j = 0; j < n->nroutes; j++)
			R(n->routes[j].next);
		for (size_t j = 0; j < n->nvars; j++)
			n->vars[j].idx = name_index_find(&vars, n->vars[j].id);
		/* with: names the callee's variables, which are the flow's own only once
		 * flow_link has brought the callee in */
		for (size_t j = 0; j < n->nwiths; j++)
			n->withs[j].idx = f->nscopes ? name_index_find(&vars, n->withs[j].name) : -1;
	}
#undef R
	name_index_clear(&nodes);
	name_index_clear(&vars);
}

/* ---- top level ---- */

static const char *const top_keys[] = {"id", "title", "version", "description", "start",
				       "vars", "signatures", "nodes", "languages", NULL};

/* The nodes of the "nodes" mapping m, made while it was parsed: those load_node would
 * have made here, with their errors, now (see struct streamed). */
static void take_streamed(struct ld *L, struct flow *f, const struct ynode *m, struct streamed *st)
{
	f->nodes = st->nodes ? st->nodes : xcalloc(1, sizeof(*f->nodes));
	st->nodes = NULL;
	size_t from = 0;
	for (size_t i = 0; i < st->n && i < m->n; i++) {
		bool keep = !m->pairs[i].key->skip;    /* a duplicate id is dropped */
		for (size_t j = from; j < st->dend[i]; j++) {
			if (keep) {
				L->errors++;
				VEC_PUSH(L->d->v, L->d->n, L->d->cap);
				L->d->v[L->d->n++] = st->d.v[j];
			} else {
				free(st->d.v[j].file);
				free(st->d.v[j].msg);
			}
		}
		from = st->dend[i];
		if (keep)
			f->nodes[f->nnodes++] = f->nodes[i];
		else if (st->made[i])
			flow_node_clear(&f->nodes[i]);
	}
	st->n = 0;          /* all taken or freed */
	st->d.n = 0;
}

static void load_top(struct ld *L, struct flow *f, const struct ynode *root, struct streamed *st)
{
	const char *where = "at top level";
	bool nodes_seen = false;
	set_pos(&f->pos, root);
	f->start.idx = -1;
	FOR_PAIRS(root, p) {
		const char *key = p->key->s;
		const struct ynode *v = p->val;
		if (!strcmp(key, "id")) {
			f->id = get_str(L, v, key, where);
			set_pos(&f->id_pos, p->key);
		} else if (!strcmp(key, "title")) {
			f->title = get_text(L, v, key, where, TEXT_AT(NULL, NULL));
			set_pos(&f->title_pos, p->key);
		} else if (!strcmp(key, "version")) {
			f->version = get_str(L, v, key, where);
		} else if (!strcmp(key, "description")) {
			f->description = get_text(L, v, key, where, TEXT_AT(NULL, NULL));
		} else if (!strcmp(key, "languages")) {
			load_languages(L, f, v, p->key);
		} else if (!strcmp(key, "start")) {
			get_ref(L, &f->start, v, key, where);
			set_pos(&f->start_pos, p->key);
		} else if (!strcmp(key, "vars")) {
			if (want_map(L, v, key, where, FLOW_MAX_ITEMS)) {
				f->vars = xcalloc(v->n ? v->n : 1, sizeof(*f->vars));
				FOR_PAIRS(v, q)
					load_var(L, f, q->key, q->val);
			}
		} else if (!strcmp(key, "signatures")) {
			if (want_map(L, v, key, where, FLOW_MAX_ITEMS)) {
				f->sigs = xcalloc(v->n ? v->n : 1, sizeof(*f->sigs));
				FOR_PAIRS(v, q)
					load_sig(L, f, q->key, q->val);
			}
		} else if (!strcmp(key, "nodes")) {
			nodes_seen = true;
			if (!want_map(L, v, key, where, FLOW_MAX_NODES)) {
				/* not a mapping, or too many: reported */
			} else if (v == st->hook.map) {
				take_streamed(L, f, v, st);
			} else {
				f->nodes = xcalloc(v->n ? v->n : 1, sizeof(*f->nodes));
				FOR_PAIRS(v, q)
					load_node(L, &f->nodes[f->nnodes++], q->key, q->val);
			}
		} else {
			unknown_key(L, p->key, where, top_keys);
		}
	}
	if (!f->id)
		YERR(L, root, "missing 'id' at top level (the flow's short name)");
	if (!f->title)
		YERR(L, root, "missing 'title' at top level");
	if (!f->start.id)
		YERR(L, root, "missing 'start' at top level (the id of the first node)");
	if (!nodes_seen)
		YERR(L, root, "missing 'nodes' at top level");
}

/* The tree root (from yamldoc, nodes made in st) into a flow. With is_scenario, a
 * training scenario is recognised (yamldoc_is_scenario): then NULL, *is_scenario true
 * and nothing added to d. held: the loader's errors, not yet in d. */
static struct flow *load_tree(struct ld *L, struct ynode *root, bool fatal, struct streamed *st,
			      struct diags *held, bool *is_scenario, bool from_file)
{
	struct flow *f = NULL;
	if (is_scenario && !fatal && yamldoc_is_scenario(root)) {
		*is_scenario = true;
		diags_clear(held);
		L->errors = 0;
		goto out;
	}
	diags_move(L->d, held);
	if (fatal)
		goto out;
	if (!root) {
		lerr(L, 1, 1, "empty file: a flow is a YAML mapping (id, title, start, nodes)");
		goto out;
	}
	if (root->kind != Y_MAP) {
		YERR(L, root, "the top level must be a mapping (id, title, start, nodes), "
		     "not a %s", ykind_name(root));
		goto out;
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(L->file);
	f->lang = xstrdup(L->lang ? L->lang : LANG_DEFAULT);
	load_top(L, f, root, st);
	if (L->errors) {
		flow_free(f);
		f = NULL;
	} else {
		flow_resolve(f);
		if (from_file)
			load_translations(L, f);
		f->i18n = L->tx;
		L->tx = NULL;
	}
out:
	streamed_clear(st);
	ynode_free(root);
	flow_i18n_free(L->tx);
	return f;
}

/* Load path, or with text a string named path; with is_scenario, a scenario is told from
 * a flow (load_tree). */
struct flow *flow_load_opts(const char *path, const char *text, size_t len,
			    const struct flow_load_opts *o, struct diags *d, bool *is_scenario)
{
	if (is_scenario)
		*is_scenario = false;
	struct ld L = {.file = path ? path : "<input>", .d = d, .lang = o ? o->lang : NULL};
	if (o && o->lint)
		L.tx = xcalloc(1, sizeof(*L.tx));
	struct streamed st;
	streamed_init(&st, &L);
	/* held until it is known whether they are a flow's */
	struct diags held = {0};
	bool fatal = false;
	struct ynode *root = text || !path
		? yamldoc_parse_stream(L.file, text, len, &st.hook, &held, &L.errors, &fatal)
		: yamldoc_load_stream(path, &st.hook, &held, &L.errors, &fatal);
	return load_tree(&L, root, fatal, &st, &held, is_scenario, !text && path);
}

struct flow *flow_load_string(const char *name, const char *text, size_t len, struct diags *d)
{
	return flow_load_opts(name, text ? text : "", len, NULL, d, NULL);
}

struct flow *flow_load_file(const char *path, struct diags *d)
{
	return flow_load_opts(path, NULL, 0, NULL, d, NULL);
}

struct flow *flow_load_file_or_scenario(const char *path, struct diags *d, bool *is_scenario)
{
	return flow_load_opts(path, NULL, 0, NULL, d, is_scenario);
}
