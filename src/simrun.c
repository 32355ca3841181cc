/* simrun.c — the simulated check runner: outcomes given per node by a training scenario
 * or a test, results made at once and marked simulated. No network, no threads. */
#include "src/scenario.h"

#include <stdlib.h>
#include <string.h>

#include "src/util.h"

struct sim_entry {
	char *node;
	char **outcomes;
	size_t n;
};

struct sim_runner {
	struct sim_entry *v;
	size_t n, cap;
	char *selected;              /* node whose outcomes start() gives, or NULL */
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

void sim_runner_set(struct sim_runner *s, const char *node_id, const char *const *outcomes, size_t n)
{
	if (!s || !node_id)
		return;
	struct sim_entry *en = entry_find(s, node_id);
	if (en) {
		entry_clear(en);
	} else {
		VEC_PUSH(s->v, s->n, s->cap);
		en = &s->v[s->n++];
		memset(en, 0, sizeof(*en));
		en->node = xstrdup(node_id);
	}
	en->outcomes = xcalloc(n ? n : 1, sizeof(*en->outcomes));
	for (size_t i = 0; i < n; i++)
		if (outcomes && outcomes[i])
			en->outcomes[en->n++] = xstrdup(outcomes[i]);
}

void sim_runner_load_scenario(struct sim_runner *s, const struct scenario *sc)
{
	if (!s || !sc)
		return;
	for (size_t i = 0; i < sc->nouts; i++)
		sim_runner_set(s, sc->outs[i].node, (const char *const *)sc->outs[i].outcomes,
			       sc->outs[i].n);
}

void sim_runner_select(struct sim_runner *s, const char *node_id)
{
	if (!s)
		return;
	free(s->selected);
	s->selected = xstrdup(node_id);
}

/* What the check looked at, as a live check would name it. */
static char *sim_target(const struct check_request *req)
{
	static const char *const keys[] = {"url", "host", "proxy", "name", "file"};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const char *v = check_request_param(req, keys[i]);
		if (!v)
			continue;
		const char *port = strcmp(keys[i], "host") == 0 ? check_request_param(req, "port") : NULL;
		return port && *port ? xasprintf("%s:%s", v, port) : xstrdup(v);
	}
	return xstrdup(req->kind ? req->kind : "");
}

static struct check_batch *sim_start(void *ctx, const struct check_request *reqs, size_t n)
{
	struct sim_runner *s = ctx;
	const struct sim_entry *en = entry_find(s, s->selected);
	struct sim_batch *b = xcalloc(1, sizeof(*b));
	b->n = n;
	b->res = xcalloc(n ? n : 1, sizeof(*b->res));
	for (size_t i = 0; i < n; i++) {
		struct check_result *r = &b->res[i];
		const char *outcome = "ok";
		if (en && en->n)
			outcome = en->outcomes[i < en->n ? i : en->n - 1];
		char *human = outcome_human(outcome);
		r->kind = xstrdup(reqs[i].kind ? reqs[i].kind : "");
		r->target = sim_target(&reqs[i]);
		r->outcome = xstrdup(outcome);
		r->summary = xasprintf("simulated: %s", human ? human : outcome);
		free(human);
		if (str_eq(reqs[i].kind, "tls") && strcmp(outcome, "ok") != 0)
			check_result_add_problem(r, outcome);
		r->elapsed_ms = 0;
		r->simulated = true;
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
		check_result_free(&sb->res[i]);
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
