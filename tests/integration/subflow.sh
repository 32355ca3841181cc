#!/bin/bash
# subflow.sh — sub-flows end to end (tests/flows/sub/caller.yaml calls port-probe.yaml
# twice, once by id, once by path): line-mode walks against a listener and a closed
# port on 127.0.0.1, routing by result and by a named return, variables kept apart,
# back across the call, the report, an answers file written and replayed, a resume
# from the journal, a training scenario, tshoot graph's clusters, and lint errors for
# every rule of a call at file:line:col.
source "$TOP/tests/lib.sh"

FLOW=$TOP/tests/flows/sub/caller.yaml
SESS="$XDG_STATE_HOME/tshoot/sessions"
walk() {
	local input=$1; shift
	out=$(printf "$input" | "$TSHOOT" --plain "$@" 2>&1); rc=$?
}
joined() { tr -s ' \n' ' ' <"$1"; }

open_port=$(free_port)
"$FIXTURES/hold_fixture" "$open_port" hold 120 &
track_pid $!
wait_port "$open_port" || not_ok "fixture did not start"
closed_port=$(free_port)

out=$("$TSHOOT" lint "$FLOW" "$TOP/tests/flows/sub/port-probe.yaml" 2>&1); rc=$?
assert_eq "lint: caller and callee are clean" 0 "$rc"
assert_contains "lint: no warnings" "$out" "2 files, 0 errors, 0 warnings"

# --- both services answer: two calls return resolved ----------------------------------
walk "$open_port\n$open_port\n" --no-journal --report "$T/good.txt" "$FLOW"
assert_eq "both open: exit 0 (resolved)" 0 "$rc"
assert_contains "both open: the heading names the first call" "$out" "== Two services, one sub-flow > Reach the web service"
assert_contains "both open: the heading names the second call" "$out" "== Two services, one sub-flow > Reach the API"
assert_contains "both open: the callee's text read its own port" "$out" "[3] Probe 127.0.0.1:$open_port"
assert_contains "both open: the caller's end" "$out" "Both $open_port and $open_port answer."
assert_not_contains "both open: a callee's end is never shown" "$out" "answers (ok)."
r=$(joined "$T/good.txt")
assert_contains "report: the call" "$r" "[flow] Reach the web service Answer: runs sub-flow port-probe"
assert_contains "report: the callee's step is labelled" "$r" "[check] [port-probe] Probe 127.0.0.1:$open_port"
assert_contains "report: how the call ended" "$r" "sub-flow ended resolved → api"

# --- a named return is routed before the result; variables stay apart ----------------
walk "$closed_port\n$open_port\n1\n" --no-journal "$FLOW"
assert_eq "firewall: exit 1 (escalate)" 1 "$rc"
assert_contains "firewall: the callee's question" "$out" "Is a firewall in the way of 127.0.0.1:$closed_port?"
assert_contains "firewall: return: firewall goes to fw-web; the caller's own port is untouched" "$out" \
	"Web port $closed_port is behind a firewall; own port ''."
walk "$closed_port\n$open_port\n2\n" --no-journal "$FLOW"
assert_contains "no idea: result escalate goes to lost-web" "$out" "Web port $closed_port: cause unknown."
walk "$open_port\n$closed_port\n1\n" --no-journal "$FLOW"
assert_contains "second call: its default takes return firewall" "$out" "API port $closed_port does not answer."
assert_contains "second call: the callee asks about the API port" "$out" "Is a firewall in the way of 127.0.0.1:$closed_port?"

# --- back across the boundary ---------------------------------------------------------
# (back across a call and a return, step by step: test_engine's subflow test)
walk "$open_port\n$closed_port\nb\n2\n" --no-journal "$FLOW"
assert_contains "back: from the callee's question to its check, which runs again" \
	"$(tr -s ' \n' ' ' <<<"$out")" "> b [6] Probe 127.0.0.1:$closed_port"
assert_contains "back: walked on to the end" "$out" "API port $closed_port does not answer."

# --- answers file: written with CALL/NODE ids, replayed ------------------------------
walk "$closed_port\n$open_port\n1\n" --no-journal --report "$T/walk.answers" --format answers "$FLOW"
assert_contains "answers: the callee's node by CALL/NODE" "$(cat "$T/walk.answers")" '"web/closed": "Yes, a firewall"'
walk "" --no-journal --answers "$T/walk.answers" "$FLOW"
assert_eq "answers: replay ends as the walk did (exit 1)" 1 "$rc"
assert_contains "answers: replay reaches fw-web" "$out" "is behind a firewall"

# --- --set and --node reach into a call ------------------------------------------------
walk "" --no-journal --set "web/port=$closed_port" --node web/probe "$FLOW"
assert_contains "--set CALL/VAR and --node CALL/NODE" "$out" "[1] Probe 127.0.0.1:$closed_port"

# --- resume: call and return come back from the journal -----------------------------
rm -rf "$SESS"
mkfifo "$T/in"
"$TSHOOT" --plain "$FLOW" <"$T/in" >"$T/out1" 2>&1 &
pid=$!
track_pid "$pid"
exec 3>"$T/in"
wait_file "$T/out1" "Web port" || not_ok "the walk did not start"
printf '%s\n%s\n' "$open_port" "$closed_port" >&3
if wait_file "$T/out1" "Is a firewall in the way"; then ok "resume: the walk is inside the second call"
else not_ok "resume: the walk is inside the second call"; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 3>&-
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
assert_contains "resume: the call is journaled" "$(cat "$jn" 2>/dev/null)" '"kind":"call"'
assert_contains "resume: the return is journaled" "$(cat "$jn" 2>/dev/null)" '"kind":"return"'
out=$(printf '1\n' | "$TSHOOT" --plain --resume "$jn" 2>&1); rc=$?
assert_eq "resume: exit 1 (escalate)" 1 "$rc"
assert_contains "resume: back inside the call, at its question" "$out" "Is a firewall in the way of 127.0.0.1:$closed_port?"
assert_contains "resume: returned to the caller" "$out" "API port $closed_port does not answer."

# --- training: a scenario simulates the callee's check by CALL/NODE -----------------
cat >"$T/sc.yaml" <<YAML
scenario: api-firewalled
title: "The API port is firewalled"
flow: $FLOW
outcomes:
  web/probe: ok
  api/probe: timeout
expect: lost-api
YAML
out=$("$TSHOOT" lint "$T/sc.yaml" 2>&1); rc=$?
assert_eq "training: the scenario lints against the linked flow" 0 "$rc"
walk "\n$open_port\n$open_port\n2\n" --no-journal --scenario "$T/sc.yaml" "$FLOW"
assert_contains "training: the callee's check is simulated" "$out" "timeout"
assert_contains "training: reached the expected end" "$out" "API port $open_port does not answer."

# --- graph: a cluster per call --------------------------------------------------------
g=$("$TSHOOT" graph "$FLOW")
assert_contains "graph: a cluster for the first call" "$g" 'label="Probe a TCP port (port-probe)";'
assert_eq "graph: two clusters" 2 "$(grep -c 'subgraph "cluster_' <<<"$g")"
assert_contains "graph: the call leads to the callee's start" "$g" '"web" -> "web/probe";'
assert_contains "graph: a return leads where the call routes it" "$g" '"web/firewall" -> "fw-web";'

# --- lint: each rule of a call at file:line:col ---------------------------------------
cp "$TOP/tests/flows/sub/port-probe.yaml" "$T/port-probe.yaml"
cat >"$T/bad.yaml" <<'YAML'
id: bad-calls
title: Bad calls
start: a
vars:
  h: {optional: true}
nodes:
  a:
    type: flow
    flow: no-such-flow
    on: {default: done}
  b:
    type: flow
    flow: port-probe
    with: {prot: "${h}"}
    on: {resolved: done, nonsense: done}
  done: {type: end, result: resolved}
YAML
out=$("$TSHOOT" lint "$T/bad.yaml" 2>&1); rc=$?
assert_eq "lint: errors exit 1" 1 "$rc"
assert_contains "lint: missing callee at its line:col" "$out" "bad.yaml:9:11: error: node 'a': no flow 'no-such-flow'"
assert_contains "lint: with names no variable of the callee, with a suggestion" "$out" \
	"bad.yaml:14:12: error: node 'b': 'with' names 'prot', which flow 'port-probe' does not declare in 'vars' (did you mean 'port'?)"
assert_contains "lint: an unrouted end of the callee" "$out" \
	"bad.yaml:11:3: error: node 'b': flow 'port-probe' can end with 'firewall' (end node 'firewall'), 'escalate' (end node 'unknown'), which 'on' does not route"
assert_contains "lint: a route the callee never takes" "$out" \
	"bad.yaml:15:26: warning: node 'b': route 'nonsense' can never be taken"
cat >"$T/ping.yaml" <<'YAML'
id: ping
title: Ping
start: c
nodes:
  c: {type: flow, flow: pong, on: {default: e}}
  e: {type: end, result: resolved}
YAML
cat >"$T/pong.yaml" <<'YAML'
id: pong
title: Pong
start: c
nodes:
  c: {type: flow, flow: ping.yaml, on: {default: e}}
  e: {type: end, result: resolved}
YAML
out=$("$TSHOOT" lint "$T/ping.yaml" 2>&1)
assert_match "lint: recursion through another flow is refused" "$out" \
	"ping.yaml:5:25: error: node 'c': flow 'pong' .* has errors; the first: .*pong.yaml:5:25: error: node 'c': flow 'ping.yaml' is already running"
out=$(printf '' | "$TSHOOT" --plain --no-journal "$T/ping.yaml" 2>&1); rc=$?
assert_eq "run: a recursive flow is refused before the walk (exit 2)" 2 "$rc"
assert_contains "run: says to lint it" "$out" "has errors; fix them first"

done_testing
