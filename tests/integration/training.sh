#!/bin/bash
# training.sh — every flows/training/*.yaml scenario, walked with no terminal along a
# path that its simulated outcomes allow, reaches its expected end; the verdict says so
# and the results are marked simulated. Then what a trainer running a room sees: the
# brief on its own page, wrapped once; the debrief of a wrong turn (where, what was
# answered, the expected path on, each step's why, the score); the result file
# (--results, --trainee) and the one-line summary; simulated facts that look like the
# live ones; a check the scenario does not script said to be no part of it.
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
	on && /^[ ]+[A-Za-z0-9_.\/-]+:/ {
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
	/^ +"[^"]+" \[shape=/ { s=$0; sub(/^ +"/, "", s); id=s; sub(/".*/, "", id); sh=s; sub(/.*shape=/, "", sh); sub(/,.*/, "", sh); shape[id]=sh; next }
	/^ +"[^"]+" -> "[^"]+"/ { s=$0; sub(/^ +"/, "", s); from=s; sub(/".*/, "", from)
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
	assert_schema "$name: the report valid (tshoot-report)" tshoot-report "$r"
	assert_contains "$name: the report ends at $expect" "$r" "\"end_node\": \"$expect\""
	if grep -q '"checks"' "$T/$name.json" 2>/dev/null; then
		with_checks=$((with_checks + 1))
		assert_not_contains "$name: every result is simulated" "$r" '"simulated": false'
		assert_contains "$name: results are marked simulated" "$r" '"simulated": true'
	fi
done
if [ "$with_checks" -gt 0 ]; then ok "simulated check results were seen in $with_checks walks"; else not_ok "no walk ran checks"; fi

# --- a room: the brief, a wrong turn and its debrief, the result file, the summary line
P407="$TOP/flows/training/proxy-407.yaml"
cat >"$T/wrong.ans" <<'EOF2'
answers:
  "way-in": 2
  "paste-error": "The request failed with HTTP status 503: Service Unavailable"
  "fix-web-service": fixed
EOF2
out=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$P407" --answers "$T/wrong.ans" \
	--trainee "Alice Martin" --results "$T/alice.json" 2>&1 </dev/null)
rc=$?
assert_eq "a wrong end: exit 1" 1 "$rc"
assert_match "the brief has a page of its own, titled" "$out" '^== Training: The proxy wants credentials$'
assert_match "the brief: a paragraph is one line, wrapped once (not at the file's own breaks)" "$out" \
	'^Since the proxy team moved to authenticated browsing last week, the software update point of site PS1 has not synchronized\. The WSUS server'
assert_match "the brief: quoted log lines keep their indentation" "$out" '^  System\.Net\.WebException: The request failed with HTTP status 407'
assert_contains "debrief: the step where the path left the expected one" "$out" 'You left the expected path at step 3, "Paste the error".'
assert_contains "debrief: the answer given" "$out" "You answered: The request failed with HTTP status 503: Service Unavailable"
assert_contains "debrief: the expected answer" "$out" 'Expected: a text that matches "HTTP 407: the proxy wants credentials"'
assert_contains "debrief: the expected path on" "$out" '4. Fix authentication and proxy problems: answer "fixed"'
assert_contains "debrief: ... to the expected end" "$out" "5. Resolved (authentication and proxy) (the expected end)"
assert_contains "debrief: each step's why" "$out" "Why: Every item is a way the site server's connection to WSUS can fail"
assert_contains "debrief: the score" "$out" "Score: 4 steps (shortest 4), 1 wrong turn, 0 hints used."
last=$(printf '%s\n' "$out" | tail -1)
assert_eq "the one-line summary is the last line printed" \
	"Training proxy-407 (Alice Martin): ended at 'resolved-web-service', not at the expected 'resolved'; left the expected path at step 3 \"Paste the error\" (answered \"The request failed with HTTP status 503: Service Unavailable -> mat...\", expected a text that matches \"HTTP 407: the proxy wants credentials\"); 4 steps (shortest 4), 1 wrong turn, 0 hints used." "$last"

R="$T/alice.json"
if jq -e . "$R" >/dev/null 2>&1; then ok "--results wrote valid JSON"; else not_ok "--results wrote valid JSON"; cat "$R" 2>&1 | head -5 | sed 's/^/#   /'; fi
jqv() { jq -r "$1" "$R" 2>/dev/null; }
assert_schema "--results: valid (tshoot-training-result)" tshoot-training-result "$(cat "$R" 2>/dev/null)"
assert_eq "result: schema" "tshoot-training-result/1" "$(jqv .schema)"
assert_eq "result: scenario" "proxy-407" "$(jqv .scenario)"
assert_eq "result: flow" "sccm-sus-sync" "$(jqv .flow)"
assert_eq "result: trainee" "Alice Martin" "$(jqv .trainee)"
assert_match "result: started, UTC" "$(jqv .started)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
assert_match "result: ended, UTC" "$(jqv .ended)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
assert_eq "result: verdict" "missed" "$(jqv .verdict)"
assert_eq "result: expected and reached end" "resolved resolved-web-service" "$(jqv '.expected_end + " " + .reached_end')"
assert_eq "result: steps, shortest, wrong turns, hints" "4 4 1 0" "$(jqv '[.steps, .shortest, .wrong_turns, .hints] | map(tostring) | join(" ")')"
assert_eq "result: the divergence (step, node, title)" "3 paste-error Paste the error" \
	"$(jqv '.divergence | "\(.step) \(.node) \(.title)"')"
assert_match "result: the divergence's answer given" "$(jqv .divergence.answer)" '^The request failed with HTTP status 503: Service Unavailable -> matched signature http_503$'
assert_eq "result: the divergence's expected answer" 'a text that matches "HTTP 407: the proxy wants credentials"' "$(jqv .divergence.expected)"
assert_eq "result: the path walked, to where it stands" "intro way-in paste-error fix-web-service resolved-web-service" \
	"$(jqv '[.path[].node] | join(" ")')"
assert_eq "result: the expected path from the divergence, with its whys" "paste-error fix-auth-proxy resolved 3" \
	"$(jqv '([.expected_path[].node] | join(" ")) + " " + ([.expected_path[] | select(.why != null)] | length | tostring)')"
assert_eq "result: mode 0600" "600" "$(stat -c %a "$R" 2>/dev/null)"

# --- hints: '?' on a step counts; a walk typed on standard input
printf '\n?\n2\nThe request failed with HTTP status 407: Proxy Authentication Required.\n\nall\ny\n' >"$T/typed"
out=$("$TSHOOT" --plain --no-journal --scenario "$P407" --results "$T/typed.json" <"$T/typed" 2>&1)
assert_eq "a typed walk to the expected end: exit 0" 0 "$?"
assert_contains "the debrief of a good walk" "$out" "You stayed on a way to the expected end."
assert_match "the summary line counts the hint" "$(printf '%s\n' "$out" | tail -1)" \
	"^Training proxy-407: reached the expected end 'resolved'; 4 steps \(shortest 4\), 0 wrong turns, 1 hint used\.$"
assert_schema "--results of a typed walk: valid (tshoot-training-result)" tshoot-training-result "$(cat "$T/typed.json" 2>/dev/null)"
assert_eq "result: hints and verdict" "1 reached null" "$(jq -r '"\(.hints) \(.verdict) \(.divergence)"' "$T/typed.json" 2>/dev/null)"

# --- simulated checks carry the facts a live check has; an unscripted one says so
live_answers() {   # SSL: 1 no, 2 yes
	printf 'answers:\n  "way-in": 3\n  "live-where": 1\n  "live-ssl-used": %s\n  "live-sup-proxy-used": 1\n  "fix-auth-proxy": fixed\n' "$1"
}
live_answers 1 >"$T/live.ans"
out=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$P407" --answers "$T/live.ans" 2>&1 </dev/null)
assert_eq "the live walk reaches the end: exit 0" 0 "$?"
assert_contains "407: worded as the live check words it" "$out" "proxy_auth: the proxy http://proxy.contoso.test:8080 demands authentication (407)"
assert_contains "407: the proxy's own status (plain HTTP to WSUS: no CONNECT)" "$out" "        status: 407"
assert_contains "407: measured from the machine the operator named" "$out" "From the site server: ApiRemoting30 through http://proxy.contoso.test:8080"
assert_contains "407: the schemes the proxy offers" "$out" "proxy_authenticate: Negotiate"
assert_contains "407: ... each one" "$out" "proxy_authenticate: NTLM"
assert_contains "ApiRemoting30: 401 with Windows authentication (scripted)" "$out" "www_authenticate: Negotiate"
assert_not_contains "no 'simulated: OK' summaries" "$out" "simulated: OK"
live_answers 2 >"$T/live.ans"
out=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$P407" --answers "$T/live.ans" 2>&1 </dev/null)
assert_eq "the live walk through SSL reaches the end: exit 0" 0 "$?"
assert_match "a check the scenario does not script: not part of this scenario" "$out" \
	'^  N/A +From the site server: certificate of the WSUS web site +wsus01\.contoso\.test:8531 +\(simulated: not part of this scenario\)$'
out=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$TOP/flows/training/cert-expired.yaml" --answers "$T/live.ans" 2>&1 </dev/null)
assert_match "an expired certificate: days_left negative (scripted: -3)" "$out" '^ +days_left: -3$'
d3=$(date -u -d '3 days ago' +%Y-%m-%d)
assert_contains "... and not_after three days ago" "$out" "not_after: ${d3}T"
assert_contains "... worded as the tls check words it" "$out" "tls_expired: certificate for wsus01.contoso.test expired 3 days ago (not after $d3)"

# --- the check of a called flow, keyed CALL/NODE (live-mu-proxy/through): simulated with
# its facts, labelled with the machine the operator named, routed by the callee's return
printf 'answers:\n  "way-in": 3\n  "live-where": 2\n  "live-ssl-used": 1\n  "live-sup-proxy-used": 2\n  "live-mu-proxy-used": 1\n  "fix-mu-proxy": fixed\n' >"$T/mu.ans"
out=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$TOP/flows/training/mu-proxy-407.yaml" --answers "$T/mu.ans" 2>&1 </dev/null)
assert_eq "mu-proxy-407 through the internet-via-proxy sub-flow: exit 0" 0 "$?"
assert_contains "the sub-flow's check, labelled from the WSUS server" "$out" "From the WSUS server: https://sws.update.microsoft.com/ through http://proxy.contoso.test:8080"
assert_contains "... the scripted facts of CALL/NODE" "$out" "proxy_authenticate: NTLM"
assert_contains "... the callee's return routes to the upstream proxy fix" "$out" "sub-flow ended proxy_auth → fix-mu-proxy"
assert_contains "... and the expected end is reached" "$out" "reached the expected end 'resolved-mu'"

# --- a loop through a check node: the scenario scripts each visit (503, then ok)
LC="$TOP/tests/flows/loop-check-training.yaml"
printf 'answers:\n  "restart": fixed\n' >"$T/loop.ans"
out=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$LC" --answers "$T/loop.ans" --report "$T/loop.json" 2>&1 </dev/null)
assert_eq "a scripted retest loop reaches its end: exit 0" 0 "$?"
assert_match "visit 1 of the check: the scripted 503" "$out" '^  FAIL +Web service .*\(simulated\)$'
assert_match "visit 2 of the check, after the restart: ok" "$out" '^  OK +Web service .*\(simulated\)$'
assert_contains "the verdict: the expected end" "$out" "reached the expected resolution 'done'"
assert_schema "the retest loop's report: valid (tshoot-report)" tshoot-report "$(cat "$T/loop.json" 2>/dev/null)"
assert_eq "the report: check, restart, check again (503 then ok), done" "live-web:http_503 restart live-web:ok done" \
	"$(jq -r '([.steps[] | .node + (if .type == "check" then ":" + .outcome else "" end)] | join(" "))' "$T/loop.json" 2>/dev/null)"
assert_eq "... each visit with its own scripted facts" "503 200" \
	"$(jq -r '[.steps[] | select(.checks) | .checks[0].facts.status // empty] | map(tostring) | join(" ")' "$T/loop.json" 2>/dev/null)"
printf 'answers:\n  "restart": not_fixed\n' >"$T/loop2.ans"
out=$("$TSHOOT" --plain --no-journal --scenario "$LC" --answers "$T/loop2.ans" 2>&1 </dev/null)
assert_eq "not fixed after the first visit's 503: the escalation, exit 1" 1 "$?"
assert_contains "... ending at give-up" "$out" "not at the expected 'done'"

# --- bad options: one line each, exit 2
err=$("$TSHOOT" --plain --results "$T/x.json" "$TOP/flows/sccm-sus-sync.yaml" 2>&1 </dev/null)
assert_eq "--results without a scenario: exit 2" 2 "$?"
assert_contains "... says what it is for" "$err" "--results is for training walks"
err=$("$TSHOOT" --plain --scenario "$P407" --trainee "$(printf 'A\033[2Jb')" 2>&1 </dev/null)
assert_eq "--trainee with control characters: exit 2" 2 "$?"
assert_contains "... says why" "$err" "tshoot: --trainee: the trainee's name has control characters"
assert_not_contains "... and does not repeat it" "$err" "$(printf '\033')"
err=$("$TSHOOT" --plain --scenario "$P407" --results "$T/nodir/r.json" 2>&1 </dev/null)
assert_eq "--results in a directory that does not exist: exit 2" 2 "$?"
assert_contains "... named" "$err" "no such directory"
done_testing
