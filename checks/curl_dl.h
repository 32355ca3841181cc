/* curl_dl.h — libcurl, loaded on first use.
 *
 * tshoot is not linked against libcurl: the library and its ~30 dependencies (gssapi,
 * ldap, rtmp, ssh2, nghttp2, gnutls...) cost ~2.5 ms of dynamic loading at every start,
 * and only the http and proxy checks and URL validation need it. curl_dl_load() dlopens
 * "libcurl.so.4" once (thread-safe), looks up every function below and runs
 * curl_global_init.
 *
 * Include this header instead of <curl/curl.h>. After it, the libcurl functions the
 * code uses are macros naming the loaded function pointers, so call sites read as
 * plain libcurl. Call curl_dl_load() first and stop on its message; calling a curl_*
 * function when the library could not be loaded ends the program with that message.
 * A function not in CURL_DL_FUNCS stays an undefined reference: the link fails, which
 * is how a missing entry shows.
 *
 * (libcurl's compile-time type checks of curl_easy_setopt/curl_easy_getinfo are
 * macros over the real functions, so they do not apply here: pass long, curl_off_t
 * and pointers exactly as curl_easy_setopt(3) says.) */
#ifndef TSHOOT_CURL_DL_H
#define TSHOOT_CURL_DL_H

#include <curl/curl.h>

/* Every libcurl function tshoot calls, without its "curl_" prefix. */
#define CURL_DL_FUNCS(X)                                                               \
	X(global_init) X(global_cleanup)                                                 \
	X(easy_init) X(easy_cleanup) X(easy_setopt) X(easy_getinfo) X(easy_strerror)      \
	X(multi_init) X(multi_cleanup) X(multi_add_handle) X(multi_remove_handle)        \
	X(multi_perform) X(multi_poll) X(multi_info_read)                               \
	X(url) X(url_cleanup) X(url_set) X(url_get) X(free)

/* The loaded functions, typed from <curl/curl.h>'s own declarations. */
struct curl_dl_fns {
#define CURL_DL_MEMBER(name) __typeof__(curl_##name) *name;
	CURL_DL_FUNCS(CURL_DL_MEMBER)
#undef CURL_DL_MEMBER
};

/* Load libcurl (once; later calls only report). NULL when loaded, else a one-line
 * message such as "libcurl.so.4 could not be loaded: ...". Static; do not free. */
const char *curl_dl_load(void);

/* The loaded functions. Loads on first use; if that fails, prints the message and
 * aborts (a caller skipped curl_dl_load()). Never NULL. */
const struct curl_dl_fns *curl_dl_get0(void);

#ifndef CURL_DL_NO_MACROS
/* curl.h makes these type-checking macros over the real functions; replace them. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init (curl_dl_get0()->global_init)
#define curl_global_cleanup (curl_dl_get0()->global_cleanup)
#define curl_easy_init (curl_dl_get0()->easy_init)
#define curl_easy_cleanup (curl_dl_get0()->easy_cleanup)
#define curl_easy_setopt (curl_dl_get0()->easy_setopt)
#define curl_easy_getinfo (curl_dl_get0()->easy_getinfo)
#define curl_easy_strerror (curl_dl_get0()->easy_strerror)
#define curl_multi_init (curl_dl_get0()->multi_init)
#define curl_multi_cleanup (curl_dl_get0()->multi_cleanup)
#define curl_multi_add_handle (curl_dl_get0()->multi_add_handle)
#define curl_multi_remove_handle (curl_dl_get0()->multi_remove_handle)
#define curl_multi_perform (curl_dl_get0()->multi_perform)
#define curl_multi_poll (curl_dl_get0()->multi_poll)
#define curl_multi_info_read (curl_dl_get0()->multi_info_read)
#define curl_url (curl_dl_get0()->url)
#define curl_url_cleanup (curl_dl_get0()->url_cleanup)
#define curl_url_set (curl_dl_get0()->url_set)
#define curl_url_get (curl_dl_get0()->url_get)
#define curl_free (curl_dl_get0()->free)
#endif

#endif
