/* check.c — the outcome vocabulary, facts, results, the kind table, check_run and the
 * live runner (each check of a node on its own worker thread). */
#include "checks/check.h"

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/curl_dl.h"
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

bool outcome_match(const char *pattern, const char *outcome)
{
	if (!pattern || !outcome)
		return false;
	if (str_eq(pattern, "default"))
		return true;
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
	static const char *const numeric[] = {"status", "connect_status", "port", "days_left",
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

void facts_free(struct facts *f)
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

static const struct check_param_info http_params[] = {
	{"url", true, "http:// or https:// URL to GET"},
	{"expect", false, "expected status codes, e.g. \"200,401\" or \"200-299\" (default 200-399)"},
	{"proxy", false, "proxy URL to go through"},
	{"proxy_user", false, "proxy account"},
	{"proxy_password", false, "proxy password (secret)"},
	{"cacert", false, "CA bundle file to trust"},
	{"follow", false, "follow redirects: true or false (default false)"},
	{"timeout", false, "seconds (default 10)"},
	{NULL, false, NULL},
};
static const struct check_param_info tls_params[] = {
	{"host", true, "host name or IP address"},
	{"port", false, "TCP port (default 443)"},
	{"name", false, "SNI and FQDN the certificate must match (default host)"},
	{"warn_days", false, "warn when the certificate expires within N days (default 30)"},
	{"cacert", false, "CA bundle file to trust"},
	{"proxy", false, "proxy URL to tunnel through"},
	{"timeout", false, "seconds (default 10)"},
	{NULL, false, NULL},
};
static const struct check_param_info proxy_params[] = {
	{"proxy", true, "proxy URL"},
	{"target", true, "URL to reach through the proxy"},
	{"proxy_user", false, "proxy account"},
	{"proxy_password", false, "proxy password (secret)"},
	{"timeout", false, "seconds (default 10)"},
	{NULL, false, NULL},
};
static const struct check_param_info tcp_params[] = {
	{"host", true, "host name or IP address"},
	{"port", true, "TCP port"},
	{"timeout", false, "seconds (default 10)"},
	{NULL, false, NULL},
};
static const struct check_param_info dns_params[] = {
	{"name", true, "name to resolve"},
	{"timeout", false, "seconds (default 10)"},
	{NULL, false, NULL},
};
static const struct check_param_info log_params[] = {
	{"file", true, "log file to scan"},
	{"flow", false, "flow whose signatures to match (default: the current flow)"},
	{"timeout", false, "seconds (default 10)"},
	{NULL, false, NULL},
};

/* What each kind can produce ("cancelled" and "error" come from any kind and are not
 * listed: they are not routed by flows). "http_NNN" stands for any HTTP status;
 * "signature" for any signature id the flow defines. */
static const char *const http_outcomes[] = {
	"ok", "dns_fail", "refused", "timeout", "closed", "headers_too_large", "http_NNN", "proxy_auth",
	"proxy_error", "proxy_refused", "tls_handshake", "tls_untrusted", "tls_name_mismatch",
	"tls_expired", "tls_not_yet_valid", NULL,
};
static const char *const tls_outcomes[] = {
	"ok", "dns_fail", "refused", "timeout", "closed", "proxy_auth", "proxy_error",
	"proxy_refused", "tls_handshake", "tls_untrusted", "tls_name_mismatch", "tls_expired",
	"tls_not_yet_valid", "tls_expiring", NULL,
};
static const char *const proxy_outcomes[] = {
	"ok", "timeout", "closed", "headers_too_large", "http_NNN", "proxy_auth", "proxy_error", "proxy_refused",
	"tls_handshake", "tls_untrusted", "tls_name_mismatch", "tls_expired",
	"tls_not_yet_valid", NULL,
};
static const char *const tcp_outcomes[] = {"ok", "dns_fail", "refused", "timeout", NULL};
static const char *const dns_outcomes[] = {"ok", "dns_fail", "timeout", NULL};
static const char *const log_outcomes[] = {"ok", "signature", NULL};

static const struct check_kind kind_http = {"http", "HTTP reachability and status",
	http_params, http_outcomes, http_check_run};
static const struct check_kind kind_tls = {"tls", "TLS handshake and certificate",
	tls_params, tls_outcomes, tls_check_run};
static const struct check_kind kind_proxy = {"proxy", "reach a URL through a proxy",
	proxy_params, proxy_outcomes, proxy_check_run};
static const struct check_kind kind_tcp = {"tcp", "TCP connect to a port",
	tcp_params, tcp_outcomes, tcp_check_run};
static const struct check_kind kind_dns = {"dns", "name resolution",
	dns_params, dns_outcomes, dns_check_run};
static const struct check_kind kind_log = {"log", "match a log file against the flow's signatures",
	log_params, log_outcomes, log_check_run};

const struct check_kind *const check_kinds[] = {
	&kind_http, &kind_tls, &kind_proxy, &kind_tcp, &kind_dns, &kind_log, NULL,
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

bool check_kind_can_produce(const struct check_kind *k, const char *pattern)
{
	if (!k || !pattern)
		return false;
	if (str_eq(pattern, "default"))
		return true;
	for (const char *const *o = k->outcomes; *o; o++) {
		if (str_eq(*o, "http_NNN")) {
			long code;
			if (http_code_of(pattern, &code) || http_class_of(pattern))
				return true;
			continue;
		}
		if (str_eq(*o, "signature")) {
			/* any name that is not vocabulary: a signature id (lint checks it exists) */
			if (!outcome_pattern_is_valid(pattern) || str_eq(pattern, "problem"))
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

void check_result_free(struct check_result *r)
{
	if (!r)
		return;
	FREE_NULL(r->kind);
	FREE_NULL(r->target);
	FREE_NULL(r->outcome);
	FREE_NULL(r->summary);
	facts_free(&r->facts);
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

int check_run(const struct check_request *req, struct check_result *res)
{
	memset(res, 0, sizeof(*res));
	res->kind = xstrdup(req->kind ? req->kind : "");
	const struct check_kind *k = check_kind_get0(req->kind);
	if (!k) {
		check_result_set(res, "error", "unknown check kind '%s'", req->kind ? req->kind : "");
		return -1;
	}
	for (const struct check_param_info *p = k->params; p->key; p++) {
		const char *v = check_request_param(req, p->key);
		if (p->required && (!v || !*v)) {
			check_result_set(res, "error", "check %s: missing parameter '%s'", k->name, p->key);
			return -1;
		}
	}
	for (size_t i = 0; i < req->nparams; i++) {
		if (!check_param_get0(k, req->keys[i])) {
			check_result_set(res, "error", "check %s: unknown parameter '%s'", k->name,
					 req->keys[i]);
			return -1;
		}
	}
	long long t0 = now_ms();
	int rc = k->run(req, res);
	if (!res->kind)
		res->kind = xstrdup(k->name);
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

/* ---- The live runner -------------------------------------------------------------
 * One detached worker thread per check. The batch is reference-counted (one reference
 * for the caller, one per worker), so finish() after cancel() need not wait for a
 * check that is slow to notice: the last worker frees the batch. Requests are deep
 * copies, so the caller's strings may go away. */

struct live_slot {
	struct check_request req;
	char **keys, **values;
	char *kind;
	struct check_result res;
	bool done;
	struct check_batch *b;
	size_t i;
};

struct check_batch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int cancel;
	const atomic_int *outer_cancel;    /* the caller's flag, if any: polled */
	long long cancel_at;               /* when cancel() was called (ms), 0 = not */
	size_t n, ndone;
	int refs;
	struct live_slot *slots;
};

static void batch_unref(struct check_batch *b)
{
	pthread_mutex_lock(&b->mu);
	int left = --b->refs;
	pthread_mutex_unlock(&b->mu);
	if (left)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct live_slot *s = &b->slots[i];
		for (size_t j = 0; j < s->req.nparams; j++) {
			free(s->keys[j]);
			free(s->values[j]);
		}
		free(s->keys);
		free(s->values);
		free(s->kind);
		check_result_free(&s->res);
	}
	free(b->slots);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

/* Workers still running anywhere in the process. A cancelled worker is reported for
 * after 150 ms and may go on a little inside OpenSSL or libcurl; the process must not
 * run those libraries' exit-time cleanup under it. So at exit we wait for the workers
 * (bounded: each honours its cancel flag within 100 ms, its timeout in any case). */
static pthread_mutex_t workers_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t workers_cv = PTHREAD_COND_INITIALIZER;
static int workers_running;
static pthread_once_t workers_once = PTHREAD_ONCE_INIT;

#define WORKERS_EXIT_WAIT_MS 3000

static void workers_wait_at_exit(void)
{
	long long deadline = now_ms() + WORKERS_EXIT_WAIT_MS;
	pthread_mutex_lock(&workers_mu);
	while (workers_running > 0 && now_ms() < deadline) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&workers_cv, &workers_mu, &ts);
	}
	pthread_mutex_unlock(&workers_mu);
}

static void workers_init(void)
{
	/* OpenSSL registers its cleanup with atexit when first initialised; ours is
	 * registered after it, so it runs before it. */
	OPENSSL_init_ssl(0, NULL);
	atexit(workers_wait_at_exit);
}

static void workers_add(int d)
{
	pthread_mutex_lock(&workers_mu);
	workers_running += d;
	if (workers_running == 0)
		pthread_cond_broadcast(&workers_cv);
	pthread_mutex_unlock(&workers_mu);
}

static void *live_worker(void *arg)
{
	struct live_slot *s = arg;
	struct check_batch *b = s->b;
	struct check_result res;
	check_run(&s->req, &res);
	if (atomic_load(&b->cancel) && !str_eq(res.outcome, "error") && !str_eq(res.outcome, "cancelled")) {
		/* finished after cancel(): whatever it saw, the operator stopped it */
		check_result_set(&res, "cancelled", "cancelled by the operator");
	}
	pthread_mutex_lock(&b->mu);
	if (!s->done) {
		s->res = res;
		s->done = true;
		b->ndone++;
	} else {
		check_result_free(&res);     /* already reported as cancelled on its behalf */
	}
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	batch_unref(b);
	/* this thread's OpenSSL state (its random generators) goes with it */
	OPENSSL_thread_stop();
	workers_add(-1);
	return NULL;
}

static struct check_batch *live_start(void *ctx, const struct check_request *reqs, size_t n)
{
	/* libcurl (loaded on first use) is set up here, before any worker, when a check
	 * of this node needs it; a failure is each such check's own "error" */
	for (size_t i = 0; i < n; i++)
		if (str_eq(reqs[i].kind, "http") || str_eq(reqs[i].kind, "proxy")) {
			(void)curl_dl_load();
			break;
		}
	struct check_batch *b = xcalloc(1, sizeof(*b));
	pthread_mutex_init(&b->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&b->cancel, 0);
	b->n = n;
	b->refs = 1;
	b->slots = xcalloc(n ? n : 1, sizeof(*b->slots));
	for (size_t i = 0; i < n; i++) {
		struct live_slot *s = &b->slots[i];
		const struct check_request *r = &reqs[i];
		if (r->cancel && !b->outer_cancel)
			b->outer_cancel = r->cancel;
		s->b = b;
		s->i = i;
		s->kind = xstrdup(r->kind);
		s->keys = xcalloc(r->nparams + 1, sizeof(char *));
		s->values = xcalloc(r->nparams + 1, sizeof(char *));
		for (size_t j = 0; j < r->nparams; j++) {
			s->keys[j] = xstrdup(r->keys[j]);
			s->values[j] = xstrdup(r->values[j] ? r->values[j] : "");
		}
		s->req.kind = s->kind;
		s->req.keys = (const char *const *)s->keys;
		s->req.values = (const char *const *)s->values;
		s->req.nparams = r->nparams;
		s->req.timeout_ms = r->timeout_ms;
		s->req.cancel = &b->cancel;
	}
	pthread_once(&workers_once, workers_init);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (size_t i = 0; i < n; i++) {
		pthread_t t;
		pthread_mutex_lock(&b->mu);
		b->refs++;
		pthread_mutex_unlock(&b->mu);
		workers_add(1);
		if (pthread_create(&t, &attr, live_worker, &b->slots[i]) != 0) {
			/* no thread: run it here rather than lose it */
			live_worker(&b->slots[i]);
		}
	}
	pthread_attr_destroy(&attr);
	return b;
}

static void live_cancel(struct check_batch *b)
{
	pthread_mutex_lock(&b->mu);
	if (!b->cancel_at)
		b->cancel_at = now_ms();
	atomic_store(&b->cancel, 1);
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* Called with the lock held: 150 ms after cancel(), report stragglers as cancelled so
 * the caller is never held up by a check that cannot be interrupted (e.g. a resolver). */
static void reap_stragglers_locked(struct check_batch *b)
{
	if (!b->cancel_at || now_ms() - b->cancel_at < 150)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct live_slot *s = &b->slots[i];
		if (s->done)
			continue;
		memset(&s->res, 0, sizeof(s->res));
		s->res.kind = xstrdup(s->kind);
		check_result_set(&s->res, "cancelled", "cancelled by the operator");
		s->res.elapsed_ms = (long)(now_ms() - b->cancel_at);
		s->done = true;
		b->ndone++;
	}
}

static bool live_poll(struct check_batch *b, int timeout_ms)
{
	long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	pthread_mutex_lock(&b->mu);
	for (;;) {
		if (b->outer_cancel && atomic_load(b->outer_cancel) && !b->cancel_at) {
			b->cancel_at = now_ms();
			atomic_store(&b->cancel, 1);
		}
		reap_stragglers_locked(b);
		if (b->ndone == b->n)
			break;
		long long now = now_ms();
		if (now >= deadline)
			break;
		long long until = deadline;
		if (b->cancel_at && b->cancel_at + 150 < until)
			until = b->cancel_at + 151;
		if (b->outer_cancel && until > now + 50)
			until = now + 50;     /* the caller's flag has no wake-up: look often */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		long long wait = until - now;
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (wait % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&b->cv, &b->mu, &ts);
	}
	bool all = b->ndone == b->n;
	pthread_mutex_unlock(&b->mu);
	return all;
}

static bool live_done(struct check_batch *b, size_t i)
{
	if (i >= b->n)
		return false;
	pthread_mutex_lock(&b->mu);
	bool d = b->slots[i].done;
	pthread_mutex_unlock(&b->mu);
	return d;
}

static const struct check_result *live_result(struct check_batch *b, size_t i)
{
	if (!live_done(b, i))
		return NULL;
	return &b->slots[i].res;    /* immutable once done */
}

static void live_finish(struct check_batch *b)
{
	if (!b)
		return;
	/* wait for the checks unless cancelled (then stragglers are reaped) */
	while (!live_poll(b, 1000))
		;
	batch_unref(b);
}

static const struct check_runner_ops live_ops = {
	live_start, live_poll, live_done, live_result, live_cancel, live_finish,
};

struct check_runner check_runner_live(void)
{
	struct check_runner r = {&live_ops, NULL};
	return r;
}
