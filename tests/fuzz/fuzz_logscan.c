/* fuzz_logscan.c — libFuzzer harness for the log scanner (logscan_text and
 * logscan_message) against a small fixed flow with substring and regex signatures.
 *
 * Besides the sanitizers, the harness checks what logscan.h promises: matches come in
 * file order with 1-based line numbers, each names one of the flow's signatures, and
 * keeps at most LOGSCAN_MAX_TEXT bytes of cleaned text (valid UTF-8, no control or
 * bidi characters).
 * Build and run: tests/fuzz/README.md. */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/logscan.h"
#include "src/util.h"

static const char FLOW_YAML[] =
	"id: fuzz-logscan\n"
	"title: signatures for the log scanner fuzzer\n"
	"start: done\n"
	"signatures:\n"
	"  wsus_not_configured: \"Sync failed: WSUS server not configured\"\n"
	"  proxy_auth_407: {regex: \"HTTP [Ss]tatus 407\", title: \"proxy wants credentials\"}\n"
	"  http_503: {match: \"The request failed with HTTP status 503\"}\n"
	"  remote_closed: \"remote party has closed   the transport stream\"\n"
	"  hresult: {regex: \"0x8007[0-9a-f]{4}|error (code )?-?[0-9]+$\"}\n"
	"  umlaut: \"Zertifikat ungültig\"\n"
	"  anchored: {regex: \"^(Sync|WSUS)[[:space:]]+(failed|error)\"}\n"
	"nodes:\n"
	"  done: {type: end, result: resolved, text: done}\n";

static struct flow *flow;

static const struct flow *fuzz_flow(void)
{
	if (!flow) {
		struct diags d = {0};
		flow = flow_load_string("fuzz-logscan.yaml", FLOW_YAML, strlen(FLOW_YAML), &d);
		if (!flow) {
			diags_print(&d, stderr);
			abort();
		}
		diags_clear(&d);
	}
	return flow;
}

/* str_clean_dup's promise: valid UTF-8 with no C0, DEL or C1 control and no bidi
 * control (U+202A-U+202E, U+2066-U+2069). */
static void check_clean(const char *s)
{
	while (*s) {
		uint32_t cp;
		s += utf8_decode(s, &cp);
		FUZZ_ASSERT(cp != UTF8_INVALID);
		FUZZ_ASSERT(cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f));
		FUZZ_ASSERT(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
	}
}

static void check_matches(const struct flow *f, const struct logscan_matches *m, size_t size)
{
	/* bounded: the last LOGSCAN_MAX_KEPT kept, every one counted under its signature */
	FUZZ_ASSERT(m->n <= LOGSCAN_MAX_KEPT && m->n <= m->total);
	size_t counted = 0;
	for (size_t i = 0; i < m->nsigs; i++) {
		counted += m->tally[i].count;
		FUZZ_ASSERT((m->tally[i].count > 0) == (m->tally[i].last.sig == &f->sigs[i]));
	}
	FUZZ_ASSERT(counted == m->total);
	long last = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct logscan_match *x = &m->v[i];
		FUZZ_ASSERT(x->sig >= f->sigs && x->sig < f->sigs + f->nsigs);
		FUZZ_ASSERT(x->line >= 1 && x->line >= last);
		FUZZ_ASSERT((size_t)x->line <= size + 1);
		last = x->line;
		FUZZ_ASSERT(x->text != NULL);
		FUZZ_ASSERT(strlen(x->text) <= LOGSCAN_MAX_TEXT);
		check_clean(x->text);
		if (x->component)
			check_clean(x->component);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct flow *f = fuzz_flow();
	/* An exact-size copy, so reading past the end is caught by ASan. */
	char *text = xmalloc(size ? size : 1);
	if (size)
		memcpy(text, data, size);

	struct logscan_matches m = {0};
	FUZZ_ASSERT(logscan_text(f, text, size, &m) == 0);
	check_matches(f, &m, size);
	logscan_matches_clear(&m);
	FUZZ_ASSERT(m.n == 0 && m.v == NULL);

	/* The message extractor on its own: the first line (up to a NUL), with and without
	 * a component. Cleaning makes text at most three times longer: a byte that is not
	 * UTF-8 becomes U+FFFD (3 bytes). */
	const char *nl = memchr(text, '\n', size);
	char *line = xstrndup(text, nl ? (size_t)(nl - text) : size);
	char *comp = NULL;
	char *msg = logscan_message(line, &comp);
	FUZZ_ASSERT(msg != NULL);
	FUZZ_ASSERT(strlen(msg) <= 3 * strlen(line));
	check_clean(msg);
	if (comp)
		check_clean(comp);
	free(msg);
	free(comp);
	free(logscan_message(line, NULL));
	free(line);
	free(text);
	return 0;
}
