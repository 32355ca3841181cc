#!/bin/bash
# The checklist screen (a steps node) in the full-screen mode, as an operator (and a
# screen reader) meets it: Space ticks the highlighted step and leaves the highlight
# there; Up/Down, Home/End and PgUp/PgDn move through the intro and the list; the
# terminal's cursor sits on the highlighted step; two-digit numbers keep the texts
# aligned when they wrap; the footer offers q quit; Enter with nothing ticked asks
# whether it helped anyway; the report says which steps were ticked. And going back (b)
# to a form shows what was typed there.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
ERR='System.Net.WebException: The request failed with HTTP status 407'
INTRO='WCM (WSUS Configuration Manager) configures'

# hl: the highlighted (reverse video) step as "NUMBER:BOX", e.g. "3: " or "1:x"; empty
# when no step is highlighted. Needs NO_COLOR so reverse video is the only attribute.
hl() {
	screen_esc | sed -nE $'s/.*\x1b\\[([0-9]+;)*7m *\\[([ x])\\] +([0-9]+)\\. .*/\\3:\\2/p' | head -1
}

# check_hl DESC ERE: ok when the highlighted step matches ERE in time.
check_hl() {
	local i=0
	while [ $i -lt 50 ]; do
		[[ "$(hl)" =~ $2 ]] && { ok "$1"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$1"
	printf '#   wanted the highlighted step to match /%s/, it is "%s"\n' "$2" "$(hl)"
	screen | sed 's/^/#   | /'
}

# check_cursor DESC TEXT: ok when the row the terminal's cursor is on holds TEXT in time.
check_cursor() {
	local i=0 y
	while [ $i -lt 50 ]; do
		y=$(tm display-message -p -t t '#{cursor_y}' 2>/dev/null)
		[ -n "$y" ] && row_text $((y + 1)) | grep -qF -- "$2" && { ok "$1"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$1"
	printf '#   wanted on the cursor row (%s): %s\n' "$((y + 1))" "$2"
	screen | sed 's/^/#   | /'
}

tui_start NO_COLOR=1 -- --no-journal "$FLOW"
check_screen "the walk starts" "Press Enter to go on"
keys Enter
check_screen "the first question" "How to start"
keys 2
check_screen "the paste screen" "Paste or type the error text"
type_text "$ERR"
keys Enter
check_screen "the 407 leads to the checklist" "1. On the WSUS server, start"
check_hl "the first step is highlighted" '^1: $'
check_row "the footer offers q quit" -1 "q quit"
check_cursor "the cursor sits on the highlighted step" "1. On the WSUS server, start"

# Finished with nothing ticked: asked whether it helped anyway, Esc back to the list.
keys Enter
check_screen "Enter with nothing ticked asks whether it helped anyway" \
	"None of the steps are ticked. Did it help anyway?"
keys Escape
check_gone "Esc goes back to the list" "None of the steps are ticked"

keys Space
check_hl "Space ticks the highlighted step and the highlight stays on it" '^1:x$'
check_screen "the progress counts it" "1 of 11 done"
keys Down Down
check_hl "Down moves the highlight" '^3: $'
check_cursor "the cursor follows the highlight" "3. Check that the FQDN"
keys End
check_hl "End goes to the last step" '^11: $'
check_gone "the list scrolled: the intro is out of view" "$INTRO"
check_cursor "the cursor is on the last step" "11. Restart the SMS_EXECUTIVE"
keys Home
check_hl "Home goes to the first step" '^1:x$'
check_screen "Home shows the intro again" "$INTRO"
keys PgDn
check_gone "PgDn scrolls a page: the intro's first lines leave" "$INTRO"
check_gone "PgDn scrolls the list too: step 1 leaves" "1. On the WSUS server, start"
check_hl "PgDn takes the highlight along to a step on the new page" '^([2-9]|1[01]): $'
keys PgUp
check_screen "PgUp scrolls back to the intro" "$INTRO"
check_hl "PgUp: the highlight stays in view" '^[0-9]+:'

# 40 columns: step 11's text wraps under its first word, as step 1's does.
resize 40 24
keys End
check_re "40 columns: step 11 wraps" '^ \[ \] 11\. Restart the SMS_EXECUTIVE *$'
s=$(screen)
n=$(printf '%s\n' "$s" | grep -nE '^ \[ \] 11\. Restart' | head -1 | cut -d: -f1)
assert_match "40 columns: step 11's second line is aligned under its text" \
	"$(printf '%s\n' "$s" | sed -n "$((n + 1))p")" '^         [^ ]'
check_row "40 columns: the footer still offers q quit" -1 "q quit"
keys Up Up Up Up Up Up Up Up Up Up
check_hl "40 columns: Up ten times from the last step reaches the first" '^1:x$'
check_re "40 columns: one-digit numbers are aligned with two-digit ones" '^ \[x\]  1\. On the WSUS'
s=$(screen)
n=$(printf '%s\n' "$s" | grep -nE '^ \[x\]  1\. On the' | head -1 | cut -d: -f1)
assert_match "40 columns: step 1's second line is aligned under its text" \
	"$(printf '%s\n' "$s" | sed -n "$((n + 1))p")" '^         [^ ]'
resize 80 24
check_re "back at 80 columns" '^ \[x\]  1\. On the WSUS server, start "Update Services" \(WsusService\)'

keys Enter
check_screen "with a step ticked, Enter asks whether it helped" "Did it help?"
keys y
check_screen "fixed: a resolved end" "RESOLVED"
# page down the summary (bounded) until the checklist's answer shows
i=0
until wait_for "fixed (ticked: 1)" 5 || [ $i -ge 12 ]; do keys NPage; i=$((i + 1)); done
check_screen "the summary, further down, says which step was ticked" "fixed (ticked: 1)"
keys q
check_screen "q at the end leaves" "EXITED 0"

# --- a steps node with its own question (ask:) and a third answer (cannot:)
tui_start NO_COLOR=1 -- --no-journal --report "$T/cannot.txt" "$TOP/tests/flows/steps-cannot.yaml"
check_screen "cannot: the checklist" "Stop the service."
check_screen "cannot: the line under the list offers c" "c if you could not apply them"
keys Space
check_screen "cannot: Space ticks the first step" "1 of 2 done"
keys Enter
check_screen "cannot: Enter asks the flow's question" "Does the service answer now?"
check_screen "cannot: ... with the third answer" "I could not apply the steps"
keys Escape
check_gone "cannot: Esc goes back to the list" "I could not apply the steps"
keys c
check_screen "cannot: c takes the cannot way" "Ask an administrator"
check_screen "cannot: an escalation" "ESCALATE"
i=0
until wait_for "could not apply (ticked: 1)" 5 || [ $i -ge 12 ]; do keys NPage; i=$((i + 1)); done
check_screen "cannot: the summary says could not apply, with the tick" "could not apply (ticked: 1)"
keys q
check_screen "cannot: q leaves" "EXITED 1"
assert_contains "cannot: the report too" "$(cat "$T/cannot.txt" 2>&1)" "could not apply (ticked: 1)"

# --- back to a form: what was typed there is still there
closed=$(free_port)
tui_start -- --no-journal "$TOP/tests/flows/tui-check.yaml"
check_screen "the form" "Port of the test server:"
type_text "$closed"
keys Enter
check_screen "the check runs" "Silent web server"
check_row "the check is done: b back offered" -1 "b back"
keys b
check_screen "b goes back to the form" "Port of the test server:"
check_screen "the form shows the port typed before" "> $closed"
keys F10
check_screen "F10 asks before quitting" "Quit tshoot?"
keys y
check_screen "quit" "EXITED 0"

done_testing
