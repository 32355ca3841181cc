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
 * "tls_*", "proxy_*", "problem" (anything but ok), "default" (anything)? */
bool outcome_match(const char *pattern, const char *outcome);
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
void facts_free(struct facts *f);

/* ---- Kinds and their parameters (used by lint and the CLI). */
struct check_param_info {
	const char *key;
	bool required;
	const char *help;
};
struct check_request;
struct check_result;
/* A kind's run function: blocking, honours req->timeout_ms and *req->cancel (polled at
 * least every 100 ms). Fills *res; returns 0, or -1 for bad input (then res->outcome
 * is "error" and res->summary says what is wrong, in one line). */
typedef int (*check_run_fn)(const struct check_request *req, struct check_result *res);
struct check_kind {
	const char *name;                 /* "http" */
	const char *summary;              /* "HTTP reachability and status" */
	const struct check_param_info *params;   /* terminated by {NULL} */
	const char *const *outcomes;      /* outcomes it can produce, NULL-terminated;
	                                     "http_NNN" stands for any HTTP status */
	check_run_fn run;
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
	long timeout_ms;                  /* total; 0 = the kind's default (10 s; log 120 s) */
	const atomic_int *cancel;         /* non-NULL: stop soon after it becomes nonzero */
};
const char *check_request_param(const struct check_request *req, const char *key);

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
void check_result_free(struct check_result *r);      /* frees members, not r */
void check_result_copy(struct check_result *dst, const struct check_result *src);
void check_result_set(struct check_result *r, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));     /* outcome + summary */
void check_result_add_problem(struct check_result *r, const char *outcome);

/* Input validation shared by the CLI, the flow loader (var defaults), the engine and
 * the front ends: NULL when fine, else a static one-line message such as
 * "port out of range (1-65535)". URLs are parsed with libcurl's URL API
 * (checks/validate.c); a URL must be http or https with a host. */
const char *check_url_problem(const char *url);
/* A DNS name, IPv4 or IPv6 literal; a URL is refused as one ("enter a host name, not a URL"). */
const char *check_host_problem(const char *host);
/* The URL part of that rule alone: the message when s looks like a URL (a scheme's
 * "://" or a '/'), else NULL. For HOST:PORT before it is split, where a URL's scheme
 * would pass for a host and the rest for a port. */
const char *check_host_url_problem(const char *s);
const char *check_port_problem(const char *port);

/* Parameters of each kind (* = required). Timeouts are seconds, fractions allowed.
 *   http:  url*, expect ("200,401" or "200-399"), proxy, proxy_user, proxy_password,
 *          cacert, follow ("true"/"false"), timeout
 *   tls:   host*, port (default 443), name (SNI and FQDN to match; default host),
 *          warn_days (default 30), cacert, proxy, timeout
 *   proxy: proxy* (URL), target* (URL), proxy_user, proxy_password, timeout
 *   tcp:   host*, port*, timeout
 *   dns:   name*, timeout
 *   log:   file*, flow (path of the flow whose signatures to match; the engine fills
 *          in the current flow), timeout */

/* Run one check synchronously (the CLI uses this). */
int check_run(const struct check_request *req, struct check_result *res);

/* ---- Runners: how the engine's driver runs a node's checks without knowing how.
 * The live runner runs them concurrently on worker threads; the simulated runner
 * (src/simrun.c) returns outcomes a scenario or test gives. Contract: start() returns
 * a batch; poll() waits up to timeout_ms and returns true once every check is done;
 * done(i) and result(i) may be read for finished checks at any time; cancel() asks all
 * to stop (each then finishes with outcome "cancelled" within 100 ms); finish() waits
 * for and frees the batch. */
struct check_batch;
struct check_runner_ops {
	struct check_batch *(*start)(void *ctx, const struct check_request *reqs, size_t n);
	bool (*poll)(struct check_batch *b, int timeout_ms);
	bool (*done)(struct check_batch *b, size_t i);
	const struct check_result *(*result)(struct check_batch *b, size_t i);
	void (*cancel)(struct check_batch *b);
	void (*finish)(struct check_batch *b);
};
struct check_runner {
	const struct check_runner_ops *ops;
	void *ctx;
};
/* The live runner: real network checks on worker threads. */
struct check_runner check_runner_live(void);

/* The kinds (one file each). */
int http_check_run(const struct check_request *req, struct check_result *res);
int tls_check_run(const struct check_request *req, struct check_result *res);
/* Seconds until a certificate date as the tls check counts days (days_left): a part
 * day left counts as a day, a part day past does not. */
int tls_days_of(long long secs);
int proxy_check_run(const struct check_request *req, struct check_result *res);
int tcp_check_run(const struct check_request *req, struct check_result *res);
int dns_check_run(const struct check_request *req, struct check_result *res);
int log_check_run(const struct check_request *req, struct check_result *res);

/* `tshoot check KIND ...` (checks/cli.c). Returns the exit status. */
int check_cli_main(int argc, char **argv);

#endif
