/* cui_panels.c — the panels a key opens over any screen: '?' (why this step, and the
 * screen's keys from the table) and 'm' (the flow map: the path so far with its answers,
 * and what is left). Both are modal_text panels, searchable. A check's facts panel is
 * the checks screen's own (ui/scr_checks.c). */
#include "ui/cui.h"

#include <stdlib.h>

#include "src/util.h"

/* The '?' panel: why this step, then the keys of this screen, from the table. */
void help_panel(struct scr *s, const char *extra_why)
{
	struct cui *c = s->c;
	struct lines raw = {0};
	if (s->notes.n > (size_t)s->note_rows) {
		lines_push(&raw, xstrdup("Messages"), A_BOLD, -1);
		if (s->t_notice)
			lines_push(&raw, xstrdup(s->t_notice), A_NORMAL, -1);
		if (s->local_notice)
			lines_push(&raw, xstrdup(s->local_notice), A_NORMAL, -1);
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
	}
	if (s->v && s->v->node_id)
		c->u->hints++;           /* help on a step: a hint, in training's score */
	lines_push(&raw, xstrdup("Why this step"), A_BOLD, -1);
	const char *why = s->v && s->v->why && *s->v->why ? s->v->why : NULL;
	if (why)
		lines_push(&raw, xasprintf("  %s", why), A_NORMAL, -1);
	if (extra_why && *extra_why)
		lines_push(&raw, xstrdup(extra_why), A_NORMAL, -1);
	if (!why && !(extra_why && *extra_why))
		lines_push(&raw, xstrdup("  This step has no further explanation."), A_NORMAL, -1);
	lines_push(&raw, xstrdup(""), A_NORMAL, -1);
	lines_push(&raw, xstrdup("Keys"), A_BOLD, -1);
	/* the search keys too, as they are while a search is on */
	unsigned ctx = s->ctx | (s->ctx & KC_SEARCH ? KC_FOUND : 0);
	size_t kw = 0;
	for (size_t i = 0; i < ARRAY_LEN(keyrows); i++)
		if (keyrows[i].ctx & ctx)
			kw = utf8_width(keyrows[i].keys) > kw ? utf8_width(keyrows[i].keys) : kw;
	for (size_t i = 0; i < ARRAY_LEN(keyrows); i++) {
		if (!(keyrows[i].ctx & ctx))
			continue;
		const char *help = keyrows[i].act == KA_QUIT && !s->quit_asks ? "quit" : keyrows[i].help;
		lines_push(&raw, xasprintf("  %-*s  %s", (int)kw, keyrows[i].keys, help), A_NORMAL, -1);
	}
	modal_text(c, s, "Help", &raw, NULL);
	lines_free(&raw);
}

#define MAP_ANSWER_COLS 120  /* an answer in the map is cut to this (a pasted log) */

/* The flow map ('m'): the steps so far with what was answered at each, the step you are
 * on, and what is left (the driver's shortest way on to an end). */
void map_panel(struct scr *s)
{
	const struct ui_view *v = s->v;
	struct cui *c = s->c;
	if (!v)
		return;
	struct lines raw = {0};
	lines_push(&raw, xstrdup("The path so far"), A_BOLD, -1);
	for (size_t i = 0; i < v->npath; i++) {
		lines_push(&raw, xasprintf("  %zu. %s", i + 1, v->path[i]), A_NORMAL, -1);
		const char *ans = v->answers ? v->answers[i] : NULL;
		if (ans && *ans) {
			char *a = fit(c, ans, MAP_ANSWER_COLS);
			lines_push(&raw, xasprintf("     → %s", a), A_NORMAL, -1);
			free(a);
		}
	}
	lines_push(&raw, xasprintf("  %zu. %s (you are here)", v->step_no, v->title ? v->title : v->node_id),
		   A_BOLD, -1);
	lines_push(&raw, xstrdup(""), A_NORMAL, -1);
	lines_push(&raw, xstrdup("What is left"), A_BOLD, -1);
	if (v->type == NODE_END)
		lines_push(&raw, xstrdup("  Nothing: this is an end of the flow."), A_NORMAL, -1);
	else if (v->training)
		lines_push(&raw, xstrdup("  In training the way on is not shown: finding it is the exercise."), A_NORMAL, -1);
	else if (v->ahead_steps <= 0 || !v->ahead)
		lines_push(&raw, xstrdup("  No end of the flow can be reached from here."), A_NORMAL, -1);
	else {
		lines_push(&raw, xasprintf("  At least %d more step%s to an end. A shortest way on (the way the walk "
					   "takes depends on the answers and the checks):",
					   v->ahead_steps, v->ahead_steps == 1 ? "" : "s"),
			   A_NORMAL, -1);
		for (int k = 0; k < v->ahead_steps; k++) {
			bool last = k + 1 == v->ahead_steps;
			lines_push(&raw, xasprintf("  %zu. %s%s", v->step_no + (size_t)k + 1, v->ahead[k],
						   !last ? "" : v->ahead_result == END_RESOLVED ? " (end: resolved)"
											 : " (end: escalate)"),
				   A_NORMAL, -1);
		}
	}
	modal_text(c, s, "Where am I", &raw, NULL);
	lines_free(&raw);
}
