/* url.h — URLs through libcurl's URL API, for the checks (private to checks/).
 *
 * The http and proxy checks hand URLs to libcurl; the tls check speaks to a proxy
 * itself. Both read URLs here, so a proxy URL means the same to every check (its
 * scheme, its default port, its percent-decoded credentials). Call curl_dl_load()
 * first (check_url_problem does). */
#ifndef TSHOOT_URL_H
#define TSHOOT_URL_H

#include "checks/curl_dl.h"

/* A proxy given as host:port gets "http://" in front, as curl does. NULL for NULL.
 * Caller frees. */
char *url_proxy_dup(const char *proxy);

/* The URL without user:password, cleaned, for showing. Caller frees. */
char *url_display_dup(const char *url);

/* One part of url (CURLUPART_HOST, ...), with curl_url_get's flags (CURLU_URLDECODE,
 * CURLU_DEFAULT_PORT). NULL when the URL does not parse or has no such part. Caller
 * frees (with explicit_bzero first if it is a password). */
char *url_part_dup(const char *url, CURLUPart part, unsigned flags);

/* A proxy URL taken apart as libcurl takes it for CURLOPT_PROXY: host (IPv6 without
 * brackets), port (the URL's, else 1080, libcurl's default for a proxy), and user and
 * password percent-decoded (NULL when the URL has none). */
struct url_proxy {
	char *scheme, *host, *port, *user, *password;
};
/* NULL when proxy parses as a proxy URL with a host and no path; else a static
 * one-line message, and *out is empty. url_proxy_free either way. */
const char *url_proxy_parse(const char *proxy, struct url_proxy *out);
void url_proxy_free(struct url_proxy *p);     /* wipes the password */

#endif
