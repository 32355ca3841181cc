#!/bin/bash
# Training on screen, as a trainer runs a room: the scenario's brief on a page of its
# own before the walk (each paragraph wrapped once, the whole brief reachable by
# scrolling), and at the end the debrief: the step where the trainee left the expected
# path, what they answered, what was expected and the way on; after the walk the
# debrief's one-line summary on the terminal, the result in the --results file.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

mkdir -p "$T/training"
{
	echo "scenario: long-brief"
	echo "flow: $TOP/flows/sccm-sus-sync.yaml"
	echo "title: A brief longer than the screen"
	echo "brief: |"
	echo "  AAA first paragraph: the software update point of site PS1 stopped synchronizing on Monday and the WSUS server wsus01.contoso.test answers the console, but nothing reaches Microsoft Update since the proxy change."
	echo ""
	for i in $(seq 1 24); do echo "  Detail line $i of the brief."; done
	echo ""
	echo "  ZZ-LAST: find the cause and fix it."
	echo "set: {wsus_host: wsus01.contoso.test, proxy_url: \"http://proxy.contoso.test:8080\"}"
	echo "outcomes:"
	echo "  live-mu-proxy/through: proxy_auth"
	echo "expect: resolved"
} >"$T/training/long.yaml"
"$TSHOOT" lint "$T/training/long.yaml" >/dev/null 2>&1 || not_ok "the test scenario passes lint"

tui_start -- --scenario "$T/training/long.yaml" --trainee Tess --results "$T/tess.json"
check_screen "the briefing comes first, titled" "Training: A brief longer than the screen"
check_row "the briefing: its footer" -1 "Enter begin"
check_row "the brief's first paragraph, at the top of the text" 5 " AAA first paragraph: the software update point of site PS1 stopped"
check_row "... wrapped once to the screen's width" 6 " synchronizing on Monday and the WSUS server wsus01.contoso.test answers the"
check_row "more below: the footer says so" -1 "PgDn more"
check_gone "the end of the brief is below the screen" "ZZ-LAST"
keys NPage
check_screen "PgDn shows the rest of the brief" "ZZ-LAST: find the cause and fix it."
check_gone "... scrolled past the first paragraph" "AAA first paragraph"
keys Home
check_screen "Home goes back to the top" "AAA first paragraph"
keys Down
check_gone "Down scrolls a line" " AAA first paragraph"
keys Enter
check_row "Enter begins the walk: its first step" -1 "Enter go on"
check_screen "training says its results are simulated" "simulated"
keys Enter
check_screen "the first question" "How to start"
keys '?'
check_screen "help on a step (a hint, counted in the score)" "Why this step"
keys Escape
check_gone "the help closes" "Why this step"
keys 2
check_screen "the paste screen" "Paste or type the error text"
type_text "The request failed with HTTP status 503: Service Unavailable"
keys Enter
check_screen "a wrong fix for this scenario" "Fix the WSUS web service"
keys Space
check_screen "a step ticked" "[x]"
keys y
check_screen "the end: the verdict" "Not quite"
check_screen "the debrief: where the path left the expected one" 'You left the expected path at step 3, "Paste the error".'
check_screen "the debrief: the answer given" "You answered: The request failed with HTTP status 503"
check_screen "the debrief: what was expected" 'Expected: a text that matches "HTTP 407: the proxy wants'
keys NPage
check_screen "the debrief's score, further down" "Score: 4 steps (shortest 4), 1 wrong turn, 1 hint used."
keys q
check_screen "the walk ends at a wrong end" "EXITED 1"
# (the terminal wraps the line at 80 columns)
check_screen "the one-line summary is left on the terminal" \
	"Training long-brief (Tess): ended at 'resolved-web-service', not at the expected"
check_screen "... with where the path left the expected one" "'resolved'; left the expected path at step 3 \"Paste the error\""
assert_schema "the result file: valid (tshoot-training-result)" tshoot-training-result "$(cat "$T/tess.json" 2>/dev/null)"
assert_eq "the result file names the divergence, the trainee and the hint" "3 paste-error Tess 1" \
	"$(jq -r '"\(.divergence.step) \(.divergence.node) \(.trainee) \(.hints)"' "$T/tess.json" 2>/dev/null)"

done_testing
