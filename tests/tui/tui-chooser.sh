#!/bin/bash
# `tshoot` with no FLOW and several flows, on a terminal: the flow chooser opens full
# screen, a row per flow in columns (id, title, the directory it was found in) under
# their headings, lined up and fitted to the terminal: at 80x24 the widest columns are
# cut with an ellipsis, at 40x12 the directory is left out. The number picks the flow of
# its row. Line mode lines the first column up and wraps the rest.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

# Two flows in ./flows, a third in $XDG_DATA_HOME/tshoot/flows: a long directory.
mkdir -p "$T/flows" "$T/data/tshoot/flows"
cp "$TOP/flows/sccm-sus-sync.yaml" "$TOP/flows/web-reachability.yaml" "$T/flows/"
cp -r "$TOP/flows/lib" "$T/flows/"     # web-reachability calls lib/web-service.yaml (not listed)
cp "$TOP/tests/flows/good-min.yaml" "$T/data/tshoot/flows/"
DATA="$T/data/tshoot/flows"

# row_with TEXT: the screen's first row holding TEXT
row_with() { screen | grep -F -m1 -- "$1"; }
# col ROW TEXT: the column (in characters, 0 the first) where TEXT starts in ROW, or -1
col() {
	local LC_ALL=C.UTF-8
	case $1 in *"$2"*) ;; *) echo -1; return ;; esac
	local pre=${1%%"$2"*}
	echo "${#pre}"
}
# aligned DESC HEADING ROW CELL...: in each row (found by a text of its own) the cell
# text starts at the column of the heading.
aligned() {
	local desc=$1 head=$2 want; shift 2
	want=$(col "$(row_with "Found in")" "$head")
	[ "$want" = -1 ] && want=$(col "$(row_with "Title")" "$head")
	local bad=""
	while [ $# -ge 2 ]; do
		local c; c=$(col "$(row_with "$1")" "$2")
		[ "$c" = "$want" ] || bad="$bad [$1: '$2' at $c]"
		shift 2
	done
	if [ "$want" != -1 ] && [ -z "$bad" ]; then ok "$desc"; else
		not_ok "$desc (heading '$head' at $want;$bad)"; screen | sed 's/^/#   | /'; fi
}

tui_start XDG_DATA_HOME="$T/data" --
check_screen "no FLOW: the chooser asks which flow" "Which troubleshooting flow?"
assert_eq "the chooser is full screen" 1 "$(alt_screen)"
check_re "80x24: the headings" 'Flow +Title +Found in'
check_screen "80x24: the third flow is listed" "3. good-min"
aligned "80x24: the ids line up under Flow" "Flow" \
	"1. sccm" "sccm-sus-sync" "2. web" "web-reachability" "3. good" "good-min"
aligned "80x24: the titles line up under Title" "Title" \
	"1. sccm" "Software update" "2. web" "Is a web site" "3. good" "Minimal good flow"
aligned "80x24: the directories line up under Found in" "Found in" \
	"1. sccm" "flows" "2. web" "flows" "3. good" "${DATA:0:8}"
assert_match "80x24: a long title is cut with an ellipsis" "$(row_with "1. sccm")" 'Software update[^…]*…  +flows'
assert_match "80x24: a long directory is cut with an ellipsis" "$(row_with "3. good")" "${DATA:0:8}[^ ]*…"
assert_not_contains "80x24: the long directory is not whole" "$(screen)" "$DATA"

resize 40 12
check_gone "40x12: the directory column is left out" "Found in"
check_re "40x12: the headings of the two columns left" 'Flow +Title'
aligned "40x12: the ids still line up" "Flow" \
	"1. sccm" "sccm-sus" "2. web" "web-reach" "3. good" "good-min"
aligned "40x12: the titles still line up" "Title" \
	"1. sccm" "Software" "2. web" "Is a web" "3. good" "Minimal"
assert_match "40x12: a long id is cut with an ellipsis" "$(row_with "2. web")" 'web-reach[a-z]*…'
assert_match "40x12: a long title too" "$(row_with "1. sccm")" 'Software[a-z ]*…'
keys 3
check_screen "40x12: the number picks the flow of its row" "Checks the software update point."
keys q
check_screen "quit asks" "Quit tshoot?"
keys y
check_screen "quits" "EXITED 0"

# Line mode: too wide for 80 columns, so the ids line up and the rest wraps after them.
tui_start XDG_DATA_HOME="$T/data" -- --plain
check_screen "line mode: the chooser" "Which troubleshooting flow?"
check_screen "line mode: the third flow" "3) good-min"
aligned_plain() {
	local a b c
	a=$(col "$(row_with "1) sccm")" "Software")
	b=$(col "$(row_with "2) web")" "Is a web")
	c=$(col "$(row_with "3) good")" "Minimal")
	if [ "$a" = "$b" ] && [ "$b" = "$c" ] && [ "$a" != -1 ]; then ok "line mode: the titles start at one column"; else
		not_ok "line mode: the titles start at one column ($a $b $c)"; screen | sed 's/^/#   | /'; fi
}
aligned_plain
assert_contains "line mode: nothing is cut" "$(screen | tr -d '\n ')" "$(printf '%s' "$DATA" | tr -d ' ')"
type_text "web-reachability"
keys Enter
check_screen "line mode: the id picks the flow" "Is a web site reachable?"
type_text q
keys Enter
check_screen "line mode: quit asks" "Quit now?"
type_text y
keys Enter
check_screen "line mode: quits" "EXITED 0"

done_testing
