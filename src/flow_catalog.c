/* flow_catalog.c — the flows installed in the flow directories. */
#include "src/flow_catalog.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/util.h"

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
			if (de->d_name[0] == '.' || !(str_ends_with(de->d_name, ".yaml") || str_ends_with(de->d_name, ".yml")))
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

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void flow_entries_free(struct flow_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].title);
		free(v[i].path);
	}
	free(v);
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
			struct diags d = {0};
			bool is_scenario = false;
			struct flow *f = flow_load_file_or_scenario(files[i], &d, &is_scenario);
			diags_free(&d);
			if (is_scenario)
				continue;
			char *id = f && f->id ? xstrdup(f->id) : NULL;
			if (!id) {
				/* does not load: still list it, by its file name, so it is not lost */
				const char *base = strrchr(files[i], '/');
				base = base ? base + 1 : files[i];
				id = xstrndup(base, strcspn(base, "."));
			}
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				if (!strcmp(v[j].id, id))
					dup = true;
			if (!dup) {
				VEC_PUSH(v, n, cap);
				v[n].id = id;
				v[n].title = f ? xstrdup(f->title ? f->title : "") : xstrdup("(does not load: see 'tshoot lint')");
				v[n].path = xstrdup(files[i]);
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

const struct flow_entry *flow_default(const struct flow_entry *v, size_t n)
{
	if (n == 1)
		return &v[0];
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, FLOW_DEFAULT_ID))
			return &v[i];
	return NULL;
}
