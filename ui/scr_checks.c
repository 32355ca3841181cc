/* scr_checks.c — checks: one row per check, live while they run (the driver calls
 * about every 100 ms: one frame and at most one key each time), then a row to open
 * for its facts, and Continue. What the screen keeps between calls is struct chk_state
 * in struct cui. */
#include "ui/cui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/util.h"

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
