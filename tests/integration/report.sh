#!/bin/bash
# report.sh — --report in Markdown, JSON and answers form; an exported answers file
# replays the walk; a missing answer is exit 2 naming the node; a secret given through
# --answers or the plain prompt appears in no journal, report or output.
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/session-small.yaml"
PW='S3cret-Test-Pw-4242'
port=$(free_port)

cat >"$T/a1.yaml" <<EOT
flow: session-small
answers:
  pick: "There is an error in the log"
  paste: "write failed: No space left on device"
  start-service: fixed
EOT
out=$("$TSHOOT" --plain --answers "$T/a1.yaml" --report "$T/r1.md" "$FLOW" 2>&1)
assert_eq "a resolved walk from an answers file exits 0" "0" "$?"
md=$(cat "$T/r1.md" 2>/dev/null)
assert_contains "Markdown: heading with the title and result" "$md" "# Session test flow: resolved"
assert_contains "Markdown: the path table" "$md" "| 3 | classify | Paste the error"
assert_contains "Markdown: the signature matched" "$md" "matched signature disk_full"
assert_contains "Markdown: the resolution" "$md" "## Resolution: resolved"
assert_eq "the report file is private" "600" "$(stat -c %a "$T/r1.md" 2>/dev/null)"

# A check walk to JSON, then exported as answers and replayed.
cat >"$T/a2.yaml" <<EOT
answers:
  pick: 1
  target: {host: 127.0.0.1, port: "$port"}
  start-service: not fixed
EOT
"$TSHOOT" --plain --answers "$T/a2.yaml" --report "$T/r2.json" "$FLOW" >/dev/null 2>&1
assert_eq "an escalated walk exits 1" "1" "$?"
js=$(cat "$T/r2.json" 2>/dev/null)
assert_contains "JSON: schema" "$js" '"schema": "tshoot-report/1"'
assert_contains "JSON: result" "$js" '"result": "escalate"'
assert_contains "JSON: the check's outcome" "$js" '"outcome": "refused"'
assert_contains "JSON: the check's target" "$js" "\"target\": \"127.0.0.1:$port\""
assert_contains "JSON: not simulated" "$js" '"simulated": false'
"$TSHOOT" --plain --answers "$T/a2.yaml" --report "$T/r2.md" "$FLOW" >/dev/null 2>&1
md=$(cat "$T/r2.md" 2>/dev/null)
assert_contains "Markdown: the rerunnable command in a code block" "$md" '```sh'
assert_match "Markdown: the command names the target" "$md" "(nc|curl).*$port"
"$TSHOOT" --plain --answers "$T/a2.yaml" --report "$T/export.yaml" --format answers "$FLOW" >/dev/null 2>&1
exp=$(cat "$T/export.yaml" 2>/dev/null)
assert_contains "answers export names the flow" "$exp" 'flow: "session-small"'
"$TSHOOT" --plain --answers "$T/export.yaml" --report "$T/r3.json" "$FLOW" >/dev/null 2>&1
assert_eq "the exported answers replay to the same end (exit 1)" "1" "$?"
assert_contains "the replay reached the same end node" "$(cat "$T/r3.json" 2>/dev/null)" '"end_node": "escalate"'

# A missing answer: exit 2, naming the node.
printf 'answers:\n  pick: 1\n  target: {host: 127.0.0.1, port: "%s"}\n' "$port" >"$T/a3.yaml"
err=$("$TSHOOT" --plain --answers "$T/a3.yaml" "$FLOW" 2>&1 </dev/null)
assert_eq "a missing answer exits 2" "2" "$?"
assert_contains "the message names the node" "$err" "start-service"

# Secrets: through --answers ...
cat >"$T/a4.yaml" <<EOT
answers:
  pick: "The service rejects my login"
  auth: {host: 127.0.0.1, password: "$PW"}
  start-service: not fixed
EOT
out4=$("$TSHOOT" --plain --set port="$port" --answers "$T/a4.yaml" --report "$T/r4.json" "$FLOW" 2>&1)
"$TSHOOT" --plain --set port="$port" --answers "$T/a4.yaml" --report "$T/r4.md" "$FLOW" >>"$T/out4" 2>&1
"$TSHOOT" --plain --set port="$port" --answers "$T/a4.yaml" --report "$T/r4.txt" --format text "$FLOW" >>"$T/out4" 2>&1
"$TSHOOT" --plain --set port="$port" --answers "$T/a4.yaml" --report "$T/r4.ans" --format answers "$FLOW" >>"$T/out4" 2>&1
assert_contains "the secret walk reached its end" "$(cat "$T/r4.json" 2>/dev/null)" '"end_node": "escalate"'
# ... and through the plain prompt
out5=$(printf '\n2\n127.0.0.1\n%s\nn\nq\n' "$PW" | "$TSHOOT" --plain --set port="$port" --report "$T/r5.json" "$FLOW" 2>&1)
assert_contains "the prompted walk reached its end" "$(cat "$T/r5.json" 2>/dev/null)" '"end_node": "escalate"'
leaks=$(grep -rlF -- "$PW" "$XDG_STATE_HOME" "$T"/r4.* "$T"/r5.* "$T/out4" 2>/dev/null)
assert_eq "the password is in no journal or report" "" "$leaks"
assert_not_contains "the password is not in the output (--answers)" "$out4" "$PW"
assert_not_contains "the password is not in the output (prompt)" "$out5" "$PW"
n=$(ls "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | wc -l)
if [ "$n" -ge 2 ]; then ok "journals were written ($n)"; else not_ok "journals were written ($n)"; fi
done_testing
