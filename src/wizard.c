/* wizard.c — the driver: shows the engine's current node through a front end, hands the
 * operator's answer back to the engine, runs check nodes through a runner, keeps the
 * journal, and writes the report at the end.
 *
 * The driver owns no terminal and no socket: the front end draws, the runner measures.
 * Confirmation of restart and quit is the front end's business; an action returned
 * here has been confirmed. */
#include "src/wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/logscan.h"
#include "src/util.h"

/* At most this much of a matched line is echoed ("Recognised in: ..."). */
#define MATCH_EXCERPT_COLS 120

/* Everything a screen shows, built fresh for each visit; owns its strings. */
struct view_buf {
	struct ui_view v;
	char *title, *text, *why;
	char **path;
	size_t npath;
};

static void view_free(struct view_buf *b)
{
	free(b->title);
	free(b->text);
	free(b->why);
	for (size_t i = 0; i < b->npath; i++)
		free(b->path[i]);
	free(b->path);
	memset(b, 0, sizeof(*b));
}

/* A flow text for a screen: templated (secrets masked), soft line breaks joined so
 * each front end can wrap it to its own width. */
static char *screen_text(const struct engine *e, const char *tmpl)
{
	if (!tmpl)
		return NULL;
	char *x = engine_expand(e, tmpl, false);
	char *r = text_reflow(x);
	free(x);
	return r;
}

static char *node_title(const struct engine *e, const struct flow_node *n)
{
	return n->title ? engine_expand(e, n->title, false) : xstrdup(n->id);
}

static void view_build(struct view_buf *b, const struct engine *e, const struct wizard_opts *o,
		       const char *notice)
{
	const struct flow *f = engine_flow(e);
	const struct flow_node *n = engine_node(e);
	memset(b, 0, sizeof(*b));
	b->title = node_title(e, n);
	b->text = screen_text(e, n->text);
	b->why = screen_text(e, n->why);
	size_t h = engine_history_len(e);
	b->path = xcalloc(h ? h : 1, sizeof(*b->path));
	for (size_t i = 0; i < h; i++)
		b->path[b->npath++] = node_title(e, &f->nodes[engine_history(e, i)->node]);
	b->v = (struct ui_view){
		.flow_title = f->title ? f->title : f->id,
		.node_id = n->id,
		.title = b->title,
		.text = b->text,
		.why = b->why,
		.type = n->type,
		.step_no = engine_step_no(e),
		.path = (const char *const *)b->path,
		.npath = b->npath,
		.training = o->scenario != NULL,
		.notice = notice,
	};
}

/* Outcome of handling one node: go on walking, or stop with an exit status. */
enum turn { TURN_AGAIN, TURN_STOP };

struct walk {
	struct engine *e;
	const struct wizard_opts *o;
	char *notice;            /* for the next screen; owned */
	int status;              /* exit status when stopping */
	bool report_written;
};

static void set_notice(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_notice(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(w->notice);
	w->notice = xvasprintf(fmt, ap);
	va_end(ap);
}

static void journal_last(struct walk *w)
{
	size_t h = engine_history_len(w->e);
	if (w->o->journal && h)
		journal_step(w->o->journal, w->e, engine_history(w->e, h - 1));
}

/* Tell the operator what an answers file answered, so a replay reads like a walk. */
static void echo_answer(struct walk *w, const char *title, const char *answer)
{
	struct ui *u = w->o->ui;
	char *line = xasprintf("[%zu] %s: %s", engine_step_no(w->e), title, answer);
	u->ops->notice(u, line);
	free(line);
}

static enum turn missing_answer(struct walk *w, const char *what)
{
	fprintf(stderr, "tshoot: answers file has no %s for node '%s'\n", what, engine_node(w->e)->id);
	w->status = 2;
	return TURN_STOP;
}

/* Handle the operator's navigation actions common to every screen. */
static enum turn common_act(struct walk *w, enum ui_act act)
{
	switch (act) {
	case UI_BACK:
		if (engine_back(w->e) < 0) {
			set_notice(w, "This is the first step: there is nothing to go back to.");
		} else if (w->o->journal) {
			journal_back(w->o->journal);
		}
		return TURN_AGAIN;
	case UI_RESTART:
		engine_restart(w->e);
		if (w->o->journal)
			journal_restart(w->o->journal);
		set_notice(w, "Started again from the beginning.");
		return TURN_AGAIN;
	case UI_EOF:
		w->o->ui->ops->notice(w->o->ui, w->o->journal
			? "End of input: the session is saved; continue it with 'tshoot --resume'."
			: "End of input.");
		w->status = 0;
		return TURN_STOP;
	case UI_QUIT:
		if (w->o->journal)
			w->o->ui->ops->notice(w->o->ui, "Session saved; continue it with 'tshoot --resume'.");
		w->status = 0;
		return TURN_STOP;
	default:
		return TURN_AGAIN;
	}
}

static enum turn do_info(struct walk *w, struct view_buf *b)
{
	const char *err;
	enum ui_act act = UI_OK;
	if (!w->o->answers || w->o->interactive)
		act = w->o->ui->ops->info(w->o->ui, &b->v);
	else
		echo_answer(w, b->title, "(continue)");
	if (act != UI_OK)
		return common_act(w, act);
	if (engine_next(w->e, &err) < 0) {
		set_notice(w, "%s", err);
		return TURN_AGAIN;
	}
	journal_last(w);
	return TURN_AGAIN;
}

/* An answer from a file: the label (case-insensitive) or its 1-based number. */
static int answer_index(const struct flow_node *n, const char *a, size_t *out)
{
	long k;
	if (parse_long(a, 1, (long)n->nanswers, &k)) {
		*out = (size_t)(k - 1);
		return 0;
	}
	for (size_t i = 0; i < n->nanswers; i++) {
		if (strcasecmp(n->answers[i].label, a) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

static enum turn do_question(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	const char *err;
	size_t choice = 0;
	const char *given = w->o->answers ? answers_get0(w->o->answers, n->id) : NULL;
	if (given) {
		if (answer_index(n, given, &choice) < 0) {
			fprintf(stderr, "tshoot: answers file: '%s' is not an answer of node '%s'\n", given, n->id);
			w->status = 2;
			return TURN_STOP;
		}
		echo_answer(w, b->title, n->answers[choice].label);
	} else if (w->o->answers && !w->o->interactive) {
		return missing_answer(w, "answer");
	} else {
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
	}
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
		const char *cur = engine_var(w->e, n->vars[i].id);
		fields[i].value = xstrdup(cur ? cur : "");
	}
	bool scripted = w->o->answers && !w->o->interactive;
	bool from_file = false;
	if (w->o->answers) {
		for (size_t i = 0; i < nf; i++) {
			const char *a = answers_var0(w->o->answers, n->id, fields[i].name);
			if (a) {
				free(fields[i].value);
				fields[i].value = xstrdup(a);
				from_file = true;
			}
		}
	}
	enum turn t = TURN_AGAIN;
	/* Bounded: a scripted walk gets one try; an operator may retry as often as they like,
	 * but each retry returns to the caller's loop through the front end. */
	for (int attempt = 0;; attempt++) {
		if (!scripted && !(from_file && attempt == 0)) {
			enum ui_act act = w->o->ui->ops->input(w->o->ui, &b->v, fields, nf);
			if (act != UI_OK) {
				t = common_act(w, act);
				break;
			}
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
			if (scripted || from_file) {
				for (size_t i = 0; i < nf; i++)
					echo_answer(w, fields[i].prompt, fields[i].secret ? "********" : fields[i].value);
			}
			journal_last(w);
			break;
		}
		if (scripted) {
			fprintf(stderr, "tshoot: answers file: node '%s': %s: %s\n", n->id,
				bad < nf ? fields[bad].name : "input", err ? err : "invalid value");
			w->status = 2;
			t = TURN_STOP;
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
	const struct flow_node *n = engine_node(w->e);
	const char *err;
	char *pasted = NULL;
	const char *given = w->o->answers ? answers_get0(w->o->answers, n->id) : NULL;
	if (given) {
		pasted = xstrdup(given);
		echo_answer(w, b->title, pasted);
	} else if (w->o->answers && !w->o->interactive) {
		return missing_answer(w, "pasted text");
	} else {
		enum ui_act act = w->o->ui->ops->classify(w->o->ui, &b->v, &pasted);
		if (act != UI_OK) {
			free(pasted);
			return common_act(w, act);
		}
	}
	int rc = engine_classify(w->e, pasted ? pasted : "", &err);
	free(pasted);
	if (rc < 0) {
		set_notice(w, "%s", err);
		return TURN_AGAIN;
	}
	journal_last(w);
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
	return TURN_AGAIN;
}

static bool parse_fixed(const char *a, bool *fixed)
{
	static const char *const yes[] = {"fixed", "yes", "y", "1", "true"};
	static const char *const no[] = {"not fixed", "not_fixed", "no", "n", "2", "false"};
	for (size_t i = 0; i < ARRAY_LEN(yes); i++)
		if (strcasecmp(a, yes[i]) == 0)
			return *fixed = true;
	for (size_t i = 0; i < ARRAY_LEN(no); i++)
		if (strcasecmp(a, no[i]) == 0) {
			*fixed = false;
			return true;
		}
	return false;
}

static enum turn do_steps(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	const char *err;
	bool fixed = false;
	bool *ticked = xcalloc(n->nsteps ? n->nsteps : 1, sizeof(*ticked));
	enum turn t = TURN_AGAIN;
	const char *given = w->o->answers ? answers_get0(w->o->answers, n->id) : NULL;
	if (given) {
		if (!parse_fixed(given, &fixed)) {
			fprintf(stderr, "tshoot: answers file: node '%s' takes 'fixed' or 'not fixed', not '%s'\n",
				n->id, given);
			w->status = 2;
			free(ticked);
			return TURN_STOP;
		}
		echo_answer(w, b->title, fixed ? "fixed" : "not fixed");
	} else if (w->o->answers && !w->o->interactive) {
		free(ticked);
		return missing_answer(w, "answer (fixed / not fixed)");
	} else {
		char **texts = xcalloc(n->nsteps ? n->nsteps : 1, sizeof(*texts));
		for (size_t i = 0; i < n->nsteps; i++)
			texts[i] = screen_text(w->e, n->steps[i].text);
		enum ui_act act = w->o->ui->ops->steps(w->o->ui, &b->v, n->steps, (const char *const *)texts,
						       n->nsteps, ticked, &fixed);
		for (size_t i = 0; i < n->nsteps; i++)
			free(texts[i]);
		free(texts);
		if (act != UI_OK) {
			free(ticked);
			return common_act(w, act);
		}
	}
	if (engine_steps(w->e, fixed, ticked, &err) < 0)
		set_notice(w, "%s", err);
	else
		journal_last(w);
	free(ticked);
	return t;
}

/* The target a row shows before its result exists: the request's main parameter. */
static const char *request_target(const struct check_request *r)
{
	static const char *const keys[] = {"url", "target", "host", "name", "file", "proxy"};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const char *v = check_request_param(r, keys[i]);
		if (v)
			return v;
	}
	return r->kind;
}

static enum turn do_check(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	const struct check_runner *run = &w->o->runner;
	struct ui *u = w->o->ui;
	const char *err;
	struct engine_requests rq;
	if (engine_check_requests(w->e, &rq, &err) < 0) {
		/* A parameter that templated into nonsense (a timeout that is not a number):
		 * bad input from the flow or the operator, not an internal error. */
		fprintf(stderr, "tshoot: node '%s': %s\n", n->id, err);
		w->status = 2;
		return TURN_STOP;
	}
	struct ui_check_row *rows = xcalloc(rq.n ? rq.n : 1, sizeof(*rows));
	enum turn t = TURN_AGAIN;
	bool again = true;
	while (again) {
		again = false;
		if (w->o->sim)
			sim_runner_select(w->o->sim, n->id);
		struct check_batch *batch = run->ops->start(run->ctx, rq.reqs, rq.n);
		long long t0 = now_ms();
		bool cancelled = false, quit = false;
		enum ui_act act = UI_NONE;
		/* Poll the batch and let the front end breathe every 100 ms. Bounded: every
		 * check has its own timeout and honours cancel within 100 ms. */
		for (;;) {
			bool all = run->ops->poll(batch, 100);
			for (size_t i = 0; i < rq.n; i++) {
				bool d = run->ops->done(batch, i);
				const struct check_result *r = d ? run->ops->result(batch, i) : NULL;
				rows[i] = (struct ui_check_row){
					.label = rq.labels[i],
					.target = r && r->target ? r->target : request_target(&rq.reqs[i]),
					.done = d,
					.elapsed_ms = r ? r->elapsed_ms : (long)(now_ms() - t0),
					.result = r,
				};
			}
			if (all)
				break;
			act = u->ops->checks(u, &b->v, rows, rq.n, true);
			if ((act == UI_CANCEL || act == UI_QUIT || act == UI_EOF) && !cancelled) {
				run->ops->cancel(batch);
				cancelled = true;
				quit = act != UI_CANCEL;
			}
		}
		if (quit) {
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
			if (act != UI_OK)
				break;
			struct check_result *res = xcalloc(rq.n ? rq.n : 1, sizeof(*res));
			for (size_t i = 0; i < rq.n; i++)
				check_result_copy(&res[i], run->ops->result(batch, i));
			int rc = engine_check_results(w->e, res, rq.n, &err);
			for (size_t i = 0; i < rq.n; i++)
				check_result_free(&res[i]);
			free(res);
			if (rc == 0) {
				journal_last(w);
				break;
			}
			if (w->o->answers && !w->o->interactive) {
				fprintf(stderr, "tshoot: node '%s': %s\n", n->id, err);
				w->status = 2;
				t = TURN_STOP;
				break;
			}
			b->v.notice = "The checks were cancelled: press r to run them again, or b to go back.";
		}
		b->v.notice = saved_notice;
		run->ops->finish(batch);
		if (t == TURN_STOP)
			break;
		if (act == UI_RERUN)
			again = true;
		else if (act != UI_OK)
			t = common_act(w, act);
	}
	free(rows);
	engine_requests_free(&rq);
	return t;
}

static char *verdict(const struct walk *w)
{
	const struct scenario *sc = w->o->scenario;
	const struct flow *f = engine_flow(w->e);
	const struct flow_node *n = engine_node(w->e);
	if (!sc || !sc->expect)
		return NULL;
	size_t steps = engine_history_len(w->e);
	int target = flow_node_index(f, sc->expect);
	int shortest = target >= 0 ? engine_shortest_path(f, f->start.idx, target) : -1;
	if (str_eq(n->id, sc->expect))
		return shortest >= 0
			? xasprintf("Well done: you reached the expected resolution '%s' in %zu steps (shortest path: %d).",
				    sc->expect, steps, shortest)
			: xasprintf("Well done: you reached the expected resolution '%s' in %zu steps.", sc->expect, steps);
	return xasprintf("Not quite: you reached '%s', but this scenario's fault is resolved at '%s'.",
			 n->id, sc->expect);
}

static enum turn do_end(struct walk *w, struct view_buf *b)
{
	const struct flow_node *n = engine_node(w->e);
	struct ui *u = w->o->ui;
	char *text = screen_text(w->e, n->text);
	char *v = verdict(w);
	struct report_meta meta = {
		.scenario = w->o->scenario ? w->o->scenario->id : NULL,
		.verdict = v,
	};
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
		.verdict = v,
	};
	if (w->o->journal)
		journal_end(w->o->journal, w->e);
	if (w->o->report_path && !w->report_written) {
		char *rerr = NULL;
		if (report_save(w->e, &meta, w->o->report_format, w->o->report_path, &rerr) < 0) {
			set_notice(w, "Could not write the report: %s", rerr ? rerr : "error");
			free(rerr);
		} else {
			set_notice(w, "Report written to %s", w->o->report_path);
		}
		w->report_written = true;
	}
	enum turn t = TURN_AGAIN;
	b->v.notice = w->notice;
	for (;;) {
		char *path = NULL;
		enum ui_act act = u->ops->end(u, &b->v, &end, &path);
		if (act == UI_REPORT && path) {
			enum report_format fmt = REPORT_TEXT;
			const char *dot = strrchr(path, '.');
			if (dot)
				report_format_parse(dot + 1, &fmt);
			char *rerr = NULL;
			if (report_save(w->e, &meta, fmt, path, &rerr) < 0)
				set_notice(w, "Could not write %s: %s", path, rerr ? rerr : "error");
			else
				set_notice(w, "Report saved to %s", path);
			free(rerr);
			free(path);
			b->v.notice = w->notice;
			continue;
		}
		free(path);
		if (act == UI_QUIT || act == UI_EOF || act == UI_OK || act == UI_NONE) {
			if (w->o->scenario && w->o->scenario->expect)
				w->status = str_eq(n->id, w->o->scenario->expect) ? 0 : 1;
			else
				w->status = n->result == END_RESOLVED ? 0 : 1;
			t = TURN_STOP;
		} else {
			w->report_written = false;
			t = common_act(w, act);
		}
		break;
	}
	for (size_t i = 0; i < n->ncollect; i++)
		free(collect[i]);
	free(collect);
	free(summary);
	free(v);
	free(text);
	return t;
}

int wizard_run(struct engine *e, const struct wizard_opts *o)
{
	struct walk w = {.e = e, .o = o, .status = 0};
	if (o->scenario) {
		char *msg = xasprintf("Training scenario: %s%s%s", o->scenario->title ? o->scenario->title : o->scenario->id,
				      o->scenario->brief ? "\n" : "", o->scenario->brief ? o->scenario->brief : "");
		o->ui->ops->notice(o->ui, msg);
		free(msg);
		set_notice(&w, "Training: check results on this walk are simulated.");
	}
	if (o->resumed)
		set_notice(&w, "Resumed: %zu earlier step%s restored.", engine_history_len(e),
			   engine_history_len(e) == 1 ? "" : "s");
	/* Bounded by the operator: every turn either moves the engine, stops, or waits on
	 * the front end for input. A scripted walk cannot loop: each node answered from a
	 * file moves on or stops with status 2. */
	for (size_t turns = 0;; turns++) {
		if (!o->interactive && o->answers && turns > 100000) {
			fprintf(stderr, "tshoot: answers file walks in a loop; giving up\n");
			w.status = 2;
			break;
		}
		struct view_buf b;
		char *notice = w.notice;
		w.notice = NULL;
		view_build(&b, e, o, notice);
		enum turn t = TURN_AGAIN;
		switch (engine_node(e)->type) {
		case NODE_INFO: t = do_info(&w, &b); break;
		case NODE_QUESTION: t = do_question(&w, &b); break;
		case NODE_INPUT: t = do_input(&w, &b); break;
		case NODE_CHECK: t = do_check(&w, &b); break;
		case NODE_CLASSIFY: t = do_classify(&w, &b); break;
		case NODE_STEPS: t = do_steps(&w, &b); break;
		case NODE_END:
			b.v.notice = notice;
			w.notice = notice;
			notice = NULL;
			t = do_end(&w, &b);
			break;
		}
		free(notice);
		view_free(&b);
		if (t == TURN_STOP)
			break;
	}
	free(w.notice);
	return w.status;
}
