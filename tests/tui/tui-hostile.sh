#!/bin/bash
# The full-screen mode shows what a hostile server sends with visible placeholders: a
# Server header with ESC, C1 controls (UTF-8 and 8-bit), bidi overrides and invalid
# UTF-8 (httpd_fixture hostile) appears in the check's facts as '?' and U+FFFD, and the
# real characters around them stay; nothing of it reaches the terminal raw. Nothing is
# written to stderr while the full screen is up.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/lib/http_servers.sh"
source "$TOP/tests/tui/tmux.bash"

fixture hostile || not_ok "httpd_fixture hostile listens on $FP"
tui_start -- "$TOP/tests/flows/tui-check.yaml"
check_screen "input: the form" "Port of the test server:"
type_text "$FP"
keys Enter
check_screen "the check answers" "✓ OK: HTTP 200 OK"
keys Up Enter
check_screen "Enter on the row shows the facts, the header with placeholders" "server: $HOSTILE_SERVER_SHOWN"
# the cells tmux holds: a bidi control sent raw would be there
if screen | text_safe 2>"$T/why"; then ok "no raw control or bidi character reached the terminal"
else not_ok "raw characters reached the terminal: $(cat "$T/why")"; fi

# A check parameter that templates into nonsense: the check itself says it could not
# run (outcome error, the reason as its summary); with no error route, continuing stops
# the walk with exit 2 and the reason is printed once the screen is given back, not
# drawn over the full screen, and never routed as if the target failed.
tui_start -- --no-journal "$TOP/tests/flows/timeout-var.yaml"
check_screen "input: the seconds field" "Seconds to wait"
type_text "soon"
keys Enter
check_screen "the check row says it could not run" "timeout must be a number of seconds"
keys Enter
check_screen "the walk stops with exit 2" "EXITED 2"
check_screen "the reason is on the shell's screen" "node 'probe': check 'Discard port' could not run"
check_screen "the reason says there is no error route" "(the node has no 'error' route)"
assert_not_contains "the default route was not taken" "$(screen_all)" "The check ran."
[ "$(alt_screen)" = 0 ] && ok "the full screen was given back" || not_ok "the full screen was given back"
done_testing
