/* flow_graph.c — a flow's edges and breadth-first search over them (flow_graph.h). */
#include "src/flow_graph.h"

#include <stdlib.h>
#include <string.h>

#include "src/util.h"

int flow_ref_target(const struct flow *f, const struct flow_ref *r)
{
	if (!f || !r || !r->id || r->idx < 0 || (size_t)r->idx >= f->nnodes)
		return -1;
	/* a model changed after load (lint's tests rename a node) must not lead astray */
	return str_eq(f->nodes[r->idx].id, r->id) ? r->idx : -1;
}

/* Slot i of n: next, the answers, the routes, fixed, not_fixed, cannot, on_max, the rules,
 * default. false past the last. */
static bool slot(const struct flow_node *n, size_t i, struct flow_edge *e)
{
	e->index = 0;
	e->label = NULL;
	if (i == 0) {
		e->kind = FLOW_EDGE_NEXT;
		e->ref = &n->next;
		return true;
	}
	i--;
	if (i < n->nanswers) {
		e->kind = FLOW_EDGE_ANSWER;
		e->index = i;
		e->ref = &n->answers[i].next;
		e->label = n->answers[i].label ? n->answers[i].label : "";
		return true;
	}
	i -= n->nanswers;
	if (i < n->nroutes) {
		e->kind = FLOW_EDGE_ROUTE;
		e->index = i;
		e->ref = &n->routes[i].next;
		e->label = n->routes[i].pattern;
		return true;
	}
	i -= n->nroutes;
	if (i == 0) {
		e->kind = FLOW_EDGE_FIXED;
		e->ref = &n->fixed;
		e->label = "fixed";
		return true;
	}
	if (i == 1) {
		e->kind = FLOW_EDGE_NOT_FIXED;
		e->ref = &n->not_fixed;
		e->label = "not fixed";
		return true;
	}
	if (i == 2) {
		e->kind = FLOW_EDGE_CANNOT;
		e->ref = &n->cannot;
		e->label = "cannot";
		return true;
	}
	if (i == 3) {
		e->kind = FLOW_EDGE_ON_MAX;
		e->ref = &n->on_max;
		e->label = "max visits";
		return true;
	}
	i -= 4;
	if (i < n->nrules) {
		e->kind = FLOW_EDGE_RULE;
		e->index = i;
		e->ref = &n->rules[i].next;
		e->label = n->rules[i].cond ? n->rules[i].cond : "";
		return true;
	}
	i -= n->nrules;
	if (i == 0) {
		e->kind = FLOW_EDGE_DEFAULT;
		e->ref = &n->def;
		e->label = "default";
		return true;
	}
	return false;
}

bool flow_edge_next(const struct flow *f, const struct flow_node *n, size_t *cursor,
		    struct flow_edge *e)
{
	while (slot(n, *cursor, e)) {
		(*cursor)++;
		if (!e->ref->id)
			continue;           /* not written: no edge */
		if (e->kind == FLOW_EDGE_ROUTE && n->type == NODE_FLOW && n->next.id)
			continue;           /* a linked call: its callee's returns take them */
		e->to = flow_ref_target(f, e->ref);
		return true;
	}
	return false;
}

/* The edges node i keeps: every edge to a node, or with route (a check node) only the
 * first to where route sends it. An edge i -> t is listed under u = i as t (under u = t
 * as i when reverse): counted in count[u] when adj is NULL, else placed at
 * adj[off[u] + count[u]++]. */
static void node_edges(const struct flow *f, size_t i, flow_route_fn route, const void *ctx,
		       bool reverse, const size_t *off, size_t *count, int *adj)
{
	const struct flow_node *n = &f->nodes[i];
	bool filtered = route && n->type == NODE_CHECK;
	int only = filtered ? route(n, ctx) : -1;
	if (filtered && only < 0)
		return;
	struct flow_edge e;
	for (size_t c = 0; flow_edge_next(f, n, &c, &e);) {
		if (e.to < 0 || (filtered && e.to != only))
			continue;
		size_t u = reverse ? (size_t)e.to : i;
		int v = reverse ? (int)i : e.to;
		if (adj)
			adj[off[u] + count[u]] = v;
		count[u]++;
		if (filtered)
			return;
	}
}

void flow_graph_build(struct flow_graph *g, const struct flow *f, flow_route_fn route,
		      const void *ctx, bool reverse)
{
	size_t n = f->nnodes;
	g->n = n;
	g->off = xcalloc(n + 1, sizeof(*g->off));
	size_t *count = xcalloc(n + 1, sizeof(*count));
	/* count, then place */
	for (size_t i = 0; i < n; i++)
		node_edges(f, i, route, ctx, reverse, NULL, count, NULL);
	for (size_t i = 0; i < n; i++)
		g->off[i + 1] = g->off[i] + count[i];
	g->adj = xmalloc((g->off[n] + 1) * sizeof(*g->adj));
	memset(count, 0, (n + 1) * sizeof(*count));
	for (size_t i = 0; i < n; i++)
		node_edges(f, i, route, ctx, reverse, g->off, count, g->adj);
	free(count);
}

void flow_graph_clear(struct flow_graph *g)
{
	FREE_NULL(g->off);
	FREE_NULL(g->adj);
	g->n = 0;
}

/* The one breadth-first search: from the nodes from[0 .. nfrom) along g's edges, taken
 * in order (ties go to the first). Fills dist and, with prev, the node each was reached
 * from (-1 for a start or one not reached). With stop, ends at the first node taken from
 * the queue for which stop(node, ctx) is true and returns it; else (or when none is) -1. */
static int bfs(const struct flow_graph *g, const int *from, size_t nfrom, int *dist, int *prev,
	       bool (*stop)(int node, const void *ctx), const void *ctx)
{
	for (size_t i = 0; i < g->n; i++) {
		dist[i] = -1;
		if (prev)
			prev[i] = -1;
	}
	int *queue = xmalloc((g->n + 1) * sizeof(*queue));
	size_t head = 0, tail = 0;
	for (size_t k = 0; k < nfrom; k++) {
		int s = from[k];
		if (s < 0 || (size_t)s >= g->n || dist[s] == 0)
			continue;
		dist[s] = 0;
		queue[tail++] = s;
	}
	int found = -1;
	while (head < tail) {
		int u = queue[head++];
		if (stop && stop(u, ctx)) {
			found = u;
			break;
		}
		for (size_t k = g->off[u]; k < g->off[u + 1]; k++) {
			int v = g->adj[k];
			if (dist[v] >= 0)
				continue;
			dist[v] = dist[u] + 1;
			if (prev)
				prev[v] = u;
			queue[tail++] = v;
		}
	}
	free(queue);
	return found;
}

void flow_graph_bfs(const struct flow_graph *g, const int *from, size_t nfrom, int *dist)
{
	bfs(g, from, nfrom, dist, NULL, NULL, NULL);
}

int flow_graph_nearest(const struct flow_graph *g, int from, bool (*stop)(int node, const void *ctx),
		       const void *ctx, int *prev, int *found)
{
	*found = -1;
	if (from < 0 || (size_t)from >= g->n)
		return -1;
	int *dist = xmalloc((g->n + 1) * sizeof(*dist));
	int at = bfs(g, &from, 1, dist, prev, stop, ctx);
	int d = at < 0 ? -1 : dist[at];
	free(dist);
	*found = at;
	return d;
}

int flow_shortest_path(const struct flow *f, int from, int to, flow_route_fn route,
		       const void *ctx)
{
	if (!f || from < 0 || to < 0 || (size_t)from >= f->nnodes || (size_t)to >= f->nnodes)
		return -1;
	struct flow_graph g;
	flow_graph_build(&g, f, route, ctx, false);
	int *dist = xmalloc(f->nnodes * sizeof(*dist));
	flow_graph_bfs(&g, &from, 1, dist);
	int d = dist[to];
	free(dist);
	flow_graph_clear(&g);
	return d;
}
