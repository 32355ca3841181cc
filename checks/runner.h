/* runner.h — how the engine's driver runs a node's checks without knowing how.
 *
 * The live runner (checks/runner.c) runs them concurrently on worker threads; the
 * simulated runner (src/simrun.c) returns outcomes a scenario or test gives. */
#ifndef TSHOOT_RUNNER_H
#define TSHOOT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"

/* Contract: start() returns a batch; poll() waits up to timeout_ms and returns true
 * once every check is done; done(i) and result(i) may be read for finished checks at
 * any time; cancel() asks all to stop (each then finishes with outcome "cancelled"
 * within 100 ms); finish() waits for and frees the batch. */
struct check_batch;
struct check_runner_ops {
	struct check_batch *(*start)(void *ctx, const struct check_request *reqs, size_t n);
	bool (*poll)(struct check_batch *b, int timeout_ms);
	bool (*done)(struct check_batch *b, size_t i);
	const struct check_result *(*result)(struct check_batch *b, size_t i);
	void (*cancel)(struct check_batch *b);
	void (*finish)(struct check_batch *b);
};
struct check_runner {
	const struct check_runner_ops *ops;
	void *ctx;
};
/* The live runner: real network checks on worker threads, all of a batch at once. */
struct check_runner check_runner_live(void);
/* The same with at most jobs checks of a batch running at a time (jobs > 0): the rest
 * wait their turn, each started as another finishes; each check's timeout counts from
 * its own start. (`tshoot sweep`: one batch of a check per target.) */
struct check_runner check_runner_live_jobs(size_t jobs);

#endif
