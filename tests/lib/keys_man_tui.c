/* keys_man_tui.c — print the KEYS-TABLE section of man/tshoot.1 from ui/keys.h.
 *
 * The curses front end's keys, its footer hints, its help panel and this man page
 * section all come from the one table in ui/keys.h. tests/tui/tui-keys-man.sh compares
 * this program's output with the lines between the markers in man/tshoot.1, so the
 * page cannot drift from the table. To refresh the page after changing the table:
 *     build/fixtures/keys_man_tui   (and paste its output over the old section) */
#include <stdio.h>
#include <string.h>

#include "ui/keys.h"

/* roff-escape text: backslashes, option-like dashes (all dashes when keys is set),
 * and a leading dot or quote. */
static void roff(const char *s, int keys)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", stdout);
		else if (*p == '-' && (keys || p == s || p[-1] == ' ' || p[-1] == '-' || p[1] == '-'))
			fputs("\\-", stdout);
		else if (*p == '"' && keys)
			fputs("\\(dq", stdout);
		else
			putchar(*p);
	}
}

static void row(const char *keys, const char *man)
{
	fputs(".TP\n.B \"", stdout);
	roff(keys, 1);
	fputs("\"\n", stdout);
	roff(man, 0);
	putchar('\n');
}

int main(void)
{
	puts(".\\\" generated from ui/keys.h by tests/lib/keys_man_tui.c: edit the table, not these lines");
	puts("Each screen shows its main keys on the bottom line;");
	puts(".B ?");
	puts("shows why the step is asked and every key of that screen.");
	puts("The same key can mean different things on different screens:");
#define X(act, ctx, k1, k2, k3, k4, keys, hint, help, man) row(keys, man);
	UI_KEYS(X)
#undef X
	puts(".\\\" KEYS-TABLE-END");
	return 0;
}
