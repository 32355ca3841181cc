/* curses.c — the full-screen front end (ncursesw with menu, form and panel): its
 * struct ui_ops, whose entry points each run one kind of screen.
 *
 * Every screen is the same frame: a title bar (flow, step), the node's title, the path
 * so far, the node's text (scrollable), a widget area (a menu of answers, a form, a
 * checklist, check rows), a notice line and a footer of key hints. A screen is a small
 * set of callbacks (struct scr_ops): how many rows its widget wants, build/unbuild its
 * curses objects for a layout, draw, and handle a key. The loop owns layout and
 * repaint; handlers never refresh. KEY_RESIZE rebuilds everything (ncurses delivers it;
 * we install no SIGWINCH handler). Keys come from one table, ui/keys.h. '/' searches
 * whatever a screen or panel shows (struct find); 'm' shows the flow map the driver
 * gives in the view (the path with its answers, the way on).
 *
 * Where things are (ui/cui.h declares what they share):
 *   curses.c      this table: open, close, and one entry point per kind of screen
 *   cui_term.c    the terminal's life (newterm, colours, signals, crash handlers,
 *                 atexit), reading keys (bracketed paste), the key table's lookup,
 *                 the clipboard (OSC 52)
 *   cui_screen.c  the frame and loop every screen shares: layout, title, text area,
 *                 notices, footer, scrolling, the keys all screens take
 *   cui_text.c    text made fit for the screen: cleaned, cut to columns, wrapped, drawn
 *   cui_find.c    search: '/', n, N, the matches marked
 *   cui_modal.c   dialogs over a screen: a list to choose from, yes/no, a text panel,
 *                 a one-line prompt
 *   cui_panels.c  the '?' help panel and the 'm' flow map
 *   scr_info.c    information, and the page before a walk (training's brief)
 *   scr_ask.c     a question: a menu of answers
 *   scr_form.c    input fields
 *   scr_paste.c   the paste box (classify)
 *   scr_steps.c   a checklist of steps, then "did it help?"
 *   scr_checks.c  checks running and their results, a check's facts
 *   scr_end.c     the end of a walk: resolved or escalate, the summary, save, copy */
#include "ui/cui.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/util.h"

/* ---- info */
static int info_want(struct scr *s, int width)
{
	return 1;
}

static void info_draw(struct scr *s)
{
	put(stdscr, s->wid_top, 1, "Press Enter to go on.", s->wid_w, A_BOLD);
}

static int info_key(struct scr *s, const struct key *k, enum key_act a)
{
	return a == KA_NEXT ? UI_OK : -1;
}

static const struct scr_ops info_ops = {.want = info_want, .draw = info_draw, .key = info_key};

/* ---- a page before the walk (training: the brief), each line a paragraph */
static void page_text(struct scr *s, struct lines *L, int width)
{
	const struct ui_page *p = s->st;
	lines_wrap(s->c, L, p->text ? p->text : "", width, A_NORMAL, -1);
}

static int page_want(struct scr *s, int width)
{
	return 1;
}

static void page_draw(struct scr *s)
{
	put(stdscr, s->wid_top, 1, "Press Enter to begin.", s->wid_w, A_BOLD);
}

static int page_key(struct scr *s, const struct key *k, enum key_act a)
{
	return a == KA_BEGIN ? UI_OK : text_scroll_key(s, k, a);
}

static const struct scr_ops page_ops = {.want = page_want, .text = page_text, .draw = page_draw, .key = page_key};

/* ui_ops.info, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act info_run(struct cui *c, const struct ui_view *v)
{
	return sc_once(c, v, &info_ops, NULL, KC_INFO);
}

/* ui_ops.page, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act page_run(struct cui *c, const struct ui_page *p)
{
	struct ui_view v = {.flow_title = p->flow_title, .title = p->title, .training = true};
	struct scr s;
	sc_init(&s, c, &v, &page_ops, (void *)p, KC_BRIEF);
	free(s.t_path);
	s.t_path = xstrdup("(the briefing, before the first step)");
	enum ui_act r = sc_run(&s, -1);
	sc_done(&s);
	return r;
}

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
		sb_free(&sb);
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

/* ---- input: a form */
struct form_st {
	struct ui_field *f;      /* the fields */
	size_t n;
	char **vals;             /* what is typed so far, kept across rebuilds */
	size_t cur;              /* the input being edited */
	FIELD **ff;              /* all fields (labels too), NULL-terminated */
	size_t nff;
	FIELD **inputs;          /* the n input fields */
	FORM *form;
	WINDOW *win, *sub;
	PANEL *pan;
	int npages;
	char *page_hint;
};

static int form_block(const struct form_st *f, size_t i)
{
	return 2 + (f->f && f->f[i].error ? 1 : 0);
}

static int form_want(struct scr *s, int width)
{
	struct form_st *f = s->st;
	int r = 0;
	for (size_t i = 0; i < f->n; i++)
		r += form_block(f, i) + (i ? 1 : 0);
	return r;
}

static FIELD *label_field(struct cui *c, int row, int col, int width, const char *text, attr_t a)
{
	FIELD *l = new_field(1, width, row, col, 0, 0);
	char *t = fit(c, text, width);
	set_field_buffer(l, 0, t);
	free(t);
	field_opts_off(l, O_ACTIVE | O_EDIT);
	set_field_back(l, a);
	return l;
}

static void form_save_vals(struct form_st *f)
{
	if (!f->form)
		return;
	form_driver(f->form, REQ_VALIDATION);
	for (size_t i = 0; i < f->n; i++) {
		free(f->vals[i]);
		f->vals[i] = str_trim_dup(field_buffer(f->inputs[i], 0));
	}
}

static void form_build(struct scr *s)
{
	struct form_st *f = s->st;
	struct cui *c = s->c;
	int W = s->wid_w, rows = s->wid_rows;
	size_t cap = f->n * 4 + 4;
	f->ff = xcalloc(cap, sizeof(*f->ff));
	f->inputs = xcalloc(f->n ? f->n : 1, sizeof(*f->inputs));
	f->nff = 0;
	f->npages = 1;
	int row = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct ui_field *u = &f->f[i];
		int need = form_block(f, i);
		bool page = false;
		if (i && row + 1 + need > rows) {
			row = 0;
			page = true;
		} else if (i) {
			row++;
		}
		char *prompt = xasprintf("%s%s%s:", u->prompt ? u->prompt : u->name,
					 u->optional ? " (optional)" : "", u->secret ? " (hidden as you type)" : "");
		FIELD *lab = label_field(c, row, 0, W, prompt, A_BOLD);
		free(prompt);
		if (page) {
			set_new_page(lab, TRUE);
			f->npages++;
		}
		f->ff[f->nff++] = lab;
		f->ff[f->nff++] = label_field(c, row + 1, 0, 2, ">", A_NORMAL);
		FIELD *in = new_field(1, min_i(W - 2, 64), row + 1, 2, 0, 0);
		field_opts_off(in, O_AUTOSKIP | O_STATIC);
		if (u->secret)
			field_opts_off(in, O_PUBLIC);
		set_max_field(in, 4096);
		set_field_back(in, A_UNDERLINE);
		set_field_buffer(in, 0, f->vals[i]);
		f->ff[f->nff++] = in;
		f->inputs[i] = in;
		if (u->error && need == 3 && rows >= 3) {
			char *e = xasprintf("%s %s", c->sy->bad, u->error);
			f->ff[f->nff++] = label_field(c, row + 2, 2, W - 2, e, A_BOLD | pair(c, PAIR_BAD));
			free(e);
		}
		row += need;
	}
	f->ff[f->nff] = NULL;
	f->form = new_form(f->ff);
	f->win = newwin(rows, W, s->wid_top, 1);
	keypad(f->win, TRUE);
	leaveok(f->win, FALSE);
	f->pan = new_panel(f->win);
	f->sub = derwin(f->win, rows, W, 0, 0);
	set_form_win(f->form, f->win);
	set_form_sub(f->form, f->sub);
	if (post_form(f->form) != E_OK) {
		/* too little room even for one field per page: fall back to nothing posted */
		free_form(f->form);
		f->form = NULL;
	} else {
		set_current_field(f->form, f->inputs[f->cur < f->n ? f->cur : 0]);
		form_driver(f->form, REQ_END_LINE);
	}
	s->inwin = f->win;
	s->cursor = f->form != NULL;
}

static void form_unbuild(struct scr *s)
{
	struct form_st *f = s->st;
	if (f->form) {
		form_save_vals(f);
		FIELD *cur = current_field(f->form);
		for (size_t i = 0; i < f->n; i++)
			if (f->inputs[i] == cur)
				f->cur = i;
		unpost_form(f->form);
		free_form(f->form);
		f->form = NULL;
	}
	for (size_t i = 0; i < f->nff; i++)
		free_field(f->ff[i]);
	FREE_NULL(f->ff);
	FREE_NULL(f->inputs);
	f->nff = 0;
	if (f->win) {
		delwin(f->sub);
		del_panel(f->pan);
		delwin(f->win);
		f->win = NULL;
	}
	s->inwin = stdscr;
	s->cursor = false;
	s->footer_extra = NULL;
	FREE_NULL(f->page_hint);
}

static void form_draw(struct scr *s)
{
	struct form_st *f = s->st;
	if (!f->form)
		return;
	free(f->page_hint);
	f->page_hint = f->npages > 1 ? xasprintf("page %d of %d", form_page(f->form) + 1, f->npages) : NULL;
	s->footer_extra = f->page_hint;
	pos_form_cursor(f->form);
}

static int form_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct form_st *f = s->st;
	if (!f->form)
		return a == KA_FORM_BACK ? UI_BACK : -1;
	switch (a) {
	case KA_SUBMIT:
		form_save_vals(f);
		return UI_OK;
	case KA_FIELD_NEXT:
		form_driver(f->form, REQ_NEXT_FIELD);
		form_driver(f->form, REQ_END_LINE);
		return UI_NONE;
	case KA_FIELD_PREV:
		form_driver(f->form, REQ_PREV_FIELD);
		form_driver(f->form, REQ_END_LINE);
		return UI_NONE;
	case KA_FORM_BACK:
		form_save_vals(f);
		return UI_BACK;
	case KA_FORM_HELP: {
		struct strbuf sb = {0};
		for (size_t i = 0; f->f && i < f->n; i++) {
			if (!f->f[i].why)
				continue;
			sb_printf(&sb, "%s%s: %s", sb.len ? "\n" : "", f->f[i].prompt ? f->f[i].prompt : f->f[i].name,
				  f->f[i].why);
		}
		form_save_vals(f);
		help_panel(s, sb.len ? sb.s : NULL);
		sb_free(&sb);
		return UI_NONE;
	}
	default:
		break;
	}
	if (a != KA_NONE)
		return -1;
	return form_edit_key(f->form, k) ? UI_NONE : -1;
}

static const struct scr_ops form_ops = {
	.want = form_want, .build = form_build, .unbuild = form_unbuild, .draw = form_draw, .key = form_key,
};

/* ui_ops.input, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act form_run(struct cui *c, const struct ui_view *v, struct ui_field *fields, size_t n)
{
	struct form_st f = {.f = fields, .n = n};
	f.vals = xcalloc(n ? n : 1, sizeof(*f.vals));
	for (size_t i = 0; i < n; i++) {
		f.vals[i] = xstrdup(fields[i].value ? fields[i].value : "");
		if (fields[i].error && f.cur == 0 && !fields[0].error)
			f.cur = i;
	}
	enum ui_act r = sc_once(c, v, &form_ops, &f, KC_FORM);
	for (size_t i = 0; i < n; i++) {
		if (r == UI_OK) {
			free(fields[i].value);
			fields[i].value = f.vals[i];
		} else {
			free(f.vals[i]);
		}
	}
	free(f.vals);
	return r;
}

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
	if (!c->utf8 || ch > 0x10ffff || (ch >= 0xd800 && ch < 0xe000))
		return 0;
	size_t n = ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	for (size_t i = n - 1; i > 0; i--, ch >>= 6)
		out[i] = (char)(0x80 | (ch & 0x3f));
	out[0] = (char)(lead[n] | ch);
	return n;
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
		sb_free(&sb);
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

/* ---- steps: a checklist, then "did it help?"
 *
 * The node's text and the steps scroll together in the widget area (the text area above
 * stays empty): PgDn pages through both, and the text of a long node can be read on a
 * small terminal. Keys that act on the highlighted step first bring it into view. */
struct steps_st {
	const struct flow_step *steps;
	const char *const *texts;
	size_t n, sel;
	bool *ticked;
	bool fixed;
	int top;                 /* first line of L shown */
	int rows;                /* list rows at the last draw */
	bool relaid;             /* laid out anew (size changed) since the last draw */
	bool seen;               /* the highlighted step was in view at the last draw */
	struct lines L;          /* the text, then the steps, wrapped to the widget's width */
};

static void steps_text(struct scr *s, struct lines *L, int width)
{
	/* nothing: the text scrolls with the steps (steps_lines) */
}

/* Step i: "[x] 12. " then its text, wrapped under its first word. The number is padded
 * to the widest so that every step's text starts in the same column. */
static void steps_item(struct scr *s, size_t i, int width)
{
	struct steps_st *st = s->st;
	int numw = snprintf(NULL, 0, "%zu", st->n);
	char *pre = xasprintf("[%c] %*zu. ", st->ticked[i] ? 'x' : ' ', numw, i + 1);
	int pw = (int)strlen(pre);
	struct lines T = {0};
	lines_wrap(s->c, &T, st->texts[i] ? st->texts[i] : "", width - pw, A_NORMAL, -1);
	for (size_t k = 0; k == 0 || k < T.n; k++) {
		char *l = xasprintf("%*s%s", pw, k ? "" : pre, k < T.n ? T.v[k].s : "");
		lines_push(&st->L, l, A_NORMAL, (int)i);
		st->L.v[st->L.n - 1].cont = k > 0 && T.v[k].cont;
	}
	lines_free(&T);
	free(pre);
}

static void steps_lines(struct scr *s, int width)
{
	struct steps_st *st = s->st;
	lines_free(&st->L);
	text_default(s, &st->L, width);
	while (st->L.n && !*st->L.v[st->L.n - 1].s)
		free(st->L.v[--st->L.n].s);
	if (st->L.n)
		lines_push(&st->L, xstrdup(""), A_NORMAL, -1);
	for (size_t i = 0; i < st->n; i++)
		steps_item(s, i, width);
}

/* The first and last line of step i in L (-1 when there is no such step). */
static void steps_span(const struct steps_st *st, size_t i, int *first, int *last)
{
	*first = *last = -1;
	for (size_t k = 0; k < st->L.n; k++) {
		if (st->L.v[k].item != (int)i)
			continue;
		if (*first < 0)
			*first = (int)k;
		*last = (int)k;
	}
}

static bool steps_in_view(const struct steps_st *st, size_t i)
{
	int first, last;
	steps_span(st, i, &first, &last);
	return first >= 0 && last >= st->top && first < st->top + st->rows;
}

static size_t steps_ticked(const struct steps_st *st)
{
	size_t t = 0;
	for (size_t i = 0; i < st->n; i++)
		t += st->ticked[i];
	return t;
}

static int steps_maxtop(const struct steps_st *st)
{
	return max_i(0, (int)st->L.n - st->rows);
}

/* Scroll so that step i shows whole (its first lines when it is taller than the list);
 * the first step brings the text above it along when both fit. */
static void steps_show(struct steps_st *st, size_t i)
{
	int first, last;
	steps_span(st, i, &first, &last);
	if (first < 0)
		return;
	if (i == 0 && last < st->rows)
		st->top = 0;
	else if (first < st->top || last - first >= st->rows)
		st->top = first;
	else if (last >= st->top + st->rows)
		st->top = last - st->rows + 1;
}

/* After a page scroll: keep the highlight when its step is in view, else move it to the
 * first (down) or last (up) step that starts in view; with none, it stays. */
static void steps_pick(struct steps_st *st, bool down)
{
	if (steps_in_view(st, st->sel))
		return;
	int pick = -1;
	for (int k = st->top; k < st->top + st->rows && k < (int)st->L.n; k++) {
		int item = st->L.v[k].item;
		bool starts = item >= 0 && (k == 0 || st->L.v[k - 1].item != item);
		if (starts && (pick < 0 || !down))
			pick = item;
	}
	if (pick >= 0)
		st->sel = (size_t)pick;
}

static int steps_want(struct scr *s, int width)
{
	struct steps_st *st = s->st;
	steps_lines(s, width);
	st->relaid = true;
	return (int)st->L.n + 1;
}

static void steps_draw(struct scr *s)
{
	struct steps_st *st = s->st;
	steps_lines(s, s->wid_w);
	st->rows = max_i(1, s->wid_rows - 1);
	if (st->relaid && st->seen)
		steps_show(st, st->sel);
	st->relaid = false;
	st->top = max_i(0, min_i(st->top, steps_maxtop(st)));
	st->seen = steps_in_view(st, st->sel);
	find_scan(&s->find, &st->L);
	/* The cursor goes to the highlighted step, else to the top of the list. */
	s->place = true;
	s->place_y = s->wid_top;
	s->place_x = 1;
	bool placed = false;
	for (int i = 0; i < st->rows && st->top + i < (int)st->L.n; i++) {
		const struct line *l = &st->L.v[st->top + i];
		int y = s->wid_top + i;
		attr_t a = l->attr;
		if (l->item >= 0 && l->item == (int)st->sel) {
			a = A_REVERSE;
			mvwhline(stdscr, y, 1, ' ' | A_REVERSE, s->wid_w);
			if (!placed)
				s->place_y = y;
			placed = true;
		}
		find_put_line(stdscr, y, 1, &st->L, st->top + i, s->wid_w, a, &s->find);
	}
	if (st->top > 0)
		put(stdscr, s->wid_top, s->C - 1, s->c->sy->up, 1, A_BOLD);
	if (st->top + st->rows < (int)st->L.n)
		put(stdscr, s->wid_top + st->rows - 1, s->C - 1, s->c->sy->down, 1, A_BOLD);
	char *m = xasprintf("%zu of %zu done. Finished? Enter, then say whether it helped.", steps_ticked(st),
			    st->n);
	char *cut = fit(s->c, m, s->wid_w);
	put(stdscr, s->wid_top + st->rows, 1, cut, s->wid_w, A_BOLD);
	free(cut);
	free(m);
}

/* Did it help? With nothing ticked the question says so, and offers to go back to the
 * list (also the default, and Esc): an untouched list is more often a slip than a fix.
 * UI_OK with st->fixed set, or UI_NONE to stay on the list. */
static int steps_ask(struct scr *s)
{
	struct steps_st *st = s->st;
	static const char *const items[] = {"Yes, the problem is fixed", "No, it is still there",
					    "Back to the list, to tick the steps done"};
	int r = steps_ticked(st)
		? modal_choice(s->c, s, "Did it help?", items, 2, 0, true)
		: modal_choice(s->c, s, "None of the steps are ticked. Did it help anyway?", items, 3, 2, true);
	if (r < 0 || r > 1)
		return UI_NONE;
	st->fixed = r == 0;
	return UI_OK;
}

static int steps_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct steps_st *st = s->st;
	int page = max_i(1, st->rows - 1);
	bool shown = steps_in_view(st, st->sel);
	switch (a) {
	case KA_UP:
	case KA_DOWN:
	case KA_TICK:
		if (!shown || !st->n)
			steps_show(st, st->sel);       /* first bring the highlight into view */
		else if (a == KA_TICK)
			st->ticked[st->sel] = !st->ticked[st->sel];
		else if (a == KA_UP && st->sel > 0)
			steps_show(st, --st->sel);
		else if (a == KA_DOWN && st->sel + 1 < st->n)
			steps_show(st, ++st->sel);
		else
			st->top = a == KA_UP ? 0 : steps_maxtop(st);
		return UI_NONE;
	case KA_FIRST:
		st->sel = 0;
		st->top = 0;
		return UI_NONE;
	case KA_LAST:
		st->sel = st->n ? st->n - 1 : 0;
		st->top = steps_maxtop(st);
		return UI_NONE;
	case KA_PGDN:
		if (st->top < steps_maxtop(st)) {
			st->top = min_i(st->top + page, steps_maxtop(st));
			steps_pick(st, true);
		} else {
			st->sel = st->n ? st->n - 1 : 0;
		}
		return UI_NONE;
	case KA_PGUP:
		if (st->top > 0) {
			st->top = max_i(0, st->top - page);
			steps_pick(st, false);
		} else {
			st->sel = 0;
		}
		return UI_NONE;
	case KA_FIXED:
		if (!steps_ticked(st))
			return steps_ask(s);
		st->fixed = true;
		return UI_OK;
	case KA_NOT_FIXED:
		st->fixed = false;
		return UI_OK;
	case KA_STEPS_DONE:
		return steps_ask(s);
	case KA_HELP: {
		struct strbuf sb = {0};
		for (size_t i = 0; i < st->n; i++)
			if (st->steps && st->steps[i].why)
				sb_printf(&sb, "%sStep %zu: %s", sb.len ? "\n" : "", i + 1, st->steps[i].why);
		help_panel(s, sb.len ? sb.s : NULL);
		sb_free(&sb);
		return UI_NONE;
	}
	default:
		return -1;
	}
}

/* A search looks through the text and the steps, as they scroll together. */
static struct lines *steps_find_view(struct scr *s, int **top, int *rows)
{
	struct steps_st *st = s->st;
	*top = &st->top;
	*rows = st->rows;
	return &st->L;
}

/* A match in a step's text: the highlight goes to that step. */
static void steps_found(struct scr *s, int line)
{
	struct steps_st *st = s->st;
	if (line >= 0 && (size_t)line < st->L.n && st->L.v[line].item >= 0)
		st->sel = (size_t)st->L.v[line].item;
}

static const struct scr_ops steps_ops = {
	.want = steps_want, .text = steps_text, .draw = steps_draw, .key = steps_key,
	.find_view = steps_find_view, .found = steps_found,
};

/* ui_ops.steps, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act steps_run(struct cui *c, const struct ui_view *v, const struct flow_step *steps,
		      const char *const *texts, size_t n, bool *ticked, bool *fixed)
{
	struct steps_st st = {.steps = steps, .texts = texts, .n = n, .ticked = ticked};
	enum ui_act r = sc_once(c, v, &steps_ops, &st, KC_STEPS);
	lines_free(&st.L);
	if (r == UI_OK)
		*fixed = st.fixed;
	return r;
}

/* ---- checks: one row per check, live */
struct chk_call {
	const struct ui_check_row *rows;
	size_t n;
	bool running;
};

static int chk_want(struct scr *s, int width)
{
	struct chk_call *k = s->st;
	return (int)k->n * 3 + (k->running ? 0 : 1);
}

/* The state words of a row: a symbol and words, never colour alone. */
/* With sum: the result line of a row. A summary that starts with the outcome's words
 * takes their place ("HTTP 503 Service Unavailable from http://..."); another follows
 * them after a colon. */
static char *row_status(const struct cui *c, const struct ui_check_row *r, attr_t *a, bool cancelling,
			const char *sum)
{
	*a = A_NORMAL;
	if (!r->done || !r->result) {
		*a = A_BOLD;
		return xasprintf("%s %s", c->sy->spin[(size_t)(now_ms() / 100) % c->sy->nspin],
				 cancelling ? "cancelling" : "running");
	}
	const struct check_result *res = r->result;
	if (r->status) {             /* training: a check the scenario leaves out */
		*a = A_BOLD;
		return xasprintf("%s %s (simulated)", c->sy->bullet, r->status);
	}
	const char *o = res->outcome ? res->outcome : "ok";
	char *human = outcome_human(o);
	const char *sym = str_eq(o, "ok") ? c->sy->ok : str_eq(o, "tls_expiring") ? c->sy->warn : c->sy->bad;
	*a = A_BOLD | pair(c, str_eq(o, "ok") ? PAIR_OK : PAIR_BAD);
	const char *words = str_eq(o, "ok") ? "OK" : human;
	const char *tags = res->simulated ? " (simulated)" : res->stale ? " (from before the interruption)" : "";
	char *s;
	if (sum && *sum && !res->simulated && strncasecmp(sum, human, strlen(human)) == 0)
		s = xasprintf("%s %s%s", sym, sum, tags);
	else if (sum && *sum && !res->simulated)
		s = xasprintf("%s %s%s: %s", sym, words, tags, sum);
	else
		s = xasprintf("%s %s%s", sym, words, tags);
	free(human);
	return s;
}

static void chk_draw(struct scr *s)
{
	struct chk_call *k = s->st;
	struct cui *c = s->c;
	struct chk_state *cs = &c->chk;
	int W = s->wid_w;
	int total = (int)k->n * 3 + (k->running ? 0 : 1);
	int rows = s->wid_rows;
	int sel_line = (int)cs->sel * 3;
	if (!k->running) {
		if (sel_line + 2 >= cs->list_top + rows)
			cs->list_top = sel_line + (cs->sel < k->n ? 3 : 1) - rows;
		if (sel_line < cs->list_top)
			cs->list_top = sel_line;
	}
	cs->list_top = max_i(0, min_i(cs->list_top, total - rows));
	for (int li = 0; li < rows; li++) {
		int line = cs->list_top + li;
		int y = s->wid_top + li;
		if (line >= total)
			break;
		size_t i = (size_t)line / 3;
		bool selected = !k->running && i == cs->sel;
		if (i == k->n) {
			attr_t a = selected ? A_REVERSE | A_BOLD : A_BOLD;
			if (selected)
				mvwhline(stdscr, y, 1, ' ' | A_REVERSE, W);
			put(stdscr, y, 1, c->utf8 ? "Continue ›" : "Continue >", W, a);
			continue;
		}
		const struct ui_check_row *r = &k->rows[i];
		if (line % 3 == 0) {
			attr_t sa;
			char *st = row_status(c, r, &sa, cs->cancel_sent, NULL);
			char *el = xasprintf("%ld.%ld s", r->elapsed_ms / 1000, (r->elapsed_ms % 1000) / 100);
			int ew = (int)utf8_width(el);
			attr_t base = selected ? A_REVERSE : A_NORMAL;
			if (selected)
				mvwhline(stdscr, y, 1, ' ' | A_REVERSE, W);
			char *label = fit(c, r->label ? r->label : "check", W - ew - 2);
			put(stdscr, y, 1, label, W - ew - 2, base | A_BOLD);
			put(stdscr, y, 1 + W - ew, el, ew, base);
			free(label);
			free(el);
			free(st);
		} else if (line % 3 == 1) {
			char *t = fit(c, r->target ? r->target : "", W - 2);
			put(stdscr, y, 3, t, W - 2, A_DIM);
			free(t);
		} else {
			attr_t sa;
			const char *sum = r->done && r->result ? r->result->summary : NULL;
			char *st = row_status(c, r, &sa, cs->cancel_sent, sum);
			char *line3 = xstrdup(st);
			char *t = fit(c, line3, W - 2);
			put(stdscr, y, 3, t, W - 2, sa);
			free(t);
			free(line3);
			free(st);
		}
	}
	if (cs->list_top > 0)
		put(stdscr, s->wid_top, s->C - 1, c->sy->up, 1, A_BOLD);
	if (cs->list_top + rows < total)
		put(stdscr, s->wid_top + rows - 1, s->C - 1, c->sy->down, 1, A_BOLD);
}

static void facts_panel(struct scr *s, const struct ui_check_row *r)
{
	struct cui *c = s->c;
	struct lines raw = {0};
	const struct check_result *res = r->result;
	attr_t a;
	char *st = row_status(c, r, &a, false, NULL);
	lines_push(&raw, xasprintf("Target: %s", r->target ? r->target : ""), A_NORMAL, -1);
	lines_push(&raw, xasprintf("Result: %s%s%s%s", st, res && res->outcome ? " (" : "",
				   res && res->outcome ? res->outcome : "", res && res->outcome ? ")" : ""), A_BOLD, -1);
	free(st);
	if (res && res->summary && *res->summary)
		lines_push(&raw, xasprintf("Summary: %s", res->summary), A_NORMAL, -1);
	lines_push(&raw, xasprintf("Time: %ld ms", r->elapsed_ms), A_NORMAL, -1);
	if (res && res->facts.n) {
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
		lines_push(&raw, xstrdup("Facts"), A_BOLD, -1);
		for (size_t i = 0; i < res->facts.n; i++) {
			char *v = str_clean_dup(res->facts.v[i].value ? res->facts.v[i].value : "");
			lines_push(&raw, xasprintf("  %s: %s", res->facts.v[i].key, v), A_NORMAL, -1);
			free(v);
		}
	}
	if (res && res->nproblems) {
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
		lines_push(&raw, xstrdup("Problems"), A_BOLD, -1);
		for (size_t i = 0; i < res->nproblems; i++) {
			char *h = outcome_human(res->problems[i]);
			lines_push(&raw, xasprintf("  %s %s (%s)", c->sy->bullet, h, res->problems[i]), A_NORMAL, -1);
			free(h);
		}
	}
	if (res && res->command && *res->command) {
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
		lines_push(&raw, xstrdup("The same check by hand"), A_BOLD, -1);
		lines_push(&raw, xasprintf("  %s", res->command), A_NORMAL, -1);
	}
	const char *copy = res && res->command && *res->command ? res->command : NULL;
	modal_text(c, s, r->label ? r->label : "Check", &raw, copy);
	lines_free(&raw);
}

static int chk_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct chk_call *call = s->st;
	struct chk_state *cs = &s->c->chk;
	if (call->running) {
		if (a == KA_CANCEL) {
			cs->cancel_sent = true;
			sc_set_notice(s, "Cancelling the checks...");
			return UI_CANCEL;
		}
		return -1;
	}
	switch (a) {
	case KA_UP:
		if (cs->sel > 0)
			cs->sel--;
		return UI_NONE;
	case KA_DOWN:
		if (cs->sel < call->n)
			cs->sel++;
		return UI_NONE;
	case KA_OPEN:
		if (cs->sel >= call->n)
			return UI_OK;
		facts_panel(s, &call->rows[cs->sel]);
		return UI_NONE;
	case KA_GO_ON:
		return UI_OK;
	case KA_RERUN:
		return UI_RERUN;
	default:
		return -1;
	}
}

static const struct scr_ops chk_ops = {.want = chk_want, .draw = chk_draw, .key = chk_key};

/* ui_ops.checks, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act chk_run(struct cui *c, const struct ui_view *v, const struct ui_check_row *rows, size_t n,
		    bool running)
{
	struct chk_state *cs = &c->chk;
	/* A new node (or step) starts fresh; a new run of the same node clears the cancel. */
	if (!str_eq(cs->node_id, v->node_id) || cs->step_no != v->step_no) {
		free(cs->node_id);
		*cs = (struct chk_state){.node_id = xstrdup(v->node_id), .step_no = v->step_no, .running = running};
		cs->sel = n;
	}
	if (running && !cs->running)
		cs->cancel_sent = false;
	if (!running && cs->running)
		cs->sel = n;          /* just finished: Enter goes on */
	cs->running = running;
	if (cs->sel > n)
		cs->sel = n;
	struct chk_call call = {.rows = rows, .n = n, .running = running};
	struct scr s;
	sc_init(&s, c, v, &chk_ops, &call, running ? KC_RUN : KC_DONE);
	s.scroll = cs->scroll;
	if (running && cs->cancel_sent)
		sc_set_notice(&s, "Cancelling the checks...");
	bool cancelled = false;
	for (size_t i = 0; i < n; i++)
		if (rows[i].done && rows[i].result && str_eq(rows[i].result->outcome, "cancelled"))
			cancelled = true;
	if (!running && cancelled && !(v->notice && strstr(v->notice, "cancelled")))
		sc_set_notice(&s, "Checks cancelled: r runs them again, b goes back.");
	enum ui_act r = sc_run(&s, running ? 50 : -1);
	cs->scroll = s.scroll;
	sc_done(&s);
	return r;
}

/* ---- end */
struct end_st {
	const struct ui_end *end;
};

static void end_text(struct scr *s, struct lines *L, int width)
{
	struct end_st *e = s->st;
	const struct ui_end *end = e->end;
	struct cui *c = s->c;
	bool ok = end->result == END_RESOLVED;
	char *banner = ok ? xasprintf("%s RESOLVED: the problem is solved.", c->sy->ok)
			  : xasprintf("%s ESCALATE: this needs someone else; pass on what is below.", c->sy->warn);
	lines_wrap(c, L, banner, width, A_BOLD | pair(c, ok ? PAIR_OK : PAIR_NOTE), -1);
	free(banner);
	if (end->verdict) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_wrap(c, L, end->verdict, width, A_BOLD, -1);
	}
	if (end->debrief) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_push(L, xstrdup("Debrief"), A_BOLD, -1);
		lines_wrap(c, L, end->debrief, width, A_NORMAL, -1);
	}
	if (end->text && *end->text) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_wrap(c, L, end->text, width, A_NORMAL, -1);
	}
	if (end->ncollect) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_push(L, xstrdup(ok ? "Worth keeping:" : "Collect before escalating:"), A_BOLD, -1);
		for (size_t i = 0; i < end->ncollect; i++) {
			char *t = xasprintf("  %s %s", c->sy->bullet, end->collect[i]);
			lines_wrap(c, L, t, width, A_NORMAL, -1);
			free(t);
		}
	}
	if (s->v && s->v->training && s->v->why) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		char *w = xasprintf("Why: %s", s->v->why);
		lines_wrap(c, L, w, width, A_BOLD, -1);
		free(w);
	}
	if (end->summary && *end->summary) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_push(L, xstrdup("Summary of the walk"), A_BOLD, -1);
		lines_wrap(c, L, end->summary, width, A_NORMAL, -1);
	}
}

static int end_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct end_st *e = s->st;
	if (a == KA_COPY) {
		sc_flash(s, clip_copy(e->end->summary));
		return UI_NONE;
	}
	return a == KA_SAVE ? UI_REPORT : text_scroll_key(s, k, a);
}

static const struct scr_ops end_ops = {.text = end_text, .key = end_key};

/* ui_ops.end, run for ui/curses.c (contract: ui/ui.h). */
enum ui_act end_run(struct cui *c, const struct ui_view *v, const struct ui_end *end, char **report_path)
{
	struct end_st e = {.end = end};
	struct scr s;
	sc_init(&s, c, v, &end_ops, &e, KC_END);
	s.quit_asks = false;
	enum ui_act r;
	for (;;) {
		r = sc_run(&s, -1);
		if (r != UI_REPORT)
			break;
		char *p = modal_prompt(c, &s, "Save the report to (.txt, .md or .json):", "tshoot-report.txt");
		if (p) {
			*report_path = p;
			break;
		}
	}
	sc_done(&s);
	return r;
}

/* ---- the ops */
static int cui_open(struct ui *u)
{
	if (u->priv)
		return 0;
	struct cui *c = xcalloc(1, sizeof(*c));
	c->u = u;
	c->utf8 = ui_locale_utf8();
	c->sy = syms_get(c->utf8);
	if (term_open(c) != 0) {
		free(c);
		return -1;
	}
	u->priv = c;
	return 0;
}

static void cui_close(struct ui *u)
{
	struct cui *c = u ? u->priv : NULL;
	if (!c)
		return;
	term_close();
	/* notices nobody saw on a screen (e.g. "session saved") go to the restored terminal */
	for (size_t i = 0; i < c->npending; i++) {
		fprintf(stdout, "%s\n", c->pending[i]);
		free(c->pending[i]);
	}
	fflush(stdout);
	free(c->pending);
	free(c->chk.node_id);
	free(c->note_text);
	free(c->note_node);
	free(c);
	u->priv = NULL;
}

static enum ui_act cui_info(struct ui *u, const struct ui_view *v)
{
	return info_run(u->priv, v);
}

static enum ui_act cui_question(struct ui *u, const struct ui_view *v, const char *const *labels, size_t n,
				size_t *choice)
{
	return ask_run(u->priv, v, labels, n, choice);
}

static enum ui_act cui_input(struct ui *u, const struct ui_view *v, struct ui_field *fields, size_t n)
{
	return form_run(u->priv, v, fields, n);
}

static enum ui_act cui_classify(struct ui *u, const struct ui_view *v, char **pasted)
{
	return pb_run(u->priv, v, pasted);
}

static enum ui_act cui_steps(struct ui *u, const struct ui_view *v, const struct flow_step *steps,
			     const char *const *texts, size_t n, bool *ticked, bool *fixed)
{
	return steps_run(u->priv, v, steps, texts, n, ticked, fixed);
}

static enum ui_act cui_checks(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows, size_t n,
			      bool running)
{
	return chk_run(u->priv, v, rows, n, running);
}

static enum ui_act cui_end(struct ui *u, const struct ui_view *v, const struct ui_end *end, char **report_path)
{
	return end_run(u->priv, v, end, report_path);
}

static enum ui_act cui_page(struct ui *u, const struct ui_page *p)
{
	return page_run(u->priv, p);
}

static bool cui_confirm(struct ui *u, const char *question)
{
	struct cui *c = u->priv;
	if (!c)
		return false;
	if (g_term || g_eof)
		return true;
	bool r = ask_yes(c, NULL, question, false);
	werase(stdscr);
	return r;
}

/* A list to pick from before any walk: a menu in a box on a blank screen, its columns
 * lined up (modal_list). */
static enum ui_act cui_choose(struct ui *u, const struct ui_list *l, size_t *choice)
{
	struct cui *c = u->priv;
	if (!c || l->n == 0)
		return UI_QUIT;
	int r = modal_list(c, NULL, l, 0, false);
	werase(stdscr);
	if (g_term) {
		u->signo = g_term;
		return UI_SIGNAL;
	}
	if (g_eof)
		return UI_EOF;
	if (r == -3)
		g_int = 0;               /* Ctrl-C: no choice, as Esc */
	if (r < 0)
		return UI_QUIT;
	*choice = (size_t)r;
	return UI_OK;
}

static void cui_notice(struct ui *u, const char *msg)
{
	struct cui *c = u->priv;
	if (!msg)
		return;
	if (!c) {
		fprintf(u->out ? u->out : stdout, "%s\n", msg);
		return;
	}
	VEC_PUSH(c->pending, c->npending, c->cap);
	c->pending[c->npending++] = xstrdup(msg);
}

const struct ui_ops curses_ui_ops = {
	.name = "curses",
	.open = cui_open,
	.close = cui_close,
	.info = cui_info,
	.question = cui_question,
	.input = cui_input,
	.classify = cui_classify,
	.steps = cui_steps,
	.checks = cui_checks,
	.end = cui_end,
	.page = cui_page,
	.confirm = cui_confirm,
	.choose = cui_choose,
	.notice = cui_notice,
};
