/* session.h — the append-only journal of a walk, and resume.
 *
 * Every node visit, answer, variable (secrets left out) and check result is appended as
 * one JSON line, flushed and fsynced, to $XDG_STATE_HOME/tshoot/sessions/ID.journal
 * (~/.local/state when unset). Replaying a journal through the engine puts a walk back
 * exactly where it stood; check results come back marked stale.
 *
 * Writing is journal.c's, reading and replay session.c's, the sessions directory,
 * listing and pruning session_list.c's. */
#ifndef TSHOOT_SESSION_H
#define TSHOOT_SESSION_H

#include <stdio.h>

#include "src/diag.h"
#include "src/engine.h"
#include "src/report.h"
#include "src/walk_event.h"

struct journal;

/* The journal format written now (the start line's "v"). */
#define SESSION_JOURNAL_VERSION 1

/* The sessions directory (created on demand). Caller frees. */
char *session_dir(void);
/* Start a new journal for flow f (a new ID from the time and pid). *path_out (may be
 * NULL) gets the file's path. NULL with *err on failure. The start event records the
 * terminal (ttyname of standard input, or "no terminal") and the host. */
struct journal *journal_create(const struct flow *f, const char *scenario, char **path_out, char **err);
/* Continue appending to an existing journal (after resume). A journal is held (flock)
 * by the process writing it, from create/append to close: when another holds it,
 * NULL with *busy set (busy may be NULL) and *err naming that process. */
struct journal *journal_append(const char *path, bool *busy, char **err);
/* Record what the engine just did: call after each successful engine action with the
 * step it added (engine_history(e, len-1)), after back/restart, and on reaching an end. */
void journal_step(struct journal *j, const struct engine *e, const struct engine_step *s);
void journal_var(struct journal *j, const struct flow *f, const char *name, const char *value);
void journal_back(struct journal *j);
void journal_restart(struct journal *j);
void journal_end(struct journal *j, const struct engine *e);
/* The operator's answers (step events) the journal holds, earlier ones included. */
size_t journal_answers(const struct journal *j);
/* NULL while every event was written; else why not (a full disk...), newly allocated.
 * After the first failed write nothing more is written: the journal ends at the last
 * whole event before it. */
char *journal_error_dup(const struct journal *j);

/* An operator's note (its text already masked), and the ticket (--ticket); a later
 * ticket event replaces an earlier one. */
void journal_note(struct journal *j, const struct report_note *n);
void journal_ticket(struct journal *j, const char *ticket);

/* Close the journal. One that holds no answer is deleted: nothing to resume. */
void journal_close(struct journal *j);
/* Delete the journal and close it (a failed --answers replay). */
void journal_discard(struct journal *j);

/* What a journal says about itself (first line). */
struct session_info {
	char *path;                      /* journal path */
	char *flow_path, *flow_id, *flow_title, *scenario;
	long long started, updated;      /* unix seconds */
	long long pid;                   /* of the last process to start or resume it */
	char *node;                      /* last node reached */
	char *tty;                       /* the terminal it started on (NULL in older journals) */
	size_t step;                     /* the step it stands at, 1-based */
	size_t answers;                  /* step events: the operator's answers */
	bool ended;
	/* For the report's header; NULL or 0 when a journal predates them. */
	char *session_id;                /* the journal's name without ".journal" */
	char *host, *user;               /* where and by whom the walk started */
	char *tshoot_version;            /* the tshoot that started it */
	char *lang;                      /* the language its texts were read in (flow->lang) */
	char *ticket;                    /* the last ticket event */
	struct report_time start_at;     /* when it started, with the wall clock there */
	struct report_time end_at;       /* when it last reached an end (if ended) */
	struct report_note *notes;       /* operators' notes, in order; owned */
	size_t nnotes, cnotes;
	bool busy;                       /* open in a running tshoot (session_resumable) */
};
/* Release what s holds and leave it zeroed. */
void session_info_clear(struct session_info *s);
/* What a walk without a journal says about itself: a new session id, this host and
 * user, this tshoot, started now. */
void session_info_live(struct session_info *si);
/* Keep a copy of note n in si. */
void session_info_add_note(struct session_info *si, const struct report_note *n);
/* The report's header from si (who, where, when, ticket, notes); borrows si's strings.
 * Members of m that si does not know (scenario, verdict) are left alone. */
void session_info_meta(const struct session_info *si, struct report_meta *m);
int session_read_info(const char *path, struct session_info *out, char **err);
/* Read the journal at path event by event (the one reader of a journal's lines; src/
 * walk_event.h): fn gets each whole event in order. Lines that are not a whole event (a
 * truncated last line, corruption) are skipped and counted in *bad (may be NULL);
 * blank lines are skipped. 0; -1 with *err when the file cannot be opened, is empty or
 * does not start with a start line; else what fn returned to stop. */
int session_scan(const char *path, walk_event_fn fn, void *ctx, size_t *bad, char **err);
/* Replay journal path into e (created on the flow it names). Warnings (a truncated or
 * corrupted line, skipped) go to *d. 0, or -1 with errors in *d. */
int session_replay(const char *path, struct engine *e, struct diags *d);
/* The same for reading a walk as it was recorded (tshoot report): its check results are
 * stale (measured before an interruption) only when a later resume event says the walk
 * went on after one. session_replay, for resuming, marks all of them. */
int session_replay_record(const char *path, struct engine *e, struct diags *d);
/* Is the journal at path open (locked) in a running tshoot? */
bool session_busy(const char *path);
/* The sessions that can be resumed (not ended, at least one answer): those no running
 * tshoot holds first, each group newest first; busy set. *n gets the count. */
struct session_info *session_resumable(size_t *n);
void session_infos_free(struct session_info *v, size_t n);
/* Latest resumable journal (session_resumable's first), or NULL. Caller frees. */
char *session_latest(void);
/* "sccm-sus-sync, step 8, 7 answers, started Dec 02 03:17 at pts/3" (", no terminal";
 * the host too when it is not this one), cleaned for a terminal. Newly allocated. */
char *session_describe(const struct session_info *si);
/* The session id of a journal path (its file name less .journal). Newly allocated. */
char *session_id_dup(const char *path);
/* `tshoot sessions`: list resumable sessions. Returns exit status. */
int session_list(FILE *out);
/* `tshoot sessions --prune`: delete finished sessions, sessions with no answer and
 * unfinished ones not updated for max_age seconds; never one a running tshoot holds.
 * Says what it deleted on out. Returns exit status (3: a journal could not be deleted). */
int session_prune(FILE *out, long long max_age);

#endif
