/* util.c — allocation, strings, UTF-8 widths, wrapping, clock. */
#include "src/util.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <wchar.h>

static void oom(size_t n)
{
	fprintf(stderr, "tshoot: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void name_index_init(struct name_index *x, size_t max)
{
	size_t n = 16;
	while (n < 2 * max)          /* at most half full: probes stay short */
		n *= 2;
	x->mask = n - 1;
	x->slot = xcalloc(n, sizeof(*x->slot));
	x->name = xcalloc(max + 1, sizeof(*x->name));
}

/* FNV-1a: every byte counts, so ids that share a long prefix still spread. */
static size_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot holding name, or the empty one where it would go. */
static size_t name_slot(const struct name_index *x, const char *name)
{
	size_t i = name_hash(name) & x->mask;
	while (x->slot[i] && strcmp(x->name[x->slot[i] - 1], name) != 0)
		i = (i + 1) & x->mask;   /* never full (init), so this ends */
	return i;
}

int name_index_add(struct name_index *x, const char *name, int idx)
{
	size_t i = name_slot(x, name);
	if (x->slot[i])
		return x->slot[i] - 1;
	x->name[idx] = name;
	x->slot[i] = idx + 1;
	return -1;
}

int name_index_find(const struct name_index *x, const char *name)
{
	if (!name || !x->slot)
		return -1;
	return x->slot[name_slot(x, name)] - 1;
}

void name_index_clear(struct name_index *x)
{
	FREE_NULL(x->slot);
	FREE_NULL(x->name);
	x->mask = 0;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *p = NULL;
	if (vasprintf(&p, fmt, ap) < 0)
		oom(0);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

static void sb_grow(struct strbuf *sb, size_t more)
{
	if (sb->len + more + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + more + 1)
		cap *= 2;
	sb->s = xrealloc(sb->s, cap);
	sb->cap = cap;
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	sb_add(sb, p);
	free(p);
}

char *sb_steal(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void sb_clear(struct strbuf *sb)
{
	if (!sb)
		return;
	FREE_NULL(sb->s);
	sb->len = sb->cap = 0;
}

void sb_shell_quote(struct strbuf *sb, const char *s)
{
	/* ASCII only: isalnum() would take locale letters, which a shell may not */
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-_./:=@%+,";
	bool plain = *s != '\0' && strspn(s, safe) == strlen(s);
	if (plain) {
		sb_add(sb, s);
		return;
	}
	sb_addc(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			sb_add(sb, "'\\''");
		else
			sb_addc(sb, *p);
	}
	sb_addc(sb, '\'');
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool str_starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

char *str_trim_dup(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

char *base64_dup(const void *data, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char *out = xmalloc((n + 2) / 3 * 4 + 1);
	char *o = out;
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = abc[(v >> 18) & 63];
		*o++ = abc[(v >> 12) & 63];
		*o++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? abc[v & 63] : '=';
	}
	*o = 0;
	return out;
}

bool parse_long(const char *s, long min, long max, long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_double(const char *s, double min, double max, double *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || end == s || !(v >= min && v <= max))
		return false;
	*out = v;
	return true;
}

size_t utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	size_t n;
	uint32_t v;
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		n = 2;
		v = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3;
		v = b & 0x0f;
		lo = b == 0xe0 ? 0xa0 : 0x80;     /* no overlong forms */
		hi = b == 0xed ? 0x9f : 0xbf;     /* no surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4;
		v = b & 0x07;
		lo = b == 0xf0 ? 0x90 : 0x80;
		hi = b == 0xf4 ? 0x8f : 0xbf;     /* nothing above U+10FFFF */
	} else {
		*cp = UTF8_INVALID;               /* a continuation byte, C0, C1, F5-FF */
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi) {     /* the NUL terminator stops here too */
			*cp = UTF8_INVALID;
			return i;
		}
		v = (v << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return n;
}

bool utf8_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	for (size_t i = n - 1; i > 0; i--, cp >>= 6)
		out[i] = (char)(0x80 | (cp & 0x3f));
	out[0] = (char)(lead[n] | cp);
	return n;
}

size_t utf8_prefix_for_bytes(const char *s, size_t max)
{
	size_t i = 0;
	while (s[i]) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, &cp);
		if (n > max - i)
			break;
		i += n;
	}
	return i;
}

enum clean_mode { CLEAN_LINE, CLEAN_TEXT, CLEAN_FLAT, CLEAN_UTF8_ONLY };

static char *clean_dup(const char *s, enum clean_mode m)
{
	struct strbuf sb = {0};
	const char *p = s ? s : "";
	while (*p) {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);
		if (cp == UTF8_INVALID)
			sb_add(&sb, UTF8_REPLACEMENT);
		else if (m == CLEAN_UTF8_ONLY || !utf8_cp_unsafe(cp) ||
			 (m == CLEAN_TEXT && (cp == '\n' || cp == '\t' || (cp == '\r' && p[1] == '\n'))))
			sb_addn(&sb, p, n);
		else if (cp == '\t' || (m == CLEAN_FLAT && (cp == '\n' || cp == '\r')))
			sb_addc(&sb, ' ');
		else
			sb_addc(&sb, '?');
		p += n;
	}
	return sb_steal(&sb);
}

char *str_clean_dup(const char *s)
{
	return clean_dup(s, CLEAN_LINE);
}

char *str_clean_text_dup(const char *s)
{
	return clean_dup(s, CLEAN_TEXT);
}

char *str_clean_flat_dup(const char *s)
{
	return clean_dup(s, CLEAN_FLAT);
}

char *utf8_valid_dup(const char *s)
{
	return clean_dup(s, CLEAN_UTF8_ONLY);
}

static size_t char_width(uint32_t cp)
{
	if (cp == UTF8_INVALID || utf8_cp_unsafe(cp))
		return 1;
	int w = wcwidth((wchar_t)cp);     /* glibc: wchar_t is the code point */
	return w < 0 ? 1 : (size_t)w;
}

size_t utf8_width(const char *s)
{
	size_t w = 0;
	while (*s) {
		uint32_t cp;
		s += utf8_decode(s, &cp);
		w += char_width(cp);
	}
	return w;
}

size_t utf8_prefix_for_width(const char *s, size_t cols)
{
	const char *p = s;
	size_t w = 0;
	while (*p) {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);
		size_t cw = char_width(cp);
		if (w + cw > cols)
			break;
		w += cw;
		p += n;
	}
	return (size_t)(p - s);
}

size_t columns_fit(const size_t *want, size_t n, size_t width, size_t gap, size_t min, size_t *out)
{
	size_t keep = n;
	for (; keep > 1; keep--) {
		size_t need = gap * (keep - 1);
		for (size_t i = 0; i < keep; i++)
			need += want[i] < min ? want[i] : min;
		if (need <= width)
			break;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = i < keep ? want[i] : 0;
	if (keep == 1 && out[0] > width)
		out[0] = width;
	if (keep <= 1)
		return keep;
	size_t total = gap * (keep - 1);
	for (size_t i = 0; i < keep; i++)
		total += out[i];
	/* bounded: total falls by one each time, and stops at the floors' sum, which fits */
	while (total > width) {
		size_t w = 0;
		for (size_t i = 1; i < keep; i++)
			if (out[i] >= out[w])
				w = i;          /* the widest; of equals the rightmost */
		size_t floor = want[w] < min ? want[w] : min;
		if (out[w] <= floor)
			break;
		out[w]--;
		total--;
	}
	return keep;
}

/* Wrap one paragraph (no newlines) into lines of at most width columns. A paragraph
 * that starts indented keeps that indentation on its continuation lines, so lists and
 * aligned tables in flow texts stay readable when wrapped. */
static void wrap_para(const char *p, size_t len, size_t width, char ***lines, size_t *n, size_t *cap)
{
	char *para = xstrndup(p, len);
	const char *s = para;
	size_t indent = strspn(para, " ");
	if (indent * 2 > width)
		indent = 0;
	if (!*s) {
		VEC_PUSH(*lines, *n, *cap);
		(*lines)[(*n)++] = xstrdup("");
	}
	bool first = true;
	while (*s) {
		size_t lead = first ? 0 : indent;
		size_t room = width - lead;
		size_t fit = utf8_prefix_for_width(s, room);
		struct strbuf line = {0};
		sb_addn(&line, "                                                                ",
			lead < 64 ? lead : 64);
		if (!s[fit]) {
			sb_add(&line, s);
			VEC_PUSH(*lines, *n, *cap);
			(*lines)[(*n)++] = sb_steal(&line);
			break;
		}
		size_t cut = fit;
		while (cut > 0 && s[cut] != ' ')
			cut--;
		/* only the paragraph's own indentation before the break: break the word */
		if (cut == 0 || (first && cut <= indent))
			cut = fit ? fit : 1;
		size_t end = cut;
		while (end > 0 && s[end - 1] == ' ')
			end--;
		sb_addn(&line, s, end);
		VEC_PUSH(*lines, *n, *cap);
		(*lines)[(*n)++] = sb_steal(&line);
		s += cut;
		while (*s == ' ')
			s++;
		first = false;
	}
	free(para);
}

char **wrap_text(const char *text, size_t width, size_t *n)
{
	char **lines = NULL;
	size_t cap = 0;
	*n = 0;
	if (width < 1)
		width = 1;
	const char *p = text ? text : "";
	/* drop one trailing newline (YAML block scalars end with one) */
	size_t total = strlen(p);
	while (total && p[total - 1] == '\n')
		total--;
	const char *end = p + total;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		wrap_para(p, len, width, &lines, n, &cap);
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines;
}

void wrap_free(char **lines, size_t n)
{
	strv_free(lines, n);
}

static bool line_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

bool text_starts_item(const char *s, size_t n)
{
	if (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
		return true;
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

char *text_reflow(const char *text)
{
	struct strbuf sb = {0};
	const char *p = text ? text : "";
	bool prev_joinable = false;     /* the line before may take a soft continuation */
	bool first = true;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		bool blank = line_is_blank(p, len);
		bool indented = len && (p[0] == ' ' || p[0] == '\t');
		bool joinable = !blank && !indented;
		if (!first) {
			if (prev_joinable && joinable && !text_starts_item(p, len)) {
				while (sb.len && sb.s[sb.len - 1] == ' ')
					sb.s[--sb.len] = '\0';
				sb_addc(&sb, ' ');
			} else {
				sb_addc(&sb, '\n');
			}
		}
		sb_addn(&sb, p, len);
		prev_joinable = joinable;
		first = false;
		if (!nl)
			break;
		p = nl + 1;
	}
	return sb_steal(&sb);
}

long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct json_object *json_str_new(const char *s)
{
	if (!s)
		return NULL;
	char *v = utf8_valid_dup(s);
	struct json_object *o = json_object_new_string(v);
	free(v);
	return o;
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

bool path_is_file(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool parse_age(const char *s, long long *secs)
{
	size_t len = strlen(s);
	if (len < 2)
		return false;
	long long unit = s[len - 1] == 'h' ? 3600 : s[len - 1] == 'd' ? 86400 : s[len - 1] == 'w' ? 7 * 86400 : 0;
	char *num = xstrndup(s, len - 1);
	long n;
	bool ok = unit && parse_long(num, 0, AGE_MAX_COUNT, &n);
	free(num);
	if (ok)
		*secs = n * unit;
	return ok;
}
