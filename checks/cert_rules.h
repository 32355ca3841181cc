/* cert_rules.h — the rules a certificate is judged by, shared by the tls kind (the
 * certificate a server presents) and the cert kind (a certificate file before it is
 * installed): its names and dates as facts, whether it matches a name (SAN rules),
 * when it has expired or is expiring, and what the chain verifier said.
 *
 * One owner for each rule: tls.c and cert.c call these, neither has its own copy.
 * OpenSSL is in this header, so only checks/ includes it. */
#ifndef TSHOOT_CERT_RULES_H
#define TSHOOT_CERT_RULES_H

#include <stdbool.h>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "checks/check.h"
#include "src/util.h"

/* A certificate's subject or issuer as RFC 2253 text, cleaned. Caller frees. */
char *cert_name_str(const X509_NAME *n);

/* What the dates of a certificate say, against now. */
struct cert_dates {
	bool expired, not_yet;           /* the certificate's own dates */
	bool have_left;
	long long left;                  /* seconds until not_after */
	int days_left;                   /* tls_days_of(left) */
	long long since;                 /* seconds until not_before (> 0: not yet) */
	char nb_day[11], na_day[11];     /* YYYY-MM-DD */
	bool expiring;                   /* within max(warn_days, crit_days): cert_expiry */
	bool expiring_critical;          /* within crit_days */
};

/* The certificate's facts, in this order: subject, san (each entry), issuer,
 * not_before, not_after, days_left; its dates into *d. *has_san: the certificate has a
 * subjectAltName. *subject and *issuer (may be NULL) get owned copies. */
void cert_facts(X509 *cert, struct facts *f, struct cert_dates *d, bool *has_san, char **subject,
		char **issuer);

/* Does the certificate fail to name the host (or IP) name? The CN counts only when the
 * certificate has no SAN at all; a wildcard covers one whole label, never a partial one
 * or the bare domain. */
bool cert_name_mismatch(X509 *cert, const char *name, bool has_san);

/* The expiry rule: a certificate that is in its validity period (and whose chain's
 * dates are good: chain_dates_ok) is expiring when it expires within warn_days (or
 * crit_days, when that is larger), and critically so within crit_days. When expiring,
 * adds the fact "expiry": "warning" or "critical" (a monitoring system's word). */
void cert_expiry(struct cert_dates *d, bool chain_dates_ok, long warn_days, long crit_days, struct facts *f);

/* The summary for a date outcome of the certificate itself (tls_expired when d->expired,
 * tls_not_yet_valid when d->not_yet, tls_expiring); what: "certificate for wsus01". */
void cert_date_summary(struct strbuf *sb, const char *outcome, const struct cert_dates *d, const char *what);

/* ---- The chain verifier's errors, recorded by a verify callback that lets the
 * verification go on, so that every error is seen and dates are judged apart. */
#define CERT_MAX_VERIFY_ERRORS 16
struct verify_err {
	int code;
	int depth;
};
struct verify_log {
	struct verify_err v[CERT_MAX_VERIFY_ERRORS];
	int n;
	int max_depth;
};
/* Record one callback call (preverify_ok as OpenSSL passes it). */
void verify_log_record(struct verify_log *log, int preverify_ok, X509_STORE_CTX *ctx);
/* What the log says: "verify_error" facts (each error once); a certificate above the
 * leaf expired or not yet valid; the chain failed for a reason other than a date. */
void verify_log_judge(const struct verify_log *log, struct facts *f, bool *chain_expired, bool *chain_not_yet,
		      bool *untrusted);
/* The error that makes it untrusted, in OpenSSL's words (the first that is not a date). */
const char *verify_log_untrusted_why(const struct verify_log *log);

#endif
