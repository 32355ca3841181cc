/* engine.h — the walk through a flow: current node, history, variables, answers, results.
 *
 * No UI and no network here. A driver (src/wizard.c) shows engine_node() through a
 * front end, hands the operator's answer to one of the action functions, and for check
 * nodes runs engine_check_requests() through a check runner and hands the results to
 * engine_check_results(). Every action appends a step to the history; engine_back()
 * undoes the last step, restoring variables as they were before it. */
#ifndef TSHOOT_ENGINE_H
#define TSHOOT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"
#include "src/flow.h"
#include "src/flow_graph.h"

/* One visited node and what happened there. */
struct engine_step {
	int node;                        /* index into flow->nodes */
	/* What the operator answered (NULL for info/check/end):
	 * question: the label chosen; classify: the pasted text (as given);
	 * steps: "fixed", "not fixed" or "cannot"; input: NULL (see vars_after). */
	char *answer;
	int choice;                      /* question: answer index; steps: enum steps_outcome; else -1 */
	bool *ticked;                    /* steps: which were ticked (nsteps items) or NULL */
	char *matched;                   /* classify: signature id matched, or NULL (default) */
	char *matched_line;              /* classify: the line that matched, or NULL */
	struct check_result *results;    /* check: one per check of the node */
	size_t nresults;
	char *outcome;                   /* check: the node's outcome used to route */
	int rule;                        /* branch: index of the when: rule that held, -1 for
	                                    the default; else -1 */
	char *note;                      /* branch: why the default was taken when a condition
	                                    could not be decided (names references, never
	                                    values), or NULL */
	int next;                        /* node index it led to; -1 at an end node */
	int capped;                      /* the node it would have entered once more than its
	                                    max_visits allow, so next is (by way of) that
	                                    node's on_max; -1 when none (tshoot-flow(5), LOOPS) */
	char **vars_before;              /* values of every flow var before this step (for back) */
	char **vars_after;               /* values of every flow var after it (input: what was
	                                    entered); both arrays hold flow->nvars items, NULL =
	                                    unset; secrets included: never write them out */
};

struct engine;

struct engine *engine_new(const struct flow *f);
void engine_free(struct engine *e);
const struct flow *engine_flow(const struct engine *e);

/* Begin (or begin again) at node_id, or at the flow's start when NULL. Clears history
 * but keeps variables. Returns 0, or -1 with *err (static string) when no such node. */
int engine_start(struct engine *e, const char *node_id, const char **err);
const struct flow_node *engine_node(const struct engine *e);   /* current node */
int engine_node_idx(const struct engine *e);
size_t engine_step_no(const struct engine *e);                 /* 1-based */
bool engine_at_end(const struct engine *e);                    /* current is an end node */

/* Variables. engine_set_var validates with flow_var_check; returns 0, or -1 with *err
 * (static message). engine_var returns the value, the default when unset, or NULL. */
int engine_set_var(struct engine *e, const char *name, const char *value, const char **err);
const char *engine_var(const struct engine *e, const char *name);
bool engine_var_is_set(const struct engine *e, const char *name);
/* The value a form for variable name starts with: what was typed at an input step that
 * engine_back has undone since (so going back to a form keeps it), else engine_var. A
 * new submit of that form forgets it. */
const char *engine_form_value(const struct engine *e, const char *name);

/* ${var} expansion (src/template.c). A value is inserted once and never expanded again.
 * Secrets are shown as "********" unless reveal is true (only check parameters reveal).
 * An unset variable expands to its default, else to "". "$${" writes a literal "${". */
char *engine_expand(const struct engine *e, const char *tmpl, bool reveal);
/* The same for a text of a node in scope (a sub-flow's texts read its own variables:
 * flow_var_index_in); engine_expand reads in the current node's scope. */
char *engine_expand_in(const struct engine *e, int scope, const char *tmpl, bool reveal);
/* The scope of the current node (0 outside sub-flows). */
int engine_scope(const struct engine *e);
/* (engine_expand: NULL in gives NULL; an unknown ${name} is left as written.) */
/* The one way out for text that may hold a secret (what checks report, what was
 * pasted): a copy of s with every value of a set secret variable, of any length,
 * replaced by "********" (secret_mask_values_dup), and the password of any
 * "scheme://user:PASSWORD@host" too (secret_mask_urls_dup). Mask before cleaning
 * control characters. NULL in gives NULL; with a NULL e only URL passwords are masked. */
char *engine_mask_secrets(const struct engine *e, const char *s);
/* *dst: a copy of *src fit to show or record: target, summary, command and fact values
 * masked by engine_mask_secrets, facts with a secret key (secret_name) left out. Free
 * with check_result_clear. */
void engine_mask_result(const struct engine *e, struct check_result *dst, const struct check_result *src);

/* Actions on the current node. Each returns 0 and moves on, or -1 with *err when the
 * action does not fit the node or the value is bad (nothing changes then). */
int engine_next(struct engine *e, const char **err);                         /* info */
int engine_choose(struct engine *e, size_t answer, const char **err);        /* question */
/* input: values[i] for node->vars[i]; on a bad value *bad_index is set. */
int engine_submit_input(struct engine *e, const char *const *values, size_t n,
			size_t *bad_index, const char **err);
int engine_classify(struct engine *e, const char *pasted, const char **err); /* classify */
/* steps: STEPS_CANNOT ("could not apply the steps") only where the node has cannot:. */
int engine_steps(struct engine *e, enum steps_outcome outcome, const bool *ticked, const char **err);
/* branch, flow (a sub-flow call: on to the callee's start, its with: values given) and
 * return (a sub-flow's end: on to where the call routes its result, kept as the step's
 * outcome): decided by the engine, never the operator (flow_node_automatic).
 * branch: The first when: rule whose
 * condition holds (engine_lookup) is taken, else the default; a condition that cannot
 * be decided (a reference not set, a number compared with text) takes the default at
 * once and the step's note says why. Like every action it appends a step. */
int engine_decide(struct engine *e, const char **err);

/* The value of a reference as conditions read it: a variable (engine_var), or
 * label.fact for a fact of the newest check step whose item has `capture: label`
 * ("outcome" is that check's outcome). A fact with a secret name (secret_name) reads
 * as "********". NULL when not set. Borrowed: valid until the engine changes. */
const char *engine_lookup(const struct engine *e, const char *name);
/* The same as read by a node in scope: its variables (flow_var_index_in) and the
 * captures of check nodes in that scope. engine_lookup reads in the current node's. */
const char *engine_lookup_in(const struct engine *e, int scope, const char *name);

/* check: the current node's checks as requests, parameters templated with secrets
 * revealed. What *out holds is owned by the caller: release it with engine_requests_clear. */
struct engine_requests {
	struct check_request *reqs;
	size_t n;
	char **labels;                   /* human label for each (the check's label or kind) */
	char **targets;                  /* what each looks at ("URL", "host:port"), secrets
	                                    masked: for showing while it runs */
	/* storage behind reqs (private) */
	char ***keys, ***values;
};
int engine_check_requests(const struct engine *e, struct engine_requests *out, const char **err);
void engine_requests_clear(struct engine_requests *r);
/* Record the results (copied) and route: the node's outcome is the first result that is
 * not ok, in run order, else ok; the route is the most specific that matches (exact name,
 * then class such as http_5xx or tls_*, then problem, then default). A check that could
 * not run (outcome error) makes the node's outcome error, which only an explicit error
 * route takes (problem and default do not): without one the results are refused, *err
 * naming the check and its problem. 0; ENGINE_CANCELLED when a check was cancelled
 * (nothing recorded: the operator may run them again); -1 when refused. */
#define ENGINE_CANCELLED (-2)
int engine_check_results(struct engine *e, const struct check_result *results, size_t n,
			 const char **err);
/* The route a check node would take for an outcome, or -1 (lint, scenarios, tests). */
int engine_route_outcome(const struct flow_node *n, const char *outcome);
/* The route a classify node takes for a signature id (NULL = no match), or -1. */
int engine_route_signature(const struct flow_node *n, const char *sig_id);

int engine_back(struct engine *e);       /* 0, or -1 at the first node */
void engine_restart(struct engine *e);   /* back to the start; variables keep their values */

size_t engine_history_len(const struct engine *e);
/* How many times the walk has entered node idx: the steps at it in the history, and the
 * current node. Counted from the history alone, so back and a resumed walk agree. */
size_t engine_visits(const struct engine *e, int idx);
const struct engine_step *engine_history(const struct engine *e, size_t i);

/* Shortest number of steps from node from to node to, or -1: flow_shortest_path
 * (src/flow_graph.h), which owns the walk. */
int engine_shortest_path(const struct flow *f, int from, int to);
/* The one route a check node takes when a path is measured (a training scenario's
 * simulated outcome): the next node's index, or -1 for none. */
typedef flow_route_fn engine_route_fn;
/* The same, with each check node going only where route(n, ctx) says (all its routes
 * when route is NULL). */
int engine_shortest_path_routed(const struct flow *f, int from, int to, engine_route_fn route, const void *ctx);
/* A shortest way on from the current node to the nearest end node (the same walk, over
 * all edges: whatever the answers and check outcomes): returns how many steps it takes,
 * and *way (newly allocated, that many node indices: the nodes after the current one,
 * the end last; NULL when 0). 0 at an end node, -1 (*way NULL) when no end can be
 * reached. Any walk on takes at least that many steps. */
int engine_way_to_end(const struct engine *e, int **way);

#endif
