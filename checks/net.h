/* net.h — socket helpers shared by the tls, tcp and dns checks, and the wording of a
 * resolver timeout shared with the http and proxy checks (private to checks/).
 *
 * Everything here is bounded by a deadline (a now_ms() value) and polls the caller's
 * cancel flag at least every NET_SLICE_MS, so a check never blocks its runner for
 * longer than that after a cancel. */
#ifndef TSHOOT_NET_H
#define TSHOOT_NET_H

#include <netdb.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "checks/check.h"

#define NET_SLICE_MS        100

enum net_status {
	NET_OK,
	NET_DNS_FAIL,        /* the name does not resolve */
	NET_REFUSED,         /* every address refused (or was unreachable) */
	NET_TIMEOUT,         /* the deadline passed */
	NET_CANCELLED,       /* *cancel became nonzero */
	NET_CLOSED,          /* the peer closed or reset the connection */
	NET_ERROR            /* anything else (message says what) */
};

bool net_cancelled(const atomic_int *cancel);

/* Bad input: sets outcome "error" with a one-line summary; returns -1. */
int net_bad(struct check_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The outcome and summary every check gives for these: NET_DNS_FAIL -> dns_fail (err),
 * NET_TIMEOUT -> timeout ("ERR (timeout 2.5 s)"), NET_CANCELLED -> cancelled. Returns
 * false, leaving res alone, for any other status: what a refused, reset or otherwise
 * failed connection means is each check's own. */
bool net_set_failure(struct check_result *res, enum net_status st, const char *err, long timeout_ms);

/* The one wording of a resolver that did not answer in time, for every check (the dns,
 * tcp and tls checks through net_resolve, the http and proxy checks when libcurl's
 * resolver gave up): "no answer resolving HOST in time". Caller frees. A DNS server that
 * does not answer is a timeout, never "the name does not resolve". */
char *net_resolve_timeout_msg(const char *host);

/* "host:port" or "[v6]:port" for messages and commands. Caller frees. */
char *net_join_hostport(const char *host, const char *port);
bool net_is_ip_literal(const char *host);

/* Resolve host (AF_UNSPEC, SOCK_STREAM) without blocking past the deadline: numeric
 * hosts directly, names on a detached worker thread (getaddrinfo cannot be interrupted;
 * the worker frees its own data when the caller has given up). port may be NULL.
 * canon: ask for the canonical name and every address (the dns check); otherwise only
 * addresses of a family this host has configured. On NET_OK *out is the list
 * (freeaddrinfo). Otherwise *err is a message (caller frees). */
enum net_status net_resolve(const char *host, const char *port, bool canon, long long deadline,
			    const atomic_int *cancel, struct addrinfo **out, char **err);

/* Connect to each address in turn with a non-blocking socket until one answers or the
 * deadline passes. On NET_OK *fd is the connected, non-blocking socket and *addr the
 * address it reached ("127.0.0.1:443"). Otherwise *err says why (caller frees). */
enum net_status net_connect(const struct addrinfo *ai, long long deadline, const atomic_int *cancel,
			    int *fd, char **addr, char **err);

/* Wait until fd is ready for events (POLLIN/POLLOUT), in slices. Returns NET_OK,
 * NET_TIMEOUT or NET_CANCELLED. */
enum net_status net_wait(int fd, short events, long long deadline, const atomic_int *cancel);

/* Format a socket address as "1.2.3.4:80" / "[::1]:80" (with_port) or bare. Caller frees. */
char *net_addr_str(const struct sockaddr *sa, socklen_t len, bool with_port);

#endif
