/* tcp.c — the tcp kind: can a TCP connection be opened to host:port? */
#include "checks/check.h"

#include <stdlib.h>
#include <unistd.h>

#include "checks/net.h"
#include "src/util.h"

static const struct check_param_info tcp_params[] = {
	{"host", CHECK_PARAM_ADDRESS, true, 0, 0, NULL, "host", "a host name or IP address",
	 CHECK_CLI_ARGUMENT, "HOST:PORT"},
	{"port", CHECK_PARAM_PORT, true, 0, 0, NULL, "port", "the TCP port", CHECK_CLI_NONE, NULL},
	CHECK_PARAM_TIMEOUT("10", CHECK_CLI_OPTION),
	CHECK_PARAM_END,
};

static const char *const tcp_outcomes[] = {"ok", "dns_fail", "refused", "timeout", NULL};

/* The host and port of a request: host may be written host:port, a port parameter
 * wins. False when there is no port. */
static bool tcp_target(const struct check_request *req, char **host, char **port)
{
	const char *port_p = check_request_param(req, "port");
	if (!check_split_hostport(check_request_param(req, "host"), host, port))
		return false;
	if (port_p && *port_p) {
		free(*port);
		*port = xstrdup(port_p);
	}
	return *port != NULL;
}

static char *tcp_command(const struct check_request *req)
{
	char *host = NULL, *port = NULL, *cmd = NULL;
	long timeout = check_request_timeout_ms(req);
	if (tcp_target(req, &host, &port) && timeout > 0) {
		struct strbuf sb = {0};
		sb_printf(&sb, "nc -vz -w %ld ", (timeout + 999) / 1000);
		sb_shell_quote(&sb, host);
		sb_addc(&sb, ' ');
		sb_shell_quote(&sb, port);
		cmd = sb_steal(&sb);
	}
	free(host);
	free(port);
	return cmd;
}

static int tcp_run(const struct check_request *req, struct check_result *res)
{
	long long t0 = now_ms();
	char *host = NULL, *port = NULL;
	long timeout = check_request_timeout_ms(req);
	if (!tcp_target(req, &host, &port) || timeout < 0) {
		free(host);
		free(port);
		return net_bad(res, timeout < 0 ? "tcp check: timeout out of range" :
				    "tcp check needs a host and a port (HOST:PORT)");
	}
	free(res->target);
	res->target = net_join_hostport(host, port);

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
	free(host);
	free(port);
	res->elapsed_ms = (long)(now_ms() - t0);
	return 0;
}

const struct check_kind tcp_kind = {
	"tcp", "TCP connect to a port", tcp_params, tcp_outcomes, tcp_run, tcp_command,
};
