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
type_text "$PORT"
keys Tab
type_text "hunter2"
sleep 0.3
assert_not_contains "a secret is not echoed" "$(screen)" "hunter2"
keys Enter
check_screen "the check runs" "Silent web server"
s=$(screen)
assert_contains "the row shows its target" "$s" "http://127.0.0.1:$PORT/health"
assert_match "a spinner and the word running" "$s" '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running'
assert_contains "Esc is offered while running" "$(echo "$s" | tail -1)" "Esc cancel"
sleep 1.2
assert_match "elapsed seconds count up" "$(screen)" 'Silent web server +[1-9][0-9]*\.[0-9] s'

# Esc must be answered at once although the server never answers (timeout is 25 s).
t0=$(date +%s%N)
keys Escape
if wait_for "cancelled" 20; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	ok "Esc cancels the check and the screen says so (${ms} ms)"
else
	not_ok "Esc cancels the check and the screen says so"; screen | sed 's/^/#   | /'
fi
s=$(screen)
assert_contains "the outcome in words with a symbol" "$s" "✗ cancelled"
assert_contains "what to do next" "$s" "r runs them again"
assert_contains "Continue is offered" "$s" "Continue"

keys Up Enter
check_screen "Enter on the row shows its facts" "Target: http://127.0.0.1:$PORT/health"
assert_contains "facts panel: the measured facts" "$(screen)" "Facts"
keys Escape
wait_gone "Target: http"
assert_not_contains "Esc closes the facts" "$(screen)" "Target: http"

keys r
check_screen "r runs the checks again" "running"

# Resize while the check runs: smaller, too small, and back.
resize 40 12
check_screen "at 40x12 the check row is still there" "Silent web server" 30
s=$(screen)
assert_contains "at 40x12 the title bar is there" "$s" "TUI check test flow"
assert_contains "at 40x12 the footer is there" "$s" "Esc cancel"
resize 30 8
check_screen "at 30x8 it says the terminal is too small" "Terminal too small" 30
resize 80 24
check_screen "back at 80x24 the screen is whole again" "Path: Where is the server?" 30
s=$(screen)
assert_contains "80x24 again: the row" "$s" "Silent web server"
assert_contains "80x24 again: the footer" "$s" "? help"
assert_not_contains "80x24 again: no leftover message" "$s" "too small"

# SIGTERM: leave cleanly, the terminal restored.
kill -TERM "$(tui_pid)"
check_screen "SIGTERM: tshoot ends cleanly, status 128+15" "EXITED 143" 50
assert_eq "SIGTERM: the alternate screen is left" "0" "$(alt_screen)"
assert_not_contains "SIGTERM: nothing of the wizard left on screen" "$(screen)" "Silent web server"
assert_contains "SIGTERM: the session is said to be resumable" "$(screen_all)" "tshoot --resume"

done_testing
