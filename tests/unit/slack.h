/* slack.h — upper time bounds in unit tests that check promptness (a cancel answered,
 * a timeout kept). Under valgrind everything runs many times slower, so tests/run.sh
 * sets TSHOOT_TEST_SLACK (a whole factor) and the bounds stretch by it. */
#ifndef TSHOOT_TEST_SLACK_H
#define TSHOOT_TEST_SLACK_H

#include <stdlib.h>

#include "src/util.h"

static inline long long slack_ms(long long ms)
{
	long k;
	return parse_long(getenv("TSHOOT_TEST_SLACK"), 1, 100, &k) ? ms * k : ms;
}

#endif
