/* session.c — reading a walk's journal (journal.c writes it): what it says about
 * itself (session_read_info, for the resume picker and the report's header), and
 * replaying it into an engine to put a walk back where it stood (session_replay).
 *
 * Replay is deterministic: when an event cannot be replayed (a node that does not match,
 * a required secret that was never written), replay stops there and skips to the next
 * "resume" marker, because everything after that marker was recorded by a walk that
 * continued from exactly that stopping point. */
#include "src/session.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "src/secret.h"
#include "src/session_int.h"
#include "src/util.h"

/* Parse one line as a JSON object with an "ev" string (tok reset and reused); NULL when
 * truncated/corrupted. */
static struct json_object *parse_line(struct json_tokener *tok, const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0 || len > INT_MAX)
		return NULL;
	json_tokener_reset(tok);
	struct json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	bool whole = o && json_tokener_get_error(tok) == json_tokener_success &&
		     (size_t)json_tokener_get_parse_end(tok) == len;
	struct json_object *ev;
	if (!whole || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "ev", &ev) || !json_object_is_type(ev, json_type_string)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static const char *jget_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool jget_int(struct json_object *o, const char *key, long long *out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = (long long)json_object_get_int64(v);
	return true;
}

static bool jget_bool(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* t from an event's "time", "utc_offset" and "tz". */
static void jget_time(struct json_object *o, struct report_time *t)
{
	long long v = 0;
	memset(t, 0, sizeof *t);
	if (jget_int(o, "time", &v))
		t->secs = v;
	if (jget_int(o, "utc_offset", &v) && v > -86400 && v < 86400) {
		t->have_offset = true;
		t->utc_offset = (long)v;
		const char *z = jget_str(o, "tz");
		snprintf(t->zone, sizeof t->zone, "%s", z ? z : "");
	}
}

void session_info_add_note(struct session_info *si, const struct report_note *n)
{
	VEC_PUSH(si->notes, si->nnotes, si->cnotes);
	si->notes[si->nnotes++] = (struct report_note){
		.when = n->when, .step_no = n->step_no, .node = dup_or_null(n->node), .text = xstrdup(n->text ? n->text : ""),
	};
}

/* The start line's part for the report's header. */
static void info_take_start(struct session_info *out, struct json_object *o)
{
	out->host = dup_or_null(jget_str(o, "host"));
	out->user = dup_or_null(jget_str(o, "user"));
	out->tshoot_version = dup_or_null(jget_str(o, "tshoot_version"));
	out->lang = dup_or_null(jget_str(o, "lang"));
	jget_time(o, &out->start_at);
}

/* The events after the start line that the report's header needs. */
static void info_take_event(struct session_info *out, const char *ev, struct json_object *o)
{
	if (str_eq(ev, "note") && jget_str(o, "text")) {
		long long step = 0;
		jget_int(o, "step", &step);
		struct report_note n = {.step_no = step > 0 ? (size_t)step : 0, .node = (char *)jget_str(o, "node"),
					.text = (char *)jget_str(o, "text")};
		jget_time(o, &n.when);
		session_info_add_note(out, &n);
	} else if (str_eq(ev, "ticket") && jget_str(o, "ticket")) {
		free(out->ticket);
		out->ticket = xstrdup(jget_str(o, "ticket"));
	} else if (str_eq(ev, "end")) {
		jget_time(o, &out->end_at);
	}
}

void session_info_live(struct session_info *si)
{
	memset(si, 0, sizeof *si);
	si->start_at = report_time_now();
	si->started = si->updated = si->start_at.secs;
	si->session_id = session_id_new((time_t)si->start_at.secs);
	si->host = session_host_dup();
	si->user = session_user_dup();
	si->tshoot_version = xstrdup(TSHOOT_VERSION);
}

void session_info_meta(const struct session_info *si, struct report_meta *m)
{
	m->started = si->start_at;
	if (!m->started.secs)
		m->started.secs = si->started;
	m->ended = si->ended ? si->end_at : (struct report_time){0};
	m->session_id = si->session_id;
	m->host = si->host;
	m->user = si->user;
	m->tshoot_version = si->tshoot_version;
	m->ticket = si->ticket;
	m->notes = si->notes;
	m->nnotes = si->nnotes;
}

void session_info_clear(struct session_info *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nnotes; i++) {
		free(s->notes[i].node);
		free(s->notes[i].text);
	}
	free(s->notes);
	free(s->session_id);
	free(s->host);
	free(s->user);
	free(s->tshoot_version);
	free(s->lang);
	free(s->ticket);
	free(s->path);
	free(s->flow_path);
	free(s->flow_id);
	free(s->flow_title);
	free(s->scenario);
	free(s->node);
	free(s->tty);
	memset(s, 0, sizeof *s);
}

/* ---- reading events (session_scan): the one reader of a journal's lines */

/* Fill ev from the parsed line o. */
static void event_from_json(struct json_object *o, int lineno, struct walk_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->raw = o;
	ev->line = lineno;
	ev->ev = jget_str(o, "ev");
	jget_int(o, "time", &ev->time);
	ev->answer = -1;
	if (str_eq(ev->ev, "start")) {
		ev->flow_id = jget_str(o, "flow_id");
		ev->flow_path = jget_str(o, "flow_path");
		ev->flow_version = jget_str(o, "flow_version");
		ev->start = jget_str(o, "start");
		ev->tshoot_version = jget_str(o, "tshoot_version");
		jget_int(o, "v", &ev->version);
	} else if (str_eq(ev->ev, "step")) {
		ev->node = jget_str(o, "node");
		ev->next = jget_str(o, "next");
		ev->kind = jget_str(o, "kind");
		ev->outcome = jget_str(o, "outcome");
		ev->label = jget_str(o, "label");
		jget_int(o, "answer", &ev->answer);
		ev->fixed = jget_bool(o, "fixed");
		ev->cannot = jget_bool(o, "cannot");
	} else if (str_eq(ev->ev, "end")) {
		ev->node = jget_str(o, "node");
		ev->result = jget_str(o, "result");
	}
}

int session_scan(const char *path, walk_event_fn fn, void *ctx, size_t *bad, char **err)
{
	if (bad)
		*bad = 0;
	FILE *fp = fopen(path, "re");
	if (!fp) {
		*err = xasprintf("cannot open journal %s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	bool started = false;
	struct json_tokener *tok = json_tokener_new();
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		struct json_object *o = parse_line(tok, line, (size_t)len);
		if (!o && strspn(line, " \r\n") == (size_t)len)
			continue;            /* a blank line */
		if (!started) {
			if (!o || !str_eq(jget_str(o, "ev"), "start")) {
				*err = xasprintf("%s: not a tshoot journal (no start line)", path);
				json_object_put(o);
				rc = -1;
				break;
			}
			started = true;
		}
		if (!o) {
			if (bad)
				(*bad)++;
			continue;
		}
		struct walk_event ev;
		event_from_json(o, lineno, &ev);
		rc = fn(&ev, ctx);
		json_object_put(o);
		if (rc != 0)
			break;
	}
	if (rc == 0 && !started) {
		*err = xasprintf("%s: empty journal", path);
		rc = -1;
	}
	json_tokener_free(tok);
	fclose(fp);
	free(line);
	return rc;
}

/* What session_read_info keeps while it reads. */
struct info_reader {
	struct session_info *out;
	/* The node the walk stands at: a stack of visited nodes, popped by "back". */
	char **stack;
	size_t depth, scap;
};

static void info_push(struct info_reader *r, const char *id)
{
	VEC_PUSH(r->stack, r->depth, r->scap);
	r->stack[r->depth++] = xstrdup(id);
}

static int info_event(const struct walk_event *ev, void *ctx)
{
	struct info_reader *r = ctx;
	struct session_info *out = r->out;
	struct json_object *o = ev->raw;
	if (str_eq(ev->ev, "start")) {
		out->flow_path = dup_or_null(ev->flow_path);
		out->flow_id = dup_or_null(ev->flow_id);
		out->flow_title = dup_or_null(jget_str(o, "flow_title"));
		out->scenario = dup_or_null(jget_str(o, "scenario"));
		out->tty = dup_or_null(jget_str(o, "tty"));
		out->started = ev->time;
		jget_int(o, "pid", &out->pid);
		info_take_start(out, o);
		if (ev->start)
			info_push(r, ev->start);
		return 0;
	} else if (str_eq(ev->ev, "step")) {
		if (ev->next)
			info_push(r, ev->next);
		out->answers++;
		out->ended = false;
	} else if (str_eq(ev->ev, "back")) {
		if (r->depth > 1)
			free(r->stack[--r->depth]);
		out->ended = false;
	} else if (str_eq(ev->ev, "restart")) {
		while (r->depth > 1)
			free(r->stack[--r->depth]);
		out->ended = false;
	} else if (str_eq(ev->ev, "end")) {
		out->ended = true;
		if (ev->node && (r->depth == 0 || !str_eq(r->stack[r->depth - 1], ev->node)))
			info_push(r, ev->node);
	} else if (str_eq(ev->ev, "resume")) {
		out->ended = false;
		jget_int(o, "pid", &out->pid);
	}
	info_take_event(out, ev->ev, o);
	return 0;
}

int session_read_info(const char *path, struct session_info *out, char **err)
{
	memset(out, 0, sizeof *out);
	struct info_reader r = {.out = out};
	int rc = session_scan(path, info_event, &r, NULL, err);
	if (rc == 0) {
		out->path = xstrdup(path);
		out->session_id = session_id_dup(path);
		out->node = r.depth ? xstrdup(r.stack[r.depth - 1]) : NULL;
		out->step = r.depth ? r.depth : 1;
		struct stat st;
		out->updated = stat(path, &st) == 0 ? (long long)st.st_mtime : out->started;
	} else {
		session_info_clear(out);
	}
	for (size_t i = 0; i < r.depth; i++)
		free(r.stack[i]);
	free(r.stack);
	return rc;
}

/* Rebuild a check result from its journal form; stale when it was measured before an
 * interruption the walk went on from. */
static void result_from_json(struct json_object *o, struct check_result *r, bool stale)
{
	memset(r, 0, sizeof *r);
	r->kind = dup_or_null(jget_str(o, "kind"));
	r->target = dup_or_null(jget_str(o, "target"));
	r->outcome = xstrdup(jget_str(o, "outcome") ? jget_str(o, "outcome") : "ok");
	r->summary = dup_or_null(jget_str(o, "summary"));
	r->command = dup_or_null(jget_str(o, "command"));
	long long ms = 0;
	if (jget_int(o, "elapsed_ms", &ms))
		r->elapsed_ms = (long)ms;
	r->simulated = jget_bool(o, "simulated");
	r->stale = stale;
	struct json_object *facts, *probs;
	if (json_object_object_get_ex(o, "facts", &facts) && json_object_is_type(facts, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(facts); i++) {
			struct json_object *p = json_object_array_get_idx(facts, i);
			if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) != 2)
				continue;
			const char *k = json_object_get_string(json_object_array_get_idx(p, 0));
			const char *v = json_object_get_string(json_object_array_get_idx(p, 1));
			if (k && v && !secret_name(k))
				facts_add(&r->facts, k, v);
		}
	}
	if (json_object_object_get_ex(o, "problems", &probs) && json_object_is_type(probs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(probs); i++) {
			const char *p = json_object_get_string(json_object_array_get_idx(probs, i));
			if (p)
				check_result_add_problem(r, p);
		}
	}
}

enum replay_rc { REPLAY_OK, REPLAY_STOP };

/* Replay one step event. REPLAY_STOP (with a diag when it is unexpected) when the
 * engine cannot take it. */
static enum replay_rc replay_step(struct engine *e, struct json_object *o, const char *path, int lineno,
				  bool stale,
				  struct diags *d)
{
	const struct flow *f = engine_flow(e);
	const struct flow_node *cur = engine_node(e);
	const char *node = jget_str(o, "node");
	const char *kind = jget_str(o, "kind");
	const char *err = NULL;
	if (!cur || !node || !str_eq(cur->id, node)) {
		diags_add(d, DIAG_WARNING, path, lineno, 0,
			  "journal step at node '%s' but the walk is at '%s'; replay stops here",
			  node ? node : "?", cur ? cur->id : "?");
		return REPLAY_STOP;
	}
	int rc = -1;
	if (str_eq(kind, "next")) {
		rc = engine_next(e, &err);
	} else if (str_eq(kind, "choose")) {
		long long idx = -1;
		jget_int(o, "answer", &idx);
		const char *label = jget_str(o, "label");
		/* The label wins when the flow changed order since; the index otherwise. */
		if (label && (idx < 0 || (size_t)idx >= cur->nanswers || !str_eq(cur->answers[idx].label, label))) {
			for (size_t i = 0; i < cur->nanswers; i++)
				if (str_eq(cur->answers[i].label, label))
					idx = (long long)i;
		}
		if (idx < 0 || (size_t)idx >= cur->nanswers) {
			diags_add(d, DIAG_WARNING, path, lineno, 0,
				  "journal answer at node '%s' is not one of its answers; replay stops here", node);
			return REPLAY_STOP;
		}
		rc = engine_choose(e, (size_t)idx, &err);
	} else if (str_eq(kind, "input")) {
		struct json_object *vals = NULL;
		json_object_object_get_ex(o, "values", &vals);
		const char **v = xcalloc(cur->nvars ? cur->nvars : 1, sizeof *v);
		bool secret_missing = false;
		for (size_t i = 0; i < cur->nvars; i++) {
			int vi = cur->vars[i].idx;
			const struct flow_var *fv = vi >= 0 && (size_t)vi < f->nvars ? &f->vars[vi] : NULL;
			if (fv && flow_var_secret(f, vi)) {
				if (!fv->optional && !fv->def)
					secret_missing = true;
				continue;
			}
			if (fv && vals && json_object_is_type(vals, json_type_object))
				v[i] = jget_str(vals, fv->name);
		}
		if (secret_missing) {
			/* Not an error: secrets are never written, so the operator is asked again. */
			free(v);
			return REPLAY_STOP;
		}
		size_t bad = 0;
		rc = engine_submit_input(e, v, cur->nvars, &bad, &err);
		free(v);
	} else if (str_eq(kind, "classify")) {
		const char *text = jget_str(o, "text");
		rc = engine_classify(e, text ? text : "", &err);
	} else if (str_eq(kind, "steps")) {
		bool *ticked = xcalloc(cur->nsteps ? cur->nsteps : 1, sizeof *ticked);
		struct json_object *t;
		if (json_object_object_get_ex(o, "ticked", &t) && json_object_is_type(t, json_type_array)) {
			for (size_t i = 0; i < cur->nsteps && i < json_object_array_length(t); i++)
				ticked[i] = json_object_get_boolean(json_object_array_get_idx(t, i));
		}
		rc = engine_steps(e, jget_bool(o, "cannot") ? STEPS_CANNOT
				  : jget_bool(o, "fixed") ? STEPS_FIXED : STEPS_NOT_FIXED, ticked, &err);
		free(ticked);
	} else if (str_eq(kind, "branch") || str_eq(kind, "call") || str_eq(kind, "return")) {
		/* decided again from what was replayed so far (the stored check results
		 * give the captured facts), so it goes where it went */
		rc = engine_decide(e, &err);
	} else if (str_eq(kind, "checks")) {
		struct json_object *rs;
		size_t n = 0;
		struct check_result *res = NULL;
		if (json_object_object_get_ex(o, "results", &rs) && json_object_is_type(rs, json_type_array)) {
			n = json_object_array_length(rs);
			res = xcalloc(n ? n : 1, sizeof *res);
			for (size_t i = 0; i < n; i++)
				result_from_json(json_object_array_get_idx(rs, i), &res[i], stale);
		}
		rc = engine_check_results(e, res, n, &err);
		for (size_t i = 0; i < n; i++)
			check_result_clear(&res[i]);
		free(res);
	} else {
		diags_add(d, DIAG_WARNING, path, lineno, 0, "journal step of unknown kind '%s'; replay stops here",
			  kind ? kind : "?");
		return REPLAY_STOP;
	}
	if (rc != 0) {
		diags_add(d, DIAG_WARNING, path, lineno, 0, "cannot replay the step at node '%s' (%s); replay stops here",
			  node, err ? err : "refused");
		return REPLAY_STOP;
	}
	return REPLAY_OK;
}

/* The line of the last resume event of journal path, 0 when there is none. */
static int last_resume_line(const char *path)
{
	int lineno = 0, last = 0;
	FILE *fp = fopen(path, "re");
	if (!fp)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		if (strstr(line, "\"ev\":\"resume\""))
			last = lineno;
	}
	free(line);
	fclose(fp);
	return last;
}

static int replay(const char *path, struct engine *e, struct diags *d, int stale_before);

int session_replay(const char *path, struct engine *e, struct diags *d)
{
	return replay(path, e, d, INT_MAX);     /* resuming: all of it is from before */
}

int session_replay_record(const char *path, struct engine *e, struct diags *d)
{
	return replay(path, e, d, last_resume_line(path));
}

static int replay(const char *path, struct engine *e, struct diags *d, int stale_before)
{
	FILE *fp = fopen(path, "re");
	if (!fp) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "cannot open journal: %s", strerror(errno));
		return -1;
	}
	const struct flow *f = engine_flow(e);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	bool started = false, stopped = false;
	struct json_tokener *tok = json_tokener_new();
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		struct json_object *o = parse_line(tok, line, (size_t)len);
		if (!o) {
			bool blank = strspn(line, " \r\n") == (size_t)len;
			if (blank)
				continue;
			if (!started) {
				diags_add(d, DIAG_ERROR, path, lineno, 0, "not a tshoot journal (no start line)");
				rc = -1;
				break;
			}
			diags_add(d, DIAG_WARNING, path, lineno, 0,
				  "journal line %d is truncated or corrupted; skipped", lineno);
			continue;
		}
		const char *ev = jget_str(o, "ev");
		if (!started) {
			if (!str_eq(ev, "start")) {
				diags_add(d, DIAG_ERROR, path, lineno, 0, "not a tshoot journal (no start line)");
				json_object_put(o);
				rc = -1;
				break;
			}
			const char *id = jget_str(o, "flow_id");
			if (id && f->id && !str_eq(id, f->id)) {
				diags_add(d, DIAG_ERROR, path, lineno, 0,
					  "journal is for flow '%s', not '%s'", id, f->id);
				json_object_put(o);
				rc = -1;
				break;
			}
			const char *err = NULL;
			if (engine_start(e, NULL, &err) != 0) {
				diags_add(d, DIAG_ERROR, path, lineno, 0, "cannot start the flow: %s",
					  err ? err : "no start node");
				json_object_put(o);
				rc = -1;
				break;
			}
			started = true;
		} else if (str_eq(ev, "resume")) {
			stopped = false;     /* what follows continued from where replay stopped */
		} else if (stopped) {
			/* skipped: recorded by a walk that a later resume superseded */
		} else if (str_eq(ev, "step")) {
			stopped = replay_step(e, o, path, lineno, lineno < stale_before, d) == REPLAY_STOP;
		} else if (str_eq(ev, "back")) {
			if (engine_back(e) != 0)
				diags_add(d, DIAG_WARNING, path, lineno, 0, "journal 'back' at the first node; ignored");
		} else if (str_eq(ev, "restart")) {
			engine_restart(e);
		} else if (str_eq(ev, "var")) {
			const char *name = jget_str(o, "name"), *value = jget_str(o, "value"), *err = NULL;
			if (name && value && engine_set_var(e, name, value, &err) != 0)
				diags_add(d, DIAG_WARNING, path, lineno, 0, "journal variable '%s' not restored: %s",
					  name, err ? err : "refused");
		} else if (str_eq(ev, "end") || str_eq(ev, "note") || str_eq(ev, "ticket")) {
			/* nothing to replay: the walk is at the end node already; notes and the
			 * ticket are for the report (session_read_info) */
		} else {
			diags_add(d, DIAG_WARNING, path, lineno, 0, "unknown journal event '%s'; skipped", ev);
		}
		json_object_put(o);
	}
	if (rc == 0 && !started) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "empty journal");
		rc = -1;
	}
	json_tokener_free(tok);
	free(line);
	fclose(fp);
	return rc;
}

