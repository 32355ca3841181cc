/* suggest.h — "did you mean": the candidate closest to a misspelt word (optimal string
 * alignment distance, at most 1 for words of up to 4 letters, else 2), for the flow
 * loader's and the linter's messages. */
#ifndef TSHOOT_SUGGEST_H
#define TSHOOT_SUGGEST_H

#include <stddef.h>

struct suggest {
	const char *word;            /* as written (borrowed) */
	const char *best;            /* the closest candidate so far (borrowed), or NULL */
	size_t dist;
};

struct suggest suggest_start(const char *word);
void suggest_consider(struct suggest *s, const char *cand);
/* " (did you mean 'next'?)", or "" when no candidate was close. Caller frees. */
char *suggest_text(const struct suggest *s);
/* The same over a NULL-terminated list of candidates. Caller frees. */
char *suggest_list(const char *word, const char *const *cands);

#endif
