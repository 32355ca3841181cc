/* scr_form.c — input: a form of fields (the form library), paged when they do not fit,
 * each with its prompt and the error the driver found in it. What is typed is kept
 * across rebuilds (a resize) and handed back on submit. */
#include "ui/cui.h"

#include <stdlib.h>

#include "src/util.h"

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
		sb_clear(&sb);
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
