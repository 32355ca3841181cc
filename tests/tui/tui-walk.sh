#!/bin/bash
# The bundled flow walked in the full-screen mode, as an operator would: to a resolved
# end, back, restart, help, a saved report, and to an escalate end.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
ERR='System.Net.WebException: The request failed with HTTP status 407'

tui_start -- "$FLOW"
check_screen "intro: shows its title" "Software update synchronization"
s=$(screen)
assert_match "title bar: flow title and step 1" "$(echo "$s" | head -1)" 'Software update synchronization in Configuration Manager +Step 1'
assert_contains "footer: key hints" "$(echo "$s" | tail -1)" "q quit"
assert_contains "path: first step" "$s" "Path: (first step)"

keys Enter
check_screen "Enter goes on to the question" "How to start"
assert_contains "answers are numbered" "$(screen)" "2. Paste an error message or log line I see"
assert_contains "step 2 in the title bar" "$(screen | head -1)" "Step 2"

keys '?'
check_screen "? opens the help panel with the keys" "go back one step"
assert_contains "help: why this step" "$(screen)" "Why this step"
keys Escape
wait_gone "Why this step"
assert_not_contains "Esc closes the help panel" "$(screen)" "Why this step"

keys 2
check_screen "answer 2 leads to the pasted error" "Paste or type the error text"
assert_contains "path so far" "$(screen)" "Path: Software update synchronization › How to start"
type_text "$ERR"
check_screen "typed text is shown as typed" "failed with HTTP status 407"
keys Enter
check_screen "the 407 is recognised and leads to the proxy fix" "Fix authentication and proxy problems"
assert_contains "the signature recognised is named" "$(screen)" "Recognised: HTTP 407"
assert_contains "a checklist of steps" "$(screen)" "[ ] 1. Make sure the Update Services service"

keys Space
check_screen "Space ticks the first step" "[x] 1. Make sure"
assert_contains "progress shown" "$(screen)" "1 of 10 done"

# back and forward again
keys b
check_screen "b goes back to the pasted error" "Paste or type the error text"
type_text "$ERR"
keys Enter
check_screen "forward again to the steps" "Fix authentication and proxy problems"

keys Enter
check_screen "Enter on the checklist asks whether it helped" "Did it help?"
keys y
check_screen "fixed: a resolved end" "RESOLVED"
s=$(screen)
assert_contains "end: the end text" "$s" "Synchronization works again"
assert_contains "end: the summary of the walk" "$s" "Summary of the walk"
assert_contains "end: save and restart keys" "$(echo "$s" | tail -1)" "s save report"

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
wait_gone "Start again from the beginning?"
assert_contains "n: still at the end" "$(screen)" "RESOLVED"
keys r
check_screen "asked again" "Start again from the beginning?"
keys y
check_screen "y: back at the first step" "Started again from the beginning."
assert_contains "step 1 again" "$(screen | head -1)" "Step 1"

# the escalate end
keys Enter
check_screen "question again" "How to start"
keys 2
check_screen "paste again" "Paste or type the error text"
# A pasted block of lines arrives at once: its line breaks must not submit it.
type_text "$(printf 'first pasted line\n%s' "$ERR")"
check_screen "a two-line paste is kept whole" "first pasted line"
sleep 0.3
s=$(screen)
assert_contains "still on the paste screen after the paste" "$s" "Paste or type the error text"
assert_contains "its second line is there too" "$s" "HTTP status 407"
keys Enter
check_screen "steps again" "Fix authentication and proxy problems"
keys n
check_screen "not fixed: an escalate end" "ESCALATE"
s=$(screen)
assert_contains "escalate: what to collect" "$s" "Collect before escalating:"
assert_contains "escalate: the collect list" "$s" "WCM.log and wsyncmgr.log"
assert_contains "escalate: the end title" "$s" "Escalate (authentication and proxy)"
keys q
check_screen "q at the end leaves; exit status 1 for escalate" "EXITED 1"
assert_eq "the alternate screen is left" "0" "$(alt_screen)"

done_testing
