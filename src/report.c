/* report.c — the transcript of a walk as plain text, Markdown, JSON or an answers file.
 *
 * Every format is built from the same list of visited nodes (the engine's history plus
 * the end node when the walk reached one): that walk, its times and the entry points
 * are here; each format is in its own file (report_text.c, report_md.c, report_json.c,
 * report_answers.c), sharing what report_int.h declares. Texts are expanded with
 * secrets masked; values of secret variables are never written, facts with a secret
 * key (secret_name) are dropped, and any secret value that slipped into a string is
 * replaced by "********". */
#include "src/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/report_int.h"
#include "src/util.h"

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

enum report_format report_format_for_path(const char *path)
{
	enum report_format f = REPORT_TEXT;
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (dot && !strchr(dot, '/'))
		report_format_parse(dot + 1, &f);
	return f;
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

/* s with any secret masked, then cleaned of control characters (in that order, so a
 * secret holding a tab is still found). */
const char *report_steps_said(int choice)
{
	return choice == STEPS_FIXED ? "fixed" : choice == STEPS_CANNOT ? "could not apply" : "not fixed";
}

char *report_scrub(const struct engine *e, const char *s)
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
	char *out = report_scrub(w->e, raw);
	free(raw);
	return out;
}

static char *step_answer(const struct walk *w, const struct flow_node *n, const struct engine_step *s)
{
	switch (n->type) {
	case NODE_QUESTION:
		return report_scrub(w->e, s->answer);
	case NODE_INPUT:
		return input_answer(w, n, s);
	case NODE_CLASSIFY: {
		char *pasted = report_scrub(w->e, s->answer ? s->answer : "");
		char *a = s->matched ? xasprintf("%s -> matched signature %s", pasted, s->matched)
				     : xasprintf("%s -> no signature matched", pasted);
		free(pasted);
		return a;
	}
	case NODE_STEPS: {
		/* which were ticked, by number (the checklist gives their texts): not a count,
		 * "fixed (ticked: 1, 3)", "not fixed (no steps ticked)", "could not apply (ticked: 1)" */
		struct strbuf sb = {0};
		sb_add(&sb, report_steps_said(s->choice));
		size_t t = 0;
		for (size_t i = 0; s->ticked && i < n->nsteps; i++)
			if (s->ticked[i])
				sb_printf(&sb, "%s%zu", t++ ? ", " : " (ticked: ", i + 1);
		sb_add(&sb, t ? ")" : " (no steps ticked)");
		return sb_steal(&sb);
	}
	case NODE_CHECK:
		return s->outcome ? xstrdup(s->outcome) : NULL;
	case NODE_BRANCH: {
		/* which rule held ("branch: ${tls.days_left} < 30 → warn-renew"), or the
		 * default and, when a condition could not be decided, why */
		const char *to = s->next >= 0 && (size_t)s->next < w->f->nnodes
				 ? w->f->nodes[s->next].id : "?";
		char *a;
		if (s->rule >= 0 && (size_t)s->rule < n->nrules)
			a = xasprintf("branch: %s \u2192 %s", n->rules[s->rule].cond, to);
		else if (s->note)
			a = xasprintf("branch: default \u2192 %s (%s)", to, s->note);
		else
			a = xasprintf("branch: default \u2192 %s (no rule held)", to);
		char *out = report_scrub(w->e, a);
		free(a);
		return out;
	}
	case NODE_FLOW:
	case NODE_RETURN: {
		/* "runs sub-flow web-service-reachability", "ended escalate → fix-network" */
		const char *to = s->next >= 0 && (size_t)s->next < w->f->nnodes
				 ? w->f->nodes[s->next].id : "?";
		if (n->type == NODE_FLOW)
			return xasprintf("runs sub-flow %s", n->callee ? n->callee : "?");
		return xasprintf("sub-flow ended %s \u2192 %s", s->outcome ? s->outcome : "?", to);
	}
	case NODE_INFO:
	case NODE_END:
		break;
	}
	return NULL;
}

/* A node of a sub-flow has its title labelled with the flow it belongs to:
 * "[web-service-reachability] Is the port open?" (t is taken). */
static char *scope_label(const struct flow *f, const struct flow_node *n, char *t)
{
	if (n->scope <= 0 || (size_t)n->scope >= f->nscopes)
		return t;
	char *l = xasprintf("[%s] %s", f->scopes[n->scope].flow_id, t);
	free(t);
	return l;
}

/* The texts of a steps node's steps, templated and scrubbed. */
static char **checklist_texts(const struct engine *e, const struct flow_node *n)
{
	char **v = xcalloc(n->nsteps ? n->nsteps : 1, sizeof *v);
	for (size_t i = 0; i < n->nsteps; i++) {
		char *x = engine_expand_in(e, n->scope, n->steps[i].text ? n->steps[i].text : "", false);
		v[i] = report_scrub(e, x);
		free(x);
	}
	return v;
}

/* Was step i of a walked steps node ticked? */
bool item_ticked(const struct item *it, size_t i)
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
		int sc = it->node->scope;
		char *t = engine_expand_in(e, sc, it->node->title ? it->node->title : it->node->id, false);
		it->title = scope_label(w->f, it->node, report_scrub(e, t));
		free(t);
		if (it->node->text) {
			char *x = engine_expand_in(e, sc, it->node->text, false);
			it->text = report_scrub(e, x);
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

/* "step 3 (Where is the service?)": where a note was written. */
char *report_note_where(const struct walk *w, const struct report_note *n)
{
	int idx = n->node ? flow_node_index(w->f, n->node) : -1;
	if (idx < 0)
		return xasprintf("step %zu", n->step_no);
	const struct flow_node *node = &w->f->nodes[idx];
	char *t = engine_expand_in(w->e, node->scope, node->title ? node->title : node->id, false);
	char *ts = report_scrub(w->e, t);
	char *r = xasprintf("step %zu (%s)", n->step_no, ts);
	free(ts);
	free(t);
	return r;
}

const char *report_result_marks(const struct check_result *r)
{
	if (r->simulated && r->stale)
		return " (simulated; from before the interruption)";
	if (r->simulated)
		return " (simulated)";
	if (r->stale)
		return " (from before the interruption)";
	return "";
}

/* ---- times */

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

/* t in style, or NULL when t is NULL or unknown (secs 0). */
char *report_time_str(const struct report_time *t, enum report_clock style)
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

/* ---- entry points */

char *report_string(const struct engine *e, const struct report_meta *m, enum report_format fmt)
{
	struct walk w;
	walk_build(&w, e);
	struct strbuf sb = {0};
	switch (fmt) {
	case REPORT_TEXT: walk_text(&sb, &w, m); break;
	case REPORT_MD: walk_md(&sb, &w, m); break;
	case REPORT_JSON: walk_json(&sb, &w, m); break;
	case REPORT_ANSWERS: walk_answers(&sb, &w, m); break;
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
