#!/bin/bash
# bench/resize.sh — how long the full-screen mode takes to repaint after a resize while
# a check runs: from the SIGWINCH that tmux sends to tshoot's first write to the
# terminal, as strace timestamps them (tshoot's own latency, not tmux's or the
# capture's). `make bench-resize`; RUNS=N resizes (default 20), BUILD=DIR.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
export TSHOOT="$TOP/$BUILD/tshoot" FIXTURES="$TOP/$BUILD/fixtures"
source "$TOP/tests/lib.sh"
source "$TOP/tests/tui/tmux.bash"
command -v strace >/dev/null || { echo "bench/resize.sh: needs strace (make test-deps)" >&2; exit 2; }
RUNS=${RUNS:-20}

PORT=$(free_port)
"$FIXTURES/hold_fixture" "$PORT" hold 120 &
track_pid $!
wait_port "$PORT" 50 || { echo "the holding server did not start" >&2; exit 1; }
tui_start -- "$TOP/tests/flows/tui-check.yaml"
wait_for "Port of the test server:" || { echo "tshoot did not start" >&2; exit 1; }
type_text "$PORT"
keys Enter
wait_row -1 "Esc cancel" || { echo "the check did not start" >&2; exit 1; }
strace -tt -e trace=write -e signal=SIGWINCH -p "$(tui_pid)" -o "$T/strace" 2>/dev/null &
sp=$!
track_pid $sp
sleep 0.5
for i in $(seq "$RUNS"); do
	if [ $((i % 2)) = 1 ]; then resize 40 12; want=12; else resize 80 24; want=24; fi
	# the next resize only once this one is painted (the footer on the new last row)
	j=0; until row_text -1 | grep -qF "Esc cancel" || [ $j -ge 50 ]; do sleep 0.05; j=$((j + 1)); done
	sleep 0.2
done
kill "$sp"; wait "$sp" 2>/dev/null
awk '/SIGWINCH/ { split($1, a, ":"); s = a[2] * 60 + a[3]; w = 1; next }
     w && /^[0-9:.]+ write\(1,/ { split($1, a, ":"); printf "%.1f\n", (a[2] * 60 + a[3] - s) * 1000; w = 0 }' \
	"$T/strace" | sort -n >"$T/ms"
n=$(wc -l <"$T/ms")
[ "$n" -gt 0 ] || { echo "no resize measured" >&2; exit 1; }
printf 'resize while a check runs: %d resizes, SIGWINCH to first repaint: median %s ms, max %s ms (target: under 100 ms)\n' \
	"$n" "$(sed -n "$(((n + 1) / 2))p" "$T/ms")" "$(tail -1 "$T/ms")"
