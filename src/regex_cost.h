/* regex_cost.h — the one rule for which POSIX extended regexes a flow may hold: what a
 * hostile pattern could cost to compile (glibc copies bounded repeats) or to match
 * (back-references, nested unbounded repeats). Signature regexes (the loader) and the
 * =~ patterns of conditions (src/expr.h) both ask it, so they refuse the same
 * patterns with the same words. */
#ifndef TSHOOT_REGEX_COST_H
#define TSHOOT_REGEX_COST_H

/* Why re would be too costly, as a phrase that follows the pattern's description
 * ("regex of signature 'x' <phrase>": "uses a back-reference (\1 to \9), which is not
 * supported"), static text; NULL when it is within bounds. Syntax errors are left to
 * regcomp. Limits: at most 1024 characters, bounds {n,m} up to 255, a product of
 * nested or successive bounds up to 10000, no \1 to \9, no unbounded repeat of a group
 * that repeats inside ((a+)+). */
const char *regex_cost_problem(const char *re);

#endif
