/* report_md.c — the walk as Markdown, for a ticket: every text escaped so it
 * shows as written. */
#include "src/report_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "src/secret.h"

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
	char *target = report_scrub(e, r->target ? r->target : "");
	sb_add(sb, "- **");
	md_text(sb, r->kind ? r->kind : "check", " ", false);
	sb_add(sb, "** ");
	md_code(sb, target);
	sb_add(sb, ": ");
	md_code(sb, r->outcome ? r->outcome : "ok");
	sb_add(sb, " (");
	md_text(sb, human, " ", false);
	sb_printf(sb, ") in %ld ms%s\n", r->elapsed_ms, report_result_marks(r));
	free(human);
	free(target);
	if (r->summary) {
		char *s = report_scrub(e, r->summary);
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
		char *v = report_scrub(e, r->facts.v[i].value ? r->facts.v[i].value : "");
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
		char *c = report_scrub(e, r->command);
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
	char *v = report_scrub(w->e, value);
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
	char *title = report_scrub(w->e, w->f->title ? w->f->title : w->f->id);
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
		sb_printf(sb, " (%s)\n\n", report_steps_said(it->step->choice));
		for (size_t k = 0; k < it->node->nsteps; k++) {
			sb_printf(sb, "- [%c] %zu. ", item_ticked(it, k) ? 'x' : ' ', k + 1);
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
			char *c = engine_expand_in(w->e, w->end->scope, w->end->collect[i], false);
			char *cs = report_scrub(w->e, c);
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
		char *where = report_note_where(w, n), *text = report_scrub(w->e, n->text);
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

void walk_md(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	md_head(sb, w, m);
	md_path(sb, w);
	md_checklists(sb, w);
	md_checks(sb, w);
	md_resolution(sb, w);
	md_notes(sb, w, m);
}

