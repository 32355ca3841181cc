/* cmd_run.c — `tshoot [OPTIONS] [FLOW]`: which flow (or journal, scenario, answers
 * file), loaded and linted, an engine started, a journal opened, the front end chosen,
 * and the walk handed to the driver (wizard.c); then what the shell is told. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/runner.h"
#include "src/answers.h"
#include "src/cmd.h"
#include "src/diag.h"
#include "src/engine.h"
#include "src/flow.h"
#include "src/flow_catalog.h"
#include "src/flow_link.h"
#include "src/flow_lang.h"
#include "src/lint.h"
#include "src/report.h"
#include "src/scenario.h"
#include "src/session.h"
#include "src/training.h"
#include "src/util.h"
#include "src/wizard.h"
#include "ui/replay.h"
#include "ui/ui.h"

/* Does an answers file's `flow:` (an id, or a path from the answers file's directory
 * or the current one) name flow f, loaded from flow_path? */
static bool answers_flow_is(const char *af, const char *answers_path, const struct flow *f,
			    const char *flow_path)
{
	if (str_eq(af, f->id))
		return true;
	struct stat want, st;
	if (stat(flow_path, &want) != 0)
		return false;
	const char *slash = strrchr(answers_path, '/');
	char *near = af[0] != '/' && slash ? xasprintf("%.*s/%s", (int)(slash - answers_path), answers_path, af)
					  : xstrdup(af);
	bool same = false;
	const char *cand[] = {near, af};
	for (size_t i = 0; i < ARRAY_LEN(cand) && !same; i++)
		same = stat(cand[i], &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino;
	free(near);
	return same;
}

struct run_opts {
	bool plain, no_journal, resume;
	const char *answers, *scenario, *resume_path, *report, *format, *node, *flow, *results, *trainee, *ticket;
	const char *lang;                /* --lang */
	char **sets;
	size_t nsets, csets;
};

/* Notices collected before the front end opens, shown once it does. */
struct notes {
	char **v;
	size_t n, cap;
};

static void note_add(struct notes *nt, char *msg)    /* takes msg */
{
	VEC_PUSH(nt->v, nt->n, nt->cap);
	nt->v[nt->n++] = msg;
}

/* Open the front end in *ui (in place: a front end keeps the pointer): full screen
 * when we can (not --plain, a real terminal), else line mode; with an answers file, its
 * replay (ui/replay.c). When the
 * full screen cannot start it falls back to line mode and says so in notes (may be
 * NULL). */
static void front_end_open(struct ui *ui, const struct run_opts *o, const struct answers *ans,
			   struct notes *notes)
{
	*ui = (struct ui){.ops = &plain_ui_ops, .in = stdin, .out = stdout};
	if (ans) {
		replay_ui_init(ui, ans, stdin, stdout);
		ui->ops->open(ui);
	} else if (!o->plain && !o->answers && ui_terminal_ok()) {
		ui->ops = &curses_ui_ops;
		if (ui->ops->open(ui) != 0) {
			ui->ops->close(ui);
			*ui = (struct ui){.ops = &plain_ui_ops, .in = stdin, .out = stdout};
			if (notes)
				note_add(notes, xstrdup("The full-screen mode could not start; using line mode."));
			ui->ops->open(ui);
		}
	} else {
		ui->ops->open(ui);
	}
}

/* The operator picks one of n items (a flow, a session) in the front end the walk
 * will have, before it starts. True with *k; else false with *status to exit with:
 * 0 declined, 2 end of input, 128 + N stopped by signal N. */
static bool pick_one(const struct run_opts *o, const struct ui_list *l, size_t *k, int *status)
{
	struct ui ui;
	front_end_open(&ui, o, NULL, NULL);
	enum ui_act act = ui.ops->choose(&ui, l, k);
	ui.ops->close(&ui);
	if (act == UI_SIGNAL)
		*status = EXIT_SIGNAL_BASE + ui.signo;
	else
		*status = act == UI_QUIT ? 0 : EXIT_USAGE;
	return act == UI_OK;
}

/* With no FLOW: the one flow there is; with several, the operator picks one on a
 * terminal, and a script gets the bundled default. NULL (said why, or *status from the
 * picker) when there is none. */
static char *default_flow(const struct run_opts *o, int *status)
{
	size_t n;
	struct flow_entry *v = flow_catalog(&n);
	char *path = NULL;
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	const struct flow_entry *def = n == 1 || !tty ? flow_default(v, n) : NULL;
	if (def)
		path = xstrdup(def->path);
	if (!path && n == 0) {
		say("no flows found (%s); name a FLOW file", FLOW_DIRS_TEXT);
	} else if (!path && !tty) {
		say("several flows are installed; name one (see 'tshoot list')");
	} else if (!path) {
		/* a row per flow: its id, its title, the directory it was found in */
		const char **cells = xcalloc(n * 3, sizeof(*cells)), **ids = xcalloc(n, sizeof(*ids));
		char **dirs = xcalloc(n, sizeof(*dirs));
		for (size_t i = 0; i < n; i++) {
			const char *slash = strrchr(v[i].path, '/');
			dirs[i] = slash ? xstrndup(v[i].path, (size_t)(slash - v[i].path)) : xstrdup(".");
			cells[i * 3] = ids[i] = v[i].id;
			cells[i * 3 + 1] = v[i].title;
			cells[i * 3 + 2] = dirs[i];
		}
		static const char *const heads[] = {"Flow", "Title", "Found in"};
		struct ui_list l = {
			.question = "Which troubleshooting flow? ('tshoot list' shows them too)",
			.heads = heads, .cells = cells, .ncols = 3, .keys = ids, .n = n,
		};
		size_t k;
		if (pick_one(o, &l, &k, status))
			path = xstrdup(v[k].path);
		strv_free(dirs, n);
		free(cells);
		free(ids);
	}
	flow_entries_free(v, n);
	return path;
}

/* --resume with no JOURNAL: several sessions on a terminal, the operator picks one;
 * else the newest with an answer, and the notes say which. Sessions open in a running
 * tshoot are left out while there are others. NULL (said why, or *status from the
 * picker) when there is none. */
static char *choose_session(const struct run_opts *o, struct notes *notes, int *status)
{
	size_t n, nfree = 0;
	struct session_info *v = session_resumable(&n);
	while (nfree < n && !v[nfree].busy)
		nfree++;
	bool ask = nfree > 1 && !o->answers && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	char *path = NULL;
	if (n == 0) {
		say("no interrupted session to resume (see 'tshoot sessions')");
	} else if (ask) {
		char **items = xcalloc(nfree, sizeof(*items)), **ids = xcalloc(nfree, sizeof(*ids));
		for (size_t i = 0; i < nfree; i++) {
			items[i] = session_describe(&v[i]);
			ids[i] = session_id_dup(v[i].path);
		}
		struct ui_list l = {
			.question = "Which session do you want to resume?",
			.cells = (const char *const *)items, .ncols = 1, .keys = (const char *const *)ids, .n = nfree,
		};
		size_t k;
		if (pick_one(o, &l, &k, status))
			path = xstrdup(v[k].path);
		strv_free(items, nfree);
		strv_free(ids, nfree);
	} else {
		char *id = session_id_dup(v[0].path), *d = session_describe(&v[0]);
		note_add(notes, xasprintf("Resuming session %s: %s.", id, d));
		free(id);
		free(d);
		path = xstrdup(v[0].path);
	}
	session_infos_free(v, n);
	return path;
}

/* --results and --trainee: only in training, a name that fits, a directory that exists
 * (the file itself is written when the walk stops). true after an error line. */
static bool training_opts_bad(const struct run_opts *o, const struct scenario *sc)
{
	const char *pb;
	if ((o->results || o->trainee) && !sc) {
		usage_error("%s is for training walks (--scenario, or --resume of one)", o->results ? "--results" : "--trainee");
		return true;
	}
	if (o->trainee && (pb = training_name_problem(o->trainee))) {
		usage_error("--trainee: %s", pb);
		return true;
	}
	if (o->results) {
		char *dir = xstrdup(o->results);
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		struct stat st;
		bool ok = *o->results && (!slash || (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)));
		free(dir);
		if (!ok) {
			usage_error("--results %s: no such directory", o->results);
			return true;
		}
	}
	return false;
}

/* Training: the debrief's line to the shell, the result to --results. */
static int finish_training(const struct run_opts *o, struct wizard_debrief *db, int rc)
{
	if (db->line)
		printf("%s\n", db->line);
	if (o->results && db->json) {
		char *err = NULL;
		if (report_save_string(o->results, db->json, &err) != 0) {
			say("%s", err ? err : "cannot write the result");
			rc = EXIT_INTERNAL;
		}
		free(err);
	}
	fflush(stdout);
	free(db->line);
	free(db->json);
	return rc;
}

/* Everything one walk holds, from the options to the front end; run_free lets it go.
 * Each run_* step below returns false to stop, with the exit status in rc (a usage
 * error unless the step says otherwise). */
struct run {
	struct run_opts *o;
	int rc;
	enum report_format fmt;
	struct notes notes;
	struct session_info info;        /* the journal resumed (have_info) */
	struct session_info walk_info;   /* the report's header (have_walk_info) */
	bool have_info, have_walk_info;
	struct wizard_end wend;
	struct scenario *sc;
	struct answers *ans;
	struct flow *f;
	struct engine *e;
	struct sim_runner *sim;
	struct journal *journal;
	char *flow_path, *journal_path;
	char *lang;                      /* the walk's language: run_lang */
	struct diags d;
};

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->notes.n; i++)
		free(r->notes.v[i]);
	free(r->notes.v);
	if (r->journal)
		journal_close(r->journal);
	free(r->journal_path);
	sim_runner_free(r->sim);
	engine_free(r->e);
	answers_free(r->ans);
	flow_free(r->f);
	scenario_free(r->sc);
	if (r->have_info)
		session_info_clear(&r->info);
	if (r->have_walk_info)
		session_info_clear(&r->walk_info);
	wizard_end_clear(&r->wend);
	free(r->flow_path);
	free(r->lang);
	diags_clear(&r->d);
}

/* Options that do not go together, a ticket and a report format. */
static bool run_check_opts(struct run *r)
{
	struct run_opts *o = r->o;
	if (o->resume && (o->scenario || o->node)) {
		r->rc = usage_error("--resume cannot be combined with %s", o->scenario ? "--scenario" : "--node");
		return false;
	}
	const char *why = NULL;
	if (o->ticket && report_ticket_check(o->ticket, &why) != 0) {
		r->rc = usage_error("--ticket: %s", why);
		return false;
	}
	if (o->lang && !lang_tag_valid(o->lang)) {
		r->rc = usage_error("--lang: '%s' is not a language tag (%s)", o->lang, LANG_TAG_RULE);
		return false;
	}
	r->fmt = report_format_for_path(o->report);
	if (o->format) {
		if (!o->report) {
			r->rc = usage_error("--format needs --report FILE");
			return false;
		}
		if (report_format_parse(o->format, &r->fmt) != 0) {
			r->rc = usage_error("unknown report format '%s' (text, md, json or answers)", o->format);
			return false;
		}
	}
	return true;
}

/* --resume: which journal (picked when none is named), its flow and scenario. */
static bool run_pick_journal(struct run *r)
{
	struct run_opts *o = r->o;
	const char *jp = o->resume_path;
	char *latest = NULL, *err = NULL;
	if (!jp && o->flow) {
		/* `--resume JOURNAL` written with a space: the positional is the journal */
		jp = o->flow;
		o->flow = NULL;
	}
	if (!jp) {
		latest = choose_session(o, &r->notes, &r->rc);
		if (!latest)
			return false;
		jp = latest;
	}
	int rd = session_read_info(jp, &r->info, &err);
	free(latest);
	if (rd != 0) {
		say("%s", err ? err : "cannot read the journal");
		free(err);
		return false;
	}
	r->have_info = true;
	const struct session_info *info = &r->info;
	if (info->flow_path && path_is_file(info->flow_path))
		r->flow_path = xstrdup(info->flow_path);
	else if (info->flow_id)
		r->flow_path = flow_find(info->flow_id);
	if (!r->flow_path) {
		say("%s: its flow '%s' is no longer installed", info->path, info->flow_id ? info->flow_id : "?");
		return false;
	}
	if (info->scenario && path_is_file(info->scenario) && scenario_is_file(info->scenario)) {
		r->sc = scenario_load(info->scenario, &r->d);
		if (!r->sc) {
			diags_print(&r->d, stderr);
			return false;
		}
	}
	if (info->ended)
		note_add(&r->notes, xstrdup("That session had already reached its end."));
	return true;
}

/* Which journal, which scenario, which flow. */
static bool run_pick(struct run *r)
{
	struct run_opts *o = r->o;
	if (o->resume)
		return run_pick_journal(r);
	if (o->scenario) {
		if (!path_is_file(o->scenario)) {
			say("--scenario: %s: no such file", o->scenario);
			return false;
		}
		r->sc = scenario_load(o->scenario, &r->d);
		if (!r->sc) {
			diags_print(&r->d, stderr);
			return false;
		}
		r->flow_path = flow_find(o->flow ? o->flow : r->sc->flow);
		if (!r->flow_path) {
			say("no flow '%s' for scenario %s (see 'tshoot list')",
			    o->flow ? o->flow : (r->sc->flow ? r->sc->flow : ""), o->scenario);
			return false;
		}
		return true;
	}
	if (o->flow) {
		r->flow_path = flow_find(o->flow);
		if (!r->flow_path)
			r->rc = usage_error("'%s' is not a command, a flow file or the id of an installed flow", o->flow);
		return r->flow_path != NULL;
	}
	r->flow_path = default_flow(o, &r->rc);
	return r->flow_path != NULL;
}

/* The walk's language (tshoot(1), --lang): --lang, else the one a resumed journal
 * records, else the environment's (lang_from_env). */
static char *run_lang(const struct run *r)
{
	if (r->o->lang)
		return xstrdup(r->o->lang);
	if (r->have_info && r->info.lang && lang_tag_valid(r->info.lang))
		return xstrdup(r->info.lang);
	return lang_from_env();
}

/* The flow (linted), the scenario against it, the answers file. */
static bool run_load(struct run *r)
{
	struct run_opts *o = r->o;
	struct diags *d = &r->d;
	if (training_opts_bad(o, r->sc))
		return false;
	r->lang = run_lang(r);
	r->f = flow_load_opts(r->flow_path, NULL, 0, &(struct flow_load_opts){.lang = r->lang}, d, NULL);
	if (!r->f) {
		diags_print(d, stderr);
		return false;
	}
	/* warnings: a translation file that does not fit (lint says more) */
	for (size_t i = 0; i < d->n; i++)
		note_add(&r->notes, diag_format(&d->v[i]));
	diags_clear(d);
	if (lint_flow(r->f, d) > 0) {
		diags_print(d, stderr);
		say("%s has errors; fix them first ('tshoot lint %s')", r->flow_path, r->flow_path);
		return false;
	}
	diags_clear(d);
	/* sub-flows in (lint_flow checked them): the walk is of the linked flow */
	if (flow_link(r->f, d) != 0) {
		diags_print(d, stderr);
		return false;
	}
	diags_clear(d);
	if (r->sc && scenario_lint(r->sc, r->f, d) > 0) {
		diags_print(d, stderr);
		say("scenario %s does not fit flow %s", r->sc->path, r->flow_path);
		return false;
	}
	diags_clear(d);
	if (!o->answers)
		return true;
	if (!path_is_file(o->answers)) {
		say("--answers: %s: no such file", o->answers);
		return false;
	}
	r->ans = answers_load(o->answers, d);
	if (!r->ans) {
		diags_print(d, stderr);
		return false;
	}
	diags_clear(d);
	const char *af = answers_flow0(r->ans);
	if (af && !answers_flow_is(af, o->answers, r->f, r->flow_path)) {
		say("--answers: %s records a walk of flow '%s', not of '%s' (%s)", o->answers, af, r->f->id,
		    r->flow_path);
		return false;
	}
	return true;
}

/* One --set VAR=VALUE into the engine. A secret's value is never repeated back, and is
 * gone from ps once read (as for check --proxy-user). */
static bool run_set_one(struct run *r, char *set)
{
	const struct flow *f = r->f;
	const char *cerr = NULL;
	char *eq = strchr(set, '=');
	if (!eq || eq == set) {
		r->rc = usage_error("--set wants VAR=VALUE, not '%s'", set);
		return false;
	}
	char *name = xstrndup(set, (size_t)(eq - set));
	int vi = flow_var_index(f, name);
	bool ok = false;
	if (vi < 0) {
		r->rc = usage_error("--set: flow '%s' has no variable '%s'", f->id ? f->id : r->flow_path, name);
	} else if (engine_set_var(r->e, name, eq + 1, &cerr) != 0) {
		if (flow_var_secret(f, vi))
			say("--set %s: %s", name, cerr ? cerr : "invalid value");
		else
			say("--set %s=%s: %s", name, eq + 1, cerr ? cerr : "invalid value");
	} else {
		ok = true;
	}
	if (vi >= 0 && flow_var_secret(f, vi))
		memset(eq + 1, '*', strlen(eq + 1));
	free(name);
	return ok;
}

/* The engine: the journal's steps replayed, or the scenario's presets, --set, and where
 * to start. */
static bool run_engine(struct run *r)
{
	struct run_opts *o = r->o;
	const char *cerr = NULL;
	r->e = engine_new(r->f);
	if (o->resume) {
		if (session_replay(r->info.path, r->e, &r->d) != 0) {
			diags_print(&r->d, stderr);
			return false;
		}
		for (size_t i = 0; i < r->d.n; i++)
			note_add(&r->notes, diag_format(&r->d.v[i]));
		diags_clear(&r->d);
	}
	const struct scenario *sc = r->sc;
	for (size_t i = 0; sc && !o->resume && i < sc->nset; i++) {
		/* presets; a resumed walk has its own values from the journal */
		if (engine_set_var(r->e, sc->set_keys[i], sc->set_values[i], &cerr) != 0) {
			say("scenario %s: %s=%s: %s", sc->path, sc->set_keys[i], sc->set_values[i],
			    cerr ? cerr : "refused");
			return false;
		}
	}
	for (size_t i = 0; i < o->nsets; i++)
		if (!run_set_one(r, o->sets[i]))
			return false;
	if (!o->resume && engine_start(r->e, o->node, &cerr) != 0) {
		if (o->node)
			say("--node: flow '%s' has no node '%s'", r->f->id ? r->f->id : r->flow_path, o->node);
		else
			say("%s: %s", r->flow_path, cerr ? cerr : "cannot start the flow");
		return false;
	}
	return true;
}

/* The journal (a failure is a warning, the walk goes on without one; but a session
 * another tshoot is walking is not walked twice) and the report's header: what the
 * journal says (read back, so a resumed walk keeps its start, host, user and notes),
 * or a new account of a walk without one. */
static bool run_journal(struct run *r)
{
	struct run_opts *o = r->o;
	const struct flow *f = r->f;
	char *err = NULL;
	if (!o->no_journal) {
		if (o->resume) {
			bool busy = false;
			r->journal = journal_append(r->info.path, &busy, &err);
			if (busy) {
				say("%s", err);
				free(err);
				return false;
			}
		} else {
			/* the scenario by absolute path, so --resume finds it from anywhere */
			const struct scenario *sc = r->sc;
			char *scp = sc && sc->path ? realpath(sc->path, NULL) : NULL;
			r->journal = journal_create(f, scp ? scp : (sc ? sc->path : NULL), &r->journal_path, &err);
			free(scp);
		}
		if (!r->journal) {
			note_add(&r->notes, xasprintf("warning: no session journal (%s); this walk cannot be resumed",
						      err ? err : "error"));
			FREE_NULL(err);
		} else if (!o->resume) {
			/* the preset variables, so a resumed walk has them too (secrets left out
			 * by the journal) */
			for (size_t i = 0; i < f->nvars; i++)
				if (engine_var_is_set(r->e, f->vars[i].name))
					journal_var(r->journal, f, f->vars[i].name, engine_var(r->e, f->vars[i].name));
		}
	}
	if (r->journal) {
		journal_ticket(r->journal, o->ticket);
		if (session_read_info(o->resume ? r->info.path : r->journal_path, &r->walk_info, &err) != 0) {
			FREE_NULL(err);
			session_info_live(&r->walk_info);
		}
	} else {
		session_info_live(&r->walk_info);
	}
	r->have_walk_info = true;
	if (o->ticket) {
		free(r->walk_info.ticket);
		r->walk_info.ticket = xstrdup(o->ticket);
	}
	return true;
}

/* The walk itself: the runner (live, or the scenario's), the front end, the driver;
 * then what the shell is told. Returns the exit status. */
static int run_walk(struct run *r)
{
	struct run_opts *o = r->o;
	struct wizard_debrief debrief = {0};
	struct check_runner runner;
	if (r->sc) {
		r->sim = sim_runner_new();
		sim_runner_load_scenario(r->sim, r->sc);
		runner = sim_runner_runner(r->sim);
	} else {
		runner = check_runner_live();
	}
	struct ui ui;
	front_end_open(&ui, o, r->ans, &r->notes);
	for (size_t i = 0; i < r->notes.n; i++)
		ui.ops->notice(&ui, r->notes.v[i]);
	struct wizard_opts wo = {
		.ui = &ui,
		.runner = runner,
		.sim = r->sim,
		.scenario = r->sc,
		.journal = r->journal,
		.report_path = o->report,
		.report_format = r->fmt,
		.resumed = o->resume,
		.trainee = o->trainee,
		.started = r->have_info && r->info.started > 0 ? (long long)r->info.started : (long long)time(NULL),
		.debrief = &debrief,
		.info = &r->walk_info,
		.end_out = &r->wend,
	};
	int rc = wizard_run(r->e, &wo);
	ui.ops->close(&ui);
	free(ui.note);
	if (r->wend.error)
		say("%s", r->wend.error);
	/* The full screen is gone with its end: one line says how the walk ended. */
	if (ui.ops == &curses_ui_ops && r->wend.reached) {
		char *line = ui_result_line(r->wend.result, r->wend.title, r->wend.report_path);
		printf("%s\n", line);
		free(line);
	}
	fflush(stdout);
	if (r->journal && r->ans && rc == EXIT_USAGE && !o->resume) {
		/* a replay that failed: nothing in it to continue */
		journal_discard(r->journal);
		r->journal = NULL;
	}
	return finish_training(o, &debrief, rc);
}

static int run_wizard(struct run_opts *o)
{
	struct run r = {.o = o, .rc = EXIT_USAGE};
	if (run_check_opts(&r) && run_pick(&r) && run_load(&r) && run_engine(&r) && run_journal(&r))
		r.rc = run_walk(&r);
	run_free(&r);
	return r.rc;
}

enum {
	OPT_PLAIN = 256, OPT_ANSWERS, OPT_SCENARIO, OPT_RESUME, OPT_REPORT, OPT_FORMAT, OPT_SET,
	OPT_NODE, OPT_NO_JOURNAL, OPT_VERSION, OPT_RESULTS, OPT_TRAINEE, OPT_TICKET, OPT_LANG,
};

static const struct option run_options[] = {
	{"plain", no_argument, NULL, OPT_PLAIN},
	{"answers", required_argument, NULL, OPT_ANSWERS},
	{"scenario", required_argument, NULL, OPT_SCENARIO},
	{"resume", optional_argument, NULL, OPT_RESUME},
	{"report", required_argument, NULL, OPT_REPORT},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"set", required_argument, NULL, OPT_SET},
	{"node", required_argument, NULL, OPT_NODE},
	{"no-journal", no_argument, NULL, OPT_NO_JOURNAL},
	{"results", required_argument, NULL, OPT_RESULTS},
	{"trainee", required_argument, NULL, OPT_TRAINEE},
	{"ticket", required_argument, NULL, OPT_TICKET},
	{"lang", required_argument, NULL, OPT_LANG},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

int cmd_run(int argc, char **argv)
{
	struct run_opts o = {0};
	int rc = EXIT_USAGE;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":h", run_options, NULL)) != -1) {
		switch (c) {
		case OPT_PLAIN: o.plain = true; break;
		case OPT_ANSWERS: o.answers = optarg; break;
		case OPT_SCENARIO: o.scenario = optarg; break;
		case OPT_RESUME: o.resume = true; o.resume_path = optarg; break;
		case OPT_REPORT: o.report = optarg; break;
		case OPT_FORMAT: o.format = optarg; break;
		case OPT_SET:
			VEC_PUSH(o.sets, o.nsets, o.csets);
			o.sets[o.nsets++] = optarg;
			break;
		case OPT_NODE: o.node = optarg; break;
		case OPT_NO_JOURNAL: o.no_journal = true; break;
		case OPT_RESULTS: o.results = optarg; break;
		case OPT_TRAINEE: o.trainee = optarg; break;
		case OPT_TICKET: o.ticket = optarg; break;
		case OPT_LANG: o.lang = optarg; break;
		case 'h':
			cmd_usage(stdout);
			rc = 0;
			goto out;
		case OPT_VERSION:
			cmd_version(stdout);
			rc = 0;
			goto out;
		case ':':
			rc = usage_error("option '%s' needs a value", argv[optind - 1]);
			goto out;
		default:
			if (optopt && optopt < 256)
				rc = usage_error("unknown option '-%c'", optopt);
			else
				rc = usage_error("unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (argc - optind > 1) {
		rc = usage_error("one FLOW at a time ('%s' is one too many)", argv[optind + 1]);
		goto out;
	}
	if (optind < argc)
		o.flow = argv[optind];
	rc = run_wizard(&o);
out:
	free(o.sets);
	return rc;
}
