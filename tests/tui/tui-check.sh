#!/bin/bash
# The full-screen mode's form and check screens: a rejected value stays with its reason,
# a secret is not shown, a check against a server that never answers shows a spinner
# and the seconds, Esc cancels it at once, facts open on Enter, r runs again; the
# screen follows resizes down to "too small" and back; SIGTERM gives the terminal back.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

PORT=$(free_port)
"$FIXTURES/hold_fixture" "$PORT" hold 60 &
track_pid $!
wait_port "$PORT" 50 || not_ok "the silent server listens on $PORT"

tui_start -- "$TOP/tests/flows/tui-check.yaml"
check_screen "input: the form with its prompts" "Port of the test server:"
assert_contains "input: optional and secret fields say so" "$(screen)" "A secret word (optional) (hidden as you type):"

type_text "80x"
keys Enter
check_screen "a bad port is rejected with the reason beside it" "port must be a number"
assert_contains "what was typed is still there" "$(screen)" "> 80x"

keys BSpace BSpace BSpace
# The secret first, then Tab round to the port: once the port shows, the keys typed
# before it (the secret) have been handled too.
keys Tab
type_text "hunter2"
keys Tab
type_text "$PORT"
check_screen "the port as typed" "> $PORT"
s=$(screen)
assert_not_contains "a secret is not echoed" "$s" "hunter2"
assert_not_contains "not even part of it" "$s" "hunt"
keys Enter
check_screen "the check runs" "Silent web server"
check_screen "the row shows its target" "http://127.0.0.1:$PORT/health"
check_re "a spinner and the word running" '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running'
check_row "Esc is offered while running" -1 "Esc cancel"
check_re "elapsed seconds count up" 'Silent web server +[1-9][0-9]*\.[0-9] s' 40
assert_not_contains "the secret is not on the check screen" "$(screen)" "hunter2"

# Esc must be answered at once although the server never answers (timeout is 25 s).
t0=$(date +%s%N)
keys Escape
if wait_for "cancelled" 20; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	ok "Esc cancels the check and the screen says so (${ms} ms)"
else
	not_ok "Esc cancels the check and the screen says so"; screen | sed 's/^/#   | /'
fi
check_screen "the outcome in words with a symbol" "✗ cancelled"
check_screen "what to do next" "r runs them again"
check_screen "Continue is offered" "Continue"
check_row "the footer offers re-run once the checks stopped" -1 "r re-run"

keys Up Enter
check_screen "Enter on the row shows its facts" "Target: http://127.0.0.1:$PORT/health"
assert_contains "facts panel: the measured facts" "$(screen)" "Facts"
keys Escape
check_gone "Esc closes the facts" "Target: http"

keys r
check_screen "r runs the checks again" "running"

# Resize while the check runs: smaller, too small, and back. Each assertion waits for
# the new layout: the footer on the new last row (before the re-layout that row holds
# the old screen's middle, or nothing), the rows in their new places.
check_row "the footer says Esc cancels while the check runs again" -1 "Esc cancel"
resize 40 12
check_row "at 40x12 the footer is on the last row" -1 "Esc cancel" 30
check_row "at 40x12 the title bar is there" 1 "TUI check test flow"
check_screen "at 40x12 the check row is still there" "Silent web server"
resize 30 8
check_screen "at 30x8 it says the terminal is too small" "Terminal too small" 30
resize 80 24
check_row "back at 80x24 the footer is on the last row" -1 "? help" 30
check_row "80x24 again: the path" 3 "Path: Where is the server?"
check_screen "80x24 again: the row" "Silent web server"
check_gone "80x24 again: no leftover message" "too small"

# SIGTERM: leave cleanly, the terminal restored.
kill -TERM "$(tui_pid)"
check_screen "SIGTERM: tshoot ends cleanly, status 128+15" "EXITED 143" 50
assert_eq "SIGTERM: the alternate screen is left" "0" "$(alt_screen)"
assert_not_contains "SIGTERM: nothing of the wizard left on screen" "$(screen)" "Silent web server"
assert_contains "SIGTERM: the session is said to be resumable" "$(screen_all)" "tshoot --resume"

done_testing
