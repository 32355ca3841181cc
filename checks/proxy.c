/* proxy.c — the proxy kind: reach a target URL through a given proxy and tell apart
 * a proxy that cannot be reached, one that wants credentials, one that cannot reach the
 * target (its own 502/503/504, a failed CONNECT), and the target's own answer.
 * The transfer itself is http.c's (http_get); this file only frames it. */
#include "checks/http_internal.h"

#include <stdlib.h>
#include <string.h>

#include "checks/curl_dl.h"
#include "src/secret.h"
#include "src/util.h"

static const struct check_param_info proxy_params[] = {
	{"proxy", CHECK_PARAM_PROXY, true, 0, 0, NULL, "proxy URL", "the proxy URL", CHECK_CLI_ARGUMENT,
	 "PROXY_URL"},
	{"target", CHECK_PARAM_URL, true, 0, 0, NULL, "target URL", "the URL to reach through the proxy",
	 CHECK_CLI_OPTION, "URL"},
	{"expect", CHECK_PARAM_CODES, false, 0, 0, "200-399", "expected codes",
	 "the target's expected status codes, as for http: such as 200,401, 200-299 or 2xx",
	 CHECK_CLI_OPTION, "CODES"},
	CHECK_PARAM_PROXY_USER,
	CHECK_PARAM_PROXY_PASSWORD,
	CHECK_PARAM_TIMEOUT("10", CHECK_CLI_OPTION),
	CHECK_PARAM_END,
};

static const char *const proxy_outcomes[] = {
	"ok", "timeout", "closed", "headers_too_large", "http_NNN", "proxy_auth", "proxy_error", "proxy_refused",
	"tls_handshake", "tls_untrusted", "tls_name_mismatch", "tls_expired",
	"tls_not_yet_valid", NULL,
};

/* The GET through the proxy a request describes (validated against proxy_params). */
static void proxy_opts_of(const struct check_request *req, struct http_opts *o)
{
	const char *user = check_request_param(req, "proxy_user");
	memset(o, 0, sizeof(*o));
	o->url = check_request_param(req, "target");
	o->expect = check_request_value(req, "expect");   /* judged as http judges it */
	o->proxy = check_request_param(req, "proxy");
	o->proxy_user = user && *user ? user : NULL;
	o->proxy_password = check_request_param(req, "proxy_password");
	o->proxy_check = true;
	o->timeout_ms = check_request_timeout_ms(req);
	o->cancel = req->cancel;
}

static char *proxy_command(const struct check_request *req)
{
	struct http_opts o;
	if (curl_dl_load())
		return NULL;
	proxy_opts_of(req, &o);
	return o.url && o.proxy && o.timeout_ms > 0 ? http_command(&o) : NULL;
}

static int proxy_run(const struct check_request *req, struct check_result *res)
{
	struct http_opts o;
	proxy_opts_of(req, &o);
	if (!o.proxy || !*o.proxy || !o.url || !*o.url) {
		check_result_set(res, "error", "check proxy: missing parameter '%s'", o.proxy && *o.proxy ? "target" : "proxy");
		return -1;
	}
	int rc = http_get(&o, res);
	if (rc == 0) {
		/* the target is a fact too: the subject of this check is the proxy */
		char *t = secret_mask_url_dup(o.url);
		facts_add(&res->facts, "target", t);
		free(t);
	}
	return rc;
}

const struct check_kind proxy_kind = {
	"proxy", "reach a URL through a proxy", proxy_params, proxy_outcomes, proxy_run, proxy_command,
};
