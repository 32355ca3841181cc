/* expr.c — condition parsing and evaluation (src/expr.h).
 *
 * A recursive-descent parser over tokens read one at a time; references are read by
 * the one ${...} tokenizer (template_next). The tree lives in one array of nodes linked
 * by index: '&&' and '||' are n-ary (a chain of 200 '&&' is one node with 200
 * children, walked by a loop), so both the parser and the evaluator recurse only for
 * '(' and '!', which EXPR_MAX_DEPTH bounds. */
#include "src/expr.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/regex_cost.h"
#include "src/template.h"
#include "src/util.h"

enum tok_kind { T_END, T_LPAREN, T_RPAREN, T_NOT, T_AND, T_OR, T_CMP, T_STR, T_NUM, T_REF };
enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_MATCH };
enum node_kind { N_OR, N_AND, N_NOT, N_CMP };

static const char *const cmp_names[] = {"==", "!=", "<", "<=", ">", ">=", "=~"};

struct operand {
	bool is_ref;
	bool is_num;                 /* a number as written, unquoted */
	char *text;                  /* a reference's name, or a literal's value; owned */
	int col;
};

struct enode {
	enum node_kind kind;
	int col;
	int kid;                     /* N_OR, N_AND, N_NOT: first operand node, else -1 */
	int next;                    /* the next operand of the parent, or -1 */
	enum cmp_op op;              /* N_CMP */
	struct operand l, r;         /* N_CMP */
	regex_t *re;                 /* N_CMP with CMP_MATCH: r compiled; owned */
};

struct expr {
	struct enode *nodes;
	size_t n, cap;
	int root;
};

/* ---- numbers ---- */

struct dec {
	bool neg;
	const char *ip, *fp;         /* integer digits without leading zeros, fraction
	                                digits without trailing zeros */
	size_t il, fl;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool dec_parse(const char *s, struct dec *d)
{
	if (!s)
		return false;
	d->neg = *s == '-';
	if (d->neg)
		s++;
	if (!is_digit(*s))
		return false;
	while (*s == '0' && is_digit(s[1]))
		s++;
	d->ip = s;
	while (is_digit(*s))
		s++;
	d->il = (size_t)(s - d->ip);
	if (d->il == 1 && *d->ip == '0')
		d->il = 0;
	d->fp = s;
	d->fl = 0;
	if (*s == '.') {
		d->fp = ++s;
		if (!is_digit(*s))
			return false;
		while (is_digit(*s))
			s++;
		d->fl = (size_t)(s - d->fp);
		while (d->fl > 0 && d->fp[d->fl - 1] == '0')
			d->fl--;
	}
	if (*s)
		return false;
	if (d->il == 0 && d->fl == 0)
		d->neg = false;                   /* -0 is 0 */
	return true;
}

bool expr_is_number(const char *s)
{
	struct dec d;
	return dec_parse(s, &d);
}

/* <0, 0, >0 as a < b, both numbers, exactly (no floating point). */
static int dec_cmp(const struct dec *a, const struct dec *b)
{
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	int mag;
	if (a->il != b->il) {
		mag = a->il < b->il ? -1 : 1;
	} else {
		mag = memcmp(a->ip, b->ip, a->il);
		size_t fl = a->fl > b->fl ? a->fl : b->fl;
		for (size_t i = 0; !mag && i < fl; i++) {
			char x = i < a->fl ? a->fp[i] : '0', y = i < b->fl ? b->fp[i] : '0';
			mag = (x > y) - (x < y);
		}
	}
	return a->neg ? -mag : mag;
}

/* ---- tokens ---- */

struct tok {
	enum tok_kind kind;
	enum cmp_op op;              /* T_CMP */
	const char *at;              /* where it starts in the source */
	size_t len;                  /* its length in the source */
	char *text;                  /* T_STR, T_NUM, T_REF: owned until taken */
	int col;
};

struct parser {
	const char *src;
	const char *p;               /* the next byte to read */
	struct tok tok;              /* the current token */
	struct expr *e;
	int depth;
	int npatterns;
	const char *col_at;          /* col_of's memo: the column of col_at is col */
	int col;
	bool failed;
	char *err;
	size_t errlen;
	int *err_col;
};

/* The 1-based column of at: characters (UTF-8 lead bytes) before it, plus one. Tokens
 * are read left to right, so counting on from the last answer keeps this linear. */
static int col_of(struct parser *P, const char *at)
{
	if (!P->col_at || at < P->col_at) {
		P->col_at = P->src;
		P->col = 1;
	}
	for (; P->col_at < at; P->col_at++)
		P->col += ((unsigned char)*P->col_at & 0xc0) != 0x80;
	return P->col;
}

/* Record the first problem; always returns false so callers can `return fail(...)`. */
static bool fail(struct parser *P, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool fail(struct parser *P, int col, const char *fmt, ...)
{
	if (P->failed)
		return false;
	P->failed = true;
	if (P->err && P->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(P->err, P->errlen, fmt, ap);
		va_end(ap);
	}
	if (P->err_col)
		*P->err_col = col;
	return false;
}

/* How a token reads in a message: "'=='", "the end". */
static void tok_desc(const struct tok *t, char *buf, size_t n)
{
	if (t->kind == T_END) {
		snprintf(buf, n, "the end");
		return;
	}
	size_t len = t->len > 40 ? utf8_prefix_for_bytes(t->at, 40) : t->len;
	if (t->kind == T_STR)
		snprintf(buf, n, "%.*s%s", (int)len, t->at, len < t->len ? "...'" : "");
	else
		snprintf(buf, n, "'%.*s%s'", (int)len, t->at, len < t->len ? "..." : "");
}

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* A quoted text at P->p (its opening quote): its value into t->text. */
static bool read_string(struct parser *P, struct tok *t)
{
	struct strbuf sb = {0};
	sb_add(&sb, "");
	const char *q = P->p + 1;
	for (; *q && *q != '\''; q++) {
		if (*q == '$' && q[1] == '{') {
			sb_clear(&sb);
			return fail(P, col_of(P, q), "${...} inside quotes is not expanded: "
				    "compare with the reference itself, outside the quotes");
		}
		if (*q == '\\' && (q[1] == '\'' || q[1] == '\\'))
			q++;
		sb_addc(&sb, *q);
	}
	if (!*q) {
		sb_clear(&sb);
		return fail(P, t->col, "this quote is not closed (a ' inside a text is "
			    "written \\')");
	}
	t->kind = T_STR;
	t->text = sb_steal(&sb);
	P->p = q + 1;
	return true;
}

/* A number at P->p ('-' or a digit). */
static bool read_number(struct parser *P, struct tok *t)
{
	const char *q = P->p;
	if (*q == '-')
		q++;
	if (!is_digit(*q))
		return fail(P, t->col, "unexpected '-' (a negative number is written -5, "
			    "with no space)");
	while (is_digit(*q))
		q++;
	if (*q == '.') {
		q++;
		if (!is_digit(*q))
			return fail(P, t->col, "malformed number (write 1.5, with digits on both "
				    "sides of the point)");
		while (is_digit(*q))
			q++;
	}
	if (name_start(*q) || is_digit(*q) || *q == '.')
		return fail(P, t->col, "malformed number (a number is digits, with an "
			    "optional '-' and decimal point)");
	t->kind = T_NUM;
	t->text = xstrndup(P->p, (size_t)(q - P->p));
	P->p = q;
	return true;
}

/* A ${...} at P->p, read by the one template tokenizer. */
static bool read_ref(struct parser *P, struct tok *t)
{
	const char *q = P->p;
	struct template_token tt;
	if (!template_next(&q, &tt) || tt.kind != TEMPLATE_VAR)
		return fail(P, t->col, "malformed ${...}: a reference is " TEMPLATE_REF_RULE);
	t->kind = T_REF;
	t->text = xstrndup(tt.text, tt.len);
	P->p = q;
	return true;
}

/* Two-character operators and their one-character forms. */
static bool read_operator(struct parser *P, struct tok *t)
{
	const char *q = P->p;
	char c = q[0], d = q[1];
	size_t len = 2;
	if (c == '=' && d == '=') {
		t->kind = T_CMP, t->op = CMP_EQ;
	} else if (c == '=' && d == '~') {
		t->kind = T_CMP, t->op = CMP_MATCH;
	} else if (c == '!' && d == '=') {
		t->kind = T_CMP, t->op = CMP_NE;
	} else if (c == '<' || c == '>') {
		t->kind = T_CMP;
		t->op = c == '<' ? (d == '=' ? CMP_LE : CMP_LT) : (d == '=' ? CMP_GE : CMP_GT);
		len = d == '=' ? 2 : 1;
	} else if (c == '&' && d == '&') {
		t->kind = T_AND;
	} else if (c == '|' && d == '|') {
		t->kind = T_OR;
	} else if (c == '!') {
		t->kind = T_NOT, len = 1;
	} else if (c == '=') {
		return fail(P, t->col, "'=' alone is not an operator: write == to compare");
	} else if (c == '&') {
		return fail(P, t->col, "'&' alone is not an operator: write && for 'and'");
	} else if (c == '|') {
		return fail(P, t->col, "'|' alone is not an operator: write || for 'or'");
	} else {
		return false;
	}
	P->p = q + len;
	return true;
}

/* Read the next token into P->tok, dropping the current one. */
static bool advance(struct parser *P)
{
	struct tok *t = &P->tok;
	free(t->text);
	*t = (struct tok){0};
	if (P->failed)
		return false;
	while (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r')
		P->p++;
	t->at = P->p;
	t->col = col_of(P, P->p);
	char c = *P->p;
	bool ok = true;
	if (!c) {
		t->kind = T_END;
	} else if (c == '(' || c == ')') {
		t->kind = c == '(' ? T_LPAREN : T_RPAREN;
		P->p++;
	} else if (c == '\'') {
		ok = read_string(P, t);
	} else if (c == '-' || is_digit(c)) {
		ok = read_number(P, t);
	} else if (c == '$' && P->p[1] == '{') {
		ok = read_ref(P, t);
	} else if (read_operator(P, t)) {
		ok = true;
	} else if (P->failed) {
		ok = false;
	} else if (name_start(c)) {
		const char *q = P->p;
		while (name_start(*q) || is_digit(*q))
			q++;
		int n = (int)(q - P->p > 40 ? 40 : q - P->p);
		ok = fail(P, t->col, "unexpected word '%.*s': write ${%.*s} for a variable, "
			  "'%.*s' for a text", n, P->p, n, P->p, n, P->p);
	} else if ((unsigned char)c > 0x20 && (unsigned char)c < 0x7f) {
		ok = fail(P, t->col, "unexpected '%c'", c);
	} else {
		ok = fail(P, t->col, "unexpected character (byte 0x%02x)", (unsigned char)c);
	}
	t->len = (size_t)(P->p - t->at);
	return ok;
}

/* ---- the tree ---- */

static int new_node(struct parser *P, enum node_kind kind, int col)
{
	struct expr *e = P->e;
	if (e->n >= EXPR_MAX_NODES) {
		fail(P, col, "too many comparisons and operators (at most %d)", EXPR_MAX_NODES);
		return -1;
	}
	VEC_PUSH(e->nodes, e->n, e->cap);
	e->nodes[e->n] = (struct enode){.kind = kind, .col = col, .kid = -1, .next = -1};
	return (int)e->n++;
}

static bool is_value(const struct tok *t)
{
	return t->kind == T_STR || t->kind == T_NUM || t->kind == T_REF;
}

/* Move the current token, a value, into o. */
static void take_value(struct parser *P, struct operand *o)
{
	o->is_ref = P->tok.kind == T_REF;
	o->is_num = P->tok.kind == T_NUM;
	o->text = P->tok.text;
	o->col = P->tok.col;
	P->tok.text = NULL;
}

static int parse_or(struct parser *P);

/* The pattern of node i (its r, a quoted text): judged and compiled. */
static bool compile_pattern(struct parser *P, struct enode *nd)
{
	const char *why;
	if (!*nd->r.text)
		return fail(P, nd->r.col, "the pattern after =~ is empty (it would match "
			    "everything)");
	if ((why = regex_cost_problem(nd->r.text)))
		return fail(P, nd->r.col, "the pattern after =~ %s", why);
	if (++P->npatterns > EXPR_MAX_PATTERNS)
		return fail(P, nd->r.col, "too many =~ patterns (at most %d)", EXPR_MAX_PATTERNS);
	regex_t *re = xmalloc(sizeof(*re));
	int rc = regcomp(re, nd->r.text, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char buf[128];
		regerror(rc, re, buf, sizeof(buf));
		free(re);
		return fail(P, nd->r.col, "bad pattern after =~: %s", buf);
	}
	nd->re = re;
	return true;
}

/* value op value, the current token being the first value. */
static int parse_compare(struct parser *P)
{
	char d[64];
	int i = new_node(P, N_CMP, P->tok.col);
	if (i < 0)
		return -1;
	struct enode *nd = &P->e->nodes[i];
	take_value(P, &nd->l);
	if (!advance(P))
		return -1;
	if (P->tok.kind != T_CMP) {
		tok_desc(&P->tok, d, sizeof(d));
		if (nd->l.is_ref)
			fail(P, nd->l.col, "${%s} alone is not a condition: compare it, as "
			     "${%s} != '' (found %s after it)", nd->l.text, nd->l.text, d);
		else
			fail(P, nd->l.col, "a value alone is not a condition: compare it with "
			     "== != < <= > >= or =~ (found %s after it)", d);
		return -1;
	}
	nd->op = P->tok.op;
	int opcol = P->tok.col;
	if (!advance(P))
		return -1;
	if (nd->op == CMP_MATCH && P->tok.kind != T_STR) {
		fail(P, P->tok.col, "the pattern after =~ must be a quoted text, as "
		     "${x} =~ '^abc'");
		return -1;
	}
	if (!is_value(&P->tok)) {
		tok_desc(&P->tok, d, sizeof(d));
		fail(P, P->tok.col, "expected a value after '%s' (${name}, 'text' or a "
		     "number), found %s", cmp_names[nd->op], d);
		return -1;
	}
	take_value(P, &nd->r);
	if (nd->op == CMP_MATCH && !compile_pattern(P, nd))
		return -1;
	if (!advance(P))
		return -1;
	if (P->tok.kind == T_CMP) {
		fail(P, P->tok.col, "comparisons do not chain: join them with && "
		     "(the one before starts at column %d)", opcol);
		return -1;
	}
	return i;
}

/* '!' unary | '(' condition ')' | comparison. */
static int parse_unary(struct parser *P)
{
	char d[64];
	int col = P->tok.col;
	if (P->tok.kind == T_NOT || P->tok.kind == T_LPAREN) {
		if (P->depth >= EXPR_MAX_DEPTH) {
			fail(P, col, "nested more than %d deep ('(' and '!')", EXPR_MAX_DEPTH);
			return -1;
		}
		bool paren = P->tok.kind == T_LPAREN;
		P->depth++;
		if (!advance(P))
			return -1;
		int k = paren ? parse_or(P) : parse_unary(P);
		P->depth--;
		if (k < 0)
			return -1;
		if (!paren) {
			int i = new_node(P, N_NOT, col);
			if (i >= 0)
				P->e->nodes[i].kid = k;
			return i;
		}
		if (P->tok.kind == T_END) {
			fail(P, col, "this '(' is not closed");
			return -1;
		}
		if (P->tok.kind != T_RPAREN) {
			tok_desc(&P->tok, d, sizeof(d));
			fail(P, P->tok.col, "unexpected %s (expected ')', && or ||)", d);
			return -1;
		}
		return advance(P) ? k : -1;
	}
	if (is_value(&P->tok))
		return parse_compare(P);
	tok_desc(&P->tok, d, sizeof(d));
	fail(P, P->tok.col, "expected a comparison, '(' or '!', found %s", d);
	return -1;
}

/* An n-ary chain of sub (parse_unary or parse_and) joined by op (T_AND or T_OR). */
static int parse_chain(struct parser *P, enum tok_kind op, int (*sub)(struct parser *))
{
	int col = P->tok.col;
	int first = sub(P);
	if (first < 0 || P->tok.kind != op)
		return first;
	int i = new_node(P, op == T_AND ? N_AND : N_OR, col);
	if (i < 0)
		return -1;
	P->e->nodes[i].kid = first;
	int last = first;
	while (P->tok.kind == op) {
		if (!advance(P))
			return -1;
		int k = sub(P);
		if (k < 0)
			return -1;
		P->e->nodes[last].next = k;
		last = k;
	}
	return i;
}

static int parse_and(struct parser *P)
{
	return parse_chain(P, T_AND, parse_unary);
}

static int parse_or(struct parser *P)
{
	return parse_chain(P, T_OR, parse_and);
}

struct expr *expr_parse(const char *src, char *err, size_t errlen, int *err_col)
{
	struct parser P = {.src = src ? src : "", .err = err, .errlen = errlen,
			   .err_col = err_col};
	P.p = P.src;
	if (err && errlen)
		*err = '\0';
	if (err_col)
		*err_col = 0;
	if (strnlen(P.src, EXPR_MAX_SOURCE + 1) > EXPR_MAX_SOURCE) {
		fail(&P, 1, "the condition is longer than %d bytes", EXPR_MAX_SOURCE);
		return NULL;
	}
	P.e = xcalloc(1, sizeof(*P.e));
	int root = -1;
	if (advance(&P)) {
		if (P.tok.kind == T_END)
			fail(&P, 1, "the condition is empty");
		else
			root = parse_or(&P);
	}
	if (root >= 0 && P.tok.kind != T_END) {
		char d[64];
		tok_desc(&P.tok, d, sizeof(d));
		fail(&P, P.tok.col, "unexpected %s (expected && or || between comparisons)", d);
	}
	free(P.tok.text);
	if (P.failed) {
		expr_free(P.e);
		return NULL;
	}
	P.e->root = root;
	return P.e;
}

void expr_free(struct expr *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		struct enode *nd = &e->nodes[i];
		free(nd->l.text);
		free(nd->r.text);
		if (nd->re)
			regfree(nd->re);
		free(nd->re);
	}
	free(e->nodes);
	free(e);
}

void expr_names(const struct expr *e, void (*fn)(const char *name, int col, void *ctx),
		void *ctx)
{
	/* comparisons sit in the array in the order the parser met them */
	for (size_t i = 0; e && i < e->n; i++) {
		const struct enode *nd = &e->nodes[i];
		if (nd->kind != N_CMP)
			continue;
		if (nd->l.is_ref)
			fn(nd->l.text, nd->l.col, ctx);
		if (nd->r.is_ref)
			fn(nd->r.text, nd->r.col, ctx);
	}
}

/* ---- evaluation ---- */

struct eval {
	const struct expr *e;
	expr_lookup_fn lookup;
	void *ctx;
	char *why;
	size_t whylen;
};

static int eval_fail(struct eval *V, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int eval_fail(struct eval *V, const char *fmt, ...)
{
	if (V->why && V->whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(V->why, V->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* An operand as a message names it: its reference, or its literal as written (not a
 * value that was looked up: it may be secret). */
static void operand_desc(const struct operand *o, char *buf, size_t n)
{
	size_t len = strlen(o->text), cut = len > 40 ? utf8_prefix_for_bytes(o->text, 40) : len;
	if (o->is_ref)
		snprintf(buf, n, "${%s}", o->text);
	else if (o->is_num)
		snprintf(buf, n, "%.*s%s", (int)cut, o->text, cut < len ? "..." : "");
	else
		snprintf(buf, n, "'%.*s%s'", (int)cut, o->text, cut < len ? "..." : "");
}

static int value_of(struct eval *V, const struct operand *o, const char **out)
{
	if (!o->is_ref) {
		*out = o->text;
		return 0;
	}
	*out = V->lookup ? V->lookup(o->text, V->ctx) : NULL;
	if (!*out)
		return eval_fail(V, "${%s} is not set", o->text);
	return 0;
}

static int eval_compare(struct eval *V, const struct enode *nd, bool *out)
{
	const char *a, *b;
	if (value_of(V, &nd->l, &a) || value_of(V, &nd->r, &b))
		return -1;
	if (nd->op == CMP_MATCH) {
		*out = regexec(nd->re, a, 0, NULL, 0) == 0;
		return 0;
	}
	struct dec da, db;
	bool na = dec_parse(a, &da), nb = dec_parse(b, &db);
	int c;
	if (na && nb) {
		c = dec_cmp(&da, &db);
	} else if (na != nb && nd->op != CMP_EQ && nd->op != CMP_NE) {
		char x[96], y[96];
		operand_desc(na ? &nd->r : &nd->l, x, sizeof(x));
		operand_desc(na ? &nd->l : &nd->r, y, sizeof(y));
		return eval_fail(V, "%s is not a number (%s compares it with %s, which is)", x,
				 cmp_names[nd->op], y);
	} else {
		c = strcmp(a, b);
	}
	switch (nd->op) {
	case CMP_EQ: *out = c == 0; break;
	case CMP_NE: *out = c != 0; break;
	case CMP_LT: *out = c < 0; break;
	case CMP_LE: *out = c <= 0; break;
	case CMP_GT: *out = c > 0; break;
	case CMP_GE: *out = c >= 0; break;
	case CMP_MATCH: break;
	}
	return 0;
}

/* Recursion follows the tree, whose depth is bounded by the nesting of '(' and '!'
 * (EXPR_MAX_DEPTH): at most three nodes (||, &&, then '!' or a comparison) a level. */
static int eval_node(struct eval *V, int i, bool *out)
{
	const struct enode *nd = &V->e->nodes[i];
	switch (nd->kind) {
	case N_CMP:
		return eval_compare(V, nd, out);
	case N_NOT:
		if (eval_node(V, nd->kid, out))
			return -1;
		*out = !*out;
		return 0;
	case N_AND:
	case N_OR: {
		bool stop_on = nd->kind == N_OR;  /* || stops at a true operand, && at a false */
		for (int k = nd->kid; k >= 0; k = V->e->nodes[k].next) {
			if (eval_node(V, k, out))
				return -1;
			if (*out == stop_on)
				return 0;
		}
		*out = !stop_on;
		return 0;
	}
	}
	return eval_fail(V, "broken condition");
}

int expr_eval(const struct expr *e, expr_lookup_fn lookup, void *ctx, bool *out,
	      char *why, size_t whylen)
{
	struct eval V = {e, lookup, ctx, why, whylen};
	bool result = false;
	if (why && whylen)
		*why = '\0';
	int rc = e && e->root >= 0 ? eval_node(&V, e->root, &result)
				   : eval_fail(&V, "no condition");
	*out = rc == 0 && result;
	return rc;
}
