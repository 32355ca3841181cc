#!/bin/bash
# faults.sh — what the operator sees when things go wrong around a walk: a disk that
# fills up under the journal (said once, at once; never "saved" when it is not), a
# report that cannot be written (non-zero exit, one line), two tshoot resuming one
# journal (the second refused), signals (tshoot check: 143 on SIGTERM, 130 on SIGINT;
# line mode: SIGHUP and SIGTERM save, say so and exit 128 + the signal), and response
# headers too large for libcurl (said as such, not as a closed connection).
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/session-small.yaml"
SESS="$XDG_STATE_HOME/tshoot/sessions"
export COLUMNS=1000       # line mode: long messages on one line each, for grep

# wait_exit PID: until PID has exited (10 s at most); its status in $rc
wait_exit() {
	local i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -0 "$1" 2>/dev/null && kill -9 "$1"
	wait "$1" 2>/dev/null
	rc=$?
}
count() { printf '%s\n' "$1" | grep -cF -- "$2"; }
# wait_count FILE TEXT N: until TEXT is in FILE N times (10 s at most)
wait_count() {
	local i=0
	while [ $i -lt 100 ]; do
		[ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# --- a journal write that fails ------------------------------------------------------
# diskfull WHY: a line-mode walk whose journal starts fine and then cannot grow: WHY is
# "tmpfs" (the sessions directory on a 256 KB tmpfs, filled up once the walk started;
# ENOSPC) or "ulimit" (a 4 KB file size limit; EFBIG). The paste of 5 KB is the first
# event that does not fit. Sets out, rc and journal (the journal as the walk left it).
diskfull() {
	local why=$1 state=$T/df-$1 pid sess
	mkdir -p "$state"
	rm -f "$T/df.in" "$T/df.rc"
	mkfifo "$T/df.in"
	if [ "$why" = tmpfs ]; then
		XDG_STATE_HOME=$state unshare -m --propagation unchanged \
			sh -c 'mount -t tmpfs -o size=256k tmpfs "$0" && exec "$@"' "$state" \
			"$TSHOOT" --plain "$FLOW" <"$T/df.in" >"$T/df.out" 2>&1 &
		pid=$!
		# the walk's own view of its files: its mount namespace, through /proc/PID/root
		sess=/proc/$pid/root$state/tshoot/sessions
	else
		# the limit would cut the transcript too: that goes through a pipe
		( trap '' XFSZ; ulimit -f 4; XDG_STATE_HOME=$state "$TSHOOT" --plain "$FLOW"; echo $? >"$T/df.rc" ) \
			<"$T/df.in" 2>&1 | cat >"$T/df.out" &
		pid=$!
		sess=$state/tshoot/sessions
	fi
	track_pid "$pid"
	exec 3>"$T/df.in"
	wait_file "$T/df.out" "Press Enter"
	[ "$why" = tmpfs ] && dd if=/dev/zero of="/proc/$pid/root$state/fill" bs=4k 2>/dev/null
	printf '\n3\n' >&3
	wait_file "$T/df.out" "end with an empty line"
	printf 'No space left on device %s\n\n' "$(head -c 5000 /dev/zero | tr '\0' x)" >&3
	wait_file "$T/df.out" "Did it help?"
	printf 'b\nNo space left on device\n\n' >&3     # more events after the failure
	wait_count "$T/df.out" "Did it help?" 2
	journal=$(cat "$sess"/*.journal 2>/dev/null)
	printf 'q\ny\n' >&3
	exec 3>&-
	wait_exit "$pid"
	[ "$why" = ulimit ] && rc=$(cat "$T/df.rc" 2>/dev/null)
	out=$(cat "$T/df.out")
}

if unshare -m --propagation unchanged sh -c 'mount -t tmpfs -o size=64k tmpfs "$0"' "$T" 2>/dev/null; then
	whys="tmpfs ulimit"
else
	whys="ulimit"
	skip "no tmpfs in a mount namespace here: the disk-full walk on a full tmpfs (it runs with ulimit -f only)"
fi
for why in $whys; do
	diskfull "$why"
	err="No space left on device"
	[ "$why" = ulimit ] && err="File too large"
	assert_eq "$why: the walk goes on and quits (exit 0)" 0 "$rc"
	assert_contains "$why: the failed write is reported, with the reason" "$out" \
		"note: warning: cannot write the session journal"
	assert_contains "$why: ... naming the cause" "$out" "$err; this step and those after it are not saved."
	assert_eq "$why: ... once, though later events fail too" 1 "$(count "$out" "warning: cannot write the session journal")"
	# at once: before the next screen, not at the end
	first_warn=$(printf '%s\n' "$out" | grep -nF "warning: cannot write" | head -1 | cut -d: -f1)
	first_steps=$(printf '%s\n' "$out" | grep -nF "Did it help?" | head -1 | cut -d: -f1)
	if [ -n "$first_warn" ] && [ -n "$first_steps" ] && [ "$first_warn" -lt "$first_steps" ]; then
		ok "$why: reported at once (before the next screen)"
	else
		not_ok "$why: reported at once (warning at line ${first_warn:-none}, next screen at ${first_steps:-?})"
	fi
	assert_not_contains "$why: never says the session is saved" "$out" "is saved"
	assert_not_contains "$why: ... nor 'Session saved'" "$out" "Session saved"
	assert_not_contains "$why: ... nor promises a --resume" "$out" "--resume"
	assert_contains "$why: the quit question makes no promise" "$out" "Quit now? (y/n)"
	assert_contains "$why: the last word says the session is not saved" "$out" \
		"The session is not saved completely (cannot write the session journal"
	# the journal ends with the last whole event (the half-written one taken back)
	last=$(printf '%s\n' "$journal" | tail -1)
	assert_match "$why: the journal ends with the last whole event" "$last" '^\{"ev":"step","node":"pick".*\}$'
	assert_eq "$why: ... and holds no part of the failed one" 0 "$(count "$journal" "xxxxxxxx")"
done

# --- a report that cannot be written ----------------------------------------------------
printf '\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1     # a journal stopped at "pick"
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
[ -n "$jn" ] && ok "a journal to report on" || not_ok "a journal to report on"
# A full device of our own (not /dev/full: a regression must not replace the machine's).
if mknod "$T/full" c 1 7 2>/dev/null; then
	out=$("$TSHOOT" report "$jn" --format md -o "$T/full" 2>&1); rc=$?
	assert_eq "report -o a full device: exit 3" 3 "$rc"
	assert_eq "report -o a full device: one line" "tshoot: cannot write $T/full: No space left on device" "$out"
	assert_eq "report -o a full device: the device is still a device" "character special file" \
		"$(stat -c %F "$T/full")"
	out=$(printf '\n1\n127.0.0.1\n1\n\nn\n' | "$TSHOOT" --plain --no-journal "$FLOW" --report "$T/full" 2>&1); rc=$?
	assert_eq "--report to a full device: exit 3" 3 "$rc"
	assert_contains "--report to a full device: says so" "$out" \
		"note: Could not write the report: cannot write $T/full: No space left on device"
else
	skip "mknod not permitted: the full-device cases"
fi
out=$("$TSHOOT" report "$jn" -o "$T/no/such/dir/r.md" 2>&1); rc=$?
assert_eq "report -o in a missing directory: exit 3" 3 "$rc"
assert_contains "report -o in a missing directory: says why" "$out" "No such file or directory"
out=$(printf '\n1\n127.0.0.1\n1\n\nn\n' | "$TSHOOT" --plain --no-journal "$FLOW" --report "$T/no/such/dir/r.md" 2>&1); rc=$?
assert_eq "--report in a missing directory: exit 3, not the walk's 1" 3 "$rc"
assert_contains "--report in a missing directory: says so" "$out" "Could not write the report"
assert_contains "--report in a missing directory: the walk still ends" "$out" "ESCALATE"

# --- two tshoot on one journal --------------------------------------------------------
rm -f "$T/lock.in"; mkfifo "$T/lock.in"
"$TSHOOT" --plain --resume "$jn" <"$T/lock.in" >"$T/lock.out" 2>&1 &
first=$!
track_pid "$first"
exec 4>"$T/lock.in"
wait_file "$T/lock.out" "Which symptom do you see?" || not_ok "the first resume did not start"
out=$("$TSHOOT" --plain --resume "$jn" </dev/null 2>&1); rc=$?
assert_eq "a second resume of the same journal: exit 2" 2 "$rc"
assert_eq "a second resume: one clear line naming the other process" \
	"tshoot: the session $jn is open in another tshoot (pid $first); continue it there, or quit that one first" "$out"
size=$(stat -c %s "$jn")
out=$("$TSHOOT" --plain --resume </dev/null 2>&1); rc=$?
assert_eq "--resume (the latest) while it is open elsewhere: refused too" 2 "$rc"
assert_eq "the refused resumes wrote nothing to the journal" "$size" "$(stat -c %s "$jn")"
printf '3\n' >&4
wait_file "$T/lock.out" "end with an empty line"
assert_contains "the first walk goes on undisturbed" "$(cat "$T/lock.out")" "Paste the error"
exec 4>&-
wait_exit "$first"
assert_eq "the first walk stops at end of input (exit 0)" 0 "$rc"
out=$("$TSHOOT" --plain --resume "$jn" </dev/null 2>&1); rc=$?
assert_eq "once it ended, the journal can be resumed again" 0 "$rc"
assert_contains "... and is" "$out" "Resumed: 2 earlier steps restored."
# a walk that is still being made (not resumed) is held as well
rm -f "$T/lock.in"; mkfifo "$T/lock.in"
"$TSHOOT" --plain "$FLOW" <"$T/lock.in" >"$T/lock2.out" 2>&1 &
first=$!
track_pid "$first"
exec 4>"$T/lock.in"
wait_file "$T/lock2.out" "Press Enter"
jn2=$(grep -lE "\"pid\":$first[,}]" "$SESS"/*.journal | head -1)
out=$("$TSHOOT" --plain --resume "$jn2" </dev/null 2>&1); rc=$?
assert_eq "resuming a journal its first walk still writes: exit 2" 2 "$rc"
assert_contains "... with the reason" "$out" "is open in another tshoot (pid $first)"
exec 4>&-
wait_exit "$first"

# --- signals --------------------------------------------------------------------------
H=$(free_port)
"$FIXTURES/hold_fixture" "$H" hold 60 &
track_pid $!
wait_port "$H" 50
for sig in TERM INT; do
	"$TSHOOT" check http "http://127.0.0.1:$H/" --timeout 20 >"$T/sig.out" 2>&1 &
	cpid=$!
	track_pid "$cpid"
	# the check is under way (its handlers set) once its connection is up
	i=0
	while ! ss -Htn state established "( dport = :$H )" 2>/dev/null | grep -q . && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -"$sig" "$cpid"
	wait_exit "$cpid"
	want=$((128 + $(kill -l "$sig")))
	assert_eq "tshoot check stopped by SIG$sig: exit $want" "$want" "$rc"
	assert_match "tshoot check stopped by SIG$sig: the result is printed (a clean exit)" \
		"$(cat "$T/sig.out")" "^FAIL +cancelled +"
done

# line mode: SIGHUP (the terminal went away) and SIGTERM at a prompt
for sig in HUP TERM; do
	rm -f "$SESS"/*.journal "$T/sig.in"; mkfifo "$T/sig.in"
	"$TSHOOT" --plain "$FLOW" <"$T/sig.in" >"$T/sig.out" 2>&1 &
	pid=$!
	track_pid "$pid"
	exec 4>"$T/sig.in"
	wait_file "$T/sig.out" "Press Enter"
	printf '\n' >&4
	wait_file "$T/sig.out" "Which symptom do you see?"
	# no pause: a signal that comes before tshoot waits for the line must end it too
	kill -"$sig" "$pid"
	wait_exit "$pid"
	exec 4>&-
	want=$((128 + $(kill -l "$sig")))
	out=$(cat "$T/sig.out")
	assert_eq "line mode, SIG$sig: exit $want" "$want" "$rc"
	assert_contains "line mode, SIG$sig: says so, and that the session is saved" "$out" \
		"note: Stopped by SIG$sig"
	assert_contains "line mode, SIG$sig: ... with how to continue" "$out" \
		"the session is saved; continue it with 'tshoot --resume'."
	list=$("$TSHOOT" sessions 2>&1)
	assert_contains "line mode, SIG$sig: the journal holds the walk up to the question" "$list" " pick "
done

# --- response headers too large -------------------------------------------------------
for mode in bigheader manyheaders; do
	P=$(free_port)
	"$FIXTURES/httpd_fixture" "$mode" "$P" &
	track_pid $!
	wait_port "$P" 50
	out=$("$TSHOOT" check http "http://127.0.0.1:$P/" --timeout 5 2>&1); rc=$?
	assert_eq "$mode: exit 1" 1 "$rc"
	assert_match "$mode: the outcome says the headers are too large" "$out" \
		"^FAIL +headers_too_large +response headers too large from http://127.0.0.1:$P/"
	assert_not_contains "$mode: not a closed connection" "$out" "closed the connection"
done

done_testing
