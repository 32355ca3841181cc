/* plain.c — line mode: for scripts, screen readers, dumb terminals and pipes.
 *
 * Everything is plain text on u->out, one prompt per line, read a whole line at a time
 * from u->in. No escape sequences, no colour. Keys are typed as lines: b back,
 * r restart, ? help, q quit. End of input at any prompt is UI_EOF (the driver stops
 * cleanly and says whether the session can be resumed). SIGHUP (the terminal went away) and
 * SIGTERM end input the same way, as UI_SIGNAL with the signal in u->signo, so the
 * walk stops with its journal whole, a message and status 128 + the signal, as in the
 * full-screen mode. SIGINT (Ctrl-C) keeps its default at a prompt: tshoot stops. While
 * checks run nothing is read, so answers piped in for later nodes are not eaten; when a
 * person types (the input is a terminal) Ctrl-C then cancels the checks, as Esc does in
 * the full screen, and the walk goes on to their results. Running checks show their
 * seconds: on a terminal a progress line rewritten in place (a carriage return, no
 * escape sequence) and a line for each check as it finishes; else a line now and then. */
#include "ui/ui.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "src/util.h"

#define PLAIN_DEFAULT_WIDTH 80
#define PLAIN_MIN_WIDTH     20
#define PLAIN_MAX_FACTS     12
#define PLAIN_PROGRESS_S    5    /* output that is not a terminal: a line this often */

struct plain {
	bool in_tty;                 /* the operator types (else: a script or a file) */
	bool printed;                /* something is on screen: separate screens by a blank line */
	bool flow_shown;             /* the flow's title was printed once */
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

/* Process-wide: signals can only reach globals. */
static volatile sig_atomic_t g_stop_sig;     /* SIGHUP or SIGTERM caught: stop */
static struct sigaction g_old_hup, g_old_term;
static bool g_handlers;
static volatile sig_atomic_t g_int;          /* SIGINT caught while checks ran: cancel */
static struct sigaction g_old_int;
static bool g_int_caught;                    /* SIGINT is ours (while checks run) */

static void on_stop(int sig)
{
	g_stop_sig = sig;
}

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
static void int_release(void)
{
	if (!g_int_caught)
		return;
	sigaction(SIGINT, &g_old_int, NULL);
	g_int_caught = false;
	g_int = 0;
}

/* Input ended: by a signal (UI_SIGNAL, u->signo set) or at its end (UI_EOF). */
static enum ui_act plain_input_end(struct ui *u)
{
	if (g_stop_sig) {
		u->signo = g_stop_sig;
		return UI_SIGNAL;
	}
	return UI_EOF;
}

static const char plain_keys_help[] =
	"Keys: b back, r restart, ? help (why this step), q quit. t adds a note to the report.";

static struct plain *plain_get(struct ui *u)
{
	if (!u->in)
		u->in = stdin;
	if (!u->out)
		u->out = stdout;
	if (!u->priv) {
		struct plain *p = xcalloc(1, sizeof(*p));
		p->in_tty = isatty(fileno(u->in)) == 1;
		/* Unbuffered, so "nothing buffered" holds before every read and wait_input()
		 * can wait on the descriptor itself (lines are short; a script's too). */
		if (fileno(u->in) >= 0)
			setvbuf(u->in, NULL, _IONBF, 0);
		u->priv = p;
	}
	return u->priv;
}

/* Columns to wrap at: $COLUMNS, the terminal's width, else 80. */
static size_t plain_width(struct ui *u)
{
	long cols;
	const char *env = getenv("COLUMNS");
	if (env && parse_long(env, 1, 10000, &cols))
		return cols < PLAIN_MIN_WIDTH ? PLAIN_MIN_WIDTH : (size_t)cols;
	struct winsize ws;
	int fd = fileno(u->out);
	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < PLAIN_MIN_WIDTH ? PLAIN_MIN_WIDTH : ws.ws_col;
	return PLAIN_DEFAULT_WIDTH;
}

/* Print text wrapped to the width, each line after indent, control characters made
 * harmless (a flow or a server must not be able to send escape sequences). A line that
 * starts with spaces (a preformatted table in a flow's text) keeps that indentation on
 * its continuation lines. */
static void plain_wrapped(struct ui *u, const char *indent, const char *text)
{
	if (!text || !*text)
		return;
	size_t ind = utf8_width(indent);
	size_t width = plain_width(u);
	size_t tlen = strlen(text);
	while (tlen && text[tlen - 1] == '\n')
		tlen--;
	const char *s = text, *end = text + tlen;
	bool first = true;           /* the prefix on the first line, its width in spaces after */
	while (s <= end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		size_t lead = 0;
		while (lead < len && s[lead] == ' ')
			lead++;
		if (lead == len) {
			if (first)
				fprintf(u->out, "%s\n", indent);
			else
				fputc('\n', u->out);
			first = false;
		} else {
			char *para = xstrndup(s + lead, len - lead);
			size_t avail = width > ind + lead + 10 ? width - ind - lead : 10;
			size_t n;
			char **lines = wrap_text(para, avail, &n);
			for (size_t i = 0; i < n; i++) {
				char *clean = str_clean_dup(lines[i]);
				if (first)
					fprintf(u->out, "%s%*s%s\n", indent, (int)lead, "", clean);
				else
					fprintf(u->out, "%*s%s\n", (int)(ind + lead), "", clean);
				free(clean);
				first = false;
			}
			wrap_free(lines, n);
			free(para);
		}
		if (!nl)
			break;
		s = nl + 1;
	}
}

static void plain_line(struct ui *u, const char *prefix, const char *text)
{
	const char *s = text ? text : "";
	do {                     /* each line of text gets the prefix */
		size_t len = strcspn(s, "\n");
		char *raw = xstrndup(s, len);
		char *clean = str_clean_dup(raw);
		fprintf(u->out, "%s%s\n", prefix, clean);
		free(clean);
		free(raw);
		s += len;
	} while (*s++ == '\n');
}

/* Text whose every line is a paragraph: each wrapped on its own, blank lines and
 * leading spaces kept. */
static void plain_paragraphs(struct ui *u, const char *text)
{
	const char *s = text ? text : "";
	while (*s) {
		size_t len = strcspn(s, "\n");
		char *part = xstrndup(s, len);
		if (*part)
			plain_wrapped(u, "", part);
		else
			fputc('\n', u->out);
		free(part);
		s += len + (s[len] ? 1 : 0);
	}
}

/* The part every screen has: notice, [step] title, text, why (training). */
static void plain_view(struct ui *u, const struct ui_view *v)
{
	struct plain *p = plain_get(u);
	FREE_NULL(p->end_shown);
	p->checks_shown = false;
	if (p->printed)
		fputc('\n', u->out);
	if (!p->flow_shown && v->flow_title) {
		plain_line(u, "== ", v->flow_title);
		fputc('\n', u->out);
		p->flow_shown = true;
	}
	/* the notice tells what the last answer led to: it comes before the new step */
	if (v->notice)
		plain_line(u, "note: ", v->notice);
	char *title = str_clean_dup(v->title ? v->title : v->node_id);
	fprintf(u->out, "[%zu] %s\n", v->step_no, title);
	free(title);
	plain_wrapped(u, "", v->text);
	if (v->training && v->why) {
		fputc('\n', u->out);
		plain_wrapped(u, "Why: ", v->why);
	}
	p->printed = true;
}

/* Wait until fd has input, or a stop signal (SIGHUP, SIGTERM) came. The signals are
 * blocked around the test of the flag and let in only inside ppoll, so one that arrives
 * just before the wait still ends it. False when stopped. */
static bool wait_input(int fd)
{
	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	sigset_t during = old;
	sigdelset(&during, SIGHUP);
	sigdelset(&during, SIGTERM);
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	while (!g_stop_sig && ppoll(&pfd, 1, NULL, &during) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return !g_stop_sig;
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
static void batch_end(struct ui *u, struct plain *p)
{
	progress_clear(u, p);
	int_release();
	FREE_NULL(p->seen);
	p->nseen = 0;
	p->cancelling = false;
}

/* Read one line from u->in without its line end; NULL at end of input. When the input
 * is a script, the line is echoed so the transcript reads like a session (secrets are
 * never echoed). On a terminal, secret entry turns the echo off. */
static char *plain_read(struct ui *u, bool secret)
{
	struct plain *p = plain_get(u);
	batch_end(u, p);
	fflush(u->out);
	struct termios saved;
	bool restore = false;
	int fd = fileno(u->in);
	sigset_t block, oldmask;
	if (g_stop_sig)
		return NULL;
	if (secret && p->in_tty && tcgetattr(fd, &saved) == 0) {
		/* Ctrl-C while the echo is off would leave the terminal mute: hold the
		 * signals until the echo is back; a pending one is delivered then. */
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGTSTP);
		sigaddset(&block, SIGQUIT);
		sigaddset(&block, SIGHUP);
		sigprocmask(SIG_BLOCK, &block, &oldmask);
		struct termios quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
		if (!restore)
			sigprocmask(SIG_SETMASK, &oldmask, NULL);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	/* A stop signal ends the wait for a line (wait_input) or a read under way (no
	 * SA_RESTART). */
	do {
		errno = 0;
		clearerr(u->in);
		if (fd >= 0 && !wait_input(fd)) {
			len = -1;
			break;
		}
		len = getline(&line, &cap, u->in);
	} while (len < 0 && errno == EINTR && !g_stop_sig);
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &saved);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
	}
	if (len < 0) {
		free(line);
		if (!p->in_tty)
			fputc('\n', u->out);
		fflush(u->out);
		return NULL;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!p->in_tty) {
		if (secret) {
			fputc('\n', u->out);
		} else {
			char *clean = str_clean_dup(line);
			fprintf(u->out, "%s\n", clean);
			free(clean);
		}
	}
	return line;
}

/* Read one line, trimmed; NULL at end of input. */
static char *plain_read_trim(struct ui *u)
{
	char *line = plain_read(u, false);
	if (!line)
		return NULL;
	char *t = str_trim_dup(line);
	free(line);
	return t;
}

static bool plain_confirm(struct ui *u, const char *question)
{
	plain_get(u);
	for (;;) {
		char *q = str_clean_dup(question);
		fprintf(u->out, "%s (y/n) ", q);
		free(q);
		char *a = plain_read_trim(u);
		if (!a)
			return false;          /* end of input: no */
		bool yes = !strcasecmp(a, "y") || !strcasecmp(a, "yes");
		bool no = !strcasecmp(a, "n") || !strcasecmp(a, "no");
		free(a);
		if (yes || no)
			return yes;
		fprintf(u->out, "Please answer y or n.\n");
	}
}

static void plain_help(struct ui *u, const struct ui_view *v)
{
	u->hints++;
	if (v->why) {
		plain_wrapped(u, "Why: ", v->why);
	} else {
		fprintf(u->out, "(This step has no explanation.)\n");
	}
	fprintf(u->out, "%s\n", plain_keys_help);
}

/* "t" (asks for the text) or "note TEXT": a note for the report, handed to the driver
 * in u->note. UI_NOTE, or UI_NONE when nothing was written (UI_EOF at end of input). */
static enum ui_act plain_note(struct ui *u, const char *line)
{
	char *text;
	if (!strcasecmp(line, "t")) {
		fprintf(u->out, "Note for the report (one line; Enter alone adds none): ");
		text = plain_read_trim(u);
		if (!text)
			return UI_EOF;
	} else {
		text = str_trim_dup(line + strlen("note"));
	}
	if (!*text) {
		free(text);
		fprintf(u->out, "No note added.\n");
		return UI_NONE;
	}
	free(u->note);
	u->note = text;
	return UI_NOTE;
}

/* A navigation key typed as a line. Returns true when line was one: *act is then
 * UI_NONE (ask again: help shown, or a confirmation declined) or what to return. */
static bool plain_key(struct ui *u, const struct ui_view *v, const char *line, enum ui_act *act)
{
	*act = UI_NONE;
	if (!strcasecmp(line, "t") || !strncasecmp(line, "note ", 5)) {
		*act = plain_note(u, line);
	} else if (!strcasecmp(line, "b")) {
		*act = UI_BACK;
	} else if (!strcasecmp(line, "r")) {
		if (plain_confirm(u, "Restart from the beginning?"))
			*act = UI_RESTART;
	} else if (!strcasecmp(line, "q")) {
		if (plain_confirm(u, v->resumable ? "Quit now? (the session can be resumed with --resume)" : "Quit now?"))
			*act = UI_QUIT;
	} else if (!strcmp(line, "?")) {
		plain_help(u, v);
	} else {
		return false;
	}
	return true;
}

/* A line (a, freed here) that was none of the prompt's own answers: a navigation key
 * gives what to return (UI_NONE: ask again, e.g. after help); any other line is met
 * with the reminder (a printf format, one line) and UI_NONE. */
static enum ui_act plain_other(struct ui *u, const struct ui_view *v, char *a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum ui_act plain_other(struct ui *u, const struct ui_view *v, char *a, const char *fmt, ...)
{
	enum ui_act act = UI_NONE;
	bool key = plain_key(u, v, a, &act);
	free(a);
	if (!key) {
		va_list ap;
		va_start(ap, fmt);
		vfprintf(u->out, fmt, ap);
		va_end(ap);
		fputc('\n', u->out);
	}
	return act;
}

static int plain_open(struct ui *u)
{
	plain_get(u);
	if (!g_handlers) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_stop;        /* no SA_RESTART: a waiting read ends */
		g_stop_sig = 0;
		sigaction(SIGHUP, &sa, &g_old_hup);
		sigaction(SIGTERM, &sa, &g_old_term);
		g_handlers = true;
	}
	return 0;
}

static void plain_close(struct ui *u)
{
	int_release();
	if (g_handlers) {
		sigaction(SIGHUP, &g_old_hup, NULL);
		sigaction(SIGTERM, &g_old_term, NULL);
		g_handlers = false;
	}
	struct plain *p = u->priv;
	if (!p)
		return;
	if (u->out)
		fflush(u->out);
	free(p->end_shown);
	free(p->checks_node);
	free(p->seen);
	free(p);
	u->priv = NULL;
}

static enum ui_act plain_info(struct ui *u, const struct ui_view *v)
{
	plain_view(u, v);
	for (;;) {
		fprintf(u->out, "Press Enter to continue ");
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		if (!*a) {
			free(a);
			return UI_OK;
		}
		enum ui_act act = plain_other(u, v, a, "Press Enter to go on. %s", plain_keys_help);
		if (act != UI_NONE)
			return act;
	}
}

static enum ui_act plain_question(struct ui *u, const struct ui_view *v,
				  const char *const *labels, size_t n, size_t *choice)
{
	plain_view(u, v);
	for (size_t i = 0; i < n; i++) {
		char *l = str_clean_dup(labels[i]);
		fprintf(u->out, "  %zu) %s\n", i + 1, l);
		free(l);
	}
	for (;;) {
		fprintf(u->out, "> ");
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		long k;
		if (n > 0 && parse_long(a, 1, (long)n, &k)) {
			free(a);
			*choice = (size_t)k - 1;
			return UI_OK;
		}
		for (size_t i = 0; i < n; i++) {
			char *l = str_trim_dup(labels[i]);
			bool same = *a && !strcasecmp(a, l);
			free(l);
			if (same) {
				free(a);
				*choice = i;
				return UI_OK;
			}
		}
		if (n > 0 && a[strspn(a, "0123456789")] == 0 && parse_long(a, 0, LONG_MAX, &k)) {
			/* a number, but no answer has it (nor such words): say so as the full-screen mode does */
			char *m = ui_no_answer_dup(k, n);
			fprintf(u->out, "%s\n", m);
			free(m);
			free(a);
			continue;
		}
		enum ui_act act = plain_other(u, v, a, "Please enter a number from 1 to %zu (or the answer's words). %s",
					      n, plain_keys_help);
		if (act != UI_NONE)
			return act;
	}
}

/* The item a line names: its number, or its key typed in full. */
static bool plain_pick(const char *a, const char *const *keys, size_t n, size_t *choice)
{
	long k;
	if (n > 0 && parse_long(a, 1, (long)n, &k)) {
		*choice = (size_t)k - 1;
		return true;
	}
	for (size_t i = 0; keys && i < n; i++) {
		if (keys[i] && *a && !strcmp(a, keys[i])) {
			*choice = i;
			return true;
		}
	}
	return false;
}

/* The list's rows, numbered, their columns lined up under the headings when the table
 * fits the width; else the first column lined up and the rest of each row (its cells
 * two spaces apart) wrapped after it. Nothing is cut in line mode. */
static void plain_list(struct ui *u, const struct ui_list *l)
{
	size_t nc = l->ncols ? l->ncols : 1;
	size_t *want = xcalloc(nc, sizeof(*want));
	char **clean = xcalloc(l->n * nc + nc, sizeof(*clean));    /* the cells, then the heads */
	for (size_t i = 0; i <= l->n; i++) {
		for (size_t j = 0; j < nc; j++) {
			const char *c = i < l->n ? l->cells[i * nc + j] : l->heads ? l->heads[j] : "";
			char *t = str_clean_dup(c ? c : "");
			size_t w = utf8_width(t);
			if (w > want[j])
				want[j] = w;
			clean[i * nc + j] = t;
		}
	}
	int numw = snprintf(NULL, 0, "%zu", l->n);
	size_t lead = 2 + (size_t)numw + 2, total = lead;      /* "  N) " */
	for (size_t j = 0; j < nc; j++)
		total += want[j] + (j ? 2 : 0);
	bool table = total <= plain_width(u);
	for (size_t i = table && l->heads ? 0 : 1; i <= l->n; i++) {
		size_t row = i ? i - 1 : l->n;                     /* the heads first */
		struct strbuf head = {0}, rest = {0};
		if (i)
			sb_printf(&head, "  %*zu) ", numw, i);
		else
			sb_printf(&head, "%*s", (int)lead, "");
		for (size_t j = 0; j < nc; j++) {
			const char *t = clean[row * nc + j];
			bool pad = j + 1 < nc && (table || j == 0);
			struct strbuf *sb = table || j == 0 ? &head : &rest;
			if (j > 1 || (j == 1 && table))
				sb_add(sb, "  ");
			sb_add(sb, t);
			if (pad)
				sb_printf(sb, "%*s", (int)(want[j] - utf8_width(t) + (table ? 0 : 2)), "");
		}
		if (rest.len)
			plain_wrapped(u, head.s, rest.s);
		else
			fprintf(u->out, "%s\n", head.s);
		sb_clear(&head);
		sb_clear(&rest);
	}
	for (size_t i = 0; i < l->n * nc + nc; i++)
		free(clean[i]);
	free(clean);
	free(want);
}

static enum ui_act plain_choose(struct ui *u, const struct ui_list *l, size_t *choice)
{
	struct plain *p = plain_get(u);
	plain_wrapped(u, "", l->question);
	plain_list(u, l);
	p->printed = true;
	for (;;) {
		fprintf(u->out, "> ");
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		bool quit = !strcasecmp(a, "q");
		bool good = plain_pick(a, l->keys, l->n, choice);
		free(a);
		if (good)
			return UI_OK;
		if (quit)
			return UI_QUIT;
		fprintf(u->out, "Please enter a number from 1 to %zu%s, or q to quit.\n", l->n,
			l->keys ? " (or the id)" : "");
	}
}

static enum ui_act plain_input(struct ui *u, const struct ui_view *v, struct ui_field *fields, size_t n)
{
	bool again = false;
	for (size_t i = 0; i < n; i++)
		if (fields[i].error)
			again = true;
	/* On a second call only the fields with a problem are asked again. */
	if (!again)
		plain_view(u, v);
	if (!again && n > 0)
		fprintf(u->out, "(Enter keeps the value in brackets.)\n");
	for (size_t i = 0; i < n; i++) {
		struct ui_field *f = &fields[i];
		if (again && !f->error)
			continue;
		for (;;) {
			if (f->error) {
				char *e = str_clean_dup(f->error);
				fprintf(u->out, "%s: %s\n", f->name, e);
				free(e);
			}
			if (v->training && f->why)
				plain_wrapped(u, "Why: ", f->why);
			char *prompt = str_clean_dup(f->prompt ? f->prompt : f->name);
			if (f->secret) {
				fprintf(u->out, "%s%s: ", prompt,
					f->value && *f->value ? " [unchanged]" : "");
			} else if (f->value && *f->value && !f->error) {
				char *def = str_clean_dup(f->value);
				fprintf(u->out, "%s [%s]: ", prompt, def);
				free(def);
			} else {
				fprintf(u->out, "%s%s: ", prompt, f->optional ? " (optional)" : "");
			}
			free(prompt);
			char *a = plain_read(u, f->secret);
			if (!a)
				return plain_input_end(u);
			if (!f->secret && !strcmp(a, "?")) {
				free(a);
				u->hints++;
				if (f->why)
					plain_wrapped(u, "Why: ", f->why);
				fprintf(u->out, "Type the value and press Enter; Enter alone keeps the value in brackets.\n");
				continue;
			}
			if (*a) {
				char *value = f->secret ? xstrdup(a) : str_trim_dup(a);
				if (f->secret)
					explicit_bzero(a, strlen(a));
				free(f->value);
				f->value = value;
			}
			free(a);
			break;
		}
	}
	return UI_OK;
}

static enum ui_act plain_classify(struct ui *u, const struct ui_view *v, char **pasted)
{
	plain_view(u, v);
	for (;;) {
		fprintf(u->out, "Paste the error text; end with an empty line.\n");
		struct strbuf sb = {0};
		size_t lines = 0;
		bool eof = false;
		for (;;) {
			char *l = plain_read(u, false);
			if (!l) {
				eof = true;
				break;
			}
			if (!*l) {
				free(l);
				break;
			}
			if (lines == 0) {
				enum ui_act act = UI_NONE;
				char *t = str_trim_dup(l);
				bool key = plain_key(u, v, t, &act);
				free(t);
				if (key) {
					free(l);
					sb_clear(&sb);
					if (act != UI_NONE)
						return act;
					fprintf(u->out, "Paste the error text; end with an empty line.\n");
					continue;
				}
			}
			if (lines++)
				sb_addc(&sb, '\n');
			sb_add(&sb, l);
			free(l);
		}
		if (lines > 0) {
			*pasted = sb_steal(&sb);
			return UI_OK;
		}
		sb_clear(&sb);
		if (eof)
			return plain_input_end(u);
		fprintf(u->out, "Nothing was pasted. %s\n", plain_keys_help);
	}
}

static size_t plain_nticked(const bool *ticked, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += ticked[i];
	return t;
}

/* Tick the steps a line names: numbers ("1 3 5", "1,3"), "all", or "none" to untick
 * them all. False, with nothing changed, when the line is not that. */
static bool plain_tick(const char *line, bool *ticked, size_t n)
{
	if (!strcasecmp(line, "all") || !strcasecmp(line, "none")) {
		for (size_t i = 0; i < n; i++)
			ticked[i] = !strcasecmp(line, "all");
		return true;
	}
	bool *want = xcalloc(n ? n : 1, sizeof(*want));
	char *copy = xstrdup(line), *save = NULL;
	bool good = true, any = false;
	for (char *t = strtok_r(copy, " \t,", &save); t && good; t = strtok_r(NULL, " \t,", &save)) {
		long k;
		good = parse_long(t, 1, (long)n, &k);
		if (good)
			want[k - 1] = any = true;
	}
	for (size_t i = 0; good && any && i < n; i++)
		ticked[i] = ticked[i] || want[i];
	free(copy);
	free(want);
	return good && any;
}

/* "Ticked: 1, 3 (2 of 10)." */
static void plain_ticked(struct ui *u, const bool *ticked, size_t n)
{
	struct strbuf sb = {0};
	for (size_t i = 0; i < n; i++)
		if (ticked[i])
			sb_printf(&sb, "%s%zu", sb.len ? ", " : "", i + 1);
	if (sb.len)
		fprintf(u->out, "Ticked: %s (%zu of %zu).\n", sb.s, plain_nticked(ticked, n), n);
	else
		fprintf(u->out, "Ticked: none.\n");
	sb_clear(&sb);
}

/* The steps, numbered; then the operator ticks the ones done (numbers, all) and says
 * whether it helped. Nothing is ticked that the operator did not name: y with nothing
 * ticked asks whether it helped anyway. */
static enum ui_act plain_steps(struct ui *u, const struct ui_view *v, const struct flow_step *steps,
			       const char *const *texts, size_t n, bool *ticked, bool *fixed)
{
	plain_view(u, v);
	int numw = snprintf(NULL, 0, "%zu", n);
	for (size_t i = 0; i < n; i++) {
		char *num = xasprintf("  %*zu. ", numw, i + 1);
		size_t w = utf8_width(num);
		/* first line after the number, the rest aligned under it */
		size_t nl;
		size_t width = plain_width(u);
		char **lines = wrap_text(texts[i], width > w + 10 ? width - w : 10, &nl);
		for (size_t k = 0; k < nl; k++) {
			char *clean = str_clean_dup(lines[k]);
			fprintf(u->out, "%*s%s\n", (int)w, k ? "" : num, clean);
			free(clean);
		}
		wrap_free(lines, nl);
		if (v->training && steps && steps[i].why) {
			char *ind = xasprintf("%*sWhy: ", (int)w, "");
			plain_wrapped(u, ind, steps[i].why);
			free(ind);
		}
		free(num);
	}
	fprintf(u->out, "Type the numbers of the steps you did (like 1 3, or all), then y if it helped"
		" or n if not.\n");
	bool anyway = false;           /* y with nothing ticked: asked whether it helped anyway */
	for (;;) {
		fputs(anyway ? "None of the steps are ticked. Did it help anyway? (y/n) " : "Did it help? (y/n) ", u->out);
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		bool yes = !strcasecmp(a, "y") || !strcasecmp(a, "yes") || !strcasecmp(a, "fixed");
		bool no = !strcasecmp(a, "n") || !strcasecmp(a, "no") || !strcasecmp(a, "not fixed");
		if (yes && !anyway && !plain_nticked(ticked, n)) {
			free(a);
			anyway = true;
			continue;
		}
		if (yes || no) {
			free(a);
			*fixed = yes;
			return UI_OK;
		}
		if (plain_tick(a, ticked, n)) {
			free(a);
			plain_ticked(u, ticked, n);
			anyway = false;
			continue;
		}
		enum ui_act act = plain_other(u, v, a, "Please type the numbers of the steps you did (1 to %zu, or all),"
					      " then y (it helped) or n (it did not). %s", n, plain_keys_help);
		if (act != UI_NONE)
			return act;
	}
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

static enum ui_act plain_checks(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows,
				size_t n, bool running)
{
	struct plain *p = plain_get(u);
	if (running && g_stop_sig) {
		batch_end(u, p);
		return plain_input_end(u);      /* the driver cancels the checks and stops */
	}
	if (running) {
		if (!p->checks_announced) {
			plain_view(u, v);
			fprintf(u->out, "Running %zu check%s...\n", n, n == 1 ? "" : "s");
			fflush(u->out);
			p->checks_announced = true;
			batch_end(u, p);
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
	batch_end(u, p);
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

static enum ui_act plain_end(struct ui *u, const struct ui_view *v, const struct ui_end *end,
			     char **report_path)
{
	struct plain *p = plain_get(u);
	if (p->end_shown && str_eq(p->end_shown, v->node_id)) {
		/* called again after saving a report: only the news */
		if (v->notice)
			plain_line(u, "note: ", v->notice);
	} else {
		/* the end text comes once, under the result word */
		struct ui_view head = *v;
		head.text = NULL;
		plain_view(u, &head);
		p->end_shown = xstrdup(v->node_id ? v->node_id : "");
		fprintf(u->out, "%s\n", end->result == END_RESOLVED ? "RESOLVED" : "ESCALATE");
		plain_wrapped(u, "", end->text ? end->text : v->text);
		if (end->ncollect) {
			fprintf(u->out, "\nCollect before escalating:\n");
			for (size_t i = 0; i < end->ncollect; i++)
				plain_wrapped(u, "  - ", end->collect[i]);
		}
		if (end->verdict) {
			fputc('\n', u->out);
			plain_wrapped(u, "", end->verdict);
		}
		if (end->debrief) {
			fprintf(u->out, "\nDebrief:\n");
			plain_paragraphs(u, end->debrief);
		}
		if (end->summary && *end->summary) {
			fprintf(u->out, "\nSummary of the walk:\n");
			/* the summary is preformatted text: keep its lines, only clean them */
			const char *s = end->summary;
			while (*s) {
				const char *nl = strchr(s, '\n');
				size_t len = nl ? (size_t)(nl - s) : strlen(s);
				char *raw = xstrndup(s, len);
				if (*raw)
					plain_line(u, "  ", raw);
				else
					fputc('\n', u->out);
				free(raw);
				s += len + (nl ? 1 : 0);
			}
		}
	}
	fflush(u->out);
	if (!p->in_tty)
		return UI_QUIT;
	for (;;) {
		fprintf(u->out, "s save report, r restart, b back, q quit > ");
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		if (!strcasecmp(a, "s")) {
			free(a);
			const char *def = "tshoot-report.txt";
			fprintf(u->out, "Save the report to [%s] (.md Markdown, .json JSON): ", def);
			char *path = plain_read_trim(u);
			if (!path)
				return plain_input_end(u);
			if (!*path) {
				free(path);
				path = xstrdup(def);
			}
			*report_path = path;
			return UI_REPORT;
		}
		if (!strcasecmp(a, "q")) {
			free(a);
			return UI_QUIT;
		}
		enum ui_act act = plain_other(u, v, a, "Please type s, r, b or q.");
		if (act != UI_NONE)
			return act;
	}
}

/* A page before the walk: printed whole; a person presses Enter to begin. */
static enum ui_act plain_page(struct ui *u, const struct ui_page *pg)
{
	struct plain *p = plain_get(u);
	if (p->printed)
		fputc('\n', u->out);
	plain_line(u, "== ", pg->title ? pg->title : "");
	fputc('\n', u->out);
	plain_paragraphs(u, pg->text);
	p->printed = true;
	fflush(u->out);
	if (!p->in_tty)
		return UI_OK;
	for (;;) {
		fprintf(u->out, "\nPress Enter to begin (q quits) ");
		char *a = plain_read_trim(u);
		if (!a)
			return UI_EOF;
		bool go = !*a, quit = !strcasecmp(a, "q");
		free(a);
		if (go)
			return UI_OK;
		if (quit && plain_confirm(u, "Quit now?"))
			return UI_QUIT;
	}
}

/* A message outside any node; it may span lines. */
static void plain_notice(struct ui *u, const char *msg)
{
	struct plain *p = plain_get(u);
	const char *s = msg ? msg : "";
	bool first = true;
	do {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *part = xstrndup(s, len);
		if (*part)
			plain_wrapped(u, first ? "note: " : "      ", part);
		else
			fputc('\n', u->out);
		free(part);
		first = false;
		s = nl ? nl + 1 : NULL;
	} while (s && *s);
	p->printed = true;
	fflush(u->out);
}

bool ui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

char *ui_result_line(enum end_result result, const char *title, const char *report_path)
{
	const char *dash = ui_locale_utf8() ? " — " : " - ";
	char *t = str_clean_dup(title ? title : "");
	char *r = report_path ? str_clean_dup(report_path) : NULL;
	char *line = xasprintf("%s%s%s%s%s%s", result == END_RESOLVED ? "RESOLVED" : "ESCALATE", dash, t,
			       r ? dash : "", r ? "report: " : "", r ? r : "");
	free(r);
	free(t);
	return line;
}

char *ui_no_answer_dup(long k, size_t n)
{
	return n > 1 ? xasprintf("no answer %ld: choose 1-%zu", k, n) : xasprintf("no answer %ld: choose 1", k);
}

bool ui_terminal_ok(void)
{
	const char *term = getenv("TERM");
	if (!term || !*term || !strcmp(term, "dumb"))
		return false;
	return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1;
}

const struct ui_ops plain_ui_ops = {
	.name = "plain",
	.open = plain_open,
	.close = plain_close,
	.info = plain_info,
	.question = plain_question,
	.input = plain_input,
	.classify = plain_classify,
	.steps = plain_steps,
	.checks = plain_checks,
	.end = plain_end,
	.page = plain_page,
	.confirm = plain_confirm,
	.choose = plain_choose,
	.notice = plain_notice,
};
