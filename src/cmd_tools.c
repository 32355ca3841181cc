/* cmd_tools.c — the commands that read flows and sessions without walking one:
 * `tshoot list`, `lint`, `graph` (with --heat: stats.c counts, graph.c draws; --format
 * svg|png runs Graphviz's dot), `sessions` and `report` (tshoot(1)). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
#include "src/stats.h"
#include "src/util.h"

/* `tshoot list` */
static struct flow *load_flow_arg(const char *arg, const char *lang);

/* tshoot list --ids, --nodes FLOW, --vars FLOW: one name a line, for scripts and shell
 * completion (completion/tshoot.bash). Nodes and variables of a flow's sub-flows are
 * listed as CALL/NAME, as --node and --set take them. */
static int list_names(const char *what, const char *flow)
{
	if (!strcmp(what, "--ids")) {
		size_t n;
		struct flow_entry *v = flow_catalog(&n);
		for (size_t i = 0; i < n; i++)
			printf("%s\n", v[i].id);
		flow_entries_free(v, n);
		return 0;
	}
	struct flow *f = load_flow_arg(flow, NULL);
	if (!f)
		return EXIT_PROBLEM;
	bool nodes = !strcmp(what, "--nodes");
	for (size_t i = 0; i < (nodes ? f->nnodes : f->nvars); i++) {
		const char *name = nodes ? f->nodes[i].id : f->vars[i].name;
		/* a call's returns are the engine's, never a place to start */
		if (!nodes || f->nodes[i].type != NODE_RETURN)
			printf("%s\n", name);
	}
	flow_free(f);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			fputs("Usage: tshoot list [--ids | --nodes FLOW | --vars FLOW]\n", stdout);
			return 0;
		}
		if (argc == 2 && !strcmp(argv[1], "--ids"))
			return list_names(argv[1], NULL);
		if (argc == 3 && (!strcmp(argv[1], "--nodes") || !strcmp(argv[1], "--vars")))
			return list_names(argv[1], argv[2]);
		return usage_error("list takes --ids, --nodes FLOW or --vars FLOW, not '%s'", argv[1]);
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

/* ---- tshoot lint */

/* Lint one argument into *d; returns nothing, the counts are in *d. */
static void lint_one(const char *arg, struct diags *d)
{
	char *path = path_is_file(arg) ? xstrdup(arg) : flow_find(arg);
	if (!path) {
		diags_add(d, DIAG_ERROR, arg, 0, 0, "no such file, and no installed flow with that id");
		return;
	}
	/* a translation file is linted with its flow, in every language it declares */
	char *of = lang_translation_flow(path);
	if (of) {
		free(path);
		path = of;
	}
	/* a flow is parsed once and linted as it is loaded; a scenario is told apart by
	 * that parse and then loaded as one (a second parse, of a small file) */
	bool is_scenario = false;
	struct flow *lf = flow_load_opts(path, NULL, 0, &(struct flow_load_opts){.lint = true}, d,
					 &is_scenario);
	if (is_scenario) {
		struct scenario *sc = scenario_load(path, d);
		if (sc) {
			char *fp = flow_find(sc->flow);   /* scenario_load resolved it */
			if (!fp) {
				diags_add(d, DIAG_ERROR, path, sc->flow_pos.line, sc->flow_pos.col,
					  "flow '%s' not found", sc->flow ? sc->flow : "");
			} else {
				struct diags fd = {0};
				struct flow *f = flow_load_file(fp, &fd);
				if (f && flow_link(f, &fd) != 0) {
					flow_free(f);
					f = NULL;
				}
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
	} else if (lf) {
		lint_flow(lf, d);
	}
	flow_free(lf);
	free(path);
}

int cmd_lint(int argc, char **argv)
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

/* Load FLOW (a path or an id), its texts in lang (NULL: en), or say why not. NULL after
 * printing the reason. */
static struct flow *load_flow_arg(const char *arg, const char *lang)
{
	char *path = flow_find(arg);
	if (!path) {
		say("no flow '%s': not a file, nor the id of an installed flow (see 'tshoot list')", arg);
		return NULL;
	}
	struct diags d = {0};
	struct flow *f = flow_load_opts(path, NULL, 0, &(struct flow_load_opts){.lang = lang}, &d, NULL);
	if (f && flow_link(f, &d) != 0) {
		/* drawn without its sub-flows; lint says what is wrong with them */
		flow_free(f);
		f = flow_load_opts(path, NULL, 0, &(struct flow_load_opts){.lang = lang}, &d, NULL);
	}
	if (!f || diags_count(&d, DIAG_ERROR))
		diags_print(&d, stderr);
	diags_clear(&d);
	free(path);
	return f;
}

/* ---- tshoot graph FLOW [--heat [PATH...]] [--since D] [--format dot|svg|png] */

/* Feed text to Graphviz's dot -T fmt, whose output goes to our standard output. No
 * shell: dot is found in PATH by posix_spawnp, its argv fixed. An exit status. */
static int run_dot(const char *fmt, const char *text, size_t len)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		say("cannot run dot: %s", strerror(errno));
		return EXIT_INTERNAL;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	char *targ = xasprintf("-T%s", fmt);
	char *argv[] = {"dot", targ, NULL};
	pid_t pid;
	fflush(stdout);
	int rc = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(targ);
	close(fds[0]);
	if (rc != 0) {
		close(fds[1]);
		if (rc == ENOENT)
			say("--format %s needs Graphviz's dot, which is not installed here (no 'dot' in PATH): install "
			    "graphviz (apt-get install graphviz), or leave out --format to get the dot text", fmt);
		else
			say("cannot run dot: %s", strerror(rc));
		return EXIT_INTERNAL;
	}
	bool wfail = false;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fds[1], text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			wfail = true;
			break;
		}
		off += (size_t)w;
	}
	close(fds[1]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (wfail || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		say("dot failed making the %s (exit %d)", fmt, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		return EXIT_INTERNAL;
	}
	return 0;
}

int cmd_graph(int argc, char **argv)
{
	const char *flow = NULL, *fmt = "dot", *since_s = NULL;
	bool heat = false;
	char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
	int npaths = 0, rc = 0;
	for (int i = 1; i < argc && rc == 0; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs("Usage: tshoot graph FLOW [--heat [PATH...]] [--since DATE|AGE] [--format dot|svg|png]\n", stdout);
			free(paths);
			return 0;
		} else if (!strcmp(a, "--heat")) {
			heat = true;
		} else if (!strcmp(a, "--format") || !strcmp(a, "--since")) {
			if (i + 1 >= argc)
				rc = usage_error("option '%s' needs a value", a);
			else
				*(!strcmp(a, "--format") ? &fmt : &since_s) = argv[++i];
		} else if (str_starts(a, "--format=")) {
			fmt = a + strlen("--format=");
		} else if (str_starts(a, "--since=")) {
			since_s = a + strlen("--since=");
		} else if (a[0] == '-' && a[1]) {
			rc = usage_error("unknown option '%s' for graph", a);
		} else if (!flow) {
			flow = a;
		} else {
			paths[npaths++] = argv[i];
		}
	}
	if (rc == 0 && !flow)
		rc = usage_error("graph takes one FLOW");
	else if (rc == 0 && npaths && !heat)
		rc = usage_error("graph takes one FLOW (journals and reports go after --heat)");
	else if (rc == 0 && since_s && !heat)
		rc = usage_error("--since goes with --heat");
	else if (rc == 0 && strcmp(fmt, "dot") && strcmp(fmt, "svg") && strcmp(fmt, "png"))
		rc = usage_error("unknown graph format '%s' (dot, svg or png)", fmt);
	else if (rc == 0 && !strcmp(fmt, "png") && isatty(STDOUT_FILENO))
		rc = usage_error("--format png writes a picture: redirect it to a file (> heat.png)");
	struct stats s = {0};
	if (rc == 0 && since_s && stats_parse_since(since_s, &s.since) != 0)
		rc = usage_error("--since wants a date (YYYY-MM-DD) or an age (30d, 12h, 2w), not '%s'", since_s);
	struct flow *f = rc == 0 ? load_flow_arg(flow, NULL) : NULL;
	if (rc == 0 && !f)
		rc = EXIT_USAGE;
	if (rc != 0) {
		free(paths);
		return rc;
	}
	struct graph_heat h = {0};
	if (heat) {
		s.flow_id = f->id ? f->id : "";
		stats_set_flow(&s, f);   /* stats owns f now */
		if (stats_read_paths(&s, paths, npaths) != 0) {
			free(paths);
			stats_free(&s);
			return EXIT_USAGE;
		}
		stats_finish(&s);
		stats_say_unreadable(&s);
		const struct stats_flow *sf = &s.flows[0];
		h = (struct graph_heat){.node_walks = sf->node_walks, .edge_pass = sf->edge_pass, .walks = sf->walks};
		if (!sf->walks)
			say("no walks of flow '%s' recorded there: every node is marked never visited", s.flow_id);
	}
	free(paths);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = strcmp(fmt, "dot") ? open_memstream(&text, &len) : stdout;
	if (!mem) {
		say("cannot make the graph: %s", strerror(errno));
		rc = EXIT_INTERNAL;
	} else {
		graph_write_heat(f, heat ? &h : NULL, mem);
		if (mem != stdout) {
			fclose(mem);
			rc = run_dot(fmt, text, len);
			free(text);
		}
	}
	if (heat)
		stats_free(&s);
	else
		flow_free(f);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		say("cannot write the graph");
		rc = EXIT_INTERNAL;
	}
	return rc;
}

/* ---- tshoot sessions [--prune [--older-than AGE]] */

#define PRUNE_DEFAULT_AGE (30LL * 86400)
int cmd_sessions(int argc, char **argv)
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

/* The flow a journal was made with: its recorded path, else its id; its texts in lang,
 * else in the language the journal records, else the environment's. */
static struct flow *journal_flow(const struct session_info *info, const char *lang)
{
	char *l = lang ? xstrdup(lang) : info->lang && lang_tag_valid(info->lang) ? xstrdup(info->lang)
		: lang_from_env();
	struct flow *f = NULL;
	bool named = true;
	if (info->flow_path && path_is_file(info->flow_path))
		f = load_flow_arg(info->flow_path, l);
	else if (info->flow_id)
		f = load_flow_arg(info->flow_id, l);
	else
		named = false;
	free(l);
	if (named)
		return f;
	say("%s: the journal names no flow", info->path);
	return NULL;
}


/* ---- tshoot report JOURNAL [--format F] [-o FILE] */
int cmd_report(int argc, char **argv)
{
	const char *journal = NULL, *fmt_s = NULL, *out = NULL, *lang = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs("Usage: tshoot report JOURNAL [--format text|md|json|answers] [-o FILE] [--lang TAG]\n", stdout);
			return 0;
		} else if (!strcmp(a, "--lang")) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value", a);
			lang = argv[++i];
		} else if (str_starts(a, "--lang=")) {
			lang = a + strlen("--lang=");
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
	if (lang && !lang_tag_valid(lang))
		return usage_error("--lang: '%s' is not a language tag (%s)", lang, LANG_TAG_RULE);
	enum report_format fmt = report_format_for_path(out);
	if (fmt_s && report_format_parse(fmt_s, &fmt) != 0)
		return usage_error("unknown report format '%s' (text, md, json or answers)", fmt_s);
	struct session_info info;
	char *err = NULL;
	if (session_read_info(journal, &info, &err) != 0) {
		say("%s", err ? err : "cannot read the journal");
		free(err);
		return EXIT_USAGE;
	}
	struct flow *f = journal_flow(&info, lang);
	if (!f) {
		session_info_clear(&info);
		return EXIT_USAGE;
	}
	struct engine *e = engine_new(f);
	struct diags d = {0};
	int rc = 0;
	if (session_replay_record(journal, e, &d) != 0) {
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
