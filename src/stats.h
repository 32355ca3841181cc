/* stats.h — what recorded walks say about a flow: `tshoot stats` and the heat map of
 * `tshoot graph --heat` (tshoot(1)). Journals (read by session_scan) and JSON reports
 * (report_json_scan) are counted per flow: walks, how they ended, where, how long it
 * took, the check outcomes, where operators went back, the nodes never reached, and how
 * often each node and edge of the flow was passed.
 *
 * Nothing here prints: the command (cmd_stats.c, cmd_tools.c) shows what it counted.
 * A journal that is truncated, older, or of a flow that changed since (node ids the flow
 * no longer has) is counted as far as it goes and said so; one that is no journal at
 * all is listed as unreadable. */
#ifndef TSHOOT_STATS_H
#define TSHOOT_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "src/flow.h"

/* A count by one or two names: an end node, a node and an outcome, a node id. */
struct stats_tally {
	char *key, *key2;
	size_t n;
};

struct stats_flow {
	char *id;
	struct flow *f;              /* the flow now (linked); NULL when it cannot be loaded */
	char *why_no_flow;           /* then: why, for the command to say */
	size_t walks, resolved, escalated, abandoned;   /* abandoned: never reached an end */
	long long first, last;       /* earliest and latest start (unix seconds) */
	size_t truncated;            /* journals with lines that are not whole events */
	size_t older;                /* journals from an older tshoot (format or fields) */
	size_t changed;              /* walks naming nodes the flow does not have now */
	size_t other_version;        /* walks of another version of the flow */
	struct stats_tally *ends;    /* end node: walks that ended there; sorted, most first */
	size_t nends, cends;
	struct stats_tally *outcomes;  /* check node, outcome: times seen; sorted */
	size_t noutcomes, coutcomes;
	struct stats_tally *backs;   /* node: times back was pressed there; sorted */
	size_t nbacks, cbacks;
	struct stats_tally *unknown; /* node ids the flow does not have: times met; sorted */
	size_t nunknown, cunknown;
	long long *durations;        /* seconds from start to end of the ended walks; sorted */
	size_t ndurations, cdurations;
	/* With f: per node, the walks that reached it; per edge (every node's edges in
	 * flow_edge_next order, node i's from edge_off[i]), the times it was taken. */
	size_t *node_walks, *edge_off, *edge_pass;
	size_t *stamp;               /* private: the last walk that counted a node */
};

struct stats {
	/* what to count (set before stats_add) */
	long long since;             /* walks started before it are skipped; 0: all */
	const char *flow_id;         /* only this flow's walks; NULL: all */
	/* what was read */
	struct stats_flow *flows;    /* in order of first walk; sorted by walks at finish */
	size_t nflows, cflows;
	size_t files;                /* journals and reports read */
	size_t skipped_since, skipped_flow, duplicates;
	char **unreadable;           /* why each file that is no journal/report was skipped */
	size_t nunreadable, cunreadable;
	/* private: the session ids counted (a journal and a report of one walk count once) */
	char **seen;
	size_t seen_cap, nseen;
	size_t serial;
};

/* Count what path holds: a journal, a JSON report (*.json), or a directory of them (its
 * *.journal and *.json files, journals first; not recursive). -1 with *err when path
 * cannot be read at all; a file in it that is not a journal or report is listed in
 * s->unreadable instead. */
int stats_add(struct stats *s, const char *path, char **err);
/* Count the walks of flow f (taken over: stats_free frees it) against f rather than the
 * flow file a walk names: what `tshoot graph FLOW --heat` draws. Call before stats_add. */
void stats_set_flow(struct stats *s, struct flow *f);
/* Sort the tallies and the durations (call once, after the last stats_add). */
void stats_finish(struct stats *s);
void stats_free(struct stats *s);
/* The flow counted under id, or NULL. */
const struct stats_flow *stats_flow_find(const struct stats *s, const char *id);
/* The duration at percentile p (1..100) of sf's ended walks, by nearest rank (the
 * median is p = 50: the lower middle of an even count); -1 when none ended. */
long long stats_percentile(const struct stats_flow *sf, int p);

#endif
