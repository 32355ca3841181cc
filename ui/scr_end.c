/* scr_end.c — the end of a walk: resolved or escalate, what to collect, the summary;
 * s saves a report (asks where), y copies the summary. */
#include "ui/cui.h"

#include <stdlib.h>

#include "src/util.h"

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
