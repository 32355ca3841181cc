/* test_template.c — ${var} expansion: values, defaults, secrets, escapes, no recursion;
 * masking of secrets in other texts (engine_mask_secrets, engine_mask_result, src/secret.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/engine.h"
#include "src/flow.h"
#include "src/secret.h"
#include "src/template.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

static const char tmpl_yaml[] =
	"id: engine-template\n"
	"title: Templates\n"
	"start: e\n"
	"vars:\n"
	"  host: {prompt: \"Host\", default: \"h.example.com\"}\n"
	"  user: {prompt: \"User\", optional: true}\n"
	"  pass: {prompt: \"Password\", secret: true, optional: true}\n"
	"  port: {prompt: \"Port\", default: \"8530\", validate: port}\n"
	"  _odd_Name2: {prompt: \"Odd name\", optional: true}\n"
	"  api_token: {prompt: \"API key\", optional: true}\n"
	"nodes:\n"
	"  e: {type: end, result: resolved, text: \"${host}\"}\n";

static struct flow *flow;
static struct engine *eng;

static void setup(void)
{
	struct diags d = {0};
	flow = flow_load_string("engine-template.yaml", tmpl_yaml, strlen(tmpl_yaml), &d);
	if (!flow)
		diags_print(&d, stderr);
	diags_clear(&d);
	ck_assert_ptr_nonnull(flow);
	eng = engine_new(flow);
}

static void teardown(void)
{
	engine_free(eng);
	flow_free(flow);
}

static void set(const char *name, const char *value)
{
	const char *err = NULL;
	ck_assert_msg(engine_set_var(eng, name, value, &err) == 0, "set %s: %s", name, err ? err : "");
}

static void expect(const char *tmpl, bool reveal, const char *want)
{
	char *got = engine_expand(eng, tmpl, reveal);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_plain)
{
	expect("", false, "");
	expect("no templates here", false, "no templates here");
	expect("cost $5, $ alone, trailing $", false, "cost $5, $ alone, trailing $");
	expect("message $$<SMS_WSUS><date>", false, "message $$<SMS_WSUS><date>");
	ck_assert_ptr_null(engine_expand(eng, NULL, false));
}
END_TEST

START_TEST(test_values_and_defaults)
{
	expect("http://${host}:${port}/", false, "http://h.example.com:8530/");   /* defaults */
	expect("[${user}]", false, "[]");                                         /* unset, no default */
	set("host", "wsus01.contoso.com");
	set("port", "8531");
	expect("http://${host}:${port}/", false, "http://wsus01.contoso.com:8531/");
	expect("${host}${host}", false, "wsus01.contoso.comwsus01.contoso.com");
	expect("${host}", false, "wsus01.contoso.com");
	set("user", "alice");
	expect("u=${user};", true, "u=alice;");
	set("_odd_Name2", "odd");
	expect("<${_odd_Name2}>", false, "<odd>");
	expect("<${1host}> <${ho-st}> <${ho.st}>", false, "<${1host}> <${ho-st}> <${ho.st}>");
}
END_TEST

START_TEST(test_secrets)
{
	set("pass", "p@ss word");
	expect("pw=${pass}", false, "pw=********");
	expect("pw=${pass}", true, "pw=p@ss word");
	set("pass", "");
	expect("pw=${pass}", false, "pw=********");     /* not even emptiness shows */
	expect("pw=${pass}", true, "pw=");
}
END_TEST

/* engine_mask_secrets(s) equals want, and the result holds no `secret`. */
static void expect_masked(const char *s, const char *want, const char *secret)
{
	char *got = engine_mask_secrets(eng, s);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	if (secret)
		ck_assert_msg(!strstr(got, secret), "'%s' left in '%s'", secret, got);
	free(got);
}

START_TEST(test_mask_any_length)
{
	set("pass", "x");                    /* one character: still masked, everywhere */
	expect_masked("http://u:x@h/?k=x", "http://u:********@h/?k=********", "x");
	expect_masked("max", "ma********", "x");
	set("pass", "q7");                   /* two */
	expect_masked("key=q7;", "key=********;", "q7");
	expect_masked("q7q7 and 7q", "******** and 7q", "q7");   /* adjacent: one mask */
	set("pass", "aaa");                  /* overlapping occurrences */
	expect_masked("aaaa-aa", "********-aa", "aaa");
	set("pass", "hunter22");
	expect_masked("no secret here", "no secret here", NULL);
	expect_masked("", "", NULL);
	ck_assert_ptr_null(engine_mask_secrets(eng, NULL));
}
END_TEST

START_TEST(test_mask_before_cleaning)
{
	/* A secret with a tab: found as typed, as str_clean_dup shows it, and URL-encoded. */
	set("pass", "pa\tss");
	expect_masked("pw=pa\tss.", "pw=********.", "pa\tss");
	char *clean = str_clean_dup("pw=pa\tss.");
	ck_assert_str_ne(clean, "pw=pa\tss.");
	expect_masked(clean, "pw=********.", NULL);
	free(clean);
	expect_masked("http://h/?pw=pa%09ss", "http://h/?pw=********", NULL);
	set("pass", "p@ss word");
	expect_masked("http://h/?pw=p%40ss%20word&x=1", "http://h/?pw=********&x=1", NULL);
}
END_TEST

START_TEST(test_mask_url_passwords)
{
	/* The password of any URL in a text, secret variable or not. */
	expect_masked("via http://alice:pw1@proxy:3128/ and https://bob:pw2@h/x?y",
		      "via http://alice:********@proxy:3128/ and https://bob:********@h/x?y", "pw");
	expect_masked("from http://h:8080/a@b and http://u@h/ and http://u:@h/",
		      "from http://h:8080/a@b and http://u@h/ and http://u:@h/", NULL);
	/* no engine: URL passwords only */
	char *got = engine_mask_secrets(NULL, "'http://u:pw@h/' x");
	ck_assert_str_eq(got, "'http://u:********@h/' x");
	free(got);
}
END_TEST

START_TEST(test_secret_names)
{
	/* One rule for fact keys, check parameters and variables. */
	const char *yes[] = {"password", "proxy_password", "Passwd", "X-Token", "client_secret", NULL};
	const char *no[] = {"status", "server", "location", "proxy_user", "target", "pass"};
	for (size_t i = 0; i < ARRAY_LEN(yes); i++)
		ck_assert_msg(secret_name(yes[i]), "%s", yes[i] ? yes[i] : "NULL");
	for (size_t i = 0; i < ARRAY_LEN(no); i++)
		ck_assert_msg(!secret_name(no[i]), "%s", no[i]);
	/* a variable named like a secret is secret though the flow did not say so */
	set("api_token", "k3y");
	expect("${api_token}", false, "********");
	expect_masked("key k3y", "key ********", "k3y");
	/* flow_var_secret is the question the journal, the report and the engine ask */
	ck_assert(flow_var_secret(flow, flow_var_index(flow, "pass")));        /* secret: true */
	ck_assert(flow_var_secret(flow, flow_var_index(flow, "api_token")));   /* by its name */
	ck_assert(!flow_var_secret(flow, flow_var_index(flow, "host")));
	ck_assert(!flow_var_secret(flow, flow_var_index(flow, "user")));
	ck_assert(flow_var_secret(flow, -1));                 /* no such variable: never shown */
	ck_assert(flow_var_secret(flow, (int)flow->nvars));
	ck_assert(flow_var_secret(NULL, 0));
}
END_TEST

START_TEST(test_url_password_span)
{
	static const struct { const char *url, *masked; } cases[] = {
		{"http://u:secretpw@127.0.0.1:8080/", "http://u:********@127.0.0.1:8080/"},
		{"u:pw@proxy:3128", "u:********@proxy:3128"},               /* no scheme (a proxy) */
		{"http://u:p/q#@[bad/", "http://u:********@[bad/"},          /* malformed: generous */
		{"http://u:a@b@host/", "http://u:********@host/"},
		{"http://host:8080/", "http://host:8080/"},
		{"http://u@host/", "http://u@host/"},
		{"http://u:@host/", "http://u:@host/"},
		{"proxy:3128", "proxy:3128"},
		{"", ""},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *got = secret_mask_url_dup(cases[i].url);
		ck_assert_str_eq(got, cases[i].masked);
		free(got);
	}
	size_t off, len;
	ck_assert(secret_url_password("https://me:pw@h/", &off, &len));
	ck_assert_uint_eq(off, 11);
	ck_assert_uint_eq(len, 2);
	ck_assert(!secret_url_password(NULL, &off, &len));
}
END_TEST

START_TEST(test_mask_result)
{
	set("pass", "s3");
	struct check_result r = {0}, m;
	r.kind = xstrdup("http");
	r.outcome = xstrdup("http_503");
	r.target = xstrdup("http://h/?k=s3");
	r.summary = xstrdup("HTTP 503 from http://h/?k=s3");
	r.command = xstrdup("curl 'http://h/?k=s3'");
	facts_add(&r.facts, "status", "503");
	facts_add(&r.facts, "proxy_password", "anything");
	facts_add(&r.facts, "location", "http://u:pw@h/s3");
	check_result_add_problem(&r, "http_503");
	r.elapsed_ms = 42;
	engine_mask_result(eng, &m, &r);
	ck_assert_str_eq(m.kind, "http");
	ck_assert_str_eq(m.outcome, "http_503");
	ck_assert_str_eq(m.target, "http://h/?k=********");
	ck_assert_str_eq(m.summary, "HTTP 503 from http://h/?k=********");
	ck_assert_str_eq(m.command, "curl 'http://h/?k=********'");
	ck_assert_uint_eq(m.facts.n, 2);                 /* the secret key left out */
	ck_assert_str_eq(m.facts.v[0].key, "status");
	ck_assert_str_eq(m.facts.v[1].value, "http://u:********@h/********");
	ck_assert_uint_eq(m.nproblems, 1);
	ck_assert_int_eq(m.elapsed_ms, 42);
	check_result_clear(&m);
	check_result_clear(&r);
}
END_TEST

START_TEST(test_no_double_expansion)
{
	set("pass", "topsecret");
	set("user", "${pass}");
	expect("${user}", true, "${pass}");
	expect("${user}", false, "${pass}");
	set("user", "$${host}");
	expect("${user}", false, "$${host}");
	set("user", "${user}");
	expect("${user}${user}", false, "${user}${user}");
}
END_TEST

START_TEST(test_escapes_and_unknown)
{
	expect("$${host}", false, "${host}");
	expect("a$${b}c", false, "a${b}c");
	expect("$$${host}", false, "$${host}");       /* left to right: "$", then "$${" */
	expect("${nope}", false, "${nope}");
	expect("x ${nope} ${host}", false, "x ${nope} h.example.com");
	expect("${ host }", false, "${ host }");
	expect("${host", false, "${host");
	expect("${", false, "${");
	expect("${}", false, "${}");
	expect("${${host}}", false, "${h.example.com}");
	expect("$", false, "$");
}
END_TEST

START_TEST(test_long)
{
	/* A long value, inserted many times; a long unknown name is left alone. */
	size_t vlen = 60000;
	char *val = xmalloc(vlen + 1);
	memset(val, 'v', vlen);
	val[vlen] = '\0';
	set("user", val);
	struct strbuf t = {0};
	for (int i = 0; i < 200; i++)
		sb_add(&t, "${user}|");
	char *got = engine_expand(eng, t.s, false);
	ck_assert_uint_eq(strlen(got), 200 * (vlen + 1));
	ck_assert(got[vlen] == '|' && got[vlen - 1] == 'v');
	free(got);
	sb_clear(&t);

	sb_add(&t, "${");
	for (int i = 0; i < 10000; i++)
		sb_addc(&t, 'n');
	sb_add(&t, "} and $${ and ${host}");
	got = engine_expand(eng, t.s, false);
	ck_assert(str_starts(got, "${nnnn"));
	ck_assert(strstr(got, "} and ${ and h.example.com") != NULL);
	ck_assert_uint_eq(strlen(got), 2 + 10000 + strlen("} and ${ and h.example.com"));
	free(got);
	sb_clear(&t);
	free(val);

	/* Many templates in one long string. */
	for (int i = 0; i < 50000; i++)
		sb_add(&t, "${port}$${");
	got = engine_expand(eng, t.s, false);
	ck_assert_uint_eq(strlen(got), 50000 * strlen("8530${"));
	free(got);
	sb_clear(&t);
}
END_TEST

/* The tokens of tmpl as "T(text)V(name)B(${)", checking that the raw spans cover the
 * template exactly, in order. */
static char *tokens(const char *tmpl)
{
	struct strbuf sb = {0}, raw = {0};
	sb_add(&sb, "");
	sb_add(&raw, "");
	struct template_token t;
	size_t n = 0;
	for (const char *p = tmpl; template_next(&p, &t); n++) {
		ck_assert_uint_le(n, strlen(tmpl));
		ck_assert_ptr_eq(t.raw, tmpl + raw.len);
		sb_addn(&raw, t.raw, t.rawlen);
		sb_addc(&sb, t.kind == TEMPLATE_TEXT ? 'T' : t.kind == TEMPLATE_VAR ? 'V' : 'B');
		sb_addc(&sb, '(');
		sb_addn(&sb, t.text, t.len);
		sb_addc(&sb, ')');
	}
	ck_assert_str_eq(raw.s, tmpl);
	sb_clear(&raw);
	return sb_steal(&sb);
}

static void expect_tokens(const char *tmpl, const char *want)
{
	char *got = tokens(tmpl);
	ck_assert_msg(!strcmp(got, want), "'%s': got %s, want %s", tmpl, got, want);
	free(got);
}

START_TEST(test_tokenizer)
{
	expect_tokens("", "");
	const char *p = NULL;
	struct template_token t;
	ck_assert(!template_next(&p, &t));
	expect_tokens("cost $5, $ alone, trailing $", "T(cost $5, $ alone, trailing $)");
	expect_tokens("x${host}y", "T(x)V(host)T(y)");
	expect_tokens("${a}${_b9}", "V(a)V(_b9)");
	expect_tokens("$${a}", "T(${)T(a})");
	expect_tokens("$$${a}", "T($)T(${)T(a})");
	expect_tokens("$$5", "T($$5)");
	/* the reference rule: a variable name, or label.fact for a capture's fact */
	expect_tokens("${1a}", "B(${)T(1a})");
	expect_tokens("${a-b}", "B(${)T(a-b})");
	expect_tokens("${a.b}", "V(a.b)");
	expect_tokens("x${tls.days_left}y", "T(x)V(tls.days_left)T(y)");
	expect_tokens("${a.b.c}", "B(${)T(a.b.c})");
	expect_tokens("${a.}", "B(${)T(a.})");
	expect_tokens("${.a}", "B(${)T(.a})");
	expect_tokens("${a..b}", "B(${)T(a..b})");
	expect_tokens("${a.1b}", "B(${)T(a.1b})");
	expect_tokens("$${a.b}", "T(${)T(a.b})");
	expect_tokens("${ a}", "B(${)T( a})");
	expect_tokens("${}", "B(${)T(})");
	expect_tokens("${a", "B(${)T(a)");
	expect_tokens("${", "B(${)");
	expect_tokens("${${a}}", "B(${)V(a)T(})");
	expect_tokens("${\xc3\xa9}", "B(${)T(\xc3\xa9})");

	char name[TEMPLATE_MAX_NAME + 2];
	memset(name, 'n', sizeof name);
	name[TEMPLATE_MAX_NAME] = '\0';
	char *longest = xasprintf("${%s}", name);
	char *want = xasprintf("V(%s)", name);
	expect_tokens(longest, want);
	free(longest);
	free(want);
	name[TEMPLATE_MAX_NAME] = 'n';
	name[TEMPLATE_MAX_NAME + 1] = '\0';
	char *too_long = xasprintf("${%s}", name);
	want = xasprintf("B(${)T(%s})", name);
	expect_tokens(too_long, want);
	free(too_long);
	free(want);

	/* a dotted reference is held to the same length in all */
	name[TEMPLATE_MAX_NAME] = '\0';
	name[1] = '.';
	longest = xasprintf("${%s}", name);
	want = xasprintf("V(%s)", name);
	expect_tokens(longest, want);
	free(longest);
	free(want);
	name[TEMPLATE_MAX_NAME] = 'n';
	too_long = xasprintf("${%s}", name);
	want = xasprintf("B(${)T(%s})", name);
	expect_tokens(too_long, want);
	free(too_long);
	free(want);
}
END_TEST

START_TEST(test_ref_rule)
{
	static const char *const good[] = {"a", "host", "tls.days_left", "_a._b", "a1.b2",
					   "A.B"};
	static const char *const bad[] = {"", ".", "a.", ".a", "a..b", "a.b.c", "1a.b",
					  "a.1b", "a-b.c", "a b", "a.b}", "\xc3\xa9.a"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		ck_assert_msg(template_ref_valid(good[i], strlen(good[i])), "%s", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		ck_assert_msg(!template_ref_valid(bad[i], strlen(bad[i])), "%s", bad[i]);
	ck_assert(!template_ref_valid(NULL, 0));
	ck_assert(template_ref_valid("a.b.c", 3));         /* only s[0..n) counts */
	/* a variable name is one name: the loader does not take dots */
	ck_assert(!template_name_valid("tls.days_left", strlen("tls.days_left")));
	char ref[TEMPLATE_MAX_NAME + 1];
	memset(ref, 'x', sizeof ref);
	ref[64] = '.';
	ck_assert(template_ref_valid(ref, TEMPLATE_MAX_NAME));
	ck_assert(!template_ref_valid(ref, TEMPLATE_MAX_NAME + 1));
}
END_TEST

START_TEST(test_name_rule)
{
	static const char *const good[] = {"a", "_", "A_1", "_odd_Name2", "host"};
	static const char *const bad[] = {"", "1a", "a-b", "a.b", "a b", "\xc3\xa9", "a}"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		ck_assert_msg(template_name_valid(good[i], strlen(good[i])), "%s", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		ck_assert_msg(!template_name_valid(bad[i], strlen(bad[i])), "%s", bad[i]);
	ck_assert(!template_name_valid(NULL, 0));
	ck_assert(template_name_valid("ab-", 2));           /* only s[0..n) counts */
	char name[TEMPLATE_MAX_NAME + 1];
	memset(name, 'x', sizeof name);
	ck_assert(template_name_valid(name, TEMPLATE_MAX_NAME));
	ck_assert(!template_name_valid(name, TEMPLATE_MAX_NAME + 1));

	/* the loader asks the same rule */
	struct diags d = {0};
	char *yaml = xasprintf("id: t\ntitle: T\nstart: e\nvars:\n  %.*s: {prompt: P}\n"
			       "nodes:\n  e: {type: end, result: resolved}\n",
			       TEMPLATE_MAX_NAME + 1, name);
	struct flow *f = flow_load_string("t.yaml", yaml, strlen(yaml), &d);
	ck_assert_ptr_null(f);
	char *all = test_diags_text(&d);
	ck_assert_msg(strstr(all, "is not valid (" TEMPLATE_NAME_RULE ")"), "%s", all);
	free(all);
	diags_clear(&d);
	free(yaml);
}
END_TEST

static Suite *template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("expand");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_values_and_defaults);
	tcase_add_test(tc, test_secrets);
	tcase_add_test(tc, test_mask_any_length);
	tcase_add_test(tc, test_mask_before_cleaning);
	tcase_add_test(tc, test_mask_url_passwords);
	tcase_add_test(tc, test_secret_names);
	tcase_add_test(tc, test_url_password_span);
	tcase_add_test(tc, test_mask_result);
	tcase_add_test(tc, test_no_double_expansion);
	tcase_add_test(tc, test_escapes_and_unknown);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_tokenizer);
	tcase_add_test(tc, test_name_rule);
	tcase_add_test(tc, test_ref_rule);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(template_suite());
}
