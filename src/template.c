/* template.c — ${var} expansion for check parameters and node text, and masking of
 * secret values in other texts (engine_mask_secrets, engine_mask_result).
 *
 * One left-to-right pass over the template: a value is copied into the output and never
 * looked at again, so a value holding "${x}" stays literal and nothing can recurse or
 * grow without bound (the output is at most the template plus one value per ${...}). */
#include "src/engine.h"

#include <stdlib.h>
#include <string.h>

#include "src/secret.h"
#include "src/util.h"

#define TEMPLATE_MAX_NAME  128

/* Variable names as the loader accepts them: letters, digits and '_', not starting
 * with a digit. */
static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Length of a variable name starting at s and closed by '}', or 0 when s does not
 * start a well-formed name. */
static size_t name_len(const char *s)
{
	size_t n = 0;
	while (n <= TEMPLATE_MAX_NAME && name_char(s[n], n == 0))
		n++;
	if (n == 0 || n > TEMPLATE_MAX_NAME || s[n] != '}')
		return 0;
	return n;
}

char *engine_expand(const struct engine *e, const char *tmpl, bool reveal)
{
	if (!tmpl)
		return NULL;
	const struct flow *f = e ? engine_flow(e) : NULL;
	struct strbuf sb = {0};
	const char *p = tmpl;
	while (*p) {
		const char *dollar = strchr(p, '$');
		if (!dollar) {
			sb_add(&sb, p);
			break;
		}
		sb_addn(&sb, p, (size_t)(dollar - p));
		p = dollar;
		if (p[1] == '$' && p[2] == '{') {          /* "$${" -> a literal "${" */
			sb_add(&sb, "${");
			p += 3;
			continue;
		}
		if (p[1] != '{') {
			sb_addc(&sb, '$');
			p++;
			continue;
		}
		size_t n = name_len(p + 2);
		char name[TEMPLATE_MAX_NAME + 1];
		int vi = -1;
		if (n && f) {
			memcpy(name, p + 2, n);
			name[n] = '\0';
			vi = flow_var_index(f, name);
		}
		if (vi < 0) {
			/* Unknown or malformed: leave it as written (lint reports it). */
			sb_addn(&sb, "${", 2);
			p += 2;
			continue;
		}
		const struct flow_var *v = &f->vars[vi];
		if (v->secret && !reveal) {
			sb_add(&sb, SECRET_MASK);
		} else {
			const char *val = engine_var(e, name);
			sb_add(&sb, val ? val : "");
		}
		p += 2 + n + 1;
	}
	return sb_steal(&sb);
}

/* The values of the set secret variables (borrowed), at most nvars of them. */
static size_t secret_values(const struct engine *e, const char **out)
{
	const struct flow *f = engine_flow(e);
	size_t n = 0;
	for (size_t i = 0; i < f->nvars; i++)
		if (f->vars[i].secret && engine_var_is_set(e, f->vars[i].name))
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
