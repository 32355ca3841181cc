/* logscan.h — find a flow's signatures in log text.
 *
 * Understands Configuration Manager's CMTrace lines (<![LOG[message]LOG]!><time=...
 * component="...">, stack traces joined with "~~"), the older
 * "message $$<component><date><thread>" form, plain text, CRLF line ends, and
 * UTF-16LE with a byte-order mark. Matching is flow_sig_match on the message part. */
#ifndef TSHOOT_LOGSCAN_H
#define TSHOOT_LOGSCAN_H

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
/* Scan text in memory (a pasted excerpt; may be one line or many). */
int logscan_text(const struct flow *f, const char *text, size_t len, struct logscan_matches *out);
/* Extract the message part of one log line (CMTrace, $$< or plain). Caller frees. */
char *logscan_message(const char *line, char **component);
void logscan_matches_free(struct logscan_matches *m);

#endif
