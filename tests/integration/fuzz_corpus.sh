#!/bin/bash
# fuzz_corpus.sh — the fuzz harnesses of tests/fuzz/, built with gcc and standalone.c:
# every seed in tests/fuzz/corpus/ runs clean (exit 0), then 2000 inputs made from the
# seeds by the deterministic mutator (--mutate N SEED) run clean too.
# Builds nothing: `make check` builds $(FUZZ_BIN) next to the binary, so under the
# ASan pass of tests/run.sh (TSHOOT=.../build-asan/tshoot) these are the sanitized
# harnesses. A mutated input that fails is kept as BUILD/fuzz/crash-SEED-I to replay.
# FUZZ_SEED (default 1) and FUZZ_MUTATIONS (default 2000) change the mutated run.
source "$TOP/tests/lib.sh"

B=$(dirname "$TSHOOT")/fuzz
C=$TOP/tests/fuzz/corpus
SEED=${FUZZ_SEED:-1}
N=${FUZZ_MUTATIONS:-2000}

# harness  corpus directory
for pair in "flow flow" "logscan log"; do
	read -r h dir <<<"$pair"
	bin=$B/fuzz_$h
	if [ ! -x "$bin" ]; then
		not_ok "fuzz_$h is built ($bin is missing: make check builds it)"
		continue
	fi
	n=0
	for f in "$C/$dir"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		out=$(cd "$T" && timeout 60 "$bin" "$f" 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && printf '%s' "$out" | grep -qF "fuzz_$h: 1 corpus inputs, 0 mutated"; then
			ok "fuzz_$h: corpus/$dir/$(basename "$f")"
		else
			not_ok "fuzz_$h: corpus/$dir/$(basename "$f") (exit $rc)"
			printf '%s\n' "$out" | head -40 | sed 's/^/#   | /'
		fi
	done
	if [ "$n" -ge 10 ]; then ok "fuzz_$h: corpus/$dir has $n seeds"; else not_ok "fuzz_$h: corpus/$dir has only $n seeds"; fi

	out=$(cd "$T" && FUZZ_CRASH_DIR="$B" timeout 300 "$bin" --mutate "$N" "$SEED" "$C/$dir" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		assert_contains "fuzz_$h: $N mutated inputs (seed $SEED) run clean" "$out" \
			"fuzz_$h: $n corpus inputs, $N mutated (seed $SEED): no crash"
	else
		not_ok "fuzz_$h: $N mutated inputs (seed $SEED) run clean (exit $rc)"
		printf '%s\n' "$out" | head -60 | sed 's/^/#   | /'
	fi

	# The runner itself: a file it cannot read is an error, not a silent pass.
	out=$("$bin" "$T/no-such-input" 2>&1)
	rc=$?
	assert_eq "fuzz_$h: a missing input file exits 2" 2 "$rc"
	assert_contains "fuzz_$h: and says which file" "$out" "$T/no-such-input"
done

done_testing
