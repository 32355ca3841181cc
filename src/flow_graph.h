/* flow_graph.h — the one walk over a flow's edges and the one breadth-first search.
 *
 * An edge is a reference from a node to the node an action there leads to: an info or
 * input node's next, a question's answers, a check or classify node's routes, a steps
 * node's fixed then not_fixed, any node's on_max (the way on when max_visits is reached:
 * drawn from the node that carries it), always in that order (the order tshoot graph draws them
 * and breadth-first searches try them). A sub-flow call (tshoot-flow(5), SUB-FLOWS) leads
 * by its routes until flow_link has linked it; then by its next to the callee's start,
 * and the callee's returns by their next to where the call routes them. A reference that is absent (no id) is no edge;
 * one whose id names no node is an edge with to = -1, which lint reports and the
 * searches never follow.
 *
 * Lint (reachability, cycles with no exit), the engine's shortest paths and way to an
 * end, tshoot graph and training (the expected way on) all walk a flow through here. */
#ifndef TSHOOT_FLOW_GRAPH_H
#define TSHOOT_FLOW_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "src/flow.h"

enum flow_edge_kind {
	FLOW_EDGE_NEXT,              /* info, input; a linked call, a return */
	FLOW_EDGE_ANSWER,            /* question: one per answer */
	FLOW_EDGE_ROUTE,             /* check, classify, an unlinked call: one per route */
	FLOW_EDGE_FIXED,             /* steps */
	FLOW_EDGE_NOT_FIXED,         /* steps */
	FLOW_EDGE_CANNOT,            /* steps: could not apply them */
	FLOW_EDGE_ON_MAX,            /* any node with max_visits: where the walk goes instead */
	FLOW_EDGE_RULE,              /* branch: one per when: rule */
	FLOW_EDGE_DEFAULT,           /* branch: default */
};

struct flow_edge {
	enum flow_edge_kind kind;
	size_t index;                /* answer or route: its index in the node; else 0 */
	const struct flow_ref *ref;  /* the reference as written (ref->id is never NULL) */
	int to;                      /* the node it leads to (flow_ref_target), or -1 */
	/* What takes it: the answer's label ("" when it has none), the route's pattern,
	 * "fixed" or "not fixed", "max visits" for on_max, a rule's condition, "default";
	 * NULL for next. Borrowed from the flow. */
	const char *label;
};

/* The node a reference leads to: its index as resolved at load, when that node still
 * has the reference's id; else -1 (no id, or no such node). Every flow comes out of
 * the loader resolved, so this never looks a name up. */
int flow_ref_target(const struct flow *f, const struct flow_ref *r);

/* The edges of node n of f, one per call: *cursor starts at 0 and is advanced;
 * true with *e filled, false after the last.
 *     struct flow_edge e;
 *     for (size_t c = 0; flow_edge_next(f, n, &c, &e);)  ... */
bool flow_edge_next(const struct flow *f, const struct flow_node *n, size_t *cursor,
		    struct flow_edge *e);

/* Where a check node goes when a path is measured (a training scenario's simulated
 * outcome): the next node's index, or -1 for none. */
typedef int (*flow_route_fn)(const struct flow_node *n, const void *ctx);

/* The edges of a flow that lead to a node, as compressed adjacency: the neighbours of
 * node i are adj[off[i] .. off[i+1]), in flow_edge_next order. */
struct flow_graph {
	size_t n;                    /* nodes */
	size_t *off;                 /* n + 1 items */
	int *adj;
};

/* Build g from f (flow_graph_clear it). With route, a check node keeps only its first
 * edge to route(n, ctx) (none when that is -1); other nodes keep every edge. reverse:
 * each edge turned around, so the neighbours of i are the nodes with an edge to i. */
void flow_graph_build(struct flow_graph *g, const struct flow *f, flow_route_fn route,
		      const void *ctx, bool reverse);
void flow_graph_clear(struct flow_graph *g);

/* Breadth-first search of g from the nodes from[0 .. nfrom) (indices out of range are
 * ignored): dist[i] = the fewest edges from any of them to i (0 for themselves), -1
 * when none leads there. dist holds g->n items. */
void flow_graph_bfs(const struct flow_graph *g, const int *from, size_t nfrom, int *dist);

/* The same search from node from, stopping at the nearest node for which stop(node, ctx)
 * is true (from itself, at 0; of equally near ones the first met along the edges in
 * order): its distance, with *found set to it; -1 (and *found -1) when none is reached.
 * With prev (g->n items), each node reached gets the node it was reached from (-1 for
 * from), so the way back reads from *found. */
int flow_graph_nearest(const struct flow_graph *g, int from, bool (*stop)(int node, const void *ctx),
		       const void *ctx, int *prev, int *found);

/* The fewest steps from node from to node to, each check node going only where route
 * says (every route when route is NULL); -1 when to cannot be reached or either index
 * is out of range. */
int flow_shortest_path(const struct flow *f, int from, int to, flow_route_fn route,
		       const void *ctx);

#endif
