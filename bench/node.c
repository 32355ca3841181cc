/* bench/node.c — a check node of N http checks run by the live runner: wall time
 * against the slowest single check. Built and run by bench/checks.sh.
 *   node URL N     prints "wall_ms=W slowest_ms=S sum_ms=T outcomes_ok=K" */
#include "checks/check.h"
#include "checks/runner.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/util.h"

int main(int argc, char **argv)
{
	long n;
	if (argc != 3 || !parse_long(argv[2], 1, 100, &n)) {
		fprintf(stderr, "usage: node URL N\n");
		return 2;
	}
	const char *keys[] = {"url"};
	const char *vals[] = {argv[1]};
	struct check_request *reqs = xcalloc((size_t)n, sizeof(*reqs));
	for (long i = 0; i < n; i++)
		reqs[i] = (struct check_request){"http", keys, vals, 1, 10000, NULL};
	struct check_runner r = check_runner_live();
	long long t0 = now_ms();
	struct check_batch *b = r.ops->start(r.ctx, reqs, (size_t)n);
	for (int turns = 0; !r.ops->poll(b, 100) && turns < 200; turns++)
		;
	long long wall = now_ms() - t0;
	long slowest = 0, sum = 0, okc = 0;
	for (long i = 0; i < n; i++) {
		const struct check_result *res = r.ops->result(b, (size_t)i);
		if (!res)
			continue;
		if (res->elapsed_ms > slowest)
			slowest = res->elapsed_ms;
		sum += res->elapsed_ms;
		okc += str_eq(res->outcome, "ok");
	}
	r.ops->finish(b);
	free(reqs);
	printf("wall_ms=%lld slowest_ms=%ld sum_ms=%ld outcomes_ok=%ld\n", wall, slowest, sum, okc);
	return okc == n ? 0 : 1;
}
