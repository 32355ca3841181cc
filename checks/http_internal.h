/* http_internal.h — the HTTP machinery shared by checks/http.c and checks/proxy.c.
 * Not for use outside checks/. */
#ifndef TSHOOT_HTTP_INTERNAL_H
#define TSHOOT_HTTP_INTERNAL_H

#include <stdbool.h>

#include "checks/check.h"

struct http_opts {
	const char *url;               /* validated http(s) URL */
	const char *expect;            /* NULL = 200-399 */
	const char *proxy;             /* NULL = none given (environment may still apply) */
	const char *proxy_user;
	const char *proxy_password;    /* secret: never in facts, summary or command */
	const char *cacert;
	bool follow;
	bool proxy_check;              /* run as `check proxy`: the proxy is the subject */
	long timeout_ms;               /* > 0 */
	const atomic_int *cancel;
};

/* Run one GET as described and fill res (target, outcome, summary, facts, command).
 * Returns 0, or -1 on bad input (res->outcome "error"). */
int http_run(const struct http_opts *o, struct check_result *res);

/* Load libcurl (checks/curl_dl.h) if not yet loaded: 0, or -1 with outcome "error" and
 * the reason in res. */
int http_need_curl(struct check_result *res);

/* NULL when expect ("200,401", "200-299,401", "2xx") is well formed, else a message. */
const char *http_expect_problem(const char *expect);

/* The timeout for req: its "timeout" parameter (seconds) if given, else req->timeout_ms,
 * else 10 s. -1 with a message in res when the parameter is malformed. */
long http_timeout_ms(const struct check_request *req, struct check_result *res);

/* A proxy given as host:port gets "http://" in front, as curl does. Caller frees. */
char *http_proxy_url_dup(const char *proxy);

#endif
