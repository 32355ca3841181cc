/* tls.c — the tls kind: handshake, certificate dates, name, trust (OpenSSL 3).
 *
 * Trust is judged apart from dates: the verify callback records every error and lets
 * the handshake go on, so the certificate is always seen; dates are then computed
 * against now, names with X509_check_host/X509_check_ip_asc, and "untrusted" means the
 * chain failed for a reason other than a date. */
#include "checks/check.h"
#include "checks/cert_rules.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "checks/net.h"
#include "checks/url.h"
#include "src/util.h"

#define TLS_PROXY_MAX_HEADER  16384

static int verify_log_idx = -1;
static pthread_once_t verify_log_once = PTHREAD_ONCE_INIT;

static void verify_log_init(void)
{
	verify_log_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static int tls_verify_cb(int preverify_ok, X509_STORE_CTX *ctx)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	verify_log_record(ssl ? SSL_get_ex_data(ssl, verify_log_idx) : NULL, preverify_ok, ctx);
	return 1;   /* always go on: we judge the certificate ourselves afterwards */
}

/* ---- The proxy CONNECT exchange. Returns the outcome name on failure (and a
 * summary in *msg), NULL when the tunnel is up. */
static const char *proxy_connect(int fd, const char *target, const char *auth_b64, long long deadline,
				 const atomic_int *cancel, char **msg)
{
	struct strbuf rq = {0};
	sb_printf(&rq, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", target, target);
	if (auth_b64)
		sb_printf(&rq, "Proxy-Authorization: Basic %s\r\n", auth_b64);
	sb_add(&rq, "User-Agent: tshoot\r\n\r\n");
	size_t off = 0;
	const char *fail = NULL;
	while (off < rq.len) {
		enum net_status st = net_wait(fd, POLLOUT, deadline, cancel);
		if (st != NET_OK) {
			fail = st == NET_TIMEOUT ? "timeout" : "cancelled";
			*msg = xstrdup(st == NET_TIMEOUT ? "the proxy did not take the CONNECT request in time" : "cancelled");
			goto out;
		}
		ssize_t w = send(fd, rq.s + off, rq.len - off, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w <= 0) {
			fail = "proxy_error";
			*msg = xasprintf("the proxy closed the connection: %s", strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	/* Read the answer byte by byte up to the blank line: nothing after it may be
	 * swallowed, since the TLS handshake follows on the same socket. */
	char hdr[TLS_PROXY_MAX_HEADER + 1];
	size_t n = 0;
	while (n < TLS_PROXY_MAX_HEADER) {
		enum net_status st = net_wait(fd, POLLIN, deadline, cancel);
		if (st != NET_OK) {
			fail = st == NET_TIMEOUT ? "timeout" : "cancelled";
			*msg = xstrdup(st == NET_TIMEOUT ? "no answer from the proxy to CONNECT in time" : "cancelled");
			goto out;
		}
		ssize_t r = recv(fd, hdr + n, 1, 0);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) {
			fail = "proxy_error";
			*msg = xstrdup("the proxy closed the connection before answering CONNECT");
			goto out;
		}
		n++;
		if (n >= 4 && memcmp(hdr + n - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	hdr[n] = '\0';
	if (n >= TLS_PROXY_MAX_HEADER) {
		fail = "proxy_error";
		*msg = xstrdup("the proxy's answer to CONNECT is too long");
		goto out;
	}
	long code = 0;
	char *eol = strstr(hdr, "\r\n");
	if (eol)
		*eol = '\0';
	char *sp = strchr(hdr, ' ');
	if (strncmp(hdr, "HTTP/", 5) != 0 || !sp || sp[1] < '1' || sp[1] > '5') {
		char *c = str_clean_dup(hdr);
		fail = "proxy_error";
		*msg = xasprintf("the proxy answered CONNECT with something else than HTTP: %.60s", c);
		free(c);
		goto out;
	}
	char num[4] = {sp[1], sp[2], sp[3], '\0'};
	if (!parse_long(num, 100, 599, &code)) {
		fail = "proxy_error";
		*msg = xstrdup("the proxy's status line has no valid status code");
		goto out;
	}
	if (code >= 200 && code < 300)
		goto out;
	char *line = str_clean_dup(hdr);
	if (code == 407) {
		fail = "proxy_auth";
		*msg = xasprintf("the proxy demands authentication (%s)", line);
	} else {
		fail = "proxy_error";
		*msg = xasprintf("the proxy refused the tunnel to %s (%s)", target, line);
	}
	free(line);
out:
	sb_clear(&rq);
	return fail;
}

static const struct check_param_info tls_params[] = {
	{"host", CHECK_PARAM_ADDRESS, true, 0, 0, NULL, "host", "a host name or IP address",
	 CHECK_CLI_ARGUMENT, "HOST[:PORT]"},
	{"port", CHECK_PARAM_PORT, false, 0, 0, "443", "port", "the TCP port", CHECK_CLI_NONE, NULL},
	{"name", CHECK_PARAM_HOST, false, 0, 0, NULL, "name",
	 "the SNI and FQDN the certificate must match; default: the host", CHECK_CLI_OPTION, "FQDN"},
	CHECK_PARAM_WARN_DAYS,
	CHECK_PARAM_CRIT_DAYS,
	CHECK_PARAM_CACERT,
	{"proxy", CHECK_PARAM_PROXY, false, 0, 0, NULL, "proxy URL", "an http:// proxy to tunnel through",
	 CHECK_CLI_OPTION, "URL"},
	CHECK_PARAM_TIMEOUT("10", CHECK_CLI_OPTION),
	CHECK_PARAM_END,
};

static const char *const tls_outcomes[] = {
	"ok", "dns_fail", "refused", "timeout", "closed", "proxy_auth", "proxy_error",
	"proxy_refused", "tls_handshake", "tls_untrusted", "tls_name_mismatch", "tls_expired",
	"tls_not_yet_valid", "tls_expiring", NULL,
};

struct tls_params {
	char *host, *port, *name;
	long warn_days, crit_days;
	const char *cacert;
	long timeout;
	/* the proxy, when there is one (url_proxy_parse, as the http check reads it) */
	struct url_proxy proxy;
	bool via_proxy;
	char *auth_b64;               /* "user:password" for Basic, or NULL: a secret */
	const char *proxy_why;        /* what is wrong with the proxy URL, or NULL */
};

static void tls_params_free(struct tls_params *p)
{
	free(p->host);
	free(p->port);
	free(p->name);
	url_proxy_free(&p->proxy);
	if (p->auth_b64) {
		OPENSSL_cleanse(p->auth_b64, strlen(p->auth_b64));
		FREE_NULL(p->auth_b64);
	}
}

/* Basic credentials for the proxy: base64 of "user:password", decoded as libcurl
 * decodes them from the URL. */
static char *basic_auth_b64(const char *user, const char *password)
{
	char *plain = xasprintf("%s:%s", user, password ? password : "");
	size_t n = strlen(plain);
	unsigned char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock(out, (const unsigned char *)plain, (int)n);
	OPENSSL_cleanse(plain, n);
	free(plain);
	return (char *)out;
}

/* The request's parameters (check_run has validated them against tls_params); NULL,
 * or a static message when they do not make a check (then tls_params_free). */
static const char *tls_params_get(const struct check_request *req, struct tls_params *p)
{
	const char *port = check_request_param(req, "port");
	const char *name = check_request_param(req, "name");
	const char *proxy = check_request_param(req, "proxy");
	double days;
	memset(p, 0, sizeof *p);
	if (!check_split_hostport(check_request_param(req, "host"), &p->host, &p->port) || !*p->host)
		return "tls check needs a host";
	if (port && *port) {
		free(p->port);
		p->port = xstrdup(port);
	}
	if (!p->port)
		p->port = xstrdup(check_request_value(req, "port"));
	p->name = xstrdup(name && *name ? name : p->host);
	if (!check_request_number(req, "warn_days", &days))
		return "tls check: warn_days out of range";
	p->warn_days = (long)days;
	if (!check_request_number(req, "crit_days", &days))
		return "tls check: crit_days out of range";
	p->crit_days = (long)days;
	p->cacert = check_request_param(req, "cacert");
	if (p->cacert && !*p->cacert)
		p->cacert = NULL;
	p->timeout = check_request_timeout_ms(req);
	if (p->timeout < 0)
		return "tls check: timeout out of range";
	if (proxy && *proxy) {
		p->proxy_why = url_proxy_parse(proxy, &p->proxy);
		if (p->proxy_why)
			return p->proxy_why;
		if (!str_eq(p->proxy.scheme, "http"))
			return p->proxy_why = "only http:// proxies are supported for the tls check";
		p->via_proxy = true;
		if (p->proxy.user)
			p->auth_b64 = basic_auth_b64(p->proxy.user, p->proxy.password);
	}
	return NULL;
}

static void add_openssl_error(struct strbuf *sb)
{
	unsigned long e = ERR_peek_last_error();
	if (e) {
		const char *r = ERR_reason_error_string(e);
		sb_printf(sb, ": %s", r ? r : "unknown OpenSSL error");
	}
}

/* What tls_judge found, for the summary line. */
struct tls_verdict {
	struct cert_dates d;                   /* the leaf's own dates (cert_rules.h) */
	bool chain_expired, chain_not_yet;     /* a certificate above it */
	bool untrusted, mismatch;
	char *subject, *issuer;                /* owned */
};

/* The summary line for outcome, in the operator's words. */
static void tls_summary(struct strbuf *sb, const char *outcome, const struct tls_verdict *v,
			const struct verify_log *log, const struct tls_params *p, SSL *ssl)
{
	char *what = xasprintf("certificate for %s", p->name);
	if (str_eq(outcome, "tls_expired") && !v->d.expired) {
		sb_printf(sb, "a certificate in the chain of %s has expired", p->name);
	} else if (str_eq(outcome, "tls_not_yet_valid") && !v->d.not_yet) {
		sb_printf(sb, "a certificate in the chain of %s is not valid yet (check the clock)", p->name);
	} else if (str_eq(outcome, "tls_expired") || str_eq(outcome, "tls_not_yet_valid") ||
		   str_eq(outcome, "tls_expiring")) {
		cert_date_summary(sb, outcome, &v->d, what);
	} else if (str_eq(outcome, "tls_name_mismatch")) {
		sb_printf(sb, "certificate does not match %s (subject %s)", p->name, v->subject);
	} else if (str_eq(outcome, "tls_untrusted")) {
		sb_printf(sb, "%s is not trusted: %s", what, verify_log_untrusted_why(log));
	} else {
		sb_printf(sb, "%s is valid until %s (%d day%s left), issued by %s; %s", what, v->d.na_day,
			  v->d.days_left, v->d.days_left == 1 ? "" : "s", v->issuer, SSL_get_version(ssl));
	}
	free(what);
}

/* Judge the certificate and fill facts, problems, outcome and summary. */
static void tls_judge(SSL *ssl, const struct verify_log *log, const struct tls_params *p, struct check_result *res)
{
	X509 *cert = SSL_get1_peer_certificate(ssl);
	if (!cert) {
		check_result_add_problem(res, "tls_handshake");
		check_result_set(res, "tls_handshake", "the server sent no certificate");
		return;
	}
	struct tls_verdict v = {0};
	bool has_san = false;
	cert_facts(cert, &res->facts, &v.d, &has_san, &v.subject, &v.issuer);
	facts_add(&res->facts, "protocol", SSL_get_version(ssl));
	facts_add(&res->facts, "cipher", SSL_get_cipher_name(ssl));
	verify_log_judge(log, &res->facts, &v.chain_expired, &v.chain_not_yet, &v.untrusted);
	STACK_OF(X509) *chain = SSL_get0_verified_chain(ssl);
	facts_addf(&res->facts, "chain_depth", "%d", chain ? sk_X509_num(chain) : log->max_depth + 1);
	v.mismatch = cert_name_mismatch(cert, p->name, has_san);
	cert_expiry(&v.d, !v.chain_expired && !v.chain_not_yet, p->warn_days, p->crit_days, &res->facts);

	/* problems in precedence order; the first is the outcome */
	if (v.d.expired || v.chain_expired)
		check_result_add_problem(res, "tls_expired");
	if (v.d.not_yet || v.chain_not_yet)
		check_result_add_problem(res, "tls_not_yet_valid");
	if (v.mismatch)
		check_result_add_problem(res, "tls_name_mismatch");
	if (v.untrusted)
		check_result_add_problem(res, "tls_untrusted");
	if (v.d.expiring)
		check_result_add_problem(res, "tls_expiring");

	struct strbuf sb = {0};
	const char *outcome = res->nproblems ? res->problems[0] : "ok";
	tls_summary(&sb, outcome, &v, log, p, ssl);
	check_summary_also(&sb, res);
	check_result_set(res, outcome, "%s", sb.s);
	sb_clear(&sb);
	free(v.subject);
	free(v.issuer);
	X509_free(cert);
}

/* The non-blocking handshake, in slices so the cancel flag is seen. */
static const char *tls_handshake(SSL *ssl, int fd, long long deadline, const atomic_int *cancel, char **msg)
{
	for (;;) {
		ERR_clear_error();
		int r = SSL_connect(ssl);
		if (r == 1)
			return NULL;
		int e = SSL_get_error(ssl, r);
		short ev;
		if (e == SSL_ERROR_WANT_READ)
			ev = POLLIN;
		else if (e == SSL_ERROR_WANT_WRITE)
			ev = POLLOUT;
		else {
			struct strbuf sb = {0};
			unsigned long got = BIO_number_read(SSL_get_rbio(ssl));
			int se = errno;
			if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && got == 0) {
				*msg = xasprintf("the server closed the connection without a TLS answer%s%s",
						 se ? ": " : "", se ? strerror(se) : "");
				return "closed";
			}
			if (e == SSL_ERROR_SSL && got == 0 && ERR_GET_REASON(ERR_peek_last_error())
			    == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
				*msg = xstrdup("the server closed the connection without a TLS answer");
				return "closed";
			}
			sb_add(&sb, "TLS handshake failed");
			if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
				sb_printf(&sb, ": %s", se ? strerror(se) : "connection closed by the server");
			else
				add_openssl_error(&sb);
			if (got > 0 && ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_WRONG_VERSION_NUMBER)
				sb_add(&sb, " (the server does not speak TLS on this port)");
			*msg = sb_steal(&sb);
			return "tls_handshake";
		}
		enum net_status st = net_wait(fd, ev, deadline, cancel);
		if (st == NET_TIMEOUT) {
			*msg = xstrdup("no TLS answer from the server in time");
			return "timeout";
		}
		if (st == NET_CANCELLED) {
			*msg = xstrdup("cancelled");
			return "cancelled";
		}
	}
}

static char *tls_command(const struct check_request *req)
{
	struct tls_params p;
	if (tls_params_get(req, &p)) {
		tls_params_free(&p);
		return NULL;
	}
	struct strbuf sb = {0};
	char *hp = net_join_hostport(p.host, p.port);
	sb_add(&sb, "openssl s_client -connect ");
	sb_shell_quote(&sb, hp);
	if (!net_is_ip_literal(p.name)) {
		sb_add(&sb, " -servername ");
		sb_shell_quote(&sb, p.name);
		sb_add(&sb, " -verify_hostname ");
		sb_shell_quote(&sb, p.name);
	} else {
		sb_add(&sb, " -verify_ip ");
		sb_shell_quote(&sb, p.name);
	}
	if (p.cacert) {
		sb_add(&sb, " -CAfile ");
		sb_shell_quote(&sb, p.cacert);
	}
	if (p.via_proxy) {
		char *pp = net_join_hostport(p.proxy.host, p.proxy.port);
		sb_add(&sb, " -proxy ");
		sb_shell_quote(&sb, pp);
		free(pp);
	}
	sb_add(&sb, " </dev/null");
	free(hp);
	tls_params_free(&p);
	return sb_steal(&sb);
}

/* Writing to a socket the peer has closed raises SIGPIPE, and OpenSSL writes with
 * write(2). Block it on this thread for the check, then drop any that is pending: the
 * signal is thread-directed, so other threads and the process's disposition are
 * untouched. */
static void sigpipe_block(sigset_t *old)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &s, old);
}

static void sigpipe_restore(const sigset_t *old)
{
	if (!sigismember(old, SIGPIPE)) {
		sigset_t s;
		struct timespec zero = {0, 0};
		sigemptyset(&s);
		sigaddset(&s, SIGPIPE);
		while (sigtimedwait(&s, NULL, &zero) > 0)
			;
	}
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static void set_from_net(struct check_result *res, enum net_status st, const char *err, bool via_proxy, long timeout)
{
	if (via_proxy && st != NET_CANCELLED) {
		check_result_set(res, "proxy_refused", "cannot reach the proxy: %s", err ? err : "unknown error");
		return;
	}
	if (net_set_failure(res, st, err, timeout))
		return;
	if (st == NET_CLOSED)
		check_result_set(res, "closed", "connection reset (%s)", err);
	else
		check_result_set(res, "refused", "%s", err ? err : "the connection was refused");
}

/* A connection to the server, through the proxy's tunnel when there is one: the
 * socket, or -1 with the outcome set. */
static int tls_connect(const struct tls_params *p, long long deadline, const atomic_int *cancel,
		       struct check_result *res)
{
	struct addrinfo *ai = NULL;
	char *err = NULL, *addr = NULL;
	int fd = -1;
	const char *host = p->via_proxy ? p->proxy.host : p->host;
	const char *port = p->via_proxy ? p->proxy.port : p->port;
	enum net_status st = net_resolve(host, port, false, deadline, cancel, &ai, &err);
	if (st == NET_OK) {
		FREE_NULL(err);
		st = net_connect(ai, deadline, cancel, &fd, &addr, &err);
		freeaddrinfo(ai);
	}
	if (st != NET_OK) {
		set_from_net(res, st, err, p->via_proxy, p->timeout);
	} else {
		facts_add(&res->facts, p->via_proxy ? "proxy_address" : "address", addr);
		if (p->via_proxy) {
			char *target = net_join_hostport(p->host, p->port);
			char *msg = NULL;
			const char *fail = proxy_connect(fd, target, p->auth_b64, deadline, cancel, &msg);
			free(target);
			if (fail) {
				check_result_set(res, fail, "%s", msg);
				free(msg);
				close(fd);
				fd = -1;
			}
		}
	}
	free(err);
	free(addr);
	return fd;
}

/* The system's trust store, loaded once and shared by the tls checks of the process:
 * reading the CA bundle (some 140 certificates) costs about 45 ms of CPU, which a sweep
 * of 1,000 servers would pay 1,000 times. It is read again when the bundle file
 * changes (an operator installs a CA between two retests of a walk); certificates in
 * the hashed directory are looked up as they are needed, as before. */
static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;
static X509_STORE *store_shared;
static struct stat store_st;
static bool store_have_st;

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* A reference to the shared store (X509_STORE_free it), or NULL when it cannot be
 * made (then the context loads the default paths itself). */
static X509_STORE *default_store_get(void)
{
	const char *file = getenv(X509_get_default_cert_file_env());
	if (!file || !*file)
		file = X509_get_default_cert_file();
	struct stat st;
	bool have = stat(file, &st) == 0;
	pthread_mutex_lock(&store_mu);
	if (store_shared && (have != store_have_st || (have && !same_file(&st, &store_st)))) {
		X509_STORE_free(store_shared);    /* checks still using it hold their own reference */
		store_shared = NULL;
	}
	if (!store_shared) {
		X509_STORE *fresh = X509_STORE_new();
		if (fresh && X509_STORE_set_default_paths(fresh) == 1) {
			store_shared = fresh;
			store_st = st;
			store_have_st = have;
		} else {
			X509_STORE_free(fresh);
		}
		ERR_clear_error();                /* a missing default file or directory is no error here */
	}
	X509_STORE *r = store_shared;
	if (r)
		X509_STORE_up_ref(r);
	pthread_mutex_unlock(&store_mu);
	return r;
}

/* The handshake on fd and the judgement of what the server showed. -1 when the CA
 * file cannot be loaded (bad input), else 0 with the outcome set. */
static int tls_session(int fd, const struct tls_params *p, long long deadline, const atomic_int *cancel,
		       struct check_result *res)
{
	struct verify_log vlog = {.n = 0};
	SSL *ssl = NULL;
	int rc = 0;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		check_result_set(res, "tls_handshake", "cannot set up TLS (OpenSSL)");
		return 0;
	}
	if (p->cacert) {
		if (SSL_CTX_load_verify_locations(ctx, p->cacert, NULL) != 1) {
			rc = net_bad(res, "cannot load CA certificates from %s", p->cacert);
			goto done;
		}
	} else {
		X509_STORE *store = default_store_get();
		if (store) {
			SSL_CTX_set1_cert_store(ctx, store);
			X509_STORE_free(store);
		} else {
			SSL_CTX_set_default_verify_paths(ctx);
		}
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, tls_verify_cb);
	pthread_once(&verify_log_once, verify_log_init);
	ssl = SSL_new(ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1) {
		check_result_set(res, "tls_handshake", "cannot set up TLS (OpenSSL)");
		goto done;
	}
	SSL_set_ex_data(ssl, verify_log_idx, &vlog);
	if (!net_is_ip_literal(p->name))
		SSL_set_tlsext_host_name(ssl, p->name);

	char *msg = NULL;
	long long h0 = now_ms();
	sigset_t oldmask;
	sigpipe_block(&oldmask);
	const char *fail = tls_handshake(ssl, fd, deadline, cancel, &msg);
	sigpipe_restore(&oldmask);
	if (fail) {
		if (str_eq(fail, "tls_handshake"))
			check_result_add_problem(res, "tls_handshake");
		check_result_set(res, fail, "%s", msg);
		free(msg);
		goto done;
	}
	facts_addf(&res->facts, "handshake_ms", "%lld", now_ms() - h0);
	tls_judge(ssl, &vlog, p, res);
done:
	if (ssl) {
		SSL_set_quiet_shutdown(ssl, 1);
		SSL_free(ssl);
	}
	SSL_CTX_free(ctx);
	return rc;
}

static int tls_run(const struct check_request *req, struct check_result *res)
{
	long long t0 = now_ms();
	struct tls_params p;
	int rc = 0;
	const char *why = tls_params_get(req, &p);
	if (why) {
		tls_params_free(&p);
		return net_bad(res, "%s%s", p.proxy_why ? "proxy: " : "", why);
	}
	free(res->target);
	res->target = net_join_hostport(p.host, p.port);
	long long deadline = t0 + p.timeout;
	int fd = tls_connect(&p, deadline, req->cancel, res);
	if (fd >= 0) {
		rc = tls_session(fd, &p, deadline, req->cancel, res);
		close(fd);
	}
	tls_params_free(&p);
	res->elapsed_ms = (long)(now_ms() - t0);
	return rc;
}

const struct check_kind tls_kind = {
	"tls", "TLS handshake and certificate", tls_params, tls_outcomes, tls_run, tls_command,
};
