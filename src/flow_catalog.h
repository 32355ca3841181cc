/* flow_catalog.h — the flows installed in the flow directories (flow_search_dirs),
 * and which one is used when none is named. */
#ifndef TSHOOT_FLOW_CATALOG_H
#define TSHOOT_FLOW_CATALOG_H

#include <stddef.h>

/* The flow used without a terminal to ask on when several are installed. */
#define FLOW_DEFAULT_ID "sccm-sus-sync"

struct flow_entry {
	char *id, *title, *path;
};

/* The *.yaml and *.yml files of dir, sorted, as paths (none when dir is missing). */
char **flow_yaml_files(const char *dir, size_t *n_out);
/* Every flow found (the first of each id wins, as flow_find would pick it); a file
 * that does not load is listed by its file name. */
struct flow_entry *flow_catalog(size_t *n_out);
void flow_entries_free(struct flow_entry *v, size_t n);
/* The flow used when none is named and nobody is asked: the only one there is, else
 * FLOW_DEFAULT_ID when installed. NULL when there is no such flow. */
const struct flow_entry *flow_default(const struct flow_entry *v, size_t n);

#endif
