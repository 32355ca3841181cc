/* simfacts.c — what a simulated check reports (scenario.h: sim_fill): for each kind and
 * outcome the facts the live check of that kind gives, under its keys (checks/http.c,
 * tls.c, tcp.c, dns.c), with values that fit the outcome (an HTTP 407 has status 407 and
 * the schemes the proxy offers; an expired certificate a not_after in the past and a
 * negative days_left); a scenario's scripted facts replace defaults of the same key; the
 * summary is worded as the live check words it, from the facts as they end up. */
#include "src/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "src/util.h"

#define SIM_ADDRESS "192.0.2.10"          /* TEST-NET-1: nobody's address */
#define SIM_ISSUER  "CN=Enterprise Issuing CA"
#define DAY         86400

static const char *param(const struct check_request *req, const char *key, const char *def)
{
	const char *v = check_request_param(req, key);
	return v && *v ? v : def;
}

/* What the check looked at, as a live check would name it. */
static char *sim_target(const struct check_request *req)
{
	static const char *const keys[] = {"url", "host", "proxy", "name", "file"};
	if (str_eq(req->kind, "cert") && check_request_param(req, "file"))
		return xstrdup(check_request_param(req, "file"));      /* as checks/cert.c names it */
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const char *v = check_request_param(req, keys[i]);
		if (!v)
			continue;
		const char *port = strcmp(keys[i], "host") == 0 ? check_request_param(req, "port") : NULL;
		return port && *port ? xasprintf("%s:%s", v, port) : xstrdup(v);
	}
	return xstrdup(req->kind ? req->kind : "");
}

/* The host part of a URL (no user, port or path). */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = strchr(p, '@');
	if (at && at < p + strcspn(p, "/?#"))
		p = at + 1;
	if (*p == '[')
		return xstrndup(p, strcspn(p, "]") + (strchr(p, ']') ? 1 : 0));
	return xstrndup(p, strcspn(p, ":/?#"));
}

/* The first status an http check's expect accepts ("200,401", "200-399"), else 200. */
static long expect_first(const char *expect)
{
	long code;
	if (!expect)
		return 200;
	char *first = xstrndup(expect, strcspn(expect, ",-"));
	char *t = str_trim_dup(first);
	bool ok = parse_long(t, 100, 599, &code);
	free(t);
	free(first);
	return ok ? code : 200;
}

/* f with every key that over has replaced by over's values (at the place of the first
 * default of that key), over's other keys after the rest. */
static void facts_overlay(struct facts *f, const struct facts *over)
{
	if (!over || !over->n)
		return;
	struct facts out = {0};
	for (size_t i = 0; i < f->n; i++) {
		const char *k = f->v[i].key;
		if (!facts_get0(over, k)) {
			facts_add(&out, k, f->v[i].value);
		} else if (!facts_get0(&out, k)) {
			for (size_t j = 0; j < over->n; j++)
				if (str_eq(over->v[j].key, k))
					facts_add(&out, k, over->v[j].value);
		}
	}
	for (size_t j = 0; j < over->n; j++)
		if (!facts_get0(f, over->v[j].key))
			facts_add(&out, over->v[j].key, over->v[j].value);
	facts_clear(f);
	*f = out;
}

/* ---- http and proxy (checks/http.c) */

struct http_sim {
	const char *url, *proxy;
	bool tunnel;                     /* https through a proxy: a CONNECT first */
	const char *outcome;
};

static void http_facts(const struct http_sim *h, struct facts *f, const struct check_request *req)
{
	const char *o = h->outcome;
	long code = 0, connect = 0;
	if (str_eq(o, "ok"))
		code = expect_first(check_request_param(req, "expect"));
	else if (str_starts(o, "http_"))
		parse_long(o + 5, 100, 599, &code);
	else if (str_eq(o, "proxy_auth"))
		*(h->tunnel ? &connect : &code) = 407;
	else if (str_eq(o, "proxy_error"))
		*(h->tunnel ? &connect : &code) = 502;
	if (h->tunnel && code)
		connect = 200;
	if (code)
		facts_addf(f, "status", "%ld", code);
	if (code == 401)
		for (const char *const *s = (const char *const[]){"Negotiate", "NTLM", NULL}; *s; s++)
			facts_add(f, "www_authenticate", *s);
	if (str_eq(o, "proxy_auth"))
		for (const char *const *s = (const char *const[]){"NTLM", "Basic", NULL}; *s; s++)
			facts_add(f, "proxy_authenticate", *s);
	if (h->proxy) {
		facts_add(f, "proxy", h->proxy);
		if (connect)
			facts_addf(f, "connect_status", "%ld", connect);
	}
}

static char *http_summary(const struct http_sim *h, const struct facts *f, long timeout_s)
{
	const char *o = h->outcome, *p = h->proxy ? h->proxy : "";
	long code = 0, connect = 0;
	const char *st = facts_get0(f, "status"), *cs = facts_get0(f, "connect_status");
	if (st)
		parse_long(st, 100, 599, &code);
	if (cs)
		parse_long(cs, 100, 599, &connect);
	if (str_eq(o, "proxy_auth"))
		return xasprintf("the proxy %s demands authentication (407)", p);
	if (str_eq(o, "proxy_error") && h->tunnel)
		return xasprintf("the proxy %s could not open a tunnel to %s (CONNECT answered %ld)", p, h->url,
				 connect ? connect : 502);
	if (str_eq(o, "proxy_error") || (str_eq(o, "ok") || str_starts(o, "http_")) || !*o) {
		char *name = xasprintf("http_%03ld", code ? code : 200);
		char *human = outcome_human(name);
		char *s = str_eq(o, "proxy_error")
			? xasprintf("the proxy %s answered %s: it could not reach %s", p, human, h->url)
			: xasprintf("%s from %s", human, h->url);
		free(human);
		free(name);
		return s;
	}
	if (str_eq(o, "proxy_refused"))
		return xasprintf("the proxy %s cannot be reached (Connection refused)", p);
	if (str_eq(o, "dns_fail")) {
		char *host = url_host(h->url);
		char *s = xasprintf("the name '%s' does not resolve", host);
		free(host);
		return s;
	}
	if (str_eq(o, "refused"))
		return xasprintf("connection refused by %s", h->url);
	if (str_eq(o, "timeout"))
		return xasprintf("no connection to %s%s within %ld.0 s", h->proxy ? "the proxy " : "", h->proxy ? p : h->url,
				 timeout_s);
	if (str_eq(o, "closed"))
		return xasprintf("%s reset the connection before a full answer", h->url);
	char *human = outcome_human(o);
	char *s = xasprintf("%s at %s", human, h->url);
	free(human);
	return s;
}

static void sim_http(struct check_result *r, const struct check_request *req, const struct facts *scripted,
		     long timeout_s)
{
	bool proxy_kind = str_eq(req->kind, "proxy");
	struct http_sim h = {
		.url = param(req, proxy_kind ? "target" : "url", ""),
		.proxy = param(req, "proxy", NULL),
		.outcome = r->outcome,
	};
	h.tunnel = h.proxy && strncasecmp(h.url, "https://", 8) == 0;
	http_facts(&h, &r->facts, req);
	if (proxy_kind)
		facts_add(&r->facts, "target", h.url);
	facts_overlay(&r->facts, scripted);
	r->summary = http_summary(&h, &r->facts, timeout_s);
}

/* ---- tls (checks/tls.c) */

static void iso_time(time_t t, char out[32])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "2024-03-01T00:00:00Z" (the time part optional) as a time; false when it is not one. */
static bool parse_iso(const char *s, time_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int n = s ? sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			  &tm.tm_min, &tm.tm_sec) : 0;
	if (n != 3 && n != 6)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

/* The days a certificate has left under this outcome (warn: the check's warn_days). */
static long tls_days_left(const char *o, long warn)
{
	if (str_eq(o, "tls_expired"))
		return -12;
	if (str_eq(o, "tls_expiring"))
		return warn > 3 ? warn / 3 : 1;
	if (str_eq(o, "tls_not_yet_valid"))
		return 368;
	return warn + 60;
}

static void tls_facts(struct facts *f, const char *o, const char *name, long warn, time_t now)
{
	bool mismatch = str_eq(o, "tls_name_mismatch"), self = str_eq(o, "tls_untrusted");
	char *cert_name = mismatch ? xasprintf("old-%s", name) : xstrdup(name);
	char *subject = xasprintf("CN=%s", cert_name);
	char nb[32], na[32];
	long left = tls_days_left(o, warn);
	iso_time(now + left * DAY - 3600, na);
	iso_time(str_eq(o, "tls_not_yet_valid") ? now + 3 * DAY : now - (365 - left) * DAY, nb);
	facts_add(f, "subject", subject);
	facts_addf(f, "san", "DNS:%s", cert_name);
	facts_add(f, "issuer", self ? subject : SIM_ISSUER);
	facts_add(f, "not_before", nb);
	facts_add(f, "not_after", na);
	facts_addf(f, "days_left", "%ld", left);
	facts_add(f, "protocol", "TLSv1.2");
	facts_add(f, "cipher", "ECDHE-RSA-AES256-GCM-SHA384");
	if (self)
		facts_add(f, "verify_error", "self-signed certificate");
	facts_add(f, "chain_depth", self ? "1" : "2");
	free(subject);
	free(cert_name);
}

/* Scripted dates win: days_left follows a scripted not_after, not_after a scripted
 * days_left. */
static void tls_dates(struct facts *f, const struct facts *scripted, time_t now)
{
	time_t na;
	long days;
	if (!scripted || (facts_get0(scripted, "not_after") && facts_get0(scripted, "days_left")))
		return;
	struct facts fix = {0};
	if (parse_iso(facts_get0(scripted, "not_after"), &na)) {
		facts_addf(&fix, "days_left", "%d", tls_days_of((long long)(na - now)));
	} else if (parse_long(facts_get0(scripted, "days_left"), -100000, 100000, &days)) {
		char buf[32];
		iso_time(now + days * DAY - 3600, buf);
		facts_add(&fix, "not_after", buf);
	}
	facts_overlay(f, &fix);
	facts_clear(&fix);
}

static char *tls_summary(const char *o, const char *name, const char *hostport, const struct facts *f, long timeout_s)
{
	long left = 0;
	parse_long(facts_get0(f, "days_left"), -100000, 100000, &left);
	const char *na = facts_get0(f, "not_after"), *nb = facts_get0(f, "not_before");
	int nal = na ? 10 : 0, nbl = nb ? 10 : 0;
	const char *s = left == 1 || left == -1 ? "" : "s";
	if (str_eq(o, "tls_expired"))
		return left == 0 ? xasprintf("certificate for %s expired today (not after %.*s)", name, nal, na)
				 : xasprintf("certificate for %s expired %ld day%s ago (not after %.*s)", name, -left, s,
					     nal, na);
	if (str_eq(o, "tls_not_yet_valid"))
		return xasprintf("certificate for %s is not valid yet (not before %.*s; check the clock)", name, nbl, nb);
	if (str_eq(o, "tls_name_mismatch"))
		return xasprintf("certificate does not match %s (subject %s)", name, facts_get0(f, "subject"));
	if (str_eq(o, "tls_untrusted"))
		return xasprintf("certificate for %s is not trusted: %s", name,
				 facts_get0(f, "verify_error") ? facts_get0(f, "verify_error") : "unable to get local issuer certificate");
	if (str_eq(o, "tls_expiring"))
		return xasprintf("certificate for %s expires in %ld day%s (not after %.*s)", name, left, s, nal, na);
	if (str_eq(o, "ok"))
		return xasprintf("certificate for %s is valid until %.*s (%ld day%s left), issued by %s; %s", name, nal, na,
				 left, s, facts_get0(f, "issuer"), facts_get0(f, "protocol"));
	if (str_eq(o, "tls_handshake"))
		return xasprintf("TLS handshake with %s failed", hostport);
	if (str_eq(o, "refused"))
		return xasprintf("%s refused the connection", hostport);
	if (str_eq(o, "timeout"))
		return xasprintf("no answer from %s in time (timeout %ld.0 s)", hostport, timeout_s);
	char *human = outcome_human(o);
	char *r = xasprintf("%s at %s", human, hostport);
	free(human);
	return r;
}

static void sim_tls(struct check_result *r, const struct check_request *req, const struct facts *scripted,
		    long timeout_s, time_t now)
{
	const char *o = r->outcome;
	/* a cert check (a file) without a name: its file stands for it */
	const char *name = param(req, "name", param(req, "host", param(req, "file", "")));
	double days = 30;
	check_request_number(req, "warn_days", &days);    /* the kind's range and default */
	long warn = (long)days;
	bool cert = str_eq(o, "ok") || (str_starts(o, "tls_") && !str_eq(o, "tls_handshake"));
	if (cert)
		tls_facts(&r->facts, o, name, warn, now);
	facts_overlay(&r->facts, scripted);
	if (cert)
		tls_dates(&r->facts, scripted, now);
	if (str_starts(o, "tls_"))
		check_result_add_problem(r, o);
	r->summary = tls_summary(o, name, r->target, &r->facts, timeout_s);
}

/* ---- tcp, dns, log (checks/tcp.c, dns.c, log.c) */

static void sim_net(struct check_result *r, const struct check_request *req, const struct facts *scripted,
		    long timeout_s)
{
	const char *o = r->outcome;
	bool dns = str_eq(req->kind, "dns");
	const char *port = param(req, "port", "");
	if (str_eq(o, "ok") || (!dns && str_eq(o, "refused"))) {
		if (dns)
			facts_add(&r->facts, "address", SIM_ADDRESS);
		else
			facts_addf(&r->facts, "address", "%s:%s", SIM_ADDRESS, port);
		if (!dns && str_eq(o, "ok"))
			facts_add(&r->facts, "connect_ms", "2");
	}
	facts_overlay(&r->facts, scripted);
	const char *addr = facts_get0(&r->facts, "address");
	const char *host = param(req, dns ? "name" : "host", "");
	if (str_eq(o, "ok"))
		r->summary = dns ? xasprintf("%s resolves to %s", host, addr ? addr : SIM_ADDRESS)
				 : xasprintf("connected to %s in %s ms", addr ? addr : r->target,
					     facts_get0(&r->facts, "connect_ms") ? facts_get0(&r->facts, "connect_ms") : "2");
	else if (str_eq(o, "dns_fail"))
		r->summary = xasprintf("cannot resolve %s: Name or service not known", host);
	else if (str_eq(o, "refused"))
		r->summary = xasprintf("%s refused the connection", addr ? addr : r->target);
	else if (str_eq(o, "timeout"))
		r->summary = xasprintf("no answer from %s in time (timeout %ld.0 s)", addr ? addr : r->target, timeout_s);
	else {
		char *human = outcome_human(o);
		r->summary = xasprintf("%s: %s", r->target, human);
		free(human);
	}
}

static void sim_log(struct check_result *r, const struct facts *scripted)
{
	facts_overlay(&r->facts, scripted);
	if (str_eq(r->outcome, "ok"))
		r->summary = xasprintf("%s: none of the known error signatures", r->target);
	else
		r->summary = xasprintf("%s: %s", r->target, r->outcome);
}

void sim_fill(struct check_result *r, const struct check_request *req, const char *outcome,
	      const struct facts *scripted, time_t now)
{
	memset(r, 0, sizeof(*r));
	r->kind = xstrdup(req->kind ? req->kind : "");
	r->target = sim_target(req);
	r->outcome = xstrdup(outcome ? outcome : "ok");
	r->simulated = true;
	double secs = 10;
	check_request_number(req, "timeout", &secs);      /* the kind's range and default */
	long timeout_s = (long)(secs + 0.5);
	if (str_eq(req->kind, "http") || str_eq(req->kind, "proxy"))
		sim_http(r, req, scripted, timeout_s);
	else if (str_eq(req->kind, "tls") || str_eq(req->kind, "cert"))
		sim_tls(r, req, scripted, timeout_s, now);      /* the same certificate facts */
	else if (str_eq(req->kind, "tcp") || str_eq(req->kind, "dns"))
		sim_net(r, req, scripted, timeout_s);
	else
		sim_log(r, scripted);
}

void sim_fill_unscripted(struct check_result *r, const struct check_request *req)
{
	memset(r, 0, sizeof(*r));
	r->kind = xstrdup(req->kind ? req->kind : "");
	r->target = sim_target(req);
	r->outcome = xstrdup("ok");
	r->simulated = true;
	r->summary = xstrdup(SIM_UNSCRIPTED ": the scenario gives this check no result; the walk goes on as if it passed");
}
