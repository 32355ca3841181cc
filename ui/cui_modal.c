/* cui_modal.c — dialogs over a screen: a choice from a list (modal_list, modal_choice,
 * ask_yes), a scrolling and searchable panel of text (modal_text), a line of text
 * (modal_prompt); and the curses pieces they share with the screens (a box, a menu, a
 * form field's editing keys). Each dialog runs its own loop over the screen under it
 * (base, NULL: a blank screen), repainting it first, and survives a resize: below the
 * minimum size it says so and waits. */
#include "ui/cui.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

/* ---- Modal dialogs over a screen (base may be NULL). */
/* Repaint what lies under a dialog: base (laid out again when relayout), or a blank
 * screen that says when the terminal is too small. */
static void base_redraw(struct scr *base, bool relayout)
{
	if (base) {
		if (relayout)
			sc_layout(base);
		sc_draw(base);
	} else {
		werase(stdscr);
		int R, C;
		getmaxyx(stdscr, R, C);
		if (R < MIN_ROWS || C < MIN_COLS)
			draw_small(NULL);
	}
}

static bool term_small(void)
{
	int R, C;
	getmaxyx(stdscr, R, C);
	return R < MIN_ROWS || C < MIN_COLS;
}

/* The top of a modal dialog's loop: repaint what lies under it; below the minimum
 * size, show "terminal too small" and wait (at most 200 ms) for a key or a resize.
 * Returns true with the screen's size in *R, *C when the dialog can be drawn, false
 * when the caller should go round its loop again. */
static bool modal_frame(struct cui *c, struct scr *base, int *R, int *C)
{
	base_redraw(base, false);
	if (term_small()) {
		frame(base);
		struct key k = key_read(c, stdscr, 200);
		if (is_resize(&k))
			base_redraw(base, true);
		return false;
	}
	getmaxyx(stdscr, *R, *C);
	return true;
}

static void box_ascii(const struct cui *c, WINDOW *w)
{
	if (c->utf8)
		box(w, 0, 0);
	else
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
}

/* Post menu m in sub (rows tall) of win, styled like every menu here, on item cur. */
void menu_show(const struct cui *c, MENU *m, WINDOW *win, WINDOW *sub, int rows, ITEM *cur)
{
	set_menu_win(m, win);
	set_menu_sub(m, sub);
	set_menu_format(m, rows, 1);
	set_menu_mark(m, c->sy->mark);
	set_menu_fore(m, A_REVERSE | A_BOLD);
	set_menu_back(m, A_NORMAL);
	set_current_item(m, cur);
	post_menu(m);
}

/* Unpost and free menu m with its n items and their names (both arrays too). */
void menu_drop(MENU *m, ITEM **items, char **names, size_t n)
{
	unpost_menu(m);
	free_menu(m);
	for (size_t i = 0; i < n; i++) {
		free_item(items[i]);
		free(names[i]);
	}
	free(items);
	free(names);
}

/* A dialog's width on a screen C columns wide: 64 (C - 4 at most), wider for long
 * items (a session to resume) up to C - 2. widest: the widest item's width. */
static int modal_width(int C, size_t widest)
{
	return max_i(min_i(C - 4, 64), min_i(C - 2, (int)widest + 12));
}

#define LIST_GAP     2       /* columns between a list's columns */
#define LIST_MIN_COL 12      /* a column is not narrowed below this (columns_fit) */

/* A list's rows (and its headings, when it has them, as row n) as menu names w columns
 * wide: "N. " then each column cut to the width columns_fit gives it. */
static char **list_rows(const struct cui *c, const struct ui_list *l, int w, char **head)
{
	size_t nc = l->ncols ? l->ncols : 1;
	size_t *want = xcalloc(nc, sizeof(*want)), *cw = xcalloc(nc, sizeof(*cw));
	for (size_t i = 0; i <= l->n; i++)
		for (size_t j = 0; j < nc; j++) {
			const char *t = i < l->n ? l->cells[i * nc + j] : l->heads ? l->heads[j] : NULL;
			char *p = prep(c, t ? t : "");
			size_t tw = utf8_width(p);
			free(p);
			if (tw > want[j])
				want[j] = tw;
		}
	int numw = snprintf(NULL, 0, "%zu", l->n);
	size_t room = w > numw + 2 ? (size_t)(w - numw - 2) : 0;
	size_t keep = columns_fit(want, nc, room, LIST_GAP, LIST_MIN_COL, cw);
	char **rows = xcalloc(l->n, sizeof(*rows));
	for (size_t i = 0; i <= l->n; i++) {
		if (i == l->n && !l->heads)
			break;
		struct strbuf sb = {0};
		if (i < l->n)
			sb_printf(&sb, "%*zu. ", numw, i + 1);
		else
			sb_printf(&sb, "%*s", numw + 2, "");
		for (size_t j = 0; j < keep; j++) {
			const char *t = i < l->n ? l->cells[i * nc + j] : l->heads[j];
			char *f = fit(c, t ? t : "", (int)cw[j]);
			if (j)
				sb_printf(&sb, "%*s", LIST_GAP, "");
			sb_add(&sb, f);
			if (j + 1 < keep)
				sb_printf(&sb, "%*s", (int)(cw[j] - utf8_width(f)), "");
			free(f);
		}
		if (i < l->n)
			rows[i] = sb_steal(&sb);
		else
			*head = sb_steal(&sb);
	}
	free(cw);
	free(want);
	return rows;
}

/* The width of a list's widest row after its number, the columns as wide as they
 * want to be. */
static size_t list_width(const struct cui *c, const struct ui_list *l)
{
	char *head = NULL;
	char **rows = list_rows(c, l, INT_MAX / 2, &head);
	size_t w = head ? utf8_width(head) : 0;
	for (size_t i = 0; i < l->n; i++) {
		if (utf8_width(rows[i]) > w)
			w = utf8_width(rows[i]);
		free(rows[i]);
	}
	free(rows);
	free(head);
	size_t numw = (size_t)snprintf(NULL, 0, "%zu", l->n) + 2;     /* "N. " */
	return w > numw ? w - numw : 0;
}

/* A choice among a list's items (a menu in a panel, its columns lined up under their
 * headings). Returns the index, -1 (Esc) or -3 (Ctrl-C). y and n answer items 0 and 1
 * when yesno. */
int modal_list(struct cui *c, struct scr *base, const struct ui_list *l, size_t def, bool yesno)
{
	size_t n = l->n;
	size_t sel = def < n ? def : 0;
	int result = -2;
	size_t widest = list_width(c, l);
	int hh = l->heads ? 1 : 0;       /* the headings' row */
	while (result == -2) {
		if (g_term || g_eof)
			return -1;
		if (g_int)
			return -3;
		int R, C;
		if (!modal_frame(c, base, &R, &C))
			continue;
		int w = modal_width(C, widest);
		struct lines q = {0};
		lines_wrap(c, &q, l->question, w - 4, A_BOLD, -1);
		int qn = min_i((int)q.n, R - 6 - hh - (int)n);
		qn = max_i(qn, 1);
		int mh = min_i((int)n, R - 5 - hh - qn);
		mh = max_i(mh, 1);
		int h = qn + hh + mh + 3;
		WINDOW *win = newwin(h, w, (R - h) / 2, (C - w) / 2);
		keypad(win, TRUE);
		PANEL *pan = new_panel(win);
		box_ascii(c, win);
		for (int i = 0; i < qn; i++)
			put(win, 1 + i, 2, q.v[i].s, w - 4, A_BOLD);
		lines_free(&q);
		/* the menu's mark stands before each name: the headings start after it */
		int markw = (int)utf8_width(c->sy->mark);
		char *head = NULL;
		char **names = list_rows(c, l, w - 5 - markw, &head);
		if (head)
			put(win, qn + 2, 2 + markw, head, w - 4 - markw, A_BOLD | A_UNDERLINE);
		free(head);
		ITEM **it = xcalloc(n + 1, sizeof(*it));
		for (size_t i = 0; i < n; i++)
			it[i] = new_item(names[i], NULL);
		MENU *m = new_menu(it);
		WINDOW *sub = derwin(win, mh, w - 4, qn + 2 + hh, 2);
		menu_show(c, m, win, sub, mh, it[sel]);
		for (;;) {
			frame(NULL);
			if (g_term || g_eof) {
				result = -1;
				break;
			}
			if (g_int) {             /* Ctrl-C: the caller decides (see ask_yes) */
				result = -3;
				break;
			}
			struct key k = key_read(c, win, 200);
			if (k.type == ERR || k.pasted)   /* pasted text answers nothing */
				continue;
			if (is_resize(&k))
				break;
			if (yesno && (key_is(&k, OK, 'y') || key_is(&k, OK, 'Y'))) {
				result = 0;
				break;
			}
			if (yesno && (key_is(&k, OK, 'n') || key_is(&k, OK, 'N'))) {
				result = 1;
				break;
			}
			enum key_act a = key_lookup(KC_ASK, &k);
			if (a == KA_UP)
				menu_driver(m, REQ_UP_ITEM);
			else if (a == KA_DOWN)
				menu_driver(m, REQ_DOWN_ITEM);
			else if (a == KA_CHOOSE) {
				result = item_index(current_item(m));
				break;
			} else if (a == KA_NUMBER && (size_t)(k.ch - '1') < n) {
				result = (int)(k.ch - '1');
				break;
			} else if (key_is(&k, OK, 27) || key_is(&k, OK, 'q')) {
				result = -1;
				break;
			}
		}
		sel = (size_t)item_index(current_item(m));
		menu_drop(m, it, names, n);
		delwin(sub);
		del_panel(pan);
		delwin(win);
		if (result == -2)
			base_redraw(base, true);
	}
	if (base)
		base_redraw(base, false);
	return result;
}

/* A choice among n one-line items: modal_list with one column. */
int modal_choice(struct cui *c, struct scr *base, const char *question, const char *const *items,
			size_t n, size_t def, bool yesno)
{
	struct ui_list l = {.question = question, .cells = items, .ncols = 1, .n = n};
	return modal_list(c, base, &l, def, yesno);
}

/* Yes or no. Ctrl-C while asking whether to quit means yes; on any other question it
 * means no, and the flag stays set so the screen's loop asks about quitting. */
bool ask_yes(struct cui *c, struct scr *base, const char *question, bool quitting)
{
	static const char *const yn[] = {"Yes", "No"};
	int r = modal_choice(c, base, question, yn, 2, 1, true);
	if (r == -3) {
		if (!quitting)
			return false;
		g_int = 0;
		return true;
	}
	return r == 0;
}

/* The editing keys of a form's field (typing, deleting, moving along the line, Ctrl-A/E
 * home/end, Ctrl-U/K clear the field/the rest of the line). False when k is not one. */
bool form_edit_key(FORM *fm, const struct key *k)
{
	if (k->type == OK && k->ch >= 32 && k->ch != 127)
		form_driver_w(fm, OK, k->ch);
	else if (key_is(k, KEY_CODE_YES, KEY_BACKSPACE) || key_is(k, OK, 127) || key_is(k, OK, 8))
		form_driver(fm, REQ_DEL_PREV);
	else if (key_is(k, KEY_CODE_YES, KEY_DC))
		form_driver(fm, REQ_DEL_CHAR);
	else if (key_is(k, KEY_CODE_YES, KEY_LEFT))
		form_driver(fm, REQ_PREV_CHAR);
	else if (key_is(k, KEY_CODE_YES, KEY_RIGHT))
		form_driver(fm, REQ_NEXT_CHAR);
	else if (key_is(k, KEY_CODE_YES, KEY_HOME) || key_is(k, OK, 1))
		form_driver(fm, REQ_BEG_LINE);
	else if (key_is(k, KEY_CODE_YES, KEY_END) || key_is(k, OK, 5))
		form_driver(fm, REQ_END_LINE);
	else if (key_is(k, OK, 21))
		form_driver(fm, REQ_CLR_FIELD);
	else if (key_is(k, OK, 11))
		form_driver(fm, REQ_CLR_EOL);
	else
		return false;
	return true;
}

/* A scrolling panel of text lines (raw: wrapped here for the panel's width), searched
 * with '/', 'n' and 'N' as a screen's text is; the bottom border says what a search
 * found. copy (may be NULL) is what y puts on the clipboard; base's footer (under the
 * panel) says so. */
void modal_text(struct cui *c, struct scr *base, const char *title, const struct lines *raw,
		       const char *copy)
{
	int top = 0;
	bool done = false;
	struct find f = {.cur = -1};
	char *draft = NULL;              /* a search being typed when the size changed */
	while (!done) {
		if (g_term || g_eof)
			break;
		int R, C;
		if (!modal_frame(c, base, &R, &C))
			continue;
		int w = min_i(C - 2, 90), h = R - 2;
		struct lines L = {0};
		for (size_t i = 0; i < raw->n; i++)
			lines_wrap(c, &L, raw->v[i].s, w - 4, raw->v[i].attr, -1);
		h = min_i(h, (int)L.n + 2);
		h = max_i(h, 5);
		WINDOW *win = newwin(h, w, (R - h) / 2, (C - w) / 2);
		keypad(win, TRUE);
		PANEL *pan = new_panel(win);
		int rows = h - 2;
		for (;;) {
			int maxtop = max_i(0, (int)L.n - rows);
			top = max_i(0, min_i(top, maxtop));
			find_scan(&f, &L);
			werase(win);
			box_ascii(c, win);
			char *t = fit(c, title, w - 6);
			put(win, 0, 2, " ", 1, A_BOLD);
			put(win, 0, 3, t, w - 6, A_BOLD);
			put(win, 0, 3 + (int)utf8_width(t), " ", 1, A_BOLD);
			free(t);
			for (int i = 0; i < rows && top + i < (int)L.n; i++)
				find_put_line(win, 1 + i, 2, &L, top + i, w - 4, L.v[top + i].attr, &f);
			if (top > 0)
				put(win, 1, w - 2, c->sy->up, 1, A_BOLD);
			if (top < maxtop)
				put(win, h - 2, w - 2, c->sy->down, 1, A_BOLD);
			char *hint = f.msg ? xasprintf(" %s ", f.msg)
					   : xasprintf(" %s%sEsc close ", top < maxtop ? "PgDn more, " : "",
						       copy ? "y copy, " : "");
			char *cut = fit(c, hint, w - 4);
			put(win, h - 1, max_i(2, w - 1 - (int)utf8_width(cut)), cut, w - 4, A_BOLD);
			free(cut);
			free(hint);
			frame(NULL);
			if (g_term || g_eof || g_int) {
				done = true;
				break;
			}
			int fp = FP_CANCEL;
			if (draft)               /* typing a search when the size changed: go on */
				fp = find_prompt(c, &draft);
			else {
				struct key k = key_read(c, win, 200);
				if (k.type == ERR || k.pasted)
					continue;
				if (is_resize(&k))
					break;
				FREE_NULL(f.msg);
				enum key_act a = key_lookup(KC_PANEL, &k);   /* n, N: with or without a search */
				if (base && base->flash) {     /* the footer's message lasts until the next key */
					sc_flash(base, NULL);
					base_redraw(base, false);
				}
				if (a == KA_COPY && copy && base) {
					sc_flash(base, clip_copy(copy));
					base_redraw(base, false);
				} else if (a == KA_UP)
					top--;
				else if (a == KA_DOWN)
					top++;
				else if (a == KA_PGUP)
					top -= max_i(1, rows - 1);
				else if (a == KA_PGDN)
					top += max_i(1, rows - 1);
				else if (a == KA_FIND)
					fp = find_prompt(c, &draft);
				else if (a == KA_FIND_NEXT || a == KA_FIND_PREV) {
					if (f.q)
						find_go(&f, &L, &top, rows, a == KA_FIND_NEXT ? 1 : -1);
					else
						find_say(&f, xstrdup("no search yet: / searches"));
				} else if (a == KA_CLOSE || key_is(&k, OK, '?') || key_is(&k, KEY_CODE_YES, KEY_F(1))) {
					done = true;
					break;
				}
				if (a != KA_FIND)
					continue;
			}
			if (fp == FP_RESIZE)
				break;               /* laid out again, then the prompt again */
			if (fp == FP_OK)
				find_new(c, &f, draft, &L, &top, rows);
			FREE_NULL(draft);
		}
		lines_free(&L);
		del_panel(pan);
		delwin(win);
		if (!done)
			base_redraw(base, true);
	}
	free(draft);
	find_free(&f);
	if (base)
		base_redraw(base, false);
}

char *form_line_take(FORM *fm, FIELD *f, WINDOW *sub)
{
	form_driver(fm, REQ_VALIDATION);      /* field_buffer is stale until validated */
	char *val = str_trim_dup(field_buffer(f, 0));
	unpost_form(fm);
	free_form(fm);
	free_field(f);
	delwin(sub);
	return val;
}

/* Ask for one line of text in a small form; NULL on Esc. */
char *modal_prompt(struct cui *c, struct scr *base, const char *question, const char *def)
{
	char *val = xstrdup(def ? def : "");
	char *result = NULL;
	bool done = false;
	while (!done) {
		if (g_term || g_eof)
			break;
		int R, C;
		if (!modal_frame(c, base, &R, &C))
			continue;
		int w = min_i(C - 4, 70);
		struct lines q = {0};
		lines_wrap(c, &q, question, w - 4, A_BOLD, -1);
		int qn = min_i((int)q.n, 3);
		int h = qn + 5;
		WINDOW *win = newwin(h, w, (R - h) / 2, (C - w) / 2);
		keypad(win, TRUE);
		PANEL *pan = new_panel(win);
		box_ascii(c, win);
		for (int i = 0; i < qn; i++)
			put(win, 1 + i, 2, q.v[i].s, w - 4, A_BOLD);
		lines_free(&q);
		put(win, h - 1, 2, " Enter save, Esc cancel ", w - 4, A_BOLD);
		FIELD *ff[2] = {new_field(1, w - 4, 0, 0, 0, 0), NULL};
		field_opts_off(ff[0], O_AUTOSKIP | O_STATIC);
		set_max_field(ff[0], 4096);
		set_field_back(ff[0], A_UNDERLINE);
		set_field_buffer(ff[0], 0, val);
		FORM *fm = new_form(ff);
		WINDOW *sub = derwin(win, 1, w - 4, qn + 2, 2);
		set_form_win(fm, win);
		set_form_sub(fm, sub);
		post_form(fm);
		form_driver(fm, REQ_END_LINE);
		leaveok(win, FALSE);
		for (;;) {
			pos_form_cursor(fm);
			update_panels();
			curs_set(1);
			doupdate();
			if (g_term || g_eof || g_int) {
				done = true;
				break;
			}
			struct key k = key_read(c, win, 200);
			if (k.type == ERR)
				continue;
			if (is_resize(&k))
				break;
			enum key_act a = key_lookup(KC_FORM, &k);
			if (a == KA_SUBMIT) {
				form_driver(fm, REQ_VALIDATION);
				char *t = str_trim_dup(field_buffer(ff[0], 0));
				if (*t)
					result = t;
				else
					free(t);
				done = true;
				break;
			}
			if (a == KA_FORM_BACK) {
				done = true;
				break;
			}
			form_edit_key(fm, &k);
		}
		free(val);
		val = form_line_take(fm, ff[0], sub);
		del_panel(pan);
		delwin(win);
		curs_set(0);
		if (!done)
			base_redraw(base, true);
	}
	free(val);
	if (base)
		base_redraw(base, false);
	return result;
}
