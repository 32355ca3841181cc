/* scr_paste.c — the paste box (classify): the operator pastes or types an error's text,
 * kept byte for byte as it came and only drawn wrapped. */
#include "ui/cui.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

/* ---- classify: the paste box
 * A text area of our own rather than a form field: a multi-line field keeps a padded
 * grid, and text read back from it has a line break wherever the screen wrapped (and
 * no trailing spaces), so a signature cut by the wrap stopped matching. Here the text
 * is kept as it came, byte for byte, and only drawn wrapped. */
#define PB_MAX_BYTES (256u * 1024)   /* a longer paste is cut (tshoot(1) says so) */
#define PB_BURST     4096            /* keys taken at once before the screen is drawn */

struct pb_row {
	size_t b, e;             /* the bytes drawn on this row */
	bool hard;               /* a line break follows e */
};

struct pbox {
	char *t;                 /* the text, NUL-terminated, owned */
	size_t len, cap;
	size_t cur;              /* the cursor: a byte offset, never inside a character */
	int goal;                /* the column Up and Down keep to, or -1 */
	bool cut, cut_told;      /* text beyond PB_MAX_BYTES was left out; said so */
	struct pb_row *rows;     /* the text wrapped to bw columns (pb_layout) */
	size_t nrows, rcap;
	int top;                 /* the first row shown */
	int bw, bh, by;          /* the box: columns, rows, first row in win */
	WINDOW *win;
	PANEL *pan;
};

/* Bytes of the line break at pos: CRLF, LF, or a lone CR (a terminal's line break in a
 * paste); 0 when there is none. */
static size_t pb_brk(const struct pbox *b, size_t pos)
{
	if (pos >= b->len)
		return 0;
	if (b->t[pos] == '\r')
		return b->t[pos + 1] == '\n' ? 2 : 1;
	return b->t[pos] == '\n';
}

/* Where the character (or line break) at pos ends / the one before pos starts. */
static size_t pb_next(const struct pbox *b, size_t pos)
{
	if (pos >= b->len)
		return b->len;
	size_t n = pb_brk(b, pos);
	uint32_t cp;
	if (!n)
		n = utf8_decode(b->t + pos, &cp);
	pos += n ? n : 1;
	return pos < b->len ? pos : b->len;
}

static size_t pb_prev(const struct pbox *b, size_t pos)
{
	if (pos == 0)
		return 0;
	if (pos >= 2 && b->t[pos - 2] == '\r' && b->t[pos - 1] == '\n')
		return pos - 2;
	size_t p = pos - 1;
	for (int k = 0; k < 3 && p > 0 && ((unsigned char)b->t[p] & 0xc0) == 0x80; k++)
		p--;
	return pb_next(b, p) == pos ? p : pos - 1;
}

/* The columns the character at pos takes, its drawing in g (see glyph). */
static int pb_glyph(const struct pbox *b, const struct cui *c, size_t pos, size_t *n, char g[8])
{
	glyph(c, (const unsigned char *)b->t + pos, n, g);
	return (int)utf8_width(g);
}

static int pb_cols(const struct pbox *b, const struct cui *c, size_t from, size_t to)
{
	int col = 0;
	size_t n;
	char g[8];
	for (; from < to; from += n)
		col += pb_glyph(b, c, from, &n, g);
	return col;
}

/* Wrap the text into rows of bw columns, after a space where there is one. */
static void pb_layout(struct pbox *b, const struct cui *c)
{
	b->nrows = 0;
	size_t pos = 0;
	for (;;) {
		struct pb_row r = {pos, pos, false};
		size_t space = 0;        /* just after the row's last space */
		int col = 0;
		for (;;) {
			size_t bl = pb_brk(b, pos), n;
			if (bl || pos >= b->len) {
				r.e = pos;
				r.hard = bl > 0;
				pos += bl;
				break;
			}
			char g[8];
			int w = pb_glyph(b, c, pos, &n, g);
			if (col > 0 && col + w > b->bw) {
				r.e = pos = space ? space : pos;
				break;
			}
			col += w;
			pos += n;
			if (b->t[pos - n] == ' ')
				space = pos;
		}
		VEC_PUSH(b->rows, b->nrows, b->rcap);
		b->rows[b->nrows++] = r;
		if (!r.hard && pos >= b->len)
			break;
	}
}

/* The row the cursor at pos is on: the end of a wrapped row is the next one's start. */
static size_t pb_row_at(const struct pbox *b, size_t pos)
{
	for (size_t i = 0; i < b->nrows; i++) {
		const struct pb_row *r = &b->rows[i];
		if (pos < r->e || (pos == r->e && (r->hard || i + 1 == b->nrows)))
			return i;
	}
	return b->nrows - 1;
}

/* The position on row i nearest column goal (Up, Down). */
static size_t pb_at_col(const struct pbox *b, const struct cui *c, size_t i, int goal)
{
	const struct pb_row *r = &b->rows[i];
	size_t pos = r->b, n;
	char g[8];
	for (int col = 0; pos < r->e; pos += n) {
		col += pb_glyph(b, c, pos, &n, g);
		if (col > goal)
			break;
	}
	if (pos == r->e && !r->hard && i + 1 < b->nrows && pos > r->b)
		pos = pb_prev(b, pos);
	return pos;
}

static void pb_insert(struct pbox *b, const char *s, size_t n)
{
	if (b->len + n > PB_MAX_BYTES) {
		b->cut = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->t = xrealloc(b->t, b->cap);
	}
	memmove(b->t + b->cur + n, b->t + b->cur, b->len - b->cur + 1);
	memcpy(b->t + b->cur, s, n);
	b->len += n;
	b->cur += n;
}

static void pb_delete(struct pbox *b, size_t from, size_t to)
{
	memmove(b->t + from, b->t + to, b->len - to + 1);
	b->len -= to - from;
	b->cur = from;
}

/* A character as read, as bytes: UTF-8 in a UTF-8 locale, else the byte itself. */
static size_t pb_encode(const struct cui *c, wint_t ch, char out[4])
{
	if (ch < 0x80 || (!c->utf8 && ch < 0x100)) {
		out[0] = (char)ch;
		return 1;
	}
	return c->utf8 ? utf8_encode((uint32_t)ch, out) : 0;
}

/* k as text: a pasted character as it is (line breaks, tabs and all), a typed one when
 * printable. False when k is not text. */
static bool pb_char(struct scr *s, const struct key *k)
{
	if (k->type != OK || k->ch == 0 || (!k->pasted && (k->ch < 32 || k->ch == 127)))
		return false;
	char u[4];
	size_t n = pb_encode(s->c, k->ch, u);
	pb_insert(s->st, u, n);
	return true;
}

static bool pb_is_enter(const struct key *k)
{
	return key_is(k, OK, '\r') || key_is(k, OK, '\n') || key_is(k, KEY_CODE_YES, KEY_ENTER);
}

/* Take k, then the keys already waiting behind it: a paste comes at once, and drawing
 * after each of its characters would be slow. A typed Enter submits, unless more input
 * follows at once: then it is a line break of a paste the terminal did not bracket.
 * UI_OK to submit, UI_NONE, or -1 when k is no text. */
static int pb_take(struct scr *s, struct key k)
{
	struct pbox *b = s->st;
	int r = UI_NONE;
	b->goal = -1;
	for (int i = 0; i < PB_BURST; i++) {
		if (!k.pasted && pb_is_enter(&k)) {
			struct key nk = key_read(s->c, b->win, 30);
			if (nk.type == ERR || is_resize(&nk)) {
				key_unget(&nk);
				r = UI_OK;
				break;
			}
			pb_insert(b, "\n", 1);
			k = nk;
			continue;
		}
		if (!pb_char(s, &k) && !k.pasted) {   /* a function key in a paste is dropped */
			if (i == 0)
				return -1;
			key_unget(&k);
			break;
		}
		k = key_read(s->c, b->win, 0);
		if (k.type == ERR)
			break;
	}
	if (b->cut && !b->cut_told) {
		b->cut_told = true;
		sc_set_notice(s, "The text is longer than 256 KiB: the rest was left out.");
		sc_layout(s);
	}
	return r;
}

/* Moving and deleting (Left, Right, Up, Down, Home/Ctrl-A, End/Ctrl-E, Backspace,
 * Delete, Ctrl-U clears, Ctrl-K deletes to the end of the line). False when k is none. */
static bool pb_edit(struct scr *s, const struct key *k)
{
	struct pbox *b = s->st;
	pb_layout(b, s->c);
	size_t i = pb_row_at(b, b->cur);
	const struct pb_row *r = &b->rows[i];
	int goal = b->goal;
	b->goal = -1;
	if (key_is(k, KEY_CODE_YES, KEY_BACKSPACE) || key_is(k, OK, 127) || key_is(k, OK, 8))
		pb_delete(b, pb_prev(b, b->cur), b->cur);
	else if (key_is(k, KEY_CODE_YES, KEY_DC))
		pb_delete(b, b->cur, pb_next(b, b->cur));
	else if (key_is(k, KEY_CODE_YES, KEY_LEFT))
		b->cur = pb_prev(b, b->cur);
	else if (key_is(k, KEY_CODE_YES, KEY_RIGHT))
		b->cur = pb_next(b, b->cur);
	else if (key_is(k, KEY_CODE_YES, KEY_HOME) || key_is(k, OK, 1))
		b->cur = r->b;
	else if (key_is(k, KEY_CODE_YES, KEY_END) || key_is(k, OK, 5))
		b->cur = r->hard || i + 1 == b->nrows ? r->e : pb_prev(b, r->e);
	else if (key_is(k, KEY_CODE_YES, KEY_UP) || key_is(k, KEY_CODE_YES, KEY_DOWN)) {
		b->goal = goal >= 0 ? goal : pb_cols(b, s->c, r->b, b->cur);
		bool up = key_is(k, KEY_CODE_YES, KEY_UP);
		if (up ? i > 0 : i + 1 < b->nrows)
			b->cur = pb_at_col(b, s->c, up ? i - 1 : i + 1, b->goal);
	} else if (key_is(k, OK, 21))
		pb_delete(b, 0, b->len);
	else if (key_is(k, OK, 11)) {
		size_t e = b->cur;
		while (e < b->len && !pb_brk(b, e))
			e = pb_next(b, e);
		pb_delete(b, b->cur, e > b->cur ? e : pb_next(b, e));
	} else
		return false;
	return true;
}

static int pb_want(struct scr *s, int width)
{
	return 7;
}

static void pb_build(struct scr *s)
{
	struct pbox *b = s->st;
	b->by = s->wid_rows >= 2 ? 1 : 0;
	b->bh = max_i(1, min_i(6, s->wid_rows - b->by));
	b->bw = max_i(1, s->wid_w - 3);
	b->win = newwin(s->wid_rows, s->wid_w, s->wid_top, 1);
	keypad(b->win, TRUE);
	leaveok(b->win, FALSE);
	b->pan = new_panel(b->win);
	s->inwin = b->win;
	s->cursor = true;
	paste_mode(true);
}

static void pb_unbuild(struct scr *s)
{
	struct pbox *b = s->st;
	if (!b->win)
		return;
	del_panel(b->pan);
	delwin(b->win);
	b->win = NULL;
	s->inwin = stdscr;
	s->cursor = false;
}

static void pb_draw(struct scr *s)
{
	struct pbox *b = s->st;
	struct cui *c = s->c;
	if (!b->win)
		return;
	pb_layout(b, c);
	int cr = (int)pb_row_at(b, b->cur);
	b->top = max_i(0, min_i(b->top, (int)b->nrows - b->bh));
	b->top = min_i(b->top, cr);
	b->top = max_i(b->top, cr - b->bh + 1);
	werase(b->win);
	if (b->by) {
		char *l = fit(c, "Paste or type the error text, then press Enter:", s->wid_w);
		put(b->win, 0, 0, l, s->wid_w, A_BOLD);
		free(l);
	}
	for (int y = 0; y < b->bh; y++) {
		mvwhline(b->win, b->by + y, 2, ' ' | A_UNDERLINE, b->bw);
		size_t i = (size_t)(b->top + y);
		if (i >= b->nrows)
			continue;
		struct strbuf sb = {0};
		sb_add(&sb, "");
		size_t n;
		char g[8];
		for (size_t p = b->rows[i].b; p < b->rows[i].e; p += n) {
			pb_glyph(b, c, p, &n, g);
			sb_add(&sb, g);
		}
		put(b->win, b->by + y, 2, sb.s, b->bw, A_UNDERLINE);
		sb_clear(&sb);
	}
	if (b->top > 0)
		put(b->win, b->by, 2 + b->bw, c->sy->up, 1, A_BOLD);
	if (b->top + b->bh < (int)b->nrows)
		put(b->win, b->by + b->bh - 1, 2 + b->bw, c->sy->down, 1, A_BOLD);
	wmove(b->win, b->by + cr - b->top, 2 + pb_cols(b, c, b->rows[cr].b, b->cur));
}

static int pb_key(struct scr *s, const struct key *k, enum key_act a)
{
	if (!((struct pbox *)s->st)->win)
		return a == KA_FORM_BACK ? UI_BACK : -1;
	if (k->pasted || a == KA_SUBMIT || a == KA_NONE) {
		int r = pb_take(s, *k);
		if (r != -1)
			return r;
	}
	switch (a) {
	case KA_FORM_BACK:
		return UI_BACK;
	case KA_FIELD_NEXT:          /* Down moves a row; Tab has no other field to go to */
	case KA_FIELD_PREV:
		pb_edit(s, k);
		return UI_NONE;
	case KA_NONE:
		return pb_edit(s, k) ? UI_NONE : -1;
	default:
		return -1;
	}
}

static const struct scr_ops pb_ops = {
	.want = pb_want, .build = pb_build, .unbuild = pb_unbuild, .draw = pb_draw, .key = pb_key,
};

/* The text to classify: a lone CR, a terminal's line break in a paste, becomes LF. */
static char *pb_text_dup(const struct pbox *b)
{
	char *t = xstrndup(b->t, b->len);
	for (size_t i = 0; i < b->len; i++)
		if (t[i] == '\r' && t[i + 1] != '\n')
			t[i] = '\n';
	return t;
}

/* ui_ops.classify, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act pb_run(struct cui *c, const struct ui_view *v, char **pasted)
{
	struct pbox b = {.t = xstrdup(""), .cap = 1, .goal = -1};
	enum ui_act r = sc_once(c, v, &pb_ops, &b, KC_FORM);
	if (r == UI_OK)
		*pasted = pb_text_dup(&b);
	free(b.t);
	free(b.rows);
	return r;
}
