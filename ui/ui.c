/* ui.c — what both front ends share (ui/ui.h): whether the terminal takes the full
 * screen, whether the locale shows UTF-8, and the words both say. */
#include "ui/ui.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "src/util.h"

bool ui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

char *ui_result_line(enum end_result result, const char *title, const char *report_path)
{
	const char *dash = ui_locale_utf8() ? " — " : " - ";
	char *t = str_clean_dup(title ? title : "");
	char *r = report_path ? str_clean_dup(report_path) : NULL;
	char *line = xasprintf("%s%s%s%s%s%s", result == END_RESOLVED ? "RESOLVED" : "ESCALATE", dash, t,
			       r ? dash : "", r ? "report: " : "", r ? r : "");
	free(r);
	free(t);
	return line;
}

char *ui_no_answer_dup(long k, size_t n)
{
	return n > 1 ? xasprintf("no answer %ld: choose 1-%zu", k, n) : xasprintf("no answer %ld: choose 1", k);
}

bool ui_terminal_ok(void)
{
	const char *term = getenv("TERM");
	if (!term || !*term || !strcmp(term, "dumb"))
		return false;
	return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1;
}
