/* scenario.h — training scenarios (flows/training/NAME.yaml): a flow, preset variables,
 * a simulated outcome for each check node, and the resolution the trainee should reach.
 *
 *   scenario: proxy-407
 *   flow: sccm-sus-sync
 *   title: The proxy wants credentials
 *   brief: |
 *     Text shown to the trainee at the start.
 *   set: {wsus_host: wsus01.contoso.com}
 *   outcomes:
 *     web-service: ok                  # every check of the node gives this
 *     mu-reach: [ok, proxy_auth]       # one per check, in run order
 *     live-web: [[http_503], [ok]]     # one list per visit of the node (a loop)
 *   facts:                             # what the simulated checks report (optional)
 *     mu-reach: [{}, {proxy_authenticate: [NTLM, Basic]}]
 *     live-web: [[{status: 503}], [{}]] # one list per visit, as for outcomes
 *   expect: auth-proxy-fixed           # the end node to reach
 *
 * A list of lists gives one entry per visit of the node (the walk entering it again, as
 * a fix-and-retest loop does: tshoot-flow(5) LOOPS); the last visit's entry repeats once
 * the list runs out. Any other form gives every visit the same entry.
 */
#ifndef TSHOOT_SCENARIO_H
#define TSHOOT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "checks/check.h"
#include "checks/runner.h"
#include "src/diag.h"
#include "src/flow.h"

/* The outcomes of one node's checks: for every visit (visit 0, the plain forms), or
 * for visit 1, 2, ... (a list of lists: one entry each, in visit order, kept next to
 * each other in scenario.outs). */
struct scenario_outcome {
	char *node;
	char **outcomes;
	size_t n;
	size_t visit;
	struct flow_pos pos;
};
/* Facts a node's simulated checks report: one set for every check, or one per check in
 * run order (the last repeats for extra checks). They replace the defaults of the same
 * key (src/simrun.c). */
struct scenario_facts {
	char *node;
	struct facts *sets;
	size_t n;
	size_t visit;                    /* as in scenario_outcome */
	struct flow_pos pos;
};
struct scenario {
	char *path, *id, *title, *brief, *expect;
	/* The flow's file as scenario_load found it (flow_find_for_scenario: next to the
	 * scenario's directory, in it, or installed), so flow_find(flow) works from any
	 * directory; as written when it found none. */
	char *flow;
	char **set_keys, **set_values;
	size_t nset;
	struct scenario_outcome *outs;
	size_t nouts;
	struct scenario_facts *facts;
	size_t nfacts;
	struct flow_pos flow_pos, expect_pos;
	struct flow_pos *set_pos;        /* position of each set key (nset items) */
};

/* Does the YAML file look like a scenario (top-level "scenario:" key)? The loader
 * decides (yamldoc_is_scenario); a caller that would load the file as a flow anyway asks
 * flow_load_file_or_scenario instead: one parse. */
bool scenario_is_file(const char *path);
struct scenario *scenario_load(const char *path, struct diags *d);
void scenario_free(struct scenario *s);
/* Check a scenario against its flow: unknown nodes, outcomes a node cannot produce,
 * variables the flow lacks, an expect that is not an end node. Returns errors added. */
size_t scenario_lint(const struct scenario *s, const struct flow *f, struct diags *d);
/* Where check node n of f goes under scenario s (a flow_route_fn; ctx is the
 * scenario): the route of its simulated outcome, ok for a node the scenario does not
 * list. The node index, or -1. */
int scenario_route(const struct flow_node *n, const void *scenario);
/* The same on the node's visit-th visit (1 = the first): scenario_route is the route of
 * its last scripted visit, the one that repeats. */
int scenario_route_visit(const struct flow_node *n, const struct scenario *s, size_t visit);

/* The simulated runner: outcomes given per node; results are marked simulated. */
struct sim_runner;
struct sim_runner *sim_runner_new(void);
void sim_runner_free(struct sim_runner *s);
/* Outcomes for the checks of node (in order; the last repeats for extra checks). */
void sim_runner_set(struct sim_runner *s, const char *node_id, const char *const *outcomes, size_t n);
void sim_runner_load_scenario(struct sim_runner *s, const struct scenario *sc);
/* Facts for the checks of node (one set per check; the last repeats), copied. */
void sim_runner_set_facts(struct sim_runner *s, const char *node_id, const struct facts *sets, size_t n);
/* The driver calls this before each start(): which node's outcomes to give. A node
 * with nothing set is not part of the scenario: its checks give "ok", with a summary
 * that says so (SIM_UNSCRIPTED) and no facts. */
void sim_runner_select(struct sim_runner *s, const char *node_id);
/* The same on the node's visit-th visit (engine_visits: 1 = the first): a scenario that
 * scripts visits gives that visit's outcomes and facts, the last one's once they run
 * out. sim_runner_select is visit 1. */
void sim_runner_select_visit(struct sim_runner *s, const char *node_id, size_t visit);
struct check_runner sim_runner_runner(struct sim_runner *s);
/* What a simulated check reports (src/simfacts.c): outcome, a summary worded as the
 * live check words it, and facts under the live check's keys (status, connect_status,
 * proxy_authenticate, not_after, days_left, address ...) with values that fit the
 * outcome, the scripted facts replacing defaults of the same key. now: the clock that
 * certificate dates are made from. r is zeroed first; free with check_result_clear. */
void sim_fill(struct check_result *r, const struct check_request *req, const char *outcome,
	      const struct facts *scripted, time_t now);
/* A check the scenario does not script: ok for routing, the summary saying so. */
void sim_fill_unscripted(struct check_result *r, const struct check_request *req);
/* Is anything set for node (outcomes or facts)? */
bool sim_runner_scripts(const struct sim_runner *s, const char *node_id);
/* The status a front end shows for a check the scenario does not script. */
#define SIM_UNSCRIPTED "not part of this scenario"

#endif
