/* ui.h — the one interface the wizard's driver uses to talk to a front end.
 *
 * ui/plain.c (line mode) and ui/curses.c (ncurses) implement struct ui_ops (each lists
 * the files it is made of). The driver (src/wizard.c) holds only a pointer to it. Front
 * ends show what they are given and return what the operator did; they never open a
 * socket, never touch the journal and never decide where the flow goes. All strings
 * passed in are borrowed for the call and already templated (secrets masked). The
 * functions at the end, which both use, are in ui/ui.c. */
#ifndef TSHOOT_UI_H
#define TSHOOT_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "checks/check.h"
#include "src/flow.h"

/* What every screen shows. */
struct ui_view {
	const char *flow_title;
	const char *node_id;
	const char *title;               /* node title (falls back to the id) */
	const char *text;                /* body text or NULL */
	const char *why;                 /* why text or NULL (shown on '?', always in training) */
	enum node_type type;
	size_t step_no;                  /* 1-based */
	size_t visit;                    /* the how-manyth time the walk is at this node
	                                    (engine_visits: 1 the first time) */
	const char *const *path;         /* titles of the nodes visited before this one */
	size_t npath;
	const char *const *answers;      /* npath items, or NULL: what was answered at each
	                                    (as the report gives it), NULL where nothing was */
	/* The flow map's way on: a shortest way from here to the nearest end, over every
	 * edge (engine_way_to_end): nahead node titles, the end last. ahead_steps: that
	 * many steps at least (0: this is an end), -1 when no end can be reached or the
	 * driver gives none (training: finding the way is the exercise). */
	const char *const *ahead;
	int ahead_steps;
	enum end_result ahead_result;    /* the end it leads to */
	bool training;                   /* a scenario: show why as the trainee goes */
	bool resumable;                  /* the journal is whole: quitting may promise a resume */
	const char *notice;              /* a one-line message (validation error, "resumed"...) or NULL */
	/* steps: the question after the checklist (the node's ask:, expanded) or NULL for
	 * "Did it help?"; cannot: the node takes a third answer, "could not apply the steps". */
	const char *ask;
	bool cannot;
};

/* What the operator did. UI_NONE: nothing yet (checks() while running). UI_SIGNAL: a
 * signal asked tshoot to stop (SIGTERM, SIGHUP); the front end put it in ui.signo.
 * UI_NOTE: the operator wrote a note for the report (struct ui's note); the driver
 * keeps it and shows the same step again. Any screen but a form or running checks may
 * return it. UI_FAIL: the front end cannot answer this screen (an answers file without
 * an answer for it) and has said why; the walk stops with exit status 2. */
enum ui_act {
	UI_NONE, UI_OK, UI_BACK, UI_RESTART, UI_QUIT, UI_EOF, UI_CANCEL, UI_RERUN, UI_REPORT, UI_SIGNAL, UI_NOTE,
	UI_FAIL
};

struct ui_field {
	const char *name, *prompt, *why;
	bool secret, optional;
	enum validate_kind validate;
	char *value;                     /* in: current value or default (may be NULL);
	                                    out: the front end replaces it (free + xstrdup) */
	const char *error;               /* in: message to show by this field, or NULL */
};

struct ui_check_row {
	const char *label;               /* "WSUS client web service" */
	const char *target;              /* templated target: the URL, host:port ... */
	bool done;
	long elapsed_ms;                 /* so far while running, final when done */
	const struct check_result *result;   /* when done, else NULL */
	const char *status;              /* when done: words shown in place of the outcome's
	                                    (training: "not part of this scenario"), or NULL */
};

struct ui_end {
	enum end_result result;
	const char *text;                /* templated end text */
	const char *const *collect;      /* what to collect when escalating */
	size_t ncollect;
	const char *summary;             /* the walk as text (report_string text format) */
	const char *verdict;             /* training: "You reached the expected ... in 7 steps (shortest: 6)", or NULL */
	const char *debrief;             /* training: where the walk left the expected path, the
	                                    way from there with each step's why, the score
	                                    (lines; indented ones continue an item), or NULL */
};

/* A page of text shown before the walk (training: the scenario's brief). Each line of
 * text is a paragraph, wrapped once to the screen; blank lines and leading spaces
 * (quoted log lines) are kept. */
struct ui_page {
	const char *flow_title;
	const char *title;
	const char *text;
};

/* A list to pick from before any walk. Each item is a row of ncols cells (text from
 * outside: the front ends clean it); the front ends line the columns up, the full
 * screen fitted to its width (columns_fit) with what does not fit cut by an ellipsis. */
struct ui_list {
	const char *question;
	const char *const *heads;        /* ncols column headings, or NULL */
	const char *const *cells;        /* n rows of ncols cells, one row after another */
	size_t ncols;                    /* at least 1 */
	const char *const *keys;         /* n short names line mode also takes for an item
	                                    (a flow's id), or NULL */
	size_t n;
};

struct ui;
struct ui_ops {
	const char *name;
	/* Take the terminal. 0, or -1 when it cannot (the caller falls back to plain). */
	int (*open)(struct ui *u);
	/* Give the terminal back as it was. Safe to call twice. */
	void (*close)(struct ui *u);
	enum ui_act (*info)(struct ui *u, const struct ui_view *v);
	/* *choice: 0-based answer index. */
	enum ui_act (*question)(struct ui *u, const struct ui_view *v,
				const char *const *labels, size_t n, size_t *choice);
	/* Edit fields[i].value; return UI_OK when the operator submits. The driver
	 * validates and calls again with fields[i].error set when a value is bad. */
	enum ui_act (*input)(struct ui *u, const struct ui_view *v, struct ui_field *fields, size_t n);
	/* *pasted: newly allocated text the operator pasted (may span lines). */
	enum ui_act (*classify)(struct ui *u, const struct ui_view *v, char **pasted);
	/* ticked[i] in/out; *outcome: did it help? (STEPS_CANNOT only when v->cannot) */
	enum ui_act (*steps)(struct ui *u, const struct ui_view *v, const struct flow_step *steps,
			     const char *const *texts, size_t n, bool *ticked, enum steps_outcome *outcome);
	/* While checks run (running=true) the driver calls this about every 100 ms; it may
	 * wait for a key for part of that tick (the driver waits on the checks for the
	 * rest) and must return within ~100 ms: UI_NONE to go on, UI_CANCEL (Esc) to
	 * cancel. When all are
	 * done it is called with running=false: UI_OK to go on, UI_RERUN, UI_BACK, UI_QUIT. */
	enum ui_act (*checks)(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows,
			      size_t n, bool running);
	/* End node: UI_QUIT to leave, UI_RESTART, UI_BACK, or UI_REPORT with *report_path set
	 * (newly allocated) to save a report there; the driver then calls end() again with
	 * v->notice saying where it went. */
	enum ui_act (*end)(struct ui *u, const struct ui_view *v, const struct ui_end *end,
			   char **report_path);
	/* A page of text before the walk: UI_OK to begin, UI_QUIT, UI_EOF. Scrollable on a
	 * screen; line mode prints it, and waits for Enter only when a person types. */
	enum ui_act (*page)(struct ui *u, const struct ui_page *p);
	/* Pick one of a list's items (a flow, a session to resume) before any walk: UI_OK
	 * with *choice (0-based), UI_QUIT (the operator declined), UI_EOF or UI_SIGNAL. */
	enum ui_act (*choose)(struct ui *u, const struct ui_list *l, size_t *choice);
	/* Ask yes/no (confirm restart or quit). */
	bool (*confirm)(struct ui *u, const char *question);
	/* A message outside any node (warnings at start, "resumed from ..."). */
	void (*notice)(struct ui *u, const char *msg);
};

struct ui {
	const struct ui_ops *ops;
	void *priv;                      /* front end's own state */
	FILE *in, *out;                  /* plain mode's streams (stdin/stdout by default) */
	int signo;                       /* set with UI_SIGNAL: the signal that stopped the walk */
	size_t hints;                    /* times the operator opened the help ('?') on a
	                                    step: training counts them in the debrief */
	char *note;                      /* with UI_NOTE: the note's text, newly allocated;
	                                    the driver takes it (and sets this to NULL) */
};

extern const struct ui_ops plain_ui_ops;
extern const struct ui_ops curses_ui_ops;

/* Is curses usable here? (stdin and stdout are terminals and TERM is not dumb/unset) */
bool ui_terminal_ok(void);
/* Does the locale's character set (LC_CTYPE) show UTF-8? Else the front ends draw
 * with ASCII. */
bool ui_locale_utf8(void);
/* The line printed to the shell when a full-screen walk has ended (the screen it was on
 * is gone): "ESCALATE — <the end's title> — report: FILE", the report part only when one
 * was written, "-" for "—" outside UTF-8, the title cleaned of control characters. */
char *ui_result_line(enum end_result result, const char *title, const char *report_path);
/* What both front ends say, newly allocated, when answer number k was asked for on a
 * question of n answers (n > 0) that has none of that number: "no answer 7: choose 1-3". */
char *ui_no_answer_dup(long k, size_t n);
/* The answer to "did it help?" as both front ends and answers files take it: fixed,
 * yes, y, true / not fixed, no, n, false / cannot, could not, c (only when the node
 * has cannot:); with numbers, also 1, 2, 3 (line mode keeps numbers for ticking). */
bool ui_parse_fixed(const char *a, bool numbers, bool cannot, enum steps_outcome *outcome);
/* Which of n answers a (trimmed) names: its number from 1, or its label (trimmed, case
 * not mattering). False when none. */
bool ui_answer_index(const char *a, const char *const *labels, size_t n, size_t *choice);

#endif
