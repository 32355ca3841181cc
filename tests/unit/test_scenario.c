/* test_scenario.c — training scenarios: detection, loading (errors with positions),
 * the flow reference, and every lint rule against a loaded flow. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lint.h"
#include "src/scenario.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

static char *tmpdir, *traindir;

static void setup(void)
{
	char tmpl[] = "/tmp/tshoot-h7-scen.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	traindir = xasprintf("%s/training", tmpdir);
	ck_assert_int_eq(mkdir(traindir, 0700), 0);
	/* tmp/session-check.yaml next to tmp/training/, as flows/ is to flows/training/ */
	char *real = xasprintf("%s/tests/flows/session-check.yaml", test_top());
	char *abs = realpath(real, NULL);
	ck_assert_ptr_nonnull(abs);
	char *link = xasprintf("%s/session-check.yaml", tmpdir);
	ck_assert_int_eq(symlink(abs, link), 0);
	free(link);
	free(abs);
	free(real);
}

static void teardown(void)
{
	char *cmd[] = {"a.yaml", "b.yaml", "c.yaml", NULL};
	for (char **c = cmd; *c; c++) {
		char *p = xasprintf("%s/%s", traindir, *c);
		unlink(p);
		free(p);
	}
	rmdir(traindir);
	char *link = xasprintf("%s/session-check.yaml", tmpdir);
	unlink(link);
	free(link);
	rmdir(tmpdir);
	FREE_NULL(traindir);
	FREE_NULL(tmpdir);
}

static char *write_scen(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", traindir, name);
	FILE *fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	return p;
}

static struct flow *load_flow(const char *name)
{
	struct flow *f = test_load_flow(name);
	struct diags d = {0};
	ck_assert_uint_eq(lint_flow(f, &d), 0);   /* the test flows themselves are clean */
	diags_clear(&d);
	return f;
}

static bool has_diag(const struct diags *d, enum diag_sev sev, int line, const char *needle)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev == sev && (line == 0 || d->v[i].line == line) && strstr(d->v[i].msg, needle))
			return true;
	}
	return false;
}

static void dump(const struct diags *d)
{
	diags_print(d, stderr);
}

START_TEST(test_is_file)
{
	char *s = write_scen("a.yaml", "# comment\nflow: session-check\nscenario: x\n");
	ck_assert(scenario_is_file(s));
	char *f = xasprintf("%s/tests/flows/session-check.yaml", test_top());
	ck_assert(!scenario_is_file(f));
	ck_assert(!scenario_is_file("/nonexistent/h7.yaml"));
	char *bad = write_scen("b.yaml", "scenario: [\n");
	ck_assert(!scenario_is_file(bad));
	free(bad);
	free(f);
	free(s);
}
END_TEST

START_TEST(test_load_good)
{
	char *p = write_scen("a.yaml",
			     "scenario: disk-full\n"
			     "flow: session-check\n"
			     "title: The disk is full\n"
			     "brief: |\n"
			     "  The service answers, but the log says the disk is full.\n"
			     "set: {host: app01.example.com, port: \"8080\"}\n"
			     "outcomes:\n"
			     "  probe: [ok, ok]\n"
			     "  scan: disk_full\n"
			     "expect: full\n"
			     "facts:\n"
			     "  probe: [{address: \"10.0.0.5:8080\"}, {status: 200, www_authenticate: [Negotiate, NTLM]}]\n"
			     "  scan: {lines_scanned: 812}\n");
	struct diags d = {0};
	struct scenario *s = scenario_load(p, &d);
	if (!s)
		dump(&d);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->id, "disk-full");
	ck_assert_str_eq(s->title, "The disk is full");
	ck_assert_str_eq(s->brief, "The service answers, but the log says the disk is full.\n");
	ck_assert_str_eq(s->expect, "full");
	ck_assert_int_eq(s->expect_pos.line, 10);
	ck_assert_int_eq(s->expect_pos.col, 9);
	/* the flow id resolved next to the training directory */
	char *want = xasprintf("%s/session-check.yaml", tmpdir);
	ck_assert_str_eq(s->flow, want);
	free(want);
	ck_assert_uint_eq(s->nset, 2);
	ck_assert_str_eq(s->set_keys[0], "host");
	ck_assert_str_eq(s->set_values[0], "app01.example.com");
	ck_assert_str_eq(s->set_values[1], "8080");
	ck_assert_uint_eq(s->nouts, 2);
	ck_assert_str_eq(s->outs[0].node, "probe");
	ck_assert_uint_eq(s->outs[0].n, 2);
	ck_assert_int_eq(s->outs[0].pos.line, 8);
	ck_assert_int_eq(s->outs[0].pos.col, 3);
	ck_assert_str_eq(s->outs[1].outcomes[0], "disk_full");
	ck_assert_uint_eq(s->outs[1].n, 1);
	/* facts: one set per check, or one for all; a list is the key repeated */
	ck_assert_uint_eq(s->nfacts, 2);
	ck_assert_str_eq(s->facts[0].node, "probe");
	ck_assert_uint_eq(s->facts[0].n, 2);
	ck_assert_str_eq(facts_get0(&s->facts[0].sets[0], "address"), "10.0.0.5:8080");
	ck_assert_uint_eq(s->facts[0].sets[1].n, 3);
	ck_assert_str_eq(s->facts[0].sets[1].v[2].key, "www_authenticate");
	ck_assert_str_eq(s->facts[0].sets[1].v[2].value, "NTLM");
	ck_assert_uint_eq(s->facts[1].n, 1);
	ck_assert_str_eq(facts_get0(&s->facts[1].sets[0], "lines_scanned"), "812");
	ck_assert_int_eq(s->facts[1].pos.line, 13);

	struct flow *f = load_flow("session-check.yaml");
	ck_assert_uint_eq(scenario_lint(s, f, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	flow_free(f);
	/* the resolved path loads as a flow */
	f = flow_load_file(s->flow, &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->id, "session-check");
	flow_free(f);
	scenario_free(s);
	diags_clear(&d);
	free(p);
}
END_TEST

START_TEST(test_load_flow_unresolved)
{
	char *p = write_scen("a.yaml", "scenario: x\nflow: no-such-flow-h7\n");
	struct diags d = {0};
	struct scenario *s = scenario_load(p, &d);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->flow, "no-such-flow-h7");       /* kept as written */
	ck_assert_str_eq(s->title, "x");
	ck_assert_ptr_null(s->expect);
	scenario_free(s);
	free(p);
	/* a relative path is taken from the training directory's parent */
	p = write_scen("b.yaml", "scenario: y\nflow: session-check.yaml\n");
	s = scenario_load(p, &d);
	ck_assert_ptr_nonnull(s);
	char *want = xasprintf("%s/session-check.yaml", tmpdir);
	ck_assert_str_eq(s->flow, want);
	free(want);
	scenario_free(s);
	diags_clear(&d);
	free(p);
}
END_TEST

static void expect_load_error(const char *text, int line, int col, const char *needle)
{
	char *p = write_scen("c.yaml", text);
	struct diags d = {0};
	struct scenario *s = scenario_load(p, &d);
	ck_assert_msg(s == NULL, "loaded: %s", text);
	bool found = false;
	for (size_t i = 0; i < d.n; i++)
		found |= d.v[i].line == line && d.v[i].col == col && strstr(d.v[i].msg, needle) && d.v[i].sev == DIAG_ERROR;
	if (!found)
		dump(&d);
	ck_assert_msg(found, "no error at %d:%d with '%s'", line, col, needle);
	diags_clear(&d);
	free(p);
}

START_TEST(test_load_errors)
{
	expect_load_error("flow: session-check\n", 1, 1, "missing 'scenario: ID'");
	expect_load_error("scenario: x\n", 1, 1, "missing 'flow:'");
	expect_load_error("scenario: x\nflow: f\nhint: y\n", 3, 1, "unknown key 'hint'");
	expect_load_error("scenario: x\nflow: f\noutcomes:\n  probe: {a: b}\n", 4, 10, "give one outcome");
	expect_load_error("scenario: x\nflow: f\noutcomes:\n  probe: []\n", 4, 10, "give one outcome");
	expect_load_error("scenario: x\nflow: f\noutcomes:\n  a: ok\n  a: ok\n", 5, 3, "duplicate node id 'a' (first at line 4)");
	expect_load_error("scenario: x\nflow: f\nset: [a]\n", 3, 6, "'set' must be a mapping");
	expect_load_error("scenario: x\nflow: [f]\n", 2, 7, "'flow' must be a text");
	expect_load_error("scenario: x\nflow: f\nexpect: a\nexpect: b\n", 4, 1, "duplicate key 'expect' (first at line 3)");
	expect_load_error("scenario: x\nflow: f\n  bad indent: here\n", 3, 13, "YAML syntax error");
	expect_load_error("scenario: x\nflow: f\nset: {a: &v x, b: *v}\n", 3, 10, "aliases are not supported");
	expect_load_error("scenario: x\nflow: f\nset: {a: x, a: y}\n", 3, 13, "duplicate variable 'a' (first at line 3)");
	expect_load_error("scenario: x\nflow: f\nfacts: [a]\n", 3, 8, "'facts' must be a mapping");
	expect_load_error("scenario: x\nflow: f\nfacts:\n  probe: ok\n", 4, 10, "facts are a mapping");
	expect_load_error("scenario: x\nflow: f\nfacts:\n  probe: {Status: 1}\n", 4, 11, "a fact key is a name");
	expect_load_error("scenario: x\nflow: f\nfacts:\n  probe: {status: {a: 1}}\n", 4, 19, "fact 'status': give a text");
	expect_load_error("scenario: x\nflow: f\nfacts:\n  a: {}\n  a: {}\n", 5, 3, "duplicate node id 'a' (first at line 4)");
	/* one entry per visit: every item a list */
	expect_load_error("scenario: x\nflow: f\noutcomes:\n  probe: [[refused], ok]\n", 4, 22, "one entry per visit is a list of lists");
	expect_load_error("scenario: x\nflow: f\noutcomes:\n  probe: [[refused], []]\n", 4, 22, "give one outcome");
	expect_load_error("scenario: x\nflow: f\noutcomes:\n  probe: [[ok], [[ok]]]\n", 4, 18, "each outcome must be a name");
	expect_load_error("scenario: x\nflow: f\nfacts:\n  probe: [[{}], {}]\n", 4, 17, "one entry per visit is a list of lists");
	struct diags d = {0};
	ck_assert_ptr_null(scenario_load("/nonexistent/h7/s.yaml", &d));
	ck_assert_uint_eq(d.n, 1);
	diags_clear(&d);
}
END_TEST

/* Lint text against flow; check that the error list contains needle at line. */
static void expect_lint(const char *flowfile, const char *text, int line, const char *needle)
{
	char *p = write_scen("c.yaml", text);
	struct diags d = {0};
	struct scenario *s = scenario_load(p, &d);
	if (!s)
		dump(&d);
	ck_assert_ptr_nonnull(s);
	struct flow *f = load_flow(flowfile);
	size_t n = scenario_lint(s, f, &d);
	if (!has_diag(&d, DIAG_ERROR, line, needle))
		dump(&d);
	ck_assert_msg(n >= 1 && has_diag(&d, DIAG_ERROR, line, needle), "no lint error '%s' at line %d", needle, line);
	ck_assert_uint_eq(n, diags_count(&d, DIAG_ERROR));
	flow_free(f);
	scenario_free(s);
	diags_clear(&d);
	free(p);
}

/* One entry per visit: loaded in visit order, the plain forms as visit 0; routed on
 * each visit, the last repeating; lint says which visit is wrong, and an end reached
 * only on a later visit is reachable. */
START_TEST(test_visits)
{
	char *p = write_scen("v.yaml",
			     "scenario: retest\n"
			     "flow: session-check\n"
			     "outcomes:\n"
			     "  probe: [[refused], [ok]]\n"
			     "  scan: [ok]\n"
			     "facts:\n"
			     "  probe: [[{address: \"10.0.0.5:8080\"}], [{}, {}]]\n"
			     "expect: fine\n");
	struct diags d = {0};
	struct scenario *s = scenario_load(p, &d);
	if (!s)
		dump(&d);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->nouts, 3);
	ck_assert_str_eq(s->outs[0].node, "probe");
	ck_assert_uint_eq(s->outs[0].visit, 1);
	ck_assert_str_eq(s->outs[0].outcomes[0], "refused");
	ck_assert_uint_eq(s->outs[1].visit, 2);
	ck_assert_str_eq(s->outs[1].outcomes[0], "ok");
	ck_assert_int_eq(s->outs[1].pos.line, 4);
	ck_assert_uint_eq(s->outs[2].visit, 0);
	ck_assert_uint_eq(s->nfacts, 2);
	ck_assert_uint_eq(s->facts[0].visit, 1);
	ck_assert_uint_eq(s->facts[1].visit, 2);
	ck_assert_uint_eq(s->facts[1].n, 2);
	struct flow *f = load_flow("session-check.yaml");
	const struct flow_node *probe = &f->nodes[flow_node_index(f, "probe")];
	ck_assert_int_eq(scenario_route_visit(probe, s, 1), flow_node_index(f, "down"));
	ck_assert_int_eq(scenario_route_visit(probe, s, 2), flow_node_index(f, "scan"));
	ck_assert_int_eq(scenario_route_visit(probe, s, 7), flow_node_index(f, "scan"));   /* the last repeats */
	ck_assert_int_eq(scenario_route(probe, s), flow_node_index(f, "scan"));
	/* 'fine' is reached on the second visit only: not an error */
	ck_assert_uint_eq(scenario_lint(s, f, &d), 0);
	flow_free(f);
	scenario_free(s);
	diags_clear(&d);
	free(p);
	const char *hd = "scenario: x\nflow: session-check\n";
	char *t = xasprintf("%soutcomes:\n  probe: [[ok], [bogus]]\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "'bogus' is not an outcome for visit 2");
	free(t);
	t = xasprintf("%sfacts:\n  probe: [[{}], [{}, {}, {}]]\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "runs 2 checks but 3 sets of facts are given for visit 2");
	free(t);
	/* an unknown node: said once, not once per visit */
	t = xasprintf("%soutcomes:\n  nope: [[ok], [ok]]\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "unknown node 'nope'");
	free(t);
	/* no visit reaches it: still an error */
	t = xasprintf("%soutcomes:\n  probe: [[refused], [timeout]]\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 5, "cannot be reached");
	free(t);
}
END_TEST

START_TEST(test_lint_rules)
{
	const char *hd = "scenario: x\nflow: session-check\n";
	char *t;
	/* unknown node */
	t = xasprintf("%soutcomes:\n  probe: ok\n  nope: ok\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 5, "unknown node 'nope'");
	free(t);
	/* a node that is not a check node */
	t = xasprintf("%soutcomes:\n  intro: ok\n", "scenario: x\nflow: session-small\n");
	expect_lint("session-small.yaml", t, 4, "not a check node");
	free(t);
	/* not an outcome at all */
	t = xasprintf("%soutcomes:\n  probe: [ok, bogus]\nexpect: down\n", hd);
	expect_lint("session-check.yaml", t, 4, "'bogus' is not an outcome");
	free(t);
	/* an outcome one of the node's checks cannot give: tcp never says http_503 */
	t = xasprintf("%soutcomes:\n  probe: http_503\nexpect: down\n", hd);
	expect_lint("session-check.yaml", t, 4, "check 1 (tcp) cannot give 'http_503'; give a list");
	free(t);
	/* as a list it is fine: tcp ok, http http_503 */
	t = xasprintf("%soutcomes:\n  probe: [ok, http_503]\nexpect: down\n", hd);
	{
		char *p = write_scen("c.yaml", t);
		struct diags d = {0};
		struct scenario *s = scenario_load(p, &d);
		struct flow *f = load_flow("session-check.yaml");
		ck_assert_uint_eq(scenario_lint(s, f, &d), 0);
		flow_free(f);
		scenario_free(s);
		diags_clear(&d);
		free(p);
	}
	free(t);
	/* a log check gives the flow's signature ids, not other names */
	t = xasprintf("%soutcomes:\n  scan: disk_fool\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "check 1 (log) cannot give 'disk_fool'");
	free(t);
	/* facts: for a check node that exists, no more sets than checks */
	t = xasprintf("%sfacts:\n  nope: {status: 200}\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "unknown node 'nope'");
	free(t);
	t = xasprintf("%sfacts:\n  probe: [{}, {}, {}]\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "runs 2 checks but 3 sets of facts");
	free(t);
	t = xasprintf("%sfacts:\n  intro: {status: 200}\n", "scenario: x\nflow: session-small\n");
	expect_lint("session-small.yaml", t, 4, "not a check node: it has no sets of facts");
	free(t);
	/* more outcomes than checks */
	t = xasprintf("%soutcomes:\n  probe: [ok, ok, ok]\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "runs 2 checks but 3 outcomes");
	free(t);
	/* set: a variable the flow lacks, a value that fails validation */
	t = xasprintf("%sset:\n  hots: a.example.com\n  port: \"99999\"\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 4, "no variable 'hots'");
	expect_lint("session-check.yaml", t, 5, "variable 'port'");
	free(t);
	/* expect: unknown, not an end, unreachable with these outcomes */
	t = xasprintf("%sexpect: nowhere\n", hd);
	expect_lint("session-check.yaml", t, 3, "unknown node 'nowhere'");
	free(t);
	t = xasprintf("%sexpect: scan\n", hd);
	expect_lint("session-check.yaml", t, 3, "not an end node");
	free(t);
	t = xasprintf("%soutcomes:\n  scan: disk_full\nexpect: fine\n", hd);
	expect_lint("session-check.yaml", t, 5, "cannot be reached");
	free(t);
	t = xasprintf("%sexpect: down\n", hd);     /* nothing set: every check ok -> scan -> fine */
	expect_lint("session-check.yaml", t, 3, "cannot be reached");
	free(t);
}
END_TEST

START_TEST(test_lint_no_expect_warns)
{
	char *p = write_scen("a.yaml", "scenario: x\nflow: session-check\n");
	struct diags d = {0};
	struct scenario *s = scenario_load(p, &d);
	struct flow *f = load_flow("session-check.yaml");
	ck_assert_uint_eq(scenario_lint(s, f, &d), 0);
	ck_assert(has_diag(&d, DIAG_WARNING, 0, "no 'expect:'"));
	flow_free(f);
	scenario_free(s);
	diags_clear(&d);
	free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_is_file);
	tcase_add_test(tc, test_load_good);
	tcase_add_test(tc, test_load_flow_unresolved);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_lint_rules);
	tcase_add_test(tc, test_visits);
	tcase_add_test(tc, test_lint_no_expect_warns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(suite());
}
