/* main.c — command-line dispatch (tshoot(1)).
 *
 * `tshoot [OPTIONS] [FLOW]` walks a flow; `tshoot COMMAND ...` runs one of the
 * commands (lint, graph, list, check, sessions, report). Every problem with what was
 * typed is exit 2 with one line on stderr ("tshoot: ...") and a hint, before anything
 * touches the terminal or the network. Exit status: 0 ok / resolved, 1 a problem found /
 * escalate, 2 usage or bad input, 3 internal error or a report not written, 128 + N
 * stopped by signal N. */
#include <dirent.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checks/check.h"
#include "src/answers.h"
#include "src/diag.h"
#include "src/engine.h"
#include "src/flow.h"
#include "src/flow_catalog.h"
#include "src/lint.h"
#include "src/report.h"
#include "src/scenario.h"
#include "src/session.h"
#include "src/training.h"
#include "src/util.h"
#include "src/wizard.h"
#include "ui/ui.h"
#include "ui/replay.h"

#ifndef TSHOOT_VERSION
#define TSHOOT_VERSION "0.0.0"
#endif

#define EXIT_PROBLEM  1
#define EXIT_USAGE    2
#define EXIT_INTERNAL 3


static const char usage_text[] =
	"Usage: tshoot [OPTIONS] [FLOW]\n"
	"       tshoot COMMAND [ARGS...]\n"
	"\n"
	"Walk through a troubleshooting flow: full screen on a terminal, line mode otherwise.\n"
	"FLOW is a flow file or the id of a bundled or installed flow ('tshoot list').\n"
	"\n"
	"Options:\n"
	"  --plain                 line mode even on a terminal\n"
	"  --answers FILE          take answers from FILE (non-interactive replay)\n"
	"  --scenario FILE         training: simulated check outcomes, marked as simulated\n"
	"  --trainee NAME          training: the trainee's name, for the result\n"
	"  --results FILE          training: write the result (JSON) to FILE when the walk stops\n"
	"  --resume [JOURNAL]      continue an interrupted session (asks which on a terminal)\n"
	"  --report FILE           write the transcript to FILE when the walk ends\n"
	"  --ticket ID             the ticket this walk is for (shown in the report)\n"
	"  --format FMT            text, md, json or answers (default: by FILE's extension)\n"
	"  --set VAR=VALUE         preset a flow variable (repeatable)\n"
	"  --node ID               start at node ID instead of the flow's start\n"
	"  --no-journal            do not keep a session journal\n"
	"  -h, --help              show this help\n"
	"  --version               show the version\n"
	"\n"
	"Commands:\n"
	"  lint FLOW...            validate flows and training scenarios; exit 1 on any error\n"
	"  graph FLOW              the decision tree as Graphviz dot\n"
	"  list                    bundled and installed flows and training scenarios\n"
	"  check http URL [--expect CODE[,CODE...]] [--proxy URL] [--proxy-user USER:PASS]\n"
	"                 [--timeout S] [--cacert FILE] [--json]\n"
	"  check tls HOST[:PORT] [--name FQDN] [--warn-days N] [--cacert FILE] [--proxy URL]\n"
	"                 [--timeout S] [--json]\n"
	"  check proxy PROXY_URL --target URL [--proxy-user USER:PASS] [--timeout S] [--json]\n"
	"  check tcp HOST:PORT [--timeout S] [--json]\n"
	"  check dns NAME [--json]\n"
	"  check log FILE [--flow FLOW] [--json]\n"
	"  sessions [--prune [--older-than AGE]]\n"
	"                          sessions that can be resumed; --prune deletes stale ones\n"
	"                          (finished, or untouched for AGE: Nh, Nd or Nw; default 30d)\n"
	"  report JOURNAL [--format FMT] [-o FILE]\n"
	"                          the transcript of a session\n"
	"\n"
	"Exit status: 0 ok or resolved, 1 a problem was found (escalate),\n"
	"2 usage error or bad input, 3 internal error or a report not written,\n"
	"128+N stopped by signal N (129 SIGHUP, 130 SIGINT, 143 SIGTERM).\n"
	"See tshoot(1) and tshoot-flow(5).\n";

/* One line on stderr saying what is wrong, then the hint. Returns EXIT_USAGE. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tshoot: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'tshoot --help'.\n", stderr);
	va_end(ap);
	return EXIT_USAGE;
}

/* One line on stderr, no hint (bad input rather than bad usage). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tshoot: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* `tshoot list` */
static int cmd_list(int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			fputs("Usage: tshoot list\n", stdout);
			return 0;
		}
		return usage_error("list takes no arguments");
	}
	size_t n;
	struct flow_entry *v = flow_catalog(&n);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (utf8_width(v[i].id) > w)
			w = utf8_width(v[i].id);
	printf("Flows:\n");
	if (!n)
		printf("  (none found in %s)\n", FLOW_DIRS_TEXT);
	for (size_t i = 0; i < n; i++) {
		char *title = str_clean_dup(v[i].title);
		printf("  %-*s  %s  (%s)\n", (int)w, v[i].id, title, v[i].path);
		free(title);
	}
	flow_entries_free(v, n);

	/* training scenarios: flows/training in each flow directory */
	size_t ns;
	struct flow_entry *sv = flow_scenario_catalog(&ns);
	w = 0;
	for (size_t i = 0; i < ns; i++)
		if (utf8_width(sv[i].id) > w)
			w = utf8_width(sv[i].id);
	if (ns)
		printf("\nTraining scenarios (tshoot --scenario FILE):\n");
	for (size_t i = 0; i < ns; i++) {
		char *raw = sv[i].flow ? xasprintf("%s  (flow %s)", sv[i].title, sv[i].flow) : xstrdup(sv[i].title);
		char *title = str_clean_dup(raw);
		printf("  %-*s  %s  (%s)\n", (int)w, sv[i].id, title, sv[i].path);
		free(title);
		free(raw);
	}
	flow_entries_free(sv, ns);
	return 0;
}

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

/* ---- tshoot lint */

/* Lint one argument into *d; returns nothing, the counts are in *d. */
static void lint_one(const char *arg, struct diags *d)
{
	char *path = path_is_file(arg) ? xstrdup(arg) : flow_find(arg);
	if (!path) {
		diags_add(d, DIAG_ERROR, arg, 0, 0, "no such file, and no installed flow with that id");
		return;
	}
	if (scenario_is_file(path)) {
		struct scenario *sc = scenario_load(path, d);
		if (sc) {
			char *fp = flow_find(sc->flow);   /* scenario_load resolved it */
			if (!fp) {
				diags_add(d, DIAG_ERROR, path, sc->flow_pos.line, sc->flow_pos.col,
					  "flow '%s' not found", sc->flow ? sc->flow : "");
			} else {
				struct diags fd = {0};
				struct flow *f = flow_load_file(fp, &fd);
				if (!f) {
					diags_add(d, DIAG_ERROR, path, sc->flow_pos.line, sc->flow_pos.col,
						  "flow '%s' (%s) does not load; lint it for details", sc->flow, fp);
				} else {
					scenario_lint(sc, f, d);
				}
				diags_clear(&fd);
				flow_free(f);
				free(fp);
			}
		}
		scenario_free(sc);
	} else {
		struct flow *f = flow_load_file(path, d);
		if (f)
			lint_flow(f, d);
		flow_free(f);
	}
	free(path);
}

static int cmd_lint(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("lint needs at least one FLOW");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs("Usage: tshoot lint FLOW...\n", stdout);
		return 0;
	}
	size_t errors = 0, warnings = 0;
	for (int i = 1; i < argc; i++) {
		struct diags d = {0};
		lint_one(argv[i], &d);
		diags_print(&d, stdout);
		errors += diags_count(&d, DIAG_ERROR);
		warnings += diags_count(&d, DIAG_WARNING);
		diags_clear(&d);
	}
	fflush(stdout);
	fprintf(stderr, "%d file%s, %zu error%s, %zu warning%s\n", argc - 1, argc == 2 ? "" : "s",
		errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	return errors ? EXIT_PROBLEM : 0;
}

/* Load FLOW (a path or an id) or say why not. NULL after printing the reason. */
static struct flow *load_flow_arg(const char *arg)
{
	char *path = flow_find(arg);
	if (!path) {
		say("no flow '%s': not a file, nor the id of an installed flow (see 'tshoot list')", arg);
		return NULL;
	}
	struct diags d = {0};
	struct flow *f = flow_load_file(path, &d);
	if (!f)
		diags_print(&d, stderr);
	diags_clear(&d);
	free(path);
	return f;
}

/* ---- tshoot graph */
static int cmd_graph(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("Usage: tshoot graph FLOW\n", stdout);
		return 0;
	}
	if (argc != 2)
		return usage_error("graph takes one FLOW");
	struct flow *f = load_flow_arg(argv[1]);
	if (!f)
		return EXIT_USAGE;
	graph_write(f, stdout);
	flow_free(f);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		say("cannot write the graph");
		return EXIT_INTERNAL;
	}
	return 0;
}

/* ---- tshoot sessions [--prune [--older-than AGE]] */

#define PRUNE_DEFAULT_AGE (30LL * 86400)
#define AGE_MAX_COUNT 100000L

/* An age for --older-than: N followed by h, d or w. */
static bool parse_age(const char *s, long long *secs)
{
	size_t len = strlen(s);
	if (len < 2)
		return false;
	long long unit = s[len - 1] == 'h' ? 3600 : s[len - 1] == 'd' ? 86400 : s[len - 1] == 'w' ? 7 * 86400 : 0;
	char *num = xstrndup(s, len - 1);
	long n;
	bool ok = unit && parse_long(num, 0, AGE_MAX_COUNT, &n);
	free(num);
	if (ok)
		*secs = n * unit;
	return ok;
}

static int cmd_sessions(int argc, char **argv)
{
	bool prune = false;
	const char *age = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs("Usage: tshoot sessions [--prune [--older-than AGE]]\n", stdout);
			return 0;
		} else if (!strcmp(a, "--prune")) {
			prune = true;
		} else if (!strcmp(a, "--older-than")) {
			if (i + 1 >= argc)
				return usage_error("option '--older-than' needs a value");
			age = argv[++i];
		} else if (str_starts(a, "--older-than=")) {
			age = a + strlen("--older-than=");
		} else {
			return usage_error("unknown argument '%s' for sessions", a);
		}
	}
	if (age && !prune)
		return usage_error("--older-than goes with --prune");
	long long secs = PRUNE_DEFAULT_AGE;
	if (age && !parse_age(age, &secs))
		return usage_error("--older-than wants a number and h, d or w (30d), not '%s'", age);
	return prune ? session_prune(stdout, secs) : session_list(stdout);
}

/* The flow a journal was made with: its recorded path, else its id. */
static struct flow *journal_flow(const struct session_info *info)
{
	if (info->flow_path && path_is_file(info->flow_path))
		return load_flow_arg(info->flow_path);
	if (info->flow_id)
		return load_flow_arg(info->flow_id);
	say("%s: the journal names no flow", info->path);
	return NULL;
}

/* Default report format by a file's extension. */
static enum report_format format_for_path(const char *path)
{
	if (path && (str_ends_with(path, ".md") || str_ends_with(path, ".markdown")))
		return REPORT_MD;
	if (path && str_ends_with(path, ".json"))
		return REPORT_JSON;
	return REPORT_TEXT;
}

/* ---- tshoot report JOURNAL [--format F] [-o FILE] */
static int cmd_report(int argc, char **argv)
{
	const char *journal = NULL, *fmt_s = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs("Usage: tshoot report JOURNAL [--format text|md|json|answers] [-o FILE]\n", stdout);
			return 0;
		} else if (!strcmp(a, "--format") || !strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value", a);
			if (!strcmp(a, "--format"))
				fmt_s = argv[++i];
			else
				out = argv[++i];
		} else if (str_starts(a, "--format=")) {
			fmt_s = a + strlen("--format=");
		} else if (str_starts(a, "--output=")) {
			out = a + strlen("--output=");
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option '%s' for report", a);
		} else if (!journal) {
			journal = a;
		} else {
			return usage_error("report takes one JOURNAL");
		}
	}
	if (!journal)
		return usage_error("report needs a JOURNAL (see 'tshoot sessions')");
	enum report_format fmt = format_for_path(out);
	if (fmt_s && report_format_parse(fmt_s, &fmt) != 0)
		return usage_error("unknown report format '%s' (text, md, json or answers)", fmt_s);
	struct session_info info;
	char *err = NULL;
	if (session_read_info(journal, &info, &err) != 0) {
		say("%s", err ? err : "cannot read the journal");
		free(err);
		return EXIT_USAGE;
	}
	struct flow *f = journal_flow(&info);
	if (!f) {
		session_info_clear(&info);
		return EXIT_USAGE;
	}
	struct engine *e = engine_new(f);
	struct diags d = {0};
	int rc = 0;
	if (session_replay(journal, e, &d) != 0) {
		diags_print(&d, stderr);
		rc = EXIT_USAGE;
	} else {
		diags_print(&d, stderr);     /* warnings: skipped lines */
		struct report_meta meta = {.scenario = info.scenario};
		session_info_meta(&info, &meta);
		if (out) {
			char *rerr = NULL;
			if (report_save(e, &meta, fmt, out, &rerr) != 0) {
				say("%s", rerr ? rerr : "cannot write the report");
				rc = EXIT_INTERNAL;
			}
			free(rerr);
		} else if (report_write(e, &meta, fmt, stdout) != 0 || fflush(stdout) != 0) {
			say("cannot write the report");
			rc = EXIT_INTERNAL;
		}
	}
	diags_clear(&d);
	engine_free(e);
	flow_free(f);
	session_info_clear(&info);
	return rc;
}

/* ---- the wizard */

struct run_opts {
	bool plain, no_journal, resume;
	const char *answers, *scenario, *resume_path, *report, *format, *node, *flow, *results, *trainee, *ticket;
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

#define EXIT_SIGNAL_BASE 128

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
			.question = "Which troubleshooting flow? (a number or an id; 'tshoot list' shows them too)",
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
	r->fmt = format_for_path(o->report);
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

/* The flow (linted), the scenario against it, the answers file. */
static bool run_load(struct run *r)
{
	struct run_opts *o = r->o;
	struct diags *d = &r->d;
	if (training_opts_bad(o, r->sc))
		return false;
	r->f = flow_load_file(r->flow_path, d);
	if (!r->f) {
		diags_print(d, stderr);
		return false;
	}
	diags_clear(d);
	if (lint_flow(r->f, d) > 0) {
		diags_print(d, stderr);
		say("%s has errors; fix them first ('tshoot lint %s')", r->flow_path, r->flow_path);
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
	OPT_NODE, OPT_NO_JOURNAL, OPT_VERSION, OPT_RESULTS, OPT_TRAINEE, OPT_TICKET,
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
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

static int cmd_run(int argc, char **argv)
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
		case 'h':
			fputs(usage_text, stdout);
			rc = 0;
			goto out;
		case OPT_VERSION:
			printf("tshoot %s\n", TSHOOT_VERSION);
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

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static int cmd_check(int argc, char **argv)
{
	return check_cli_main(argc, argv);
}

static int cmd_help(int argc, char **argv)
{
	fputs(usage_text, stdout);
	return 0;
}

static const struct command commands[] = {
	{"lint", cmd_lint},
	{"graph", cmd_graph},
	{"list", cmd_list},
	{"check", cmd_check},
	{"sessions", cmd_sessions},
	{"report", cmd_report},
	{"help", cmd_help},
};

int main(int argc, char **argv)
{
	/* Only the character type: display widths and UTF-8 symbols follow the terminal,
	 * while numbers in JSON and reports keep a '.' whatever LC_NUMERIC says (and start-up
	 * reads one locale file, not a dozen). */
	setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1) {
		for (size_t i = 0; i < ARRAY_LEN(commands); i++)
			if (!strcmp(argv[1], commands[i].name))
				return commands[i].run(argc - 1, argv + 1);
	}
	return cmd_run(argc, argv);
}
