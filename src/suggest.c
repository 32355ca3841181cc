/* suggest.c — "did you mean" (suggest.h). */
#include "src/suggest.h"

#include <stdint.h>
#include <string.h>

#include "src/util.h"

/* Optimal string alignment distance. Short words only: SIZE_MAX past 40 bytes. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 40 || m > 40)
		return SIZE_MAX;
	size_t d[41][41];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

struct suggest suggest_start(const char *word)
{
	struct suggest s = {.word = word, .best = NULL, .dist = SIZE_MAX};
	return s;
}

void suggest_consider(struct suggest *s, const char *cand)
{
	size_t limit = strlen(s->word) <= 4 ? 1 : 2;
	size_t d = distance(s->word, cand);
	if (d <= limit && d < s->dist) {
		s->dist = d;
		s->best = cand;
	}
}

char *suggest_text(const struct suggest *s)
{
	return s->best ? xasprintf(" (did you mean '%s'?)", s->best) : xstrdup("");
}

char *suggest_list(const char *word, const char *const *cands)
{
	struct suggest s = suggest_start(word);
	for (size_t i = 0; cands[i]; i++)
		suggest_consider(&s, cands[i]);
	return suggest_text(&s);
}
