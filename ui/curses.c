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

#include <stdio.h>
#include <stdlib.h>

#include "src/util.h"

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
			     const char *const *texts, size_t n, bool *ticked, enum steps_outcome *outcome)
{
	return steps_run(u->priv, v, steps, texts, n, ticked, outcome);
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
