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
 * escape sequence) and a line for each check as it finishes; else a line now and then.
 *
 * Where things are (ui/plain.h declares what they share): plain.c, the ui_ops table and
 * the screens; plain_io.c, printing and reading lines, the keys typed as lines and the
 * stop signals; plain_checks.c, checks running and their results. What both front ends
 * share (ui/ui.h's functions) is in ui/ui.c. */
#include "ui/plain.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/util.h"

static int plain_open(struct ui *u)
{
	plain_get(u);
	plain_stop_catch();
	return 0;
}

static void plain_close(struct ui *u)
{
	plain_int_release();
	plain_stop_release();
	struct plain *p = u->priv;
	if (!p)
		return;
	if (u->out)
		fflush(u->out);
	free(p->end_shown);
	free(p->flow_shown);
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
	int w = n >= 100 ? 3 : n >= 10 ? 2 : 1;      /* "  9)" under " 10)" */
	for (size_t i = 0; i < n; i++) {
		char *l = str_clean_dup(labels[i]);
		fprintf(u->out, "  %*zu) %s\n", w, i + 1, l);
		free(l);
	}
	for (;;) {
		fprintf(u->out, "> ");
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		if (ui_answer_index(a, labels, n, choice)) {
			free(a);
			return UI_OK;
		}
		long k;
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
		fprintf(u->out, l->keys ? "A number or an id > " : "> ");
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
	bool bracketed = false;
	for (size_t i = 0; i < n; i++)
		bracketed = bracketed || (fields[i].value && *fields[i].value);
	if (!again && n > 0)
		fprintf(u->out, "%s(b back, r restart, q quit; \\b for the value b itself.)\n",
			bracketed ? "(Enter keeps the value in brackets.) " : "");
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
				fprintf(u->out, "Type the value and press Enter; Enter alone keeps the value in brackets;\n"
					"b goes back, r restarts, q quits (\\b, \\r or \\q for those letters as a value).\n");
				continue;
			}
			/* the keys of every prompt (tshoot(1), KEYS): b, r and q alone are the
			 * actions; a value that is one of them is written with a backslash */
			if (!f->secret && (!strcmp(a, "b") || !strcmp(a, "r") || !strcmp(a, "q"))) {
				enum ui_act act = a[0] == 'b' ? UI_BACK : a[0] == 'r' ? UI_RESTART : UI_QUIT;
				free(a);
				return act;
			}
			if (!f->secret && a[0] == '\\' && a[1] && strchr("brq", a[1]) && !a[2])
				memmove(a, a + 1, 2);
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

/* s cleaned for the terminal (a flow's text), or a copy of def when s is NULL. */
static char *clean_dup_or(const char *s, const char *def)
{
	return s ? str_clean_dup(s) : xstrdup(def);
}

/* The steps, numbered; then the operator ticks the ones done (numbers, all) and says
 * whether it helped (or answers the node's ask:). Nothing is ticked that the operator did
 * not name: y with nothing ticked asks whether it helped anyway. Where the node has
 * cannot:, c (cannot, could not) says the steps could not be applied. */
static enum ui_act plain_steps(struct ui *u, const struct ui_view *v, const struct flow_step *steps,
			       const char *const *texts, size_t n, bool *ticked, enum steps_outcome *outcome)
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
		" or n if not%s.\n", v->cannot ? " (c if you could not apply them)" : "");
	const char *yn = v->cannot ? "(y/n/c)" : "(y/n)";
	bool anyway = false;           /* y with nothing ticked: asked whether it helped anyway */
	for (;;) {
		char *q = clean_dup_or(v->ask, "Did it help?");
		if (anyway)
			fprintf(u->out, "None of the steps are ticked. %s %s ", v->ask ? q : "Did it help anyway?", yn);
		else
			fprintf(u->out, "%s %s ", q, yn);
		free(q);
		char *a = plain_read_trim(u);
		if (!a)
			return plain_input_end(u);
		enum steps_outcome said = STEPS_NOT_FIXED;
		bool known = ui_parse_fixed(a, false, v->cannot, &said);
		if (known && said == STEPS_CANNOT) {
			free(a);
			*outcome = STEPS_CANNOT;
			return UI_OK;
		}
		bool yes = known && said == STEPS_FIXED, no = known && said == STEPS_NOT_FIXED;
		if (yes && !anyway && !plain_nticked(ticked, n)) {
			free(a);
			anyway = true;
			continue;
		}
		if (yes || no) {
			free(a);
			*outcome = yes ? STEPS_FIXED : STEPS_NOT_FIXED;
			return UI_OK;
		}
		if (plain_tick(a, ticked, n)) {
			free(a);
			plain_ticked(u, ticked, n);
			anyway = false;
			continue;
		}
		enum ui_act act = plain_other(u, v, a, "Please type the numbers of the steps you did (1 to %zu, or all),"
					      " then y (it helped) or n (it did not)%s. %s", n,
					      v->cannot ? " or c (you could not apply them)" : "", plain_keys_help);
		if (act != UI_NONE)
			return act;
	}
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
