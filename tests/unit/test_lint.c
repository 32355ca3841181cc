/* test_lint.c — lint rules (src/lint.c), one small flow per rule, each diagnostic at
 * its line:col; a clean flow gives nothing; graph_write renders with dot. */
#include <check.h>
#include <fcntl.h>
#include <locale.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/lint.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

extern char **environ;

/* Load (must succeed) and lint yaml; the diagnostics are returned in *d. */
static struct flow *lint_yaml(const char *yaml, struct diags *d)
{
	struct flow *f = flow_load_string("l.yaml", yaml, strlen(yaml), d);
	char *all = test_diags_text(d);
	ck_assert_msg(f != NULL, "did not load:\n%s", all);
	free(all);
	lint_flow(f, d);
	return f;
}

static bool has(const struct diags *d, enum diag_sev sev, int line, int col, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == sev && d->v[i].line == line && d->v[i].col == col &&
		    strstr(d->v[i].msg, want))
			return true;
	return false;
}

#define EXPECT(d, sev, line, col, want) do { \
	char *all_ = test_diags_text(d); \
	ck_assert_msg(has((d), (sev), (line), (col), (want)), \
		      "want l.yaml:%d:%d: %s: ...%s...\ngot:\n%s", (line), (col), \
		      (sev) == DIAG_ERROR ? "error" : "warning", (want), all_); \
	free(all_); \
} while (0)

#define EXPECT_COUNT(d, sev, n) do { \
	char *all_ = test_diags_text(d); \
	ck_assert_msg(diags_count((d), (sev)) == (n), "want %d %s, got:\n%s", (n), \
		      (sev) == DIAG_ERROR ? "errors" : "warnings", all_); \
	free(all_); \
} while (0)

/* Line 1-4; nodes start on line 5. */
#define HEAD "id: t\ntitle: T\nstart: a\nnodes:\n"

START_TEST(test_clean_flow)
{
	struct diags d = {0};
	char *path = test_flow_path("good-min.yaml");
	struct flow *f = flow_load_file(path, &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(lint_flow(f, &d), 0);
	char *all = test_diags_text(&d);
	ck_assert_msg(d.n == 0, "a clean flow gave diagnostics:\n%s", all);
	free(all);
	flow_free(f);
	diags_clear(&d);

	/* lint_file prints nothing and returns 0 */
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ck_assert_uint_eq(lint_file(path, m), 0);
	fclose(m);
	ck_assert_str_eq(buf, "");
	free(buf);
	free(path);
}
END_TEST

START_TEST(test_start)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: intro\nnodes:\n"
				   "  intr: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 3, 8, "start 'intro' names no node (did you mean 'intr'?)");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_missing_nodes)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: question\n"
		"    answers:\n"
		"      - {label: Yes, next: b}\n"                  /* 8 */
		"      - {label: No, next: nope}\n"                /* 9 */
		"  b: {type: info, next: gone}\n"                  /* 10 */
		"  c:\n"
		"    type: steps\n"
		"    steps: [x]\n"
		"    fixed: e\n"
		"    not_fixed: ee\n"                              /* 15 */
		"    cannot: ef\n"                                 /* 16 */
		"    ask: Is ${nope} up?\n"                        /* 17 */
		"  d:\n"
		"    type: classify\n"
		"    on: {default: missing}\n"                     /* 20 */
		"  e: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 9, 27, "node 'a': answer 'No': next 'nope' names no node");
	EXPECT(&d, DIAG_ERROR, 10, 25, "node 'b': next 'gone' names no node");
	EXPECT(&d, DIAG_ERROR, 15, 16, "node 'c': not_fixed 'ee' names no node");
	EXPECT(&d, DIAG_ERROR, 16, 13, "node 'c': cannot 'ef' names no node");
	EXPECT(&d, DIAG_ERROR, 11, 3, "node 'c': ${nope} in ask names no variable");
	EXPECT(&d, DIAG_ERROR, 20, 19, "node 'd': route 'default': next 'missing' names no node");
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_dead_ends_each_type)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a: {type: info, text: hi}\n"                    /* 5 */
		"  b: {type: question}\n"                          /* 6 */
		"  c: {type: input, vars: [v]}\n"                  /* 7 */
		"  d: {type: check, run: [{tcp: {host: h, port: 1}}]}\n"   /* 8 */
		"  e: {type: classify}\n"                          /* 9 */
		"  f: {type: steps, steps: [x], fixed: z}\n"       /* 10 */
		"  g: {type: question, answers: [{label: x}]}\n"   /* 11 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 5, 3, "node 'a': dead end: info node has no 'next'");
	EXPECT(&d, DIAG_ERROR, 6, 3, "node 'b': dead end: question has no answers");
	EXPECT(&d, DIAG_ERROR, 7, 3, "node 'c': dead end: input node has no 'next'");
	EXPECT(&d, DIAG_ERROR, 8, 3, "node 'd': dead end: check node has no routes");
	EXPECT(&d, DIAG_ERROR, 9, 3, "node 'e': dead end: classify node has no routes");
	EXPECT(&d, DIAG_ERROR, 10, 3, "node 'f': dead end: steps node has no 'not_fixed'");
	EXPECT(&d, DIAG_ERROR, 11, 33, "node 'g': dead end: answer 'x' has no 'next'");
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_variables)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: a\n"
		"vars:\n"
		"  host: {prompt: Host}\n"                         /* 5 */
		"  port: {prompt: Port}\n"                         /* 6 */
		"  spare: {prompt: never used}\n"                  /* 7 */
		"nodes:\n"
		"  a:\n"                                           /* 9 */
		"    type: input\n"
		"    title: \"Where is ${hots}?\"\n"
		"    vars: [host, prot]\n"                         /* 12 */
		"    next: b\n"
		"  b:\n"                                           /* 14 */
		"    type: check\n"
		"    run:\n"
		"      - tcp: {host: \"${host}\", port: \"${port\"}\n"   /* 17 */
		"    on: {default: c}\n"
		"  c:\n"                                           /* 19 */
		"    type: steps\n"
		"    steps:\n"
		"      - \"Literal $${not_a_var} and ${port} and $5\"\n"   /* 22 */
		"      - \"Unknown ${nope}\"\n"                    /* 23 */
		"    fixed: z\n"
		"    not_fixed: z\n"
		"  z: {type: end, result: resolved, text: \"${host} ok\"}\n", &d);
	EXPECT(&d, DIAG_ERROR, 12, 18, "node 'a': variable 'prot' is not declared in 'vars' "
	       "(did you mean 'port'?)");
	EXPECT(&d, DIAG_ERROR, 9, 3, "node 'a': ${hots} in title names no variable (did you "
	       "mean 'host'?)");
	EXPECT(&d, DIAG_ERROR, 17, 32, "node 'b': malformed '${' in parameter 'port'");
	EXPECT(&d, DIAG_ERROR, 23, 9, "node 'c': ${nope} in a step names no variable");
	EXPECT(&d, DIAG_WARNING, 7, 3, "variable 'spare' is never used");
	EXPECT_COUNT(&d, DIAG_ERROR, 4);
	EXPECT_COUNT(&d, DIAG_WARNING, 1);   /* port is used by ${port} in a step */
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* lint reads ${...} as the expander does (src/template.h): a name the loader would not
 * take as a variable name is a malformed '${', not a reference to a missing variable. */
START_TEST(test_template_names)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: z\n"
		"vars:\n"
		"  host: {prompt: Host}\n"
		"nodes:\n"
		"  z: {type: end, result: resolved, text: \"${host} ${1host} ${ho-st} ${ho.st}\"}\n", &d);
	EXPECT(&d, DIAG_ERROR, 7, 3, "node 'z': malformed '${' in text");
	EXPECT_COUNT(&d, DIAG_ERROR, 3);
	EXPECT_COUNT(&d, DIAG_WARNING, 0);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* Loops (tshoot-flow(5), LOOPS): max_visits and on_max come together and name nodes; a
 * loop with no max_visits warns, one with it does not. */
START_TEST(test_loops)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a: {type: question, answers: [{label: again, next: a}, {label: done, next: z}]}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_WARNING, 5, 3, "node 'a': loop with no max_visits: 'a'");
	EXPECT_COUNT(&d, DIAG_ERROR, 0);
	flow_free(f);
	diags_clear(&d);

	f = lint_yaml(HEAD
		"  a: {type: question, max_visits: 3, on_max: y,\n"
		"      answers: [{label: again, next: a}, {label: done, next: z}]}\n"
		"  z: {type: end, result: resolved}\n"
		"  y: {type: end, result: escalate}\n", &d);
	EXPECT_COUNT(&d, DIAG_ERROR, 0);
	EXPECT_COUNT(&d, DIAG_WARNING, 0);
	flow_free(f);
	diags_clear(&d);

	f = lint_yaml(HEAD
		"  a: {type: info, max_visits: 2, next: b}\n"     /* 5 */
		"  b: {type: info, on_max: z, next: c}\n"         /* 6 */
		"  c: {type: info, max_visits: 1, on_max: zz, next: d}\n"   /* 7 */
		"  d: {type: info, max_visits: 1, on_max: d, next: z}\n"    /* 8 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 5, 3, "node 'a': max_visits without on_max");
	EXPECT(&d, DIAG_ERROR, 6, 27, "node 'b': on_max without max_visits");
	EXPECT(&d, DIAG_ERROR, 7, 42, "node 'c': on_max 'zz' names no node");
	EXPECT(&d, DIAG_ERROR, 8, 42, "node 'd': on_max leads back to the node itself");
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* Format 2: a branch needs a default; condition references name variables or capture
 * labels (at their column); set: names declared variables; edges reach rule targets. */
START_TEST(test_branch_lint)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                              /* 5 */
		"    type: check\n"
		"    run:\n"
		"      - tcp: {host: h, port: \"1\"}\n"
		"        capture: svc\n"
		"    on: {default: b}\n"                              /* 10 */
		"  b:\n"
		"    type: branch\n"
		"    when:\n"
		"      - if: ${svc.outcome} == 'ok' && ${nope} == 'x'\n"
		"        next: r\n"                                   /* 15 */
		"      - if: \"${other.fact} == 'x'\"\n"
		"        next: r\n"
		"    set: {y: \"${svc.address}\"}\n"
		"  r: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 11, 3, "node 'b': branch node has no 'default'");
	EXPECT(&d, DIAG_ERROR, 14, 39, "${nope} in the condition of rule 1 names no variable");
	EXPECT(&d, DIAG_ERROR, 16, 14, "${other.fact} in the condition of rule 2 names no capture");
	EXPECT(&d, DIAG_ERROR, 18, 11, "set: 'y' is not declared in 'vars'");
	EXPECT_COUNT(&d, DIAG_ERROR, 4);
	EXPECT_COUNT(&d, DIAG_WARNING, 0);                  /* r is reached by the rules */
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_cycles)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: question\n"
		"    answers:\n"
		"      - {label: loop, next: b}\n"
		"      - {label: out, next: z}\n"
		"  b: {type: info, next: c}\n"                     /* 10 */
		"  c:\n"                                           /* 11 */
		"    type: question\n"
		"    answers:\n"
		"      - {label: again, next: b}\n"
		"      - {label: back, next: c}\n"
		"  z: {type: end, result: escalate}\n", &d);
	/* b <-> c (and c -> c) never reach z; a has a way out */
	EXPECT(&d, DIAG_ERROR, 10, 3, "node 'b': cycle with no exit: from 'b', 'c' no end node");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	flow_free(f);
	diags_clear(&d);

	/* a cycle with an exit is fine; a self loop without one is not */
	f = lint_yaml(HEAD
		"  a: {type: question, answers: [{label: again, next: a}, {label: done, next: z}]}\n"
		"  s: {type: info, next: s}\n"                     /* 6 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 6, 3, "node 's': cycle with no exit");
	EXPECT(&d, DIAG_WARNING, 6, 3, "node 's' is unreachable from start 'a'");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	flow_free(f);
	diags_clear(&d);

	f = lint_yaml(HEAD "  a: {type: info, next: a}\n", &d);
	EXPECT(&d, DIAG_ERROR, 1, 1, "the flow has no end node");
	EXPECT(&d, DIAG_ERROR, 5, 3, "node 'a': cycle with no exit");
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_check_kinds_and_params)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: check\n"
		"    run:\n"
		"      - htp: {url: \"http://x/\"}\n"              /* 8 */
		"      - http: {ulr: \"http://x/\"}\n"             /* 9 */
		"      - tcp: {host: h}\n"                         /* 10 */
		"      - {label: L, dns: {name: x, colour: red}}\n" /* 11 */
		"    on: {default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 8, 9, "node 'a': unknown check kind 'htp' (did you mean 'http'?)");
	EXPECT(&d, DIAG_ERROR, 9, 16, "node 'a': http check has no parameter 'ulr' (did you "
	       "mean 'url'?)");
	EXPECT(&d, DIAG_ERROR, 9, 9, "node 'a': http check needs parameter 'url'");
	EXPECT(&d, DIAG_ERROR, 10, 9, "node 'a': tcp check needs parameter 'port'");
	EXPECT(&d, DIAG_ERROR, 11, 35, "node 'a': dns check has no parameter 'colour'");
	EXPECT_COUNT(&d, DIAG_ERROR, 5);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_literal_params)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: a\nvars:\n  h: {prompt: h}\nnodes:\n"
		"  a:\n"                                           /* 7 */
		"    type: check\n"
		"    run:\n"
		"      - tcp: {host: \"${h}\", port: \"85300\", timeout: soon}\n"     /* 10 */
		"      - http: {url: \"ftp://x/\", follow: maybe}\n"                   /* 11 */
		"      - tls: {host: x, port: \"${h}\", warn_days: -1}\n"             /* 12 */
		"      - http: {url: \"http://${h}:8530/\", timeout: \"2.5\"}\n"
		"    on: {default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 10, 29, "node 'a': tcp check parameter 'port': port must be a number");
	EXPECT(&d, DIAG_ERROR, 10, 44, "node 'a': tcp check parameter 'timeout': timeout must be");
	EXPECT(&d, DIAG_ERROR, 11, 16, "node 'a': http check parameter 'url':");
	EXPECT(&d, DIAG_ERROR, 11, 33, "node 'a': http check parameter 'follow': follow must be");
	EXPECT(&d, DIAG_ERROR, 12, 38, "node 'a': tls check parameter 'warn_days':");
	EXPECT_COUNT(&d, DIAG_ERROR, 5);    /* templated values are judged at run time */
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* Every literal value is judged by its kind's parameter table, as check_run and the
 * CLI judge it: hosts, codes and proxy URLs too, and the settled limits (warn_days to
 * 3650, follow true or false). */
START_TEST(test_literal_params_table)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                                        /* 5 */
		"    type: check\n"
		"    run:\n"
		"      - tls: {host: \"bad host\", warn_days: \"3651\"}\n"      /* 8 */
		"      - http: {url: \"http://x/\", expect: \"2000\", proxy: \"ftp://p\", follow: \"yes\"}\n" /* 9 */
		"      - dns: {name: \"a..b\"}\n"                               /* 10 */
		"      - tls: {host: \"[::1]:8531\", warn_days: \"3650\", name: \"wsus.test\"}\n"
		"      - http: {url: \"http://x/\", expect: \"200-299,401\", proxy: \"p:3128\", follow: \"false\"}\n"
		"    on: {default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 8, 15, "node 'a': tls check parameter 'host': hostname contains a space");
	EXPECT(&d, DIAG_ERROR, 8, 33, "node 'a': tls check parameter 'warn_days': warn_days must be a whole "
	       "number of days from 0 to 3650");
	EXPECT(&d, DIAG_ERROR, 9, 34, "node 'a': http check parameter 'expect': expect must list HTTP codes");
	EXPECT(&d, DIAG_ERROR, 9, 50, "node 'a': http check parameter 'proxy': URL scheme must be http or https");
	EXPECT(&d, DIAG_ERROR, 9, 68, "node 'a': http check parameter 'follow': follow must be true or false");
	EXPECT(&d, DIAG_ERROR, 10, 15, "node 'a': dns check parameter 'name':");
	EXPECT_COUNT(&d, DIAG_ERROR, 6);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_routes)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: check\n"
		"    run: [{tcp: {host: h, port: \"1\"}}]\n"
		"    on:\n"
		"      ok: z\n"                                    /* 9 */
		"      refusd: z\n"                                /* 10 */
		"      tls_expired: z\n"                           /* 11 */
		"      http_5xx: z\n"                              /* 12 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 10, 7, "node 'a': 'refusd' is not an outcome, class or 'default' "
	       "(did you mean 'refused'?)");
	EXPECT(&d, DIAG_ERROR, 11, 7, "node 'a': route 'tls_expired' can never be taken");
	EXPECT(&d, DIAG_ERROR, 12, 7, "node 'a': route 'http_5xx' can never be taken");
	/* tcp gives ok, dns_fail, refused, timeout: three are unrouted */
	EXPECT(&d, DIAG_ERROR, 5, 3, "node 'a': outcomes dns_fail, refused, timeout not routed "
	       "and there is no 'default'");
	EXPECT_COUNT(&d, DIAG_ERROR, 4);
	flow_free(f);
	diags_clear(&d);

	/* "problem" covers every failure; classes cover their members */
	f = lint_yaml(HEAD
		"  a:\n"
		"    type: check\n"
		"    run: [{tcp: {host: h, port: \"1\"}}, {dns: {name: h}}]\n"
		"    on: {ok: z, problem: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT_COUNT(&d, DIAG_ERROR, 0);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_http_coverage)
{
	struct diags d = {0};
	/* http_NNN needs both http_4xx and http_5xx (or default) */
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: check\n"
		"    run: [{http: {url: \"http://h/\"}}]\n"
		"    on: {ok: z, http_4xx: z, http_503: z, dns_fail: z, refused: z, timeout: z,\n"
		"         closed: z, proxy_*: z, tls_*: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 5, 3, "node 'a': outcome http_5xx not routed and there is no "
	       "'default'");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	flow_free(f);
	diags_clear(&d);

	f = lint_yaml(HEAD
		"  a:\n"
		"    type: check\n"
		"    run: [{http: {url: \"http://h/\"}}]\n"
		"    on: {ok: z, http_4xx: z, http_5xx: z, problem: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT_COUNT(&d, DIAG_ERROR, 0);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_log_and_classify)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: a\n"
		"signatures:\n"
		"  s407: {regex: \"HTTP status 407\"}\n"           /* 5 */
		"  notcfg: \"WSUS server not configured\"\n"       /* 6 */
		"  spare: \"never\"\n"                             /* 7 */
		"nodes:\n"
		"  a:\n"                                           /* 9 */
		"    type: check\n"
		"    run: [{log: {file: /var/log/x.log}}]\n"
		"    on: {ok: b, s407: z}\n"                       /* 12 */
		"  b:\n"                                           /* 13 */
		"    type: classify\n"
		"    on: {notcfg: z, s4077: z}\n"                  /* 15 */
		"  z: {type: end, result: resolved}\n", &d);
	/* a log check's outcomes include every signature: notcfg and spare are unrouted */
	EXPECT(&d, DIAG_ERROR, 9, 3, "node 'a': outcomes notcfg, spare not routed");
	EXPECT(&d, DIAG_ERROR, 15, 21, "node 'b': 's4077' names no signature (did you mean "
	       "'s407'?)");
	EXPECT(&d, DIAG_ERROR, 13, 3, "node 'b': classify node has no 'default' route");
	EXPECT(&d, DIAG_WARNING, 7, 3, "signature 'spare' is never used");
	EXPECT_COUNT(&d, DIAG_ERROR, 3);
	EXPECT_COUNT(&d, DIAG_WARNING, 1);
	flow_free(f);
	diags_clear(&d);

	/* a signature id routed by a check with no log check is not an outcome */
	f = lint_yaml("id: t\ntitle: T\nstart: a\nsignatures:\n  s407: \"407\"\nnodes:\n"
		"  a:\n"
		"    type: check\n"
		"    run: [{dns: {name: h}}]\n"
		"    on: {s407: z, default: z}\n"                  /* 10 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 10, 10, "node 'a': 's407' is not an outcome, class or 'default'");
	EXPECT(&d, DIAG_WARNING, 5, 3, "signature 's407' is never used");
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* Issue 11 §5.1: a signature named like an outcome (http_404, timeout) is routed in a
 * log check as sig:NAME; the bare name is the outcome, and lint says so. */
START_TEST(test_sig_outcome_clash)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: a\n"
		"signatures:\n"
		"  http_404: \"404 Not Found\"\n"                  /* 5 */
		"  timeout: \"timed out\"\n"                       /* 6 */
		"  s407: \"407\"\n"                                /* 7 */
		"nodes:\n"
		"  a:\n"                                           /* 9 */
		"    type: check\n"
		"    run: [{log: {file: /var/log/x.log}}]\n"
		"    on: {ok: z, timeout: z, sig:http_404: z, sig:s407: z, sig:nope: z}\n" /* 12 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 12, 17, "node 'a': route 'timeout' can never be taken: no check here "
	       "produces the outcome 'timeout'; to route the signature of that name write 'sig:timeout'");
	EXPECT(&d, DIAG_ERROR, 12, 59, "node 'a': 'nope' names no signature");
	EXPECT(&d, DIAG_ERROR, 9, 3, "node 'a': outcome sig:timeout not routed");
	EXPECT_COUNT(&d, DIAG_ERROR, 3);
	EXPECT_COUNT(&d, DIAG_WARNING, 1);   /* 'timeout' is never routed */
	EXPECT(&d, DIAG_WARNING, 6, 3, "signature 'timeout' is never used");
	flow_free(f);
	diags_clear(&d);

	/* sig: needs a log check; a classify node takes both spellings */
	f = lint_yaml("id: t\ntitle: T\nstart: a\nsignatures:\n  http_404: \"404\"\n  s: \"x\"\nnodes:\n"
		"  a:\n"
		"    type: check\n"
		"    run: [{dns: {name: h}}]\n"
		"    on: {sig:s: b, default: b}\n"                 /* 11 */
		"  b:\n"
		"    type: classify\n"
		"    on: {sig:http_404: z, s: z, default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 11, 10, "node 'a': route 'sig:s' names a signature, but no log check");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	EXPECT_COUNT(&d, DIAG_WARNING, 0);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* Issue 11 §5.2: an http check's expect is judged by the kind's table. */
START_TEST(test_expect_banana)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: check\n"
		"    run: [{http: {url: \"http://x/\", expect: banana}}]\n"   /* 7 */
		"    on: {default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 7, 37, "node 'a': http check parameter 'expect': expect must list HTTP codes");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	flow_free(f);
	diags_clear(&d);

	/* §5.5: a proxy check takes expect, judged by the same table entry */
	f = lint_yaml(HEAD
		"  a:\n"                                           /* 5 */
		"    type: check\n"
		"    run: [{proxy: {proxy: \"http://p:3128\", target: \"http://x/\", expect: banana}}]\n"
		"    on: {default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 7, 65, "node 'a': proxy check parameter 'expect': expect must list HTTP codes");
	EXPECT_COUNT(&d, DIAG_ERROR, 1);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_unreachable)
{
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a: {type: info, next: z}\n"
		"  lost: {type: info, next: z}\n"                  /* 6 */
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_WARNING, 6, 3, "node 'lost' is unreachable from start 'a'");
	EXPECT_COUNT(&d, DIAG_ERROR, 0);
	EXPECT_COUNT(&d, DIAG_WARNING, 1);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_duplicate_ids_in_model)
{
	/* the loader refuses duplicate ids; lint still checks a model built otherwise */
	struct diags d = {0};
	struct flow *f = lint_yaml(HEAD
		"  a: {type: info, next: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	diags_clear(&d);
	free(f->nodes[1].id);
	f->nodes[1].id = xstrdup("a");
	lint_flow(f, &d);
	EXPECT(&d, DIAG_ERROR, 6, 3, "duplicate node id 'a' (first at line 5)");
	flow_free(f);
	diags_clear(&d);
}
END_TEST

START_TEST(test_lint_file)
{
	char *path = test_flow_path("bad-lint.yaml");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	size_t errors = lint_file(path, m);
	fclose(m);
	ck_assert_uint_eq(errors, 5);
	/* sorted by position, compiler style */
	char *want1 = xasprintf("%s:6:3: warning: variable 'unused_var' is never used", path);
	char *want2 = xasprintf("%s:19:9: error: node 'b': unknown check kind 'htp'", path);
	ck_assert_msg(str_starts(buf, want1), "%s", buf);
	ck_assert_msg(strstr(buf, want2) != NULL, "%s", buf);
	ck_assert(strstr(buf, want1) < strstr(buf, want2));
	free(want1);
	free(want2);
	free(buf);
	free(path);

	path = test_flow_path("bad-syntax.yaml");
	m = open_memstream(&buf, &len);
	ck_assert_uint_eq(lint_file(path, m), 1);
	fclose(m);
	char *want = xasprintf("%s:4:1: error: YAML syntax error: found unexpected end of stream",
			       path);
	ck_assert_msg(str_starts(buf, want), "%s", buf);
	free(want);
	free(buf);
	free(path);
}
END_TEST

/* lint_file on yaml written to a temporary file: the errors and what was printed
 * (caller frees *out). */
static size_t lint_tmp(const char *yaml, char **path, char **out)
{
	*path = xstrdup("/tmp/tshoot-lint-XXXXXX");
	int fd = mkstemp(*path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	size_t len = 0;
	FILE *m = open_memstream(out, &len);
	size_t errors = lint_file(*path, m);
	fclose(m);
	unlink(*path);
	return errors;
}

START_TEST(test_nested_repeat_regex)
{
	char *path, *out;
	size_t errors = lint_tmp("id: t\ntitle: T\nstart: a\nsignatures:\n"
				 "  slow: {regex: \"(a+)+b\"}\nnodes:\n"
				 "  a: {type: classify, on: {slow: z, default: z}}\n"
				 "  z: {type: end, result: resolved}\n", &path, &out);
	ck_assert_uint_eq(errors, 1);
	char *want = xasprintf("%s:5:17: error: regex of signature 'slow' repeats a group that "
			       "itself repeats, as (a+)+", path);
	ck_assert_msg(str_starts(out, want), "want %s\ngot %s", want, out);
	free(want);
	free(out);
	free(path);
}
END_TEST

START_TEST(test_log_file_param)
{
	/* a log check may not read the kernel's files; a templated path is judged at run time */
	struct diags d = {0};
	struct flow *f = lint_yaml("id: t\ntitle: T\nstart: a\nvars:\n  p: {prompt: p}\n"
		"signatures:\n  s: x\nnodes:\n"
		"  a:\n"                                           /* 9 */
		"    type: check\n"
		"    run:\n"
		"      - log: {file: /proc/self/status}\n"         /* 12 */
		"      - log: {file: /dev/zero}\n"
		"      - log: {file: /sys/kernel/notes}\n"
		"      - log: {file: /var/log/syslog}\n"
		"      - log: {file: \"${p}\"}\n"
		"    on: {default: z}\n"
		"  z: {type: end, result: resolved}\n", &d);
	EXPECT(&d, DIAG_ERROR, 12, 15, "node 'a': log check parameter 'file': a path under /proc, "
	       "/sys or /dev is not a log file");
	EXPECT(&d, DIAG_ERROR, 13, 15, "node 'a': log check parameter 'file': a path under /proc");
	EXPECT(&d, DIAG_ERROR, 14, 15, "node 'a': log check parameter 'file': a path under /proc");
	EXPECT_COUNT(&d, DIAG_ERROR, 3);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

/* Run dot -Tsvg on a file (no shell); true when it exits 0. */
static bool dot_renders(const char *file, const char *svg)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, svg, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char *argv[] = {"dot", "-Tsvg", (char *)file, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return false;
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

START_TEST(test_graph)
{
	struct diags d = {0};
	struct flow *f = lint_yaml("id: g\ntitle: \"Graph \\\"quoted\\\" \\\\ title\"\nstart: a\n"
		"nodes:\n"
		"  a:\n"
		"    type: question\n"
		"    title: \"A \\\"very\\\" long question title that goes on and on and on\"\n"
		"    answers: [{label: \"Yes \\\"sure\\\"\", next: c}, {label: No, next: s}]\n"
		"  c:\n"
		"    type: check\n"
		"    run: [{tcp: {host: h, port: \"1\"}}]\n"
		"    on: {ok: ok, default: bad, refused: nowhere}\n"
		"  s: {type: steps, steps: [x], fixed: ok, not_fixed: bad}\n"
		"  ok: {type: end, result: resolved}\n"
		"  bad: {type: end, result: escalate}\n", &d);
	diags_clear(&d);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	graph_write(f, m);
	fclose(m);
	ck_assert(str_starts(buf, "digraph \"g\" {"));
	ck_assert_ptr_nonnull(strstr(buf, "\"a\" [shape=diamond"));
	ck_assert_ptr_nonnull(strstr(buf, "\"c\" [shape=box3d"));
	ck_assert_ptr_nonnull(strstr(buf, "\"s\" [shape=note"));
	ck_assert_ptr_nonnull(strstr(buf, "\"ok\" [shape=doubleoctagon, label=\"ok\", style=\"filled,bold\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"bad\" [shape=doubleoctagon, label=\"bad\", style=\"filled,dashed\""));
	ck_assert_ptr_nonnull(strstr(buf, "label=\"Graph \\\"quoted\\\" \\\\ title\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"a\" -> \"c\" [label=\"Yes \\\"sure\\\"\"]"));
	ck_assert_ptr_nonnull(strstr(buf, "\"c\" -> \"ok\" [label=\"ok\"]"));
	ck_assert_ptr_nonnull(strstr(buf, "\"s\" -> \"bad\" [label=\"not fixed\"]"));
	ck_assert_ptr_nonnull(strstr(buf, "\"c\" -> \"missing:nowhere\" [label=\"refused\"]"));
	/* long labels are cut, with an ellipsis */
	ck_assert_ptr_nonnull(strstr(buf, "label=\"A \\\"very\\\" long question title that goes\xe2\x80\xa6\""));

	char dir[] = "/tmp/tshoot-graph.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *dotf = xasprintf("%s/g.dot", dir), *svg = xasprintf("%s/g.svg", dir);
	FILE *fp = fopen(dotf, "w");
	fputs(buf, fp);
	fclose(fp);
	if (access("/usr/bin/dot", X_OK) == 0) {
		ck_assert_msg(dot_renders(dotf, svg), "dot -Tsvg failed on:\n%s", buf);
		fp = fopen(svg, "r");
		ck_assert_ptr_nonnull(fp);
		char head[256] = "";
		size_t n = fread(head, 1, sizeof(head) - 1, fp);
		head[n] = '\0';
		fclose(fp);
		ck_assert_ptr_nonnull(strstr(head, "<svg") ? strstr(head, "<svg") : strstr(head, "<?xml"));
	}
	unlink(svg);
	unlink(dotf);
	rmdir(dir);
	free(svg);
	free(dotf);
	free(buf);
	flow_free(f);
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_clean_flow);
	tcase_add_test(tc, test_start);
	tcase_add_test(tc, test_missing_nodes);
	tcase_add_test(tc, test_dead_ends_each_type);
	tcase_add_test(tc, test_variables);
	tcase_add_test(tc, test_template_names);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_loops);
	tcase_add_test(tc, test_check_kinds_and_params);
	tcase_add_test(tc, test_literal_params);
	tcase_add_test(tc, test_literal_params_table);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_http_coverage);
	tcase_add_test(tc, test_log_and_classify);
	tcase_add_test(tc, test_sig_outcome_clash);
	tcase_add_test(tc, test_expect_banana);
	tcase_add_test(tc, test_unreachable);
	tcase_add_test(tc, test_duplicate_ids_in_model);
	tcase_add_test(tc, test_lint_file);
	tcase_add_test(tc, test_nested_repeat_regex);
	tcase_add_test(tc, test_log_file_param);
	tcase_add_test(tc, test_graph);
	tcase_add_test(tc, test_branch_lint);
	suite_add_tcase(s, tc);
	return test_main(s);
}
