/* curl_dl.c — load libcurl on first use (see curl_dl.h). */
#define CURL_DL_NO_MACROS      /* here the names are libcurl's own declarations */
#include "checks/curl_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CURL_DL_SONAME "libcurl.so.4"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static struct curl_dl_fns fns;
static const char *load_problem;         /* NULL once loaded */
static char problem_buf[512];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem_buf, sizeof(problem_buf), fmt, ap);
	va_end(ap);
	load_problem = problem_buf;
}

static void load(void)
{
	/* RTLD_LAZY, as when linked: RTLD_NOW binds every symbol of libcurl and its ~30
	 * libraries up front, +0.4 ms on each http check (measured); the functions we call
	 * are all looked up below, so a library without them is still refused here */
	dlerror();
	void *h = dlopen(CURL_DL_SONAME, RTLD_LAZY | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		fail("%s could not be loaded: %s", CURL_DL_SONAME, e ? e : "unknown error");
		return;
	}
#define CURL_DL_SYM(name)                                                                   \
	if (!(fns.name = (__typeof__(fns.name))dlsym(h, "curl_" #name))) {                     \
		fail("%s could not be loaded: it has no function %s", CURL_DL_SONAME, "curl_" #name); \
		goto bad;                                                                       \
	}
	CURL_DL_FUNCS(CURL_DL_SYM)
#undef CURL_DL_SYM
	/* once, before any transfer: libcurl 7.88's global init is not thread-safe, and
	 * every curl_* call passes through this pthread_once first */
	CURLcode rc = fns.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		fail("%s could not be loaded: curl_global_init failed: %s", CURL_DL_SONAME,
		     fns.easy_strerror(rc));
		goto bad;
	}
	/* the library stays loaded to the end of the process */
	return;
bad:
	memset(&fns, 0, sizeof(fns));
	dlclose(h);
}

const char *curl_dl_load(void)
{
	pthread_once(&load_once, load);
	return load_problem;
}

const struct curl_dl_fns *curl_dl_get0(void)
{
	const char *problem = curl_dl_load();
	if (problem) {
		fprintf(stderr, "tshoot: %s\n", problem);
		abort();
	}
	return &fns;
}
