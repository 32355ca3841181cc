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

/* base64_dup of s must be want. */
static void b64_is(const char *s, size_t n, const char *want)
{
	char *b = base64_dup(s, n);
	ck_assert_msg(strcmp(b, want) == 0, "base64 of %zu bytes = \"%s\", want \"%s\"", n, b, want);
	free(b);
}

START_TEST(test_base64)
{
	/* RFC 4648 section 10, then bytes with the high bit set and a NUL */
	b64_is("", 0, "");
	b64_is("f", 1, "Zg==");
	b64_is("fo", 2, "Zm8=");
	b64_is("foo", 3, "Zm9v");
	b64_is("foob", 4, "Zm9vYg==");
	b64_is("fooba", 5, "Zm9vYmE=");
	b64_is("foobar", 6, "Zm9vYmFy");
	b64_is("\xff\xfe\x00\xfb", 4, "//4A+w==");
	b64_is("curl -sS 'http://h/?key=********'\n", 34, "Y3VybCAtc1MgJ2h0dHA6Ly9oLz9rZXk9KioqKioqKionCg==");
}
END_TEST

/* str_clean_dup of s must be want. */
static void clean_is(const char *s, const char *want)
{
	char *c = str_clean_dup(s);
	ck_assert_msg(strcmp(c, want) == 0, "clean(\"%s\") = \"%s\", want \"%s\"", s, c, want);
	free(c);
}

#define FFFD "\xef\xbf\xbd"

START_TEST(test_clean)
{
	clean_is("ok\x1b[31mred\x07\tend", "ok?[31mred? end");
	clean_is("nl\nhere\x7f", "nl?here?");
	char *s = str_trim_dup("  a b \n");
	ck_assert_str_eq(s, "a b");
	free(s);
}
END_TEST

/* C1 controls, invalid UTF-8 and bidi controls from a server or a certificate become
 * visible placeholders; real characters stay. */
START_TEST(test_clean_c1_bidi_invalid)
{
	clean_is("a\xc2\x9b" "31mb", "a?31mb");               /* U+009B CSI, encoded */
	clean_is("a\xc2\x80z\xc2\x9fz", "a?z?z");             /* both ends of C1 */
	clean_is("a\x9b" "31m", "a" FFFD "31m");                /* 8-bit CSI: not UTF-8 */
	clean_is("\xff\xfe", FFFD FFFD);
	clean_is("\xc0\xaf", FFFD FFFD);                        /* overlong '/' */
	clean_is("\xed\xa0\x80", FFFD FFFD FFFD);               /* surrogate D800 */
	clean_is("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);      /* above U+10FFFF */
	clean_is("\xe2\x9c" "x", FFFD "x");                     /* cut short: one U+FFFD */
	clean_is("end\xe2", "end" FFFD);
	clean_is("\xe2\x80\xaa" "a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x81\xa9", "?a?b?c?");  /* LRE RLO LRI PDI */
	clean_is("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5", "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5");  /* neighbours kept */
	clean_is("caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5 \xf0\x9f\x94\x92 \xc2\xa0.", "caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5 \xf0\x9f\x94\x92 \xc2\xa0.");
	clean_is(NULL, "");
}
END_TEST

START_TEST(test_clean_text)
{
	char *s = str_clean_text_dup("line 1\n\tline\xc2\x85 2\xe2\x80\xae\n\x1b[2J\xff");
	ck_assert_str_eq(s, "line 1\n\tline? 2?\n?[2J" FFFD);
	free(s);
}
END_TEST

/* The JSON string rule: valid UTF-8 always, nothing else touched. */
START_TEST(test_utf8_valid)
{
	char *s = utf8_valid_dup("ok \xc3\xa9\xe2\x9c\x93 \x1b\xc2\x9b\xe2\x80\xae \xff\xc0\xaf\xe2\x9c");
	ck_assert_str_eq(s, "ok \xc3\xa9\xe2\x9c\x93 \x1b\xc2\x9b\xe2\x80\xae " FFFD FFFD FFFD FFFD);
	free(s);
	s = utf8_valid_dup("");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_utf8_decode)
{
	uint32_t cp;
	ck_assert_uint_eq(utf8_decode("A", &cp), 1);
	ck_assert_uint_eq(cp, 'A');
	ck_assert_uint_eq(utf8_decode("\xc3\xa9", &cp), 2);
	ck_assert_uint_eq(cp, 0xe9);
	ck_assert_uint_eq(utf8_decode("\xe2\x80\xae", &cp), 3);
	ck_assert_uint_eq(cp, 0x202e);
	ck_assert_uint_eq(utf8_decode("\xf0\x9f\x94\x92", &cp), 4);
	ck_assert_uint_eq(cp, 0x1f512);
	ck_assert_uint_eq(utf8_decode("\xf4\x8f\xbf\xbf", &cp), 4);
	ck_assert_uint_eq(cp, 0x10ffff);
	ck_assert_uint_eq(utf8_decode("\x80", &cp), 1);
	ck_assert_uint_eq(cp, UTF8_INVALID);
	ck_assert_uint_eq(utf8_decode("\xe0\x80\x80", &cp), 1);   /* overlong */
	ck_assert_uint_eq(cp, UTF8_INVALID);
	ck_assert_uint_eq(utf8_decode("\xf0\x9f\x94", &cp), 3);   /* cut short by the NUL */
	ck_assert_uint_eq(cp, UTF8_INVALID);
}
END_TEST

/* One line from text written on several: line breaks and tabs are spaces, the rest
 * as str_clean_dup. */
START_TEST(test_clean_flat)
{
	char *s = str_clean_flat_dup("a\nb\r\nc\td\x1b[0m\xc2\x9b\xe2\x80\xae\xff caf\xc3\xa9");
	ck_assert_str_eq(s, "a b  c d?[0m??" FFFD " caf\xc3\xa9");
	free(s);
	s = str_clean_flat_dup(NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* The encoder is the decoder's inverse on every code point it accepts. */
START_TEST(test_utf8_encode)
{
	static const uint32_t cps[] = {0, 'A', 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x202e, 0xd7ff,
				       0xe000, 0xfffd, 0xffff, 0x10000, 0x1f512, 0x10ffff};
	for (size_t i = 0; i < ARRAY_LEN(cps); i++) {
		char buf[5] = {0};
		size_t n = utf8_encode(cps[i], buf);
		ck_assert_uint_eq(n, cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4);
		if (!cps[i])
			continue;                   /* U+0000 is one NUL byte */
		uint32_t back;
		ck_assert_uint_eq(utf8_decode(buf, &back), n);
		ck_assert_uint_eq(back, cps[i]);
	}
	char buf[4] = {'x', 'x', 'x', 'x'};
	ck_assert_uint_eq(utf8_encode(0xd800, buf), 0);          /* surrogates */
	ck_assert_uint_eq(utf8_encode(0xdfff, buf), 0);
	ck_assert_uint_eq(utf8_encode(0x110000, buf), 0);        /* above U+10FFFF */
	ck_assert_uint_eq(utf8_encode(UTF8_INVALID, buf), 0);
	ck_assert(buf[0] == 'x');
}
END_TEST

/* A cut in bytes never splits a character; an invalid byte is a character of its own,
 * as utf8_decode reads it. */
START_TEST(test_utf8_prefix_for_bytes)
{
	const char *s = "a\xc3\xa9\xe2\x9c\x93z";        /* a é ✓ z: 1 + 2 + 3 + 1 bytes */
	static const size_t want[] = {0, 1, 1, 3, 3, 3, 6, 7, 7, 7};
	for (size_t max = 0; max < ARRAY_LEN(want); max++)
		ck_assert_uint_eq(utf8_prefix_for_bytes(s, max), want[max]);
	ck_assert_uint_eq(utf8_prefix_for_bytes("", 5), 0);
	ck_assert_uint_eq(utf8_prefix_for_bytes("\x80\x80\x80", 2), 2);   /* stray bytes */
	ck_assert_uint_eq(utf8_prefix_for_bytes("\xe2\x9c" "x", 2), 2);   /* cut short: 1 + 1 */
	ck_assert_uint_eq(utf8_prefix_for_bytes("\xf0\x9f\x94\x92", 3), 0);
}
END_TEST

/* Commands shown for "the same check by hand" are quoted for a POSIX shell. */
START_TEST(test_shell_quote)
{
	static const char *const cases[][2] = {
		{"localhost:443", "localhost:443"},
		{"/etc/ssl/ca.pem", "/etc/ssl/ca.pem"},
		{"", "''"},
		{"my ca.pem", "'my ca.pem'"},
		{"it's", "'it'\\''s'"},
		{"[::1]:443", "'[::1]:443'"},
		{"$(reboot);`x`|*", "'$(reboot);`x`|*'"},
		{"~root", "'~root'"},
		{"caf\xc3\xa9", "'caf\xc3\xa9'"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strbuf sb = {0};
		sb_add(&sb, "x ");
		sb_shell_quote(&sb, cases[i][0]);
		char *want = xasprintf("x %s", cases[i][1]);
		ck_assert_str_eq(sb.s, want);
		free(want);
		sb_clear(&sb);
	}
}
END_TEST

START_TEST(test_utf8_width)
{
	ck_assert_uint_eq(utf8_width("abc"), 3);
	ck_assert_uint_eq(utf8_width("h\xc3\xa9llo"), 5);              /* é: 2 bytes, 1 column */
	ck_assert_uint_eq(utf8_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);  /* 日本: 2 columns each */
	ck_assert_uint_eq(utf8_prefix_for_width("\xe6\x97\xa5\xe6\x9c\xac", 3), 3);
	ck_assert_uint_eq(utf8_width("\xff"), 1);                      /* invalid byte */
	/* measured as shown once cleaned: a placeholder is one column */
	ck_assert_uint_eq(utf8_width("a\xe2\x80\xae" "b"), 3);
	ck_assert_uint_eq(utf8_width("a\xc2\x9b" "b"), 3);
}
END_TEST

START_TEST(test_columns_fit)
{
	size_t out[3];
	const size_t want[3] = {16, 56, 5};
	/* room for all: as wanted */
	ck_assert_uint_eq(columns_fit(want, 3, 100, 2, 8, out), 3);
	ck_assert_uint_eq(out[0], 16);
	ck_assert_uint_eq(out[1], 56);
	ck_assert_uint_eq(out[2], 5);
	/* the widest gives first: the title only */
	ck_assert_uint_eq(columns_fit(want, 3, 60, 2, 8, out), 3);
	ck_assert_uint_eq(out[0], 16);
	ck_assert_uint_eq(out[1], 35);
	ck_assert_uint_eq(out[2], 5);
	/* then the two widest by turns, the rightmost of equals first */
	ck_assert_uint_eq(columns_fit(want, 3, 28, 2, 8, out), 3);
	ck_assert_uint_eq(out[0], 10);
	ck_assert_uint_eq(out[1], 9);
	ck_assert_uint_eq(out[2], 5);
	ck_assert_uint_eq(out[0] + out[1] + out[2] + 4, 28);
	/* none below the floor: the last column is left out instead */
	ck_assert_uint_eq(columns_fit(want, 3, 20, 2, 8, out), 2);
	ck_assert_uint_eq(out[0], 9);
	ck_assert_uint_eq(out[1], 9);
	ck_assert_uint_eq(out[2], 0);
	/* one column left: cut to the width */
	ck_assert_uint_eq(columns_fit(want, 3, 12, 2, 8, out), 1);
	ck_assert_uint_eq(out[0], 12);
	ck_assert_uint_eq(out[1], 0);
	/* a lone column narrower than the room keeps its width */
	ck_assert_uint_eq(columns_fit(want, 1, 40, 2, 8, out), 1);
	ck_assert_uint_eq(out[0], 16);
	ck_assert_uint_eq(columns_fit(want, 0, 40, 2, 8, out), 0);
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
	diags_clear(&d);
	/* a message quoting a file's text is cleaned: no bidi control, no C1, valid UTF-8 */
	diags_add(&d, DIAG_ERROR, "f.yaml", 1, 1, "unknown node '%s'", "ab\xe2\x80\xae" "cd\xc2\x9b\xff");
	s = diag_format(&d.v[0]);
	ck_assert_str_eq(s, "f.yaml:1:1: error: unknown node 'ab?cd?" FFFD "'");
	free(s);
	diags_clear(&d);
}
END_TEST

START_TEST(test_diags_move)
{
	struct diags a = {0}, b = {0};
	diags_add(&a, DIAG_ERROR, "a.yaml", 1, 1, "first");
	diags_add(&b, DIAG_ERROR, "b.yaml", 2, 1, "second");
	diags_add(&b, DIAG_WARNING, "b.yaml", 1, 1, "third");
	diags_move(&a, &b);
	ck_assert_uint_eq(b.n, 0);
	ck_assert_ptr_null(b.v);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_str_eq(a.v[1].msg, "second");      /* in the order they were added */
	ck_assert_str_eq(a.v[2].msg, "third");
	diags_move(&a, &b);                           /* nothing to move */
	ck_assert_uint_eq(a.n, 3);
	diags_clear(&a);
	diags_clear(&b);
}
END_TEST

START_TEST(test_name_index)
{
	/* ids that share a long prefix (a weak hash would put them all in one place) */
	enum { N = 5000 };
	char **names = xcalloc(N, sizeof(*names));
	for (int i = 0; i < N; i++)
		names[i] = xasprintf("question-about-the-proxy-%d", i);
	struct name_index x = {0};
	ck_assert_int_eq(name_index_find(&x, "never set up"), -1);
	name_index_init(&x, N + 1);
	long long t0 = now_ms();
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(name_index_add(&x, names[i], i), -1);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(name_index_find(&x, names[i]), i);
	ck_assert_int_lt(now_ms() - t0, slack_ms(200));
	/* an equal name (another string) finds the first; adding it changes nothing */
	char *again = xstrdup(names[42]);
	ck_assert_int_eq(name_index_add(&x, again, N), 42);
	ck_assert_int_eq(name_index_find(&x, again), 42);
	ck_assert_int_eq(name_index_find(&x, "question-about-the-proxy-"), -1);
	ck_assert_int_eq(name_index_find(&x, ""), -1);
	ck_assert_int_eq(name_index_find(&x, NULL), -1);
	ck_assert_int_eq(name_index_add(&x, "", N), -1);
	ck_assert_int_eq(name_index_find(&x, ""), N);
	name_index_clear(&x);
	ck_assert_int_eq(name_index_find(&x, names[0]), -1);
	free(again);
	for (int i = 0; i < N; i++)
		free(names[i]);
	free(names);
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_strbuf);
	tcase_add_test(tc, test_parse_long);
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_clean_c1_bidi_invalid);
	tcase_add_test(tc, test_clean_text);
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_utf8_decode);
	tcase_add_test(tc, test_clean_flat);
	tcase_add_test(tc, test_utf8_encode);
	tcase_add_test(tc, test_utf8_prefix_for_bytes);
	tcase_add_test(tc, test_shell_quote);
	tcase_add_test(tc, test_utf8_width);
	tcase_add_test(tc, test_columns_fit);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_reflow);
	tcase_add_test(tc, test_diags);
	tcase_add_test(tc, test_diags_move);
	tcase_add_test(tc, test_name_index);
	suite_add_tcase(s, tc);
	return test_main(s);
}
