#!/bin/bash
# bench/lint.sh — `make bench-lint`: `tshoot lint` of generated flows of 1,000 and 10,000
# nodes (10,000 is the loader's limit, FLOW_MAX_NODES), each node a question of two
# answers. RUNS runs of each size, the sizes alternated: the median wall time, the median
# CPU time (user + system: what a busy machine stretches least) and the largest resident
# set, measured by bench/rusage.c (wait4), then how they grow from the first size to the
# last.
# Targets (bench/README.md), for 10,000 nodes: at most 100 ms and 20 MB, and time at
# most 12x that of 1,000 nodes; exits 1 when one is missed.
# Env: BUILD (default build), RUNS (default 15), SIZES (default "1000 10000").
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
RUNS=${RUNS:-15}
SIZES=${SIZES:-1000 10000}
TSHOOT=$TOP/$BUILD/tshoot
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cc -std=c11 -D_GNU_SOURCE -O2 -o "$T/rusage" "$TOP/bench/rusage.c" || exit 2

# gen N: a flow of N nodes: N-2 questions of two answers (on to the next question, or
# to an end; every 7th from the 14th goes back 5, so there are cycles with an exit)
# and two end nodes
gen() {
	awk -v n="$1" 'BEGIN {
		q = n - 2
		print "id: bench-" n
		print "title: Generated flow of " n " nodes"
		print "start: q1"
		print "nodes:"
		for (i = 1; i <= q; i++) {
			nx = i < q ? "q" (i + 1) : "fixed"
			alt = (i % 7 == 0 && i > 7) ? "q" (i - 5) : "escalate"
			printf "  q%d:\n    type: question\n    title: Step %d\n", i, i
			printf "    text: Does the service answer at step %d?\n", i
			printf "    answers:\n      - {label: \"Yes\", next: %s}\n", nx
			printf "      - {label: \"No\", next: %s}\n", alt
		}
		print "  fixed: {type: end, result: resolved, title: Resolved}"
		print "  escalate: {type: end, result: escalate, title: Escalate}"
	}'
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

echo "runs per size: $RUNS, $(nproc) CPU, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
echo
echo "| nodes | file KB | median wall ms | median CPU ms | max RSS MB | wall µs per node | KB per node |"
echo "|---|---|---|---|---|---|---|"
declare -A WALL CPU RSS
for n in $SIZES; do
	gen "$n" >"$T/flow-$n.yaml"
	"$TSHOOT" lint "$T/flow-$n.yaml" >"$T/out" 2>&1 ||
		{ echo "bench: lint of $n nodes failed:" >&2; cat "$T/out" >&2; exit 2; }
	: >"$T/wall-$n"; : >"$T/cpu-$n"; : >"$T/rss-$n"
done
# the sizes alternate run by run, so a machine busier for a while slows them alike
for _ in $(seq 1 "$RUNS"); do
	for n in $SIZES; do
		line=$("$T/rusage" "$TSHOOT" lint "$T/flow-$n.yaml")
		eval "$(echo "$line" | tr ' ' '\n' | grep -E '^[a-z_]+=[0-9]+$')"
		[ "$status" = 0 ] || { echo "bench: lint of $n nodes exited $status" >&2; exit 2; }
		echo "$wall_us" >>"$T/wall-$n"
		echo $((user_us + sys_us)) >>"$T/cpu-$n"
		echo "$maxrss_kb" >>"$T/rss-$n"
	done
done
for n in $SIZES; do
	WALL[$n]=$(median <"$T/wall-$n")           # µs
	CPU[$n]=$(median <"$T/cpu-$n")             # µs
	RSS[$n]=$(sort -n "$T/rss-$n" | tail -1)   # KB
	awk -v n="$n" -v kb="$(($(stat -c %s "$T/flow-$n.yaml") / 1024))" -v w="${WALL[$n]}" \
		-v c="${CPU[$n]}" -v r="${RSS[$n]}" \
		'BEGIN {printf "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f |\n", n, kb, w/1000, c/1000, r/1024, w/n, r/n}'
done
set -- $SIZES
first=$1 last=${!#}
if [ "$first" != "$last" ]; then
	echo
	awk -v a="$first" -v b="$last" -v wa="${WALL[$first]}" -v wb="${WALL[$last]}" -v ca="${CPU[$first]}" \
		-v cb="${CPU[$last]}" -v ra="${RSS[$first]}" -v rb="${RSS[$last]}" \
		'BEGIN {printf "growth from %d to %d nodes: wall %.1fx, CPU %.1fx, memory %.1fx\n", a, b, wb/wa, cb/(ca ? ca : 1), rb/ra}'
fi
# the targets, for 10,000 nodes
fail=0
if [ -n "${WALL[10000]:-}" ]; then
	[ "${WALL[10000]}" -le 100000 ] || { echo "target missed: 10,000 nodes took more than 100 ms"; fail=1; }
	[ "${RSS[10000]}" -le 20480 ] || { echo "target missed: 10,000 nodes took more than 20 MB"; fail=1; }
	if [ -n "${WALL[1000]:-}" ] && [ "${WALL[10000]}" -gt $((WALL[1000] * 12)) ]; then
		echo "target missed: time grew more than 12x from 1,000 to 10,000 nodes"; fail=1
	fi
fi
exit $fail
