/* test_report.c — transcripts: text, Markdown, JSON (parsed back), answers; no secret
 * anywhere; report_save's mode and atomic write; report_check_json. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/answers.h"
#include "src/engine.h"
#include "src/report.h"
#include "src/scenario.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

#define TOKEN "tok-Zq8-secret-771"
#define PASSWORD "Pa55-w0rd-XYZZY"

static struct flow *load_flow(void)
{
	return test_load_flow("session-small.yaml");
}

static void run_sim_checks(struct engine *e, const char *const *outs, size_t n)
{
	size_t nres;
	const char *err = NULL;
	struct check_result *res = test_sim_results(e, outs, n, &nres);
	for (size_t i = 0; i < nres; i++) {
		facts_add(&res[i].facts, "proxy_password", PASSWORD);
		facts_add(&res[i].facts, "san", "host.example.com");
		facts_add(&res[i].facts, "san", "www.example.com");
		facts_add(&res[i].facts, "header", "X-Token: " TOKEN);   /* slipped in: must be masked */
		free(res[i].command);
		res[i].command = xasprintf("curl -sS -o /dev/null -w '%%{http_code}' http://host.example.com:8531/health");
	}
	res[n > 1 ? 1 : 0].stale = true;
	ck_assert_int_eq(engine_check_results(e, res, nres, &err), 0);
	test_results_free(res, nres);
}

/* intro -> pick(0) -> target -> probe(ok, http_503) -> start-service(not fixed) -> escalate */
static struct engine *walk(const struct flow *f, bool to_end)
{
	struct engine *e = engine_new(f);
	const char *err = NULL;
	ck_assert_int_eq(engine_start(e, NULL, &err), 0);
	ck_assert_int_eq(engine_next(e, &err), 0);
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);
	const char *vals[] = {"host.example.com", "8531", TOKEN};
	size_t bad;
	ck_assert_int_eq(engine_submit_input(e, vals, 3, &bad, &err), 0);
	const char *outs[] = {"ok", "http_503"};
	run_sim_checks(e, outs, 2);
	if (to_end) {
		bool ticked[] = {true, false};
		ck_assert_int_eq(engine_steps(e, false, ticked, &err), 0);
		ck_assert(engine_at_end(e));
	}
	return e;
}

static const struct report_meta meta = {
	.scenario = NULL, .verdict = NULL, .started = {.secs = 1700000000},
};

/* Who, where and when, as a journal gives them: the walk ran in CET (UTC+01:00). */
#define CET(t) {.secs = (t), .have_offset = true, .utc_offset = 3600, .zone = "CET"}
static const struct report_note notes[] = {
	{.when = CET(1700000100), .step_no = 3, .node = (char *)"target",
	 .text = (char *)"proxy01 swapped *today* <see CHG-1> " TOKEN},
	{.when = CET(1700000200), .step_no = 5, .node = (char *)"start-service", .text = (char *)"rebooted"},
};
static const struct report_meta full_meta = {
	.started = CET(1700000000),
	.ended = CET(1700000600),
	.session_id = "20231114-231320-4242",
	.host = "wsus01",
	.user = "alice",
	.tshoot_version = "9.9.9",
	.ticket = "INC0012345",
	.notes = notes,
	.nnotes = 2,
};

static void assert_no_secret(const char *s)
{
	ck_assert_msg(strstr(s, TOKEN) == NULL, "token leaked:\n%s", s);
	ck_assert_msg(strstr(s, PASSWORD) == NULL, "password leaked:\n%s", s);
	ck_assert_msg(strstr(s, "proxy_password") == NULL, "password fact leaked:\n%s", s);
}

START_TEST(test_format_parse)
{
	enum report_format f;
	ck_assert_int_eq(report_format_parse("text", &f), 0);
	ck_assert_int_eq(f, REPORT_TEXT);
	ck_assert_int_eq(report_format_parse("md", &f), 0);
	ck_assert_int_eq(f, REPORT_MD);
	ck_assert_int_eq(report_format_parse("markdown", &f), 0);
	ck_assert_int_eq(f, REPORT_MD);
	ck_assert_int_eq(report_format_parse("json", &f), 0);
	ck_assert_int_eq(f, REPORT_JSON);
	ck_assert_int_eq(report_format_parse("answers", &f), 0);
	ck_assert_int_eq(f, REPORT_ANSWERS);
	ck_assert_int_eq(report_format_parse("html", &f), -1);
	ck_assert_int_eq(report_format_parse(NULL, &f), -1);
}
END_TEST

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	ck_assert_msg(json_object_object_get_ex(o, key, &v), "missing key %s", key);
	return v;
}

static const char *gets(struct json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

START_TEST(test_json)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	char *s = report_string(e, &meta, REPORT_JSON);
	assert_no_secret(s);
	struct json_object *o = json_tokener_parse(s);
	ck_assert_msg(o != NULL, "not JSON:\n%s", s);
	ck_assert_str_eq(gets(o, "schema"), "tshoot-report/1");
	struct json_object *fl = get(o, "flow");
	ck_assert_str_eq(gets(fl, "id"), "session-small");
	ck_assert_str_eq(gets(fl, "title"), "Session test flow");
	ck_assert_str_eq(gets(fl, "version"), "1.2");
	ck_assert(strstr(gets(fl, "path"), "tests/flows/session-small.yaml") != NULL);
	ck_assert(json_object_get_type(get(o, "scenario")) == json_type_null);
	ck_assert_str_eq(gets(o, "started"), "2023-11-14T22:13:20Z");
	ck_assert_str_eq(gets(o, "result"), "escalate");
	ck_assert_str_eq(gets(o, "end_node"), "escalate");
	struct json_object *steps = get(o, "steps");
	ck_assert_uint_eq(json_object_array_length(steps), 6);
	const char *nodes[] = {"intro", "pick", "target", "probe", "start-service", "escalate"};
	const char *types[] = {"info", "question", "input", "check", "steps", "end"};
	for (size_t i = 0; i < 6; i++) {
		struct json_object *st = json_object_array_get_idx(steps, i);
		ck_assert_int_eq(json_object_get_int(get(st, "n")), (int)i + 1);
		ck_assert_str_eq(gets(st, "node"), nodes[i]);
		ck_assert_str_eq(gets(st, "type"), types[i]);
	}
	struct json_object *pick = json_object_array_get_idx(steps, 1);
	ck_assert_str_eq(gets(pick, "title"), "What is wrong?");
	ck_assert_str_eq(gets(pick, "text"), "Which symptom do you see?");
	ck_assert_str_eq(gets(pick, "answer"), "The service does not answer");
	struct json_object *target = json_object_array_get_idx(steps, 2);
	struct json_object *vals = get(target, "values");
	ck_assert_str_eq(gets(vals, "host"), "host.example.com");
	ck_assert_str_eq(gets(vals, "port"), "8531");
	ck_assert(!json_object_object_get_ex(vals, "token", NULL));
	struct json_object *probe = json_object_array_get_idx(steps, 3);
	ck_assert_str_eq(gets(probe, "outcome"), "http_503");
	struct json_object *checks = get(probe, "checks");
	ck_assert_uint_eq(json_object_array_length(checks), 2);
	struct json_object *c0 = json_object_array_get_idx(checks, 0), *c1 = json_object_array_get_idx(checks, 1);
	ck_assert_str_eq(gets(c0, "kind"), "tcp");
	ck_assert_str_eq(gets(c0, "target"), "host.example.com:8531");
	ck_assert_str_eq(gets(c0, "outcome"), "ok");
	ck_assert_str_eq(gets(c1, "kind"), "http");
	ck_assert_str_eq(gets(c1, "outcome"), "http_503");
	ck_assert_str_eq(gets(c1, "target"), "http://host.example.com:8531/health");
	ck_assert(json_object_get_boolean(get(c0, "simulated")));
	ck_assert(!json_object_get_boolean(get(c0, "stale")));
	ck_assert(json_object_get_boolean(get(c1, "stale")));
	ck_assert(json_object_is_type(get(c0, "elapsed_ms"), json_type_int));
	ck_assert(strstr(gets(c1, "summary"), "HTTP 503 Service Unavailable") != NULL);
	ck_assert(strstr(gets(c1, "command"), "curl -sS") != NULL);
	ck_assert(json_object_is_type(get(c1, "problems"), json_type_array));
	struct json_object *facts = get(c1, "facts");
	struct json_object *san = get(facts, "san");
	ck_assert(json_object_is_type(san, json_type_array));
	ck_assert_uint_eq(json_object_array_length(san), 2);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(san, 1)), "www.example.com");
	ck_assert_str_eq(gets(facts, "header"), "X-Token: ********");
	ck_assert(!json_object_object_get_ex(facts, "proxy_password", NULL));
	struct json_object *steps4 = json_object_array_get_idx(steps, 4);
	ck_assert(!json_object_get_boolean(get(steps4, "fixed")));
	ck_assert(strstr(gets(steps4, "answer"), "not fixed") != NULL);
	struct json_object *end = json_object_array_get_idx(steps, 5);
	ck_assert_str_eq(gets(end, "result"), "escalate");
	struct json_object *col = get(end, "collect");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(col, 0)),
			 "The service log from host.example.com");
	struct json_object *vars = get(o, "variables");
	ck_assert_str_eq(gets(vars, "host"), "host.example.com");
	ck_assert_str_eq(gets(vars, "port"), "8531");
	ck_assert(!json_object_object_get_ex(vars, "token", NULL));
	ck_assert(!json_object_object_get_ex(vars, "password", NULL));
	json_object_put(o);
	free(s);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_json_incomplete)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, false);
	char *s = report_string(e, NULL, REPORT_JSON);
	struct json_object *o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(gets(o, "result"), "incomplete");
	ck_assert(json_object_get_type(get(o, "end_node")) == json_type_null);
	ck_assert(json_object_get_type(get(o, "started")) == json_type_null);
	struct json_object *steps = get(o, "steps");
	struct json_object *last = json_object_array_get_idx(steps, json_object_array_length(steps) - 1);
	ck_assert_str_eq(gets(last, "node"), "start-service");
	ck_assert(json_object_get_type(get(last, "answer")) == json_type_null);
	json_object_put(o);
	free(s);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_markdown)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	struct report_meta m = meta;
	m.scenario = "training-one";
	m.verdict = "You reached the expected resolution in 5 steps.";
	char *s = report_string(e, &m, REPORT_MD);
	assert_no_secret(s);
	ck_assert_msg(str_starts(s, "# Session test flow: escalate\n"), "%s", s);
	ck_assert(strstr(s, "| # | Step | Question / title | Answer |") != NULL);
	ck_assert(strstr(s, "| 2 | question | What is wrong?: Which symptom do you see? | The service does not answer |") != NULL);
	ck_assert(strstr(s, "host = host.example.com, port = 8531, token = (secret, not recorded)") != NULL);
	ck_assert(strstr(s, "```sh\n  curl -sS -o /dev/null -w '%{http_code}' http://host.example.com:8531/health\n  ```") != NULL);
	ck_assert(strstr(s, "`http_503`") != NULL);
	ck_assert(strstr(s, "(simulated)") != NULL);
	ck_assert(strstr(s, "from before the interruption") != NULL);
	ck_assert(strstr(s, "## Resolution: escalate") != NULL);
	ck_assert(strstr(s, "### Collect before escalating") != NULL);
	ck_assert(strstr(s, "- The service log from host.example.com") != NULL);
	ck_assert(strstr(s, "training-one") != NULL);
	ck_assert(strstr(s, m.verdict) != NULL);
	ck_assert(strstr(s, "san: www.example.com") != NULL);
	free(s);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_text)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	char *s = report_string(e, &meta, REPORT_TEXT);
	assert_no_secret(s);
	ck_assert(str_starts(s, "tshoot report: Session test flow\n"));
	ck_assert(strstr(s, "Result:   escalate at escalate") != NULL);
	ck_assert(strstr(s, "Answer: The service does not answer") != NULL);
	ck_assert(strstr(s, "Outcome: http_503") != NULL);
	ck_assert(strstr(s, "rerun: curl -sS") != NULL);
	ck_assert(strstr(s, "(simulated)") != NULL);
	ck_assert(strstr(s, "Collect before escalating:") != NULL);
	/* 72 columns, except a rerun command, which must stay whole to be pasted */
	for (char *line = s; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xstrndup(line, len);
		if (!strstr(l, "rerun: "))
			ck_assert_msg(utf8_width(l) <= 72, "too wide: %s", l);
		free(l);
		line += len + (nl ? 1 : 0);
	}
	free(s);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_answers_round_trip)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	char *s = report_string(e, &meta, REPORT_ANSWERS);
	assert_no_secret(s);
	char path[] = "/tmp/tshoot-h7-answers.XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	ck_assert(write(fd, s, strlen(s)) == (ssize_t)strlen(s));
	close(fd);
	struct diags d = {0};
	struct answers *a = answers_load(path, &d);
	if (!a)
		diags_print(&d, stderr);
	ck_assert_msg(a != NULL, "%s", s);
	ck_assert_str_eq(answers_flow0(a), "session-small");
	ck_assert_str_eq(answers_get0(a, "pick"), "The service does not answer");
	ck_assert_str_eq(answers_var0(a, "target", "host"), "host.example.com");
	ck_assert_str_eq(answers_var0(a, "target", "port"), "8531");
	ck_assert_ptr_null(answers_var0(a, "target", "token"));
	ck_assert_str_eq(answers_get0(a, "start-service"), "not fixed");
	ck_assert(!answers_has(a, "intro"));
	ck_assert(!answers_has(a, "probe"));
	answers_free(a);
	diags_clear(&d);
	unlink(path);
	free(s);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_save)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	char dir[] = "/tmp/tshoot-h7-save.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *p = xasprintf("%s/out.json", dir);
	FILE *fp = fopen(p, "w");
	fputs("old", fp);
	fclose(fp);
	chmod(p, 0644);
	char *err = NULL;
	ck_assert_int_eq(report_save(e, &meta, REPORT_JSON, p, &err), 0);
	struct stat st;
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	struct json_object *o = json_object_from_file(p);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	unlink(p);
	char *bad = xasprintf("%s/no/such/dir/out.md", dir);
	ck_assert_int_eq(report_save(e, &meta, REPORT_MD, bad, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert(strstr(err, bad) != NULL);
	free(err);
	free(bad);
	rmdir(dir);
	free(p);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_check_json)
{
	struct check_result r = {0};
	r.kind = xstrdup("tls");
	r.target = xstrdup("10.0.0.5:8531");
	check_result_set(&r, "tls_expired", "certificate expired %d days ago", 3);
	facts_add(&r.facts, "subject", "CN=wsus");
	facts_add(&r.facts, "san", "wsus");
	facts_add(&r.facts, "san", "wsus.contoso.com");
	facts_add(&r.facts, "proxy_password", "x");
	check_result_add_problem(&r, "tls_expired");
	check_result_add_problem(&r, "tls_untrusted");
	r.elapsed_ms = 41;
	char *s = report_check_json(&r);
	struct json_object *o = json_tokener_parse(s);
	ck_assert_msg(o != NULL, "%s", s);
	ck_assert_str_eq(gets(o, "check"), "tls");
	ck_assert_str_eq(gets(o, "target"), "10.0.0.5:8531");
	ck_assert_str_eq(gets(o, "outcome"), "tls_expired");
	ck_assert_str_eq(gets(o, "summary"), "certificate expired 3 days ago");
	ck_assert_int_eq(json_object_get_int(get(o, "elapsed_ms")), 41);
	struct json_object *facts = get(o, "facts");
	ck_assert_str_eq(gets(facts, "subject"), "CN=wsus");
	ck_assert_uint_eq(json_object_array_length(get(facts, "san")), 2);
	ck_assert(!json_object_object_get_ex(facts, "proxy_password", NULL));
	ck_assert_uint_eq(json_object_array_length(get(o, "problems")), 2);
	json_object_put(o);
	free(s);
	/* no problems: no "problems" key */
	free(r.problems[0]);
	free(r.problems[1]);
	r.nproblems = 0;
	s = report_check_json(&r);
	o = json_tokener_parse(s);
	ck_assert(!json_object_object_get_ex(o, "problems", NULL));
	json_object_put(o);
	free(s);
	check_result_clear(&r);
}
END_TEST

/* Parse s as JSON, refusing invalid UTF-8 (json-c's strict UTF-8 check). */
static struct json_object *parse_utf8(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, s, (int)strlen(s) + 1);
	enum json_tokener_error err = json_tokener_get_error(tok);
	json_tokener_free(tok);
	ck_assert_msg(o != NULL && err == json_tokener_success, "not valid UTF-8 JSON (%s): %s",
		      json_tokener_error_desc(err), s);
	return o;
}

/* Whatever a server sent, the JSON is valid UTF-8, and numeric facts are numbers. */
START_TEST(test_check_json_utf8_numbers)
{
	struct check_result r = {0};
	r.kind = xstrdup("http");
	r.target = xstrdup("http://h/\xff\xfe");          /* as a journal may hand it back */
	r.command = xstrdup("curl 'http://h/\xc3'");
	check_result_set(&r, "http_503", "HTTP 503 from %s", "h\x9b");
	facts_addf(&r.facts, "status", "%d", 503);
	facts_addf(&r.facts, "port", "%d", 8531);
	facts_addf(&r.facts, "days_left", "%d", -3);
	facts_addf(&r.facts, "total_ms", "%d", 12);
	facts_add(&r.facts, "server", "evil\xc2\x9b[2J\xe2\x80\xae\xff caf\xc3\xa9");
	facts_add(&r.facts, "via", "1.1 8080");
	char *s = report_check_json(&r);
	struct json_object *o = parse_utf8(s);
	ck_assert_str_eq(gets(o, "target"), "http://h/\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(gets(o, "command"), "curl 'http://h/\xef\xbf\xbd'");
	ck_assert_str_eq(gets(o, "summary"), "HTTP 503 from h\xef\xbf\xbd");
	struct json_object *facts = get(o, "facts");
	ck_assert(json_object_is_type(get(facts, "status"), json_type_int));
	ck_assert_int_eq(json_object_get_int(get(facts, "status")), 503);
	ck_assert_int_eq(json_object_get_int(get(facts, "port")), 8531);
	ck_assert_int_eq(json_object_get_int(get(facts, "days_left")), -3);
	ck_assert_int_eq(json_object_get_int(get(facts, "total_ms")), 12);
	ck_assert_str_eq(gets(facts, "server"), "evil?[2J?\xef\xbf\xbd caf\xc3\xa9");
	ck_assert(json_object_is_type(get(facts, "via"), json_type_string));
	ck_assert(strstr(s, "\"status\":503") != NULL);
	json_object_put(o);
	free(s);
	check_result_clear(&r);
}
END_TEST

/* When, where, who, the ticket and the notes, in every format. */
START_TEST(test_header)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	char *t = report_string(e, &full_meta, REPORT_TEXT);
	assert_no_secret(t);
	ck_assert_msg(strstr(t, "Ticket:   INC0012345\n") != NULL, "%s", t);
	ck_assert(strstr(t, "Started:  2023-11-14 22:13:20 UTC\n"
			    "          2023-11-14 23:13:20 CET (UTC+01:00), local time\n") != NULL);
	ck_assert(strstr(t, "Ended:    2023-11-14 22:23:20 UTC\n"
			    "          2023-11-14 23:23:20 CET (UTC+01:00), local time\n") != NULL);
	ck_assert(strstr(t, "Host:     wsus01\n") != NULL);
	ck_assert(strstr(t, "User:     alice\n") != NULL);
	ck_assert(strstr(t, "Session:  20231114-231320-4242\n") != NULL);
	ck_assert(strstr(t, "Flow:     session-small version 1.2\n") != NULL);
	ck_assert(strstr(t, "tshoot:   9.9.9\n") != NULL);
	ck_assert(strstr(t, "\nOperator notes:\n"
			    "  1. 2023-11-14 22:15:00 UTC, step 3 (Where is the service?):\n"
			    "     proxy01 swapped *today* <see CHG-1> ********\n") != NULL);
	ck_assert(strstr(t, "  2. 2023-11-14 22:16:40 UTC, step 5 (Restart the service):\n     rebooted\n") != NULL);

	char *m = report_string(e, &full_meta, REPORT_MD);
	assert_no_secret(m);
	ck_assert_msg(strstr(m, "- **Ticket:** INC0012345\n") != NULL, "%s", m);
	ck_assert(strstr(m, "- **Started:** 2023-11-14 22:13:20 UTC; local time 2023-11-14 23:13:20 CET (UTC+01:00)\n"));
	ck_assert(strstr(m, "- **Ended:** 2023-11-14 22:23:20 UTC; local time 2023-11-14 23:23:20 CET (UTC+01:00)\n"));
	ck_assert(strstr(m, "- **Host:** wsus01\n") != NULL);
	ck_assert(strstr(m, "- **User:** alice\n") != NULL);
	ck_assert(strstr(m, "- **Session:** 20231114-231320-4242\n") != NULL);
	ck_assert(strstr(m, "- **tshoot:** 9.9.9\n") != NULL);
	ck_assert(strstr(m, "\n## Operator notes\n\n1. 2023-11-14 22:15:00 UTC, step 3 (Where is the service?): "
			    "proxy01 swapped \\*today\\* \\<see CHG-1> \\*\\*\\*\\*\\*\\*\\*\\*\n") != NULL);

	char *j = report_string(e, &full_meta, REPORT_JSON);
	assert_no_secret(j);
	struct json_object *o = json_tokener_parse(j);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(gets(o, "schema"), "tshoot-report/1");
	ck_assert_str_eq(gets(o, "started"), "2023-11-14T22:13:20Z");
	ck_assert_str_eq(gets(o, "started_local"), "2023-11-14T23:13:20+01:00");
	ck_assert_str_eq(gets(o, "ended"), "2023-11-14T22:23:20Z");
	ck_assert_str_eq(gets(o, "ended_local"), "2023-11-14T23:23:20+01:00");
	ck_assert_str_eq(gets(o, "timezone"), "CET");
	ck_assert_str_eq(gets(o, "session_id"), "20231114-231320-4242");
	ck_assert_str_eq(gets(o, "host"), "wsus01");
	ck_assert_str_eq(gets(o, "user"), "alice");
	ck_assert_str_eq(gets(o, "tshoot_version"), "9.9.9");
	ck_assert_str_eq(gets(o, "ticket"), "INC0012345");
	struct json_object *ns = get(o, "notes");
	ck_assert_uint_eq(json_object_array_length(ns), 2);
	struct json_object *n0 = json_object_array_get_idx(ns, 0);
	ck_assert_str_eq(gets(n0, "time"), "2023-11-14T22:15:00Z");
	ck_assert_str_eq(gets(n0, "time_local"), "2023-11-14T23:15:00+01:00");
	ck_assert_int_eq(json_object_get_int(get(n0, "step")), 3);
	ck_assert_str_eq(gets(n0, "node"), "target");
	ck_assert_str_eq(gets(n0, "text"), "proxy01 swapped *today* <see CHG-1> ********");
	json_object_put(o);
	free(j);
	free(m);
	free(t);
	engine_free(e);
	flow_free(f);
}
END_TEST

/* West of UTC, half hours; and with no recorded offset, this machine's local time. */
START_TEST(test_local_time)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);
	struct report_meta m = {.started = {.secs = 1700000000, .have_offset = true, .utc_offset = -(3 * 3600 + 1800),
					    .zone = "NST"}};
	char *t = report_string(e, &m, REPORT_TEXT);
	ck_assert_msg(strstr(t, "          2023-11-14 18:43:20 NST (UTC-03:30), local time\n") != NULL, "%s", t);
	free(t);
	char *old_tz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	m.started = (struct report_time){.secs = 1700000000};
	char *j = report_string(e, &m, REPORT_JSON);
	struct json_object *o = json_tokener_parse(j);
	ck_assert_str_eq(gets(o, "started_local"), "2023-11-15T03:43:20+05:30");
	ck_assert(json_object_get_type(get(o, "ended")) == json_type_null);
	ck_assert(json_object_get_type(get(o, "timezone")) == json_type_null);
	json_object_put(o);
	free(j);
	if (old_tz)
		setenv("TZ", old_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old_tz);
	engine_free(e);
	flow_free(f);
}
END_TEST

/* Which steps were ticked, by their text: not a count. */
START_TEST(test_checklist)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, true);     /* ticked: step 1 only */
	char *t = report_string(e, &meta, REPORT_TEXT);
	ck_assert_msg(strstr(t, "    Answer: not fixed (ticked: 1)\n"
			       "      [x] 1. Free disk space on host.example.com.\n"
			       "      [ ] 2. Restart the service.\n") != NULL, "%s", t);
	ck_assert(strstr(t, "of 2") == NULL);
	char *m = report_string(e, &meta, REPORT_MD);
	ck_assert_msg(strstr(m, "## Checklists\n\n### Step 5: Restart the service (not fixed)\n\n"
			       "- [x] 1. Free disk space on host.example.com.\n"
			       "- [ ] 2. Restart the service.\n") != NULL, "%s", m);
	ck_assert(strstr(m, "of 2") == NULL);
	char *j = report_string(e, &meta, REPORT_JSON);
	struct json_object *o = json_tokener_parse(j);
	struct json_object *st = json_object_array_get_idx(get(o, "steps"), 4);
	struct json_object *cl = get(st, "checklist");
	ck_assert_uint_eq(json_object_array_length(cl), 2);
	struct json_object *c0 = json_object_array_get_idx(cl, 0), *c1 = json_object_array_get_idx(cl, 1);
	ck_assert_int_eq(json_object_get_int(get(c0, "n")), 1);
	ck_assert_str_eq(gets(c0, "text"), "Free disk space on host.example.com.");
	ck_assert(json_object_get_boolean(get(c0, "ticked")));
	ck_assert_str_eq(gets(c1, "text"), "Restart the service.");
	ck_assert(!json_object_get_boolean(get(c1, "ticked")));
	json_object_put(o);
	free(j);
	free(m);
	free(t);
	engine_free(e);
	flow_free(f);
}
END_TEST

/* No '<' that Markdown could take for the start of an HTML tag. */
static void assert_no_bare_lt(const char *md)
{
	for (const char *p = md; (p = strchr(p, '<')); p++)
		ck_assert_msg(p > md && p[-1] == '\\', "bare '<' at: %.40s", p);
}

/* Texts Markdown would eat come out escaped, so the rendered report shows them. */
START_TEST(test_markdown_escapes)
{
	struct flow *f = test_load_flow("report-md.yaml");
	struct engine *e = engine_new(f);
	const char *err = NULL;
	ck_assert_int_eq(engine_start(e, NULL, &err), 0);
	const char *vals[] = {"<proxy01>_x"};
	size_t bad;
	ck_assert_int_eq(engine_submit_input(e, vals, 1, &bad, &err), 0);
	bool ticked[] = {true, false, true};
	ck_assert_int_eq(engine_steps(e, false, ticked, &err), 0);
	char *m = report_string(e, &meta, REPORT_MD);
	assert_no_bare_lt(m);
	const char *want[] = {
		"# IIS \\*logs\\* for W3SVC\\<n>: escalate\n",
		"- **Flow:** `report-md` version 2.0-beta\n",
		"| 1 | input | Which proxy? (\\<proxy01>) | proxy = \\<proxy01>\\_x |\n",
		"### Step 2: Clean up\\_the\\_logs (not fixed)\n",
		"- [x] 1. Open \\<ConfigMgr install folder>\\\\Logs and find WCM.log\n",
		"- [ ] 2. Stop the \\`W3SVC\\` service\n",
		"- [x] 3. Delete C:\\\\inetpub\\\\logs\\\\LogFiles\\\\W3SVC\\<n>\\\\\\*.log on \\<proxy01>\\_x\n",
		"**Escalate: W3SVC\\<n> logs on \\<proxy01>\\_x**\n",
		"\nSend the logs from \\<ConfigMgr install folder>\\\\Logs, the \\*whole\\* folder.\n"
		"\n- WCM.log\\_old and wsyncmgr.log\n"
		"1. a \\| pipe and \\`\\`double\\`\\` ticks\n"
		"\\# not a heading\n",
		"\n````\n    net stop W3SVC && echo ```done```\n````\n",
		"- IIS logs (C:\\\\inetpub\\\\logs\\\\LogFiles\\\\W3SVC\\<n>)\n",
		"- 1\\. the first thing\n",
	};
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		ck_assert_msg(strstr(m, want[i]) != NULL, "missing %s in:\n%s", want[i], m);
	free(m);
	engine_free(e);
	flow_free(f);
}
END_TEST

/* Inline code that its content cannot close. */
START_TEST(test_markdown_code_span)
{
	struct flow *f = load_flow();
	struct engine *e = walk(f, false);
	ck_assert_int_eq(engine_back(e), 0);
	size_t nres;
	const char *err = NULL;
	const char *outs[] = {"ok", "ok"};
	struct check_result *res = test_sim_results(e, outs, 2, &nres);
	free(res[0].target);
	res[0].target = xstrdup("x``y`");
	ck_assert_int_eq(engine_check_results(e, res, nres, &err), 0);
	test_results_free(res, nres);
	char *m = report_string(e, &meta, REPORT_MD);
	ck_assert_msg(strstr(m, "- **tcp** ``` x``y` ```: `ok`") != NULL, "%s", m);
	free(m);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_ticket_rule)
{
	const char *why = NULL;
	ck_assert_int_eq(report_ticket_check("INC0012345", &why), 0);
	ck_assert_int_eq(report_ticket_check("CASE 4711/b#2", &why), 0);
	ck_assert_int_eq(report_ticket_check("", &why), -1);
	ck_assert(strstr(why, "empty") != NULL);
	ck_assert_int_eq(report_ticket_check("  ", &why), -1);
	ck_assert_int_eq(report_ticket_check("a\x1b[2Jb", &why), -1);
	ck_assert(strstr(why, "control") != NULL);
	char long_id[REPORT_TICKET_MAX + 2];
	memset(long_id, 'x', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	ck_assert_int_eq(report_ticket_check(long_id, &why), -1);
	ck_assert(strstr(why, "64") != NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_format_parse);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_incomplete);
	tcase_add_test(tc, test_markdown);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_answers_round_trip);
	tcase_add_test(tc, test_save);
	tcase_add_test(tc, test_check_json);
	tcase_add_test(tc, test_check_json_utf8_numbers);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_local_time);
	tcase_add_test(tc, test_checklist);
	tcase_add_test(tc, test_markdown_escapes);
	tcase_add_test(tc, test_markdown_code_span);
	tcase_add_test(tc, test_ticket_rule);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(suite());
}
