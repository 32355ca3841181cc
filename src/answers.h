/* answers.h — answer files: replay a walk with no terminal, keyed by node id.
 *
 *   flow: sccm-sus-sync
 *   answers:
 *     remote-sup: "Yes"            # question: the label (or its 1-based number)
 *     target: {wsus_host: wsus01.contoso.com, wsus_port: "8530"}   # input
 *     paste-error: "The request failed with HTTP status 407"      # classify
 *     auth-proxy: fixed            # steps: fixed | not fixed
 *     retest: [not fixed, fixed]   # a list: one answer per visit, in order; the last
 *                                  # is used again once the list runs out
 */
#ifndef TSHOOT_ANSWERS_H
#define TSHOOT_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "src/diag.h"

struct answers;
struct answers *answers_load(const char *path, struct diags *d);
void answers_free(struct answers *a);
/* The answer for a question, classify or steps node, or NULL. */
const char *answers_get0(const struct answers *a, const char *node_id);
/* The value for var at an input node, or NULL. */
const char *answers_var0(const struct answers *a, const char *node_id, const char *var);
/* The same for the visit-th time the walk is at the node (1-based; 0 counts as 1). */
const char *answers_get_at0(const struct answers *a, const char *node_id, size_t visit);
const char *answers_var_at0(const struct answers *a, const char *node_id, const char *var,
			    size_t visit);
bool answers_has(const struct answers *a, const char *node_id);
/* The file's `flow:` (an id or path) or NULL when not given. */
const char *answers_flow0(const struct answers *a);

#endif
