/* test_logscan.c — message extraction, encodings, line ends, "~~" joining, order, limits. */
#include "src/logscan.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

static const char FLOW_YAML[] =
	"id: log-unit\n"
	"title: logscan unit test\n"
	"start: done\n"
	"signatures:\n"
	"  wsus_not_configured: \"Sync failed: WSUS server not configured\"\n"
	"  proxy_auth_407: {regex: \"HTTP [Ss]tatus 407\", title: \"proxy wants credentials\"}\n"
	"  http_503: {match: \"The request failed with HTTP status 503\"}\n"
	"  split_phrase: \"remote party has closed the transport stream\"\n"
	"nodes:\n"
	"  done: {type: end, result: resolved, text: done}\n";

static struct flow *flow;

static void setup(void)
{
	struct diags d = {0};
	flow = flow_load_string("log-unit.yaml", FLOW_YAML, strlen(FLOW_YAML), &d);
	if (!flow)
		diags_print(&d, stderr);
	diags_clear(&d);
	ck_assert_ptr_nonnull(flow);
}

static void teardown(void)
{
	flow_free(flow);
	flow = NULL;
}

static const char WCM_407[] =
	"<![LOG[System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication "
	"Required.~~   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage "
	"message, WebResponse response, Stream responseStream, Boolean asyncCall)]LOG]!><time=\"10:29:41.430+420\" "
	"date=\"11-12-2019\" component=\"WCM\" context=\"\" type=\"3\" thread=\"5184\" file=\"wcmsvc.cpp:1234\">";
static const char WCM_OK[] =
	"<![LOG[Successfully connected to server: wsus.corp.test, port: 8530, useSSL: False]LOG]!>"
	"<time=\"10:29:40.100+420\" date=\"11-12-2019\" component=\"WCM\" context=\"\" type=\"1\" thread=\"5184\" "
	"file=\"wcmsvc.cpp:1105\">";

START_TEST(message_cmtrace)
{
	char *comp = NULL;
	char *m = logscan_message(WCM_OK, &comp);
	ck_assert_str_eq(m, "Successfully connected to server: wsus.corp.test, port: 8530, useSSL: False");
	ck_assert_str_eq(comp, "WCM");
	free(m);
	free(comp);
	/* no component attribute */
	m = logscan_message("<![LOG[hello]LOG]!><time=\"1\">", &comp);
	ck_assert_str_eq(m, "hello");
	ck_assert_ptr_null(comp);
	free(m);
	/* unterminated: the rest of the line */
	m = logscan_message("<![LOG[cut short", NULL);
	ck_assert_str_eq(m, "cut short");
	free(m);
}
END_TEST

START_TEST(message_sms_and_plain)
{
	char *comp = NULL;
	char *m = logscan_message("Sync failed: WSUS server not configured. Source: CWSyncMgr::DoSync  "
				  "$$<SMS_WSUS_SYNC_MANAGER><11-12-2019 10:29:41.430+420><thread=4412 (0x113C)>", &comp);
	ck_assert_str_eq(m, "Sync failed: WSUS server not configured. Source: CWSyncMgr::DoSync");
	ck_assert_str_eq(comp, "SMS_WSUS_SYNC_MANAGER");
	free(m);
	free(comp);
	m = logscan_message("  plain text line \t\r", &comp);
	ck_assert_str_eq(m, "plain text line");
	ck_assert_ptr_null(comp);
	free(m);
	/* control characters are cleaned */
	m = logscan_message("bell\x07here", NULL);
	ck_assert_str_eq(m, "bell?here");
	free(m);
}
END_TEST

static char *lines_crlf(const char *const *lines, size_t n)
{
	struct strbuf sb = {0};
	for (size_t i = 0; i < n; i++) {
		sb_add(&sb, lines[i]);
		sb_add(&sb, "\r\n");
	}
	return sb_steal(&sb);
}

START_TEST(text_crlf_and_order)
{
	const char *lines[] = {
		WCM_OK,
		"Sync failed: WSUS server not configured. Please refer to WCM.log  $$<SMS_WSUS_SYNC_MANAGER><d><t>",
		"some healthy line",
		WCM_407,
	};
	char *t = lines_crlf(lines, 4);
	struct logscan_matches m = {0};
	ck_assert_int_eq(logscan_text(flow, t, strlen(t), &m), 0);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_str_eq(m.v[0].sig->id, "wsus_not_configured");
	ck_assert_int_eq(m.v[0].line, 2);
	ck_assert_str_eq(m.v[0].component, "SMS_WSUS_SYNC_MANAGER");
	ck_assert_str_eq(m.v[1].sig->id, "proxy_auth_407");
	ck_assert_int_eq(m.v[1].line, 4);
	ck_assert_str_eq(m.v[1].component, "WCM");
	ck_assert_ptr_null(strchr(m.v[1].text, '\r'));
	ck_assert(str_starts(m.v[1].text, "System.Net.WebException: The request failed with HTTP status 407"));
	logscan_matches_clear(&m);
	free(t);
}
END_TEST

/* UTF-8 -> UTF-16LE (BMP and surrogate pairs), with a BOM when asked */
static char *to_utf16le(const char *s, bool bom, size_t *len)
{
	struct strbuf sb = {0};
	if (bom)
		sb_addn(&sb, "\xff\xfe", 2);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp;
		if (*p < 0x80) {
			cp = *p++;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = ((unsigned)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = ((unsigned)(p[0] & 0x0f) << 12) | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			p += 3;
		} else {
			cp = ((unsigned)(p[0] & 0x07) << 18) | ((unsigned)(p[1] & 0x3f) << 12)
			   | ((unsigned)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
			p += 4;
		}
		if (cp >= 0x10000) {
			unsigned v = cp - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);
			char u[4] = {(char)(hi & 0xff), (char)(hi >> 8), (char)(lo & 0xff), (char)(lo >> 8)};
			sb_addn(&sb, u, 4);
		} else {
			char u[2] = {(char)(cp & 0xff), (char)(cp >> 8)};
			sb_addn(&sb, u, 2);
		}
	}
	*len = sb.len;
	return sb_steal(&sb);
}

START_TEST(text_utf16le_bom)
{
	const char *lines[] = {WCM_OK, "caf\xc3\xa9 \xf0\x9f\x98\x80 ok", WCM_407};
	char *t = lines_crlf(lines, 3);
	size_t len;
	char *u = to_utf16le(t, true, &len);
	struct logscan_matches m = {0};
	logscan_text(flow, u, len, &m);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_str_eq(m.v[0].sig->id, "proxy_auth_407");
	ck_assert_int_eq(m.v[0].line, 3);
	ck_assert_str_eq(m.v[0].component, "WCM");
	logscan_matches_clear(&m);
	free(u);
	/* no BOM, but plainly UTF-16LE */
	u = to_utf16le(t, false, &len);
	logscan_text(flow, u, len, &m);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_int_eq(m.v[0].line, 3);
	logscan_matches_clear(&m);
	free(u);
	free(t);
}
END_TEST

START_TEST(text_utf8_bom)
{
	const char t[] = "\xef\xbb\xbf<![LOG[The request failed with HTTP status 503]LOG]!><time=\"1\" component=\"WCM\">\n";
	struct logscan_matches m = {0};
	logscan_text(flow, t, strlen(t), &m);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_str_eq(m.v[0].sig->id, "http_503");
	ck_assert_str_eq(m.v[0].text, "The request failed with HTTP status 503");
	logscan_matches_clear(&m);
}
END_TEST

START_TEST(tilde_joined_stack)
{
	/* the signature sits after a "~~" break, and another phrase is split by one */
	const char t[] =
		"<![LOG[Failed to connect~~   at Foo.Bar()~~System.Net.WebException: The request failed with HTTP "
		"Status 407 Proxy Authentication Required]LOG]!><time=\"1\" component=\"WCM\">\n"
		"Authentication failed because the remote party has closed~~the transport stream.  $$<WCM><d><t>\n";
	struct logscan_matches m = {0};
	logscan_text(flow, t, strlen(t), &m);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_str_eq(m.v[0].sig->id, "proxy_auth_407");
	ck_assert_int_eq(m.v[0].line, 1);
	ck_assert(strstr(m.v[0].text, "~~") != NULL);    /* shown as written */
	ck_assert_str_eq(m.v[1].sig->id, "split_phrase");
	ck_assert_int_eq(m.v[1].line, 2);
	logscan_matches_clear(&m);
}
END_TEST

START_TEST(multiline_cmtrace_record)
{
	const char t[] =
		"<![LOG[first]LOG]!><time=\"1\" component=\"WCM\">\n"
		"<![LOG[System.Net.WebException: The request failed\n"
		"with HTTP status 407: Proxy Authentication Required.\n"
		"]LOG]!><time=\"2\" component=\"WCM\">\n"
		"after\n";
	struct logscan_matches m = {0};
	logscan_text(flow, t, strlen(t), &m);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_int_eq(m.v[0].line, 2);
	ck_assert_str_eq(m.v[0].component, "WCM");
	logscan_matches_clear(&m);
}
END_TEST

START_TEST(concatenated_records)
{
	/* two CMTrace records on one line (a cut write), then one that spans lines and is
	 * followed by another on its closing line */
	const char t[] =
		"<![LOG[Successfully connected]LOG]!><time=\"1\" component=\"WCM\"><![LOG[The request failed with "
		"HTTP status 503]LOG]!><time=\"2\" component=\"WSUS\">\n"
		"<![LOG[starts here\n"
		"HTTP status 407]LOG]!><time=\"3\" component=\"A\"><![LOG[Sync failed: WSUS server not configured]LOG]!>"
		"<time=\"4\" component=\"B\">\n";
	struct logscan_matches m = {0};
	logscan_text(flow, t, sizeof t - 1, &m);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_str_eq(m.v[0].sig->id, "http_503");
	ck_assert_str_eq(m.v[0].component, "WSUS");
	ck_assert_int_eq(m.v[0].line, 1);
	ck_assert_str_eq(m.v[1].sig->id, "proxy_auth_407");
	ck_assert_str_eq(m.v[1].component, "A");
	ck_assert_int_eq(m.v[1].line, 2);
	ck_assert_str_eq(m.v[2].sig->id, "wsus_not_configured");
	ck_assert_str_eq(m.v[2].component, "B");
	ck_assert_int_eq(m.v[2].line, 3);
	logscan_matches_clear(&m);
}
END_TEST

START_TEST(two_errors_in_order)
{
	const char t[] =
		"The request failed with HTTP status 503\n"
		"ok line\n"
		"The request failed with HTTP status 407\n"
		"The request failed with HTTP status 503\n";
	struct logscan_matches m = {0};
	logscan_text(flow, t, sizeof t - 1, &m);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_str_eq(m.v[0].sig->id, "http_503");
	ck_assert_str_eq(m.v[1].sig->id, "proxy_auth_407");
	ck_assert_str_eq(m.v[2].sig->id, "http_503");
	ck_assert_int_eq(m.v[2].line, 4);
	logscan_matches_clear(&m);
}
END_TEST

START_TEST(whitespace_and_case_in_substring)
{
	const char t[] = "SYNC FAILED:   wsus server\tnot configured\n";
	struct logscan_matches m = {0};
	logscan_text(flow, t, sizeof t - 1, &m);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_str_eq(m.v[0].sig->id, "wsus_not_configured");
	logscan_matches_clear(&m);
}
END_TEST

/* Where a signature matched, and what of the matched message is echoed. */
START_TEST(find_and_excerpt)
{
	const struct flow_sig *lit = flow_sig_get0(flow, "wsus_not_configured");
	const struct flow_sig *re = flow_sig_get0(flow, "proxy_auth_407");
	size_t so = 0, eo = 0;
	ck_assert(flow_sig_find(lit, "x: SYNC FAILED:   wsus server not configured!", &so, &eo));
	ck_assert_uint_eq(so, 3);
	ck_assert_uint_eq(eo, 44);
	ck_assert(flow_sig_find(re, "The request failed with HTTP status 407: Proxy", &so, &eo));
	ck_assert_uint_eq(so, 24);
	ck_assert_uint_eq(eo, 39);
	ck_assert(!flow_sig_find(re, "HTTP status 408", &so, &eo));

	/* short: on one line, "~~" and line breaks as spaces */
	char *x = logscan_excerpt(lit, "Sync failed: WSUS server~~not\r\n  configured. ", 120);
	ck_assert_str_eq(x, "Sync failed: WSUS server not configured.");
	free(x);
	/* long, the match near the start: the start kept, the tail cut */
	char long_tail[400];
	snprintf(long_tail, sizeof long_tail, "%s %0300d", "The request failed with HTTP status 407.", 0);
	x = logscan_excerpt(re, long_tail, 60);
	ck_assert(str_starts(x, "The request failed with HTTP status 407."));
	ck_assert_uint_eq(utf8_width(x), 60);
	ck_assert_str_eq(x + strlen(x) - 3, "...");
	free(x);
	/* long, the match far in: cut before it too, at a word */
	char far[600];
	snprintf(far, sizeof far, "%0200d at some place, then HTTP Status 407 and %0200d", 0, 0);
	x = logscan_excerpt(re, far, 60);
	ck_assert(str_starts(x, "...place, then HTTP Status 407 and 000"));
	ck_assert_uint_le(utf8_width(x), 60);
	free(x);
}
END_TEST

START_TEST(long_line_cut)
{
	size_t big = 3 * LOGSCAN_MAX_LINE;
	char *t = xmalloc(big + 200);
	strcpy(t, "The request failed with HTTP status 503 ");
	size_t n = strlen(t);
	memset(t + n, 'x', big - n);
	n = big;
	const char tail[] = "\nline two HTTP status 407\n";
	memcpy(t + n, tail, sizeof tail);
	n += sizeof tail - 1;
	struct logscan_matches m = {0};
	logscan_text(flow, t, n, &m);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_int_eq(m.v[0].line, 1);
	ck_assert_uint_le(strlen(m.v[0].text), LOGSCAN_MAX_TEXT);
	ck_assert_int_eq(m.v[1].line, 2);
	ck_assert_str_eq(m.v[1].text, "line two HTTP status 407");
	logscan_matches_clear(&m);
	free(t);
}
END_TEST

static char *write_tmp(const char *data, size_t len)
{
	char tmpl[] = "/tmp/test_logscan.XXXXXX";
	int fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		ck_assert_int_gt(w, 0);
		off += (size_t)w;
	}
	close(fd);
	return xstrdup(tmpl);
}

START_TEST(file_utf16_across_chunks)
{
	/* a UTF-16LE file bigger than the read buffer, with a surrogate pair and a match
	 * straddling the 64 KiB boundary */
	struct strbuf sb = {0};
	long lines = 0;
	while (sb.len < 32760 - 40) {
		sb_add(&sb, "healthy line\r\n");
		lines++;
	}
	while (sb.len < 32766)
		sb_addc(&sb, 'y');
	sb_add(&sb, "\xf0\x9f\x98\x80 The request failed with HTTP status 407\r\nlast\r\n");
	lines += 2;
	size_t len;
	char *u = to_utf16le(sb.s, true, &len);
	ck_assert_uint_gt(len, 65536);
	char *path = write_tmp(u, len);
	struct logscan_matches m = {0};
	char *err = NULL;
	long got = 0;
	ck_assert_int_eq(logscan_file_ex(flow, path, NULL, 0, &m, &got, &err), 0);
	ck_assert_int_eq(got, lines);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_int_eq(m.v[0].line, lines - 1);
	ck_assert(strstr(m.v[0].text, "\xf0\x9f\x98\x80 The request") != NULL);
	logscan_matches_clear(&m);
	unlink(path);
	free(path);
	free(u);
	sb_clear(&sb);
}
END_TEST

START_TEST(file_errors_and_plain)
{
	struct logscan_matches m = {0};
	char *err = NULL;
	ck_assert_int_eq(logscan_file(flow, "/nonexistent/WCM.log", &m, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert(strstr(err, "/nonexistent/WCM.log") != NULL);
	free(err);
	err = NULL;
	ck_assert_int_eq(logscan_file(flow, "/tmp", &m, &err), -1);
	free(err);
	err = NULL;
	/* last line without a newline, and an empty file */
	const char t[] = "a\nHTTP status 407";
	char *path = write_tmp(t, sizeof t - 1);
	long lines;
	ck_assert_int_eq(logscan_file_ex(flow, path, NULL, 0, &m, &lines, &err), 0);
	ck_assert_int_eq(lines, 2);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_int_eq(m.v[0].line, 2);
	logscan_matches_clear(&m);
	unlink(path);
	free(path);
	path = write_tmp("", 0);
	ck_assert_int_eq(logscan_file_ex(flow, path, NULL, 0, &m, &lines, &err), 0);
	ck_assert_int_eq(lines, 0);
	ck_assert_uint_eq(m.n, 0);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(file_cancel)
{
	atomic_int cancel = 1;
	const char t[] = "HTTP status 407\n";
	char *path = write_tmp(t, sizeof t - 1);
	struct logscan_matches m = {0};
	char *err = NULL;
	long lines;
	ck_assert_int_eq(logscan_file_ex(flow, path, &cancel, 0, &m, &lines, &err), 1);
	ck_assert_uint_eq(m.n, 0);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(matches_kept_bounded)
{
	/* every line matches: the last LOGSCAN_MAX_KEPT are kept, every one is counted, and
	 * each signature's last match survives however many lines came after it */
	struct strbuf sb = {0};
	sb_add(&sb, "Sync failed: WSUS server not configured\n");
	for (int i = 0; i < 5000; i++)
		sb_add(&sb, "The request failed with HTTP status 407\n");
	struct logscan_matches m = {0};
	ck_assert_int_eq(logscan_text(flow, sb.s, sb.len, &m), 0);
	ck_assert_uint_eq(m.total, 5001);
	ck_assert_uint_eq(m.n, LOGSCAN_MAX_KEPT);
	ck_assert_int_eq(m.v[0].line, 5001 - (long)LOGSCAN_MAX_KEPT + 1);
	ck_assert_int_eq(m.v[m.n - 1].line, 5001);
	ck_assert_uint_eq(m.nsigs, flow->nsigs);
	const struct logscan_tally *wsus = &m.tally[0], *p407 = &m.tally[1], *split = &m.tally[3];
	ck_assert_uint_eq(wsus->count, 1);
	ck_assert_int_eq(wsus->last.line, 1);
	ck_assert_str_eq(wsus->last.text, "Sync failed: WSUS server not configured");
	ck_assert_uint_eq(p407->count, 5000);
	ck_assert_int_eq(p407->last.line, 5001);
	ck_assert_uint_eq(split->count, 0);
	ck_assert_ptr_null(split->last.sig);
	logscan_matches_clear(&m);
	sb_clear(&sb);
}
END_TEST

START_TEST(file_refuses_what_is_not_a_log)
{
	struct logscan_matches m = {0};
	char *err = NULL;
	/* a FIFO nobody writes to: refused at once, not waited on */
	char dir[] = "/tmp/tshoot-logscan-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *fifo = xasprintf("%s/fifo.log", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	long long t0 = now_ms();
	ck_assert_int_eq(logscan_file(flow, fifo, &m, &err), -1);
	ck_assert_int_lt(now_ms() - t0, slack_ms(1000));
	ck_assert_msg(strstr(err, "fifo.log is a FIFO (named pipe), not a regular file"), "%s", err);
	FREE_NULL(err);
	/* the kernel's files, directly or through a link */
	ck_assert_int_eq(logscan_file(flow, "/proc/self/status", &m, &err), -1);
	ck_assert_str_eq(err, "/proc/self/status: a path under /proc, /sys or /dev is not a log file");
	FREE_NULL(err);
	char *link = xasprintf("%s/status.log", dir);
	ck_assert_int_eq(symlink("/proc/self/status", link), 0);
	ck_assert_int_eq(logscan_file(flow, link, &m, &err), -1);
	ck_assert_msg(strstr(err, "a path under /proc, /sys or /dev is not a log file"), "%s", err);
	FREE_NULL(err);
	ck_assert_int_eq(logscan_file(flow, "/dev/zero", &m, &err), -1);
	ck_assert_str_eq(err, "/dev/zero: a path under /proc, /sys or /dev is not a log file");
	FREE_NULL(err);
	ck_assert_int_eq(logscan_file(flow, "/tmp", &m, &err), -1);
	ck_assert_str_eq(err, "/tmp is a directory, not a regular file");
	FREE_NULL(err);
	ck_assert_uint_eq(m.n, 0);
	/* the path rule as lint uses it: whole components only */
	ck_assert_ptr_nonnull(logscan_path_problem("/proc"));
	ck_assert_ptr_nonnull(logscan_path_problem("/sys/kernel/notes"));
	ck_assert_ptr_null(logscan_path_problem("/processes.log"));
	ck_assert_ptr_null(logscan_path_problem("/devlogs/x.log"));
	ck_assert_ptr_null(logscan_path_problem("logs/dev/x.log"));
	unlink(link);
	unlink(fifo);
	rmdir(dir);
	free(link);
	free(fifo);
}
END_TEST

/* A flow whose one regex costs time quadratic in the text it searches; caller frees. */
static struct flow *slow_flow(void)
{
	static const char y[] = "id: slow\ntitle: T\nstart: e\nsignatures:\n  slow: {regex: \"a.*b\"}\n"
				"nodes:\n  e: {type: end, result: resolved}\n";
	struct diags d = {0};
	struct flow *f = flow_load_string("slow.yaml", y, sizeof y - 1, &d);
	ck_assert_ptr_nonnull(f);
	diags_clear(&d);
	return f;
}

/* That flow, and a file of long lines its regex never matches; caller frees both. */
static struct flow *slow_flow_and_log(char **path)
{
	size_t linelen = 200 * 1024;
	char *line = xmalloc(linelen + 1);
	memset(line, 'a', linelen);
	line[linelen] = '\n';
	char tmpl[] = "/tmp/tshoot-slow-XXXXXX";
	int fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(write(fd, line, linelen + 1), (ssize_t)linelen + 1);
	close(fd);
	free(line);
	*path = xstrdup(tmpl);
	return slow_flow();
}

START_TEST(deadline_inside_long_lines)
{
	char *path;
	struct flow *slow = slow_flow_and_log(&path);
	struct logscan_matches m = {0};
	char *err = NULL;
	long lines = -1;
	long long t0 = now_ms();
	ck_assert_int_eq(logscan_file_ex(slow, path, NULL, t0 + 300, &m, &lines, &err), 1);
	long long ms = now_ms() - t0;
	ck_assert_msg(ms < slack_ms(1500), "a 300 ms deadline kept after %lld ms", ms);
	ck_assert_int_lt(lines, 20);
	unlink(path);
	free(path);
	flow_free(slow);
}
END_TEST

START_TEST(text_long_line_bounded_cost)
{
	/* pasted text (a classify node) has no deadline: one 1 MiB line against a regex
	 * whose cost is quadratic in what it searches still takes moments, not hours */
	struct flow *slow = slow_flow();
	size_t n = LOGSCAN_MAX_LINE;
	char *t = xmalloc(n);
	memset(t, 'a', n);
	struct logscan_matches m = {0};
	long long t0 = now_ms();
	ck_assert_int_eq(logscan_text(slow, t, n, &m), 0);
	long long ms = now_ms() - t0;
	ck_assert_msg(ms < slack_ms(1500), "one long line took %lld ms", ms);
	ck_assert_uint_eq(m.total, 0);
	memcpy(t + LOGSCAN_MAX_TEXT - 10, "b", 1);            /* seen: within the first 4096 */
	ck_assert_int_eq(logscan_text(slow, t, n, &m), 0);
	ck_assert_uint_eq(m.total, 1);
	ck_assert_uint_eq(strlen(m.v[0].text), LOGSCAN_MAX_TEXT);
	logscan_matches_clear(&m);
	free(t);
	flow_free(slow);
}
END_TEST

static void *cancel_later(void *arg)
{
	struct timespec ts = {0, 200 * 1000 * 1000};
	nanosleep(&ts, NULL);
	atomic_store((atomic_int *)arg, 1);
	return NULL;
}

START_TEST(cancel_inside_long_lines)
{
	char *path;
	struct flow *slow = slow_flow_and_log(&path);
	struct logscan_matches m = {0};
	char *err = NULL;
	atomic_int cancel = 0;
	pthread_t th;
	long long t0 = now_ms();
	ck_assert_int_eq(pthread_create(&th, NULL, cancel_later, &cancel), 0);
	ck_assert_int_eq(logscan_file_ex(slow, path, &cancel, 0, &m, NULL, &err), 1);
	long long ms = now_ms() - t0;
	pthread_join(th, NULL);
	ck_assert_msg(ms < slack_ms(1500), "cancelled after 200 ms, returned after %lld ms", ms);
	unlink(path);
	free(path);
	flow_free(slow);
}
END_TEST

static Suite *logscan_suite(void)
{
	Suite *s = suite_create("logscan");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, message_cmtrace);
	tcase_add_test(tc, message_sms_and_plain);
	tcase_add_test(tc, text_crlf_and_order);
	tcase_add_test(tc, text_utf16le_bom);
	tcase_add_test(tc, text_utf8_bom);
	tcase_add_test(tc, tilde_joined_stack);
	tcase_add_test(tc, multiline_cmtrace_record);
	tcase_add_test(tc, concatenated_records);
	tcase_add_test(tc, two_errors_in_order);
	tcase_add_test(tc, whitespace_and_case_in_substring);
	tcase_add_test(tc, find_and_excerpt);
	tcase_add_test(tc, long_line_cut);
	tcase_add_test(tc, file_utf16_across_chunks);
	tcase_add_test(tc, file_errors_and_plain);
	tcase_add_test(tc, file_cancel);
	tcase_add_test(tc, matches_kept_bounded);
	tcase_add_test(tc, file_refuses_what_is_not_a_log);
	tcase_add_test(tc, deadline_inside_long_lines);
	tcase_add_test(tc, cancel_inside_long_lines);
	tcase_add_test(tc, text_long_line_bounded_cost);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(logscan_suite());
}
