/* test_outcome.c — the outcome vocabulary, route patterns, the kind table, facts and
 * results, input validation, check_run's input errors, and the live runner
 * (concurrency and cancel) against a loopback socket that never answers. */
#include "checks/check.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/runner.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

START_TEST(test_vocabulary)
{
	ck_assert(outcome_is_valid("ok"));
	ck_assert(outcome_is_valid("proxy_refused"));
	ck_assert(outcome_is_valid("tls_expiring"));
	ck_assert(outcome_is_valid("cancelled"));
	ck_assert(outcome_is_valid("error"));
	ck_assert(outcome_is_valid("http_100"));
	ck_assert(outcome_is_valid("http_404"));
	ck_assert(outcome_is_valid("http_599"));
	ck_assert(!outcome_is_valid("http_099"));
	ck_assert(!outcome_is_valid("http_600"));
	ck_assert(!outcome_is_valid("http_4xx"));
	ck_assert(!outcome_is_valid("http_NNN"));
	ck_assert(!outcome_is_valid("http_40"));
	ck_assert(!outcome_is_valid("http_+40"));
	ck_assert(!outcome_is_valid("nope"));
	ck_assert(!outcome_is_valid(NULL));
	ck_assert_ptr_eq(outcome_get0("http_503"), outcome_get0("http_200"));
	ck_assert_str_eq(outcome_get0("refused")->name, "refused");
	/* every table entry is found by its own name, and says something */
	for (size_t i = 0; i < outcome_count; i++) {
		if (strcmp(outcome_table[i].name, "http_NNN") == 0)
			continue;
		ck_assert_ptr_eq(outcome_get0(outcome_table[i].name), &outcome_table[i]);
		ck_assert(strlen(outcome_table[i].meaning) > 5);
	}
}
END_TEST

START_TEST(test_human)
{
	char *s;
	s = outcome_human("ok"); ck_assert_str_eq(s, "OK"); free(s);
	s = outcome_human("refused"); ck_assert_str_eq(s, "connection refused"); free(s);
	s = outcome_human("http_503"); ck_assert_str_eq(s, "HTTP 503 Service Unavailable"); free(s);
	s = outcome_human("http_407"); ck_assert_str_eq(s, "HTTP 407 Proxy Authentication Required"); free(s);
	s = outcome_human("http_599"); ck_assert_str_eq(s, "HTTP 599"); free(s);
	s = outcome_human("wsus_not_configured"); ck_assert_str_eq(s, "wsus_not_configured"); free(s);
}
END_TEST

START_TEST(test_match)
{
	ck_assert(outcome_match("ok", "ok"));
	ck_assert(!outcome_match("ok", "refused"));
	ck_assert(outcome_match("http_5xx", "http_503"));
	ck_assert(outcome_match("http_5xx", "http_500"));
	ck_assert(!outcome_match("http_5xx", "http_404"));
	ck_assert(outcome_match("http_4xx", "http_407"));
	ck_assert(!outcome_match("http_4xx", "proxy_auth"));
	ck_assert(outcome_match("tls_*", "tls_expired"));
	ck_assert(!outcome_match("tls_*", "timeout"));
	ck_assert(outcome_match("proxy_*", "proxy_refused"));
	ck_assert(!outcome_match("proxy_*", "refused"));
	ck_assert(outcome_match("problem", "timeout"));
	ck_assert(outcome_match("problem", "http_200"));
	ck_assert(!outcome_match("problem", "ok"));
	ck_assert(outcome_match("default", "ok"));
	ck_assert(outcome_match("default", "anything_at_all"));
	/* error (the check could not run) is taken by the pattern error alone */
	ck_assert(outcome_match("error", "error"));
	ck_assert(!outcome_match("problem", "error"));
	ck_assert(!outcome_match("default", "error"));
	ck_assert(!outcome_match("error", "timeout"));
	ck_assert(outcome_pattern_is_valid("error"));
	ck_assert(check_kind_can_produce(check_kind_get0("tcp"), "error"));
	ck_assert(check_kind_can_produce(check_kind_get0("log"), "error"));
	ck_assert(outcome_match("wsus_not_configured", "wsus_not_configured"));
	ck_assert(!outcome_match(NULL, "ok"));
	/* a newer outcome is taken by its parent's routes; not the other way round */
	ck_assert(outcome_match("headers_too_large", "headers_too_large"));
	ck_assert(outcome_match("closed", "headers_too_large"));
	ck_assert(!outcome_match("headers_too_large", "closed"));
	ck_assert(!outcome_match("refused", "headers_too_large"));
	ck_assert(outcome_match("problem", "headers_too_large"));
	ck_assert(!outcome_match("ok", NULL));

	ck_assert(outcome_pattern_is_valid("http_4xx"));
	ck_assert(outcome_pattern_is_valid("http_404"));
	ck_assert(outcome_pattern_is_valid("tls_*"));
	ck_assert(outcome_pattern_is_valid("problem"));
	ck_assert(outcome_pattern_is_valid("default"));
	ck_assert(!outcome_pattern_is_valid("http_6xx"));
	ck_assert(!outcome_pattern_is_valid("http_*"));
	ck_assert(!outcome_pattern_is_valid("tls*"));
	ck_assert(!outcome_pattern_is_valid("bogus"));
}
END_TEST

START_TEST(test_kinds)
{
	const char *names[] = {"http", "tls", "proxy", "tcp", "dns", "log"};
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		const struct check_kind *k = check_kind_get0(names[i]);
		ck_assert_ptr_nonnull(k);
		ck_assert_ptr_nonnull(k->run);
		ck_assert(check_param_get0(k, "timeout") != NULL);
		ck_assert(check_kind_can_produce(k, "ok"));
		ck_assert(check_kind_can_produce(k, "default"));
		/* every listed outcome is vocabulary or a stand-in */
		for (const char *const *o = k->outcomes; *o; o++)
			ck_assert(outcome_is_valid(*o) || str_eq(*o, "http_NNN") || str_eq(*o, "signature"));
	}
	ck_assert_ptr_null(check_kind_get0("ftp"));
	const struct check_kind *http = check_kind_get0("http");
	ck_assert(check_param_get0(http, "url")->required);
	ck_assert(!check_param_get0(http, "expect")->required);
	ck_assert_ptr_null(check_param_get0(http, "host"));
	ck_assert(check_kind_can_produce(http, "http_5xx"));
	ck_assert(check_kind_can_produce(http, "http_404"));
	ck_assert(check_kind_can_produce(http, "proxy_auth"));
	ck_assert(check_kind_can_produce(http, "tls_*"));
	ck_assert(check_kind_can_produce(http, "problem"));
	ck_assert(!check_kind_can_produce(http, "tls_expiring"));
	ck_assert(check_kind_can_produce(http, "headers_too_large"));
	ck_assert(check_kind_can_produce(check_kind_get0("proxy"), "headers_too_large"));
	ck_assert(!check_kind_can_produce(check_kind_get0("tls"), "headers_too_large"));
	const struct check_kind *tls = check_kind_get0("tls");
	ck_assert(check_kind_can_produce(tls, "tls_expiring"));
	ck_assert(!check_kind_can_produce(tls, "http_5xx"));
	ck_assert(!check_kind_can_produce(tls, "http_503"));
	const struct check_kind *dns = check_kind_get0("dns");
	ck_assert(check_kind_can_produce(dns, "dns_fail"));
	ck_assert(!check_kind_can_produce(dns, "refused"));
	ck_assert(!check_kind_can_produce(dns, "proxy_*"));
	const struct check_kind *log = check_kind_get0("log");
	ck_assert(check_kind_can_produce(log, "wsus_not_configured"));   /* a signature id */
	ck_assert(!check_kind_can_produce(log, "refused"));
	ck_assert(check_kind_can_produce(check_kind_get0("proxy"), "proxy_refused"));
	ck_assert(!check_kind_can_produce(check_kind_get0("tcp"), "closed"));
}
END_TEST

START_TEST(test_facts_results)
{
	struct check_result r;
	memset(&r, 0, sizeof(r));
	facts_add(&r.facts, "www_authenticate", "Negotiate");
	facts_add(&r.facts, "www_authenticate", "NTLM");
	facts_addf(&r.facts, "status", "%d", 401);
	facts_add(&r.facts, "server", "evil\x1b[2J");
	ck_assert_str_eq(facts_get0(&r.facts, "www_authenticate"), "Negotiate");
	ck_assert_str_eq(facts_get0(&r.facts, "status"), "401");
	ck_assert_ptr_null(strchr(facts_get0(&r.facts, "server"), '\x1b'));
	ck_assert_ptr_null(facts_get0(&r.facts, "none"));
	check_result_set(&r, "http_401", "HTTP %d from\n%s", 401, "x");
	ck_assert_str_eq(r.outcome, "http_401");
	ck_assert_str_eq(r.summary, "HTTP 401 from x");
	check_result_add_problem(&r, "tls_expired");
	check_result_add_problem(&r, "tls_untrusted");
	check_result_add_problem(&r, "tls_expired");
	ck_assert_uint_eq(r.nproblems, 2);
	r.kind = xstrdup("http");
	r.elapsed_ms = 12;
	struct check_result c;
	check_result_copy(&c, &r);
	ck_assert_str_eq(c.kind, "http");
	ck_assert_uint_eq(c.facts.n, 4);
	ck_assert_str_eq(c.problems[1], "tls_untrusted");
	ck_assert_int_eq(c.elapsed_ms, 12);
	check_result_clear(&r);
	check_result_clear(&c);
	ck_assert_ptr_null(c.outcome);
}
END_TEST

START_TEST(test_validate)
{
	ck_assert_ptr_null(check_url_problem("http://wsus.corp.example:8530/ClientWebService/client.asmx"));
	ck_assert_ptr_null(check_url_problem("https://[::1]:8531/"));
	ck_assert_ptr_null(check_url_problem("http://10.0.0.5/"));
	ck_assert_ptr_nonnull(check_url_problem("htp:/x"));
	ck_assert_ptr_nonnull(check_url_problem("ftp://host/"));
	ck_assert_ptr_nonnull(check_url_problem("http://"));
	ck_assert_str_eq(check_url_problem("http://host:99999/"), "port must be a number from 1 to 65535");
	ck_assert_ptr_nonnull(check_url_problem("http://bad host/"));
	ck_assert_ptr_nonnull(check_url_problem("http://host/\x01"));
	ck_assert_ptr_nonnull(check_url_problem(""));
	ck_assert_ptr_nonnull(check_url_problem(NULL));

	ck_assert_ptr_null(check_host_problem("wsus01.corp.example"));
	ck_assert_ptr_null(check_host_problem("WSUS01"));
	ck_assert_ptr_null(check_host_problem("192.168.1.10"));
	ck_assert_ptr_null(check_host_problem("::1"));
	ck_assert_ptr_null(check_host_problem("[fe80::1]"));
	ck_assert_ptr_null(check_host_problem("host.example."));
	ck_assert_str_eq(check_host_problem("bad host"), "hostname contains a space");
	ck_assert_ptr_nonnull(check_host_problem("a\tb"));
	ck_assert_ptr_nonnull(check_host_problem("-bad.example"));
	ck_assert_ptr_nonnull(check_host_problem("bad-.example"));
	ck_assert_ptr_nonnull(check_host_problem("a..b"));
	ck_assert_ptr_nonnull(check_host_problem("999.1.1.1"));
	ck_assert_ptr_nonnull(check_host_problem("[::1"));
	ck_assert_ptr_nonnull(check_host_problem("host:80"));
	ck_assert_ptr_nonnull(check_host_problem(""));
	/* a URL where a host is asked is told as one, with or without its scheme */
	ck_assert_str_eq(check_host_problem("https://sup.example.com/x"), "enter a host name, not a URL");
	ck_assert_str_eq(check_host_problem("http://sup.example.com"), "enter a host name, not a URL");
	ck_assert_str_eq(check_host_problem("sup.example.com/x"), "enter a host name, not a URL");
	ck_assert_str_eq(check_host_url_problem("https://sup.example.com:8531/x"), "enter a host name, not a URL");
	ck_assert_ptr_null(check_host_url_problem("sup.example.com:8531"));
	ck_assert_ptr_null(check_host_url_problem("[::1]:443"));
	ck_assert_ptr_null(check_host_url_problem(NULL));
	/* a URL's own host is still checked by the host rule, and a good URL passes */
	ck_assert_ptr_null(check_url_problem("https://sup.example.com/x"));
	char label[80];
	memset(label, 'a', 64);
	label[64] = '\0';
	ck_assert_ptr_nonnull(check_host_problem(label));

	ck_assert_ptr_null(check_port_problem("8530"));
	ck_assert_ptr_null(check_port_problem("1"));
	ck_assert_ptr_null(check_port_problem("65535"));
	ck_assert_str_eq(check_port_problem("0"), "port must be a number from 1 to 65535");
	ck_assert_ptr_nonnull(check_port_problem("65536"));
	ck_assert_ptr_nonnull(check_port_problem("80a"));
	ck_assert_ptr_nonnull(check_port_problem(""));
}
END_TEST

static int run1(const char *kind, const char *const *kv, size_t n, struct check_result *res)
{
	const char *keys[8], *values[8];
	for (size_t i = 0; i < n; i++) {
		keys[i] = kv[2 * i];
		values[i] = kv[2 * i + 1];
	}
	struct check_request req = {kind, keys, values, n, 2000, NULL};
	return check_run(&req, res);
}

START_TEST(test_run_bad_input)
{
	struct check_result r;
	ck_assert_int_eq(run1("ftp", NULL, 0, &r), -1);
	ck_assert_str_eq(r.outcome, "error");
	check_result_clear(&r);
	ck_assert_int_eq(run1("http", NULL, 0, &r), -1);
	ck_assert_str_eq(r.outcome, "error");
	ck_assert_ptr_nonnull(strstr(r.summary, "url"));
	check_result_clear(&r);
	const char *unknown[] = {"url", "http://127.0.0.1:1/", "colour", "blue"};
	ck_assert_int_eq(run1("http", unknown, 2, &r), -1);
	ck_assert_ptr_nonnull(strstr(r.summary, "colour"));
	check_result_clear(&r);
	const char *badurl[] = {"url", "htp:/x"};
	ck_assert_int_eq(run1("http", badurl, 1, &r), -1);
	ck_assert_str_eq(r.outcome, "error");
	check_result_clear(&r);
	const char *badexpect[] = {"url", "http://127.0.0.1:1/", "expect", "20x"};
	ck_assert_int_eq(run1("http", badexpect, 2, &r), -1);
	check_result_clear(&r);
	const char *nocacert[] = {"url", "https://127.0.0.1:1/", "cacert", "/nonexistent/ca.pem"};
	ck_assert_int_eq(run1("http", nocacert, 2, &r), -1);
	ck_assert_ptr_nonnull(strstr(r.summary, "/nonexistent/ca.pem"));
	check_result_clear(&r);
	const char *notarget[] = {"proxy", "http://127.0.0.1:1/"};
	ck_assert_int_eq(run1("proxy", notarget, 1, &r), -1);
	check_result_clear(&r);
	/* the settled limits: warn_days up to 3650 (the tls check took 36500), follow only
	 * true or false (the http check took yes/no/1/0) */
	const char *days[] = {"host", "127.0.0.1", "warn_days", "3651"};
	ck_assert_int_eq(run1("tls", days, 2, &r), -1);
	ck_assert_str_eq(r.summary, "warn_days must be a whole number of days from 0 to 3650, not '3651'");
	check_result_clear(&r);
	const char *yes[] = {"url", "http://127.0.0.1:1/", "follow", "yes"};
	ck_assert_int_eq(run1("http", yes, 2, &r), -1);
	ck_assert_str_eq(r.summary, "follow must be true or false, not 'yes'");
	ck_assert_ptr_null(r.command);       /* refused before anything was built */
	check_result_clear(&r);
	const char *slow[] = {"name", "localhost", "timeout", "3601"};
	ck_assert_int_eq(run1("dns", slow, 2, &r), -1);
	ck_assert_str_eq(r.summary, "timeout must be a number of seconds from 0.001 to 3600, not '3601'");
	check_result_clear(&r);
	const char *secret[] = {"url", "http://u:pw@bad host/"};
	ck_assert_int_eq(run1("http", secret, 1, &r), -1);
	ck_assert_ptr_null(strstr(r.summary, "pw"));      /* a URL in a message shows no password */
	check_result_clear(&r);
}
END_TEST

/* One table per kind: names, types, ranges and defaults the runner, lint and the CLI
 * read alike. */
START_TEST(test_param_table)
{
	const struct check_kind *tls = check_kind_get0("tls"), *http = check_kind_get0("http");
	const struct check_kind *logk = check_kind_get0("log");
	const struct check_param_info *wd = check_param_get0(tls, "warn_days");
	char buf[160];
	double d;
	ck_assert_ptr_nonnull(wd);
	ck_assert(check_param_number(wd, NULL, &d) && d == 30);           /* its default */
	ck_assert(check_param_number(wd, "3650", &d) && d == 3650);
	ck_assert(!check_param_number(wd, "3651", &d));
	ck_assert(!check_param_number(wd, "1.5", &d));
	ck_assert_str_eq(check_param_problem(wd, "-1", "--warn-days", buf, sizeof buf),
			 "--warn-days must be a whole number of days from 0 to 3650");
	const struct check_param_info *fo = check_param_get0(http, "follow");
	ck_assert_ptr_null(check_param_problem(fo, "true", "follow", buf, sizeof buf));
	ck_assert_ptr_null(check_param_problem(fo, "false", "follow", buf, sizeof buf));
	ck_assert_ptr_nonnull(check_param_problem(fo, "1", "follow", buf, sizeof buf));
	ck_assert_ptr_nonnull(check_param_problem(check_param_get0(http, "expect"), "2000", "expect", buf,
						  sizeof buf));
	ck_assert_ptr_nonnull(check_param_problem(check_param_get0(tls, "host"), "[::1", "host", buf, sizeof buf));
	ck_assert_ptr_null(check_param_problem(check_param_get0(tls, "host"), "[::1]:8531", "host", buf, sizeof buf));
	ck_assert_ptr_nonnull(check_param_problem(check_param_get0(logk, "file"), "/proc/self/status", "file", buf,
						  sizeof buf));
	/* a request's timeout: the parameter, else the caller's, else the kind's default */
	const char *k1[] = {"timeout"}, *v1[] = {"2.5"};
	struct check_request rq = {"log", k1, v1, 1, 0, NULL};
	ck_assert_int_eq(check_request_timeout_ms(&rq), 2500);
	rq.nparams = 0;
	ck_assert_int_eq(check_request_timeout_ms(&rq), 120000);
	rq.kind = "tcp";
	ck_assert_int_eq(check_request_timeout_ms(&rq), 10000);
	rq.timeout_ms = 700;
	ck_assert_int_eq(check_request_timeout_ms(&rq), 700);
	ck_assert_str_eq(check_request_value(&(struct check_request){.kind = "tls"}, "port"), "443");
	/* every kind: one positional argument, each entry with words and an option name */
	for (size_t i = 0; check_kinds[i]; i++) {
		size_t args = 0;
		for (const struct check_param_info *p = check_kinds[i]->params; p->key; p++) {
			args += p->cli == CHECK_CLI_ARGUMENT;
			ck_assert_msg(p->doc && *p->doc && p->noun, "%s.%s has words", check_kinds[i]->name, p->key);
			ck_assert_msg(p->cli == CHECK_CLI_NONE || p->metavar || p->type == CHECK_PARAM_BOOL,
				      "%s.%s has a metavar", check_kinds[i]->name, p->key);
		}
		ck_assert_uint_eq(args, 1);
		ck_assert_ptr_nonnull(check_kinds[i]->run);
	}
}
END_TEST

/* A loopback listener that never accepts: connections complete in the backlog and then
 * nothing is ever said. */
static int silent_listener(int *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = {0};
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(s, 64), 0);
	socklen_t len = sizeof(sin);
	getsockname(s, (struct sockaddr *)&sin, &len);
	*port = ntohs(sin.sin_port);
	return s;
}

START_TEST(test_live_concurrent)
{
	int port, s = silent_listener(&port);
	char *url = xasprintf("http://127.0.0.1:%d/", port);
	const char *keys[] = {"url", "timeout"};
	const char *vals[] = {url, "0.5"};
	struct check_request reqs[4];
	for (int i = 0; i < 4; i++)
		reqs[i] = (struct check_request){"http", keys, vals, 2, 0, NULL};
	struct check_runner r = check_runner_live();
	long long t0 = now_ms();
	struct check_batch *b = r.ops->start(r.ctx, reqs, 4);
	free(url);      /* the batch keeps its own copies */
	int turns = 0;
	while (!r.ops->poll(b, 100) && turns < 100)
		turns++;
	long long wall = now_ms() - t0;
	for (size_t i = 0; i < 4; i++) {
		ck_assert(r.ops->done(b, i));
		ck_assert_str_eq(r.ops->result(b, i)->outcome, "timeout");
	}
	/* four 0.5 s timeouts side by side take about 0.5 s, not 2 s */
	ck_assert_msg(wall >= 450 && wall < slack_ms(1200), "wall %lld ms", wall);
	r.ops->finish(b);
	close(s);
}
END_TEST

START_TEST(test_live_cancel)
{
	int port, s = silent_listener(&port);
	char *url = xasprintf("http://127.0.0.1:%d/", port);
	char *portstr = xasprintf("%d", port);
	const char *hkeys[] = {"url"}, *hvals[] = {url};
	const char *tkeys[] = {"host", "port"}, *tvals[] = {"127.0.0.1", portstr};
	struct check_request reqs[3] = {
		{"http", hkeys, hvals, 1, 20000, NULL},
		{"http", hkeys, hvals, 1, 20000, NULL},
		{"tls", tkeys, tvals, 2, 20000, NULL},   /* a handshake that never gets an answer */
	};
	struct check_runner r = check_runner_live();
	struct check_batch *b = r.ops->start(r.ctx, reqs, 3);
	ck_assert(!r.ops->poll(b, 300));
	ck_assert(!r.ops->done(b, 0));
	long long t0 = now_ms();
	r.ops->cancel(b);
	int turns = 0;
	while (!r.ops->poll(b, 50) && turns < 100)
		turns++;
	long long took = now_ms() - t0;
	ck_assert_msg(took < slack_ms(200), "cancel took %lld ms", took);
	for (size_t i = 0; i < 3; i++)
		ck_assert_str_eq(r.ops->result(b, i)->outcome, "cancelled");
	r.ops->finish(b);
	free(url);
	free(portstr);
	close(s);
}
END_TEST

/* Monitoring plugin states and lines (check_result_state, check_nagios_line): one
 * line, '|' only before the performance data, thresholds from the request. */
START_TEST(test_nagios)
{
	struct check_result r = {0};
	r.kind = xstrdup("tls");
	r.target = xstrdup("wsus01:8531");
	check_result_set(&r, "tls_expiring", "certificate for wsus01 expires in 12 days | a\nb");
	facts_add(&r.facts, "days_left", "12");
	facts_add(&r.facts, "handshake_ms", "12");
	r.elapsed_ms = 41;
	ck_assert_int_eq(check_result_state(&r), CHECK_STATE_WARNING);
	const char *keys[] = {"host", "warn_days", "crit_days"}, *vals[] = {"wsus01", "45", "7"};
	struct check_request req = {.kind = "tls", .keys = keys, .values = vals, .nparams = 3};
	char *line = check_nagios_line(&req, &r);
	ck_assert_str_eq(line, "TSHOOT TLS WARNING - wsus01:8531 certificate for wsus01 expires in 12 days / a b"
			       " | days_left=12;45;7 time=0.041s;;;0 handshake=0.012s;;;0");
	free(line);
	req.nparams = 1;      /* the table's defaults */
	line = check_nagios_line(&req, &r);
	ck_assert_ptr_nonnull(strstr(line, "| days_left=12;30;0 "));
	free(line);
	facts_add(&r.facts, "expiry", "critical");
	ck_assert_int_eq(check_result_state(&r), CHECK_STATE_CRITICAL);
	check_result_set(&r, "refused", "wsus01:8531 refused the connection");
	ck_assert_int_eq(check_result_state(&r), CHECK_STATE_CRITICAL);
	line = check_nagios_line(&req, &r);
	ck_assert(str_starts(line, "TSHOOT TLS CRITICAL - wsus01:8531 refused the connection | "));
	free(line);
	check_result_set(&r, "ok", "fine");
	ck_assert_int_eq(check_result_state(&r), CHECK_STATE_OK);
	check_result_set(&r, "error", "bad input");
	ck_assert_int_eq(check_result_state(&r), CHECK_STATE_UNKNOWN);
	line = check_nagios_line(NULL, &r);
	ck_assert_str_eq(line, "TSHOOT TLS UNKNOWN - wsus01:8531 bad input");
	free(line);
	check_result_set(&r, "cancelled", "cancelled by the operator");
	ck_assert_int_eq(check_result_state(&r), CHECK_STATE_UNKNOWN);
	ck_assert_str_eq(check_state_name(CHECK_STATE_CRITICAL), "CRITICAL");
	/* the new certificate outcomes: tls_usage and tls_weak route as tls_untrusted */
	ck_assert(outcome_match("tls_untrusted", "tls_usage"));
	ck_assert(outcome_match("tls_untrusted", "tls_weak"));
	ck_assert(!outcome_match("tls_untrusted", "tls_key_mismatch"));
	ck_assert(outcome_match("tls_*", "tls_key_mismatch"));
	ck_assert(check_kind_can_produce(check_kind_get0("cert"), "tls_weak"));
	ck_assert(!check_kind_can_produce(check_kind_get0("cert"), "refused"));
	check_result_clear(&r);
}
END_TEST

static Suite *outcome_suite(void)
{
	Suite *s = suite_create("outcome");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_vocabulary);
	tcase_add_test(tc, test_human);
	tcase_add_test(tc, test_match);
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_facts_results);
	tcase_add_test(tc, test_validate);
	tcase_add_test(tc, test_run_bad_input);
	tcase_add_test(tc, test_param_table);
	tcase_add_test(tc, test_live_concurrent);
	tcase_add_test(tc, test_live_cancel);
	tcase_add_test(tc, test_nagios);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(outcome_suite());
}
