/* flow_load_lang.c — the loader's part of flows in languages (tshoot-flow(5), LANGUAGES):
 * a text field written as a mapping of language tags, the top-level `languages:`, and a
 * flow's translation files (FLOW.TAG.yaml next to it). For a walk, the text in the
 * language asked for is kept and the rest let go; for lint (L->tx), where each text is
 * and in which languages it is given is kept (struct flow_i18n), and lint judges it. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/flow.h"
#include "src/flow_lang.h"
#include "src/flow_load_int.h"
#include "src/suggest.h"
#include "src/util.h"
#include "src/yamldoc.h"

/* Keep, for lint, text key (a value at v) of at, written inline in the tags of map (NULL
 * for a plain string). */
static void site_add(struct ld *L, const struct ynode *v, const char *key, const char *where,
		     const struct text_at *at, const struct ynode *map)
{
	struct flow_i18n *x = L->tx;
	VEC_PUSH(x->sites, x->nsites, x->cap);
	struct flow_text_site *s = &x->sites[x->nsites++];
	memset(s, 0, sizeof(*s));
	s->key = lang_site_key(at->sect, at->owner, at->list, at->item, key);
	s->what = xasprintf("'%s' %s", key, where);
	set_pos(&s->pos, v);
	if (!map)
		return;
	s->tags = xcalloc(map->n, sizeof(*s->tags));
	s->tag_pos = xcalloc(map->n, sizeof(*s->tag_pos));
	FOR_PAIRS(map, p) {
		s->tags[s->ntags] = xstrdup(p->key->s);
		set_pos(&s->tag_pos[s->ntags++], p->key);
	}
}

char *get_text(struct ld *L, const struct ynode *v, const char *key, const char *where,
	       const struct text_at *at)
{
	if (v->kind != Y_MAP) {
		if (v->kind != Y_SCALAR) {
			YERR(L, v, "'%s' %s must be a string or a mapping of languages to strings, "
			     "not a %s", key, where, ykind_name(v));
			return NULL;
		}
		char *s = get_str(L, v, key, where);
		if (s && L->tx)
			site_add(L, v, key, where, at, NULL);
		return s;
	}
	if (v->n == 0) {
		YERR(L, v, "'%s' %s is an empty mapping: give a text, or one per language "
		     "({en: ..., de: ...})", key, where);
		return NULL;
	}
	const char **tags = xcalloc(v->n, sizeof(*tags));
	const struct ynode **vals = xcalloc(v->n, sizeof(*vals));
	size_t n = 0;
	bool bad = false;
	FOR_PAIRS(v, p) {
		if (!lang_tag_valid(p->key->s)) {
			YERR(L, p->key, "'%s' %s: '%s' is not a language tag (%s)", key, where,
			     p->key->s, LANG_TAG_RULE);
			bad = true;
		} else if (p->val->kind != Y_SCALAR || p->val->null) {
			YERR(L, p->val, "'%s' %s in language '%s' must be a text, not a %s", key,
			     where, p->key->s, ykind_name(p->val));
			bad = true;
		} else {
			tags[n] = p->key->s;
			vals[n++] = p->val;
		}
	}
	char *s = NULL;
	if (!bad && n) {
		s = xstrdup(vals[lang_pick(L->lang, tags, n)]->s);
		if (L->tx)
			site_add(L, v, key, where, at, v);
	}
	free(tags);
	free(vals);
	return s;
}

void load_languages(struct ld *L, struct flow *f, const struct ynode *v, const struct ynode *k)
{
	const char *where = "at top level";
	set_pos(&f->langs_pos, k);
	if (!want_list(L, v, "languages", where, FLOW_MAX_LANGS))
		return;
	f->langs = xcalloc(v->n ? v->n : 1, sizeof(*f->langs));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		if (it->kind != Y_SCALAR || !lang_tag_valid(it->s)) {
			YERR(L, it, "'%s' in 'languages' is not a language tag (%s)",
			     it->kind == Y_SCALAR ? it->s : ykind_name(it), LANG_TAG_RULE);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < f->nlangs; j++)
			dup |= !strcmp(f->langs[j], it->s);
		if (dup)
			YERR(L, it, "language '%s' is declared twice", it->s);
		else
			f->langs[f->nlangs++] = xstrdup(it->s);
	}
}

/* ---- translation files ---- */

/* Reading one translation file: into the flow (li < 0), or for lint (language li). */
struct tr {
	struct flow *f;
	struct flow_i18n *tx;
	const char *path;
	struct diags *d;             /* its problems: warnings for a walk, errors for lint */
	enum diag_sev sev;
	int li;
	struct name_index nodes, sites;
};

static void tr_err(struct tr *T, const struct ynode *y, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tr_err(struct tr *T, const struct ynode *y, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diags_add(T->d, T->sev, T->path, y->line, y->col, "%s", msg);
	free(msg);
}

static void tr_unknown(struct tr *T, const struct ynode *k, const char *where,
		       const char *const *allowed)
{
	char *sug = suggest_list(k->s, allowed);
	tr_err(T, k, "unknown key '%s' %s of a translation file%s", k->s, where, sug);
	free(sug);
}

/* Text v for *slot (the flow's text key of at; what names it in messages). */
static void tr_text(struct tr *T, char **slot, const struct ynode *v, const struct text_at *at,
		    const char *key, const char *what)
{
	if (v->kind != Y_SCALAR || v->null) {
		tr_err(T, v, "%s must be a text, not a %s", what, ykind_name(v));
		return;
	}
	if (T->li < 0) {
		/* only a text the flow has: lint reports the others */
		if (slot && *slot) {
			free(*slot);
			*slot = xstrdup(v->s);
		}
		return;
	}
	char *k = lang_site_key(at->sect, at->owner, at->list, at->item, key);
	int si = name_index_find(&T->sites, k);
	free(k);
	if (si < 0) {
		tr_err(T, v, "%s: the flow has no such text to translate", what);
		return;
	}
	struct flow_text_site *s = &T->tx->sites[si];
	s->in_file |= 1ull << T->li;
	for (size_t i = 0; i < s->ntags; i++)
		if (!strcmp(s->tags[i], T->f->langs[T->li]))
			diags_add(T->d, DIAG_WARNING, T->path, v->line, v->col,
				  "%s in '%s' is given twice, here and at %s:%d:%d (this one is read)",
				  what, s->tags[i], T->f->path, s->tag_pos[i].line, s->tag_pos[i].col);
}

/* The fields a mapping of a translation file may give; its first is what a plain
 * string item gives (an answer's label, a step's text, a check's label). */
static const char *const answer_fields[] = {"label", "why", NULL};
static const char *const step_fields[] = {"text", "why", NULL};
static const char *const check_fields[] = {"label", NULL};

/* The slot of field of item i of list of node n. */
static char **item_slot(struct flow_node *n, const char *list, size_t i, const char *field)
{
	if (!strcmp(list, "answers"))
		return !strcmp(field, "label") ? &n->answers[i].label : &n->answers[i].why;
	if (!strcmp(list, "steps"))
		return !strcmp(field, "text") ? &n->steps[i].text : &n->steps[i].why;
	return &n->checks[i].label;
}

/* answers:, steps: or run: of node n: a list, item by item in the flow's order. */
static void tr_list(struct tr *T, struct flow_node *n, const char *list, const struct ynode *v)
{
	if (v->kind != Y_SEQ) {
		tr_err(T, v, "'%s' of node '%s' must be a list, not a %s", list, n->id, ykind_name(v));
		return;
	}
	const char *const *fields = !strcmp(list, "answers") ? answer_fields
				  : !strcmp(list, "steps") ? step_fields : check_fields;
	size_t count = !strcmp(list, "answers") ? n->nanswers
		     : !strcmp(list, "steps") ? n->nsteps : n->nchecks;
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		if (i >= count) {
			tr_err(T, it, "node '%s' has %zu item%s in '%s', not %zu", n->id, count,
			       count == 1 ? "" : "s", list, (size_t)v->n);
			return;
		}
		const struct text_at *at = TEXT_AT_ITEM(n->id, list, i);
		char *what = xasprintf("item %zu of '%s' of node '%s'", i + 1, list, n->id);
		if (it->kind == Y_SCALAR && it->null) {
			/* ~: this one is not translated here */
		} else if (it->kind == Y_SCALAR) {
			tr_text(T, item_slot(n, list, i, fields[0]), it, at, fields[0], what);
		} else if (it->kind == Y_MAP) {
			FOR_PAIRS(it, p) {
				if (!in_list(p->key->s, fields)) {
					tr_unknown(T, p->key, "in a list item", fields);
					continue;
				}
				char *w2 = xasprintf("'%s' of %s", p->key->s, what);
				tr_text(T, item_slot(n, list, i, p->key->s), p->val, at, p->key->s, w2);
				free(w2);
			}
		} else {
			tr_err(T, it, "%s must be a text or a mapping, not a %s", what, ykind_name(it));
		}
		free(what);
	}
}

static const char *const node_fields[] = {"title", "text", "why", "ask", "answers", "steps",
					  "run", NULL};

static void tr_node(struct tr *T, const struct ynode *k, const struct ynode *v)
{
	struct flow *f = T->f;
	int ni = name_index_find(&T->nodes, k->s);
	if (ni < 0) {
		struct suggest s = suggest_start(k->s);
		for (size_t i = 0; i < f->nnodes; i++)
			suggest_consider(&s, f->nodes[i].id);
		char *sug = suggest_text(&s);
		tr_err(T, k, "the flow has no node '%s'%s", k->s, sug);
		free(sug);
		return;
	}
	struct flow_node *n = &f->nodes[ni];
	if (v->kind != Y_MAP) {
		tr_err(T, v, "node '%s' must be a mapping (title, text, why, ...), not a %s", n->id,
		       ykind_name(v));
		return;
	}
	FOR_PAIRS(v, p) {
		const char *key = p->key->s;
		if (!in_list(key, node_fields)) {
			tr_unknown(T, p->key, "in a node", node_fields);
		} else if (!strcmp(key, "answers") || !strcmp(key, "steps") || !strcmp(key, "run")) {
			tr_list(T, n, key, p->val);
		} else {
			char **slot = !strcmp(key, "title") ? &n->title : !strcmp(key, "text") ? &n->text
				    : !strcmp(key, "why") ? &n->why : &n->ask;
			char *what = xasprintf("'%s' of node '%s'", key, n->id);
			tr_text(T, slot, p->val, TEXT_AT("nodes", n->id), key, what);
			free(what);
		}
	}
}

static const char *const var_fields[] = {"prompt", "why", NULL};

static void tr_var(struct tr *T, const struct ynode *k, const struct ynode *v)
{
	int vi = flow_var_index(T->f, k->s);
	if (vi < 0) {
		tr_err(T, k, "the flow has no variable '%s'", k->s);
		return;
	}
	struct flow_var *var = &T->f->vars[vi];
	if (v->kind != Y_MAP) {
		tr_err(T, v, "variable '%s' must be a mapping (prompt, why), not a %s", k->s,
		       ykind_name(v));
		return;
	}
	FOR_PAIRS(v, p) {
		if (!in_list(p->key->s, var_fields)) {
			tr_unknown(T, p->key, "in a variable", var_fields);
			continue;
		}
		char *what = xasprintf("'%s' of variable '%s'", p->key->s, var->name);
		tr_text(T, !strcmp(p->key->s, "prompt") ? &var->prompt : &var->why, p->val,
			TEXT_AT("vars", var->name), p->key->s, what);
		free(what);
	}
}

static void tr_sig(struct tr *T, const struct ynode *k, const struct ynode *v)
{
	struct flow_sig *sig = NULL;
	for (size_t i = 0; i < T->f->nsigs && !sig; i++)
		if (!strcmp(T->f->sigs[i].id, k->s))
			sig = &T->f->sigs[i];
	if (!sig) {
		tr_err(T, k, "the flow has no signature '%s'", k->s);
		return;
	}
	char *what = xasprintf("'title' of signature '%s'", sig->id);
	const struct ynode *t = v;
	if (v->kind == Y_MAP) {
		t = NULL;
		static const char *const keys[] = {"title", NULL};
		FOR_PAIRS(v, p) {
			if (strcmp(p->key->s, "title"))
				tr_unknown(T, p->key, "in a signature", keys);
			else
				t = p->val;
		}
	}
	if (t)
		tr_text(T, &sig->title, t, TEXT_AT("signatures", sig->id), "title", what);
	free(what);
}

static const char *const tr_top_keys[] = {"title", "description", "vars", "signatures",
					  "nodes", NULL};

static void tr_root(struct tr *T, const struct ynode *root)
{
	if (root->kind != Y_MAP) {
		tr_err(T, root, "a translation file is a mapping (title, description, vars, "
		       "signatures, nodes), not a %s", ykind_name(root));
		return;
	}
	FOR_PAIRS(root, p) {
		const char *key = p->key->s;
		const struct ynode *v = p->val;
		if (!strcmp(key, "title") || !strcmp(key, "description")) {
			char *what = xasprintf("'%s'", key);
			tr_text(T, !strcmp(key, "title") ? &T->f->title : &T->f->description, v,
				TEXT_AT(NULL, NULL), key, what);
			free(what);
		} else if (!in_list(key, tr_top_keys)) {
			tr_unknown(T, p->key, "at top level", tr_top_keys);
		} else if (v->kind == Y_SCALAR && v->null) {
			/* nothing given */
		} else if (v->kind != Y_MAP) {
			tr_err(T, v, "'%s' must be a mapping, not a %s", key, ykind_name(v));
		} else {
			void (*each)(struct tr *, const struct ynode *, const struct ynode *) =
				!strcmp(key, "vars") ? tr_var : !strcmp(key, "signatures") ? tr_sig
				: tr_node;
			FOR_PAIRS(v, q)
				each(T, q->key, q->val);
		}
	}
}

/* Read translation file path into f (li < 0) or for lint of language li. */
static void tr_file(struct ld *L, struct flow *f, const char *path, int li)
{
	struct tr T = {.f = f, .tx = L->tx, .path = path, .li = li,
		       .d = li < 0 ? L->d : &L->tx->problems,
		       .sev = li < 0 ? DIAG_WARNING : DIAG_ERROR};
	struct diags yd = {0};
	struct ynode *root = yamldoc_load(path, &yd, NULL);
	for (size_t i = 0; i < yd.n; i++)
		diags_add(T.d, T.sev, yd.v[i].file, yd.v[i].line, yd.v[i].col, "%s", yd.v[i].msg);
	diags_clear(&yd);
	if (root) {
		name_index_init(&T.nodes, f->nnodes);
		for (size_t i = 0; i < f->nnodes; i++)
			name_index_add(&T.nodes, f->nodes[i].id, (int)i);
		if (li >= 0) {
			name_index_init(&T.sites, L->tx->nsites);
			for (size_t i = 0; i < L->tx->nsites; i++)
				name_index_add(&T.sites, L->tx->sites[i].key, (int)i);
		}
		tr_root(&T, root);
		name_index_clear(&T.nodes);
		if (li >= 0)
			name_index_clear(&T.sites);
	}
	ynode_free(root);
}

void load_translations(struct ld *L, struct flow *f)
{
	if (L->tx) {
		for (size_t i = 0; i < f->nlangs; i++) {
			char *path = lang_translation_path(f->path, f->langs[i]);
			L->tx->file_found[i] = path_is_file(path);
			if (L->tx->file_found[i])
				tr_file(L, f, path, (int)i);
			free(path);
		}
		return;
	}
	/* the language's own file, else its primary language's (de for de-CH) */
	const char *lang = L->lang ? L->lang : LANG_DEFAULT;
	char *path = lang_translation_path(f->path, lang);
	if (!path_is_file(path) && strchr(lang, '-')) {
		char *prim = xstrndup(lang, strcspn(lang, "-"));
		free(path);
		path = lang_translation_path(f->path, prim);
		free(prim);
	}
	if (path_is_file(path))
		tr_file(L, f, path, -1);
	free(path);
}

bool is_text_map(const struct ynode *v)
{
	if (v->kind != Y_MAP || !v->n)
		return false;
	FOR_PAIRS(v, p)
		if (!strcmp(p->key->s, "text") || !strcmp(p->key->s, "why"))
			return false;
	return true;
}
