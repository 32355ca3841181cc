#!/bin/bash
# Terminal discipline of the full-screen mode: colour only when allowed (NO_COLOR), ASCII
# symbols and borders in a non-UTF-8 locale, the terminal given back after SIGHUP (a
# dropped SSH session) and SIGINT.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
SGR_COLOUR=$'\e\\[([0-9]+;)*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(;[0-9]+)*m'

# Colour by default (so the NO_COLOR test below can fail)...
tui_start -- "$FLOW"
check_screen "colour run: started" "Press Enter to go on"
assert_match "colour run: the title bar has colour" "$(screen_esc)" "$SGR_COLOUR"
keys q
check_screen "q asks before quitting" "Quit tshoot?"
keys y
check_screen "y quits" "EXITED 0"

# ...and none with NO_COLOR, but still readable: the selection in reverse video.
tui_start NO_COLOR=1 -- "$FLOW"
check_screen "NO_COLOR: started" "Press Enter to go on"
keys Enter
check_screen "NO_COLOR: the question" "How to start"
check_row "NO_COLOR: the question's footer" -1 "1-9 pick"
e=$(screen_esc)
assert_not_contains "NO_COLOR: no colour at all" "$(printf '%s' "$e" | grep -E "$SGR_COLOUR" | head -3)" "["
assert_match "NO_COLOR: the selected answer in reverse video" "$e" $'\e\\[([0-9]+;)*7(;[0-9]+)*m1\\. Walk the prerequisites'
assert_match "NO_COLOR: the title bar in reverse video" "$(printf '%s\n' "$e" | head -1)" $'\e\\[([0-9]+;)*7(;[0-9]+)*m'

# SIGHUP (the SSH session dropped): tshoot ends and gives the terminal back.
kill -HUP "$(tui_pid)"
check_screen "SIGHUP: tshoot ends cleanly, status 128+1" "EXITED 129"
assert_eq "SIGHUP: the alternate screen is left" "0" "$(alt_screen)"
assert_not_contains "SIGHUP: the wizard is gone from the screen" "$(screen)" "How to start"

# A non-UTF-8 locale: ASCII only, on every screen we pass.
tui_start LC_ALL=C LANG=C -- "$FLOW"
check_screen "LC_ALL=C: started" "Press Enter to go on"
ascii_only() {
	if screen | LC_ALL=C grep -q '[^[:print:][:space:]]'; then
		not_ok "$1: only ASCII on screen"; screen | LC_ALL=C grep -n '[^[:print:][:space:]]' | head -5 | sed 's/^/#   | /'
	else ok "$1: only ASCII on screen"; fi
}
ascii_only "LC_ALL=C intro"
assert_contains "LC_ALL=C: an ASCII rule under the title" "$(screen)" "--------"
keys Enter
check_screen "LC_ALL=C: the question" "How to start"
keys 2
check_screen "LC_ALL=C: the paste screen" "Paste or type the error text"
check_screen "LC_ALL=C: ASCII path separator" "Software update synchronization > How to start"
ascii_only "LC_ALL=C paste"
type_text 'The request failed with HTTP status 407'
keys Enter
check_screen "LC_ALL=C: the steps" "Fix authentication and proxy problems"
keys '?'
check_screen "LC_ALL=C: the help panel" "Why this step"
check_re "LC_ALL=C: ASCII panel border" '\+-+'
ascii_only "LC_ALL=C help panel"
keys Escape
check_gone "LC_ALL=C: Esc closes the help panel" "Why this step"
keys y
check_screen "LC_ALL=C: y with nothing ticked asks first" "None of the steps are ticked. Did it help anyway?"
ascii_only "LC_ALL=C did it help anyway"
keys y
check_screen "LC_ALL=C: resolved end" "RESOLVED"
check_screen "LC_ALL=C: the ASCII symbol for OK" "[OK] RESOLVED"
ascii_only "LC_ALL=C end"

# SIGINT (Ctrl-C) asks, like q; a second Ctrl-C while asking means yes.
keys C-c
check_screen "Ctrl-C asks before quitting" "Quit tshoot?"
keys C-c
check_screen "Ctrl-C again quits" "EXITED 0"
assert_eq "SIGINT: the alternate screen is left" "0" "$(alt_screen)"

# A terminal curses does not know: newterm fails and the walk goes on in line mode.
tui_start TERM=no-such-terminal -- "$FLOW"
check_screen "unknown TERM: falls back to line mode and says so" "using line mode"
check_screen "unknown TERM: the walk goes on" "[1] Software update synchronization"
assert_eq "unknown TERM: no alternate screen" "0" "$(alt_screen)"

# A crash (SIGABRT, SIGSEGV): the handler gives the terminal back, then dies of the signal.
for sig in ABRT SEGV; do
	tui_start -- "$FLOW"
	check_screen "SIG$sig: started" "Press Enter to go on"
	kill -"$sig" "$(tui_pid)"
	code=$((128 + $(kill -l "$sig")))
	check_screen "SIG$sig: tshoot dies of the signal (status $code)" "EXITED $code"
	assert_eq "SIG$sig: the alternate screen is left" "0" "$(alt_screen)"
done

done_testing
