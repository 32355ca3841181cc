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

#endif
