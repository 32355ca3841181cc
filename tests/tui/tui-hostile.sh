#!/bin/bash
# The full-screen mode shows what a hostile server sends with visible placeholders: a
# Server header with ESC, C1 controls (UTF-8 and 8-bit), bidi overrides and invalid
# UTF-8 (httpd_fixture hostile) appears in the check's facts as '?' and U+FFFD, and the
# real characters around them stay; nothing of it reaches the terminal raw.
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
done_testing
