/* test_engine.c — the walk: actions, back/restart, input validation, classify,
 * check routing, the simulated runner, shortest paths. No terminal, no network. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check.h"
#include "src/diag.h"
#include "src/engine.h"
#include "src/flow.h"
#include "src/flow_link.h"
#include "src/lint.h"
#include "src/scenario.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

static const char walk_yaml[] =
	"id: engine-walk\n"
	"title: Engine walk\n"
	"start: intro\n"
	"vars:\n"
	"  host: {prompt: \"Host\", validate: hostname}\n"
	"  port: {prompt: \"Port\", default: \"8530\", validate: port}\n"
	"  user: {prompt: \"Proxy user\", optional: true}\n"
	"  pass: {prompt: \"Proxy password\", secret: true, optional: true}\n"
	"signatures:\n"
	"  not_configured: \"Sync failed: WSUS server not configured\"\n"
	"  proxy_407: {regex: \"HTTP [Ss]tatus 407\"}\n"
	"  unrouted: \"operation timed out\"\n"
	"nodes:\n"
	"  intro:\n"
	"    type: info\n"
	"    text: Hello ${host}\n"
	"    next: remote\n"
	"  remote:\n"
	"    type: question\n"
	"    text: Is it remote?\n"
	"    answers:\n"
	"      - {label: \"Yes\", next: target}\n"
	"      - {label: \"No\", next: paste}\n"
	"  target:\n"
	"    type: input\n"
	"    vars: [host, port]\n"
	"    next: web\n"
	"  web:\n"
	"    type: check\n"
	"    run:\n"
	"      - http: {url: \"http://${host}:${port}/x\", timeout: 2.5, proxy_user: \"${user}\", proxy_password: \"${pass}\"}\n"
	"      - tcp: {host: \"${host}\", port: \"${port}\"}\n"
	"    on:\n"
	"      ok: fixit\n"
	"      http_503: svc503\n"
	"      http_5xx: svc5xx\n"
	"      problem: problem-end\n"
	"      default: escalate\n"
	"  paste:\n"
	"    type: classify\n"
	"    text: Paste the error\n"
	"    on: {not_configured: fixit, proxy_407: auth, default: escalate}\n"
	"  fixit:\n"
	"    type: steps\n"
	"    steps: [\"Do a\", \"Do b\"]\n"
	"    fixed: resolved\n"
	"    not_fixed: escalate\n"
	"  logs:\n"
	"    type: check\n"
	"    run:\n"
	"      - log: {file: \"/var/log/${host}.log\"}\n"
	"    on: {not_configured: fixit, default: escalate}\n"
	"  only-default:\n"
	"    type: check\n"
	"    run:\n"
	"      - {dns: {name: \"${host}\"}, label: \"Name ${host} (${pass})\"}\n"
	"    on: {default: escalate}\n"
	"  svc503: {type: end, result: escalate, text: \"503\"}\n"
	"  svc5xx: {type: end, result: escalate, text: \"5xx\"}\n"
	"  problem-end: {type: end, result: escalate, text: \"problem\"}\n"
	"  auth: {type: end, result: resolved, text: \"auth\"}\n"
	"  resolved: {type: end, result: resolved, text: \"done\"}\n"
	"  escalate: {type: end, result: escalate, text: \"escalate\"}\n";

static struct flow *flow;
static struct engine *eng;

static void setup(void)
{
	struct diags d = {0};
	flow = flow_load_string("engine-walk.yaml", walk_yaml, strlen(walk_yaml), &d);
	if (!flow)
		diags_print(&d, stderr);
	diags_clear(&d);
	ck_assert_ptr_nonnull(flow);
	eng = engine_new(flow);
	ck_assert_ptr_nonnull(eng);
}

static void teardown(void)
{
	engine_free(eng);
	flow_free(flow);
	eng = NULL;
	flow = NULL;
}

static const char *cur_id(void)
{
	const struct flow_node *n = engine_node(eng);
	return n ? n->id : "(none)";
}

static void go(const char *id)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_start(eng, id, &err), 0);
	ck_assert_str_eq(cur_id(), id);
}

static void result_init(struct check_result *r, const char *kind, const char *outcome)
{
	memset(r, 0, sizeof(*r));
	r->kind = xstrdup(kind);
	r->target = xstrdup("t");
	r->outcome = xstrdup(outcome);
	r->summary = xstrdup(outcome);
}

/* Feed two results (http, tcp) to the current check node. */
static int feed2(const char *o1, const char *o2, const char **err)
{
	struct check_result r[2];
	result_init(&r[0], "http", o1);
	result_init(&r[1], "tcp", o2);
	int rc = engine_check_results(eng, r, 2, err);
	check_result_clear(&r[0]);
	check_result_clear(&r[1]);
	return rc;
}

START_TEST(test_walk)
{
	const char *err = NULL;
	ck_assert_str_eq(cur_id(), "intro");
	ck_assert_uint_eq(engine_step_no(eng), 1);
	ck_assert(!engine_at_end(eng));
	ck_assert_int_eq(engine_next(eng, &err), 0);
	ck_assert_str_eq(cur_id(), "remote");
	ck_assert_int_eq(engine_choose(eng, 0, &err), 0);
	ck_assert_str_eq(cur_id(), "target");

	const char *vals[] = {"wsus01.contoso.com", ""};
	size_t bad = 99;
	ck_assert_int_eq(engine_submit_input(eng, vals, 2, &bad, &err), 0);
	ck_assert_str_eq(cur_id(), "web");
	ck_assert_str_eq(engine_var(eng, "host"), "wsus01.contoso.com");
	ck_assert_str_eq(engine_var(eng, "port"), "8530");    /* empty -> default */

	struct engine_requests rq;
	ck_assert_int_eq(engine_check_requests(eng, &rq, &err), 0);
	ck_assert_uint_eq(rq.n, 2);
	ck_assert_str_eq(rq.reqs[0].kind, "http");
	ck_assert_str_eq(check_request_param(&rq.reqs[0], "url"), "http://wsus01.contoso.com:8530/x");
	ck_assert_int_eq(rq.reqs[0].timeout_ms, 2500);
	ck_assert_int_eq(rq.reqs[1].timeout_ms, 0);         /* 0: the kind's default */
	ck_assert_str_eq(check_request_param(&rq.reqs[1], "port"), "8530");
	ck_assert_str_eq(rq.labels[0], "http http://wsus01.contoso.com:8530/x");
	ck_assert_str_eq(rq.labels[1], "tcp wsus01.contoso.com:8530");
	engine_requests_clear(&rq);

	ck_assert_int_eq(feed2("ok", "ok", &err), 0);
	ck_assert_str_eq(cur_id(), "fixit");
	bool ticked[2] = {true, false};
	ck_assert_int_eq(engine_steps(eng, true, ticked, &err), 0);
	ck_assert_str_eq(cur_id(), "resolved");
	ck_assert(engine_at_end(eng));
	ck_assert_uint_eq(engine_history_len(eng), 5);
	ck_assert_uint_eq(engine_step_no(eng), 6);

	const struct engine_step *s = engine_history(eng, 1);
	ck_assert_str_eq(s->answer, "Yes");
	ck_assert_int_eq(s->choice, 0);
	s = engine_history(eng, 2);                             /* input */
	ck_assert_ptr_null(s->answer);
	int hi = flow_var_index(flow, "host");
	ck_assert_ptr_null(s->vars_before[hi]);
	ck_assert_str_eq(s->vars_after[hi], "wsus01.contoso.com");
	s = engine_history(eng, 3);                             /* check */
	ck_assert_str_eq(s->outcome, "ok");
	ck_assert_uint_eq(s->nresults, 2);
	ck_assert_str_eq(s->results[1].kind, "tcp");
	ck_assert_int_eq(s->next, flow_node_index(flow, "fixit"));
	s = engine_history(eng, 4);                             /* steps */
	ck_assert_str_eq(s->answer, "fixed");
	ck_assert_int_eq(s->choice, 1);
	ck_assert_ptr_nonnull(s->ticked);
	ck_assert(s->ticked[0] && !s->ticked[1]);
	ck_assert_ptr_null(engine_history(eng, 5));
	/* Nothing fits an end node. */
	ck_assert_int_eq(engine_next(eng, &err), -1);
	ck_assert_ptr_nonnull(err);
}
END_TEST

START_TEST(test_back)
{
	const char *err;
	ck_assert_int_eq(engine_back(eng), -1);                 /* at the first node */
	ck_assert_int_eq(engine_next(eng, &err), 0);
	ck_assert_int_eq(engine_choose(eng, 0, &err), 0);
	const char *v1[] = {"a.example.com", "8531"};
	ck_assert_int_eq(engine_submit_input(eng, v1, 2, NULL, &err), 0);
	ck_assert_str_eq(cur_id(), "web");
	ck_assert(engine_var_is_set(eng, "host"));

	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_str_eq(cur_id(), "target");
	ck_assert(!engine_var_is_set(eng, "host"));
	ck_assert_ptr_null(engine_var(eng, "host"));
	ck_assert_str_eq(engine_var(eng, "port"), "8530");      /* the default again */
	ck_assert_uint_eq(engine_history_len(eng), 2);

	/* Enter again, go on, then back twice more: values as they were before each. */
	ck_assert_int_eq(engine_submit_input(eng, v1, 2, NULL, &err), 0);
	ck_assert_int_eq(feed2("ok", "ok", &err), 0);
	ck_assert_str_eq(cur_id(), "fixit");
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_str_eq(cur_id(), "web");
	ck_assert_str_eq(engine_var(eng, "port"), "8531");
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_str_eq(cur_id(), "remote");
	ck_assert_int_eq(engine_choose(eng, 1, &err), 0);       /* another branch this time */
	ck_assert_str_eq(cur_id(), "paste");
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_str_eq(cur_id(), "intro");
	ck_assert_int_eq(engine_back(eng), -1);
	ck_assert_uint_eq(engine_history_len(eng), 0);
}
END_TEST

/* Back to a form: the variables are as before it, but the form offers what was typed. */
START_TEST(test_form_value_after_back)
{
	const char *err;
	ck_assert_int_eq(engine_next(eng, &err), 0);
	ck_assert_int_eq(engine_choose(eng, 0, &err), 0);
	ck_assert_ptr_null(engine_form_value(eng, "host"));
	ck_assert_str_eq(engine_form_value(eng, "port"), "8530");       /* the default */
	const char *v1[] = {"a.example.com", "8531"};
	ck_assert_int_eq(engine_submit_input(eng, v1, 2, NULL, &err), 0);
	ck_assert_int_eq(feed2("ok", "ok", &err), 0);
	ck_assert_int_eq(engine_back(eng), 0);                         /* to the checks */
	ck_assert_int_eq(engine_back(eng), 0);                         /* to the form */
	ck_assert_str_eq(cur_id(), "target");
	ck_assert(!engine_var_is_set(eng, "host"));                    /* undone ... */
	ck_assert_str_eq(engine_form_value(eng, "host"), "a.example.com");   /* ... but offered */
	ck_assert_str_eq(engine_form_value(eng, "port"), "8531");
	ck_assert_ptr_null(engine_form_value(eng, "nosuch"));
	/* a new submit is what counts from then on */
	const char *v2[] = {"b.example.com", "8530"};
	ck_assert_int_eq(engine_submit_input(eng, v2, 2, NULL, &err), 0);
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_str_eq(engine_form_value(eng, "host"), "b.example.com");
	ck_assert_str_eq(engine_form_value(eng, "port"), "8530");
	/* back past the form and forward to it again: still offered */
	ck_assert_int_eq(engine_back(eng), 0);
	ck_assert_int_eq(engine_choose(eng, 0, &err), 0);
	ck_assert_str_eq(engine_form_value(eng, "host"), "b.example.com");
}
END_TEST

START_TEST(test_restart_and_start)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_set_var(eng, "host", "kept.example.com", &err), 0);
	ck_assert_int_eq(engine_next(eng, &err), 0);
	ck_assert_int_eq(engine_choose(eng, 1, &err), 0);
	engine_restart(eng);
	ck_assert_str_eq(cur_id(), "intro");
	ck_assert_uint_eq(engine_history_len(eng), 0);
	ck_assert_str_eq(engine_var(eng, "host"), "kept.example.com");

	go("fixit");
	ck_assert_uint_eq(engine_history_len(eng), 0);
	ck_assert_int_eq(engine_steps(eng, false, NULL, &err), 0);
	ck_assert_str_eq(cur_id(), "escalate");
	ck_assert_str_eq(engine_history(eng, 0)->answer, "not fixed");
	ck_assert_int_eq(engine_history(eng, 0)->choice, 0);
	ck_assert_ptr_null(engine_history(eng, 0)->ticked);

	err = NULL;
	ck_assert_int_eq(engine_start(eng, "no-such-node", &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(cur_id(), "escalate");                 /* unchanged */
	ck_assert_uint_eq(engine_history_len(eng), 1);
	ck_assert_int_eq(engine_start(eng, NULL, &err), 0);
	ck_assert_str_eq(cur_id(), "intro");
	ck_assert_uint_eq(engine_history_len(eng), 0);
}
END_TEST

START_TEST(test_wrong_action)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_choose(eng, 0, &err), -1);      /* intro is info */
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(engine_classify(eng, "x", &err), -1);
	ck_assert_int_eq(engine_steps(eng, true, NULL, &err), -1);
	ck_assert_int_eq(feed2("ok", "ok", &err), -1);
	struct engine_requests rq;
	ck_assert_int_eq(engine_check_requests(eng, &rq, &err), -1);
	ck_assert_uint_eq(rq.n, 0);
	ck_assert_str_eq(cur_id(), "intro");
	ck_assert_uint_eq(engine_history_len(eng), 0);

	go("remote");
	ck_assert_int_eq(engine_next(eng, &err), -1);
	ck_assert_int_eq(engine_choose(eng, 2, &err), -1);      /* no such answer */
	ck_assert_str_eq(cur_id(), "remote");

	go("web");
	ck_assert_int_eq(feed2("ok", NULL, &err), -1);           /* a result with no outcome */
	struct check_result one;
	result_init(&one, "http", "ok");
	err = NULL;
	ck_assert_int_eq(engine_check_results(eng, &one, 1, &err), -1);   /* 1 of 2 */
	ck_assert_ptr_nonnull(err);
	check_result_clear(&one);
	ck_assert_str_eq(cur_id(), "web");
	ck_assert_uint_eq(engine_history_len(eng), 0);
}
END_TEST

/* A check that could not run (outcome error): never routed by problem or default, even
 * after another check's real problem; the results are refused naming the check. */
START_TEST(test_error_outcome)
{
	const char *err = NULL;
	go("web");
	ck_assert_int_eq(feed2("http_503", "error", &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, "check 'tcp "));
	ck_assert_ptr_nonnull(strstr(err, "could not run: error"));
	ck_assert_str_eq(cur_id(), "web");
	ck_assert_uint_eq(engine_history_len(eng), 0);
	ck_assert_int_eq(feed2("error", "ok", &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "check 'http "));
	ck_assert_str_eq(cur_id(), "web");
	/* cancelled first: a rerun, not a stop */
	ck_assert_int_eq(feed2("error", "cancelled", &err), ENGINE_CANCELLED);
	ck_assert_int_eq(feed2("http_503", "refused", &err), 0);
	ck_assert_str_eq(cur_id(), "svc503");
}
END_TEST

START_TEST(test_input_validation)
{
	const char *err = NULL;
	go("target");
	ck_assert_int_eq(engine_set_var(eng, "host", "old.example.com", &err), 0);
	size_t bad = 99;
	const char *badport[] = {"new.example.com", "70000"};
	ck_assert_int_eq(engine_submit_input(eng, badport, 2, &bad, &err), -1);
	ck_assert_uint_eq(bad, 1);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(cur_id(), "target");
	ck_assert_str_eq(engine_var(eng, "host"), "old.example.com");   /* unchanged */
	ck_assert_uint_eq(engine_history_len(eng), 0);

	bad = 99;
	err = NULL;
	const char *badhost[] = {"wsus 01.contoso.com", "8530"};
	ck_assert_int_eq(engine_submit_input(eng, badhost, 2, &bad, &err), -1);
	ck_assert_uint_eq(bad, 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(engine_var(eng, "host"), "old.example.com");

	const char *noport[] = {"new.example.com", "port"};
	ck_assert_int_eq(engine_submit_input(eng, noport, 2, &bad, &err), -1);
	ck_assert_uint_eq(bad, 1);
	const char *emptyhost[] = {"", "8530"};                /* required, no default */
	ck_assert_int_eq(engine_submit_input(eng, emptyhost, 2, &bad, &err), -1);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(engine_submit_input(eng, badport, 1, &bad, &err), -1);   /* too few */
	ck_assert_str_eq(cur_id(), "target");

	/* Surrounding blanks on a validated value are not part of it. */
	const char *padded[] = {" new.example.com ", "443"};
	ck_assert_int_eq(engine_submit_input(eng, padded, 2, &bad, &err), 0);
	ck_assert_str_eq(engine_var(eng, "host"), "new.example.com");
	ck_assert_str_eq(engine_var(eng, "port"), "443");

	/* engine_set_var validates too. */
	ck_assert_int_eq(engine_set_var(eng, "port", "0", &err), -1);
	ck_assert_str_eq(engine_var(eng, "port"), "443");
	ck_assert_int_eq(engine_set_var(eng, "nope", "x", &err), -1);
	ck_assert_ptr_null(engine_var(eng, "nope"));
	ck_assert(!engine_var_is_set(eng, "user"));
	ck_assert_int_eq(engine_set_var(eng, "user", "", &err), 0);     /* optional */
	ck_assert(engine_var_is_set(eng, "user"));
}
END_TEST

static void classify_expect(const char *text, const char *node, const char *sig, const char *line)
{
	const char *err = NULL;
	go("paste");
	ck_assert_msg(engine_classify(eng, text, &err) == 0, "classify failed: %s", err ? err : "");
	ck_assert_str_eq(cur_id(), node);
	const struct engine_step *s = engine_history(eng, 0);
	ck_assert_str_eq(s->answer, text);
	if (sig) {
		ck_assert_ptr_nonnull(s->matched);
		ck_assert_str_eq(s->matched, sig);
		ck_assert_ptr_nonnull(s->matched_line);
		if (line)
			ck_assert_ptr_nonnull(strstr(s->matched_line, line));
	} else {
		ck_assert_ptr_null(s->matched);
		ck_assert_ptr_null(s->matched_line);
	}
}

START_TEST(test_classify)
{
	classify_expect("Sync failed: WSUS server not configured", "fixit", "not_configured",
			"not configured");
	/* Case and runs of whitespace do not matter. */
	classify_expect("  sync   FAILED:\tWSUS server NOT configured. Please check.", "fixit",
			"not_configured", NULL);
	/* A regex signature, WCM.log wording. */
	classify_expect("The request failed with HTTP status 407: Proxy Authentication Required.",
			"auth", "proxy_407", "407");
	/* Several lines: the last matching line wins. */
	classify_expect("Sync failed: WSUS server not configured\n"
			"something else\n"
			"The request failed with HTTP status 407: Proxy Authentication Required.\n"
			"trailing noise\n",
			"auth", "proxy_407", "HTTP status 407");
	classify_expect("The request failed with HTTP status 407: Proxy Authentication Required.\r\n"
			"Sync failed: WSUS server not configured\r\n",
			"fixit", "not_configured", "WSUS server not configured");
	/* CMTrace lines: the message part is matched and recorded. */
	classify_expect("<![LOG[Sync failed: WSUS server not configured. Source: CWSyncMgr::DoSync]LOG]!>"
			"<time=\"10:00:00.000+00\" date=\"01-02-2024\" component=\"SMS_WSUS_SYNC_MANAGER\" "
			"context=\"\" type=\"3\" thread=\"1\" file=\"\">\n",
			"fixit", "not_configured", "WSUS server not configured");
	/* The older "message $$<component><date><thread>" form: the message part only. */
	classify_expect("Sync failed: WSUS server not configured. Source: CWSyncMgr::DoSync  "
			"$$<SMS_WSUS_SYNC_MANAGER><01-02-2024 10:00:00.000+00><thread=1 (0x1)>\n",
			"fixit", "not_configured", "WSUS server not configured");
	ck_assert_ptr_null(strstr(engine_history(eng, 0)->matched_line, "$$<"));
	/* A signature the node does not route on is passed over for an earlier routed one. */
	classify_expect("HTTP Status 407 Proxy Authentication Required\n"
			"operation timed out\n",
			"auth", "proxy_407", NULL);
	/* No match at all: default. */
	classify_expect("everything is fine\nreally", "escalate", NULL, NULL);
	classify_expect("", "escalate", NULL, NULL);
	/* Only an unrouted signature: default, recorded as no match. */
	classify_expect("operation timed out", "escalate", NULL, NULL);

	const char *err = NULL;
	go("paste");
	ck_assert_int_eq(engine_classify(eng, NULL, &err), -1);
	ck_assert_str_eq(cur_id(), "paste");
}
END_TEST

START_TEST(test_route_precedence)
{
	const struct flow_node *web = &flow->nodes[flow_node_index(flow, "web")];
	int i503 = flow_node_index(flow, "svc503"), i5xx = flow_node_index(flow, "svc5xx");
	int iprob = flow_node_index(flow, "problem-end"), iok = flow_node_index(flow, "fixit");
	ck_assert_int_eq(engine_route_outcome(web, "http_503"), i503);   /* exact */
	ck_assert_int_eq(engine_route_outcome(web, "http_500"), i5xx);   /* class */
	ck_assert_int_eq(engine_route_outcome(web, "http_404"), iprob);  /* problem */
	ck_assert_int_eq(engine_route_outcome(web, "refused"), iprob);
	ck_assert_int_eq(engine_route_outcome(web, "ok"), iok);
	const struct flow_node *od = &flow->nodes[flow_node_index(flow, "only-default")];
	int iesc = flow_node_index(flow, "escalate");
	ck_assert_int_eq(engine_route_outcome(od, "ok"), iesc);
	ck_assert_int_eq(engine_route_outcome(od, "dns_fail"), iesc);
	ck_assert_int_eq(engine_route_outcome(NULL, "ok"), -1);
	/* error (a check that could not run): neither problem nor default takes it */
	ck_assert_int_eq(engine_route_outcome(web, "error"), -1);
	ck_assert_int_eq(engine_route_outcome(od, "error"), -1);
	struct flow_route er[] = {
		{.pattern = "default", .next = {.idx = 1}},
		{.pattern = "problem", .next = {.idx = 2}},
		{.pattern = "error", .next = {.idx = 3}},
	};
	struct flow_node en = {.routes = er, .nroutes = 3};
	ck_assert_int_eq(engine_route_outcome(&en, "error"), 3);
	ck_assert_int_eq(engine_route_outcome(&en, "refused"), 2);   /* error takes nothing else */
	ck_assert_int_eq(engine_route_outcome(&en, "ok"), 1);

	/* An outcome with a parent: its own route first, else its parent's, above problem. */
	struct flow_route rs[] = {
		{.pattern = "problem", .next = {.idx = 1}},
		{.pattern = "closed", .next = {.idx = 2}},
		{.pattern = "headers_too_large", .next = {.idx = 3}},
	};
	struct flow_node fake = {.routes = rs, .nroutes = 3};
	ck_assert_int_eq(engine_route_outcome(&fake, "headers_too_large"), 3);
	ck_assert_int_eq(engine_route_outcome(&fake, "closed"), 2);
	fake.nroutes = 2;
	ck_assert_int_eq(engine_route_outcome(&fake, "headers_too_large"), 2);
	fake.nroutes = 1;
	ck_assert_int_eq(engine_route_outcome(&fake, "headers_too_large"), 1);

	/* Signatures and outcomes apart (issue 11 §5.1): a log check reports a signature
	 * named like an outcome as sig:NAME, which only sig:NAME (or problem) routes. */
	struct flow_route sr[] = {
		{.pattern = "problem", .next = {.idx = 1}},
		{.pattern = "http_4xx", .next = {.idx = 2}},
		{.pattern = "http_404", .next = {.idx = 3}},
		{.pattern = "sig:http_404", .next = {.idx = 4}},
		{.pattern = "sig:s407", .next = {.idx = 5}},
	};
	struct flow_node sn = {.routes = sr, .nroutes = 5};
	char *o404 = signature_outcome("http_404"), *o407 = signature_outcome("s407");
	ck_assert_str_eq(o404, "sig:http_404");
	ck_assert_str_eq(o407, "s407");
	ck_assert_int_eq(engine_route_outcome(&sn, o404), 4);
	ck_assert_int_eq(engine_route_outcome(&sn, o407), 5);
	ck_assert_int_eq(engine_route_outcome(&sn, "http_404"), 3);   /* the http outcome */
	ck_assert_int_eq(engine_route_outcome(&sn, "http_403"), 2);
	sn.nroutes = 3;
	ck_assert_int_eq(engine_route_outcome(&sn, o404), 1);         /* not http_4xx */
	free(o404);
	free(o407);
	struct flow_route cr[] = {{.pattern = "sig:http_404", .next = {.idx = 6}}};
	struct flow_node cn = {.routes = cr, .nroutes = 1};
	ck_assert_int_eq(engine_route_signature(&cn, "http_404"), 6);

	const struct flow_node *paste = &flow->nodes[flow_node_index(flow, "paste")];
	ck_assert_int_eq(engine_route_signature(paste, "proxy_407"), flow_node_index(flow, "auth"));
	ck_assert_int_eq(engine_route_signature(paste, "unrouted"), iesc);
	ck_assert_int_eq(engine_route_signature(paste, NULL), iesc);

	/* Through the engine: the first result that is not ok, in run order, routes. */
	const char *err = NULL;
	go("web");
	ck_assert_int_eq(feed2("ok", "http_503", &err), 0);
	ck_assert_str_eq(cur_id(), "svc503");
	ck_assert_str_eq(engine_history(eng, 0)->outcome, "http_503");
	go("web");
	ck_assert_int_eq(feed2("http_502", "refused", &err), 0);
	ck_assert_str_eq(cur_id(), "svc5xx");
	go("web");
	ck_assert_int_eq(feed2("refused", "http_503", &err), 0);
	ck_assert_str_eq(cur_id(), "problem-end");
	ck_assert_str_eq(engine_history(eng, 0)->outcome, "refused");
}
END_TEST

START_TEST(test_cancelled)
{
	const char *err = NULL;
	go("web");
	ck_assert_int_eq(feed2("ok", "cancelled", &err), ENGINE_CANCELLED);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, "checks were cancelled");
	ck_assert_str_eq(cur_id(), "web");
	ck_assert_uint_eq(engine_history_len(eng), 0);
	ck_assert_int_eq(feed2("cancelled", "refused", &err), ENGINE_CANCELLED);
	/* Re-run: now it routes. */
	ck_assert_int_eq(feed2("ok", "ok", &err), 0);
	ck_assert_str_eq(cur_id(), "fixit");
}
END_TEST

/* Run the current node's checks through a runner, as the driver does. */
static int run_node(struct check_runner r, const char **err)
{
	struct engine_requests rq;
	if (engine_check_requests(eng, &rq, err) != 0)
		return -1;
	struct check_batch *b = r.ops->start(r.ctx, rq.reqs, rq.n);
	int guard = 0;
	while (!r.ops->poll(b, 100) && guard++ < 50)
		;
	struct check_result *res = xcalloc(rq.n ? rq.n : 1, sizeof(*res));
	for (size_t i = 0; i < rq.n; i++) {
		ck_assert(r.ops->done(b, i));
		check_result_copy(&res[i], r.ops->result(b, i));
	}
	r.ops->cancel(b);                   /* harmless once done */
	int rc = engine_check_results(eng, res, rq.n, err);
	for (size_t i = 0; i < rq.n; i++)
		check_result_clear(&res[i]);
	free(res);
	r.ops->finish(b);
	engine_requests_clear(&rq);
	return rc;
}

START_TEST(test_simulated)
{
	const char *err = NULL;
	struct sim_runner *sim = sim_runner_new();
	struct check_runner r = sim_runner_runner(sim);
	ck_assert_int_eq(engine_set_var(eng, "host", "wsus.example.com", &err), 0);

	go("web");
	sim_runner_select(sim, "web");                          /* nothing set: ok */
	ck_assert_int_eq(run_node(r, &err), 0);
	ck_assert_str_eq(cur_id(), "fixit");
	const struct engine_step *s = engine_history(eng, 0);
	ck_assert(s->results[0].simulated);
	ck_assert_str_eq(s->results[0].outcome, "ok");
	ck_assert_str_eq(s->results[0].target, "http://wsus.example.com:8530/x");
	ck_assert_str_eq(s->results[1].target, "wsus.example.com:8530");
	ck_assert_int_eq(s->results[1].elapsed_ms, 0);

	const char *o1[] = {"ok", "http_503"};
	sim_runner_set(sim, "web", o1, 2);
	go("web");
	sim_runner_select(sim, "web");
	ck_assert_int_eq(run_node(r, &err), 0);
	ck_assert_str_eq(cur_id(), "svc503");
	s = engine_history(eng, 0);
	ck_assert_str_eq(s->results[1].outcome, "http_503");
	ck_assert_ptr_nonnull(strstr(s->results[1].summary, "HTTP 503 Service Unavailable"));
	ck_assert_str_eq(s->results[1].kind, "tcp");

	/* The last outcome repeats for extra checks; set again replaces. */
	const char *o2[] = {"refused"};
	sim_runner_set(sim, "web", o2, 1);
	go("web");
	sim_runner_select(sim, "web");
	ck_assert_int_eq(run_node(r, &err), 0);
	ck_assert_str_eq(cur_id(), "problem-end");
	s = engine_history(eng, 0);
	ck_assert_str_eq(s->results[0].outcome, "refused");
	ck_assert_str_eq(s->results[1].outcome, "refused");
	ck_assert_str_eq(s->results[0].summary, "connection refused by http://wsus.example.com:8530/x");

	/* Selecting a node with nothing set gives ok, even though "web" has outcomes. */
	go("web");
	sim_runner_select(sim, "logs");
	ck_assert_int_eq(run_node(r, &err), 0);
	ck_assert_str_eq(cur_id(), "fixit");

	/* A scenario's outcomes. */
	char *outs[] = {"not_configured"};
	struct scenario_outcome so = {.node = "logs", .outcomes = outs, .n = 1};
	struct scenario sc = {.outs = &so, .nouts = 1};
	sim_runner_load_scenario(sim, &sc);
	go("logs");
	sim_runner_select(sim, "logs");
	ck_assert_int_eq(run_node(r, &err), 0);
	ck_assert_str_eq(cur_id(), "fixit");
	ck_assert_str_eq(engine_history(eng, 0)->results[0].target, "/var/log/wsus.example.com.log");

	/* A simulated cancellation does not route either. */
	const char *o3[] = {"ok", "cancelled"};
	sim_runner_set(sim, "web", o3, 2);
	go("web");
	sim_runner_select(sim, "web");
	ck_assert_int_eq(run_node(r, &err), ENGINE_CANCELLED);
	ck_assert_str_eq(cur_id(), "web");

	sim_runner_select(sim, NULL);
	sim_runner_free(sim);
}
END_TEST

START_TEST(test_requests_detail)
{
	const char *err = NULL;
	ck_assert_int_eq(engine_set_var(eng, "host", "h.example.com", &err), 0);
	ck_assert_int_eq(engine_set_var(eng, "user", "alice", &err), 0);
	ck_assert_int_eq(engine_set_var(eng, "pass", "s3cret pass", &err), 0);
	go("web");
	struct engine_requests rq;
	ck_assert_int_eq(engine_check_requests(eng, &rq, &err), 0);
	/* Check parameters reveal secrets; labels never do. */
	ck_assert_str_eq(check_request_param(&rq.reqs[0], "proxy_password"), "s3cret pass");
	ck_assert_str_eq(check_request_param(&rq.reqs[0], "proxy_user"), "alice");
	for (size_t i = 0; i < rq.n; i++)
		ck_assert_ptr_null(strstr(rq.labels[i], "s3cret"));
	/* what the rows show while the checks run: the main parameter, masked */
	ck_assert_str_eq(rq.targets[0], "http://h.example.com:8530/x");
	ck_assert_str_eq(rq.targets[1], "h.example.com:8530");
	ck_assert_ptr_null(rq.reqs[0].cancel);
	engine_requests_clear(&rq);
	ck_assert_uint_eq(rq.n, 0);
	engine_requests_clear(&rq);                             /* twice is harmless */

	/* A log check gets the flow's path unless it names one. */
	go("logs");
	ck_assert_int_eq(engine_check_requests(eng, &rq, &err), 0);
	ck_assert_uint_eq(rq.n, 1);
	ck_assert_str_eq(check_request_param(&rq.reqs[0], "file"), "/var/log/h.example.com.log");
	if (flow->path)
		ck_assert_str_eq(check_request_param(&rq.reqs[0], "flow"), flow->path);
	ck_assert_str_eq(rq.labels[0], "log /var/log/h.example.com.log");
	engine_requests_clear(&rq);

	go("only-default");
	ck_assert_int_eq(engine_check_requests(eng, &rq, &err), 0);
	ck_assert_str_eq(rq.labels[0], "Name h.example.com (********)");   /* labels mask secrets */
	ck_assert_str_eq(rq.targets[0], "h.example.com");
	ck_assert_str_eq(check_request_param(&rq.reqs[0], "name"), "h.example.com");
	engine_requests_clear(&rq);

	/* Parameters that template to nothing are left out: no credentials at all. */
	ck_assert_int_eq(engine_set_var(eng, "user", "", &err), 0);
	ck_assert_int_eq(engine_set_var(eng, "pass", "", &err), 0);
	go("web");
	ck_assert_int_eq(engine_check_requests(eng, &rq, &err), 0);
	ck_assert_ptr_null(check_request_param(&rq.reqs[0], "proxy_user"));
	ck_assert_ptr_null(check_request_param(&rq.reqs[0], "proxy_password"));
	ck_assert_str_eq(check_request_param(&rq.reqs[0], "url"), "http://h.example.com:8530/x");
	engine_requests_clear(&rq);
}
END_TEST

static const char bad_timeout_yaml[] =
	"id: engine-timeout\n"
	"title: Timeouts\n"
	"start: c\n"
	"vars:\n"
	"  t: {prompt: \"Timeout\", default: \"abc\"}\n"
	"nodes:\n"
	"  c:\n"
	"    type: check\n"
	"    run:\n"
	"      - tcp: {host: \"h\", port: \"1\", timeout: \"${t}\"}\n"
	"    on: {default: e}\n"
	"  e: {type: end, result: escalate, text: \"e\"}\n";

/* Format 2: capture, a branch on captured facts, set: on a node and an answer, back. */
static const char *const logic_yaml =
	"id: logic\n"
	"title: L\n"
	"start: probe\n"
	"vars:\n"
	"  seen: {optional: true}\n"
	"  who: {optional: true}\n"
	"nodes:\n"
	"  probe:\n"
	"    type: check\n"
	"    run:\n"
	"      - tcp: {host: h, port: \"1\"}\n"
	"        capture: tls\n"
	"    on: {default: decide}\n"
	"    set: {seen: \"days ${tls.days_left}\"}\n"
	"  decide:\n"
	"    type: branch\n"
	"    when:\n"
	"      - {if: \"${tls.days_left} < 30\", next: warn}\n"
	"      - {if: \"${tls.outcome} == 'ok'\", next: fine}\n"
	"    default: odd\n"
	"  warn:\n"
	"    type: question\n"
	"    text: \"${tls.days_left} left, ${tls.api_token}\"\n"
	"    answers:\n"
	"      - {label: A, next: fine, set: {who: \"a ${seen}\"}}\n"
	"  fine: {type: end, result: resolved}\n"
	"  odd: {type: end, result: escalate}\n";

static void logic_check(struct engine *e, const char *outcome, const char *days)
{
	struct check_result r = {0};
	r.kind = xstrdup("tcp");
	r.outcome = xstrdup(outcome);
	if (days)
		facts_add(&r.facts, "days_left", days);
	facts_add(&r.facts, "api_token", "hunter2");
	const char *err = NULL;
	ck_assert_int_eq(engine_check_results(e, &r, 1, &err), 0);
	check_result_clear(&r);
}

START_TEST(test_branch_capture_set)
{
	struct diags d = {0};
	struct flow *f = flow_load_string("logic.yaml", logic_yaml, strlen(logic_yaml), &d);
	if (!f)
		diags_print(&d, stderr);
	diags_clear(&d);
	ck_assert_ptr_nonnull(f);
	struct engine *e = engine_new(f);
	const char *err = NULL;
	ck_assert_ptr_null(engine_lookup(e, "tls.days_left"));
	/* a branch is not the operator's to answer */
	logic_check(e, "tls_expiring", "12");
	ck_assert_str_eq(engine_var(e, "seen"), "days 12");           /* node set: reads it */
	ck_assert_str_eq(engine_lookup(e, "tls.outcome"), "tls_expiring");
	ck_assert_str_eq(engine_lookup(e, "tls.api_token"), "********"); /* secret fact */
	ck_assert_int_eq(engine_next(e, &err), -1);
	ck_assert_int_eq(engine_decide(e, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "warn");
	const struct engine_step *s = engine_history(e, engine_history_len(e) - 1);
	ck_assert_int_eq(s->rule, 0);
	ck_assert_ptr_null(s->note);
	char *t = engine_expand(e, engine_node(e)->text, false);
	ck_assert_str_eq(t, "12 left, ********");
	free(t);
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);
	ck_assert_str_eq(engine_var(e, "who"), "a days 12");          /* answer set: */
	/* back from the question passes over the branch, to the check */
	ck_assert_int_eq(engine_back(e), 0);
	ck_assert_str_eq(engine_node(e)->id, "warn");
	ck_assert_ptr_null(engine_var(e, "who"));
	ck_assert_int_eq(engine_back(e), 0);
	ck_assert_str_eq(engine_node(e)->id, "probe");
	ck_assert_ptr_null(engine_lookup(e, "tls.days_left"));       /* capture undone */
	ck_assert_ptr_null(engine_var(e, "seen"));
	/* ok without days_left: rule 1 cannot be decided, the default with a note */
	logic_check(e, "ok", NULL);
	ck_assert_int_eq(engine_decide(e, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "odd");
	s = engine_history(e, engine_history_len(e) - 1);
	ck_assert_int_eq(s->rule, -1);
	ck_assert_ptr_nonnull(s->note);
	ck_assert_ptr_nonnull(strstr(s->note, "${tls.days_left} is not set"));
	ck_assert_ptr_nonnull(strstr(s->note, "default, odd"));
	/* a number: rule 2 holds */
	ck_assert_int_eq(engine_back(e), 0);
	ck_assert_str_eq(engine_node(e)->id, "probe");
	logic_check(e, "ok", "90");
	ck_assert_int_eq(engine_decide(e, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "fine");
	ck_assert_int_eq(engine_history(e, engine_history_len(e) - 1)->rule, 1);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_timeout_param)
{
	struct diags d = {0};
	struct flow *f = flow_load_string("engine-timeout.yaml", bad_timeout_yaml,
					  strlen(bad_timeout_yaml), &d);
	if (!f)
		diags_print(&d, stderr);
	diags_clear(&d);
	ck_assert_ptr_nonnull(f);
	struct engine *e = engine_new(f);
	struct engine_requests rq;
	const char *err = NULL;
	/* "abc" seconds: the request goes out as written and the check itself refuses it
	 * (outcome error, the reason as its summary), which default does not take */
	ck_assert_int_eq(engine_check_requests(e, &rq, &err), 0);
	ck_assert_uint_eq(rq.n, 1);
	ck_assert_int_eq(rq.reqs[0].timeout_ms, 0);
	struct check_result res = {0};
	ck_assert_int_eq(check_run(&rq.reqs[0], &res), -1);
	ck_assert_str_eq(res.outcome, "error");
	ck_assert_ptr_nonnull(strstr(res.summary, "timeout must be a number of seconds"));
	engine_requests_clear(&rq);
	err = NULL;
	ck_assert_int_eq(engine_check_results(e, &res, 1, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, "check 'tcp h:1' could not run: timeout must be a number"));
	ck_assert_ptr_nonnull(strstr(err, "no 'error' route"));
	ck_assert_str_eq(engine_node(e)->id, "c");                     /* not routed */
	ck_assert_uint_eq(engine_history_len(e), 0);
	/* cancelled is told apart: the operator may run them again */
	free(res.outcome);
	res.outcome = xstrdup("cancelled");
	ck_assert_int_eq(engine_check_results(e, &res, 1, &err), ENGINE_CANCELLED);
	check_result_clear(&res);
	ck_assert_int_eq(engine_set_var(e, "t", "0.25", &err), 0);
	ck_assert_int_eq(engine_check_requests(e, &rq, &err), 0);
	ck_assert_int_eq(rq.reqs[0].timeout_ms, 250);
	engine_requests_clear(&rq);
	ck_assert_int_eq(engine_set_var(e, "t", "-1", &err), 0);
	ck_assert_int_eq(engine_check_requests(e, &rq, &err), 0);
	ck_assert_int_eq(rq.reqs[0].timeout_ms, 0);                    /* left to check_run */
	engine_requests_clear(&rq);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_shortest_path)
{
	int intro = flow_node_index(flow, "intro");
	ck_assert_int_eq(engine_shortest_path(flow, intro, intro), 0);
	ck_assert_int_eq(engine_shortest_path(flow, intro, flow_node_index(flow, "remote")), 1);
	/* intro -> remote -> paste -> fixit -> resolved beats the way through target/web. */
	ck_assert_int_eq(engine_shortest_path(flow, intro, flow_node_index(flow, "resolved")), 4);
	ck_assert_int_eq(engine_shortest_path(flow, intro, flow_node_index(flow, "svc503")), 4);
	ck_assert_int_eq(engine_shortest_path(flow, intro, flow_node_index(flow, "auth")), 3);
	/* Not reachable from the start. */
	ck_assert_int_eq(engine_shortest_path(flow, intro, flow_node_index(flow, "logs")), -1);
	ck_assert_int_eq(engine_shortest_path(flow, flow_node_index(flow, "resolved"), intro), -1);
	ck_assert_int_eq(engine_shortest_path(flow, intro, -1), -1);
	ck_assert_int_eq(engine_shortest_path(flow, intro, (int)flow->nnodes), -1);
}
END_TEST

/* The way on to the nearest end: the same walk, read back node by node. */
static void check_way(const char *from, int want, const char *const *ids)
{
	go(from);
	int *way = (int *)0x1;
	int n = engine_way_to_end(eng, &way);
	ck_assert_int_eq(n, want);
	if (n <= 0)
		ck_assert_ptr_null(way);
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(flow->nodes[way[i]].id, ids[i]);
	free(way);
}

/* max_visits: entering a node once more than it allows goes to its on_max; counted
 * from the history, so back takes a visit back. */
START_TEST(test_max_visits)
{
	static const char y[] =
		"id: loop\ntitle: L\nstart: fix\nnodes:\n"
		"  fix: {type: steps, steps: [x], fixed: done, not_fixed: retest, max_visits: 2, on_max: out}\n"
		"  retest: {type: question, answers: [{label: 'No', next: fix}, {label: 'Yes', next: done}]}\n"
		"  done: {type: end, result: resolved}\n"
		"  out: {type: end, result: escalate}\n";
	struct diags d = {0};
	struct flow *f = flow_load_string("loop.yaml", y, strlen(y), &d);
	ck_assert_ptr_nonnull(f);
	struct engine *e = engine_new(f);
	const char *err = NULL;
	ck_assert_int_eq(engine_visits(e, 0), 1);
	ck_assert_int_eq(engine_steps(e, false, NULL, &err), 0);
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);       /* back to fix: visit 2 */
	ck_assert_str_eq(engine_node(e)->id, "fix");
	ck_assert_int_eq(engine_visits(e, 0), 2);
	ck_assert_int_eq(engine_history(e, 1)->capped, -1);
	ck_assert_int_eq(engine_steps(e, false, NULL, &err), 0);
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);       /* a third visit: on_max */
	ck_assert_str_eq(engine_node(e)->id, "out");
	ck_assert_int_eq(engine_history(e, 3)->capped, 0);
	ck_assert_int_eq(engine_history(e, 3)->next, 3);
	ck_assert_int_eq(engine_back(e), 0);                  /* back: at retest again */
	ck_assert_str_eq(engine_node(e)->id, "retest");
	ck_assert_int_eq(engine_visits(e, 0), 2);
	ck_assert_int_eq(engine_back(e), 0);
	ck_assert_int_eq(engine_back(e), 0);                  /* at retest, fix visited once */
	ck_assert_int_eq(engine_visits(e, 0), 1);
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "fix");          /* the second visit is allowed */
	engine_free(e);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* cannot: a third outcome of a steps node, its own way on and its own answer; refused
 * where the node has no cannot:. */
START_TEST(test_steps_cannot)
{
	static const char y[] =
		"id: c\ntitle: C\nstart: fix\nnodes:\n"
		"  fix: {type: steps, steps: [a, b], fixed: done, not_fixed: out, cannot: help}\n"
		"  help: {type: steps, steps: [x], fixed: done, not_fixed: out}\n"
		"  done: {type: end, result: resolved}\n"
		"  out: {type: end, result: escalate}\n";
	struct diags d = {0};
	struct flow *f = flow_load_string("c.yaml", y, strlen(y), &d);
	ck_assert_ptr_nonnull(f);
	struct engine *e = engine_new(f);
	const char *err = NULL;
	bool ticked[2] = {true, false};
	ck_assert_int_eq(engine_steps(e, STEPS_CANNOT, ticked, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "help");
	ck_assert_str_eq(engine_history(e, 0)->answer, "cannot");
	ck_assert_int_eq(engine_history(e, 0)->choice, STEPS_CANNOT);
	ck_assert(engine_history(e, 0)->ticked[0] && !engine_history(e, 0)->ticked[1]);
	err = NULL;
	ck_assert_int_eq(engine_steps(e, STEPS_CANNOT, NULL, &err), -1);   /* help has no cannot: */
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(engine_node(e)->id, "help");
	ck_assert_uint_eq(engine_history_len(e), 1);
	ck_assert_int_eq(engine_steps(e, STEPS_NOT_FIXED, NULL, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "out");
	ck_assert_str_eq(engine_history(e, 1)->answer, "not fixed");
	engine_free(e);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_way_to_end)
{
	/* intro -> remote -> paste -> escalate (3) ties with ... -> auth: the first edge wins */
	static const char *const from_intro[] = {"remote", "paste", "auth"};
	check_way("intro", 3, from_intro);
	ck_assert_int_eq(engine_shortest_path(flow, flow_node_index(flow, "intro"), flow_node_index(flow, "auth")), 3);
	static const char *const from_fixit[] = {"resolved"};
	check_way("fixit", 1, from_fixit);
	check_way("resolved", 0, NULL);
	/* the way follows the walk: after intro's step, from remote */
	go("intro");
	const char *err = NULL;
	ck_assert_int_eq(engine_next(eng, &err), 0);
	int *way = NULL;
	ck_assert_int_eq(engine_way_to_end(eng, &way), 2);
	ck_assert_str_eq(flow->nodes[way[0]].id, "paste");
	free(way);
}
END_TEST


/* Sub-flows: a linked call walks into the callee with its with: values, the callee's
 * texts read its own variables, an end returns by its return: name, and back goes
 * back across the return and the call to the nodes that asked. */
static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(test_subflow)
{
	char dir[] = "/tmp/tshoot-sub-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *callee = xasprintf("%s/callee.yaml", dir), *caller = xasprintf("%s/caller.yaml", dir);
	write_file(callee,
		"id: callee\ntitle: Callee\nstart: q\nvars:\n  who: {default: nobody}\n"
		"nodes:\n"
		"  q: {type: question, text: 'Ask ${who}', answers: [{label: A, next: a}, {label: B, next: b}]}\n"
		"  a: {type: end, result: escalate, return: gone}\n"
		"  b: {type: end, result: resolved}\n");
	write_file(caller,
		"id: caller\ntitle: Caller\nstart: first\nvars:\n  name: {default: alice}\n  who: {default: me}\n"
		"nodes:\n"
		"  first: {type: question, answers: [{label: Go, next: call}]}\n"
		"  call: {type: flow, flow: callee, with: {who: '${name}'}, on: {gone: lost, resolved: won}}\n"
		"  lost: {type: end, result: escalate, text: 'who=${who}'}\n"
		"  won: {type: end, result: resolved}\n");
	struct diags d = {0};
	struct flow *f = flow_load_file(caller, &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(lint_flow(f, &d), 0);
	ck_assert_int_eq(flow_link(f, &d), 0);
	ck_assert_int_eq(f->nnodes, 7);
	ck_assert_int_eq(f->nscopes, 2);
	ck_assert_str_eq(f->scopes[1].prefix, "call/");
	int q = flow_node_index(f, "call/q");
	ck_assert_int_ge(q, 0);
	ck_assert_int_eq(f->nodes[q].scope, 1);
	ck_assert_int_eq(f->nodes[flow_node_index(f, "call/a")].type, NODE_RETURN);
	ck_assert_int_ge(flow_var_index(f, "call/who"), 0);

	struct engine *e = engine_new(f);
	const char *err = NULL;
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "call");
	ck_assert_int_eq(engine_decide(e, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "call/q");
	char *t = engine_expand(e, engine_node(e)->text, false);
	ck_assert_str_eq(t, "Ask alice");                 /* with: read in the caller */
	free(t);
	ck_assert_str_eq(engine_lookup_in(e, 0, "who"), "me");   /* the caller's own who */
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);
	ck_assert_int_eq(engine_node(e)->type, NODE_RETURN);
	ck_assert_int_eq(engine_decide(e, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "lost");      /* return: gone routed first */
	ck_assert_str_eq(engine_history(e, 3)->outcome, "gone");
	t = engine_expand(e, engine_node(e)->text, false);
	ck_assert_str_eq(t, "who=me");
	free(t);
	ck_assert_int_eq(engine_back(e), 0);               /* across the return */
	ck_assert_str_eq(engine_node(e)->id, "call/q");
	ck_assert_int_eq(engine_choose(e, 1, &err), 0);
	ck_assert_int_eq(engine_decide(e, &err), 0);
	ck_assert_str_eq(engine_node(e)->id, "won");       /* result resolved */
	ck_assert_int_eq(engine_back(e), 0);
	ck_assert_int_eq(engine_back(e), 0);               /* across the call */
	ck_assert_str_eq(engine_node(e)->id, "first");
	ck_assert_int_eq(engine_history_len(e), 0);
	ck_assert_str_eq(engine_var(e, "call/who"), "nobody");   /* with: undone too */
	engine_free(e);
	flow_free(f);

	/* a flow that calls itself is refused, by lint and by the linker */
	write_file(callee, "id: callee\ntitle: C\nstart: c\nnodes:\n"
		   "  c: {type: flow, flow: caller, on: {default: e}}\n  e: {type: end, result: resolved}\n");
	diags_clear(&d);
	f = flow_load_file(caller, &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_gt(lint_flow(f, &d), 0);
	ck_assert_int_ne(flow_link(f, &d), 0);
	flow_free(f);
	diags_clear(&d);
	unlink(callee);
	unlink(caller);
	rmdir(dir);
	free(callee);
	free(caller);
}
END_TEST

static Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("walk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_walk);
	tcase_add_test(tc, test_back);
	tcase_add_test(tc, test_form_value_after_back);
	tcase_add_test(tc, test_restart_and_start);
	tcase_add_test(tc, test_wrong_action);
	tcase_add_test(tc, test_input_validation);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_route_precedence);
	tcase_add_test(tc, test_cancelled);
	tcase_add_test(tc, test_simulated);
	tcase_add_test(tc, test_requests_detail);
	tcase_add_test(tc, test_timeout_param);
	tcase_add_test(tc, test_error_outcome);
	tcase_add_test(tc, test_branch_capture_set);
	tcase_add_test(tc, test_shortest_path);
	tcase_add_test(tc, test_way_to_end);
	tcase_add_test(tc, test_max_visits);
	tcase_add_test(tc, test_steps_cannot);
	tcase_add_test(tc, test_subflow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(engine_suite());
}
