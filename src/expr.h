/* expr.h — conditions: the `if:` of a branch node's `when:` list (tshoot-flow(5),
 * format 2). Parsed once when a flow loads (errors carry a column, so the loader and
 * lint can point at them), evaluated at each visit against the current variables and
 * captured facts.
 *
 * The language:
 *   condition  := and ('||' and)*
 *   and        := unary ('&&' unary)*
 *   unary      := '!' unary | '(' condition ')' | value op value
 *   op         := '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~'
 *   value      := ${name} | ${label.fact} | 'text' | number
 * so '!' binds tightest, then '&&', then '||'. '!' negates the comparison or
 * parenthesised condition after it: !${a} == 'x' means !(${a} == 'x'). A value alone is
 * not a condition (write ${a} != ''), and comparisons do not chain (a < b < c).
 *
 *  - References follow the one ${...} rule (template_ref_valid, src/template.h).
 *  - 'text' is literal: \' stands for ', \\ for \, and any other backslash is kept with
 *    the character after it (so '^10\.0\.' is the regex ^10\.0\.). ${...} inside quotes
 *    is refused rather than left unexpanded, since it is almost surely a mistake.
 *  - A number is -?digits(.digits)?, in the source or in a value: 30, -1, 0.5, '30'.
 *  - == != < <= > >= compare as exact decimals when both sides are numbers ('10' > '9',
 *    '1.50' == '1.5'), else byte-wise as text ('abc' < 'abd'). < <= > >= with a number
 *    on one side only is an evaluation error (${x} < 30 with x "n/a" decides nothing).
 *  - =~ is true when the POSIX extended regex on its right matches anywhere in the value
 *    on its left, case-sensitively (write [Rr]emote, anchor with ^ and $). The pattern
 *    must be a quoted text; it is compiled at parse time and refused when empty or too
 *    costly by the one rule for flow regexes (regex_cost_problem, src/regex_cost.h).
 *  - Evaluation goes left to right and && || stop as soon as the result is known, so
 *    a reference that is not reached is never looked up.
 *
 * Bounded: at most EXPR_MAX_SOURCE bytes of source, EXPR_MAX_DEPTH nested '(' and '!',
 * EXPR_MAX_NODES comparisons and operators, EXPR_MAX_PATTERNS patterns; parsing and
 * evaluation recurse no deeper than the nesting. */
#ifndef TSHOOT_EXPR_H
#define TSHOOT_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#define EXPR_MAX_SOURCE 4096
#define EXPR_MAX_DEPTH 32
#define EXPR_MAX_NODES 256
#define EXPR_MAX_PATTERNS 16

struct expr;

/* Parse src. Returns a new expression (free with expr_free), or NULL with the first
 * problem as a sentence in err (when errlen > 0) and its 1-based column in *err_col
 * (when err_col is not NULL), counted in characters (UTF-8 code points) from the start
 * of src; on success err is "" and *err_col 0. NULL src reads as "". */
struct expr *expr_parse(const char *src, char *err, size_t errlen, int *err_col);

/* Free e and everything it holds; NULL is fine. */
void expr_free(struct expr *e);

/* The value of reference name ("host", "tls.days_left"), or NULL when it is not set.
 * The string is borrowed and must stay valid until expr_eval returns (two may be held
 * at once, one per side of a comparison). */
typedef const char *(*expr_lookup_fn)(const char *name, void *ctx);

/* Evaluate e with lookup (NULL: nothing is set). Returns 0 with the result in *out, or
 * -1 with *out false and the reason in why (when whylen > 0): a reference that is
 * reached but not set ("${tls.days_left} is not set"), or < <= > >= between a number
 * and a non-number ("${tls.days_left} is not a number ..."). A branch takes its
 * default then, and the transcript can say why. Reasons name references, never their
 * values (a value may be secret). why is "" on success. */
int expr_eval(const struct expr *e, expr_lookup_fn lookup, void *ctx, bool *out,
	      char *why, size_t whylen);

/* Call fn for every reference in e, in source order, repeats included, with its
 * 1-based column (of its '$'), so lint can check each names a variable or capture. */
void expr_names(const struct expr *e, void (*fn)(const char *name, int col, void *ctx),
		void *ctx);

/* Is s a number by the rule above (-?digits(.digits)?, nothing around it)? */
bool expr_is_number(const char *s);

#endif
