/* tls.c — the tls kind: handshake, certificate dates, name, trust (OpenSSL 3).
 *
 * Trust is judged apart from dates: the verify callback records every error and lets
 * the handshake go on, so the certificate is always seen; dates are then computed
 * against now, names with X509_check_host/X509_check_ip_asc, and "untrusted" means the
 * chain failed for a reason other than a date. */
#include "checks/check.h"

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

#define TLS_MAX_VERIFY_ERRORS 16
#define TLS_PROXY_MAX_HEADER  16384

struct verify_err {
	int code;
	int depth;
};
struct verify_log {
	struct verify_err v[TLS_MAX_VERIFY_ERRORS];
	int n;
	int max_depth;
};

static int verify_log_idx = -1;
static pthread_once_t verify_log_once = PTHREAD_ONCE_INIT;

static void verify_log_init(void)
{
	verify_log_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static int tls_verify_cb(int preverify_ok, X509_STORE_CTX *ctx)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct verify_log *log = ssl ? SSL_get_ex_data(ssl, verify_log_idx) : NULL;
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	if (log) {
		if (depth > log->max_depth)
			log->max_depth = depth;
		if (!preverify_ok && log->n < TLS_MAX_VERIFY_ERRORS) {
			log->v[log->n].code = X509_STORE_CTX_get_error(ctx);
			log->v[log->n].depth = depth;
			log->n++;
		}
	}
	return 1;   /* always go on: we judge the certificate ourselves afterwards */
}

static bool is_date_error(int code)
{
	return code == X509_V_ERR_CERT_HAS_EXPIRED || code == X509_V_ERR_CERT_NOT_YET_VALID
	    || code == X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD
	    || code == X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
}

/* ---- Certificate text, cleaned of control characters. */
static char *name_str(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	char *data = NULL;
	long len = BIO_get_mem_data(b, &data);
	char *raw = xstrndup(data ? data : "", len > 0 ? (size_t)len : 0);
	BIO_free(b);
	char *clean = str_clean_dup(raw);
	free(raw);
	return clean;
}

static char *time_iso(const ASN1_TIME *t)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return xstrdup("?");
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Seconds from now to t (negative when t is in the past). */
static bool secs_until(const ASN1_TIME *t, long long *out)
{
	int days, secs;
	if (!t || !ASN1_TIME_diff(&days, &secs, NULL, t))
		return false;
	*out = (long long)days * 86400 + secs;
	return true;
}

/* Adds "san" facts; returns whether the certificate lists any SAN entry at all. */
static bool add_sans(X509 *cert, struct facts *facts)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	bool any = false;
	if (!gens)
		return false;
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		any = true;
		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *s = g->d.dNSName;
			char *raw = xstrndup((const char *)ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
			char *clean = str_clean_dup(raw);
			facts_addf(facts, "san", "DNS:%s", clean);
			free(raw);
			free(clean);
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *ip = g->d.iPAddress;
			char buf[64];
			const unsigned char *p = ASN1_STRING_get0_data(ip);
			int len = ASN1_STRING_length(ip);
			int fam = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
			if (fam && inet_ntop(fam, p, buf, sizeof buf))
				facts_addf(facts, "san", "IP:%s", buf);
			else
				facts_add(facts, "san", "IP:?");
		}
	}
	GENERAL_NAMES_free(gens);
	return any;
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
	{"warn_days", CHECK_PARAM_DAYS, false, 0, 3650, "30", "warn_days",
	 "warn when the certificate expires within this many days", CHECK_CLI_OPTION, "N"},
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
	long warn_days;
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

int tls_days_of(long long secs)
{
	/* whole days; a part day left counts (4.9 days left is "5 days"), a part day
	 * past does not ("expired 12.3 days ago" is "12 days ago") */
	if (secs > 0)
		return (int)((secs + 86399) / 86400);
	return -(int)(-secs / 86400);
}

static const char *plural(long long n)
{
	return n == 1 || n == -1 ? "" : "s";
}

/* What tls_judge found, for the summary line. */
struct tls_verdict {
	bool expired, not_yet;                 /* the leaf's own dates */
	bool chain_expired, chain_not_yet;     /* a certificate above it */
	bool untrusted, mismatch, expiring;
	bool have_left;
	long long left;                        /* seconds until not_after */
	int days_left;
	long long since;                       /* seconds until not_before (> 0: not yet) */
	char nb_day[11], na_day[11];           /* YYYY-MM-DD */
	char *subject, *issuer;                /* owned */
};

/* The certificate's names, dates and the connection's protocol as facts; the dates
 * into v. has_san: the certificate has a subjectAltName. */
static void tls_cert_facts(SSL *ssl, X509 *cert, struct check_result *res, struct tls_verdict *v, bool *has_san)
{
	v->subject = name_str(X509_get_subject_name(cert));
	v->issuer = name_str(X509_get_issuer_name(cert));
	char *nb = time_iso(X509_get0_notBefore(cert));
	char *na = time_iso(X509_get0_notAfter(cert));
	facts_add(&res->facts, "subject", v->subject);
	*has_san = add_sans(cert, &res->facts);
	facts_add(&res->facts, "issuer", v->issuer);
	facts_add(&res->facts, "not_before", nb);
	facts_add(&res->facts, "not_after", na);
	snprintf(v->nb_day, sizeof v->nb_day, "%.10s", nb);
	snprintf(v->na_day, sizeof v->na_day, "%.10s", na);
	free(nb);
	free(na);

	v->have_left = secs_until(X509_get0_notAfter(cert), &v->left);
	bool have_since = secs_until(X509_get0_notBefore(cert), &v->since);
	v->days_left = tls_days_of(v->left);
	if (v->have_left)
		facts_addf(&res->facts, "days_left", "%d", v->days_left);
	facts_add(&res->facts, "protocol", SSL_get_version(ssl));
	facts_add(&res->facts, "cipher", SSL_get_cipher_name(ssl));
	v->expired = v->have_left && v->left <= 0;
	v->not_yet = have_since && v->since > 0;
}

/* The verifier's errors as facts (each once); dates above the leaf and trust into v. */
static void tls_chain_facts(SSL *ssl, const struct verify_log *log, struct check_result *res, struct tls_verdict *v)
{
	for (int i = 0; i < log->n; i++) {
		int code = log->v[i].code;
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen = seen || log->v[j].code == code;
		if (!seen)
			facts_add(&res->facts, "verify_error", X509_verify_cert_error_string(code));
		if (is_date_error(code)) {
			/* the leaf's dates are judged from the certificate itself */
			if (log->v[i].depth > 0 && code == X509_V_ERR_CERT_HAS_EXPIRED)
				v->chain_expired = true;
			if (log->v[i].depth > 0 && code == X509_V_ERR_CERT_NOT_YET_VALID)
				v->chain_not_yet = true;
		} else {
			v->untrusted = true;
		}
	}
	STACK_OF(X509) *chain = SSL_get0_verified_chain(ssl);
	int depth = chain ? sk_X509_num(chain) : log->max_depth + 1;
	facts_addf(&res->facts, "chain_depth", "%d", depth);
}

/* Does the certificate fail to name the host (or IP) the operator asked for? */
static bool tls_name_mismatch(X509 *cert, const char *name, bool has_san)
{
	if (net_is_ip_literal(name))
		return X509_check_ip_asc(cert, name, 0) != 1;
	/* The CN counts only when the certificate has no SAN at all (DESIGN §3); wildcards
	 * cover one whole label, never a partial one or the bare domain. */
	unsigned flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
	if (has_san)
		flags |= X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
	return X509_check_host(cert, name, 0, flags, NULL) != 1;
}

/* The summary line for outcome, in the operator's words. */
static void tls_summary(struct strbuf *sb, const char *outcome, const struct tls_verdict *v,
			const struct verify_log *log, const struct tls_params *p, SSL *ssl)
{
	if (str_eq(outcome, "tls_expired")) {
		if (v->expired) {
			int ago = -v->days_left;
			if (ago == 0)
				sb_printf(sb, "certificate for %s expired today (not after %s)", p->name, v->na_day);
			else
				sb_printf(sb, "certificate for %s expired %d day%s ago (not after %s)", p->name,
					  ago, plural(ago), v->na_day);
		} else {
			sb_printf(sb, "a certificate in the chain of %s has expired", p->name);
		}
	} else if (str_eq(outcome, "tls_not_yet_valid") && !v->not_yet) {
		sb_printf(sb, "a certificate in the chain of %s is not valid yet (check the clock)", p->name);
	} else if (str_eq(outcome, "tls_not_yet_valid")) {
		int in = tls_days_of(v->since);
		sb_printf(sb, "certificate for %s is not valid yet (not before %s, in %d day%s; check the clock)",
			  p->name, v->nb_day, in, plural(in));
	} else if (str_eq(outcome, "tls_name_mismatch")) {
		sb_printf(sb, "certificate does not match %s (subject %s)", p->name, v->subject);
	} else if (str_eq(outcome, "tls_untrusted")) {
		int code = log->v[0].code;
		for (int i = log->n - 1; i >= 0; i--)
			if (!is_date_error(log->v[i].code))
				code = log->v[i].code;
		sb_printf(sb, "certificate for %s is not trusted: %s", p->name, X509_verify_cert_error_string(code));
	} else if (str_eq(outcome, "tls_expiring")) {
		sb_printf(sb, "certificate for %s expires in %d day%s (not after %s)", p->name, v->days_left,
			  plural(v->days_left), v->na_day);
	} else {
		sb_printf(sb, "certificate for %s is valid until %s (%d day%s left), issued by %s; %s",
			  p->name, v->na_day, v->days_left, plural(v->days_left), v->issuer, SSL_get_version(ssl));
	}
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
	tls_cert_facts(ssl, cert, res, &v, &has_san);
	tls_chain_facts(ssl, log, res, &v);
	v.mismatch = tls_name_mismatch(cert, p->name, has_san);
	v.expiring = !v.expired && !v.not_yet && !v.chain_expired && !v.chain_not_yet && v.have_left &&
		     v.left < (long long)p->warn_days * 86400;

	/* problems in precedence order; the first is the outcome */
	if (v.expired || v.chain_expired)
		check_result_add_problem(res, "tls_expired");
	if (v.not_yet || v.chain_not_yet)
		check_result_add_problem(res, "tls_not_yet_valid");
	if (v.mismatch)
		check_result_add_problem(res, "tls_name_mismatch");
	if (v.untrusted)
		check_result_add_problem(res, "tls_untrusted");
	if (v.expiring)
		check_result_add_problem(res, "tls_expiring");

	struct strbuf sb = {0};
	const char *outcome = res->nproblems ? res->problems[0] : "ok";
	tls_summary(&sb, outcome, &v, log, p, ssl);
	if (res->nproblems > 1) {
		sb_add(&sb, "; also:");
		for (size_t i = 1; i < res->nproblems; i++) {
			char *h = outcome_human(res->problems[i]);
			sb_printf(&sb, "%s %s", i > 1 ? "," : "", h);
			free(h);
		}
	}
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
