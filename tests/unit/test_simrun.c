/* test_simrun.c — the simulated check runner on its own: outcomes per node, the last
 * repeating, a node with nothing set "not part of this scenario" (routing as ok),
 * results marked simulated, targets named like live ones, facts under the live checks'
 * keys with values that fit the outcome, scripted facts over them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/check.h"
#include "src/scenario.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

struct req_store {
	const char *keys[4];
	const char *values[4];
};

static struct check_request mkreq(struct req_store *st, const char *kind, const char *k1,
				  const char *v1, const char *k2, const char *v2)
{
	struct check_request r;
	memset(&r, 0, sizeof(r));
	st->keys[0] = k1;
	st->values[0] = v1;
	st->keys[1] = k2;
	st->values[1] = v2;
	r.kind = kind;
	r.keys = st->keys;
	r.values = st->values;
	r.nparams = k2 ? 2 : 1;
	r.timeout_ms = 1000;
	return r;
}

START_TEST(test_default_ok)
{
	struct sim_runner *s = sim_runner_new();
	struct check_runner r = sim_runner_runner(s);
	ck_assert_ptr_nonnull(r.ops);
	struct req_store st[3];
	struct check_request reqs[3];
	reqs[0] = mkreq(&st[0], "http", "url", "http://wsus:8530/x", "timeout", "5");
	reqs[1] = mkreq(&st[1], "tcp", "host", "wsus", "port", "8530");
	reqs[2] = mkreq(&st[2], "dns", "name", "wsus.example.com", NULL, NULL);
	/* No node selected: not part of the scenario, ok for routing, no facts. */
	ck_assert(!sim_runner_scripts(s, NULL));
	struct check_batch *b = r.ops->start(r.ctx, reqs, 3);
	ck_assert(r.ops->poll(b, 0));
	for (size_t i = 0; i < 3; i++) {
		ck_assert(r.ops->done(b, i));
		const struct check_result *res = r.ops->result(b, i);
		ck_assert_str_eq(res->outcome, "ok");
		ck_assert(res->simulated);
		ck_assert_int_eq(res->elapsed_ms, 0);
		ck_assert(str_starts(res->summary, SIM_UNSCRIPTED ": "));
		ck_assert_uint_eq(res->facts.n, 0);
		ck_assert_str_eq(res->kind, reqs[i].kind);
	}
	ck_assert_str_eq(r.ops->result(b, 0)->target, "http://wsus:8530/x");
	ck_assert_str_eq(r.ops->result(b, 1)->target, "wsus:8530");
	ck_assert_str_eq(r.ops->result(b, 2)->target, "wsus.example.com");
	ck_assert(!r.ops->done(b, 3));
	ck_assert_ptr_null(r.ops->result(b, 3));
	r.ops->cancel(b);
	r.ops->finish(b);
	sim_runner_free(s);
}
END_TEST

START_TEST(test_outcomes_per_node)
{
	struct sim_runner *s = sim_runner_new();
	struct check_runner r = sim_runner_runner(s);
	struct req_store st[3];
	struct check_request reqs[3];
	reqs[0] = mkreq(&st[0], "proxy", "proxy", "http://proxy:3128", "target", "http://x/");
	reqs[1] = mkreq(&st[1], "tls", "host", "wsus", "port", "8531");
	reqs[2] = mkreq(&st[2], "log", "file", "/tmp/WCM.log", "flow", "f.yaml");

	const char *a[] = {"proxy_auth", "tls_expired"};
	sim_runner_set(s, "mu-reach", a, 2);
	const char *other[] = {"refused"};
	sim_runner_set(s, "other", other, 1);
	sim_runner_select(s, "mu-reach");
	struct check_batch *b = r.ops->start(r.ctx, reqs, 3);
	ck_assert(r.ops->poll(b, 100));
	ck_assert_str_eq(r.ops->result(b, 0)->outcome, "proxy_auth");
	ck_assert_str_eq(r.ops->result(b, 1)->outcome, "tls_expired");
	ck_assert_str_eq(r.ops->result(b, 2)->outcome, "tls_expired");      /* last repeats */
	/* worded as the live check words it, with the facts a live 407 has */
	const struct check_result *p407 = r.ops->result(b, 0);
	ck_assert_str_eq(p407->summary, "the proxy http://proxy:3128 demands authentication (407)");
	ck_assert_str_eq(facts_get0(&p407->facts, "status"), "407");
	ck_assert_str_eq(facts_get0(&p407->facts, "proxy_authenticate"), "NTLM");
	ck_assert_str_eq(facts_get0(&p407->facts, "proxy"), "http://proxy:3128");
	ck_assert_str_eq(facts_get0(&p407->facts, "target"), "http://x/");
	ck_assert_ptr_null(facts_get0(&p407->facts, "connect_status"));
	/* an expired certificate: not_after in the past, days_left negative */
	const struct check_result *exp = r.ops->result(b, 1);
	ck_assert_str_eq(facts_get0(&exp->facts, "days_left"), "-12");
	ck_assert_str_eq(facts_get0(&exp->facts, "subject"), "CN=wsus");
	ck_assert_ptr_nonnull(strstr(exp->summary, "expired 12 days ago (not after "));
	/* A simulated tls problem is listed among the problems too. */
	ck_assert_uint_eq(r.ops->result(b, 1)->nproblems, 1);
	ck_assert_str_eq(r.ops->result(b, 1)->problems[0], "tls_expired");
	ck_assert_str_eq(r.ops->result(b, 0)->target, "http://proxy:3128");
	ck_assert_str_eq(r.ops->result(b, 2)->target, "/tmp/WCM.log");
	r.ops->finish(b);

	/* Set again replaces; an empty list means ok (scripted: with facts). */
	sim_runner_set(s, "mu-reach", NULL, 0);
	ck_assert(sim_runner_scripts(s, "mu-reach"));
	b = r.ops->start(r.ctx, reqs, 2);
	ck_assert_str_eq(r.ops->result(b, 0)->outcome, "ok");
	ck_assert_str_eq(r.ops->result(b, 1)->outcome, "ok");
	ck_assert_uint_eq(r.ops->result(b, 1)->nproblems, 0);
	ck_assert_str_eq(facts_get0(&r.ops->result(b, 0)->facts, "status"), "200");
	ck_assert(str_starts(r.ops->result(b, 1)->summary, "certificate for wsus is valid until "));
	r.ops->finish(b);

	sim_runner_select(s, "other");
	b = r.ops->start(r.ctx, reqs, 1);
	ck_assert_str_eq(r.ops->result(b, 0)->outcome, "refused");
	r.ops->finish(b);

	/* Zero checks: a batch that is done at once. */
	b = r.ops->start(r.ctx, reqs, 0);
	ck_assert(r.ops->poll(b, 0));
	ck_assert(!r.ops->done(b, 0));
	r.ops->finish(b);
	sim_runner_free(s);
}
END_TEST

START_TEST(test_scenario)
{
	char *o1[] = {"ok"};
	char *o2[] = {"ok", "proxy_auth"};
	struct scenario_outcome outs[] = {
		{.node = "web-service", .outcomes = o1, .n = 1},
		{.node = "mu-reach", .outcomes = o2, .n = 2},
	};
	struct scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.outs = outs;
	sc.nouts = 2;
	struct sim_runner *s = sim_runner_new();
	sim_runner_load_scenario(s, &sc);
	struct check_runner r = sim_runner_runner(s);
	struct req_store st[2];
	struct check_request reqs[2];
	reqs[0] = mkreq(&st[0], "http", "url", "http://a/", NULL, NULL);
	reqs[1] = mkreq(&st[1], "proxy", "proxy", "http://p:8080", "target", "http://b/");
	sim_runner_select(s, "mu-reach");
	struct check_batch *b = r.ops->start(r.ctx, reqs, 2);
	ck_assert_str_eq(r.ops->result(b, 0)->outcome, "ok");
	ck_assert_str_eq(r.ops->result(b, 1)->outcome, "proxy_auth");
	r.ops->finish(b);
	sim_runner_select(s, "web-service");
	b = r.ops->start(r.ctx, reqs, 2);
	ck_assert_str_eq(r.ops->result(b, 1)->outcome, "ok");
	r.ops->finish(b);
	sim_runner_free(s);
	sim_runner_free(NULL);
}
END_TEST

/* A scenario that scripts visits: each visit gets its own outcomes and facts, the last
 * repeating; plain facts go with every visit's outcomes; visit 0 is the first. */
START_TEST(test_scenario_visits)
{
	char *v1[] = {"http_503"}, *v2[] = {"ok"}, *o3[] = {"refused"};
	struct facts f1 = {0}, f2 = {0}, fp = {0};
	facts_add(&f1, "status", "503");
	facts_add(&f2, "status", "200");
	facts_add(&fp, "address", "10.0.0.9:80");
	struct scenario_outcome outs[] = {
		{.node = "live-web", .outcomes = v1, .n = 1, .visit = 1},
		{.node = "live-web", .outcomes = v2, .n = 1, .visit = 2},
		{.node = "tcp", .outcomes = o3, .n = 1},
	};
	struct scenario_facts facts[] = {
		{.node = "live-web", .sets = &f1, .n = 1, .visit = 1},
		{.node = "live-web", .sets = &f2, .n = 1, .visit = 2},
		{.node = "tcp", .sets = &fp, .n = 1},
	};
	struct scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.outs = outs;
	sc.nouts = 3;
	sc.facts = facts;
	sc.nfacts = 3;
	struct sim_runner *s = sim_runner_new();
	sim_runner_load_scenario(s, &sc);
	struct check_runner r = sim_runner_runner(s);
	struct req_store st;
	struct check_request req = mkreq(&st, "http", "url", "http://a/", NULL, NULL);
	const char *want[][2] = {{"http_503", "503"}, {"http_503", "503"}, {"ok", "200"}, {"ok", "200"}};
	for (size_t v = 0; v < 4; v++) {
		sim_runner_select_visit(s, "live-web", v);
		struct check_batch *b = r.ops->start(r.ctx, &req, 1);
		ck_assert_str_eq(r.ops->result(b, 0)->outcome, want[v][0]);
		ck_assert_str_eq(facts_get0(&r.ops->result(b, 0)->facts, "status"), want[v][1]);
		r.ops->finish(b);
	}
	sim_runner_select_visit(s, "tcp", 5);
	struct check_batch *b = r.ops->start(r.ctx, &req, 1);
	ck_assert_str_eq(r.ops->result(b, 0)->outcome, "refused");
	r.ops->finish(b);
	sim_runner_free(s);
	facts_clear(&f1);
	facts_clear(&f2);
	facts_clear(&fp);
}
END_TEST

/* A result made for one request with the outcome and scripted facts given. */
static void fill(struct check_result *res, const char *kind, const char *k1, const char *v1, const char *k2,
		 const char *v2, const char *outcome, const struct facts *scripted, time_t now)
{
	struct req_store st;
	struct check_request req = mkreq(&st, kind, k1, v1, k2, v2);
	sim_fill(res, &req, outcome, scripted, now);
}

START_TEST(test_facts)
{
	struct check_result res;
	time_t now = 1700000000;         /* 2023-11-14T22:13:20Z */
	/* https through a proxy: the CONNECT answers 407, as curl reports it */
	fill(&res, "proxy", "proxy", "http://p:8080", "target", "https://mu/", "proxy_auth", NULL, now);
	ck_assert_str_eq(facts_get0(&res.facts, "connect_status"), "407");
	ck_assert_ptr_null(facts_get0(&res.facts, "status"));
	check_result_clear(&res);
	/* ok: the first status the check expects; 401 comes with its schemes */
	fill(&res, "http", "url", "http://w/api", "expect", "401,200", "ok", NULL, now);
	ck_assert_str_eq(facts_get0(&res.facts, "status"), "401");
	ck_assert_str_eq(facts_get0(&res.facts, "www_authenticate"), "Negotiate");
	ck_assert_str_eq(res.summary, "HTTP 401 Unauthorized from http://w/api");
	check_result_clear(&res);
	fill(&res, "http", "url", "http://w/x", NULL, NULL, "http_503", NULL, now);
	ck_assert_str_eq(facts_get0(&res.facts, "status"), "503");
	ck_assert_str_eq(res.summary, "HTTP 503 Service Unavailable from http://w/x");
	check_result_clear(&res);
	/* scripted facts replace the defaults of their key, in place; the summary follows */
	struct facts sc = {0};
	facts_add(&sc, "status", "401");
	facts_add(&sc, "www_authenticate", "Negotiate");
	facts_add(&sc, "www_authenticate", "NTLM");
	facts_add(&sc, "server", "Microsoft-IIS/10.0");
	fill(&res, "http", "url", "http://w/api", "expect", "200,401", "ok", &sc, now);
	ck_assert_str_eq(res.facts.v[0].key, "status");
	ck_assert_str_eq(res.facts.v[0].value, "401");
	ck_assert_str_eq(res.facts.v[1].value, "Negotiate");
	ck_assert_str_eq(res.facts.v[2].value, "NTLM");
	ck_assert_str_eq(facts_get0(&res.facts, "server"), "Microsoft-IIS/10.0");
	ck_assert_uint_eq(res.facts.n, 4);
	ck_assert_str_eq(res.summary, "HTTP 401 Unauthorized from http://w/api");
	check_result_clear(&res);
	facts_clear(&sc);
	/* certificate dates: a scripted not_after gives days_left as the tls check counts */
	facts_add(&sc, "not_after", "2023-11-01T00:00:00Z");
	fill(&res, "tls", "host", "wsus.example.com", "port", "8531", "tls_expired", &sc, now);
	ck_assert_str_eq(facts_get0(&res.facts, "not_after"), "2023-11-01T00:00:00Z");
	ck_assert_str_eq(facts_get0(&res.facts, "days_left"), "-13");
	ck_assert_str_eq(res.summary, "certificate for wsus.example.com expired 13 days ago (not after 2023-11-01)");
	ck_assert_str_eq(res.problems[0], "tls_expired");
	check_result_clear(&res);
	facts_clear(&sc);
	/* ... and a scripted days_left gives not_after */
	facts_add(&sc, "days_left", "5");
	fill(&res, "tls", "host", "wsus.example.com", NULL, NULL, "tls_expiring", &sc, now);
	ck_assert_str_eq(facts_get0(&res.facts, "not_after"), "2023-11-19T21:13:20Z");
	ck_assert_str_eq(res.target, "wsus.example.com");
	check_result_clear(&res);
	facts_clear(&sc);
	/* a name mismatch names another server; no certificate after a refused connection */
	fill(&res, "tls", "host", "wsus", "port", "8531", "tls_name_mismatch", NULL, now);
	ck_assert_str_eq(facts_get0(&res.facts, "subject"), "CN=old-wsus");
	check_result_clear(&res);
	fill(&res, "tls", "host", "wsus", "port", "8531", "refused", NULL, now);
	ck_assert_uint_eq(res.facts.n, 0);
	ck_assert_str_eq(res.summary, "wsus:8531 refused the connection");
	check_result_clear(&res);
	/* tcp and dns: an address, and the summary names it */
	facts_add(&sc, "address", "10.20.0.15:8530");
	fill(&res, "tcp", "host", "wsus", "port", "8530", "refused", &sc, now);
	ck_assert_str_eq(res.summary, "10.20.0.15:8530 refused the connection");
	check_result_clear(&res);
	facts_clear(&sc);
	fill(&res, "dns", "name", "wsus.example.com", NULL, NULL, "ok", NULL, now);
	ck_assert_str_eq(res.summary, "wsus.example.com resolves to 192.0.2.10");
	check_result_clear(&res);
}
END_TEST

static Suite *simrun_suite(void)
{
	Suite *s = suite_create("simrun");
	TCase *tc = tcase_create("runner");
	tcase_add_test(tc, test_default_ok);
	tcase_add_test(tc, test_outcomes_per_node);
	tcase_add_test(tc, test_scenario);
	tcase_add_test(tc, test_scenario_visits);
	tcase_add_test(tc, test_facts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(simrun_suite());
}
