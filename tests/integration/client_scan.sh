#!/bin/bash
# client_scan.sh — the bundled flow sccm-client-scan walked for real: nginx on 127.0.0.1
# plays WSUS web sites in several states (healthy, WsusPool down, SimpleAuthWebService
# missing, authentication added, HTTPS with test-made certificates), squid with basic
# auth plays the client's WinHTTP proxy, and the flow's live checks (the shared sub-flow
# lib/web-service.yaml, called for ClientWebService and SimpleAuthWebService) must lead
# to the fix of each failure class. Also: the error codes in hex and in decimal, pasted
# and in a CMTrace log; training scenarios walked along their live path.
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"
command -v jq >/dev/null || { echo "# jq missing (scripts/deps.sh test)"; exit 1; }

FLOW=$TOP/flows/sccm-client-scan.yaml
out=$("$TSHOOT" lint "$FLOW" "$TOP"/flows/training/client-scan-*.yaml 2>&1)
assert_eq "lint: the flow and its scenarios are clean" 0 "$?"
assert_match "lint: no warnings" "$out" "[0-9]+ files, 0 errors, 0 warnings"
assert_contains "tshoot list shows it" "$("$TSHOOT" list 2>&1)" "sccm-client-scan"

# ---- the codes, in hex (with and without 0x) and in signed and unsigned decimal ------
# code SIGNATURE TEXT...: each text, as a log line, is recognised as SIGNATURE
code() {
	local sig=$1 t js
	shift
	for t in "$@"; do
		printf '%s\n' "$t" >"$T/one.log"
		js=$("$TSHOOT" check log "$T/one.log" --flow "$FLOW" --json 2>/dev/null)
		assert_schema "'$t': --json valid (tshoot-check)" tshoot-check "$js"
		assert_eq "'$t' is $sig" "$sig" "$(jq -r .outcome <<<"$js")"
	done
}
code wu_503 "Scan failed with error = 0x80244022." "error -2145107934" "error 2149859362"
code wu_408 "0x8024401C" "-2145107940" "2149859356"
code winhttp_timeout "Scan failed with error = 0x80072ee2" "-2147012894" "2147954402"
code max_trips "0x80244010" "-2145107952" "2149859344"
code name_not_resolved "0x8024402C" "-2145107924" "2149859372"
code endpoint_unreachable "Web service call failed with hr = 80240438." "-2145123272" "2149844024"
code wu_407 "0x8024401B" "-2145107941" "2149859355"
code wu_502 "0x80244021" "-2145107935" "2149859361"
code gpo_conflict "0x87D00692" "-2016409966" "2278557330"
code untrusted_root "0x800B0109" "-2146762487" "2148204809"
code gpo_overwritten "Group policy settings were overwritten by a higher authority (Domain Controller) to: Server http://server and Policy ENABLED"
# every decimal form is the code itself: signed and unsigned 32-bit
for h in 80244022 8024401C 80072EE2 80244010 8024402C 80240438 8024401B 80244021 87D00692 800B0109; do
	u=$((16#$h)); s=$((u - 4294967296))
	assert_match "0x$h: the flow knows $s and $u" "$(grep -i "'[^']*$h" "$FLOW")" "\\|$s\\|$u'"
done

# ---- the WSUS stand-ins ---------------------------------------------------------------
make_certs "$T/certs" || not_ok "test certificates made"
P_OK=$(free_port); P_503=$(free_port); P_404=$(free_port); P_401=$(free_port)
S_GOOD=$(free_port); S_OTHER=$(free_port); S_EXPIRED=$(free_port)
NGX=$T/nginx
mkdir -p "$NGX/logs" "$NGX/tmp"
# site PORT CLIENTWEBSERVICE SIMPLEAUTH [CERT]: a server block
site() {
	local ssl="" certs=""
	[ -n "${4:-}" ] && ssl=" ssl" && certs="ssl_certificate $T/certs/$4.pem; ssl_certificate_key $T/certs/$4.key;"
	cat <<NG
	server {
		listen 127.0.0.1:$1$ssl;
		$certs
		location = /ClientWebService/client.asmx { return $2; }
		location = /SimpleAuthWebService/SimpleAuth.asmx { return $3; }
		location / { return 404; }
	}
NG
}
{
	cat <<NG
worker_processes 1;
user root;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log;
events { worker_connections 64; }
http {
	access_log $NGX/logs/access.log;
	client_body_temp_path $NGX/tmp/body;
	proxy_temp_path $NGX/tmp/proxy;
	fastcgi_temp_path $NGX/tmp/fastcgi;
	uwsgi_temp_path $NGX/tmp/uwsgi;
	scgi_temp_path $NGX/tmp/scgi;
NG
	site "$P_OK" 200 200
	site "$P_503" 503 503
	site "$P_404" 200 404
	site "$P_401" 401 401
	site "$S_GOOD" 200 200 good
	site "$S_OTHER" 200 200 othername
	site "$S_EXPIRED" 200 200 expired
	echo "}"
} >"$NGX/nginx.conf"
nginx -e "$NGX/logs/error.log" -p "$NGX" -c "$NGX/nginx.conf" -g 'daemon off;' &
track_pid $!
for p in "$P_OK" "$P_503" "$P_404" "$P_401" "$S_GOOD" "$S_OTHER" "$S_EXPIRED"; do
	wait_port "$p" || { not_ok "nginx listens on $p"; sed 's/^/# /' "$NGX/logs/error.log"; done_testing; }
done
CLOSED=$(free_port)

# walk NAME ANSWERS [ARGS...]: a scripted walk with a JSON report; sets OUT, RC, END
walk() {
	local name=$1 ans=$2
	shift 2
	printf 'flow: sccm-client-scan\nanswers:\n%s\n' "$ans" >"$T/$name.answers"
	OUT=$("$TSHOOT" --plain --no-journal --answers "$T/$name.answers" --report "$T/$name.json" "$@" "$FLOW" 2>&1 </dev/null)
	RC=$?
	END=$(jq -r .end_node "$T/$name.json" 2>/dev/null)
	assert_schema "$name: the report valid (tshoot-report)" tshoot-report "$(cat "$T/$name.json" 2>/dev/null)"
}
# live PORT SSL(1 http, 2 https) FIX [PROXYANSWER]: way-in 3, the target, the answers
live() {
	printf '  way-in: 3\n  live-target: {sup_host: 127.0.0.1, sup_port: "%s", sup_ssl_port: "%s"}\n  live-ssl: %s\n  live-proxy: %s\n  %s\n' \
		"$1" "$1" "$2" "${4:-1}" "$3"
}

# ---- live, over HTTP ---------------------------------------------------------------
walk healthy "$(live "$P_OK" 1 'gpo-line: 2
  scan-slow: 3')"
assert_eq "healthy WSUS: both web services pass, the walk asks about Group Policy" escalate "$END"
assert_contains "the checks say they run from the client" "$OUT" "from the client that fails to scan"
assert_contains "ClientWebService was requested" "$(cat "$NGX/logs/access.log")" "GET /ClientWebService/client.asmx"
assert_contains "SimpleAuthWebService was requested" "$(cat "$NGX/logs/access.log")" "GET /SimpleAuthWebService/SimpleAuth.asmx"
walk gpo "$(live "$P_OK" 1 'gpo-line: 1
  fix-gpo-conflict: fixed')"
assert_eq "healthy WSUS, the overwritten line in WUAHandler.log: the GPO fix" resolved-gpo "$END"
assert_eq "resolved: exit 0" 0 "$RC"
walk pool "$(live "$P_503" 1 'fix-wsus-pool: fixed')"
assert_eq "503 (WsusPool down): the application pool fix" resolved-pool "$END"
assert_contains "the 503 measured from ClientWebService" "$OUT" "503"
walk vdir "$(live "$P_404" 1 'fix-vdir: fixed')"
assert_eq "SimpleAuthWebService missing (404): the virtual directory fix" resolved-vdir "$END"
walk auth "$(live "$P_401" 1 'fix-iis-auth: fixed')"
assert_eq "401 where anonymous access belongs: the IIS authentication fix" resolved-iis "$END"
walk refused "$(live "$CLOSED" 1 'fix-wsus-site: fixed')"
assert_eq "nothing listens on the WSUS port: the site fix" resolved-site "$END"
walk nodns "  way-in: 3
  live-target: {sup_host: wsus01.tshoot-test.invalid, sup_port: \"$P_OK\", sup_ssl_port: \"$S_GOOD\"}
  live-ssl: 1
  live-proxy: 1
  fix-client-dns: fixed"
assert_eq "a name the client cannot resolve: the DNS fix" resolved-dns "$END"

# ---- live, over HTTPS (8531's certificate) -------------------------------------------
walk untrusted "$(live "$S_GOOD" 2 'fix-client-trust: fixed')"
assert_eq "a certificate from a CA the client lacks: the trust fix" resolved-cert "$END"
assert_contains "the certificate check ran" "$OUT" "Is the certificate of 127.0.0.1:$S_GOOD right?"
walk name "$(live "$S_OTHER" 2 'fix-cert-name: fixed')"
assert_contains "a certificate for another name: the name fix" "$(jq -r '[.steps[].node] | join(" ")' "$T/name.json")" "fix-cert-name"
walk expired "$(live "$S_EXPIRED" 2 'fix-cert-renew: fixed')"
assert_contains "an expired certificate: the renewal" "$(jq -r '[.steps[].node] | join(" ")' "$T/expired.json")" "fix-cert-renew"
walk plain "$(live "$P_OK" 2 'fix-ssl-binding: fixed')"
assert_contains "https:// to a port without TLS: the binding fix" "$(jq -r '[.steps[].node] | join(" ")' "$T/plain.json")" "fix-ssl-binding"

# ---- live, through the client's proxy ------------------------------------------------
if start_squid "$T/squid" alice 'Cl1ent-pw'; then
	walk p407 "$(live "$P_OK" 1 'fix-proxy-auth: fixed' 3)
  live-proxy-target: {client_proxy: \"http://127.0.0.1:$SQ_PORT\", client_proxy_user: \"\"}"
	assert_eq "a proxy demanding credentials: the bypass fix for 407" resolved-proxy "$END"
	assert_contains "... reached by the proxy fix for 407" "$(jq -r '[.steps[].node] | join(" ")' "$T/p407.json")" "fix-proxy-auth"
else
	skip "squid did not start: the 407 case"
fi
walk pdown "$(live "$P_OK" 1 'fix-client-proxy: fixed' 3)
  live-proxy-target: {client_proxy: \"http://127.0.0.1:$CLOSED\", client_proxy_user: \"\"}"
assert_contains "an unreachable proxy: the WinHTTP proxy fix" "$(jq -r '[.steps[].node] | join(" ")' "$T/pdown.json")" "fix-client-proxy"

# ---- a pasted code, and a log file ---------------------------------------------------
walk paste503 '  way-in: 1
  paste-error: "The report shows the last scan error -2145107934"
  fix-wsus-pool: fixed'
assert_eq "pasted: the signed decimal of 0x80244022 leads to the pool fix" resolved-pool "$END"
walk pastegpo '  way-in: 1
  paste-error: "Scan failed, error 2278557330"
  fix-gpo-conflict: fixed'
assert_eq "pasted: the unsigned decimal of 0x87D00692 leads to the GPO fix" resolved-gpo "$END"
walk pastetimeout "  way-in: 1
  paste-error: \"Scan failed with error = 0x80072ee2\"
$(live "$P_503" 1 'fix-wsus-pool: fixed' | sed 1d)"
assert_eq "pasted: a time-out goes to the live checks, which find the pool" resolved-pool "$END"
printf '<![LOG[Scan failed with error = 0x80244022.]LOG]!><time="10:01:02.000+000" date="01-02-2026" component="WUAHandler" context="" type="3" thread="1" file="cwuahandler.cpp:2000">\r\n' >"$T/WUAHandler.log"
walk log "  way-in: 2
  log-file: {log_file: \"$T/WUAHandler.log\"}
  fix-wsus-pool: fixed"
assert_eq "a CMTrace WUAHandler.log with 0x80244022: the pool fix" resolved-pool "$END"

# ---- training scenarios along their live path ----------------------------------------
# scenario NAME ANSWERS EXPECT
scenario() {
	printf 'answers:\n%s\n' "$2" >"$T/$1.sc.answers"
	OUT=$("$TSHOOT" --plain --no-journal --scenario "$TOP/flows/training/$1.yaml" --answers "$T/$1.sc.answers" 2>&1 </dev/null)
	assert_contains "scenario $1: the live path reaches $3" "$OUT" "reached the expected resolution '$3'"
}
scenario client-scan-503 '  way-in: 3
  live-ssl: 1
  live-proxy: 1
  fix-wsus-pool: fixed' resolved-pool
assert_contains "scenario client-scan-503: the callee's check is simulated" "$OUT" "503"
scenario client-scan-proxy '  way-in: 3
  live-ssl: 1
  live-proxy: 3
  fix-client-proxy: fixed' resolved-proxy
scenario client-scan-gpo-conflict '  way-in: 3
  live-ssl: 1
  live-proxy: 1
  gpo-line: 1
  fix-gpo-conflict: fixed' resolved-gpo
scenario client-scan-untrusted '  way-in: 3
  live-ssl: 2
  live-proxy: 1
  fix-client-trust: fixed' resolved-cert

done_testing
