#!/bin/bash
# Line mode (--plain) while checks run, on a real terminal (tmux): a line for each check
# as it finishes, a progress line with the seconds rewritten in place; Ctrl-C cancels
# the checks (as Esc in full screen) and the walk goes on to the next question, tshoot
# still running; r runs them again; at a prompt Ctrl-C (SIGINT) stops tshoot with 130.
# Output that is not a terminal gets a line every 5 seconds and no carriage return.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/tests/flows/plain-slow.yaml"
PORT=$(free_port)
# accepts connections (the TCP check is OK at once) and never answers (HTTP hangs)
"$FIXTURES/hold_fixture" "$PORT" hold 120 &
track_pid $!
wait_port "$PORT" 50 || not_ok "the silent server listens on $PORT"

# count TEXT: the lines of the screen (with its history) holding TEXT
count() { screen_all | grep -cF -- "$1"; }
# wait_count TEXT N: poll (5 s) until N lines hold TEXT
wait_count() {
	local i=0
	while [ $i -lt 50 ]; do
		[ "$(count "$1")" -ge "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
alive() { kill -0 "$(tui_pid)" 2>/dev/null; }

tui_start -- --plain "$FLOW"
check_screen "the form asks the port" "Port of the test server:"
type_text "$PORT"
keys Enter
check_screen "then the seconds to wait" "Seconds to wait for the web server [25]:"
keys Enter
check_screen "the checks start" "Running 2 checks..."
check_re "the check that finished at once has its line" '^  OK +Port open +127\.0\.0\.1:'"$PORT"
check_re "a progress line: what runs, its seconds, how to cancel" \
	'^running 1 check… [0-9]+ s \(Ctrl-C cancels\)'
check_re "the seconds count up" '^running 1 check… [2-9] s' 40
assert_eq "the progress line is rewritten in place, not repeated" 1 "$(count "running 1 check")"
assert_not_contains "the results are not printed yet" "$(screen)" "Silent web server"

keys C-c
check_screen "Ctrl-C cancels the checks" "Ctrl-C: cancelling the checks."
check_re "the hanging check ends cancelled (STOP)" '^  STOP +Silent web server'
check_screen "its outcome in words" "cancelled: cancelled by the operator"
check_screen "the results under a heading of their own, apart from the lines before" "Results:"
check_screen "the walk goes on to the next question" "r run the checks again, b back, q quit >"
if alive; then ok "tshoot is still running after Ctrl-C"; else not_ok "tshoot is still running after Ctrl-C"; fi
assert_not_contains "it did not exit" "$(screen_all)" "EXITED"
assert_eq "no progress line is left behind" 0 "$(count "running 1 check…")"

type_text r
keys Enter
if wait_count "Running 2 checks..." 2; then ok "r runs the checks again"; else
	not_ok "r runs the checks again"; screen | sed 's/^/#   | /'; fi
check_re "the seconds start again" '^running 1 check… [0-9]+ s \(Ctrl-C cancels\)'
keys C-c
if wait_count "r run the checks again, b back, q quit >" 2; then ok "Ctrl-C cancels the second run too"; else
	not_ok "Ctrl-C cancels the second run too"; screen | sed 's/^/#   | /'; fi
type_text b
keys Enter
check_screen "b goes back to the form" "Port of the test server [$PORT]:"
if alive; then ok "tshoot still runs at the prompt"; else not_ok "tshoot still runs at the prompt"; fi

# At a prompt SIGINT (what Ctrl-C sends) keeps its default: tshoot stops at once. (Sent
# to tshoot alone: a Ctrl-C typed would stop the pane's shell with it, and one typed
# above makes that shell follow a child that dies of SIGINT.)
tui_start -- --plain "$FLOW"
check_screen "again: the form asks the port" "Port of the test server:"
kill -INT "$(tui_pid)"
check_screen "SIGINT at a prompt stops tshoot (130)" "EXITED 130"

# Output that is not a terminal: no carriage returns, a line every 5 s while a check runs.
printf '%s\n6\n' "$PORT" | "$TSHOOT" --plain --no-journal "$FLOW" >"$T/out" 2>&1
rc=$?
out=$(cat "$T/out")
assert_eq "not a terminal: the silent server times out (escalate, 1)" 1 "$rc"
assert_eq "not a terminal: a line after 5 s" 1 "$(grep -c '^  \.\.\. 1 check still running (5 s)$' "$T/out")"
assert_eq "not a terminal: no carriage return" 0 "$(tr -cd '\r' <"$T/out" | wc -c)"
assert_not_contains "not a terminal: no progress line" "$out" "running 1 check"
assert_not_contains "not a terminal (input a script): Ctrl-C is not offered" "$out" "Ctrl-C"
assert_match "not a terminal: the results as before" "$out" 'FAIL +Silent web server'

done_testing
