/* walk_event.h — one event of a recorded walk, as the readers of the two records of a
 * walk hand it over: session_scan (a journal, session.c) and report_json_scan (a JSON
 * report, report_json.c). `tshoot stats` (stats.c) counts walks from these events and
 * never parses a journal or a report itself.
 *
 * A report becomes the events a journal of the same walk would have without its backs
 * and restarts: start, one step per node walked (next: the node after it), end. */
#ifndef TSHOOT_WALK_EVENT_H
#define TSHOOT_WALK_EVENT_H

#include <stdbool.h>

struct json_object;

struct walk_event {
	const char *ev;              /* "start", "step", "back", "restart", "end", "resume",
	                                "var", "note", "ticket"; an unknown name as written */
	int line;                    /* 1-based line of a journal; 0 in a report */
	long long time;              /* unix seconds; 0 when the event has none */
	/* start */
	const char *flow_id, *flow_path, *flow_version, *start, *session_id;
	const char *tshoot_version;  /* NULL in journals older than it */
	long long version;           /* the journal format ("v"); 0 when absent */
	/* step: the node and where it led; end: the node */
	const char *node, *next;
	const char *kind;            /* step: next, choose, input, classify, steps, checks,
	                                branch, call, return */
	const char *outcome;         /* step of a check node: its outcome */
	const char *label;           /* step of a question: the answer's label */
	long long answer;            /* step of a question: its index; -1 when absent */
	bool fixed, cannot;          /* step of a steps node */
	const char *result;          /* end: "resolved" or "escalate" */
	struct json_object *raw;     /* the whole event (a journal's line), borrowed; NULL
	                                for a report's */
};

/* Called for each event in order; a non-zero return stops the reading (and is
 * returned). Every pointer is valid during the call only. */
typedef int (*walk_event_fn)(const struct walk_event *ev, void *ctx);

#endif
