/* cert_rules.c — certificate names, dates, expiry and the verifier's errors, judged one
 * way for the tls and cert kinds (checks/cert_rules.h). */
#include "checks/cert_rules.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/x509v3.h>

#include "checks/net.h"

char *cert_name_str(const X509_NAME *n)
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

void cert_facts(X509 *cert, struct facts *f, struct cert_dates *d, bool *has_san, char **subject, char **issuer)
{
	char *subj = cert_name_str(X509_get_subject_name(cert));
	char *iss = cert_name_str(X509_get_issuer_name(cert));
	char *nb = time_iso(X509_get0_notBefore(cert));
	char *na = time_iso(X509_get0_notAfter(cert));
	memset(d, 0, sizeof *d);
	facts_add(f, "subject", subj);
	*has_san = add_sans(cert, f);
	facts_add(f, "issuer", iss);
	facts_add(f, "not_before", nb);
	facts_add(f, "not_after", na);
	snprintf(d->nb_day, sizeof d->nb_day, "%.10s", nb);
	snprintf(d->na_day, sizeof d->na_day, "%.10s", na);
	free(nb);
	free(na);
	d->have_left = secs_until(X509_get0_notAfter(cert), &d->left);
	bool have_since = secs_until(X509_get0_notBefore(cert), &d->since);
	d->days_left = tls_days_of(d->left);
	if (d->have_left)
		facts_addf(f, "days_left", "%d", d->days_left);
	d->expired = d->have_left && d->left <= 0;
	d->not_yet = have_since && d->since > 0;
	if (subject)
		*subject = subj;
	else
		free(subj);
	if (issuer)
		*issuer = iss;
	else
		free(iss);
}

bool cert_name_mismatch(X509 *cert, const char *name, bool has_san)
{
	if (net_is_ip_literal(name))
		return X509_check_ip_asc(cert, name, 0) != 1;
	unsigned flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
	if (has_san)
		flags |= X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
	return X509_check_host(cert, name, 0, flags, NULL) != 1;
}

void cert_expiry(struct cert_dates *d, bool chain_dates_ok, long warn_days, long crit_days, struct facts *f)
{
	long within = warn_days > crit_days ? warn_days : crit_days;
	bool valid_now = !d->expired && !d->not_yet && chain_dates_ok && d->have_left;
	d->expiring = valid_now && d->left < (long long)within * 86400;
	d->expiring_critical = d->expiring && d->left < (long long)crit_days * 86400;
	if (d->expiring)
		facts_add(f, "expiry", d->expiring_critical ? "critical" : "warning");
}

static const char *plural(long long n)
{
	return n == 1 || n == -1 ? "" : "s";
}

void cert_date_summary(struct strbuf *sb, const char *outcome, const struct cert_dates *d, const char *what)
{
	if (str_eq(outcome, "tls_expired")) {
		int ago = -d->days_left;
		if (ago == 0)
			sb_printf(sb, "%s expired today (not after %s)", what, d->na_day);
		else
			sb_printf(sb, "%s expired %d day%s ago (not after %s)", what, ago, plural(ago), d->na_day);
	} else if (str_eq(outcome, "tls_not_yet_valid")) {
		int in = tls_days_of(d->since);
		sb_printf(sb, "%s is not valid yet (not before %s, in %d day%s; check the clock)", what, d->nb_day,
			  in, plural(in));
	} else if (str_eq(outcome, "tls_expiring")) {
		sb_printf(sb, "%s expires in %d day%s (not after %s)", what, d->days_left, plural(d->days_left),
			  d->na_day);
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

/* ---- The verifier's errors. */

static bool is_date_error(int code)
{
	return code == X509_V_ERR_CERT_HAS_EXPIRED || code == X509_V_ERR_CERT_NOT_YET_VALID
	    || code == X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD
	    || code == X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
}

void verify_log_record(struct verify_log *log, int preverify_ok, X509_STORE_CTX *ctx)
{
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	if (!log)
		return;
	if (depth > log->max_depth)
		log->max_depth = depth;
	if (!preverify_ok && log->n < CERT_MAX_VERIFY_ERRORS) {
		log->v[log->n].code = X509_STORE_CTX_get_error(ctx);
		log->v[log->n].depth = depth;
		log->n++;
	}
}

void verify_log_judge(const struct verify_log *log, struct facts *f, bool *chain_expired, bool *chain_not_yet,
		      bool *untrusted)
{
	for (int i = 0; i < log->n; i++) {
		int code = log->v[i].code;
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen = seen || log->v[j].code == code;
		if (!seen)
			facts_add(f, "verify_error", X509_verify_cert_error_string(code));
		if (is_date_error(code)) {
			/* the leaf's dates are judged from the certificate itself */
			if (log->v[i].depth > 0 && code == X509_V_ERR_CERT_HAS_EXPIRED)
				*chain_expired = true;
			if (log->v[i].depth > 0 && code == X509_V_ERR_CERT_NOT_YET_VALID)
				*chain_not_yet = true;
		} else {
			*untrusted = true;
		}
	}
}

const char *verify_log_untrusted_why(const struct verify_log *log)
{
	int code = log->n ? log->v[0].code : X509_V_OK;
	for (int i = log->n - 1; i >= 0; i--)
		if (!is_date_error(log->v[i].code))
			code = log->v[i].code;
	return X509_verify_cert_error_string(code);
}
