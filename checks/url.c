/* url.c — URLs through libcurl's URL API, shared by the http, proxy and tls checks. */
#include "checks/url.h"

#include <stdlib.h>
#include <string.h>

#include "src/secret.h"
#include "src/util.h"

#define URL_PROXY_DEFAULT_PORT "1080"   /* libcurl's, for a proxy URL without one */

char *url_proxy_dup(const char *proxy)
{
	if (!proxy)
		return NULL;
	if (strstr(proxy, "://"))
		return xstrdup(proxy);
	return xasprintf("http://%s", proxy);
}

char *url_display_dup(const char *url)
{
	CURLU *u = curl_url();
	char *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		char *s = NULL;
		if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
			out = str_clean_dup(s);
			curl_free(s);
		}
	}
	curl_url_cleanup(u);
	if (!out) {
		/* unparsable: the one masking rule (it takes the last '@', so no part of a
		 * password with an '@' in it shows) */
		char *m = secret_mask_url_dup(url);
		out = str_clean_dup(m);
		free(m);
	}
	return out;
}

/* One part of a parsed handle, or NULL. */
static char *part_of(CURLU *u, CURLUPart part, unsigned flags)
{
	char *s = NULL, *out = NULL;
	if (curl_url_get(u, part, &s, flags) == CURLUE_OK && s) {
		out = xstrdup(s);
		explicit_bzero(s, strlen(s));     /* it may be a password */
		curl_free(s);
	}
	return out;
}

char *url_part_dup(const char *url, CURLUPart part, unsigned flags)
{
	CURLU *u = curl_url();
	char *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
		out = part_of(u, part, flags);
	curl_url_cleanup(u);
	return out;
}

void url_proxy_free(struct url_proxy *p)
{
	if (p->password)
		explicit_bzero(p->password, strlen(p->password));
	FREE_NULL(p->scheme);
	FREE_NULL(p->host);
	FREE_NULL(p->port);
	FREE_NULL(p->user);
	FREE_NULL(p->password);
}

const char *url_proxy_parse(const char *proxy, struct url_proxy *out)
{
	memset(out, 0, sizeof(*out));
	char *url = url_proxy_dup(proxy);
	CURLU *u = curl_url();
	const char *problem = NULL;
	if (!u) {
		problem = "out of memory";
	} else if (!url || curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		problem = "malformed proxy URL";
	} else {
		char *path = part_of(u, CURLUPART_PATH, 0);
		char *query = part_of(u, CURLUPART_QUERY, 0);
		char *fragment = part_of(u, CURLUPART_FRAGMENT, 0);
		if ((path && !str_eq(path, "/")) || query || fragment)
			problem = "a proxy URL has no path";
		free(path);
		free(query);
		free(fragment);
		out->scheme = part_of(u, CURLUPART_SCHEME, 0);
		out->host = part_of(u, CURLUPART_HOST, 0);
		if (!problem && (!out->host || !*out->host))
			problem = "malformed proxy URL";
	}
	if (!problem) {
		size_t n = strlen(out->host);
		if (out->host[0] == '[' && out->host[n - 1] == ']') {   /* an IPv6 literal */
			char *bare = xstrndup(out->host + 1, n - 2);
			free(out->host);
			out->host = bare;
		}
		out->port = part_of(u, CURLUPART_PORT, 0);
		if (!out->port)
			out->port = xstrdup(URL_PROXY_DEFAULT_PORT);
		/* decoded, as libcurl decodes a proxy URL's credentials */
		out->user = part_of(u, CURLUPART_USER, CURLU_URLDECODE);
		out->password = part_of(u, CURLUPART_PASSWORD, CURLU_URLDECODE);
	}
	curl_url_cleanup(u);
	if (url) {
		explicit_bzero(url, strlen(url));
		free(url);
	}
	if (problem)
		url_proxy_free(out);
	return problem;
}
