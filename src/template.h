/* template.h — the one reading of ${name} in flow texts (tshoot-flow(5), TEMPLATES and
 * VARIABLES): which names are variable names, which texts are references (a name, or
 * a capture's fact as label.fact), and how a text splits into literal text and
 * ${...} references. The loader (variable names), lint (references naming no
 * variable, malformed '${'), the expander (engine_expand in src/engine.h) and the
 * condition parser (src/expr.h) all ask these functions, so they cannot disagree. */
#ifndef TSHOOT_TEMPLATE_H
#define TSHOOT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#define TEMPLATE_MAX_NAME 128
/* The rule below in words, for messages and the man page. */
#define TEMPLATE_NAME_RULE "letters, digits and '_', not starting with a digit, at most 128 characters"
#define TEMPLATE_REF_RULE "${name}, or ${label.fact} for a capture's fact: names of " \
	"letters, digits and '_', not starting with a digit, at most 128 characters in all"

/* Is s[0..n) a variable name: ASCII letters, digits and '_', not starting with a digit,
 * 1 to TEMPLATE_MAX_NAME characters? */
bool template_name_valid(const char *s, size_t n);

/* Is s[0..n) a reference: a name, or label.fact (two names joined by one '.'), at most
 * TEMPLATE_MAX_NAME characters in all (so a buffer of TEMPLATE_MAX_NAME + 1 holds any
 * reference)? Variables are declared with plain names only (template_name_valid). */
bool template_ref_valid(const char *s, size_t n);

enum template_kind {
	TEMPLATE_TEXT,               /* text to copy as is: a run of text, or the "${" that
	                                "$${" stands for */
	TEMPLATE_VAR,                /* ${name} or ${label.fact}, a valid reference
	                                (template_ref_valid): text/len is the reference, a
	                                '.' in it makes it label.fact */
	TEMPLATE_BAD,                /* a "${" that opens no valid reference (an invalid or
	                                too long name, no '}'): text/len is that "${" */
};

struct template_token {
	enum template_kind kind;
	const char *text;            /* borrowed from the template */
	size_t len;
	const char *raw;             /* the bytes of the template the token covers */
	size_t rawlen;
};

/* The token at *p, advancing *p past it; false (and *p untouched) at the end of the
 * text. Every byte of the template is covered by exactly one token, so a loop of
 * template_next ends after at most strlen(template) tokens. A '$' not followed by '{'
 * is text; "$${" is the text "${". */
bool template_next(const char **p, struct template_token *t);

#endif
