#!/bin/bash
# The full-screen mode never shows a secret variable that a check uses in its URL (in
# the userinfo and in the query): not in the running row, the finished row, the facts
# panel, the "same check by hand" command, the summary at the end or the flow map; nor
# does the journal or the report hold it. (Line mode: tests/integration/secrets.sh.)
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

PORT=$(free_port)
# answers after 3 s: long enough to see the row running
"$FIXTURES/httpd_fixture" slow "$PORT" 3000 &
track_pid $!
wait_port "$PORT" 50 || not_ok "the slow server listens on $PORT"
PW=Zq9-hunter2-x

# no_secret DESC: the screen (with its history) does not show the secret
no_secret() { assert_not_contains "$1: the secret is not on screen" "$(screen_all)" "$PW"; }

tui_start -- --report "$T/report.json" "$TOP/tests/flows/secret-check.yaml"
check_screen "the form" "Port of the test server:"
type_text "$PORT"
keys Tab
type_text "$PW"
keys Enter

check_screen "the check runs" "running" 50
check_screen "running row: the URL, its secrets masked" \
	"http://admin:********@127.0.0.1:$PORT/login?key=********"
no_secret "running row"

check_row "the check ends: c continues" -1 "c continue" 100
check_screen "finished row: the target, masked" "http://127.0.0.1:$PORT/login?key=********"
no_secret "finished row"

keys Up Enter
check_screen "the facts panel opens" "Target: http://127.0.0.1:$PORT/login?key=********"
s=$(screen)
assert_contains "facts panel: the summary, masked" "$s" "Summary: HTTP 200 OK from http://127.0.0.1:$PORT/login?key=********"
assert_contains "facts panel: the same check by hand" "$s" "The same check by hand"
assert_contains "facts panel: the command, masked" "$s" "key=********'"
no_secret "facts panel"
keys Escape
check_gone "Esc closes the facts" "The same check by hand"

keys c
check_screen "the end screen" "It answered"
no_secret "end screen"
keys m
check_screen "the flow map (m)" "Where am I"
check_screen "the map shows the form's answer, the secret left out" "→ port = $PORT, pw = (secret, not recorded)"
no_secret "flow map"
keys Escape
check_gone "Esc closes the map" "Where am I"
keys q
check_screen "tshoot ends" "EXITED 0" 50

J=$(ls "$T"/state/tshoot/sessions/*.journal 2>/dev/null | head -1)
if [ -n "$J" ] && grep -q 'login?key=\*\*\*\*\*\*\*\*' "$J"; then ok "the journal has the masked result"; else
	not_ok "the journal has the masked result"; fi
assert_eq "the journal never holds the secret" 0 "$(grep -c -- "$PW" "$J")"
assert_contains "the report is written" "$(cat "$T/report.json")" "login?key=********"
assert_schema "the report: valid (tshoot-report)" tshoot-report "$(cat "$T/report.json")"
assert_not_contains "the report never holds the secret" "$(cat "$T/report.json")" "$PW"

done_testing
