/* plain_io.c — line mode's printing and reading: text wrapped to the width and cleaned
 * of control characters (a flow or a server must not be able to send escape
 * sequences), the part every screen prints, a line read at a time (echoed when a script
 * types it, never when secret), the keys typed as lines (b back, r restart, ? help,
 * q quit, t note), and the stop signals: SIGHUP (the terminal went away) and SIGTERM
 * end input as UI_SIGNAL with the signal in u->signo. */
#include "ui/plain.h"

#include <errno.h>
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

/* Process-wide: signals can only reach globals. */
volatile sig_atomic_t g_stop_sig;            /* SIGHUP or SIGTERM caught: stop */
static struct sigaction g_old_hup, g_old_term;
static bool g_handlers;

static void on_stop(int sig)
{
	g_stop_sig = sig;
}

/* SIGHUP and SIGTERM end a wait for input (plain_open; plain_stop_release undoes it). */
void plain_stop_catch(void)
{
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
}

/* The stop signals' handlers as they were before plain_stop_catch. */
void plain_stop_release(void)
{
	if (g_handlers) {
		sigaction(SIGHUP, &g_old_hup, NULL);
		sigaction(SIGTERM, &g_old_term, NULL);
		g_handlers = false;
	}
}

/* Input ended: by a signal (UI_SIGNAL, u->signo set) or at its end (UI_EOF). */
enum ui_act plain_input_end(struct ui *u)
{
	if (g_stop_sig) {
		u->signo = g_stop_sig;
		return UI_SIGNAL;
	}
	return UI_EOF;
}

const char plain_keys_help[] =
	"Keys: b back, r restart, ? help (why this step), q quit. t adds a note to the report.";

struct plain *plain_get(struct ui *u)
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
size_t plain_width(struct ui *u)
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
void plain_wrapped(struct ui *u, const char *indent, const char *text)
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

void plain_line(struct ui *u, const char *prefix, const char *text)
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
void plain_paragraphs(struct ui *u, const char *text)
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
void plain_view(struct ui *u, const struct ui_view *v)
{
	struct plain *p = plain_get(u);
	FREE_NULL(p->end_shown);
	p->checks_shown = false;
	if (p->printed)
		fputc('\n', u->out);
	/* the flow's title first, and again whenever a sub-flow is entered or left */
	if (v->flow_title && (!p->flow_shown || !str_eq(p->flow_shown, v->flow_title))) {
		plain_line(u, "== ", v->flow_title);
		fputc('\n', u->out);
		free(p->flow_shown);
		p->flow_shown = xstrdup(v->flow_title);
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

/* Read one line from u->in without its line end; NULL at end of input. When the input
 * is a script, the line is echoed so the transcript reads like a session (secrets are
 * never echoed). On a terminal, secret entry turns the echo off. */
char *plain_read(struct ui *u, bool secret)
{
	struct plain *p = plain_get(u);
	plain_batch_end(u, p);
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
char *plain_read_trim(struct ui *u)
{
	char *line = plain_read(u, false);
	if (!line)
		return NULL;
	char *t = str_trim_dup(line);
	free(line);
	return t;
}

bool plain_confirm(struct ui *u, const char *question)
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
bool plain_key(struct ui *u, const struct ui_view *v, const char *line, enum ui_act *act)
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
enum ui_act plain_other(struct ui *u, const struct ui_view *v, char *a, const char *fmt, ...)
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
