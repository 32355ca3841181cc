/* check_params_man.c — print the check kinds' parameter lists of man/tshoot-flow.5
 * (CHECKS) from their tables, or the command-line options of each kind.
 *
 * Each kind's parameters (name, type, range, default, words) are one table in its own
 * file under checks/; check_run, lint, `tshoot check` and this man page section all
 * come from it. tests/integration/check-params-man.sh compares this program's output
 * with the lines between the PARAMS markers of man/tshoot-flow.5, and the options with
 * the "check KIND" entries of man/tshoot.1, so the pages cannot drift from the tables.
 * To refresh tshoot-flow.5 after changing a table:
 *     build/fixtures/check_params_man   (and paste each kind's block over the old one)
 *     build/fixtures/check_params_man options   (KIND --option lines) */
#include <stdio.h>
#include <string.h>

#include "checks/check.h"

/* roff-escape text: backslashes, every '-' (none here is a hyphen to break at), and a
 * leading dot or quote. */
static void roff(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", stdout);
		else if (*p == '-')
			fputs("\\-", stdout);
		else
			putchar(*p);
	}
}

/* One parameter: its name in bold (with * when required), then what it is, its range
 * or values, and its default; a comma after it, a full stop after the last. */
static void param(const struct check_param_info *p, bool last)
{
	if (p->required)
		printf(".BR %s *\n", p->key);
	else
		printf(".B %s\n", p->key);
	putchar('(');
	roff(p->doc);
	char lo[32], hi[32];
	switch (p->type) {
	case CHECK_PARAM_BOOL:
		fputs(": true or false", stdout);
		break;
	case CHECK_PARAM_DAYS:
	case CHECK_PARAM_SECONDS:
		snprintf(lo, sizeof lo, "%.10g", p->min);
		snprintf(hi, sizeof hi, "%.10g", p->max);
		fputs(", from ", stdout);
		roff(lo);
		fputs(" to ", stdout);
		roff(hi);
		break;
	default:
		break;
	}
	if (p->def) {
		fputs("; default ", stdout);
		roff(p->def);
	}
	printf(")%s\n", last ? "." : ",");
}

static void kind_params(const struct check_kind *k)
{
	printf(".\\\" PARAMS %s: generated from its table by tests/lib/check_params_man.c; edit the table\n",
	       k->name);
	for (const struct check_param_info *p = k->params; p->key; p++)
		param(p, !p[1].key);
	puts(".\\\" PARAMS-END");
}

/* "tls --warn-days N": each option of each kind, as `tshoot check` takes it. */
static void kind_options(const struct check_kind *k)
{
	for (const struct check_param_info *p = k->params; p->key; p++) {
		if (p->cli != CHECK_CLI_OPTION)
			continue;
		printf("%s --", k->name);
		for (const char *c = p->key; *c; c++)
			putchar(*c == '_' ? '-' : *c);
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	bool options = argc > 1 && strcmp(argv[1], "options") == 0;
	for (size_t i = 0; check_kinds[i]; i++) {
		if (options)
			kind_options(check_kinds[i]);
		else
			kind_params(check_kinds[i]);
	}
	return 0;
}
