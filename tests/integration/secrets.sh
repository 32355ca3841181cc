#!/bin/bash
# Secrets: a password in a URL on the `tshoot check` command line (and a secret preset
# with --set) is gone from /proc/PID/cmdline while the check runs and never printed in
# an error message; a secret flow variable used in a check URL never appears in line
# mode (the row, the summary, the facts, the "try:" command), in the journal or in any
# report format, even when it holds a tab. (Full-screen mode: tests/tui/tui-secrets.sh.)
source "$TOP/tests/lib.sh"

H=$(free_port)
"$FIXTURES/hold_fixture" "$H" hold 60 &
track_pid $!
wait_port "$H" 50 || not_ok "the silent server listens on $H"

# running DESC SECRET... -- ARGS...: start `tshoot check ARGS` against the silent server,
# wait until it is connected (so the check runs), then read its command line: none of
# the SECRETs may be in it. Ctrl-C then ends it (exit 130).
running() {
	local d=$1 secrets=() s; shift
	while [ "$1" != -- ]; do secrets+=("$1"); shift; done
	shift
	"$TSHOOT" check "$@" --timeout 30 >"$T/out" 2>"$T/err" </dev/null &
	local pid=$! i=0
	while ! ss -Htn state established "dport = :$H" 2>/dev/null | grep -q . && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	local cmd
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
	if kill -0 "$pid" 2>/dev/null && [ -n "$cmd" ]; then ok "$d: the check runs"; else not_ok "$d: the check runs"; fi
	for s in "${secrets[@]}"; do
		assert_not_contains "$d: '$s' is not in /proc/PID/cmdline" "$cmd" "$s"
	done
	assert_contains "$d: the URL is still there, its password hidden" "$cmd" ":*"
	kill -INT "$pid"
	wait "$pid"
	assert_eq "$d: Ctrl-C ends it" 130 "$?"
	local all
	all=$(cat "$T/out" "$T/err")
	for s in "${secrets[@]}"; do
		assert_not_contains "$d: '$s' is not in the output" "$all" "$s"
	done
}

running "http URL with user:password" secretpw -- http "http://u:secretpw@127.0.0.1:$H/"
running "--proxy with user:password" proxypw -- http "http://127.0.0.1:1/" --proxy "http://u:proxypw@127.0.0.1:$H"
running "--proxy=URL" proxypw -- http "http://127.0.0.1:1/" "--proxy=http://u:proxypw@127.0.0.1:$H"
running "check proxy URL and --target" proxypw targetpw -- proxy "http://u:proxypw@127.0.0.1:$H" \
	--target "http://t:targetpw@127.0.0.1:1/"
running "a proxy without a scheme" proxypw -- proxy "u:proxypw@127.0.0.1:$H" --target "http://127.0.0.1:1/"

# A secret flow variable preset with --set: gone from the command line while the walk's
# check runs (against the silent server).
printf '\n\n' >"$T/in"
"$TSHOOT" --plain --no-journal --set "port=$H" --set pw=SetSecret-55 "$TOP/tests/flows/secret-check.yaml" \
	<"$T/in" >"$T/out" 2>&1 &
pid=$!
i=0
while ! grep -q "Running 1 check" "$T/out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
assert_contains "--set: the walk's check runs" "$(cat "$T/out")" "Running 1 check"
assert_contains "--set: the variable is still on the command line" "$cmd" "--set pw=*"
assert_not_contains "--set: a secret's value is not in /proc/PID/cmdline" "$cmd" "SetSecret-55"
kill -TERM "$pid"
wait "$pid"
assert_not_contains "--set: nor in the output" "$(cat "$T/out")" "SetSecret-55"

# Error messages: one line, exit 2, the password masked even when the URL is malformed.
bad_url() {
	local d=$1 want=$2 secret=$3; shift 3
	local err rc
	err=$("$TSHOOT" check "$@" 2>&1 >/dev/null </dev/null); rc=$?
	assert_eq "$d: exit 2" 2 "$rc"
	assert_eq "$d: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
	assert_contains "$d: the message" "$err" "$want"
	assert_not_contains "$d: no password" "$err" "$secret"
}
bad_url "malformed URL" "malformed URL 'http://u:********@[bad/'" secretpw http 'http://u:secretpw@[bad/'
bad_url "malformed URL, a '/' in the password" "malformed URL 'http://u:********@h['" "se/cr" \
	http 'http://u:se/cr#et@h['
bad_url "malformed --proxy" "malformed proxy URL 'http://u:********@[bad'" proxypw \
	http "http://127.0.0.1:1/" --proxy 'http://u:proxypw@[bad'
bad_url "malformed --target" "malformed --target URL 'http://t:********@[x'" targetpw \
	proxy "http://127.0.0.1:$H" --target 'http://t:targetpw@[x'
bad_url "a URL where a host belongs" "bad host 'http://u:********@h/'" secretpw tls 'http://u:secretpw@h/'

# --- a secret flow variable in a check URL, line mode ---------------------------------
P=$(free_port)
"$FIXTURES/hold_fixture" "$P" 503 60 &
track_pid $!
wait_port "$P" 50 || not_ok "the 503 server listens on $P"
FLOW=$TOP/tests/flows/secret-check.yaml
PW='Pw-9x!tab'
out=$(printf '%s\n%s\n\n\n' "$P" "$PW" | "$TSHOOT" --plain --report "$T/r.txt" "$FLOW" 2>&1); rc=$?
assert_eq "walk: ends in an escalation" 1 "$rc"
assert_contains "the row: target masked" "$out" "http://127.0.0.1:$P/login?key=********"
assert_contains "the summary: masked" "$out" "HTTP 503 Service Unavailable from"
assert_contains "the 'try:' command: masked" "$out" "'http://127.0.0.1:$P/login?key=********'"
assert_not_contains "line mode never shows the secret" "$out" "$PW"
assert_not_contains "nor its URL-encoded form" "$out" "Pw-9x%21tab"
J=$(ls "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
if [ -n "$J" ] && grep -q 'login?key=\*\*\*\*\*\*\*\*' "$J"; then ok "the journal keeps the masked result"; else
	not_ok "the journal keeps the masked result"; fi
assert_eq "the journal never holds the secret" 0 "$(grep -c -- "$PW" "$J")"
assert_not_contains "the text report never holds it" "$(cat "$T/r.txt")" "$PW"
for fmt in text md json answers; do
	rep=$("$TSHOOT" report "$J" --format "$fmt" 2>&1)
	assert_contains "report --format $fmt: written" "$rep" "secret-check"
	assert_not_contains "report --format $fmt: no secret" "$rep" "$PW"
	[ "$fmt" != json ] || assert_schema "report --format json: valid (tshoot-report)" tshoot-report "$rep"
done

# A secret with a tab makes the URL malformed: the check's error message shows the URL
# cleaned (the tab as a space), and the secret is masked in that form too.
PW2=$'tab\tpass-71'
out=$(printf '%s\n%s\n\n\n' "$P" "$PW2" | "$TSHOOT" --plain --no-journal "$FLOW" 2>&1)
assert_contains "a secret with a tab: the check's error is shown" "$out" "malformed URL"
assert_contains "a secret with a tab: masked in it" "$out" "login?key=********"
assert_not_contains "a secret with a tab: never shown as typed" "$out" "$PW2"
assert_not_contains "a secret with a tab: nor cleaned" "$out" "tab pass-71"
assert_not_contains "a secret with a tab: nor in part" "$out" "pass-71"

done_testing
