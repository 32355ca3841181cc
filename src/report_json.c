/* report_json.c — the walk as JSON (the stable schema REPORT_SCHEMA, tshoot(1)),
 * and one check result as `tshoot check --json` prints it. */
#include "src/report_int.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/secret.h"

#define REPORT_SCHEMA "tshoot-report/1"

/* s as the report writes every text (report_scrub), as JSON; null for NULL. json-c
 * escapes the control characters left (newlines, tabs). */
static struct json_object *jscrub(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *c = report_scrub(e, s);
	struct json_object *o = json_str_new(c);
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
	json_object_object_add(o, full ? "kind" : "check", json_str_new(r->kind));
	json_object_object_add(o, "target", jscrub(e, r->target));
	json_object_object_add(o, "outcome", json_str_new(r->outcome));
	json_object_object_add(o, "summary", jscrub(e, r->summary));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(r->elapsed_ms));
	json_object_object_add(o, "facts", facts_json(e, &r->facts));
	if (full || r->nproblems) {
		struct json_object *p = json_object_new_array();
		for (size_t i = 0; i < r->nproblems; i++)
			json_object_array_add(p, json_str_new(r->problems[i]));
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
	/* last, so the object still starts {"check":...; schema/tshoot-check.schema.json */
	json_object_object_add(o, "schema", json_object_new_string("tshoot-check/1"));
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
	json_object_object_add(o, key, json_str_new(utc));
	json_object_object_add(o, lkey, json_str_new(loc));
	free(lkey);
	free(utc);
	free(loc);
}

/* The header members added within tshoot-report/1: who, where, when it ended. */
static void json_head(struct json_object *o, const struct walk *w, const struct report_meta *m)
{
	json_add_when(o, "ended", m ? &m->ended : NULL);
	const struct report_time *t = m ? &m->started : NULL;
	json_object_object_add(o, "timezone", t && t->have_offset && *t->zone ? json_str_new(t->zone) : NULL);
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
		json_object_object_add(c, "text", json_str_new(it->checklist[k]));
		json_object_object_add(c, "ticked", json_object_new_boolean(item_ticked(it, k)));
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

void walk_json(struct strbuf *sb, const struct walk *w, const struct report_meta *m)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "schema", json_str_new(REPORT_SCHEMA));
	struct json_object *fl = json_object_new_object();
	json_object_object_add(fl, "id", json_str_new(w->f->id));
	json_object_object_add(fl, "title", json_str_new(w->f->title));
	json_object_object_add(fl, "version", json_str_new(w->f->version));
	json_object_object_add(fl, "path", json_str_new(w->f->path));
	json_object_object_add(o, "flow", fl);
	json_object_object_add(o, "scenario", json_str_new(m ? m->scenario : NULL));
	json_add_when(o, "started", m ? &m->started : NULL);
	json_head(o, w, m);
	json_object_object_add(o, "result", json_object_new_string(w->result));
	json_object_object_add(o, "end_node", json_str_new(w->end ? w->end->id : NULL));
	json_object_object_add(o, "current_node", json_str_new(w->cur ? w->cur->id : NULL));
	if (m && m->verdict)
		json_object_object_add(o, "verdict", json_str_new(m->verdict));
	struct json_object *steps = json_object_new_array();
	for (size_t i = 0; i < w->n; i++) {
		const struct item *it = &w->items[i];
		struct json_object *so = json_object_new_object();
		json_object_object_add(so, "n", json_object_new_int((int)(i + 1)));
		json_object_object_add(so, "node", json_str_new(it->node->id));
		json_object_object_add(so, "type", json_str_new(flow_node_type_name(it->node->type)));
		if (it->node->scope > 0 && (size_t)it->node->scope < w->f->nscopes)
			json_object_object_add(so, "sub_flow", json_str_new(w->f->scopes[it->node->scope].flow_id));
		json_object_object_add(so, "title", json_str_new(it->title));
		json_object_object_add(so, "text", json_str_new(it->text));
		json_object_object_add(so, "answer", json_str_new(it->answer));
		if (it->step && it->node->type == NODE_INPUT)
			json_object_object_add(so, "values", json_values(w, it->node, it->step));
		if (it->step && it->node->type == NODE_CLASSIFY)
			json_object_object_add(so, "matched", json_str_new(it->step->matched));
		if (it->step && it->node->type == NODE_STEPS) {
			json_object_object_add(so, "fixed", json_object_new_boolean(it->step->choice == STEPS_FIXED));
			json_object_object_add(so, "cannot", json_object_new_boolean(it->step->choice == STEPS_CANNOT));
			json_object_object_add(so, "checklist", json_checklist(it));
		}
		if (it->step && it->node->type == NODE_CHECK) {
			json_object_object_add(so, "outcome", json_str_new(it->step->outcome));
			struct json_object *cs = json_object_new_array();
			for (size_t k = 0; k < it->step->nresults; k++)
				json_object_array_add(cs, result_obj(w->e, &it->step->results[k], true));
			json_object_object_add(so, "checks", cs);
		}
		if (!it->step && it->node->type == NODE_END) {
			json_object_object_add(so, "result", json_str_new(w->result));
			struct json_object *col = json_object_new_array();
			for (size_t k = 0; k < it->node->ncollect; k++) {
				char *c = engine_expand_in(w->e, it->node->scope, it->node->collect[k], false);
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


/* ---- reading a report back (report_json_scan) */

static const char *rget_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Unix seconds of a UTC time as json_add_when writes it ("2024-05-01T09:30:00Z"); 0
 * when s is not one. */
static long long utc_secs(const char *s)
{
	struct tm tm = {0};
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || *end)
		return 0;
	return (long long)timegm(&tm);
}

int report_json_scan(const char *path, walk_event_fn fn, void *ctx, char **err)
{
	struct json_object *o = json_object_from_file(path);
	struct json_object *fl = NULL, *steps = NULL;
	if (!o || !json_object_is_type(o, json_type_object) || !str_eq(rget_str(o, "schema"), REPORT_SCHEMA) ||
	    !json_object_object_get_ex(o, "flow", &fl) || !json_object_is_type(fl, json_type_object) ||
	    !json_object_object_get_ex(o, "steps", &steps) || !json_object_is_type(steps, json_type_array)) {
		*err = xasprintf("%s: not a tshoot JSON report (%s)", path, REPORT_SCHEMA);
		json_object_put(o);
		return -1;
	}
	size_t n = json_object_array_length(steps);
	struct walk_event ev = {.ev = "start", .answer = -1};
	ev.flow_id = rget_str(fl, "id");
	ev.flow_path = rget_str(fl, "path");
	ev.flow_version = rget_str(fl, "version");
	ev.session_id = rget_str(o, "session_id");
	ev.tshoot_version = rget_str(o, "tshoot_version");
	ev.time = utc_secs(rget_str(o, "started"));
	ev.start = n ? rget_str(json_object_array_get_idx(steps, 0), "node") : NULL;
	int rc = fn(&ev, ctx);
	const char *result = rget_str(o, "result");
	bool ended = str_eq(result, "resolved") || str_eq(result, "escalate");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);
		const char *type = rget_str(s, "type");
		if (str_eq(type, "end") && ended && i + 1 == n)
			break;               /* the end event below */
		ev = (struct walk_event){.ev = "step", .answer = -1};
		ev.node = rget_str(s, "node");
		ev.next = i + 1 < n ? rget_str(json_object_array_get_idx(steps, i + 1), "node") : NULL;
		ev.kind = str_eq(type, "check") ? "checks" : str_eq(type, "question") ? "choose" : type;
		ev.outcome = rget_str(s, "outcome");
		ev.label = str_eq(type, "question") ? rget_str(s, "answer") : NULL;
		struct json_object *b;
		ev.fixed = json_object_object_get_ex(s, "fixed", &b) && json_object_get_boolean(b);
		ev.cannot = json_object_object_get_ex(s, "cannot", &b) && json_object_get_boolean(b);
		rc = fn(&ev, ctx);
	}
	if (rc == 0 && ended) {
		ev = (struct walk_event){.ev = "end", .answer = -1};
		ev.node = rget_str(o, "end_node");
		ev.result = result;
		ev.time = utc_secs(rget_str(o, "ended"));
		rc = fn(&ev, ctx);
	}
	json_object_put(o);
	return rc;
}
