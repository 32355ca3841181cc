#!/bin/bash
# Small things of the full-screen mode: y copies a check's command (in its facts panel)
# and the end's summary to the clipboard through the terminal (OSC 52, which tmux keeps
# in a paste buffer when set-clipboard is on), secrets masked as on screen, and the
# footer says how many bytes went; a digit beyond a question's answers is refused in the
# footer and does nothing else; at 40x12 a list of answers that does not fit says how
# many are out of view (in ASCII under LANG=C); a URL typed for a host name is refused
# as one. (Line mode: tests/integration/plain.sh.)
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

PORT=$(free_port)
"$FIXTURES/httpd_fixture" slow "$PORT" 0 &
track_pid $!
wait_port "$PORT" 50 || not_ok "the web server listens on $PORT"
PW=Zq9-hunter2-x
SMALL="$TOP/tests/flows/tui-small.yaml"

# buffer: the newest tmux paste buffer, byte for byte (empty when there is none)
buffer() { tm save-buffer - 2>/dev/null; }

# wait_buffer TEXT: poll until the newest paste buffer starts with TEXT (5 s)
wait_buffer() {
	local i=0
	while [ $i -lt 50 ]; do
		case "$(buffer)" in "$1"*) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# copied_bytes: N of "copied N bytes to the clipboard" on the bottom row
copied_bytes() { row_text -1 | sed -nE 's/.*copied ([0-9]+) bytes to the clipboard.*/\1/p'; }

# --- y: the check's command, then the summary, onto the clipboard --------------------
tui_start -- --no-journal "$TOP/tests/flows/secret-check.yaml"
tm set -g set-clipboard on
check_screen "the form" "Port of the test server:"
assert_eq "no paste buffer before any copy" "" "$(buffer)"
type_text "$PORT"
keys Tab
type_text "$PW"
keys Enter
check_row "the check ends: c continues" -1 "c continue" 100

keys Up Enter
check_screen "the facts panel offers y copy" "y copy, Esc close"
keys y
check_row "y in the facts: the footer confirms the copy" -1 "bytes to the clipboard"
if wait_buffer "curl "; then ok "y in the facts: the command is on the clipboard (tmux's buffer)"; else
	not_ok "y in the facts: the command is on the clipboard (tmux's buffer)"; printf '#   buffer: %s\n' "$(buffer)"; fi
b=$(buffer)
assert_contains "the copied command is the check's" "$b" "'http://127.0.0.1:$PORT/login?key=********'"
assert_not_contains "the copied command holds no secret" "$b" "$PW"
assert_eq "the footer counts the bytes copied" "$(buffer | wc -c)" "$(copied_bytes)"
assert_not_contains "nothing of the escape sequence shows" "$(screen)" "52;c;"
keys Escape
check_gone "Esc closes the facts" "y copy, Esc close"
check_row "the footer's message goes with the next key (Esc): the hints are back" -1 "c continue"

keys c
check_screen "the end screen" "It answered"
check_row "the end's footer offers y copy" -1 "y copy"
keys y
if wait_buffer "tshoot report: Secret check test flow"; then ok "y at the end: the summary is on the clipboard"; else
	not_ok "y at the end: the summary is on the clipboard"; printf '#   buffer: %s\n' "$(buffer | head -3)"; fi
check_row "y at the end: the footer confirms the copy" -1 "bytes to the clipboard"
b=$(buffer)
assert_contains "the copied summary has the walk's check, masked" "$b" "login?key=********"
assert_not_contains "the copied summary holds no secret" "$b" "$PW"
assert_eq "the footer counts the summary's bytes" "$(buffer | wc -c)" "$(copied_bytes)"
keys Down
check_row "the next key brings the hints back" -1 "s save report"
keys q
check_screen "tshoot ends" "EXITED 0" 50

# --- a digit beyond the answers -------------------------------------------------------
tui_start -- --no-journal "$SMALL"
check_screen "the question of three answers" "3. Stop here"
keys 7
check_row "7 of 3 answers: the footer says so" -1 "no answer 7: choose 1-3"
s=$(screen)
assert_contains "7 chose nothing: still the question" "$s" "Which way?"
assert_contains "7 chose nothing: still step 1" "$(row_text 1)" "Step 1"
keys Down
check_row "the next key brings the hints back" -1 "Enter choose"
keys 0
check_row "0 is no answer either: the footer says so" -1 "no answer 0: choose 1-3"
keys Up
check_row "the next key brings the hints back again" -1 "Enter choose"

# --- a list of answers that does not fit at 40x12 -------------------------------------
keys 1
check_screen "the question of twelve answers" "Site twelve"
assert_not_contains "at 80x24 they all fit: no count of answers out of view" "$(screen)" "more below"
resize 40 12
check_screen "at 40x12: how many answers are below" "▼ 7 more below" 30
keys End
check_screen "End: how many are above" "▲ 7 more above"
assert_not_contains "End: none below" "$(screen)" "more below"
keys Up Up Up Up Up Up
check_screen "in the middle: both counts" "▲ 5 more above  ▼ 2 more below"

# --- a URL where a host name is asked -------------------------------------------------
keys Enter
check_screen "the form with a host name field" "Host name of the server:"
type_text "https://sup.example.com/x"
keys Enter
check_screen "a URL is refused as one" "enter a host name, not a URL"
keys C-u
type_text "sup.example.com"
keys Enter
check_screen "the host name alone is taken" "The server is sup.example.com."
keys q
check_screen "tshoot ends" "EXITED 0" 50

# --- LANG=C: the counts in ASCII ------------------------------------------------------
tui_start LC_ALL=C LANG=C -- --no-journal "$SMALL"
check_screen "LANG=C: the first question" "3. Stop here"
resize 40 12
check_row "LANG=C: at 40x12" -1 "? help" 30
keys 1
check_screen "LANG=C: the list says in ASCII how many are below" "v 7 more below"
keys End
check_screen "LANG=C: and above" "^ 7 more above"

done_testing
