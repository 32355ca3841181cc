/* scr_info.c — the screens that only say something: a node's information (Enter goes
 * on) and the page before a walk (training: the brief), all text. */
#include "ui/cui.h"

#include <stdlib.h>

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
