/* fuzz.h — the libFuzzer entry point the harnesses define (tests/fuzz/README.md).
 *
 * Built two ways: with clang -fsanitize=fuzzer (libFuzzer supplies main()), or with
 * gcc and tests/fuzz/standalone.c, whose main() replays files and makes mutations. */
#ifndef TSHOOT_FUZZ_H
#define TSHOOT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Run one input. Returns 0; a bug shows as a crash, a sanitizer report or abort(). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run when an invariant the harness checks does not hold: message, abort(). */
#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

#endif
