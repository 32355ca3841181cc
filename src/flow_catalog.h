/* flow_catalog.h — where flows and training scenarios are found: the flow directories,
 * a FLOW argument (a path or an id), the flow a scenario names, and the lists `tshoot
 * list`, the chooser and `tshoot check log` show. The one owner of these rules
 * (tshoot(1), FLOW and FILES; tshoot-flow(5), SCENARIOS): nothing else opens a flow
 * directory or builds a flow's path. */
#ifndef TSHOOT_FLOW_CATALOG_H
#define TSHOOT_FLOW_CATALOG_H

#include <stddef.h>

/* Where installed flows live (the Makefile sets it from PREFIX). */
#ifndef TSHOOT_DATADIR
#define TSHOOT_DATADIR "/usr/local/share/tshoot"
#endif

/* The flow directories in words, for messages: "./flows, $XDG_DATA_HOME/tshoot/flows,
 * /usr/local/share/tshoot/flows". */
#define FLOW_DIRS_TEXT "./flows, $XDG_DATA_HOME/tshoot/flows, " TSHOOT_DATADIR "/flows"

/* The flow used without a terminal to ask on when several are installed. */
#define FLOW_DEFAULT_ID "sccm-sus-sync"

/* The flow directories in search order: ./flows, $XDG_DATA_HOME/tshoot/flows
 * (~/.local/share when unset), TSHOOT_DATADIR/flows. Fills dirs (each newly allocated)
 * and returns the count (at most max). */
size_t flow_search_dirs(char **dirs, size_t max);

/* Find a flow by path or id: a path that exists is used as is; otherwise an id (with or
 * without .yaml, never with a '/') is ./flows/ID.yaml, $XDG_DATA_HOME/tshoot/flows/ID.yaml
 * (~/.local/share when unset), TSHOOT_DATADIR/flows/ID.yaml, the first that exists.
 * Returns a new string or NULL. */
char *flow_find(const char *path_or_id);

/* The flow a training scenario at scenario_path names (its `flow:`): an absolute path
 * as is; a relative path, or an id as ID.yaml, next to the scenario's directory (flows/
 * for flows/training/x.yaml), then in it; then as flow_find finds it. A new path, or
 * NULL when there is no such file. */
char *flow_find_for_scenario(const char *scenario_path, const char *flow);

/* The flow a sub-flow call names (tshoot-flow(5), SUB-FLOWS): an absolute path as is; a
 * relative path (it has a '/' or ends in .yaml) next to the calling file; an id as
 * ID.yaml next to the calling file, else in the flow directories (as flow_find, but
 * never the current directory's files). A new path, or NULL when there is none. */
char *flow_find_for_call(const char *caller_path, const char *callee);

struct flow_entry {
	char *id, *title, *path;
	char *flow;                  /* scenarios: the id (file name) of the flow it trains on */
};

/* The *.yaml files of dir, sorted, as paths (none when dir is missing). */
char **flow_yaml_files(const char *dir, size_t *n_out);
/* Every flow found in the flow directories (the first of each id wins); a file that
 * does not load is listed by its file name. Scenario files there are left out. */
struct flow_entry *flow_catalog(size_t *n_out);
/* Every training scenario found in the training/ subdirectory of each flow directory,
 * in directory order; one that does not load is listed by its file name. */
struct flow_entry *flow_scenario_catalog(size_t *n_out);
void flow_entries_free(struct flow_entry *v, size_t n);
/* The flow used when none is named and nobody is asked: the only one there is, else
 * FLOW_DEFAULT_ID when installed. NULL when there is no such flow. */
const struct flow_entry *flow_default(const struct flow_entry *v, size_t n);

#endif
