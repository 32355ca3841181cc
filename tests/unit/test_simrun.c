/* test_simrun.c — the simulated check runner on its own: outcomes per node, the last
 * repeating, "ok" when none, results marked simulated, targets named like live ones. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

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
	/* No node selected: everything is ok. */
	struct check_batch *b = r.ops->start(r.ctx, reqs, 3);
	ck_assert(r.ops->poll(b, 0));
	for (size_t i = 0; i < 3; i++) {
		ck_assert(r.ops->done(b, i));
		const struct check_result *res = r.ops->result(b, i);
		ck_assert_str_eq(res->outcome, "ok");
		ck_assert(res->simulated);
		ck_assert_int_eq(res->elapsed_ms, 0);
		ck_assert(str_starts(res->summary, "simulated: "));
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
	char *human = outcome_human("proxy_auth");
	char *want = xasprintf("simulated: %s", human);
	ck_assert_str_eq(r.ops->result(b, 0)->summary, want);
	free(want);
	free(human);
	/* A simulated tls problem is listed among the problems too. */
	ck_assert_uint_eq(r.ops->result(b, 1)->nproblems, 1);
	ck_assert_str_eq(r.ops->result(b, 1)->problems[0], "tls_expired");
	ck_assert_str_eq(r.ops->result(b, 0)->target, "http://proxy:3128");
	ck_assert_str_eq(r.ops->result(b, 2)->target, "/tmp/WCM.log");
	r.ops->finish(b);

	/* Set again replaces; an empty list means ok. */
	sim_runner_set(s, "mu-reach", NULL, 0);
	b = r.ops->start(r.ctx, reqs, 2);
	ck_assert_str_eq(r.ops->result(b, 0)->outcome, "ok");
	ck_assert_str_eq(r.ops->result(b, 1)->outcome, "ok");
	ck_assert_uint_eq(r.ops->result(b, 1)->nproblems, 0);
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

static Suite *simrun_suite(void)
{
	Suite *s = suite_create("simrun");
	TCase *tc = tcase_create("runner");
	tcase_add_test(tc, test_default_ok);
	tcase_add_test(tc, test_outcomes_per_node);
	tcase_add_test(tc, test_scenario);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(simrun_suite());
}
