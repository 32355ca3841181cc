#!/bin/bash
# bench/stats.sh — `make bench-stats`: `tshoot stats` over 10,000 journals (target:
# under 2 s, bench/README.md). The journals are copies of walks of the bundled flow made
# with answers files (six kinds: fixed and not fixed after a pasted error, a missing
# prerequisite, one abandoned), each copy with its own session id and start time over
# 30 days, so every walk counts. RUNS runs: the median and the slowest wall time, and
# the largest resident set (bench/rusage.c). Exits 1 when the median misses the target.
# Env: BUILD (default build), RUNS (default 5), N (default 10000).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
N=${N:-10000}
TSHOOT=$TOP/$BUILD/tshoot
FLOW=$TOP/flows/sccm-sus-sync.yaml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cc -std=c11 -D_GNU_SOURCE -O2 -o "$T/rusage" "$TOP/bench/rusage.c" || exit 2
export XDG_STATE_HOME=$T/make LC_ALL=C.UTF-8 TZ=UTC

walk() {
	{ echo "flow: sccm-sus-sync"; echo "answers:"; printf '  %s\n' "$@"; } >"$T/a.yaml"
	"$TSHOOT" --answers "$T/a.yaml" "$FLOW" >/dev/null 2>&1
}
P503='paste-error: "The request failed with HTTP status 503: Service Unavailable"'
P407='paste-error: "The request failed with HTTP status 407: Proxy Authentication Required"'
walk 'way-in: 2' "$P503" 'fix-web-service: fixed'
walk 'way-in: 2' "$P503" 'fix-web-service: not_fixed'
walk 'way-in: 2' "$P407" 'fix-auth-proxy: fixed'
walk 'way-in: 2' "$P407" 'fix-auth-proxy: not_fixed'
walk 'way-in: 1' 'prereq-sum: 2' 'fix-prereq-sum: fixed'
printf '\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1
templates=("$T"/make/tshoot/sessions/*.journal)
[ ${#templates[@]} -ge 6 ] || { echo "bench-stats: could not make the template journals" >&2; exit 2; }

# N copies: journal i is template i % 6 with its times moved to day i % 30 and a few
# minutes (i % 17) long
D=$T/sessions
mkdir -p "$D"
now=$(date +%s)
python3 - "$D" "$N" "$now" "${templates[@]}" <<'EOF'
import json, sys
d, n, now, tpl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
lines = [open(p).read().splitlines() for p in tpl]
for i in range(n):
    t0 = now - (i % 30) * 86400 - i
    dur = 60 * (1 + i % 17)
    src = lines[i % len(lines)]
    out = []
    for k, l in enumerate(src):
        ev = json.loads(l)
        if "time" in ev:
            ev["time"] = t0 if k == 0 else t0 + dur * k // max(1, len(src) - 1)
        out.append(json.dumps(ev, separators=(",", ":")))
    with open("%s/2026%04d-%06d-%d.journal" % (d, i % 1231, i, 1000 + i), "w") as f:
        f.write("\n".join(out) + "\n")
EOF
echo "bench-stats: $(ls "$D" | wc -l) journals, $(du -sh "$D" | cut -f1)"

# warm the page cache once, then measure
"$TSHOOT" stats "$D" >/dev/null
ms=()
rss=0
for r in $(seq "$RUNS"); do
	# "wall_us=W user_us=U sys_us=S maxrss_kb=M status=X"
	line=$("$T/rusage" "$TSHOOT" stats "$D" 2>&1 | tail -1)
	w=${line#*wall_us=}; w=${w%% *}
	m=${line#*maxrss_kb=}; m=${m%% *}
	ms+=("$((w / 1000))")
	[ "$m" -gt "$rss" ] && rss=$m
done
sorted=($(printf '%s\n' "${ms[@]}" | sort -n))
median=${sorted[$((RUNS / 2))]}
slowest=${sorted[$((RUNS - 1))]}
echo "tshoot stats of $N journals: median ${median} ms, slowest ${slowest} ms over $RUNS runs; max RSS ${rss} KB"
"$TSHOOT" stats "$D" | head -12
if [ "${median%.*}" -ge 2000 ]; then
	echo "bench-stats: MISSED the target (under 2000 ms)" >&2
	exit 1
fi
echo "bench-stats: within the target (under 2000 ms)"
