/* test_loader.c — the flow loader (src/flow_load.c) and the model helpers (src/flow.c):
 * a good flow with every field, each class of error at its exact file:line:col,
 * hostile input (limits, aliases, garbage), signature matching, value validation. */
#include <check.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/flow_catalog.h"
#include "src/scenario.h"
#include "src/util.h"
#include "src/yamldoc.h"
#include "tests/unit/testutil.h"

/* Is there an error at line:col whose message contains want? */
static bool has_error(const struct diags *d, int line, int col, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == DIAG_ERROR && d->v[i].line == line && d->v[i].col == col &&
		    strstr(d->v[i].msg, want))
			return true;
	return false;
}

/* Load yaml as "t.yaml": it must fail with an error at line:col containing want. */
static void expect_error(const char *yaml, int line, int col, const char *want)
{
	struct diags d = {0};
	struct flow *f = flow_load_string("t.yaml", yaml, strlen(yaml), &d);
	char *all = test_diags_text(&d);
	ck_assert_msg(f == NULL, "loaded although it should fail: %s", yaml);
	ck_assert_msg(has_error(&d, line, col, want), "want t.yaml:%d:%d: ...%s...\ngot:\n%s",
		      line, col, want, all);
	for (size_t i = 0; i < d.n; i++)
		ck_assert_str_eq(d.v[i].file, "t.yaml");
	free(all);
	flow_free(f);
	diags_clear(&d);
}

static struct flow *load_ok(const char *yaml)
{
	struct diags d = {0};
	struct flow *f = flow_load_string("t.yaml", yaml, strlen(yaml), &d);
	char *all = test_diags_text(&d);
	ck_assert_msg(f != NULL, "failed to load:\n%s", all);
	ck_assert_uint_eq(diags_count(&d, DIAG_ERROR), 0);
	free(all);
	diags_clear(&d);
	return f;
}

/* A valid preamble: id, title, start and an end node; tests append nodes. */
#define HEAD "id: t\ntitle: T\nstart: e\nnodes:\n  e: {type: end, result: resolved}\n"

START_TEST(test_good_flow)
{
	struct diags d = {0};
	char *path = test_flow_path("good-min.yaml");
	struct flow *f = flow_load_file(path, &d);
	char *all = test_diags_text(&d);
	ck_assert_msg(f != NULL, "good-min.yaml did not load:\n%s", all);
	free(all);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_str_eq(f->path, path);
	ck_assert_str_eq(f->id, "good-min");
	ck_assert_str_eq(f->title, "Minimal good flow");
	ck_assert_str_eq(f->version, "1.2");               /* a number kept as written */
	ck_assert_str_eq(f->description, "Exercises every node type.");
	ck_assert_str_eq(f->start.id, "intro");
	ck_assert_int_eq(f->start.idx, 0);
	ck_assert_int_eq(f->start.pos.line, 7);
	ck_assert_int_eq(f->start.pos.col, 8);
	ck_assert_int_eq(f->id_pos.line, 3);
	ck_assert_int_eq(f->id_pos.col, 1);
	ck_assert_int_eq(f->title_pos.line, 4);
	ck_assert_int_eq(f->start_pos.line, 7);

	/* vars */
	ck_assert_uint_eq(f->nvars, 4);
	ck_assert_str_eq(f->vars[0].name, "host");
	ck_assert_str_eq(f->vars[0].prompt, "WSUS host");
	ck_assert_int_eq(f->vars[0].validate, VALIDATE_HOSTNAME);
	ck_assert_ptr_null(f->vars[0].def);
	ck_assert_int_eq(f->vars[0].pos.line, 9);
	ck_assert_int_eq(f->vars[0].pos.col, 3);
	ck_assert_str_eq(f->vars[1].def, "8530");           /* scalar kept as a string */
	ck_assert_int_eq(f->vars[1].validate, VALIDATE_PORT);
	ck_assert_str_eq(f->vars[2].prompt, "user");        /* prompt defaults to the name */
	ck_assert(f->vars[2].optional);                     /* "yes" is true */
	ck_assert(!f->vars[2].secret);
	ck_assert(f->vars[3].secret);
	ck_assert_str_eq(f->vars[3].why, "for the proxy");
	ck_assert_int_eq(flow_var_index(f, "pass"), 3);
	ck_assert_int_eq(flow_var_index(f, "nope"), -1);

	/* signatures */
	ck_assert_uint_eq(f->nsigs, 3);
	ck_assert_str_eq(f->sigs[0].id, "not_configured");
	ck_assert(!f->sigs[0].is_regex);
	ck_assert_str_eq(f->sigs[0].text, "Sync failed: WSUS server not configured");
	ck_assert(f->sigs[1].is_regex);
	ck_assert_str_eq(f->sigs[1].title, "Proxy wants credentials");
	ck_assert_str_eq(f->sigs[2].text, "Access denied");
	ck_assert(!f->sigs[2].is_regex);
	ck_assert_ptr_eq(flow_sig_get0(f, "auth_407"), &f->sigs[1]);
	ck_assert_ptr_null(flow_sig_get0(f, "nope"));

	/* nodes, in written order */
	ck_assert_uint_eq(f->nnodes, 8);
	const char *ids[] = {"intro", "remote", "target", "web", "paste", "fix", "done", "escalate"};
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		ck_assert_str_eq(f->nodes[i].id, ids[i]);
		ck_assert_int_eq(flow_node_index(f, ids[i]), (int)i);
	}
	const struct flow_node *n = &f->nodes[0];
	ck_assert_int_eq(n->type, NODE_INFO);
	ck_assert_str_eq(n->title, "Welcome");
	ck_assert_str_eq(n->text, "Checks the software update point.\n");
	ck_assert_str_eq(n->why, "Start here.");
	ck_assert_str_eq(n->next.id, "remote");
	ck_assert_int_eq(n->next.idx, 1);
	ck_assert_int_eq(n->pos.line, 18);
	ck_assert_int_eq(n->pos.col, 3);

	n = &f->nodes[1];
	ck_assert_int_eq(n->type, NODE_QUESTION);
	ck_assert_uint_eq(n->nanswers, 2);
	ck_assert_str_eq(n->answers[0].label, "Yes");
	ck_assert_str_eq(n->answers[0].why, "remote needs checks");
	ck_assert_int_eq(n->answers[0].next.idx, 2);
	ck_assert_int_eq(n->answers[0].pos.line, 29);
	ck_assert_int_eq(n->answers[0].pos.col, 9);
	ck_assert_str_eq(n->answers[1].label, "No");
	ck_assert_int_eq(n->answers[1].next.idx, 4);
	ck_assert_ptr_null(n->answers[1].why);

	n = &f->nodes[2];
	ck_assert_int_eq(n->type, NODE_INPUT);
	ck_assert_uint_eq(n->nvars, 4);
	ck_assert_str_eq(n->vars[1].id, "port");
	ck_assert_int_eq(n->vars[1].idx, 1);
	ck_assert_int_eq(n->vars[3].idx, 3);
	ck_assert_int_eq(n->next.idx, 3);

	n = &f->nodes[3];
	ck_assert_int_eq(n->type, NODE_CHECK);
	ck_assert_str_eq(n->title, "Web service on ${host}");
	ck_assert_uint_eq(n->nchecks, 2);
	ck_assert_str_eq(n->checks[0].kind, "http");
	ck_assert_ptr_null(n->checks[0].label);
	ck_assert_uint_eq(n->checks[0].nparams, 4);
	ck_assert_str_eq(n->checks[0].params[0].key, "url");
	ck_assert_str_eq(n->checks[0].params[0].value,
			 "http://${host}:${port}/ClientWebService/client.asmx");
	ck_assert_str_eq(n->checks[0].params[1].key, "timeout");
	ck_assert_str_eq(n->checks[0].params[1].value, "10");
	ck_assert_str_eq(n->checks[1].kind, "tcp");
	ck_assert_str_eq(n->checks[1].label, "WSUS port");
	ck_assert_uint_eq(n->checks[1].nparams, 2);
	ck_assert_int_eq(n->checks[1].pos.line, 41);
	ck_assert_int_eq(n->checks[1].pos.col, 30);   /* at the kind key */
	ck_assert_uint_eq(n->nroutes, 4);
	const char *pats[] = {"ok", "refused", "http_5xx", "default"};
	const char *tgts[] = {"done", "fix", "fix", "escalate"};
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(n->routes[i].pattern, pats[i]);
		ck_assert_str_eq(n->routes[i].next.id, tgts[i]);
		ck_assert_int_eq(n->routes[i].next.idx, flow_node_index(f, tgts[i]));
	}
	ck_assert_int_eq(n->routes[2].pos.line, 45);
	ck_assert_int_eq(n->routes[2].pos.col, 7);

	n = &f->nodes[4];
	ck_assert_int_eq(n->type, NODE_CLASSIFY);
	ck_assert_uint_eq(n->nroutes, 4);
	ck_assert_str_eq(n->routes[3].pattern, "default");

	n = &f->nodes[5];
	ck_assert_int_eq(n->type, NODE_STEPS);
	ck_assert_uint_eq(n->nsteps, 2);
	ck_assert_str_eq(n->steps[0].text, "Start the WSUS service.");
	ck_assert_ptr_null(n->steps[0].why);
	ck_assert_str_eq(n->steps[1].why, "clears the app pool");
	ck_assert_int_eq(n->fixed.idx, 6);
	ck_assert_int_eq(n->not_fixed.idx, 7);

	ck_assert_int_eq(f->nodes[6].type, NODE_END);
	ck_assert_int_eq(f->nodes[6].result, END_RESOLVED);
	ck_assert_str_eq(f->nodes[6].text, "Fixed.");
	n = &f->nodes[7];
	ck_assert_int_eq(n->result, END_ESCALATE);
	ck_assert_uint_eq(n->ncollect, 2);
	ck_assert_str_eq(n->collect[1], "wsyncmgr.log");

	ck_assert_str_eq(flow_node_type_name(NODE_CLASSIFY), "classify");
	ck_assert_str_eq(flow_validate_name(VALIDATE_URL), "url");
	flow_free(f);
	free(path);
	diags_clear(&d);
}
END_TEST

START_TEST(test_unresolved_refs_load)
{
	/* cross-references are lint's: the loader keeps them with idx -1 */
	struct flow *f = load_ok("id: t\ntitle: T\nstart: nowhere\nnodes:\n"
				 "  a: {type: input, vars: [v], next: b}\n");
	ck_assert_int_eq(f->start.idx, -1);
	ck_assert_int_eq(f->nodes[0].next.idx, -1);
	ck_assert_int_eq(f->nodes[0].vars[0].idx, -1);
	flow_free(f);
}
END_TEST

START_TEST(test_syntax_error)
{
	/* an unterminated flow sequence: libyaml's problem text and mark */
	expect_error("id: t\ntitle: [a, b\nstart: a\n", 3, 6, "YAML syntax error:");
	expect_error("id: t\n  title: x\n", 2, 8, "mapping values are not allowed");
	/* the reader's own errors (bad UTF-8) carry an offset, turned into line:col */
	expect_error("id: t\ntitle: \xff\n", 2, 8, "YAML syntax error:");
}
END_TEST

START_TEST(test_max_visits)
{
	struct flow *f = load_ok(HEAD "  s: {type: steps, steps: [x], fixed: e, not_fixed: s, "
				 "max_visits: 3, on_max: e}\n");
	const struct flow_node *s = &f->nodes[1];
	ck_assert_int_eq(s->max_visits, 3);
	ck_assert_str_eq(s->on_max.id, "e");
	ck_assert_int_eq(s->on_max.idx, 0);
	ck_assert_int_eq(f->nodes[0].max_visits, 0);
	ck_assert_ptr_null(f->nodes[0].on_max.id);
	flow_free(f);
	expect_error(HEAD "  i: {type: info, next: e, max_visits: 0}\n", 6, 40,
		     "'max_visits' in node 'i' must be a whole number from 1 to 1000, not '0'");
	expect_error(HEAD "  i: {type: info, next: e, max_visits: 1001}\n", 6, 40, "from 1 to 1000");
	expect_error(HEAD "  i: {type: info, next: e, max_visits: [2]}\n", 6, 40, "not 'list'");
	expect_error(HEAD "  x: {type: end, result: resolved, max_visits: 2}\n", 6, 36,
		     "key 'max_visits' does not belong in end node 'x'");
}
END_TEST

START_TEST(test_unknown_keys)
{
	expect_error(HEAD "titel: x\n", 6, 1, "unknown key 'titel' at top level (did you mean 'title'?)");
	expect_error(HEAD "  intro:\n    type: info\n    nxt: e\n", 8, 5,
		     "unknown key 'nxt' in node 'intro' (did you mean 'next'?)");
	expect_error(HEAD "  q:\n    type: question\n    next: e\n", 8, 5,
		     "key 'next' does not belong in question node 'q'");
	expect_error("id: t\ntitle: T\nstart: e\nvars:\n  h: {promt: x}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 7,
		     "unknown key 'promt' in variable 'h' (did you mean 'prompt'?)");
	expect_error(HEAD "  q:\n    type: question\n    answers:\n      - {label: a, nxt: e}\n",
		     9, 20, "unknown key 'nxt' in answer 1 of node 'q'");
}
END_TEST

START_TEST(test_node_type)
{
	expect_error(HEAD "  q:\n    type: quesiton\n", 7, 11,
		     "unknown node type 'quesiton' in node 'q' (did you mean 'question'?)");
	expect_error(HEAD "  q:\n    text: hi\n", 6, 3, "node 'q' has no 'type'");
	expect_error(HEAD "  x: {type: end}\n", 6, 3, "end node 'x' has no 'result'");
	expect_error(HEAD "  x: {type: end, result: fine}\n", 6, 26,
		     "'result' in node 'x' must be resolved or escalate, not 'fine'");
}
END_TEST

/* A steps node's ask: (its question) and cannot: (a third way on); both optional and
 * only on steps nodes. */
START_TEST(test_steps_ask_cannot)
{
	struct flow *f = load_ok(HEAD "  s:\n    type: steps\n    steps: [a]\n    fixed: e\n"
				 "    not_fixed: e\n    cannot: e\n    ask: Does it answer now?\n");
	const struct flow_node *s = &f->nodes[flow_node_index(f, "s")];
	ck_assert_str_eq(s->cannot.id, "e");
	ck_assert_int_eq(s->cannot.idx, flow_node_index(f, "e"));
	ck_assert_str_eq(s->ask, "Does it answer now?");
	flow_free(f);
	f = load_ok(HEAD "  s: {type: steps, steps: [a], fixed: e, not_fixed: e}\n");
	ck_assert_ptr_null(f->nodes[flow_node_index(f, "s")].cannot.id);
	ck_assert_ptr_null(f->nodes[flow_node_index(f, "s")].ask);
	flow_free(f);
	expect_error(HEAD "  i: {type: info, next: e, cannot: e}\n", 6, 28,
		     "key 'cannot' does not belong in info node 'i'");
	expect_error(HEAD "  s: {type: steps, steps: [a], fixed: e, not_fixed: e, ask: [x]}\n", 6, 61,
		     "'ask' in node 's' must be a string");
}
END_TEST

/* Format 2: branch rules parsed at load (errors at the condition's column), set:,
 * capture:. */
START_TEST(test_branch_set_capture)
{
	/* line 9: "      - if: ..." plain: the text starts at col 13; quoted: col 14 */
	expect_error(HEAD "  b:\n    type: branch\n    when:\n      - if: ${x} == \n"
		     "        next: e\n    default: e\n", 9, 20, "condition of rule 1 of node 'b'");
	expect_error(HEAD "  b:\n    type: branch\n    when:\n      - if: \"${x} <> 1\"\n"
		     "        next: e\n    default: e\n", 9, 20, "condition of rule 1 of node 'b'");
	expect_error(HEAD "  b:\n    type: branch\n    when:\n      - {next: e}\n    default: e\n",
		     9, 9, "rule 1 of node 'b' has no 'if'");
	expect_error(HEAD "  c:\n    type: check\n    run:\n      - tcp: {host: h, port: \"1\"}\n"
		     "        capture: 1x\n    on: {default: e}\n", 10, 18, "'capture'");
	struct flow *f = load_ok(HEAD "  b:\n    type: branch\n    when:\n"
				 "      - {if: \"${x} == 'a'\", next: e}\n    default: e\n"
				 "    set: {x: \"v ${x}\"}\n"
				 "  q:\n    type: question\n    answers:\n"
				 "      - {label: A, next: b, set: {x: a}}\n"
				 "vars:\n  x: {}\n");
	const struct flow_node *b = &f->nodes[flow_node_index(f, "b")];
	ck_assert_int_eq(b->type, NODE_BRANCH);
	ck_assert_uint_eq(b->nrules, 1);
	ck_assert_ptr_nonnull(b->rules[0].expr);
	ck_assert_int_eq(b->rules[0].next.idx, flow_node_index(f, "e"));
	ck_assert_int_eq(b->def.idx, flow_node_index(f, "e"));
	ck_assert_uint_eq(b->nsets, 1);
	ck_assert_int_eq(b->sets[0].idx, 0);
	const struct flow_node *q = &f->nodes[flow_node_index(f, "q")];
	ck_assert_uint_eq(q->answers[0].nsets, 1);
	ck_assert_str_eq(q->answers[0].sets[0].value, "a");
	flow_free(f);
}
END_TEST

START_TEST(test_duplicates)
{
	expect_error("id: t\ntitle: T\nid: u\nstart: e\nnodes:\n  e: {type: end, result: resolved}\n",
		     3, 1, "duplicate key 'id' (first at line 1)");
	expect_error(HEAD "  a: {type: info, next: e}\n  e: {type: info, next: a}\n", 7, 3,
		     "duplicate node id 'e' (first at line 5)");
	expect_error(HEAD "  a: {type: info, next: e, next: a}\n", 6, 28,
		     "duplicate key 'next' (first at line 6)");
}
END_TEST

/* Nodes are made while the file is parsed (src/flow_load.c, struct streamed); what
 * comes out is what a whole tree gave: a duplicate's errors are not reported, more
 * nodes than the limit give one error, and the errors come in the order written per
 * top-level key. */
START_TEST(test_nodes_made_as_parsed)
{
	/* 20 nodes (a mapping too big to compare key by key), one id twice: the second
	 * definition is dropped with what is wrong in it */
	struct strbuf sb = {0};
	sb_add(&sb, "id: t\ntitle: T\nstart: n0\nvars: {v: {bogus: 1}}\nnodes:\n");
	for (int i = 0; i < 20; i++)
		sb_printf(&sb, "  n%d: {type: info, next: n%d}\n", i, i + 1);
	sb_add(&sb, "  n3: {type: info, wrong: 1}\n  n20: {type: end, result: resolved, odd: 1}\n"
	       "signatures: {s: {bad: 1}}\n");
	struct diags d = {0};
	ck_assert_ptr_null(flow_load_string("t.yaml", sb.s, sb.len, &d));
	char *all = test_diags_text(&d);
	ck_assert_msg(d.n == 5, "got:\n%s", all);
	/* parse errors first, then vars, nodes, signatures in the order written */
	ck_assert_msg(d.v[0].line == 26 && strstr(d.v[0].msg, "duplicate node id 'n3' (first at line 9)"), "%s", all);
	ck_assert_msg(d.v[1].line == 4 && strstr(d.v[1].msg, "unknown key 'bogus'"), "%s", all);
	ck_assert_msg(d.v[2].line == 27 && strstr(d.v[2].msg, "unknown key 'odd'"), "%s", all);
	ck_assert_msg(d.v[3].line == 28 && strstr(d.v[3].msg, "unknown key 'bad'"), "%s", all);
	ck_assert_msg(d.v[4].line == 28 && strstr(d.v[4].msg, "needs 'match' or 'regex'"), "%s", all);
	free(all);
	diags_clear(&d);
	sb_clear(&sb);

	/* a key that is not a string: that error only */
	expect_error(HEAD "  [a]: {type: info, wrong: 1}\n", 6, 3, "mapping keys must be plain strings");
	d = (struct diags){0};
	const char *listkey = HEAD "  [a]: {type: info, wrong: 1}\n";
	ck_assert_ptr_null(flow_load_string("t.yaml", listkey, strlen(listkey), &d));
	ck_assert_uint_eq(d.n, 1);
	diags_clear(&d);

	/* the limit: exactly FLOW_MAX_NODES load and resolve; one more gives one error */
	sb_add(&sb, "id: t\ntitle: T\nstart: n0\nnodes:\n");
	for (int i = 0; i < FLOW_MAX_NODES - 1; i++)
		sb_printf(&sb, "  n%d: {type: info, next: n%d}\n", i, i + 1);
	sb_printf(&sb, "  n%d: {type: end, result: resolved}\n", FLOW_MAX_NODES - 1);
	struct flow *f = load_ok(sb.s);
	ck_assert_uint_eq(f->nnodes, FLOW_MAX_NODES);
	ck_assert_int_eq(f->nodes[FLOW_MAX_NODES - 2].next.idx, FLOW_MAX_NODES - 1);
	ck_assert_str_eq(f->nodes[FLOW_MAX_NODES - 1].id, "n9999");
	flow_free(f);
	sb_add(&sb, "  extra: {type: info, wrong: 1}\n");
	ck_assert_ptr_null(flow_load_string("t.yaml", sb.s, sb.len, &d));
	all = test_diags_text(&d);
	ck_assert_msg(d.n == 1 && d.v[0].line == 5 && strstr(d.v[0].msg, "too many entries in 'nodes'"),
		      "got:\n%s", all);
	free(all);
	diags_clear(&d);
	sb_clear(&sb);
}
END_TEST

static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/tshoot-loader-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* One parse tells a flow from a training scenario: a scenario gives NULL and nothing
 * to report, even with what a flow would call errors; a flow what flow_load_file gives. */
START_TEST(test_flow_or_scenario)
{
	char *sc = write_temp("flow: x\nnodes:\n  a: {type: bogus}\nscenario: s\nextra: &a 1\n");
	struct diags d = {0};
	bool is = false;
	ck_assert_ptr_null(flow_load_file_or_scenario(sc, &d, &is));
	ck_assert(is);
	ck_assert_uint_eq(d.n, 0);
	ck_assert(scenario_is_file(sc));

	char *fl = write_temp(HEAD "  a: {type: info, next: e, wrong: 1}\nscenery: 1\n");
	struct diags d2 = {0};
	is = true;
	ck_assert_ptr_null(flow_load_file_or_scenario(fl, &d, &is));
	ck_assert(!is);
	ck_assert_ptr_null(flow_load_file(fl, &d2));
	ck_assert_uint_eq(d.n, 2);
	ck_assert_uint_eq(d2.n, d.n);
	for (size_t i = 0; i < d.n; i++) {
		ck_assert_str_eq(d.v[i].msg, d2.v[i].msg);
		ck_assert_int_eq(d.v[i].line, d2.v[i].line);
		ck_assert_int_eq(d.v[i].col, d2.v[i].col);
	}
	ck_assert(!scenario_is_file(fl));
	diags_clear(&d);
	diags_clear(&d2);

	/* a YAML error is the flow's to report, whatever the keys */
	char *bad = write_temp("scenario: [\n");
	ck_assert_ptr_null(flow_load_file_or_scenario(bad, &d, &is));
	ck_assert(!is);
	ck_assert(has_error(&d, 2, 1, "YAML syntax error"));
	diags_clear(&d);
	unlink(sc);
	unlink(fl);
	unlink(bad);
	free(sc);
	free(fl);
	free(bad);
}
END_TEST

/* The shared loader's stream hook (yamldoc.h): the entries of the first top-level
 * mapping of that key are handed over in order as each is complete, then are empty
 * values in the tree; a repeated key is handed over too and marked in the finished
 * mapping; a file and the same text give the same. */
struct seen_entries {
	struct strbuf sb;
	int n;
};

static void note_entry(void *ctx, const struct ynode *k, const struct ynode *v)
{
	struct seen_entries *se = ctx;
	se->n++;
	sb_printf(&se->sb, "%s=%s/%u;", k->skip ? "?" : k->s, ykind_name(v), (unsigned)v->n);
}

START_TEST(test_yamldoc_stream)
{
	const char *text = "a: 1\nitems:\n  x: [1, 2]\n  y: plain\n  x: {p: 1}\n  [l]: 2\nz: 2\n"
			   "items: {w: 1}\n";
	char *path = write_temp(text);
	for (int pass = 0; pass < 2; pass++) {
		struct seen_entries se = {0};
		struct yamldoc_stream st = {.key = "items", .entry = note_entry, .ctx = &se};
		struct diags d = {0};
		size_t errors = 0;
		bool fatal = true;
		struct ynode *root = pass ? yamldoc_parse_stream("t.yaml", text, strlen(text), &st, &d,
								 &errors, &fatal)
					  : yamldoc_load_stream(path, &st, &d, &errors, &fatal);
		ck_assert_ptr_nonnull(root);
		ck_assert(!fatal);
		ck_assert_str_eq(se.sb.s, "x=list/2;y=string/0;x=mapping/1;?=string/0;");
		/* errors: the list key, the repeated x, the repeated items */
		ck_assert_uint_eq(errors, 3);
		ck_assert(has_error(&d, 5, 3, "duplicate key 'x' (first at line 3)"));
		ck_assert(has_error(&d, 6, 3, "mapping keys must be plain strings"));
		ck_assert(has_error(&d, 8, 1, "duplicate key 'items' (first at line 2)"));
		ck_assert_ptr_eq(st.map, root->pairs[1].val);
		const struct ynode *m = st.map;
		ck_assert_uint_eq(m->n, 4);
		ck_assert(!m->pairs[0].key->skip && m->pairs[2].key->skip && m->pairs[3].key->skip);
		for (size_t i = 0; i < m->n; i++)
			ck_assert(m->pairs[i].val->kind == Y_SCALAR && m->pairs[i].val->null);
		ck_assert(!yamldoc_is_scenario(root));
		ynode_free(root);
		diags_clear(&d);
		sb_clear(&se.sb);
	}
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_alias_rejected)
{
	expect_error("id: &x t\ntitle: *x\nstart: e\nnodes:\n  e: {type: end, result: resolved}\n",
		     1, 5, "aliases are not supported");
	expect_error("id: t\ntitle: T\nstart: e\nnodes:\n  e: {type: end, result: resolved}\n"
		     "  f: *e\n", 6, 6, "aliases are not supported");
	/* billion laughs: rejected at the first anchor, quickly, without expanding */
	const char *lol = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
			  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c]\n";
	expect_error(lol, 1, 4, "aliases are not supported");
}
END_TEST

START_TEST(test_limits)
{
	/* nesting: 40 levels of flow sequences */
	struct strbuf sb = {0};
	sb_add(&sb, "id: t\ntitle: T\nstart: e\nx: ");
	for (int i = 0; i < 40; i++)
		sb_addc(&sb, '[');
	for (int i = 0; i < 40; i++)
		sb_addc(&sb, ']');
	sb_addc(&sb, '\n');
	/* the root mapping is level 1, so the 32nd '[' (column 4 + 31) is level 33 */
	expect_error(sb.s, 4, 35, "nesting deeper than 32 levels");
	sb_clear(&sb);

	/* a string over FLOW_MAX_STRING */
	sb_add(&sb, HEAD "  a: {type: info, next: e, text: \"");
	for (size_t i = 0; i <= FLOW_MAX_STRING; i++)
		sb_addc(&sb, 'x');
	sb_add(&sb, "\"}\n");
	expect_error(sb.s, 6, 34, "string longer than 65536 bytes");
	sb_clear(&sb);

	/* a whole file over FLOW_MAX_FILE_BYTES */
	size_t big = FLOW_MAX_FILE_BYTES + 1;
	char *buf = xmalloc(big);
	memset(buf, '#', big);
	struct diags d = {0};
	ck_assert_ptr_null(flow_load_string("big.yaml", buf, big, &d));
	ck_assert_uint_eq(d.n, 1);
	ck_assert_ptr_nonnull(strstr(d.v[0].msg, "file too large"));
	diags_clear(&d);
	free(buf);

	/* too many answers in one node */
	sb_add(&sb, HEAD "  q:\n    type: question\n    answers:\n");
	for (int i = 0; i <= FLOW_MAX_ITEMS; i++)
		sb_add(&sb, "      - {label: a, next: e}\n");
	expect_error(sb.s, 9, 7, "too many items in 'answers'");
	sb_clear(&sb);
}
END_TEST

/* The one error a deeply nested file gets, at the 33rd level, soon after t0. */
static void expect_deep(const char *path, const struct diags *d, long long t0)
{
	long long ms = now_ms() - t0;
	ck_assert_msg(ms < slack_ms(1000), "took %lld ms", ms);
	char *all = test_diags_text(d);
	ck_assert_msg(d->n == 1 && d->v[0].line == 1 && d->v[0].col == 33 &&
		      strstr(d->v[0].msg, "nesting deeper than 32 levels") && !strcmp(d->v[0].file, path),
		      "got:\n%s", all);
	free(all);
}

START_TEST(test_deep_file_refused_early)
{
	/* 4 MiB of '[': refused while parsing, by the flow loader and by the loader of
	 * answers and scenarios (libyaml alone takes minutes over it) */
	char path[] = "/tmp/tshoot-deep-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	char *buf = xmalloc(FLOW_MAX_FILE_BYTES);
	memset(buf, '[', FLOW_MAX_FILE_BYTES);
	ck_assert_int_eq(write(fd, buf, FLOW_MAX_FILE_BYTES), (ssize_t)FLOW_MAX_FILE_BYTES);
	close(fd);
	free(buf);

	struct diags d = {0};
	long long t0 = now_ms();
	ck_assert_ptr_null(flow_load_file(path, &d));
	expect_deep(path, &d, t0);
	diags_clear(&d);

	size_t errors = 0;
	t0 = now_ms();
	ck_assert_ptr_null(yamldoc_load(path, &d, &errors));
	ck_assert_uint_eq(errors, 1);
	expect_deep(path, &d, t0);
	diags_clear(&d);

	t0 = now_ms();
	ck_assert_ptr_null(scenario_load(path, &d));
	expect_deep(path, &d, t0);
	diags_clear(&d);

	t0 = now_ms();
	ck_assert(!scenario_is_file(path));
	ck_assert_int_lt(now_ms() - t0, slack_ms(1000));

	/* 32 levels are still fine */
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("scenario: x\ny: ", fp);
	for (int i = 0; i < 31; i++)
		fputc('[', fp);
	for (int i = 0; i < 31; i++)
		fputc(']', fp);
	fputc('\n', fp);
	fclose(fp);
	errors = 0;
	struct ynode *root = yamldoc_load(path, &d, &errors);
	ck_assert_ptr_nonnull(root);
	ynode_free(root);
	ck_assert_uint_eq(errors, 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert(scenario_is_file(path));
	unlink(path);
}
END_TEST

START_TEST(test_bad_values)
{
	/* bad regex at the regex's position */
	expect_error("id: t\ntitle: T\nstart: e\nsignatures:\n  s: {regex: \"a(b\"}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 14, "bad regex in signature 's':");
	/* regexes that would cost gigabytes or exponential time are refused */
	expect_error("id: t\ntitle: T\nstart: e\nsignatures:\n  s: {regex: \"a{1,32767}\"}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 14, "repeats more than 255 times");
	expect_error("id: t\ntitle: T\nstart: e\nsignatures:\n  s: {regex: \"((a{1,100}){1,100}){1,100}\"}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 14, "product is over 10000");
	expect_error("id: t\ntitle: T\nstart: e\nsignatures:\n  s: {regex: \"(.*)(.*)\\\\2\\\\1x\"}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 14, "back-reference");
	/* a group that repeats inside, itself repeated without bound: (a+)+ and kin */
	static const char *const nested[] = {"(a+)+", "(a*)*", "(a+)*x", "((a|b)+c)+", "(x{2,}y){1,}",
					     "([[:space:]]+foo)*", "(a{1,5})+"};
	for (size_t i = 0; i < sizeof nested / sizeof *nested; i++) {
		char *y = xasprintf("id: t\ntitle: T\nstart: e\nsignatures:\n  s: {regex: \"%s\"}\nnodes:\n"
				    "  e: {type: end, result: resolved}\n", nested[i]);
		expect_error(y, 5, 14, "repeats a group that itself repeats, as (a+)+");
		free(y);
	}
	/* ... while ordinary bounds, braces in a bracket expression, a group repeated a
	 * bounded number of times and one whose inside does not repeat are fine */
	struct flow *okf = load_ok("id: t\ntitle: T\nstart: e\nsignatures:\n"
				   "  s: {regex: \"0x8007[0-9A-F]{4}|HTTP [Ss]tatus 40[17]|[{}]{2}\"}\n"
				   "  ip: {regex: \"([0-9]+[.]){3}[0-9]+\"}\n"
				   "  alt: {regex: \"(ab|cd?)+e|[(]a+[)]+|\\\\(a+\\\\)+\"}\nnodes:\n"
				   "  e: {type: end, result: resolved}\n");
	ck_assert(flow_sig_match(&okf->sigs[0], "failed with 0x80072EFE"));
	ck_assert(!flow_sig_match(&okf->sigs[0], "HTTP status 402"));
	ck_assert(flow_sig_match(&okf->sigs[1], "proxy 10.0.0.5 refused"));
	ck_assert(flow_sig_match(&okf->sigs[2], "x abcde"));
	flow_free(okf);
	expect_error("id: t\ntitle: T\nstart: e\nsignatures:\n  s: {match: a, regex: b}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 17, "has both 'match' and 'regex'");
	expect_error("id: t\ntitle: T\nstart: e\nsignatures:\n  s: \"\"\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 6, "signature 's' is empty");
	/* bad bool */
	expect_error("id: t\ntitle: T\nstart: e\nvars:\n  h: {secret: maybe}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 15,
		     "'secret' in variable 'h' must be true or false, not 'maybe'");
	/* bad validate and a default that fails its own validation */
	expect_error("id: t\ntitle: T\nstart: e\nvars:\n  h: {validate: hostnme}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 17,
		     "unknown validate 'hostnme' in variable 'h'");
	expect_error("id: t\ntitle: T\nstart: e\nvars:\n  p: {default: 99999, validate: port}\n"
		     "nodes:\n  e: {type: end, result: resolved}\n", 5, 16,
		     "default '99999' of variable 'p': port must be a number");
	/* a secret default is never echoed */
	struct diags d = {0};
	const char *y = "id: t\ntitle: T\nstart: e\nvars:\n  p: {default: hunter2, validate: port, "
			"secret: true}\nnodes:\n  e: {type: end, result: resolved}\n";
	ck_assert_ptr_null(flow_load_string("t.yaml", y, strlen(y), &d));
	ck_assert_uint_eq(d.n, 1);
	ck_assert_ptr_null(strstr(d.v[0].msg, "hunter2"));
	diags_clear(&d);
	expect_error("id: t\ntitle: T\nstart: e\nvars:\n  bad-name: {}\nnodes:\n"
		     "  e: {type: end, result: resolved}\n", 5, 3, "variable name 'bad-name' is not valid");
}
END_TEST

START_TEST(test_wrong_shapes)
{
	expect_error("id: t\ntitle: T\nstart: e\nnodes:\n  - e\n", 5, 3,
		     "'nodes' at top level must be a mapping, not a list");
	expect_error(HEAD "  q: {type: question, answers: {label: a}}\n", 6, 32,
		     "'answers' in a question node must be a list, not a mapping");
	expect_error(HEAD "  a: {type: info, next: [e]}\n", 6, 25,
		     "'next' in node 'a' must be a string, not a list");
	expect_error(HEAD "  a: [type, info]\n", 6, 6, "node 'a' must be a mapping");
	expect_error(HEAD "  q: {type: question, answers: [{next: e}]}\n", 6, 33,
		     "answer 1 of node 'q' has no 'label'");
	expect_error(HEAD "  c:\n    type: check\n    run:\n      - {http: {url: x}, tcp: {host: h}}\n",
		     9, 26, "names two kinds, 'http' and 'tcp'");
	expect_error(HEAD "  c:\n    type: check\n    run:\n      - {label: x}\n", 9, 9,
		     "names no check kind");
	expect_error(HEAD "  c:\n    type: check\n    run:\n      - http: {url: [x]}\n", 9, 21,
		     "parameter 'url' of http check in node 'c' must be a string, not a list");
	expect_error(HEAD "  c:\n    type: check\n    run:\n      - http: url\n", 9, 15,
		     "'http' of http check in node 'c' must be a mapping, not a string");
	expect_error("- a\n- b\n", 1, 1, "the top level must be a mapping");
	expect_error("", 1, 1, "empty file");
	expect_error("# only a comment\n", 1, 1, "empty file");
	expect_error("id: t\n", 1, 1, "missing 'title'");
	expect_error("id: t\ntitle: T\nnodes:\n  e: {type: end, result: resolved}\n", 1, 1,
		     "missing 'start'");
	expect_error("id: t\ntitle: T\nstart: e\nnodes: {}\n---\nid: u\n", 5, 1,
		     "more than one YAML document");
}
END_TEST

START_TEST(test_collects_many_errors)
{
	struct diags d = {0};
	char *path = test_flow_path("bad-keys.yaml");
	ck_assert_ptr_null(flow_load_file(path, &d));
	char *all = test_diags_text(&d);
	ck_assert_msg(d.n >= 5, "expected several errors, got:\n%s", all);
	ck_assert(has_error(&d, 4, 1, "unknown key 'titel' at top level (did you mean 'title'?)"));
	ck_assert(has_error(&d, 8, 5, "unknown key 'nxt' in node 'a' (did you mean 'next'?)"));
	ck_assert(has_error(&d, 14, 11, "unknown node type 'quesiton'"));
	ck_assert(has_error(&d, 15, 3, "node 'd' has no 'type'"));
	ck_assert_str_eq(d.v[0].file, path);
	/* the printed form is compiler-style */
	char *line = diag_format(&d.v[0]);
	char *want = xasprintf("%s:4:1: error: unknown key 'titel'", path);
	ck_assert_msg(str_starts(line, want), "%s", line);
	free(line);
	free(want);
	free(all);
	diags_clear(&d);
	free(path);

	ck_assert_ptr_null(flow_load_file("/nonexistent/x.yaml", &d));
	ck_assert_uint_eq(d.n, 1);
	ck_assert_ptr_nonnull(strstr(d.v[0].msg, "cannot open"));
	diags_clear(&d);
	ck_assert_ptr_null(flow_load_file("/", &d));
	ck_assert_uint_eq(d.n, 1);
	diags_clear(&d);
}
END_TEST

/* A small deterministic generator: the test is the same on every run. */
static uint32_t rng_state;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

START_TEST(test_garbage_never_crashes)
{
	char *path = test_flow_path("good-min.yaml");
	FILE *fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	char seed[8192];
	size_t seedlen = fread(seed, 1, sizeof(seed), fp);
	fclose(fp);
	free(path);
	ck_assert_uint_gt(seedlen, 100);
	static const char special[] = "{}[]:,-?&*!|>'\"%@`#\n\t \\$~";
	char *buf = xmalloc(sizeof(seed) * 2 + 64);
	rng_state = 0x2545f491u;
	size_t loaded = 0, rejected = 0;
	for (int iter = 0; iter < 4000; iter++) {
		size_t len;
		if (iter % 10 == 9) {
			/* pure random bytes */
			len = rng() % 512;
			for (size_t i = 0; i < len; i++)
				buf[i] = (char)(rng() & 0xff);
		} else {
			memcpy(buf, seed, seedlen);
			len = seedlen;
			int nmut = 1 + (int)(rng() % 6);
			for (int m = 0; m < nmut && len > 2; m++) {
				size_t at = rng() % len;
				switch (rng() % 5) {
				case 0:
					buf[at] = special[rng() % (sizeof(special) - 1)];
					break;
				case 1:
					buf[at] = (char)(rng() & 0xff);
					break;
				case 2: {       /* delete a run */
					size_t n = 1 + rng() % 16;
					if (at + n > len)
						n = len - at;
					memmove(buf + at, buf + at + n, len - at - n);
					len -= n;
					break;
				}
				case 3: {       /* duplicate a run (grows at most 32 per mutation) */
					size_t n = 1 + rng() % 32;
					if (at + n > len)
						n = len - at;
					if (len + n > sizeof(seed) * 2)
						break;
					memmove(buf + at + n, buf + at, len - at);
					len += n;
					break;
				}
				default:        /* swap indentation */
					buf[at] = buf[at] == ' ' ? '\t' : ' ';
					break;
				}
			}
		}
		struct diags d = {0};
		struct flow *f = flow_load_string("fuzz.yaml", buf, len, &d);
		if (f) {
			loaded++;
			ck_assert_uint_eq(diags_count(&d, DIAG_ERROR), 0);
		} else {
			rejected++;
			ck_assert_uint_gt(diags_count(&d, DIAG_ERROR), 0);   /* never silently */
		}
		for (size_t i = 0; i < d.n; i++)
			ck_assert(d.v[i].line >= 0 && d.v[i].col >= 0);
		flow_free(f);
		diags_clear(&d);
	}
	ck_assert_uint_gt(rejected, 0);
	ck_assert_uint_gt(loaded, 0);
	free(buf);
}
END_TEST

START_TEST(test_sig_match)
{
	struct flow_sig s = {.id = "x", .text = "Sync  failed:\tWSUS server"};
	ck_assert(flow_sig_match(&s, "12:00 sync failed: wsus server not configured"));
	ck_assert(flow_sig_match(&s, "SYNC FAILED:   WSUS\r\n  SERVER"));
	ck_assert(!flow_sig_match(&s, "sync failed:WSUS server"));   /* the space is required */
	ck_assert(!flow_sig_match(&s, "sync failed: WSUS serve"));
	ck_assert(!flow_sig_match(&s, ""));
	ck_assert(!flow_sig_match(&s, NULL));
	struct flow_sig e = {.id = "e", .text = "   "};
	ck_assert(!flow_sig_match(&e, "anything"));                 /* empty matches nothing */

	struct flow_sig r = {.id = "r", .text = "HTTP status 40[57]", .is_regex = true};
	ck_assert_int_eq(regcomp(&r.re, r.text, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
	ck_assert(flow_sig_match(&r, "The request failed with HTTP status 407: Proxy "
				 "Authentication Required."));
	ck_assert(flow_sig_match(&r, "http STATUS 405"));
	ck_assert(!flow_sig_match(&r, "HTTP status 404"));
	regfree(&r.re);

	/* the loaded forms behave the same */
	struct flow *f = load_ok("id: t\ntitle: T\nstart: e\nsignatures:\n"
				 "  a: \"Proxy  Authentication Required\"\n"
				 "  b: {regex: \"HTTP [Ss]tatus 407\"}\n"
				 "nodes:\n  e: {type: end, result: resolved}\n");
	ck_assert(flow_sig_match(&f->sigs[0], "HTTP Status 407 proxy authentication required"));
	ck_assert(flow_sig_match(&f->sigs[1], "failed with HTTP status 407: Proxy"));
	ck_assert(!flow_sig_match(&f->sigs[1], "HTTP status 408"));
	flow_free(f);
}
END_TEST

START_TEST(test_var_check)
{
	struct flow_var v = {.name = "v", .prompt = "v"};
	ck_assert_ptr_nonnull(flow_var_check(&v, ""));       /* not optional: required */
	ck_assert_ptr_nonnull(flow_var_check(&v, "  "));
	ck_assert_ptr_nonnull(flow_var_check(&v, NULL));
	ck_assert_ptr_null(flow_var_check(&v, "anything at all"));
	v.optional = true;
	ck_assert_ptr_null(flow_var_check(&v, ""));
	v.optional = false;

	v.validate = VALIDATE_NONEMPTY;
	ck_assert_ptr_nonnull(flow_var_check(&v, ""));
	ck_assert_ptr_null(flow_var_check(&v, "x"));

	v.validate = VALIDATE_HOSTNAME;
	ck_assert_ptr_null(flow_var_check(&v, "wsus01.corp.example.com"));
	ck_assert_ptr_null(flow_var_check(&v, "10.0.0.5"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "bad host"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "-bad.example.com"));
	ck_assert_str_eq(flow_var_check(&v, "https://sup.example.com/x"), "enter a host name, not a URL");
	v.optional = true;
	ck_assert_ptr_null(flow_var_check(&v, ""));          /* optional and empty: fine */
	ck_assert_ptr_nonnull(flow_var_check(&v, "bad host")); /* but validated when given */
	v.optional = false;

	v.validate = VALIDATE_PORT;
	ck_assert_ptr_null(flow_var_check(&v, "8530"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "0"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "65536"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "85a"));

	v.validate = VALIDATE_URL;
	ck_assert_ptr_null(flow_var_check(&v, "http://wsus:8530/"));
	ck_assert_ptr_null(flow_var_check(&v, "https://wsus.example.com:8531/x"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "ftp://wsus/"));
	ck_assert_ptr_nonnull(flow_var_check(&v, "not a url"));

	v.secret = true;                                     /* secrets are validated too */
	ck_assert_ptr_nonnull(flow_var_check(&v, "not a url"));
}
END_TEST

START_TEST(test_find)
{
	char *path = test_flow_path("good-min.yaml");
	char *got = flow_find(path);
	ck_assert_str_eq(got, path);
	free(got);
	free(path);
	ck_assert_ptr_null(flow_find("no/such/dir/x.yaml"));
	ck_assert_ptr_null(flow_find(""));
	ck_assert_ptr_null(flow_find(".."));

	/* an id is looked up under $XDG_DATA_HOME/tshoot/flows, with or without .yaml */
	char dir[] = "/tmp/tshoot-loader.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *flows = xasprintf("%s/tshoot/flows", dir);
	char *sub = xasprintf("%s/tshoot", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(mkdir(flows, 0700), 0);
	char *file = xasprintf("%s/zz-test-flow.yaml", flows);
	FILE *fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("id: zz\n", fp);
	fclose(fp);
	setenv("XDG_DATA_HOME", dir, 1);
	got = flow_find("zz-test-flow");
	ck_assert_str_eq(got, file);
	free(got);
	got = flow_find("zz-test-flow.yaml");
	ck_assert_str_eq(got, file);
	free(got);
	ck_assert_ptr_null(flow_find("zz-no-such-flow"));
	unlink(file);
	rmdir(flows);
	rmdir(sub);
	rmdir(dir);
	free(file);
	free(flows);
	free(sub);
}
END_TEST

/* Write text to path; the test fails when it cannot. */
static void put_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* The catalogue (src/flow_catalog.h) is the one place flows and scenarios are found:
 * a scenario's flow next to its directory, then in it, then installed; the lists take
 * *.yaml only, as tshoot(1) FILES says, and read an id from a file name as flow_find
 * does. */
START_TEST(test_catalog)
{
	char dir[] = "/tmp/tshoot-catalog.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *data = xasprintf("%s/data", dir), *tshoot = xasprintf("%s/data/tshoot", dir);
	char *flows = xasprintf("%s/data/tshoot/flows", dir);
	char *train = xasprintf("%s/data/tshoot/flows/training", dir);
	const char *mk[] = {data, tshoot, flows, train};
	for (size_t i = 0; i < ARRAY_LEN(mk); i++)
		ck_assert_int_eq(mkdir(mk[i], 0700), 0);
	setenv("XDG_DATA_HOME", data, 1);
#define CATALOG_FLOW(id) "id: " id "\ntitle: T\nstart: e\nnodes:\n  e: {type: end, result: resolved}\n"
	char *near = xasprintf("%s/near.yaml", flows), *inside = xasprintf("%s/inside.yaml", train);
	char *yml = xasprintf("%s/other.yml", flows), *dotted = xasprintf("%s/a.b.yaml", flows);
	char *scen = xasprintf("%s/s.yaml", train);
	put_file(near, CATALOG_FLOW("near"));
	put_file(inside, CATALOG_FLOW("inside"));
	put_file(yml, CATALOG_FLOW("other"));
	put_file(dotted, "not: [a flow\n");
	put_file(scen, "scenario: s\ntitle: S\nflow: near\n");

	char *got = flow_find_for_scenario(scen, "near");             /* next to training/ */
	ck_assert_str_eq(got, near);
	free(got);
	got = flow_find_for_scenario(scen, "inside");                 /* in training/ */
	ck_assert_str_eq(got, inside);
	free(got);
	got = flow_find_for_scenario(scen, "near.yaml");              /* a relative path */
	ck_assert_str_eq(got, near);
	free(got);
	got = flow_find_for_scenario(scen, near);                     /* an absolute one */
	ck_assert_str_eq(got, near);
	free(got);
	ck_assert_ptr_null(flow_find_for_scenario(scen, "/no/such/flow.yaml"));
	ck_assert_ptr_null(flow_find_for_scenario(scen, "no-such-flow"));
	ck_assert_ptr_null(flow_find("other"));                     /* ID.yaml only */
	got = flow_find_for_scenario("/elsewhere/training/x.yaml", "near");   /* installed */
	ck_assert_str_eq(got, near);
	free(got);

	size_t n;
	struct flow_entry *v = flow_catalog(&n);
	bool saw_near = false, saw_other = false, saw_dotted = false;
	for (size_t i = 0; i < n; i++) {
		saw_near |= str_eq(v[i].id, "near") && str_eq(v[i].path, near);
		saw_other |= str_eq(v[i].id, "other");
		saw_dotted |= str_eq(v[i].id, "a.b") && str_eq(v[i].path, dotted);   /* by its file name */
		ck_assert_ptr_null(v[i].flow);
	}
	ck_assert(saw_near && !saw_other && saw_dotted);
	flow_entries_free(v, n);
	v = flow_scenario_catalog(&n);
	bool saw_s = false;
	for (size_t i = 0; i < n; i++)
		saw_s |= str_eq(v[i].id, "s") && str_eq(v[i].title, "S") && str_eq(v[i].flow, "near") &&
			 str_eq(v[i].path, scen);
	ck_assert(saw_s);
	flow_entries_free(v, n);

	const char *rm[] = {near, inside, yml, dotted, scen, train, flows, tshoot, data, dir};
	for (size_t i = 0; i < ARRAY_LEN(rm); i++)
		ck_assert_int_eq(remove(rm[i]), 0);
	free(near);
	free(inside);
	free(yml);
	free(dotted);
	free(scen);
	free(train);
	free(flows);
	free(tshoot);
	free(data);
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good_flow);
	tcase_add_test(tc, test_catalog);
	tcase_add_test(tc, test_unresolved_refs_load);
	tcase_add_test(tc, test_syntax_error);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_max_visits);
	tcase_add_test(tc, test_node_type);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_nodes_made_as_parsed);
	tcase_add_test(tc, test_flow_or_scenario);
	tcase_add_test(tc, test_yamldoc_stream);
	tcase_add_test(tc, test_alias_rejected);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_deep_file_refused_early);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_wrong_shapes);
	tcase_add_test(tc, test_collects_many_errors);
	tcase_add_test(tc, test_garbage_never_crashes);
	tcase_add_test(tc, test_sig_match);
	tcase_add_test(tc, test_var_check);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_branch_set_capture);
	tcase_add_test(tc, test_steps_ask_cannot);
	suite_add_tcase(s, tc);
	return test_main(s);
}
