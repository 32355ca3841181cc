/* template.c — the ${name} rule (src/template.h), ${var} expansion for check parameters
 * and node text, and masking of secret values in other texts (engine_mask_secrets,
 * engine_mask_result).
 *
 * One left-to-right pass over the template: a value is copied into the output and never
 * looked at again, so a value holding "${x}" stays literal and nothing can recurse or
 * grow without bound (the output is at most the template plus one value per ${...}). */
#include "src/template.h"

#include <stdlib.h>
#include <string.h>

#include "src/engine.h"
#include "src/secret.h"
#include "src/util.h"

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

bool template_name_valid(const char *s, size_t n)
{
	if (!s || n == 0 || n > TEMPLATE_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i], i == 0))
			return false;
	return true;
}

bool template_ref_valid(const char *s, size_t n)
{
	if (!s || n > TEMPLATE_MAX_NAME)
		return false;
	const char *dot = memchr(s, '.', n);
	if (!dot)
		return template_name_valid(s, n);
	size_t label = (size_t)(dot - s);
	return template_name_valid(s, label) && template_name_valid(dot + 1, n - label - 1);
}

/* Can c be in a reference (a name character or the '.' of label.fact)? */
static bool ref_char(char c, bool first)
{
	return name_char(c, first) || (!first && c == '.');
}

/* Does p start a token of its own ("${" or "$${")? */
static bool starts_ref(const char *p)
{
	return p[0] == '$' && (p[1] == '{' || (p[1] == '$' && p[2] == '{'));
}

bool template_next(const char **pp, struct template_token *t)
{
	const char *p = *pp;
	if (!p || !*p)
		return false;
	if (p[0] == '$' && p[1] == '$' && p[2] == '{') {          /* "$${" -> a literal "${" */
		*t = (struct template_token){TEMPLATE_TEXT, p + 1, 2, p, 3};
	} else if (p[0] == '$' && p[1] == '{') {
		/* the reference runs to the first character that cannot be in one (bounded:
		 * stops one past the longest reference) */
		size_t n = 0;
		while (n <= TEMPLATE_MAX_NAME && ref_char(p[2 + n], n == 0))
			n++;
		if (p[2 + n] == '}' && template_ref_valid(p + 2, n))
			*t = (struct template_token){TEMPLATE_VAR, p + 2, n, p, n + 3};
		else
			*t = (struct template_token){TEMPLATE_BAD, p, 2, p, 2};
	} else {
		size_t n = 1;
		while (p[n] && !starts_ref(p + n))
			n++;
		*t = (struct template_token){TEMPLATE_TEXT, p, n, p, n};
	}
	*pp = p + t->rawlen;
	return true;
}

char *engine_expand(const struct engine *e, const char *tmpl, bool reveal)
{
	return engine_expand_in(e, engine_scope(e), tmpl, reveal);
}

char *engine_expand_in(const struct engine *e, int scope, const char *tmpl, bool reveal)
{
	if (!tmpl)
		return NULL;
	const struct flow *f = e ? engine_flow(e) : NULL;
	struct strbuf sb = {0};
	struct template_token t;
	for (const char *p = tmpl; template_next(&p, &t);) {
		int vi = -1;
		char name[TEMPLATE_MAX_NAME + 1];
		if (t.kind == TEMPLATE_VAR && f) {
			memcpy(name, t.text, t.len);
			name[t.len] = '\0';
			vi = flow_var_index_in(f, scope, name);
		}
		if (t.kind == TEMPLATE_TEXT) {
			sb_addn(&sb, t.text, t.len);
		} else if (t.kind == TEMPLATE_VAR && f && memchr(t.text, '.', t.len)) {
			/* a capture's fact (engine_lookup masks secret facts); a value that
			 * holds a secret variable's value is masked unless revealed */
			const char *val = engine_lookup_in(e, scope, name);
			char *shown = val && !reveal ? engine_mask_secrets(e, val) : NULL;
			if (val)
				sb_add(&sb, shown ? shown : val);
			else            /* not captured (yet): left as written */
				sb_addn(&sb, t.raw, t.rawlen);
			free(shown);
		} else if (vi < 0) {
			/* Unknown or malformed: leave it as written (lint reports it). */
			sb_addn(&sb, t.raw, t.rawlen);
		} else if (flow_var_secret(f, vi) && !reveal) {
			sb_add(&sb, SECRET_MASK);
		} else {
			const char *val = engine_lookup_in(e, scope, name);
			sb_add(&sb, val ? val : "");
		}
	}
	return sb_steal(&sb);
}

/* The values of the set secret variables (borrowed), at most nvars of them. */
static size_t secret_values(const struct engine *e, const char **out)
{
	const struct flow *f = engine_flow(e);
	size_t n = 0;
	for (size_t i = 0; i < f->nvars; i++)
		if (flow_var_secret(f, (int)i) && engine_var_is_set(e, f->vars[i].name))
			out[n++] = engine_var(e, f->vars[i].name);
	return n;
}

char *engine_mask_secrets(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *m = NULL;
	if (e) {
		const struct flow *f = engine_flow(e);
		const char **vals = xcalloc(f->nvars ? f->nvars : 1, sizeof(*vals));
		m = secret_mask_values_dup(s, vals, secret_values(e, vals));
		free(vals);
	}
	char *out = secret_mask_urls_dup(m ? m : s);
	free(m);
	return out;
}

void engine_mask_result(const struct engine *e, struct check_result *dst, const struct check_result *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->kind = xstrdup(src->kind);
	dst->outcome = xstrdup(src->outcome);
	dst->target = engine_mask_secrets(e, src->target);
	dst->summary = engine_mask_secrets(e, src->summary);
	dst->command = engine_mask_secrets(e, src->command);
	for (size_t i = 0; i < src->facts.n; i++) {
		if (secret_name(src->facts.v[i].key))
			continue;
		char *v = engine_mask_secrets(e, src->facts.v[i].value ? src->facts.v[i].value : "");
		facts_add(&dst->facts, src->facts.v[i].key, v);
		free(v);
	}
	for (size_t i = 0; i < src->nproblems; i++)
		check_result_add_problem(dst, src->problems[i]);
	dst->elapsed_ms = src->elapsed_ms;
	dst->simulated = src->simulated;
	dst->stale = src->stale;
}
