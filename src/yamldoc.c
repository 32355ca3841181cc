/* yamldoc.c — the one YAML loader (yamldoc.h). libyaml's event parser builds a small
 * tree of scalars, lists and mappings, enforcing the limits as it goes: total size,
 * nesting depth, number of values, string length, no anchors or aliases, no duplicate
 * keys, one document. */
#include "src/yamldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "src/util.h"

/* ---- the YAML tree ---- */

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

void ynode_free(struct ynode *y)
{
	if (!y)
		return;
	free(y->s);
	for (size_t i = 0; i < y->n; i++) {
		if (y->kind == Y_SEQ) {
			ynode_free(y->items[i]);
		} else {
			ynode_free(y->pairs[i].key);
			ynode_free(y->pairs[i].val);
		}
	}
	free(y->items);
	free(y->pairs);
	ynode_free(y->pending_key);
	free(y);
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

struct build {
	struct ld *L;
	struct ynode *root;
	struct ynode *stack[FLOW_MAX_DEPTH];
	size_t sp;
	bool fatal;
};

static struct ynode *ynode_new(struct build *B, enum ykind k, const yaml_mark_t *m)
{
	struct ynode *y = xcalloc(1, sizeof(*y));
	y->kind = k;
	y->line = (int)m->line + 1;
	y->col = (int)m->column + 1;
	B->L->nynodes++;
	return y;
}

static void attach(struct build *B, struct ynode *y)
{
	if (B->sp == 0) {
		if (!B->root)
			B->root = y;
		else
			ynode_free(y);
		return;
	}
	struct ynode *p = B->stack[B->sp - 1];
	if (p->kind == Y_SEQ) {
		VEC_PUSH(p->items, p->n, p->cap);
		p->items[p->n++] = y;
		return;
	}
	if (!p->pending_key) {
		if (y->kind != Y_SCALAR)
			YERR(B->L, y, "mapping keys must be plain strings, not a %s", ykind_name(y));
		p->pending_key = y;
		return;
	}
	VEC_PUSH(p->pairs, p->n, p->cap);
	p->pairs[p->n].key = p->pending_key;
	p->pairs[p->n].val = y;
	p->pairs[p->n].skip = p->pending_key->kind != Y_SCALAR;
	p->n++;
	p->pending_key = NULL;
}

static int cmp_pair_key(const void *a, const void *b)
{
	const struct ypair *x = *(const struct ypair *const *)a;
	const struct ypair *y = *(const struct ypair *const *)b;
	int c = strcmp(x->key->s, y->key->s);
	if (c)
		return c;
	/* pairs live in one array: address order is the order written */
	return x < y ? -1 : x > y;
}

/* What the keys of a mapping under a top-level key are, for the duplicate message, in
 * each kind of file: flows (nodes, vars, signatures), scenarios (set, outcomes, facts)
 * and answers files (answers). */
static const char *const key_words[][2] = {
	{"nodes", "node id"}, {"vars", "variable"}, {"signatures", "signature"},
	{"set", "variable"}, {"outcomes", "node id"}, {"facts", "node id"},
	{"answers", "node id"},
};

/* What the keys of mapping m are, for the duplicate message. */
static const char *key_word(const struct build *B, const struct ynode *m)
{
	if (B->sp != 2 || B->stack[0]->kind != Y_MAP || !B->stack[0]->n)
		return "key";
	const struct ypair *last = &B->stack[0]->pairs[B->stack[0]->n - 1];
	if (last->val != m || last->key->kind != Y_SCALAR)
		return "key";
	for (size_t i = 0; i < ARRAY_LEN(key_words); i++)
		if (!strcmp(last->key->s, key_words[i][0]))
			return key_words[i][1];
	return "key";
}

/* libyaml accepts repeated keys; a flow must not (the second would silently win). */
static void check_duplicates(struct build *B, struct ynode *m)
{
	if (m->n < 2)
		return;
	struct ypair **v = xmalloc(m->n * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++)
		if (!m->pairs[i].skip)
			v[n++] = &m->pairs[i];
	qsort(v, n, sizeof(*v), cmp_pair_key);
	const char *word = key_word(B, m);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (i < n && !strcmp(v[i]->key->s, v[first]->key->s)) {
			YERR(B->L, v[i]->key, "duplicate %s '%s' (first at line %d)", word,
			     v[i]->key->s, v[first]->key->line);
			v[i]->skip = true;
			i++;
		}
	}
	free(v);
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

static void yaml_problem(struct build *B, const yaml_parser_t *p, const char *text, size_t len)
{
	int line, col;
	if (p->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset, not a mark */
		line = 1;
		col = 1;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
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
	return n == 0 || (n == 1 && s[0] == '~') || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* Parse text into a tree. Returns the root (NULL when there is none); sets B->fatal
 * when the tree is not worth converting. */
static struct ynode *build_tree(struct ld *L, const char *text, size_t len, bool *fatal)
{
	struct build B = {.L = L};
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		lerr(L, 0, 0, "cannot initialise the YAML parser");
		*fatal = true;
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	int docs = 0;
	bool done = false;
	while (!done && !B.fatal) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(&B, &p, text, len);
			break;
		}
		const yaml_mark_t *m = &ev.start_mark;
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
			y->s = xstrdup("");
			y->null = true;
			attach(&B, y);
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
				y->s = xstrdup("");
			} else if (memchr(s, '\0', n)) {
				YERR(L, y, "string contains a NUL character");
				y->s = xstrdup("");
			} else {
				y->s = xstrndup(s, n);
				y->null = is_null_scalar(&ev);
			}
			attach(&B, y);
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
			attach(&B, y);
			B.stack[B.sp++] = y;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (B.sp) {
				struct ynode *y = B.stack[B.sp - 1];
				if (y->kind == Y_MAP)
					check_duplicates(&B, y);
				B.sp--;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	*fatal = B.fatal;
	/* on a fatal error the partial tree is still all owned by the root */
	return B.root;
}

/* ---- files ---- */

char *yamldoc_read(const char *path, size_t *len_out, struct diags *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "is a directory, not a YAML file");
		close(fd);
		return NULL;
	}
	/* Read at most one byte past the limit: a FIFO or /dev/zero cannot make us
	 * read forever or allocate without bound. */
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
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > FLOW_MAX_FILE_BYTES)
			break;
	}
	close(fd);
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

struct ynode *yamldoc_parse(const char *file, const char *text, size_t len, struct diags *d,
			    size_t *errors, bool *fatal)
{
	struct ld L = {.file = file ? file : "<input>", .d = d};
	struct ynode *root = NULL;
	*fatal = false;
	if (len > FLOW_MAX_FILE_BYTES) {
		lerr(&L, 0, 0, "file too large (%zu bytes; the limit is %u)", len,
		     FLOW_MAX_FILE_BYTES);
		*fatal = true;
	} else {
		root = build_tree(&L, text ? text : "", text ? len : 0, fatal);
		if (*fatal) {
			ynode_free(root);
			root = NULL;
		}
	}
	if (errors)
		*errors += L.errors;
	return root;
}

struct ynode *yamldoc_load(const char *path, struct diags *d, size_t *errors)
{
	size_t len = 0;
	char *text = yamldoc_read(path, &len, d);
	if (!text) {
		if (errors)
			(*errors)++;
		return NULL;
	}
	bool fatal;
	struct ynode *root = yamldoc_parse(path, text, len, d, errors, &fatal);
	free(text);
	return root;
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
