/* flow_catalog.c — where flows and training scenarios are found (flow_catalog.h). */
#include "src/flow_catalog.h"

#include <dirent.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/flow_lang.h"
#include "src/scenario.h"
#include "src/util.h"

/* ---- the flow directories */

size_t flow_search_dirs(char **dirs, size_t max)
{
	size_t n = 0;
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (n < max)
		dirs[n++] = xstrdup("flows");
	if (n < max && xdg && *xdg)
		dirs[n++] = xasprintf("%s/tshoot/flows", xdg);
	else if (n < max && home && *home)
		dirs[n++] = xasprintf("%s/.local/share/tshoot/flows", home);
	if (n < max)
		dirs[n++] = xstrdup(TSHOOT_DATADIR "/flows");
	return n;
}

/* p when it is a regular file, else NULL (p freed). */
static char *file_or_null(char *p)
{
	if (path_is_file(p))
		return p;
	free(p);
	return NULL;
}

char *flow_find(const char *path_or_id)
{
	if (!path_or_id || !*path_or_id)
		return NULL;
	if (path_is_file(path_or_id))
		return xstrdup(path_or_id);
	/* Not an existing file: an id ("sccm-sus-sync" or "sccm-sus-sync.yaml"), never a
	 * path, so it cannot climb out of the flow directories. */
	if (strchr(path_or_id, '/'))
		return NULL;
	size_t n = strlen(path_or_id);
	if (str_ends_with(path_or_id, ".yaml"))
		n -= 5;
	char *id = xstrndup(path_or_id, n);
	if (!*id || !strcmp(id, ".") || !strcmp(id, "..")) {
		free(id);
		return NULL;
	}
	char *dirs[4];
	size_t nd = flow_search_dirs(dirs, ARRAY_LEN(dirs));
	char *found = NULL;
	for (size_t i = 0; i < nd; i++) {
		if (!found && *dirs[i])
			found = file_or_null(xasprintf("%s/%s.yaml", dirs[i], id));
		free(dirs[i]);
	}
	free(id);
	return found;
}

/* The directory of path, and the one it stands in ("flows/training/x.yaml": "flows/
 * training" and "flows"; "x.yaml": "." and ".."). Both newly allocated. */
static void dir_and_parent(const char *path, char **dir, char **parent)
{
	char *tmp = xstrdup(path);
	*dir = xstrdup(dirname(tmp));
	free(tmp);
	const char *base = strrchr(*dir, '/');
	base = base ? base + 1 : *dir;
	if (!strcmp(base, ".") || !strcmp(base, "..")) {
		*parent = xasprintf("%s/..", *dir);
		return;
	}
	tmp = xstrdup(*dir);
	*parent = xstrdup(dirname(tmp));
	free(tmp);
}

char *flow_find_for_scenario(const char *scenario_path, const char *flow)
{
	if (!flow || !*flow)
		return NULL;
	if (flow[0] == '/')
		return path_is_file(flow) ? xstrdup(flow) : NULL;
	char *dir, *parent;
	dir_and_parent(scenario_path && *scenario_path ? scenario_path : "./x", &dir, &parent);
	const char *bases[] = {parent, dir};
	bool is_id = !strchr(flow, '/') && !str_ends_with(flow, ".yaml");
	char *found = NULL;
	for (size_t b = 0; b < ARRAY_LEN(bases) && !found; b++) {
		found = file_or_null(xasprintf("%s/%s", bases[b], flow));
		if (!found && is_id)
			found = file_or_null(xasprintf("%s/%s.yaml", bases[b], flow));
	}
	free(dir);
	free(parent);
	return found ? found : flow_find(flow);
}

char *flow_find_for_call(const char *caller_path, const char *callee)
{
	if (!callee || !*callee)
		return NULL;
	if (callee[0] == '/')
		return path_is_file(callee) ? xstrdup(callee) : NULL;
	char *dir, *parent;
	dir_and_parent(caller_path && *caller_path ? caller_path : "./x", &dir, &parent);
	free(parent);
	bool is_id = !strchr(callee, '/') && !str_ends_with(callee, ".yaml");
	char *found = file_or_null(xasprintf("%s/%s%s", dir, callee, is_id ? ".yaml" : ""));
	free(dir);
	if (found || !is_id)
		return found;
	/* an id, not next to the caller: an installed flow (never a path from here on) */
	char *dirs[4];
	size_t nd = flow_search_dirs(dirs, ARRAY_LEN(dirs));
	for (size_t i = 0; i < nd; i++) {
		if (!found && *dirs[i])
			found = file_or_null(xasprintf("%s/%s.yaml", dirs[i], callee));
		free(dirs[i]);
	}
	return found;
}

/* ---- the lists */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **flow_yaml_files(const char *dir, size_t *n_out)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || !str_ends_with(de->d_name, ".yaml"))
				continue;
			char *path = xasprintf("%s/%s", dir, de->d_name);
			if (!path_is_file(path)) {
				free(path);
				continue;
			}
			VEC_PUSH(v, n, cap);
			v[n++] = path;
		}
		closedir(d);
	}
	if (n)
		qsort(v, n, sizeof(*v), name_cmp);
	*n_out = n;
	return v;
}

void flow_entries_free(struct flow_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].title);
		free(v[i].path);
		free(v[i].flow);
	}
	free(v);
}

/* The id a flow file's name gives (as flow_find reads an id): its name without
 * ".yaml". */
static char *file_id(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	return xstrndup(base, str_ends_with(base, ".yaml") ? n - 5 : n);
}

struct flow_entry *flow_catalog(size_t *n_out)
{
	char *dirs[4];
	size_t nd = flow_search_dirs(dirs, ARRAY_LEN(dirs));
	struct flow_entry *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t k = 0; k < nd; k++) {
		size_t nf;
		char **files = flow_yaml_files(dirs[k], &nf);
		for (size_t i = 0; i < nf; i++) {
			char *of = lang_translation_flow(files[i]);
			free(of);
			if (of)
				continue;        /* a flow's translation file (flow_lang.h) */
			struct diags d = {0};
			bool is_scenario = false;
			struct flow *f = flow_load_file_or_scenario(files[i], &d, &is_scenario);
			diags_clear(&d);
			if (is_scenario)
				continue;
			char *id = f && f->id ? xstrdup(f->id) : NULL;
			if (!id)
				id = file_id(files[i]);   /* does not load: listed by its file name */
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				if (!strcmp(v[j].id, id))
					dup = true;
			if (!dup) {
				VEC_PUSH(v, n, cap);
				v[n].id = id;
				v[n].title = f ? xstrdup(f->title ? f->title : "") : xstrdup("(does not load: see 'tshoot lint')");
				v[n].path = xstrdup(files[i]);
				v[n].flow = NULL;
				n++;
			} else {
				free(id);
			}
			flow_free(f);
		}
		strv_free(files, nf);
		free(dirs[k]);
	}
	*n_out = n;
	return v;
}

struct flow_entry *flow_scenario_catalog(size_t *n_out)
{
	char *dirs[4];
	size_t nd = flow_search_dirs(dirs, ARRAY_LEN(dirs));
	struct flow_entry *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t k = 0; k < nd; k++) {
		char *tdir = xasprintf("%s/training", dirs[k]);
		size_t nf;
		char **files = flow_yaml_files(tdir, &nf);
		for (size_t i = 0; i < nf; i++) {
			struct diags d = {0};
			struct scenario *sc = scenario_load(files[i], &d);
			diags_clear(&d);
			VEC_PUSH(v, n, cap);
			struct flow_entry *en = &v[n++];
			en->path = xstrdup(files[i]);
			if (sc) {
				en->id = xstrdup(sc->id ? sc->id : "?");
				en->title = xstrdup(sc->title ? sc->title : "");
				/* the flow by its file's name: scenario_load made it a path */
				en->flow = file_id(sc->flow ? sc->flow : "?");
			} else {
				en->id = file_id(files[i]);
				en->title = xstrdup("(does not load: see 'tshoot lint')");
				en->flow = NULL;
			}
			scenario_free(sc);
		}
		strv_free(files, nf);
		free(tdir);
		free(dirs[k]);
	}
	*n_out = n;
	return v;
}

const struct flow_entry *flow_default(const struct flow_entry *v, size_t n)
{
	if (n == 1)
		return &v[0];
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, FLOW_DEFAULT_ID))
			return &v[i];
	return NULL;
}
