#!/bin/bash
# `tshoot check` command line: kinds, positional forms (HOST[:PORT], [v6]:PORT),
# options before or after the positional, bad input (exit 2, one stderr line, no
# traffic), --help, and Ctrl-C cancelling a running check.
source "$TOP/tests/lib.sh"

# run ARGS...: sets out, err, rc
run() { out=$("$TSHOOT" check "$@" 2>"$T/err" </dev/null); rc=$?; err=$(cat "$T/err"); }
# bad DESC STDERR-ERE ARGS...
bad() {
	local d=$1 re=$2; shift 2
	run "$@"
	assert_eq "$d: exit 2" 2 "$rc"
	assert_eq "$d: one stderr line" 1 "$(printf '%s\n' "$err" | wc -l)"
	assert_match "$d: message" "$err" "$re"
	assert_eq "$d: nothing on stdout" "" "$out"
}

P=$(free_port)
"$FIXTURES/httpd_fixture" slow "$P" 0 &
track_pid $!
wait_port "$P" 50 || not_ok "fixture listens"
C=$(free_port)

run --help
assert_eq "check --help: exit 0" 0 "$rc"
assert_contains "check --help lists the kinds" "$out" "  proxy  reach a URL through a proxy"
run
assert_eq "check with no kind: exit 2" 2 "$rc"
bad "unknown kind" "^tshoot: check: unknown check kind 'ftp'" ftp x

for k in http tls cert proxy tcp dns log; do
	run "$k" --help
	assert_eq "check $k --help: exit 0" 0 "$rc"
	assert_match "check $k --help: usage" "$out" "^usage: tshoot check $k "
done

# options before and after the positional
run http --timeout 2 "http://127.0.0.1:$P/"
assert_match "option before the URL" "$out" "^OK +ok "
run http "http://127.0.0.1:$P/" --timeout=2 --json
assert_match "options after the URL, --opt=value form" "$out" '^\{"check":"http".*"outcome":"ok"'
assert_schema "options after the URL: --json valid" tshoot-check "$out"

# tcp / tls positional forms
run tcp "127.0.0.1:$P"
assert_match "tcp HOST:PORT open: ok" "$out" "^OK +ok "
assert_eq "tcp ok: exit 0" 0 "$rc"
run tcp "127.0.0.1:$C"
assert_match "tcp closed port: refused" "$out" "^FAIL +refused "
assert_eq "tcp refused: exit 1" 1 "$rc"
if ip -6 addr show lo 2>/dev/null | grep -q '::1'; then
	run tcp "[::1]:$C"
	assert_match "tcp [::1]:PORT form: refused" "$out" "^FAIL +refused "
fi
run tls "127.0.0.1:$C" --timeout 2
assert_match "tls HOST:PORT, closed port: refused" "$out" "^FAIL +refused "
bad "tcp without a port" "missing port in '127.0.0.1'" tcp 127.0.0.1
bad "tcp port out of range" "port must be a number from 1 to 65535" tcp 127.0.0.1:70000
bad "tcp host with a space" "hostname contains a space" tcp "bad host:80"
bad "tcp given a URL" "bad host 'https://sup.example.com/x': enter a host name, not a URL" tcp "https://sup.example.com/x"
bad "tls given a URL with a port" "enter a host name, not a URL" tls "https://sup.example.com:8531/x"
bad "dns given a URL" "bad name 'http://sup.example.com': enter a host name, not a URL" dns "http://sup.example.com"
bad "tcp host with a control character" "control character" tcp "$(printf 'a\tb:80')"
bad "tls bad bracket" "malformed address" tls "[::1:443"
bad "tls port 0" "port must be a number from 1 to 65535" tls "127.0.0.1:0"
bad "tls --warn-days" "--warn-days must be a whole number of days from 0 to 3650, not 'soon'" \
	tls 127.0.0.1 --warn-days soon
bad "tls --warn-days over the table's 3650" "--warn-days must be a whole number of days from 0 to 3650, not '3651'" \
	tls 127.0.0.1 --warn-days 3651
bad "tls --name with a space" "bad --name" tls 127.0.0.1 --name "a b"
bad "tls missing --cacert" "cannot read --cacert file" tls 127.0.0.1 --cacert "$T/none.pem"
bad "dns name with a space" "hostname contains a space" dns "bad name"
bad "log missing file" "cannot read log file" log "$T/none.log" --flow x
: >"$T/empty.log"
mkdir -p "$T/noflows"
cd "$T/noflows" || exit 1
XDG_DATA_HOME="$T/noflows" bad "log without --flow, no flow installed" \
	"no --flow FLOW and no flow installed \(\./flows, " log "$T/empty.log"
cd "$OLDPWD" || exit 1
bad "log unknown flow" "no flow 'no-such-flow-xyz'" log "$T/empty.log" --flow no-such-flow-xyz
bad "--timeout for log" "option --timeout does not apply to check log" log "$T/empty.log" --timeout 1
bad "--target for http" "does not apply to check http" http "http://127.0.0.1:$P/" --target x
bad "--proxy-user without a value" "needs an argument" http "http://127.0.0.1:$P/" --proxy-user
bad "empty --expect" "needs a non-empty argument" http "http://127.0.0.1:$P/" --expect ""
bad "--json takes no argument" "option --json takes no argument" http "http://127.0.0.1:$P/" --json=yes

# --help is written from the kind's parameter table: its options, metavars and defaults
run tls --help
assert_match "tls --help: --warn-days from the table, with its default" "$out" \
	'--warn-days N +warn when the certificate expires within this many days \(default 30\)'
assert_not_contains "tls --help: no option for the port (it is in HOST[:PORT])" "$out" "--port"
run log --help
assert_not_contains "log --help: no --timeout (not on the command line)" "$out" "--timeout"
run http --help
assert_match "http --help: --follow is a flag" "$out" '--follow +follow redirects'
assert_not_contains "http --help: no option for the password" "$out" "--proxy-password"

# Ctrl-C cancels a running check promptly
B=$(free_port)
"$FIXTURES/httpd_fixture" blackhole "$B" &
track_pid $!
wait_port "$B" 50
"$TSHOOT" check http "http://127.0.0.1:$B/" --timeout 20 >"$T/cancel.out" 2>&1 &
cpid=$!
track_pid $cpid
# the check is under way (its handlers set) once its connection is up
i=0
while ! ss -Htn state established "( dport = :$B )" 2>/dev/null | grep -q . && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
t0=$(date +%s%N)
kill -INT "$cpid"
# bounded: well before the check's own 20 s timeout could end it
i=0; while kill -0 "$cpid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if kill -0 "$cpid" 2>/dev/null; then not_ok "Ctrl-C: the check stops (still running after ${ms} ms)"; kill -9 "$cpid"
else ok "Ctrl-C: the check stops at once, not at its timeout (${ms} ms)"; fi
wait "$cpid"; rc=$?
assert_eq "Ctrl-C: exit 130" 130 "$rc"
assert_match "Ctrl-C: outcome cancelled" "$(cat "$T/cancel.out")" "^FAIL +cancelled +cancelled by the operator"
done_testing
