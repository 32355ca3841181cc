/* test_session.c — the journal: write, replay, damaged lines, secrets, latest, list,
 * the sessions that can be resumed, prune. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/engine.h"
#include "src/scenario.h"
#include "src/session.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

#define TOKEN "tok-Zq8-secret-771"
#define PASSWORD "Pa55-w0rd-XYZZY"

static char *state_dir;

static void setup(void)
{
	char tmpl[] = "/tmp/tshoot-h7-session.XXXXXX";
	char *d = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(d);
	state_dir = xstrdup(d);
	setenv("XDG_STATE_HOME", state_dir, 1);
}

/* Remove our own temp tree: DIR/tshoot/sessions holds plain files only. */
static void rm_rf(const char *dir)
{
	char *sess = xasprintf("%s/tshoot/sessions", dir);
	DIR *dh = opendir(sess);
	if (dh) {
		struct dirent *de;
		while ((de = readdir(dh))) {
			if (de->d_name[0] == '.')
				continue;
			char *f = xasprintf("%s/%s", sess, de->d_name);
			unlink(f);
			free(f);
		}
		closedir(dh);
	}
	rmdir(sess);
	char *t = xasprintf("%s/tshoot", dir);
	rmdir(t);
	free(t);
	char *x = xasprintf("%s/x.journal", dir);
	unlink(x);
	free(x);
	rmdir(dir);
	free(sess);
}

static void teardown(void)
{
	rm_rf(state_dir);
	FREE_NULL(state_dir);
}

static struct flow *load_flow(void)
{
	return test_load_flow("session-small.yaml");
}

static void append_raw(const char *path, const char *text)
{
	FILE *fp = fopen(path, "ab");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static void jstep(struct journal *j, struct engine *e)
{
	journal_step(j, e, engine_history(e, engine_history_len(e) - 1));
}

/* Run the current check node through the simulated runner and record the results. */
static void run_sim_checks(struct engine *e, const char *const *outs, size_t n)
{
	size_t nres;
	const char *err = NULL;
	struct check_result *res = test_sim_results(e, outs, n, &nres);
	for (size_t i = 0; i < nres; i++) {
		/* a fact that must never reach the journal */
		facts_add(&res[i].facts, "proxy_password", "should-not-appear-" PASSWORD);
		facts_add(&res[i].facts, "server", "nginx");
		free(res[i].command);
		res[i].command = xasprintf("curl -sS http://host.example.com:8531/health");
	}
	ck_assert_int_eq(engine_check_results(e, res, nres, &err), 0);
	test_results_free(res, nres);
}

/* intro -> pick(0) -> target(host, port, token) -> probe(ok, http_503) -> start-service
 * (not fixed, first ticked) -> escalate, with a back and a re-answer on the way. */
static struct engine *walk_network(const struct flow *f, struct journal *j)
{
	struct engine *e = engine_new(f);
	const char *err = NULL;
	ck_assert_int_eq(engine_start(e, NULL, &err), 0);
	ck_assert_int_eq(engine_next(e, &err), 0);
	jstep(j, e);
	ck_assert_int_eq(engine_choose(e, 2, &err), 0);
	jstep(j, e);
	ck_assert_int_eq(engine_back(e), 0);
	journal_back(j);
	ck_assert_int_eq(engine_choose(e, 0, &err), 0);
	jstep(j, e);
	const char *vals[] = {"host.example.com", "8531", TOKEN};
	size_t bad = 0;
	ck_assert_int_eq(engine_submit_input(e, vals, 3, &bad, &err), 0);
	jstep(j, e);
	const char *outs[] = {"ok", "http_503"};
	run_sim_checks(e, outs, 2);
	jstep(j, e);
	ck_assert_str_eq(engine_node(e)->id, "start-service");
	bool ticked[] = {true, false};
	ck_assert_int_eq(engine_steps(e, false, ticked, &err), 0);
	jstep(j, e);
	ck_assert(engine_at_end(e));
	journal_end(j, e);
	return e;
}

static void assert_same_walk(const struct engine *a, const struct engine *b)
{
	ck_assert_int_eq(engine_node_idx(a), engine_node_idx(b));
	ck_assert_uint_eq(engine_history_len(a), engine_history_len(b));
	for (size_t i = 0; i < engine_history_len(a); i++) {
		const struct engine_step *x = engine_history(a, i), *y = engine_history(b, i);
		ck_assert_int_eq(x->node, y->node);
		ck_assert_int_eq(x->choice, y->choice);
		ck_assert_int_eq(x->next, y->next);
		if (x->answer || y->answer)
			ck_assert_str_eq(x->answer, y->answer);
		ck_assert_uint_eq(x->nresults, y->nresults);
		for (size_t k = 0; k < x->nresults; k++) {
			ck_assert_str_eq(x->results[k].outcome, y->results[k].outcome);
			ck_assert_str_eq(x->results[k].target, y->results[k].target);
			ck_assert_int_eq(y->results[k].simulated, x->results[k].simulated);
			ck_assert(y->results[k].stale);
		}
	}
}

START_TEST(test_round_trip)
{
	struct flow *f = load_flow();
	char *path = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &path, &err);
	ck_assert_msg(j != NULL, "%s", err ? err : "");
	struct engine *e = walk_network(f, j);
	journal_close(j);

	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	char *dir = session_dir();
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert(str_starts(path, dir));
	free(dir);

	struct engine *r = engine_new(f);
	struct diags d = {0};
	ck_assert_int_eq(session_replay(path, r, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	assert_same_walk(e, r);
	ck_assert_str_eq(engine_node(r)->id, "escalate");
	/* non-secret values come back; the optional secret does not */
	ck_assert_str_eq(engine_var(r, "host"), "host.example.com");
	ck_assert_str_eq(engine_var(r, "port"), "8531");
	ck_assert(!str_eq(engine_var(r, "token"), TOKEN));
	/* the check results came back stale and simulated, the password fact dropped */
	const struct engine_step *cs = engine_history(r, 3);
	ck_assert_uint_eq(cs->nresults, 2);
	ck_assert(cs->results[0].simulated);
	ck_assert_ptr_null(facts_get0(&cs->results[0].facts, "proxy_password"));
	ck_assert_str_eq(facts_get0(&cs->results[0].facts, "server"), "nginx");
	ck_assert_str_eq(cs->results[1].command, "curl -sS http://host.example.com:8531/health");

	struct session_info si;
	ck_assert_int_eq(session_read_info(path, &si, &err), 0);
	ck_assert_str_eq(si.flow_id, "session-small");
	ck_assert_str_eq(si.flow_title, "Session test flow");
	ck_assert_str_eq(si.node, "escalate");
	ck_assert(si.ended);
	ck_assert(si.flow_path[0] == '/');
	ck_assert_ptr_null(si.scenario);
	ck_assert(si.started > 0);
	session_info_clear(&si);

	diags_clear(&d);
	engine_free(r);
	engine_free(e);
	free(path);
	flow_free(f);
}
END_TEST

START_TEST(test_secrets_absent)
{
	struct flow *f = load_flow();
	char *path = NULL, *err = NULL;
	struct journal *j = journal_create(f, "training-x", &path, &err);
	ck_assert_ptr_nonnull(j);
	journal_var(j, f, "password", PASSWORD);      /* a secret preset: never written */
	journal_var(j, f, "host", "preset.example.com");
	struct engine *e = engine_new(f);
	const char *e1 = NULL;
	ck_assert_int_eq(engine_start(e, NULL, &e1), 0);
	ck_assert_int_eq(engine_next(e, &e1), 0);
	jstep(j, e);
	ck_assert_int_eq(engine_choose(e, 1, &e1), 0);
	jstep(j, e);
	const char *vals[] = {"auth.example.com", PASSWORD};
	size_t bad;
	ck_assert_int_eq(engine_submit_input(e, vals, 2, &bad, &e1), 0);
	jstep(j, e);
	const char *outs[] = {"refused"};
	run_sim_checks(e, outs, 1);
	jstep(j, e);
	journal_close(j);

	char *bytes = test_slurp(path);
	ck_assert_ptr_null(strstr(bytes, PASSWORD));
	ck_assert_ptr_null(strstr(bytes, "proxy_password"));
	ck_assert_ptr_nonnull(strstr(bytes, "auth.example.com"));
	ck_assert_ptr_nonnull(strstr(bytes, "preset.example.com"));
	ck_assert_ptr_nonnull(strstr(bytes, "\"scenario\":\"training-x\""));
	free(bytes);

	/* Replay stops at the input node with the required secret: asked again, no warning. */
	struct engine *r = engine_new(f);
	struct diags d = {0};
	ck_assert_int_eq(session_replay(path, r, &d), 0);
	ck_assert_uint_eq(diags_count(&d, DIAG_WARNING), 0);
	ck_assert_str_eq(engine_node(r)->id, "auth");
	ck_assert_str_eq(engine_var(r, "host"), "preset.example.com");
	ck_assert(!engine_var_is_set(r, "password"));
	diags_clear(&d);

	/* Resume: the walk goes on from "auth"; a later replay reaches the same place
	 * (stops at the secret again, skips the superseded lines, no warnings). */
	j = journal_append(path, NULL, &err);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(engine_submit_input(r, vals, 2, &bad, &e1), 0);
	jstep(j, r);
	journal_close(j);
	struct engine *r2 = engine_new(f);
	ck_assert_int_eq(session_replay(path, r2, &d), 0);
	ck_assert_uint_eq(diags_count(&d, DIAG_WARNING), 0);
	ck_assert_str_eq(engine_node(r2)->id, "auth");
	bytes = test_slurp(path);
	ck_assert_ptr_null(strstr(bytes, PASSWORD));
	free(bytes);

	struct session_info si;
	ck_assert_int_eq(session_read_info(path, &si, &err), 0);
	ck_assert_str_eq(si.scenario, "training-x");
	ck_assert(!si.ended);
	ck_assert_str_eq(si.node, "probe");
	session_info_clear(&si);

	diags_clear(&d);
	engine_free(r2);
	engine_free(r);
	engine_free(e);
	free(path);
	flow_free(f);
}
END_TEST

/* Replay of path into a fresh engine; returns the engine and the diags. */
static struct engine *replay(const struct flow *f, const char *path, struct diags *d)
{
	struct engine *r = engine_new(f);
	ck_assert_int_eq(session_replay(path, r, d), 0);
	return r;
}

static bool diag_has(const struct diags *d, int line, const char *needle)
{
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);
		bool hit = d->v[i].sev == DIAG_WARNING && (line == 0 || d->v[i].line == line) && strstr(s, needle);
		free(s);
		if (hit)
			return true;
	}
	return false;
}

static size_t count_lines(const char *path)
{
	char *b = test_slurp(path);
	size_t n = 0;
	for (char *p = b; *p; p++)
		n += *p == '\n';
	free(b);
	return n;
}

START_TEST(test_truncated_last_line)
{
	struct flow *f = load_flow();
	char *path = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &path, &err);
	struct engine *e = walk_network(f, j);
	journal_close(j);
	size_t n = count_lines(path);
	/* what kill -9 in the middle of a write leaves */
	append_raw(path, "{\"ev\":\"step\",\"node\":\"escal");
	struct diags d = {0};
	struct engine *r = replay(f, path, &d);
	ck_assert_uint_eq(diags_count(&d, DIAG_WARNING), 1);
	ck_assert_msg(diag_has(&d, (int)n + 1, "truncated or corrupted"), "no warning naming line %zu", n + 1);
	assert_same_walk(e, r);
	diags_clear(&d);

	/* journal_append ends the broken line; what follows replays */
	j = journal_append(path, NULL, &err);
	ck_assert_int_eq(engine_back(r), 0);
	journal_back(j);
	journal_close(j);
	struct engine *r2 = replay(f, path, &d);
	ck_assert_uint_eq(diags_count(&d, DIAG_WARNING), 1);
	ck_assert_str_eq(engine_node(r2)->id, "start-service");
	struct session_info si;
	ck_assert_int_eq(session_read_info(path, &si, &err), 0);
	ck_assert(!si.ended);
	ck_assert_str_eq(si.node, "start-service");
	session_info_clear(&si);
	diags_clear(&d);
	engine_free(r2);
	engine_free(r);
	engine_free(e);
	free(path);
	flow_free(f);
}
END_TEST

START_TEST(test_corrupted_middle_line)
{
	struct flow *f = load_flow();
	char *path = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &path, &err);
	struct engine *e = walk_network(f, j);
	journal_close(j);
	/* Overwrite bytes inside line 4 (the "back" event) with garbage of the same length:
	 * that line is lost, and with it the back — so the walk differs from there and the
	 * replay must say where. Then a corrupted line that changes nothing: line 2. */
	char *b = test_slurp(path);
	char *l2 = strchr(b, '\n') + 1;
	l2[0] = '#';
	l2[5] = '\x01';
	FILE *fp = fopen(path, "wb");
	fputs(b, fp);
	fclose(fp);
	free(b);
	struct diags d = {0};
	struct engine *r = replay(f, path, &d);
	ck_assert_msg(diag_has(&d, 2, "line 2 is truncated or corrupted"), "no warning for line 2");
	/* line 2 was intro's "next": the next step (pick) does not match the walk at intro */
	ck_assert(diag_has(&d, 3, "replay stops here"));
	ck_assert_str_eq(engine_node(r)->id, "intro");
	diags_clear(&d);
	engine_free(r);

	/* A garbage line inserted between events loses nothing. */
	char *path2 = NULL;
	j = journal_create(f, NULL, &path2, &err);
	struct engine *e2 = walk_network(f, j);
	journal_close(j);
	b = test_slurp(path2);
	char *cut = strchr(strchr(b, '\n') + 1, '\n') + 1;   /* after line 2 */
	struct strbuf sb = {0};
	sb_addn(&sb, b, (size_t)(cut - b));
	sb_add(&sb, "{\"ev\":\"st\x7f\xff garbage\n");
	sb_add(&sb, cut);
	fp = fopen(path2, "wb");
	fputs(sb.s, fp);
	fclose(fp);
	sb_clear(&sb);
	free(b);
	r = replay(f, path2, &d);
	ck_assert_uint_eq(diags_count(&d, DIAG_WARNING), 1);
	ck_assert(diag_has(&d, 3, "line 3 is truncated or corrupted"));
	assert_same_walk(e2, r);
	diags_clear(&d);
	engine_free(r);
	engine_free(e2);
	engine_free(e);
	free(path2);
	free(path);
	flow_free(f);
}
END_TEST

START_TEST(test_not_a_journal)
{
	struct flow *f = load_flow();
	char *p = xasprintf("%s/x.journal", state_dir);
	FILE *fp = fopen(p, "w");
	fputs("hello\n", fp);
	fclose(fp);
	struct engine *e = engine_new(f);
	struct diags d = {0};
	ck_assert_int_eq(session_replay(p, e, &d), -1);
	ck_assert_uint_eq(diags_count(&d, DIAG_ERROR), 1);
	diags_clear(&d);
	char *missing = xasprintf("%s/none.journal", state_dir);
	ck_assert_int_eq(session_replay(missing, e, &d), -1);
	diags_clear(&d);
	struct session_info si;
	char *err = NULL;
	ck_assert_int_eq(session_read_info(p, &si, &err), -1);
	ck_assert_ptr_nonnull(err);
	free(err);
	unlink(p);
	free(missing);
	free(p);
	engine_free(e);
	flow_free(f);
}
END_TEST

START_TEST(test_flow_mismatch)
{
	struct flow *f = load_flow();
	char *path = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &path, &err);
	struct engine *w = engine_new(f);
	const char *e1 = NULL;
	ck_assert_int_eq(engine_start(w, NULL, &e1), 0);
	ck_assert_int_eq(engine_next(w, &e1), 0);
	jstep(j, w);                                   /* an answer: the journal is kept */
	engine_free(w);
	journal_close(j);
	char *b = test_slurp(path);
	char *p = strstr(b, "\"flow_id\":\"session-small\"");
	ck_assert_ptr_nonnull(p);
	memcpy(p + 11, "other-flow-xx", 13);
	FILE *fp = fopen(path, "wb");
	fputs(b, fp);
	fclose(fp);
	free(b);
	struct engine *e = engine_new(f);
	struct diags d = {0};
	ck_assert_int_eq(session_replay(path, e, &d), -1);
	ck_assert(d.n == 1 && strstr(d.v[0].msg, "other-flow-xx"));
	diags_clear(&d);
	engine_free(e);
	free(path);
	flow_free(f);
}
END_TEST

static void set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = {{t, 0}, {t, 0}};
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

START_TEST(test_latest_and_list)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	ck_assert_int_eq(session_list(mem), 0);
	fclose(mem);
	ck_assert_str_eq(buf, "no sessions to resume\n");
	free(buf);
	ck_assert_ptr_null(session_latest());

	struct flow *f = load_flow();
	char *p1 = NULL, *p2 = NULL, *p3 = NULL, *err = NULL;
	struct journal *j1 = journal_create(f, NULL, &p1, &err);
	struct journal *j2 = journal_create(f, NULL, &p2, &err);
	struct journal *j3 = journal_create(f, NULL, &p3, &err);
	ck_assert(j1 && j2 && j3);
	ck_assert_str_ne(p1, p2);
	ck_assert_str_ne(p2, p3);
	/* j1: walked to target; j2: older, one answer; j3: newest but ended */
	struct engine *e = engine_new(f);
	const char *e1;
	engine_start(e, NULL, &e1);
	engine_next(e, &e1);
	jstep(j1, e);
	jstep(j2, e);
	engine_choose(e, 0, &e1);
	jstep(j1, e);
	ck_assert_uint_eq(journal_answers(j1), 2);
	struct engine *e3 = walk_network(f, j3);
	journal_close(j1);
	journal_close(j2);
	journal_close(j3);
	time_t now = time(NULL);
	set_mtime(p1, now - 10);
	set_mtime(p2, now - 100);
	set_mtime(p3, now);

	char *latest = session_latest();
	ck_assert_str_eq(latest, p1);
	free(latest);
	set_mtime(p2, now - 5);
	latest = session_latest();
	ck_assert_str_eq(latest, p2);
	free(latest);

	/* what the picker shows */
	size_t n;
	struct session_info *v = session_resumable(&n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].path, p2);
	ck_assert_uint_eq(v[1].step, 3);
	ck_assert_uint_eq(v[1].answers, 2);
	ck_assert_ptr_nonnull(v[1].tty);
	char *desc = session_describe(&v[1]);
	ck_assert_msg(str_starts(desc, "session-small, step 3, 2 answers, started "), "%s", desc);
	free(desc);
	session_infos_free(v, n);

	mem = open_memstream(&buf, &len);
	ck_assert_int_eq(session_list(mem), 0);
	fclose(mem);
	ck_assert_ptr_nonnull(strstr(buf, "LAST NODE"));
	ck_assert_ptr_nonnull(strstr(buf, "session-small"));
	ck_assert_ptr_nonnull(strstr(buf, "target"));
	const char *b1 = strrchr(p1, '/') + 1, *b3 = strrchr(p3, '/') + 1;
	/* ids followed by the column gap: one id may be a prefix of another (-2) */
	char *id1 = xasprintf("%.*s ", (int)(strlen(b1) - 8), b1), *id3 = xasprintf("%.*s ", (int)(strlen(b3) - 8), b3);
	ck_assert_ptr_nonnull(strstr(buf, id1));
	ck_assert_ptr_null(strstr(buf, id3));          /* ended: not resumable */
	/* newest first: j2 (now-5) before j1 (now-10) */
	const char *b2 = strrchr(p2, '/') + 1;
	char *id2 = xasprintf("%.*s ", (int)(strlen(b2) - 8), b2);
	ck_assert(strstr(buf, id2) < strstr(buf, id1));
	free(buf);

	/* a session another tshoot holds comes after the free ones */
	set_mtime(p1, now);
	struct journal *held = journal_append(p1, NULL, &err);
	ck_assert_ptr_nonnull(held);
	ck_assert(session_busy(p1));
	ck_assert(!session_busy(p2));
	latest = session_latest();
	ck_assert_str_eq(latest, p2);
	free(latest);
	journal_close(held);
	ck_assert(!session_busy(p1));
	latest = session_latest();
	ck_assert_str_eq(latest, p1);
	free(latest);
	free(id1);
	free(id2);
	free(id3);
	engine_free(e);
	engine_free(e3);
	free(p1);
	free(p2);
	free(p3);
	flow_free(f);
}
END_TEST

START_TEST(test_journal_id_format)
{
	struct flow *f = load_flow();
	char *p = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &p, &err);
	journal_close(j);
	const char *base = strrchr(p, '/') + 1;
	/* YYYYMMDD-HHMMSS-PID.journal */
	char *want_tail = xasprintf("-%ld.journal", (long)getpid());
	ck_assert_msg(strlen(base) == 15 + strlen(want_tail) && strcmp(base + 15, want_tail) == 0, "%s", base);
	for (int i = 0; i < 15; i++)
		ck_assert(i == 8 ? base[i] == '-' : (base[i] >= '0' && base[i] <= '9'));
	free(want_tail);
	free(p);
	flow_free(f);
}
END_TEST

/* A journal with no answer is deleted when closed (also after a resume that answered
 * nothing); journal_discard deletes one with answers. */
START_TEST(test_no_answer_no_journal)
{
	struct flow *f = load_flow();
	char *p = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &p, &err);
	ck_assert_ptr_nonnull(j);
	journal_var(j, f, "host", "preset.example.com");
	ck_assert_uint_eq(journal_answers(j), 0);
	journal_close(j);
	ck_assert_int_ne(access(p, F_OK), 0);
	free(p);

	/* an empty journal left by a kill -9, resumed and quit again */
	j = journal_create(f, NULL, &p, &err);
	char *bytes = test_slurp(p);
	char *copy = xasprintf("%s.copy", p);
	FILE *fp = fopen(copy, "w");
	fputs(bytes, fp);
	fclose(fp);
	free(bytes);
	journal_close(j);
	ck_assert_int_eq(rename(copy, p), 0);
	ck_assert_ptr_null(session_latest());             /* no answer: not resumable */
	j = journal_append(p, NULL, &err);
	ck_assert_ptr_nonnull(j);
	journal_close(j);
	ck_assert_int_ne(access(p, F_OK), 0);
	free(copy);
	free(p);

	/* a failed replay: discarded though it holds answers */
	j = journal_create(f, NULL, &p, &err);
	struct engine *e = engine_new(f);
	const char *e1 = NULL;
	ck_assert_int_eq(engine_start(e, NULL, &e1), 0);
	ck_assert_int_eq(engine_next(e, &e1), 0);
	jstep(j, e);
	journal_discard(j);
	ck_assert_int_ne(access(p, F_OK), 0);
	engine_free(e);
	free(p);
	flow_free(f);
}
END_TEST

/* One journal with n answers (and ended when end): its path. */
static char *journal_with(const struct flow *f, size_t n, bool end)
{
	char *p = NULL, *err = NULL;
	struct journal *j = journal_create(f, NULL, &p, &err);
	ck_assert_ptr_nonnull(j);
	struct engine *e = end ? walk_network(f, j) : engine_new(f);
	const char *e1 = NULL;
	if (!end) {
		ck_assert_int_eq(engine_start(e, NULL, &e1), 0);
		ck_assert_int_eq(engine_next(e, &e1), 0);
		for (size_t i = 0; i < n; i++)
			jstep(j, e);
	}
	journal_close(j);
	engine_free(e);
	return p;
}

START_TEST(test_prune)
{
	struct flow *f = load_flow();
	time_t now = time(NULL);
	char *finished = journal_with(f, 0, true), *old = journal_with(f, 1, false);
	char *recent = journal_with(f, 1, false), *held_p = journal_with(f, 1, false);
	set_mtime(old, now - 31 * 86400);
	set_mtime(recent, now - 29 * 86400);
	char *err = NULL;
	struct journal *held = journal_append(held_p, NULL, &err);
	set_mtime(held_p, now - 90 * 86400);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	ck_assert_int_eq(session_prune(mem, 30LL * 86400), 0);
	fclose(mem);
	ck_assert_int_ne(access(finished, F_OK), 0);
	ck_assert_int_ne(access(old, F_OK), 0);
	ck_assert_int_eq(access(recent, F_OK), 0);
	ck_assert_int_eq(access(held_p, F_OK), 0);
	char *id = session_id_dup(held_p);
	char *kept = xasprintf("kept %s (session-small): open in a running tshoot", id);
	ck_assert_msg(strstr(buf, kept) != NULL, "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "2 sessions deleted"));
	free(buf);
	journal_close(held);
	free(kept);
	free(id);
	free(finished);
	free(old);
	free(recent);
	free(held_p);
	flow_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_secrets_absent);
	tcase_add_test(tc, test_truncated_last_line);
	tcase_add_test(tc, test_corrupted_middle_line);
	tcase_add_test(tc, test_not_a_journal);
	tcase_add_test(tc, test_flow_mismatch);
	tcase_add_test(tc, test_latest_and_list);
	tcase_add_test(tc, test_journal_id_format);
	tcase_add_test(tc, test_no_answer_no_journal);
	tcase_add_test(tc, test_prune);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(suite());
}
