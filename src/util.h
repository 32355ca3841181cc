/* util.h — allocation that never returns NULL, growable strings, small helpers.
 * Ownership: functions named _new/_dup/x*alloc hand over memory the caller frees. */
#ifndef TSHOOT_UTIL_H
#define TSHOOT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation wrappers: abort with a message on exhaustion, never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Free *pp and set it to NULL in one step. */
#define FREE_NULL(p) do { free(p); (p) = NULL; } while (0)

/* Grow a vector: ensure room for n+1 items in *v of capacity *cap. */
#define VEC_PUSH(v, n, cap) do { \
	if ((n) >= (cap)) { (cap) = (cap) ? (cap) * 2 : 8; \
		(v) = xrealloc((v), (cap) * sizeof(*(v))); } \
} while (0)

/* A growable, always NUL-terminated string. Zero-initialise: struct strbuf sb = {0}. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_steal(struct strbuf *sb);       /* hands over the string ("" if empty); sb is reset */
void sb_free(struct strbuf *sb);

/* Strings */
bool str_eq(const char *a, const char *b);           /* NULL-safe */
bool str_starts(const char *s, const char *prefix);
char *str_trim_dup(const char *s);                   /* copy without leading/trailing space */
/* Copy of s with control characters (C0, DEL, C1 in UTF-8) replaced by '?' : for text
 * that came off the network or from a file, before it is shown or written. */
char *str_clean_dup(const char *s);
/* Parse a whole decimal number in [min,max]; false on anything else. No atoi. */
bool parse_long(const char *s, long min, long max, long *out);
bool parse_double(const char *s, double min, double max, double *out);

/* Display width (terminal columns) of a UTF-8 string; invalid bytes count as 1. */
size_t utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in cols columns. */
size_t utf8_prefix_for_width(const char *s, size_t cols);

/* Word-wrap text to width columns. Returns an array of newly allocated lines, *n set.
 * Existing newlines are kept as paragraph breaks. Free with wrap_free. */
char **wrap_text(const char *text, size_t width, size_t *n);
void wrap_free(char **lines, size_t n);
/* Join soft line breaks, as Markdown does, so text written with hard breaks at some
 * width can be wrapped to any other: a line is joined to the one before it unless
 * either is blank or indented, or it starts a list item ("- ", "* ", "1. ", "2) ").
 * Blank lines, indented lines (tables, commands) and list items stay as written. */
char *text_reflow(const char *text);
/* Does the line s[0..n) start a list item ("- ", "* ", "1. ", "2) ")? text_reflow's rule. */
bool text_starts_item(const char *s, size_t n);

/* Monotonic clock in milliseconds. */
long long now_ms(void);

#endif
