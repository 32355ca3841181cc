#!/bin/bash
# Sub-flows full screen (tests/flows/sub/caller.yaml calls port-probe twice): the
# heading says which call the walk is in and goes back to the flow's own title when the
# call returns; b from the first screen of a call's question goes back into its check;
# the map (m) shows the way through the sub-flow; the callee's end is never a screen.
# (Line mode and every other path: tests/integration/subflow.sh.)
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

OPEN=$(free_port)
"$FIXTURES/hold_fixture" "$OPEN" hold 120 &
track_pid $!
wait_port "$OPEN" || not_ok "fixture did not start"
CLOSED=$(free_port)

tui_start -- --no-journal "$TOP/tests/flows/sub/caller.yaml"
check_screen "the caller's form" "Web port"
check_row "the heading is the flow's own title" 1 "Two services, one sub-flow"
type_text "$OPEN"
keys Tab
type_text "$CLOSED"
keys Enter
check_screen "the first call's check ran" "Probe 127.0.0.1:$OPEN"
check_row "the heading names the first call" 1 "Two services, one sub-flow > Reach the web service"
check_row "its check ends: c continues" -1 "c continue" 100
keys c
check_screen "the second call's check" "Probe 127.0.0.1:$CLOSED"
check_row "the heading names the second call" 1 "Two services, one sub-flow > Reach the API"
check_row "its check ends: c continues" -1 "c continue" 100
keys c
check_screen "the callee's question, in its own words" "Is a firewall in the way of 127.0.0.1:$CLOSED?"
assert_not_contains "the first call's end was no screen" "$(screen)" "answers (ok)"
keys m
check_screen "the map: the way on returns from the sub-flow" "ended: firewall"
check_screen "the map: and ends at the caller's end" "lost-api (end: escalate)"
check_screen "the map: the calls are steps of the path" "runs sub-flow port-probe"
keys Escape
check_gone "Esc closes the map" "(you are here)"
keys 1
check_screen "the call returned to the caller's end" "API port $CLOSED does not answer."
check_row "the heading is the flow's own title again" 1 "Two services, one sub-flow"
assert_not_contains "no sub-flow in the heading at the end" "$(row_text 1)" ">"
keys q
check_screen "tshoot exits" "EXITED 1"

done_testing
