#!/bin/bash
# Search ('/', 'n', 'N', Esc) and the flow map ('m') in the full-screen mode, at 80x24
# and 40x12: a search in a long information text scrolls to the first match and shows
# it in reverse video, n goes on (and round: "search wrapped"), a text that is nowhere
# says "not found: TEXT"; in a checklist a match moves the highlight to its step, and
# while the search is on n is the next match, not "not fixed" (after Esc it answers
# again); panels and the end summary are searched the same way. The map shows the steps
# so far with the answers given, where the walk stands, and a shortest way on; in
# training, not the way on. Needs NO_COLOR: reverse video is then the only highlight.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/tests/flows/tui-search.yaml"
"$TSHOOT" lint "$FLOW" >/dev/null 2>&1 || not_ok "the test flow passes lint"

# hl: the highlighted (reverse video) step as "NUMBER:BOX", as in tui-steps.sh.
hl() {
	screen_esc | sed -nE $'s/.*\x1b\\[([0-9]+;)*7m *\\[([ x])\\] +([0-9]+)\\. .*/\\3:\\2/p' | head -1
}

check_hl() {
	local i=0
	while [ $i -lt 50 ]; do
		[[ "$(hl)" =~ $2 ]] && { ok "$1"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$1"
	printf '#   wanted the highlighted step to match /%s/, it is "%s"\n' "$2" "$(hl)"
	screen | sed 's/^/#   | /'
}

# check_rev DESC TEXT: ok when TEXT (a fixed string, case as shown) is drawn in reverse
# video in time: the match shown.
check_rev() {
	local i=0
	while [ $i -lt 50 ]; do
		screen_esc | grep -qaE -- $'\x1b\\[([0-9]+;)*7(;[0-9]+)*m'"$2" && { ok "$1"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$1"
	printf '#   wanted in reverse video: %s\n' "$2"
	screen_esc | cat -v | sed 's/^/#   | /'
}

# search TEXT: '/' opens the prompt on the bottom row (a footer starts with a space,
# the prompt with the /); type TEXT and press Enter.
search() {
	local i=0
	keys /
	until row_text -1 | grep -q '^/' || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
	if [ $i -lt 50 ]; then ok "/ opens the prompt on the bottom row"; else
		not_ok "/ opens the prompt on the bottom row"; screen | sed 's/^/#   | /'; fi
	type_text "$1"
	check_row "the prompt shows what is typed" -1 "/$1"
	keys Enter
}

# ---- 80x24
tui_start NO_COLOR=1 -- --no-journal "$FLOW"
check_screen "the long text" "Line 01 says nothing much."
check_gone "the first match is below the screen" "Line 22 hides"
search needle
check_row "the bottom line counts the matches" -1 "match 1 of 3"
check_screen "the view scrolled to the first match" "Line 22 hides the first Needle"
check_gone "... past the top of the text" "Line 01 says nothing much."
check_rev "the match is in reverse video (case does not matter)" "Needle"
keys n
check_row "n: the next match" -1 "match 2 of 3"
check_rev "n: the second match is the one in reverse video" "needle"
keys n
check_row "n: the third" -1 "match 3 of 3"
check_screen "the third match is in view" "Line 40 hides the third NEEDLE"
check_rev "the third match in reverse video" "NEEDLE"
keys n
check_row "n after the last goes round" -1 "search wrapped: match 1 of 3"
check_screen "round to the first match" "Line 22 hides the first Needle"
keys N
check_row "N goes back, round to the last" -1 "search wrapped: match 3 of 3"
search "no such words"
check_row "a text that is nowhere: not found" -1 "not found: no such words"
keys Escape
check_row "Esc ends the search" -1 "search ended"

# The map on a question: nothing answered yet, and two steps at least to an end.
keys Enter
check_screen "the question" "Pick one."
keys m
check_screen "m opens the map" "Where am I"
check_screen "the map: the path so far" "1. A long text"
check_screen "the map: where the walk stands" "2. Which way? (you are here)"
check_screen "the map: what is left, at least" "At least 2 more steps to an end."
check_screen "the map: the shortest way on" "3. The checklist"
check_screen "the map: ... to an end" "4. Resolved (end: resolved)"
keys Escape
check_gone "Esc closes the map" "Where am I"

# A checklist: a match moves the highlight; n is the next match while a search is on.
keys 1
check_screen "the checklist" "Restart the frobnicator daemon"
check_hl "the first step is highlighted" '^1: $'
search frobnicator
check_hl "the match moves the highlight to its step" '^6: $'
check_row "the bottom line: the match, and n is the next match" -1 "match 1 of 1 · n next match · Esc end search"
keys n
check_row "n is the next match (round: there is one), not an answer" -1 "search wrapped: match 1 of 1"
check_screen "... still on the checklist" "0 of 8 done"
keys Escape
check_row "Esc ends the search" -1 "search ended"
keys Down
check_row "after Esc the footer offers n not fixed again" -1 "n not fixed"
check_hl "Down moves on from the step found" '^7: $'
keys m
check_screen "the map on the checklist" "3. The checklist (you are here)"
check_screen "the map shows the answer given at the question" "→ To the checklist"
check_screen "the map: one step at least to an end" "At least 1 more step to an end."
keys Escape
check_gone "the map closes" "Where am I"
keys n
check_screen "with no search on, n answers not fixed" "The steps did not help."
keys m
check_screen "the map shows the checklist's answer" "→ not fixed (no steps ticked)"
check_screen "the map: the way on from here" "5. Escalated (end: escalate)"
# a panel is searched too; its bottom border says what was found
search escalated
check_screen "a search in the map panel" " match 1 of 1 "
check_rev "the match in the panel in reverse video" "Escalated"
keys Escape
check_gone "Esc closes the panel" "Where am I"

# The end: the summary of the walk is searched.
keys Enter
check_screen "the end" "ESCALATE"
search "answer: not fixed"
check_row "a search in the end summary" -1 "match 1 of 1"
check_rev "the summary's match in reverse video" "Answer: not fixed"
keys q
check_screen "q at the end leaves (escalated: exit status 1)" "EXITED 1"

# ---- 40x12
tui_start NO_COLOR=1 -- --no-journal "$FLOW"
resize 40 12
check_row "40x12: the footer at the new width" -1 "Enter go on · b back · q quit · ? help"
search needle
check_row "40x12: the first match" -1 "match 1 of 3"
check_rev "40x12: in reverse video" "Needle"
keys n
check_row "40x12: n, the next" -1 "match 2 of 3"
check_rev "40x12: the second match" "needle"
search "in the hay"
check_rev "40x12: a match that runs over a wrapped line is found (its first part)" "in"
check_rev "40x12: ... and marked on the next line too" "the hay"
search zzz
check_row "40x12: not found" -1 "not found: zzz"
keys Escape Enter
check_screen "40x12: the question" "Pick one."
keys 1
check_hl "40x12: the checklist, first step highlighted" '^1: $'
check_gone "40x12: step 6 is below the screen" "Restart the frobnicator"
search frobnicator
check_hl "40x12: the match moves the highlight to step 6" '^6: $'
check_screen "40x12: ... scrolled into view" "Restart the frobnicator"
keys Escape m
check_screen "40x12: the map" "Where am I"
check_screen "40x12: the map shows the answer" "→ To the checklist"
check_gone "40x12: the way on is below the panel's end" "4. Resolved (end: resolved)"
keys NPage
check_screen "40x12: PgDn scrolls the map to the way on" "4. Resolved (end: resolved)"
keys Escape
check_gone "40x12: the map closes" "Where am I"
keys q
check_screen "quit asks" "Quit tshoot?"
keys y
check_screen "quit" "EXITED 0"

# ---- training: the briefing is searched; the map does not give the way away
mkdir -p "$T/training"
{
	echo "scenario: search-brief"
	echo "flow: $FLOW"
	echo "title: Search the brief"
	echo "brief: |"
	for i in $(seq 1 30); do echo "  Brief line $i."; echo ""; done
	echo "  The clue is in the last paragraph."
	echo "expect: resolved"
} >"$T/training/brief.yaml"
"$TSHOOT" lint "$T/training/brief.yaml" >/dev/null 2>&1 || not_ok "the test scenario passes lint"
tui_start NO_COLOR=1 -- --scenario "$T/training/brief.yaml" --trainee Tess
check_screen "the briefing" "Training: Search the brief"
check_gone "the clue is below the screen" "The clue is"
search clue
check_screen "a search in the briefing scrolls to it" "The clue is in the last paragraph."
check_rev "the briefing's match in reverse video" "clue"
keys Enter
check_screen "the walk begins" "Line 01 says nothing much."
keys Enter
check_screen "the question" "Pick one."
keys m
check_screen "training: the map shows the path" "2. Which way? (you are here)"
check_screen "training: but not the way on" "In training the way on is not shown"
s=$(screen)
assert_not_contains "training: no end is named" "$s" "(end: "
keys Escape
check_gone "the map closes" "Where am I"
keys q
check_screen "quit asks" "Quit tshoot?"
keys y
check_screen "quit" "EXITED 0"

done_testing
