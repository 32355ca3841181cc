#!/bin/bash
# The keys of the full-screen mode are written once, in ui/keys.h. The man page's key
# list must be what that table says (tests/lib/keys_man_tui.c prints it), and the help
# panel ('?') must show the table's lines.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

gen=$("$FIXTURES/keys_man_tui") || not_ok "keys_man_tui runs"
page=$(sed -n '/^\.\\" KEYS-TABLE$/,/^\.\\" KEYS-TABLE-END$/p' "$TOP/man/tshoot.1" | sed '1d')
if [ "$gen" = "$page" ]; then
	ok "man/tshoot.1 KEYS-TABLE matches ui/keys.h"
else
	not_ok "man/tshoot.1 KEYS-TABLE matches ui/keys.h (regenerate with $FIXTURES/keys_man_tui)"
	diff <(printf '%s\n' "$page") <(printf '%s\n' "$gen") | head -20 | sed 's/^/#   /'
fi
assert_match "the man section lists the back key" "$page" '^\.B "b, Backspace"$'
n_rows=$(grep -cE '^[[:space:]]*X\(KA_' "$TOP/ui/keys.h")
assert_eq "one man entry per table row" "$n_rows" "$(printf '%s\n' "$page" | grep -c '^\.TP$')"

# The help panel of a question shows the table's help lines for that screen.
tui_start -- "$TOP/flows/sccm-sus-sync.yaml"
check_screen "started" "Press Enter to go on"
keys Enter
check_screen "question" "How to start"
keys F1
check_screen "F1 opens help too" "Why this step"
check_re "help: the number line shows" '1-9 +choose answer number N'
s=$(screen)
assert_match "help: the Enter line from the table" "$s" 'Enter, Right +choose the highlighted answer'
assert_match "help: the number line from the table" "$s" '1-9 +choose answer number N at once'
assert_not_contains "help: no keys of other screens" "$s" "tick or untick"
keys Escape
check_gone "Esc closes the help" "Why this step"
keys q
check_screen "quit asks" "Quit tshoot?"
keys y
check_screen "quit" "EXITED 0"

done_testing
