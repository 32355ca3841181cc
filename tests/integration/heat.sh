#!/bin/bash
# heat.sh — `tshoot graph FLOW --heat` (tshoot(1)): walks of tests/flows/plain-all.yaml
# made with answers files colour the dot output; counts and pen widths on nodes and
# edges, never-visited nodes marked; --format svg runs dot; without dot (PATH with no
# dot in it) a clear message, exit 3.
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/plain-all.yaml"

run() {
	out=$("$TSHOOT" "$@" </dev/null 2>"$T/err"); rc=$?
	err=$(cat "$T/err")
}

cat >"$T/fixed.yaml" <<'EOF'
flow: plain-all
answers:
  pick: "Read an error"
  paste: "write failed: No space left on device"
  free-disk: fixed
EOF
cat >"$T/giveup.yaml" <<'EOF'
flow: plain-all
answers:
  pick: "Give up"
EOF
for i in 1 2 3; do "$TSHOOT" --answers "$T/fixed.yaml" "$FLOW" >/dev/null 2>&1; done
"$TSHOOT" --answers "$T/giveup.yaml" "$FLOW" >/dev/null 2>&1

run graph "$FLOW" --heat
assert_eq "graph --heat: exit 0" 0 "$rc"
assert_contains "the graph says how many walks" "$out" "heat map of 4 walks"
assert_match "a node reached by every walk: its count and the widest pen" "$out" '"welcome" \[.*label="[^"]*\\n4 walks".*penwidth=4\.00'
assert_match "a node reached by 3 of 4: its count" "$out" '"paste" \[.*\\n3 walks"'
assert_match "a never-visited node is marked in its label and dashed" "$out" '"port-open" \[.*\\nnever visited", style="filled,dashed"'
assert_match "an edge's count is in its label, with a pen width" "$out" '"pick" -> "paste" \[label="Read an error \(3\)", color="#[0-9a-f]{6}", penwidth=[0-9.]+'
assert_match "the edge taken once" "$out" '"pick" -> "gave-up" \[label="Give up \(1\)"'
assert_match "an edge never taken is dashed with (0)" "$out" '"pick" -> "target" \[label="Check a port \(0\)", style=dashed'
if command -v dot >/dev/null 2>&1; then
	printf '%s' "$out" | dot -Tsvg >/dev/null 2>"$T/doterr" && ok "dot reads the heat map" || { not_ok "dot reads the heat map"; sed 's/^/#   | /' "$T/doterr"; }
	run graph "$FLOW" --heat --format svg
	assert_eq "--format svg: exit 0" 0 "$rc"
	assert_contains "--format svg writes an SVG" "$out" "<svg"
	assert_contains "the SVG carries the counts" "$out" "4 walks"
	"$TSHOOT" graph "$FLOW" --heat --format png >"$T/h.png" 2>/dev/null
	assert_eq "--format png writes a PNG" "PNG" "$(head -c 4 "$T/h.png" | tail -c 3)"
else
	skip "graphviz is not installed (scripts/deps.sh test installs it)"
fi

# no dot: a PATH without it
mkdir -p "$T/bin"
out=$(PATH="$T/bin" "$TSHOOT" graph "$FLOW" --heat --format svg 2>&1 </dev/null); rc=$?
assert_eq "no dot: exit 3" 3 "$rc"
assert_contains "no dot: says Graphviz's dot is missing and what to do" "$out" "needs Graphviz's dot, which is not installed here"
assert_contains "no dot: the way out" "$out" "leave out --format"

# with no walks there, every node is never visited
run graph "$FLOW" --heat "$T/bin"
assert_eq "no walks: exit 0" 0 "$rc"
assert_contains "no walks: says so" "$err" "no walks of flow 'plain-all'"
assert_not_contains "no walks: no node has a count" "$out" " walks\""

# usage
run graph "$FLOW" --format gif
assert_eq "--format gif: exit 2" 2 "$rc"
run graph "$FLOW" "$T"
assert_eq "a PATH without --heat: exit 2" 2 "$rc"
run graph "$FLOW"
assert_not_contains "without --heat, no counts" "$out" "never visited"

exit $_failed
