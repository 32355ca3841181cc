/* flow_link.h — sub-flows (tshoot-flow(5), SUB-FLOWS): a node `type: flow` runs another
 * flow inside the same walk and goes on by the result it ends with.
 *
 * The one owner of what a call means: which file it names (flow_find_for_call), that
 * the callee loads and lints clean, that with: names its variables, that everything it
 * can end with is routed, that no flow calls itself (A calls B calls A), how deep calls
 * go. Lint asks flow_link_check; every walk (run, resume, answers, training, graph) runs
 * the flow flow_link made: one flow holding the callees' nodes and variables, each
 * prefixed "CALL/" by the id of the node that calls them, so the engine, the journal,
 * the reports and the graph see one decision tree. */
#ifndef TSHOOT_FLOW_LINK_H
#define TSHOOT_FLOW_LINK_H

#include <stddef.h>

#include "src/diag.h"
#include "src/flow.h"

/* How deep calls may nest (a flow calling a flow calling ... ). */
#define FLOW_MAX_CALL_DEPTH 8

/* Check f's calls without changing f: every problem an error or warning in *d at the
 * caller's file:line:col. Returns the number of errors added. */
size_t flow_link_check(const struct flow *f, struct diags *d);

/* Bring the flows f calls into f (each linked first, so nested calls come too): their
 * nodes, variables and signatures, prefixed; calls lead to the callee's start, the
 * callee's end nodes become returns that lead where the call routes them. A flow with
 * no calls gains only its scope 0. Returns 0, or -1 with errors in *d (f is then not
 * fit to walk). */
int flow_link(struct flow *f, struct diags *d);

/* The result or return name an end (or return) node gives its caller: its return: name,
 * else "resolved" or "escalate". */
const char *flow_end_name(const struct flow_node *n);
/* The route of call node call that end node end of its callee takes: its return: name,
 * then its result, then default; NULL when none. */
const struct flow_route *flow_call_route(const struct flow_node *call, const struct flow_node *end);

#endif
