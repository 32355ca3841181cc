/* logscan.h — find a flow's signatures in log text.
 *
 * Understands Configuration Manager's CMTrace lines (<![LOG[message]LOG]!><time=...
 * component="...">, stack traces joined with "~~"), the older
 * "message $$<component><date><thread>" form, plain text, CRLF line ends, and
 * UTF-16LE with a byte-order mark. Matching is flow_sig_match on the message part. */
#ifndef TSHOOT_LOGSCAN_H
#define TSHOOT_LOGSCAN_H

#include <stdatomic.h>
#include <stddef.h>

#include "src/flow.h"

struct logscan_match {
	const struct flow_sig *sig;      /* borrowed from the flow */
	long line;                       /* 1-based line number */
	char *text;                      /* the message part of the line, cleaned, owned */
	char *component;                 /* CMTrace/SMS component or NULL */
};
struct logscan_matches {
	struct logscan_match *v;
	size_t n, cap;
};

/* Scan a file, streaming (a multi-gigabyte log is not loaded). Appends every
 * (line, signature) match in file order. Returns 0, or -1 with *err (caller frees). */
int logscan_file(const struct flow *f, const char *path, struct logscan_matches *out, char **err);
/* Like logscan_file, and also counts the lines read (*lines, may be NULL) and stops
 * early when *cancel becomes nonzero or now_ms() passes deadline_ms (0 = no deadline):
 * returns 1 then, keeping the matches found so far. (Added by h4 for the log check.) */
int logscan_file_ex(const struct flow *f, const char *path, const atomic_int *cancel, long long deadline_ms,
		    struct logscan_matches *out, long *lines, char **err);
/* Limits: a physical line longer than LOGSCAN_MAX_LINE bytes is cut (the rest is read
 * and dropped); a match keeps at most LOGSCAN_MAX_TEXT bytes of its message. */
#define LOGSCAN_MAX_LINE (1024u * 1024)
#define LOGSCAN_MAX_TEXT 4096u
/* Scan text in memory (a pasted excerpt; may be one line or many). */
int logscan_text(const struct flow *f, const char *text, size_t len, struct logscan_matches *out);
/* Extract the message part of one log line (CMTrace, $$< or plain). Caller frees. */
char *logscan_message(const char *line, char **component);
/* What to show of a matched message (struct logscan_match's text): on one line ("~~"
 * and line breaks as spaces), at most cols columns, cut around sig's match with "..."
 * where cut. Caller frees; the front end still cleans it for its screen. */
char *logscan_excerpt(const struct flow_sig *sig, const char *text, size_t cols);
void logscan_matches_free(struct logscan_matches *m);

#endif
