/* regex_cost.c — the cost rule for flow regexes (src/regex_cost.h).
 *
 * What a hostile regex could cost. glibc compiles a bounded repeat by copying its
 * operand, so a{1,32767} takes gigabytes and nested bounds multiply; back-references
 * make matching exponential in the line's length, and a repeated group that repeats
 * inside, (a+)+, is the classic catastrophic-backtracking shape. A signature or a
 * condition needs none of these: bounds stay small, no back-references, no nested
 * unbounded repeats. (The log matcher also sees at most LOGSCAN_MAX_TEXT bytes of a
 * line: src/logscan.h.) */
#include "src/regex_cost.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define REGEX_MAX_BOUND 255
#define REGEX_MAX_BOUND_PRODUCT 10000L
#define REGEX_MAX_LEN 1024
#define REGEX_UNBOUNDED (-1L)

/* The end of the bracket expression opening at p ("[a-z]", "[]x]", "[[:space:]]"),
 * or NULL when it is unterminated (regcomp reports that). */
static const char *bracket_end(const char *p)
{
	const char *q = p + 1;
	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	for (; *q && *q != ']'; q++) {
		if (*q == '[' && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
			const char *c = strchr(q + 2, q[1]);   /* [:class:], [=x=], [.x.] */
			while (c && c[1] != ']')
				c = strchr(c + 1, q[1]);
			if (!c)
				return NULL;
			q = c + 1;
		}
	}
	return *q ? q : NULL;
}

/* A repeat operator at p: *, +, ?, {n}, {n,} or {n,m}. Sets *end past it and the
 * counts (*hi REGEX_UNBOUNDED when there is no upper bound); false when p holds none. */
static bool repeat_at(const char *p, const char **end, long *lo, long *hi)
{
	*end = p + 1;
	switch (*p) {
	case '*': *lo = 0; *hi = REGEX_UNBOUNDED; return true;
	case '+': *lo = 1; *hi = REGEX_UNBOUNDED; return true;
	case '?': *lo = 0; *hi = 1; return true;
	case '{': break;
	default: return false;
	}
	if (p[1] < '0' || p[1] > '9')
		return false;               /* not a bound: regcomp decides */
	char *e;
	*lo = *hi = strtol(p + 1, &e, 10);
	if (*e == ',' && e[1] == '}') {
		*hi = REGEX_UNBOUNDED;
		e++;
	} else if (*e == ',') {
		if (e[1] < '0' || e[1] > '9')
			return false;
		*hi = strtol(e + 1, &e, 10);
	}
	if (*e != '}')
		return false;
	*end = e + 1;
	return true;
}

/* The cost rule for one repeat: its bounds, their running product, and whether it
 * repeats, without bound, a group that repeats inside. */
static const char *repeat_problem(long lo, long hi, bool after_repeating_group, long *product)
{
	if (hi == REGEX_UNBOUNDED && after_repeating_group)
		return "repeats a group that itself repeats, as (a+)+ or (a*b)* do "
		       "(matching time can explode on a long line)";
	if (lo > REGEX_MAX_BOUND || hi > REGEX_MAX_BOUND)
		return "repeats more than 255 times in one bound ({n,m} with n or m over 255)";
	long count = hi == REGEX_UNBOUNDED ? lo : hi;     /* what glibc copies */
	*product *= count > 1 ? count : 1;
	if (*product > REGEX_MAX_BOUND_PRODUCT)
		return "has repeat bounds whose product is over 10000 (nested or many {n,m})";
	return NULL;
}

const char *regex_cost_problem(const char *re)
{
	if (strlen(re) > REGEX_MAX_LEN)
		return "is too long (at most 1024 characters)";
	long product = 1;
	bool repeats[REGEX_MAX_LEN + 1];    /* per open group: does it hold a repeat? */
	size_t depth = 0;
	repeats[0] = false;
	bool after_repeating_group = false; /* the last atom was such a group */
	for (const char *p = re; *p;) {
		const char *end;
		long lo, hi;
		if (*p == '\\' && p[1] >= '1' && p[1] <= '9')
			return "uses a back-reference (\\1 to \\9), which is not supported";
		if (repeat_at(p, &end, &lo, &hi)) {
			const char *why = repeat_problem(lo, hi, after_repeating_group, &product);
			if (why)
				return why;
			repeats[depth] |= hi == REGEX_UNBOUNDED || hi > 1;
			after_repeating_group = false;
			p = end;
			continue;
		}
		after_repeating_group = false;
		if (*p == '\\' && p[1]) {
			p += 2;
		} else if (*p == '[') {     /* a bracket expression: braces in it are literal */
			const char *q = bracket_end(p);
			if (!q)
				break;
			p = q + 1;
		} else if (*p == '(') {
			repeats[++depth] = false;
			p++;
		} else if (*p == ')' && depth > 0) {
			after_repeating_group = repeats[depth--];
			repeats[depth] |= after_repeating_group;
			p++;
		} else {
			p++;
		}
	}
	return NULL;
}
