/* http.c — the http check: one GET with libcurl, classified from libcurl's own
 * information (CURLcode, response and CONNECT codes, errno, TLS verify result).
 *
 * Each check has its own easy handle, driven by a multi handle in a loop that waits at
 * most 100 ms, so the cancel flag is seen promptly. The body is read up to a cap and
 * then the transfer is stopped: the status and headers are the answer. */
#include "checks/check.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/curl_dl.h"
#include "checks/http_internal.h"
#include "checks/net.h"
#include "src/util.h"

#define BODY_CAP (64 * 1024)
#define DEFAULT_TIMEOUT_MS 10000L

/* OpenSSL verify results libcurl hands back (CURLINFO_SSL_VERIFYRESULT); the numbers
 * are X509_V_ERR_* and stable across OpenSSL versions. */
enum {
	V_NOT_YET_VALID = 9,
	V_HAS_EXPIRED = 10,
	V_HOSTNAME_MISMATCH = 62,
	V_IP_MISMATCH = 64,
};

struct http_ctx {
	size_t body;
	bool capped;
	bool headers_done;    /* the blank line ending the last response's headers came */
	/* headers of the last response seen (reset at each status line) */
	struct facts hdr;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct http_ctx *c = userdata;
	(void)ptr;
	c->body += size * nmemb;
	if (c->body > BODY_CAP) {
		c->capped = true;
		return 0;            /* stop: we have what we came for */
	}
	return size * nmemb;
}

static size_t on_header(char *buf, size_t size, size_t nmemb, void *userdata)
{
	struct http_ctx *c = userdata;
	size_t n = size * nmemb;
	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		facts_free(&c->hdr);      /* a new response begins */
		c->headers_done = false;
		return n;
	}
	if ((n == 2 && buf[0] == '\r' && buf[1] == '\n') || (n == 1 && buf[0] == '\n')) {
		c->headers_done = true;
		return n;
	}
	const char *colon = memchr(buf, ':', n);
	if (!colon || c->hdr.n > 200)
		return n;
	char *name = xstrndup(buf, (size_t)(colon - buf));
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *v = colon + 1, *end = buf + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	char *value = xstrndup(v, (size_t)(end - v));
	facts_add(&c->hdr, name, value);
	free(name);
	free(value);
	return n;
}

/* ---- small helpers ------------------------------------------------------------- */

long http_timeout_ms(const struct check_request *req, struct check_result *res)
{
	long ms = net_timeout_ms(req, DEFAULT_TIMEOUT_MS);
	if (ms < 0)
		check_result_set(res, "error", "timeout must be a number of seconds (0.001 to 3600), not '%s'",
				 check_request_param(req, "timeout"));
	return ms;
}

char *http_proxy_url_dup(const char *proxy)
{
	if (!proxy)
		return NULL;
	if (strstr(proxy, "://"))
		return xstrdup(proxy);
	return xasprintf("http://%s", proxy);
}

/* Parse one expect item: "200", "200-299", "2xx". */
static bool expect_item(const char *s, size_t n, long *lo, long *hi)
{
	char buf[16];
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (n == 3 && buf[0] >= '1' && buf[0] <= '5' && (buf[1] == 'x' || buf[1] == 'X') &&
	    (buf[2] == 'x' || buf[2] == 'X')) {
		*lo = (buf[0] - '0') * 100;
		*hi = *lo + 99;
		return true;
	}
	char *dash = strchr(buf, '-');
	if (dash) {
		*dash = '\0';
		return parse_long(buf, 100, 599, lo) && parse_long(dash + 1, 100, 599, hi) && *lo <= *hi;
	}
	if (!parse_long(buf, 100, 599, lo))
		return false;
	*hi = *lo;
	return true;
}

const char *http_expect_problem(const char *expect)
{
	if (!expect)
		return NULL;
	if (!*expect)
		return "expect is empty (give codes such as 200,401 or 200-299)";
	const char *p = expect;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		long lo, hi;
		if (!expect_item(p, n, &lo, &hi))
			return "expect must list HTTP codes 100-599 such as 200,401 or 200-299";
		if (!comma)
			return NULL;
		p = comma + 1;
	}
}

static bool expect_has(const char *expect, long code)
{
	if (!expect)
		return code >= 200 && code <= 399;
	const char *p = expect;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		long lo, hi;
		if (expect_item(p, n, &lo, &hi) && code >= lo && code <= hi)
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

/* URL without user:password, for showing. Caller frees. */
static char *url_display_dup(const char *url)
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
		/* unparsable: keep only what follows any '@' of the authority */
		const char *at = strchr(url, '@');
		out = str_clean_dup(at ? at + 1 : url);
	}
	return out;
}

static char *url_part_dup(const char *url, CURLUPart part)
{
	CURLU *u = curl_url();
	char *out = NULL, *s = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, part, &s, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		out = xstrdup(s);
		curl_free(s);
	}
	curl_url_cleanup(u);
	return out;
}

/* Does no_proxy exempt host? Close to curl's rule: "*", exact, or a domain suffix. */
static bool no_proxy_matches(const char *no_proxy, const char *host)
{
	if (!no_proxy || !host)
		return false;
	size_t hl = strlen(host);
	const char *p = no_proxy;
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		size_t n = (size_t)(e - p);
		if (n == 1 && *p == '*')
			return true;
		if (n && *p == '.')
			p++, n--;
		if (n && n <= hl && strncasecmp(host + hl - n, p, n) == 0 &&
		    (n == hl || host[hl - n - 1] == '.'))
			return true;
		p = e;
	}
	return false;
}

/* The proxy libcurl will take from the environment for url, or NULL. Borrowed. */
static const char *env_proxy_for(const char *url, const char **var)
{
	char *scheme = url_part_dup(url, CURLUPART_SCHEME);
	char *host = url_part_dup(url, CURLUPART_HOST);
	const char *names_http[] = {"http_proxy", "all_proxy", "ALL_PROXY", NULL};
	const char *names_https[] = {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL};
	const char **names = str_eq(scheme, "https") ? names_https : names_http;
	const char *found = NULL;
	for (size_t i = 0; names[i] && !found; i++) {
		const char *v = getenv(names[i]);
		if (v && *v) {
			found = v;
			*var = names[i];
		}
	}
	if (found) {
		const char *np = getenv("no_proxy");
		if (!np || !*np)
			np = getenv("NO_PROXY");
		if (no_proxy_matches(np, host))
			found = NULL;
	}
	free(scheme);
	free(host);
	return found;
}

static char *command_for(const struct http_opts *o, const char *proxy_shown, const char *url_shown)
{
	struct strbuf sb = {0};
	sb_add(&sb, "curl -sS -o /dev/null -w '%{http_code}\\n'");
	sb_printf(&sb, " --max-time %ld", (o->timeout_ms + 999) / 1000);
	if (proxy_shown) {
		sb_add(&sb, " --proxy ");
		sb_shell_quote(&sb, proxy_shown);
	}
	if (o->proxy_user && *o->proxy_user) {
		/* -U USER with no password: curl asks for it; the password is never written */
		sb_add(&sb, " --proxy-anyauth -U ");
		sb_shell_quote(&sb, o->proxy_user);
	}
	if (o->cacert) {
		sb_add(&sb, " --cacert ");
		sb_shell_quote(&sb, o->cacert);
	}
	if (o->follow)
		sb_add(&sb, " -L");
	sb_addc(&sb, ' ');
	sb_shell_quote(&sb, url_shown);
	return sb_steal(&sb);
}

/* Each scheme offered in a WWW-/Proxy-Authenticate value: "Negotiate", "NTLM", "Basic". */
static void add_schemes(struct facts *f, const char *key, const char *value)
{
	const char *p = value;
	while (*p) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = p;
		while (t < e && *t != ' ' && *t != '=')
			t++;
		/* a scheme is the first token of a piece; pieces with '=' right after the
		 * first token are auth-params of the previous challenge */
		if (t > p && (t == e || *t == ' ')) {
			char *scheme = xstrndup(p, (size_t)(t - p));
			bool dup = false;
			for (size_t i = 0; i < f->n; i++)
				if (str_eq(f->v[i].key, key) && strcasecmp(f->v[i].value, scheme) == 0)
					dup = true;
			if (!dup)
				facts_add(f, key, scheme);
			free(scheme);
		}
		p = e;
	}
}

static void add_timing(struct facts *f, CURL *h, const char *key, CURLINFO info, curl_off_t minus)
{
	curl_off_t us = 0;
	if (curl_easy_getinfo(h, info, &us) == CURLE_OK && us > 0 && us >= minus)
		facts_addf(f, key, "%ld", (long)((us - minus + 500) / 1000));
}

/* Was this 5xx made by the proxy rather than relayed from the origin? Squid marks its
 * own error pages with X-Squid-Error; RFC 9209 proxies with Proxy-Status error=...;
 * a 502 or 504 through a proxy is a gateway error by definition. */
static bool proxy_made(const struct http_ctx *c, long code)
{
	if (facts_get0(&c->hdr, "x-squid-error"))
		return true;
	const char *ps = facts_get0(&c->hdr, "proxy-status");
	if (ps && strstr(ps, "error="))
		return true;
	return code == 502 || code == 504;
}

/* CURLE_TOO_LARGE (libcurl 8.6 and later) is newer than the headers we may build with. */
#define HTTP_CURLE_TOO_LARGE 100

/* Did libcurl give up on the response headers because they were too large? It says so
 * three ways: one header over CURL_MAX_HTTP_HEADER (100 KB) is CURLE_TOO_LARGE since
 * 8.6 and an allocation failure (CURLE_OUT_OF_MEMORY) before; all headers over 300 KB
 * is CURLE_RECV_ERROR with "Too large response headers" (8.3, and backports). */
static bool headers_too_large(CURLcode cc, const char *errbuf, bool headers_done)
{
	if (headers_done)
		return false;
	if ((int)cc == HTTP_CURLE_TOO_LARGE || cc == CURLE_OUT_OF_MEMORY)
		return true;
	return cc == CURLE_RECV_ERROR && strcasestr(errbuf, "too large") && strcasestr(errbuf, "header");
}

static const char *verify_outcome(long vr, const char *errbuf)
{
	/* libcurl checks the name itself after OpenSSL verified the chain */
	if (strstr(errbuf, "subject name") || strstr(errbuf, "does not match"))
		return "tls_name_mismatch";
	switch (vr) {
	case V_HAS_EXPIRED:
		return "tls_expired";
	case V_NOT_YET_VALID:
		return "tls_not_yet_valid";
	case V_HOSTNAME_MISMATCH:
	case V_IP_MISMATCH:
		return "tls_name_mismatch";
	default:
		return "tls_untrusted";
	}
}

/* ---- the shared run ------------------------------------------------------------ */

int http_run(const struct http_opts *o, struct check_result *res)
{
	if (http_need_curl(res))
		return -1;
	char *url_shown = url_display_dup(o->url);
	char *proxy_url = http_proxy_url_dup(o->proxy);
	const char *env_var = NULL;
	const char *env_proxy = proxy_url ? NULL : env_proxy_for(o->url, &env_var);
	char *proxy_shown = proxy_url ? url_display_dup(proxy_url) :
			   env_proxy ? url_display_dup(env_proxy) : NULL;
	char *scheme = url_part_dup(o->url, CURLUPART_SCHEME);
	bool tunnel = str_eq(scheme, "https");
	bool explicit_proxy = proxy_url != NULL;
	bool via_proxy = proxy_shown != NULL;
	int rc = 0;

	free(res->target);
	res->target = xstrdup(o->proxy_check && proxy_shown ? proxy_shown : url_shown);
	free(res->command);
	res->command = command_for(o, proxy_url ? proxy_shown : NULL, url_shown);

	CURL *h = curl_easy_init();
	CURLM *m = curl_multi_init();
	if (!h || !m) {
		check_result_set(res, "error", "cannot start libcurl");
		rc = -1;
		goto out_nocurl;
	}
	struct http_ctx ctx = {0};
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, o->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tshoot/" TSHOOT_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ctx);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &ctx);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, o->follow ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (o->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
	if (proxy_url)
		curl_easy_setopt(h, CURLOPT_PROXY, proxy_url);
	if (o->proxy_user && *o->proxy_user) {
		curl_easy_setopt(h, CURLOPT_PROXYUSERNAME, o->proxy_user);
		curl_easy_setopt(h, CURLOPT_PROXYPASSWORD, o->proxy_password ? o->proxy_password : "");
		curl_easy_setopt(h, CURLOPT_PROXYAUTH, (long)CURLAUTH_ANY);
	}
	curl_multi_add_handle(m, h);

	bool cancelled = false;
	int running = 1;
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (!running)
			break;
		if (o->cancel && atomic_load(o->cancel)) {
			cancelled = true;
			break;
		}
		curl_multi_poll(m, NULL, 0, 100, NULL);
		if (o->cancel && atomic_load(o->cancel)) {
			cancelled = true;
			break;
		}
	}
	CURLcode cc = CURLE_OK;
	int left;
	CURLMsg *msg;
	while ((msg = curl_multi_info_read(m, &left)))
		if (msg->msg == CURLMSG_DONE)
			cc = msg->data.result;

	long code = 0, connectcode = 0, oserr = 0, verify = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connectcode);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
	curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &verify);

	/* facts */
	struct facts *f = &res->facts;
	if (code > 0)
		facts_addf(f, "status", "%ld", code);
	char *eff = NULL;
	if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff && o->follow) {
		char *e = url_display_dup(eff);
		facts_add(f, "final_url", e);
		free(e);
	}
	char *redir = NULL;
	if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redir) == CURLE_OK && redir)
		facts_add(f, "location", redir);
	const char *server = facts_get0(&ctx.hdr, "server");
	if (server && code > 0)
		facts_add(f, "server", server);
	for (size_t i = 0; i < ctx.hdr.n; i++) {
		if (str_eq(ctx.hdr.v[i].key, "www-authenticate"))
			add_schemes(f, "www_authenticate", ctx.hdr.v[i].value);
		else if (str_eq(ctx.hdr.v[i].key, "proxy-authenticate"))
			add_schemes(f, "proxy_authenticate", ctx.hdr.v[i].value);
	}
	if (via_proxy) {
		facts_add(f, "proxy", proxy_shown);
		if (env_var)
			facts_addf(f, "proxy_source", "environment (%s)", env_var);
		if (connectcode > 0)
			facts_addf(f, "connect_status", "%ld", connectcode);
		const char *via = facts_get0(&ctx.hdr, "via");
		if (via)
			facts_add(f, "via", via);
		const char *sq = facts_get0(&ctx.hdr, "x-squid-error");
		if (sq)
			facts_add(f, "x_squid_error", sq);
	}
	char *ip = NULL;
	long port = 0;
	if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && *ip) {
		facts_add(f, "ip", ip);
		if (curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK && port > 0)
			facts_addf(f, "port", "%ld", port);
	}
	curl_off_t t_conn = 0;
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &t_conn);
	add_timing(f, h, "dns_ms", CURLINFO_NAMELOOKUP_TIME_T, 0);
	add_timing(f, h, "connect_ms", CURLINFO_CONNECT_TIME_T, 0);
	add_timing(f, h, "tls_ms", CURLINFO_APPCONNECT_TIME_T, t_conn);
	add_timing(f, h, "first_byte_ms", CURLINFO_STARTTRANSFER_TIME_T, 0);
	add_timing(f, h, "total_ms", CURLINFO_TOTAL_TIME_T, 0);
	if (ctx.capped)
		facts_addf(f, "body", "more than %d KiB (not read further)", BODY_CAP / 1024);
	bool failed = !cancelled && cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && ctx.capped);
	if (failed && *errbuf)
		facts_add(f, "curl_error", errbuf);

	/* classify */
	long secs10 = (o->timeout_ms + 50) / 100;   /* tenths of a second */
	char *human = NULL;
	const char *pshown = proxy_shown ? proxy_shown : "";
	if (cancelled) {
		check_result_set(res, "cancelled", "cancelled by the operator");
	} else if (cc == CURLE_SSL_CACERT_BADFILE) {
		check_result_set(res, "error", "cannot read the CA file '%s'", o->cacert ? o->cacert : "");
		rc = -1;
	} else if (headers_too_large(cc, errbuf, ctx.headers_done)) {
		check_result_set(res, "headers_too_large", "response headers too large from %s: %s", url_shown,
				 *errbuf ? errbuf : "a header line over 100 KB");
	} else if (connectcode > 0 && connectcode != 200 && code == 0) {
		/* the CONNECT tunnel through the proxy failed */
		if (connectcode == 407)
			check_result_set(res, "proxy_auth", "the proxy %s demands authentication (407)%s",
					 pshown, o->proxy_user ? ": the credentials were refused" : "");
		else
			check_result_set(res, "proxy_error", "the proxy %s could not open a tunnel to %s (CONNECT answered %ld)",
					 pshown, url_shown, connectcode);
	} else if (code > 0 && !ctx.headers_done && cc != CURLE_OPERATION_TIMEDOUT) {
		/* a status line came but the headers never finished before the peer closed */
		check_result_set(res, "closed", "%s closed the connection in the middle of the response headers",
				 url_shown);
	} else if (code > 0 && ctx.headers_done && cc != CURLE_SSL_CONNECT_ERROR &&
		   cc != CURLE_PEER_FAILED_VERIFICATION) {
		/* an answer came: the status decides */
		char *name = xasprintf("http_%03ld", code);
		human = outcome_human(name);
		if (via_proxy && code == 407) {
			check_result_set(res, "proxy_auth", "the proxy %s demands authentication (407)%s",
					 pshown, o->proxy_user ? ": the credentials were refused" : "");
		} else if (via_proxy && !tunnel && code >= 502 && code <= 504 && proxy_made(&ctx, code)) {
			check_result_set(res, "proxy_error", "the proxy %s answered %s: it could not reach %s",
					 pshown, human, url_shown);
		} else if (expect_has(o->expect, code)) {
			check_result_set(res, "ok", "%s from %s", human, url_shown);
		} else {
			check_result_set(res, name, "%s from %s", human, url_shown);
		}
		free(name);
	} else {
		switch (cc) {
		case CURLE_COULDNT_RESOLVE_PROXY:
			check_result_set(res, "proxy_refused", "the proxy name in %s does not resolve", pshown);
			break;
		case CURLE_COULDNT_RESOLVE_HOST: {
			char *host = url_part_dup(o->url, CURLUPART_HOST);
			check_result_set(res, "dns_fail", "the name '%s' does not resolve", host ? host : url_shown);
			free(host);
			break;
		}
		case CURLE_COULDNT_CONNECT:
			if (explicit_proxy || (via_proxy && !o->proxy_check)) {
				check_result_set(res, "proxy_refused", "the proxy %s cannot be reached (%s)", pshown,
						 oserr ? strerror((int)oserr) : "connection failed");
			} else if (oserr == ETIMEDOUT) {
				check_result_set(res, "timeout", "no connection to %s within %ld.%ld s", url_shown,
						 secs10 / 10, secs10 % 10);
			} else if (oserr == ECONNREFUSED || oserr == 0) {
				check_result_set(res, "refused", "connection refused by %s", url_shown);
			} else {
				check_result_set(res, "refused", "cannot connect to %s: %s", url_shown, strerror((int)oserr));
			}
			break;
		case CURLE_OPERATION_TIMEDOUT:
			if (t_conn == 0)
				check_result_set(res, "timeout", "no connection to %s%s within %ld.%ld s",
						 via_proxy ? "the proxy " : "", via_proxy ? pshown : url_shown,
						 secs10 / 10, secs10 % 10);
			else
				check_result_set(res, "timeout", "no answer from %s within %ld.%ld s", url_shown,
						 secs10 / 10, secs10 % 10);
			break;
		case CURLE_SSL_CONNECT_ERROR:
			check_result_set(res, "tls_handshake", "TLS handshake with %s failed: %s", url_shown,
					 *errbuf ? errbuf : curl_easy_strerror(cc));
			break;
		case CURLE_PEER_FAILED_VERIFICATION: {
			const char *out = verify_outcome(verify, errbuf);
			char *oh = outcome_human(out);
			check_result_set(res, out, "%s at %s: %s", oh, url_shown, *errbuf ? errbuf : curl_easy_strerror(cc));
			free(oh);
			break;
		}
		case CURLE_GOT_NOTHING:
			check_result_set(res, "closed", "%s closed the connection without an answer", url_shown);
			break;
		case CURLE_RECV_ERROR:
		case CURLE_SEND_ERROR:
			if (oserr == ECONNRESET || strstr(errbuf, "reset"))
				check_result_set(res, "closed", "%s reset the connection before a full answer", url_shown);
			else
				check_result_set(res, "closed", "%s closed the connection before a full answer", url_shown);
			break;
		case CURLE_WEIRD_SERVER_REPLY:
		case CURLE_UNSUPPORTED_PROTOCOL:
			check_result_set(res, "closed", "%s did not answer in HTTP: %s", url_shown, errbuf);
			break;
		default:
			check_result_set(res, "closed", "no HTTP answer from %s: %s", url_shown,
					 *errbuf ? errbuf : curl_easy_strerror(cc));
			break;
		}
	}
	free(human);
	facts_free(&ctx.hdr);
	curl_multi_remove_handle(m, h);
out_nocurl:
	if (h)
		curl_easy_cleanup(h);
	if (m)
		curl_multi_cleanup(m);
	free(url_shown);
	free(proxy_url);
	free(proxy_shown);
	free(scheme);
	return rc;
}

/* ---- the http kind ------------------------------------------------------------- */

int http_need_curl(struct check_result *res)
{
	const char *problem = curl_dl_load();
	if (problem) {
		check_result_set(res, "error", "%s", problem);
		return -1;
	}
	return 0;
}

/* Common input checks of http and proxy; before any network traffic. */
static int check_cacert(const char *cacert, struct check_result *res)
{
	if (cacert && *cacert && access(cacert, R_OK) != 0) {
		check_result_set(res, "error", "cannot read the CA file '%s': %s", cacert, strerror(errno));
		return -1;
	}
	return 0;
}

int http_check_run(const struct check_request *req, struct check_result *res)
{
	const char *url = check_request_param(req, "url");
	const char *expect = check_request_param(req, "expect");
	const char *proxy = check_request_param(req, "proxy");
	const char *cacert = check_request_param(req, "cacert");
	const char *follow = check_request_param(req, "follow");
	const char *problem;
	free(res->kind);
	res->kind = xstrdup("http");
	if (!url || !*url) {
		check_result_set(res, "error", "check http: missing parameter 'url'");
		return -1;
	}
	if (http_need_curl(res))
		return -1;
	free(res->target);
	res->target = url_display_dup(url);
	if ((problem = check_url_problem(url))) {
		check_result_set(res, "error", "malformed URL '%s': %s", res->target, problem);
		return -1;
	}
	if (expect && !*expect)
		expect = NULL;
	if ((problem = http_expect_problem(expect))) {
		check_result_set(res, "error", "%s", problem);
		return -1;
	}
	if (proxy && !*proxy)
		proxy = NULL;
	if (proxy) {
		char *p = http_proxy_url_dup(proxy);
		problem = check_url_problem(p);
		free(p);
		if (problem) {
			check_result_set(res, "error", "malformed proxy URL: %s", problem);
			return -1;
		}
	}
	if (cacert && !*cacert)
		cacert = NULL;
	if (check_cacert(cacert, res))
		return -1;
	bool fol = false;
	if (follow && *follow) {
		if (str_eq(follow, "true") || str_eq(follow, "yes") || str_eq(follow, "1"))
			fol = true;
		else if (!(str_eq(follow, "false") || str_eq(follow, "no") || str_eq(follow, "0"))) {
			check_result_set(res, "error", "follow must be true or false, not '%s'", follow);
			return -1;
		}
	}
	long tmo = http_timeout_ms(req, res);
	if (tmo < 0)
		return -1;
	struct http_opts o = {
		.url = url,
		.expect = expect,
		.proxy = proxy,
		.proxy_user = check_request_param(req, "proxy_user"),
		.proxy_password = check_request_param(req, "proxy_password"),
		.cacert = cacert,
		.follow = fol,
		.timeout_ms = tmo,
		.cancel = req->cancel,
	};
	if (o.proxy_user && !*o.proxy_user)
		o.proxy_user = NULL;
	return http_run(&o, res);
}
