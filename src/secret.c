/* secret.c — the rule for secret names, and masking of values and URL passwords. */
#include "src/secret.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/util.h"

bool secret_name(const char *name)
{
	static const char *const words[] = {"password", "passwd", "secret", "token"};
	if (!name)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (strcasestr(name, words[i]))
			return true;
	return false;
}

/* v percent-encoded: every byte but the unreserved ones (RFC 3986) as %XX. */
static char *pct_encode_dup(const char *v)
{
	struct strbuf sb = {0};
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p))
			sb_addc(&sb, (char)*p);
		else
			sb_printf(&sb, "%%%02X", *p);
	}
	return sb_steal(&sb);
}

/* Mark in hit[] every byte of s covered by an occurrence of v. */
static void mark(const char *s, bool *hit, const char *v)
{
	size_t vl = strlen(v);
	if (!vl)
		return;
	for (const char *p = s; (p = strstr(p, v)); p++)
		memset(hit + (p - s), 1, vl);
}

/* s with each run of marked bytes replaced by one SECRET_MASK. */
static char *replace_marked(const char *s, const bool *hit, size_t len)
{
	struct strbuf sb = {0};
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && hit[j] == hit[i])
			j++;
		if (hit[i])
			sb_add(&sb, SECRET_MASK);
		else
			sb_addn(&sb, s + i, j - i);
		i = j;
	}
	return sb_steal(&sb);
}

char *secret_mask_values_dup(const char *s, const char *const *values, size_t n)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	bool *hit = xcalloc(len + 1, sizeof(*hit));
	for (size_t i = 0; i < n; i++) {
		if (!values[i] || !*values[i])
			continue;
		char *enc = pct_encode_dup(values[i]);
		char *clean = str_clean_dup(values[i]);
		mark(s, hit, values[i]);
		mark(s, hit, enc);
		mark(s, hit, clean);
		free(enc);
		free(clean);
	}
	char *out = replace_marked(s, hit, len);
	free(hit);
	return out;
}

/* Where the authority of a URL starts: after "scheme://" when the URL starts with a
 * scheme, else at the start (a proxy written without one). */
static const char *authority(const char *url)
{
	const char *p = url;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p > url && str_starts(p, "://") ? p + 3 : url;
}

/* The password between the first ':' and the '@' at `at` of a userinfo starting at a. */
static bool password_span(const char *a, const char *at, const char **pw, size_t *len)
{
	if (!at)
		return false;
	const char *colon = memchr(a, ':', (size_t)(at - a));
	if (!colon || at == colon + 1)
		return false;
	*pw = colon + 1;
	*len = (size_t)(at - *pw);
	return true;
}

bool secret_url_password(const char *url, size_t *off, size_t *len)
{
	if (!url)
		return false;
	const char *a = authority(url), *pw;
	if (!password_span(a, strrchr(a, '@'), &pw, len))
		return false;
	*off = (size_t)(pw - url);
	return true;
}

char *secret_mask_url_dup(const char *url)
{
	size_t off, len;
	if (!secret_url_password(url, &off, &len))
		return xstrdup(url);
	return xasprintf("%.*s%s%s", (int)off, url, SECRET_MASK, url + off + len);
}

char *secret_mask_urls_dup(const char *s)
{
	if (!s)
		return NULL;
	struct strbuf sb = {0};
	const char *p = s, *sep;
	while ((sep = strstr(p, "://"))) {
		const char *a = sep + 3, *pw;
		size_t alen = strcspn(a, "/?#\\ \t\r\n\"'<>`"), len;
		const char *at = memrchr(a, '@', alen);
		if (password_span(a, at, &pw, &len)) {
			sb_addn(&sb, p, (size_t)(pw - p));
			sb_add(&sb, SECRET_MASK);
			p = at;
		} else {
			sb_addn(&sb, p, (size_t)(a - p));
			p = a;
		}
	}
	sb_add(&sb, p);
	return sb_steal(&sb);
}
