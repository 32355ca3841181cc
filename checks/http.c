/* http.c — the http kind: one GET with libcurl, classified from libcurl's own
 * information (CURLcode, response and CONNECT codes, errno, TLS verify result). The
 * GET itself (http_get) is shared with the proxy kind (checks/proxy.c).
 *
 * Each check has its own easy handle, driven by a multi handle in a loop that waits at
 * most 100 ms, so the cancel flag is seen promptly. The body is read up to a cap and
 * then the transfer is stopped: the status and headers are the answer. */
#include "checks/http_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/net.h"
#include "checks/url.h"
#include "src/util.h"

#define BODY_CAP (64 * 1024)

static const struct check_param_info http_params[] = {
	{"url", CHECK_PARAM_URL, true, 0, 0, NULL, "URL", "the http:// or https:// URL to get",
	 CHECK_CLI_ARGUMENT, "URL"},
	{"expect", CHECK_PARAM_CODES, false, 0, 0, "200-399", "expected codes",
	 "the expected status codes: codes, ranges and classes, such as 200,401, 200-299 or 2xx",
	 CHECK_CLI_OPTION, "CODES"},
	{"proxy", CHECK_PARAM_PROXY, false, 0, 0, NULL, "proxy URL", "a proxy URL to go through",
	 CHECK_CLI_OPTION, "URL"},
	CHECK_PARAM_PROXY_USER,
	CHECK_PARAM_PROXY_PASSWORD,
	CHECK_PARAM_CACERT,
	{"follow", CHECK_PARAM_BOOL, false, 0, 0, "false", "follow",
	 "follow redirects rather than take a 3xx as the answer", CHECK_CLI_OPTION, NULL},
	CHECK_PARAM_TIMEOUT("10", CHECK_CLI_OPTION),
	CHECK_PARAM_END,
};

static const char *const http_outcomes[] = {
	"ok", "dns_fail", "refused", "timeout", "closed", "headers_too_large", "http_NNN", "proxy_auth",
	"proxy_error", "proxy_refused", "tls_handshake", "tls_untrusted", "tls_name_mismatch",
	"tls_expired", "tls_not_yet_valid", NULL,
};

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
		facts_clear(&c->hdr);      /* a new response begins */
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

/* ---- the command ------------------------------------------------------------- */

char *http_command(const struct http_opts *o)
{
	char *url_shown = url_display_dup(o->url);
	char *proxy_url = url_proxy_dup(o->proxy);
	char *proxy_shown = proxy_url ? url_display_dup(proxy_url) : NULL;
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
	free(url_shown);
	free(proxy_url);
	free(proxy_shown);
	return sb_steal(&sb);
}

/* ---- the proxy from the environment, as libcurl takes it ------------------------ */

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
	char *scheme = url_part_dup(url, CURLUPART_SCHEME, 0);
	char *host = url_part_dup(url, CURLUPART_HOST, 0);
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

/* ---- what the transfer saw ---------------------------------------------------- */

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

/* Everything one GET saw, for the facts and the outcome. */
struct http_seen {
	const struct http_opts *o;
	struct http_ctx ctx;
	char errbuf[CURL_ERROR_SIZE];
	CURLcode cc;
	bool cancelled;
	long code, connectcode, oserr, verify;
	curl_off_t t_conn, t_dns;       /* connect and name lookup done (µs; 0: not done) */
	char *url_shown;                /* the URL without credentials */
	char *proxy_url;                /* the proxy given (with "http://"), or NULL */
	const char *env_var;            /* the environment variable the proxy came from */
	char *proxy_shown;              /* the proxy used, given or from the environment */
	bool via_proxy, explicit_proxy, tunnel;
};

/* The message libcurl gave, else the words for its code. */
static const char *curl_said(const struct http_seen *s)
{
	return *s->errbuf ? s->errbuf : curl_easy_strerror(s->cc);
}

static const char *pshown(const struct http_seen *s)
{
	return s->proxy_shown ? s->proxy_shown : "";
}

/* "2.5": the timeout in seconds, to a tenth. */
static void secs_str(const struct http_seen *s, char *buf, size_t size)
{
	long tenths = (s->o->timeout_ms + 50) / 100;
	snprintf(buf, size, "%ld.%ld", tenths / 10, tenths % 10);
}

/* ---- no HTTP answer: libcurl's error code decides -------------------------------
 * Each entry: the code, the outcome it means (NULL: the explainer decides from errno
 * and the proxy), and the explainer that writes the summary. */

static void say_proxy_unresolved(const struct http_seen *s, const char *out, struct check_result *res)
{
	check_result_set(res, out, "the proxy name in %s does not resolve", pshown(s));
}

static void say_unresolved(const struct http_seen *s, const char *out, struct check_result *res)
{
	char *host = url_part_dup(s->o->url, CURLUPART_HOST, 0);
	check_result_set(res, out, "the name '%s' does not resolve", host ? host : s->url_shown);
	free(host);
}

static void say_no_connect(const struct http_seen *s, const char *out, struct check_result *res)
{
	char secs[32];
	(void)out;
	if (s->explicit_proxy || (s->via_proxy && !s->o->proxy_check)) {
		check_result_set(res, "proxy_refused", "the proxy %s cannot be reached (%s)", pshown(s),
				 s->oserr ? strerror((int)s->oserr) : "connection failed");
	} else if (s->oserr == ETIMEDOUT) {
		secs_str(s, secs, sizeof secs);
		check_result_set(res, "timeout", "no connection to %s within %s s", s->url_shown, secs);
	} else if (s->oserr == ECONNREFUSED || s->oserr == 0) {
		check_result_set(res, "refused", "connection refused by %s", s->url_shown);
	} else {
		check_result_set(res, "refused", "cannot connect to %s: %s", s->url_shown, strerror((int)s->oserr));
	}
}

static void say_timeout(const struct http_seen *s, const char *out, struct check_result *res)
{
	char secs[32];
	secs_str(s, secs, sizeof secs);
	/* the name the transfer had to look up: the proxy's when going through one */
	char *host = url_part_dup(s->via_proxy && s->proxy_shown ? s->proxy_shown : s->o->url, CURLUPART_HOST, 0);
	bool resolving = s->t_conn == 0 && s->t_dns == 0 && host && !net_is_ip_literal(host);
	if (resolving) {
		/* the resolver never answered: worded as the dns check words it */
		char *msg = net_resolve_timeout_msg(host);
		check_result_set(res, out, "%s (timeout %s s)", msg, secs);
		free(msg);
	} else if (s->t_conn == 0)
		check_result_set(res, out, "no connection to %s%s within %s s", s->via_proxy ? "the proxy " : "",
				 s->via_proxy ? pshown(s) : s->url_shown, secs);
	else
		check_result_set(res, out, "no answer from %s within %s s", s->url_shown, secs);
	free(host);
}

static void say_handshake(const struct http_seen *s, const char *out, struct check_result *res)
{
	check_result_set(res, out, "TLS handshake with %s failed: %s", s->url_shown, curl_said(s));
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

static void say_unverified(const struct http_seen *s, const char *out, struct check_result *res)
{
	(void)out;
	const char *o = verify_outcome(s->verify, s->errbuf);
	char *oh = outcome_human(o);
	check_result_set(res, o, "%s at %s: %s", oh, s->url_shown, curl_said(s));
	free(oh);
}

static void say_nothing(const struct http_seen *s, const char *out, struct check_result *res)
{
	check_result_set(res, out, "%s closed the connection without an answer", s->url_shown);
}

static void say_cut(const struct http_seen *s, const char *out, struct check_result *res)
{
	bool reset = s->oserr == ECONNRESET || strstr(s->errbuf, "reset");
	check_result_set(res, out, "%s %s the connection before a full answer", s->url_shown,
			 reset ? "reset" : "closed");
}

static void say_not_http(const struct http_seen *s, const char *out, struct check_result *res)
{
	check_result_set(res, out, "%s did not answer in HTTP: %s", s->url_shown, s->errbuf);
}

static void say_no_answer(const struct http_seen *s, const char *out, struct check_result *res)
{
	check_result_set(res, out, "no HTTP answer from %s: %s", s->url_shown, curl_said(s));
}

typedef void (*http_say_fn)(const struct http_seen *s, const char *outcome, struct check_result *res);
static const struct {
	CURLcode cc;
	const char *outcome;
	http_say_fn say;
} curl_outcomes[] = {
	{CURLE_COULDNT_RESOLVE_PROXY, "proxy_refused", say_proxy_unresolved},
	{CURLE_COULDNT_RESOLVE_HOST, "dns_fail", say_unresolved},
	{CURLE_COULDNT_CONNECT, NULL, say_no_connect},    /* proxy_refused, timeout or refused */
	{CURLE_OPERATION_TIMEDOUT, "timeout", say_timeout},
	{CURLE_SSL_CONNECT_ERROR, "tls_handshake", say_handshake},
	{CURLE_PEER_FAILED_VERIFICATION, NULL, say_unverified},   /* tls_untrusted, _expired, ... */
	{CURLE_GOT_NOTHING, "closed", say_nothing},
	{CURLE_RECV_ERROR, "closed", say_cut},
	{CURLE_SEND_ERROR, "closed", say_cut},
	{CURLE_WEIRD_SERVER_REPLY, "closed", say_not_http},
	{CURLE_UNSUPPORTED_PROTOCOL, "closed", say_not_http},
};

static void classify_curl_error(const struct http_seen *s, struct check_result *res)
{
	for (size_t i = 0; i < ARRAY_LEN(curl_outcomes); i++)
		if (curl_outcomes[i].cc == s->cc) {
			curl_outcomes[i].say(s, curl_outcomes[i].outcome, res);
			return;
		}
	say_no_answer(s, "closed", res);
}

/* ---- an HTTP answer: the status decides --------------------------------------- */

static void proxy_demands_auth(const struct http_seen *s, struct check_result *res)
{
	check_result_set(res, "proxy_auth", "the proxy %s demands authentication (407)%s", pshown(s),
			 s->o->proxy_user ? ": the credentials were refused" : "");
}

static void classify_status(const struct http_seen *s, struct check_result *res)
{
	char *name = xasprintf("http_%03ld", s->code);
	char *human = outcome_human(name);
	if (s->via_proxy && s->code == 407)
		proxy_demands_auth(s, res);
	else if (s->via_proxy && !s->tunnel && s->code >= 502 && s->code <= 504 && proxy_made(&s->ctx, s->code))
		check_result_set(res, "proxy_error", "the proxy %s answered %s: it could not reach %s", pshown(s),
				 human, s->url_shown);
	else if (check_codes_has(s->o->expect, s->code))
		check_result_set(res, "ok", "%s from %s", human, s->url_shown);
	else
		check_result_set(res, name, "%s from %s", human, s->url_shown);
	free(name);
	free(human);
}

/* The outcome of what the transfer saw. -1 for bad input found only by libcurl. */
static int classify(const struct http_seen *s, struct check_result *res)
{
	if (s->cancelled) {
		check_result_set(res, "cancelled", "cancelled by the operator");
	} else if (s->cc == CURLE_SSL_CACERT_BADFILE) {
		check_result_set(res, "error", "cannot read the CA file '%s'", s->o->cacert ? s->o->cacert : "");
		return -1;
	} else if (headers_too_large(s->cc, s->errbuf, s->ctx.headers_done)) {
		check_result_set(res, "headers_too_large", "response headers too large from %s: %s", s->url_shown,
				 *s->errbuf ? s->errbuf : "a header line over 100 KB");
	} else if (s->connectcode > 0 && s->connectcode != 200 && s->code == 0) {
		/* the CONNECT tunnel through the proxy failed */
		if (s->connectcode == 407)
			proxy_demands_auth(s, res);
		else
			check_result_set(res, "proxy_error", "the proxy %s could not open a tunnel to %s (CONNECT answered %ld)",
					 pshown(s), s->url_shown, s->connectcode);
	} else if (s->code > 0 && !s->ctx.headers_done && s->cc != CURLE_OPERATION_TIMEDOUT) {
		/* a status line came but the headers never finished before the peer closed */
		check_result_set(res, "closed", "%s closed the connection in the middle of the response headers",
				 s->url_shown);
	} else if (s->code > 0 && s->ctx.headers_done && s->cc != CURLE_SSL_CONNECT_ERROR &&
		   s->cc != CURLE_PEER_FAILED_VERIFICATION) {
		classify_status(s, res);
	} else {
		classify_curl_error(s, res);
	}
	return 0;
}

/* ---- facts ---------------------------------------------------------------------- */

static void add_facts(const struct http_seen *s, CURL *h, struct facts *f)
{
	if (s->code > 0)
		facts_addf(f, "status", "%ld", s->code);
	char *eff = NULL;
	if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff && s->o->follow) {
		char *e = url_display_dup(eff);
		facts_add(f, "final_url", e);
		free(e);
	}
	char *redir = NULL;
	if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redir) == CURLE_OK && redir)
		facts_add(f, "location", redir);
	const char *server = facts_get0(&s->ctx.hdr, "server");
	if (server && s->code > 0)
		facts_add(f, "server", server);
	for (size_t i = 0; i < s->ctx.hdr.n; i++) {
		if (str_eq(s->ctx.hdr.v[i].key, "www-authenticate"))
			add_schemes(f, "www_authenticate", s->ctx.hdr.v[i].value);
		else if (str_eq(s->ctx.hdr.v[i].key, "proxy-authenticate"))
			add_schemes(f, "proxy_authenticate", s->ctx.hdr.v[i].value);
	}
	if (s->via_proxy) {
		facts_add(f, "proxy", s->proxy_shown);
		if (s->env_var)
			facts_addf(f, "proxy_source", "environment (%s)", s->env_var);
		if (s->connectcode > 0)
			facts_addf(f, "connect_status", "%ld", s->connectcode);
		const char *via = facts_get0(&s->ctx.hdr, "via");
		if (via)
			facts_add(f, "via", via);
		const char *sq = facts_get0(&s->ctx.hdr, "x-squid-error");
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
	add_timing(f, h, "dns_ms", CURLINFO_NAMELOOKUP_TIME_T, 0);
	add_timing(f, h, "connect_ms", CURLINFO_CONNECT_TIME_T, 0);
	add_timing(f, h, "tls_ms", CURLINFO_APPCONNECT_TIME_T, s->t_conn);
	add_timing(f, h, "first_byte_ms", CURLINFO_STARTTRANSFER_TIME_T, 0);
	add_timing(f, h, "total_ms", CURLINFO_TOTAL_TIME_T, 0);
	if (s->ctx.capped)
		facts_addf(f, "body", "more than %d KiB (not read further)", BODY_CAP / 1024);
	bool failed = !s->cancelled && s->cc != CURLE_OK && !(s->cc == CURLE_WRITE_ERROR && s->ctx.capped);
	if (failed && *s->errbuf)
		facts_add(f, "curl_error", s->errbuf);
}

/* ---- the transfer --------------------------------------------------------------- */

static void setup(CURL *h, struct http_seen *s)
{
	const struct http_opts *o = s->o;
	curl_easy_setopt(h, CURLOPT_URL, o->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tshoot/" TSHOOT_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s->ctx);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &s->ctx);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, o->follow ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
#if LIBCURL_VERSION_NUM >= 0x075700
	/* a resolver thread still waiting for a silent DNS server is left to finish on its
	 * own (as net_resolve does), so the check ends at its timeout, not seconds later */
	curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
#endif
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (o->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
	if (s->proxy_url)
		curl_easy_setopt(h, CURLOPT_PROXY, s->proxy_url);
	if (o->proxy_user && *o->proxy_user) {
		curl_easy_setopt(h, CURLOPT_PROXYUSERNAME, o->proxy_user);
		curl_easy_setopt(h, CURLOPT_PROXYPASSWORD, o->proxy_password ? o->proxy_password : "");
		curl_easy_setopt(h, CURLOPT_PROXYAUTH, (long)CURLAUTH_ANY);
	}
}

/* Drive the transfer until it ends or the cancel flag is raised; then read what
 * libcurl saw into s. */
static void perform(CURLM *m, CURL *h, struct http_seen *s)
{
	const atomic_int *cancel = s->o->cancel;
	int running = 1;
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK || !running)
			break;
		if ((s->cancelled = cancel && atomic_load(cancel)))
			break;
		curl_multi_poll(m, NULL, 0, 100, NULL);
		if ((s->cancelled = cancel && atomic_load(cancel)))
			break;
	}
	s->cc = CURLE_OK;
	int left;
	CURLMsg *msg;
	while ((msg = curl_multi_info_read(m, &left)))
		if (msg->msg == CURLMSG_DONE)
			s->cc = msg->data.result;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &s->code);
	curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &s->connectcode);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &s->oserr);
	curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &s->verify);
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &s->t_conn);
	curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &s->t_dns);
}

/* Which proxy, if any, and how URLs are shown. */
static void seen_init(struct http_seen *s, const struct http_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->url_shown = url_display_dup(o->url);
	s->proxy_url = url_proxy_dup(o->proxy);
	const char *env_proxy = s->proxy_url ? NULL : env_proxy_for(o->url, &s->env_var);
	s->proxy_shown = s->proxy_url ? url_display_dup(s->proxy_url) : env_proxy ? url_display_dup(env_proxy) : NULL;
	char *scheme = url_part_dup(o->url, CURLUPART_SCHEME, 0);
	s->tunnel = str_eq(scheme, "https");
	free(scheme);
	s->explicit_proxy = s->proxy_url != NULL;
	s->via_proxy = s->proxy_shown != NULL;
}

static void seen_free(struct http_seen *s)
{
	facts_clear(&s->ctx.hdr);
	free(s->url_shown);
	free(s->proxy_url);
	free(s->proxy_shown);
}

/* Load libcurl (checks/curl_dl.h) if not yet loaded: 0, or -1 with outcome "error". */
static int http_need_curl(struct check_result *res)
{
	const char *problem = curl_dl_load();
	if (problem) {
		check_result_set(res, "error", "%s", problem);
		return -1;
	}
	return 0;
}

int http_get(const struct http_opts *o, struct check_result *res)
{
	if (http_need_curl(res))
		return -1;
	struct http_seen s;
	seen_init(&s, o);
	free(res->target);
	res->target = xstrdup(o->proxy_check && s.proxy_shown ? s.proxy_shown : s.url_shown);

	int rc = 0;
	CURL *h = curl_easy_init();
	CURLM *m = curl_multi_init();
	if (!h || !m) {
		check_result_set(res, "error", "cannot start libcurl");
		rc = -1;
	} else {
		setup(h, &s);
		curl_multi_add_handle(m, h);
		perform(m, h, &s);
		add_facts(&s, h, &res->facts);
		rc = classify(&s, res);
		curl_multi_remove_handle(m, h);
	}
	if (h)
		curl_easy_cleanup(h);
	if (m)
		curl_multi_cleanup(m);
	seen_free(&s);
	return rc;
}

/* ---- the http kind ------------------------------------------------------------- */

/* The GET a request describes (check_run has validated it against http_params). */
static void http_opts_of(const struct check_request *req, struct http_opts *o)
{
	const char *user = check_request_param(req, "proxy_user");
	const char *proxy = check_request_param(req, "proxy");
	const char *cacert = check_request_param(req, "cacert");
	memset(o, 0, sizeof(*o));
	o->url = check_request_param(req, "url");
	o->expect = check_request_value(req, "expect");
	o->proxy = proxy && *proxy ? proxy : NULL;
	o->proxy_user = user && *user ? user : NULL;
	o->proxy_password = check_request_param(req, "proxy_password");
	o->cacert = cacert && *cacert ? cacert : NULL;
	o->follow = str_eq(check_request_value(req, "follow"), "true");
	o->timeout_ms = check_request_timeout_ms(req);
	o->cancel = req->cancel;
}

static char *http_kind_command(const struct check_request *req)
{
	struct http_opts o;
	if (curl_dl_load())
		return NULL;
	http_opts_of(req, &o);
	return o.url && o.timeout_ms > 0 ? http_command(&o) : NULL;
}

static int http_run(const struct check_request *req, struct check_result *res)
{
	struct http_opts o;
	http_opts_of(req, &o);
	if (!o.url || !*o.url) {
		check_result_set(res, "error", "check http: missing parameter 'url'");
		return -1;
	}
	return http_get(&o, res);
}

const struct check_kind http_kind = {
	"http", "HTTP reachability and status", http_params, http_outcomes, http_run, http_kind_command,
};
