/* session_list.c — where journals live (session_dir) and which of them can be resumed:
 * the resume picker's list, `tshoot sessions` and `tshoot sessions --prune`. */
#include "src/session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/session_int.h"
#include "src/util.h"

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

char *session_id_dup(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t l = strlen(base);
	if (l > 8 && strcmp(base + l - 8, ".journal") == 0)
		l -= 8;
	return xstrndup(base, l);
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
	char *here = session_host_dup();
	const char *host = si->host && !str_eq(si->host, here ? here : "") ? si->host : NULL;
	free(here);
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

