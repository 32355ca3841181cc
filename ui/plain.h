/* plain.h — private to line mode: ui/plain.c (the ui_ops table and its screens),
 * ui/plain_io.c (printing and reading lines, the keys typed as lines, the stop signals)
 * and ui/plain_checks.c (checks running, their results). Nothing else includes it. */
#ifndef TSHOOT_UI_PLAIN_H
#define TSHOOT_UI_PLAIN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "ui/ui.h"

/* Line mode's state, in u->priv (plain_get makes it). */
struct plain {
	bool in_tty;                 /* the operator types (else: a script or a file) */
	bool printed;                /* something is on screen: separate screens by a blank line */
	char *flow_shown;            /* the heading printed last (the flow's title, or with
	                                its sub-flows'), NULL before the first */
	bool checks_announced;       /* "Running N checks..." printed for this batch */
	bool out_tty;                /* the output is a terminal: progress rewritten in place */
	bool cancelling;             /* Ctrl-C cancelled this batch */
	bool *seen;                  /* per check of the batch: its finish was printed */
	size_t nseen;
	size_t progress_w;           /* columns of the progress line on screen (0: none) */
	long progress_s;             /* the seconds it shows, or when the last line came */
	size_t progress_left;        /* the checks it counts as running */
	bool checks_shown;           /* results shown; a second call for the same step means
	                                the driver refused them */
	size_t checks_step;          /* the step those results belong to */
	char *checks_node;
	char *end_shown;             /* node id of the end screen already printed, or NULL */
};

/* ---- ui/plain_io.c */
extern volatile sig_atomic_t g_stop_sig;     /* SIGHUP or SIGTERM caught: stop */
/* The keys every prompt takes, as one line to print. */
extern const char plain_keys_help[];
/* Catch SIGHUP and SIGTERM (they end a wait for input); plain_stop_release undoes it. */
void plain_stop_catch(void);
void plain_stop_release(void);
/* The state in u->priv, made on first use (u->in, u->out default to stdin, stdout). */
struct plain *plain_get(struct ui *u);
/* Columns to wrap at: $COLUMNS, the terminal's width, else 80. */
size_t plain_width(struct ui *u);
/* Print text wrapped to the width and cleaned, each line after indent. */
void plain_wrapped(struct ui *u, const char *indent, const char *text);
/* Print each line of text cleaned, after prefix, not wrapped. */
void plain_line(struct ui *u, const char *prefix, const char *text);
/* Print text whose every line is a paragraph, each wrapped on its own. */
void plain_paragraphs(struct ui *u, const char *text);
/* Print what every screen has: notice, [step] title, text, why (training). */
void plain_view(struct ui *u, const struct ui_view *v);
/* UI_SIGNAL (u->signo set) after a stop signal, else UI_EOF: what to return when
 * input ended. */
enum ui_act plain_input_end(struct ui *u);
/* One line from u->in without its line end, newly allocated; NULL at end of input or
 * on a stop signal. Ends a batch of checks first. */
char *plain_read(struct ui *u, bool secret);
/* plain_read, trimmed. */
char *plain_read_trim(struct ui *u);
/* Ask question until y or n; false at end of input. */
bool plain_confirm(struct ui *u, const char *question);
/* Was line a key typed as a line (t, note, b, r, q, ?)? Then *act is what to return,
 * or UI_NONE to ask again. */
bool plain_key(struct ui *u, const struct ui_view *v, const char *line, enum ui_act *act);
/* A line (a, freed here) that was no answer: a key's act, or UI_NONE after printing
 * the reminder (a printf format). */
enum ui_act plain_other(struct ui *u, const struct ui_view *v, char *a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- ui/plain_checks.c */
/* ui_ops.checks (contract: ui/ui.h). */
enum ui_act plain_checks(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows, size_t n,
			 bool running);
/* A batch of checks is over (or the walk left it): no progress line, Ctrl-C stops
 * tshoot again. */
void plain_batch_end(struct ui *u, struct plain *p);
/* SIGINT as it was before checks ran (safe when it is). */
void plain_int_release(void);

#endif
