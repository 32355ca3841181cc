/* report_text.c — the walk as plain text, wrapped at TEXT_WIDTH columns. */
#include "src/report_int.h"

#include <stdlib.h>
#include <string.h>

#include "src/secret.h"

#define TEXT_WIDTH 72

static void text_wrapped(struct strbuf *sb, const char *indent, const char *first, const char *s)
{
	size_t ind = strlen(indent);
	size_t width = TEXT_WIDTH > ind + 20 ? TEXT_WIDTH - ind : 20;
	size_t n;
	char **lines = wrap_text(s, width, &n);
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%s%s\n", i == 0 && first ? first : indent, lines[i]);
	if (n == 0 && first)
		sb_printf(sb, "%s\n", first);
	wrap_free(lines, n);
}

static void text_result(struct strbuf *sb, const struct engine *e, const struct check_result *r)
{
	char *human = outcome_human(r->outcome ? r->outcome : "ok");
	char *target = report_scrub(e, r->target ? r->target : "");
	char *line = xasprintf("%s %s: %s [%s], %ld ms%s", r->kind ? r->kind : "check", target, human,
			       r->outcome ? r->outcome : "ok", r->elapsed_ms, report_result_marks(r));
	text_wrapped(sb, "       ", "     - ", line);
	free(line);
	free(human);
	free(target);
	if (r->summary) {
		char *s = report_scrub(e, r->summary);
		text_wrapped(sb, "       ", NULL, s);
		free(s);
	}
	for (size_t i = 0; i < r->facts.n; i++) {
		if (secret_name(r->facts.v[i].key))
			continue;
		char *v = report_scrub(e, r->facts.v[i].value ? r->facts.v[i].value : "");
		char *l = xasprintf("%s: %s", r->facts.v[i].key, v);
		text_wrapped(sb, "         ", "       ", l);
		free(l);
		free(v);
	}
	if (r->command) {
		char *c = report_scrub(e, r->command);
		sb_printf(sb, "       rerun: %s\n", c);
		free(c);
	}
}

/* "Label:    value", continued under the value. Nothing when value is NULL. */
static void text_field(struct strbuf *sb, const char *label, const char *value)
{
	if (!value)
		return;
	char *first = xasprintf("%-10s", label);
	text_wrapped(sb, "          ", first, value);
	free(first);
}

/* A piece of the header that came from the journal or the operator: masked, cleaned. */
static void text_meta(struct strbuf *sb, const struct walk *w, const char *label, const char *value)
{
	char *v = report_scrub(w->e, value);
	text_field(sb, label, v);
	free(v);
}

/* When: UTC on the first line, the local time where the walk ran under it. */
static void text_when(struct strbuf *sb, const char *label, const struct report_time *t)
{
	char *utc = report_time_str(t, CLOCK_UTC_HUMAN), *loc = report_time_str(t, CLOCK_LOCAL_HUMAN);
	text_field(sb, label, utc);
	if (loc) {
		char *l = xasprintf("%s, local time", loc);
		text_field(sb, "", l);
		free(l);
	}
	free(utc);
	free(loc);
}

/* The header: what, when, where, who. */
static void text_head(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	char *title = report_scrub(w->e, w->f->title ? w->f->title : w->f->id);
	sb_printf(sb, "tshoot report: %s\n", title);
	free(title);
	char *flow = xasprintf("%s%s%s", w->f->id ? w->f->id : "?", w->f->version ? " version " : "",
			       w->f->version ? w->f->version : "");
	text_meta(sb, w, "Flow:", flow);
	free(flow);
	if (m)
		text_meta(sb, w, "tshoot:", m->tshoot_version);
	if (m && m->scenario)
		sb_printf(sb, "Training: scenario %s (check results are simulated)\n", m->scenario);
	if (m) {
		text_meta(sb, w, "Ticket:", m->ticket);
		text_meta(sb, w, "Session:", m->session_id);
		text_meta(sb, w, "Host:", m->host);
		text_meta(sb, w, "User:", m->user);
		text_when(sb, "Started:", &m->started);
		if (m->ended.secs > 0)
			text_when(sb, "Ended:", &m->ended);
		else if (!w->end)
			text_field(sb, "Ended:", "not yet: the walk stopped before an end");
	}
	sb_printf(sb, "Result:   %s%s%s\n", w->result, w->end ? " at " : "", w->end ? w->end->id : "");
}

/* "[x] 1. text" per step of a walked checklist. */
static void text_checklist(struct strbuf *sb, const struct item *it)
{
	for (size_t k = 0; it->checklist && k < it->node->nsteps; k++) {
		char *line = xasprintf("[%c] %zu. %s", item_ticked(it, k) ? 'x' : ' ', k + 1, it->checklist[k]);
		text_wrapped(sb, "             ", "      ", line);
		free(line);
	}
}

static void text_notes(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	if (!m || !m->nnotes)
		return;
	sb_add(sb, "\nOperator notes:\n");
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_note *n = &m->notes[i];
		char *when = report_time_str(&n->when, CLOCK_UTC_HUMAN);
		char *where = report_note_where(w, n), *text = report_scrub(w->e, n->text);
		char *head = xasprintf("%zu. %s, %s:", i + 1, when ? when : "(time unknown)", where);
		text_wrapped(sb, "     ", "  ", head);
		text_wrapped(sb, "     ", "     ", text ? text : "");
		free(head);
		free(text);
		free(where);
		free(when);
	}
}

void walk_text(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	text_head(sb, w, m);
	sb_add(sb, "\nPath:\n");
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		if (!it->step && it->node->type == NODE_END)
			break;               /* shown below as the resolution */
		char *head = xasprintf("%2zu. [%s] %s%s", i + 1, flow_node_type_name(it->node->type), it->title,
				       it->step ? "" : "  (the walk stopped here)");
		text_wrapped(sb, "      ", "", head);
		free(head);
		if (it->answer && it->node->type != NODE_CHECK) {
			char *a = xasprintf("Answer: %s", it->answer);
			text_wrapped(sb, "      ", "    ", a);
			free(a);
		}
		text_checklist(sb, it);
		if (it->step && it->node->type == NODE_CHECK) {
			char *o = xasprintf("Outcome: %s", it->answer ? it->answer : "ok");
			text_wrapped(sb, "      ", "    ", o);
			free(o);
			for (size_t k = 0; k < it->step->nresults; k++)
				text_result(sb, w->e, &it->step->results[k]);
		}
	}
	if (w->end) {
		const struct item *it = &w->items[w->n - 1];
		sb_printf(sb, "\nResolution (%s): %s\n", w->result, it->title);
		if (it->text)
			text_wrapped(sb, "  ", "  ", it->text);
		if (w->end->ncollect) {
			sb_add(sb, w->end->result == END_ESCALATE ? "\nCollect before escalating:\n" : "\nCollect:\n");
			for (size_t i = 0; i < w->end->ncollect; i++) {
				char *c = engine_expand_in(w->e, w->end->scope, w->end->collect[i], false);
				char *cs = report_scrub(w->e, c);
				text_wrapped(sb, "    ", "  - ", cs);
				free(cs);
				free(c);
			}
		}
	}
	text_notes(sb, w, m);
	if (m && m->verdict)
		sb_printf(sb, "\n%s\n", m->verdict);
}

