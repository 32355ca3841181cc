#!/bin/bash
# bench/sweep.sh — `make bench-sweep`: N loopback targets (default 1,000) swept by
#   1. tshoot sweep check KIND --targets FILE --jobs J     (one process, J workers)
#   2. a shell loop running tshoot check KIND TARGET once per target
#   3. xargs -P J running tshoot check KIND TARGET per target
# for two kinds of target:
#   tls  a server that holds each connection HOLD ms (default 50) without answering,
#        so every check takes about HOLD ms (conc_fixture): sweep should take about
#        N / J × HOLD
#   tcp  an open port that accepts and closes at once (hold_fixture close): the
#        per-target time is the process's own start-up for the loop and xargs
# Env: BUILD (default build), N, JOBS (default 16), HOLD (ms). Prints a Markdown table.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-1000}
JOBS=${JOBS:-16}
HOLD=${HOLD:-50}
TSHOOT=$TOP/$BUILD/tshoot
FIXTURES=$TOP/$BUILD/fixtures
source "$TOP/tests/lib.sh"

SLOW=$(free_port) FAST=$(free_port)
"$FIXTURES/conc_fixture" "$SLOW" "$HOLD" "$T/max" 3600 &
track_pid $!
"$FIXTURES/hold_fixture" "$FAST" close 3600 &
track_pid $!
wait_port "$SLOW" 50 && wait_port "$FAST" 50 || { echo "bench: fixtures did not start" >&2; exit 1; }
for i in $(seq "$N"); do echo "127.0.0.1:$SLOW"; done >"$T/slow.txt"
for i in $(seq "$N"); do echo "127.0.0.1:$FAST"; done >"$T/fast.txt"

secs() {   # secs CMD...: wall time of one run, in seconds with two decimals
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 </dev/null
	t1=$(date +%s%N)
	awk -v n=$((t1 - t0)) 'BEGIN {printf "%.2f", n / 1e9}'
}
loop() { local t; while read -r t; do "$TSHOOT" check "$1" "$t" --timeout 10; done <"$2"; }
xargs_p() { xargs -P "$JOBS" -n 1 "$TSHOOT" check "$1" --timeout 10 <"$2"; }

echo "| $N targets, --jobs $JOBS | tshoot sweep | shell loop | xargs -P $JOBS | expected (N / jobs × per-target) |"
echo "|---|---|---|---|---|"
for kind in tls tcp; do
	f=$T/slow.txt per=$HOLD
	[ "$kind" = tcp ] && f=$T/fast.txt per=0
	s=$(secs "$TSHOOT" sweep check "$kind" --targets "$f" --jobs "$JOBS" --timeout 10)
	l=$(secs loop "$kind" "$f")
	x=$(secs xargs_p "$kind" "$f")
	exp=$(awk -v n="$N" -v j="$JOBS" -v p="$per" 'BEGIN {printf "%.2f", n / j * p / 1000}')
	label="$kind ($HOLD ms a target)"
	[ "$kind" = tcp ] && label="tcp (open port, ~0 ms)"
	echo "| $label | ${s} s | ${l} s | ${x} s | ${exp} s |"
done
echo
echo "most tls connections held at once: $(cat "$T/max") (--jobs $JOBS)"
