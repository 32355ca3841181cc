/* testutil.h — what the unit tests share: where the test data is, loading a test flow,
 * reading a file, running a check node through the simulated runner, a Check main, and
 * time bounds that stretch under valgrind. Static inline: each test binary is one .c. */
#ifndef TSHOOT_TESTUTIL_H
#define TSHOOT_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks/check.h"
#include "src/diag.h"
#include "src/engine.h"
#include "src/flow.h"
#include "src/scenario.h"
#include "src/util.h"

/* The source tree (tests/run.sh sets TOP and runs us from it). */
static inline const char *test_top(void)
{
	const char *t = getenv("TOP");
	return t && *t ? t : ".";
}

/* tests/flows/NAME under the source tree; caller frees. */
static inline char *test_flow_path(const char *name)
{
	return xasprintf("%s/tests/flows/%s", test_top(), name);
}

/* Every diagnostic, one per line, for failure messages; caller frees. */
static inline char *test_diags_text(const struct diags *d)
{
	struct strbuf sb = {0};
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);
		sb_printf(&sb, "  %s\n", s);
		free(s);
	}
	return sb_steal(&sb);
}

/* Load tests/flows/NAME; the test fails (with the diagnostics) when it does not load. */
static inline struct flow *test_load_flow(const char *name)
{
	char *p = test_flow_path(name);
	struct diags d = {0};
	struct flow *f = flow_load_file(p, &d);
	char *all = test_diags_text(&d);
	ck_assert_msg(f != NULL, "%s does not load:\n%s", p, all);
	free(all);
	diags_clear(&d);
	free(p);
	return f;
}

/* A whole file as a string; caller frees. */
static inline char *test_slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	struct strbuf sb = {0};
	char buf[4096];
	size_t r;
	while ((r = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_addn(&sb, buf, r);
	fclose(fp);
	return sb_steal(&sb);
}

/* The current check node's results as the simulated runner gives them (outs per check),
 * copied for the caller to dress up and hand to engine_check_results; *n is set.
 * Free with test_results_free. */
static inline struct check_result *test_sim_results(struct engine *e, const char *const *outs,
						    size_t nouts, size_t *n)
{
	struct sim_runner *sim = sim_runner_new();
	sim_runner_set(sim, engine_node(e)->id, outs, nouts);
	sim_runner_select(sim, engine_node(e)->id);
	struct check_runner r = sim_runner_runner(sim);
	struct engine_requests rq;
	const char *err = NULL;
	ck_assert_int_eq(engine_check_requests(e, &rq, &err), 0);
	struct check_batch *b = r.ops->start(r.ctx, rq.reqs, rq.n);
	for (int i = 0; i < 100 && !r.ops->poll(b, 10); i++)
		;
	struct check_result *res = xcalloc(rq.n ? rq.n : 1, sizeof *res);
	for (size_t i = 0; i < rq.n; i++)
		check_result_copy(&res[i], r.ops->result(b, i));
	*n = rq.n;
	r.ops->finish(b);
	engine_requests_clear(&rq);
	sim_runner_free(sim);
	return res;
}

static inline void test_results_free(struct check_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_result_clear(&res[i]);
	free(res);
}

/* Run a suite; the exit status is failure when any test failed. */
static inline int test_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Upper time bounds in tests that check promptness (a cancel answered, a timeout
 * kept). Under valgrind everything runs many times slower, so tests/run.sh sets
 * TSHOOT_TEST_SLACK (a whole factor) and the bounds stretch by it. */
static inline long long slack_ms(long long ms)
{
	long k;
	return parse_long(getenv("TSHOOT_TEST_SLACK"), 1, 100, &k) ? ms * k : ms;
}

#endif
