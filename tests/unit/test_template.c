/* test_template.c — ${var} expansion: values, defaults, secrets, escapes, no recursion. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/engine.h"
#include "src/flow.h"
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
	diags_free(&d);
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
	sb_free(&t);

	sb_add(&t, "${");
	for (int i = 0; i < 10000; i++)
		sb_addc(&t, 'n');
	sb_add(&t, "} and $${ and ${host}");
	got = engine_expand(eng, t.s, false);
	ck_assert(str_starts(got, "${nnnn"));
	ck_assert(strstr(got, "} and ${ and h.example.com") != NULL);
	ck_assert_uint_eq(strlen(got), 2 + 10000 + strlen("} and ${ and h.example.com"));
	free(got);
	sb_free(&t);
	free(val);

	/* Many templates in one long string. */
	for (int i = 0; i < 50000; i++)
		sb_add(&t, "${port}$${");
	got = engine_expand(eng, t.s, false);
	ck_assert_uint_eq(strlen(got), 50000 * strlen("8530${"));
	free(got);
	sb_free(&t);
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
	tcase_add_test(tc, test_no_double_expansion);
	tcase_add_test(tc, test_escapes_and_unknown);
	tcase_add_test(tc, test_long);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(template_suite());
}
