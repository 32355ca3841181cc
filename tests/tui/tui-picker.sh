#!/bin/bash
# `tshoot --resume` on a terminal with several interrupted sessions: a picker lists them
# (flow, step, answers, when, where) and the one chosen is the one resumed; Esc leaves
# without resuming. With --no-journal the quit dialog promises no resume.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
SESS="$T/state/tshoot/sessions"

# Two interrupted walks in line mode (end of input keeps them): the older stands at
# step 4 after 3 answers, the newer at step 3 after 2.
printf '\n1\n1\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1
older=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
touch -d '-10 min' "$older"
printf '\n1\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1
assert_eq "two interrupted sessions" 2 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"

tui_start -- --resume
check_screen "the picker asks which session" "Which session do you want to resume?"
check_screen "the picker lists the newer one with its step and answers" "1. sccm-sus-sync, step 3, 2 answers"
check_screen "and the older one" "2. sccm-sus-sync, step 4, 3 answers, started"
assert_contains "the picker says where a session started" "$(screen)" "answers, started"
assert_contains "and from which terminal" "$(screen)" ", no terminal"
keys Down Enter
check_screen "choosing the second resumes it" "Where the software update point is"
check_row "at its step" 1 "Step 4"
check_screen "and says it resumed" "Resumed: 3 earlier steps"
keys q
check_screen "quitting a resumed walk promises a resume" "can be resumed"
keys y
check_screen "quits" "EXITED 0"

# The one resumed is now the newest, listed first; a digit picks the other at once.
newer=$(ls "$SESS"/*.journal | grep -vF "$older")
touch -d '-20 min' "$newer"
tui_start -- --resume
check_screen "the picker again" "Which session do you want to resume?"
check_screen "the resumed one is now first" "1. sccm-sus-sync, step 4, 3 answers"
keys 2
check_screen "a digit picks at once" "Software update prerequisites"
check_row "at that session's step" 1 "Step 3"
keys q
check_screen "quit asks" "Quit tshoot?"
keys y
check_screen "quits again" "EXITED 0"
# Esc in the picker: nothing is resumed, and both sessions stay.
tui_start -- --resume
check_screen "the picker a third time" "Which session do you want to resume?"
keys Escape
check_screen "Esc leaves the picker" "EXITED 0"
assert_eq "both sessions are still there" 2 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"

# Line mode on a terminal (--plain): the same picker as a numbered list.
tui_start -- --plain --resume
check_screen "line mode: the picker asks" "Which session do you want to resume?"
check_screen "line mode: the sessions listed" "2) sccm-sus-sync, step"
type_text "9"
keys Enter
check_screen "line mode: a wrong number is explained" "Please enter a number from 1 to 2"
type_text "1"
keys Enter
check_screen "line mode: the first one (resumed last) resumed" "[3] Software update prerequisites"
type_text "q"
keys Enter
check_screen "line mode: quit asks" "Quit now?"
type_text "y"
keys Enter
check_screen "line mode: quits" "EXITED 0"

# The flow chooser (no FLOW, several flows) is the same picker.
mkdir -p "$T/flows"
cp "$FLOW" "$TOP/flows/web-reachability.yaml" "$T/flows/"
cp -r "$TOP/flows/lib" "$T/flows/"     # web-reachability calls lib/web-service.yaml
tui_start --
check_screen "no FLOW: the flow chooser" "Which troubleshooting flow?"
check_screen "it lists the flows" "2. web-reachability"
keys 2
check_screen "the flow chosen starts" "Is a web site reachable?"
keys q
check_screen "quit asks" "Quit tshoot?"
keys y
check_screen "quits" "EXITED 0"

# --no-journal: the quit dialog promises nothing.
tui_start -- --no-journal "$FLOW"
check_screen "no journal: started" "Press Enter to go on"
keys Enter
check_screen "no journal: the question" "How to start"
keys 1
check_screen "no journal: an answer given" "Software update prerequisites"
keys q
check_screen "no journal: quit asks" "Quit tshoot?"
assert_not_contains "no journal: the quit dialog promises no resume" "$(screen)" "resume"
keys y
check_screen "no journal: quits" "EXITED 0"
assert_not_contains "no journal: nothing said about resuming" "$(screen_all)" "resume"

done_testing
