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
 *   expect: auth-proxy-fixed           # the end node to reach
 */
#ifndef TSHOOT_SCENARIO_H
#define TSHOOT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"
#include "src/diag.h"
#include "src/flow.h"

struct scenario_outcome {
	char *node;
	char **outcomes;
	size_t n;
	struct flow_pos pos;
};
struct scenario {
	char *path, *id, *title, *brief, *expect;
	/* The flow as written, or, when scenario_load finds it as a path or ID.yaml in the
	 * scenario directory's parent (flows/ for flows/training/x.yaml) or directory, that
	 * file's path, so flow_find(flow) works from any directory. */
	char *flow;
	char **set_keys, **set_values;
	size_t nset;
	struct scenario_outcome *outs;
	size_t nouts;
	struct flow_pos flow_pos, expect_pos;
	struct flow_pos *set_pos;        /* position of each set key (nset items) */
};

/* Does the YAML file look like a scenario (top-level "scenario:" key)? */
bool scenario_is_file(const char *path);
struct scenario *scenario_load(const char *path, struct diags *d);
void scenario_free(struct scenario *s);
/* Check a scenario against its flow: unknown nodes, outcomes a node cannot produce,
 * variables the flow lacks, an expect that is not an end node. Returns errors added. */
size_t scenario_lint(const struct scenario *s, const struct flow *f, struct diags *d);

/* The simulated runner: outcomes given per node; results are marked simulated. */
struct sim_runner;
struct sim_runner *sim_runner_new(void);
void sim_runner_free(struct sim_runner *s);
/* Outcomes for the checks of node (in order; the last repeats for extra checks). */
void sim_runner_set(struct sim_runner *s, const char *node_id, const char *const *outcomes, size_t n);
void sim_runner_load_scenario(struct sim_runner *s, const struct scenario *sc);
/* The driver calls this before each start(): which node's outcomes to give. A node
 * with none set gives "ok". */
void sim_runner_select(struct sim_runner *s, const char *node_id);
struct check_runner sim_runner_runner(struct sim_runner *s);

#endif
