#!/bin/bash
# lib_flows.sh — the shared sub-flows in flows/lib/, walked for real through a caller in
# line mode: lib/web-service.yaml against nginx (plain HTTP and HTTPS with test-made
# certificates), a closed port, a silent listener, a full accept queue and squid with
# basic auth; lib/internet-via-proxy.yaml against squid and a fake proxy answering 502.
# Each failure class must come back to the caller as its own named return. The proxy
# password never shows.
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"

WS=$TOP/flows/lib/web-service.yaml
IP=$TOP/flows/lib/internet-via-proxy.yaml
PW='Lib-Fl0ws-pw!'

out=$("$TSHOOT" lint "$WS" "$IP" 2>&1)
assert_eq "lint: the shared sub-flows are clean" 0 "$?"
assert_contains "lint: no warnings" "$out" "2 files, 0 errors, 0 warnings"

# caller FILE CALLEE RETURNS...: a caller passing its variables on and ending at
# "RETURN <name>" for each of the callee's returns (resolved and escalate as such).
caller() {
	local file=$1 callee=$2 r
	shift 2
	{
		cat <<YAML
id: $(basename "$file" .yaml)
title: Calls $(basename "$callee")
start: pick
vars:
  expect: {default: "200-399"}
$( [ "$callee" = "$WS" ] && printf '%s\n' '  host: {default: 127.0.0.1, validate: hostname}' \
	'  port: {default: "80", validate: port}' '  scheme: {default: http}' '  path: {default: /}' \
	'  cacert: {optional: true}' || printf '%s\n' '  target: {default: "https://127.0.0.1/", validate: url}')
  proxy_url: {optional: true, validate: url, default: ""}
  proxy_user: {optional: true, default: ""}
  proxy_password: {optional: true, secret: true}
nodes:
  pick:
    type: branch
    when:
      - {if: "\${proxy_url} != ''", next: creds}
    default: call
  creds:
    type: input
    vars: [proxy_user, proxy_password]
    next: call
  call:
    type: flow
    title: The call
    flow: $callee
YAML
		if [ "$callee" = "$WS" ]; then
			echo '    with: {host: "${host}", port: "${port}", scheme: "${scheme}", path: "${path}", expect: "${expect}", cacert: "${cacert}", proxy_url: "${proxy_url}", proxy_user: "${proxy_user}", proxy_password: "${proxy_password}", timeout: "3", service: "the test service", vantage: "the test machine"}'
		else
			echo '    with: {proxy_url: "${proxy_url}", proxy_user: "${proxy_user}", proxy_password: "${proxy_password}", target: "${target}", expect: "${expect}", timeout: "5", vantage: "the test machine"}'
		fi
		echo '    on:'
		# every escalating end of these callees has a return: no 'escalate' route
		for r in resolved "$@"; do echo "      $r: ret-$r"; done
		for r in resolved "$@"; do echo "  ret-$r: {type: end, result: resolved, text: \"RETURN $r\"}"; done
	} >"$file"
}
caller "$T/ws-caller.yaml" "$WS" cert_expiring no_dns refused port_timeout no_answer tls_handshake \
	tls_untrusted tls_name tls_expired http_401 http_403 http_404 http_4xx http_500 http_503 http_5xx \
	http_other proxy_auth proxy_refused proxy_error proxy_timeout bad_input
caller "$T/px-caller.yaml" "$IP" proxy_refused proxy_auth proxy_auth_refused connect_denied upstream \
	proxy_error proxy_timeout proxy_closed tls_inspection tls_error target_http bad_input
out=$("$TSHOOT" lint "$T/ws-caller.yaml" "$T/px-caller.yaml" 2>&1)
assert_eq "lint: the callers route every return" 0 "$?"
assert_contains "lint: callers without warnings (no route the callee never takes)" "$out" "2 files, 0 errors, 0 warnings"

all=""
# ws INPUT ARGS...: walk the web-service caller; sets out, rc
ws() { local input=$1; shift; out=$(printf "$input" | "$TSHOOT" --plain --no-journal "$@" "$T/ws-caller.yaml" 2>&1); rc=$?; all="$all$out"; }
px() { local input=$1; shift; out=$(printf "$input" | "$TSHOOT" --plain --no-journal "$@" "$T/px-caller.yaml" 2>&1); rc=$?; all="$all$out"; }
# returns DESC NAME: the walk came back with return NAME
returns() { assert_contains "$1 -> $2" "$out" "RETURN $2"; }

# ---- servers ---------------------------------------------------------------------
make_certs "$T/nginx/certs" || not_ok "test certificates made"
# one more leaf under the same CA, expiring in 5 days, served by openssl s_server
d=$T/nginx/certs
openssl req -newkey rsa:2048 -nodes -keyout "$d/soon.key" -out "$d/soon.csr" -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null &&
openssl ca -batch -config "$d/ca.cnf" -extensions leaf -startdate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" \
	-enddate "$(date -u -d '+5 days' +%Y%m%d%H%M%SZ)" -cert "$d/ca.pem" -keyfile "$d/ca.key" \
	-in "$d/soon.csr" -out "$d/soon.pem" -notext 2>/dev/null || not_ok "an expiring certificate made"
start_nginx "$T/nginx" || { not_ok "nginx starts"; done_testing; }
SOON=$(free_port)
openssl s_server -accept "127.0.0.1:$SOON" -cert "$d/soon.pem" -key "$d/soon.key" -www -quiet \
	</dev/null >"$T/s_server.log" 2>&1 &
track_pid $!
HOLD=$(free_port); "$FIXTURES/hold_fixture" "$HOLD" hold 120 & track_pid $!
FULL=$(free_port); "$FIXTURES/hold_fixture" "$FULL" full 120 & track_pid $!
BADGW=$(free_port); "$FIXTURES/hold_fixture" "$BADGW" 502 120 & track_pid $!
CLOSED=$(free_port)
for p in "$SOON" "$HOLD" "$FULL" "$BADGW"; do wait_port "$p" || not_ok "a fixture on $p did not start"; done
CA=$d/ca.pem

# ---- web-service, directly --------------------------------------------------------
ws "" --set port="$NGX_PORT" --set path=/ClientWebService/client.asmx
assert_eq "healthy service: exit 0" 0 "$rc"
returns "healthy service" resolved
assert_contains "the check's title names the vantage point" "$out" "Is port $NGX_PORT of 127.0.0.1 open from the test machine?"
ws "" --set host=nosuch.tshoot-test.invalid --set port="$NGX_PORT"
returns "a name that does not resolve" no_dns
ws "" --set port="$CLOSED"
returns "a closed port" refused
ws "" --set port="$FULL"
returns "a port whose connections go unanswered" port_timeout
ws "" --set port="$HOLD"
returns "a listener that never answers" no_answer
ws "" --set port="$NGX_PORT" --set path=/unavailable
returns "the application pool is down (503)" http_503
ws "" --set port="$NGX_PORT" --set path=/error
returns "the application fails (500)" http_500
ws "" --set port="$NGX_PORT" --set path=/missing
returns "a missing virtual directory (404)" http_404
ws "" --set port="$NGX_PORT" --set path=/Content
returns "access refused (403)" http_403
ws "" --set port="$NGX_PORT" --set path=/ApiRemoting30/WebService.asmx --set expect=200
returns "authentication where none was expected (401)" http_401
ws "" --set port="$NGX_PORT" --set path=/ApiRemoting30/WebService.asmx --set expect=200,401
returns "401 where it is healthy" resolved
ws "" --set port="$NGX_PORT" --set path=/redirect --set expect=200
returns "a redirect where 200 was expected" http_other

# ---- web-service over HTTPS --------------------------------------------------------
ws "" --set scheme=https --set port="$NGX_TLS_GOOD" --set cacert="$CA"
returns "a good certificate and answer" resolved
assert_contains "the certificate was checked" "$out" "Is the certificate of 127.0.0.1:$NGX_TLS_GOOD right?"
ws "" --set scheme=https --set port="$NGX_TLS_GOOD"
returns "a CA this machine does not trust" tls_untrusted
ws "" --set scheme=https --set port="$NGX_TLS_EXPIRED" --set cacert="$CA"
returns "an expired certificate" tls_expired
ws "" --set scheme=https --set port="$NGX_TLS_FUTURE" --set cacert="$CA"
returns "a certificate not valid yet" tls_expired
ws "" --set scheme=https --set port="$NGX_TLS_OTHER" --set cacert="$CA"
returns "a certificate for another name" tls_name
ws "" --set scheme=https --set port="$NGX_PORT" --set cacert="$CA"
returns "plain HTTP where TLS was expected" tls_handshake
ws "\n" --set scheme=https --set port="$SOON" --set cacert="$CA"
returns "a certificate expiring in 5 days" cert_expiring
assert_match "the walk said when it expires" "$out" "expires in [45] days"
ws "" --set scheme=https --set port="$NGX_TLS_GOOD" --set cacert="$T/no-such-ca.pem"
returns "a CA file that does not exist: the check cannot run" bad_input

# ---- web-service through squid ----------------------------------------------------
if ! start_squid "$T/squid" alice "$PW"; then
	skip "squid did not start: the proxy cases"
	done_testing
fi
SQ=http://127.0.0.1:$SQ_PORT
ws "\n\n" --set proxy_url="$SQ" --set port="$NGX_PORT" --set path=/ClientWebService/client.asmx
returns "through the proxy, no credentials" proxy_auth
ws "alice\n$PW\n" --set proxy_url="$SQ" --set port="$NGX_PORT" --set path=/ClientWebService/client.asmx
assert_eq "through the proxy with credentials: exit 0" 0 "$rc"
returns "through the proxy with credentials" resolved
ws "alice\n$PW\n" --set proxy_url="$SQ" --set port="$NGX_PORT" --set path=/unavailable
returns "the service's own 503 relayed by the proxy" http_503
ws "alice\n$PW\n" --set proxy_url="$SQ" --set port="$CLOSED"
returns "the proxy cannot reach the service" proxy_error
ws "alice\n$PW\n" --set proxy_url="http://127.0.0.1:$CLOSED" --set port="$NGX_PORT"
returns "the proxy itself cannot be reached" proxy_refused

# ---- internet-via-proxy ----------------------------------------------------------
px "\n\n" --set proxy_url="$SQ" --set target="http://127.0.0.1:$NGX_PORT/ClientWebService/client.asmx"
returns "internet via proxy: no account given" proxy_auth
px "alice\nwrong-password\n" --set proxy_url="$SQ" --set target="http://127.0.0.1:$NGX_PORT/ClientWebService/client.asmx"
returns "internet via proxy: the account refused" proxy_auth_refused
px "alice\n$PW\n" --set proxy_url="$SQ" --set target="http://127.0.0.1:$NGX_PORT/ClientWebService/client.asmx"
returns "internet via proxy: the way is open" resolved
px "alice\n$PW\n" --set proxy_url="$SQ" --set target="https://127.0.0.1:$CLOSED/"
returns "internet via proxy: CONNECT to a site the proxy cannot reach" upstream
px "alice\n$PW\n" --set proxy_url="$SQ" --set target="https://192.0.2.1/"
returns "internet via proxy: CONNECT the proxy refuses (403)" connect_denied
px "alice\n$PW\n" --set proxy_url="$SQ" --set target="https://127.0.0.1:$NGX_TLS_GOOD/"
returns "internet via proxy: a certificate this machine does not trust" tls_inspection
px "alice\n$PW\n" --set proxy_url="$SQ" --set target="http://127.0.0.1:$NGX_PORT/unavailable"
returns "internet via proxy: the site's own 503 relayed" target_http
px "\n\n" --set proxy_url="http://127.0.0.1:$BADGW" --set target="https://127.0.0.1:$NGX_TLS_GOOD/"
returns "internet via proxy: the proxy's own 502" upstream
px "\n\n" --set proxy_url="http://127.0.0.1:$CLOSED" --set target="https://127.0.0.1:$NGX_TLS_GOOD/"
returns "internet via proxy: the proxy cannot be reached" proxy_refused

assert_not_contains "the proxy password never shows" "$all" "$PW"
done_testing
