/* graph.c — `tshoot graph`: the flow as Graphviz dot (render with `dot -Tsvg`).
 * Shapes say the node type; end nodes are green (resolved) or red and dashed
 * (escalate); edges carry the answer, outcome pattern, signature or fixed/not fixed. */
#include "src/lint.h"

#include <stdlib.h>
#include <string.h>

#include "src/flow_graph.h"
#include "src/util.h"

#define GRAPH_LABEL_COLS 40

/* s inside a dot double-quoted string: quotes and backslashes escaped, control
 * characters and newlines turned into spaces; cut to cols columns (0 = no cut). */
static void put_escaped(FILE *out, const char *s, size_t cols)
{
	char *clean = str_clean_flat_dup(s);
	size_t n = strlen(clean);
	bool cut = false;
	if (cols && utf8_width(clean) > cols) {
		n = utf8_prefix_for_width(clean, cols - 1);
		while (n > 0 && clean[n - 1] == ' ')
			n--;
		cut = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (clean[i] == '"' || clean[i] == '\\')
			fputc('\\', out);
		fputc(clean[i], out);
	}
	if (cut)
		fputs("\xe2\x80\xa6", out);   /* … */
	free(clean);
}

/* A dot double-quoted string (put_escaped). */
static void put_quoted(FILE *out, const char *s, size_t cols)
{
	fputc('"', out);
	put_escaped(out, s, cols);
	fputc('"', out);
}

/* ---- the heat map: how often recorded walks passed (tshoot graph --heat) */

#define HEAT_NODE_PEN 3.0            /* extra pen width of the most walked node */
#define HEAT_EDGE_PEN 6.0            /* extra pen width of the most taken edge */

/* The colour of frac (0..1 of the most): pale yellow to deep red. */
static void heat_colour(char buf[8], double frac)
{
	static const int lo[3] = {255, 240, 180}, hi[3] = {200, 40, 30};
	int c[3];
	for (int k = 0; k < 3; k++)
		c[k] = lo[k] + (int)((hi[k] - lo[k]) * frac + (hi[k] > lo[k] ? 0.5 : -0.5));
	snprintf(buf, 8, "#%02x%02x%02x", c[0] & 0xff, c[1] & 0xff, c[2] & 0xff);
}

static size_t max_of(const size_t *v, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

static const char *shape_of(enum node_type t)
{
	switch (t) {
	case NODE_INFO: return "box";
	case NODE_QUESTION: return "diamond";
	case NODE_INPUT: return "parallelogram";
	case NODE_CHECK: return "box3d";
	case NODE_CLASSIFY: return "trapezium";
	case NODE_STEPS: return "note";
	case NODE_END: return "doubleoctagon";
	case NODE_BRANCH: return "hexagon";
	case NODE_FLOW: return "component";
	case NODE_RETURN: return "cds";
	}
	return "box";
}

/* An edge; with heat, pass is how often it was taken and max the most any edge was. */
static void edge(FILE *out, const struct flow_node *from, const struct flow_edge *e,
		 const struct graph_heat *heat, size_t pass, size_t max)
{
	char *ph = NULL;
	if (e->to < 0) {
		/* a reference lint reports: drawn to a red placeholder */
		ph = xasprintf("missing:%s", e->ref->id);
		fputs("  ", out);
		put_quoted(out, ph, 0);
		fputs(" [shape=plaintext, fontcolor=red, label=", out);
		put_quoted(out, e->ref->id, GRAPH_LABEL_COLS);
		fputs("];\n", out);
	}
	fputs("  ", out);
	put_quoted(out, from->id, 0);
	fputs(" -> ", out);
	put_quoted(out, ph ? ph : e->ref->id, 0);
	free(ph);
	if (heat) {
		/* colour, pen width and the count: never the colour alone */
		fputs(" [label=\"", out);
		if (e->label) {
			put_escaped(out, e->label, GRAPH_LABEL_COLS);
			fputs(" ", out);
		}
		fprintf(out, "(%zu)\"", pass);
		if (pass) {
			char col[8];
			double frac = max ? (double)pass / (double)max : 0;
			heat_colour(col, frac);
			fprintf(out, ", color=\"%s\", penwidth=%.2f", col, 1.0 + HEAT_EDGE_PEN * frac);
		} else {
			fputs(", style=dashed, color=\"#aaaaaa\", fontcolor=\"#888888\", penwidth=0.60", out);
		}
		fputs("]", out);
	} else if (e->label) {
		fputs(" [label=", out);
		put_quoted(out, e->label, GRAPH_LABEL_COLS);
		fputs("]", out);
	}
	fputs(";\n", out);
}

/* A node with heat: its label says how many walks reached it (or that none did), its
 * fill and pen width say it too. */
static void node_heat(FILE *out, const struct flow *f, const struct flow_node *n, const struct graph_heat *h)
{
	size_t i = (size_t)(n - f->nodes), walks = h->node_walks[i];
	size_t max = max_of(h->node_walks, f->nnodes);
	fputs("\"", out);
	put_escaped(out, n->title ? n->title : n->id, GRAPH_LABEL_COLS);
	if (walks) {
		char col[8];
		double frac = max ? (double)walks / (double)max : 0;
		heat_colour(col, frac);
		fprintf(out, "\\n%zu walk%s\", style=\"filled,bold\", fillcolor=\"%s\", penwidth=%.2f%s", walks,
			walks == 1 ? "" : "s", col, 1.0 + HEAT_NODE_PEN * frac, frac > 0.6 ? ", fontcolor=white" : "");
	} else {
		fputs("\\nnever visited\", style=\"filled,dashed\", fillcolor=\"#f2f2f2\", color=\"#999999\", "
		      "fontcolor=\"#777777\"", out);
	}
	if (n->type == NODE_END)
		fprintf(out, ", tooltip=\"%s\"", n->result == END_RESOLVED ? "resolved" : "escalate");
	fputs("];\n", out);
}

static void node_line(FILE *out, const struct flow *f, const struct flow_node *n, const char *indent,
		      const struct graph_heat *heat)
{
	fputs(indent, out);
	put_quoted(out, n->id, 0);
	fprintf(out, " [shape=%s, label=", shape_of(n->type));
	if (heat) {
		node_heat(out, f, n, heat);
		return;
	}
	put_quoted(out, n->title ? n->title : n->id, GRAPH_LABEL_COLS);
	if (n->type == NODE_END && n->result == END_RESOLVED)
		fputs(", style=\"filled,bold\", fillcolor=\"#c8f0c8\", tooltip=\"resolved\"", out);
	else if (n->type == NODE_END)
		fputs(", style=\"filled,dashed\", fillcolor=\"#f6c8c8\", tooltip=\"escalate\"", out);
	else if (n->type == NODE_CHECK)
		fputs(", style=filled, fillcolor=\"#e0e8ff\"", out);
	else if (n->type == NODE_RETURN)
		fprintf(out, ", tooltip=\"returns %s\"", n->ret ? n->ret : n->result == END_RESOLVED ? "resolved" : "escalate");
	fputs("];\n", out);
}

/* The nodes of scope sc (an unlinked flow: all of them), then a cluster for each call
 * made from it, labelled with the flow it runs. Depth is bounded by FLOW_MAX_CALL_DEPTH. */
static void write_scope(FILE *out, const struct flow *f, int sc, const char *indent,
			const struct graph_heat *heat)
{
	for (size_t i = 0; i < f->nnodes; i++)
		if (f->nodes[i].scope == sc)
			node_line(out, f, &f->nodes[i], indent, heat);
	for (size_t k = 1; k < f->nscopes; k++) {
		if (f->scopes[k].parent != sc)
			continue;
		char *in2 = xasprintf("%s  ", indent);
		fprintf(out, "%ssubgraph \"cluster_%zu\" {\n%s  style=rounded; color=\"#8080c0\"; label=", indent, k, indent);
		char *lab = xasprintf("%s (%s)", f->scopes[k].title ? f->scopes[k].title : f->scopes[k].flow_id,
				      f->scopes[k].flow_id);
		put_quoted(out, lab, 80);
		free(lab);
		fputs(";\n", out);
		write_scope(out, f, (int)k, in2, heat);
		fprintf(out, "%s}\n", indent);
		free(in2);
	}
}

void graph_write(const struct flow *f, FILE *out)
{
	graph_write_heat(f, NULL, out);
}

void graph_write_heat(const struct flow *f, const struct graph_heat *heat, FILE *out)
{
	fputs("digraph ", out);
	put_quoted(out, f->id ? f->id : "flow", 0);
	fputs(" {\n  graph [rankdir=TB, labelloc=t, fontname=\"Helvetica\", label=\"", out);
	put_escaped(out, f->title ? f->title : f->id, 80);
	if (heat)
		fprintf(out, "\\nheat map of %zu walk%s: fill, pen width and (count) say how often each node and "
			"edge was passed; dashed: never", heat->walks, heat->walks == 1 ? "" : "s");
	fputs("\"];\n  node [fontname=\"Helvetica\", fontsize=10];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=9];\n", out);
	if (f->start.id) {
		fputs("  \"start:\" [shape=point, width=0.15];\n  \"start:\" -> ", out);
		put_quoted(out, f->start.id, 0);
		fputs(";\n", out);
	}
	/* the flow's own nodes, then one cluster per sub-flow call (nested in its caller's) */
	write_scope(out, f, 0, "  ", heat);
	size_t k = 0, nedges = 0, max = 0;
	for (size_t i = 0; heat && i < f->nnodes; i++) {
		struct flow_edge e;
		for (size_t c = 0; flow_edge_next(f, &f->nodes[i], &c, &e);)
			nedges++;
	}
	if (heat)
		max = max_of(heat->edge_pass, nedges);
	for (size_t i = 0; i < f->nnodes; i++) {
		const struct flow_node *n = &f->nodes[i];
		struct flow_edge e;
		for (size_t c = 0; flow_edge_next(f, n, &c, &e); k++)
			edge(out, n, &e, heat, heat ? heat->edge_pass[k] : 0, max);
	}
	fputs("}\n", out);
}
