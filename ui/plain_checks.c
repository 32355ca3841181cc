/* plain_checks.c — line mode while checks run, and their results. Nothing is read while
 * checks run, so answers piped in for later nodes are not eaten; when a person types
 * (the input is a terminal) Ctrl-C cancels the checks, as Esc does in the full screen,
 * and the walk goes on to their results. Running checks show their seconds: on a
 * terminal a progress line rewritten in place (a carriage return, no escape sequence)
 * and a line for each check as it finishes; else a line now and then. */
#include "ui/plain.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "src/util.h"

#define PLAIN_MAX_FACTS     12
#define PLAIN_PROGRESS_S    5    /* output that is not a terminal: a line this often */

/* Process-wide: signals can only reach globals. */
static volatile sig_atomic_t g_int;          /* SIGINT caught while checks ran: cancel */
static struct sigaction g_old_int;
static bool g_int_caught;                    /* SIGINT is ours (while checks run) */

static void on_int(int sig)
{
	(void)sig;
	g_int = 1;
}

/* While checks run, Ctrl-C is to cancel them: catch SIGINT (unless it is ignored, as
 * for a job a shell started in the background). */
static void int_catch(void)
{
	struct sigaction sa, cur;
	if (g_int_caught || sigaction(SIGINT, NULL, &cur) != 0 || cur.sa_handler == SIG_IGN)
		return;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_int;
	sa.sa_flags = SA_RESTART;       /* nothing waits on it: the flag is polled */
	g_int = 0;
	if (sigaction(SIGINT, &sa, &g_old_int) == 0)
		g_int_caught = true;
}

/* SIGINT as it was: at a prompt Ctrl-C stops tshoot. */
void plain_int_release(void)
{
	if (!g_int_caught)
		return;
	sigaction(SIGINT, &g_old_int, NULL);
	g_int_caught = false;
	g_int = 0;
}

/* Blank the progress line (and a "^C" the terminal echoed after it). */
static void progress_clear(struct ui *u, struct plain *p)
{
	if (!p->progress_w)
		return;
	fprintf(u->out, "\r%*s\r", (int)p->progress_w + 2, "");
	p->progress_w = 0;
}

/* A batch of checks is over (or the walk left it): no progress line, and Ctrl-C stops
 * tshoot again. */
void plain_batch_end(struct ui *u, struct plain *p)
{
	progress_clear(u, p);
	plain_int_release();
	FREE_NULL(p->seen);
	p->nseen = 0;
	p->cancelling = false;
}

/* The word shown for an outcome: never colour alone. */
static const char *plain_outcome_word(const char *outcome)
{
	if (!outcome)
		return "?";
	if (!strcmp(outcome, "ok"))
		return "OK";
	if (!strcmp(outcome, "tls_expiring"))
		return "WARN";
	if (!strcmp(outcome, "cancelled"))
		return "STOP";
	if (!strcmp(outcome, "error"))
		return "ERROR";
	return "FAIL";
}

/* A check's first line: "  WORD  label  target  (time)". */
static void plain_check_head(struct ui *u, const struct ui_check_row *r)
{
	const struct check_result *res = r->result;
	char *label = str_clean_dup(r->label ? r->label : (res && res->kind ? res->kind : "check"));
	char *target = str_clean_dup(r->target ? r->target : (res && res->target ? res->target : ""));
	const char *word = r->status ? "N/A" : plain_outcome_word(res ? res->outcome : NULL);
	char *when;
	if (res && r->status)
		when = xasprintf("(simulated: %s)", r->status);
	else if (res && res->simulated)
		when = xstrdup("(simulated)");
	else if (r->elapsed_ms >= 1000)
		when = xasprintf("(%ld.%ld s)", r->elapsed_ms / 1000, (r->elapsed_ms % 1000) / 100);
	else
		when = xasprintf("(%ld ms)", r->elapsed_ms);
	fprintf(u->out, "  %-5s %s  %s  %s%s\n", word, label, target, when,
		res && res->stale ? " (from before the interruption)" : "");
	free(when);
	free(target);
	free(label);
}

static void plain_check_row(struct ui *u, const struct ui_check_row *r)
{
	const struct check_result *res = r->result;
	plain_check_head(u, r);
	if (!res)
		return;
	const char *indent = "        ";
	if (res->outcome) {
		char *line = xasprintf("%s: %s", res->outcome, res->summary ? res->summary : "");
		plain_wrapped(u, indent, line);
		free(line);
	}
	if (res->nproblems > 1) {
		struct strbuf sb = {0};
		sb_add(&sb, "problems: ");
		for (size_t i = 0; i < res->nproblems; i++) {
			if (i)
				sb_add(&sb, ", ");
			sb_add(&sb, res->problems[i]);
		}
		plain_wrapped(u, indent, sb.s);
		sb_clear(&sb);
	}
	size_t shown = res->facts.n < PLAIN_MAX_FACTS ? res->facts.n : PLAIN_MAX_FACTS;
	for (size_t i = 0; i < shown; i++) {
		char *line = xasprintf("%s: %s", res->facts.v[i].key, res->facts.v[i].value);
		plain_wrapped(u, indent, line);
		free(line);
	}
	if (res->facts.n > shown)
		fprintf(u->out, "%s(%zu more facts in the report)\n", indent, res->facts.n - shown);
	if (res->command && strcmp(res->outcome ? res->outcome : "", "ok")) {
		char *line = xasprintf("try: %s", res->command);
		plain_wrapped(u, indent, line);
		free(line);
	}
}

/* While checks run: on a terminal, a line for each check as it finishes and under
 * them "running 2 checks... 3 s" rewritten each second; else, every few seconds, a line
 * saying how many still run. */
static void plain_progress(struct ui *u, struct plain *p, const struct ui_check_row *rows, size_t n)
{
	size_t left = 0;
	long ms = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].done) {
			left++;
			if (rows[i].elapsed_ms > ms)
				ms = rows[i].elapsed_ms;
		} else if (p->out_tty && i < p->nseen && !p->seen[i]) {
			progress_clear(u, p);
			plain_check_head(u, &rows[i]);
			p->seen[i] = true;
		}
	}
	long sec = ms / 1000;
	if (!p->out_tty) {
		if (left && sec >= p->progress_s + PLAIN_PROGRESS_S) {
			p->progress_s = sec;
			fprintf(u->out, "  ... %zu check%s still running (%ld s)\n", left, left == 1 ? "" : "s", sec);
		}
		fflush(u->out);
		return;
	}
	if (left == 0 || (p->progress_w && sec == p->progress_s && left == p->progress_left)) {
		fflush(u->out);
		return;
	}
	const char *dots = ui_locale_utf8() ? "\xe2\x80\xa6" : "...";
	char *line;
	if (p->cancelling)
		line = xasprintf("cancelling%s %ld s", dots, sec);
	else
		line = xasprintf("running %zu check%s%s %ld s%s", left, left == 1 ? "" : "s", dots, sec,
				 g_int_caught ? " (Ctrl-C cancels)" : "");
	/* one row, or the carriage return would not reach its start */
	size_t width = plain_width(u);
	size_t keep = utf8_prefix_for_width(line, width > 3 ? width - 3 : 1);
	line[keep] = '\0';
	size_t w = utf8_width(line);
	fprintf(u->out, "\r%s%*s", line, p->progress_w > w ? (int)(p->progress_w - w) : 0, "");
	if (p->progress_w > w)
		fprintf(u->out, "\r%s", line);
	p->progress_w = w;
	p->progress_s = sec;
	p->progress_left = left;
	free(line);
	fflush(u->out);
}

enum ui_act plain_checks(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows,
				size_t n, bool running)
{
	struct plain *p = plain_get(u);
	if (running && g_stop_sig) {
		plain_batch_end(u, p);
		return plain_input_end(u);      /* the driver cancels the checks and stops */
	}
	if (running) {
		if (!p->checks_announced) {
			plain_view(u, v);
			fprintf(u->out, "Running %zu check%s...\n", n, n == 1 ? "" : "s");
			fflush(u->out);
			p->checks_announced = true;
			plain_batch_end(u, p);
			p->out_tty = isatty(fileno(u->out)) == 1;
			p->seen = xcalloc(n ? n : 1, sizeof(*p->seen));
			p->nseen = n;
			p->progress_s = 0;
			if (p->in_tty)
				int_catch();
		}
		if (g_int) {
			g_int = 0;
			if (!p->cancelling) {
				progress_clear(u, p);
				fprintf(u->out, "Ctrl-C: cancelling the checks.\n");
				fflush(u->out);
				p->cancelling = true;
				return UI_CANCEL;
			}
		}
		plain_progress(u, p, rows, n);
		return UI_NONE;
	}
	/* checks whose finish was printed while others ran: the results come apart */
	bool progressed = false;
	for (size_t i = 0; i < p->nseen; i++)
		progressed = progressed || p->seen[i];
	plain_batch_end(u, p);
	if (p->checks_shown && p->checks_step == v->step_no && str_eq(p->checks_node, v->node_id)) {
		/* Called again for the same results: the driver could not use them (the
		 * checks were cancelled). Going on would loop: let the operator decide. */
		if (v->notice)
			plain_line(u, "note: ", v->notice);
		if (!p->in_tty)
			return UI_QUIT;
		for (;;) {
			fprintf(u->out, "r run the checks again, b back, q quit > ");
			char *a = plain_read_trim(u);
			if (!a)
				return plain_input_end(u);
			bool rerun = !strcasecmp(a, "r");
			enum ui_act act = UI_NONE;
			bool key = !rerun && plain_key(u, v, a, &act);
			free(a);
			if (rerun) {
				p->checks_shown = false;
				return UI_RERUN;
			}
			if (key && act != UI_NONE) {
				p->checks_shown = false;
				return act;
			}
		}
	}
	if (!p->checks_announced) {
		/* finished before the first progress call: same text, so scripts see one form */
		plain_view(u, v);
		fprintf(u->out, "Running %zu check%s...\n", n, n == 1 ? "" : "s");
	}
	p->checks_announced = false;
	if (progressed)
		fprintf(u->out, "Results:\n");
	for (size_t i = 0; i < n; i++)
		plain_check_row(u, &rows[i]);
	p->checks_shown = true;
	p->checks_step = v->step_no;
	free(p->checks_node);
	p->checks_node = xstrdup(v->node_id);
	fflush(u->out);
	return UI_OK;
}
