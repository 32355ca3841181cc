/* journal.c — writing the append-only journal of a walk (JSON lines); reading and
 * replaying it is session.c's, listing and pruning session_list.c's.
 *
 * One event per line, each written with a single write() and fsync()ed, so a killed
 * process leaves at worst one truncated last line. Events:
 *   {"ev":"start","v":1,"flow_path":..,"flow_id":..,"flow_title":..,"flow_version":..,
 *    "lang":..,"start":..,"scenario":..,"time":..,"pid":..,"tty":..,"host":..}   first line
 *   {"ev":"var","name":..,"value":..}                            a --set preset (never a secret)
 *   {"ev":"step","node":..,"kind":"next|choose|input|classify|steps|checks|branch",...,"next":..}
 *   {"ev":"back"} {"ev":"restart"} {"ev":"end","node":..,"result":..}
 *   {"ev":"resume","time":..,"pid":..}                           journal_append() on resume
 *   {"ev":"note","text":..,"node":..,"step":..,"time":..}          an operator's note (masked)
 *   {"ev":"ticket","ticket":..,"time":..}                         --ticket
 * The start line also names the host, the user and the tshoot version; start, end and
 * note events carry "utc_offset" (seconds) and "tz" beside "time", so a report made
 * elsewhere still shows the local time where the walk ran. */
#include "src/session.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/session_int.h"
#include "src/util.h"

struct journal {
	int fd;
	char *path;
	bool failed;                 /* a write failed: nothing more is written (a journal
	                                with a gap would replay wrongly); see journal_error_dup */
	int err;                     /* errno of that failure */
	size_t answers;              /* step events in the file: none, and close deletes it */
};

/* ---- who, where, when */

/* A new session id from the local time and the pid: "20240501-113000-4242". */
char *session_id_new(time_t now)
{
	struct tm tm;
	char stamp[32] = "0";
	if (localtime_r(&now, &tm))
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	return xasprintf("%s-%ld", stamp, (long)getpid());
}

/* This machine's name, or NULL. */
char *session_host_dup(void)
{
	char buf[256];
	if (gethostname(buf, sizeof buf) != 0)
		return NULL;
	buf[sizeof buf - 1] = '\0';
	return xstrdup(buf);
}

/* Who runs this: the effective user's name from the password database (not $USER,
 * which anyone can set), else "uid N". */
char *session_user_dup(void)
{
	uid_t uid = geteuid();
	struct passwd pw, *res = NULL;
	char buf[2048];
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name && *res->pw_name)
		return xstrdup(res->pw_name);
	return xasprintf("uid %ld", (long)uid);
}

/* Where a walk starts: the terminal on standard input ("no terminal"), so the resume
 * picker can tell sessions apart (the host is written beside it, session_host_dup). */
static void add_origin(struct json_object *o)
{
	char tty[256];
	if (ttyname_r(STDIN_FILENO, tty, sizeof tty) != 0)
		snprintf(tty, sizeof tty, "no terminal");
	json_object_object_add(o, "tty", json_object_new_string(tty));
}

/* ---- writing */

static void journal_write(struct journal *j, struct json_object *o)
{
	if (!j) {
		json_object_put(o);
		return;
	}
	if (j->failed) {
		json_object_put(o);
		return;
	}
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *line = xasprintf("%s\n", s);
	size_t len = strlen(line), off = 0;
	off_t before = lseek(j->fd, 0, SEEK_END);
	/* One write() per line: a crash leaves a whole line or a truncated last one. */
	while (off < len && !j->failed) {
		ssize_t w = write(j->fd, line + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			j->failed = true;
			j->err = w < 0 ? errno : ENOSPC;
		} else {
			off += (size_t)w;
		}
	}
	if (!j->failed && fsync(j->fd) != 0 && errno != EINVAL) {
		/* EINVAL: a file that cannot be synced (not an error of ours) */
		j->failed = true;
		j->err = errno;
	}
	/* A disk that filled up mid-line: take the piece back, so the journal ends with
	 * the last whole event and a resume continues from there without a warning. */
	if (j->failed && off > 0 && before >= 0)
		(void)ftruncate(j->fd, before);
	free(line);
	json_object_put(o);
}

static struct json_object *event_new(const char *ev)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ev", json_object_new_string(ev));
	return o;
}

/* s with any secret masked, as JSON (null for NULL). Not cleaned of control characters
 * as a report's texts are (report_scrub): a pasted text replays as it was pasted. */
static struct json_object *jmask(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *c = engine_mask_secrets(e, s);
	struct json_object *o = json_str_new(c);
	free(c);
	return o;
}

/* A result as the journal keeps it: masked as for showing (engine_mask_result). */
static struct json_object *result_json(const struct engine *e, const struct check_result *raw)
{
	struct check_result m;
	engine_mask_result(e, &m, raw);
	const struct check_result *r = &m;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_str_new(r->kind));
	json_object_object_add(o, "target", json_str_new(r->target));
	json_object_object_add(o, "outcome", json_str_new(r->outcome));
	json_object_object_add(o, "summary", json_str_new(r->summary));
	struct json_object *facts = json_object_new_array();
	for (size_t i = 0; i < r->facts.n; i++) {
		struct json_object *pair = json_object_new_array();
		json_object_array_add(pair, json_str_new(r->facts.v[i].key));
		json_object_array_add(pair, json_str_new(r->facts.v[i].value));
		json_object_array_add(facts, pair);
	}
	json_object_object_add(o, "facts", facts);
	struct json_object *probs = json_object_new_array();
	for (size_t i = 0; i < r->nproblems; i++)
		json_object_array_add(probs, json_str_new(r->problems[i]));
	json_object_object_add(o, "problems", probs);
	json_object_object_add(o, "command", json_str_new(r->command));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(r->elapsed_ms));
	json_object_object_add(o, "simulated", json_object_new_boolean(r->simulated));
	check_result_clear(&m);
	return o;
}

/* s as a JSON string (null for NULL), freeing s. */
static struct json_object *jtake(char *s)
{
	struct json_object *o = json_str_new(s);
	free(s);
	return o;
}

/* "time" (unix seconds), "utc_offset" and "tz" of t. */
static void json_add_time(struct json_object *o, const struct report_time *t)
{
	json_object_object_add(o, "time", json_object_new_int64((int64_t)t->secs));
	if (t->have_offset) {
		json_object_object_add(o, "utc_offset", json_object_new_int64((int64_t)t->utc_offset));
		json_object_object_add(o, "tz", json_object_new_string(t->zone));
	}
}

struct journal *journal_create(const struct flow *f, const char *scenario, char **path_out, char **err)
{
	char *dir = session_dir();
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*err = xasprintf("cannot create the sessions directory %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	struct report_time t0 = report_time_now();
	char *id = session_id_new((time_t)t0.secs);
	char *path = NULL;
	int fd = -1;
	for (int n = 1; n < 1000 && fd < 0; n++) {
		free(path);
		path = n == 1 ? xasprintf("%s/%s.journal", dir, id) : xasprintf("%s/%s-%d.journal", dir, id, n);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	free(dir);
	free(id);
	if (fd < 0) {
		*err = xasprintf("cannot create journal %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	struct journal *j = xcalloc(1, sizeof *j);
	j->fd = fd;
	j->path = path;
	(void)flock(fd, LOCK_EX | LOCK_NB);    /* new and ours: a --resume elsewhere is refused */

	struct json_object *o = event_new("start");
	json_object_object_add(o, "v", json_object_new_int(SESSION_JOURNAL_VERSION));
	char *abs = f->path ? realpath(f->path, NULL) : NULL;
	json_object_object_add(o, "flow_path", json_str_new(abs ? abs : f->path));
	free(abs);
	json_object_object_add(o, "flow_id", json_str_new(f->id));
	json_object_object_add(o, "flow_title", json_str_new(f->title));
	json_object_object_add(o, "flow_version", json_str_new(f->version));
	json_object_object_add(o, "lang", json_str_new(f->lang));
	json_object_object_add(o, "start", json_str_new(f->start.id));
	json_object_object_add(o, "scenario", json_str_new(scenario));
	json_add_time(o, &t0);
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)getpid()));
	json_object_object_add(o, "host", jtake(session_host_dup()));
	json_object_object_add(o, "user", jtake(session_user_dup()));
	json_object_object_add(o, "tshoot_version", json_object_new_string(TSHOOT_VERSION));
	add_origin(o);
	journal_write(j, o);
	if (j->failed) {
		*err = xasprintf("cannot write journal %s: %s", path, strerror(j->err));
		journal_close(j);
		return NULL;
	}
	if (path_out)
		*path_out = xstrdup(path);
	return j;
}

/* Another tshoot holds path: say which (the pid of its start or resume). */
static char *busy_message(const char *path)
{
	struct session_info si;
	char *e = NULL;
	long long pid = 0;
	if (session_read_info(path, &si, &e) == 0) {
		pid = si.pid;
		session_info_clear(&si);
	}
	free(e);
	if (pid > 0)
		return xasprintf("the session %s is open in another tshoot (pid %lld); "
				 "continue it there, or quit that one first", path, pid);
	return xasprintf("the session %s is open in another tshoot; continue it there, or quit that one first",
			 path);
}

/* The answers a journal holds; one that cannot be read counts as answered, so that
 * closing it never deletes what could not be looked at. */
static size_t answers_in(const char *path)
{
	struct session_info si;
	char *e = NULL;
	size_t n = 1;
	if (session_read_info(path, &si, &e) == 0) {
		n = si.answers;
		session_info_clear(&si);
	}
	free(e);
	return n;
}

struct journal *journal_append(const char *path, bool *busy, char **err)
{
	if (busy)
		*busy = false;
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf("cannot open journal %s: %s", path, strerror(errno));
		return NULL;
	}
	/* One walk per journal: two appending at once would interleave two walks. The
	 * lock goes with the descriptor, so a killed tshoot leaves none behind. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
		close(fd);
		if (busy)
			*busy = true;
		*err = busy_message(path);
		return NULL;
	}
	struct journal *j = xcalloc(1, sizeof *j);
	j->fd = fd;
	j->path = xstrdup(path);
	j->answers = answers_in(path);
	/* A kill -9 may have left a truncated last line with no newline: end it, so the
	 * next event starts on a line of its own. */
	int rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd >= 0) {
		off_t end = lseek(rfd, 0, SEEK_END);
		char c = '\n';
		if (end > 0 && pread(rfd, &c, 1, end - 1) == 1 && c != '\n') {
			if (write(fd, "\n", 1) != 1) {
				j->failed = true;
				j->err = errno ? errno : ENOSPC;
			}
		}
		close(rfd);
	}
	struct json_object *o = event_new("resume");
	json_object_object_add(o, "time", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)getpid()));
	journal_write(j, o);
	return j;
}

void journal_step(struct journal *j, const struct engine *e, const struct engine_step *s)
{
	if (!j || !e || !s)
		return;
	const struct flow *f = engine_flow(e);
	if (s->node < 0 || (size_t)s->node >= f->nnodes)
		return;
	const struct flow_node *n = &f->nodes[s->node];
	if (n->type == NODE_END)
		return;                  /* journal_end records ends */
	struct json_object *o = event_new("step");
	json_object_object_add(o, "node", json_str_new(n->id));
	switch (n->type) {
	case NODE_INFO:
		json_object_object_add(o, "kind", json_object_new_string("next"));
		break;
	case NODE_QUESTION:
		json_object_object_add(o, "kind", json_object_new_string("choose"));
		json_object_object_add(o, "answer", json_object_new_int(s->choice));
		json_object_object_add(o, "label", json_str_new(s->answer));
		break;
	case NODE_INPUT: {
		json_object_object_add(o, "kind", json_object_new_string("input"));
		struct json_object *vals = json_object_new_object();
		for (size_t i = 0; i < n->nvars; i++) {
			int vi = n->vars[i].idx;
			if (flow_var_secret(f, vi))
				continue;        /* secrets are asked again after a resume */
			if (s->vars_after && s->vars_after[vi])
				json_object_object_add(vals, f->vars[vi].name, json_str_new(s->vars_after[vi]));
		}
		json_object_object_add(o, "values", vals);
		break;
	}
	case NODE_CLASSIFY:
		json_object_object_add(o, "kind", json_object_new_string("classify"));
		json_object_object_add(o, "text", jmask(e, s->answer ? s->answer : ""));
		break;
	case NODE_STEPS: {
		json_object_object_add(o, "kind", json_object_new_string("steps"));
		json_object_object_add(o, "fixed", json_object_new_boolean(s->choice == STEPS_FIXED));
		if (s->choice == STEPS_CANNOT)      /* written only then: older journals stay alike */
			json_object_object_add(o, "cannot", json_object_new_boolean(true));
		struct json_object *t = json_object_new_array();
		for (size_t i = 0; i < n->nsteps; i++)
			json_object_array_add(t, json_object_new_boolean(s->ticked && s->ticked[i]));
		json_object_object_add(o, "ticked", t);
		break;
	}
	case NODE_CHECK: {
		json_object_object_add(o, "kind", json_object_new_string("checks"));
		struct json_object *rs = json_object_new_array();
		for (size_t i = 0; i < s->nresults; i++)
			json_object_array_add(rs, result_json(e, &s->results[i]));
		json_object_object_add(o, "results", rs);
		json_object_object_add(o, "outcome", json_str_new(s->outcome));
		break;
	}
	case NODE_BRANCH:
		/* decided again on replay; the rule and note are for reading the journal */
		json_object_object_add(o, "kind", json_object_new_string("branch"));
		json_object_object_add(o, "rule", json_object_new_int(s->rule));
		if (s->note)
			json_object_object_add(o, "note", json_str_new(s->note));
		break;
	case NODE_FLOW:
	case NODE_RETURN:
		/* a sub-flow entered or left: taken again on replay */
		json_object_object_add(o, "kind", json_object_new_string(n->type == NODE_FLOW ? "call" : "return"));
		if (s->outcome)
			json_object_object_add(o, "result", json_str_new(s->outcome));
		break;
	case NODE_END:
		break;
	}
	if (s->next >= 0 && (size_t)s->next < f->nnodes)
		json_object_object_add(o, "next", json_str_new(f->nodes[s->next].id));
	json_object_object_add(o, "time", json_object_new_int64((int64_t)time(NULL)));
	journal_write(j, o);
	if (!j->failed)
		j->answers++;
}

void journal_var(struct journal *j, const struct flow *f, const char *name, const char *value)
{
	if (!j || !name)
		return;
	if (flow_var_secret(f, flow_var_index(f, name)))
		return;                  /* unknown names are not ours to keep; secrets never */
	struct json_object *o = event_new("var");
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "value", json_str_new(value ? value : ""));
	journal_write(j, o);
}

void journal_back(struct journal *j)
{
	if (j)
		journal_write(j, event_new("back"));
}

void journal_restart(struct journal *j)
{
	if (j)
		journal_write(j, event_new("restart"));
}

void journal_end(struct journal *j, const struct engine *e)
{
	if (!j || !e)
		return;
	const struct flow_node *n = engine_node(e);
	struct json_object *o = event_new("end");
	json_object_object_add(o, "node", json_str_new(n ? n->id : NULL));
	if (n && n->type == NODE_END)
		json_object_object_add(o, "result",
				       json_object_new_string(n->result == END_RESOLVED ? "resolved" : "escalate"));
	struct report_time now = report_time_now();
	json_add_time(o, &now);
	journal_write(j, o);
}

void journal_note(struct journal *j, const struct report_note *n)
{
	if (!j || !n || !n->text)
		return;
	struct json_object *o = event_new("note");
	json_object_object_add(o, "text", json_object_new_string(n->text));
	json_object_object_add(o, "node", json_str_new(n->node));
	json_object_object_add(o, "step", json_object_new_int64((int64_t)n->step_no));
	json_add_time(o, &n->when);
	journal_write(j, o);
}

void journal_ticket(struct journal *j, const char *ticket)
{
	if (!j || !ticket)
		return;
	struct json_object *o = event_new("ticket");
	json_object_object_add(o, "ticket", json_object_new_string(ticket));
	json_object_object_add(o, "time", json_object_new_int64((int64_t)time(NULL)));
	journal_write(j, o);
}

char *journal_error_dup(const struct journal *j)
{
	if (!j || !j->failed)
		return NULL;
	return xasprintf("cannot write the session journal %s: %s", j->path, strerror(j->err));
}

size_t journal_answers(const struct journal *j)
{
	return j ? j->answers : 0;
}

/* Close j, deleting its file first when remove (while the lock is still held). */
static void journal_release(struct journal *j, bool remove)
{
	if (!j)
		return;
	if (remove)
		(void)unlink(j->path);
	if (j->fd >= 0)
		close(j->fd);
	free(j->path);
	free(j);
}

void journal_close(struct journal *j)
{
	journal_release(j, j && j->answers == 0);
}

void journal_discard(struct journal *j)
{
	journal_release(j, true);
}

