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
/* One signature's share of a scan: how often it matched, and its last match. */
struct logscan_tally {
	size_t count;
	struct logscan_match last;       /* last.sig is NULL when count is 0 */
};
/* What a scan found, in memory bounded whatever the log's size (a log in which every
 * line matches included): the last LOGSCAN_MAX_KEPT matches and a tally per
 * signature. */
#define LOGSCAN_MAX_KEPT 200u
struct logscan_matches {
	struct logscan_match *v;         /* the last matches (at most LOGSCAN_MAX_KEPT), file order */
	size_t n, cap;
	size_t total;                    /* every match, kept in v or not */
	struct logscan_tally *tally;     /* per signature, in flow order: nsigs entries */
	size_t nsigs;
};

/* Scan a file, streaming (a multi-gigabyte log is not loaded). Collects the matches in
 * file order (see struct logscan_matches). Returns 0, or -1 with *err (caller frees),
 * also for a file a log may not be read from (logscan_path_problem). */
int logscan_file(const struct flow *f, const char *path, struct logscan_matches *out, char **err);
/* Like logscan_file, and also counts the lines read (*lines, may be NULL) and stops
 * early when *cancel becomes nonzero or now_ms() passes deadline_ms (0 = no deadline),
 * looking at both between lines and between signatures: returns 1 then, keeping the
 * matches found so far. */
int logscan_file_ex(const struct flow *f, const char *path, const atomic_int *cancel, long long deadline_ms,
		    struct logscan_matches *out, long *lines, char **err);
/* Limits: a physical line longer than LOGSCAN_MAX_LINE bytes is cut (the rest is read
 * and dropped). Signatures see at most LOGSCAN_MAX_TEXT bytes of a line's message,
 * which bounds what one regex match can cost, and a match keeps that text. */
#define LOGSCAN_MAX_LINE (1024u * 1024)
#define LOGSCAN_MAX_TEXT 4096u
/* Which files a log may be read from: a regular file (not a FIFO, device, socket or
 * directory), not under /proc, /sys or /dev, neither as written nor with its symbolic
 * links resolved, and not on those kernel file systems. Judges path as written (lint
 * uses this for a literal path); NULL when fine, else a static message. The scan
 * itself applies the whole rule, opening with O_NONBLOCK so it never blocks on open. */
const char *logscan_path_problem(const char *path);
/* Scan text in memory (a pasted excerpt; may be one line or many). */
int logscan_text(const struct flow *f, const char *text, size_t len, struct logscan_matches *out);
/* Extract the message part of one log line (CMTrace, $$< or plain). Caller frees. */
char *logscan_message(const char *line, char **component);
/* What to show of a matched message (struct logscan_match's text): on one line ("~~"
 * and line breaks as spaces), at most cols columns, cut around sig's match with "..."
 * where cut. Caller frees; the front end still cleans it for its screen. */
char *logscan_excerpt(const struct flow_sig *sig, const char *text, size_t cols);
/* The match that decides, newest wins (a log tells its latest state last): of each
 * signature's last match, the one on the latest line, and of one line's, the signature
 * the flow lists last. Only signatures keep accepts count (all when keep is NULL).
 * NULL when none matched; borrowed from m. */
typedef bool (*logscan_keep_fn)(const struct flow_sig *sig, const void *ctx);
const struct logscan_match *logscan_newest(const struct logscan_matches *m, logscan_keep_fn keep, const void *ctx);
/* Release what m holds and leave it empty. */
void logscan_matches_clear(struct logscan_matches *m);

#endif
