/* proxy.c — the proxy check: reach a target URL through a given proxy and tell apart
 * a proxy that cannot be reached, one that wants credentials, one that cannot reach the
 * target (its own 502/503/504, a failed CONNECT), and the target's own answer.
 * The transfer itself is http.c's (http_run); this file only frames it. */
#include "checks/check.h"

#include <stdlib.h>

#include "checks/http_internal.h"
#include "src/secret.h"
#include "src/util.h"

int proxy_check_run(const struct check_request *req, struct check_result *res)
{
	const char *proxy = check_request_param(req, "proxy");
	const char *target = check_request_param(req, "target");
	const char *problem;
	free(res->kind);
	res->kind = xstrdup("proxy");
	if (!proxy || !*proxy) {
		check_result_set(res, "error", "check proxy: missing parameter 'proxy'");
		return -1;
	}
	if (!target || !*target) {
		check_result_set(res, "error", "check proxy: missing parameter 'target' (the URL to reach through the proxy)");
		return -1;
	}
	if (http_need_curl(res))
		return -1;
	char *purl = http_proxy_url_dup(proxy);
	problem = check_url_problem(purl);
	free(purl);
	if (problem) {
		check_result_set(res, "error", "malformed proxy URL: %s", problem);
		return -1;
	}
	if ((problem = check_url_problem(target))) {
		check_result_set(res, "error", "malformed target URL: %s", problem);
		return -1;
	}
	long tmo = http_timeout_ms(req, res);
	if (tmo < 0)
		return -1;
	struct http_opts o = {
		.url = target,
		.proxy = proxy,
		.proxy_user = check_request_param(req, "proxy_user"),
		.proxy_password = check_request_param(req, "proxy_password"),
		.proxy_check = true,
		.timeout_ms = tmo,
		.cancel = req->cancel,
	};
	if (o.proxy_user && !*o.proxy_user)
		o.proxy_user = NULL;
	int rc = http_run(&o, res);
	if (rc == 0) {
		/* the target is a fact too: the subject of this check is the proxy */
		char *t = secret_mask_url_dup(target);
		facts_add(&res->facts, "target", t);
		free(t);
	}
	return rc;
}
