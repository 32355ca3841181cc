/* cmd_sweep.c — `tshoot sweep`: one check, or one walk of a flow, per target of a
 * list, non-interactively, a bounded number at a time; then one table (or JSON lines,
 * or CSV) of what each target gave.
 *
 *   tshoot sweep check KIND --targets FILE [--port N] [--name-from-target] [CHECK OPTIONS]
 *   tshoot sweep FLOW --answers FILE --targets FILE --var VAR [--timeout S]
 *   tshoot sweep --merge FILE...
 *   common: [--jobs N] [--json | --csv]
 *
 * How the work is run:
 *   - checks go to the live runner (checks/runner.c) as one batch of a request per
 *     target, its workers bounded by --jobs (check_runner_live_jobs): no process per
 *     target, and a check's options are read and validated by `tshoot check`'s own
 *     functions (check_cli_*), every target before any traffic.
 *   - a walk per target is a child `tshoot FLOW --answers FILE --set VAR=TARGET
 *     --report TMP/N.json --format json --no-journal`, started with posix_spawn (an
 *     argv, no shell), at most --jobs at a time. The engine and the front ends keep
 *     state per process (one engine, one front end, signal handlers), so separate
 *     processes are the simple and robust way to walk many flows at once; each walk
 *     still runs its checks through the runner. Each child is in its own process group,
 *     so a Ctrl-C on the terminal reaches only the sweep, which stops the children.
 *     --timeout S (default 300) bounds each walk.
 *
 * Ctrl-C (or SIGTERM): running checks are cancelled and running walks stopped; the
 * targets that finished are printed, and the exit status is 130 (143).
 * Exit: 0 every target ok (walks: resolved), 1 at least one was not, 2 bad input
 * (nothing run), 3 internal error. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/runner.h"
#include "src/answers.h"
#include "src/cmd.h"
#include "src/cmd_check.h"
#include "src/engine.h"
#include "src/flow.h"
#include "src/flow_catalog.h"
#include "src/report.h"
#include "src/util.h"
#include "ui/progress.h"

extern char **environ;

#define JOBS_DEFAULT 16
#define JOBS_MAX 1024
#define WALK_TIMEOUT_DEFAULT 300

static const char sweep_usage[] =
	"usage: tshoot sweep check KIND --targets FILE [--port N] [--name-from-target] [CHECK OPTIONS]\n"
	"       tshoot sweep FLOW --answers FILE --targets FILE --var VAR [--timeout S]\n"
	"       tshoot sweep --merge FILE...\n"
	"  --targets FILE      one target a line (HOST[:PORT], URL, ...; '-' reads stdin);\n"
	"                      a second word is the target's name; '#' starts a comment\n"
	"  --port N            the port of targets written without one (tls, tcp)\n"
	"  --name-from-target  check each certificate for the target's name (tls: --name)\n"
	"  --answers FILE      the answers for each walk (tshoot-flow(5), ANSWERS FILES)\n"
	"  --var VAR           the flow variable each target is bound to\n"
	"  --timeout S         a walk's time limit (default 300); a check's is its --timeout\n"
	"  --jobs N            at most N targets at a time (default 16)\n"
	"  --json              one JSON object a line      --csv  comma-separated values\n"
	"  --merge FILE...     print the JSON lines of earlier sweeps as one report\n"
	"Exit status: 0 every target ok, 1 at least one was not, 2 bad input, 130 stopped by Ctrl-C.\n";

/* 0, or the signal that stops the sweep. */
static atomic_int sweep_stop;

static void on_stop(int sig)
{
	atomic_store(&sweep_stop, sig);
}

enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV };

/* One target and, once it is done, what it gave: its JSON line and the table's cells. */
struct row {
	char *target;          /* as the targets file writes it (cleaned) */
	char *name;            /* the line's second word, or NULL */
	char *where;           /* "FILE:LINE" */
	char *json;            /* one line; NULL until done */
	char *cells[3];        /* outcome, ms, summary / result, end node, outcomes */
	int status;            /* 0 ok, 1 not */
	bool flow;
};

struct sweep {
	struct row *rows;
	size_t n, cap;
	size_t jobs;
	enum out_format fmt;
	const char *targets, *answers, *var, *flow, *port, *kind;
	bool name_from_target;
	long walk_timeout_ms;
	char **merge;
	size_t nmerge;
};

static void rows_free(struct sweep *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct row *r = &s->rows[i];
		free(r->target);
		free(r->name);
		free(r->where);
		free(r->json);
		for (size_t j = 0; j < 3; j++)
			free(r->cells[j]);
	}
	free(s->rows);
}

/* The version of a sweep's JSON lines (schema/tshoot-sweep.schema.json): every line's
 * sweep_schema, and a walk's line's schema (a check's line keeps check --json's). Lines
 * without it (written before it) are read the same. */
#define SWEEP_SCHEMA "tshoot-sweep/1"

/* ---- Rows from JSON: the one reading of a sweep result (live and --merge) ---------- */

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* The cells and status of a result object; false when it is not one. */
static bool row_from_json(struct row *r, struct json_object *o)
{
	const char *target = jstr(o, "sweep_target");
	if (!json_object_is_type(o, json_type_object) || !target)
		return false;
	if (!r->target)
		r->target = str_clean_dup(target);
	if (jstr(o, "check")) {
		const char *outcome = jstr(o, "outcome");
		r->cells[0] = str_clean_dup(outcome ? outcome : "?");
		r->cells[1] = str_clean_dup(jstr(o, "elapsed_ms") ? jstr(o, "elapsed_ms") : "");
		r->cells[2] = str_clean_dup(jstr(o, "summary") ? jstr(o, "summary") : "");
		r->status = str_eq(outcome, "ok") ? 0 : 1;
		r->flow = false;
	} else if (jstr(o, "flow")) {
		const char *result = jstr(o, "result");
		struct strbuf sb = {0};
		struct json_object *oc;
		if (json_object_object_get_ex(o, "outcomes", &oc) && json_object_is_type(oc, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(oc); i++) {
				struct json_object *x = json_object_array_get_idx(oc, i);
				sb_printf(&sb, "%s%s=%s", i ? " " : "", jstr(x, "node") ? jstr(x, "node") : "?",
					  jstr(x, "outcome") ? jstr(x, "outcome") : "?");
			}
		}
		if (!sb.len && jstr(o, "error"))
			sb_add(&sb, jstr(o, "error"));
		char *joined = sb_steal(&sb);
		r->cells[0] = str_clean_dup(result ? result : "error");
		r->cells[1] = str_clean_dup(jstr(o, "end_node") ? jstr(o, "end_node") : "-");
		r->cells[2] = str_clean_dup(joined);
		free(joined);
		struct json_object *es;
		r->status = json_object_object_get_ex(o, "exit_status", &es) && json_object_get_int(es) == 0 ? 0 : 1;
		r->flow = true;
	} else {
		return false;
	}
	r->json = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return true;
}

/* ---- Output ------------------------------------------------------------------------- */

static void csv_field(const char *s, bool last)
{
	if (strpbrk(s, ",\"\n\r")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static void pad(const char *s, size_t w)
{
	fputs(s, stdout);
	for (size_t k = utf8_width(s); k < w; k++)
		putchar(' ');
}

/* The finished rows of one kind (checks, or walks) as a table or CSV. */
static void print_table(const struct sweep *s, bool flow)
{
	static const char *const check_heads[] = {"TARGET", "OUTCOME", "MS", "SUMMARY"};
	static const char *const flow_heads[] = {"TARGET", "RESULT", "END", "OUTCOMES"};
	static const char *const check_csv[] = {"target", "outcome", "elapsed_ms", "summary"};
	static const char *const flow_csv[] = {"target", "result", "end_node", "outcomes"};
	const char *const *heads = flow ? flow_heads : check_heads;
	if (s->fmt == OUT_CSV) {
		const char *const *h = flow ? flow_csv : check_csv;
		for (size_t j = 0; j < 4; j++)
			csv_field(h[j], j == 3);
		for (size_t i = 0; i < s->n; i++) {
			const struct row *r = &s->rows[i];
			if (!r->json || r->flow != flow)
				continue;
			csv_field(r->target, false);
			for (size_t j = 0; j < 3; j++)
				csv_field(r->cells[j], j == 2);
		}
		return;
	}
	size_t w[3] = {utf8_width(heads[0]), utf8_width(heads[1]), utf8_width(heads[2])};
	for (size_t i = 0; i < s->n; i++) {
		const struct row *r = &s->rows[i];
		if (!r->json || r->flow != flow)
			continue;
		const char *c[3] = {r->target, r->cells[0], r->cells[1]};
		for (size_t j = 0; j < 3; j++)
			if (utf8_width(c[j]) > w[j])
				w[j] = utf8_width(c[j]);
	}
	for (size_t j = 0; j < 3; j++)
		pad(heads[j], w[j] + 2);
	printf("%s\n", heads[3]);
	for (size_t i = 0; i < s->n; i++) {
		const struct row *r = &s->rows[i];
		if (!r->json || r->flow != flow)
			continue;
		pad(r->target, w[0] + 2);
		pad(r->cells[0], w[1] + 2);
		pad(r->cells[1], w[2] + 2);
		printf("%s\n", r->cells[2]);
	}
}

/* The finished rows, in the targets' order: JSON lines as they are; a table (or CSV)
 * of the checks, then one of the walks when a merge has both. Nothing when none
 * finished. */
static void print_rows(const struct sweep *s)
{
	bool checks = false, walks = false;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->rows[i].json)
			continue;
		walks = walks || s->rows[i].flow;
		checks = checks || !s->rows[i].flow;
	}
	if (s->fmt == OUT_JSON) {
		for (size_t i = 0; i < s->n; i++)
			if (s->rows[i].json)
				printf("%s\n", s->rows[i].json);
	} else {
		if (checks)
			print_table(s, false);
		if (checks && walks)
			putchar('\n');
		if (walks)
			print_table(s, true);
	}
	fflush(stdout);
}

/* The exit status: the signal's, else the worst of the rows. */
static int finish(struct sweep *s, bool tty)
{
	size_t done = 0, bad = 0;
	int worst = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->rows[i].json)
			continue;
		done++;
		if (s->rows[i].status) {
			bad++;
			worst = 1;
		}
	}
	print_rows(s);
	int sig = atomic_load(&sweep_stop);
	if (tty)
		fprintf(stderr, "%zu of %zu targets done, %zu not ok%s\n", done, s->n, bad,
			sig ? " (stopped)" : "");
	return sig ? EXIT_SIGNAL_BASE + sig : worst;
}

/* ---- Targets ------------------------------------------------------------------------ */

/* One target a line: "TARGET [NAME]", blank lines and '#' comments skipped. */
static int read_targets(struct sweep *s)
{
	bool std = str_eq(s->targets, "-");
	FILE *f = std ? stdin : fopen(s->targets, "r");
	if (!f) {
		say("sweep: --targets %s: %s", s->targets, strerror(errno));
		return EXIT_USAGE;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int rc = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *save = NULL, *t = strtok_r(line, " \t\r\n", &save);
		if (!t)
			continue;
		char *nm = strtok_r(NULL, " \t\r\n", &save), *more = strtok_r(NULL, " \t\r\n", &save);
		char *where = xasprintf("%s:%zu", std ? "stdin" : s->targets, lineno);
		if (more) {
			say("sweep: %s: one target and at most a name a line, not '%s'", where, more);
			free(where);
			rc = EXIT_USAGE;
			break;
		}
		VEC_PUSH(s->rows, s->n, s->cap);
		s->rows[s->n++] = (struct row){.target = str_clean_dup(t), .name = xstrdup(nm), .where = where};
	}
	free(line);
	if (!std)
		fclose(f);
	if (!rc && s->n == 0) {
		say("sweep: --targets %s: no targets in it", s->targets);
		rc = EXIT_USAGE;
	}
	return rc;
}

/* ---- Checks ------------------------------------------------------------------------- */

/* The target with --port when it has none ("[v6]:port" for a bare IPv6 address). */
static char *with_port(const char *target, const char *port)
{
	char *host = NULL, *p = NULL;
	char *out;
	if (!port || !check_split_hostport(target, &host, &p) || p)
		out = xstrdup(target);
	else
		out = strchr(host, ':') ? xasprintf("[%s]:%s", host, port) : xasprintf("%s:%s", host, port);
	free(host);
	free(p);
	return out;
}

/* The sweep_target and sweep_schema members first, then the check's --json object as it
 * is (its own schema member, tshoot-check/1, included). */
static char *check_json(const struct row *r, const struct check_result *res)
{
	char *j = report_check_json(res);
	struct json_object *in = json_tokener_parse(j), *out = json_object_new_object();
	free(j);
	json_object_object_add(out, "sweep_target", json_str_new(r->target));
	json_object_object_add(out, "sweep_schema", json_object_new_string(SWEEP_SCHEMA));
	json_object_object_foreach(in, k, v) json_object_object_add(out, k, json_object_get(v));
	json_object_put(in);
	char *s = xstrdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out);
	return s;
}

static int sweep_checks(struct sweep *s, struct check_cli *cc, bool tty)
{
	if (s->port && !check_cli_has_param(cc, "port")) {
		say("sweep: --port does not apply to check %s", s->kind);
		return EXIT_USAGE;
	}
	if (s->name_from_target && !check_cli_has_param(cc, "name")) {
		say("sweep: --name-from-target does not apply to check %s", s->kind);
		return EXIT_USAGE;
	}
	if (s->port) {
		const char *why = check_port_problem(s->port);
		if (why) {
			say("sweep: bad --port '%s': %s", s->port, why);
			return EXIT_USAGE;
		}
	}
	/* every target validated by the check's own rules before any traffic */
	struct check_cli_target **t = xcalloc(s->n, sizeof(*t));
	int rc = 0;
	for (size_t i = 0; i < s->n && !rc; i++) {
		struct row *r = &s->rows[i];
		char *arg = with_port(r->target, s->port);
		const char *nm = r->name;
		char *host = NULL, *p = NULL;
		if (s->name_from_target && !nm && check_split_hostport(r->target, &host, &p))
			nm = host;
		rc = check_cli_target_new(cc, arg, s->name_from_target && nm ? "name" : NULL, nm, r->where, &t[i]);
		free(host);
		free(p);
		free(arg);
	}
	if (!rc) {
		check_cli_password(t, s->n);
		struct check_request *reqs = xcalloc(s->n, sizeof(*reqs));
		for (size_t i = 0; i < s->n; i++)
			check_cli_target_request(t[i], &sweep_stop, &reqs[i]);
		struct check_runner run = check_runner_live_jobs(s->jobs);
		long long t0 = now_ms(), drawn = 0;
		struct check_batch *b = run.ops->start(run.ctx, reqs, s->n);
		free(reqs);       /* the runner has its own copies */
		size_t done = 0, bad = 0;
		bool all = false;
		while (!all) {
			all = run.ops->poll(b, 100);
			for (size_t i = 0; i < s->n; i++) {
				struct row *r = &s->rows[i];
				if (r->json || !run.ops->done(b, i))
					continue;
				const struct check_result *res = run.ops->result(b, i);
				if (atomic_load(&sweep_stop) && str_eq(res->outcome, "cancelled")) {
					r->json = NULL;   /* stopped, not finished */
					continue;
				}
				char *j = check_json(r, res);
				struct json_object *o = json_tokener_parse(j);
				free(j);
				row_from_json(r, o);
				json_object_put(o);
				done++;
				bad += r->status != 0;
			}
			if (tty && (all || now_ms() - drawn >= 100)) {
				progress_draw(stderr, done, s->n, bad, now_ms() - t0);
				drawn = now_ms();
			}
		}
		run.ops->finish(b);
		if (tty)
			progress_clear(stderr);
		rc = finish(s, tty);
	}
	for (size_t i = 0; i < s->n; i++)
		check_cli_target_free(t[i]);
	free(t);
	return rc;
}

/* ---- Walks -------------------------------------------------------------------------- */

/* The flow, the answers file and every target as a value of --var, before any walk:
 * the flow's own rules (flow_var_check); the walks lint the flow and read the answers. */
static int walks_validate(struct sweep *s, char **flow_path)
{
	*flow_path = flow_find(s->flow);
	if (!*flow_path)
		return usage_error("sweep: '%s' is not a flow file or the id of an installed flow", s->flow);
	if (!s->answers)
		return usage_error("sweep %s: needs --answers FILE (the walk's answers)", s->flow);
	if (!s->var)
		return usage_error("sweep %s: needs --var VAR (the variable a target is bound to)", s->flow);
	if (!path_is_file(s->answers)) {
		say("sweep: --answers: %s: no such file", s->answers);
		return EXIT_USAGE;
	}
	struct diags d = {0};
	struct flow *f = flow_load_file(*flow_path, &d);
	int rc = 0;
	if (!f) {
		diags_print(&d, stderr);
		rc = EXIT_USAGE;
	} else {
		int vi = flow_var_index(f, s->var);
		if (vi < 0) {
			rc = usage_error("sweep: --var: flow '%s' has no variable '%s'", f->id ? f->id : *flow_path, s->var);
		} else if (flow_var_secret(f, vi)) {
			/* a target is shown in the table and on the walk's argv */
			rc = usage_error("sweep: --var: '%s' is a secret variable; a target cannot be one", s->var);
		} else {
			for (size_t i = 0; i < s->n && !rc; i++) {
				const char *why = flow_var_check(&f->vars[vi], s->rows[i].target);
				if (why) {
					say("sweep: %s: %s '%s': %s", s->rows[i].where, s->var, s->rows[i].target, why);
					rc = EXIT_USAGE;
				}
			}
		}
	}
	flow_free(f);
	diags_clear(&d);
	return rc;
}

struct walk_child {
	pid_t pid;
	size_t row;
	long long deadline;     /* its --timeout */
	long long kill_at;      /* sent SIGTERM: SIGKILL if still there then; 0 = not sent */
	bool timed_out;
};

#define WALK_KILL_GRACE_MS 2000

/* Start the walk of row i in tmp; 0, or -1 (the row says why). */
static int walk_spawn(const struct sweep *s, const char *self, const char *flow_path, const char *tmp, size_t i,
		      pid_t *pid)
{
	char *set = xasprintf("%s=%s", s->var, s->rows[i].target);
	char *report = xasprintf("%s/%zu.json", tmp, i), *err = xasprintf("%s/%zu.err", tmp, i);
	char *argv[] = {(char *)self, (char *)flow_path, "--answers", (char *)s->answers, "--set", set,
			"--no-journal", "--plain", "--report", report, "--format", "json", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGPIPE);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawnattr_init(&at);
	/* its own process group: the terminal's Ctrl-C is the sweep's to handle */
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int e = posix_spawn(pid, self, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(set);
	free(report);
	free(err);
	return e ? -1 : 0;
}

/* The walk's last line on stderr (why it did not end), or NULL. Caller frees. */
static char *last_err_line(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *line = NULL, *last = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (*line) {
			free(last);
			last = xstrdup(line);
		}
	}
	free(line);
	fclose(f);
	return last;
}

/* Row i's result from its walk's report (tshoot-report/1) and exit status. */
static void walk_result(struct sweep *s, const char *tmp, size_t i, int status, bool timed_out)
{
	struct row *r = &s->rows[i];
	char *report = xasprintf("%s/%zu.json", tmp, i), *errp = xasprintf("%s/%zu.err", tmp, i);
	struct json_object *rep = json_object_from_file(report), *o = json_object_new_object();
	json_object_object_add(o, "sweep_target", json_str_new(r->target));
	json_object_object_add(o, "sweep_schema", json_object_new_string(SWEEP_SCHEMA));
	struct json_object *fl;
	const char *fid = rep && json_object_object_get_ex(rep, "flow", &fl) ? jstr(fl, "id") : NULL;
	json_object_object_add(o, "flow", json_str_new(fid ? fid : s->flow));
	json_object_object_add(o, "result", json_str_new(timed_out ? "timeout" : rep ? jstr(rep, "result") : "error"));
	json_object_object_add(o, "end_node", json_str_new(rep ? jstr(rep, "end_node") : NULL));
	struct json_object *oc = json_object_new_array(), *steps;
	const char *end_title = NULL;
	if (rep && json_object_object_get_ex(rep, "steps", &steps) && json_object_is_type(steps, json_type_array)) {
		for (size_t k = 0; k < json_object_array_length(steps); k++) {
			struct json_object *st = json_object_array_get_idx(steps, k);
			if (str_eq(jstr(st, "type"), "end"))
				end_title = jstr(st, "title");
			if (!str_eq(jstr(st, "type"), "check"))
				continue;
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "node", json_str_new(jstr(st, "node")));
			json_object_object_add(x, "outcome", json_str_new(jstr(st, "outcome")));
			json_object_array_add(oc, x);
		}
	}
	json_object_object_add(o, "end_title", json_str_new(end_title));
	json_object_object_add(o, "outcomes", oc);
	json_object_object_add(o, "exit_status", json_object_new_int(timed_out ? 1 : status));
	if (!rep || timed_out) {
		char *why = timed_out ? xasprintf("the walk took longer than %ld s", s->walk_timeout_ms / 1000)
				      : last_err_line(errp);
		json_object_object_add(o, "error", json_str_new(why ? why : "the walk wrote no report"));
		free(why);
	}
	json_object_object_add(o, "schema", json_object_new_string(SWEEP_SCHEMA));
	row_from_json(r, o);
	json_object_put(o);
	if (rep)
		json_object_put(rep);
	unlink(report);
	unlink(errp);
	free(report);
	free(errp);
}

static int sweep_walks(struct sweep *s, bool tty)
{
	char *flow_path = NULL, *self = NULL;
	int rc = walks_validate(s, &flow_path);
	char tmp[] = "/tmp/tshoot-sweep-XXXXXX";
	if (!rc && !(self = realpath("/proc/self/exe", NULL))) {
		say("sweep: cannot find the tshoot program: %s", strerror(errno));
		rc = EXIT_INTERNAL;
	}
	if (!rc && !mkdtemp(tmp)) {
		say("sweep: cannot make a directory in /tmp: %s", strerror(errno));
		rc = EXIT_INTERNAL;
	}
	if (rc) {
		free(flow_path);
		free(self);
		return rc;
	}
	struct walk_child *run = xcalloc(s->jobs, sizeof(*run));
	size_t nrun = 0, next = 0, done = 0, bad = 0;
	long long t0 = now_ms(), drawn = 0;
	while ((next < s->n && !atomic_load(&sweep_stop)) || nrun > 0) {
		while (nrun < s->jobs && next < s->n && !atomic_load(&sweep_stop)) {
			pid_t pid;
			if (walk_spawn(s, self, flow_path, tmp, next, &pid) != 0) {
				walk_result(s, tmp, next, EXIT_INTERNAL, false);
				done++;
				bad++;
			} else {
				run[nrun++] = (struct walk_child){pid, next, now_ms() + s->walk_timeout_ms, 0, false};
			}
			next++;
		}
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			for (size_t k = 0; k < nrun; k++) {
				if (run[k].pid != pid)
					continue;
				bool timed_out = run[k].timed_out;
				/* once stopped, only walks that came to their end count */
				bool ended = WIFEXITED(st) && WEXITSTATUS(st) <= 1;
				if (!atomic_load(&sweep_stop) || timed_out || ended) {
					walk_result(s, tmp, run[k].row, WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_INTERNAL, timed_out);
					done++;
					bad += s->rows[run[k].row].status != 0;
				}
				run[k] = run[--nrun];
				break;
			}
			continue;
		}
		long long now = now_ms();
		for (size_t k = 0; k < nrun; k++) {
			struct walk_child *w = &run[k];
			if (!w->kill_at && (atomic_load(&sweep_stop) || now >= w->deadline)) {
				/* stopped, or out of time: SIGTERM (a walk stops cleanly), then SIGKILL */
				w->timed_out = !atomic_load(&sweep_stop);
				w->kill_at = now + WALK_KILL_GRACE_MS;
				kill(w->pid, SIGTERM);
			} else if (w->kill_at && now >= w->kill_at) {
				kill(w->pid, SIGKILL);
				w->kill_at = LLONG_MAX;
			}
		}
		if (tty && now - drawn >= 100) {
			progress_draw(stderr, done, s->n, bad, now - t0);
			drawn = now;
		}
		struct timespec ts = {0, 5 * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (tty)
		progress_clear(stderr);
	/* files of walks that were stopped */
	for (size_t i = 0; i < s->n; i++) {
		char *p = xasprintf("%s/%zu.json", tmp, i), *q = xasprintf("%s/%zu.err", tmp, i);
		unlink(p);
		unlink(q);
		free(p);
		free(q);
	}
	rmdir(tmp);
	free(run);
	free(self);
	free(flow_path);
	return finish(s, tty);
}

/* ---- --merge ------------------------------------------------------------------------ */

static int sweep_merge(struct sweep *s, bool tty)
{
	for (size_t m = 0; m < s->nmerge; m++) {
		FILE *f = fopen(s->merge[m], "r");
		if (!f) {
			say("sweep: --merge %s: %s", s->merge[m], strerror(errno));
			return EXIT_USAGE;
		}
		char *line = NULL;
		size_t cap = 0, lineno = 0;
		int rc = 0;
		while (!rc && getline(&line, &cap, f) >= 0) {
			lineno++;
			char *t = str_trim_dup(line);
			if (*t) {
				struct json_object *o = json_tokener_parse(t);
				VEC_PUSH(s->rows, s->n, s->cap);
				struct row *r = &s->rows[s->n++];
				*r = (struct row){0};
				if (!o || !row_from_json(r, o)) {
					say("sweep: --merge %s:%zu: not a line of `tshoot sweep --json`", s->merge[m], lineno);
					rc = EXIT_USAGE;
				}
				json_object_put(o);
			}
			free(t);
		}
		free(line);
		fclose(f);
		if (rc)
			return rc;
	}
	return finish(s, false);
}

/* ---- The command line --------------------------------------------------------------- */

/* The sweep's own options (those of the check come from the check); 1 when argv[*i]
 * is not one of them. */
static int take_sweep_option(struct sweep *s, int argc, char **argv, int *i, bool walk)
{
	const char *a = argv[*i];
	static const char *const with_value[] = {"--targets", "--port", "--jobs", "--answers", "--var", "--timeout"};
	const char *val = NULL;
	for (size_t k = 0; k < ARRAY_LEN(with_value); k++) {
		size_t n = strlen(with_value[k]);
		if (strncmp(a, with_value[k], n) != 0 || (a[n] && a[n] != '='))
			continue;
		if (!walk && (k == 3 || k == 4 || k == 5))
			return 1;          /* check sweeps: the check's --timeout; --answers, --var are not */
		if (walk && k == 1)
			return 1;
		val = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
		if (!val || !*val)
			return usage_error("sweep: %s needs a value", with_value[k]);
		long l;
		double d;
		switch (k) {
		case 0: s->targets = val; break;
		case 1: s->port = val; break;
		case 2:
			if (!parse_long(val, 1, JOBS_MAX, &l))
				return usage_error("sweep: --jobs must be a number from 1 to %d, not '%s'", JOBS_MAX, val);
			s->jobs = (size_t)l;
			break;
		case 3: s->answers = val; break;
		case 4: s->var = val; break;
		case 5:
			if (!parse_double(val, 0.001, 86400, &d))
				return usage_error("sweep: --timeout must be a number of seconds up to 86400, not '%s'", val);
			s->walk_timeout_ms = (long)(d * 1000 + 0.5);
			break;
		}
		return 0;
	}
	if (str_eq(a, "--name-from-target") && !walk)
		s->name_from_target = true;
	else if (str_eq(a, "--csv"))
		s->fmt = OUT_CSV;
	else if (str_eq(a, "--json") && walk)
		s->fmt = OUT_JSON;
	else
		return 1;
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep s = {.jobs = JOBS_DEFAULT, .walk_timeout_ms = WALK_TIMEOUT_DEFAULT * 1000L};
	struct check_cli *cc = NULL;
	int rc = 0;
	if (argc < 2)
		return usage_error("sweep: what to run? (%s)", "tshoot sweep check KIND ..., tshoot sweep FLOW ..., tshoot sweep --merge FILE...");
	if (str_eq(argv[1], "--help") || str_eq(argv[1], "-h")) {
		fputs(sweep_usage, stdout);
		return 0;
	}
	bool merge = false, walk = false;
	int first = 2;
	if (str_eq(argv[1], "check")) {
		if (argc < 3)
			return usage_error("sweep check: which kind? (see tshoot check --help)");
		if (!(cc = check_cli_new(argv[2])))
			return EXIT_USAGE;
		s.kind = argv[2];
		first = 3;
	} else if (str_eq(argv[1], "--merge")) {
		merge = true;
	} else if (argv[1][0] == '-') {
		return usage_error("sweep: the first argument is 'check', a FLOW or --merge, not '%s'", argv[1]);
	} else {
		s.flow = argv[1];
		walk = true;
	}
	char **files = xcalloc((size_t)argc, sizeof(*files));
	for (int i = first; i < argc && !rc; i++) {
		const char *a = argv[i];
		if (str_eq(a, "-h") || str_eq(a, "--help")) {
			fputs(sweep_usage, stdout);
			if (cc) {
				printf("\nThe options of check %s:\n", s.kind);
				check_cli_usage(stdout, cc);
			}
			goto out;
		}
		if (merge && a[0] != '-') {
			files[s.nmerge++] = argv[i];
			continue;
		}
		if (a[0] != '-')
			rc = usage_error("sweep: unexpected argument '%s' (targets come from --targets FILE)", a);
		else if ((rc = take_sweep_option(&s, argc, argv, &i, walk || merge)) == 1)
			rc = cc ? check_cli_option(cc, argc, argv, &i)
				: usage_error("sweep: unknown option '%s' (see tshoot sweep --help)", a);
	}
	if (rc)
		goto out;
	if (cc && check_cli_json(cc))
		s.fmt = OUT_JSON;
	if (merge) {
		s.merge = files;
		if (!s.nmerge)
			rc = usage_error("sweep --merge: which files?");
		else
			rc = sweep_merge(&s, false);
		goto out;
	}
	if (!s.targets) {
		rc = usage_error("sweep: needs --targets FILE (one target a line)");
		goto out;
	}
	if ((rc = read_targets(&s)) != 0)
		goto out;
	/* the progress bar only on a terminal; elsewhere nothing but the results */
	bool tty = isatty(STDERR_FILENO);
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = walk ? sweep_walks(&s, tty) : sweep_checks(&s, cc, tty);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	free(files);
	check_cli_free(cc);
	rows_free(&s);
	return rc;
}
