/* yamldoc.c — the one YAML loader (yamldoc.h). libyaml's event parser builds a small
 * tree of scalars, lists and mappings in one arena (a glibc obstack), enforcing the
 * limits as it goes: total size, nesting depth, number of values, string length, no
 * anchors or aliases, no duplicate keys, one document. A regular file is fed to libyaml
 * a block at a time; the entries of one top-level mapping can be handed to the reader
 * as they are parsed and let go (struct yamldoc_stream). */
#include "src/yamldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <obstack.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "src/util.h"

#define obstack_chunk_alloc xmalloc
#define obstack_chunk_free free
#define YTREE_CHUNK (64u * 1024)

/* ---- the YAML tree ---- */

/* A tree: its arena and its root, which ynode_free finds from the root. */
struct ytree {
	struct obstack ob;
	struct ynode root;
};

struct ld {
	const char *file;
	struct diags *d;             /* NULL: errors are only counted */
	size_t errors;
	size_t nynodes;
};

static void lerr(struct ld *L, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void lerr(struct ld *L, int line, int col, const char *fmt, ...)
{
	L->errors++;
	if (!L->d)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diags_add(L->d, DIAG_ERROR, L->file, line, col, "%s", msg);
	free(msg);
}

#define YERR(L, y, ...) lerr((L), (y)->line, (y)->col, __VA_ARGS__)

static struct ytree *ytree_new(void)
{
	struct ytree *t = xcalloc(1, sizeof(*t));
	obstack_init(&t->ob);
	obstack_chunk_size(&t->ob) = YTREE_CHUNK;
	obstack_alignment_mask(&t->ob) = sizeof(void *) - 1;
	return t;
}

static void ytree_free(struct ytree *t)
{
	if (!t)
		return;
	obstack_free(&t->ob, NULL);
	free(t);
}

void ynode_free(struct ynode *y)
{
	if (y)
		ytree_free((struct ytree *)((char *)y - offsetof(struct ytree, root)));
}

const char *ykind_name(const struct ynode *y)
{
	switch (y->kind) {
	case Y_SCALAR: return y->null ? "empty value" : "string";
	case Y_SEQ: return "list";
	case Y_MAP: return "mapping";
	}
	return "?";
}

/* An open list or mapping: its children so far are kids[base ..] (a mapping's
 * alternate key, value); key is the key it is the value of, if any. */
struct frame {
	struct ynode *y;
	struct ynode *key;
	size_t base;
};

struct build {
	struct ld *L;
	struct obstack *ob;
	struct yamldoc_stream *st;   /* NULL when nothing is handed over */
	struct ynode *released;      /* what a handed-over value becomes in the tree */
	struct ynode *root;
	struct frame stack[FLOW_MAX_DEPTH];
	size_t sp;
	struct ynode **kids;         /* children of the open collections, innermost last */
	size_t nkids, capkids;
	bool fatal;
};

static struct ynode *ynode_new(struct build *B, enum ykind k, const yaml_mark_t *m)
{
	struct ynode *y = obstack_alloc(B->ob, sizeof(*y));
	memset(y, 0, sizeof(*y));
	y->kind = (unsigned char)k;
	y->line = (int)m->line + 1;
	y->col = (int)m->column + 1;
	B->L->nynodes++;
	return y;
}

/* Is key, just attached in the root mapping, its first st->key? (A later one is a
 * duplicate, reported and ignored.) */
static bool is_stream_key(const struct build *B, const struct ynode *key)
{
	if (!B->st || B->st->map || B->sp != 1 || B->stack[0].y->kind != Y_MAP ||
	    key->kind != Y_SCALAR || strcmp(key->s, B->st->key))
		return false;
	for (size_t i = B->stack[0].base; i + 2 < B->nkids; i += 2)
		if (B->kids[i]->kind == Y_SCALAR && !strcmp(B->kids[i]->s, B->st->key))
			return false;
	return true;
}

static void start_stream(struct build *B, const struct ynode *map)
{
	B->st->map = map;
	/* made before any entry's value, so letting a value go never frees it */
	B->released = obstack_alloc(B->ob, sizeof(*B->released));
	memset(B->released, 0, sizeof(*B->released));
	B->released->kind = Y_SCALAR;
	B->released->null = true;
	B->released->s = obstack_copy0(B->ob, "", 0);
}

/* Entry k: v of the streamed mapping is complete (v is the newest value in the tree):
 * hand it over, then let v go. */
static void stream_entry(struct build *B, const struct ynode *k, struct ynode *v)
{
	B->st->entry(B->st->ctx, k, v);
	obstack_free(B->ob, v);
	B->kids[B->nkids - 1] = B->released;
}

/* y, just made, goes into the innermost open collection (or becomes the root). *key is
 * set to the key whose value y is (NULL when none). A value of the streamed mapping
 * that is a scalar is complete now and handed over at once (a collection, when it
 * closes). */
static void attach(struct build *B, struct ynode *y, struct ynode **key)
{
	*key = NULL;
	if (B->sp == 0) {
		if (!B->root)
			B->root = y;
		return;
	}
	const struct frame *p = &B->stack[B->sp - 1];
	if (p->y->kind == Y_MAP && (B->nkids - p->base) % 2 == 0) {
		/* a key */
		if (y->kind != Y_SCALAR)
			YERR(B->L, y, "mapping keys must be plain strings, not a %s", ykind_name(y));
		y->skip = y->kind != Y_SCALAR;
	} else if (p->y->kind == Y_MAP) {
		*key = B->kids[B->nkids - 1];
	}
	VEC_PUSH(B->kids, B->nkids, B->capkids);
	B->kids[B->nkids++] = y;
	if (*key && y->kind == Y_SCALAR && B->st && p->y == B->st->map)
		stream_entry(B, *key, y);
	else if (*key && y->kind == Y_MAP && is_stream_key(B, *key))
		start_stream(B, y);
}

/* What the keys of a mapping under a top-level key are, for the duplicate message, in
 * each kind of file: flows (nodes, vars, signatures), scenarios (set, outcomes, facts)
 * and answers files (answers). */
static const char *const key_words[][2] = {
	{"nodes", "node id"}, {"vars", "variable"}, {"signatures", "signature"},
	{"set", "variable"}, {"outcomes", "node id"}, {"facts", "node id"},
	{"answers", "node id"},
};

/* What the keys of the mapping being closed are, for the duplicate message. */
static const char *key_word(const struct build *B)
{
	const struct ynode *key = B->stack[B->sp - 1].key;
	if (B->sp != 2 || B->stack[0].y->kind != Y_MAP || !key || key->kind != Y_SCALAR)
		return "key";
	for (size_t i = 0; i < ARRAY_LEN(key_words); i++)
		if (!strcmp(key->s, key_words[i][0]))
			return key_words[i][1];
	return "key";
}

/* A later key equal to an earlier one: reported (at the later, naming the line of the
 * first) and skipped. */
static void duplicate(struct build *B, const char *word, struct ynode *later, const struct ynode *first)
{
	YERR(B->L, later, "duplicate %s '%s' (first at line %d)", word, later->s, first->line);
	later->skip = true;
}

/* libyaml accepts repeated keys; a file must not (the second would silently win). */
static void check_duplicates(struct build *B, struct ynode *m)
{
	if (m->n < 2)
		return;
	if (m->n <= 16) {
		/* most mappings are a node's few keys: compare them all */
		for (size_t i = 1; i < m->n; i++) {
			struct ynode *k = m->pairs[i].key;
			for (size_t j = 0; j < i && !k->skip; j++) {
				const struct ynode *e = m->pairs[j].key;
				if (!e->skip && !strcmp(e->s, k->s))
					duplicate(B, key_word(B), k, e);
			}
		}
		return;
	}
	struct name_index seen = {0};
	name_index_init(&seen, m->n);
	for (size_t i = 0; i < m->n; i++) {
		struct ynode *k = m->pairs[i].key;
		int first = k->skip ? -1 : name_index_add(&seen, k->s, (int)i);
		if (first >= 0)
			duplicate(B, key_word(B), k, m->pairs[first].key);
	}
	name_index_clear(&seen);
}

/* The innermost open collection is complete: its children move into the arena, in
 * lists of their exact size. */
static void close_collection(struct build *B)
{
	struct frame *fr = &B->stack[B->sp - 1];
	struct ynode *y = fr->y;
	size_t count = B->nkids - fr->base;
	struct ynode **kids = B->kids + fr->base;
	if (y->kind == Y_SEQ) {
		y->n = (uint32_t)count;
		y->items = count ? obstack_copy(B->ob, kids, count * sizeof(*kids)) : NULL;
	} else {
		y->n = (uint32_t)(count / 2);   /* a key left without a value is dropped */
		y->pairs = y->n ? obstack_alloc(B->ob, y->n * sizeof(*y->pairs)) : NULL;
		for (size_t i = 0; i < y->n; i++)
			y->pairs[i] = (struct ypair){kids[2 * i], kids[2 * i + 1]};
		check_duplicates(B, y);
	}
	B->nkids = fr->base;
	B->sp--;
	if (fr->key && B->sp && B->st && B->stack[B->sp - 1].y == B->st->map)
		stream_entry(B, fr->key, y);
}

static bool too_many(struct build *B, const yaml_mark_t *m)
{
	if (B->L->nynodes < YAML_MAX_VALUES)
		return false;
	lerr(B->L, (int)m->line + 1, (int)m->column + 1,
	     "file too large: more than %d YAML values", YAML_MAX_VALUES);
	B->fatal = true;
	return true;
}

static void anchor_error(struct build *B, const yaml_event_t *ev)
{
	lerr(B->L, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
	     "aliases are not supported (anchor '&' or alias '*')");
}

/* What libyaml reads: a whole text, or a regular file a block at a time, so a big file
 * never sits in memory whole (its pages cost more than parsing it). */
struct source {
	const char *text;            /* the text, or NULL to read fd */
	size_t len;
	int fd;
	size_t total;                /* bytes read from fd so far */
	int err;                     /* errno of a read that failed, else 0 */
	bool too_big;                /* fd had more than FLOW_MAX_FILE_BYTES */
};

/* libyaml's read handler: 1 with *got bytes (0 at the end), 0 on a read error. */
static int read_block(void *data, unsigned char *buf, size_t size, size_t *got)
{
	struct source *src = data;
	*got = 0;
	for (;;) {
		ssize_t r = read(src->fd, buf, size);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			src->err = errno;
			return 0;
		}
		src->total += (size_t)r;
		if (src->total > FLOW_MAX_FILE_BYTES) {
			/* it grew since fstat: stop here, the caller reports it */
			src->too_big = true;
			return 1;
		}
		*got = (size_t)r;
		return 1;
	}
}

/* Line and column (1-based) of byte offset in src: reader errors give only an offset. */
static void source_pos(const struct source *src, size_t offset, int *line, int *col)
{
	*line = 1;
	*col = 1;
	char buf[8192];
	for (size_t at = 0; at < offset;) {
		const char *p = buf;
		size_t n = offset - at;
		if (src->text) {
			if (at >= src->len)
				break;
			p = src->text + at;
			n = n < src->len - at ? n : src->len - at;
		} else {
			ssize_t r = pread(src->fd, buf, n < sizeof buf ? n : sizeof buf, (off_t)at);
			if (r <= 0)
				break;
			n = (size_t)r;
		}
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '\n') {
				(*line)++;
				*col = 1;
			} else {
				(*col)++;
			}
		}
		at += n;
	}
}

static void yaml_problem(struct build *B, const yaml_parser_t *p, const struct source *src)
{
	int line, col;
	if (p->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset, not a mark */
		source_pos(src, p->problem_offset, &line, &col);
	} else {
		line = (int)p->problem_mark.line + 1;
		col = (int)p->problem_mark.column + 1;
	}
	const char *problem = p->problem ? p->problem : "unknown error";
	if (p->context)
		lerr(B->L, line, col, "YAML syntax error: %s (%s at line %d)", problem,
		     p->context, (int)p->context_mark.line + 1);
	else
		lerr(B->L, line, col, "YAML syntax error: %s", problem);
	B->fatal = true;
}

static bool is_null_scalar(const yaml_event_t *ev)
{
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (n == 0 || (n == 1 && s[0] == '~'))
		return true;
	return n == 4 && (!strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

/* Parse src into a tree in ob. Returns the root (NULL when there is none); sets *fatal
 * when the tree is not worth reading (then it may be incomplete). */
static struct ynode *build_tree(struct ld *L, struct obstack *ob, struct yamldoc_stream *st,
				struct source *src, bool *fatal)
{
	struct build B = {.L = L, .ob = ob, .st = st && st->key && st->entry ? st : NULL};
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		lerr(L, 0, 0, "cannot initialise the YAML parser");
		*fatal = true;
		return NULL;
	}
	if (src->text)
		yaml_parser_set_input_string(&p, (const unsigned char *)src->text, src->len);
	else
		yaml_parser_set_input(&p, read_block, src);
	int docs = 0;
	bool done = false;
	while (!done && !B.fatal) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(&B, &p, src);
			break;
		}
		const yaml_mark_t *m = &ev.start_mark;
		struct ynode *key;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				lerr(L, (int)m->line + 1, (int)m->column + 1,
				     "more than one YAML document: a file holds one");
				done = true;
			}
			break;
		case YAML_ALIAS_EVENT: {
			anchor_error(&B, &ev);
			if (too_many(&B, m))
				break;
			struct ynode *y = ynode_new(&B, Y_SCALAR, m);
			y->s = obstack_copy0(ob, "", 0);
			y->null = true;
			attach(&B, y, &key);
			break;
		}
		case YAML_SCALAR_EVENT: {
			if (ev.data.scalar.anchor)
				anchor_error(&B, &ev);
			if (too_many(&B, m))
				break;
			struct ynode *y = ynode_new(&B, Y_SCALAR, m);
			size_t n = ev.data.scalar.length;
			const char *s = (const char *)ev.data.scalar.value;
			if (n > FLOW_MAX_STRING) {
				YERR(L, y, "string longer than %u bytes", FLOW_MAX_STRING);
				y->s = obstack_copy0(ob, "", 0);
			} else if (memchr(s, '\0', n)) {
				YERR(L, y, "string contains a NUL character");
				y->s = obstack_copy0(ob, "", 0);
			} else {
				y->s = obstack_copy0(ob, s, n);
				y->null = is_null_scalar(&ev);
				y->quoted = ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
					    ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
			}
			attach(&B, y, &key);
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			if ((seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor))
				anchor_error(&B, &ev);
			if (B.sp >= FLOW_MAX_DEPTH) {
				lerr(L, (int)m->line + 1, (int)m->column + 1,
				     "nesting deeper than %d levels", FLOW_MAX_DEPTH);
				B.fatal = true;
				break;
			}
			if (too_many(&B, m))
				break;
			struct ynode *y = ynode_new(&B, seq ? Y_SEQ : Y_MAP, m);
			attach(&B, y, &key);
			B.stack[B.sp++] = (struct frame){y, key, B.nkids};
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (B.sp)
				close_collection(&B);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(B.kids);
	*fatal = B.fatal;
	return B.root;
}

/* Parse src into a tree of its own: the root (held by its struct ytree), or NULL. Errors
 * go to d (none when NULL) and are counted in *errors. A read of src that failed or went
 * past the limit is the one error then: what the parse made of the part read is
 * dropped. */
static struct ynode *parse_source(const char *file, struct source *src, struct yamldoc_stream *st,
				  struct diags *d, size_t *errors, bool *fatal)
{
	struct diags held = {0};
	struct ld L = {.file = file ? file : "<input>", .d = d ? &held : NULL};
	struct ytree *t = ytree_new();
	bool fat = false;
	struct ynode *root = build_tree(&L, &t->ob, st, src, &fat);
	if (src->err || src->too_big) {
		diags_clear(&held);
		L.errors = 0;
		L.d = d;
		if (src->err)
			lerr(&L, 0, 0, "cannot read: %s", strerror(src->err));
		else
			lerr(&L, 0, 0, "file too large (more than %u bytes)", FLOW_MAX_FILE_BYTES);
		fat = true;
	} else if (d) {
		diags_move(d, &held);
	}
	if (errors)
		*errors += L.errors;
	if (fatal)
		*fatal = fat;
	if (fat || !root) {
		ytree_free(t);
		return NULL;
	}
	/* the root moves into the tree's own place, where ynode_free finds the arena; no
	 * value points at the root, so the copy stands for it */
	t->root = *root;
	return &t->root;
}

/* ---- files ---- */

/* Read all of fd, at most one byte past the limit: a FIFO or /dev/zero cannot make us
 * read forever or allocate without bound. NUL-terminated; NULL after an error in d. */
static char *read_fd(int fd, const char *path, size_t *len_out, struct diags *d)
{
	size_t cap = 65536, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > FLOW_MAX_FILE_BYTES)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t want = cap - 1 - len;
		if (want > FLOW_MAX_FILE_BYTES + 1 - len)
			want = FLOW_MAX_FILE_BYTES + 1 - len;
		ssize_t r = read(fd, buf + len, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			/* a FIFO with no writer yet: wait for it to be readable */
			int fl = fcntl(fd, F_GETFL);
			if (fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
				continue;
		}
		if (r < 0) {
			if (d)
				diags_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > FLOW_MAX_FILE_BYTES)
			break;
	}
	if (len > FLOW_MAX_FILE_BYTES) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "file too large (more than %u bytes)",
				  FLOW_MAX_FILE_BYTES);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*len_out = len;
	return buf;
}

/* Open path for reading: the descriptor and what fstat says of it, or -1 after an error
 * in d (cannot open, a directory). */
static int open_yaml(const char *path, struct stat *st, struct diags *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0)
		memset(st, 0, sizeof(*st));
	if (S_ISDIR(st->st_mode)) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "is a directory, not a YAML file");
		close(fd);
		return -1;
	}
	return fd;
}

char *yamldoc_read(const char *path, size_t *len_out, struct diags *d)
{
	struct stat st;
	int fd = open_yaml(path, &st, d);
	if (fd < 0)
		return NULL;
	char *buf = read_fd(fd, path, len_out, d);
	close(fd);
	return buf;
}

struct ynode *yamldoc_parse_stream(const char *file, const char *text, size_t len,
				   struct yamldoc_stream *st, struct diags *d, size_t *errors,
				   bool *fatal)
{
	if (len > FLOW_MAX_FILE_BYTES) {
		struct ld L = {.file = file ? file : "<input>", .d = d};
		lerr(&L, 0, 0, "file too large (%zu bytes; the limit is %u)", len,
		     FLOW_MAX_FILE_BYTES);
		if (errors)
			*errors += L.errors;
		if (fatal)
			*fatal = true;
		return NULL;
	}
	struct source src = {.text = text ? text : "", .len = text ? len : 0, .fd = -1};
	return parse_source(file, &src, st, d, errors, fatal);
}

struct ynode *yamldoc_parse(const char *file, const char *text, size_t len, struct diags *d,
			    size_t *errors, bool *fatal)
{
	return yamldoc_parse_stream(file, text, len, NULL, d, errors, fatal);
}

struct ynode *yamldoc_load_stream(const char *path, struct yamldoc_stream *st, struct diags *d,
				  size_t *errors, bool *fatal)
{
	if (fatal)
		*fatal = true;
	struct stat sb;
	int fd = open_yaml(path, &sb, d);
	if (fd < 0) {
		if (errors)
			(*errors)++;
		return NULL;
	}
	struct ynode *root = NULL;
	if (S_ISREG(sb.st_mode) && sb.st_size > (off_t)FLOW_MAX_FILE_BYTES) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "file too large (more than %u bytes)",
				  FLOW_MAX_FILE_BYTES);
		if (errors)
			(*errors)++;
	} else if (S_ISREG(sb.st_mode)) {
		struct source src = {.fd = fd};
		root = parse_source(path, &src, st, d, errors, fatal);
	} else {
		size_t len = 0;
		char *text = read_fd(fd, path, &len, d);
		if (text) {
			struct source src = {.text = text, .len = len, .fd = -1};
			root = parse_source(path, &src, st, d, errors, fatal);
			free(text);
		} else if (errors) {
			(*errors)++;
		}
	}
	close(fd);
	return root;
}

struct ynode *yamldoc_load(const char *path, struct diags *d, size_t *errors)
{
	return yamldoc_load_stream(path, NULL, d, errors, NULL);
}

bool yamldoc_is_scenario(const struct ynode *root)
{
	if (!root || root->kind != Y_MAP)
		return false;
	YNODE_FOR_PAIRS(root, p)
		if (!strcmp(p->key->s, "scenario"))
			return true;
	return false;
}

/* ---- reading the tree ---- */

const char *yamldoc_scalar0(const struct ynode *n)
{
	return n && n->kind == Y_SCALAR ? n->s : NULL;
}

struct flow_pos yamldoc_pos(const struct ynode *n)
{
	struct flow_pos p = {0, 0};
	if (n) {
		p.line = n->line;
		p.col = n->col;
	}
	return p;
}

void yamldoc_err(struct diags *d, const char *path, const struct ynode *n, const char *fmt, ...)
{
	if (!d)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	struct flow_pos p = yamldoc_pos(n);
	diags_add(d, DIAG_ERROR, path, p.line, p.col, "%s", msg);
	free(msg);
}
