/* net.c — bounded, cancellable resolve and connect for the tls, tcp and dns checks. */
#include "checks/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "src/util.h"

bool net_cancelled(const atomic_int *cancel)
{
	return cancel && atomic_load(cancel) != 0;
}

int net_bad(struct check_result *res, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	check_result_set(res, "error", "%s", msg);
	free(msg);
	return -1;
}

bool net_set_failure(struct check_result *res, enum net_status st, const char *err, long timeout_ms)
{
	switch (st) {
	case NET_DNS_FAIL:
		check_result_set(res, "dns_fail", "%s", err ? err : "cannot resolve");
		return true;
	case NET_TIMEOUT:
		check_result_set(res, "timeout", "%s (timeout %.1f s)", err, timeout_ms / 1000.0);
		return true;
	case NET_CANCELLED:
		check_result_set(res, "cancelled", "cancelled");
		return true;
	default:
		return false;
	}
}

char *net_resolve_timeout_msg(const char *host)
{
	return xasprintf("no answer resolving %s in time", host);
}

bool net_is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];
	return host && (inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1);
}

char *net_join_hostport(const char *host, const char *port)
{
	if (strchr(host, ':'))
		return xasprintf("[%s]:%s", host, port);
	return xasprintf("%s:%s", host, port);
}

char *net_addr_str(const struct sockaddr *sa, socklen_t len, bool with_port)
{
	char h[NI_MAXHOST], p[NI_MAXSERV];
	if (getnameinfo(sa, len, h, sizeof h, p, sizeof p, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return xstrdup("?");
	if (!with_port)
		return xstrdup(h);
	return net_join_hostport(h, p);
}

/* ---- Resolver on a thread of its own.
 * The job is shared by the waiter and the worker; whoever drops the last reference
 * frees it (and the result, if the waiter never took it). A worker that answered in
 * time is joined (it has only to return), so nothing of it outlives the check; one
 * still resolving when the waiter gives up (timeout, cancel) is detached. */
struct resolve_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;
	bool done;
	char *host, *port;
	struct addrinfo hints;
	struct addrinfo *res;
	int rc;
	int err_no;
};

static void job_unref_locked(struct resolve_job *j)
{
	/* called with j->mu held; unlocks it */
	int left = --j->refs;
	pthread_mutex_unlock(&j->mu);
	if (left == 0) {
		if (j->res)
			freeaddrinfo(j->res);
		pthread_mutex_destroy(&j->mu);
		pthread_cond_destroy(&j->cv);
		free(j->host);
		free(j->port);
		free(j);
	}
}

static void *resolve_worker(void *arg)
{
	struct resolve_job *j = arg;
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(j->host, j->port, &j->hints, &res);
	int e = errno;
	pthread_mutex_lock(&j->mu);
	j->res = res;
	j->rc = rc;
	j->err_no = e;
	j->done = true;
	pthread_cond_signal(&j->cv);
	job_unref_locked(j);
	return NULL;
}

static char *gai_message(const char *host, int rc, int e)
{
	if (rc == EAI_SYSTEM)
		return xasprintf("cannot resolve %s: %s", host, strerror(e));
	return xasprintf("cannot resolve %s: %s", host, gai_strerror(rc));
}

enum net_status net_resolve(const char *host, const char *port, bool canon, long long deadline,
			    const atomic_int *cancel, struct addrinfo **out, char **err)
{
	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* For a connection only addresses this host can use (AI_ADDRCONFIG); the dns check
	 * (canon) reports every address the name has. */
	hints.ai_flags = canon ? AI_CANONNAME : AI_ADDRCONFIG;
	*out = NULL;
	*err = NULL;

	if (net_is_ip_literal(host)) {               /* no lookup, no thread */
		hints.ai_flags = AI_NUMERICHOST | (port ? AI_NUMERICSERV : 0);
		int rc = getaddrinfo(host, port, &hints, out);
		if (rc != 0) {
			*err = gai_message(host, rc, errno);
			return NET_ERROR;
		}
		return NET_OK;
	}

	struct resolve_job *j = xcalloc(1, sizeof *j);
	pthread_mutex_init(&j->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cv, &ca);
	pthread_condattr_destroy(&ca);
	j->refs = 2;
	j->host = xstrdup(host);
	j->port = xstrdup(port);
	j->hints = hints;
	if (port)
		j->hints.ai_flags |= AI_NUMERICSERV;

	pthread_t th;
	if (pthread_create(&th, NULL, resolve_worker, j) != 0) {
		j->refs = 1;
		pthread_mutex_lock(&j->mu);
		job_unref_locked(j);
		*err = xstrdup("cannot start a resolver thread");
		return NET_ERROR;
	}

	enum net_status st = NET_OK;
	pthread_mutex_lock(&j->mu);
	while (!j->done) {
		if (net_cancelled(cancel)) {
			st = NET_CANCELLED;
			break;
		}
		long long now = now_ms();
		if (now >= deadline) {
			st = NET_TIMEOUT;
			break;
		}
		long long slice = deadline - now < NET_SLICE_MS ? deadline - now : NET_SLICE_MS;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)(slice / 1000);
		ts.tv_nsec += (long)(slice % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&j->cv, &j->mu, &ts);
	}
	if (j->done) {
		st = NET_OK;
		if (j->rc != 0) {
			*err = gai_message(host, j->rc, j->err_no);
			st = (j->rc == EAI_SYSTEM || j->rc == EAI_MEMORY) ? NET_ERROR : NET_DNS_FAIL;
		} else {
			*out = j->res;
			j->res = NULL;
		}
	} else if (st == NET_TIMEOUT) {
		*err = net_resolve_timeout_msg(host);
	} else {
		*err = xstrdup("cancelled");
	}
	bool answered = j->done;
	job_unref_locked(j);
	if (answered)
		pthread_join(th, NULL);
	else
		pthread_detach(th);
	return st;
}

enum net_status net_wait(int fd, short events, long long deadline, const atomic_int *cancel)
{
	for (;;) {
		if (net_cancelled(cancel))
			return NET_CANCELLED;
		long long now = now_ms();
		if (now >= deadline)
			return NET_TIMEOUT;
		long long slice = deadline - now < NET_SLICE_MS ? deadline - now : NET_SLICE_MS;
		struct pollfd p = {.fd = fd, .events = events};
		int r = poll(&p, 1, (int)slice);
		if (r > 0)
			return NET_OK;
		if (r < 0 && errno != EINTR)
			return NET_OK;      /* let the caller's next read/write report the error */
	}
}

static enum net_status connect_one(const struct addrinfo *a, long long deadline, const atomic_int *cancel,
				   int *fdp, int *err_no)
{
	int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
	*err_no = 0;
	if (fd < 0) {
		*err_no = errno;
		return NET_ERROR;
	}
	if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
		*fdp = fd;
		return NET_OK;
	}
	if (errno != EINPROGRESS) {
		*err_no = errno;
		close(fd);
		return NET_ERROR;
	}
	enum net_status st = net_wait(fd, POLLOUT, deadline, cancel);
	if (st != NET_OK) {
		close(fd);
		return st;
	}
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	if (soerr != 0) {
		*err_no = soerr;
		close(fd);
		return NET_ERROR;
	}
	*fdp = fd;
	return NET_OK;
}

enum net_status net_connect(const struct addrinfo *ai, long long deadline, const atomic_int *cancel,
			    int *fd, char **addr, char **err)
{
	int last_errno = 0;
	char *last_addr = NULL;
	bool all_refused = true;
	*fd = -1;
	*addr = NULL;
	*err = NULL;
	for (const struct addrinfo *a = ai; a; a = a->ai_next) {
		int e;
		free(last_addr);
		last_addr = net_addr_str(a->ai_addr, a->ai_addrlen, true);
		enum net_status st = connect_one(a, deadline, cancel, fd, &e);
		if (st == NET_OK) {
			*addr = last_addr;
			return NET_OK;
		}
		if (st == NET_TIMEOUT || st == NET_CANCELLED) {
			*err = st == NET_TIMEOUT ? xasprintf("no answer from %s in time", last_addr)
						 : xstrdup("cancelled");
			*addr = last_addr;
			return st;
		}
		last_errno = e;
		if (e != ECONNREFUSED && e != EHOSTUNREACH && e != ENETUNREACH && e != EADDRNOTAVAIL
		    && e != EAFNOSUPPORT)
			all_refused = false;
	}
	*addr = last_addr;
	if (!last_addr) {
		*err = xstrdup("no address to connect to");
		return NET_ERROR;
	}
	*err = last_errno == ECONNREFUSED ? xasprintf("%s refused the connection", last_addr)
					  : xasprintf("%s: %s", last_addr, strerror(last_errno));
	return all_refused ? NET_REFUSED : (last_errno == ECONNRESET ? NET_CLOSED : NET_ERROR);
}
