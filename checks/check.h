/* check.h — live checks: one interface, one outcome vocabulary.
 *
 * A check takes its parameters (already templated), a timeout and a cancel flag, and
 * returns an outcome name from the vocabulary below, a one-line summary, facts and the
 * elapsed time. Checks never ask the operator anything and never draw.
 *
 * This header has no curl or OpenSSL in it: src/ (lint, engine, reports) uses the
 * outcome table and the kind table from here. */
#ifndef TSHOOT_CHECK_H
#define TSHOOT_CHECK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- Outcome vocabulary (DESIGN §3). One table: checks, lint, engine, reports, JSON. */
struct outcome_info {
	const char *name;        /* "tls_expired" */
	const char *human;       /* "certificate expired" */
	const char *meaning;     /* one sentence for help and reports */
	const char *parent;      /* an older, wider outcome whose routes take this one when a
	                            node has none for it (flows written before it still
	                            route it, and still pass lint), or NULL */
};
extern const struct outcome_info outcome_table[];
extern const size_t outcome_count;
/* Table entry for name; http_NNN gets a shared entry. NULL when not an outcome. */
const struct outcome_info *outcome_get0(const char *name);
bool outcome_is_valid(const char *name);          /* incl. http_100..http_599 */
/* Human words for an outcome: "OK", "connection refused", "HTTP 503". Caller frees. */
char *outcome_human(const char *name);
/* Does outcome match a route pattern: exact, its parent outcome, "http_4xx"/"http_5xx",
 * "tls_*", "proxy_*", "problem" (anything but ok), "default" (anything)? The outcome
 * "error" (the check could not run) is matched by the pattern "error" alone. */
bool outcome_match(const char *pattern, const char *outcome);
/* A route pattern "sig:ID" names the signature ID explicitly: ID, else NULL. */
const char *signature_route_id(const char *pattern);
/* The outcome a log check reports for signature sig_id (owned): the id, or "sig:ID"
 * when the id is also an outcome, class, problem or default (the namespaces differ). */
char *signature_outcome(const char *sig_id);
/* Is pattern something a check node may route on (names, classes, problem, default)? */
bool outcome_pattern_is_valid(const char *pattern);

/* ---- Facts: ordered key/value pairs; a list is the same key repeated. */
struct fact {
	char *key;
	char *value;
};
struct facts {
	struct fact *v;
	size_t n, cap;
};
void facts_add(struct facts *f, const char *key, const char *value);
void facts_addf(struct facts *f, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *facts_get0(const struct facts *f, const char *key);   /* first value or NULL */
/* Does a fact with this key hold a whole number (status, port, days_left, *_ms, ...)?
 * JSON writes those as numbers. Checks add them with facts_addf(f, key, "%ld", n). */
bool facts_key_is_number(const char *key);
void facts_clear(struct facts *f);

/* ---- Parameters. Each kind has one table of its parameters (in its own file, in its
 * descriptor below): the one owner of a parameter's name, type, range, default and
 * words. check_run, lint, the engine, `tshoot check KIND` (src/cmd_check.c) and the
 * CHECKS list of tshoot-flow(5) (tests/lib/check_params_man.c prints it) all read it. */
enum check_param_type {
	CHECK_PARAM_TEXT,        /* any text (an account, a password) */
	CHECK_PARAM_URL,         /* an http:// or https:// URL: check_url_problem */
	CHECK_PARAM_PROXY,       /* a proxy URL; "http://" may be left out: check_proxy_problem */
	CHECK_PARAM_HOST,        /* a DNS name or an IP address: check_host_problem */
	CHECK_PARAM_ADDRESS,     /* HOST, HOST:PORT or [IPv6]:PORT: check_address_problem */
	CHECK_PARAM_PORT,        /* 1 to 65535: check_port_problem */
	CHECK_PARAM_CODES,       /* HTTP status codes, "200,401", "200-299", "2xx": check_codes_problem */
	CHECK_PARAM_BOOL,        /* true or false */
	CHECK_PARAM_DAYS,        /* a whole number of days, from min to max */
	CHECK_PARAM_SECONDS,     /* a number of seconds, fractions allowed, from min to max */
	CHECK_PARAM_FILE,        /* a file to read: must be readable where the check runs */
	CHECK_PARAM_LOG,         /* a log file: logscan_path_problem (not under /proc, /sys, /dev) */
	CHECK_PARAM_FLOW,        /* a flow: a path, or the id of an installed flow */
};
/* How `tshoot check KIND` takes a parameter. */
enum check_param_cli {
	CHECK_CLI_OPTION,        /* --KEY ('_' written '-'); a BOOL is a flag that sets true */
	CHECK_CLI_ARGUMENT,      /* the one positional argument */
	CHECK_CLI_NONE,          /* not on the command line */
};
struct check_param_info {
	const char *key;         /* as a flow writes it: "warn_days" */
	enum check_param_type type;
	bool required;
	double min, max;         /* DAYS, SECONDS: the range */
	const char *def;         /* the default, as a flow would write it; NULL: none, or one
	                            that is not a value (doc says it: "default: the host") */
	const char *noun;        /* what it is, in messages: "CA file", "proxy URL" */
	const char *doc;         /* one phrase for --help, lint and the man page */
	enum check_param_cli cli;
	const char *metavar;     /* the CLI's name for the value ("N", "URL"); NULL: a flag */
};

/* Entries several kinds share, so their words and ranges are written once. */
#define CHECK_PARAM_TIMEOUT(def, cli)                                                     \
	{"timeout", CHECK_PARAM_SECONDS, false, 0.001, 3600, def, "timeout",              \
	 "give up after this many seconds", cli, "S"}
#define CHECK_PARAM_CACERT                                                                \
	{"cacert", CHECK_PARAM_FILE, false, 0, 0, NULL, "CA file",                         \
	 "a CA bundle file to trust instead of the system's", CHECK_CLI_OPTION, "FILE"}
#define CHECK_PARAM_PROXY_USER                                                            \
	{"proxy_user", CHECK_PARAM_TEXT, false, 0, 0, NULL, "proxy account",              \
	 "the proxy account", CHECK_CLI_OPTION, "USER"}
#define CHECK_PARAM_PROXY_PASSWORD                                                        \
	{"proxy_password", CHECK_PARAM_TEXT, false, 0, 0, NULL, "proxy password",          \
	 "its password, a secret", CHECK_CLI_NONE, NULL}
/* The expiry thresholds of a certificate (tls and cert kinds: checks/cert_rules.h). */
#define CHECK_PARAM_WARN_DAYS                                                             \
	{"warn_days", CHECK_PARAM_DAYS, false, 0, 3650, "30", "warn_days",                \
	 "warn when the certificate expires within this many days", CHECK_CLI_OPTION, "N"}
#define CHECK_PARAM_CRIT_DAYS                                                             \
	{"crit_days", CHECK_PARAM_DAYS, false, 0, 3650, "0", "crit_days",                 \
	 "within this many days, expiring is critical rather than a warning", CHECK_CLI_OPTION, "N"}
#define CHECK_PARAM_END {NULL, CHECK_PARAM_TEXT, false, 0, 0, NULL, NULL, NULL, CHECK_CLI_NONE, NULL}

/* Is value (not empty) good for parameter p, as far as can be told anywhere (a file's
 * readability is for where the check runs: check_param_file_problem)? NULL when it is;
 * else a one-line message, in buf or static. name is what the caller calls the
 * parameter ("warn_days", "--warn-days"); range and true/false messages start with it:
 * "warn_days must be a whole number of days from 0 to 3650". Loads libcurl for URLs
 * (check_url_problem). */
const char *check_param_problem(const struct check_param_info *p, const char *value, const char *name,
				char *buf, size_t size);
/* A FILE parameter's file cannot be read here: "cannot read NAME 'PATH': why" in buf;
 * NULL when it can (or p is not a FILE). */
const char *check_param_file_problem(const struct check_param_info *p, const char *value, const char *name,
				     char *buf, size_t size);
/* The value of a DAYS or SECONDS parameter, its default when value is NULL or empty.
 * False when it is not a number in the range (or there is neither). */
bool check_param_number(const struct check_param_info *p, const char *value, double *out);

/* ---- Kinds. Each kind is one descriptor in its own file (checks/http.c, tls.c, ...),
 * and check_kinds lists them (checks/check.c): a new kind is one new file and one line
 * there. (tmux: cmd-*.c entries and the list in cmd.c.) */
struct check_request;
struct check_result;
struct strbuf;
/* A kind's run function: blocking, honours the request's timeout (check_request_timeout_ms)
 * and *req->cancel (polled at least every 100 ms). check_run has validated every
 * parameter against the table first. Fills *res; returns 0, or -1 for bad input (then
 * res->outcome is "error" and res->summary says what is wrong, in one line). */
typedef int (*check_run_fn)(const struct check_request *req, struct check_result *res);
/* The same check as a command to run by hand (curl, openssl s_client, nc, getent),
 * shell-quoted, without secrets; from a validated request. NULL when there is none. */
typedef char *(*check_command_fn)(const struct check_request *req);
struct check_kind {
	const char *name;                 /* "http" */
	const char *summary;              /* "HTTP reachability and status" */
	const struct check_param_info *params;   /* ends with CHECK_PARAM_END */
	const char *const *outcomes;      /* outcomes it can produce, NULL-terminated;
	                                     "http_NNN" stands for any HTTP status;
	                                     "signature" for any signature id of the flow */
	check_run_fn run;
	check_command_fn command;         /* or NULL */
};
extern const struct check_kind *const check_kinds[];      /* NULL-terminated */
const struct check_kind *check_kind_get0(const char *name);
const struct check_param_info *check_param_get0(const struct check_kind *k, const char *key);
/* Can kind k produce an outcome that matches pattern? (lint: routes and scenarios) */
bool check_kind_can_produce(const struct check_kind *k, const char *pattern);

/* ---- One check's request and result. */
struct check_request {
	const char *kind;
	const char *const *keys;          /* parameters, already templated */
	const char *const *values;
	size_t nparams;
	long timeout_ms;                  /* total; 0 = the kind's default (its table's timeout) */
	const atomic_int *cancel;         /* non-NULL: stop soon after it becomes nonzero */
};
const char *check_request_param(const struct check_request *req, const char *key);
/* The parameter's value, else its default from the kind's table (NULL: neither). An
 * empty value counts as not given. */
const char *check_request_value(const struct check_request *req, const char *key);
/* A DAYS or SECONDS parameter's value, else its default, in its table's range; false
 * when it is neither (check_run refuses such a request). */
bool check_request_number(const struct check_request *req, const char *key, double *out);
/* The check's total timeout: its "timeout" parameter, else req->timeout_ms, else the
 * kind's default; -1 when the parameter is not a number in its range. */
long check_request_timeout_ms(const struct check_request *req);
/* Does this request need libcurl (a URL or proxy URL among its parameters)? The live
 * runner loads libcurl before it starts any worker for such a check. */
bool check_request_needs_curl(const struct check_request *req);

struct check_result {
	char *kind;                       /* owned */
	char *target;                     /* what was checked, e.g. "https://wsus:8531/" */
	char *outcome;                    /* vocabulary name, or a signature id for log */
	char *summary;                    /* one line, cleaned of control characters */
	struct facts facts;
	char **problems;                  /* tls: every outcome that applies */
	size_t nproblems;
	char *command;                    /* equivalent curl/openssl command, no secrets */
	long elapsed_ms;
	bool simulated;                   /* training: not measured */
	bool stale;                       /* restored from a journal: from before an interruption */
};
void check_result_clear(struct check_result *r);      /* frees members, not r */
void check_result_copy(struct check_result *dst, const struct check_result *src);
void check_result_set(struct check_result *r, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));     /* outcome + summary */
void check_result_add_problem(struct check_result *r, const char *outcome);
/* "; also: certificate not trusted, certificate expiring soon": the problems after the
 * first (the outcome), in human words, appended to a summary being built. */
void check_summary_also(struct strbuf *sb, const struct check_result *r);

/* ---- Monitoring plugin status (the monitoring plugins development guidelines):
 * OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3. */
enum check_state { CHECK_STATE_OK, CHECK_STATE_WARNING, CHECK_STATE_CRITICAL, CHECK_STATE_UNKNOWN };
/* A result's state: ok is OK; tls_expiring is WARNING, or CRITICAL when its "expiry"
 * fact says critical (within crit_days); error and cancelled are UNKNOWN; every other
 * outcome is CRITICAL. */
enum check_state check_result_state(const struct check_result *r);
const char *check_state_name(enum check_state s);       /* "WARNING" */
/* The plugin's one line, without a newline: "TSHOOT TLS WARNING - TARGET SUMMARY |
 * PERFDATA"; the target is left out when the summary names it, and a '|' in the text
 * becomes '/'. Performance data: time (the elapsed time),
 * each *_ms fact as seconds without its _ms, and days_left with the request's warn_days
 * and crit_days as warn and crit. Caller frees. */
char *check_nagios_line(const struct check_request *req, const struct check_result *r);

/* Input validation shared by the CLI, the flow loader (var defaults), the engine, lint
 * and the front ends: NULL when fine, else a static one-line message such as
 * "port must be a number from 1 to 65535". URLs are parsed with libcurl's URL API
 * (checks/validate.c); a URL must be http or https with a host. */
const char *check_url_problem(const char *url);
/* Can URLs be parsed here (libcurl loads)? NULL, else why not. */
const char *check_url_support_problem(void);
const char *check_proxy_problem(const char *proxy);  /* a URL; "http://" may be left out */
/* A DNS name, IPv4 or IPv6 literal; a URL is refused as one ("enter a host name, not a URL"). */
const char *check_host_problem(const char *host);
/* The URL part of that rule alone: the message when s looks like a URL (a scheme's
 * "://" or a '/'), else NULL. For HOST:PORT before it is split, where a URL's scheme
 * would pass for a host and the rest for a port. */
const char *check_host_url_problem(const char *s);
const char *check_port_problem(const char *port);
const char *check_address_problem(const char *addr); /* HOST, HOST:PORT or [IPv6]:PORT */
const char *check_codes_problem(const char *codes);  /* "200,401", "200-299", "2xx" */
/* Is code among codes (NULL: 200-399)? codes as check_codes_problem accepts. */
bool check_codes_has(const char *codes, long code);
/* Split "host:port", "[v6]:port", "host" or "v6" into new strings. *port is NULL when
 * none was written. Returns false on a malformed bracket form. */
bool check_split_hostport(const char *s, char **host, char **port);

/* Run one check synchronously (the CLI and the live runner's workers use this): the
 * kind is looked up, every parameter checked against its table (known, required,
 * check_param_problem, check_param_file_problem) before any traffic, the kind's
 * command built, then its run function called. */
int check_run(const struct check_request *req, struct check_result *res);

/* Seconds until a certificate date as the tls check counts days (days_left): a part
 * day left counts as a day, a part day past does not. */
int tls_days_of(long long secs);

#endif
