/* stats.c — counting recorded walks per flow (src/stats.h). Journals are read by
 * session_scan and JSON reports by report_json_scan, as walk events: this file never
 * parses either. The flow of each walk is loaded once (linked, as a walk runs it), so
 * node ids are matched to the flow as it is now and edges are the flow_edge_next ones. */
#include "src/stats.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "src/diag.h"
#include "src/flow_catalog.h"
#include "src/flow_graph.h"
#include "src/flow_link.h"
#include "src/report.h"
#include "src/session.h"
#include "src/util.h"

/* ---- tallies */

static void tally_add(struct stats_tally **v, size_t *n, size_t *cap, const char *key, const char *key2)
{
	for (size_t i = 0; i < *n; i++)
		if (str_eq((*v)[i].key, key) && str_eq((*v)[i].key2, key2)) {
			(*v)[i].n++;
			return;
		}
	VEC_PUSH(*v, *n, *cap);
	(*v)[(*n)++] = (struct stats_tally){.key = xstrdup(key), .key2 = key2 ? xstrdup(key2) : NULL, .n = 1};
}

static void tally_free(struct stats_tally *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].key2);
	}
	free(v);
}

/* Most first; names break ties. */
static int tally_cmp(const void *a, const void *b)
{
	const struct stats_tally *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->key2 ? x->key2 : "", y->key2 ? y->key2 : "");
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* ---- the session ids counted: an open-addressing set */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Add id to the set; false when it was there. */
static bool seen_add(struct stats *s, const char *id)
{
	if ((s->nseen + 1) * 2 > s->seen_cap) {
		size_t cap = s->seen_cap ? s->seen_cap * 2 : 256;
		char **v = xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < s->seen_cap; i++) {
			if (!s->seen[i])
				continue;
			size_t k = hash_str(s->seen[i]) & (cap - 1);
			while (v[k])
				k = (k + 1) & (cap - 1);
			v[k] = s->seen[i];
		}
		free(s->seen);
		s->seen = v;
		s->seen_cap = cap;
	}
	size_t k = hash_str(id) & (s->seen_cap - 1);
	while (s->seen[k]) {
		if (!strcmp(s->seen[k], id))
			return false;
		k = (k + 1) & (s->seen_cap - 1);
	}
	s->seen[k] = xstrdup(id);
	s->nseen++;
	return true;
}

/* ---- flows */

/* Load the flow at path, linked as a walk runs it (unlinked when its sub-flows do not
 * link: then the calls' nodes are unknown). NULL with *why. */
static struct flow *load_flow(const char *path, char **why)
{
	struct diags d = {0};
	struct flow *f = flow_load_file(path, &d);
	if (f && flow_link(f, &d) != 0) {
		flow_free(f);
		diags_clear(&d);
		f = flow_load_file(path, &d);
	}
	if (!f)
		*why = xasprintf("%s does not load (tshoot lint %s)", path, path);
	diags_clear(&d);
	return f;
}

static void flow_counts_init(struct stats_flow *sf)
{
	const struct flow *f = sf->f;
	sf->node_walks = xcalloc(f->nnodes + 1, sizeof *sf->node_walks);
	sf->stamp = xcalloc(f->nnodes + 1, sizeof *sf->stamp);
	sf->edge_off = xcalloc(f->nnodes + 1, sizeof *sf->edge_off);
	size_t ne = 0;
	for (size_t i = 0; i < f->nnodes; i++) {
		sf->edge_off[i] = ne;
		struct flow_edge e;
		for (size_t c = 0; flow_edge_next(f, &f->nodes[i], &c, &e);)
			ne++;
	}
	sf->edge_off[f->nnodes] = ne;
	sf->edge_pass = xcalloc(ne + 1, sizeof *sf->edge_pass);
}

static struct stats_flow *flow_group(struct stats *s, const char *id)
{
	for (size_t i = 0; i < s->nflows; i++)
		if (str_eq(s->flows[i].id, id))
			return &s->flows[i];
	return NULL;
}

static struct stats_flow *flow_group_new(struct stats *s, const char *id, struct flow *f)
{
	VEC_PUSH(s->flows, s->nflows, s->cflows);
	struct stats_flow *sf = &s->flows[s->nflows++];
	memset(sf, 0, sizeof *sf);
	sf->id = xstrdup(id);
	sf->f = f;
	if (f)
		flow_counts_init(sf);
	return sf;
}

void stats_set_flow(struct stats *s, struct flow *f)
{
	flow_group_new(s, f->id ? f->id : "", f);
}

/* The group of flow id, made (and its flow loaded) on its first walk: the flow file
 * the walk recorded when it is still there, else the installed flow with that id. */
static struct stats_flow *flow_group_get(struct stats *s, const char *id, const char *path)
{
	struct stats_flow *sf = flow_group(s, id);
	if (sf)
		return sf;
	char *p = path && path_is_file(path) ? xstrdup(path) : flow_find(id);
	char *why = NULL;
	struct flow *f = NULL;
	if (!p) {
		why = xasprintf("no flow '%s' installed (see 'tshoot list')", id);
	} else {
		f = load_flow(p, &why);
		if (f && !str_eq(f->id, id)) {
			why = xasprintf("%s is now flow '%s', not '%s'", p, f->id ? f->id : "?", id);
			flow_free(f);
			f = NULL;
			free(p);
			p = flow_find(id);   /* the installed one, when there is one */
			if (p) {
				free(why);
				why = NULL;
				f = load_flow(p, &why);
			}
		}
	}
	free(p);
	sf = flow_group_new(s, id, f);
	sf->why_no_flow = why;
	return sf;
}

/* ---- one walk */

struct walk_reader {
	struct stats *s;
	struct stats_flow *sf;       /* NULL until the start event, or when skipped */
	bool from_report;
	bool skip;                   /* filtered out (since, flow) */
	bool unknown;                /* met a node id the flow does not have */
	long long started, ended_at;
	bool ended;
	char *end_node, *result;
	char **stack;                /* the nodes walked, popped by back (as resume does) */
	size_t depth, scap;
};

/* The node index of id in the group's flow; -1 (and the walk marked) when unknown. */
static int node_of(struct walk_reader *r, const char *id)
{
	struct stats_flow *sf = r->sf;
	if (!id || !sf->f)
		return -1;
	int i = flow_node_index(sf->f, id);
	if (i < 0) {
		r->unknown = true;
		tally_add(&sf->unknown, &sf->nunknown, &sf->cunknown, id, NULL);
	}
	return i;
}

/* Node i reached by this walk: counted once per walk. */
static void visit(struct walk_reader *r, int i)
{
	struct stats_flow *sf = r->sf;
	if (i < 0 || sf->stamp[i] == r->s->serial)
		return;
	sf->stamp[i] = r->s->serial;
	sf->node_walks[i]++;
}

/* The edge a step took from node from to node to: a question's answer by its index
 * (or label), a steps node's fixed/not fixed/cannot, else the first edge leading there. */
static void take_edge(struct walk_reader *r, int from, int to, const struct walk_event *ev)
{
	struct stats_flow *sf = r->sf;
	if (from < 0 || to < 0)
		return;
	const struct flow *f = sf->f;
	const struct flow_node *n = &f->nodes[from];
	struct flow_edge e;
	size_t k = sf->edge_off[from], first = SIZE_MAX, best = SIZE_MAX;
	for (size_t c = 0; flow_edge_next(f, n, &c, &e); k++) {
		if (e.to != to)
			continue;
		if (first == SIZE_MAX)
			first = k;
		bool exact = false;
		if (e.kind == FLOW_EDGE_ANSWER)
			exact = ev->answer >= 0 ? e.index == (size_t)ev->answer : str_eq(e.label, ev->label);
		else if (e.kind == FLOW_EDGE_FIXED)
			exact = ev->fixed;
		else if (e.kind == FLOW_EDGE_CANNOT)
			exact = ev->cannot;
		else if (e.kind == FLOW_EDGE_NOT_FIXED)
			exact = !ev->fixed && !ev->cannot;
		if (exact && best == SIZE_MAX)
			best = k;
	}
	if (best == SIZE_MAX)
		best = first;
	if (best != SIZE_MAX)
		sf->edge_pass[best]++;
}

static void push(struct walk_reader *r, const char *id)
{
	VEC_PUSH(r->stack, r->depth, r->scap);
	r->stack[r->depth++] = xstrdup(id);
}

static int walk_start(struct walk_reader *r, const struct walk_event *ev)
{
	struct stats *s = r->s;
	const char *id = ev->flow_id ? ev->flow_id : "?";
	if (s->flow_id && !str_eq(s->flow_id, id)) {
		s->skipped_flow++;
		r->skip = true;
		return 1;
	}
	if (r->from_report && ev->session_id && !seen_add(s, ev->session_id)) {
		s->duplicates++;
		r->skip = true;
		return 1;
	}
	if (s->since && ev->time < s->since) {
		s->skipped_since++;
		r->skip = true;
		return 1;
	}
	r->sf = flow_group_get(s, id, ev->flow_path);
	r->started = ev->time;
	s->serial++;
	struct stats_flow *sf = r->sf;
	if (!r->from_report && (ev->version < SESSION_JOURNAL_VERSION || !ev->tshoot_version))
		sf->older++;
	if (sf->f && !str_eq(ev->flow_version, sf->f->version))
		sf->other_version++;
	if (ev->start) {
		push(r, ev->start);
		visit(r, node_of(r, ev->start));
	}
	return 0;
}

static int walk_event(const struct walk_event *ev, void *ctx)
{
	struct walk_reader *r = ctx;
	if (str_eq(ev->ev, "start"))
		return walk_start(r, ev);
	struct stats_flow *sf = r->sf;
	if (!sf)
		return 0;
	if (str_eq(ev->ev, "step")) {
		int from = node_of(r, ev->node), to = node_of(r, ev->next);
		visit(r, from);
		visit(r, to);
		take_edge(r, from, to, ev);
		if (ev->outcome && str_eq(ev->kind, "checks") && ev->node)
			tally_add(&sf->outcomes, &sf->noutcomes, &sf->coutcomes, ev->node, ev->outcome);
		if (ev->next)
			push(r, ev->next);
		r->ended = false;
	} else if (str_eq(ev->ev, "back")) {
		if (r->depth > 0)
			tally_add(&sf->backs, &sf->nbacks, &sf->cbacks, r->stack[r->depth - 1], NULL);
		if (r->depth > 1)
			free(r->stack[--r->depth]);
		r->ended = false;
	} else if (str_eq(ev->ev, "restart")) {
		while (r->depth > 1)
			free(r->stack[--r->depth]);
		r->ended = false;
	} else if (str_eq(ev->ev, "end")) {
		visit(r, node_of(r, ev->node));
		r->ended = ev->node != NULL;
		free(r->end_node);
		free(r->result);
		r->end_node = ev->node ? xstrdup(ev->node) : NULL;
		r->result = ev->result ? xstrdup(ev->result) : NULL;
		r->ended_at = ev->time;
	} else if (str_eq(ev->ev, "resume")) {
		r->ended = false;
	}
	return 0;
}

/* The walk read: how it ended. */
static void walk_commit(struct walk_reader *r, size_t bad)
{
	struct stats_flow *sf = r->sf;
	sf->walks++;
	if (r->started && (!sf->first || r->started < sf->first))
		sf->first = r->started;
	if (r->started > sf->last)
		sf->last = r->started;
	if (bad)
		sf->truncated++;
	if (r->unknown)
		sf->changed++;
	if (!r->ended) {
		sf->abandoned++;
		return;
	}
	if (str_eq(r->result, "resolved"))
		sf->resolved++;
	else
		sf->escalated++;
	tally_add(&sf->ends, &sf->nends, &sf->cends, r->end_node, NULL);
	if (r->started > 0 && r->ended_at >= r->started) {
		VEC_PUSH(sf->durations, sf->ndurations, sf->cdurations);
		sf->durations[sf->ndurations++] = r->ended_at - r->started;
	}
}

static void walk_reader_clear(struct walk_reader *r)
{
	for (size_t i = 0; i < r->depth; i++)
		free(r->stack[i]);
	free(r->stack);
	free(r->end_node);
	free(r->result);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), k = strlen(suffix);
	return l >= k && !strcmp(s + l - k, suffix);
}

static void add_unreadable(struct stats *s, char *why)
{
	VEC_PUSH(s->unreadable, s->nunreadable, s->cunreadable);
	s->unreadable[s->nunreadable++] = why;
}

/* One file: a report when it ends in .json, else a journal. */
static void add_file(struct stats *s, const char *path)
{
	bool report = ends_with(path, ".json");
	/* A walk is counted once, from its journal or a report of it: a journal's session
	 * id is its name, a report's is in it (walk_start). */
	char *id = report ? NULL : session_id_dup(path);
	if (id && !seen_add(s, id)) {
		s->duplicates++;
		free(id);
		return;
	}
	free(id);
	struct walk_reader r = {.s = s, .from_report = report};
	char *err = NULL;
	size_t bad = 0;
	int rc;
	if (report) {
		rc = report_json_scan(path, walk_event, &r, &err);
	} else {
		rc = session_scan(path, walk_event, &r, &bad, &err);
	}
	s->files++;
	if (rc < 0) {
		add_unreadable(s, err ? err : xasprintf("%s: cannot be read", path));
		err = NULL;
	} else if (r.sf && !r.skip) {
		walk_commit(&r, bad);
	}
	free(err);
	walk_reader_clear(&r);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int stats_add(struct stats *s, const char *path, char **err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		add_file(s, path);
		return 0;
	}
	DIR *dh = opendir(path);
	if (!dh) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	char **journals = NULL, **reports = NULL;
	size_t nj = 0, cj = 0, nr = 0, cr = 0;
	struct dirent *de;
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		if (ends_with(de->d_name, ".journal")) {
			VEC_PUSH(journals, nj, cj);
			journals[nj++] = xasprintf("%s/%s", path, de->d_name);
		} else if (ends_with(de->d_name, ".json")) {
			VEC_PUSH(reports, nr, cr);
			reports[nr++] = xasprintf("%s/%s", path, de->d_name);
		}
	}
	closedir(dh);
	if (nj > 1)
		qsort(journals, nj, sizeof *journals, name_cmp);
	if (nr > 1)
		qsort(reports, nr, sizeof *reports, name_cmp);
	for (size_t i = 0; i < nj; i++) {
		add_file(s, journals[i]);
		free(journals[i]);
	}
	for (size_t i = 0; i < nr; i++) {
		add_file(s, reports[i]);
		free(reports[i]);
	}
	free(journals);
	free(reports);
	return 0;
}

/* Most walks first; ids break ties. */
static int flow_cmp(const void *a, const void *b)
{
	const struct stats_flow *x = a, *y = b;
	if (x->walks != y->walks)
		return x->walks > y->walks ? -1 : 1;
	return strcmp(x->id, y->id);
}

void stats_finish(struct stats *s)
{
	if (s->nflows > 1)
		qsort(s->flows, s->nflows, sizeof *s->flows, flow_cmp);
	for (size_t i = 0; i < s->nflows; i++) {
		struct stats_flow *sf = &s->flows[i];
		/* qsort of no items may be given NULL, which C does not allow */
		if (sf->nends > 1)
			qsort(sf->ends, sf->nends, sizeof *sf->ends, tally_cmp);
		if (sf->noutcomes > 1)
			qsort(sf->outcomes, sf->noutcomes, sizeof *sf->outcomes, tally_cmp);
		if (sf->nbacks > 1)
			qsort(sf->backs, sf->nbacks, sizeof *sf->backs, tally_cmp);
		if (sf->nunknown > 1)
			qsort(sf->unknown, sf->nunknown, sizeof *sf->unknown, tally_cmp);
		if (sf->ndurations > 1)
			qsort(sf->durations, sf->ndurations, sizeof *sf->durations, ll_cmp);
	}
}

const struct stats_flow *stats_flow_find(const struct stats *s, const char *id)
{
	for (size_t i = 0; i < s->nflows; i++)
		if (str_eq(s->flows[i].id, id))
			return &s->flows[i];
	return NULL;
}

long long stats_percentile(const struct stats_flow *sf, int p)
{
	if (!sf->ndurations || p < 1 || p > 100)
		return -1;
	size_t rank = ((size_t)p * sf->ndurations + 99) / 100;    /* ceil(p/100 * n) */
	return sf->durations[rank ? rank - 1 : 0];
}

void stats_free(struct stats *s)
{
	for (size_t i = 0; i < s->nflows; i++) {
		struct stats_flow *sf = &s->flows[i];
		free(sf->id);
		flow_free(sf->f);
		free(sf->why_no_flow);
		tally_free(sf->ends, sf->nends);
		tally_free(sf->outcomes, sf->noutcomes);
		tally_free(sf->backs, sf->nbacks);
		tally_free(sf->unknown, sf->nunknown);
		free(sf->durations);
		free(sf->node_walks);
		free(sf->edge_off);
		free(sf->edge_pass);
		free(sf->stamp);
	}
	free(s->flows);
	for (size_t i = 0; i < s->nunreadable; i++)
		free(s->unreadable[i]);
	free(s->unreadable);
	for (size_t i = 0; i < s->seen_cap; i++)
		free(s->seen[i]);
	free(s->seen);
	memset(s, 0, sizeof *s);
}
