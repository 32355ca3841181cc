#!/bin/bash
# resume.sh — a plain walk killed with kill -9 mid-walk resumes where it stood, with
# earlier answers kept (checked through the report at the end); a truncated journal
# resumes with a warning naming the line.
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/session-small.yaml"
SESS="$XDG_STATE_HOME/tshoot/sessions"

# wait_for FILE TEXT: until FILE contains TEXT (10 s at most)
wait_for() {
	local i=0
	while [ $i -lt 100 ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

port=$(free_port)              # nothing listens: the live checks say "refused"
mkfifo "$T/in"
"$TSHOOT" --plain "$FLOW" <"$T/in" >"$T/out1" 2>&1 &
pid=$!
track_pid "$pid"
exec 3>"$T/in"
wait_for "$T/out1" "Press Enter" || not_ok "the walk did not start"
printf '\n' >&3
wait_for "$T/out1" "The service does not answer"
printf '1\n' >&3
wait_for "$T/out1" "Host of the service"
printf '127.0.0.1\n%s\n\n' "$port" >&3
if wait_for "$T/out1" "Did it help?"; then ok "the walk reached the steps node"; else not_ok "the walk reached the steps node"; sed 's/^/#   | /' "$T/out1" | tail -20; fi
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
done_testing
