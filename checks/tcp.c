/* tcp.c — can a TCP connection be opened to host:port? */
#include "checks/check.h"

#include <stdlib.h>
#include <unistd.h>

#include "checks/net.h"
#include "src/util.h"

int tcp_check_run(const struct check_request *req, struct check_result *res)
{
	long long t0 = now_ms();
	const char *host_p = check_request_param(req, "host");
	const char *port_p = check_request_param(req, "port");
	char *host = NULL, *port = NULL;
	const char *why;
	int rc = 0;

	if (!res->kind)
		res->kind = xstrdup("tcp");
	if (!host_p || !*host_p)
		return net_bad(res, "tcp check needs a host");
	if (!net_split_hostport(host_p, &host, &port))
		return net_bad(res, "malformed host '%s'", host_p);
	if (port_p && *port_p) {
		free(port);
		port = xstrdup(port_p);
	}
	if ((why = check_host_problem(host))) {
		rc = net_bad(res, "host '%s': %s", host, why);
		goto out;
	}
	if (!port) {
		rc = net_bad(res, "tcp check needs a port (HOST:PORT)");
		goto out;
	}
	if ((why = check_port_problem(port))) {
		rc = net_bad(res, "port '%s': %s", port, why);
		goto out;
	}
	long timeout = net_timeout_ms(req, NET_DEFAULT_TIMEOUT);
	if (timeout < 0) {
		rc = net_bad(res, "timeout '%s' is not a number of seconds (0-3600)",
			     check_request_param(req, "timeout"));
		goto out;
	}

	free(res->target);
	res->target = net_join_hostport(host, port);
	free(res->command);
	struct strbuf cmd = {0};
	sb_printf(&cmd, "nc -vz -w %ld ", (timeout + 999) / 1000);
	sb_shell_quote(&cmd, host);
	sb_addc(&cmd, ' ');
	sb_shell_quote(&cmd, port);
	res->command = sb_steal(&cmd);

	long long deadline = t0 + timeout;
	struct addrinfo *ai = NULL;
	char *err = NULL, *addr = NULL;
	enum net_status st = net_resolve(host, port, false, deadline, req->cancel, &ai, &err);
	if (st == NET_OK) {
		int fd;
		free(err);
		err = NULL;
		long long c0 = now_ms();
		st = net_connect(ai, deadline, req->cancel, &fd, &addr, &err);
		freeaddrinfo(ai);
		if (st == NET_OK) {
			long ms = (long)(now_ms() - c0);
			close(fd);
			facts_add(&res->facts, "address", addr);
			facts_addf(&res->facts, "connect_ms", "%ld", ms);
			check_result_set(res, "ok", "connected to %s in %ld ms", addr, ms);
		} else if (addr) {
			facts_add(&res->facts, "address", addr);
		}
	}
	if (st != NET_OK && !net_set_failure(res, st, err, timeout)) {
		if (st == NET_REFUSED)
			check_result_set(res, "refused", "%s", err);
		else if (st == NET_CLOSED)
			check_result_set(res, "refused", "connection reset (%s)", err);
		else
			check_result_set(res, "refused", "cannot connect: %s", err ? err : "unknown error");
	}
	free(err);
	free(addr);
	res->elapsed_ms = (long)(now_ms() - t0);
out:
	free(host);
	free(port);
	return rc;
}
