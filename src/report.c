/* report.c — the transcript of a walk as plain text, Markdown, JSON or an answers file.
 *
 * Every format is built from the same list of visited nodes (the engine's history plus
 * the end node when the walk reached one). Texts are expanded with secrets masked;
 * values of secret variables are never written, facts with a secret key (secret_name) are
 * dropped, and any secret value that slipped into a string is replaced by "********". */
#include "src/report.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/secret.h"
#include "src/util.h"

#define REPORT_SCHEMA "tshoot-report/1"
#define TEXT_WIDTH 72
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

int report_format_parse(const char *s, enum report_format *out)
{
	static const struct { const char *name; enum report_format f; } names[] = {
		{"text", REPORT_TEXT}, {"txt", REPORT_TEXT}, {"md", REPORT_MD}, {"markdown", REPORT_MD},
		{"json", REPORT_JSON}, {"answers", REPORT_ANSWERS},
	};
	for (size_t i = 0; s && i < ARRAY_LEN(names); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].f;
			return 0;
		}
	}
	return -1;
}

struct report_time report_time_now(void)
{
	struct report_time t = {.secs = (long long)time(NULL)};
	time_t tt = (time_t)t.secs;
	struct tm tm;
	if (localtime_r(&tt, &tm)) {
		t.have_offset = true;
		t.utc_offset = tm.tm_gmtoff;
		snprintf(t.zone, sizeof t.zone, "%s", tm.tm_zone ? tm.tm_zone : "");
	}
	return t;
}

int report_ticket_check(const char *id, const char **why)
{
	char *clean = id ? str_clean_dup(id) : NULL;
	char *trim = id ? str_trim_dup(id) : NULL;
	int rc = -1;
	if (!id || !*trim)
		*why = "a ticket id cannot be empty";
	else if (strlen(id) > REPORT_TICKET_MAX)
		*why = "a ticket id is at most " STRINGIFY(REPORT_TICKET_MAX) " characters";
	else if (strcmp(clean, id) != 0)
		*why = "a ticket id cannot contain control characters";
	else
		rc = 0;
	free(clean);
	free(trim);
	return rc;
}

/* ---- the walk as a list of items */

struct item {
	const struct flow_node *node;
	const struct engine_step *step;  /* NULL for the node the walk stands at */
	char *title;                     /* expanded, masked */
	char *text;                      /* expanded, masked, or NULL */
	char *answer;                    /* human answer or NULL */
	char **checklist;                /* steps node walked: each step's text (nsteps) */
};

struct walk {
	const struct engine *e;
	const struct flow *f;
	struct item *items;
	size_t n;
	const char *result;              /* "resolved" | "escalate" | "incomplete" */
	const struct flow_node *end;     /* the end node reached, or NULL */
	const struct flow_node *cur;     /* where the walk stands */
};

/* s with any secret masked, then cleaned of control characters (in that order, so a
 * secret holding a tab is still found). */
static char *scrub_dup(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *masked = engine_mask_secrets(e, s);
	char *out = str_clean_text_dup(masked);     /* newlines and tabs kept */
	free(masked);
	return out;
}

static char *input_answer(const struct walk *w, const struct flow_node *n, const struct engine_step *s)
{
	struct strbuf sb = {0};
	for (size_t i = 0; i < n->nvars; i++) {
		int vi = n->vars[i].idx;
		if (vi < 0 || (size_t)vi >= w->f->nvars)
			continue;
		const struct flow_var *v = &w->f->vars[vi];
		if (sb.len)
			sb_add(&sb, ", ");
		if (flow_var_secret(w->f, vi)) {
			sb_printf(&sb, "%s = (secret, not recorded)", v->name);
			continue;
		}
		const char *val = s->vars_after ? s->vars_after[vi] : NULL;
		sb_printf(&sb, "%s = %s", v->name, val ? val : "(unset)");
	}
	char *raw = sb_steal(&sb);
	char *out = scrub_dup(w->e, raw);
	free(raw);
	return out;
}

static char *step_answer(const struct walk *w, const struct flow_node *n, const struct engine_step *s)
{
	switch (n->type) {
	case NODE_QUESTION:
		return scrub_dup(w->e, s->answer);
	case NODE_INPUT:
		return input_answer(w, n, s);
	case NODE_CLASSIFY: {
		char *pasted = scrub_dup(w->e, s->answer ? s->answer : "");
		char *a = s->matched ? xasprintf("%s -> matched signature %s", pasted, s->matched)
				     : xasprintf("%s -> no signature matched", pasted);
		free(pasted);
		return a;
	}
	case NODE_STEPS: {
		/* which were ticked, by number (the checklist gives their texts): not a count,
		 * "fixed (ticked: 1, 3)", "not fixed (no steps ticked)" */
		struct strbuf sb = {0};
		sb_add(&sb, s->choice == 1 ? "fixed" : "not fixed");
		size_t t = 0;
		for (size_t i = 0; s->ticked && i < n->nsteps; i++)
			if (s->ticked[i])
				sb_printf(&sb, "%s%zu", t++ ? ", " : " (ticked: ", i + 1);
		sb_add(&sb, t ? ")" : " (no steps ticked)");
		return sb_steal(&sb);
	}
	case NODE_CHECK:
		return s->outcome ? xstrdup(s->outcome) : NULL;
	case NODE_INFO:
	case NODE_END:
		break;
	}
	return NULL;
}

/* The texts of a steps node's steps, templated and scrubbed. */
static char **checklist_texts(const struct engine *e, const struct flow_node *n)
{
	char **v = xcalloc(n->nsteps ? n->nsteps : 1, sizeof *v);
	for (size_t i = 0; i < n->nsteps; i++) {
		char *x = engine_expand(e, n->steps[i].text ? n->steps[i].text : "", false);
		v[i] = scrub_dup(e, x);
		free(x);
	}
	return v;
}

/* Was step i of a walked steps node ticked? */
static bool step_ticked(const struct item *it, size_t i)
{
	return it->step && it->step->ticked && i < it->node->nsteps && it->step->ticked[i];
}

static void walk_build(struct walk *w, const struct engine *e)
{
	memset(w, 0, sizeof *w);
	w->e = e;
	w->f = engine_flow(e);
	size_t h = engine_history_len(e);
	w->items = xcalloc(h + 1, sizeof *w->items);
	for (size_t i = 0; i < h; i++) {
		const struct engine_step *s = engine_history(e, i);
		if (!s || s->node < 0 || (size_t)s->node >= w->f->nnodes)
			continue;
		struct item *it = &w->items[w->n++];
		it->node = &w->f->nodes[s->node];
		it->step = s;
	}
	w->cur = engine_node(e);
	if (w->cur) {
		struct item *it = &w->items[w->n++];
		it->node = w->cur;
	}
	for (size_t i = 0; i < w->n; i++) {
		struct item *it = &w->items[i];
		char *t = engine_expand(e, it->node->title ? it->node->title : it->node->id, false);
		it->title = scrub_dup(e, t);
		free(t);
		if (it->node->text) {
			char *x = engine_expand(e, it->node->text, false);
			it->text = scrub_dup(e, x);
			free(x);
		}
		if (it->step)
			it->answer = step_answer(w, it->node, it->step);
		if (it->step && it->node->type == NODE_STEPS)
			it->checklist = checklist_texts(e, it->node);
	}
	if (w->cur && w->cur->type == NODE_END) {
		w->end = w->cur;
		w->result = w->cur->result == END_RESOLVED ? "resolved" : "escalate";
	} else {
		w->result = "incomplete";
	}
}

static void walk_clear(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->items[i].title);
		free(w->items[i].text);
		free(w->items[i].answer);
		for (size_t k = 0; w->items[i].checklist && k < w->items[i].node->nsteps; k++)
			free(w->items[i].checklist[k]);
		free(w->items[i].checklist);
	}
	free(w->items);
}

/* The wall clock at t where the walk ran (its recorded offset, else this machine's). */
static bool local_tm(const struct report_time *t, struct tm *tm, long *off, const char **zone)
{
	time_t tt = (time_t)t->secs;
	if (t->have_offset) {
		time_t shifted = tt + (time_t)t->utc_offset;
		*off = t->utc_offset;
		*zone = t->zone;
		return gmtime_r(&shifted, tm) != NULL;
	}
	if (!localtime_r(&tt, tm))
		return false;
	*off = tm->tm_gmtoff;
	*zone = tm->tm_zone ? tm->tm_zone : "";
	return true;
}

/* How report_time_str writes a moment. */
enum report_clock {
	CLOCK_UTC_ISO,                   /* "2023-11-14T22:13:20Z" */
	CLOCK_UTC_HUMAN,                 /* "2023-11-14 22:13:20 UTC" */
	CLOCK_LOCAL_ISO,                 /* "2023-11-14T23:13:20+01:00" */
	CLOCK_LOCAL_HUMAN,               /* "2023-11-14 23:13:20 CET (UTC+01:00)" */
};

/* t in style, or NULL when t is NULL or unknown (secs 0). */
static char *report_time_str(const struct report_time *t, enum report_clock style)
{
	if (!t || t->secs <= 0)
		return NULL;
	bool local = style == CLOCK_LOCAL_ISO || style == CLOCK_LOCAL_HUMAN;
	bool iso = style == CLOCK_UTC_ISO || style == CLOCK_LOCAL_ISO;
	time_t tt = (time_t)t->secs;
	struct tm tm;
	long off = 0;
	const char *zone = "";
	if (local ? !local_tm(t, &tm, &off, &zone) : !gmtime_r(&tt, &tm))
		return NULL;
	char buf[40];
	strftime(buf, sizeof buf, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
	if (!local)
		return xasprintf("%s%s", buf, iso ? "Z" : " UTC");
	long a = off < 0 ? -off : off;
	char o[24];
	snprintf(o, sizeof o, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	if (iso)
		return xasprintf("%s%s", buf, o);
	return xasprintf("%s%s%s (UTC%s)", buf, *zone ? " " : "", zone, o);
}

static const char *result_marks(const struct check_result *r)
{
	if (r->simulated && r->stale)
		return " (simulated; from before the interruption)";
	if (r->simulated)
		return " (simulated)";
	if (r->stale)
		return " (from before the interruption)";
	return "";
}

/* ---- text */

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
	char *target = scrub_dup(e, r->target ? r->target : "");
	char *line = xasprintf("%s %s: %s [%s], %ld ms%s", r->kind ? r->kind : "check", target, human,
			       r->outcome ? r->outcome : "ok", r->elapsed_ms, result_marks(r));
	text_wrapped(sb, "       ", "     - ", line);
	free(line);
	free(human);
	free(target);
	if (r->summary) {
		char *s = scrub_dup(e, r->summary);
		text_wrapped(sb, "       ", NULL, s);
		free(s);
	}
	for (size_t i = 0; i < r->facts.n; i++) {
		if (secret_name(r->facts.v[i].key))
			continue;
		char *v = scrub_dup(e, r->facts.v[i].value ? r->facts.v[i].value : "");
		char *l = xasprintf("%s: %s", r->facts.v[i].key, v);
		text_wrapped(sb, "         ", "       ", l);
		free(l);
		free(v);
	}
	if (r->command) {
		char *c = scrub_dup(e, r->command);
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
	char *v = scrub_dup(w->e, value);
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
	char *title = scrub_dup(w->e, w->f->title ? w->f->title : w->f->id);
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
		char *line = xasprintf("[%c] %zu. %s", step_ticked(it, k) ? 'x' : ' ', k + 1, it->checklist[k]);
		text_wrapped(sb, "             ", "      ", line);
		free(line);
	}
}

/* "step 3 (Where is the service?)": where a note was written. */
static char *note_where(const struct walk *w, const struct report_note *n)
{
	int idx = n->node ? flow_node_index(w->f, n->node) : -1;
	if (idx < 0)
		return xasprintf("step %zu", n->step_no);
	const struct flow_node *node = &w->f->nodes[idx];
	char *t = engine_expand(w->e, node->title ? node->title : node->id, false);
	char *ts = scrub_dup(w->e, t);
	char *r = xasprintf("step %zu (%s)", n->step_no, ts);
	free(ts);
	free(t);
	return r;
}

static void text_notes(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	if (!m || !m->nnotes)
		return;
	sb_add(sb, "\nOperator notes:\n");
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_note *n = &m->notes[i];
		char *when = report_time_str(&n->when, CLOCK_UTC_HUMAN);
		char *where = note_where(w, n), *text = scrub_dup(w->e, n->text);
		char *head = xasprintf("%zu. %s, %s:", i + 1, when ? when : "(time unknown)", where);
		text_wrapped(sb, "     ", "  ", head);
		text_wrapped(sb, "     ", "     ", text ? text : "");
		free(head);
		free(text);
		free(where);
		free(when);
	}
}

static void write_text(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
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
				char *c = engine_expand(w->e, w->end->collect[i], false);
				char *cs = scrub_dup(w->e, c);
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

/* ---- Markdown */

/* Text that Markdown shows as written. Each character Markdown could take as markup is
 * backslash-escaped (\ ` * _ [ ] < # | ~, and & where it could start an entity), so
 * "<ConfigMgr install folder>" is not swallowed as an HTML tag nor "W3SVC_1_" turned to
 * emphasis. With block set, the text starts a block (a list item's content, a line of a
 * paragraph): what would begin a list, a quote (>), a heading or a setext underline
 * there is escaped too. Blanks at the start of a line are dropped (they would make a code
 * block); a line break becomes nl: "<br>" in a table cell, " " elsewhere. */
static void md_text(struct strbuf *sb, const char *s, const char *nl, bool block)
{
	bool bol = true;
	for (const char *p = s ? s : ""; *p; p++) {
		if (bol) {
			p += strspn(p, " \t");
			if (!*p)
				break;
			size_t d = strspn(p, "0123456789");
			if (block && (*p == '-' || *p == '+' || *p == '=' || *p == '>')) {
				sb_addc(sb, '\\');
			} else if (block && d && (p[d] == '.' || p[d] == ')')) {
				sb_addn(sb, p, d);
				sb_addc(sb, '\\');
				p += d;
			}
			bol = false;
			block = false;
		}
		switch (*p) {
		case '\n':
			sb_add(sb, nl);
			bol = true;
			break;
		case '\r':
		case '\t':
			sb_addc(sb, ' ');
			break;
		case '&':
			sb_add(sb, isalnum((unsigned char)p[1]) || p[1] == '#' ? "\\&" : "&");
			break;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '<': case '#': case '|': case '~':
			sb_addc(sb, '\\');
			sb_addc(sb, *p);
			break;
		default:
			sb_addc(sb, *p);
		}
	}
}

/* Text for a table cell: one line, escaped, line breaks as <br>. */
static void md_cell(struct strbuf *sb, const char *s)
{
	md_text(sb, s, "<br>", false);
}

/* The longest run of c in s. */
static size_t longest_run(const char *s, char c)
{
	size_t best = 0, run = 0;
	for (; s && *s; s++) {
		run = *s == c ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* Inline code its content cannot close: a fence of one backtick more than the longest
 * run inside, padded with a space on both sides (which Markdown strips) when the
 * content starts or ends with a backtick or a blank. Line breaks become spaces. */
static void md_code(struct strbuf *sb, const char *s)
{
	s = s ? s : "";
	size_t n = longest_run(s, '`') + 1, len = strlen(s);
	bool pad = len && (s[0] == '`' || s[0] == ' ' || s[len - 1] == '`' || s[len - 1] == ' ');
	for (size_t i = 0; i < n; i++)
		sb_addc(sb, '`');
	if (pad)
		sb_addc(sb, ' ');
	for (const char *p = s; *p; p++)
		sb_addc(sb, *p == '\n' || *p == '\r' ? ' ' : *p);
	if (pad)
		sb_addc(sb, ' ');
	for (size_t i = 0; i < n; i++)
		sb_addc(sb, '`');
}

/* A fenced code block its content cannot close (a fence longer than any run of
 * backticks inside), each line after indent. */
static void md_fence(struct strbuf *sb, const char *indent, const char *info, const char *s)
{
	size_t n = longest_run(s, '`') + 1;
	n = n < 3 ? 3 : n;
	char *fence = xcalloc(n + 1, 1);
	memset(fence, '`', n);
	sb_printf(sb, "%s%s%s\n", indent, fence, info);
	for (const char *p = s; p && *p;) {
		size_t len = strcspn(p, "\n");
		sb_printf(sb, "%s%.*s\n", indent, (int)len, p);
		p += len + (p[len] == '\n');
	}
	sb_printf(sb, "%s%s\n", indent, fence);
	free(fence);
}

/* A flow's text (an end's text): paragraphs and list items as the author wrote them
 * (text_reflow's rule), indented lines (a table, a command) as a code block, and every
 * other character escaped (md_text). */
static void md_block(struct strbuf *sb, const char *text)
{
	struct strbuf code = {0};
	bool in_para = false;            /* the last line written was a paragraph's */
	for (const char *p = text ? text : ""; *p;) {
		size_t len = strcspn(p, "\n");
		bool blank = strspn(p, " \t") >= len;
		if (!blank && (p[0] == ' ' || p[0] == '\t')) {
			sb_printf(&code, "%.*s\n", (int)len, p);
		} else {
			if (code.len) {
				md_fence(sb, "", "", code.s);
				in_para = false;
			}
			code.len = 0;
			char *line = xstrndup(p, len);
			bool item = text_starts_item(p, len);
			if (item && in_para)
				sb_addc(sb, '\n');      /* "2. x" would not interrupt a paragraph */
			in_para = !item && !blank;
			if (item) {
				size_t mark = strcspn(line, " ");
				if (line[0] == '-' || line[0] == '*')
					sb_add(sb, "- ");
				else
					sb_printf(sb, "%.*s. ", (int)(mark - 1), line);
				md_text(sb, line + mark + 1, " ", true);
			} else {
				md_text(sb, line, " ", true);
			}
			sb_addc(sb, '\n');
			free(line);
		}
		p += len + (p[len] == '\n');
	}
	if (code.len)
		md_fence(sb, "", "", code.s);
	sb_clear(&code);
}

static void md_result(struct strbuf *sb, const struct engine *e, const struct check_result *r)
{
	char *human = outcome_human(r->outcome ? r->outcome : "ok");
	char *target = scrub_dup(e, r->target ? r->target : "");
	sb_add(sb, "- **");
	md_text(sb, r->kind ? r->kind : "check", " ", false);
	sb_add(sb, "** ");
	md_code(sb, target);
	sb_add(sb, ": ");
	md_code(sb, r->outcome ? r->outcome : "ok");
	sb_add(sb, " (");
	md_text(sb, human, " ", false);
	sb_printf(sb, ") in %ld ms%s\n", r->elapsed_ms, result_marks(r));
	free(human);
	free(target);
	if (r->summary) {
		char *s = scrub_dup(e, r->summary);
		sb_add(sb, "  - Summary: ");
		md_text(sb, s, " ", false);
		sb_addc(sb, '\n');
		free(s);
	}
	bool any = false;
	for (size_t i = 0; i < r->facts.n; i++) {
		if (secret_name(r->facts.v[i].key))
			continue;
		if (!any)
			sb_add(sb, "  - Facts:\n");
		any = true;
		char *v = scrub_dup(e, r->facts.v[i].value ? r->facts.v[i].value : "");
		sb_add(sb, "    - ");
		md_text(sb, r->facts.v[i].key, " ", true);
		sb_add(sb, ": ");
		md_text(sb, v, " ", false);
		sb_addc(sb, '\n');
		free(v);
	}
	if (r->nproblems) {
		sb_add(sb, "  - Problems:");
		for (size_t i = 0; i < r->nproblems; i++) {
			sb_addc(sb, ' ');
			md_code(sb, r->problems[i]);
		}
		sb_addc(sb, '\n');
	}
	if (r->command) {
		char *c = scrub_dup(e, r->command);
		sb_add(sb, "\n  Rerun:\n\n");
		md_fence(sb, "  ", "sh", c);
		sb_addc(sb, '\n');
		free(c);
	}
}

/* "- **Label:** value", the value escaped; nothing when it is NULL. */
static void md_field(struct strbuf *sb, const struct walk *w, const char *label, const char *value)
{
	if (!value)
		return;
	char *v = scrub_dup(w->e, value);
	sb_printf(sb, "- **%s:** ", label);
	md_text(sb, v, " ", false);
	sb_addc(sb, '\n');
	free(v);
}

static void md_when(struct strbuf *sb, const char *label, const struct report_time *t)
{
	char *utc = report_time_str(t, CLOCK_UTC_HUMAN), *loc = report_time_str(t, CLOCK_LOCAL_HUMAN);
	if (utc)
		sb_printf(sb, "- **%s:** %s%s%s\n", label, utc, loc ? "; local time " : "", loc ? loc : "");
	free(utc);
	free(loc);
}

/* The header: what, when, where, who. */
static void md_head(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	char *title = scrub_dup(w->e, w->f->title ? w->f->title : w->f->id);
	sb_add(sb, "# ");
	md_text(sb, title, " ", false);
	sb_printf(sb, ": %s\n\n", w->result);
	free(title);
	if (m)
		md_field(sb, w, "Ticket", m->ticket);
	sb_printf(sb, "- **Result:** %s", w->result);
	if (w->end) {
		sb_add(sb, " at ");
		md_code(sb, w->end->id);
	}
	sb_addc(sb, '\n');
	if (m) {
		md_when(sb, "Started", &m->started);
		if (m->ended.secs > 0)
			md_when(sb, "Ended", &m->ended);
		else if (!w->end)
			sb_add(sb, "- **Ended:** not yet: the walk stopped before an end\n");
		md_field(sb, w, "Host", m->host);
		md_field(sb, w, "User", m->user);
		md_field(sb, w, "Session", m->session_id);
	}
	sb_add(sb, "- **Flow:** ");
	md_code(sb, w->f->id ? w->f->id : "?");
	if (w->f->version) {
		sb_add(sb, " version ");
		md_text(sb, w->f->version, " ", false);
	}
	sb_addc(sb, '\n');
	if (m)
		md_field(sb, w, "tshoot", m->tshoot_version);
	if (m && m->scenario) {
		sb_add(sb, "- **Training scenario:** ");
		md_text(sb, m->scenario, " ", false);
		sb_add(sb, " (check results are simulated)\n");
	}
	if (m)
		md_field(sb, w, "Verdict", m->verdict);
}

static void md_path(struct strbuf *sb, const struct walk *w)
{
	sb_add(sb, "\n## Path\n\n| # | Step | Question / title | Answer |\n|---|---|---|---|\n");
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		sb_printf(sb, "| %zu | %s | ", i + 1, flow_node_type_name(it->node->type));
		md_cell(sb, it->title);
		if (it->node->type == NODE_QUESTION && it->text) {
			sb_add(sb, ": ");
			md_cell(sb, it->text);
		}
		sb_add(sb, " | ");
		if (it->step)
			md_cell(sb, it->answer ? it->answer : "");
		else if (it->node->type == NODE_END)
			md_cell(sb, w->result);
		else
			md_cell(sb, "(the walk stopped here)");
		sb_add(sb, " |\n");
	}
}

/* Each walked checklist: its steps, ticked ("- [x] 1. ...") or not ("- [ ] 2. ..."). */
static void md_checklists(struct strbuf *sb, const struct walk *w)
{
	bool head = false;
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		if (!it->checklist)
			continue;
		if (!head)
			sb_add(sb, "\n## Checklists\n");
		head = true;
		sb_printf(sb, "\n### Step %zu: ", i + 1);
		md_text(sb, it->title, " ", false);
		sb_printf(sb, " (%s)\n\n", it->step->choice == 1 ? "fixed" : "not fixed");
		for (size_t k = 0; k < it->node->nsteps; k++) {
			sb_printf(sb, "- [%c] %zu. ", step_ticked(it, k) ? 'x' : ' ', k + 1);
			md_text(sb, it->checklist[k], " ", false);
			sb_addc(sb, '\n');
		}
	}
}

static void md_checks(struct strbuf *sb, const struct walk *w)
{
	bool head = false;
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		if (!it->step || it->node->type != NODE_CHECK)
			continue;
		if (!head)
			sb_add(sb, "\n## Checks\n");
		head = true;
		sb_printf(sb, "\n### Step %zu: ", i + 1);
		md_text(sb, it->title, " ", false);
		sb_add(sb, " (outcome ");
		md_code(sb, it->answer ? it->answer : "ok");
		sb_add(sb, ")\n\n");
		for (size_t k = 0; k < it->step->nresults; k++)
			md_result(sb, w->e, &it->step->results[k]);
	}
}

static void md_resolution(struct strbuf *sb, const struct walk *w)
{
	if (!w->end) {
		sb_add(sb, "\n## Resolution: incomplete\n\nThe walk stopped at ");
		md_code(sb, w->cur ? w->cur->id : "?");
		sb_add(sb, " before reaching an end.\n");
		return;
	}
	const struct item *it = &w->items[w->n - 1];
	sb_printf(sb, "\n## Resolution: %s\n\n**", w->result);
	md_text(sb, it->title, " ", false);
	sb_add(sb, "**\n\n");
	if (it->text)
		md_block(sb, it->text);
	if (w->end->ncollect) {
		sb_add(sb, w->end->result == END_ESCALATE ? "\n### Collect before escalating\n\n" : "\n### Collect\n\n");
		for (size_t i = 0; i < w->end->ncollect; i++) {
			char *c = engine_expand(w->e, w->end->collect[i], false);
			char *cs = scrub_dup(w->e, c);
			sb_add(sb, "- ");
			md_text(sb, cs, " ", true);
			sb_addc(sb, '\n');
			free(cs);
			free(c);
		}
	}
}

static void md_notes(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	if (!m || !m->nnotes)
		return;
	sb_add(sb, "\n## Operator notes\n\n");
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_note *n = &m->notes[i];
		char *when = report_time_str(&n->when, CLOCK_UTC_HUMAN);
		char *where = note_where(w, n), *text = scrub_dup(w->e, n->text);
		sb_printf(sb, "%zu. %s, ", i + 1, when ? when : "(time unknown)");
		md_text(sb, where, " ", false);
		sb_add(sb, ": ");
		md_text(sb, text, " ", false);
		sb_addc(sb, '\n');
		free(text);
		free(where);
		free(when);
	}
}

static void write_md(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	md_head(sb, w, m);
	md_path(sb, w);
	md_checklists(sb, w);
	md_checks(sb, w);
	md_resolution(sb, w);
	md_notes(sb, w, m);
}

/* ---- JSON */

/* A JSON string is always valid UTF-8 (json_str_new); json-c escapes the control
 * characters itself. */
static struct json_object *jstr(const char *s)
{
	return json_str_new(s);
}

static struct json_object *jscrub(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *c = scrub_dup(e, s);
	struct json_object *o = jstr(c);
	free(c);
	return o;
}

/* A fact's value: a JSON number for the keys that hold one (facts_key_is_number),
 * else a string cleaned and masked. */
static struct json_object *fact_json(const struct engine *e, const struct fact *f)
{
	long v;
	if (facts_key_is_number(f->key) && parse_long(f->value, LONG_MIN, LONG_MAX, &v))
		return json_object_new_int64(v);
	return jscrub(e, f->value ? f->value : "");
}

/* facts as {key: value} with a repeated key as [value, ...]. */
static struct json_object *facts_json(const struct engine *e, const struct facts *fs)
{
	struct json_object *o = json_object_new_object();
	for (size_t i = 0; i < fs->n; i++) {
		const char *k = fs->v[i].key;
		if (secret_name(k))
			continue;
		struct json_object *v = fact_json(e, &fs->v[i]);
		struct json_object *old;
		if (!json_object_object_get_ex(o, k, &old)) {
			json_object_object_add(o, k, v);
		} else if (json_object_is_type(old, json_type_array)) {
			json_object_array_add(old, v);
		} else {
			struct json_object *arr = json_object_new_array();
			json_object_array_add(arr, json_object_get(old));
			json_object_array_add(arr, v);
			json_object_object_add(o, k, arr);
		}
	}
	return o;
}

static struct json_object *result_obj(const struct engine *e, const struct check_result *r, bool full)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, full ? "kind" : "check", jstr(r->kind));
	json_object_object_add(o, "target", jscrub(e, r->target));
	json_object_object_add(o, "outcome", jstr(r->outcome));
	json_object_object_add(o, "summary", jscrub(e, r->summary));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(r->elapsed_ms));
	json_object_object_add(o, "facts", facts_json(e, &r->facts));
	if (full || r->nproblems) {
		struct json_object *p = json_object_new_array();
		for (size_t i = 0; i < r->nproblems; i++)
			json_object_array_add(p, jstr(r->problems[i]));
		json_object_object_add(o, "problems", p);
	}
	if (full || r->command)
		json_object_object_add(o, "command", jscrub(e, r->command));
	if (full) {
		json_object_object_add(o, "simulated", json_object_new_boolean(r->simulated));
		json_object_object_add(o, "stale", json_object_new_boolean(r->stale));
	} else if (r->simulated) {
		json_object_object_add(o, "simulated", json_object_new_boolean(true));
	}
	return o;
}

char *report_check_json(const struct check_result *r)
{
	struct json_object *o = result_obj(NULL, r, false);
	char *s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

static struct json_object *json_values(const struct walk *w, const struct flow_node *n, const struct engine_step *s)
{
	struct json_object *o = json_object_new_object();
	for (size_t i = 0; i < n->nvars; i++) {
		int vi = n->vars[i].idx;
		if (flow_var_secret(w->f, vi))
			continue;
		const char *val = s->vars_after ? s->vars_after[vi] : NULL;
		json_object_object_add(o, w->f->vars[vi].name, jscrub(w->e, val));
	}
	return o;
}

/* key: UTC ("...Z") and key_local: the wall clock where the walk ran, with its offset
 * ("2024-05-01T11:30:00+02:00"); null when unknown. */
static void json_add_when(struct json_object *o, const char *key, const struct report_time *t)
{
	char *utc = report_time_str(t, CLOCK_UTC_ISO), *loc = report_time_str(t, CLOCK_LOCAL_ISO);
	char *lkey = xasprintf("%s_local", key);
	json_object_object_add(o, key, jstr(utc));
	json_object_object_add(o, lkey, jstr(loc));
	free(lkey);
	free(utc);
	free(loc);
}

/* The header members added within tshoot-report/1: who, where, when it ended. */
static void json_head(struct json_object *o, const struct walk *w, const struct report_meta *m)
{
	json_add_when(o, "ended", m ? &m->ended : NULL);
	const struct report_time *t = m ? &m->started : NULL;
	json_object_object_add(o, "timezone", t && t->have_offset && *t->zone ? jstr(t->zone) : NULL);
	json_object_object_add(o, "session_id", jscrub(w->e, m ? m->session_id : NULL));
	json_object_object_add(o, "ticket", jscrub(w->e, m ? m->ticket : NULL));
	json_object_object_add(o, "host", jscrub(w->e, m ? m->host : NULL));
	json_object_object_add(o, "user", jscrub(w->e, m ? m->user : NULL));
	json_object_object_add(o, "tshoot_version", jscrub(w->e, m ? m->tshoot_version : NULL));
}

/* [{"n": 1, "text": ..., "ticked": true}, ...] for a walked steps node. */
static struct json_object *json_checklist(const struct item *it)
{
	struct json_object *a = json_object_new_array();
	for (size_t k = 0; it->checklist && k < it->node->nsteps; k++) {
		struct json_object *c = json_object_new_object();
		json_object_object_add(c, "n", json_object_new_int((int)(k + 1)));
		json_object_object_add(c, "text", jstr(it->checklist[k]));
		json_object_object_add(c, "ticked", json_object_new_boolean(step_ticked(it, k)));
		json_object_array_add(a, c);
	}
	return a;
}

static struct json_object *json_notes(const struct walk *w, const struct report_meta *m)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; m && i < m->nnotes; i++) {
		const struct report_note *n = &m->notes[i];
		struct json_object *no = json_object_new_object();
		json_add_when(no, "time", &n->when);
		json_object_object_add(no, "step", json_object_new_int64((int64_t)n->step_no));
		json_object_object_add(no, "node", jscrub(w->e, n->node));
		json_object_object_add(no, "text", jscrub(w->e, n->text ? n->text : ""));
		json_object_array_add(a, no);
	}
	return a;
}

static void write_json(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "schema", jstr(REPORT_SCHEMA));
	struct json_object *fl = json_object_new_object();
	json_object_object_add(fl, "id", jstr(w->f->id));
	json_object_object_add(fl, "title", jstr(w->f->title));
	json_object_object_add(fl, "version", jstr(w->f->version));
	json_object_object_add(fl, "path", jstr(w->f->path));
	json_object_object_add(o, "flow", fl);
	json_object_object_add(o, "scenario", jstr(m ? m->scenario : NULL));
	json_add_when(o, "started", m ? &m->started : NULL);
	json_head(o, w, m);
	json_object_object_add(o, "result", json_object_new_string(w->result));
	json_object_object_add(o, "end_node", jstr(w->end ? w->end->id : NULL));
	json_object_object_add(o, "current_node", jstr(w->cur ? w->cur->id : NULL));
	if (m && m->verdict)
		json_object_object_add(o, "verdict", jstr(m->verdict));
	struct json_object *steps = json_object_new_array();
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		struct json_object *so = json_object_new_object();
		json_object_object_add(so, "n", json_object_new_int((int)(i + 1)));
		json_object_object_add(so, "node", jstr(it->node->id));
		json_object_object_add(so, "type", jstr(flow_node_type_name(it->node->type)));
		json_object_object_add(so, "title", jstr(it->title));
		json_object_object_add(so, "text", jstr(it->text));
		json_object_object_add(so, "answer", jstr(it->answer));
		if (it->step && it->node->type == NODE_INPUT)
			json_object_object_add(so, "values", json_values(w, it->node, it->step));
		if (it->step && it->node->type == NODE_CLASSIFY)
			json_object_object_add(so, "matched", jstr(it->step->matched));
		if (it->step && it->node->type == NODE_STEPS) {
			json_object_object_add(so, "fixed", json_object_new_boolean(it->step->choice == 1));
			json_object_object_add(so, "checklist", json_checklist(it));
		}
		if (it->step && it->node->type == NODE_CHECK) {
			json_object_object_add(so, "outcome", jstr(it->step->outcome));
			struct json_object *cs = json_object_new_array();
			for (size_t k = 0; k < it->step->nresults; k++)
				json_object_array_add(cs, result_obj(w->e, &it->step->results[k], true));
			json_object_object_add(so, "checks", cs);
		}
		if (!it->step && it->node->type == NODE_END) {
			json_object_object_add(so, "result", jstr(w->result));
			struct json_object *col = json_object_new_array();
			for (size_t k = 0; k < it->node->ncollect; k++) {
				char *c = engine_expand(w->e, it->node->collect[k], false);
				json_object_array_add(col, jscrub(w->e, c));
				free(c);
			}
			json_object_object_add(so, "collect", col);
		}
		json_object_array_add(steps, so);
	}
	json_object_object_add(o, "steps", steps);
	struct json_object *vars = json_object_new_object();
	for (size_t i = 0; i < w->f->nvars; i++) {
		if (flow_var_secret(w->f, (int)i))
			continue;
		const char *v = engine_var(w->e, w->f->vars[i].name);
		if (v)
			json_object_object_add(vars, w->f->vars[i].name, jscrub(w->e, v));
	}
	json_object_object_add(o, "variables", vars);
	json_object_object_add(o, "notes", json_notes(w, m));
	sb_add(sb, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	sb_addc(sb, '\n');
	json_object_put(o);
}

/* ---- answers file */

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

static void write_answers(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
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
		if (n->type == NODE_INFO || n->type == NODE_CHECK || n->type == NODE_END)
			continue;
		/* A node visited again later keeps its last answer (one key per node). */
		bool later = false;
		for (size_t k = i + 1; k < w->n; k++)
			later |= w->items[k].step && w->items[k].node == n;
		if (later)
			continue;
		nitems++;
		sb_add(sb, "  ");
		yaml_quoted(sb, n->id);
		sb_add(sb, ": ");
		const struct engine_step *s = it->step;
		switch (n->type) {
		case NODE_QUESTION: {
			/* The label, or its number when two answers share the label. */
			size_t same = 0;
			for (size_t k = 0; k < n->nanswers; k++)
				same += str_eq(n->answers[k].label, s->answer);
			if (same == 1)
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
				char *v = scrub_dup(w->e, val);
				yaml_quoted(sb, v);
				free(v);
			}
			sb_add(sb, "}");
			break;
		}
		case NODE_CLASSIFY: {
			char *t = scrub_dup(w->e, s->answer ? s->answer : "");
			yaml_quoted(sb, t);
			free(t);
			break;
		}
		case NODE_STEPS:
			sb_add(sb, s->choice == 1 ? "fixed" : "\"not fixed\"");
			break;
		default:
			break;
		}
		sb_addc(sb, '\n');
	}
	if (nitems == 0)
		sb_add(sb, "  {}\n");
}

/* ---- entry points */

char *report_string(const struct engine *e, const struct report_meta *m, enum report_format fmt)
{
	struct walk w;
	walk_build(&w, e);
	struct strbuf sb = {0};
	switch (fmt) {
	case REPORT_TEXT: write_text(&sb, &w, m); break;
	case REPORT_MD: write_md(&sb, &w, m); break;
	case REPORT_JSON: write_json(&sb, &w, m); break;
	case REPORT_ANSWERS: write_answers(&sb, &w, m); break;
	}
	walk_clear(&w);
	return sb_steal(&sb);
}

int report_write(const struct engine *e, const struct report_meta *m, enum report_format fmt, FILE *out)
{
	char *s = report_string(e, m, fmt);
	size_t len = strlen(s);
	int rc = fwrite(s, 1, len, out) == len && fflush(out) == 0 ? 0 : -1;
	free(s);
	return rc;
}

/* Write all of s to fd; -1 with errno on failure (a full disk...). */
static int write_all(int fd, const char *s, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t wr = write(fd, s + off, len - off);
		if (wr < 0 && errno == EINTR)
			continue;
		if (wr <= 0) {
			if (wr == 0)
				errno = ENOSPC;
			return -1;
		}
		off += (size_t)wr;
	}
	return 0;
}

/* A path that exists and is no regular file (a FIFO, a device, /dev/stdout): written
 * in place; a temporary file renamed over it would replace the device. */
static int save_in_place(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, s, strlen(s));
	int saved = errno;
	if (close(fd) != 0 && rc == 0)
		rc = -1;
	else
		errno = saved;
	return rc;
}

int report_save(const struct engine *e, const struct report_meta *m, enum report_format fmt,
		const char *path, char **err)
{
	char *s = report_string(e, m, fmt);
	int rc = report_save_string(path, s, err);
	free(s);
	return rc;
}

int report_save_string(const char *path, const char *s, char **err)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			*err = xasprintf("cannot write %s: %s", path, strerror(EISDIR));
			return -1;
		}
		int rc = save_in_place(path, s);
		if (rc != 0)
			*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		return rc;
	}
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, 0600);
	int rc = write_all(fd, s, strlen(s));
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	int saved = errno;
	if (close(fd) != 0 && rc == 0)
		rc = -1;
	else
		errno = saved;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

char *report_step_answer(const struct engine *e, size_t i)
{
	const struct engine_step *s = engine_history(e, i);
	const struct flow *f = engine_flow(e);
	if (!s || s->node < 0 || (size_t)s->node >= f->nnodes)
		return NULL;
	struct walk w = {.e = e, .f = f};
	return step_answer(&w, &f->nodes[s->node], s);
}
