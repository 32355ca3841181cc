/* training.c — a trainee's walk against the scenario's expected one (training.h). */
#include "src/training.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/flow_graph.h"
#include "src/report.h"
#include "src/util.h"

#define TRAINEE_MAX    80     /* characters of a trainee's name */
#define ANSWER_SHOWN   70     /* characters of an answer in the one-line summary */

struct training {
	const struct scenario *sc;
	const struct flow *f;
	int expect;                  /* the expected end's index, or -1 */
	int *dist;                   /* per node: steps to the expected end, -1 when none */
};

struct training *training_new(const struct scenario *sc, const struct flow *f)
{
	struct training *t = xcalloc(1, sizeof(*t));
	t->sc = sc;
	t->f = f;
	t->expect = sc && sc->expect ? flow_node_index(f, sc->expect) : -1;
	t->dist = xcalloc(f->nnodes ? f->nnodes : 1, sizeof(*t->dist));
	/* steps from every node to the expected end: one search back from it */
	struct flow_graph back;
	flow_graph_build(&back, f, scenario_route, sc, true);
	flow_graph_bfs(&back, &t->expect, t->expect < 0 ? 0 : 1, t->dist);
	flow_graph_clear(&back);
	return t;
}

void training_free(struct training *t)
{
	if (!t)
		return;
	free(t->dist);
	free(t);
}

static int dist_of(const struct training *t, int idx)
{
	return idx >= 0 && (size_t)idx < t->f->nnodes ? t->dist[idx] : -1;
}

bool training_wrong_turn(const struct training *t, const struct engine_step *s)
{
	return t && s && t->expect >= 0 && dist_of(t, s->node) > 0 && dist_of(t, s->next) < 0;
}

size_t training_wrong_turns(const struct training *t, const struct engine *e)
{
	size_t n = 0;
	for (size_t i = 0; i < engine_history_len(e); i++)
		n += training_wrong_turn(t, engine_history(e, i));
	return n;
}

const char *training_name_problem(const char *name)
{
	if (!name || !*name)
		return "the trainee's name is empty";
	char *clean = str_clean_dup(name);
	bool ctl = strcmp(clean, name) != 0;
	free(clean);
	if (ctl)
		return "the trainee's name has control characters";
	if (utf8_width(name) > TRAINEE_MAX)
		return "the trainee's name is longer than 80 characters";
	return NULL;
}

/* ---- the debrief */

/* s on one line (line breaks as spaces), cut to max characters with "...". */
static char *one_line(const char *s, size_t max)
{
	if (!s)
		return NULL;
	char *c = str_clean_flat_dup(s);
	if (max && utf8_width(c) > max) {
		size_t keep = utf8_prefix_for_width(c, max - 3);
		char *cut = xasprintf("%.*s...", (int)keep, c);
		free(c);
		return cut;
	}
	return c;
}

static char *node_title(const struct engine *e, const struct flow_node *n)
{
	return engine_expand_in(e, n->scope, n->title ? n->title : n->id, false);
}

/* What to answer at classify node n to take route r. */
static char *classify_answer(const struct flow *f, const struct flow_route *r)
{
	if (str_eq(r->pattern, "default"))
		return xstrdup("a text that matches none of the known errors");
	const struct flow_sig *sig = flow_sig_get0(f, r->pattern);
	return xasprintf("a text that matches \"%s\"", sig && sig->title ? sig->title : r->pattern);
}

/* The next node on a shortest way from node idx to the expected end, and in *answer
 * what to answer there (NULL where nothing is asked; *literal: the very words, else a
 * description). -1 when there is none. */
static int next_on_way(const struct training *t, const struct engine *e, int idx, char **answer, bool *literal)
{
	const struct flow_node *n = &t->f->nodes[idx];
	int want = t->dist[idx] - 1;
	*answer = NULL;
	*literal = false;
	if (n->type == NODE_CHECK)
		return scenario_route(n, t->sc);
	struct flow_edge ed;
	for (size_t c = 0; flow_edge_next(t->f, n, &c, &ed);) {
		if (dist_of(t, ed.to) != want)
			continue;
		switch (ed.kind) {
		case FLOW_EDGE_ANSWER:
			*literal = true;
			*answer = engine_expand_in(e, n->scope, ed.label, false);
			break;
		case FLOW_EDGE_ROUTE:
			*answer = classify_answer(t->f, &n->routes[ed.index]);
			break;
		case FLOW_EDGE_FIXED:
		case FLOW_EDGE_NOT_FIXED:
		case FLOW_EDGE_CANNOT:
			*literal = true;
			*answer = xstrdup(ed.label);
			break;
		case FLOW_EDGE_NEXT:
		case FLOW_EDGE_RULE:         /* the engine decides a branch: nothing to answer */
		case FLOW_EDGE_DEFAULT:
			break;
		case FLOW_EDGE_ON_MAX:
			continue;   /* not the operator's to take: the engine takes it */
		}
		return ed.to;
	}
	return -1;
}

/* The shortest way from node idx (step number n) to the expected end. */
static void expected_way(struct debrief *d, const struct training *t, const struct engine *e, int idx, size_t n)
{
	int steps = dist_of(t, idx);
	if (steps < 0)
		return;
	d->expected = xcalloc((size_t)steps + 1, sizeof(*d->expected));
	for (int k = 0; k <= steps && idx >= 0; k++) {
		const struct flow_node *node = &t->f->nodes[idx];
		struct debrief_item *it = &d->expected[d->nexpected++];
		it->n = n + (size_t)k;
		it->node = node->id;
		it->title = node_title(e, node);
		if (node->why) {
			char *w = engine_expand_in(e, node->scope, node->why, false);
			it->why = one_line(w, 0);
			free(w);
		}
		idx = k < steps ? next_on_way(t, e, idx, &it->answer, &it->literal) : -1;
	}
}

static void build_path(struct debrief *d, const struct engine *e)
{
	const struct flow *f = engine_flow(e);
	size_t h = engine_history_len(e);
	d->path = xcalloc(h + 1, sizeof(*d->path));
	for (size_t i = 0; i <= h; i++) {
		const struct engine_step *s = i < h ? engine_history(e, i) : NULL;
		const struct flow_node *n = s ? &f->nodes[s->node] : engine_node(e);
		struct debrief_item *it = &d->path[d->npath++];
		it->n = i + 1;
		it->node = n->id;
		it->title = node_title(e, n);
		it->answer = s ? report_step_answer(e, i) : NULL;
	}
}

static void set_verdict(struct debrief *d, const struct training *t, const struct engine *e)
{
	const struct flow_node *cur = engine_node(e);
	if (!engine_at_end(e)) {
		d->verdict = "incomplete";
		return;
	}
	d->reached_end = cur->id;
	if (t->expect < 0) {
		d->verdict = "ended";
		return;
	}
	bool reached = engine_node_idx(e) == t->expect;
	d->verdict = reached ? "reached" : "missed";
	if (reached && d->shortest >= 0)
		d->verdict_text = xasprintf("Well done: you reached the expected resolution '%s' in %zu steps (shortest path: %d).",
					    d->expected_end, d->steps, d->shortest);
	else if (reached)
		d->verdict_text = xasprintf("Well done: you reached the expected resolution '%s' in %zu steps.",
					    d->expected_end, d->steps);
	else
		d->verdict_text = xasprintf("Not quite: you reached '%s', but this scenario's fault is resolved at '%s'.",
					    cur->id, d->expected_end);
}

struct debrief *debrief_new(const struct training *t, const struct engine *e, size_t wrong_turns, size_t hints)
{
	struct debrief *d = xcalloc(1, sizeof(*d));
	d->scenario = t->sc->id;
	d->title = t->sc->title;
	d->flow = t->f->id;
	d->expected_end = t->expect >= 0 ? t->f->nodes[t->expect].id : NULL;
	d->steps = engine_history_len(e);
	d->wrong_turns = wrong_turns;
	d->hints = hints;
	build_path(d, e);
	d->shortest = dist_of(t, d->steps ? engine_history(e, 0)->node : engine_node_idx(e));
	set_verdict(d, t, e);
	for (size_t i = 0; i < d->steps && !d->divergence; i++) {
		const struct engine_step *s = engine_history(e, i);
		if (!training_wrong_turn(t, s))
			continue;
		d->divergence = &d->path[i];
		expected_way(d, t, e, s->node, i + 1);
		if (d->nexpected) {
			d->expected_answer = xstrdup(d->expected[0].answer);
			d->expected_literal = d->expected[0].literal;
		}
	}
	if (!d->divergence && str_eq(d->verdict, "incomplete"))
		expected_way(d, t, e, engine_node_idx(e), d->steps + 1);
	if (d->wrong_turns < (d->divergence ? 1u : 0u))
		d->wrong_turns = 1;
	return d;
}

static void items_free(struct debrief_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].answer);
		free(v[i].why);
	}
	free(v);
}

void debrief_free(struct debrief *d)
{
	if (!d)
		return;
	free(d->verdict_text);
	free(d->expected_answer);
	items_free(d->path, d->npath);
	items_free(d->expected, d->nexpected);
	free(d);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void score(struct strbuf *sb, const struct debrief *d)
{
	sb_printf(sb, "%zu step%s", d->steps, plural(d->steps));
	if (d->shortest >= 0)
		sb_printf(sb, " (shortest %d)", d->shortest);
	sb_printf(sb, ", %zu wrong turn%s, %zu hint%s used", d->wrong_turns, plural(d->wrong_turns), d->hints,
		  plural(d->hints));
}

char *debrief_text(const struct debrief *d)
{
	struct strbuf sb = {0};
	const struct debrief_item *dv = d->divergence;
	if (dv) {
		char *given = one_line(dv->answer, 0);
		sb_printf(&sb, "You left the expected path at step %zu, \"%s\".\n", dv->n, dv->title);
		sb_printf(&sb, "  You answered: %s\n", given ? given : "(nothing)");
		if (d->expected_answer)
			sb_printf(&sb, d->expected_literal ? "  Expected: \"%s\"\n" : "  Expected: %s\n", d->expected_answer);
		free(given);
	} else if (str_eq(d->verdict, "reached")) {
		sb_printf(&sb, "You stayed on a way to the expected end%s.\n",
			  d->wrong_turns ? " once you had gone back from your wrong turns" : "");
	} else if (str_eq(d->verdict, "incomplete") && d->nexpected) {
		sb_printf(&sb, "You were still on a way to the expected end when the walk stopped.\n");
	}
	if (d->nexpected) {
		sb_printf(&sb, "The expected path from %s:\n", dv ? "there" : "where you stopped");
		for (size_t i = 0; i < d->nexpected; i++) {
			const struct debrief_item *it = &d->expected[i];
			sb_printf(&sb, "  %zu. %s", it->n, it->title);
			if (it->answer)
				sb_printf(&sb, it->literal ? ": answer \"%s\"" : ": answer %s", it->answer);
			if (i + 1 == d->nexpected && d->expected_end && str_eq(it->node, d->expected_end))
				sb_add(&sb, " (the expected end)");
			sb_addc(&sb, '\n');
			if (it->why)
				sb_printf(&sb, "     Why: %s\n", it->why);
		}
	}
	sb_add(&sb, "Score: ");
	score(&sb, d);
	sb_add(&sb, ".");
	return sb_steal(&sb);
}

char *debrief_line(const struct debrief *d, const char *trainee)
{
	struct strbuf sb = {0};
	sb_printf(&sb, "Training %s", d->scenario ? d->scenario : "?");
	if (trainee) {
		char *t = one_line(trainee, TRAINEE_MAX);
		sb_printf(&sb, " (%s)", t);
		free(t);
	}
	sb_add(&sb, ": ");
	if (str_eq(d->verdict, "reached"))
		sb_printf(&sb, "reached the expected end '%s'", d->expected_end);
	else if (str_eq(d->verdict, "missed"))
		sb_printf(&sb, "ended at '%s', not at the expected '%s'", d->reached_end, d->expected_end);
	else if (str_eq(d->verdict, "ended"))
		sb_printf(&sb, "ended at '%s'", d->reached_end);
	else
		sb_printf(&sb, "stopped at step %zu before an end", d->steps + 1);
	if (d->divergence) {
		char *given = one_line(d->divergence->answer, ANSWER_SHOWN);
		char *want = one_line(d->expected_answer, ANSWER_SHOWN);
		sb_printf(&sb, "; left the expected path at step %zu \"%s\" (answered \"%s\"", d->divergence->n,
			  d->divergence->title, given ? given : "");
		if (want)
			sb_printf(&sb, d->expected_literal ? ", expected \"%s\"" : ", expected %s", want);
		sb_add(&sb, ")");
		free(given);
		free(want);
	}
	sb_add(&sb, "; ");
	score(&sb, d);
	sb_add(&sb, ".");
	return sb_steal(&sb);
}

/* ---- JSON: tshoot-training-result/1 (tshoot(1)) */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *jtime(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];
	if (t <= 0 || !gmtime_r(&tt, &tm))
		return NULL;
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_object_new_string(buf);
}

static struct json_object *jitems(const struct debrief_item *v, size_t n, bool why)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "step", json_object_new_int64((int64_t)v[i].n));
		json_object_object_add(o, "node", jstr(v[i].node));
		json_object_object_add(o, "title", jstr(v[i].title));
		json_object_object_add(o, "answer", jstr(v[i].answer));
		if (why)
			json_object_object_add(o, "why", jstr(v[i].why));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *jdivergence(const struct debrief *d)
{
	if (!d->divergence)
		return NULL;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "step", json_object_new_int64((int64_t)d->divergence->n));
	json_object_object_add(o, "node", jstr(d->divergence->node));
	json_object_object_add(o, "title", jstr(d->divergence->title));
	json_object_object_add(o, "answer", jstr(d->divergence->answer));
	json_object_object_add(o, "expected", jstr(d->expected_answer));
	return o;
}

char *debrief_json(const struct debrief *d, const char *trainee, long long started, long long ended)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "schema", json_object_new_string("tshoot-training-result/1"));
	json_object_object_add(o, "scenario", jstr(d->scenario));
	json_object_object_add(o, "scenario_title", jstr(d->title));
	json_object_object_add(o, "flow", jstr(d->flow));
	json_object_object_add(o, "trainee", jstr(trainee));
	json_object_object_add(o, "started", jtime(started));
	json_object_object_add(o, "ended", jtime(ended));
	json_object_object_add(o, "verdict", jstr(d->verdict));
	json_object_object_add(o, "expected_end", jstr(d->expected_end));
	json_object_object_add(o, "reached_end", jstr(d->reached_end));
	json_object_object_add(o, "steps", json_object_new_int64((int64_t)d->steps));
	json_object_object_add(o, "shortest", d->shortest >= 0 ? json_object_new_int(d->shortest) : NULL);
	json_object_object_add(o, "wrong_turns", json_object_new_int64((int64_t)d->wrong_turns));
	json_object_object_add(o, "hints", json_object_new_int64((int64_t)d->hints));
	json_object_object_add(o, "divergence", jdivergence(d));
	json_object_object_add(o, "path", jitems(d->path, d->npath, false));
	json_object_object_add(o, "expected_path", jitems(d->expected, d->nexpected, true));
	char *s = xasprintf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								       JSON_C_TO_STRING_SPACED |
								       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}
