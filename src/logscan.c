/* logscan.c — stream a log (file or pasted text), decode it to UTF-8, split it into
 * records, extract each record's message and match the flow's signatures.
 *
 * The pipeline is push-driven: raw bytes -> decoder (BOM sniffing, UTF-16 -> UTF-8)
 * -> line splitter (bounded line buffer, CR stripped) -> record assembler (a CMTrace
 * record may span several physical lines until its "]LOG]!>") -> matcher. Memory is
 * bounded by LOGSCAN_MAX_LINE and LOGSCAN_MAX_KEPT whatever the file's size, and the
 * time one line can take by LOGSCAN_MAX_TEXT. */
#include "src/logscan.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "src/util.h"

#define CHUNK            (64u * 1024)
#define CMT_OPEN         "<![LOG["
#define CMT_CLOSE        "]LOG]!>"
#define MAX_RECORD_LINES 1000      /* physical lines one CMTrace record may span */

enum enc { ENC_UNKNOWN, ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE };

struct scan {
	const struct flow *flow;
	struct logscan_matches *out;
	const atomic_int *cancel;       /* stop when it becomes nonzero (may be NULL) */
	long long deadline_ms;          /* or when now_ms() passes it (0: never) */
	bool stopped;
	/* decoder */
	enum enc enc;
	unsigned char pend[4];          /* bytes held back: BOM sniffing, half a UTF-16 unit */
	size_t npend;
	unsigned hi_surrogate;          /* pending UTF-16 high surrogate, 0 when none */
	char *u8;                       /* decoder output buffer */
	size_t u8cap;
	/* line splitter */
	struct strbuf line;
	bool line_cut;                  /* the current line exceeded LOGSCAN_MAX_LINE */
	long lineno;                    /* lines completed so far */
	/* record assembler: an unterminated CMTrace record */
	struct strbuf rec;
	long rec_line;                  /* its first line, 0 when none is pending */
	int rec_nlines;
};

/* ---- Message extraction. */

static const char *skip_bom_space(const char *s)
{
	for (;;) {
		if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb && (unsigned char)s[2] == 0xbf)
			s += 3;
		else if (*s == ' ' || *s == '\t')
			s++;
		else
			return s;
	}
}

static char *trimmed_dup(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	char *raw = xstrndup(s, n);
	char *clean = str_clean_dup(raw);
	free(raw);
	return clean;
}

char *logscan_message(const char *line, char **component)
{
	const char *s = skip_bom_space(line ? line : "");
	if (component)
		*component = NULL;
	if (strncmp(s, CMT_OPEN, strlen(CMT_OPEN)) == 0) {
		const char *m = s + strlen(CMT_OPEN);
		const char *end = strstr(m, CMT_CLOSE);
		if (!end)                              /* cut or unterminated: take the rest */
			return trimmed_dup(m, strlen(m));
		if (component) {
			const char *c = strstr(end, "component=\"");
			if (c) {
				c += strlen("component=\"");
				size_t n = strcspn(c, "\"");
				if (n > 0 && c[n] == '"') {
					char *raw = xstrndup(c, n);
					*component = str_clean_dup(raw);
					free(raw);
				}
			}
		}
		return trimmed_dup(m, (size_t)(end - m));
	}
	/* The older SMS format: "message  $$<component><date time><thread=...>" */
	const char *d = strstr(s, "$$<");
	if (d) {
		if (component) {
			const char *c = d + 3;
			size_t n = strcspn(c, ">");
			if (n > 0 && c[n] == '>') {
				char *raw = xstrndup(c, n);
				*component = str_clean_dup(raw);
				free(raw);
			}
		}
		return trimmed_dup(s, (size_t)(d - s));
	}
	return trimmed_dup(s, strlen(s));
}

/* ---- Matching one record. */

static char *cut_utf8(char *s, size_t max)
{
	s[utf8_prefix_for_bytes(s, max)] = '\0';     /* do not split a character */
	return s;
}

static char *tilde_to_space(const char *s)
{
	struct strbuf sb = {0};
	while (*s) {
		if (s[0] == '~' && s[1] == '~') {
			sb_addc(&sb, ' ');
			while (*s == '~')
				s++;
		} else {
			sb_addc(&sb, *s++);
		}
	}
	return sb_steal(&sb);
}

/* Has the caller cancelled, or has the deadline passed? Once true, stays true. */
static bool stop_now(struct scan *sc)
{
	if (!sc->stopped)
		sc->stopped = (sc->cancel && atomic_load(sc->cancel)) ||
			      (sc->deadline_ms > 0 && now_ms() >= sc->deadline_ms);
	return sc->stopped;
}

static void match_set(struct logscan_match *m, const struct flow_sig *sig, long line, const char *text,
		      const char *component)
{
	m->sig = sig;
	m->line = line;
	m->text = xstrdup(text);
	m->component = xstrdup(component);
}

static void match_clear(struct logscan_match *m)
{
	free(m->text);
	free(m->component);
	memset(m, 0, sizeof(*m));
}

/* Keep only the newest keep matches of o->v. */
static void drop_oldest(struct logscan_matches *o, size_t keep)
{
	if (o->n <= keep)
		return;
	size_t drop = o->n - keep;
	for (size_t i = 0; i < drop; i++)
		match_clear(&o->v[i]);
	memmove(o->v, o->v + drop, keep * sizeof(*o->v));
	o->n = keep;
}

/* Count a match and keep it among the newest: v may grow to twice LOGSCAN_MAX_KEPT
 * before the older half goes, so dropping costs O(1) a match. */
static void add_match(struct scan *sc, const struct flow_sig *sig, long line, const char *text,
		      const char *component)
{
	struct logscan_matches *o = sc->out;
	if (!o->tally) {
		o->nsigs = sc->flow->nsigs;
		o->tally = xcalloc(o->nsigs, sizeof(*o->tally));
	}
	struct logscan_tally *t = &o->tally[sig - sc->flow->sigs];
	t->count++;
	match_clear(&t->last);
	match_set(&t->last, sig, line, text, component);
	o->total++;
	if (o->n >= 2 * LOGSCAN_MAX_KEPT)
		drop_oldest(o, LOGSCAN_MAX_KEPT);
	VEC_PUSH(o->v, o->n, o->cap);
	match_set(&o->v[o->n++], sig, line, text, component);
}

static void match_record(struct scan *sc, const char *rec, long lineno)
{
	if (!sc->flow || sc->flow->nsigs == 0 || sc->stopped)
		return;
	char *component = NULL;
	/* Signatures see a bounded part of the message: what a regex costs grows with
	 * the text it searches (quadratically, for some), and a line may be 1 MiB. */
	char *msg = cut_utf8(logscan_message(rec, &component), LOGSCAN_MAX_TEXT);
	/* "~~" stands for a line break inside one message (stack traces): match the message
	 * as written, and with the breaks as spaces so a phrase split by one still matches. */
	char *alt = strstr(msg, "~~") ? tilde_to_space(msg) : NULL;
	for (size_t i = 0; i < sc->flow->nsigs && !stop_now(sc); i++) {
		const struct flow_sig *sig = &sc->flow->sigs[i];
		if (flow_sig_match(sig, msg) || (alt && flow_sig_match(sig, alt)))
			add_match(sc, sig, lineno, msg, component);
	}
	free(alt);
	free(msg);
	free(component);
}

/* ---- Records: a CMTrace record runs until its "]LOG]!>", maybe lines later. */

static void rec_flush(struct scan *sc)
{
	if (sc->rec_line) {
		match_record(sc, sc->rec.s ? sc->rec.s : "", sc->rec_line);
		sc->rec.len = 0;
		if (sc->rec.s)
			sc->rec.s[0] = '\0';
		sc->rec_line = 0;
		sc->rec_nlines = 0;
	}
}

/* Match line[0..end) as one record: end is cut to a NUL for the call and restored. */
static void match_part(struct scan *sc, char *start, char *end, long lineno)
{
	char save = *end;
	*end = '\0';
	match_record(sc, start, lineno);
	*end = save;
}

static bool starts_cmtrace(const char *s)
{
	return strncmp(skip_bom_space(s), CMT_OPEN, strlen(CMT_OPEN)) == 0;
}

static void on_line(struct scan *sc, char *line, size_t len, long lineno)
{
	while (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	char *p = line;
	if (sc->rec_line) {
		if (starts_cmtrace(p)) {
			rec_flush(sc);                 /* a new record: the old one never closed */
		} else {
			char *close = strstr(p, CMT_CLOSE);
			char *next = close ? strstr(close, CMT_OPEN) : NULL;
			size_t n = next ? (size_t)(next - p) : len;
			if (sc->rec.len + 1 + n <= LOGSCAN_MAX_LINE) {
				sb_addc(&sc->rec, ' ');
				sb_addn(&sc->rec, p, n);
			}
			sc->rec_nlines++;
			if (close || sc->rec_nlines >= MAX_RECORD_LINES)
				rec_flush(sc);
			if (!next)
				return;
			p = next;                      /* another record follows on this line */
		}
	}
	/* Usually one record per line; concatenated CMTrace records are taken apart. */
	for (;;) {
		char *s = (char *)skip_bom_space(p);
		if (strncmp(s, CMT_OPEN, strlen(CMT_OPEN)) != 0) {
			match_record(sc, p, lineno);   /* plain text or the $$< form */
			return;
		}
		char *close = strstr(s + strlen(CMT_OPEN), CMT_CLOSE);
		if (!close) {
			sb_add(&sc->rec, s);           /* continues on the next lines */
			sc->rec_line = lineno;
			sc->rec_nlines = 1;
			return;
		}
		char *next = strstr(close, CMT_OPEN);
		if (!next) {
			match_record(sc, s, lineno);
			return;
		}
		match_part(sc, s, next, lineno);
		p = next;
	}
}

/* ---- Lines: split UTF-8 bytes on '\n' into a bounded buffer. */

static void feed_utf8(struct scan *sc, const char *p, size_t n)
{
	while (n > 0 && !stop_now(sc)) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		/* append what fits, dropping NUL bytes; the rest of an over-long line is skipped */
		const char *q = p, *qe = p + take;
		while (q < qe) {
			const char *z = memchr(q, '\0', (size_t)(qe - q));
			size_t part = z ? (size_t)(z - q) : (size_t)(qe - q);
			size_t room = sc->line.len < LOGSCAN_MAX_LINE ? LOGSCAN_MAX_LINE - sc->line.len : 0;
			if (part > room) {
				part = room;
				sc->line_cut = true;
			}
			if (part)
				sb_addn(&sc->line, q, part);
			q = z ? z + 1 : qe;
		}
		if (!nl)
			return;
		sc->lineno++;
		on_line(sc, sc->line.s ? sc->line.s : (char *)"", sc->line.len, sc->lineno);
		sc->line.len = 0;
		if (sc->line.s)
			sc->line.s[0] = '\0';
		sc->line_cut = false;
		p = nl + 1;
		n -= take + 1;
	}
}

/* ---- Decoding: sniff the BOM, pass UTF-8 through, convert UTF-16. */

static void feed_utf16(struct scan *sc, const unsigned char *p, size_t n)
{
	size_t need = (n / 2 + 2) * 3 + 8;
	if (sc->u8cap < need) {
		sc->u8cap = need;
		sc->u8 = xrealloc(sc->u8, need);
	}
	size_t o = 0;
	bool le = sc->enc == ENC_UTF16LE;
	for (size_t i = 0; i + 1 < n; i += 2) {
		unsigned u = le ? (unsigned)(p[i] | (p[i + 1] << 8)) : (unsigned)((p[i] << 8) | p[i + 1]);
		if (sc->hi_surrogate) {
			unsigned hi = sc->hi_surrogate;
			sc->hi_surrogate = 0;
			if (u >= 0xdc00 && u <= 0xdfff) {
				o += utf8_encode(0x10000 + ((hi - 0xd800) << 10) + (u - 0xdc00), sc->u8 + o);
				continue;
			}
			o += utf8_encode(0xfffd, sc->u8 + o);   /* unpaired high surrogate */
		}
		if (u >= 0xd800 && u <= 0xdbff)
			sc->hi_surrogate = u;
		else if (u >= 0xdc00 && u <= 0xdfff)
			o += utf8_encode(0xfffd, sc->u8 + o);
		else if (u != 0 && u != 0xfeff)            /* NULs and stray BOMs dropped */
			o += utf8_encode(u, sc->u8 + o);
	}
	feed_utf8(sc, sc->u8, o);
}

static void sniff(struct scan *sc, bool at_end)
{
	const unsigned char *b = sc->pend;
	size_t n = sc->npend;
	size_t skip = 0;
	if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		sc->enc = ENC_UTF8;
		skip = 3;
	} else if (n >= 2 && b[0] == 0xff && b[1] == 0xfe) {
		sc->enc = ENC_UTF16LE;
		skip = 2;
	} else if (n >= 2 && b[0] == 0xfe && b[1] == 0xff) {
		sc->enc = ENC_UTF16BE;
		skip = 2;
	} else if (n < 4 && !at_end) {
		return;                                /* not enough to tell yet */
	} else if (n >= 4 && b[0] && !b[1] && b[2] && !b[3]) {
		sc->enc = ENC_UTF16LE;                 /* no BOM, but plainly "x\0y\0" */
	} else {
		sc->enc = ENC_UTF8;
	}
	unsigned char rest[4];
	size_t nrest = n - skip;
	memcpy(rest, b + skip, nrest);
	sc->npend = 0;
	if (sc->enc == ENC_UTF8) {
		feed_utf8(sc, (const char *)rest, nrest);
	} else {
		feed_utf16(sc, rest, nrest & ~(size_t)1);
		if (nrest & 1) {
			sc->pend[0] = rest[nrest - 1];
			sc->npend = 1;
		}
	}
}

static void feed_raw(struct scan *sc, const unsigned char *p, size_t n)
{
	while (sc->enc == ENC_UNKNOWN && n > 0) {
		sc->pend[sc->npend++] = *p++;
		n--;
		if (sc->npend == 4 || (sc->npend >= 2 && (sc->pend[0] == 0xff || sc->pend[0] == 0xfe)))
			sniff(sc, false);
	}
	if (n == 0)
		return;
	if (sc->enc == ENC_UTF8) {
		feed_utf8(sc, (const char *)p, n);
		return;
	}
	/* UTF-16: complete a held-back half unit first */
	if (sc->npend == 1) {
		unsigned char two[2] = {sc->pend[0], p[0]};
		sc->npend = 0;
		feed_utf16(sc, two, 2);
		p++;
		n--;
	}
	feed_utf16(sc, p, n & ~(size_t)1);
	if (n & 1) {
		sc->pend[0] = p[n - 1];
		sc->npend = 1;
	}
}

static void scan_finish(struct scan *sc)
{
	if (!sc->stopped) {
		if (sc->enc == ENC_UNKNOWN)
			sniff(sc, true);
		if (sc->hi_surrogate) {
			char o[4];
			size_t k = utf8_encode(0xfffd, o);
			sc->hi_surrogate = 0;
			feed_utf8(sc, o, k);
		}
		if (sc->line.len > 0) {              /* a last line with no newline */
			sc->lineno++;
			on_line(sc, sc->line.s, sc->line.len, sc->lineno);
		}
		rec_flush(sc);
	}
	drop_oldest(sc->out, LOGSCAN_MAX_KEPT);
}

static void scan_clear(struct scan *sc)
{
	free(sc->u8);
	sb_clear(&sc->line);
	sb_clear(&sc->rec);
}

/* ---- Which files may be read. */

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

const char *logscan_path_problem(const char *path)
{
	static const char *const kernel[] = {"/proc", "/sys", "/dev"};
	for (size_t i = 0; i < ARRAY_LEN(kernel); i++)
		if (path && under(path, kernel[i]))
			return "a path under /proc, /sys or /dev is not a log file";
	return NULL;
}

static char *not_regular(const char *path, mode_t mode)
{
	const char *what = S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO (named pipe)"
			   : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device"
			   : S_ISSOCK(mode) ? "a socket" : "a special file";
	return xasprintf("%s is %s, not a regular file", path, what);
}

/* The path rule of logscan_path_problem, as written and with links resolved. */
static char *path_refused(const char *path)
{
	const char *problem = logscan_path_problem(path);
	if (problem)
		return xasprintf("%s: %s", path, problem);
	char *real = realpath(path, NULL);          /* NULL when missing: open says so */
	char *msg = real && (problem = logscan_path_problem(real)) ?
		    xasprintf("%s (%s): %s", path, real, problem) : NULL;
	free(real);
	return msg;
}

/* Open a log under the rule of logscan_path_problem; -1 with *err when refused. The
 * type is looked at before opening (opening a device can do something by itself) and
 * again on what was opened; O_NONBLOCK keeps a FIFO swapped in meanwhile from
 * blocking the open. */
static int open_log(const char *path, char **err)
{
	struct stat st = {0};
	if ((*err = path_refused(path)))
		return -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*err = not_regular(path, st.st_mode);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		*err = xasprintf("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	struct statfs fs;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		*err = not_regular(path, st.st_mode);
	else if (fstatfs(fd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC))
		*err = xasprintf("%s: a file of /proc or /sys is not a log file", path);
	if (*err) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- Entry points. */

int logscan_file_ex(const struct flow *f, const char *path, const atomic_int *cancel, long long deadline_ms,
		    struct logscan_matches *out, long *lines, char **err)
{
	*err = NULL;
	if (lines)
		*lines = 0;
	int fd = open_log(path, err);
	if (fd < 0)
		return -1;
	struct scan sc = {.flow = f, .out = out, .cancel = cancel, .deadline_ms = deadline_ms};
	unsigned char *buf = xmalloc(CHUNK);
	int rc = 0;
	for (;;) {
		if (stop_now(&sc)) {
			rc = 1;
			break;
		}
		ssize_t r = read(fd, buf, CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = xasprintf("cannot read %s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		if (r == 0)
			break;
		feed_raw(&sc, buf, (size_t)r);
	}
	if (rc >= 0)
		scan_finish(&sc);
	if (lines)
		*lines = sc.lineno;
	free(buf);
	scan_clear(&sc);
	close(fd);
	return rc;
}

int logscan_file(const struct flow *f, const char *path, struct logscan_matches *out, char **err)
{
	return logscan_file_ex(f, path, NULL, 0, out, NULL, err);
}

int logscan_text(const struct flow *f, const char *text, size_t len, struct logscan_matches *out)
{
	struct scan sc = {.flow = f, .out = out};
	if (text)
		feed_raw(&sc, (const unsigned char *)text, len);
	scan_finish(&sc);
	scan_clear(&sc);
	return 0;
}

/* text on one line: "~~" (a break inside a CMTrace message), line breaks, tabs and
 * runs of spaces become one space; leading and trailing ones go. */
static char *one_line(const char *text)
{
	struct strbuf sb = {0};
	sb_add(&sb, "");
	bool gap = false;
	for (const char *p = text; *p; p++) {
		bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || (p[0] == '~' && p[1] == '~');
		if (sp) {
			gap = sb.len > 0;
			while (p[1] == '~' && p[0] == '~')
				p++;
			continue;
		}
		if (gap)
			sb_addc(&sb, ' ');
		gap = false;
		sb_addc(&sb, *p);
	}
	return sb_steal(&sb);
}

char *logscan_excerpt(const struct flow_sig *sig, const char *text, size_t cols)
{
	static const char ell[] = "...";
	char *flat = one_line(text ? text : "");
	cols = cols < 16 ? 16 : cols;
	if (utf8_width(flat) <= cols)
		return flat;
	size_t so = 0, eo = 0;
	if (!flow_sig_find(sig, flat, &so, &eo))
		so = eo = 0;
	char *head = xstrndup(flat, eo);
	size_t lead = 0;
	if (utf8_width(head) > cols - strlen(ell)) {
		/* the match is too far in: start a quarter of the room before it, at a word */
		lead = so > cols / 4 ? so - cols / 4 : 0;
		size_t w = lead;
		while (w < so && flat[w] != ' ')
			w++;
		lead = utf8_prefix_for_bytes(flat, w < so ? w + 1 : lead);
	}
	free(head);
	size_t room = cols - (lead ? strlen(ell) : 0) - strlen(ell);
	size_t nb = utf8_prefix_for_width(flat + lead, room);
	char *r = xasprintf("%s%.*s%s", lead ? ell : "", (int)nb, flat + lead, flat[lead + nb] ? ell : "");
	free(flat);
	return r;
}

const struct logscan_match *logscan_newest(const struct logscan_matches *m, logscan_keep_fn keep, const void *ctx)
{
	const struct logscan_match *hit = NULL;
	for (size_t i = 0; i < m->nsigs; i++) {
		const struct logscan_match *last = &m->tally[i].last;
		if (last->sig && (!keep || keep(last->sig, ctx)) && (!hit || last->line >= hit->line))
			hit = last;
	}
	return hit;
}

void logscan_matches_clear(struct logscan_matches *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		match_clear(&m->v[i]);
	for (size_t i = 0; i < m->nsigs; i++)
		match_clear(&m->tally[i].last);
	FREE_NULL(m->v);
	FREE_NULL(m->tally);
	m->n = m->cap = m->total = m->nsigs = 0;
}
