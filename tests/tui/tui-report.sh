#!/bin/bash
# Ticket-ready reports from the full-screen mode: t adds a note (on a checklist and at
# the end) that lands in the report with the ticket and the steps ticked; when the walk
# ends, one line on the shell says the result, the end's title and the report (with an
# ASCII dash outside UTF-8). A note on finished checks does not run them again.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
ERR='System.Net.WebException: The request failed with HTTP status 407'

# to the proxy checklist: Enter, paste the 407, Enter
to_steps() {
	check_screen "$1: started" "Press Enter to go on"
	keys Enter
	check_screen "$1: the question" "How to start"
	keys 2
	check_screen "$1: the paste screen" "Paste or type the error text"
	type_text "$ERR"
	keys Enter
	check_screen "$1: the checklist" "[ ]  1. On the WSUS server, start"
}

# The report path is relative: the pane runs in $T, and the closing line stays on one row.
tui_start -- --ticket INC0012345 --report ticket.md "$FLOW"
check_screen "started" "Press Enter to go on"
keys '?'
check_screen "the help panel names the t key" "add a note to the report"
keys Escape
check_gone "Esc closes the help panel" "add a note to the report"
to_steps "notes"
keys t
check_screen "t asks for the note" "Note for the report"
type_text 'proxy01 <old> swapped *today*'
keys Enter
check_screen "the note is taken" "Note 1 added to the report."
keys Space
check_screen "Space ticks the first step" "[x]  1. On the WSUS server"
keys n
check_screen "not fixed: the escalate end" "ESCALATE"
check_screen "the report was written" "Report written to ticket.md"
check_row "the end's footer offers t" -1 "t note"
keys t
check_screen "t at the end asks too" "Note for the report"
type_text 'handed to the network team'
keys Enter
check_screen "a note at the end rewrites the report" "Note 2 added; ticket.md is updated."
keys q
check_screen "q leaves: escalate is exit 1" "EXITED 1"
check_screen "one line on the shell: result, end title, report" \
	"ESCALATE — Escalate (authentication and proxy) — report: ticket.md"
assert_eq "the alternate screen is left" "0" "$(alt_screen)"
md=$(cat "$T/ticket.md" 2>/dev/null)
assert_contains "report: the ticket" "$md" "- **Ticket:** INC0012345"
assert_contains "report: the note added on the checklist, escaped" "$md" \
	'(Fix authentication and proxy problems): proxy01 \<old> swapped \*today\*'
assert_contains "report: the note added at the end" "$md" "(Escalate (authentication and proxy)): handed to the network team"
assert_match "report: the ticked step, by its text" "$md" '^- \[x\] 1\. On the WSUS server, start "Update Services"'
assert_match "report: a step not ticked" "$md" '^- \[ \] 2\. '
assert_match "report: when it ended" "$md" '^- \*\*Ended:\*\* 20[0-9-]{8} [0-9:]{8} UTC; local time '

# Esc in the note prompt adds nothing; a walk quit before its end prints no result line.
tui_start LC_ALL=C LANG=C -- "$FLOW"
to_steps "LC_ALL=C"
keys t
check_screen "LC_ALL=C: t asks" "Note for the report"
keys Escape
check_gone "Esc closes the prompt" "Note for the report"
assert_not_contains "Esc: no note" "$(screen)" "Note 1 added"
keys Space
check_screen "LC_ALL=C: a step ticked" "[x]  1."
keys y
check_screen "fixed: the resolved end" "RESOLVED"
keys q
check_screen "LC_ALL=C: exit 0" "EXITED 0"
check_screen "LC_ALL=C: the line with an ASCII dash, no report" \
	"RESOLVED - Resolved (authentication and proxy)"
assert_not_contains "no report, no report part" "$(screen_all)" "report:"

# A note once checks are done keeps their results: the checks do not run again.
closed=$(free_port)
tui_start -- --set host=127.0.0.1 --set port="$closed" "$TOP/tests/flows/session-small.yaml"
check_screen "checks: started" "Press Enter to go on"
keys Enter
check_screen "checks: the question" "The service does not answer"
keys 1
check_screen "checks: the form, filled from --set" "Host of the service"
keys Enter
check_row "checks: done" -1 "c continue"
check_screen "checks: the port is closed" "refused"
# Now the port answers: checks run again would route elsewhere than these results.
"$FIXTURES/hold_fixture" "$closed" http 30 &
track_pid $!
disown $!
wait_port "$closed" || not_ok "hold_fixture listens on $closed"
keys t
check_screen "checks: t asks" "Note for the report"
type_text 'port closed on purpose'
keys Enter
check_screen "checks: the note is taken" "Note 1 added to the report."
keys c
check_screen "checks: c goes on with the results shown (refused), not a new run" "Restart the service"
keys q
check_screen "checks: q asks" "Quit tshoot?"
keys y
check_screen "checks: quit" "EXITED 0"
jn=$(ls -t "$T/state/tshoot/sessions"/*.journal 2>/dev/null | head -1)
assert_eq "checks: one check run journaled, and the note" "1 1" \
	"$(grep -c '"kind":"checks"' "$jn") $(grep -c '"ev":"note"' "$jn")"
assert_contains "checks: the note in the report" "$("$TSHOOT" report "$jn" 2>&1)" "port closed on purpose"

tui_start -- "$FLOW"
check_screen "quit early: started" "Press Enter to go on"
keys q
check_screen "quit early: asks" "Quit tshoot?"
keys y
check_screen "quit early: exit 0" "EXITED 0"
assert_not_contains "quit before an end: no result line" "$(screen_all)" "RESOLVED"
assert_not_contains "quit before an end: no result line" "$(screen_all)" "ESCALATE"

done_testing
