/* check.c — the outcome vocabulary, facts, results, the list of kinds, parameters and
 * check_run. (The live runner is checks/runner.c; each kind is a file of its own.) */
#include "checks/check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checks/url.h"
#include "src/logscan.h"
#include "src/util.h"

/* ---- Outcomes ------------------------------------------------------------------ */

const struct outcome_info outcome_table[] = {
	{"ok", "OK", "the check passed", NULL},
	{"dns_fail", "name does not resolve", "the name does not resolve", NULL},
	{"refused", "connection refused", "the target actively refused the connection", NULL},
	{"timeout", "timed out", "no answer within the timeout (connect or response)", NULL},
	{"closed", "connection closed", "the peer closed the connection before a full answer", NULL},
	{"headers_too_large", "response headers too large",
	 "the response headers are larger than libcurl reads (100 KB in one, 300 KB in all)", "closed"},
	{"http_NNN", "HTTP status", "the HTTP status is not in the expected set (default 200-399)", NULL},
	{"proxy_auth", "proxy authentication required", "the proxy demanded authentication (407)", NULL},
	{"proxy_error", "proxy error", "the proxy answered 502/503/504 or could not reach the target", NULL},
	{"proxy_refused", "proxy unreachable", "the proxy itself could not be reached", NULL},
	{"tls_handshake", "TLS handshake failed", "no TLS spoken or the handshake failed", NULL},
	{"tls_untrusted", "certificate not trusted", "the chain does not verify (self-signed, unknown CA)", NULL},
	{"tls_name_mismatch", "certificate name mismatch", "the certificate does not match the FQDN", NULL},
	{"tls_expired", "certificate expired", "the certificate is past its validity period", NULL},
	{"tls_not_yet_valid", "certificate not yet valid", "the certificate's validity has not started", NULL},
	{"tls_expiring", "certificate expiring soon", "valid, but expires within the warning period", NULL},
	{"tls_key_mismatch", "private key does not match",
	 "the private key with the certificate is not the certificate's key", NULL},
	{"tls_usage", "certificate not for TLS servers",
	 "its key usage or extended key usage does not allow serverAuth", "tls_untrusted"},
	{"tls_weak", "weak certificate",
	 "signed with SHA-1 or MD5, or its RSA or DSA key is shorter than 2048 bits", "tls_untrusted"},
	{"cancelled", "cancelled", "the operator cancelled the check", NULL},
	{"error", "bad input", "the check could not run: its input is invalid", NULL},
};
const size_t outcome_count = ARRAY_LEN(outcome_table);

/* Is name "http_NNN" with NNN in 100..599? Sets *code. */
static bool http_code_of(const char *name, long *code)
{
	if (!name || strncmp(name, "http_", 5) != 0 || strlen(name) != 8)
		return false;
	for (int i = 5; i < 8; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return parse_long(name + 5, 100, 599, code);
}

const struct outcome_info *outcome_get0(const char *name)
{
	long code;
	if (!name)
		return NULL;
	if (http_code_of(name, &code))
		name = "http_NNN";
	else if (str_eq(name, "http_NNN"))
		return NULL;
	for (size_t i = 0; i < outcome_count; i++)
		if (strcmp(outcome_table[i].name, name) == 0)
			return &outcome_table[i];
	return NULL;
}

bool outcome_is_valid(const char *name)
{
	return outcome_get0(name) != NULL;
}

static const struct {
	int code;
	const char *reason;
} http_reasons[] = {
	{100, "Continue"}, {101, "Switching Protocols"},
	{200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"},
	{206, "Partial Content"},
	{301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"}, {304, "Not Modified"},
	{307, "Temporary Redirect"}, {308, "Permanent Redirect"},
	{400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"},
	{405, "Method Not Allowed"}, {406, "Not Acceptable"},
	{407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {409, "Conflict"},
	{410, "Gone"}, {411, "Length Required"}, {413, "Content Too Large"},
	{414, "URI Too Long"}, {415, "Unsupported Media Type"}, {429, "Too Many Requests"},
	{431, "Request Header Fields Too Large"},
	{500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
	{503, "Service Unavailable"}, {504, "Gateway Timeout"},
	{505, "HTTP Version Not Supported"},
};

char *outcome_human(const char *name)
{
	long code;
	if (http_code_of(name, &code)) {
		for (size_t i = 0; i < ARRAY_LEN(http_reasons); i++)
			if (http_reasons[i].code == code)
				return xasprintf("HTTP %ld %s", code, http_reasons[i].reason);
		return xasprintf("HTTP %ld", code);
	}
	const struct outcome_info *o = outcome_get0(name);
	if (o)
		return xstrdup(o->human);
	return xstrdup(name ? name : "");   /* a log signature id speaks for itself */
}

/* "http_4xx" style class: returns the leading digit, or 0. */
static int http_class_of(const char *pattern)
{
	if (pattern && strlen(pattern) == 8 && strncmp(pattern, "http_", 5) == 0 &&
	    pattern[5] >= '1' && pattern[5] <= '5' && pattern[6] == 'x' && pattern[7] == 'x')
		return pattern[5];
	return 0;
}

const char *signature_route_id(const char *pattern)
{
	return pattern && str_starts(pattern, "sig:") ? pattern + 4 : NULL;
}

char *signature_outcome(const char *sig_id)
{
	if (outcome_pattern_is_valid(sig_id))
		return xasprintf("sig:%s", sig_id);
	return xstrdup(sig_id ? sig_id : "");
}

bool outcome_match(const char *pattern, const char *outcome)
{
	if (!pattern || !outcome)
		return false;
	/* a check that could not run says nothing about the target: only "error" takes it */
	if (str_eq(outcome, "error"))
		return str_eq(pattern, "error");
	if (str_eq(pattern, "default"))
		return true;
	const char *sig = signature_route_id(pattern);
	if (sig)   /* "sig:ID": the signature ID, by the name a log check reports it under */
		return str_eq(pattern, outcome) || (str_eq(sig, outcome) && !outcome_pattern_is_valid(sig));
	if (str_eq(pattern, "problem"))
		return !str_eq(outcome, "ok");
	if (str_eq(pattern, outcome))
		return true;
	const struct outcome_info *oi = outcome_get0(outcome);
	if (oi && oi->parent && str_eq(pattern, oi->parent))
		return true;
	int cls = http_class_of(pattern);
	long code;
	if (cls)
		return http_code_of(outcome, &code) && outcome[5] == cls;
	if (str_eq(pattern, "tls_*"))
		return str_starts(outcome, "tls_");
	if (str_eq(pattern, "proxy_*"))
		return str_starts(outcome, "proxy_");
	return false;
}

bool outcome_pattern_is_valid(const char *pattern)
{
	if (!pattern)
		return false;
	return outcome_is_valid(pattern) || http_class_of(pattern) || str_eq(pattern, "tls_*") ||
	       str_eq(pattern, "proxy_*") || str_eq(pattern, "problem") ||
	       str_eq(pattern, "default");
}

/* ---- Facts ----------------------------------------------------------------------- */

void facts_add(struct facts *f, const char *key, const char *value)
{
	VEC_PUSH(f->v, f->n, f->cap);
	f->v[f->n].key = xstrdup(key);
	f->v[f->n].value = str_clean_dup(value ? value : "");
	f->n++;
}

void facts_addf(struct facts *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v = xvasprintf(fmt, ap);
	va_end(ap);
	facts_add(f, key, v);
	free(v);
}

const char *facts_get0(const struct facts *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (str_eq(f->v[i].key, key))
			return f->v[i].value;
	return NULL;
}

bool facts_key_is_number(const char *key)
{
	static const char *const numeric[] = {"status", "connect_status", "port", "days_left", "key_bits",
					      "chain_depth", "lines_scanned", "signatures"};
	if (!key)
		return false;
	size_t n = strlen(key);
	if (n > 3 && strcmp(key + n - 3, "_ms") == 0)
		return true;                     /* dns_ms, connect_ms, handshake_ms, total_ms ... */
	for (size_t i = 0; i < ARRAY_LEN(numeric); i++)
		if (str_eq(key, numeric[i]))
			return true;
	return false;
}

void facts_clear(struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].value);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

/* ---- Kinds ----------------------------------------------------------------------- */

/* The kinds: each is a descriptor in its own file. A new kind is a new file and a line
 * here (and, for the man page, its parameters in tshoot-flow(5): check-params-man.sh). */
extern const struct check_kind http_kind, tls_kind, cert_kind, proxy_kind, tcp_kind, dns_kind, log_kind;

const struct check_kind *const check_kinds[] = {
	&http_kind, &tls_kind, &cert_kind, &proxy_kind, &tcp_kind, &dns_kind, &log_kind, NULL,
};

const struct check_kind *check_kind_get0(const char *name)
{
	for (size_t i = 0; check_kinds[i]; i++)
		if (str_eq(check_kinds[i]->name, name))
			return check_kinds[i];
	return NULL;
}

const struct check_param_info *check_param_get0(const struct check_kind *k, const char *key)
{
	if (!k || !key)
		return NULL;
	for (const struct check_param_info *p = k->params; p->key; p++)
		if (str_eq(p->key, key))
			return p;
	return NULL;
}

/* ---- Parameters ------------------------------------------------------------------ */

/* "3650", "0.001": a bound as a person writes it. */
static void bound_str(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.10g", v);
}

const char *check_param_problem(const struct check_param_info *p, const char *value, const char *name,
				char *buf, size_t size)
{
	char lo[32], hi[32];
	double d;
	if (!p || !value)
		return NULL;
	switch (p->type) {
	case CHECK_PARAM_URL:
		return check_url_problem(value);
	case CHECK_PARAM_PROXY:
		return check_proxy_problem(value);
	case CHECK_PARAM_HOST:
		return check_host_problem(value);
	case CHECK_PARAM_ADDRESS:
		return check_address_problem(value);
	case CHECK_PARAM_PORT:
		return check_port_problem(value);
	case CHECK_PARAM_CODES:
		return check_codes_problem(value);
	case CHECK_PARAM_LOG:
		return logscan_path_problem(value);
	case CHECK_PARAM_BOOL:
		if (str_eq(value, "true") || str_eq(value, "false"))
			return NULL;
		snprintf(buf, size, "%s must be true or false", name);
		return buf;
	case CHECK_PARAM_DAYS:
	case CHECK_PARAM_SECONDS:
		if (check_param_number(p, value, &d))
			return NULL;
		bound_str(p->min, lo, sizeof lo);
		bound_str(p->max, hi, sizeof hi);
		snprintf(buf, size, "%s must be %s from %s to %s", name,
			 p->type == CHECK_PARAM_DAYS ? "a whole number of days" : "a number of seconds", lo, hi);
		return buf;
	case CHECK_PARAM_TEXT:
	case CHECK_PARAM_FILE:
	case CHECK_PARAM_FLOW:
		break;
	}
	return NULL;
}

const char *check_param_file_problem(const struct check_param_info *p, const char *value, const char *name,
				     char *buf, size_t size)
{
	if (!p || p->type != CHECK_PARAM_FILE || !value || access(value, R_OK) == 0)
		return NULL;
	snprintf(buf, size, "cannot read %s '%s': %s", name, value, strerror(errno));
	return buf;
}

bool check_param_number(const struct check_param_info *p, const char *value, double *out)
{
	if (!p || (p->type != CHECK_PARAM_DAYS && p->type != CHECK_PARAM_SECONDS))
		return false;
	if (!value || !*value)
		value = p->def;
	if (!value)
		return false;
	if (p->type == CHECK_PARAM_SECONDS)
		return parse_double(value, p->min, p->max, out);
	long n;
	if (!parse_long(value, (long)p->min, (long)p->max, &n))
		return false;
	*out = (double)n;
	return true;
}

bool check_kind_can_produce(const struct check_kind *k, const char *pattern)
{
	if (!k || !pattern)
		return false;
	if (str_eq(pattern, "default") || str_eq(pattern, "error"))
		return true;    /* any check can fail to run (a parameter templated into nonsense) */
	for (const char *const *o = k->outcomes; *o; o++) {
		if (str_eq(*o, "http_NNN")) {
			long code;
			if (http_code_of(pattern, &code) || http_class_of(pattern))
				return true;
			continue;
		}
		if (str_eq(*o, "signature")) {
			/* any name that is not vocabulary, or sig:ID: a signature (lint checks it exists) */
			if (!outcome_pattern_is_valid(pattern) || str_eq(pattern, "problem") ||
			    signature_route_id(pattern))
				return true;
			continue;
		}
		if (str_eq(pattern, "problem") ? !str_eq(*o, "ok") : outcome_match(pattern, *o))
			return true;
	}
	return false;
}

/* ---- Requests and results -------------------------------------------------------- */

const char *check_request_param(const struct check_request *req, const char *key)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (str_eq(req->keys[i], key))
			return req->values[i];
	return NULL;
}

const char *check_request_value(const struct check_request *req, const char *key)
{
	const char *v = check_request_param(req, key);
	if (v && *v)
		return v;
	const struct check_param_info *p = check_param_get0(check_kind_get0(req->kind), key);
	return p ? p->def : NULL;
}

bool check_request_number(const struct check_request *req, const char *key, double *out)
{
	const struct check_param_info *p = check_param_get0(check_kind_get0(req->kind), key);
	return check_param_number(p, check_request_param(req, key), out);
}

long check_request_timeout_ms(const struct check_request *req)
{
	const char *v = check_request_param(req, "timeout");
	double s;
	if (!(v && *v) && req->timeout_ms > 0)
		return req->timeout_ms;
	return check_request_number(req, "timeout", &s) ? (long)(s * 1000 + 0.5) : -1;
}

bool check_request_needs_curl(const struct check_request *req)
{
	const struct check_kind *k = check_kind_get0(req->kind);
	for (size_t i = 0; i < req->nparams; i++) {
		const struct check_param_info *p = check_param_get0(k, req->keys[i]);
		if (p && (p->type == CHECK_PARAM_URL || p->type == CHECK_PARAM_PROXY) && req->values[i] &&
		    *req->values[i])
			return true;
	}
	return false;
}

void check_result_clear(struct check_result *r)
{
	if (!r)
		return;
	FREE_NULL(r->kind);
	FREE_NULL(r->target);
	FREE_NULL(r->outcome);
	FREE_NULL(r->summary);
	facts_clear(&r->facts);
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	FREE_NULL(r->problems);
	r->nproblems = 0;
	FREE_NULL(r->command);
}

void check_result_copy(struct check_result *dst, const struct check_result *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->kind = xstrdup(src->kind);
	dst->target = xstrdup(src->target);
	dst->outcome = xstrdup(src->outcome);
	dst->summary = xstrdup(src->summary);
	for (size_t i = 0; i < src->facts.n; i++)
		facts_add(&dst->facts, src->facts.v[i].key, src->facts.v[i].value);
	if (src->nproblems) {
		dst->problems = xcalloc(src->nproblems, sizeof(char *));
		for (size_t i = 0; i < src->nproblems; i++)
			dst->problems[i] = xstrdup(src->problems[i]);
		dst->nproblems = src->nproblems;
	}
	dst->command = xstrdup(src->command);
	dst->elapsed_ms = src->elapsed_ms;
	dst->simulated = src->simulated;
	dst->stale = src->stale;
}

void check_result_set(struct check_result *r, const char *outcome, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	free(r->outcome);
	r->outcome = xstrdup(outcome);
	free(r->summary);
	r->summary = str_clean_flat_dup(s);     /* one line: line breaks become spaces */
	free(s);
}

void check_result_add_problem(struct check_result *r, const char *outcome)
{
	for (size_t i = 0; i < r->nproblems; i++)
		if (str_eq(r->problems[i], outcome))
			return;
	r->problems = xrealloc(r->problems, (r->nproblems + 1) * sizeof(char *));
	r->problems[r->nproblems++] = xstrdup(outcome);
}

void check_summary_also(struct strbuf *sb, const struct check_result *r)
{
	if (r->nproblems <= 1)
		return;
	sb_add(sb, "; also:");
	for (size_t i = 1; i < r->nproblems; i++) {
		char *h = outcome_human(r->problems[i]);
		sb_printf(sb, "%s %s", i > 1 ? "," : "", h);
		free(h);
	}
}

/* ---- Monitoring plugin output ----------------------------------------------------- */

enum check_state check_result_state(const struct check_result *r)
{
	const char *o = r ? r->outcome : NULL;
	if (!o || str_eq(o, "error") || str_eq(o, "cancelled"))
		return CHECK_STATE_UNKNOWN;
	if (str_eq(o, "ok"))
		return CHECK_STATE_OK;
	if (str_eq(o, "tls_expiring"))
		return str_eq(facts_get0(&r->facts, "expiry"), "critical") ? CHECK_STATE_CRITICAL
									  : CHECK_STATE_WARNING;
	return CHECK_STATE_CRITICAL;
}

const char *check_state_name(enum check_state s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
	return (unsigned)s < ARRAY_LEN(names) ? names[s] : "UNKNOWN";
}

/* Text for the plugin line: one line, no '|' (it starts the performance data). */
static void nagios_text(struct strbuf *sb, const char *s)
{
	char *c = str_clean_flat_dup(s ? s : "");
	for (char *p = c; *p; p++)
		if (*p == '|')
			*p = '/';
	sb_add(sb, c);
	free(c);
}

/* A DAYS parameter of the request as perfdata's warn or crit ("" when the kind has none). */
static void nagios_days(struct strbuf *sb, const struct check_request *req, const char *key)
{
	double d;
	if (req && check_param_get0(check_kind_get0(req->kind), key) && check_request_number(req, key, &d))
		sb_printf(sb, "%ld", (long)d);
}

char *check_nagios_line(const struct check_request *req, const struct check_result *r)
{
	struct strbuf sb = {0};
	char *kind = xstrdup(r->kind && *r->kind ? r->kind : "check");
	for (char *p = kind; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	sb_printf(&sb, "TSHOOT %s %s - ", kind, check_state_name(check_result_state(r)));
	free(kind);
	if (r->target && *r->target && !(r->summary && strstr(r->summary, r->target))) {
		nagios_text(&sb, r->target);
		sb_addc(&sb, ' ');
	}
	nagios_text(&sb, r->summary && *r->summary ? r->summary : r->outcome);
	if (str_eq(r->outcome, "error") || str_eq(r->outcome, "cancelled")) {
		return sb_steal(&sb);       /* nothing was measured */
	}
	/* performance data: 'label'=value[UOM];[warn];[crit];[min];[max] */
	sb_add(&sb, " |");
	const char *days = facts_get0(&r->facts, "days_left");
	long n;
	if (days && parse_long(days, -100000, 100000, &n)) {
		sb_printf(&sb, " days_left=%ld;", n);
		nagios_days(&sb, req, "warn_days");
		sb_addc(&sb, ';');
		nagios_days(&sb, req, "crit_days");
	}
	if (!r->simulated)
		sb_printf(&sb, " time=%.3fs;;;0", (double)r->elapsed_ms / 1000.0);
	for (size_t i = 0; i < r->facts.n; i++) {
		const char *k = r->facts.v[i].key;
		size_t kl = strlen(k);
		if (kl > 3 && strcmp(k + kl - 3, "_ms") == 0 && parse_long(r->facts.v[i].value, 0, 86400000L, &n))
			sb_printf(&sb, " %.*s=%.3fs;;;0", (int)(kl - 3), k, (double)n / 1000.0);
	}
	return sb_steal(&sb);
}

/* Replace *s by its cleaned copy: a target or a command may hold a server's or an
 * operator's text, and is shown as it is. */
static void clean_line(char **s)
{
	if (!*s)
		return;
	char *c = str_clean_dup(*s);
	free(*s);
	*s = c;
}

/* A parameter's value that its table refuses: outcome error, the message naming it. */
static int param_refused(struct check_result *res, const struct check_param_info *p, const char *v,
			 const char *problem)
{
	switch (p->type) {
	case CHECK_PARAM_BOOL:
	case CHECK_PARAM_DAYS:
	case CHECK_PARAM_SECONDS:
		check_result_set(res, "error", "%s, not '%s'", problem, v);
		break;
	case CHECK_PARAM_URL:
	case CHECK_PARAM_PROXY: {
		char *shown = url_display_dup(v);       /* no password in the message */
		check_result_set(res, "error", "malformed %s '%s': %s", p->noun, shown, problem);
		free(shown);
		break;
	}
	case CHECK_PARAM_HOST:
	case CHECK_PARAM_ADDRESS:
	case CHECK_PARAM_PORT:
		check_result_set(res, "error", "%s '%s': %s", p->key, v, problem);
		break;
	case CHECK_PARAM_LOG:
		check_result_set(res, "error", "%s: %s", v, problem);
		break;
	default:
		check_result_set(res, "error", "%s", problem);
		break;
	}
	return -1;
}

/* Every parameter of req against k's table, before any traffic: known, the required
 * ones given, each value good (check_param_problem) and each file readable. */
static int request_refused(const struct check_kind *k, const struct check_request *req, struct check_result *res)
{
	for (const struct check_param_info *p = k->params; p->key; p++) {
		const char *v = check_request_param(req, p->key);
		if (p->required && (!v || !*v)) {
			check_result_set(res, "error", "check %s: missing parameter '%s'", k->name, p->key);
			return -1;
		}
	}
	for (size_t i = 0; i < req->nparams; i++) {
		const struct check_param_info *p = check_param_get0(k, req->keys[i]);
		const char *v = req->values[i];
		char buf[256];
		const char *problem;
		if (!p) {
			check_result_set(res, "error", "check %s: unknown parameter '%s'", k->name,
					 req->keys[i]);
			return -1;
		}
		if (!v || !*v)
			continue;           /* not given: its default */
		if (p->type == CHECK_PARAM_URL || p->type == CHECK_PARAM_PROXY) {
			/* URLs are libcurl's to parse; without it the check cannot run at all */
			const char *no_curl = curl_dl_load();
			if (no_curl) {
				check_result_set(res, "error", "%s", no_curl);
				return -1;
			}
		}
		if ((problem = check_param_problem(p, v, p->key, buf, sizeof buf)))
			return param_refused(res, p, v, problem);
		if ((problem = check_param_file_problem(p, v, p->noun, buf, sizeof buf))) {
			check_result_set(res, "error", "%s", problem);
			return -1;
		}
	}
	return 0;
}

int check_run(const struct check_request *req, struct check_result *res)
{
	memset(res, 0, sizeof(*res));
	res->kind = xstrdup(req->kind ? req->kind : "");
	const struct check_kind *k = check_kind_get0(req->kind);
	if (!k) {
		check_result_set(res, "error", "unknown check kind '%s'", req->kind ? req->kind : "");
		return -1;
	}
	if (request_refused(k, req, res))
		return -1;
	if (k->command)
		res->command = k->command(req);
	long long t0 = now_ms();
	int rc = k->run(req, res);
	if (!res->outcome)
		check_result_set(res, rc ? "error" : "ok", "%s", rc ? "the check failed to run" : "passed");
	if (!res->summary)
		res->summary = xstrdup("");
	if (res->elapsed_ms == 0)
		res->elapsed_ms = (long)(now_ms() - t0);
	clean_line(&res->target);       /* summary and facts were cleaned as they were set */
	clean_line(&res->command);
	if (rc) {
		free(res->outcome);
		res->outcome = xstrdup("error");
		return -1;
	}
	return 0;
}
