#!/bin/bash
# docs/heat-demo.sh — makes docs/heat-sccm-sus-sync.svg, the heat map in README.md, and
# prints the `tshoot stats` table shown there: walks of the bundled flow made with
# answers files (pasted errors fixed or not, a prerequisite missing) and in line mode
# (one abandoned), journals in a temporary XDG_STATE_HOME. Needs Graphviz's dot.
# Run from the top of the tree after `make`: bash docs/heat-demo.sh
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TSHOOT=$TOP/tshoot
FLOW=$TOP/flows/sccm-sus-sync.yaml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/state LC_ALL=C.UTF-8 TZ=UTC

# walk TIMES ANSWERS...: TIMES walks with an answers file of these lines
walk() {
	local n=$1; shift
	{ echo "flow: sccm-sus-sync"; echo "answers:"; printf '  %s\n' "$@"; } >"$T/a.yaml"
	for _ in $(seq "$n"); do "$TSHOOT" --answers "$T/a.yaml" "$FLOW" >/dev/null 2>&1 || true; done
}
P503='paste-error: "The request failed with HTTP status 503: Service Unavailable"'
P407='paste-error: "The request failed with HTTP status 407: Proxy Authentication Required"'
walk 9 'way-in: 2' "$P503" 'fix-web-service: fixed'
walk 3 'way-in: 2' "$P503" 'fix-web-service: not_fixed'
walk 6 'way-in: 2' "$P407" 'fix-auth-proxy: fixed'
walk 1 'way-in: 2' "$P407" 'fix-auth-proxy: not_fixed'
walk 3 'way-in: 1' 'prereq-sum: 2' 'fix-prereq-sum: fixed'
# line mode: started, then left at the first question
for _ in 1 2; do printf '\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1 || true; done

"$TSHOOT" stats
"$TSHOOT" graph sccm-sus-sync --heat --format svg >"$TOP/docs/heat-sccm-sus-sync.svg"
echo "wrote docs/heat-sccm-sus-sync.svg" >&2
