/* cmd_stats.c — `tshoot stats [PATH...]`: what the recorded walks of each flow say
 * (stats.c counts; this shows it): a table with bars (Unicode eighths in a UTF-8
 * locale, '#' otherwise, as ui_locale_utf8 decides for the front ends) or --json. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/cmd.h"
#include "src/session.h"
#include "src/stats.h"
#include "src/util.h"
#include "ui/ui.h"

#define STATS_SCHEMA "tshoot-stats/1"
#define STATS_TOP 10                 /* rows of each "most" list */
#define BAR_COLS 24                  /* a bar of 100% */
#define NAME_COLS 40                 /* the widest name column */
#define UNREADABLE_SHOWN 10

static const char stats_usage[] =
	"Usage: tshoot stats [--flow ID] [--since DATE|AGE] [--json] [PATH...]\n"
	"What recorded walks say: how many, how they ended and where, how long to an end,\n"
	"the check outcomes and back presses seen most, the nodes never visited.\n"
	"PATH is a journal, a JSON report or a directory of them (default: the session\n"
	"directory). DATE is YYYY-MM-DD; AGE is Nh, Nd or Nw (walks started since then).\n";

/* ---- the table */

/* A bar of frac (0..1) of BAR_COLS columns: eighths of a block in UTF-8, '#' else. */
static void bar(struct strbuf *sb, double frac, bool utf8)
{
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	if (!utf8) {
		int n = (int)(frac * BAR_COLS + 0.5);
		if (n == 0 && frac > 0)
			n = 1;
		for (int i = 0; i < n; i++)
			sb_addc(sb, '#');
		return;
	}
	static const char *const eighths[] = {"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
					      "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89"};
	int e = (int)(frac * BAR_COLS * 8 + 0.5);
	if (e == 0 && frac > 0)
		e = 1;
	for (int i = 0; i < e / 8; i++)
		sb_add(sb, "\xe2\x96\x88");     /* █ */
	sb_add(sb, eighths[e % 8]);
}

/* "45s", "3m 12s", "1h 05m", "2d 03h". */
static void fmt_duration(char *buf, size_t size, long long s)
{
	if (s < 60)
		snprintf(buf, size, "%llds", s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm %02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh %02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lldd %02lldh", s / 86400, s % 86400 / 3600);
}

static void fmt_date(char *buf, size_t size, long long when)
{
	time_t t = (time_t)when;
	struct tm tm;
	snprintf(buf, size, "?");
	if (when > 0 && localtime_r(&t, &tm))
		strftime(buf, size, "%Y-%m-%d", &tm);
}

/* One row: name padded to cols, count, share (of total, when total), bar. */
static void row(struct strbuf *sb, const char *name, size_t cols, size_t n, size_t total, bool utf8)
{
	char *clean = str_clean_dup(name);
	size_t w = utf8_width(clean);
	if (w > cols) {
		clean[utf8_prefix_for_width(clean, cols - 1)] = '\0';
		sb_printf(sb, "  %s~%*s", clean, (int)(cols - utf8_width(clean) - 1), "");
	} else {
		sb_printf(sb, "  %s%*s", clean, (int)(cols - w), "");
	}
	free(clean);
	sb_printf(sb, " %6zu", n);
	if (total) {
		double frac = (double)n / (double)total;
		sb_printf(sb, "  %5.1f%%  ", 100.0 * frac);
		bar(sb, frac, utf8);
	}
	while (sb->len && sb->s[sb->len - 1] == ' ')
		sb->s[--sb->len] = '\0';
	sb_addc(sb, '\n');
}

/* The title of node id in sf's flow, or NULL. */
static const struct flow_node *node_in(const struct stats_flow *sf, const char *id)
{
	int i = sf->f ? flow_node_index(sf->f, id) : -1;
	return i >= 0 ? &sf->f->nodes[i] : NULL;
}

/* "node (resolved)" for an end node. Newly allocated. */
static char *end_name(const struct stats_flow *sf, const char *id)
{
	const struct flow_node *n = node_in(sf, id);
	if (!n || n->type != NODE_END)
		return xstrdup(id);
	return xasprintf("%s (%s)", id, n->result == END_RESOLVED ? "resolved" : "escalate");
}

/* The name column: as wide as the widest name and the heading, 16 to NAME_COLS. */
static size_t name_cols(size_t want, const char *heading)
{
	size_t h = strlen(heading);
	want = want > h ? want : h;
	return want < 16 ? 16 : want > NAME_COLS ? NAME_COLS : want;
}

/* What to read with care in sf's counts: damaged, older, other-version journals and
 * walks through nodes the flow no longer has. */
static void table_care(struct strbuf *sb, const struct stats_flow *sf)
{
	if (sf->truncated || sf->older || sf->changed || sf->other_version) {
		sb_add(sb, "\n  Read with care:\n");
		if (sf->truncated)
			sb_printf(sb, "    %zu journal%s truncated or damaged (the whole events before the damage counted)\n",
				  sf->truncated, sf->truncated == 1 ? "" : "s");
		if (sf->older)
			sb_printf(sb, "    %zu journal%s from an older tshoot\n", sf->older, sf->older == 1 ? "" : "s");
		if (sf->other_version)
			sb_printf(sb, "    %zu walk%s of another version of the flow\n", sf->other_version,
				  sf->other_version == 1 ? "" : "s");
		if (sf->changed) {
			sb_printf(sb, "    %zu walk%s through nodes the flow no longer has:", sf->changed,
				  sf->changed == 1 ? "" : "s");
			for (size_t i = 0; i < sf->nunknown && i < STATS_TOP; i++) {
				char *c = str_clean_dup(sf->unknown[i].key);
				sb_printf(sb, "%s %s (%zu)", i ? "," : "", c, sf->unknown[i].n);
				free(c);
			}
			sb_printf(sb, "%s\n", sf->nunknown > STATS_TOP ? ", ..." : "");
		}
	}
}

static void table_flow(struct strbuf *sb, const struct stats_flow *sf, bool utf8)
{
	const char *dash = utf8 ? " \xe2\x80\x94 " : " - ";
	char *id = str_clean_dup(sf->id);
	char *title = sf->f && sf->f->title ? str_clean_dup(sf->f->title) : NULL;
	sb_printf(sb, "%s%s%s\n", id, title ? dash : "", title ? title : "");
	free(title);
	free(id);
	char a[32], b[32];
	fmt_date(a, sizeof a, sf->first);
	fmt_date(b, sizeof b, sf->last);
	sb_printf(sb, "  %zu walk%s, started %s%s%s\n", sf->walks, sf->walks == 1 ? "" : "s", str_eq(a, b) ? "on " : "",
		  a, str_eq(a, b) ? "" : utf8 ? " \xe2\x80\xa6 " : " .. ");
	if (!str_eq(a, b)) {
		sb->len--;               /* the newline; the end date follows */
		sb_printf(sb, "%s\n", b);
	}
	sb_printf(sb, "\n  %-16s  walks   share\n", "How they ended");
	row(sb, "resolved", 16, sf->resolved, sf->walks, utf8);
	row(sb, "escalated", 16, sf->escalated, sf->walks, utf8);
	row(sb, "abandoned", 16, sf->abandoned, sf->walks, utf8);
	long long med = stats_percentile(sf, 50), p90 = stats_percentile(sf, 90);
	if (med >= 0) {
		fmt_duration(a, sizeof a, med);
		fmt_duration(b, sizeof b, p90);
		sb_printf(sb, "\n  Time to an end: median %s, 90th percentile %s (%zu walk%s)\n", a, b, sf->ndurations,
			  sf->ndurations == 1 ? "" : "s");
	}
	size_t ended = sf->resolved + sf->escalated;
	if (sf->nends) {
		size_t w = 0;
		char **names = xcalloc(sf->nends, sizeof *names);
		for (size_t i = 0; i < sf->nends; i++) {
			names[i] = end_name(sf, sf->ends[i].key);
			size_t nw = utf8_width(names[i]);
			w = nw > w ? nw : w;
		}
		w = name_cols(w, "End nodes reached");
		sb_printf(sb, "\n  %-*s  walks   share of the ended\n", (int)w, "End nodes reached");
		for (size_t i = 0; i < sf->nends; i++) {
			row(sb, names[i], w, sf->ends[i].n, ended, utf8);
			free(names[i]);
		}
		free(names);
	}
	if (sf->noutcomes) {
		size_t n = sf->noutcomes < STATS_TOP ? sf->noutcomes : STATS_TOP, w = 0;
		char **names = xcalloc(n, sizeof *names);
		for (size_t i = 0; i < n; i++) {
			names[i] = xasprintf("%s: %s", sf->outcomes[i].key, sf->outcomes[i].key2);
			size_t nw = utf8_width(names[i]);
			w = nw > w ? nw : w;
		}
		w = name_cols(w, "Check outcomes seen most");
		sb_printf(sb, "\n  %-*s  times\n", (int)w, "Check outcomes seen most");
		for (size_t i = 0; i < n; i++) {
			row(sb, names[i], w, sf->outcomes[i].n, 0, utf8);
			free(names[i]);
		}
		free(names);
	}
	if (sf->nbacks) {
		size_t n = sf->nbacks < STATS_TOP ? sf->nbacks : STATS_TOP, w = 0;
		for (size_t i = 0; i < n; i++)
			w = utf8_width(sf->backs[i].key) > w ? utf8_width(sf->backs[i].key) : w;
		w = name_cols(w, "Back pressed most at");
		sb_printf(sb, "\n  %-*s  times\n", (int)w, "Back pressed most at");
		for (size_t i = 0; i < n; i++)
			row(sb, sf->backs[i].key, w, sf->backs[i].n, 0, utf8);
	}
	if (sf->f) {
		size_t never = 0;
		for (size_t i = 0; i < sf->f->nnodes; i++)
			never += sf->node_walks[i] == 0;
		sb_printf(sb, "\n  Never visited: %zu of %zu nodes%s", never, sf->f->nnodes, never ? "\n   " : "\n");
		size_t col = 3;
		for (size_t i = 0; i < sf->f->nnodes; i++) {
			if (sf->node_walks[i])
				continue;
			char *c = str_clean_dup(sf->f->nodes[i].id);
			size_t w = utf8_width(c) + 1;
			if (col + w > 78 && col > 3) {
				sb_add(sb, "\n   ");
				col = 3;
			}
			sb_printf(sb, " %s", c);
			col += w;
			free(c);
		}
		if (never)
			sb_addc(sb, '\n');
	} else {
		char *why = str_clean_dup(sf->why_no_flow ? sf->why_no_flow : "the flow cannot be loaded");
		sb_printf(sb, "\n  Never visited: unknown: %s\n", why);
		free(why);
	}
	table_care(sb, sf);
}

static void table(struct strbuf *sb, const struct stats *s, bool utf8)
{
	size_t walks = 0;
	for (size_t i = 0; i < s->nflows; i++) {
		if (!s->flows[i].walks)
			continue;
		if (walks)
			sb_addc(sb, '\n');
		table_flow(sb, &s->flows[i], utf8);
		walks += s->flows[i].walks;
	}
	if (!walks)
		sb_add(sb, "No walks recorded there.\n");
	sb_printf(sb, "\n%zu file%s read, %zu walk%s counted", s->files, s->files == 1 ? "" : "s", walks,
		  walks == 1 ? "" : "s");
	if (s->duplicates)
		sb_printf(sb, ", %zu report%s of a walk already counted", s->duplicates, s->duplicates == 1 ? "" : "s");
	if (s->skipped_since)
		sb_printf(sb, ", %zu started before --since", s->skipped_since);
	if (s->skipped_flow)
		sb_printf(sb, ", %zu of other flows", s->skipped_flow);
	if (s->nunreadable)
		sb_printf(sb, ", %zu unreadable", s->nunreadable);
	sb_add(sb, ".\n");
}

/* ---- --json */

static struct json_object *tally_json(const struct stats_tally *v, size_t n, const char *k1, const char *k2,
				      size_t total)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, k1, json_str_new(v[i].key));
		if (k2)
			json_object_object_add(o, k2, json_str_new(v[i].key2));
		json_object_object_add(o, "count", json_object_new_int64((int64_t)v[i].n));
		if (total)
			json_object_object_add(o, "share", json_object_new_double((double)v[i].n / (double)total));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *flow_json(const struct stats_flow *sf)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_str_new(sf->id));
	json_object_object_add(o, "title", json_str_new(sf->f ? sf->f->title : NULL));
	json_object_object_add(o, "walks", json_object_new_int64((int64_t)sf->walks));
	json_object_object_add(o, "resolved", json_object_new_int64((int64_t)sf->resolved));
	json_object_object_add(o, "escalated", json_object_new_int64((int64_t)sf->escalated));
	json_object_object_add(o, "abandoned", json_object_new_int64((int64_t)sf->abandoned));
	size_t ended = sf->resolved + sf->escalated;
	struct json_object *ends = tally_json(sf->ends, sf->nends, "node", NULL, ended);
	for (size_t i = 0; i < sf->nends; i++) {
		const struct flow_node *n = node_in(sf, sf->ends[i].key);
		json_object_object_add(json_object_array_get_idx(ends, i), "result",
				       n && n->type == NODE_END ? json_object_new_string(n->result == END_RESOLVED ? "resolved" : "escalate") : NULL);
	}
	json_object_object_add(o, "ends", ends);
	struct json_object *t = json_object_new_object();
	long long med = stats_percentile(sf, 50), p90 = stats_percentile(sf, 90);
	json_object_object_add(t, "walks", json_object_new_int64((int64_t)sf->ndurations));
	json_object_object_add(t, "median_s", med >= 0 ? json_object_new_int64(med) : NULL);
	json_object_object_add(t, "p90_s", p90 >= 0 ? json_object_new_int64(p90) : NULL);
	json_object_object_add(o, "time_to_end", t);
	json_object_object_add(o, "check_outcomes", tally_json(sf->outcomes, sf->noutcomes, "node", "outcome", 0));
	json_object_object_add(o, "backs", tally_json(sf->backs, sf->nbacks, "node", NULL, 0));
	struct json_object *never = NULL;
	if (sf->f) {
		never = json_object_new_array();
		for (size_t i = 0; i < sf->f->nnodes; i++)
			if (!sf->node_walks[i])
				json_object_array_add(never, json_str_new(sf->f->nodes[i].id));
	}
	json_object_object_add(o, "never_visited", never);
	json_object_object_add(o, "flow_problem", json_str_new(sf->why_no_flow));
	json_object_object_add(o, "truncated", json_object_new_int64((int64_t)sf->truncated));
	json_object_object_add(o, "older_journals", json_object_new_int64((int64_t)sf->older));
	json_object_object_add(o, "other_flow_version", json_object_new_int64((int64_t)sf->other_version));
	json_object_object_add(o, "walks_with_unknown_nodes", json_object_new_int64((int64_t)sf->changed));
	json_object_object_add(o, "unknown_nodes", tally_json(sf->unknown, sf->nunknown, "node", NULL, 0));
	return o;
}

static void json_out(struct strbuf *sb, const struct stats *s)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "schema", json_object_new_string(STATS_SCHEMA));
	json_object_object_add(o, "files", json_object_new_int64((int64_t)s->files));
	json_object_object_add(o, "duplicates", json_object_new_int64((int64_t)s->duplicates));
	json_object_object_add(o, "skipped_since", json_object_new_int64((int64_t)s->skipped_since));
	json_object_object_add(o, "skipped_other_flows", json_object_new_int64((int64_t)s->skipped_flow));
	struct json_object *un = json_object_new_array();
	for (size_t i = 0; i < s->nunreadable; i++)
		json_object_array_add(un, json_str_new(s->unreadable[i]));
	json_object_object_add(o, "unreadable", un);
	struct json_object *fl = json_object_new_array();
	for (size_t i = 0; i < s->nflows; i++)
		if (s->flows[i].walks)
			json_object_array_add(fl, flow_json(&s->flows[i]));
	json_object_object_add(o, "flows", fl);
	sb_add(sb, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	sb_addc(sb, '\n');
	json_object_put(o);
}

/* ---- arguments */

int stats_parse_since(const char *arg, long long *since)
{
	long long secs;
	if (parse_age(arg, &secs)) {
		*since = (long long)time(NULL) - secs;
		return 0;
	}
	struct tm tm = {0};
	const char *end = strptime(arg, "%Y-%m-%d", &tm);
	if (!end || *end || strlen(arg) != 10)
		return -1;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*since = (long long)t;
	return 0;
}

int stats_read_paths(struct stats *s, char **paths, int npaths)
{
	if (npaths == 0) {
		char *dir = session_dir();
		char *err = NULL;
		int rc = stats_add(s, dir, &err);
		if (rc != 0) {
			say("%s", err);
			free(err);
		}
		free(dir);
		return rc;
	}
	for (int i = 0; i < npaths; i++) {
		char *err = NULL;
		if (stats_add(s, paths[i], &err) != 0) {
			say("%s", err);
			free(err);
			return -1;
		}
	}
	return 0;
}

void stats_say_unreadable(const struct stats *s)
{
	for (size_t i = 0; i < s->nunreadable && i < UNREADABLE_SHOWN; i++) {
		char *c = str_clean_dup(s->unreadable[i]);
		say("skipped %s", c);
		free(c);
	}
	if (s->nunreadable > UNREADABLE_SHOWN)
		say("skipped %zu more files that are not journals or reports", s->nunreadable - UNREADABLE_SHOWN);
}

int cmd_stats(int argc, char **argv)
{
	bool json = false;
	const char *since_s = NULL, *flow = NULL;
	char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
	int npaths = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(stats_usage, stdout);
			free(paths);
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--since") || !strcmp(a, "--flow")) {
			if (i + 1 >= argc) {
				free(paths);
				return usage_error("option '%s' needs a value", a);
			}
			*(!strcmp(a, "--since") ? &since_s : &flow) = argv[++i];
		} else if (str_starts(a, "--since=")) {
			since_s = a + strlen("--since=");
		} else if (str_starts(a, "--flow=")) {
			flow = a + strlen("--flow=");
		} else if (a[0] == '-' && a[1]) {
			free(paths);
			return usage_error("unknown option '%s' for stats", a);
		} else {
			paths[npaths++] = argv[i];
		}
	}
	struct stats s = {.flow_id = flow};
	if (since_s && stats_parse_since(since_s, &s.since) != 0) {
		free(paths);
		return usage_error("--since wants a date (YYYY-MM-DD) or an age (30d, 12h, 2w), not '%s'", since_s);
	}
	int rc = stats_read_paths(&s, paths, npaths);
	free(paths);
	if (rc != 0) {
		stats_free(&s);
		return EXIT_USAGE;
	}
	stats_finish(&s);
	stats_say_unreadable(&s);
	struct strbuf sb = {0};
	if (json)
		json_out(&sb, &s);
	else
		table(&sb, &s, ui_locale_utf8());
	fputs(sb.s ? sb.s : "", stdout);
	sb_clear(&sb);
	stats_free(&s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		say("cannot write the statistics");
		return EXIT_INTERNAL;
	}
	return 0;
}
