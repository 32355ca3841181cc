/* standalone.c — a main() for the fuzz harnesses when there is no libFuzzer (gcc).
 *
 *   fuzz_flow [--mutate N SEED] [--timeout S] FILE|DIR...
 *
 * Runs LLVMFuzzerTestOneInput once on every FILE, and on every regular file in each
 * DIR (one level, in name order). With --mutate, then runs N more inputs, each made
 * from the corpus by a small deterministic mutator (the same SEED gives the same
 * inputs on every machine), so a plain `make check` fuzzes a little too.
 * Arguments that look like libFuzzer flags (-runs=10) are ignored.
 *
 * A crash, a sanitizer report, an abort() from FUZZ_ASSERT or an input that runs longer
 * than --timeout seconds (default 10) ends the run with a message naming the input;
 * a mutated one is saved as crash-SEED-I in $FUZZ_CRASH_DIR (default .) to replay:
 * `fuzz_flow crash-SEED-I`. Exit 0 when every input ran; 2 on a usage or read error. */
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/util.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#define STANDALONE_MAX_INPUT   (256u * 1024)      /* a corpus file is cut here */
#define STANDALONE_MAX_MUTATED (64u * 1024)       /* a mutated input never grows past this */

struct input {
	char *name;
	unsigned char *data;
	size_t size;
};

static struct input *corpus;
static size_t ncorpus, capcorpus;

/* ---- What is running now, for the crash handler (async-signal-safe use only). */

static const char *cur_name;                  /* a corpus file, or NULL when mutated */
static const unsigned char *cur_data;
static size_t cur_size;
static unsigned long long cur_seed, cur_iter;
static volatile sig_atomic_t running, reported;

static void put(const char *s)
{
	ssize_t r = write(2, s, strlen(s));
	(void)r;
}

/* Decimal without printf (usable in a signal handler). */
static void put_ull(char *buf, size_t cap, unsigned long long v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(tmp));
	size_t i = 0;
	for (; i < n && i + 1 < cap; i++)
		buf[i] = tmp[n - 1 - i];
	buf[i] = '\0';
}

/* what: "crashed" or "timed out". Nothing when no input is running (a leak report at
 * exit, say): the sanitizer's own report says it all then. */
static void report_crash(const char *what)
{
	if (reported || !running)
		return;
	reported = 1;
	if (cur_name) {
		put("standalone: ");
		put(what);
		put(" on ");
		put(cur_name);
		put("\n");
		return;
	}
	char path[4096], num[24];
	const char *dir = getenv("FUZZ_CRASH_DIR");
	size_t n = 0;
	path[0] = '\0';
#define APPEND(s) do { size_t l_ = strlen(s); if (n + l_ < sizeof(path)) { memcpy(path + n, s, l_); n += l_; path[n] = '\0'; } } while (0)
	APPEND(dir && *dir ? dir : ".");
	APPEND("/crash-");
	put_ull(num, sizeof(num), cur_seed);
	APPEND(num);
	APPEND("-");
	put_ull(num, sizeof(num), cur_iter);
	APPEND(num);
#undef APPEND
	put("standalone: ");
	put(what);
	put(" on mutated input ");
	put(num);
	put("; saved as ");
	put(path);
	put("\n");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		size_t off = 0;
		while (off < cur_size) {
			ssize_t w = write(fd, cur_data + off, cur_size - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		close(fd);
	}
}

static void on_signal(int sig)
{
	report_crash(sig == SIGALRM ? "timed out" : "crashed");
	if (sig == SIGALRM)
		sig = SIGABRT;
	signal(sig, SIG_DFL);
	raise(sig);
}

static unsigned timeout_s = 10;

static void run_one(const char *name, const unsigned char *data, size_t size)
{
	cur_name = name;
	cur_data = data;
	cur_size = size;
	running = 1;
	alarm(timeout_s);
	LLVMFuzzerTestOneInput(data, size);
	alarm(0);
	running = 0;
}

/* ---- Reading the corpus. */

static int add_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		return -1;
	}
	unsigned char *buf = xmalloc(STANDALONE_MAX_INPUT);
	size_t n = fread(buf, 1, STANDALONE_MAX_INPUT, fp);
	bool bad = ferror(fp);
	fclose(fp);
	if (bad) {
		fprintf(stderr, "standalone: %s: read error\n", path);
		free(buf);
		return -1;
	}
	VEC_PUSH(corpus, ncorpus, capcorpus);
	corpus[ncorpus++] = (struct input){xstrdup(path), buf, n};
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(path);
	DIR *dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", path, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			VEC_PUSH(names, n, cap);
			names[n++] = p;
		} else {
			free(p);
		}
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (add_file(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- The mutator: splitmix64 and a handful of byte-level edits. */

static unsigned long long rng_state;

static unsigned long long rnd(void)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

#define TOK(s) {s, sizeof(s) - 1}
static const struct {
	const char *s;
	size_t n;
} dict[] = {
	/* YAML and the flow format */
	TOK("\n"), TOK(": "), TOK("- "), TOK("  "), TOK("{"), TOK("}"), TOK("["), TOK("]"), TOK(", "),
	TOK("\""), TOK("'"), TOK("&a "), TOK("*a"), TOK("<<: *a\n"), TOK("!!str "), TOK("!!map "),
	TOK("? "), TOK("|\n  "), TOK(">-\n  "), TOK("---\n"), TOK("...\n"), TOK("%YAML 1.1\n"),
	TOK("#"), TOK("\\u0000"), TOK("\\x85"), TOK("~"), TOK("null"), TOK("99999999999999999999"),
	TOK("-1"), TOK("id: "), TOK("title: "), TOK("start: "), TOK("nodes:\n"), TOK("vars:\n"),
	TOK("signatures:\n"), TOK("type: "), TOK("question"), TOK("input"), TOK("check"),
	TOK("classify"), TOK("steps"), TOK("end"), TOK("info"), TOK("next: "), TOK("answers:\n"),
	TOK("on:\n"), TOK("checks:\n"), TOK("fixed: "), TOK("not_fixed: "), TOK("result: "),
	TOK("resolved"), TOK("escalate"), TOK("collect:\n"), TOK("validate: "), TOK("hostname"),
	TOK("port"), TOK("url"), TOK("secret: true"), TOK("optional: true"), TOK("default: "),
	TOK("regex: "), TOK("match: "), TOK("http: {url: "), TOK("tls: {host: "), TOK("${"),
	TOK("${x}"), TOK("problem"), TOK("default"), TOK("http_5xx"), TOK("tls_*"), TOK("(a|"),
	TOK("[[:alpha:]"), TOK("\\"), TOK("*+"), TOK("{2,}"),
	/* logs */
	TOK("<![LOG["), TOK("]LOG]!>"), TOK("<time=\"10:29:41.430+420\" "), TOK("component=\""),
	TOK("$$<"), TOK("><"), TOK("~~"), TOK("\r\n"), TOK("\r"), TOK("\t"), TOK("\xef\xbb\xbf"),
	TOK("\xff\xfe"), TOK("\xfe\xff"), TOK("\0"), TOK("\0\xd8"), TOK("\0\xdc"), TOK("\xc2\x85"),
	TOK("\xe2\x80\xa8"), TOK("\xf0\x9f\x98\x80"), TOK("\xed\xa0\x80"),
};
#undef TOK

static const unsigned char interesting[] = {
	0, 1, '\n', '\r', '\t', ' ', ':', '-', '"', '\'', '{', '}', '[', ']', '&', '*', '!', '|',
	'>', '<', '#', '%', '?', ',', '$', '~', '\\', 0x7f, 0x80, 0xbf, 0xc2, 0xd8, 0xdc, 0xef,
	0xfe, 0xff,
};

struct buf {
	unsigned char *p;
	size_t n;
};

static void buf_insert(struct buf *b, size_t at, const unsigned char *s, size_t n)
{
	if (b->n + n > STANDALONE_MAX_MUTATED)
		return;
	memmove(b->p + at + n, b->p + at, b->n - at);
	memcpy(b->p + at, s, n);
	b->n += n;
}

static void mutate_once(struct buf *b)
{
	size_t at = below(b->n + 1);
	switch (below(10)) {
	case 0:                                               /* flip a bit */
		if (b->n)
			b->p[below(b->n)] ^= (unsigned char)(1u << below(8));
		break;
	case 1:                                               /* a random byte */
		if (b->n)
			b->p[below(b->n)] = (unsigned char)rnd();
		break;
	case 2:                                               /* an interesting byte */
		if (b->n)
			b->p[below(b->n)] = interesting[below(sizeof(interesting))];
		break;
	case 3: {                                             /* insert one */
		unsigned char c = interesting[below(sizeof(interesting))];
		buf_insert(b, at, &c, 1);
		break;
	}
	case 4: {                                             /* delete a range */
		size_t len = 1 + below(16);
		if (at + len > b->n)
			len = b->n - at;
		memmove(b->p + at, b->p + at + len, b->n - at - len);
		b->n -= len;
		break;
	}
	case 5: {                                             /* duplicate a range */
		if (!b->n)
			break;
		size_t from = below(b->n), len = 1 + below(64);
		if (from + len > b->n)
			len = b->n - from;
		unsigned char tmp[64];
		memcpy(tmp, b->p + from, len);
		buf_insert(b, at, tmp, len);
		break;
	}
	case 6:                                               /* a token */
	case 7: {
		size_t k = below(ARRAY_LEN(dict));
		buf_insert(b, at, (const unsigned char *)dict[k].s, dict[k].n);
		break;
	}
	case 8: {                                             /* splice another input's tail */
		if (!ncorpus)
			break;
		const struct input *o = &corpus[below(ncorpus)];
		size_t from = below(o->size + 1), len = o->size - from;
		if (at + len > STANDALONE_MAX_MUTATED)
			len = STANDALONE_MAX_MUTATED - at;
		memcpy(b->p + at, o->data + from, len);
		b->n = at + len;
		break;
	}
	default: {                                            /* repeat a line many times */
		if (!b->n)
			break;
		size_t s = below(b->n), e = s;
		while (s > 0 && b->p[s - 1] != '\n')
			s--;
		while (e < b->n && b->p[e] != '\n')
			e++;
		if (e < b->n)
			e++;
		size_t len = e - s, times = 1 + below(64);
		if (len == 0 || len > 4096)
			break;
		unsigned char *line = xmalloc(len);
		memcpy(line, b->p + s, len);
		for (size_t i = 0; i < times; i++)
			buf_insert(b, e, line, len);
		free(line);
		break;
	}
	}
}

static void run_mutations(unsigned long long n, unsigned long long seed)
{
	struct buf b = {xmalloc(STANDALONE_MAX_MUTATED), 0};
	rng_state = seed;
	cur_seed = seed;
	for (unsigned long long i = 1; i <= n; i++) {
		b.n = 0;
		if (ncorpus) {
			const struct input *base = &corpus[below(ncorpus)];
			b.n = base->size < STANDALONE_MAX_MUTATED ? base->size : STANDALONE_MAX_MUTATED;
			memcpy(b.p, base->data, b.n);
		}
		/* few edits mostly (1, 2 or 3 in 7 of 8), so that many inputs still parse */
		size_t edits = 1;
		while (edits < 8 && below(2))
			edits++;
		for (size_t k = 0; k < edits; k++)
			mutate_once(&b);
		/* an exact-size copy, so the harness's reads past the end are caught */
		unsigned char *in = xmalloc(b.n ? b.n : 1);
		memcpy(in, b.p, b.n);
		cur_iter = i;
		run_one(NULL, in, b.n);
		free(in);
	}
	free(b.p);
}

#if defined(__SANITIZE_ADDRESS__)
static void on_sanitizer_death(void)
{
	report_crash("crashed");
}
#endif

static bool parse_ull(const char *s, unsigned long long *out)
{
	long v;
	if (!parse_long(s, 0, 2147483647L, &v))
		return false;
	*out = (unsigned long long)v;
	return true;
}

int main(int argc, char **argv)
{
	unsigned long long nmut = 0, seed = 0;
	bool mutate = false;
	int rc = 0;
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mutate")) {
			if (i + 2 >= argc || !parse_ull(argv[i + 1], &nmut) || !parse_ull(argv[i + 2], &seed)) {
				fprintf(stderr, "usage: %s [--mutate N SEED] [--timeout S] FILE|DIR...\n", prog);
				return 2;
			}
			mutate = true;
			i += 2;
		} else if (!strcmp(argv[i], "--timeout")) {
			unsigned long long t;
			if (i + 1 >= argc || !parse_ull(argv[i + 1], &t) || t == 0 || t > 3600) {
				fprintf(stderr, "%s: --timeout wants seconds (1-3600)\n", prog);
				return 2;
			}
			timeout_s = (unsigned)t;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			continue;                              /* a libFuzzer flag: not ours */
		} else if (add_path(argv[i]) != 0) {
			rc = 2;
		}
	}
	if (rc)
		return rc;
	if (!ncorpus && !mutate) {
		fprintf(stderr, "usage: %s [--mutate N SEED] [--timeout S] FILE|DIR...\n", prog);
		return 2;
	}

	/* Under ASan its own handlers report faults (with a stack), then call us back. */
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_set_death_callback(on_sanitizer_death);
#else
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);
	signal(SIGILL, on_signal);
#endif
	signal(SIGABRT, on_signal);
	signal(SIGALRM, on_signal);

	for (size_t i = 0; i < ncorpus; i++)
		run_one(corpus[i].name, corpus[i].data, corpus[i].size);
	cur_name = NULL;
	if (mutate)
		run_mutations(nmut, seed);

	printf("%s: %zu corpus inputs, %llu mutated (seed %llu): no crash\n", prog, ncorpus, nmut, seed);
	for (size_t i = 0; i < ncorpus; i++) {
		free(corpus[i].name);
		free(corpus[i].data);
	}
	free(corpus);
	return 0;
}
