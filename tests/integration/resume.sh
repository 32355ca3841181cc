#!/bin/bash
# resume.sh — a plain walk killed with kill -9 mid-walk resumes where it stood, with
# earlier answers kept (checked through the report at the end); a truncated journal
# resumes with a warning naming the line. Which session --resume takes without a
# terminal (the newest with an answer, and it says which); no journal is left by a walk
# with no answer or a failed replay; sessions --prune; --no-journal promises no resume.
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/session-small.yaml"
SESS="$XDG_STATE_HOME/tshoot/sessions"


port=$(free_port)              # nothing listens: the live checks say "refused"
mkfifo "$T/in"
"$TSHOOT" --plain "$FLOW" <"$T/in" >"$T/out1" 2>&1 &
pid=$!
track_pid "$pid"
exec 3>"$T/in"
wait_file "$T/out1" "Press Enter" || not_ok "the walk did not start"
printf '\n' >&3
wait_file "$T/out1" "The service does not answer"
printf '1\n' >&3
wait_file "$T/out1" "Host of the service"
printf '127.0.0.1\n%s\n\n' "$port" >&3
if wait_file "$T/out1" "Did it help?"; then ok "the walk reached the steps node"; else not_ok "the walk reached the steps node"; sed 's/^/#   | /' "$T/out1" | tail -20; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 3>&-

jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
if [ -n "$jn" ]; then ok "a journal was written"; else not_ok "a journal was written"; fi
assert_eq "the journal is private" "600" "$(stat -c %a "$jn" 2>/dev/null)"
list=$("$TSHOOT" sessions 2>&1)
assert_contains "tshoot sessions lists the interrupted walk" "$list" "session-small"
assert_contains "tshoot sessions shows the node it stopped at" "$list" "start-service"

out=$(printf 'n\nq\n' | "$TSHOOT" --resume --plain --report "$T/r1.json" 2>&1)
rc=$?
assert_contains "the resumed walk shows the same node" "$out" "Restart the service"
assert_not_contains "the resumed walk does not ask the symptom again" "$out" "Which symptom do you see?"
assert_eq "the resumed walk ends in escalate (exit 1)" "1" "$rc"
r=$(cat "$T/r1.json" 2>/dev/null)
assert_schema "report of the resumed walk: valid (tshoot-report)" tshoot-report "$r"
assert_contains "report: the earlier answer is kept" "$r" '"answer": "The service does not answer"'
assert_contains "report: the earlier input is kept" "$r" "\"port\": \"$port\""
assert_contains "report: the check result is from before the interruption" "$r" '"stale": true'
assert_contains "report: the walk ended at escalate" "$r" '"end_node": "escalate"'
list=$("$TSHOOT" sessions 2>&1)
assert_contains "a finished walk is no longer resumable" "$list" "no sessions to resume"

# A journal whose last line was cut by a crash: the walk resumes, with a warning.
rm -f "$SESS"/*.journal
printf '\n1\n127.0.0.1\n%s\n\n' "$port" | "$TSHOOT" --plain "$FLOW" >"$T/out2" 2>&1
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
n=$(wc -l <"$jn")
printf '{"ev":"step","node":"start-serv' >>"$jn"
out=$(printf '1 2\ny\nq\n' | "$TSHOOT" --resume "$jn" --plain --report "$T/r2.md" 2>&1)
rc=$?
assert_match "the truncated line is named in a warning" "$out" "line $((n + 1)).*(truncated|corrupted)"
assert_eq "the walk went on to resolved (exit 0)" "0" "$rc"
r=$(cat "$T/r2.md" 2>/dev/null)
assert_contains "the report after the truncated journal ends resolved" "$r" "# Session test flow: resolved"
assert_contains "the report keeps the answer given before" "$r" "The service does not answer"

# --- --resume without a terminal takes the newest session with an answer, and says which
rm -f "$SESS"/*.journal
SUS="$TOP/flows/sccm-sus-sync.yaml"
# kill_walk NAME INPUT WANT: a plain walk of SUS fed INPUT from a FIFO, killed with
# kill -9 once its output shows WANT; its output in $T/NAME.out
kill_walk() {
	mkfifo "$T/$1.in"
	"$TSHOOT" --plain "$SUS" <"$T/$1.in" >"$T/$1.out" 2>&1 &
	local p=$!
	track_pid "$p"
	exec 4>"$T/$1.in"
	wait_file "$T/$1.out" "Press Enter" || not_ok "$1: the walk did not start"
	printf "$2" >&4
	if wait_file "$T/$1.out" "$3"; then ok "$1: the walk reached '$3'"; else not_ok "$1: the walk reached '$3'"; fi
	kill -9 "$p"
	wait "$p" 2>/dev/null
	exec 4>&-
}
kill_walk walk8 '\n1\n1\n1\n1\n1\n1\n1\n' "[9] WSUS web site"
j8=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
id8=$(basename "$j8" .journal)
touch -d '-2 min' "$j8"
kill_walk walk0 '' "Press Enter"          # killed before any answer: a newer, empty journal
assert_eq "two unfinished journals" 2 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"
out=$(printf '' | COLUMNS=200 "$TSHOOT" --resume --plain 2>&1)
assert_match "--resume says which session it took" "$out" \
	"Resuming session $id8: sccm-sus-sync, step 9, 8 answers, started [A-Z][a-z]{2} [0-9]{2} [0-9:]{5}, no terminal"
assert_contains "--resume took the 9-step walk, not the empty one" "$out" "[9] WSUS web site"
assert_not_contains "--resume did not start a walk afresh" "$out" "[1] Software update synchronization"
list=$("$TSHOOT" sessions 2>&1)
assert_match "tshoot sessions: the 8-step walk with its step and answers" "$list" "^$id8 +sccm-sus-sync +prereq-site +9 +8 "
assert_eq "tshoot sessions: the session with no answer is not listed" 2 "$(printf '%s\n' "$list" | wc -l)"

# --- a walk with no answer leaves no journal, and promises nothing
rm -f "$SESS"/*.journal
out=$(printf 'q\ny\n' | "$TSHOOT" --plain "$SUS" 2>&1)
assert_eq "a walk quit before any answer leaves no journal" 0 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"
assert_not_contains "quitting before any answer promises no resume" "$out" "resume"
out=$(printf '' | "$TSHOOT" --plain "$SUS" 2>&1)
assert_eq "end of input before any answer leaves no journal" 0 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"
assert_not_contains "end of input before any answer promises no resume" "$out" "resume"
out=$(printf '\nq\ny\n' | "$TSHOOT" --plain "$SUS" 2>&1)
assert_eq "a walk quit after an answer keeps its journal" 1 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"
assert_contains "and says it can be resumed" "$out" "continue it with 'tshoot --resume'"

# --- a failed --answers replay leaves no resumable journal
rm -f "$SESS"/*.journal
printf 'flow: sccm-sus-sync\nanswers:\n  way-in: 1\n' >"$T/part.yaml"
out=$("$TSHOOT" --answers "$T/part.yaml" "$SUS" 2>&1)
rc=$?
assert_eq "a replay missing an answer: exit 2" 2 "$rc"
assert_contains "it names the node" "$out" "'prereq-sum'"
assert_eq "a failed replay leaves no journal" 0 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"
assert_contains "nothing to resume after a failed replay" "$("$TSHOOT" sessions 2>&1)" "no sessions to resume"

# --- sessions --prune [--older-than AGE]
rm -f "$SESS"/*.journal
# newest_id: the id of the journal written last
newest_id() { basename "$(ls -t "$SESS"/*.journal | head -1)" .journal; }
printf '\n1\n127.0.0.1\n%s\n\nn\nq\n' "$port" | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1
finished=$(newest_id)
printf '\n1\n' | "$TSHOOT" --plain "$SUS" >/dev/null 2>&1
old=$(newest_id)
touch -d '40 days ago' "$SESS/$old.journal"
printf '\n1\n1\n' | "$TSHOOT" --plain "$SUS" >/dev/null 2>&1
recent=$(newest_id)
touch -d '2 days ago' "$SESS/$recent.journal"
mkfifo "$T/held.in"
"$TSHOOT" --plain "$SUS" <"$T/held.in" >"$T/held.out" 2>&1 &
held_pid=$!
track_pid "$held_pid"
exec 5>"$T/held.in"
printf '\n' >&5
wait_file "$T/held.out" "How to start" || not_ok "the held walk did not start"
held=$(newest_id)
touch -d '40 days ago' "$SESS/$held.journal"
assert_eq "four sessions before pruning" 4 "$(ls "$SESS"/*.journal | wc -l)"

out=$("$TSHOOT" sessions --older-than 30d 2>&1)
rc=$?
assert_eq "--older-than without --prune: exit 2" 2 "$rc"
assert_contains "--older-than without --prune: says so" "$out" "--older-than goes with --prune"
out=$("$TSHOOT" sessions --prune --older-than 30x 2>&1)
rc=$?
assert_eq "a bad age: exit 2" 2 "$rc"
assert_contains "a bad age: named" "$out" "'30x'"
assert_eq "nothing deleted on a usage error" 4 "$(ls "$SESS"/*.journal | wc -l)"

out=$("$TSHOOT" sessions --prune --older-than 30d 2>&1)
rc=$?
assert_eq "prune: exit 0" 0 "$rc"
assert_contains "prune: says it deleted the finished one" "$out" "deleted $finished (session-small, finished)"
assert_contains "prune: says it deleted the old one" "$out" "deleted $old (sccm-sus-sync, not updated since"
assert_contains "prune: keeps the held one, and says why" "$out" "kept $held (sccm-sus-sync): open in a running tshoot"
assert_not_contains "prune: says nothing of the recent one" "$out" "$recent"
assert_contains "prune: the count" "$out" "2 sessions deleted"
left=$(ls "$SESS" | sort | tr '\n' ' ')
assert_eq "prune: the recent and the held sessions are left" "$(printf '%s.journal\n' "$held" "$recent" | sort | tr '\n' ' ')" "$left"
out=$("$TSHOOT" sessions --prune --older-than 1d 2>&1)
assert_contains "prune --older-than 1d: the 2-day-old one goes" "$out" "deleted $recent (sccm-sus-sync, not updated since"
assert_eq "the held one is never deleted" "$held.journal" "$(ls "$SESS" | tr -d '\n')"
exec 5>&-
wait "$held_pid" 2>/dev/null

# --- --no-journal never promises a resume
rm -f "$SESS"/*.journal
# no_resume DESC OUTPUT: ok when OUTPUT never mentions resuming (any case)
no_resume() {
	if printf '%s' "$2" | grep -qi "resum"; then not_ok "$1"; printf '%s\n' "$2" | grep -i resum | sed 's/^/#   | /'
	else ok "$1"; fi
}
no_resume "--no-journal: quit after answers" "$(printf '\n1\n1\nq\ny\n' | "$TSHOOT" --plain --no-journal "$SUS" 2>&1)"
no_resume "--no-journal: end of input" "$(printf '\n1\n' | "$TSHOOT" --plain --no-journal "$SUS" 2>&1)"
no_resume "--no-journal: help and a refused quit" "$(printf '\n?\nq\nn\n1\n' | "$TSHOOT" --plain --no-journal "$SUS" 2>&1)"
mkfifo "$T/nj.in"
"$TSHOOT" --plain --no-journal "$SUS" <"$T/nj.in" >"$T/nj.out" 2>&1 &
nj_pid=$!
track_pid "$nj_pid"
exec 6>"$T/nj.in"
printf '\n1\n' >&6
wait_file "$T/nj.out" "Software update prerequisites" || not_ok "the --no-journal walk did not start"
kill -TERM "$nj_pid"
wait "$nj_pid" 2>/dev/null
exec 6>&-
no_resume "--no-journal: stopped by SIGTERM" "$(cat "$T/nj.out")"
assert_contains "--no-journal: SIGTERM said" "$(cat "$T/nj.out")" "Stopped by SIGTERM"
assert_eq "--no-journal: no journal" 0 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"
done_testing
