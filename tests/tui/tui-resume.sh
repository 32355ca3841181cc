#!/bin/bash
# A dropped session in the full-screen mode (kill -9 in the middle of a walk) is back
# at the same step with `tshoot --resume`, earlier answers kept; and a training
# scenario walked on screen marks its results as simulated and ends with a verdict.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
ERR='System.Net.WebException: The request failed with HTTP status 407'

# --- kill -9 in the middle, then --resume
tui_start -- "$FLOW"
check_screen "the walk starts" "Software update synchronization"
keys Enter
check_screen "the first question" "How to start"
keys 2
check_screen "the paste screen" "Paste or type the error text"
type_text "$ERR"
keys Enter
check_screen "the 407 leads to the proxy fix" "Fix authentication and proxy problems"
keys Space
check_screen "a step ticked" "[x]  1."
pid=$(tui_pid)
kill -9 "$pid"
# The shell's "EXITED 137" lands where tshoot left the cursor (on the highlighted step,
# for screen readers), maybe across a line end: match it with the pane's lines joined.
i=0
until tm capture-pane -p -J -S - -t t 2>/dev/null | tr -d '\n' | grep -qE 'EXITED ?137' || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done
if [ $i -lt 50 ]; then ok "the process died (as with a dropped connection)"
else not_ok "the process died (as with a dropped connection)"; screen | sed 's/^/#   | /'; fi
journal=$(ls "$T"/state/tshoot/sessions/*.journal 2>/dev/null | head -1)
assert_match "a journal was kept" "$journal" '\.journal$'

tui_start -- --resume
check_screen "resume: back at the same step" "Fix authentication and proxy problems"
check_screen "resume: says it resumed" "Resumed"
check_row "resume: same step number" 1 "Step 4"
check_screen "resume: the path before the drop" "How to start"
keys b
check_screen "back works across the interruption: the paste screen" "Paste or type the error text"
type_text "$ERR"
keys Enter
check_screen "and forward again" "Fix authentication and proxy problems"
keys Space
check_screen "a step ticked after the resume" "[x]  1."
keys Enter
check_screen "did it help?" "Did it help?"
keys y
check_screen "a resolved end after the resume" "RESOLVED"
keys q
check_screen "quits at the end" "EXITED 0"
rep=$("$TSHOOT" report "$journal" --format json 2>&1)
assert_schema "the report of the resumed session: valid (tshoot-report)" tshoot-report "$rep"
assert_contains "the report of the resumed session keeps the answer from before the drop" "$rep" "The request failed with HTTP status 407"
assert_match "and reaches the resolution" "$rep" "\"result\": *\"resolved\""

# --- training: simulated results on screen and the verdict at the end
tui_start -- --scenario "$TOP/flows/training/proxy-407.yaml"
check_screen "training: the brief is shown" "The proxy wants credentials"
check_row "training: the briefing waits for Enter" -1 "Enter begin"
keys Enter
check_row "training: the first step waits for Enter" -1 "Enter go on"
keys Enter
check_screen "training: the walk starts" "How to start"
keys 3
check_screen "live diagnosis: where tshoot runs is asked first" "Where does tshoot run?"
keys 1
check_screen "live diagnosis: the server form, preset by the scenario" "wsus01.contoso.test"
keys Enter
check_screen "the simulated DNS check" "Does the name resolve?"
check_screen "a simulated result is marked as such" "OK (simulated)"
check_screen "the check says where it runs from" "From the site server"
check_row "the DNS check is done: c continues" -1 "c continue"
keys c
check_screen "the simulated port check" "Is the WSUS port open?"
check_row "the port check is done" -1 "c continue"
keys c
check_screen "the SSL question" "Require SSL communication"
keys 1
check_screen "the simulated web service checks" "ClientWebService"
check_row "the web service checks are done" -1 "c continue"
keys c
check_screen "the proxy question" "A proxy between the site server and WSUS?"
keys 1
check_screen "the proxy form, preset" "proxy.contoso.test"
keys Enter
check_screen "the simulated check through the proxy (the web-service sub-flow)" "Does ApiRemoting30 answer through the proxy?"
check_screen "... run from the site server, as the call says" "Run from the site server"
check_screen "... its result labelled with the machine tshoot runs on" "From the site server: ApiRemoting30 through"
check_screen "the proxy demands credentials (simulated)" "(simulated)"
check_row "the proxy check is done" -1 "c continue"
keys Up
keys Enter
check_screen "the simulated check's facts: the proxy's answer" "status: 407"
check_screen "... and the schemes it offers" "proxy_authenticate: Negotiate"
keys Escape
check_gone "the facts panel closes" "proxy_authenticate: Negotiate"
keys c
check_screen "the simulated 407 leads to the proxy fix" "Fix authentication and proxy problems"
keys Enter
check_screen "nothing ticked: asked whether it helped anyway, not told well done" \
	"None of the steps are ticked. Did it help anyway?"
keys Escape
check_gone "Esc: back to the list" "None of the steps are ticked"
keys Space
check_screen "a step ticked" "[x]  1."
keys Enter
check_screen "did it help?" "Did it help?"
keys y
check_screen "the end: the verdict" "Well done"
assert_contains "the verdict names the expected resolution" "$(screen_all)" "expected resolution 'resolved'"
keys q
check_screen "quits" "EXITED 0"

done_testing
