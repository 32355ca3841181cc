/* wizard.c — the driver: shows the engine's current node through a front end, hands the
 * operator's answer back to the engine, runs check nodes through a runner, keeps the
 * journal, and writes the report at the end. What a screen shows is built in
 * wizard_view.c (wizard_int.h).
 *
 * The driver owns no terminal and no socket: the front end draws, the runner measures.
 * Confirmation of restart and quit is the front end's business; an action returned
 * here has been confirmed. */
#include "src/wizard.h"
#include "src/wizard_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "src/logscan.h"
#include "src/secret.h"
#include "src/util.h"

/* At most this much of a matched line is echoed ("Recognised in: ..."). */
#define MATCH_EXCERPT_COLS 120

/* Outcome of handling one node: go on walking, or stop with an exit status. */
enum turn { TURN_AGAIN, TURN_STOP };

struct walk {
	struct engine *e;
	const struct wizard_opts *o;
	char *notice;            /* for the next screen; owned */
	int status;              /* exit status when stopping */
	bool report_written;
	bool report_failed;      /* the --report file could not be written */
	bool journal_broken;     /* a journal write failed (said once, at once) */
	struct training *training;   /* training: the scenario's map; NULL otherwise */
	size_t wrong_turns;          /* training: steps that left the expected path, also
	                                those undone since */
	char *last_report;       /* the last report written; owned */
};

/* Stopped by a signal: the shell's convention, 128 + the signal's number. */
#define STATUS_SIGNAL_BASE 128
/* The --report file could not be written (tshoot(1), EXIT STATUS). */
#define STATUS_NO_REPORT 3

/* Why the walk stops, said on stderr by the caller once the screen is given back
 * (nothing goes to stderr while curses owns it). */
static void stop_error(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stop_error(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (w->o->end_out) {
		free(w->o->end_out->error);
		w->o->end_out->error = msg;
	} else {
		fprintf(stderr, "tshoot: %s\n", msg);
		free(msg);
	}
}

static void set_notice(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_notice(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(w->notice);
	w->notice = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Add a line to the notice the next screen shows, after what it already says (a note
 * that a loop was cut short, or a branch could not decide, must not be lost to "Report
 * written"). */
static void add_notice(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_notice(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = xvasprintf(fmt, ap);
	va_end(ap);
	if (!w->notice) {
		w->notice = line;
		return;
	}
	char *both = xasprintf("%s\n%s", w->notice, line);
	free(w->notice);
	free(line);
	w->notice = both;
}

/* A journal write that failed is said once, as soon as it happened; from then on the
 * walk never claims to be saved. Call after every journal_* call. */
static void journal_watch(struct walk *w)
{
	if (w->journal_broken)
		return;
	char *why = journal_error_dup(w->o->journal);
	if (!why)
		return;
	w->journal_broken = true;
	char *msg = xasprintf("warning: %s; this step and those after it are not saved.", why);
	w->o->ui->ops->notice(w->o->ui, msg);
	free(msg);
	free(why);
}

/* Quitting may promise a resume: the journal is whole and holds an answer (one with
 * none is deleted when closed). */
static bool resumable(const struct walk *w)
{
	return w->o->journal && !w->journal_broken && journal_answers(w->o->journal) > 0;
}

/* A step that met a node's max_visits (engine_step.capped) says where it went instead,
 * after whatever else this turn's notice says. */
static void visits_notice(struct walk *w, const struct engine_step *s)
{
	if (!s || s->capped < 0)
		return;
	const struct flow *f = engine_flow(w->e);
	const struct flow_node *c = &f->nodes[s->capped];
	const char *to = s->next >= 0 ? f->nodes[s->next].id : "?";
	add_notice(w, "'%s' visited %d times: going to '%s'.", c->id, c->max_visits, to);
}

/* A step was taken: journal it, and in training count it when it was a wrong turn. */
static void journal_last(struct walk *w)
{
	size_t h = engine_history_len(w->e);
	visits_notice(w, h ? engine_history(w->e, h - 1) : NULL);
	if (w->o->journal && h)
		journal_step(w->o->journal, w->e, engine_history(w->e, h - 1));
	if (h && training_wrong_turn(w->training, engine_history(w->e, h - 1)))
		w->wrong_turns++;
	journal_watch(w);
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGHUP: return "SIGHUP (hangup)";
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	default: return "a signal";
	}
}

/* The last word when a walk stops before its end: lead (NULL: none) and whether the
 * session can be continued. Never that it is saved when it is not. */
static void say_stopped(struct walk *w, const char *lead)
{
	char *why = journal_error_dup(w->o->journal);
	char *msg = NULL;
	if (!w->o->journal || journal_answers(w->o->journal) == 0)
		msg = lead ? xasprintf("%s.", lead) : NULL;
	else if (why)
		msg = xasprintf("%s%s session is not saved completely (%s).", lead ? lead : "",
				lead ? ": the" : "The", why);
	else if (lead)
		msg = xasprintf("%s: the session is saved; continue it with 'tshoot --resume'.", lead);
	else
		msg = xstrdup("Session saved; continue it with 'tshoot --resume'.");
	if (msg)
		w->o->ui->ops->notice(w->o->ui, msg);
	free(msg);
	free(why);
}

/* The note the front end handed over with UI_NOTE (u->note): masked, kept for the
 * report and journaled; the notice says what became of it. True when it was kept. */
static bool take_note(struct walk *w)
{
	struct ui *u = w->o->ui;
	char *t = u->note ? str_trim_dup(u->note) : xstrdup("");
	FREE_NULL(u->note);
	bool kept = false;
	if (!*t) {
		set_notice(w, "No note added: it was empty.");
	} else if (strlen(t) > REPORT_NOTE_MAX) {
		set_notice(w, "No note added: a note is at most %d characters.", REPORT_NOTE_MAX);
	} else {
		const struct flow_node *n = engine_node(w->e);
		struct report_note note = {
			.when = report_time_now(),
			.step_no = engine_step_no(w->e),
			.node = n ? n->id : NULL,
			.text = engine_mask_secrets(w->e, t),
		};
		if (w->o->info)
			session_info_add_note(w->o->info, &note);
		journal_note(w->o->journal, &note);
		free(note.text);
		size_t k = w->o->info ? w->o->info->nnotes : 1;
		set_notice(w, "Note %zu added to the report.", k);
		kept = true;
	}
	free(t);
	return kept;
}

/* Handle the operator's navigation actions common to every screen. */
static enum turn common_act(struct walk *w, enum ui_act act)
{
	switch (act) {
	case UI_NOTE:
		take_note(w);
		return TURN_AGAIN;
	case UI_BACK:
		if (engine_back(w->e) < 0) {
			set_notice(w, "This is the first step: there is nothing to go back to.");
		} else if (w->o->journal) {
			journal_back(w->o->journal);
			journal_watch(w);
		}
		return TURN_AGAIN;
	case UI_RESTART:
		engine_restart(w->e);
		if (w->o->journal)
			journal_restart(w->o->journal);
		journal_watch(w);
		set_notice(w, "Started again from the beginning.");
		return TURN_AGAIN;
	case UI_EOF:
		say_stopped(w, "End of input");
		w->status = 0;
		return TURN_STOP;
	case UI_QUIT:
		say_stopped(w, NULL);
		w->status = 0;
		return TURN_STOP;
	case UI_FAIL:
		/* the front end (an answers file) could not answer, and said why */
		w->status = 2;
		return TURN_STOP;
	case UI_SIGNAL: {
		int sig = w->o->ui->signo > 0 ? w->o->ui->signo : SIGTERM;
		char *lead = xasprintf("Stopped by %s", signal_name(sig));
		say_stopped(w, lead);
		free(lead);
		w->status = STATUS_SIGNAL_BASE + sig;
		return TURN_STOP;
	}
	default:
		return TURN_AGAIN;
	}
}

static enum turn do_info(struct walk *w, struct view_buf *b)
{
	const char *err;
	enum ui_act act = w->o->ui->ops->info(w->o->ui, &b->v);
	if (act != UI_OK)
		return common_act(w, act);
	if (engine_next(w->e, &err) < 0) {
		set_notice(w, "%s", err);
		return TURN_AGAIN;
	}
	journal_last(w);
	return TURN_AGAIN;
}

static enum turn do_question(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	const char *err;
	size_t choice = 0;
	char **labels = xcalloc(n->nanswers ? n->nanswers : 1, sizeof(*labels));
	for (size_t i = 0; i < n->nanswers; i++)
		labels[i] = engine_expand(w->e, n->answers[i].label, false);
	enum ui_act act = w->o->ui->ops->question(w->o->ui, &b->v, (const char *const *)labels,
						  n->nanswers, &choice);
	for (size_t i = 0; i < n->nanswers; i++)
		free(labels[i]);
	free(labels);
	if (act != UI_OK)
		return common_act(w, act);
	if (engine_choose(w->e, choice, &err) < 0) {
		set_notice(w, "%s", err);
		return TURN_AGAIN;
	}
	journal_last(w);
	return TURN_AGAIN;
}

static enum turn do_input(struct walk *w, struct view_buf *b)
{
	const struct flow *f = engine_flow(w->e);
	const struct flow_node *n = engine_node(w->e);
	size_t nf = n->nvars;
	struct ui_field *fields = xcalloc(nf ? nf : 1, sizeof(*fields));
	for (size_t i = 0; i < nf; i++) {
		int vi = n->vars[i].idx;
		const struct flow_var *v = vi >= 0 ? &f->vars[vi] : NULL;
		fields[i].name = n->vars[i].id;
		fields[i].prompt = v ? v->prompt : n->vars[i].id;
		fields[i].why = v ? v->why : NULL;
		fields[i].secret = v && v->secret;
		fields[i].optional = v && v->optional;
		fields[i].validate = v ? v->validate : VALIDATE_NONE;
		const char *cur = engine_form_value(w->e, n->vars[i].id);
		fields[i].value = xstrdup(cur ? cur : "");
	}
	enum turn t = TURN_AGAIN;
	/* Bounded by the front end: an operator may retry as often as they like; an answers
	 * file, shown its value refused, gives up (UI_FAIL). */
	for (;;) {
		enum ui_act act = w->o->ui->ops->input(w->o->ui, &b->v, fields, nf);
		if (act != UI_OK) {
			t = common_act(w, act);
			break;
		}
		const char **vals = xcalloc(nf ? nf : 1, sizeof(*vals));
		for (size_t i = 0; i < nf; i++) {
			vals[i] = fields[i].value;
			fields[i].error = NULL;
		}
		size_t bad = 0;
		const char *err = NULL;
		int rc = engine_submit_input(w->e, vals, nf, &bad, &err);
		free(vals);
		if (rc == 0) {
			journal_last(w);
			break;
		}
		if (bad < nf)
			fields[bad].error = err ? err : "invalid value";
		else
			set_notice(w, "%s", err ? err : "invalid value");
	}
	for (size_t i = 0; i < nf; i++)
		free(fields[i].value);
	free(fields);
	return t;
}

static enum turn do_classify(struct walk *w, struct view_buf *b)
{
	const char *err;
	char *pasted = NULL;
	enum ui_act act = w->o->ui->ops->classify(w->o->ui, &b->v, &pasted);
	if (act != UI_OK) {
		free(pasted);
		return common_act(w, act);
	}
	int rc = engine_classify(w->e, pasted ? pasted : "", &err);
	free(pasted);
	if (rc < 0) {
		set_notice(w, "%s", err);
		return TURN_AGAIN;
	}
	const struct engine_step *s = engine_history(w->e, engine_history_len(w->e) - 1);
	if (s->matched) {
		const struct flow_sig *sig = flow_sig_get0(engine_flow(w->e), s->matched);
		/* what matched, so the operator sees which of the pasted lines counted */
		char *ex = logscan_excerpt(sig, s->matched_line, MATCH_EXCERPT_COLS);
		char *shown = engine_mask_secrets(w->e, ex);
		set_notice(w, "Recognised: %s%s%s", sig && sig->title ? sig->title : s->matched,
			   *shown ? "\nRecognised in: " : "", shown);
		free(shown);
		free(ex);
	} else {
		set_notice(w, "No known error was recognised in that text.");
	}
	journal_last(w);
	return TURN_AGAIN;
}

static enum turn do_steps(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	const char *err;
	enum steps_outcome outcome = STEPS_NOT_FIXED;
	bool *ticked = xcalloc(n->nsteps ? n->nsteps : 1, sizeof(*ticked));
	enum turn t = TURN_AGAIN;
	char **texts = xcalloc(n->nsteps ? n->nsteps : 1, sizeof(*texts));
	for (size_t i = 0; i < n->nsteps; i++)
		texts[i] = screen_text(w->e, n->steps[i].text);
	enum ui_act act = w->o->ui->ops->steps(w->o->ui, &b->v, n->steps, (const char *const *)texts,
					       n->nsteps, ticked, &outcome);
	for (size_t i = 0; i < n->nsteps; i++)
		free(texts[i]);
	free(texts);
	if (act != UI_OK) {
		free(ticked);
		return common_act(w, act);
	}
	if (engine_steps(w->e, outcome, ticked, &err) < 0)
		set_notice(w, "%s", err);
	else
		journal_last(w);
	free(ticked);
	return t;
}

/* What the rows of a check screen show. Front ends get only masked copies of the
 * results (engine_mask_result), made once as each check finishes, and the masked
 * targets of the requests while they run: never a revealed secret. */
struct rows {
	struct ui_check_row *row;
	struct check_result *shown;      /* masked results, valid where have[i] */
	bool *have;
	size_t n;
};

static void rows_drop_results(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->have[i])
			check_result_clear(&r->shown[i]);
	memset(r->have, 0, r->n * sizeof(*r->have));
}

static struct rows rows_new(size_t n)
{
	size_t a = n ? n : 1;
	return (struct rows){.row = xcalloc(a, sizeof(struct ui_check_row)),
			     .shown = xcalloc(a, sizeof(struct check_result)),
			     .have = xcalloc(a, sizeof(bool)), .n = n};
}

static void rows_clear(struct rows *r)
{
	rows_drop_results(r);
	free(r->row);
	free(r->shown);
	free(r->have);
}

static void rows_update(struct rows *r, const struct walk *w, const struct engine_requests *rq,
			struct check_batch *batch, long long t0, const char *status)
{
	const struct check_runner *run = &w->o->runner;
	for (size_t i = 0; i < r->n; i++) {
		bool d = run->ops->done(batch, i);
		if (d && !r->have[i]) {
			engine_mask_result(w->e, &r->shown[i], run->ops->result(batch, i));
			r->have[i] = true;
		}
		const struct check_result *res = d ? &r->shown[i] : NULL;
		r->row[i] = (struct ui_check_row){
			.label = rq->labels[i],
			.target = res && res->target ? res->target : rq->targets[i],
			.done = d,
			.elapsed_ms = res ? res->elapsed_ms : (long)(now_ms() - t0),
			.result = res,
			.status = d ? status : NULL,
		};
	}
}

/* A branch node shows nothing: the engine decides it, the step is journaled like any
 * other, and a condition that could not be decided is said on the next screen. */
static enum turn do_branch(struct walk *w)
{
	const struct flow_node *n = engine_node(w->e);
	const char *err;
	if (engine_decide(w->e, &err) < 0) {
		stop_error(w, "node '%s': %s", n->id, err);
		w->status = 2;
		return TURN_STOP;
	}
	journal_last(w);
	size_t h = engine_history_len(w->e);
	const struct engine_step *s = h ? engine_history(w->e, h - 1) : NULL;
	if (s && s->note)
		add_notice(w, "%s", s->note);
	return TURN_AGAIN;
}

static enum turn do_check(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	const struct check_runner *run = &w->o->runner;
	struct ui *u = w->o->ui;
	const char *err;
	struct engine_requests rq;
	if (engine_check_requests(w->e, &rq, &err) < 0) {
		stop_error(w, "node '%s': %s", n->id, err);
		w->status = 2;
		return TURN_STOP;
	}
	struct rows rs = rows_new(rq.n);
	const struct ui_check_row *rows = rs.row;
	/* training: a check the scenario does not script says so, rather than a bare OK */
	const char *unscripted = w->o->sim && !sim_runner_scripts(w->o->sim, n->id) ? SIM_UNSCRIPTED : NULL;
	enum turn t = TURN_AGAIN;
	bool again = true;
	while (again) {
		again = false;
		if (w->o->sim)
			sim_runner_select_visit(w->o->sim, n->id, engine_visits(w->e, engine_node_idx(w->e)));
		struct check_batch *batch = run->ops->start(run->ctx, rq.reqs, rq.n);
		long long t0 = now_ms();
		bool cancelled = false, quit = false;
		enum ui_act act = UI_NONE;
		/* A tick of 100 ms shared by the batch and the front end: what the front end
		 * spent waiting for a key (curses: up to 50 ms, and it repaints at once on a
		 * resize) the batch does not wait again. The first tick shows the rows at
		 * once. Bounded: every check has its own timeout and honours cancel within
		 * 100 ms. */
		int wait_ms = 0;
		for (;;) {
			bool all = run->ops->poll(batch, wait_ms);
			rows_update(&rs, w, &rq, batch, t0, unscripted);
			if (all)
				break;
			long long u0 = now_ms();
			act = u->ops->checks(u, &b->v, rows, rq.n, true);
			long long spent = now_ms() - u0;
			wait_ms = spent >= 100 ? 0 : (int)(100 - spent);
			if ((act == UI_CANCEL || act == UI_QUIT || act == UI_EOF || act == UI_SIGNAL ||
			     act == UI_FAIL) && !cancelled) {
				run->ops->cancel(batch);
				cancelled = true;
				quit = act != UI_CANCEL;
			}
		}
		if (quit) {
			rows_drop_results(&rs);
			run->ops->finish(batch);
			t = common_act(w, act);
			break;
		}
		/* Show the results until the operator decides. */
		const char *saved_notice = b->v.notice;
		for (;;) {
			act = u->ops->checks(u, &b->v, rows, rq.n, false);
			if (act == UI_NONE)
				continue;
			if (act == UI_NOTE) {
				/* the same results again, not a new run */
				take_note(w);
				b->v.notice = w->notice;
				continue;
			}
			if (act != UI_OK)
				break;
			struct check_result *res = xcalloc(rq.n ? rq.n : 1, sizeof(*res));
			for (size_t i = 0; i < rq.n; i++)
				check_result_copy(&res[i], run->ops->result(batch, i));
			int rc = engine_check_results(w->e, res, rq.n, &err);
			for (size_t i = 0; i < rq.n; i++)
				check_result_clear(&res[i]);
			free(res);
			if (rc == 0) {
				journal_last(w);
				break;
			}
			if (rc != ENGINE_CANCELLED) {
				/* a check that could not run (a parameter templated into nonsense)
				 * and no error route: bad input from the flow or the operator,
				 * never routed as if the target failed */
				stop_error(w, "node '%s': %s", n->id, err);
				w->status = 2;
				t = TURN_STOP;
				break;
			}
			b->v.notice = "The checks were cancelled: press r to run them again, or b to go back.";
		}
		b->v.notice = saved_notice;
		rows_drop_results(&rs);
		run->ops->finish(batch);
		if (t == TURN_STOP)
			break;
		if (act == UI_RERUN)
			again = true;
		else if (act != UI_OK)
			t = common_act(w, act);
	}
	rows_clear(&rs);
	engine_requests_clear(&rq);
	return t;
}

static struct debrief *walk_debrief(const struct walk *w)
{
	return w->training ? debrief_new(w->training, w->e, w->wrong_turns, w->o->ui->hints) : NULL;
}

/* The report's header: the session (who, where, when, ticket, notes), the scenario and
 * the verdict. Build it again after a note: the notes may have moved. */
static void end_meta(const struct walk *w, struct report_meta *m, const char *verdict)
{
	memset(m, 0, sizeof(*m));
	if (w->o->info)
		session_info_meta(w->o->info, m);
	m->scenario = w->o->scenario ? w->o->scenario->id : NULL;
	m->verdict = verdict;
}

/* Write a report to path in fmt; on failure the notice says why. 0, or -1. */
static int write_report(struct walk *w, const struct report_meta *m, enum report_format fmt, const char *path)
{
	char *rerr = NULL;
	if (report_save(w->e, m, fmt, path, &rerr) < 0) {
		set_notice(w, "Could not write the report: %s", rerr ? rerr : path);
		free(rerr);
		return -1;
	}
	free(w->last_report);
	w->last_report = xstrdup(path);
	return 0;
}

/* The walk stopped at end node n: what the shell is told (wizard_end). */
static void end_out(struct walk *w, const struct flow_node *n, const char *title)
{
	struct wizard_end *we = w->o->end_out;
	if (!we)
		return;
	wizard_end_clear(we);
	we->reached = true;
	we->result = n->result;
	we->title = xstrdup(title);
	we->report_path = w->last_report ? xstrdup(w->last_report) : NULL;
}

static enum turn do_end(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	struct ui *u = w->o->ui;
	if (w->o->info) {
		w->o->info->ended = true;
		w->o->info->end_at = report_time_now();
	}
	char *text = screen_text(w->e, n->text);
	struct debrief *db = walk_debrief(w);
	char *dtext = db ? debrief_text(db) : NULL;
	const char *v = db ? db->verdict_text : NULL;
	struct report_meta meta;
	end_meta(w, &meta, v);
	char *summary = report_string(w->e, &meta, REPORT_TEXT);
	char **collect = xcalloc(n->ncollect ? n->ncollect : 1, sizeof(*collect));
	for (size_t i = 0; i < n->ncollect; i++)
		collect[i] = engine_expand(w->e, n->collect[i], false);
	struct ui_end end = {
		.result = n->result,
		.text = text,
		.collect = (const char *const *)collect,
		.ncollect = n->ncollect,
		.summary = summary,
		.verdict = meta.verdict,
		.debrief = dtext,
	};
	if (w->o->journal)
		journal_end(w->o->journal, w->e);
	journal_watch(w);
	bool report_ok = false;          /* --report is written: a note at the end rewrites it */
	if (w->o->report_path && !w->report_written) {
		report_ok = write_report(w, &meta, w->o->report_format, w->o->report_path) == 0;
		w->report_failed = !report_ok;
		if (report_ok)
			add_notice(w, "Report written to %s", w->o->report_path);
		w->report_written = true;
	}
	enum turn t = TURN_AGAIN;
	b->v.notice = w->notice;
	for (;;) {
		char *path = NULL;
		enum ui_act act = u->ops->end(u, &b->v, &end, &path);
		if (act == UI_REPORT && path) {
			enum report_format fmt = report_format_for_path(path);
			if (write_report(w, &meta, fmt, path) == 0)
				set_notice(w, "Report saved to %s", path);
			free(path);
			b->v.notice = w->notice;
			continue;
		}
		free(path);
		if (act == UI_NOTE) {
			bool kept = take_note(w);
			end_meta(w, &meta, v);
			free(summary);
			summary = report_string(w->e, &meta, REPORT_TEXT);
			end.summary = summary;
			if (kept && report_ok && write_report(w, &meta, w->o->report_format, w->o->report_path) == 0)
				set_notice(w, "Note %zu added; %s is updated.", meta.nnotes, w->o->report_path);
			b->v.notice = w->notice;
			continue;
		}
		if (act == UI_QUIT || act == UI_EOF || act == UI_OK || act == UI_NONE) {
			if (w->report_failed)
				w->status = STATUS_NO_REPORT;
			else if (w->o->scenario && w->o->scenario->expect)
				w->status = str_eq(n->id, w->o->scenario->expect) ? 0 : 1;
			else
				w->status = n->result == END_RESOLVED ? 0 : 1;
			end_out(w, n, b->title);
			t = TURN_STOP;
		} else {
			w->report_written = false;
			if (w->o->info)
				w->o->info->ended = false;
			t = common_act(w, act);
		}
		break;
	}
	for (size_t i = 0; i < n->ncollect; i++)
		free(collect[i]);
	free(collect);
	free(summary);
	free(dtext);
	debrief_free(db);
	free(text);
	return t;
}

/* Training: the scenario's brief on a page of its own before the first step. */
static enum turn briefing(struct walk *w)
{
	const struct scenario *sc = w->o->scenario;
	const struct flow *f = engine_flow(w->e);
	char *title = xasprintf("Training: %s", sc->title ? sc->title : sc->id);
	struct ui_page p = {
		.flow_title = f->title ? f->title : f->id,
		.title = title,
		.text = sc->brief ? sc->brief : "(This scenario has no brief.)",
	};
	enum ui_act act = w->o->ui->ops->page(w->o->ui, &p);
	free(title);
	if (act == UI_QUIT || act == UI_EOF)
		return common_act(w, act);
	set_notice(w, "Training: check results on this walk are simulated.");
	return TURN_AGAIN;
}

/* Training: the debrief of the walk as it stopped, for the caller. */
static void hand_debrief(struct walk *w)
{
	struct debrief *db = walk_debrief(w);
	if (!db || !w->o->debrief) {
		debrief_free(db);
		return;
	}
	w->o->debrief->line = debrief_line(db, w->o->trainee);
	w->o->debrief->json = debrief_json(db, w->o->trainee, w->o->started, (long long)time(NULL));
	debrief_free(db);
}

void wizard_end_clear(struct wizard_end *we)
{
	if (!we)
		return;
	free(we->title);
	free(we->report_path);
	free(we->error);
	memset(we, 0, sizeof(*we));
}

int wizard_run(struct engine *e, const struct wizard_opts *o)
{
	struct walk w = {.e = e, .o = o, .status = 0};
	bool stop = false;
	size_t branches = 0;            /* branch nodes decided in a row */
	if (o->scenario) {
		w.training = training_new(o->scenario, engine_flow(e));
		w.wrong_turns = training_wrong_turns(w.training, e);
		stop = briefing(&w) == TURN_STOP;
	}
	if (o->resumed)
		set_notice(&w, "Resumed: %zu earlier step%s restored.", engine_history_len(e),
			   engine_history_len(e) == 1 ? "" : "s");
	/* Bounded by the operator: every turn either moves the engine, stops, or waits on
	 * the front end for input (an answers file's front end gives up on a loop). */
	while (!stop) {
		struct view_buf b;
		journal_watch(&w);      /* the resume event, written before the first screen */
		if (flow_node_automatic(engine_node(e)->type)) {
			/* no screen (a branch, a sub-flow's call or return): a notice waiting
			 * is kept for the next one. Branches that lead only to each other
			 * would never ask anything: stop after more in a row than the flow
			 * has nodes. */
			if (++branches > engine_flow(e)->nnodes) {
				stop_error(&w, "node '%s': branches lead round in a circle without "
					   "reaching a node that asks", engine_node(e)->id);
				w.status = 2;
				break;
			}
			if (do_branch(&w) == TURN_STOP)
				break;
			continue;
		}
		branches = 0;
		char *notice = w.notice;
		w.notice = NULL;
		view_build(&b, e, o, resumable(&w), notice);
		enum turn t = TURN_AGAIN;
		switch (engine_node(e)->type) {
		case NODE_INFO: t = do_info(&w, &b); break;
		case NODE_QUESTION: t = do_question(&w, &b); break;
		case NODE_INPUT: t = do_input(&w, &b); break;
		case NODE_CHECK: t = do_check(&w, &b); break;
		case NODE_CLASSIFY: t = do_classify(&w, &b); break;
		case NODE_STEPS: t = do_steps(&w, &b); break;
		case NODE_BRANCH:
		case NODE_FLOW:
		case NODE_RETURN: break;        /* decided above */
		case NODE_END:
			b.v.notice = notice;
			w.notice = notice;
			notice = NULL;
			t = do_end(&w, &b);
			break;
		}
		free(notice);
		view_clear(&b);
		if (t == TURN_STOP)
			break;
	}
	hand_debrief(&w);
	training_free(w.training);
	free(w.notice);
	free(w.last_report);
	return w.status;
}
