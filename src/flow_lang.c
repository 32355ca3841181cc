/* flow_lang.c — language tags, the walk's language, translation file names (flow_lang.h).
 * Reading texts in languages is the loader's (flow_load_lang.c); judging them lint's. */
#include "src/flow_lang.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

static bool all(const char *s, size_t n, int (*is)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return false;
	return true;
}

static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

bool lang_tag_valid(const char *tag)
{
	if (!tag)
		return false;
	size_t n = strcspn(tag, "-");
	if (n < 2 || n > 3 || !all(tag, n, is_lower))
		return false;
	const char *p = tag + n;
	bool script = false, region = false;
	while (*p == '-') {
		p++;
		size_t m = strcspn(p, "-");
		if (m == 4 && !script && !region && is_upper((unsigned char)p[0]) &&
		    all(p + 1, 3, is_lower))
			script = true;
		else if (!region && ((m == 2 && all(p, 2, is_upper)) || (m == 3 && all(p, 3, is_digit))))
			region = true;
		else
			return false;
		p += m;
	}
	return *p == '\0';
}

char *lang_from_env(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *v = NULL;
	for (size_t i = 0; i < ARRAY_LEN(vars) && !v; i++) {
		const char *e = getenv(vars[i]);
		if (e && *e)
			v = e;
	}
	if (!v)
		return xstrdup(LANG_DEFAULT);
	/* ll[_CC][.charset][@modifier] -> ll[-CC] */
	size_t n = strcspn(v, ".@");
	char *t = xstrndup(v, n);
	char *us = strchr(t, '_');
	if (us)
		*us = '-';
	for (char *c = t; *c && c != us; c++)
		*c = (char)tolower((unsigned char)*c);
	for (char *c = us ? us + 1 : t + strlen(t); *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if (!lang_tag_valid(t)) {
		free(t);
		return xstrdup(LANG_DEFAULT);   /* C, POSIX, or no tag */
	}
	return t;
}

size_t lang_pick(const char *lang, const char *const *tags, size_t n)
{
	if (!lang)
		lang = LANG_DEFAULT;
	size_t prim = strcspn(lang, "-");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tags[i], lang))
			return i;
	for (size_t i = 0; i < n; i++)
		if (strlen(tags[i]) == prim && !strncmp(tags[i], lang, prim))
			return i;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tags[i], LANG_DEFAULT))
			return i;
	return 0;
}

/* The length of path less its ".yaml" or ".yml" (all of it when neither). */
static size_t stem_len(const char *path)
{
	size_t n = strlen(path);
	if (str_ends_with(path, ".yaml"))
		return n - 5;
	if (str_ends_with(path, ".yml"))
		return n - 4;
	return n;
}

char *lang_translation_path(const char *flow_path, const char *tag)
{
	size_t n = stem_len(flow_path);
	return xasprintf("%.*s.%s%s", (int)n, flow_path, tag, flow_path + n);
}

char *lang_translation_flow(const char *path)
{
	size_t n = stem_len(path);
	if (n == strlen(path))
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = NULL;
	for (const char *c = base; c < path + n; c++)
		if (*c == '.')
			dot = c;
	if (!dot || dot == base)
		return NULL;
	char *tag = xstrndup(dot + 1, (size_t)(path + n - dot - 1));
	bool ok = lang_tag_valid(tag);
	free(tag);
	if (!ok)
		return NULL;
	char *flow = xasprintf("%.*s%s", (int)(dot - path), path, path + n);
	if (!path_is_file(flow))
		FREE_NULL(flow);
	return flow;
}

char *lang_site_key(const char *sect, const char *owner, const char *list, int item,
		    const char *field)
{
	/* \x1f: no YAML key a person writes holds it, so two texts never share a key */
	return xasprintf("%s\x1f%s\x1f%s\x1f%d\x1f%s", sect ? sect : "", owner ? owner : "",
			 list ? list : "", item, field);
}

void flow_i18n_free(struct flow_i18n *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nsites; i++) {
		struct flow_text_site *s = &x->sites[i];
		free(s->key);
		free(s->what);
		strv_free(s->tags, s->ntags);
		free(s->tag_pos);
	}
	free(x->sites);
	diags_clear(&x->problems);
	free(x);
}
