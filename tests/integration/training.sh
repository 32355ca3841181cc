#!/bin/bash
# training.sh — every flows/training/*.yaml scenario, walked with no terminal along a
# path that its simulated outcomes allow, reaches its expected end; the verdict says so
# and the results are marked simulated.
#
# The path is found from `tshoot graph` (nodes by shape, edges by label) and the
# scenario's outcomes: check nodes follow the route of their simulated outcome, other
# nodes any edge (breadth first). Classify nodes get a text that matches the signature
# (a plain `match:` text, or a literal alternative of a `regex:`).
source "$TOP/tests/lib.sh"

# scenario_field FILE KEY: a top-level scalar
scenario_field() { sed -nE "s/^$2:[[:space:]]*\"?([^\"#]*[^\"#[:space:]])\"?[[:space:]]*(#.*)?$/\1/p" "$1" | head -1; }

# outcomes FILE: "node outcome" lines, the node's routing outcome (first that is not ok)
outcomes() {
	awk '/^outcomes:/ {on=1; next} /^[^ #]/ {on=0}
	on && /^[ ]+[A-Za-z0-9_.-]+:/ {
		line=$0; sub(/#.*/, "", line); split(line, kv, ":"); node=kv[1]; gsub(/[ ]/, "", node)
		v=substr(line, index(line, ":") + 1); gsub(/[][ "'"'"']/, "", v)
		n=split(v, o, ","); out="ok"; for (i = 1; i <= n; i++) if (o[i] != "ok" && o[i] != "") { out=o[i]; break }
		print node, out }' "$1"
}

# signatures FLOWFILE: "id<TAB>text to paste" for signatures with a literal form
signatures() {
	awk '/^signatures:/ {on=1; next} /^[^ #]/ {on=0}
	function lit(re,   n, alt, i, a) {
		n = split(re, alt, "|")
		for (i = n; i >= 1; i--) { a = alt[i]; gsub(/\\\(/, "(", a); gsub(/\\\)/, ")", a); gsub(/\\\./, ".", a)
			if (a !~ /[][\\^$*+?{}|]/ && length(a) > 2) return a }
		return "" }
	function unq(s) { sub(/^[ ]*["'"'"']/, "", s); sub(/["'"'"'][ ]*$/, "", s); return s }
	on && /^  [A-Za-z0-9_.-]+:/ { id=$1; sub(/:$/, "", id); rest=$0; sub(/^[^:]*:[ ]*/, "", rest)
		if (rest ~ /^["'"'"']/) print id "\t" unq(rest)
		else if (rest ~ /match:/) { m=rest; sub(/.*match:[ ]*/, "", m); sub(/[,}].*/, "", m); print id "\t" unq(m) }
		else if (rest ~ /regex:/) { m=rest; sub(/.*regex:[ ]*/, "", m); sub(/[,}][^,}]*$/, "", m); l=lit(unq(m)); if (l != "") print id "\t" l }
		next }
	on && /^    match:/ { m=$0; sub(/^[ ]*match:[ ]*/, "", m); print id "\t" unq(m) }
	on && /^    regex:/ { m=$0; sub(/^[ ]*regex:[ ]*/, "", m); l=lit(unq(m)); if (l != "") print id "\t" l }' "$1"
}

# answers GRAPH OUTCOMES SIGS EXPECT: an answers file for a path to EXPECT, or nothing
answers_for() {
	awk -v expect="$4" -F'\t' '
	FILENAME == ARGV[2] { split($0, a, " "); out[a[1]] = a[2]; next }
	FILENAME == ARGV[3] { sig[$1] = $2; next }
	/"start:" -> / { s=$0; sub(/.*-> "/, "", s); sub(/".*/, "", s); start=s; next }
	/^  "[^"]+" \[shape=/ { s=$0; sub(/^  "/, "", s); id=s; sub(/".*/, "", id); sh=s; sub(/.*shape=/, "", sh); sub(/,.*/, "", sh); shape[id]=sh; next }
	/^  "[^"]+" -> "[^"]+"/ { s=$0; sub(/^  "/, "", s); from=s; sub(/".*/, "", from)
		to=s; sub(/^[^"]*" -> "/, "", to); sub(/".*/, "", to)
		lab=""; if (s ~ /\[label="/) { lab=s; sub(/.*\[label="/, "", lab); sub(/"\];$/, "", lab); gsub(/\\n/, " ", lab) }
		ne[from]++; eto[from, ne[from]]=to; elab[from, ne[from]]=lab; next }
	function route(n, o,   i, best, rank, r, l, cls) {
		best=""; rank=9
		for (i = 1; i <= ne[n]; i++) { l=elab[n, i]; r=9
			if (l == o) r=1
			else if ((l == "http_4xx" && o ~ /^http_4/) || (l == "http_5xx" && o ~ /^http_5/) || (l == "tls_*" && o ~ /^tls_/) || (l == "proxy_*" && o ~ /^proxy_/)) r=2
			else if (l == "problem" && o != "ok") r=3
			else if (l == "default") r=4
			if (r < rank) { rank=r; best=i } }
		return best }
	END {
		q[1]=start; seen[start]=1; qn=1; qi=1
		while (qi <= qn) { n=q[qi++]; if (n == expect) break
			if (shape[n] == "box3d") { o = (n in out) ? out[n] : "ok"; i=route(n, o); lo=i; hi=i; if (i == "") continue }
			else { lo=1; hi=ne[n] }
			for (i = lo; i <= hi; i++) { t=eto[n, i]
				if (shape[n] == "trapezium" && elab[n, i] != "default" && !(elab[n, i] in sig)) continue
				if (!(t in seen)) { seen[t]=1; prev[t]=n; via[t]=i; q[++qn]=t } } }
		if (!(expect in seen)) exit 1
		print "answers:"
		for (t = expect; t != start; t = p) { p=prev[t]; i=via[t]; l=elab[p, i]; gsub(/"/, "\\\"", l)
			if (shape[p] == "diamond") line[p]="  \"" p "\": " i     # labels may be cut short in the graph
			else if (shape[p] == "note") line[p]="  \"" p "\": \"" l "\""
			else if (shape[p] == "trapezium") { x = (l == "default") ? "zz nothing we know zz" : sig[l]; gsub(/\\/, "\\\\", x); gsub(/"/, "\\\"", x); line[p]="  \"" p "\": \"" x "\"" }
			if (p in line) print line[p] }
	}' "$1" "$2" "$3"
}

shopt -s nullglob
with_checks=0
files=("$TOP"/flows/training/*.yaml)
if [ ${#files[@]} -gt 0 ]; then ok "there are training scenarios (${#files[@]})"; else not_ok "there are training scenarios"; fi
for s in "${files[@]}"; do
	name=$(basename "$s" .yaml)
	flow=$(scenario_field "$s" flow)
	expect=$(scenario_field "$s" expect)
	if [ -z "$expect" ]; then not_ok "$name: has an expect"; continue; fi
	ff="$TOP/flows/$flow"; [ -f "$ff" ] || ff="$TOP/flows/$flow.yaml"
	"$TSHOOT" graph "$ff" >"$T/$name.dot" 2>/dev/null
	outcomes "$s" >"$T/$name.out"
	signatures "$ff" >"$T/$name.sig"
	if ! answers_for "$T/$name.dot" "$T/$name.out" "$T/$name.sig" "$expect" >"$T/$name.ans"; then
		not_ok "$name: a path to $expect exists under the scenario's outcomes"; continue
	fi
	out=$("$TSHOOT" --plain --scenario "$s" --answers "$T/$name.ans" --report "$T/$name.json" 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then ok "$name: walked to an end (exit $rc)"; else
		not_ok "$name: walked to an end (exit $rc)"; printf '%s\n' "$out" | tail -5 | sed 's/^/#   | /'; sed 's/^/#   a| /' "$T/$name.ans"; continue; fi
	assert_contains "$name: the verdict says the expected end was reached" "$out" "reached the expected resolution '$expect'"
	r=$(cat "$T/$name.json" 2>/dev/null)
	assert_contains "$name: the report ends at $expect" "$r" "\"end_node\": \"$expect\""
	if grep -q '"checks"' "$T/$name.json" 2>/dev/null; then
		with_checks=$((with_checks + 1))
		assert_not_contains "$name: every result is simulated" "$r" '"simulated": false'
		assert_contains "$name: results are marked simulated" "$r" '"simulated": true'
	fi
done
if [ "$with_checks" -gt 0 ]; then ok "simulated check results were seen in $with_checks walks"; else not_ok "no walk ran checks"; fi
done_testing
