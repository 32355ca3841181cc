/* scr_ask.c — a question: its answers in a menu; Enter or a number chooses. An answer
 * too wide for its line is shown whole under the menu while highlighted. */
#include "ui/cui.h"

#include <stdlib.h>

#include "src/util.h"

/* ---- question: a menu of answers */
struct ask_st {
	const char *const *labels;
	size_t n, sel;
	ITEM **items;
	char **names;
	MENU *menu;
	WINDOW *win, *sub;
	PANEL *pan;
	int menu_rows;           /* rows of the menu; the rest shows a cut label whole */
	int more_row;            /* the row that says how many answers are out of view
	                            (when not all fit), or -1 */
};

/* Is some answer too wide for one line? Then the highlighted one is also shown whole
 * under the menu. */
static bool ask_cut(const struct ask_st *a, int width)
{
	for (size_t i = 0; i < a->n; i++)
		if (utf8_width(a->labels[i]) + 3 > (size_t)width - 3)
			return true;
	return false;
}

static int ask_want(struct scr *s, int width)
{
	struct ask_st *a = s->st;
	return (int)a->n + (ask_cut(a, width) ? 4 : 0);
}

static void ask_draw(struct scr *s)
{
	struct ask_st *a = s->st;
	if (!a->menu || a->menu_rows >= s->wid_rows)
		return;
	int sel = item_index(current_item(a->menu));
	for (int y = a->menu_rows; y < s->wid_rows; y++) {
		wmove(a->win, y, 0);
		wclrtoeol(a->win);
	}
	if (a->more_row >= 0) {
		/* "▲ 2 more above  ▼ 3 more below": the menu scrolls without a sign of its own */
		int above = top_row(a->menu);
		int below = max_i(0, (int)a->n - above - a->menu_rows);
		struct strbuf sb = {0};
		sb_add(&sb, "");
		if (above > 0)
			sb_printf(&sb, "%s %d more above", s->c->sy->up, above);
		if (below > 0)
			sb_printf(&sb, "%s%s %d more below", above > 0 ? "  " : "", s->c->sy->down, below);
		put(a->win, a->more_row, 2, sb.s, s->wid_w - 2, A_BOLD);
		sb_clear(&sb);
	}
	if (sel < 0 || (size_t)sel >= a->n || utf8_width(a->labels[sel]) + 3 <= (size_t)s->wid_w - 3)
		return;
	struct lines L = {0};
	lines_wrap(s->c, &L, a->labels[sel], s->wid_w - 2, A_NORMAL, -1);
	for (int i = 0; i + a->menu_rows + 1 < s->wid_rows && i < (int)L.n; i++)
		put(a->win, a->menu_rows + 1 + i, 2, L.v[i].s, s->wid_w - 2, A_DIM);
	lines_free(&L);
}

static void ask_build(struct scr *s)
{
	struct ask_st *a = s->st;
	struct cui *c = s->c;
	if (!a->n)
		return;
	a->items = xcalloc(a->n + 1, sizeof(*a->items));
	a->names = xcalloc(a->n, sizeof(*a->names));
	for (size_t i = 0; i < a->n; i++) {
		char *l = i < 9 ? xasprintf("%zu. %s", i + 1, a->labels[i]) : xasprintf("   %s", a->labels[i]);
		a->names[i] = fit(c, l, s->wid_w - 3);
		if (!*a->names[i]) {
			free(a->names[i]);
			a->names[i] = xstrdup("?");
		}
		free(l);
		a->items[i] = new_item(a->names[i], NULL);
	}
	a->menu = new_menu(a->items);
	a->win = newwin(s->wid_rows, s->wid_w, s->wid_top, 1);
	keypad(a->win, TRUE);
	a->pan = new_panel(a->win);
	a->menu_rows = s->wid_rows;
	if (ask_cut(a, s->wid_w) && s->wid_rows > 3)
		a->menu_rows = max_i(min_i((int)a->n, s->wid_rows - 4), s->wid_rows / 2);
	a->menu_rows = min_i(a->menu_rows, s->wid_rows);
	/* Answers that do not all fit: a row under the menu says how many are out of view
	 * (the blank row above a cut label's whole text, when there is one). */
	a->more_row = -1;
	if ((int)a->n > a->menu_rows && s->wid_rows >= 2) {
		if (a->menu_rows == s->wid_rows)
			a->menu_rows--;
		a->more_row = a->menu_rows;
	}
	a->sub = derwin(a->win, a->menu_rows, s->wid_w, 0, 0);
	menu_show(c, a->menu, a->win, a->sub, a->menu_rows, a->items[a->sel < a->n ? a->sel : 0]);
}

static void ask_unbuild(struct scr *s)
{
	struct ask_st *a = s->st;
	if (!a->menu)
		return;
	a->sel = (size_t)item_index(current_item(a->menu));
	menu_drop(a->menu, a->items, a->names, a->n);
	a->items = NULL;
	a->names = NULL;
	delwin(a->sub);
	del_panel(a->pan);
	delwin(a->win);
	a->menu = NULL;
}

static int ask_key(struct scr *s, const struct key *k, enum key_act act)
{
	struct ask_st *a = s->st;
	if (!a->menu)
		return -1;
	switch (act) {
	case KA_UP:
		menu_driver(a->menu, REQ_UP_ITEM);
		return UI_NONE;
	case KA_DOWN:
		menu_driver(a->menu, REQ_DOWN_ITEM);
		return UI_NONE;
	case KA_CHOOSE:
		a->sel = (size_t)item_index(current_item(a->menu));
		return UI_OK;
	case KA_NUMBER:
		if ((size_t)(k->ch - '1') < a->n) {
			a->sel = (size_t)(k->ch - '1');
			set_current_item(a->menu, a->items[a->sel]);
			return UI_OK;
		}
		sc_flash(s, ui_no_answer_dup((long)(k->ch - '0'), a->n));
		return UI_NONE;
	default:
		if (key_is(k, KEY_CODE_YES, KEY_HOME)) {
			menu_driver(a->menu, REQ_FIRST_ITEM);
			return UI_NONE;
		}
		if (key_is(k, KEY_CODE_YES, KEY_END)) {
			menu_driver(a->menu, REQ_LAST_ITEM);
			return UI_NONE;
		}
		return -1;
	}
}

static const struct scr_ops ask_ops = {
	.want = ask_want, .build = ask_build, .unbuild = ask_unbuild, .draw = ask_draw, .key = ask_key,
};

/* ui_ops.question, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act ask_run(struct cui *c, const struct ui_view *v, const char *const *labels, size_t n, size_t *choice)
{
	struct ask_st a = {.labels = labels, .n = n, .sel = *choice < n ? *choice : 0};
	enum ui_act r = sc_once(c, v, &ask_ops, &a, KC_ASK);
	if (r == UI_OK)
		*choice = a.sel;
	return r;
}
