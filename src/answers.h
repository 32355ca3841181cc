/* answers.h — answer files: replay a walk with no terminal, keyed by node id.
 *
 *   flow: sccm-sus-sync
 *   answers:
 *     remote-sup: "Yes"            # question: the label (or its 1-based number)
 *     target: {wsus_host: wsus01.contoso.com, wsus_port: "8530"}   # input
 *     paste-error: "The request failed with HTTP status 407"      # classify
 *     auth-proxy: fixed            # steps: fixed | not fixed
 */
#ifndef TSHOOT_ANSWERS_H
#define TSHOOT_ANSWERS_H

#include <stdbool.h>

#include "src/diag.h"

struct answers;
struct answers *answers_load(const char *path, struct diags *d);
void answers_free(struct answers *a);
/* The answer for a question, classify or steps node, or NULL. */
const char *answers_get0(const struct answers *a, const char *node_id);
/* The value for var at an input node, or NULL. */
const char *answers_var0(const struct answers *a, const char *node_id, const char *var);
bool answers_has(const struct answers *a, const char *node_id);
/* The file's `flow:` (an id or path) or NULL when not given. */
const char *answers_flow0(const struct answers *a);

#endif
