#!/bin/bash
# bench/lint.sh — `make bench-lint`: `tshoot lint` of generated flows of 1,000 and 10,000
# nodes (10,000 is the loader's limit, FLOW_MAX_NODES): median wall time and the largest
# resident set of RUNS runs each, the median CPU time (user + system: what a busy machine
# stretches least), and how they grow from 1,000 to 10,000 nodes.
# Targets (bench/README.md): 10,000 nodes in at most 100 ms and 20 MB, time growing at
# most 12x from 1,000. Env: BUILD (default build), RUNS (default 15), SIZES (default
# "1000 10000"). Prints a Markdown table; exits 1 when a target is missed.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
RUNS=${RUNS:-15}
SIZES=${SIZES:-1000 10000}
TSHOOT=$TOP/$BUILD/tshoot
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# gen N: a flow of N nodes, each question of two answers (the next question, or an
# end; every 7th goes back 5, so there are cycles with an exit), and two end nodes
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

echo "runs per size: $RUNS, $(nproc) CPU, $(date -u +%Y-%m-%d)"
echo
echo "| nodes | file KB | median wall ms | median CPU ms | max RSS MB | wall µs per node | KB per node |"
echo "|---|---|---|---|---|---|---|"
declare -A WALL CPU RSS
for n in $SIZES; do
	f=$T/flow-$n.yaml
	gen "$n" >"$f"
	"$TSHOOT" lint "$f" >"$T/out" 2>&1 || { echo "bench: lint of $n nodes failed:" >&2; cat "$T/out" >&2; exit 2; }
	: >"$T/wall"; : >"$T/cpu"; : >"$T/rss"
	for _ in $(seq 1 "$RUNS"); do
		t0=$(date +%s%N)
		"$TIME" -f '%M %U %S' -o "$T/one" "$TSHOOT" lint "$f" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) >>"$T/wall"
		read -r rss user sys <"$T/one"
		echo "$rss" >>"$T/rss"
		awk -v u="$user" -v s="$sys" 'BEGIN {printf "%d\n", (u + s) * 1000000}' >>"$T/cpu"
	done
	WALL[$n]=$(median <"$T/wall")           # µs
	CPU[$n]=$(median <"$T/cpu")             # µs (10 ms resolution)
	RSS[$n]=$(sort -n "$T/rss" | tail -1)   # KB
	awk -v n="$n" -v kb="$(($(stat -c %s "$f") / 1024))" -v w="${WALL[$n]}" -v c="${CPU[$n]}" -v r="${RSS[$n]}" \
		'BEGIN {printf "| %d | %d | %.1f | %.0f | %.1f | %.1f | %.2f |\n", n, kb, w/1000, c/1000, r/1024, w/n, r/n}'
done
set -- $SIZES
if [ $# -ge 2 ]; then
	a=$1 b=${!#}
	echo
	awk -v a="$a" -v b="$b" -v wa="${WALL[$a]}" -v wb="${WALL[$b]}" -v ra="${RSS[$a]}" -v rb="${RSS[$b]}" \
		'BEGIN {printf "growth from %d to %d nodes: time %.1fx, memory %.1fx\n", a, b, wb/wa, rb/ra}'
fi
# the targets, for 10,000 nodes
if [ -n "${WALL[10000]:-}" ]; then
	fail=0
	[ "${WALL[10000]}" -le 100000 ] || { echo "target missed: 10,000 nodes took more than 100 ms"; fail=1; }
	[ "${RSS[10000]}" -le 20480 ] || { echo "target missed: 10,000 nodes took more than 20 MB"; fail=1; }
	if [ -n "${WALL[1000]:-}" ] && [ "${WALL[10000]}" -gt $((WALL[1000] * 12)) ]; then
		echo "target missed: time grew more than 12x from 1,000 to 10,000 nodes"; fail=1
	fi
	exit $fail
fi
