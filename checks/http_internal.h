/* http_internal.h — the HTTP machinery shared by checks/http.c and checks/proxy.c.
 * Not for use outside checks/. */
#ifndef TSHOOT_HTTP_INTERNAL_H
#define TSHOOT_HTTP_INTERNAL_H

#include <stdbool.h>

#include "checks/check.h"

struct http_opts {
	const char *url;               /* validated http(s) URL */
	const char *expect;            /* codes (check_codes_has); NULL = 200-399 */
	const char *proxy;             /* NULL = none given (environment may still apply) */
	const char *proxy_user;
	const char *proxy_password;    /* secret: never in facts, summary or command */
	const char *cacert;
	bool follow;
	bool proxy_check;              /* run as `check proxy`: the proxy is the subject */
	long timeout_ms;               /* > 0 */
	const atomic_int *cancel;
};

/* Run one GET as described and fill res (target, outcome, summary, facts).
 * Returns 0, or -1 on bad input (res->outcome "error"). */
int http_get(const struct http_opts *o, struct check_result *res);

/* The same GET as a curl command line (the proxy only when one was given; no
 * password). libcurl must be loaded. Caller frees. */
char *http_command(const struct http_opts *o);

#endif
