/* util.h — allocation that never returns NULL, growable strings, small helpers.
 *
 * Ownership shows in the name, everywhere in src/ (STYLE.md 7):
 *   x_new, x_dup, x*alloc  hand over memory the caller frees;
 *   x_get0, x0             borrow (valid while the owner lives);
 *   x_free(p)              frees p and everything it owns; NULL-safe. For an array it
 *                          is x_free(v, n): the n items, then v;
 *   x_clear(p)             releases what *p owns and leaves *p empty (zeroed, usable
 *                          again); p itself is the caller's (on the stack, in an array).
 *                          NULL-safe.
 * (checks/ still names check_result_clear and facts_clear for what is a _clear.) */
#ifndef TSHOOT_UTIL_H
#define TSHOOT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
void sb_clear(struct strbuf *sb);        /* frees the string; sb is empty again */
/* Append s to sb quoted for a POSIX shell: as is when it is only letters, digits and
 * -_./:=@%+, (and not empty), else in single quotes with each ' written '\''. */
void sb_shell_quote(struct strbuf *sb, const char *s);

/* Names to indices, for finding one among thousands at once (node ids, the keys of a big
 * mapping): a hash table. Names are borrowed and must outlive it. At most max names, each
 * with a distinct idx in [0, max). Empty it with name_index_clear. */
struct name_index {
	const char **name;           /* by idx */
	int *slot;                   /* idx + 1, or 0 when empty */
	size_t mask;
};
void name_index_init(struct name_index *x, size_t max);
/* Add name (not NULL) as idx unless an equal name is there: then that one's idx is
 * returned (the first added wins) and nothing changes; -1 when added. */
int name_index_add(struct name_index *x, const char *name, int idx);
int name_index_find(const struct name_index *x, const char *name);   /* -1 when absent */
void name_index_clear(struct name_index *x);

/* An array of n strings and the strings (NULL-safe). */
void strv_free(char **v, size_t n);

/* Strings */
bool str_eq(const char *a, const char *b);           /* NULL-safe */
bool str_ends_with(const char *s, const char *suffix);
/* A regular file (after following links); false for NULL, a directory, a FIFO... */
bool path_is_file(const char *path);
bool str_starts(const char *s, const char *prefix);
char *str_trim_dup(const char *s);                   /* copy without leading/trailing space */
/* Text from outside (servers, certificates, logs, pasted text, files) is made safe by
 * one rule, owned by the functions below: every invalid UTF-8 sequence becomes U+FFFD
 * (UTF8_REPLACEMENT), and every control character (C0, DEL, C1 U+0080-U+009F) and
 * bidirectional control (U+202A-U+202E, U+2066-U+2069) becomes '?', so none reaches a
 * terminal raw. Everything else, "é" and "✓" included, is kept. Results are valid UTF-8.
 * str_clean_dup: one line (a tab becomes a space, a newline '?').
 * str_clean_text_dup: the same, but newlines (LF and CRLF, as a pasted log has them) and
 * tabs are kept.
 * str_clean_flat_dup: one line with every line break and tab (LF, CR, TAB) a space, for
 * text that was written on several lines and is shown on one (a summary, a label). */
char *str_clean_dup(const char *s);
char *str_clean_text_dup(const char *s);
char *str_clean_flat_dup(const char *s);
/* Copy of s as valid UTF-8: invalid sequences become U+FFFD, nothing else changes. For
 * machine formats (JSON) that escape control characters themselves. */
char *utf8_valid_dup(const char *s);
/* A new json-c string of s made valid UTF-8 (utf8_valid_dup); NULL for NULL. Every JSON
 * string tshoot writes (reports, check --json, journals) is made here. */
struct json_object;
struct json_object *json_str_new(const char *s);
#define UTF8_REPLACEMENT "\xef\xbf\xbd"
/* Base64 (RFC 4648, with '=' padding, no line breaks) of n bytes at data, newly
 * allocated. For the terminal's clipboard (OSC 52), where ui/ cannot use OpenSSL's. */
char *base64_dup(const void *data, size_t n);
/* Parse a whole decimal number in [min,max]; false on anything else. No atoi. */
bool parse_long(const char *s, long min, long max, long *out);
/* An age as `sessions --older-than` and `stats --since` take it: N followed by h, d or
 * w (30d), N at most AGE_MAX_COUNT; *secs in seconds. */
#define AGE_MAX_COUNT 100000L
bool parse_age(const char *s, long long *secs);
bool parse_double(const char *s, double min, double max, double *out);

/* The one UTF-8 decoder. Decodes the sequence at s (a NUL-terminated string, not at
 * its end): returns its length in bytes (1 to 4) and sets *cp to the code point, or,
 * for an ill-formed sequence (overlong, surrogate, above U+10FFFF, cut short), to
 * UTF8_INVALID with the length of its maximal valid prefix (at least 1), as Unicode's
 * "substitution of maximal subparts" asks, so one bad sequence is one U+FFFD. */
#define UTF8_INVALID 0xffffffffu
size_t utf8_decode(const char *s, uint32_t *cp);
/* The one UTF-8 encoder: cp as 1 to 4 bytes in out (not NUL-terminated), returning the
 * length; 0 (nothing written) for a surrogate or a value above U+10FFFF. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Byte length of the longest prefix of s, at most max bytes, that ends where a character
 * ends (as utf8_decode reads s), so cutting there splits no character. */
size_t utf8_prefix_for_bytes(const char *s, size_t max);
/* The one rule of what is never sent raw to a terminal or a text format: control
 * characters (C0, DEL, C1) and the bidi controls U+202A-U+202E, U+2066-U+2069. */
bool utf8_cp_unsafe(uint32_t cp);

/* Display width (terminal columns) of a UTF-8 string as it shows once cleaned: an
 * invalid sequence, a control character or a bidi control counts as 1 (its placeholder). */
size_t utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in cols columns. */
size_t utf8_prefix_for_width(const char *s, size_t cols);

/* Widths for a table's columns on width terminal columns with gap columns between
 * neighbours; want[i] is the width of column i's widest cell. Every column gets its
 * want when they all fit; else the widest column is narrowed first, one column at a
 * time, none below min (or its want, when smaller), and while even that does not fit
 * columns are left out from the right (width 0); a lone column gets at most width.
 * Returns how many columns are kept (at least 1 when n > 0). The caller cuts each cell
 * to its column's width. */
size_t columns_fit(const size_t *want, size_t n, size_t width, size_t gap, size_t min, size_t *out);

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
