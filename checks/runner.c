/* runner.c — the live runner: each check of a node on its own worker thread. */
#include "checks/runner.h"

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/curl_dl.h"
#include "src/util.h"

/* Detached worker threads, each taking the next check not yet started until none is
 * left: one per check (a node's checks all at once), or at most the runner's limit
 * (check_runner_live_jobs: a sweep of many targets). The batch is reference-counted
 * (one reference for the caller, one per worker), so finish() after cancel() need not
 * wait for a check that is slow to notice: the last worker frees the batch. Requests
 * are deep copies, so the caller's strings may go away. */

struct live_slot {
	struct check_request req;
	char **keys, **values;
	char *kind;
	struct check_result res;
	bool done;
	struct check_batch *b;
	size_t i;
};

struct check_batch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int cancel;
	const atomic_int *outer_cancel;    /* the caller's flag, if any: polled */
	long long cancel_at;               /* when cancel() was called (ms), 0 = not */
	size_t n, ndone;
	size_t next;                       /* the next slot a worker takes */
	int refs;
	struct live_slot *slots;
};

static void batch_unref(struct check_batch *b)
{
	pthread_mutex_lock(&b->mu);
	int left = --b->refs;
	pthread_mutex_unlock(&b->mu);
	if (left)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct live_slot *s = &b->slots[i];
		for (size_t j = 0; j < s->req.nparams; j++) {
			free(s->keys[j]);
			free(s->values[j]);
		}
		free(s->keys);
		free(s->values);
		free(s->kind);
		check_result_clear(&s->res);
	}
	free(b->slots);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

/* Workers still running anywhere in the process. A cancelled worker is reported for
 * after 150 ms and may go on a little inside OpenSSL or libcurl; the process must not
 * run those libraries' exit-time cleanup under it. So at exit we wait for the workers
 * (bounded: each honours its cancel flag within 100 ms, its timeout in any case). */
static pthread_mutex_t workers_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t workers_cv = PTHREAD_COND_INITIALIZER;
static int workers_running;
static pthread_once_t workers_once = PTHREAD_ONCE_INIT;

#define WORKERS_EXIT_WAIT_MS 3000

static void workers_wait_at_exit(void)
{
	long long deadline = now_ms() + WORKERS_EXIT_WAIT_MS;
	pthread_mutex_lock(&workers_mu);
	while (workers_running > 0 && now_ms() < deadline) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&workers_cv, &workers_mu, &ts);
	}
	pthread_mutex_unlock(&workers_mu);
}

/* A worker still inside OpenSSL when the process exits (a cancelled check loading the
 * CA store, slow under valgrind) must not find OpenSSL's state freed under it: no
 * cleanup at exit (the memory goes with the process). A constructor, because only the
 * first initialisation decides, and libcurl initialises OpenSSL too. */
__attribute__((constructor)) static void openssl_no_atexit(void)
{
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
}

static void workers_init(void)
{
	/* workers still running at exit get a moment to finish (OpenSSL's own cleanup at
	 * exit is off: see openssl_no_atexit) */
	OPENSSL_init_ssl(0, NULL);
	atexit(workers_wait_at_exit);
}

static void workers_add(int d)
{
	pthread_mutex_lock(&workers_mu);
	workers_running += d;
	if (workers_running == 0)
		pthread_cond_broadcast(&workers_cv);
	pthread_mutex_unlock(&workers_mu);
}

/* Run slot s's check and keep its result (unless it was already reported cancelled). */
static void run_slot(struct live_slot *s)
{
	struct check_batch *b = s->b;
	struct check_result res;
	check_run(&s->req, &res);
	if (atomic_load(&b->cancel) && !str_eq(res.outcome, "error") && !str_eq(res.outcome, "cancelled")) {
		/* finished after cancel(): whatever it saw, the operator stopped it */
		check_result_set(&res, "cancelled", "cancelled by the operator");
	}
	pthread_mutex_lock(&b->mu);
	if (!s->done) {
		s->res = res;
		s->done = true;
		b->ndone++;
	} else {
		check_result_clear(&res);     /* already reported as cancelled on its behalf */
	}
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* The next slot to run, or NULL when none is left or the batch is cancelled (slots
 * never started are then reported cancelled by reap_stragglers_locked). */
static struct live_slot *take_slot(struct check_batch *b)
{
	struct live_slot *s = NULL;
	pthread_mutex_lock(&b->mu);
	while (!s && !atomic_load(&b->cancel) && b->next < b->n) {
		struct live_slot *c = &b->slots[b->next++];
		if (!c->done)
			s = c;
	}
	pthread_mutex_unlock(&b->mu);
	return s;
}

static void *live_worker(void *arg)
{
	struct check_batch *b = arg;
	for (struct live_slot *s; (s = take_slot(b));)
		run_slot(s);
	batch_unref(b);
	/* this thread's OpenSSL state (its random generators) goes with it */
	OPENSSL_thread_stop();
	workers_add(-1);
	return NULL;
}

static struct check_batch *live_start(void *ctx, const struct check_request *reqs, size_t n)
{
	/* libcurl (loaded on first use) is set up here, before any worker, when a check
	 * of this node needs it; a failure is each such check's own "error" */
	for (size_t i = 0; i < n; i++)
		if (check_request_needs_curl(&reqs[i])) {
			(void)curl_dl_load();
			break;
		}
	struct check_batch *b = xcalloc(1, sizeof(*b));
	pthread_mutex_init(&b->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&b->cancel, 0);
	b->n = n;
	b->refs = 1;
	b->slots = xcalloc(n ? n : 1, sizeof(*b->slots));
	for (size_t i = 0; i < n; i++) {
		struct live_slot *s = &b->slots[i];
		const struct check_request *r = &reqs[i];
		if (r->cancel && !b->outer_cancel)
			b->outer_cancel = r->cancel;
		s->b = b;
		s->i = i;
		s->kind = xstrdup(r->kind);
		s->keys = xcalloc(r->nparams + 1, sizeof(char *));
		s->values = xcalloc(r->nparams + 1, sizeof(char *));
		for (size_t j = 0; j < r->nparams; j++) {
			s->keys[j] = xstrdup(r->keys[j]);
			s->values[j] = xstrdup(r->values[j] ? r->values[j] : "");
		}
		s->req.kind = s->kind;
		s->req.keys = (const char *const *)s->keys;
		s->req.values = (const char *const *)s->values;
		s->req.nparams = r->nparams;
		s->req.timeout_ms = r->timeout_ms;
		s->req.cancel = &b->cancel;
	}
	pthread_once(&workers_once, workers_init);
	size_t limit = (size_t)(uintptr_t)ctx, nworkers = limit && limit < n ? limit : n, started = 0;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (size_t i = 0; i < nworkers; i++) {
		pthread_t t;
		pthread_mutex_lock(&b->mu);
		b->refs++;
		pthread_mutex_unlock(&b->mu);
		workers_add(1);
		if (pthread_create(&t, &attr, live_worker, b) == 0) {
			started++;
		} else {
			pthread_mutex_lock(&b->mu);
			b->refs--;
			pthread_mutex_unlock(&b->mu);
			workers_add(-1);
		}
	}
	pthread_attr_destroy(&attr);
	if (n && !started) {
		/* no thread at all: run them here rather than lose them */
		for (struct live_slot *s; (s = take_slot(b));)
			run_slot(s);
	}
	return b;
}

static void live_cancel(struct check_batch *b)
{
	pthread_mutex_lock(&b->mu);
	if (!b->cancel_at)
		b->cancel_at = now_ms();
	atomic_store(&b->cancel, 1);
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* Called with the lock held: 150 ms after cancel(), report stragglers as cancelled so
 * the caller is never held up by a check that cannot be interrupted (e.g. a resolver). */
static void reap_stragglers_locked(struct check_batch *b)
{
	if (!b->cancel_at || now_ms() - b->cancel_at < 150)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct live_slot *s = &b->slots[i];
		if (s->done)
			continue;
		memset(&s->res, 0, sizeof(s->res));
		s->res.kind = xstrdup(s->kind);
		check_result_set(&s->res, "cancelled", "cancelled by the operator");
		s->res.elapsed_ms = (long)(now_ms() - b->cancel_at);
		s->done = true;
		b->ndone++;
	}
}

static bool live_poll(struct check_batch *b, int timeout_ms)
{
	long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	pthread_mutex_lock(&b->mu);
	for (;;) {
		if (b->outer_cancel && atomic_load(b->outer_cancel) && !b->cancel_at) {
			b->cancel_at = now_ms();
			atomic_store(&b->cancel, 1);
		}
		reap_stragglers_locked(b);
		if (b->ndone == b->n)
			break;
		long long now = now_ms();
		if (now >= deadline)
			break;
		long long until = deadline;
		if (b->cancel_at && b->cancel_at + 150 < until)
			until = b->cancel_at + 151;
		if (b->outer_cancel && until > now + 50)
			until = now + 50;     /* the caller's flag has no wake-up: look often */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		long long wait = until - now;
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (wait % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&b->cv, &b->mu, &ts);
	}
	bool all = b->ndone == b->n;
	pthread_mutex_unlock(&b->mu);
	return all;
}

static bool live_done(struct check_batch *b, size_t i)
{
	if (i >= b->n)
		return false;
	pthread_mutex_lock(&b->mu);
	bool d = b->slots[i].done;
	pthread_mutex_unlock(&b->mu);
	return d;
}

static const struct check_result *live_result(struct check_batch *b, size_t i)
{
	if (!live_done(b, i))
		return NULL;
	return &b->slots[i].res;    /* immutable once done */
}

static void live_finish(struct check_batch *b)
{
	if (!b)
		return;
	/* wait for the checks unless cancelled (then stragglers are reaped) */
	while (!live_poll(b, 1000))
		;
	batch_unref(b);
}

static const struct check_runner_ops live_ops = {
	live_start, live_poll, live_done, live_result, live_cancel, live_finish,
};

struct check_runner check_runner_live(void)
{
	struct check_runner r = {&live_ops, NULL};
	return r;
}

/* The limit rides in ctx as a number: there is nothing else to keep. */
struct check_runner check_runner_live_jobs(size_t jobs)
{
	struct check_runner r = {&live_ops, (void *)(uintptr_t)jobs};
	return r;
}
