/* cert.c — the cert kind: a certificate file (PEM, DER or PKCS#12) judged before it is
 * installed, by the rules the tls kind judges a server's certificate with
 * (checks/cert_rules.h: names, dates, expiry, the verifier's errors), plus what only a
 * file can show: its private key, its key usage, its key size and signature algorithm.
 *
 * The PKCS#12 (or encrypted PEM key) password comes only from the environment variable
 * that password_env names; it is never in argv, facts, the summary or the command. */
#include "checks/check.h"
#include "checks/cert_rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "checks/net.h"
#include "src/util.h"

#define CERT_FILE_MAX (1024 * 1024)     /* a certificate file is a few KB; refuse more */
#define CERT_WEAK_RSA_BITS 2048
#define CERT_WEAK_EC_BITS 224

static const struct check_param_info cert_params[] = {
	{"file", CHECK_PARAM_FILE, true, 0, 0, NULL, "certificate file",
	 "the certificate file, PEM, DER or PKCS#12 (.pfx, .p12), with or without its key", CHECK_CLI_ARGUMENT,
	 "FILE"},
	{"name", CHECK_PARAM_HOST, false, 0, 0, NULL, "name",
	 "the FQDN or IP address the certificate must match; default: no name is checked", CHECK_CLI_OPTION,
	 "FQDN"},
	CHECK_PARAM_WARN_DAYS,
	CHECK_PARAM_CRIT_DAYS,
	CHECK_PARAM_CACERT,
	{"password_env", CHECK_PARAM_TEXT, false, 0, 0, NULL, "password variable",
	 "the name of the environment variable that holds the password of a PKCS#12 file or an encrypted key",
	 CHECK_CLI_OPTION, "VAR"},
	CHECK_PARAM_END,
};

static const char *const cert_outcomes[] = {
	"ok", "tls_key_mismatch", "tls_expired", "tls_not_yet_valid", "tls_name_mismatch", "tls_untrusted",
	"tls_usage", "tls_weak", "tls_expiring", NULL,
};

/* What the file holds. */
struct cert_file {
	const char *format;          /* "PEM", "DER", "PKCS#12" */
	X509 *cert;                  /* the first certificate: the one judged */
	STACK_OF(X509) *extra;       /* the others: intermediates offered for the chain */
	EVP_PKEY *key;               /* its private key, when the file has one */
};

static void cert_file_free(struct cert_file *cf)
{
	X509_free(cf->cert);
	sk_X509_pop_free(cf->extra, X509_free);
	EVP_PKEY_free(cf->key);
	memset(cf, 0, sizeof *cf);
}

/* The password, from the variable password_env names: NULL when none is named; *why
 * set when one is named but is not a variable's name or is not set. */
static const char *cert_password(const char *var, const char **why)
{
	*why = NULL;
	if (!var || !*var)
		return NULL;
	bool good = (*var >= 'A' && *var <= 'Z') || (*var >= 'a' && *var <= 'z') || *var == '_';
	for (const char *c = var; *c && good; c++)
		good = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
	if (!good) {
		*why = "password_env must name an environment variable (letters, digits, '_'), not hold the password";
		return NULL;
	}
	const char *pw = getenv(var);
	if (!pw)
		*why = "the environment variable password_env names is not set";
	return pw;
}

/* PEM's password callback: the password from the environment, never a prompt. */
static int pem_env_password_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	if (!pw)
		return -1;
	int n = (int)strlen(pw);
	if (n > size)
		return -1;
	memcpy(buf, pw, (size_t)n);
	return n;
}

/* Read the whole file (bounded). NULL with *why (static or in buf) on failure. */
static unsigned char *read_cert_file(const char *path, size_t *len, char *buf, size_t size, const char **why)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(buf, size, "cannot read certificate file '%s': %s", path, strerror(errno));
		*why = buf;
		return NULL;
	}
	unsigned char *data = xmalloc(CERT_FILE_MAX + 1);
	size_t n = fread(data, 1, CERT_FILE_MAX + 1, f);
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (err || n == 0 || n > CERT_FILE_MAX) {
		snprintf(buf, size, "certificate file '%s' %s", path,
			 err ? strerror(err) : n == 0 ? "is empty" : "is larger than 1 MB: not a certificate");
		*why = buf;
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

static bool is_pem(const unsigned char *data, size_t len)
{
	return memmem(data, len, "-----BEGIN ", 11) != NULL;
}

/* PEM: every certificate, and the first private key when there is one. */
static const char *load_pem(const unsigned char *data, size_t len, const char *pw, bool pw_named,
			    struct cert_file *cf)
{
	BIO *b = BIO_new_mem_buf(data, (int)len);
	X509 *x;
	cf->format = "PEM";
	cf->extra = sk_X509_new_null();
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		if (!cf->cert)
			cf->cert = x;
		else
			sk_X509_push(cf->extra, x);
	}
	BIO_free(b);
	ERR_clear_error();
	if (!cf->cert)
		return "no certificate in the PEM file";
	if (memmem(data, len, "PRIVATE KEY-----", 16)) {
		b = BIO_new_mem_buf(data, (int)len);
		cf->key = PEM_read_bio_PrivateKey(b, NULL, pem_env_password_cb, (void *)pw);
		BIO_free(b);
		ERR_clear_error();
		if (!cf->key)
			return pw_named ? "cannot read the private key in the file: wrong password, or not a key"
					: "the private key in the file is encrypted: name the variable that holds its "
					  "password with --password-env VAR (password_env in a flow)";
	}
	return NULL;
}

/* PKCS#12 parse, once more with OpenSSL's legacy provider (RC2, 3DES: older Windows
 * exports) when the default one lacks an algorithm. */
static int p12_parse(PKCS12 *p12, const char *pw, struct cert_file *cf)
{
	if (PKCS12_parse(p12, pw, &cf->key, &cf->cert, &cf->extra))
		return 1;
	unsigned long e = ERR_peek_last_error();
	if (ERR_GET_REASON(e) == PKCS12_R_MAC_VERIFY_FAILURE)
		return 0;
	ERR_clear_error();
	if (!OSSL_PROVIDER_available(NULL, "legacy") && OSSL_PROVIDER_try_load(NULL, "legacy", 1))
		return PKCS12_parse(p12, pw, &cf->key, &cf->cert, &cf->extra);
	return 0;
}

/* DER: one certificate; else PKCS#12. */
static const char *load_binary(const unsigned char *data, size_t len, const char *pw, bool pw_named,
			       struct cert_file *cf)
{
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x && p == data + len) {
		cf->format = "DER";
		cf->cert = x;
		return NULL;
	}
	X509_free(x);
	p = data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
	ERR_clear_error();
	if (!p12)
		return "not a certificate: neither PEM, DER nor PKCS#12";
	cf->format = "PKCS#12";
	int ok = p12_parse(p12, pw ? pw : "", cf);
	unsigned long e = ERR_peek_last_error();
	PKCS12_free(p12);
	ERR_clear_error();
	if (!ok) {
		if (ERR_GET_REASON(e) == PKCS12_R_MAC_VERIFY_FAILURE)
			return pw_named ? "wrong password for the PKCS#12 file"
					: "the PKCS#12 file has a password: name the variable that holds it with --password-env VAR (password_env in a flow)";
		return "cannot read the PKCS#12 file (an algorithm this OpenSSL lacks, or a damaged file)";
	}
	if (!cf->cert)
		return "no certificate in the PKCS#12 file";
	return NULL;
}

/* ---- What only a file shows. */

static int cert_verify_cb(int ok, X509_STORE_CTX *ctx)
{
	verify_log_record(X509_STORE_CTX_get_app_data(ctx), ok, ctx);
	return 1;      /* go on: every error is recorded, dates are judged apart */
}

/* The chain from the certificate (and the file's other certificates) to cacert or the
 * system's store. -1 when the CA file cannot be loaded. */
static int cert_chain(struct cert_file *cf, const char *cacert, struct verify_log *log, int *depth)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int rc = 0;
	if (!st || !ctx || (cacert ? X509_STORE_load_file(st, cacert) != 1 : X509_STORE_set_default_paths(st) != 1)) {
		rc = -1;
		goto out;
	}
	X509_STORE_set_verify_cb(st, cert_verify_cb);
	if (X509_STORE_CTX_init(ctx, st, cf->cert, cf->extra) != 1) {
		rc = -1;
		goto out;
	}
	X509_STORE_CTX_set_app_data(ctx, log);
	(void)X509_verify_cert(ctx);
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	*depth = chain ? sk_X509_num(chain) : log->max_depth + 1;
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return rc;
}

/* key_usage and ext_key_usage facts; whether the certificate may serve TLS (OpenSSL's
 * rule for the SSL server purpose); *why: what it allows instead. */
static bool cert_usage(X509 *cert, struct facts *f, struct strbuf *why)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} ku[] = {
		{KU_DIGITAL_SIGNATURE, "digitalSignature"}, {KU_NON_REPUDIATION, "nonRepudiation"},
		{KU_KEY_ENCIPHERMENT, "keyEncipherment"}, {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
		{KU_KEY_AGREEMENT, "keyAgreement"}, {KU_KEY_CERT_SIGN, "keyCertSign"}, {KU_CRL_SIGN, "cRLSign"},
	}, xku[] = {
		{XKU_SSL_SERVER, "serverAuth"}, {XKU_SSL_CLIENT, "clientAuth"}, {XKU_SMIME, "emailProtection"},
		{XKU_CODE_SIGN, "codeSigning"}, {XKU_TIMESTAMP, "timeStamping"}, {XKU_OCSP_SIGN, "OCSPSigning"},
		{XKU_ANYEKU, "anyExtendedKeyUsage"},
	};
	uint32_t flags = X509_get_extension_flags(cert);
	struct strbuf sb = {0};
	if (flags & EXFLAG_KUSAGE) {
		uint32_t v = X509_get_key_usage(cert);
		for (size_t i = 0; i < ARRAY_LEN(ku); i++)
			if (v & ku[i].bit)
				sb_printf(&sb, "%s%s", sb.len ? ", " : "", ku[i].name);
		facts_add(f, "key_usage", sb.len ? sb.s : "none");
		sb_clear(&sb);
	}
	if (flags & EXFLAG_XKUSAGE) {
		uint32_t v = X509_get_extended_key_usage(cert);
		for (size_t i = 0; i < ARRAY_LEN(xku); i++)
			if (v & xku[i].bit)
				sb_printf(&sb, "%s%s", sb.len ? ", " : "", xku[i].name);
		facts_add(f, "ext_key_usage", sb.len ? sb.s : "other");
	}
	bool ok = X509_check_purpose(cert, X509_PURPOSE_SSL_SERVER, 0) == 1;
	if (!ok) {
		if ((flags & EXFLAG_XKUSAGE) && !(X509_get_extended_key_usage(cert) & (XKU_SSL_SERVER | XKU_ANYEKU)))
			sb_printf(why, "its extended key usage (%s) has no serverAuth", sb.len ? sb.s : "other");
		else if (flags & EXFLAG_KUSAGE)
			sb_printf(why, "its key usage (%s) allows neither digitalSignature nor keyEncipherment",
				  facts_get0(f, "key_usage"));
		else
			sb_add(why, "it is not for TLS servers");
	}
	sb_clear(&sb);
	ERR_clear_error();
	return ok;
}

/* key_type, key_bits and signature_algorithm facts; whether it is weak, and why. */
static bool cert_weak(X509 *cert, struct facts *f, struct strbuf *why)
{
	bool weak = false;
	int sig = X509_get_signature_nid(cert), md = NID_undef, pk = NID_undef;
	facts_add(f, "signature_algorithm", sig != NID_undef ? OBJ_nid2ln(sig) : "unknown");
	if (OBJ_find_sigid_algs(sig, &md, &pk) &&
	    (md == NID_sha1 || md == NID_md5 || md == NID_md4 || md == NID_md2 || md == NID_mdc2)) {
		weak = true;
		sb_printf(why, "signed with %s", OBJ_nid2ln(sig));
	}
	EVP_PKEY *key = X509_get0_pubkey(cert);
	if (key) {
		int bits = EVP_PKEY_get_bits(key);
		int id = EVP_PKEY_get_base_id(key);
		const char *type = EVP_PKEY_get0_type_name(key);
		facts_add(f, "key_type", type ? type : "unknown");
		facts_addf(f, "key_bits", "%d", bits);
		int min = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS || id == EVP_PKEY_DSA ? CERT_WEAK_RSA_BITS
			: id == EVP_PKEY_EC ? CERT_WEAK_EC_BITS : 0;
		if (bits > 0 && bits < min) {
			sb_printf(why, "%s%s key of %d bits (fewer than %d)", weak ? " and an " : "an ", type ? type : "",
				  bits, min);
			weak = true;
		}
	}
	return weak;
}

/* ---- The check. */

struct cert_verdict {
	struct cert_dates d;
	bool chain_expired, chain_not_yet, untrusted, mismatch, key_mismatch, usage, weak;
	struct strbuf usage_why, weak_why;
	char *subject, *issuer;
};

static void cert_summary(struct strbuf *sb, const char *outcome, const struct cert_verdict *v,
			 const struct verify_log *log, const char *name, const struct cert_file *cf)
{
	char *what = name ? xasprintf("certificate for %s", name) : xasprintf("certificate %s", v->subject);
	if (str_eq(outcome, "tls_key_mismatch"))
		sb_printf(sb, "the private key in the file is not the key of %s", what);
	else if (str_eq(outcome, "tls_expired") && !v->d.expired)
		sb_printf(sb, "a certificate in the chain of %s has expired", what);
	else if (str_eq(outcome, "tls_not_yet_valid") && !v->d.not_yet)
		sb_printf(sb, "a certificate in the chain of %s is not valid yet (check the clock)", what);
	else if (str_eq(outcome, "tls_expired") || str_eq(outcome, "tls_not_yet_valid") ||
		 str_eq(outcome, "tls_expiring"))
		cert_date_summary(sb, outcome, &v->d, what);
	else if (str_eq(outcome, "tls_name_mismatch"))
		sb_printf(sb, "certificate does not match %s (subject %s)", name, v->subject);
	else if (str_eq(outcome, "tls_untrusted"))
		sb_printf(sb, "%s is not trusted: %s", what, verify_log_untrusted_why(log));
	else if (str_eq(outcome, "tls_usage"))
		sb_printf(sb, "%s is not for TLS servers: %s", what, v->usage_why.s);
	else if (str_eq(outcome, "tls_weak"))
		sb_printf(sb, "%s is weak: %s", what, v->weak_why.s);
	else
		sb_printf(sb, "%s is valid until %s (%d day%s left), issued by %s; %s%s", what, v->d.na_day,
			  v->d.days_left, v->d.days_left == 1 ? "" : "s", v->issuer, cf->format,
			  cf->key ? " with its private key" : "");
	free(what);
}

static int cert_judge(struct cert_file *cf, const char *name, const char *cacert, long warn_days,
		      long crit_days, struct check_result *res)
{
	struct cert_verdict v = {0};
	struct verify_log log = {.n = 0};
	bool has_san = false;
	int depth = 0;
	facts_add(&res->facts, "format", cf->format);
	cert_facts(cf->cert, &res->facts, &v.d, &has_san, &v.subject, &v.issuer);
	if (cert_chain(cf, cacert, &log, &depth)) {
		free(v.subject);
		free(v.issuer);
		return net_bad(res, "cannot load CA certificates from %s", cacert ? cacert : "the system's store");
	}
	verify_log_judge(&log, &res->facts, &v.chain_expired, &v.chain_not_yet, &v.untrusted);
	facts_addf(&res->facts, "chain_depth", "%d", depth);
	v.usage = !cert_usage(cf->cert, &res->facts, &v.usage_why);
	v.weak = cert_weak(cf->cert, &res->facts, &v.weak_why);
	if (cf->key) {
		v.key_mismatch = X509_check_private_key(cf->cert, cf->key) != 1;
		ERR_clear_error();
		facts_add(&res->facts, "private_key", v.key_mismatch ? "does not match" : "matches");
	} else {
		facts_add(&res->facts, "private_key", "none in the file");
	}
	v.mismatch = name && cert_name_mismatch(cf->cert, name, has_san);
	cert_expiry(&v.d, !v.chain_expired && !v.chain_not_yet, warn_days, crit_days, &res->facts);

	/* problems in precedence order; the first is the outcome */
	if (v.key_mismatch)
		check_result_add_problem(res, "tls_key_mismatch");
	if (v.d.expired || v.chain_expired)
		check_result_add_problem(res, "tls_expired");
	if (v.d.not_yet || v.chain_not_yet)
		check_result_add_problem(res, "tls_not_yet_valid");
	if (v.mismatch)
		check_result_add_problem(res, "tls_name_mismatch");
	if (v.untrusted)
		check_result_add_problem(res, "tls_untrusted");
	if (v.usage)
		check_result_add_problem(res, "tls_usage");
	if (v.weak)
		check_result_add_problem(res, "tls_weak");
	if (v.d.expiring)
		check_result_add_problem(res, "tls_expiring");

	struct strbuf sb = {0};
	const char *outcome = res->nproblems ? res->problems[0] : "ok";
	cert_summary(&sb, outcome, &v, &log, name, cf);
	check_summary_also(&sb, res);
	check_result_set(res, outcome, "%s", sb.s);
	sb_clear(&sb);
	sb_clear(&v.usage_why);
	sb_clear(&v.weak_why);
	free(v.subject);
	free(v.issuer);
	return 0;
}

static int cert_run(const struct check_request *req, struct check_result *res)
{
	const char *path = check_request_param(req, "file");
	const char *name = check_request_value(req, "name");
	const char *cacert = check_request_value(req, "cacert");
	const char *var = check_request_value(req, "password_env");
	double warn, crit;
	char buf[512];
	const char *why = NULL;
	if (!check_request_number(req, "warn_days", &warn) || !check_request_number(req, "crit_days", &crit))
		return net_bad(res, "cert check: warn_days or crit_days out of range");
	free(res->target);
	res->target = xstrdup(path);
	const char *pw = cert_password(var, &why);
	if (why)
		return net_bad(res, "%s", why);
	size_t len = 0;
	unsigned char *data = read_cert_file(path, &len, buf, sizeof buf, &why);
	if (!data)
		return net_bad(res, "%s", why);
	struct cert_file cf = {0};
	why = is_pem(data, len) ? load_pem(data, len, pw, var != NULL, &cf) : load_binary(data, len, pw, var != NULL, &cf);
	OPENSSL_cleanse(data, len);        /* it may hold a private key */
	free(data);
	int rc;
	if (why)
		rc = net_bad(res, "%s: %s", path, why);
	else
		rc = cert_judge(&cf, name, cacert, (long)warn, (long)crit, res);
	cert_file_free(&cf);
	ERR_clear_error();
	return rc;
}

/* The same by hand: openssl verify (a PKCS#12 file through openssl pkcs12 first, its
 * password from the same variable), without the password itself. */
static char *cert_command(const struct check_request *req)
{
	const char *path = check_request_param(req, "file");
	const char *name = check_request_value(req, "name");
	const char *cacert = check_request_value(req, "cacert");
	const char *var = check_request_value(req, "password_env");
	struct strbuf sb = {0};
	const char *dot = path ? strrchr(path, '.') : NULL;
	bool p12 = dot && (strcasecmp(dot, ".pfx") == 0 || strcasecmp(dot, ".p12") == 0);
	if (!path)
		return NULL;
	if (p12) {
		sb_add(&sb, "openssl pkcs12 -in ");
		sb_shell_quote(&sb, path);
		sb_add(&sb, " -nokeys -clcerts -passin ");
		if (var && *var) {
			char *env = xasprintf("env:%s", var);
			sb_shell_quote(&sb, env);
			free(env);
		} else {
			sb_add(&sb, "pass:");
		}
		sb_add(&sb, " | ");
	}
	sb_add(&sb, "openssl verify -purpose sslserver");
	if (name && *name) {
		sb_add(&sb, net_is_ip_literal(name) ? " -verify_ip " : " -verify_hostname ");
		sb_shell_quote(&sb, name);
	}
	if (cacert && *cacert) {
		sb_add(&sb, " -CAfile ");
		sb_shell_quote(&sb, cacert);
	}
	if (!p12) {
		sb_addc(&sb, ' ');
		sb_shell_quote(&sb, path);
	}
	return sb_steal(&sb);
}

const struct check_kind cert_kind = {
	"cert", "a certificate file before it is installed", cert_params, cert_outcomes, cert_run, cert_command,
};
