/* scr_steps.c — resolution steps: a checklist to tick, then "did it help?". */
#include "ui/cui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

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
	enum steps_outcome outcome;
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
	/* c has no footer hint (most checklists do not take it): this line offers it */
	char *m = s->v && s->v->cannot
		? xasprintf("%zu of %zu done. Enter when finished; c if you could not apply them.",
			    steps_ticked(st), st->n)
		: xasprintf("%zu of %zu done. Finished? Enter, then say whether it helped.", steps_ticked(st), st->n);
	char *cut = fit(s->c, m, s->wid_w);
	put(stdscr, s->wid_top + st->rows, 1, cut, s->wid_w, A_BOLD);
	free(cut);
	free(m);
}

/* Did it help? (or the node's ask:) With nothing ticked the question says so, and offers
 * to go back to the list (also the default, and Esc): an untouched list is more often a
 * slip than a fix. Where the node has cannot:, a third answer: the steps could not be
 * applied. UI_OK with st->outcome set, or UI_NONE to stay on the list. */
static int steps_ask(struct scr *s)
{
	struct steps_st *st = s->st;
	bool cannot = s->v && s->v->cannot;
	const char *items[4];
	size_t n = 0;
	items[n++] = "Yes, the problem is fixed";
	items[n++] = "No, it is still there";
	if (cannot)
		items[n++] = "I could not apply the steps";
	size_t answers = n;
	items[n++] = "Back to the list, to tick the steps done";
	const char *ask = s->v && s->v->ask ? s->v->ask : "Did it help?";
	char *q = steps_ticked(st) ? xstrdup(ask)
		: xasprintf("None of the steps are ticked. %s", s->v && s->v->ask ? ask : "Did it help anyway?");
	int r = steps_ticked(st) ? modal_choice(s->c, s, q, items, answers, 0, true)
				 : modal_choice(s->c, s, q, items, n, answers, true);
	free(q);
	if (r < 0 || (size_t)r >= answers)
		return UI_NONE;
	st->outcome = r == 0 ? STEPS_FIXED : r == 1 ? STEPS_NOT_FIXED : STEPS_CANNOT;
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
		st->outcome = STEPS_FIXED;
		return UI_OK;
	case KA_NOT_FIXED:
		st->outcome = STEPS_NOT_FIXED;
		return UI_OK;
	case KA_CANNOT:
		if (!s->v || !s->v->cannot)
			return -1;            /* this checklist has no such answer */
		st->outcome = STEPS_CANNOT;
		return UI_OK;
	case KA_STEPS_DONE:
		return steps_ask(s);
	case KA_HELP: {
		struct strbuf sb = {0};
		for (size_t i = 0; i < st->n; i++)
			if (st->steps && st->steps[i].why)
				sb_printf(&sb, "%sStep %zu: %s", sb.len ? "\n" : "", i + 1, st->steps[i].why);
		help_panel(s, sb.len ? sb.s : NULL);
		sb_clear(&sb);
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
		      const char *const *texts, size_t n, bool *ticked, enum steps_outcome *outcome)
{
	struct steps_st st = {.steps = steps, .texts = texts, .n = n, .ticked = ticked};
	enum ui_act r = sc_once(c, v, &steps_ops, &st, KC_STEPS);
	lines_free(&st.L);
	if (r == UI_OK)
		*outcome = st.outcome;
	return r;
}
