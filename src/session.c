/* session.c — the append-only journal of a walk (JSON lines), and resume.
 *
 * One event per line, each written with a single write() and fsync()ed, so a killed
 * process leaves at worst one truncated last line. Events:
 *   {"ev":"start","v":1,"flow_path":..,"flow_id":..,"flow_title":..,"flow_version":..,
 *    "start":..,"scenario":..,"time":..,"pid":..,"tty":..,"host":..}   first line
 *   {"ev":"var","name":..,"value":..}                            a --set preset (never a secret)
 *   {"ev":"step","node":..,"kind":"next|choose|input|classify|steps|checks",...,"next":..}
 *   {"ev":"back"} {"ev":"restart"} {"ev":"end","node":..,"result":..}
 *   {"ev":"resume","time":..,"pid":..}                           journal_append() on resume
 *   {"ev":"note","text":..,"node":..,"step":..,"time":..}          an operator's note (masked)
 *   {"ev":"ticket","ticket":..,"time":..}                         --ticket
 * The start line also names the host, the user and the tshoot version; start, end and
 * note events carry "utc_offset" (seconds) and "tz" beside "time", so a report made
 * elsewhere still shows the local time where the walk ran.
 *
 * Replay is deterministic: when an event cannot be replayed (a node that does not match,
 * a required secret that was never written), replay stops there and skips to the next
 * "resume" marker, because everything after that marker was recorded by a walk that
 * continued from exactly that stopping point. */
#include "src/session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/secret.h"
#include "src/util.h"

#define JOURNAL_VERSION 1

struct journal {
	int fd;
	char *path;
	bool failed;                 /* a write failed: nothing more is written (a journal
	                                with a gap would replay wrongly); see journal_error_dup */
	int err;                     /* errno of that failure */
	size_t answers;              /* step events in the file: none, and close deletes it */
};

/* ---- paths */

static int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, mode);
	free(p);
	return rc == 0 || errno == EEXIST ? 0 : -1;
}

char *session_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	char *dir;
	if (state && state[0] == '/') {
		dir = xasprintf("%s/tshoot/sessions", state);
	} else {
		const char *home = getenv("HOME");
		dir = xasprintf("%s/.local/state/tshoot/sessions", home && *home ? home : ".");
	}
	if (mkdir_p(dir, 0700) == 0)
		(void)chmod(dir, 0700);
	return dir;
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

static struct json_object *jstr(const char *s)
{
	return json_str_new(s);
}

static struct json_object *event_new(const char *ev)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ev", json_object_new_string(ev));
	return o;
}

static struct json_object *jscrub(const struct engine *e, const char *s)
{
	if (!s)
		return NULL;
	char *c = engine_mask_secrets(e, s);
	struct json_object *o = jstr(c);
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
	json_object_object_add(o, "kind", jstr(r->kind));
	json_object_object_add(o, "target", jstr(r->target));
	json_object_object_add(o, "outcome", jstr(r->outcome));
	json_object_object_add(o, "summary", jstr(r->summary));
	struct json_object *facts = json_object_new_array();
	for (size_t i = 0; i < r->facts.n; i++) {
		struct json_object *pair = json_object_new_array();
		json_object_array_add(pair, jstr(r->facts.v[i].key));
		json_object_array_add(pair, jstr(r->facts.v[i].value));
		json_object_array_add(facts, pair);
	}
	json_object_object_add(o, "facts", facts);
	struct json_object *probs = json_object_new_array();
	for (size_t i = 0; i < r->nproblems; i++)
		json_object_array_add(probs, jstr(r->problems[i]));
	json_object_object_add(o, "problems", probs);
	json_object_object_add(o, "command", jstr(r->command));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(r->elapsed_ms));
	json_object_object_add(o, "simulated", json_object_new_boolean(r->simulated));
	check_result_free(&m);
	return o;
}

/* s as a JSON string (null for NULL), freeing s. */
static struct json_object *jtake(char *s)
{
	struct json_object *o = jstr(s);
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

/* A new session id from the local time and the pid: "20240501-113000-4242". */
static char *session_id_new(time_t now)
{
	struct tm tm;
	char stamp[32] = "0";
	if (localtime_r(&now, &tm))
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	return xasprintf("%s-%ld", stamp, (long)getpid());
}


/* This machine's name, or NULL. */
static char *host_dup(void)
{
	char buf[256];
	if (gethostname(buf, sizeof buf) != 0)
		return NULL;
	buf[sizeof buf - 1] = '\0';
	return xstrdup(buf);
}

/* Who runs this: the effective user's name from the password database (not $USER,
 * which anyone can set), else "uid N". */
static char *user_dup(void)
{
	uid_t uid = geteuid();
	struct passwd pw, *res = NULL;
	char buf[2048];
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name && *res->pw_name)
		return xstrdup(res->pw_name);
	return xasprintf("uid %ld", (long)uid);
}

/* Where a walk starts: the terminal on standard input ("no terminal"), so the resume
 * picker can tell sessions apart (the host is written beside it, host_dup). */
static void add_origin(struct json_object *o)
{
	char tty[256];
	if (ttyname_r(STDIN_FILENO, tty, sizeof tty) != 0)
		snprintf(tty, sizeof tty, "no terminal");
	json_object_object_add(o, "tty", json_object_new_string(tty));
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
	json_object_object_add(o, "v", json_object_new_int(JOURNAL_VERSION));
	char *abs = f->path ? realpath(f->path, NULL) : NULL;
	json_object_object_add(o, "flow_path", jstr(abs ? abs : f->path));
	free(abs);
	json_object_object_add(o, "flow_id", jstr(f->id));
	json_object_object_add(o, "flow_title", jstr(f->title));
	json_object_object_add(o, "flow_version", jstr(f->version));
	json_object_object_add(o, "start", jstr(f->start.id));
	json_object_object_add(o, "scenario", jstr(scenario));
	json_add_time(o, &t0);
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)getpid()));
	json_object_object_add(o, "host", jtake(host_dup()));
	json_object_object_add(o, "user", jtake(user_dup()));
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
	json_object_object_add(o, "node", jstr(n->id));
	switch (n->type) {
	case NODE_INFO:
		json_object_object_add(o, "kind", json_object_new_string("next"));
		break;
	case NODE_QUESTION:
		json_object_object_add(o, "kind", json_object_new_string("choose"));
		json_object_object_add(o, "answer", json_object_new_int(s->choice));
		json_object_object_add(o, "label", jstr(s->answer));
		break;
	case NODE_INPUT: {
		json_object_object_add(o, "kind", json_object_new_string("input"));
		struct json_object *vals = json_object_new_object();
		for (size_t i = 0; i < n->nvars; i++) {
			int vi = n->vars[i].idx;
			if (flow_var_secret(f, vi))
				continue;        /* secrets are asked again after a resume */
			if (s->vars_after && s->vars_after[vi])
				json_object_object_add(vals, f->vars[vi].name, jstr(s->vars_after[vi]));
		}
		json_object_object_add(o, "values", vals);
		break;
	}
	case NODE_CLASSIFY:
		json_object_object_add(o, "kind", json_object_new_string("classify"));
		json_object_object_add(o, "text", jscrub(e, s->answer ? s->answer : ""));
		break;
	case NODE_STEPS: {
		json_object_object_add(o, "kind", json_object_new_string("steps"));
		json_object_object_add(o, "fixed", json_object_new_boolean(s->choice == 1));
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
		json_object_object_add(o, "outcome", jstr(s->outcome));
		break;
	}
	case NODE_END:
		break;
	}
	if (s->next >= 0 && (size_t)s->next < f->nnodes)
		json_object_object_add(o, "next", jstr(f->nodes[s->next].id));
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
	json_object_object_add(o, "value", jstr(value ? value : ""));
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
	json_object_object_add(o, "node", jstr(n ? n->id : NULL));
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
	json_object_object_add(o, "node", jstr(n->node));
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

/* ---- reading */

/* Parse one line as a JSON object with an "ev" string; NULL when truncated/corrupted. */
static struct json_object *parse_line(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0 || len > INT_MAX)
		return NULL;
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	bool whole = o && json_tokener_get_error(tok) == json_tokener_success &&
		     (size_t)json_tokener_get_parse_end(tok) == len;
	json_tokener_free(tok);
	struct json_object *ev;
	if (!whole || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "ev", &ev) || !json_object_is_type(ev, json_type_string)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static const char *jget_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool jget_int(struct json_object *o, const char *key, long long *out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = (long long)json_object_get_int64(v);
	return true;
}

static bool jget_bool(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* t from an event's "time", "utc_offset" and "tz". */
static void jget_time(struct json_object *o, struct report_time *t)
{
	long long v = 0;
	memset(t, 0, sizeof *t);
	if (jget_int(o, "time", &v))
		t->secs = v;
	if (jget_int(o, "utc_offset", &v) && v > -86400 && v < 86400) {
		t->have_offset = true;
		t->utc_offset = (long)v;
		const char *z = jget_str(o, "tz");
		snprintf(t->zone, sizeof t->zone, "%s", z ? z : "");
	}
}

void session_info_add_note(struct session_info *si, const struct report_note *n)
{
	VEC_PUSH(si->notes, si->nnotes, si->cnotes);
	si->notes[si->nnotes++] = (struct report_note){
		.when = n->when, .step_no = n->step_no, .node = dup_or_null(n->node), .text = xstrdup(n->text ? n->text : ""),
	};
}

/* The start line's part for the report's header. */
static void info_take_start(struct session_info *out, struct json_object *o)
{
	out->host = dup_or_null(jget_str(o, "host"));
	out->user = dup_or_null(jget_str(o, "user"));
	out->tshoot_version = dup_or_null(jget_str(o, "tshoot_version"));
	jget_time(o, &out->start_at);
}

/* The events after the start line that the report's header needs. */
static void info_take_event(struct session_info *out, const char *ev, struct json_object *o)
{
	if (str_eq(ev, "note") && jget_str(o, "text")) {
		long long step = 0;
		jget_int(o, "step", &step);
		struct report_note n = {.step_no = step > 0 ? (size_t)step : 0, .node = (char *)jget_str(o, "node"),
					.text = (char *)jget_str(o, "text")};
		jget_time(o, &n.when);
		session_info_add_note(out, &n);
	} else if (str_eq(ev, "ticket") && jget_str(o, "ticket")) {
		free(out->ticket);
		out->ticket = xstrdup(jget_str(o, "ticket"));
	} else if (str_eq(ev, "end")) {
		jget_time(o, &out->end_at);
	}
}

void session_info_live(struct session_info *si)
{
	memset(si, 0, sizeof *si);
	si->start_at = report_time_now();
	si->started = si->updated = si->start_at.secs;
	si->session_id = session_id_new((time_t)si->start_at.secs);
	si->host = host_dup();
	si->user = user_dup();
	si->tshoot_version = xstrdup(TSHOOT_VERSION);
}

void session_info_meta(const struct session_info *si, struct report_meta *m)
{
	m->started = si->start_at;
	if (!m->started.secs)
		m->started.secs = si->started;
	m->ended = si->ended ? si->end_at : (struct report_time){0};
	m->session_id = si->session_id;
	m->host = si->host;
	m->user = si->user;
	m->tshoot_version = si->tshoot_version;
	m->ticket = si->ticket;
	m->notes = si->notes;
	m->nnotes = si->nnotes;
}

void session_info_clear(struct session_info *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nnotes; i++) {
		free(s->notes[i].node);
		free(s->notes[i].text);
	}
	free(s->notes);
	free(s->session_id);
	free(s->host);
	free(s->user);
	free(s->tshoot_version);
	free(s->ticket);
	free(s->path);
	free(s->flow_path);
	free(s->flow_id);
	free(s->flow_title);
	free(s->scenario);
	free(s->node);
	free(s->tty);
	memset(s, 0, sizeof *s);
}

int session_read_info(const char *path, struct session_info *out, char **err)
{
	memset(out, 0, sizeof *out);
	FILE *fp = fopen(path, "re");
	if (!fp) {
		*err = xasprintf("cannot open journal %s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool first = true;
	/* The node the walk stands at: a stack of visited nodes, popped by "back". */
	char **stack = NULL;
	size_t depth = 0, scap = 0;
	char *start_node = NULL;
	int rc = 0;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct json_object *o = parse_line(line, (size_t)len);
		const char *ev = o ? jget_str(o, "ev") : NULL;
		if (first) {
			first = false;
			if (!str_eq(ev, "start")) {
				*err = xasprintf("%s: not a tshoot journal (no start line)", path);
				json_object_put(o);
				rc = -1;
				break;
			}
			out->flow_path = dup_or_null(jget_str(o, "flow_path"));
			out->flow_id = dup_or_null(jget_str(o, "flow_id"));
			out->flow_title = dup_or_null(jget_str(o, "flow_title"));
			out->scenario = dup_or_null(jget_str(o, "scenario"));
			out->tty = dup_or_null(jget_str(o, "tty"));
			start_node = dup_or_null(jget_str(o, "start"));
			jget_int(o, "time", &out->started);
			jget_int(o, "pid", &out->pid);
			info_take_start(out, o);
			if (start_node) {
				VEC_PUSH(stack, depth, scap);
				stack[depth++] = xstrdup(start_node);
			}
		} else if (str_eq(ev, "step")) {
			const char *next = jget_str(o, "next");
			if (next) {
				VEC_PUSH(stack, depth, scap);
				stack[depth++] = xstrdup(next);
			}
			out->answers++;
			out->ended = false;
		} else if (str_eq(ev, "back")) {
			if (depth > 1)
				free(stack[--depth]);
			out->ended = false;
		} else if (str_eq(ev, "restart")) {
			while (depth > 1)
				free(stack[--depth]);
			out->ended = false;
		} else if (str_eq(ev, "end")) {
			out->ended = true;
			const char *n = jget_str(o, "node");
			if (n && (depth == 0 || !str_eq(stack[depth - 1], n))) {
				VEC_PUSH(stack, depth, scap);
				stack[depth++] = xstrdup(n);
			}
		} else if (str_eq(ev, "resume")) {
			out->ended = false;
			jget_int(o, "pid", &out->pid);
		}
		if (o)
			info_take_event(out, ev, o);
		json_object_put(o);
	}
	if (rc == 0 && first) {
		*err = xasprintf("%s: empty journal", path);
		rc = -1;
	}
	fclose(fp);
	free(line);
	if (rc == 0) {
		out->path = xstrdup(path);
		out->session_id = session_id_dup(path);
		out->node = depth ? xstrdup(stack[depth - 1]) : NULL;
		out->step = depth ? depth : 1;
		struct stat st;
		out->updated = stat(path, &st) == 0 ? (long long)st.st_mtime : out->started;
	} else {
		session_info_clear(out);
	}
	for (size_t i = 0; i < depth; i++)
		free(stack[i]);
	free(stack);
	free(start_node);
	return rc;
}

/* Rebuild a check result from its journal form; marked stale. */
static void result_from_json(struct json_object *o, struct check_result *r)
{
	memset(r, 0, sizeof *r);
	r->kind = dup_or_null(jget_str(o, "kind"));
	r->target = dup_or_null(jget_str(o, "target"));
	r->outcome = xstrdup(jget_str(o, "outcome") ? jget_str(o, "outcome") : "ok");
	r->summary = dup_or_null(jget_str(o, "summary"));
	r->command = dup_or_null(jget_str(o, "command"));
	long long ms = 0;
	if (jget_int(o, "elapsed_ms", &ms))
		r->elapsed_ms = (long)ms;
	r->simulated = jget_bool(o, "simulated");
	r->stale = true;
	struct json_object *facts, *probs;
	if (json_object_object_get_ex(o, "facts", &facts) && json_object_is_type(facts, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(facts); i++) {
			struct json_object *p = json_object_array_get_idx(facts, i);
			if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) != 2)
				continue;
			const char *k = json_object_get_string(json_object_array_get_idx(p, 0));
			const char *v = json_object_get_string(json_object_array_get_idx(p, 1));
			if (k && v && !secret_name(k))
				facts_add(&r->facts, k, v);
		}
	}
	if (json_object_object_get_ex(o, "problems", &probs) && json_object_is_type(probs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(probs); i++) {
			const char *p = json_object_get_string(json_object_array_get_idx(probs, i));
			if (p)
				check_result_add_problem(r, p);
		}
	}
}

enum replay_rc { REPLAY_OK, REPLAY_STOP };

/* Replay one step event. REPLAY_STOP (with a diag when it is unexpected) when the
 * engine cannot take it. */
static enum replay_rc replay_step(struct engine *e, struct json_object *o, const char *path, int lineno,
				  struct diags *d)
{
	const struct flow *f = engine_flow(e);
	const struct flow_node *cur = engine_node(e);
	const char *node = jget_str(o, "node");
	const char *kind = jget_str(o, "kind");
	const char *err = NULL;
	if (!cur || !node || !str_eq(cur->id, node)) {
		diags_add(d, DIAG_WARNING, path, lineno, 0,
			  "journal step at node '%s' but the walk is at '%s'; replay stops here",
			  node ? node : "?", cur ? cur->id : "?");
		return REPLAY_STOP;
	}
	int rc = -1;
	if (str_eq(kind, "next")) {
		rc = engine_next(e, &err);
	} else if (str_eq(kind, "choose")) {
		long long idx = -1;
		jget_int(o, "answer", &idx);
		const char *label = jget_str(o, "label");
		/* The label wins when the flow changed order since; the index otherwise. */
		if (label && (idx < 0 || (size_t)idx >= cur->nanswers || !str_eq(cur->answers[idx].label, label))) {
			for (size_t i = 0; i < cur->nanswers; i++)
				if (str_eq(cur->answers[i].label, label))
					idx = (long long)i;
		}
		if (idx < 0 || (size_t)idx >= cur->nanswers) {
			diags_add(d, DIAG_WARNING, path, lineno, 0,
				  "journal answer at node '%s' is not one of its answers; replay stops here", node);
			return REPLAY_STOP;
		}
		rc = engine_choose(e, (size_t)idx, &err);
	} else if (str_eq(kind, "input")) {
		struct json_object *vals = NULL;
		json_object_object_get_ex(o, "values", &vals);
		const char **v = xcalloc(cur->nvars ? cur->nvars : 1, sizeof *v);
		bool secret_missing = false;
		for (size_t i = 0; i < cur->nvars; i++) {
			int vi = cur->vars[i].idx;
			const struct flow_var *fv = vi >= 0 && (size_t)vi < f->nvars ? &f->vars[vi] : NULL;
			if (fv && flow_var_secret(f, vi)) {
				if (!fv->optional && !fv->def)
					secret_missing = true;
				continue;
			}
			if (fv && vals && json_object_is_type(vals, json_type_object))
				v[i] = jget_str(vals, fv->name);
		}
		if (secret_missing) {
			/* Not an error: secrets are never written, so the operator is asked again. */
			free(v);
			return REPLAY_STOP;
		}
		size_t bad = 0;
		rc = engine_submit_input(e, v, cur->nvars, &bad, &err);
		free(v);
	} else if (str_eq(kind, "classify")) {
		const char *text = jget_str(o, "text");
		rc = engine_classify(e, text ? text : "", &err);
	} else if (str_eq(kind, "steps")) {
		bool *ticked = xcalloc(cur->nsteps ? cur->nsteps : 1, sizeof *ticked);
		struct json_object *t;
		if (json_object_object_get_ex(o, "ticked", &t) && json_object_is_type(t, json_type_array)) {
			for (size_t i = 0; i < cur->nsteps && i < json_object_array_length(t); i++)
				ticked[i] = json_object_get_boolean(json_object_array_get_idx(t, i));
		}
		rc = engine_steps(e, jget_bool(o, "fixed"), ticked, &err);
		free(ticked);
	} else if (str_eq(kind, "checks")) {
		struct json_object *rs;
		size_t n = 0;
		struct check_result *res = NULL;
		if (json_object_object_get_ex(o, "results", &rs) && json_object_is_type(rs, json_type_array)) {
			n = json_object_array_length(rs);
			res = xcalloc(n ? n : 1, sizeof *res);
			for (size_t i = 0; i < n; i++)
				result_from_json(json_object_array_get_idx(rs, i), &res[i]);
		}
		rc = engine_check_results(e, res, n, &err);
		for (size_t i = 0; i < n; i++)
			check_result_free(&res[i]);
		free(res);
	} else {
		diags_add(d, DIAG_WARNING, path, lineno, 0, "journal step of unknown kind '%s'; replay stops here",
			  kind ? kind : "?");
		return REPLAY_STOP;
	}
	if (rc != 0) {
		diags_add(d, DIAG_WARNING, path, lineno, 0, "cannot replay the step at node '%s' (%s); replay stops here",
			  node, err ? err : "refused");
		return REPLAY_STOP;
	}
	return REPLAY_OK;
}

int session_replay(const char *path, struct engine *e, struct diags *d)
{
	FILE *fp = fopen(path, "re");
	if (!fp) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "cannot open journal: %s", strerror(errno));
		return -1;
	}
	const struct flow *f = engine_flow(e);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	bool started = false, stopped = false;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		struct json_object *o = parse_line(line, (size_t)len);
		if (!o) {
			bool blank = strspn(line, " \r\n") == (size_t)len;
			if (blank)
				continue;
			if (!started) {
				diags_add(d, DIAG_ERROR, path, lineno, 0, "not a tshoot journal (no start line)");
				rc = -1;
				break;
			}
			diags_add(d, DIAG_WARNING, path, lineno, 0,
				  "journal line %d is truncated or corrupted; skipped", lineno);
			continue;
		}
		const char *ev = jget_str(o, "ev");
		if (!started) {
			if (!str_eq(ev, "start")) {
				diags_add(d, DIAG_ERROR, path, lineno, 0, "not a tshoot journal (no start line)");
				json_object_put(o);
				rc = -1;
				break;
			}
			const char *id = jget_str(o, "flow_id");
			if (id && f->id && !str_eq(id, f->id)) {
				diags_add(d, DIAG_ERROR, path, lineno, 0,
					  "journal is for flow '%s', not '%s'", id, f->id);
				json_object_put(o);
				rc = -1;
				break;
			}
			const char *err = NULL;
			if (engine_start(e, NULL, &err) != 0) {
				diags_add(d, DIAG_ERROR, path, lineno, 0, "cannot start the flow: %s",
					  err ? err : "no start node");
				json_object_put(o);
				rc = -1;
				break;
			}
			started = true;
		} else if (str_eq(ev, "resume")) {
			stopped = false;     /* what follows continued from where replay stopped */
		} else if (stopped) {
			/* skipped: recorded by a walk that a later resume superseded */
		} else if (str_eq(ev, "step")) {
			stopped = replay_step(e, o, path, lineno, d) == REPLAY_STOP;
		} else if (str_eq(ev, "back")) {
			if (engine_back(e) != 0)
				diags_add(d, DIAG_WARNING, path, lineno, 0, "journal 'back' at the first node; ignored");
		} else if (str_eq(ev, "restart")) {
			engine_restart(e);
		} else if (str_eq(ev, "var")) {
			const char *name = jget_str(o, "name"), *value = jget_str(o, "value"), *err = NULL;
			if (name && value && engine_set_var(e, name, value, &err) != 0)
				diags_add(d, DIAG_WARNING, path, lineno, 0, "journal variable '%s' not restored: %s",
					  name, err ? err : "refused");
		} else if (str_eq(ev, "end") || str_eq(ev, "note") || str_eq(ev, "ticket")) {
			/* nothing to replay: the walk is at the end node already; notes and the
			 * ticket are for the report (session_read_info) */
		} else {
			diags_add(d, DIAG_WARNING, path, lineno, 0, "unknown journal event '%s'; skipped", ev);
		}
		json_object_put(o);
	}
	if (rc == 0 && !started) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "empty journal");
		rc = -1;
	}
	free(line);
	fclose(fp);
	return rc;
}

/* ---- listing */

static bool resumable(const struct session_info *si)
{
	return !si->ended && si->answers > 0;
}

bool session_busy(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/* Free ones before busy ones, then newest first (the file name breaks ties). */
static int info_cmp(const void *a, const void *b)
{
	const struct session_info *x = a, *y = b;
	if (x->busy != y->busy)
		return x->busy ? 1 : -1;
	if (x->updated != y->updated)
		return x->updated > y->updated ? -1 : 1;
	return strcmp(y->path, x->path);
}

/* Every readable journal in the sessions directory (only the resumable ones when
 * resumable_only), sorted by info_cmp. */
static struct session_info *scan_sessions(size_t *n_out, bool resumable_only)
{
	char *dir = session_dir();
	DIR *dh = opendir(dir);
	struct session_info *v = NULL;
	size_t n = 0, cap = 0;
	if (dh) {
		struct dirent *de;
		while ((de = readdir(dh))) {
			size_t l = strlen(de->d_name);
			if (l < 9 || strcmp(de->d_name + l - 8, ".journal") != 0)
				continue;
			char *p = xasprintf("%s/%s", dir, de->d_name);
			struct session_info si;
			char *err = NULL;
			if (session_read_info(p, &si, &err) == 0) {
				if (resumable_only && !resumable(&si)) {
					session_info_clear(&si);
				} else {
					si.busy = session_busy(p);
					VEC_PUSH(v, n, cap);
					v[n++] = si;
				}
			}
			free(err);
			free(p);
		}
		closedir(dh);
	}
	free(dir);
	if (n > 1)
		qsort(v, n, sizeof *v, info_cmp);
	*n_out = n;
	return v;
}

struct session_info *session_resumable(size_t *n)
{
	return scan_sessions(n, true);
}

void session_infos_free(struct session_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		session_info_clear(&v[i]);
	free(v);
}

char *session_latest(void)
{
	size_t n;
	struct session_info *v = scan_sessions(&n, true);
	char *path = n ? xstrdup(v[0].path) : NULL;
	session_infos_free(v, n);
	return path;
}

char *session_id_dup(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t l = strlen(base);
	if (l > 8 && strcmp(base + l - 8, ".journal") == 0)
		l -= 8;
	return xstrndup(base, l);
}

static void format_time(char *buf, size_t size, long long when)
{
	time_t t = (time_t)when;
	struct tm tm;
	snprintf(buf, size, "?");
	if (localtime_r(&t, &tm))
		strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

/* When a session started, short: "Dec 02 03:17" this year, else "2025-12-02". */
static void format_when(char *buf, size_t size, long long when)
{
	time_t t = (time_t)when, now = time(NULL);
	struct tm tm, tn;
	snprintf(buf, size, "?");
	if (localtime_r(&t, &tm) && localtime_r(&now, &tn))
		strftime(buf, size, tm.tm_year == tn.tm_year ? "%b %d %H:%M" : "%Y-%m-%d", &tm);
}

/* Where a session started: " at pts/3", ", no terminal", the host too when it is not
 * this one (" at wsus01:pts/3"), or "" when the journal does not say. Newly allocated. */
static char *origin_dup(const struct session_info *si)
{
	char here[256] = "";
	if (gethostname(here, sizeof here) != 0)
		here[0] = '\0';
	here[sizeof here - 1] = '\0';
	const char *host = si->host && !str_eq(si->host, here) ? si->host : NULL;
	const char *tty = si->tty;
	if (!tty)
		return host ? xasprintf(" on %s", host) : xstrdup("");
	if (str_eq(tty, "no terminal"))
		return host ? xasprintf(", no terminal, on %s", host) : xstrdup(", no terminal");
	if (str_starts(tty, "/dev/"))
		tty += strlen("/dev/");
	return xasprintf(" at %s%s%s", host ? host : "", host ? ":" : "", tty);
}

char *session_describe(const struct session_info *si)
{
	char when[32];
	format_when(when, sizeof when, si->started);
	char *origin = origin_dup(si);
	char *d = xasprintf("%s%s, step %zu, %zu answer%s, started %s%s", si->flow_id ? si->flow_id : "?",
			    si->scenario ? " (training)" : "", si->step, si->answers, si->answers == 1 ? "" : "s",
			    when, origin);
	char *clean = str_clean_dup(d);
	free(d);
	free(origin);
	return clean;
}

int session_list(FILE *out)
{
	size_t n;
	struct session_info *v = scan_sessions(&n, true);
	if (n == 0) {
		fprintf(out, "no sessions to resume\n");
		free(v);
		return 0;
	}
	fprintf(out, "%-26s %-24s %-24s %4s %7s  %s\n", "ID", "FLOW", "LAST NODE", "STEP", "ANSWERS", "UPDATED");
	for (size_t i = 0; i < n; i++) {
		struct session_info *si = &v[i];
		char *id = session_id_dup(si->path);
		char when[32];
		format_time(when, sizeof when, si->updated);
		char *flow = str_clean_dup(si->flow_id ? si->flow_id : "?");
		char *node = str_clean_dup(si->node ? si->node : "?");
		fprintf(out, "%-26s %-24s %-24s %4zu %7zu  %s%s%s\n", id, flow, node, si->step, si->answers, when,
			si->scenario ? "  (training)" : "", si->busy ? "  (open in a running tshoot)" : "");
		free(flow);
		free(node);
		free(id);
	}
	session_infos_free(v, n);
	return 0;
}

/* Why a session is stale, or NULL when it is kept. */
static const char *stale_reason(const struct session_info *si, long long now, long long max_age)
{
	if (si->ended)
		return "finished";
	if (si->answers == 0)
		return "no answers";
	if (now - si->updated > max_age)
		return "not updated since";
	return NULL;
}

/* Delete path unless a running tshoot holds it: the lock is taken first and held
 * while the file goes, so a tshoot opening it in between is refused. 0, or -1 with
 * errno (EWOULDBLOCK: held). */
static int delete_unheld(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = flock(fd, LOCK_EX | LOCK_NB);
	if (rc == 0)
		rc = unlink(path);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int session_prune(FILE *out, long long max_age)
{
	size_t n, deleted = 0;
	struct session_info *v = scan_sessions(&n, false);
	long long now = (long long)time(NULL);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct session_info *si = &v[i];
		const char *why = stale_reason(si, now, max_age);
		if (!why)
			continue;
		char *id = session_id_dup(si->path);
		char *flow = str_clean_dup(si->flow_id ? si->flow_id : "?");
		char when[32];
		format_time(when, sizeof when, si->updated);
		bool since = !si->ended && si->answers > 0;
		if (delete_unheld(si->path) == 0) {
			fprintf(out, "deleted %s (%s, %s%s%s)\n", id, flow, why, since ? " " : "", since ? when : "");
			deleted++;
		} else if (errno == EWOULDBLOCK) {
			fprintf(out, "kept %s (%s): open in a running tshoot\n", id, flow);
		} else {
			fprintf(stderr, "tshoot: cannot delete %s: %s\n", si->path, strerror(errno));
			rc = 3;
		}
		free(id);
		free(flow);
	}
	fprintf(out, "%zu session%s deleted\n", deleted, deleted == 1 ? "" : "s");
	session_infos_free(v, n);
	return rc;
}
