#!/bin/bash
# branch.sh — flow format 2 logic end to end (tests/flows/branch.yaml): a live tcp check
# on 127.0.0.1 captured as "svc", a branch node deciding on ${svc.outcome} and
# ${svc.connect_ms}, set: on a node and an answer, the report saying which rule held,
# a resume that replays the branch from the journal's stored results, and lint errors
# in conditions and references at file:line:col.
source "$TOP/tests/lib.sh"

FLOW=$TOP/tests/flows/branch.yaml
SESS="$XDG_STATE_HOME/tshoot/sessions"
walk() {
	local input=$1; shift
	out=$(printf "$input" | "$TSHOOT" --plain "$@" 2>&1); rc=$?
}

open_port=$(free_port)
"$FIXTURES/hold_fixture" "$open_port" hold 60 &
track_pid $!
wait_port "$open_port" || not_ok "fixture did not start"
closed_port=$(free_port)

# --- an open port: the first rule holds, set: on the check node and the answer ---------
walk "$open_port\n1\n" --no-journal --report "$T/open.txt" "$FLOW"
assert_eq "open port: exit 0 (resolved)" 0 "$rc"
assert_contains "open port: the branch took rule 1 (no screen for it)" "$out" \
	"Port $open_port is open (ok, checked 127.0.0.1:$open_port). Who owns it?"
assert_contains "open port: answer's set: read at the end" "$out" "Owner: us. Outcome ok."
# (the text report wraps long answers: read it joined)
joined() { tr -s ' \n' ' ' <"$1"; }
assert_contains "open port: report names the rule that held" "$(joined "$T/open.txt")" \
	"branch: \${svc.outcome} == 'ok' && \${svc.connect_ms} >= 0 → open"

# --- a closed port: the second rule (=~) holds ------------------------------------------
walk "$closed_port\n\n" --no-journal --report "$T/closed.md" "$FLOW"
assert_eq "closed port: exit 0" 0 "$rc"
assert_contains "closed port: info screen from rule 2" "$out" "Port $closed_port is refused."
assert_contains "closed port: markdown report names rule 2" "$(cat "$T/closed.md")" "→ closed"

# --- undecidable: a fact the check does not give takes the default, with a note ---------
sed "s/svc.connect_ms} >= 0/svc.no_such_fact} >= 0/" "$FLOW" >"$T/undecided.yaml"
walk "$open_port\n" --no-journal "$T/undecided.yaml"
assert_eq "undecidable: escalated at the default (exit 1)" 1 "$rc"
assert_contains "undecidable: the next screen says why" "$(tr -s ' \n' ' ' <<<"$out")" \
	"note: decide: rule 1 could not be decided (\${svc.no_such_fact} is not set): took the default, odd"
walk "$open_port\n" --no-journal --report "$T/und.txt" "$T/undecided.yaml"
assert_contains "undecidable with --report: the end screen still says why" "$(tr -s ' \n' ' ' <<<"$out")" \
	"rule 1 could not be decided"
assert_contains "undecidable with --report: and that the report was written" "$out" "Report written to $T/und.txt"
assert_contains "undecidable: the report says why" "$(joined "$T/und.txt")" \
	"branch: default → odd (decide: rule 1 could not be decided"

# --- resume: the branch and the capture come back from the journal -----------------------
rm -rf "$SESS"
mkfifo "$T/in"
"$TSHOOT" --plain "$FLOW" <"$T/in" >"$T/out1" 2>&1 &
pid=$!
track_pid "$pid"
exec 3>"$T/in"
wait_file "$T/out1" "Port" || not_ok "the walk did not start"
printf '%s\n' "$open_port" >&3
if wait_file "$T/out1" "Who owns it?"; then ok "resume: the walk passed the branch"
else not_ok "resume: the walk passed the branch"; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 3>&-
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
assert_contains "resume: the branch step is journaled" "$(cat "$jn" 2>/dev/null)" '"kind":"branch"'
out=$(printf '2\n' | "$TSHOOT" --plain --resume "$jn" --report "$T/res.txt" 2>&1); rc=$?
assert_eq "resume: exit 0" 0 "$rc"
assert_contains "resume: the captured fact is back" "$out" "Port $open_port is open (ok"
assert_contains "resume: answered after the branch" "$out" "Owner: them. Outcome ok."
assert_contains "resume: report keeps the branch step" "$(joined "$T/res.txt")" "\${svc.connect_ms} >= 0 → open"

# --- tshoot report of a walk never interrupted: its results are not "from before" -------
rm -rf "$SESS"
walk "$open_port\n1\n" "$FLOW"
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
r=$("$TSHOOT" report "$jn" --format text 2>&1)
assert_contains "report of the journal: the check is there" "$r" "tcp 127.0.0.1:$open_port"
assert_not_contains "report of a walk never interrupted: no 'from before the interruption'" "$r" \
	"before the interruption"
r=$("$TSHOOT" report "$jn" --format json 2>&1)
assert_contains "... and its JSON says stale: false" "$r" '"stale": false'

# --- lint: errors at file:line:col --------------------------------------------------------
cat >"$T/bad.yaml" <<'YAML'
id: bad-branch
title: Bad branch
start: b
vars:
  x: {}
nodes:
  b:
    type: branch
    when:
      - if: "${x} == 'a' &&"
        next: e
      - if: ${nope} == 'a'
        next: e
      - if: "${cap.fact} == 'a'"
        next: e
    set: {y: "1"}
  e: {type: end, result: resolved}
YAML
out=$("$TSHOOT" lint "$T/bad.yaml" 2>&1); rc=$?
assert_eq "lint: syntax error fails the load (exit 1)" 1 "$rc"
assert_match "lint: condition syntax error at file:line:col" "$out" "bad.yaml:10:2[0-9]: error: condition of rule 1 of node 'b'"
sed -i 's/ &&"/"/' "$T/bad.yaml"
out=$("$TSHOOT" lint "$T/bad.yaml" 2>&1); rc=$?
assert_eq "lint: exit 1" 1 "$rc"
assert_contains "lint: no default" "$out" "bad.yaml:7:3: error: node 'b': branch node has no 'default'"
assert_contains "lint: unknown variable at its column" "$out" "bad.yaml:12:13: error: node 'b': \${nope} in the condition of rule 2 names no variable"
assert_contains "lint: unknown capture at its column" "$out" "bad.yaml:14:14: error: node 'b': \${cap.fact} in the condition of rule 3 names no capture"
assert_contains "lint: set: of an undeclared variable" "$out" "bad.yaml:16:11: error: node 'b': set: 'y' is not declared in 'vars'"
out=$("$TSHOOT" lint "$FLOW" 2>&1); rc=$?
assert_eq "lint: the test flow is clean" 0 "$rc"

done_testing
