/* log.c — the log kind: scan a log file for the signatures of a flow.
 *
 * The outcome is the id of the signature found on the newest matching line (a log tells
 * its latest state last: logscan_newest, as for pasted text), or "ok" when nothing
 * matches or that line is a healthy one (flow_sig_healthy). */
#include "checks/check.h"

#include <stdlib.h>
#include <string.h>

#include "checks/net.h"
#include "src/diag.h"
#include "src/flow.h"
#include "src/logscan.h"
#include "src/util.h"

#define LOG_FACT_COLS       200
#define LOG_SUMMARY_COLS    160

static const struct check_param_info log_params[] = {
	{"file", CHECK_PARAM_LOG, true, 0, 0, NULL, "log file",
	 "the log file to scan: a regular file, not under /proc, /sys or /dev", CHECK_CLI_ARGUMENT, "FILE"},
	{"flow", CHECK_PARAM_FLOW, false, 0, 0, NULL, "flow",
	 "the flow, a path or an installed flow's id, whose signatures to match", CHECK_CLI_OPTION, "FLOW"},
	/* logs can be gigabytes: longer than a network check */
	CHECK_PARAM_TIMEOUT("120", CHECK_CLI_NONE),
	CHECK_PARAM_END,
};

/* "signature": any signature id the flow defines */
static const char *const log_outcomes[] = {"ok", "signature", NULL};

static char *cut_cols(const char *s, size_t cols)
{
	if (utf8_width(s) <= cols)
		return xstrdup(s);
	size_t n = utf8_prefix_for_width(s, cols - 1);
	char *r = xmalloc(n + 4);
	memcpy(r, s, n);
	memcpy(r + n, "\xe2\x80\xa6", 4);      /* … */
	return r;
}

/* The part of a match worth showing: of a message joined with "~~" (a stack trace, or
 * several exceptions), the first of its lines that matches on its own; the whole
 * message when none does (the phrase spans a break). Caller frees. */
static char *match_part(const struct logscan_match *m)
{
	const char *p = m->text;
	while (p) {
		const char *e = strstr(p, "~~");
		char *seg = e ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
		if (flow_sig_match(m->sig, seg))
			return seg;
		free(seg);
		p = e ? e + 2 : NULL;
		while (p && *p == '~')
			p++;
	}
	return xstrdup(m->text);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

/* The outcome: the signature of the newest matching line (logscan_newest, the rule
 * pasted text is classified by); ok when nothing matched or that line is healthy. */
static void log_verdict(struct check_result *res, const struct flow *f, const struct logscan_matches *m,
			const char *name, long lines)
{
	const struct logscan_match *hit = logscan_newest(m, NULL, NULL);
	if (!hit) {
		check_result_set(res, "ok", "%s: none of the %zu known error signature%s in %ld line%s", name, f->nsigs,
				 f->nsigs == 1 ? "" : "s", lines, lines == 1 ? "" : "s");
		return;
	}
	char *head = match_part(hit);
	char *t = cut_cols(head, LOG_SUMMARY_COLS);
	free(head);
	bool healthy = flow_sig_healthy(hit->sig);
	char *outcome = signature_outcome(hit->sig->id);
	check_result_set(res, healthy ? "ok" : outcome, "%s line %ld: %s \xe2\x80\x94 %s%s", name, hit->line,
			 hit->sig->id, t, healthy ? " (healthy: the newest matching line)" : "");
	free(t);
	free(outcome);
	if (hit->sig->title)
		facts_add(&res->facts, "signature_title", hit->sig->title);
}

static int log_run(const struct check_request *req, struct check_result *res)
{
	long long t0 = now_ms();
	const char *file = check_request_param(req, "file");
	const char *flow_path = check_request_param(req, "flow");
	long timeout = check_request_timeout_ms(req);

	if (!file || !*file)
		return net_bad(res, "log check needs a file");
	if (!flow_path || !*flow_path)
		return net_bad(res, "log check needs a flow whose signatures to match");
	if (timeout < 0)
		return net_bad(res, "log check: timeout out of range");

	struct diags d = {0};
	struct flow *f = flow_load_file(flow_path, &d);   /* a path: callers resolve ids */
	if (!f) {
		char *first = NULL;
		for (size_t i = 0; i < d.n && !first; i++)
			if (d.v[i].sev == DIAG_ERROR)
				first = diag_format(&d.v[i]);
		int rc = net_bad(res, "cannot load flow %s%s%s", flow_path, first ? ": " : "", first ? first : "");
		free(first);
		diags_clear(&d);
		return rc;
	}
	diags_clear(&d);

	free(res->target);
	res->target = xstrdup(file);

	struct logscan_matches m = {0};
	long lines = 0;
	char *err = NULL;
	int rc = logscan_file_ex(f, file, req->cancel, t0 + timeout, &m, &lines, &err);
	if (rc < 0) {
		net_bad(res, "%s", err);
		free(err);
		flow_free(f);
		return -1;
	}
	const char *name = base_name(file);
	/* the scan keeps the last matches and a count per signature (LOGSCAN_MAX_KEPT) */
	if (m.total > m.n)
		facts_addf(&res->facts, "matches_omitted", "%zu earlier matches not listed", m.total - m.n);
	for (size_t i = 0; i < m.nsigs; i++)
		if (m.tally[i].count)
			facts_addf(&res->facts, "signature_matches", "%s: %zu", f->sigs[i].id, m.tally[i].count);
	for (size_t i = 0; i < m.n; i++) {
		char *part = match_part(&m.v[i]);
		char *t = cut_cols(part, LOG_FACT_COLS);
		free(part);
		facts_addf(&res->facts, "match", "%ld: %s: %s", m.v[i].line, m.v[i].sig->id, t);
		free(t);
	}
	facts_addf(&res->facts, "lines_scanned", "%ld", lines);
	facts_addf(&res->facts, "signatures", "%zu", f->nsigs);

	if (rc == 1) {
		bool cancelled = req->cancel && atomic_load(req->cancel);
		if (cancelled)
			check_result_set(res, "cancelled", "cancelled after %ld lines of %s", lines, name);
		else
			check_result_set(res, "timeout", "%s: stopped after %ld lines (timeout %.0f s)%s", name,
					 lines, timeout / 1000.0, m.n ? "; matches so far are listed" : "");
	} else {
		log_verdict(res, f, &m, name, lines);
	}
	logscan_matches_clear(&m);
	flow_free(f);
	res->elapsed_ms = (long)(now_ms() - t0);
	return 0;
}

const struct check_kind log_kind = {
	"log", "match a log file against the flow's signatures", log_params, log_outcomes, log_run, NULL,
};
