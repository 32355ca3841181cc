#!/bin/bash
# nagios.sh — `tshoot check ... --nagios` as Icinga or Nagios runs a plugin: no terminal
# (setsid), stdin from /dev/null, under timeout(1). One line on stdout, "TSHOOT KIND
# STATE - text | perfdata", and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN: tls against
# openssl s_server (a certificate expiring in 12 days, an expired one, a good one), http
# against nginx and httpd_fixture, tcp to a closed port, bad input, a check stopped by
# the monitoring system's timeout, a proxy account with no one to ask for its password.
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"

command -v openssl >/dev/null || { echo "# openssl missing"; exit 1; }
command -v setsid >/dev/null || { echo "# setsid missing"; exit 1; }

D=$T/nginx/certs
make_certs "$D" || not_ok "test certificates made"
start_nginx "$T/nginx" || { not_ok "nginx starts"; done_testing; }
# a leaf of the same CA that expires in 12 days, served by openssl s_server
openssl req -newkey rsa:2048 -nodes -keyout "$D/soon.key" -out "$D/soon.csr" -subj "/CN=localhost" 2>/dev/null &&
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$D/soon.ext" &&
openssl x509 -req -in "$D/soon.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" -CAcreateserial -days 12 \
	-extfile "$D/soon.ext" -out "$D/soon.pem" 2>/dev/null || not_ok "the expiring certificate is made"
SOON=$(free_port)
openssl s_server -accept "127.0.0.1:$SOON" -cert "$D/soon.pem" -key "$D/soon.key" -www -quiet \
	</dev/null >"$T/s_server.log" 2>&1 &
track_pid $!
wait_port "$SOON" || not_ok "s_server listens"

# plugin ARGS...: `tshoot check ARGS --nagios` as a monitoring system runs it; out, rc
plugin() {
	out=$(setsid -w timeout 30 "$TSHOOT" check "$@" --nagios </dev/null 2>"$T/err")
	rc=$?
	err=$(cat "$T/err")
}
# one_line DESC: exactly one line on stdout, nothing on stderr
one_line() {
	assert_eq "$1: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
	assert_eq "$1: nothing on stderr" "" "$err"
}

# ---- tls: WARNING, CRITICAL, OK
plugin tls "127.0.0.1:$SOON" --name localhost --cacert "$D/ca.pem"
assert_eq "tls expiring in 12 days: exit 1 WARNING" 1 "$rc"
assert_match "tls expiring: the plugin line" "$out" \
	"^TSHOOT TLS WARNING - 127\.0\.0\.1:$SOON certificate for localhost expires in 12 days \(not after [0-9-]+\) \| days_left=12;30;0 time=[0-9]+\.[0-9]{3}s;;;0 handshake=[0-9]+\.[0-9]{3}s;;;0$"
one_line "tls expiring"
plugin tls "127.0.0.1:$SOON" --name localhost --cacert "$D/ca.pem" --crit-days 14
assert_eq "tls expiring within --crit-days: exit 2 CRITICAL" 2 "$rc"
assert_match "tls --crit-days: CRITICAL, thresholds in the perfdata" "$out" "^TSHOOT TLS CRITICAL - .*\| days_left=12;30;14 "
plugin tls "127.0.0.1:$SOON" --name localhost --cacert "$D/ca.pem" --warn-days 10
assert_eq "tls --warn-days 10: exit 0 OK" 0 "$rc"
assert_match "tls OK line" "$out" "^TSHOOT TLS OK - .*certificate for localhost is valid until .*\| days_left=12;10;0 "
plugin tls "127.0.0.1:$NGX_TLS_EXPIRED" --name localhost --cacert "$D/ca.pem"
assert_eq "tls expired: exit 2 CRITICAL" 2 "$rc"
assert_match "tls expired: line" "$out" "^TSHOOT TLS CRITICAL - 127\.0\.0\.1:$NGX_TLS_EXPIRED certificate for localhost expired [0-9]+ days ago .*\| days_left=-[0-9]+;30;0 "
plugin tls "127.0.0.1:$NGX_TLS_OTHER" --name localhost --cacert "$D/ca.pem"
assert_eq "tls wrong name: CRITICAL" "2 TSHOOT TLS CRITICAL" "$rc ${out%% - *}"
plugin tls "127.0.0.1:$NGX_TLS_GOOD" --name localhost --cacert "$D/ca.pem"
assert_eq "tls good: OK" "0 TSHOOT TLS OK" "$rc ${out%% - *}"

# ---- http: OK with every timing as perfdata, CRITICAL on a bad status
plugin http "http://127.0.0.1:$NGX_PORT/ClientWebService/client.asmx"
assert_eq "http 200: exit 0" 0 "$rc"
assert_match "http 200: line and timings" "$out" \
	"^TSHOOT HTTP OK - .* \| time=[0-9.]+s;;;0 dns=[0-9.]+s;;;0 connect=[0-9.]+s;;;0 .*total=[0-9.]+s;;;0$"
one_line "http 200"
plugin http "http://127.0.0.1:$NGX_PORT/unavailable"
assert_eq "http 503: exit 2 CRITICAL" 2 "$rc"
assert_match "http 503: line" "$out" "^TSHOOT HTTP CRITICAL - .*503"
plugin http "https://localhost:$NGX_TLS_GOOD/" --cacert "$D/ca.pem"
assert_eq "https: OK" "0 TSHOOT HTTP OK" "$rc ${out%% - *}"
assert_match "https: the TLS timing too" "$out" " tls=[0-9.]+s;;;0"
fixture reset
plugin http "http://127.0.0.1:$FP/"
assert_eq "http reset by the server (httpd_fixture): CRITICAL" "2 TSHOOT HTTP CRITICAL" "$rc ${out%% - *}"

# ---- tcp: a closed port is CRITICAL
CLOSED=$(free_port)
plugin tcp "127.0.0.1:$CLOSED" --timeout 3
assert_eq "tcp closed port: exit 2" 2 "$rc"
assert_match "tcp closed port: CRITICAL line" "$out" "^TSHOOT TCP CRITICAL - 127\.0\.0\.1:$CLOSED refused the connection \| time="
plugin tcp "127.0.0.1:$NGX_PORT"
assert_match "tcp open: OK with connect time" "$rc $out" "^0 TSHOOT TCP OK - .*\| time=[0-9.]+s;;;0 connect=[0-9.]+s;;;0$"

# ---- bad input: UNKNOWN, exit 3, the line on stdout (a monitoring system reads stdout)
plugin tcp "127.0.0.1:99999"
assert_eq "bad port: exit 3 UNKNOWN" 3 "$rc"
assert_eq "bad port: line" "TSHOOT TCP UNKNOWN - bad port '99999': port must be a number from 1 to 65535" "$out"
one_line "bad port"
plugin tls 127.0.0.1 --warn-days soon
assert_match "bad --warn-days: UNKNOWN" "$rc $out" "^3 TSHOOT TLS UNKNOWN - --warn-days must be a whole number"
plugin tls 127.0.0.1 --bogus
assert_match "unknown option: UNKNOWN" "$rc $out" "^3 TSHOOT TLS UNKNOWN - unknown option '--bogus'"
plugin ftp x
assert_match "unknown kind: UNKNOWN" "$rc $out" "^3 TSHOOT CHECK UNKNOWN - unknown check kind 'ftp'"
plugin tls "127.0.0.1:$SOON" --cacert "$T/none.pem"
assert_match "missing --cacert: UNKNOWN" "$rc $out" "^3 TSHOOT TLS UNKNOWN - cannot read --cacert file"
plugin tls 127.0.0.1 --json
assert_match "--json with --nagios: UNKNOWN" "$rc $out" "^3 TSHOOT TLS UNKNOWN - --json and --nagios"
# without --nagios, bad input stays exit 2 on stderr
out=$("$TSHOOT" check tcp 127.0.0.1:99999 2>/dev/null </dev/null); rc=$?
assert_eq "without --nagios: bad input is still exit 2, nothing on stdout" "2 " "$rc $out"

# ---- stopped by the monitoring system's timeout (SIGTERM): UNKNOWN, exit 3
fixture blackhole
t0=$(date +%s)
out=$(setsid -w timeout --preserve-status -s TERM 1 "$TSHOOT" check http "http://127.0.0.1:$FP/" --timeout 20 --nagios \
	</dev/null 2>"$T/err"); rc=$?
assert_eq "SIGTERM from timeout(1): exit 3 UNKNOWN" 3 "$rc"
assert_eq "SIGTERM: the line" "TSHOOT HTTP UNKNOWN - http://127.0.0.1:$FP/ cancelled by the operator" "$out"
[ $(( $(date +%s) - t0 )) -lt 10 ] && ok "SIGTERM: stops at once, not at the check's timeout" ||
	not_ok "SIGTERM: stops at once, not at the check's timeout"
# the check's own timeout is CRITICAL (the service did not answer)
plugin http "http://127.0.0.1:$FP/" --timeout 1
assert_match "own timeout: CRITICAL" "$rc $out" "^2 TSHOOT HTTP CRITICAL - "

# ---- a proxy account with no password and no terminal: no prompt, no hang
plugin http "http://127.0.0.1:$NGX_PORT/ClientWebService/client.asmx" --proxy "http://127.0.0.1:$CLOSED" \
	--proxy-user svc --timeout 3
assert_match "proxy user without password: answered at once, no prompt" "$rc $out" "^2 TSHOOT HTTP CRITICAL - "

done_testing
