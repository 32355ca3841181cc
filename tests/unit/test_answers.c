/* test_answers.c — answer files: load, look up, and errors with file:line:col. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/answers.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

static char *write_tmp(const char *text)
{
	char *p = xstrdup("/tmp/tshoot-h7-ans.XXXXXX");
	int fd = mkstemp(p);
	ck_assert(fd >= 0);
	ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return p;
}

/* Load text; expect failure with exactly one error at line:col containing needle. */
static void expect_error(const char *text, int line, int col, const char *needle)
{
	char *p = write_tmp(text);
	struct diags d = {0};
	struct answers *a = answers_load(p, &d);
	ck_assert_msg(a == NULL, "loaded: %s", text);
	ck_assert_uint_ge(diags_count(&d, DIAG_ERROR), 1);
	char *s = diag_format(&d.v[0]);
	char *want = xasprintf("%s:%d:%d: error: ", p, line, col);
	ck_assert_msg(str_starts(s, want), "got '%s', want prefix '%s'", s, want);
	ck_assert_msg(strstr(s, needle) != NULL, "got '%s', want '%s'", s, needle);
	free(want);
	free(s);
	diags_clear(&d);
	unlink(p);
	free(p);
}

START_TEST(test_load)
{
	char *p = write_tmp("# answers for a test\n"
			    "flow: sccm-sus-sync\n"
			    "answers:\n"
			    "  remote-sup: \"Yes\"\n"
			    "  replica: 2\n"
			    "  target: {wsus_host: wsus01.contoso.com, wsus_port: \"8530\"}\n"
			    "  creds:\n"
			    "    proxy_user: CONTOSO\\svc\n"
			    "    proxy_password: \"\"\n"
			    "  paste-error: |\n"
			    "    The request failed with HTTP status 407: Proxy Authentication Required.\n"
			    "  auth-proxy: fixed\n"
			    "  other-steps: not fixed\n"
			    "  plain: Yes\n");
	struct diags d = {0};
	struct answers *a = answers_load(p, &d);
	if (!a)
		diags_print(&d, stderr);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_str_eq(answers_flow0(a), "sccm-sus-sync");
	ck_assert_str_eq(answers_get0(a, "remote-sup"), "Yes");
	ck_assert_str_eq(answers_get0(a, "plain"), "Yes");             /* no YAML 1.1 booleans */
	ck_assert_str_eq(answers_get0(a, "replica"), "2");
	ck_assert_ptr_null(answers_get0(a, "target"));
	ck_assert_str_eq(answers_var0(a, "target", "wsus_host"), "wsus01.contoso.com");
	ck_assert_str_eq(answers_var0(a, "target", "wsus_port"), "8530");
	ck_assert_ptr_null(answers_var0(a, "target", "nope"));
	ck_assert_str_eq(answers_var0(a, "creds", "proxy_user"), "CONTOSO\\svc");
	ck_assert_str_eq(answers_var0(a, "creds", "proxy_password"), "");
	ck_assert_str_eq(answers_get0(a, "paste-error"),
			 "The request failed with HTTP status 407: Proxy Authentication Required.\n");
	ck_assert_str_eq(answers_get0(a, "auth-proxy"), "fixed");
	ck_assert_str_eq(answers_get0(a, "other-steps"), "not fixed");
	ck_assert(answers_has(a, "target"));
	ck_assert(!answers_has(a, "missing"));
	ck_assert_ptr_null(answers_get0(a, "missing"));
	ck_assert_ptr_null(answers_var0(a, "missing", "x"));
	answers_free(a);
	diags_clear(&d);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(test_no_flow_and_empty)
{
	char *p = write_tmp("answers:\n  a: b\n");
	struct diags d = {0};
	struct answers *a = answers_load(p, &d);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(answers_flow0(a));
	ck_assert_str_eq(answers_get0(a, "a"), "b");
	answers_free(a);
	unlink(p);
	free(p);
	p = write_tmp("answers:\n");
	a = answers_load(p, &d);
	ck_assert_ptr_nonnull(a);
	ck_assert(!answers_has(a, "a"));
	answers_free(a);
	unlink(p);
	free(p);
	diags_clear(&d);
	answers_free(NULL);
}
END_TEST

/* A list gives one answer per visit, in order; the last is used again after it. */
START_TEST(test_visits)
{
	char *p = write_tmp("answers:\n"
			    "  retest: [\"No\", 1]\n"
			    "  form:\n"
			    "    - {host: a.example}\n"
			    "    - {host: b.example}\n"
			    "  once: fixed\n");
	struct diags d = {0};
	struct answers *a = answers_load(p, &d);
	if (!a)
		diags_print(&d, stderr);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(answers_get0(a, "retest"), "No");
	ck_assert_str_eq(answers_get_at0(a, "retest", 0), "No");
	ck_assert_str_eq(answers_get_at0(a, "retest", 1), "No");
	ck_assert_str_eq(answers_get_at0(a, "retest", 2), "1");
	ck_assert_str_eq(answers_get_at0(a, "retest", 3), "1");
	ck_assert_str_eq(answers_var_at0(a, "form", "host", 1), "a.example");
	ck_assert_str_eq(answers_var_at0(a, "form", "host", 2), "b.example");
	ck_assert_str_eq(answers_var_at0(a, "form", "host", 9), "b.example");
	ck_assert_ptr_null(answers_get_at0(a, "form", 1));
	ck_assert_str_eq(answers_get_at0(a, "once", 5), "fixed");
	ck_assert_ptr_null(answers_get_at0(a, "missing", 2));
	answers_free(a);
	diags_clear(&d);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(test_errors)
{
	expect_error("answers:\n  a: [[1], 2]\n", 2, 7, "each answer in the list must be a text");
	expect_error("answers:\n  a: []\n", 2, 6, "the list of answers for node 'a' is empty");
	expect_error("answers:\n  a: x\n  b: y\n  a: z\n", 4, 3, "duplicate node id 'a' (first at line 2)");
	expect_error("flow: f\nanswer:\n  a: x\n", 2, 1, "unknown key 'answer'");
	expect_error("- a\n- b\n", 1, 1, "mapping");
	expect_error("answers: [a, b]\n", 1, 10, "'answers' must be a mapping");
	expect_error("flow: f\n", 1, 1, "no 'answers:'");
	expect_error("answers:\n  a: \"unterminated\n", 3, 1, "YAML syntax error");
	expect_error("answers:\n  t: {h: [x]}\n", 2, 10, "plain texts");
	expect_error("answers:\n  t: {h: x, h: y}\n", 2, 13, "duplicate key 'h' (first at line 2)");
	/* the limits of the one YAML loader (src/yamldoc.h), as for flows */
	expect_error("answers:\n  a: &x y\n  b: *x\n", 2, 6, "aliases are not supported");
	expect_error("answers:\n  a: x\n---\nanswers: {}\n", 3, 1, "more than one YAML document");
	expect_error("answers:\n  a: \"x\\0y\"\n", 2, 6, "string contains a NUL character");
	expect_error("answers:\n  [a]: x\n", 2, 3, "mapping keys must be plain strings");
	expect_error("", 1, 1, "empty answers file");
}
END_TEST

START_TEST(test_missing_file)
{
	struct diags d = {0};
	ck_assert_ptr_null(answers_load("/nonexistent/h7/answers.yaml", &d));
	ck_assert_uint_eq(d.n, 1);
	char *s = diag_format(&d.v[0]);
	ck_assert(str_starts(s, "/nonexistent/h7/answers.yaml: error: cannot open"));
	free(s);
	diags_clear(&d);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("answers");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_no_flow_and_empty);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_visits);
	tcase_add_test(tc, test_missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(suite());
}
