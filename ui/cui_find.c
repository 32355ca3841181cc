/* cui_find.c — search: '/' finds text among lines (a screen's text, a checklist, a
 * panel), 'n' and 'N' go from match to match (struct find, ui/cui.h). A wrapped
 * paragraph is searched as one line, so a match may run over a wrap; case is folded
 * (towlower, by character). Matches are kept by their number, so a new layout (a
 * resize) keeps the one shown. The screens call these (sc_find, modal_text); the
 * prompt for the text is the bottom row here. */
#include "ui/cui.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "src/util.h"

#define FIND_MAX_BYTES 256   /* the longest text searched for */

void find_free(struct find *f)
{
	free(f->q);
	free(f->hits);
	free(f->msg);
	memset(f, 0, sizeof(*f));
}

void find_say(struct find *f, char *owned)
{
	free(f->msg);
	f->msg = owned;
}

/* The bytes of h that q matches at its start, case folded; 0 when it does not. */
static size_t fold_match(const char *h, const char *q)
{
	const char *p = h;
	while (*q) {
		if (!*p)
			return 0;
		uint32_t a, b;
		size_t na = utf8_decode(p, &a), nb = utf8_decode(q, &b);
		bool same = a == UTF8_INVALID || b == UTF8_INVALID
				    ? na == nb && memcmp(p, q, na) == 0         /* bytes as they are */
				    : towlower((wint_t)a) == towlower((wint_t)b);
		if (!same)
			return 0;
		p += na;
		q += nb;
	}
	return (size_t)(p - h);
}

/* Find every match of f->q in L (none when no search is on). */
void find_scan(struct find *f, const struct lines *L)
{
	f->nhits = 0;
	if (!f->q || !*f->q || !L->n)
		return;
	/* The lines joined: a wrapped line after a space (its indent left out), any other
	 * after a newline, which a one-line search never matches. */
	struct strbuf sb = {0};
	sb_add(&sb, "");
	size_t *beg = xcalloc(L->n, sizeof(*beg)), *skip = xcalloc(L->n, sizeof(*skip));
	for (size_t i = 0; i < L->n; i++) {
		const char *t = L->v[i].s;
		if (i)
			sb_addc(&sb, L->v[i].cont ? ' ' : '\n');
		if (L->v[i].cont)
			while (t[skip[i]] == ' ')
				skip[i]++;
		beg[i] = sb.len;
		sb_add(&sb, t + skip[i]);
	}
	size_t i = 0;                /* the line of the position p */
	for (size_t p = 0; p < sb.len;) {
		size_t n = fold_match(sb.s + p, f->q);
		if (!n) {
			uint32_t cp;
			p += utf8_decode(sb.s + p, &cp);
			continue;
		}
		while (i + 1 < L->n && beg[i + 1] <= p)
			i++;
		size_t e = p + n, j = i;
		while (j + 1 < L->n && beg[j + 1] < e)
			j++;
		size_t elen = strlen(L->v[j].s);
		VEC_PUSH(f->hits, f->nhits, f->cap);
		f->hits[f->nhits++] = (struct hit){
			.line = (int)i, .eline = (int)j, .off = skip[i] + (p - beg[i]),
			.eoff = skip[j] + (e - beg[j]) < elen ? skip[j] + (e - beg[j]) : elen,
		};
		p = e;
	}
	free(beg);
	free(skip);
	sb_clear(&sb);
	if (f->cur >= (int)f->nhits)
		f->cur = f->nhits ? (int)f->nhits - 1 : -1;
}

/* Line li of L at y, x in w (cols columns), with the matches on it marked: the one shown
 * in reverse video (on a line already reversed, the highlighted step, the other way
 * round), the others underlined. Without a search, just the line. */
void find_put_line(WINDOW *w, int y, int x, const struct lines *L, int li, int cols, attr_t a,
			  const struct find *f)
{
	const char *t = L->v[li].s;
	put(w, y, x, t, cols, a);
	for (size_t k = 0; f && f->q && k < f->nhits; k++) {
		const struct hit *h = &f->hits[k];
		if (li < h->line || li > h->eline)
			continue;
		size_t b = li == h->line ? h->off : 0, e = li == h->eline ? h->eoff : strlen(t);
		while (li != h->line && t[b] == ' ')
			b++;                 /* a wrapped line's indent is no part of it */
		if (b >= e)
			continue;
		char *pre = xstrndup(t, b), *seg = xstrndup(t + b, e - b);
		int col = (int)utf8_width(pre);
		attr_t m = (int)k != f->cur ? a | A_UNDERLINE
			 : a & A_REVERSE ? (a & ~A_REVERSE) | A_BOLD | A_UNDERLINE : a | A_REVERSE | A_BOLD;
		if (col < cols)
			put(w, y, x + col, seg, cols - col, m);
		free(pre);
		free(seg);
	}
}

/* Go to a match: the first from line *top on (dir 0: a new search), the next (1) or the
 * previous (-1), round the ends. The view (*top, rows rows of L) moves to show it, and
 * the bottom line says which it is. Returns its line, or -1 when there is none. */
int find_go(struct find *f, const struct lines *L, int *top, int rows, int dir)
{
	find_scan(f, L);
	if (!f->q)
		return -1;
	if (!f->nhits) {
		f->cur = -1;
		find_say(f, xasprintf("not found: %s", f->q));
		return -1;
	}
	int n = (int)f->nhits;
	bool wrapped = false;
	if (dir == 0) {
		f->cur = 0;
		while (f->cur < n && f->hits[f->cur].line < *top)
			f->cur++;
		if (f->cur == n) {
			f->cur = 0;
			wrapped = true;
		}
	} else if (f->cur < 0) {
		f->cur = dir > 0 ? 0 : n - 1;
	} else {
		f->cur += dir;
		wrapped = f->cur < 0 || f->cur >= n;
		f->cur = (f->cur + n) % n;
	}
	const struct hit *h = &f->hits[f->cur];
	if (h->line < *top || h->eline >= *top + rows)
		*top = max_i(0, min_i(h->line, (int)L->n - rows));
	find_say(f, xasprintf("%smatch %d of %d", wrapped ? "search wrapped: " : "", f->cur + 1, n));
	return h->line;
}

/* The one-line prompt on the bottom row: "/" then the text. Enter searches (FP_OK,
 * *draft the text; an empty one cancels), Esc cancels; a resize returns FP_RESIZE with
 * what was typed in *draft, for the caller to lay out and ask again. */
int find_prompt(struct cui *c, char **draft)
{
	int R, C;
	getmaxyx(stdscr, R, C);
	if (R < MIN_ROWS || C < MIN_COLS)
		return FP_CANCEL;
	WINDOW *win = newwin(1, C, R - 1, 0);
	keypad(win, TRUE);
	PANEL *pan = new_panel(win);
	put(win, 0, 0, "/", 1, A_BOLD);
	FIELD *ff[2] = {new_field(1, C - 2, 0, 0, 0, 0), NULL};
	field_opts_off(ff[0], O_AUTOSKIP | O_STATIC);
	set_max_field(ff[0], FIND_MAX_BYTES);
	set_field_buffer(ff[0], 0, *draft ? *draft : "");
	FORM *fm = new_form(ff);
	WINDOW *sub = derwin(win, 1, C - 2, 0, 1);
	set_form_win(fm, win);
	set_form_sub(fm, sub);
	post_form(fm);
	form_driver(fm, REQ_END_LINE);
	leaveok(win, FALSE);
	int r = FP_CANCEL;
	for (;;) {
		pos_form_cursor(fm);
		update_panels();
		curs_set(1);
		doupdate();
		if (g_term || g_eof || g_int)
			break;
		struct key k = key_read(c, win, 200);
		if (k.type == ERR)
			continue;
		if (is_resize(&k)) {
			r = FP_RESIZE;
			break;
		}
		enum key_act a = key_lookup(KC_FORM, &k);
		if (a == KA_SUBMIT) {
			r = FP_OK;
			break;
		}
		if (a == KA_FORM_BACK)
			break;
		form_edit_key(fm, &k);
	}
	free(*draft);
	*draft = form_line_take(fm, ff[0], sub);
	del_panel(pan);
	delwin(win);
	curs_set(0);
	if (r == FP_OK && !**draft)
		r = FP_CANCEL;
	return r;
}

/* A new search for text (as typed): the first match from *top on. */
int find_new(const struct cui *c, struct find *f, const char *text, const struct lines *L, int *top,
		    int rows)
{
	free(f->q);
	f->q = fit(c, text, FIND_MAX_BYTES);
	f->cur = -1;
	return find_go(f, L, top, rows, 0);
}
