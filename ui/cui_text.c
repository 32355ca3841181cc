/* cui_text.c — text made fit for the full screen: every string from a flow, a server
 * or the operator passes here before it is drawn. glyph is the one place the screen's
 * rules live (layout characters, the cleaning rule, ASCII stand-ins outside UTF-8); fit
 * and fit_tail cut to display columns (never bytes) with an ellipsis; put draws; and
 * lines_wrap wraps paragraphs, list items hanging under their first word, into the
 * lines text areas and panels show. */
#include "ui/cui.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

/* ---- Symbols and text preparation. */
static const char *const spin_utf8[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
static const char *const spin_ascii[] = {"|", "/", "-", "\\"};
static const struct syms syms_utf8 = {"✓", "✗", "!", " › ", "…", "▲", "▼", "•", "> ", spin_utf8, 10};
static const struct syms syms_ascii = {"[OK]", "[X]", "[!]", " > ", "...", "^", "v", "*", "> ", spin_ascii, 4};

const struct syms *syms_get(bool utf8)
{
	return utf8 ? &syms_utf8 : &syms_ascii;
}

attr_t pair(const struct cui *c, int p)
{
	return c->color ? COLOR_PAIR(p) : 0;
}

/* ASCII stand-ins for the punctuation flows and servers commonly use. */
static const char *ascii_for(uint32_t cp)
{
	switch (cp) {
	case 0x00a0: return " ";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: return "-";
	case 0x2018: case 0x2019: case 0x201a: return "'";
	case 0x201c: case 0x201d: case 0x201e: return "\"";
	case 0x2026: return "...";
	case 0x2022: case 0x00b7: return "*";
	case 0x203a: case 0x00bb: return ">";
	case 0x2039: case 0x00ab: return "<";
	case 0x2192: return "->";
	case 0x2190: return "<-";
	case 0x2713: case 0x2714: return "[OK]";
	case 0x2717: case 0x2718: return "[X]";
	default: return "?";
	}
}

/* How the screen shows the character at p (not at its end): *n is its length in bytes,
 * out (NUL-terminated) what to draw. Layout first: newlines are kept, a tab becomes two
 * spaces, CR nothing; then the one cleaning rule (utf8_cp_unsafe: control and bidi
 * characters as '?', invalid UTF-8 as U+FFFD), and in a non-UTF-8 locale everything
 * non-ASCII transliterated. The one place the screen's rules live. */
void glyph(const struct cui *c, const unsigned char *p, size_t *n, char out[8])
{
	uint32_t cp;
	size_t k = utf8_decode((const char *)p, &cp);
	*n = k ? k : 1;
	out[0] = 0;
	if (cp == '\r')
		return;
	if (cp == '\n')
		memcpy(out, "\n", 2);
	else if (cp == '\t')
		memcpy(out, "  ", 3);
	else if (cp == UTF8_INVALID)
		snprintf(out, 8, "%s", c->utf8 ? UTF8_REPLACEMENT : "?");
	else if (utf8_cp_unsafe(cp))
		memcpy(out, "?", 2);
	else if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = 0;
	} else if (c->utf8) {
		memcpy(out, p, *n);
		out[*n] = 0;
	} else
		snprintf(out, 8, "%s", ascii_for(cp));
}

/* A copy of s fit for the screen (see glyph). Never NULL. */
char *prep(const struct cui *c, const char *s)
{
	struct strbuf sb = {0};
	sb_add(&sb, "");
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t n;
		char g[8];
		glyph(c, p, &n, g);
		sb_add(&sb, g);
		p += n;
	}
	return sb_steal(&sb);
}

/* One line (no newline) made safe and cut to cols display columns, with an ellipsis
 * when cut. */
char *fit(const struct cui *c, const char *s, int cols)
{
	char *p = prep(c, s);
	for (char *q = p; *q; q++)
		if (*q == '\n')
			*q = ' ';
	if (cols < 1) {
		p[0] = 0;
		return p;
	}
	if (utf8_width(p) <= (size_t)cols)
		return p;
	size_t ew = utf8_width(c->sy->ell);
	size_t keep = utf8_prefix_for_width(p, (size_t)cols > ew ? (size_t)cols - ew : 0);
	char *r = xasprintf("%.*s%s", (int)keep, p, (size_t)cols > ew ? c->sy->ell : "");
	free(p);
	return r;
}

/* The tail of s that fits cols columns, led by an ellipsis when cut. */
char *fit_tail(const struct cui *c, const char *s, int cols)
{
	if (utf8_width(s) <= (size_t)cols)
		return xstrdup(s);
	size_t ew = utf8_width(c->sy->ell);
	size_t room = (size_t)cols > ew ? (size_t)cols - ew : 0;
	/* drop the widest prefix of at most total - room columns (measured once, not per
	 * character); a wide character across the cut goes too */
	size_t drop = utf8_width(s) - room;
	const char *p = s + utf8_prefix_for_width(s, drop);
	char *head = xstrndup(s, (size_t)(p - s));
	if (*p && utf8_width(head) < drop) {
		uint32_t cp;
		p += utf8_decode(p, &cp);
	}
	free(head);
	return xasprintf("%s%s", c->sy->ell, p);
}

/* Write s at y,x in w, at most cols columns (s must already be prepared). */
void put(WINDOW *w, int y, int x, const char *s, int cols, attr_t a)
{
	if (cols <= 0 || !s)
		return;
	size_t nb = utf8_prefix_for_width(s, (size_t)cols);
	if (!nb)
		return;
	if (a)
		wattron(w, a);
	mvwaddnstr(w, y, x, s, (int)nb);
	if (a)
		wattroff(w, a);
}

/* ---- Lines with attributes: what text areas and panels show. */
void lines_push(struct lines *L, char *owned, attr_t a, int item)
{
	VEC_PUSH(L->v, L->n, L->cap);
	L->v[L->n++] = (struct line){owned, a, item, false};
}

void lines_free(struct lines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i].s);
	free(L->v);
	memset(L, 0, sizeof(*L));
}

/* Width of a paragraph's hanging indent: its leading spaces plus a list marker
 * ("• ", "* ", "- ", "12. ", "[x] ") when there is one. */
static size_t hang_width(const struct cui *c, const char *p)
{
	size_t sp = 0;
	while (p[sp] == ' ')
		sp++;
	const char *q = p + sp;
	const char *b = c->sy->bullet;
	if (str_starts(q, b) && q[strlen(b)] == ' ')
		return sp + utf8_width(b) + 1;
	if ((q[0] == '*' || q[0] == '-') && q[1] == ' ')
		return sp + 2;
	if (q[0] == '[' && q[1] && q[2] == ']' && q[3] == ' ')
		return sp + 4;
	size_t d = 0;
	while (q[d] >= '0' && q[d] <= '9')
		d++;
	if (d && d < 4 && q[d] == '.' && q[d + 1] == ' ')
		return sp + d + 2;
	return sp;
}

/* Add text (prepared here) wrapped to width columns; continuation lines of each
 * paragraph are indented under its first word (bullets, numbers). */
void lines_wrap(const struct cui *c, struct lines *L, const char *text, int width, attr_t a, int item)
{
	char *t = prep(c, text);
	if (width < 4)
		width = 4;
	/* paragraph by paragraph, keeping empty lines */
	char *p = t;
	for (;;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		size_t hang = hang_width(c, p);
		if (hang > (size_t)width / 2)
			hang = 0;
		size_t n = 0;
		char **w = wrap_text(p, (size_t)width, &n);
		if (n > 1 && hang) {
			/* rewrap the rest narrower so it fits under the hang */
			size_t first = strlen(w[0]);
			const char *rest = p + first;
			while (*rest == ' ')
				rest++;
			size_t n2 = 0;
			char **w2 = wrap_text(rest, (size_t)width - hang, &n2);
			lines_push(L, xstrdup(w[0]), a, item);
			for (size_t i = 0; i < n2; i++) {
				lines_push(L, xasprintf("%*s%s", (int)hang, "", w2[i]), a, item);
				L->v[L->n - 1].cont = true;
			}
			wrap_free(w2, n2);
		} else {
			for (size_t i = 0; i < n; i++) {
				lines_push(L, xstrdup(w[i]), a, item);
				L->v[L->n - 1].cont = i > 0;
			}
		}
		wrap_free(w, n);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(t);
}
