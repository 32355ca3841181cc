/* template.c — ${var} expansion for check parameters and node text, and masking of
 * secret values in other texts (engine_mask_secrets).
 *
 * One left-to-right pass over the template: a value is copied into the output and never
 * looked at again, so a value holding "${x}" stays literal and nothing can recurse or
 * grow without bound (the output is at most the template plus one value per ${...}). */
#include "src/engine.h"

#include <stdlib.h>
#include <string.h>

#include "src/util.h"

#define TEMPLATE_MASK      "********"
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
			sb_add(&sb, TEMPLATE_MASK);
		} else {
			const char *val = engine_var(e, name);
			sb_add(&sb, val ? val : "");
		}
		p += 2 + n + 1;
	}
	return sb_steal(&sb);
}

char *engine_mask_secrets(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *cur = xstrdup(s);
	if (!e)
		return cur;
	const struct flow *f = engine_flow(e);
	for (size_t i = 0; i < f->nvars; i++) {
		if (!f->vars[i].secret || !engine_var_is_set(e, f->vars[i].name))
			continue;
		const char *v = engine_var(e, f->vars[i].name);
		if (!v || strlen(v) < 3)
			continue;
		struct strbuf sb = {0};
		const char *p = cur, *hit;
		size_t vl = strlen(v);
		while ((hit = strstr(p, v))) {
			sb_addn(&sb, p, (size_t)(hit - p));
			sb_add(&sb, TEMPLATE_MASK);
			p = hit + vl;
		}
		sb_add(&sb, p);
		free(cur);
		cur = sb_steal(&sb);
	}
	return cur;
}
