/* secret.h — which names are secret, and masking of secret text.
 *
 * Util level: depends on src/util only, so checks/ may use it as well as the core. The
 * core's one way to mask a walk's texts is engine_mask_secrets (src/engine.h), which
 * builds on these. Every masked piece is replaced by SECRET_MASK. */
#ifndef TSHOOT_SECRET_H
#define TSHOOT_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_MASK "********"

/* The one rule for names: a fact key, a check parameter or a flow variable names a
 * secret when it mentions "password", "passwd", "secret" or "token" (any case). NULL
 * counts as secret (nothing is shown for it). */
bool secret_name(const char *name);

/* A copy of s with every occurrence of each non-empty value replaced by SECRET_MASK,
 * whatever its length (overlapping and adjacent occurrences become one mask). Each value
 * is also looked for percent-encoded (as it may stand in a URL) and as str_clean_dup
 * shows it (a tab or other control character replaced), so mask before cleaning and
 * still catch text that a check cleaned. */
char *secret_mask_values_dup(const char *s, const char *const *values, size_t n);

/* The password in the userinfo of one URL ("scheme://user:PASSWORD@host...", the scheme
 * optional as in a proxy "user:PASSWORD@proxy:3128"): true with its byte offset and
 * length, false when there is none. Generous, for a URL that may be malformed: the
 * userinfo runs to the last '@', so a password with a raw '/' or '#' is still found. */
bool secret_url_password(const char *url, size_t *off, size_t *len);
/* A copy of one URL with its userinfo password (secret_url_password) masked. */
char *secret_mask_url_dup(const char *url);
/* A copy of a text with the userinfo password of every "scheme://user:PASSWORD@host"
 * in it masked (the authority ends at '/', '?', '#', a blank or a quote). */
char *secret_mask_urls_dup(const char *s);

#endif
