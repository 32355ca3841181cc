/* test_tls.c — the tls, tcp and dns checks without outside servers: bad input is caught
 * before any traffic, the cancel flag is honoured within slices, host:port splitting.
 * (Real servers: tests/integration/tls.sh, tcp.sh, dns.sh.) */
#include "checks/check.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/net.h"
#include "checks/runner.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

/* One check of kind through check_run (the table's validation, then the kind's run). */
static int run(const char *kind, const char *const *kv, const atomic_int *cancel, struct check_result *res)
{
	const char *keys[16], *vals[16];
	size_t n = 0;
	for (; kv[2 * n]; n++) {
		keys[n] = kv[2 * n];
		vals[n] = kv[2 * n + 1];
	}
	struct check_request req = {.kind = kind, .keys = keys, .values = vals, .nparams = n, .cancel = cancel};
	return check_run(&req, res);
}

static void expect_bad(const char *kind, const char *const *kv, const char *needle)
{
	struct check_result r;
	ck_assert_int_eq(run(kind, kv, NULL, &r), -1);
	ck_assert_str_eq(r.outcome, "error");
	ck_assert_msg(strstr(r.summary, needle) != NULL, "summary '%s' lacks '%s'", r.summary, needle);
	ck_assert_ptr_null(strchr(r.summary, '\n'));
	check_result_clear(&r);
}

START_TEST(tls_bad_input)
{
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "port", "0", NULL}, "port");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1:70000", NULL}, "port");
	expect_bad("tls", (const char *const[]){"host", "bad host", NULL}, "bad host");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "cacert", "/nonexistent/ca.pem", NULL},
		   "/nonexistent/ca.pem");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "warn_days", "soon", NULL}, "warn_days");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "timeout", "-1", NULL}, "timeout");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "proxy", "socks5://p:1080", NULL}, "proxy");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "proxy", "http://p:99999", NULL}, "proxy");
	expect_bad("tls", (const char *const[]){"host", "127.0.0.1", "name", "a..b", NULL}, "name");
}
END_TEST

START_TEST(tcp_dns_bad_input)
{
	expect_bad("tcp", (const char *const[]){"host", "127.0.0.1", NULL}, "port");
	expect_bad("tcp", (const char *const[]){"host", "127.0.0.1", "port", "http", NULL}, "port");
	expect_bad("tcp", (const char *const[]){"host", "a b", "port", "80", NULL}, "a b");
	expect_bad("dns", (const char *const[]){"name", "a b", NULL}, "a b");
	expect_bad("dns", (const char *const[]){"name", "", NULL}, "name");
}
END_TEST

/* A listener that never accepts: connects complete, then silence. */
static int silent_listener(char *port, size_t len)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	getsockname(fd, (struct sockaddr *)&a, &al);
	snprintf(port, len, "%u", ntohs(a.sin_port));
	return fd;
}

struct canceller {
	atomic_int *flag;
	int after_ms;
	long long at;           /* when the flag was set */
};

static void *cancel_later(void *arg)
{
	struct canceller *c = arg;
	usleep((useconds_t)c->after_ms * 1000);
	c->at = now_ms();
	atomic_store(c->flag, 1);
	return NULL;
}

START_TEST(tls_cancel_is_prompt)
{
	char port[16];
	int lfd = silent_listener(port, sizeof port);
	atomic_int flag = 0;
	struct canceller c = {&flag, 300, 0};
	struct check_result w;
	/* warm up: OpenSSL's one-time set-up is slow under valgrind and polls nothing */
	run("tls", (const char *const[]){"host", "127.0.0.1", "port", port, "timeout", "0.1", NULL}, NULL, &w);
	check_result_clear(&w);
	pthread_t th;
	pthread_create(&th, NULL, cancel_later, &c);
	struct check_result r;
	run("tls", (const char *const[]){"host", "127.0.0.1", "port", port, "timeout", "20", NULL}, &flag, &r);
	long long end = now_ms();
	pthread_join(th, NULL);
	ck_assert_str_eq(r.outcome, "cancelled");
	/* polled every 100 ms: back well within 400 ms of the cancel (valgrind included) */
	ck_assert_msg(end - c.at < slack_ms(400), "returned %lld ms after the cancel", end - c.at);
	check_result_clear(&r);
	close(lfd);
}
END_TEST

START_TEST(tls_timeout_on_silence)
{
	char port[16];
	int lfd = silent_listener(port, sizeof port);
	struct check_result r;
	long long t0 = now_ms();
	run("tls", (const char *const[]){"host", "127.0.0.1", "port", port, "timeout", "0.3", NULL}, NULL, &r);
	long long took = now_ms() - t0;
	ck_assert_str_eq(r.outcome, "timeout");
	ck_assert_msg(took >= 250 && took < slack_ms(1000), "took %lld ms", took);
	ck_assert(str_starts(r.target, "127.0.0.1:"));
	check_result_clear(&r);
	close(lfd);
}
END_TEST

START_TEST(tcp_ok_and_refused)
{
	char port[16];
	int lfd = silent_listener(port, sizeof port);
	struct check_result r;
	ck_assert_int_eq(run("tcp", (const char *const[]){"host", "127.0.0.1", "port", port, NULL}, NULL, &r), 0);
	ck_assert_str_eq(r.outcome, "ok");
	ck_assert_ptr_nonnull(facts_get0(&r.facts, "connect_ms"));
	check_result_clear(&r);
	close(lfd);
	/* the port is free now: nobody listens */
	run("tcp", (const char *const[]){"host", "127.0.0.1", "port", port, NULL}, NULL, &r);
	ck_assert_str_eq(r.outcome, "refused");
	check_result_clear(&r);
}
END_TEST

START_TEST(split_hostport)
{
	char *h, *p;
	ck_assert(check_split_hostport("wsus.corp.test:8531", &h, &p));
	ck_assert_str_eq(h, "wsus.corp.test");
	ck_assert_str_eq(p, "8531");
	free(h);
	free(p);
	ck_assert(check_split_hostport("wsus", &h, &p));
	ck_assert_str_eq(h, "wsus");
	ck_assert_ptr_null(p);
	free(h);
	ck_assert(check_split_hostport("[::1]:443", &h, &p));
	ck_assert_str_eq(h, "::1");
	ck_assert_str_eq(p, "443");
	free(h);
	free(p);
	ck_assert(check_split_hostport("fe80::1", &h, &p));
	ck_assert_str_eq(h, "fe80::1");
	ck_assert_ptr_null(p);
	free(h);
	ck_assert(!check_split_hostport("[::1", &h, &p));
	ck_assert(!check_split_hostport("[::1]x", &h, &p));
	char *j = net_join_hostport("::1", "443");
	ck_assert_str_eq(j, "[::1]:443");
	free(j);
}
END_TEST

/* The live runner bounded to 2 workers: 6 checks of 300 ms run in 3 rounds (each with
 * its own timeout, from its own start), and a cancel stops those waiting their turn
 * too, at once. */
static struct check_batch *start_silent(struct check_runner r, const char *port, const char *timeout, size_t n,
					const atomic_int *cancel)
{
	const char *keys[] = {"host", "port", "timeout"}, *vals[] = {"127.0.0.1", port, timeout};
	struct check_request reqs[8];
	for (size_t i = 0; i < n; i++)
		reqs[i] = (struct check_request){.kind = "tls", .keys = keys, .values = vals, .nparams = 3, .cancel = cancel};
	return r.ops->start(r.ctx, reqs, n);
}

START_TEST(runner_jobs_bound)
{
	char port[16];
	int lfd = silent_listener(port, sizeof port);
	struct check_runner r = check_runner_live_jobs(2);
	long long t0 = now_ms();
	struct check_batch *b = start_silent(r, port, "0.3", 6, NULL);
	for (int i = 0; i < 100 && !r.ops->poll(b, 100); i++)
		;
	long long took = now_ms() - t0;
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(r.ops->result(b, i)->outcome, "timeout");
	r.ops->finish(b);
	ck_assert_msg(took >= 850 && took < slack_ms(2500), "6 checks of 300 ms, 2 at a time, took %lld ms", took);
	close(lfd);
}
END_TEST

START_TEST(runner_jobs_cancel)
{
	char port[16];
	int lfd = silent_listener(port, sizeof port);
	struct check_runner r = check_runner_live_jobs(2);
	atomic_int flag = 0;
	struct canceller c = {&flag, 200, 0};
	pthread_t th;
	struct check_batch *b = start_silent(r, port, "20", 6, &flag);
	pthread_create(&th, NULL, cancel_later, &c);
	for (int i = 0; i < 100 && !r.ops->poll(b, 100); i++)
		;
	long long end = now_ms();
	pthread_join(th, NULL);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(r.ops->result(b, i)->outcome, "cancelled");
	r.ops->finish(b);
	ck_assert_msg(end - c.at < slack_ms(600), "all done %lld ms after the cancel", end - c.at);
	close(lfd);
}
END_TEST

static Suite *tls_suite(void)
{
	Suite *s = suite_create("netchecks");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, tls_bad_input);
	tcase_add_test(tc, tcp_dns_bad_input);
	tcase_add_test(tc, tls_cancel_is_prompt);
	tcase_add_test(tc, tls_timeout_on_silence);
	tcase_add_test(tc, tcp_ok_and_refused);
	tcase_add_test(tc, split_hostport);
	tcase_add_test(tc, runner_jobs_bound);
	tcase_add_test(tc, runner_jobs_cancel);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(tls_suite());
}
