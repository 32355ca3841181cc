#!/bin/bash
# `tshoot check proxy` and `tshoot check http --proxy` through a real squid with basic
# auth to a real nginx origin: proxy_auth, ok, the origin's own 403/503, proxy_error,
# proxy_refused, CONNECT tunnels, proxies from the environment. The test password must
# appear in no output and not stay visible in the process's command line.
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"

PW='S3cret-pw!x'
make_certs "$T/nginx/certs" || not_ok "test certificates made"
start_nginx "$T/nginx" || { not_ok "nginx starts"; done_testing; }
start_squid "$T/squid" alice "$PW" || { not_ok "squid starts"; cat "$T/squid/cache.log" | sed 's/^/# /'; done_testing; }
ok "squid with basic auth listens on 127.0.0.1:$SQ_PORT"
U=http://127.0.0.1:$NGX_PORT
PX=http://127.0.0.1:$SQ_PORT
all=""

# run KIND ARGS...: sets out, err, rc; collects everything printed
run() {
	out=$(TSHOOT_PROXY_PASSWORD=${PWENV-} "$TSHOOT" check "$@" 2>"$T/err" </dev/null); rc=$?
	err=$(cat "$T/err")
	all="$all
$out
$err"
}

PWENV=""
unset PWENV
run proxy "$PX" --target "$U/ClientWebService/client.asmx"
assert_eq "no credentials: exit 1" 1 "$rc"
assert_match "no credentials: proxy_auth" "$out" "^FAIL +proxy_auth +the proxy $PX/ demands authentication \(407\)"
assert_contains "no credentials: Basic offered" "$out" "  proxy_authenticate: Basic"
run proxy "$PX" --target "$U/ClientWebService/client.asmx" --proxy-user alice
assert_match "user, no password (no tty, no env): proxy_auth" "$out" "^FAIL +proxy_auth "

PWENV=$PW
run proxy "$PX" --target "$U/ClientWebService/client.asmx" --proxy-user alice
assert_eq "right credentials: exit 0" 0 "$rc"
assert_match "right credentials: ok through the proxy" "$out" "^OK +ok +HTTP 200 OK from $U/ClientWebService/client.asmx"
assert_match "right credentials: the origin's Server" "$out" "  server: nginx"
assert_match "right credentials: Via names squid" "$out" "  via: .*squid"
assert_contains "command has -U USER, no password" "$out" "--proxy $PX/ --proxy-anyauth -U alice $U/ClientWebService/client.asmx"
run proxy "$PX" --target "$U/ClientWebService/client.asmx" --proxy-user alice --json
assert_match "--json through the proxy" "$out" '^\{"check":"proxy","target":"'"$PX"'/","outcome":"ok",'
assert_schema "--json through the proxy: valid (tshoot-check)" tshoot-check "$out"

PWENV=wrong-password
run proxy "$PX" --target "$U/ClientWebService/client.asmx" --proxy-user alice
assert_match "wrong password: proxy_auth, credentials refused" "$out" "^FAIL +proxy_auth .*credentials were refused"
PWENV=$PW

run proxy "$PX" --target "$U/Content" --proxy-user alice
assert_match "origin's 403 through a working proxy: http_403" "$out" "^FAIL +http_403 +HTTP 403 Forbidden from $U/Content"
# expect judges the target's answer as for http (issue 11 §5.5)
run proxy "$PX" --target "$U/Content" --proxy-user alice --expect 200,403
assert_match "origin's 403 expected: ok" "$out" "^OK +ok +HTTP 403 Forbidden from $U/Content"
run proxy "$PX" --target "$U/ClientWebService/client.asmx" --proxy-user alice --expect 401
assert_match "origin's 200 not expected: http_200" "$out" "^FAIL +http_200 +HTTP 200 OK from"
run proxy "$PX" --target "$U/unavailable" --proxy-user alice
assert_match "origin's own 503 relayed: http_503" "$out" "^FAIL +http_503 +HTTP 503 Service Unavailable from $U/unavailable"
CP=$(free_port)
run proxy "$PX" --target "http://127.0.0.1:$CP/" --proxy-user alice
assert_match "origin port closed: proxy_error (squid's 503)" "$out" "^FAIL +proxy_error +the proxy $PX/ answered HTTP 503 Service Unavailable: it could not reach"
assert_contains "origin port closed: squid's error named" "$out" "  x_squid_error: ERR_CONNECT_FAIL"
run proxy "$PX" --target "https://127.0.0.1:$CP/" --proxy-user alice
assert_match "CONNECT to a closed port: proxy_error" "$out" "^FAIL +proxy_error +.*could not open a tunnel .*CONNECT answered 503"
run proxy "$PX" --target "https://127.0.0.1:$CP/"
assert_match "CONNECT without credentials: proxy_auth" "$out" "^FAIL +proxy_auth "
PP=$(free_port)
run proxy "http://127.0.0.1:$PP" --target "$U/" --proxy-user alice
assert_match "proxy port closed: proxy_refused" "$out" "^FAIL +proxy_refused +the proxy http://127.0.0.1:$PP/ cannot be reached"
run proxy "127.0.0.1:$SQ_PORT" --target "$U/ClientWebService/client.asmx" --proxy-user alice
assert_match "proxy as HOST:PORT: ok" "$out" "^OK +ok "

# http --proxy: the same machinery, the URL is the subject
run http "$U/ClientWebService/client.asmx" --proxy "$PX" --proxy-user alice
assert_match "http --proxy: ok" "$out" "^OK +ok +HTTP 200 OK from $U/ClientWebService/client.asmx"
run http "https://localhost:$NGX_TLS_GOOD/" --proxy "$PX" --proxy-user alice --cacert "$T/nginx/certs/ca.pem"
assert_match "http --proxy, https through a CONNECT tunnel: ok" "$out" "^OK +ok +HTTP 200 OK from https://localhost:$NGX_TLS_GOOD/"
assert_contains "CONNECT status fact" "$out" "  connect_status: 200"
run http "https://localhost:$NGX_TLS_GOOD/" --proxy "$PX" --proxy-user alice
assert_match "https through the tunnel, unknown CA: tls_untrusted" "$out" "^FAIL +tls_untrusted "
run http "$U/" --proxy "http://127.0.0.1:$PP"
assert_match "http --proxy to a closed proxy port: proxy_refused" "$out" "^FAIL +proxy_refused "

# credentials in the proxy URL, percent-encoded: the tls check's CONNECT decodes them as
# libcurl does for the http check (url_proxy_parse), so the same URL works for both
PXPW="http://alice:S3cret%2Dpw%21x@127.0.0.1:$SQ_PORT"
run http "https://localhost:$NGX_TLS_GOOD/" --proxy "$PXPW" --cacert "$T/nginx/certs/ca.pem"
assert_match "http --proxy USER:%XX@: decoded by libcurl, ok" "$out" "^OK +ok "
run tls "localhost:$NGX_TLS_GOOD" --proxy "$PXPW" --cacert "$T/nginx/certs/ca.pem"
assert_match "tls --proxy USER:%XX@: decoded the same way, ok" "$out" "^OK +ok "
assert_contains "tls --proxy: command names the proxy, no credentials" "$out" "-proxy 127.0.0.1:$SQ_PORT"
run tls "localhost:$NGX_TLS_GOOD" --proxy "http://alice:wrong@127.0.0.1:$SQ_PORT" --cacert "$T/nginx/certs/ca.pem"
assert_match "tls --proxy with a wrong password: proxy_auth" "$out" "^FAIL +proxy_auth "
run tls "localhost:$NGX_TLS_GOOD" --proxy "https://127.0.0.1:$SQ_PORT" --cacert "$T/nginx/certs/ca.pem"
assert_eq "tls --proxy https://: bad input, exit 2" 2 "$rc"
assert_match "tls --proxy https://: says http:// only" "$err" "only http:// proxies"

# the environment's proxy, as curl takes it
out=$(http_proxy=$PX "$TSHOOT" check http "$U/ClientWebService/client.asmx" 2>&1)
assert_match "http_proxy from the environment is used" "$out" "^FAIL +proxy_auth "
assert_contains "the environment proxy is a fact" "$out" "  proxy_source: environment (http_proxy)"
out=$(http_proxy=$PX no_proxy=127.0.0.1 "$TSHOOT" check http "$U/ClientWebService/client.asmx" 2>&1)
assert_match "no_proxy exempts the origin" "$out" "^OK +ok "

# USER:PASS on the command line: accepted, warned about, hidden from ps
unset PWENV
out=$("$TSHOOT" check proxy "$PX" --target "$U/ClientWebService/client.asmx" --proxy-user "alice:$PW" 2>"$T/err"); rc=$?
err=$(cat "$T/err"); all="$all
$out
$err"
assert_match "USER:PASS: ok" "$out" "^OK +ok "
assert_match "USER:PASS: warning on stderr" "$err" "warning: a password on the command line is visible"
"$FIXTURES/httpd_fixture" blackhole "$PP" &
track_pid $!
wait_port "$PP" 50
"$TSHOOT" check proxy "http://127.0.0.1:$PP" --target "$U/" --proxy-user "alice:$PW" --timeout 3 >/dev/null 2>&1 &
cpid=$!
track_pid $cpid
seen=""
for i in $(seq 1 50); do
	[ -r /proc/$cpid/cmdline ] || break
	c=$(tr '\0' ' ' </proc/$cpid/cmdline)
	case $c in *"--proxy-user alice:"*) seen=$c ;; esac
	case $c in *"alice:*"*) break ;; esac   # masked: no need to look longer
	sleep 0.02
done
assert_contains "command line seen while the check runs" "$seen" "--proxy-user alice:"
assert_not_contains "password blanked in the command line (ps)" "$seen" "$PW"

assert_not_contains "the password appears in no output (text, --json, stderr)" "$all" "$PW"
assert_not_contains "nor in squid's own log lines we printed" "$all" "S3cret"

# bad input
out=$("$TSHOOT" check proxy "$PX" 2>&1 >/dev/null); rc=$?
assert_eq "missing --target: exit 2" 2 "$rc"
assert_match "missing --target: message" "$out" "^tshoot: check proxy: missing --target URL"
out=$("$TSHOOT" check proxy "http://bad proxy:1" --target "$U/" 2>&1 >/dev/null); rc=$?
assert_eq "malformed proxy URL: exit 2" 2 "$rc"
assert_eq "malformed proxy URL: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
done_testing
