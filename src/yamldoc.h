/* yamldoc.h — small YAML files (answers, scenarios) as libyaml documents: loading with
 * the flow file limits and file:line:col errors, and node accessors with positions.
 * (Flow files have their own event-based loader in flow_load.c.) */
#ifndef TSHOOT_YAMLDOC_H
#define TSHOOT_YAMLDOC_H

#include <stdbool.h>
#include <yaml.h>

#include "src/diag.h"
#include "src/flow.h"

/* Read path (at most FLOW_MAX_FILE_BYTES; nesting at most FLOW_MAX_DEPTH, refused while
 * parsing) and parse its first document into *doc
 * (yaml_document_delete when true). false on any error, with a diagnostic in d
 * unless d is NULL. */
bool yamldoc_load(const char *path, yaml_document_t *doc, struct diags *d);

/* A scalar node's text (borrowed), or NULL for NULL or any other kind of node. */
const char *yamldoc_scalar0(const yaml_node_t *n);

/* Where n starts, 1-based; {0, 0} for NULL. */
struct flow_pos yamldoc_pos(const yaml_node_t *n);

/* An error at n (no position for NULL) in path. */
void yamldoc_err(struct diags *d, const char *path, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
