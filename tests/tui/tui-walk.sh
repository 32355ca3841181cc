#!/bin/bash
# The bundled flow walked in the full-screen mode, as an operator would: to a resolved
# end, back, restart, help, a saved report, and to an escalate end.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
ERR='System.Net.WebException: The request failed with HTTP status 407'

tui_start -- "$FLOW"
check_screen "intro: shows its title" "Software update synchronization"
check_row "footer: key hints" -1 "q quit"
assert_match "title bar: flow title and step 1" "$(row_text 1)" 'Software update synchronization in Configuration Manager +Step 1'
assert_contains "path: first step" "$(screen)" "Path: (first step)"

keys Enter
check_screen "Enter goes on to the question" "How to start"
check_screen "answers are numbered" "2. Paste an error message or log line I see"
check_row "step 2 in the title bar" 1 "Step 2"

keys '?'
check_screen "? opens the help panel with the keys" "go back one step"
check_screen "help: why this step" "Why this step"
keys Escape
check_gone "Esc closes the help panel" "Why this step"

keys 2
check_screen "answer 2 leads to the pasted error" "Paste or type the error text"
check_screen "path so far" "Path: Software update synchronization › How to start"
type_text "$ERR"
check_screen "typed text is shown as typed" "failed with HTTP status 407"
keys Enter
check_screen "the 407 is recognised and leads to the proxy fix" "Fix authentication and proxy problems"
check_screen "the signature recognised is named" "Recognised: HTTP 407"
check_screen "a checklist of steps" "[ ]  1. On the WSUS server, start"

keys Space
check_screen "Space ticks the first step" "[x]  1. On the WSUS server"
check_screen "progress shown" "1 of 11 done"

# back and forward again
keys b
check_screen "b goes back to the pasted error" "Paste or type the error text"
type_text "$ERR"
keys Enter
check_screen "forward again to the steps" "Fix authentication and proxy problems"
keys Space
check_screen "a step ticked again" "[x]  1. On the WSUS server"

keys Enter
check_screen "Enter on the checklist asks whether it helped" "Did it help?"
keys y
check_screen "fixed: a resolved end" "RESOLVED"
check_screen "end: the end text" "Synchronization works again"
check_screen "end: the summary of the walk" "Summary of the walk"
check_row "end: save and restart keys" -1 "s save report"

# save a report under a name the operator types
keys s
check_screen "s asks for a file name" "Save the report to"
keys C-u
type_text "$T/walk-report.md"
keys Enter
check_screen "the report is saved and the screen says where" "Report saved to"
if [ -s "$T/walk-report.md" ] && grep -q "resolved" "$T/walk-report.md"; then
	ok "report file written, with the result"
else
	not_ok "report file written, with the result"
fi

# restart asks first; n keeps us here, y starts again
keys r
check_screen "r asks before restarting" "Start again from the beginning?"
keys n
check_gone "n closes the question" "Start again from the beginning?"
assert_contains "n: still at the end" "$(screen)" "RESOLVED"
keys r
check_screen "asked again" "Start again from the beginning?"
keys y
check_screen "y: back at the first step" "Started again from the beginning."
check_row "step 1 again" 1 "Step 1"

# the escalate end
keys Enter
check_screen "question again" "How to start"
keys 2
check_screen "paste again" "Paste or type the error text"
# A pasted block of lines arrives at once: its line breaks must not submit it.
type_text "$(printf 'first pasted line\n%s' "$ERR")"
check_screen "a two-line paste is kept whole" "first pasted line"
# Its second line came after the line break: once it shows, the break was handled
# (had it submitted the text, the second line would have gone to another screen).
check_screen "its second line is there too" "HTTP status 407"
assert_contains "still on the paste screen after the paste" "$(screen)" "Paste or type the error text"
keys Enter
check_screen "steps again" "Fix authentication and proxy problems"
keys n
check_screen "not fixed: an escalate end" "ESCALATE"
check_screen "escalate: what to collect" "Collect before escalating:"
check_screen "escalate: the collect list" "WCM.log and wsyncmgr.log"
check_screen "escalate: the end title" "Escalate (authentication and proxy)"
keys q
check_screen "q at the end leaves; exit status 1 for escalate" "EXITED 1"
assert_eq "the alternate screen is left" "0" "$(alt_screen)"

done_testing
