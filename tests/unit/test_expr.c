/* test_expr.c — branch conditions (src/expr.h): precedence, numbers and text, =~ and
 * its cost rule, references by the one ${...} rule, unset values, errors with columns,
 * limits. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/expr.h"
#include "src/flow.h"
#include "src/regex_cost.h"
#include "src/template.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

/* The values the lookup knows: "name=value" pairs; lookups are counted per name. */
struct vars {
	const char *const *pairs;
	size_t n;
	struct strbuf asked;         /* every name looked up, each followed by ' ' */
};

static const char *lookup(const char *name, void *ctx)
{
	struct vars *v = ctx;
	sb_add(&v->asked, name);
	sb_addc(&v->asked, ' ');
	size_t len = strlen(name);
	for (size_t i = 0; i < v->n; i++)
		if (!strncmp(v->pairs[i], name, len) && v->pairs[i][len] == '=')
			return v->pairs[i] + len + 1;
	return NULL;
}

/* Parse src (the test fails when it does not parse) and evaluate it with pairs. Returns
 * expr_eval's status; *out and why as it sets them. */
static int eval_with(const char *src, const char *const *pairs, size_t n, bool *out,
		     char *why, size_t whylen, char **asked)
{
	char err[256];
	int col = -1;
	struct expr *e = expr_parse(src, err, sizeof(err), &col);
	ck_assert_msg(e != NULL, "'%s' does not parse: column %d: %s", src, col, err);
	struct vars v = {pairs, n, {0}};
	sb_add(&v.asked, "");
	*out = true;                 /* expr_eval must set it either way */
	int rc = expr_eval(e, lookup, &v, out, why, whylen);
	if (asked)
		*asked = sb_steal(&v.asked);
	sb_clear(&v.asked);
	expr_free(e);
	return rc;
}

static void expect_with(const char *src, const char *const *pairs, size_t n, bool want)
{
	bool out;
	char why[256];
	int rc = eval_with(src, pairs, n, &out, why, sizeof(why), NULL);
	ck_assert_msg(rc == 0, "'%s': %s", src, why);
	ck_assert_str_eq(why, "");
	ck_assert_msg(out == want, "'%s' is %s, want %s", src, out ? "true" : "false",
		      want ? "true" : "false");
}

static const char *const vals[] = {
	"a=x", "b=y", "c=z", "n=42", "neg=-3.5", "empty=", "na=n/a",
	"site_role=remote", "proxy_url=http://proxy:8080", "tls.days_left=12",
	"quote=it's", "bslash=a\\b", "ip=10.0.3.4",
};

static void expect(const char *src, bool want)
{
	expect_with(src, vals, ARRAY_LEN(vals), want);
}

/* The evaluation of src fails with a reason holding want. */
static void expect_eval_error(const char *src, const char *want)
{
	bool out;
	char why[256];
	int rc = eval_with(src, vals, ARRAY_LEN(vals), &out, why, sizeof(why), NULL);
	ck_assert_msg(rc == -1, "'%s' evaluates", src);
	ck_assert_msg(!out, "'%s': out is true on an error", src);
	ck_assert_msg(strstr(why, want), "'%s': got '%s', want '%s'", src, why, want);
}

/* src does not parse: the message holds want, at column col. */
static void expect_parse_error(const char *src, int col, const char *want)
{
	char err[256];
	int got = -1;
	struct expr *e = expr_parse(src, err, sizeof(err), &got);
	ck_assert_msg(e == NULL, "'%s' parses", src);
	ck_assert_msg(strstr(err, want), "'%s': got '%s', want '%s'", src, err, want);
	ck_assert_msg(got == col, "'%s': '%s' at column %d, want %d", src, err, got, col);
}

START_TEST(test_precedence)
{
	/* T and F: a true and a false comparison */
#define T "${a} == 'x'"
#define F "${a} == 'q'"
	/* && binds tighter than ||: F && F || T is (F && F) || T, not F && (F || T) */
	expect(F " && " F " || " T, true);
	expect(F " && (" F " || " T ")", false);
	/* T || F && F is T || (F && F), not (T || F) && F */
	expect(T " || " F " && " F, true);
	expect("(" T " || " F ") && " F, false);
	/* ! binds tightest: !F && F is (!F) && F, not !(F && F) */
	expect("!" F " && " F, false);
	expect("!(" F " && " F ")", true);
	/* ! negates the comparison after it: !${a} == 'x' is !(${a} == 'x') */
	expect("!${a} == 'x'", false);
	expect("!!${a} == 'x'", true);
	expect("! ! ! " T, false);
	/* the brief's shape: !a && b || c */
	expect("!${a} == 'q' && ${b} == 'y' || ${c} == 'no'", true);
	expect("!${a} == 'x' && ${b} == 'y' || ${c} == 'no'", false);
	expect("!${a} == 'x' && ${b} == 'y' || ${c} == 'z'", true);
	/* chains of one operator, and mixed */
	expect(T " && " T " && " T " && " F, false);
	expect(F " || " F " || " F " || " T, true);
	expect(T "&&" T "||" F "&&" F, true);
	/* the example in the flow format */
	expect("${site_role} == 'remote' && ${proxy_url} != ''", true);
	expect("${tls.days_left} < 0", false);
	expect("${tls.days_left} < 30", true);
#undef T
#undef F
}
END_TEST

START_TEST(test_parentheses)
{
	expect("(1 == 1)", true);
	expect("((((1 == 2))))", false);
	expect("(1 == 1 || 1 == 2) && 1 == 2", false);
	expect("1 == 1 || (1 == 2 && 1 == 2)", true);
	expect("!(1 == 1 && (1 == 2 || !(2 == 3)))", false);
	expect("( ${a}=='x' )&&(${b}=='y')", true);
	expect("\t(${a} == 'x')\n&& ${b} != 'x' ", true);   /* any blank between tokens */
}
END_TEST

START_TEST(test_numbers_and_text)
{
	/* numeric when both sides are numbers, quoted or not */
	expect("'10' > '9'", true);
	expect("10 > 9", true);
	expect("'10' > 9", true);
	expect("${n} > 9", true);
	expect("${n} == 42.0", true);
	expect("${n} == '042'", true);
	expect("'1.50' == '1.5'", true);
	expect("-0 == 0", true);
	expect("-0.0 == 0", true);
	expect("${neg} < -3", true);
	expect("${neg} <= -3.5", true);
	expect("${neg} >= -3.5", true);
	expect("${neg} > -3.49", false);
	expect("-10 < -9", true);
	expect("-1 < 1", true);
	expect("0.1 < 0.10000001", true);
	expect("0.5 > 0.49999999999999999999999", true);
	/* exact, where doubles are not: these are equal as doubles */
	expect("100000000000000000001 > 100000000000000000000", true);
	expect("9007199254740993 != 9007199254740992", true);
	/* text otherwise, byte by byte */
	expect("'abc' < 'abd'", true);
	expect("'abc' > 'ab'", true);
	expect("'' < 'a'", true);
	expect("'abc' == 'ABC'", false);
	expect("'abc' != 'ABC'", true);
	expect("'B' < 'a'", true);
	expect("${site_role} >= 'remote'", true);
	expect("${empty} == ''", true);
	/* == and != between a number and a text are simply unequal */
	expect("${na} == 30", false);
	expect("${na} != 30", true);
	expect("${empty} != 0", true);
	/* escapes: \' and \\, other backslashes kept */
	expect("${quote} == 'it\\'s'", true);
	expect("${bslash} == 'a\\\\b'", true);
	expect("${bslash} == 'a\\b'", true);
	expect("'a\\.b' == 'a\\\\.b'", true);

	/* the number rule */
	static const char *const good[] = {"0", "-0", "7", "007", "-12", "1.5", "-0.25",
					   "10.000", "123456789012345678901234567890"};
	static const char *const bad[] = {"", "-", "+1", "1.", ".5", "1e3", " 1", "1 ",
					  "0x10", "1,5", "--1", "1.2.3", "inf", "nan", "abc"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		ck_assert_msg(expr_is_number(good[i]), "%s", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		ck_assert_msg(!expr_is_number(bad[i]), "%s", bad[i]);
	ck_assert(!expr_is_number(NULL));
}
END_TEST

/* < <= > >= between a number and a text decide nothing: an error naming the side, never
 * a value (it may be secret). */
START_TEST(test_not_a_number)
{
	expect_eval_error("${na} < 30", "${na} is not a number (< compares it with 30, which is)");
	expect_eval_error("30 >= ${na}", "${na} is not a number");
	expect_eval_error("${empty} > 0", "${empty} is not a number");
	expect_eval_error("'abc' < 5", "'abc' is not a number");
	expect_eval_error("${n} <= 'abc'", "'abc' is not a number (<= compares it with ${n}");
	bool out;
	char why[256];
	ck_assert_int_eq(eval_with("${na} < 30", vals, ARRAY_LEN(vals), &out, why, sizeof(why),
				   NULL), -1);
	ck_assert_ptr_null(strstr(why, "n/a"));
	/* a long literal is cut in the message, on a character boundary */
	expect_eval_error("'\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9' < 1",
			  "'\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...' is not a number");
}
END_TEST

START_TEST(test_match)
{
	expect("${site_role} =~ '^re'", true);
	expect("${site_role} =~ 'mot'", true);                /* anywhere */
	expect("${site_role} =~ '^mot'", false);
	expect("${site_role} =~ 'REMOTE'", false);            /* case-sensitive */
	expect("${site_role} =~ '^[Rr]emote$'", true);
	expect("${ip} =~ '^10\\.0\\.'", true);
	expect("'1000x3' =~ '^10\\.0\\.'", false);
	expect("'1000.3' =~ '^10.0.'", true);                 /* '.' is any character */
	expect("${proxy_url} =~ '^https?://[^/:]+:[0-9]+$'", true);
	expect("${tls.days_left} =~ '^[0-9]+$' && ${tls.days_left} < 30", true);
	expect("!${ip} =~ '^192\\.168\\.' || 1 == 2", true);
	expect("${quote} =~ '\\''", true);
	expect("${bslash} =~ 'a\\\\\\\\b'", true);            /* regex a\\b: a backslash */
}
END_TEST

/* The pattern after =~ is refused by the one cost rule for flow regexes, with its words;
 * the loader's signature regexes get the same phrase. */
START_TEST(test_pattern_refused)
{
	expect_parse_error("${a} =~ '(a+)+'", 9, "the pattern after =~ repeats a group that "
			   "itself repeats");
	expect_parse_error("${a} =~ '(a)\\1'", 9, "the pattern after =~ uses a back-reference");
	expect_parse_error("${a} =~ 'a{1,300}'", 9, "repeats more than 255 times");
	expect_parse_error("${a} =~ '(a{100}){101}'", 9, "product is over 10000");
	expect_parse_error("${a} =~ ''", 9, "the pattern after =~ is empty");
	expect_parse_error("${a} =~ 'a('", 9, "bad pattern after =~: ");
	expect_parse_error("1 == 1 && ${a} =~ ${b}", 19, "the pattern after =~ must be a "
			   "quoted text");
	expect_parse_error("${a} =~ 5", 9, "must be a quoted text");

	static const char *const costly[] = {"(a+)+", "(a)\\1", "a{1,300}", "(a{100}){101}"};
	for (size_t i = 0; i < ARRAY_LEN(costly); i++) {
		const char *phrase = regex_cost_problem(costly[i]);
		ck_assert_ptr_nonnull(phrase);
		char *yaml = xasprintf("id: t\ntitle: T\nstart: e\nsignatures:\n"
				       "  s: {regex: '%s'}\n"
				       "nodes:\n  e: {type: end, result: resolved}\n", costly[i]);
		struct diags d = {0};
		struct flow *f = flow_load_string("t.yaml", yaml, strlen(yaml), &d);
		ck_assert_ptr_null(f);
		char *all = test_diags_text(&d);
		ck_assert_msg(strstr(all, phrase), "%s: %s", costly[i], all);
		free(all);
		diags_clear(&d);
		free(yaml);
	}
	ck_assert_ptr_null(regex_cost_problem("^https?://[^/:]+:[0-9]{1,5}$"));
}
END_TEST

START_TEST(test_unset)
{
	bool out;
	char why[256], *asked;
	/* reached and unset: an error naming it */
	ck_assert_int_eq(eval_with("${nope} == 1", vals, ARRAY_LEN(vals), &out, why,
				   sizeof(why), NULL), -1);
	ck_assert_str_eq(why, "${nope} is not set");
	ck_assert(!out);
	expect_eval_error("${site_role} == 'remote' && ${tls.not_after} != ''",
			  "${tls.not_after} is not set");
	expect_eval_error("${a} =~ 'x' && 'x' == ${nope}", "${nope} is not set");
	expect_eval_error("!(${nope} == 1)", "${nope} is not set");
	/* not reached: && and || stop as soon as the result is known */
	ck_assert_int_eq(eval_with("${a} == 'x' || ${nope} == 1", vals, ARRAY_LEN(vals), &out,
				   why, sizeof(why), &asked), 0);
	ck_assert(out);
	ck_assert_str_eq(asked, "a ");
	free(asked);
	ck_assert_int_eq(eval_with("${a} == 'q' && ${nope} == 1 && ${b} == 'y'", vals,
				   ARRAY_LEN(vals), &out, why, sizeof(why), &asked), 0);
	ck_assert(!out);
	ck_assert_str_eq(asked, "a ");
	free(asked);
	/* the names asked are the references, dotted ones whole */
	ck_assert_int_eq(eval_with("${tls.days_left} < 30 && ${site_role} != ''", vals,
				   ARRAY_LEN(vals), &out, why, sizeof(why), &asked), 0);
	ck_assert_str_eq(asked, "tls.days_left site_role ");
	free(asked);
	/* no lookup at all: nothing is set; literals alone still evaluate */
	struct expr *e = expr_parse("${a} == 1", NULL, 0, NULL);
	ck_assert_int_eq(expr_eval(e, NULL, NULL, &out, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "${a} is not set");
	ck_assert_int_eq(expr_eval(e, NULL, NULL, &out, NULL, 0), -1);
	expr_free(e);
	e = expr_parse("1 < 2", NULL, 0, NULL);
	ck_assert_int_eq(expr_eval(e, NULL, NULL, &out, why, sizeof(why)), 0);
	ck_assert(out);
	expr_free(e);
	ck_assert_int_eq(expr_eval(NULL, NULL, NULL, &out, why, sizeof(why)), -1);
	ck_assert(!out);
	expr_free(NULL);
}
END_TEST

START_TEST(test_parse_errors)
{
	/* quotes */
	expect_parse_error("${a} == 'abc", 9, "this quote is not closed");
	expect_parse_error("${a} == 'it\\'", 9, "this quote is not closed");
	expect_parse_error("'x' == '${a}'", 9, "${...} inside quotes is not expanded");
	/* stray and malformed operators */
	expect_parse_error("== 5", 1, "expected a comparison, '(' or '!', found '=='");
	expect_parse_error("${a} == == 5", 9, "expected a value after '==' (${name}, 'text' "
			   "or a number), found '=='");
	expect_parse_error("${a} = 5", 6, "'=' alone is not an operator: write ==");
	expect_parse_error("${a} == 1 & ${b} == 2", 11, "write && for 'and'");
	expect_parse_error("${a} == 1 | ${b} == 2", 11, "write || for 'or'");
	expect_parse_error("${a} == 1 &&", 13, "expected a comparison, '(' or '!', found the end");
	expect_parse_error("${a} == 1 && || ${b} == 2", 14, "found '||'");
	expect_parse_error("${a} == 1 ${b} == 2", 11, "unexpected '${b}' (expected && or ||");
	expect_parse_error("1 < 2 < 3", 7, "comparisons do not chain");
	expect_parse_error("${a} ==", 8, "found the end");
	expect_parse_error("${a} < 'x' #", 12, "unexpected '#'");
	expect_parse_error("${a} == 1 \x01", 11, "unexpected character (byte 0x01)");
	/* a value alone */
	expect_parse_error("${a}", 1, "${a} alone is not a condition: compare it, as ${a} != ''");
	expect_parse_error("${a} == 1 && !${b}", 15, "${b} alone is not a condition");
	expect_parse_error("'yes'", 1, "a value alone is not a condition");
	/* names: the one ${...} rule */
	expect_parse_error("${a b} == 1", 1, "malformed ${...}: a reference is " TEMPLATE_REF_RULE);
	expect_parse_error("1 == ${1a}", 6, "malformed ${...}");
	expect_parse_error("${a.b.c} == 1", 1, "malformed ${...}");
	expect_parse_error("${a.} == 1", 1, "malformed ${...}");
	expect_parse_error("${a-b} == 1", 1, "malformed ${...}");
	expect_parse_error("${a == 1", 1, "malformed ${...}");
	expect_parse_error("$a == 1", 1, "unexpected '$'");
	expect_parse_error("a == 1", 1, "unexpected word 'a': write ${a} for a variable, 'a' "
			   "for a text");
	expect_parse_error("${a} == yes", 9, "unexpected word 'yes'");
	/* numbers */
	expect_parse_error("${a} == 1.", 9, "malformed number");
	expect_parse_error("${a} == 1abc", 9, "malformed number");
	expect_parse_error("${a} == 1.2.3", 9, "malformed number");
	expect_parse_error("${a} == - 1", 9, "unexpected '-'");
	/* parentheses */
	expect_parse_error("(${a} == 1", 1, "this '(' is not closed");
	expect_parse_error("1 == 1 && ((${a} == 1) || 1 == 2", 11, "this '(' is not closed");
	expect_parse_error("${a} == 1)", 10, "unexpected ')'");
	expect_parse_error("()", 2, "found ')'");
	expect_parse_error("(${a} == 1 ${b})", 12, "unexpected '${b}' (expected ')', && or ||)");
	/* empty */
	expect_parse_error("", 1, "the condition is empty");
	expect_parse_error("  \t ", 1, "the condition is empty");
	expect_parse_error(NULL, 1, "the condition is empty");
	/* columns count characters, not bytes */
	expect_parse_error("'h\xc3\xa9llo' == ${a} && x", 20, "unexpected word 'x'");
	/* the message is cut to the buffer; no buffer is fine */
	char small[8];
	int col = 0;
	ck_assert_ptr_null(expr_parse("== 1", small, sizeof(small), &col));
	ck_assert_str_eq(small, "expecte");
	ck_assert_ptr_null(expr_parse("== 1", NULL, 0, NULL));
}
END_TEST

/* Every reference, in source order, with the column of its '$'. */
static void collect(const char *name, int col, void *ctx)
{
	sb_printf(ctx, "%s@%d ", name, col);
}

START_TEST(test_names)
{
	struct expr *e = expr_parse("${a} == ${tls.days_left} || !(${b} =~ 'x${') && "
				    "'${' == ${a}", NULL, 0, NULL);
	ck_assert_ptr_null(e);       /* ${ inside quotes is refused, even in a pattern */
	e = expr_parse("${a} == ${tls.days_left} || !(${b} =~ 'x') && 'y' == ${a}", NULL, 0,
		       NULL);
	ck_assert_ptr_nonnull(e);
	struct strbuf sb = {0};
	sb_add(&sb, "");
	expr_names(e, collect, &sb);
	ck_assert_str_eq(sb.s, "a@1 tls.days_left@9 b@31 a@54 ");
	sb_clear(&sb);
	expr_free(e);
	e = expr_parse("'a' == 'b'", NULL, 0, NULL);
	sb_add(&sb, "");
	expr_names(e, collect, &sb);
	ck_assert_str_eq(sb.s, "");
	sb_clear(&sb);
	expr_free(e);
}
END_TEST

START_TEST(test_limits)
{
	struct strbuf sb = {0};
	/* nesting: 32 levels of '(' or '!' parse, 33 do not */
	for (int i = 0; i < EXPR_MAX_DEPTH; i++)
		sb_addc(&sb, '(');
	sb_add(&sb, "1 == 1");
	for (int i = 0; i < EXPR_MAX_DEPTH; i++)
		sb_addc(&sb, ')');
	expect(sb.s, true);
	sb_clear(&sb);
	for (int i = 0; i <= EXPR_MAX_DEPTH; i++)
		sb_addc(&sb, '(');
	sb_add(&sb, "1 == 1");
	for (int i = 0; i <= EXPR_MAX_DEPTH; i++)
		sb_addc(&sb, ')');
	expect_parse_error(sb.s, EXPR_MAX_DEPTH + 1, "nested more than 32 deep");
	sb_clear(&sb);
	for (int i = 0; i < EXPR_MAX_DEPTH; i++)
		sb_addc(&sb, '!');
	sb_add(&sb, "1 == 1");
	expect(sb.s, true);                                 /* an even number of '!' */
	sb_clear(&sb);
	for (int i = 0; i < 2000; i++)
		sb_add(&sb, "!(");
	expect_parse_error(sb.s, 2 * (EXPR_MAX_DEPTH / 2) + 1, "nested more than 32 deep");
	sb_clear(&sb);

	/* nodes: 255 comparisons joined by || are 256 nodes; 256 are too many. A long chain
	 * is one node, evaluated by a loop. */
	for (int i = 0; i < EXPR_MAX_NODES - 1; i++)
		sb_add(&sb, i ? "||1==2" : "1==2");
	expect(sb.s, false);
	sb_add(&sb, "||1==1");
	expect_parse_error(sb.s, 6 * (EXPR_MAX_NODES - 1) + 1, "too many comparisons and "
			   "operators (at most 256)");
	sb_clear(&sb);
	for (int i = 0; i < EXPR_MAX_NODES - 1; i++)
		sb_add(&sb, i ? "&&1==1" : "1==1");
	expect(sb.s, true);
	sb_clear(&sb);

	/* patterns */
	for (int i = 0; i <= EXPR_MAX_PATTERNS; i++)
		sb_add(&sb, i ? " || ${a} =~ 'q'" : "${a} =~ 'q'");
	expect_parse_error(sb.s, 9 + 15 * EXPR_MAX_PATTERNS, "too many =~ patterns (at most 16)");
	sb_clear(&sb);

	/* source length, counted in bytes */
	sb_add(&sb, "'");
	while (sb.len < EXPR_MAX_SOURCE - 7)
		sb_addc(&sb, 'x');
	sb_add(&sb, "' == ''");
	ck_assert_uint_eq(sb.len, EXPR_MAX_SOURCE);
	expect(sb.s, false);
	sb_addc(&sb, ' ');
	expect_parse_error(sb.s, 1, "the condition is longer than 4096 bytes");
	sb_clear(&sb);
}
END_TEST

static Suite *expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_parentheses);
	tcase_add_test(tc, test_numbers_and_text);
	tcase_add_test(tc, test_not_a_number);
	tcase_add_test(tc, test_match);
	tcase_add_test(tc, test_pattern_refused);
	tcase_add_test(tc, test_unset);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(expr_suite());
}
