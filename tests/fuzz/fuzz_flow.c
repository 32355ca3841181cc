/* fuzz_flow.c — libFuzzer harness for the flow loader (tmux fuzz/input-parse-fuzzer.c).
 *
 * Each input is a would-be flow file: flow_load_string() on the bytes; when it loads,
 * lint_flow() and graph_write() run on it too, and the diagnostics are formatted.
 * Besides the sanitizers, the harness checks the loader's contract (flow.h):
 *   - NULL comes with at least one error, a flow with none;
 *   - every resolved reference points at the node (or variable) it names;
 *   - lint_flow() returns the number of errors it added.
 * Build and run: tests/fuzz/README.md. */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/lint.h"
#include "src/util.h"

static FILE *devnull(void)
{
	static FILE *null;
	if (!null) {
		null = fopen("/dev/null", "w");
		if (!null) {
			perror("fuzz_flow: /dev/null");
			abort();
		}
	}
	return null;
}

static void check_ref(const struct flow *f, const struct flow_ref *r)
{
	if (!r->id) {
		FUZZ_ASSERT(r->idx == -1);
		return;
	}
	FUZZ_ASSERT(r->idx >= -1 && r->idx < (int)f->nnodes);
	if (r->idx >= 0)
		FUZZ_ASSERT(strcmp(f->nodes[r->idx].id, r->id) == 0);
	else
		FUZZ_ASSERT(flow_node_index(f, r->id) == -1);
}

static void check_flow(const struct flow *f)
{
	FUZZ_ASSERT(f->path != NULL);
	check_ref(f, &f->start);
	for (size_t i = 0; i < f->nvars; i++) {
		const struct flow_var *v = &f->vars[i];
		FUZZ_ASSERT(v->name && v->prompt);
		FUZZ_ASSERT(flow_var_index(f, v->name) >= 0);
		(void)flow_var_check(v, v->def ? v->def : "");
		(void)flow_var_check(v, "wsus01.contoso.com");
		(void)flow_validate_name(v->validate);
	}
	for (size_t i = 0; i < f->nsigs; i++) {
		FUZZ_ASSERT(f->sigs[i].id && f->sigs[i].text);
		FUZZ_ASSERT(flow_sig_get0(f, f->sigs[i].id) != NULL);
	}
	for (size_t i = 0; i < f->nnodes; i++) {
		const struct flow_node *n = &f->nodes[i];
		FUZZ_ASSERT(n->id != NULL);
		int at = flow_node_index(f, n->id);
		FUZZ_ASSERT(at >= 0 && strcmp(f->nodes[at].id, n->id) == 0);
		(void)flow_node_type_name(n->type);
		check_ref(f, &n->next);
		check_ref(f, &n->fixed);
		check_ref(f, &n->not_fixed);
		for (size_t j = 0; j < n->nanswers; j++) {
			FUZZ_ASSERT(n->answers[j].label != NULL);
			check_ref(f, &n->answers[j].next);
		}
		for (size_t j = 0; j < n->nroutes; j++) {
			FUZZ_ASSERT(n->routes[j].pattern != NULL);
			check_ref(f, &n->routes[j].next);
		}
		for (size_t j = 0; j < n->nvars; j++) {
			const struct flow_ref *r = &n->vars[j];
			FUZZ_ASSERT(r->id != NULL);
			FUZZ_ASSERT(r->idx >= -1 && r->idx < (int)f->nvars);
			if (r->idx >= 0)
				FUZZ_ASSERT(strcmp(f->vars[r->idx].name, r->id) == 0);
		}
		for (size_t j = 0; j < n->nchecks; j++) {
			FUZZ_ASSERT(n->checks[j].kind != NULL);
			for (size_t k = 0; k < n->checks[j].nparams; k++)
				FUZZ_ASSERT(n->checks[j].params[k].key && n->checks[j].params[k].value);
		}
		for (size_t j = 0; j < n->nsteps; j++)
			FUZZ_ASSERT(n->steps[j].text != NULL);
		/* the node's own text against every signature: regexec and the substring matcher */
		if (n->text)
			for (size_t k = 0; k < f->nsigs && k < 16; k++)
				(void)flow_sig_match(&f->sigs[k], n->text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reading past the end is caught by ASan. */
	char *text = xmalloc(size ? size : 1);
	if (size)
		memcpy(text, data, size);
	struct diags d = {0};
	struct flow *f = flow_load_string("fuzz.yaml", text, size, &d);
	size_t errors = diags_count(&d, DIAG_ERROR);
	if (!f) {
		FUZZ_ASSERT(errors > 0);         /* a refusal always says why */
	} else {
		FUZZ_ASSERT(errors == 0);
		check_flow(f);
		size_t lint_errors = lint_flow(f, &d);
		FUZZ_ASSERT(diags_count(&d, DIAG_ERROR) == lint_errors);
		graph_write(f, devnull());
		flow_free(f);
	}
	diags_print(&d, devnull());
	for (size_t i = 0; i < d.n; i++) {
		FUZZ_ASSERT(d.v[i].msg != NULL);
		free(diag_format(&d.v[i]));
	}
	diags_clear(&d);
	free(text);
	return 0;
}
