/* simrun.c — the simulated check runner: outcomes (and facts) given per node by a
 * training scenario or a test, results made at once and marked simulated; what each
 * result says is src/simfacts.c's. No network, no threads. */
#include "src/scenario.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/util.h"

/* What one node gives: on every visit (visit 0), or on visit 1, 2 ... (a scenario's
 * list of lists), the last repeating. Outcomes and facts are looked up apart. */
struct sim_entry {
	char *node;
	size_t visit;
	bool has_outcomes, has_facts;
	char **outcomes;
	size_t n;
	struct facts *facts;         /* one set per check; the last repeats */
	size_t nfacts;
};

struct sim_runner {
	struct sim_entry *v;
	size_t n, cap;
	char *selected;              /* node whose outcomes start() gives, or NULL */
	size_t visit;                /* ... on its visit-th visit */
};

/* What start() hands out; struct check_batch stays opaque (the live runner has its own). */
struct sim_batch {
	struct check_result *res;
	size_t n;
};

static void entry_clear(struct sim_entry *en)
{
	for (size_t i = 0; i < en->n; i++)
		free(en->outcomes[i]);
	free(en->outcomes);
	en->outcomes = NULL;
	en->n = 0;
}

static void entry_clear_facts(struct sim_entry *en)
{
	for (size_t i = 0; i < en->nfacts; i++)
		facts_clear(&en->facts[i]);
	free(en->facts);
	en->facts = NULL;
	en->nfacts = 0;
}

struct sim_runner *sim_runner_new(void)
{
	return xcalloc(1, sizeof(struct sim_runner));
}

void sim_runner_free(struct sim_runner *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		entry_clear(&s->v[i]);
		entry_clear_facts(&s->v[i]);
		free(s->v[i].node);
	}
	free(s->v);
	free(s->selected);
	free(s);
}

static struct sim_entry *entry_find(const struct sim_runner *s, const char *node_id)
{
	for (size_t i = 0; node_id && i < s->n; i++)
		if (strcmp(s->v[i].node, node_id) == 0)
			return &s->v[i];
	return NULL;
}

/* The entry of node_id for visit, made when there is none. */
static struct sim_entry *entry_get(struct sim_runner *s, const char *node_id, size_t visit)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].node, node_id) == 0 && s->v[i].visit == visit)
			return &s->v[i];
	VEC_PUSH(s->v, s->n, s->cap);
	struct sim_entry *en = &s->v[s->n++];
	memset(en, 0, sizeof(*en));
	en->node = xstrdup(node_id);
	en->visit = visit;
	return en;
}

/* The entry that gives node_id's outcomes (facts: want_facts) on its visit-th visit:
 * the one of that visit, or of the last visit before it, or the plain one; NULL when
 * none does. */
static const struct sim_entry *entry_for_visit(const struct sim_runner *s, const char *node_id, size_t visit,
					       bool want_facts)
{
	const struct sim_entry *best = NULL;
	for (size_t i = 0; node_id && i < s->n; i++) {
		const struct sim_entry *en = &s->v[i];
		if (strcmp(en->node, node_id) != 0 || en->visit > visit ||
		    !(want_facts ? en->has_facts : en->has_outcomes))
			continue;
		if (!best || en->visit > best->visit)
			best = en;
	}
	return best;
}

bool sim_runner_scripts(const struct sim_runner *s, const char *node_id)
{
	return s && entry_find(s, node_id) != NULL;
}

static void set_facts(struct sim_runner *s, const char *node_id, size_t visit, const struct facts *sets, size_t n)
{
	if (!s || !node_id)
		return;
	struct sim_entry *en = entry_get(s, node_id, visit);
	entry_clear_facts(en);
	en->has_facts = true;
	en->facts = xcalloc(n ? n : 1, sizeof(*en->facts));
	for (size_t i = 0; sets && i < n; i++, en->nfacts++)
		for (size_t k = 0; k < sets[i].n; k++)
			facts_add(&en->facts[i], sets[i].v[k].key, sets[i].v[k].value);
}

void sim_runner_set_facts(struct sim_runner *s, const char *node_id, const struct facts *sets, size_t n)
{
	set_facts(s, node_id, 0, sets, n);
}

static void set_outcomes(struct sim_runner *s, const char *node_id, size_t visit, const char *const *outcomes,
			 size_t n)
{
	if (!s || !node_id)
		return;
	struct sim_entry *en = entry_get(s, node_id, visit);
	entry_clear(en);
	en->has_outcomes = true;
	en->outcomes = xcalloc(n ? n : 1, sizeof(*en->outcomes));
	for (size_t i = 0; i < n; i++)
		if (outcomes && outcomes[i])
			en->outcomes[en->n++] = xstrdup(outcomes[i]);
}

void sim_runner_set(struct sim_runner *s, const char *node_id, const char *const *outcomes, size_t n)
{
	set_outcomes(s, node_id, 0, outcomes, n);
}

void sim_runner_load_scenario(struct sim_runner *s, const struct scenario *sc)
{
	if (!s || !sc)
		return;
	for (size_t i = 0; i < sc->nouts; i++)
		set_outcomes(s, sc->outs[i].node, sc->outs[i].visit, (const char *const *)sc->outs[i].outcomes,
			     sc->outs[i].n);
	for (size_t i = 0; i < sc->nfacts; i++)
		set_facts(s, sc->facts[i].node, sc->facts[i].visit, sc->facts[i].sets, sc->facts[i].n);
}

void sim_runner_select_visit(struct sim_runner *s, const char *node_id, size_t visit)
{
	if (!s)
		return;
	free(s->selected);
	s->selected = xstrdup(node_id);
	s->visit = visit ? visit : 1;
}

void sim_runner_select(struct sim_runner *s, const char *node_id)
{
	sim_runner_select_visit(s, node_id, 1);
}

static struct check_batch *sim_start(void *ctx, const struct check_request *reqs, size_t n)
{
	struct sim_runner *s = ctx;
	bool scripted_node = entry_find(s, s->selected) != NULL;
	const struct sim_entry *en = entry_for_visit(s, s->selected, s->visit, false);
	const struct sim_entry *ef = entry_for_visit(s, s->selected, s->visit, true);
	struct sim_batch *b = xcalloc(1, sizeof(*b));
	b->n = n;
	b->res = xcalloc(n ? n : 1, sizeof(*b->res));
	time_t now = time(NULL);
	for (size_t i = 0; i < n; i++) {
		if (!scripted_node) {
			sim_fill_unscripted(&b->res[i], &reqs[i]);
			continue;
		}
		const char *outcome = en && en->n ? en->outcomes[i < en->n ? i : en->n - 1] : "ok";
		const struct facts *scripted =
			ef && ef->nfacts ? &ef->facts[i < ef->nfacts ? i : ef->nfacts - 1] : NULL;
		sim_fill(&b->res[i], &reqs[i], outcome, scripted, now);
	}
	return (struct check_batch *)b;
}

static bool sim_poll(struct check_batch *b, int timeout_ms)
{
	return true;
}

static bool sim_done(struct check_batch *b, size_t i)
{
	return i < ((struct sim_batch *)b)->n;
}

static const struct check_result *sim_result(struct check_batch *b, size_t i)
{
	struct sim_batch *sb = (struct sim_batch *)b;
	return i < sb->n ? &sb->res[i] : NULL;
}

static void sim_cancel(struct check_batch *b)
{
	/* Everything is already done: nothing to stop. */
}

static void sim_finish(struct check_batch *b)
{
	struct sim_batch *sb = (struct sim_batch *)b;
	if (!sb)
		return;
	for (size_t i = 0; i < sb->n; i++)
		check_result_clear(&sb->res[i]);
	free(sb->res);
	free(sb);
}

static const struct check_runner_ops sim_ops = {
	.start = sim_start,
	.poll = sim_poll,
	.done = sim_done,
	.result = sim_result,
	.cancel = sim_cancel,
	.finish = sim_finish,
};

struct check_runner sim_runner_runner(struct sim_runner *s)
{
	struct check_runner r = {.ops = &sim_ops, .ctx = s};
	return r;
}
