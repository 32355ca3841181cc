/* report_answers.c — the walk as an answers file that replays it
 * (tshoot --answers FILE, tshoot(1)). */
#include "src/report_int.h"

#include <stdint.h>
#include <stdlib.h>

/* A YAML double-quoted scalar. */
static void yaml_quoted(struct strbuf *sb, const char *s)
{
	/* libyaml reads only valid UTF-8 and printable characters: invalid sequences
	 * become U+FFFD, controls (C0, DEL, C1) and the bidi controls are escaped, so
	 * what was pasted replays as it was. */
	sb_addc(sb, '"');
	const char *p = s ? s : "";
	while (*p) {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);
		switch (cp) {
		case '"': sb_add(sb, "\\\""); break;
		case '\\': sb_add(sb, "\\\\"); break;
		case '\n': sb_add(sb, "\\n"); break;
		case '\t': sb_add(sb, "\\t"); break;
		case '\r': sb_add(sb, "\\r"); break;
		case UTF8_INVALID: sb_add(sb, UTF8_REPLACEMENT); break;
		default:
			if (utf8_cp_unsafe(cp))
				sb_printf(sb, "\\u%04x", (unsigned)cp);
			else
				sb_addn(sb, p, n);
		}
		p += n;
	}
	sb_addc(sb, '"');
}

/* What was answered at step s of node n, as an answers file gives it. */
static void put_answer(struct strbuf *sb, const struct walk *w, const struct flow_node *n,
		       const struct engine_step *s)
{
	switch (n->type) {
	case NODE_QUESTION: {
		/* The label, or its number when two answers share the label or the flow is
		 * in languages (the number replays in every one: tshoot-flow(5), LANGUAGES). */
		size_t same = 0;
		for (size_t k = 0; k < n->nanswers; k++)
			same += str_eq(n->answers[k].label, s->answer);
		if (same == 1 && !w->f->nlangs)
			yaml_quoted(sb, s->answer);
		else
			sb_printf(sb, "%d", s->choice + 1);
		break;
	}
	case NODE_INPUT: {
		sb_add(sb, "{");
		bool first = true;
		for (size_t k = 0; k < n->nvars; k++) {
			int vi = n->vars[k].idx;
			if (flow_var_secret(w->f, vi))
				continue;
			const char *val = s->vars_after ? s->vars_after[vi] : NULL;
			if (!val)
				continue;
			sb_add(sb, first ? "" : ", ");
			first = false;
			yaml_quoted(sb, w->f->vars[vi].name);
			sb_add(sb, ": ");
			char *v = report_scrub(w->e, val);
			yaml_quoted(sb, v);
			free(v);
		}
		sb_add(sb, "}");
		break;
	}
	case NODE_CLASSIFY: {
		char *t = report_scrub(w->e, s->answer ? s->answer : "");
		yaml_quoted(sb, t);
		free(t);
		break;
	}
	case NODE_STEPS:
		sb_add(sb, s->choice == STEPS_FIXED ? "fixed" : s->choice == STEPS_CANNOT ? "cannot" : "\"not fixed\"");
		break;
	default:
		break;
	}
}

void walk_answers(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	sb_add(sb, "# tshoot answers: replay this walk with  tshoot --answers FILE\n");
	if (m && m->scenario)
		sb_printf(sb, "# recorded in training scenario %s\n", m->scenario);
	sb_add(sb, "flow: ");
	yaml_quoted(sb, w->f->id);
	sb_add(sb, "\nanswers:\n");
	size_t nitems = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		if (!it->step)
			continue;
		const struct flow_node *n = it->node;
		if (n->type == NODE_INFO || n->type == NODE_CHECK || n->type == NODE_END ||
		    flow_node_automatic(n->type))
			continue;       /* nothing asked (a branch, a call, a return: the flow's) */
		/* A node visited more than once gets a list, one answer per visit in order
		 * (answers_get_at0), under its first visit. */
		bool earlier = false;
		for (size_t k = 0; k < i && !earlier; k++)
			earlier = w->items[k].step && w->items[k].node == n;
		if (earlier)
			continue;
		size_t visits = 0;
		for (size_t k = i; k < w->n; k++)
			visits += w->items[k].step && w->items[k].node == n;
		nitems++;
		sb_add(sb, "  ");
		yaml_quoted(sb, n->id);
		sb_add(sb, visits > 1 ? ": [" : ": ");
		size_t put = 0;
		for (size_t k = i; k < w->n; k++) {
			if (!w->items[k].step || w->items[k].node != n)
				continue;
			sb_add(sb, put++ ? ", " : "");
			put_answer(sb, w, n, w->items[k].step);
		}
		if (visits > 1)
			sb_addc(sb, ']');
		sb_addc(sb, '\n');
	}
	if (nitems == 0)
		sb_add(sb, "  {}\n");
}

