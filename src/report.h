/* report.h — the transcript of a walk: text, Markdown (for a ticket), JSON (stable
 * schema, tshoot(1)), or an answers file that replays it. Secrets never appear. */
#ifndef TSHOOT_REPORT_H
#define TSHOOT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "src/engine.h"
#include "src/walk_event.h"

enum report_format { REPORT_TEXT, REPORT_MD, REPORT_JSON, REPORT_ANSWERS };

/* "text", "md" (or "markdown"), "json", "answers". 0, or -1 when unknown. */
int report_format_parse(const char *s, enum report_format *out);
/* The format a report file's name asks for: its extension as report_format_parse
 * takes it (FILE.md, FILE.json, FILE.answers ...), else text. */
enum report_format report_format_for_path(const char *path);

/* A moment of the walk, and the wall clock of the machine it ran on. */
struct report_time {
	long long secs;                  /* seconds since the epoch; 0 = unknown */
	bool have_offset;                /* utc_offset and zone were recorded where the walk
	                                    ran; else local time is this machine's */
	long utc_offset;                 /* seconds east of UTC */
	char zone[16];                   /* "CEST", or "" */
};
/* Now, with this machine's UTC offset and zone. */
struct report_time report_time_now(void);

/* An operator's note (the t key; `t` or `note TEXT` in line mode). Whoever holds the
 * array owns the strings. */
struct report_note {
	struct report_time when;
	size_t step_no;                  /* the step it was written at (1-based) */
	char *node;                      /* that step's node id */
	char *text;                      /* secrets already masked (engine_mask_secrets) */
};
#define REPORT_NOTE_MAX 1000         /* bytes in one note */
#define REPORT_TICKET_MAX 64         /* bytes in a ticket id */

/* The rule for a ticket id (--ticket): 1 to REPORT_TICKET_MAX bytes, no control
 * characters, not only blanks. 0, or -1 with *why (static text). */
int report_ticket_check(const char *id, const char **why);

/* Who, where and when, for the report's header. Every member may be NULL/0. */
struct report_meta {
	const char *scenario;            /* training scenario id or NULL */
	const char *verdict;             /* training verdict line or NULL */
	struct report_time started;      /* when the walk started */
	struct report_time ended;        /* when it reached its end; secs 0: it did not */
	const char *session_id;          /* the journal's name, or a new id without one */
	const char *host, *user;         /* where and by whom it was walked */
	const char *tshoot_version;      /* the tshoot that walked it */
	const char *ticket;              /* --ticket */
	const struct report_note *notes;
	size_t nnotes;
};

/* Write the transcript of e's history (and current node) in fmt. 0, or -1 on I/O error. */
int report_write(const struct engine *e, const struct report_meta *m, enum report_format fmt, FILE *out);
/* Same, as a new string. */
char *report_string(const struct engine *e, const struct report_meta *m, enum report_format fmt);
/* Write to path (0600), atomically (temp file + rename); a path that exists and is no
 * regular file (a FIFO, a device) is written in place. 0, or -1 with *err (caller
 * frees) when any of it could not be written (a full disk). */
int report_save(const struct engine *e, const struct report_meta *m, enum report_format fmt,
		const char *path, char **err);

/* Write s to path the same way (0600, atomically). 0, or -1 with *err (caller frees). */
int report_save_string(const char *path, const char *s, char **err);

/* The answer of history step i as the reports give it (the label chosen, the values
 * entered, the text pasted and what it matched, fixed or not, the check outcome),
 * secrets masked; NULL when the step has none (info, end). Caller frees. */
char *report_step_answer(const struct engine *e, size_t i);

/* One check result as a JSON object string ({"check":..,"target":..,"outcome":..,
 * "summary":..,"elapsed_ms":..,"facts":{..}}), the form `tshoot check --json` prints. */
char *report_check_json(const struct check_result *r);

/* Read back a JSON report (tshoot-report/1, as walk_json writes it) as the events of
 * its walk (src/walk_event.h): start, one step per node walked, end when it reached one.
 * 0; -1 with *err when path is not such a report; else what fn returned to stop. */
int report_json_scan(const char *path, walk_event_fn fn, void *ctx, char **err);

#endif
