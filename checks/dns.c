/* dns.c — the dns kind: does a name resolve, and to what? (the system resolver:
 * /etc/hosts, DNS) */
#include "checks/check.h"

#include <stdlib.h>
#include <string.h>

#include "checks/net.h"
#include "src/util.h"

static const struct check_param_info dns_params[] = {
	{"name", CHECK_PARAM_HOST, true, 0, 0, NULL, "name", "the name to resolve", CHECK_CLI_ARGUMENT, "NAME"},
	CHECK_PARAM_TIMEOUT("10", CHECK_CLI_OPTION),
	CHECK_PARAM_END,
};

static const char *const dns_outcomes[] = {"ok", "dns_fail", "timeout", NULL};

static char *dns_command(const struct check_request *req)
{
	struct strbuf cmd = {0};
	sb_add(&cmd, "getent ahosts ");
	sb_shell_quote(&cmd, check_request_param(req, "name"));
	return sb_steal(&cmd);
}

static int dns_run(const struct check_request *req, struct check_result *res)
{
	long long t0 = now_ms();
	const char *name = check_request_param(req, "name");
	long timeout = check_request_timeout_ms(req);
	if (!name || !*name)
		return net_bad(res, "dns check needs a name");
	if (timeout < 0)
		return net_bad(res, "dns check: timeout out of range");
	free(res->target);
	res->target = xstrdup(name);

	struct addrinfo *ai = NULL;
	char *err = NULL;
	enum net_status st = net_resolve(name, NULL, true, t0 + timeout, req->cancel, &ai, &err);
	if (st == NET_OK) {
		/* getaddrinfo may list an address more than once; report each once, in order */
		char **seen = NULL;
		size_t nseen = 0, cap = 0;
		for (const struct addrinfo *a = ai; a; a = a->ai_next) {
			char *s = net_addr_str(a->ai_addr, a->ai_addrlen, false);
			bool dup = false;
			for (size_t i = 0; i < nseen && !dup; i++)
				dup = strcmp(seen[i], s) == 0;
			if (dup) {
				free(s);
				continue;
			}
			VEC_PUSH(seen, nseen, cap);
			seen[nseen++] = s;
			facts_add(&res->facts, "address", s);
		}
		if (ai && ai->ai_canonname && *ai->ai_canonname) {
			char *c = str_clean_dup(ai->ai_canonname);
			facts_add(&res->facts, "canonical_name", c);
			free(c);
		}
		struct strbuf sb = {0};
		for (size_t i = 0; i < nseen && i < 4; i++)
			sb_printf(&sb, "%s%s", i ? ", " : "", seen[i]);
		if (nseen > 4)
			sb_printf(&sb, " and %zu more", nseen - 4);
		check_result_set(res, "ok", "%s resolves to %s", name, sb.s ? sb.s : "?");
		sb_clear(&sb);
		for (size_t i = 0; i < nseen; i++)
			free(seen[i]);
		free(seen);
		freeaddrinfo(ai);
	} else if (!net_set_failure(res, st, err, timeout)) {
		check_result_set(res, "dns_fail", "%s", err ? err : "cannot resolve");
	}
	free(err);
	res->elapsed_ms = (long)(now_ms() - t0);
	return 0;
}

const struct check_kind dns_kind = {
	"dns", "name resolution", dns_params, dns_outcomes, dns_run, dns_command,
};
