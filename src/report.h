/* report.h — the transcript of a walk: text, Markdown (for a ticket), JSON (stable
 * schema, tshoot(1)), or an answers file that replays it. Secrets never appear. */
#ifndef TSHOOT_REPORT_H
#define TSHOOT_REPORT_H

#include <stdio.h>

#include "src/engine.h"

enum report_format { REPORT_TEXT, REPORT_MD, REPORT_JSON, REPORT_ANSWERS };

/* "text", "md" (or "markdown"), "json", "answers". 0, or -1 when unknown. */
int report_format_parse(const char *s, enum report_format *out);

struct report_meta {
	const char *operator_name;       /* optional */
	const char *scenario;            /* training scenario id or NULL */
	const char *verdict;             /* training verdict line or NULL */
	long long started_unix;          /* 0 = unknown */
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

#endif
