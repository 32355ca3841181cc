#!/bin/bash
# report.sh — --report in Markdown, JSON and answers form; an exported answers file
# replays the walk; a missing answer is exit 2 naming the node; a secret given through
# --answers or the plain prompt appears in no journal, report or output. Ticket-ready:
# every format says when (UTC and local), where, who, which tshoot and flow, the
# session, the --ticket and the operator's notes (t / note TEXT); a checklist lists the
# steps ticked by their text; Markdown shows what it would otherwise eat.
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
assert_contains "Markdown: the signature matched (its _ escaped)" "$md" "matched signature disk\\_full"
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
assert_schema "JSON report: valid (tshoot-report)" tshoot-report "$js"
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
assert_schema "the replay's report: valid (tshoot-report)" tshoot-report "$(cat "$T/r3.json" 2>/dev/null)"

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
assert_schema "the secret walk's report: valid (tshoot-report)" tshoot-report "$(cat "$T/r4.json" 2>/dev/null)"
# ... and through the plain prompt
out5=$(printf '\n2\n127.0.0.1\n%s\nn\nq\n' "$PW" | "$TSHOOT" --plain --set port="$port" --report "$T/r5.json" "$FLOW" 2>&1)
assert_contains "the prompted walk reached its end" "$(cat "$T/r5.json" 2>/dev/null)" '"end_node": "escalate"'
assert_schema "the prompted walk's report: valid (tshoot-report)" tshoot-report "$(cat "$T/r5.json" 2>/dev/null)"
leaks=$(grep -rlF -- "$PW" "$XDG_STATE_HOME" "$T"/r4.* "$T"/r5.* "$T/out4" 2>/dev/null)
assert_eq "the password is in no journal or report" "" "$leaks"
assert_not_contains "the password is not in the output (--answers)" "$out4" "$PW"
assert_not_contains "the password is not in the output (prompt)" "$out5" "$PW"
n=$(ls "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | wc -l)
if [ "$n" -ge 2 ]; then ok "journals were written ($n)"; else not_ok "journals were written ($n)"; fi

# ---- ticket-ready: when, where, who, what --------------------------------------------
SESS="$XDG_STATE_HOME/tshoot/sessions"
latest_journal() { ls -t "$SESS"/*.journal 2>/dev/null | head -1; }
version=$("$TSHOOT" --version | sed 's/^tshoot //')
me=$(id -un)
host=$(hostname)
# A zone with no summer time, so the offset is known; $USER says someone else.
out=$(printf 't\nproxy01 was swapped today\n\nnote second note, at the question\n3\nwrite failed: No space left on device\n\n1\ny\n' |
	TZ=Asia/Kolkata USER=mallory LOGNAME=mallory "$TSHOOT" --plain --ticket INC0012345 --report "$T/t.md" "$FLOW" 2>&1)
assert_eq "the walk with notes resolves (exit 0)" "0" "$?"
assert_contains "t: asks for the note" "$out" "Note for the report"
assert_contains "t: the note is taken" "$out" "note: Note 1 added to the report."
assert_contains "note TEXT: taken at a question" "$out" "note: Note 2 added to the report."
jn=$(latest_journal)
sid=$(basename "$jn" .journal)
md=$(cat "$T/t.md" 2>/dev/null)
assert_contains "md: the ticket" "$md" "- **Ticket:** INC0012345"
assert_match "md: started, UTC and local" "$md" '^- \*\*Started:\*\* 20[0-9-]{8} [0-9:]{8} UTC; local time 20[0-9-]{8} [0-9:]{8} IST \(UTC\+05:30\)$'
assert_match "md: ended, UTC and local" "$md" '^- \*\*Ended:\*\* 20[0-9-]{8} [0-9:]{8} UTC; local time 20[0-9-]{8} [0-9:]{8} IST \(UTC\+05:30\)$'
assert_contains "md: the host" "$md" "- **Host:** $host"
assert_contains "md: the user from the password database, not \$USER" "$md" "- **User:** $me"
assert_not_contains "md: not \$USER" "$md" "mallory"
assert_contains "md: the session id is the journal's name" "$md" "- **Session:** $sid"
assert_contains "md: the tshoot version" "$md" "- **tshoot:** $version"
assert_contains "md: the flow and its version" "$md" '- **Flow:** `session-small` version 1.2'
assert_contains "md: the notes section" "$md" "## Operator notes"
assert_match "md: note 1 with its time and step" "$md" '^1\. 20[0-9-]{8} [0-9:]{8} UTC, step 1 \(Welcome\): proxy01 was swapped today$'
assert_match "md: note 2 with its step" "$md" '^2\. .* UTC, step 2 \(What is wrong\?\): second note, at the question$'
txt=$(TZ=UTC "$TSHOOT" report "$jn" --format text 2>&1)
assert_contains "txt: the ticket" "$txt" "Ticket:   INC0012345"
assert_match "txt: started in UTC" "$txt" '^Started:  20[0-9-]{8} [0-9:]{8} UTC$'
assert_match "txt: and in the walk's local time, wherever the report is made" "$txt" '^          20[0-9-]{8} [0-9:]{8} IST \(UTC\+05:30\), local time$'
assert_match "txt: ended" "$txt" '^Ended:    20[0-9-]{8} [0-9:]{8} UTC$'
assert_contains "txt: host" "$txt" "Host:     $host"
assert_contains "txt: user" "$txt" "User:     $me"
assert_contains "txt: session" "$txt" "Session:  $sid"
assert_contains "txt: tshoot version" "$txt" "tshoot:   $version"
assert_contains "txt: notes" "$txt" "Operator notes:"
assert_contains "txt: the note's text" "$txt" "proxy01 was swapped today"
"$TSHOOT" report "$jn" --format json -o "$T/t.json" 2>/dev/null
q() { jq -r "$1" "$T/t.json" 2>/dev/null; }
assert_schema "report JOURNAL --format json: valid (tshoot-report)" tshoot-report "$(cat "$T/t.json" 2>/dev/null)"
assert_eq "json: still tshoot-report/1" "tshoot-report/1" "$(q .schema)"
assert_eq "json: ticket" "INC0012345" "$(q .ticket)"
assert_eq "json: host" "$host" "$(q .host)"
assert_eq "json: user" "$me" "$(q .user)"
assert_eq "json: session_id" "$sid" "$(q .session_id)"
assert_eq "json: tshoot_version" "$version" "$(q .tshoot_version)"
assert_eq "json: flow version" "1.2" "$(q .flow.version)"
assert_match "json: started (UTC)" "$(q .started)" '^20[0-9-]{8}T[0-9:]{8}Z$'
assert_match "json: started_local (with its offset)" "$(q .started_local)" '^20[0-9-]{8}T[0-9:]{8}\+05:30$'
assert_match "json: ended (UTC)" "$(q .ended)" '^20[0-9-]{8}T[0-9:]{8}Z$'
assert_match "json: ended_local" "$(q .ended_local)" '^20[0-9-]{8}T[0-9:]{8}\+05:30$'
assert_eq "json: timezone" "IST" "$(q .timezone)"
assert_eq "json: two notes" "2" "$(q '.notes | length')"
assert_eq "json: note 1's text" "proxy01 was swapped today" "$(q '.notes[0].text')"
assert_eq "json: note 1's step and node" "1 intro" "$(q '"\(.notes[0].step) \(.notes[0].node)"')"
assert_match "json: note 2's times" "$(q '"\(.notes[1].time) \(.notes[1].time_local)"')" '^20[0-9-]{8}T[0-9:]{8}Z 20[0-9-]{8}T[0-9:]{8}\+05:30$'

# --ticket: checked before anything happens
err=$("$TSHOOT" --plain --ticket '' "$FLOW" 2>&1 </dev/null)
assert_eq "--ticket '': exit 2" "2" "$?"
assert_contains "--ticket '': says why" "$err" "tshoot: --ticket: a ticket id cannot be empty"
err=$("$TSHOOT" --plain --ticket "$(printf 'A\033[2JB')" "$FLOW" 2>&1 </dev/null)
assert_eq "--ticket with an escape sequence: exit 2" "2" "$?"
assert_contains "--ticket with an escape sequence: says why" "$err" "control characters"
err=$("$TSHOOT" --plain --ticket "$(printf 'x%.0s' $(seq 65))" "$FLOW" 2>&1 </dev/null)
assert_eq "--ticket too long: exit 2" "2" "$?"

# A secret written into a note is masked, in the journal and the report.
closed=$(free_port)
out=$(printf '\n2\n127.0.0.1\n%s\nnote the password %s did not work\nn\n' "$PW" "$PW" |
	"$TSHOOT" --plain --set port="$closed" --report "$T/pw.md" "$FLOW" 2>&1)
jn=$(latest_journal)
assert_contains "a note at the checklist's prompt is taken" "$out" "note: Note 1 added to the report."
assert_contains "the note is in the report, the secret masked" "$(cat "$T/pw.md" 2>/dev/null)" 'the password \*\*\*\*\*\*\*\* did not work'
assert_eq "the secret is not in the journal" "" "$(grep -lF -- "$PW" "$jn" "$T/pw.md")"

# The checklist: which steps were ticked, by their text (as the journal says).
cat >"$T/ticked.journal" <<EOT
{"ev":"start","v":1,"flow_path":"$FLOW","flow_id":"session-small","start":"intro","time":1700000000,"utc_offset":3600,"tz":"CET","host":"wsus01","user":"alice","tshoot_version":"0.1.0"}
{"ev":"ticket","ticket":"CASE-4711","time":1700000001}
{"ev":"step","node":"intro","kind":"next","next":"pick"}
{"ev":"step","node":"pick","kind":"choose","answer":0,"label":"The service does not answer","next":"target"}
{"ev":"step","node":"target","kind":"input","values":{"host":"h1.example.com","port":"8530"},"next":"probe"}
{"ev":"step","node":"probe","kind":"checks","results":[{"kind":"tcp","target":"h1.example.com:8530","outcome":"refused"},{"kind":"http","target":"http://h1.example.com:8530/health","outcome":"refused"}],"outcome":"refused","next":"start-service"}
{"ev":"note","text":"tried the *old* <proxy01> first","node":"start-service","step":5,"time":1700000100,"utc_offset":3600,"tz":"CET"}
{"ev":"step","node":"start-service","kind":"steps","fixed":false,"ticked":[true,false],"next":"escalate"}
{"ev":"end","node":"escalate","result":"escalate","time":1700000600,"utc_offset":3600,"tz":"CET"}
EOT
md=$("$TSHOOT" report "$T/ticked.journal" --format md 2>&1)
assert_contains "md checklist: the ticked step by its text" "$md" "- [x] 1. Free disk space on h1.example.com."
assert_contains "md checklist: the step not ticked" "$md" "- [ ] 2. Restart the service."
assert_not_contains "md checklist: not a count" "$md" "of 2"
assert_contains "md from a journal: the ticket" "$md" "- **Ticket:** CASE-4711"
assert_contains "md from a journal: started, UTC and the walk's local time" "$md" "- **Started:** 2023-11-14 22:13:20 UTC; local time 2023-11-14 23:13:20 CET (UTC+01:00)"
assert_contains "md from a journal: ended" "$md" "- **Ended:** 2023-11-14 22:23:20 UTC; local time 2023-11-14 23:23:20 CET (UTC+01:00)"
assert_contains "md from a journal: the note, escaped" "$md" 'step 5 (Restart the service): tried the \*old\* \<proxy01> first'
txt=$("$TSHOOT" report "$T/ticked.journal" --format text 2>&1)
assert_contains "txt checklist: ticked and not, by text" "$txt" "      [x] 1. Free disk space on h1.example.com.
      [ ] 2. Restart the service."
js=$("$TSHOOT" report "$T/ticked.journal" --format json)
assert_schema "json checklist: valid (tshoot-report)" tshoot-report "$js"
assert_eq "json checklist: texts and ticks" "true Free disk space on h1.example.com.|false Restart the service." \
	"$(jq -r '[.steps[4].checklist[] | "\(.ticked) \(.text)"] | join("|")' <<<"$js")"

# Markdown shows what it would eat: angle brackets, stars, underscores, backticks.
printf '<proxy01>_x\nn\n' | "$TSHOOT" --plain --report "$T/esc.md" "$TOP/tests/flows/report-md.yaml" >/dev/null 2>&1
md=$(cat "$T/esc.md" 2>/dev/null)
assert_contains "md: a flow's <placeholder> escaped" "$md" 'Send the logs from \<ConfigMgr install folder>\\Logs, the \*whole\* folder.'
assert_contains "md: W3SVC<n> escaped" "$md" 'C:\\inetpub\\logs\\LogFiles\\W3SVC\<n>'
assert_contains "md: a pasted <proxy01> escaped" "$md" 'proxy = \<proxy01>\_x'
assert_contains "md: backticks escaped" "$md" 'Stop the \`W3SVC\` service'
assert_contains "md: underscores escaped" "$md" 'Clean up\_the\_logs'
assert_contains "md: an indented line is a code block its content cannot close" "$md" '````
    net stop W3SVC && echo ```done```
````'
if command -v cmark >/dev/null 2>&1; then
	html=$(cmark "$T/esc.md")
	# The text a reader sees: tags dropped, entities decoded.
	seen=$(printf '%s\n' "$html" | sed -e 's/<[^>]*>//g' -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g')
	assert_contains "rendered: <ConfigMgr install folder> is shown" "$seen" 'Send the logs from <ConfigMgr install folder>\Logs, the *whole* folder.'
	assert_contains "rendered: W3SVC<n> is shown" "$seen" 'IIS logs (C:\inetpub\logs\LogFiles\W3SVC<n>)'
	assert_contains "rendered: the pasted <proxy01> is shown" "$seen" 'Escalate: W3SVC<n> logs on <proxy01>_x'
	assert_contains "rendered: backticks are shown" "$seen" 'Stop the `W3SVC` service'
	assert_contains "rendered: the star is shown" "$seen" 'W3SVC<n>\*.log on <proxy01>_x'
	assert_contains "rendered: the code block is whole" "$seen" 'net stop W3SVC && echo ```done```'
	assert_not_contains "rendered: no emphasis made from the text" "$html" "<em>"
	assert_not_contains "rendered: no HTML tag made from the text" "$html" "<proxy01>"
else
	skip "cmark is not installed (scripts/deps.sh test): the Markdown report is not rendered"
fi
done_testing
