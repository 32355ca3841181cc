/* report.c — the transcript of a walk as plain text, Markdown, JSON or an answers file.
 *
 * Every format is built from the same list of visited nodes (the engine's history plus
 * the end node when the walk reached one). Texts are expanded with secrets masked;
 * values of secret variables are never written, facts whose key mentions a password are
 * dropped, and any secret value that slipped into a string is replaced by "********". */
#include "src/report.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/util.h"

#define REPORT_SCHEMA "tshoot-report/1"
#define TEXT_WIDTH 72

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

/* ---- the walk as a list of items */

struct item {
	const struct flow_node *node;
	const struct engine_step *step;  /* NULL for the node the walk stands at */
	char *title;                     /* expanded, masked */
	char *text;                      /* expanded, masked, or NULL */
	char *answer;                    /* human answer or NULL */
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

/* Copy of s with control characters other than newline, CRLF and tab replaced by '?'
 * (a pasted CRLF log excerpt is kept as it was). */
static char *str_clean_keep_newlines(const char *s)
{
	char *c = xstrdup(s);
	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && !(*p == '\r' && p[1] == '\n')) || *p == 0x7f)
			*p = '?';
	return c;
}

/* s cleaned of control characters, with any secret value masked. */
static char *scrub_dup(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *clean = str_clean_keep_newlines(s);
	char *out = engine_mask_secrets(e, clean);
	free(clean);
	return out;
}

static bool fact_hidden(const char *key)
{
	return !key || strcasestr(key, "password") || strcasestr(key, "secret");
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
		if (v->secret) {
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
		size_t t = 0;
		for (size_t i = 0; s->ticked && i < n->nsteps; i++)
			t += s->ticked[i];
		return xasprintf("%s (%zu of %zu steps ticked)", s->choice == 1 ? "fixed" : "not fixed", t, n->nsteps);
	}
	case NODE_CHECK:
		return s->outcome ? xstrdup(s->outcome) : NULL;
	case NODE_INFO:
	case NODE_END:
		break;
	}
	return NULL;
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
	}
	if (w->cur && w->cur->type == NODE_END) {
		w->end = w->cur;
		w->result = w->cur->result == END_RESOLVED ? "resolved" : "escalate";
	} else {
		w->result = "incomplete";
	}
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->items[i].title);
		free(w->items[i].text);
		free(w->items[i].answer);
	}
	free(w->items);
}

static char *iso_time(long long t)
{
	if (t <= 0)
		return NULL;
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return NULL;
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
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
		if (fact_hidden(r->facts.v[i].key))
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

static void write_text(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	char *title = scrub_dup(w->e, w->f->title ? w->f->title : w->f->id);
	sb_printf(sb, "tshoot report: %s\n", title);
	free(title);
	sb_printf(sb, "Flow:     %s%s%s\n", w->f->id ? w->f->id : "?", w->f->version ? " version " : "",
		  w->f->version ? w->f->version : "");
	if (m && m->scenario)
		sb_printf(sb, "Training: scenario %s (check results are simulated)\n", m->scenario);
	char *when = iso_time(m ? m->started_unix : 0);
	if (when)
		sb_printf(sb, "Started:  %s\n", when);
	free(when);
	if (m && m->operator_name)
		sb_printf(sb, "Operator: %s\n", m->operator_name);
	sb_printf(sb, "Result:   %s%s%s\n", w->result, w->end ? " at " : "", w->end ? w->end->id : "");
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
	if (m && m->verdict)
		sb_printf(sb, "\n%s\n", m->verdict);
}

/* ---- Markdown */

/* Text for a table cell: one line, pipes escaped. */
static void md_cell(struct strbuf *sb, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '|')
			sb_add(sb, "\\|");
		else if (*p == '\n')
			sb_add(sb, "<br>");
		else if (*p == '\r' || *p == '\t')
			sb_addc(sb, ' ');
		else
			sb_addc(sb, *p);
	}
}

/* Inline code that survives backticks inside. */
static void md_code(struct strbuf *sb, const char *s)
{
	const char *fence = strchr(s, '`') ? "`` " : "`";
	const char *close = strchr(s, '`') ? " ``" : "`";
	sb_add(sb, fence);
	for (const char *p = s; *p; p++)
		sb_addc(sb, *p == '\n' ? ' ' : (*p == '|' ? '/' : *p));
	sb_add(sb, close);
}

static void md_result(struct strbuf *sb, const struct engine *e, const struct check_result *r)
{
	char *human = outcome_human(r->outcome ? r->outcome : "ok");
	char *target = scrub_dup(e, r->target ? r->target : "");
	sb_printf(sb, "- **%s** ", r->kind ? r->kind : "check");
	md_code(sb, target);
	sb_add(sb, ": ");
	md_code(sb, r->outcome ? r->outcome : "ok");
	sb_printf(sb, " (%s) in %ld ms%s\n", human, r->elapsed_ms, result_marks(r));
	free(human);
	free(target);
	if (r->summary) {
		char *s = scrub_dup(e, r->summary);
		sb_add(sb, "  - Summary: ");
		md_cell(sb, s);
		sb_addc(sb, '\n');
		free(s);
	}
	bool any = false;
	for (size_t i = 0; i < r->facts.n; i++) {
		if (fact_hidden(r->facts.v[i].key))
			continue;
		if (!any)
			sb_add(sb, "  - Facts:\n");
		any = true;
		char *v = scrub_dup(e, r->facts.v[i].value ? r->facts.v[i].value : "");
		sb_printf(sb, "    - %s: ", r->facts.v[i].key);
		md_cell(sb, v);
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
		const char *fence = strstr(c, "```") ? "~~~~" : "```";
		sb_printf(sb, "\n  Rerun:\n\n  %ssh\n  %s\n  %s\n\n", fence, c, fence);
		free(c);
	}
}

static void write_md(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	char *title = scrub_dup(w->e, w->f->title ? w->f->title : w->f->id);
	sb_add(sb, "# ");
	md_cell(sb, title);
	sb_printf(sb, ": %s\n\n", w->result);
	free(title);
	sb_add(sb, "- **Flow:** ");
	md_code(sb, w->f->id ? w->f->id : "?");
	if (w->f->version)
		sb_printf(sb, " version %s", w->f->version);
	sb_addc(sb, '\n');
	sb_printf(sb, "- **Result:** %s", w->result);
	if (w->end) {
		sb_add(sb, " at ");
		md_code(sb, w->end->id);
	}
	sb_addc(sb, '\n');
	char *when = iso_time(m ? m->started_unix : 0);
	if (when)
		sb_printf(sb, "- **Started:** %s\n", when);
	free(when);
	if (m && m->operator_name)
		sb_printf(sb, "- **Operator:** %s\n", m->operator_name);
	if (m && m->scenario)
		sb_printf(sb, "- **Training scenario:** %s (check results are simulated)\n", m->scenario);
	if (m && m->verdict)
		sb_printf(sb, "- **Verdict:** %s\n", m->verdict);

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

	bool head = false;
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		if (!it->step || it->node->type != NODE_CHECK)
			continue;
		if (!head)
			sb_add(sb, "\n## Checks\n");
		head = true;
		sb_printf(sb, "\n### Step %zu: ", i + 1);
		md_cell(sb, it->title);
		sb_add(sb, " (outcome ");
		md_code(sb, it->answer ? it->answer : "ok");
		sb_add(sb, ")\n\n");
		for (size_t k = 0; k < it->step->nresults; k++)
			md_result(sb, w->e, &it->step->results[k]);
	}

	if (w->end) {
		const struct item *it = &w->items[w->n - 1];
		sb_printf(sb, "\n## Resolution: %s\n\n**", w->result);
		md_cell(sb, it->title);
		sb_add(sb, "**\n\n");
		if (it->text)
			sb_printf(sb, "%s\n", it->text);
		if (w->end->ncollect) {
			sb_add(sb, w->end->result == END_ESCALATE ? "\n### Collect before escalating\n\n" : "\n### Collect\n\n");
			for (size_t i = 0; i < w->end->ncollect; i++) {
				char *c = engine_expand(w->e, w->end->collect[i], false);
				char *cs = scrub_dup(w->e, c);
				sb_add(sb, "- ");
				md_cell(sb, cs);
				sb_addc(sb, '\n');
				free(cs);
				free(c);
			}
		}
	} else {
		sb_add(sb, "\n## Resolution: incomplete\n\nThe walk stopped at ");
		md_code(sb, w->cur ? w->cur->id : "?");
		sb_add(sb, " before reaching an end.\n");
	}
}

/* ---- JSON */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *jscrub(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *c = scrub_dup(e, s);
	struct json_object *o = json_object_new_string(c);
	free(c);
	return o;
}

/* facts as {key: value} with a repeated key as [value, ...]. */
static struct json_object *facts_json(const struct engine *e, const struct facts *fs)
{
	struct json_object *o = json_object_new_object();
	for (size_t i = 0; i < fs->n; i++) {
		const char *k = fs->v[i].key;
		if (fact_hidden(k))
			continue;
		struct json_object *v = jscrub(e, fs->v[i].value ? fs->v[i].value : "");
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
		if (vi < 0 || (size_t)vi >= w->f->nvars || w->f->vars[vi].secret)
			continue;
		const char *val = s->vars_after ? s->vars_after[vi] : NULL;
		json_object_object_add(o, w->f->vars[vi].name, jscrub(w->e, val));
	}
	return o;
}

static void write_json(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "schema", json_object_new_string(REPORT_SCHEMA));
	struct json_object *fl = json_object_new_object();
	json_object_object_add(fl, "id", jstr(w->f->id));
	json_object_object_add(fl, "title", jstr(w->f->title));
	json_object_object_add(fl, "version", jstr(w->f->version));
	json_object_object_add(fl, "path", jstr(w->f->path));
	json_object_object_add(o, "flow", fl);
	json_object_object_add(o, "scenario", jstr(m ? m->scenario : NULL));
	char *when = iso_time(m ? m->started_unix : 0);
	json_object_object_add(o, "started", jstr(when));
	free(when);
	if (m && m->operator_name)
		json_object_object_add(o, "operator", jstr(m->operator_name));
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
		json_object_object_add(so, "type", json_object_new_string(flow_node_type_name(it->node->type)));
		json_object_object_add(so, "title", jstr(it->title));
		json_object_object_add(so, "text", jstr(it->text));
		json_object_object_add(so, "answer", jstr(it->answer));
		if (it->step && it->node->type == NODE_INPUT)
			json_object_object_add(so, "values", json_values(w, it->node, it->step));
		if (it->step && it->node->type == NODE_CLASSIFY)
			json_object_object_add(so, "matched", jstr(it->step->matched));
		if (it->step && it->node->type == NODE_STEPS)
			json_object_object_add(so, "fixed", json_object_new_boolean(it->step->choice == 1));
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
		if (w->f->vars[i].secret)
			continue;
		const char *v = engine_var(w->e, w->f->vars[i].name);
		if (v)
			json_object_object_add(vars, w->f->vars[i].name, jscrub(w->e, v));
	}
	json_object_object_add(o, "variables", vars);
	sb_add(sb, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	sb_addc(sb, '\n');
	json_object_put(o);
}

/* ---- answers file */

/* A YAML double-quoted scalar. */
static void yaml_quoted(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': sb_add(sb, "\\\""); break;
		case '\\': sb_add(sb, "\\\\"); break;
		case '\n': sb_add(sb, "\\n"); break;
		case '\t': sb_add(sb, "\\t"); break;
		case '\r': sb_add(sb, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sb_printf(sb, "\\x%02x", *p);
			else
				sb_addc(sb, (char)*p);
		}
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
				if (vi < 0 || (size_t)vi >= w->f->nvars || w->f->vars[vi].secret)
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
	walk_free(&w);
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

int report_save(const struct engine *e, const struct report_meta *m, enum report_format fmt,
		const char *path, char **err)
{
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, 0600);
	char *s = report_string(e, m, fmt);
	size_t len = strlen(s), off = 0;
	int rc = 0;
	while (off < len) {
		ssize_t wr = write(fd, s + off, len - off);
		if (wr < 0 && errno == EINTR)
			continue;
		if (wr <= 0) {
			rc = -1;
			break;
		}
		off += (size_t)wr;
	}
	free(s);
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}
