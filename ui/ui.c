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

bool ui_parse_fixed(const char *a, bool numbers, bool cannot, enum steps_outcome *outcome)
{
	static const struct { const char *w; enum steps_outcome o; bool num; } words[] = {
		{"fixed", STEPS_FIXED, false}, {"yes", STEPS_FIXED, false}, {"y", STEPS_FIXED, false},
		{"true", STEPS_FIXED, false}, {"1", STEPS_FIXED, true},
		{"not fixed", STEPS_NOT_FIXED, false}, {"not_fixed", STEPS_NOT_FIXED, false},
		{"no", STEPS_NOT_FIXED, false}, {"n", STEPS_NOT_FIXED, false},
		{"false", STEPS_NOT_FIXED, false}, {"2", STEPS_NOT_FIXED, true},
		{"cannot", STEPS_CANNOT, false}, {"could not", STEPS_CANNOT, false},
		{"could_not", STEPS_CANNOT, false}, {"c", STEPS_CANNOT, false}, {"3", STEPS_CANNOT, true},
	};
	for (size_t i = 0; i < ARRAY_LEN(words); i++) {
		if ((words[i].num && !numbers) || (words[i].o == STEPS_CANNOT && !cannot))
			continue;
		if (strcasecmp(a, words[i].w) == 0) {
			*outcome = words[i].o;
			return true;
		}
	}
	return false;
}

bool ui_answer_index(const char *a, const char *const *labels, size_t n, size_t *choice)
{
	long k;
	if (n > 0 && parse_long(a, 1, (long)n, &k)) {
		*choice = (size_t)k - 1;
		return true;
	}
	for (size_t i = 0; *a && i < n; i++) {
		char *l = str_trim_dup(labels[i]);
		bool same = !strcasecmp(a, l);
		free(l);
		if (same) {
			*choice = i;
			return true;
		}
	}
	return false;
}
