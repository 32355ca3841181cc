/* lint.h — validate a loaded flow (tshoot-flow(5) lists the rules). */
#ifndef TSHOOT_LINT_H
#define TSHOOT_LINT_H

#include "src/diag.h"
#include "src/flow.h"

/* Add every problem found to *d (errors and warnings, file:line:col). Returns the
 * number of errors added. */
size_t lint_flow(const struct flow *f, struct diags *d);
/* The same without the sub-flow calls (flow_link_check): the flow's own nodes. */
size_t lint_flow_self(const struct flow *f, struct diags *d);
/* Load then lint one file; prints diagnostics to out. Returns the number of errors. */
size_t lint_file(const char *path, FILE *out);

/* tshoot graph: write the flow as Graphviz dot. */
void graph_write(const struct flow *f, FILE *out);
/* How often recorded walks passed each node and edge of a flow (stats.c counts it). */
struct graph_heat {
	const size_t *node_walks;    /* per node: the walks that reached it */
	const size_t *edge_pass;     /* per edge, every node's edges in flow_edge_next order */
	size_t walks;                /* the walks counted */
};
/* graph_write with heat (NULL: none): each node's fill and pen width by the walks that
 * reached it, with the count in its label ("never visited", dashed and grey, when
 * none); each edge's colour and pen width by how often it was taken, the count in its
 * label (dashed when never). */
void graph_write_heat(const struct flow *f, const struct graph_heat *heat, FILE *out);

#endif
