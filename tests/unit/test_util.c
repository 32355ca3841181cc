/* test_util.c — allocation helpers, strings, widths, wrapping, diagnostics. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

START_TEST(test_strbuf)
{
	struct strbuf sb = {0};
	sb_add(&sb, "abc");
	sb_addc(&sb, '-');
	sb_printf(&sb, "%d", 42);
	ck_assert_str_eq(sb.s, "abc-42");
	char *s = sb_steal(&sb);
	ck_assert_str_eq(s, "abc-42");
	ck_assert_ptr_null(sb.s);
	free(s);
	s = sb_steal(&sb);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_parse_long)
{
	long v;
	ck_assert(parse_long("8530", 1, 65535, &v));
	ck_assert_int_eq(v, 8530);
	ck_assert(!parse_long("0", 1, 65535, &v));
	ck_assert(!parse_long("65536", 1, 65535, &v));
	ck_assert(!parse_long("12x", 1, 65535, &v));
	ck_assert(!parse_long("", 1, 65535, &v));
	ck_assert(!parse_long(NULL, 1, 65535, &v));
	ck_assert(!parse_long("99999999999999999999999", 0, 10, &v));
}
END_TEST

START_TEST(test_clean)
{
	char *s = str_clean_dup("ok\x1b[31mred\x07\tend");
	ck_assert_str_eq(s, "ok?[31mred? end");
	free(s);
	s = str_trim_dup("  a b \n");
	ck_assert_str_eq(s, "a b");
	free(s);
}
END_TEST

START_TEST(test_utf8_width)
{
	ck_assert_uint_eq(utf8_width("abc"), 3);
	ck_assert_uint_eq(utf8_width("h\xc3\xa9llo"), 5);              /* é: 2 bytes, 1 column */
	ck_assert_uint_eq(utf8_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);  /* 日本: 2 columns each */
	ck_assert_uint_eq(utf8_prefix_for_width("\xe6\x97\xa5\xe6\x9c\xac", 3), 3);
	ck_assert_uint_eq(utf8_width("\xff"), 1);                      /* invalid byte */
}
END_TEST

START_TEST(test_wrap)
{
	size_t n;
	char **l = wrap_text("one two three four five", 9, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(l[0], "one two");
	ck_assert_str_eq(l[1], "three");
	ck_assert_str_eq(l[2], "four five");
	wrap_free(l, n);
	l = wrap_text("para one\n\npara two\n", 40, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(l[1], "");
	wrap_free(l, n);
	l = wrap_text("abcdefghijkl", 5, &n);     /* a word longer than the line is broken */
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(l[2], "kl");
	wrap_free(l, n);
	/* display columns, not bytes: six 2-column characters in 8 columns -> 4 + 2 */
	l = wrap_text("\xe6\x97\xa5\xe6\x9c\xac\xe6\x97\xa5\xe6\x9c\xac\xe6\x97\xa5\xe6\x9c\xac", 8, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(utf8_width(l[0]), 8);
	wrap_free(l, n);
	/* an indented paragraph keeps its indentation on continuation lines */
	l = wrap_text("  - alpha beta gamma", 14, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[0], "  - alpha beta");
	ck_assert_str_eq(l[1], "  gamma");
	wrap_free(l, n);
}
END_TEST

START_TEST(test_reflow)
{
	char *s = text_reflow("This walk helps when\nsync fails.\n\nWhere:\n  site  WCM.log\n  wsus  Change.log\n"
			      "- one\ntwo\n- three\n1. four\n");
	ck_assert_str_eq(s, "This walk helps when sync fails.\n\nWhere:\n  site  WCM.log\n  wsus  Change.log\n"
		         "- one two\n- three\n1. four\n");
	free(s);
	s = text_reflow(NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_diags)
{
	struct diags d = {0};
	diags_add(&d, DIAG_WARNING, "f.yaml", 9, 2, "second");
	diags_add(&d, DIAG_ERROR, "f.yaml", 3, 5, "unknown key '%s'", "nxt");
	ck_assert_uint_eq(diags_count(&d, DIAG_ERROR), 1);
	char *s = diag_format(&d.v[1]);
	ck_assert_str_eq(s, "f.yaml:3:5: error: unknown key 'nxt'");
	free(s);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	diags_print(&d, m);
	fclose(m);
	ck_assert_str_eq(buf, "f.yaml:3:5: error: unknown key 'nxt'\nf.yaml:9:2: warning: second\n");
	free(buf);
	diags_free(&d);
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_strbuf);
	tcase_add_test(tc, test_parse_long);
	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_utf8_width);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_reflow);
	tcase_add_test(tc, test_diags);
	suite_add_tcase(s, tc);
	return test_main(s);
}
