/* report_int.h — private to the report: the walk every format is written from, and the
 * helpers the formats share. Only src/report*.c include it.
 *
 * report.c owns the walk (built once per report) and the times; each format lives in its
 * own file: report_text.c, report_md.c, report_json.c, report_answers.c. */
#ifndef TSHOOT_REPORT_INT_H
#define TSHOOT_REPORT_INT_H

#include <stdbool.h>

#include "src/engine.h"
#include "src/report.h"
#include "src/util.h"

/* One visited node of the walk, its texts already expanded and masked. */
struct item {
	const struct flow_node *node;
	const struct engine_step *step;  /* NULL for the node the walk stands at */
	char *title;                     /* expanded, masked */
	char *text;                      /* expanded, masked, or NULL */
	char *answer;                    /* human answer or NULL */
	char **checklist;                /* steps node walked: each step's text (nsteps) */
};

/* The walk as a list of items: the engine's history, then the node it stands at. */
struct walk {
	const struct engine *e;
	const struct flow *f;
	struct item *items;
	size_t n;
	const char *result;              /* "resolved" | "escalate" | "incomplete" */
	const struct flow_node *end;     /* the end node reached, or NULL */
	const struct flow_node *cur;     /* where the walk stands */
};

/* s with any secret masked, then cleaned of control characters (newlines and tabs
 * kept); NULL for NULL. Every text a report writes goes through here. Caller frees. */
char *report_scrub(const struct engine *e, const char *s);
/* What a steps node's choice says in a report: "fixed", "not fixed", "could not apply". */
const char *report_steps_said(int choice);
/* Was step i of the walked steps node it ticked? */
bool item_ticked(const struct item *it, size_t i);
/* Where note n was written: "step 3 (Where is the service?)", or "step 3" when its node
 * is not in the flow. Caller frees. */
char *report_note_where(const struct walk *w, const struct report_note *n);
/* " (simulated)", " (from before the interruption)", both, or "" for check result r. */
const char *report_result_marks(const struct check_result *r);

/* How report_time_str writes a moment. */
enum report_clock {
	CLOCK_UTC_ISO,                   /* "2023-11-14T22:13:20Z" */
	CLOCK_UTC_HUMAN,                 /* "2023-11-14 22:13:20 UTC" */
	CLOCK_LOCAL_ISO,                 /* "2023-11-14T23:13:20+01:00" */
	CLOCK_LOCAL_HUMAN,               /* "2023-11-14 23:13:20 CET (UTC+01:00)" */
};
/* t in style: local is the wall clock where the walk ran (its recorded offset, else this
 * machine's). NULL when t is NULL or unknown (secs 0). Caller frees. */
char *report_time_str(const struct report_time *t, enum report_clock style);

/* The formats: each appends the whole transcript of w (header from m, which may be
 * NULL) to sb. */
void walk_text(struct strbuf *sb, const struct walk *w, const struct report_meta *m);
void walk_md(struct strbuf *sb, const struct walk *w, const struct report_meta *m);
void walk_json(struct strbuf *sb, const struct walk *w, const struct report_meta *m);
void walk_answers(struct strbuf *sb, const struct walk *w, const struct report_meta *m);

#endif
