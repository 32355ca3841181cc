/* test_training.c — a trainee's walk against a scenario (src/training.c) on
 * tests/flows/session-small.yaml with the probe refused, so the fault is fixed by
 * restarting the service (expect: working): a longer way that still gets there is no
 * wrong turn; the step that loses the expected end is, with the answer given, the one
 * expected and the way on; an unfinished walk gets the way on from where it stands; the
 * shortest way routes check nodes by the scenario; the JSON result has its schema. */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "src/engine.h"
#include "src/scenario.h"
#include "src/training.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

static struct flow *flow;
static struct engine *eng;
static struct scenario sc;
static struct scenario_outcome outs[1];
static char *refused[] = {"refused"};

static void setup(void)
{
	flow = test_load_flow("session-small.yaml");
	eng = engine_new(flow);
	const char *err = NULL;
	ck_assert_int_eq(engine_start(eng, NULL, &err), 0);
	outs[0] = (struct scenario_outcome){.node = "probe", .outcomes = refused, .n = 1};
	sc = (struct scenario){.id = "restart", .title = "Restart it", .expect = "working", .outs = outs, .nouts = 1};
}

static void teardown(void)
{
	engine_free(eng);
	flow_free(flow);
}

static void next(void)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_next(eng, &err), 0);
}

static void choose(size_t i)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_choose(eng, i, &err), 0);
}

static void input(const char *host)
{
	const char *err = NULL;
	size_t bad = 0;
	const struct flow_node *n = engine_node(eng);
	const char *vals[3] = {host, "8530", ""};
	ck_assert_int_eq(engine_submit_input(eng, vals, n->nvars, &bad, &err), 0);
}

/* The current check node, run as the scenario says. */
static void check(void)
{
	size_t n = 0;
	const char *const o[] = {"refused"};
	struct check_result *res = test_sim_results(eng, o, 1, &n);
	const char *err = NULL;
	ck_assert_int_eq(engine_check_results(eng, res, n, &err), 0);
	test_results_free(res, n);
}

static void steps(bool fixed)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_steps(eng, fixed, NULL, &err), 0);
}

START_TEST(test_shortest_routed)
{
	int start = flow_node_index(flow, "intro"), esc = flow_node_index(flow, "escalate");
	int working = flow_node_index(flow, "working");
	/* all edges: pick -> target -> probe -> working (ok) */
	ck_assert_int_eq(engine_shortest_path(flow, start, working), 4);
	/* probe refused: on to start-service; the paste way is as short */
	ck_assert_int_eq(engine_shortest_path_routed(flow, start, working, scenario_route, &sc), 4);
	ck_assert_int_eq(engine_shortest_path_routed(flow, flow_node_index(flow, "probe"), working, scenario_route, &sc), 2);
	ck_assert_int_eq(engine_shortest_path_routed(flow, esc, working, scenario_route, &sc), -1);
}
END_TEST

START_TEST(test_detour_then_wrong_turn)
{
	struct training *t = training_new(&sc, flow);
	size_t wrong = 0;
	next();
	choose(1);                     /* "rejects my login": longer, still gets there */
	input("app.example.com");
	check();
	for (size_t i = 0; i < engine_history_len(eng); i++)
		wrong += training_wrong_turn(t, engine_history(eng, i));
	ck_assert_uint_eq(wrong, 0);
	steps(false);                  /* not fixed: the expected end is lost */
	ck_assert(training_wrong_turn(t, engine_history(eng, engine_history_len(eng) - 1)));
	ck_assert_uint_eq(training_wrong_turns(t, eng), 1);

	struct debrief *d = debrief_new(t, eng, 2, 3);
	ck_assert_str_eq(d->verdict, "missed");
	ck_assert_str_eq(d->reached_end, "escalate");
	ck_assert_str_eq(d->expected_end, "working");
	ck_assert_uint_eq(d->steps, 5);
	ck_assert_int_eq(d->shortest, 4);
	ck_assert_uint_eq(d->wrong_turns, 2);
	ck_assert_uint_eq(d->hints, 3);
	ck_assert_ptr_nonnull(d->divergence);
	ck_assert_uint_eq(d->divergence->n, 5);
	ck_assert_str_eq(d->divergence->node, "start-service");
	ck_assert_str_eq(d->divergence->title, "Restart the service");
	ck_assert(str_starts(d->divergence->answer, "not fixed"));
	ck_assert_str_eq(d->expected_answer, "fixed");
	ck_assert_uint_eq(d->nexpected, 2);
	ck_assert_str_eq(d->expected[1].node, "working");
	ck_assert_uint_eq(d->npath, 6);
	ck_assert_str_eq(d->path[1].answer, "The service rejects my login");
	ck_assert_ptr_nonnull(strstr(d->verdict_text, "Not quite"));
	char *text = debrief_text(d);
	ck_assert_ptr_nonnull(strstr(text, "You left the expected path at step 5, \"Restart the service\"."));
	ck_assert_ptr_nonnull(strstr(text, "  Expected: \"fixed\"\n"));
	ck_assert_ptr_nonnull(strstr(text, "  5. Restart the service: answer \"fixed\"\n"));
	ck_assert_ptr_nonnull(strstr(text, "  6. The service works (the expected end)\n"));
	ck_assert_ptr_nonnull(strstr(text, "Score: 5 steps (shortest 4), 2 wrong turns, 3 hints used."));
	free(text);
	char *line = debrief_line(d, "Ann");
	ck_assert_str_eq(line, "Training restart (Ann): ended at 'escalate', not at the expected 'working'; left the "
			       "expected path at step 5 \"Restart the service\" (answered \"not fixed (no steps "
			       "ticked)\", expected \"fixed\"); 5 steps (shortest 4), 2 wrong turns, 3 hints used.");
	free(line);

	char *js = debrief_json(d, "Ann", 1700000000, 1700000600);
	struct json_object *o = json_tokener_parse(js);
	ck_assert_ptr_nonnull(o);
	struct json_object *v, *dv;
	ck_assert(json_object_object_get_ex(o, "schema", &v));
	ck_assert_str_eq(json_object_get_string(v), "tshoot-training-result/1");
	ck_assert(json_object_object_get_ex(o, "started", &v));
	ck_assert_str_eq(json_object_get_string(v), "2023-11-14T22:13:20Z");
	ck_assert(json_object_object_get_ex(o, "ended", &v));
	ck_assert_str_eq(json_object_get_string(v), "2023-11-14T22:23:20Z");
	ck_assert(json_object_object_get_ex(o, "divergence", &dv));
	ck_assert(json_object_object_get_ex(dv, "expected", &v));
	ck_assert_str_eq(json_object_get_string(v), "fixed");
	ck_assert(json_object_object_get_ex(o, "path", &v));
	ck_assert_uint_eq(json_object_array_length(v), 6);
	json_object_put(o);
	free(js);
	debrief_free(d);
	training_free(t);
}
END_TEST

START_TEST(test_classify_and_unfinished)
{
	struct training *t = training_new(&sc, flow);
	next();
	choose(0);
	/* unfinished, on track: the way on from where the walk stands */
	struct debrief *d = debrief_new(t, eng, 0, 0);
	ck_assert_str_eq(d->verdict, "incomplete");
	ck_assert_ptr_null(d->divergence);
	ck_assert_ptr_null(d->verdict_text);
	ck_assert_uint_eq(d->nexpected, 4);
	ck_assert_str_eq(d->expected[0].node, "target");
	ck_assert_uint_eq(d->expected[0].n, 3);
	ck_assert_ptr_null(d->expected[1].answer);          /* a check node asks nothing */
	ck_assert_str_eq(d->expected[2].answer, "fixed");
	debrief_free(d);

	/* a pasted text that matches nothing known: the expected end is lost there */
	engine_back(eng);
	choose(2);
	const char *err = NULL;
	ck_assert_int_eq(engine_classify(eng, "something else entirely", &err), 0);
	d = debrief_new(t, eng, 0, 0);
	ck_assert_ptr_nonnull(d->divergence);
	ck_assert_str_eq(d->divergence->node, "paste");
	ck_assert_uint_eq(d->wrong_turns, 1);             /* counted even when not seen live */
	ck_assert_str_eq(d->expected_answer, "a text that matches \"The disk is full\"");
	ck_assert(!d->expected_literal);
	char *line = debrief_line(d, NULL);
	ck_assert_ptr_nonnull(strstr(line, ", expected a text that matches \"The disk is full\")"));
	ck_assert(str_starts(line, "Training restart: ended at 'escalate'"));
	free(line);
	debrief_free(d);

	/* the expected end reached */
	engine_back(eng);
	ck_assert_int_eq(engine_classify(eng, "write failed: No space left on device", &err), 0);
	steps(true);
	d = debrief_new(t, eng, 1, 0);
	ck_assert_str_eq(d->verdict, "reached");
	ck_assert_ptr_null(d->divergence);
	ck_assert_uint_eq(d->nexpected, 0);
	ck_assert_str_eq(d->verdict_text, "Well done: you reached the expected resolution 'working' in 4 steps (shortest path: 4).");
	char *text = debrief_text(d);
	ck_assert(str_starts(text, "You stayed on a way to the expected end once you had gone back"));
	free(text);
	debrief_free(d);
	training_free(t);
}
END_TEST

START_TEST(test_trainee_name)
{
	ck_assert_ptr_null(training_name_problem("Ann Lee"));
	ck_assert_ptr_null(training_name_problem("Zoë Ångström"));
	ck_assert_ptr_nonnull(training_name_problem(""));
	ck_assert_ptr_nonnull(training_name_problem("a\033[2Jb"));
	ck_assert_ptr_nonnull(training_name_problem("tab\there"));
	char long_name[100];
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	ck_assert_ptr_nonnull(training_name_problem(long_name));
}
END_TEST

static Suite *training_suite(void)
{
	Suite *s = suite_create("training");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shortest_routed);
	tcase_add_test(tc, test_detour_then_wrong_turn);
	tcase_add_test(tc, test_classify_and_unfinished);
	tcase_add_test(tc, test_trainee_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(training_suite());
}
