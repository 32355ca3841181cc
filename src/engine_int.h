/* engine_int.h — private to the engine files: the engine's state and the helpers they
 * share. engine.c holds the walk (life cycle, variables, steps, history); engine_logic.c
 * the format-2 logic (branch rules, ${label.fact} lookup, set:); engine_checks.c check
 * nodes (requests, results, the route an outcome takes). */
#ifndef TSHOOT_ENGINE_INT_H
#define TSHOOT_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "src/engine.h"
#include "src/flow.h"

struct engine {
	const struct flow *f;
	int cur;                         /* current node index, -1 before a valid start */
	char **vals;                     /* f->nvars values; NULL = unset */
	char **typed;                    /* f->nvars values typed at input steps that back has
	                                    undone since (NULL = none): engine_form_value */
	struct engine_step *hist;
	size_t nhist, cap;
	char error[400];                 /* what *err points at when check results are
	                                    refused for a check that could not run */
};

/* An action's err may be NULL: point it at a local so callers can always set *err. */
#define ERRP(err) const char *dummy_err_; if (!(err)) (err) = &dummy_err_

/* engine.c */
/* Free value v of variable i; a secret's bytes are wiped first. */
void val_free(const struct flow *f, size_t i, char *v);
/* Whether idx is a node of the flow. */
bool node_ok(const struct engine *e, int idx);
/* The current node if it has type t, else NULL with *err saying what the node wants. */
const struct flow_node *cur_of(const struct engine *e, enum node_type t, const char **err);
/* A new step for the current node, variables snapshotted; fill it in, then commit it. */
struct engine_step step_begin(const struct engine *e);
/* Append s to the history, apply the set: entries, move to next (max_visits applied). */
void step_commit(struct engine *e, struct engine_step *s, int next);
/* The route node n has written exactly for pattern, or NULL. */
const struct flow_route *route_exact(const struct flow_node *n, const char *pattern);

/* engine_logic.c */
/* Apply n set: entries to the variables, each value a template expanded now. */
void apply_sets(struct engine *e, const struct flow_set *sets, size_t n);

#endif
