#!/bin/bash
# The bundled flow's live diagnosis, run for real: nginx on 127.0.0.1:8530 plays the
# WSUS web site (ClientWebService, ApiRemoting30 asking for Windows authentication), and
# tshoot's dns, tcp and http checks measure it. The whole test runs in a network
# namespace of its own with only a loopback interface, so the flow's check toward
# Microsoft Update cannot leave the machine: there it meets "no network" (dns_fail),
# which is what a WSUS server cut off from the internet sees too.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/lib/http_servers.sh"

if [ -z "${TSHOOT_IN_NETNS:-}" ]; then
	if ! unshare -n true 2>/dev/null; then
		echo "# unshare -n not permitted here: cannot isolate the Microsoft Update check"
		not_ok "a private network namespace for the live walk"
		done_testing
	fi
	trap - EXIT
	rm -rf "$T"
	TSHOOT_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up

FLOW="$TOP/flows/sccm-sus-sync.yaml"
PORT=8530      # the flow's default WSUS port: an operator would just press Enter

# wsus_site STATUS_OF_CLIENTWEBSERVICE: (re)start nginx as the WSUS site.
NGX=$T/nginx
wsus_site() {
	[ -f "$NGX/nginx.pid" ] && kill "$(cat "$NGX/nginx.pid")" 2>/dev/null
	local i=0
	while ss -Htln "sport = :$PORT" | grep -q . && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	mkdir -p "$NGX/logs"
	cat >"$NGX/nginx.conf" <<EOF
worker_processes 1;
daemon off;
user root;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log;
events { worker_connections 64; }
http {
	access_log $NGX/logs/access.log;
	server {
		listen 127.0.0.1:$PORT;
		location /ClientWebService/ { return $1; }
		location /ApiRemoting30/ {
			add_header WWW-Authenticate "Negotiate" always;
			add_header WWW-Authenticate "NTLM" always;
			return 401;
		}
		location / { return 403; }
	}
}
EOF
	nginx -p "$NGX" -c "$NGX/nginx.conf" >"$NGX/logs/stdout.log" 2>&1 &
	track_pid $!
	wait_port "$PORT" 50
}

# walk NAME ANSWERS_YAML: a scripted walk with a JSON report; sets OUT, RC, REPORT.
walk() {
	printf '%s\n' "$2" >"$T/$1.answers.yaml"
	OUT=$("$TSHOOT" --answers "$T/$1.answers.yaml" --report "$T/$1.json" "$FLOW" 2>&1)
	RC=$?
	REPORT=$(cat "$T/$1.json" 2>/dev/null)
	assert_schema "$1: the report valid (tshoot-report)" tshoot-report "$REPORT"
}

# outcome_of NODE [INDEX]: the outcome of a check at NODE in REPORT
outcome_of() {
	printf '%s' "$REPORT" | jq -r --arg n "$1" --argjson i "${2:-0}" \
		'[.steps[] | select(.node == $n)] | last | .checks[$i].outcome // "none"'
}
fact_of() {
	printf '%s' "$REPORT" | jq -r --arg n "$1" --argjson i "$2" --arg k "$3" \
		'[.steps[] | select(.node == $n)] | last | .checks[$i].facts[$k] | if type == "array" then join(",") else . // "none" end'
}

# --- a healthy WSUS site, no internet: the walk ends at Microsoft Update
wsus_site 200
pass "the WSUS stand-in listens on 127.0.0.1:$PORT" ss -Htln "sport = :$PORT"
walk healthy "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 2
  live-target: {wsus_host: localhost, wsus_port: \"$PORT\"}
  live-ssl-used: \"No\"
  live-sup-proxy-used: 2
  live-mu-proxy-used: 2
  fix-mu-comm: not fixed"
assert_eq "healthy site, no internet: exit 1 (escalate)" 1 "$RC"
assert_eq "dns check: localhost resolves" ok "$(outcome_of live-dns)"
assert_eq "tcp check: the WSUS port is open" ok "$(outcome_of live-port)"
assert_eq "http check: ClientWebService answers 200" ok "$(outcome_of live-web 0)"
assert_eq "http check: ClientWebService status fact" 200 "$(fact_of live-web 0 status)"
assert_eq "http check: ApiRemoting30's 401 is healthy" ok "$(outcome_of live-web 1)"
assert_eq "ApiRemoting30 offers Windows authentication" "Negotiate,NTLM" "$(fact_of live-web 1 www_authenticate)"
assert_eq "Microsoft Update unreachable: dns_fail (the web-service sub-flow's first check)" dns_fail "$(outcome_of live-mu-direct/probe-dns)"
assert_eq "the walk ends at the Microsoft Update escalation" escalate-mu "$(printf '%s' "$REPORT" | jq -r .end_node)"
assert_contains "the screen shows the measured result" "$OUT" "HTTP 200 OK from http://localhost:$PORT/ClientWebService/client.asmx"
assert_contains "the screen says what to collect" "$OUT" "ESCALATE"
assert_contains "the checks name the machine the operator said it is" "$OUT" "From the WSUS server: ClientWebService"
assert_contains "from the WSUS server, the site checks say what they cannot prove" "$OUT" "Not the site server"
assert_contains "the download servers were not reached: the walk went to Microsoft Update first" \
	"$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "live-mu-direct/probe-dns live-mu-direct/no-dns fix-mu-comm"
assert_contains "the sub-flow's check is labelled with the machine the operator named" "$OUT" "From the WSUS server: DNS name of Microsoft Update"
pass "the requests really reached the site" grep -q "GET /ApiRemoting30/WebService.asmx" "$NGX/logs/access.log"

# --- the application pool is down: 503 leads to the web service fix
wsus_site 503
walk pool-down "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 1
  live-target: {wsus_host: localhost, wsus_port: \"$PORT\"}
  live-ssl-used: \"No\"
  fix-web-service: fixed"
assert_eq "503: exit 0 (resolved after the fix)" 0 "$RC"
assert_eq "503 measured" http_503 "$(outcome_of live-web 0)"
assert_eq "503 leads to the web service fix, then resolved" resolved-web-service "$(printf '%s' "$REPORT" | jq -r .end_node)"
assert_contains "the fix's text in the report names the application pool" \
	"$(printf '%s' "$REPORT" | jq -r '.steps[] | select(.node == "fix-web-service") | .text')" "WsusPool"

# --- nothing listens on the WSUS port: refused leads to the stopped-service fix
kill "$(cat "$NGX/nginx.pid")" 2>/dev/null
i=0; while ss -Htln "sport = :$PORT" | grep -q . && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
walk stopped "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 1
  live-target: {wsus_host: localhost, wsus_port: \"$PORT\"}
  fix-service-stopped: not fixed"
assert_eq "closed port: refused" refused "$(outcome_of live-port)"
assert_eq "WSUS on neither 8530 nor 80: measured" refused "$(outcome_of live-port-other 0)"
assert_contains "refused leads to the stopped service or site" "$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "fix-service-stopped"
assert_eq "closed port: exit 1" 1 "$RC"

# --- a name that does not resolve: the FQDN fix
walk no-name "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 1
  live-target: {wsus_host: wsus01.tshoot-test.invalid, wsus_port: \"$PORT\"}
  fix-fqdn: not fixed"
assert_eq "unknown name: dns_fail" dns_fail "$(outcome_of live-dns)"
assert_contains "dns_fail leads to the FQDN fix" "$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "fix-fqdn"

# --- the port accepts, IIS never answers: a hung WsusPool, not a firewall
"$FIXTURES/httpd_fixture" blackhole "$PORT" &
track_pid $!
wait_port "$PORT" 50
walk hang "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 1
  live-target: {wsus_host: localhost, wsus_port: \"$PORT\"}
  live-ssl-used: \"No\"
  fix-iis-hang: not fixed"
assert_eq "blackhole: the TCP port is open" ok "$(outcome_of live-port)"
assert_eq "blackhole: the HTTP request times out" timeout "$(outcome_of live-web 0)"
path=$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')
assert_contains "TCP ok + HTTP timeout leads to the IIS hang advice" "$path" "live-web fix-iis-hang"
assert_not_contains "... never to the firewall advice" "$path" "fix-firewall-sup"
assert_contains "the advice says the port answered" \
	"$(printf '%s' "$REPORT" | jq -r '.steps[] | select(.node == "fix-iis-hang") | .text')" "the TCP connection to localhost was accepted"
kill $! 2>/dev/null

# --- the site server's way to WSUS through a proxy that wants credentials (WCM.log's 407)
wsus_site 200
if command -v squid >/dev/null && start_squid "$T/squid" alice 'Pw-4-test'; then
	walk sup-407 "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 1
  live-target: {wsus_host: 127.0.0.1, wsus_port: \"$PORT\"}
  live-ssl-used: \"No\"
  live-sup-proxy-used: 1
  live-sup-proxy-target: {proxy_url: \"http://127.0.0.1:$SQ_PORT\"}
  fix-auth-proxy: not fixed"
	assert_eq "through squid without credentials: proxy_auth" proxy_auth "$(outcome_of live-sup-proxy/via-proxy)"
	assert_contains "the proxy's 407 leads to the WCM-to-WSUS fix list" \
		"$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "live-sup-proxy/via-proxy live-sup-proxy/proxy-auth fix-auth-proxy"
	assert_contains "the check is worded from the site server" "$OUT" "From the site server: ApiRemoting30 through http://127.0.0.1:$SQ_PORT"
	# (the 407 on the way to Microsoft Update: this squid refuses destinations other
	# than 127.0.0.1 before asking for credentials, so that route is walked by the
	# mu-proxy-407 training scenario instead)
else
	skip "squid missing or did not start: the proxy paths"
fi

# --- a DNS server that never answers: a timeout, worded as such, and DNS-server advice
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
cat >"$T/dns-timeout.sh" <<EOS
mount --bind "$T/resolv.conf" /etc/resolv.conf || exit 3
"$FIXTURES/hold_fixture" 53 udp 30 &
i=0; while ! ss -Hlun 'sport = :53' | grep -q . && [ \$i -lt 50 ]; do sleep 0.05; i=\$((i+1)); done
printf '%s\n' "flow: sccm-sus-sync
answers:
  way-in: 3
  live-where: 1
  live-target: {wsus_host: wsus01.silent.test, wsus_port: \"$PORT\"}
  fix-dns-server: not fixed" >"$T/dns.answers.yaml"
"$TSHOOT" --answers "$T/dns.answers.yaml" --report "$T/dns.json" "$FLOW" >"$T/dns.out" 2>&1
"$TSHOOT" check http http://wsus01.silent.test:$PORT/ --timeout 1 >"$T/dns-http.out" 2>&1
kill %1
EOS
if unshare -m --propagation unchanged bash "$T/dns-timeout.sh" 2>"$T/dns.err"; then :; fi
if [ -s "$T/dns.json" ]; then
	REPORT=$(cat "$T/dns.json"); OUT=$(cat "$T/dns.out")
	assert_schema "silent DNS server: the report valid (tshoot-report)" tshoot-report "$REPORT"
	assert_eq "silent DNS server: the dns check times out" timeout "$(outcome_of live-dns)"
	assert_contains "... and leads to the DNS server advice, not the record" \
		"$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "live-dns fix-dns-server"
	assert_contains "the dns check words it as a resolver timeout" "$OUT" "no answer resolving wsus01.silent.test in time"
	assert_match "the http check words the same timeout the same way" "$(cat "$T/dns-http.out")" \
		"^FAIL +timeout +no answer resolving wsus01.silent.test in time \(timeout 1.0 s\)"
else
	skip "no mount namespace here: the silent DNS server case ($(head -1 "$T/dns.err"))"
fi

# --- pasted text: the article's old and new wording and .NET's own text
# (called as $(paste_to ...): the walk's own assertion lines go to fd 3, the script's
# standard output, where tests/run.sh counts them, not into the value)
exec 3>&1
paste_to() {   # paste_to TEXT: the node the pasted text leads to
	walk paste >&3 "flow: sccm-sus-sync
answers:
  way-in: 2
  paste-error: \"$1\"
  timeout-where: 2
  name-where: 2
  fix-auth-proxy: not fixed
  fix-mu-comm: not fixed
  symptom: None of these"
	printf '%s' "$REPORT" | jq -r '[.steps[].node] | .[3] // "none"'
}
assert_eq "old wording: has closed the transport stream" fix-auth-proxy \
	"$(paste_to 'Authentication failed because the remote party has closed the transport stream.')"
assert_eq "new wording: closed the transport stream" fix-auth-proxy \
	"$(paste_to 'Authentication failed because the remote party closed the transport stream')"
assert_eq ".NET: did not properly respond" fix-mu-comm \
	"$(paste_to 'A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond 13.107.4.50:443')"
assert_eq "new wording: didn't properly respond" fix-mu-comm \
	"$(paste_to "A connection attempt failed because the connected party didn't properly respond after a period of time, or established connection failed because connected host didn't respond.")"
assert_eq "new wording, typographic quote: didn’t" fix-mu-comm \
	"$(paste_to 'the connected party didn’t properly respond after a period of time')"
assert_eq ".NET: The operation has timed out" timeout-where \
	"$(paste_to 'System.Net.WebException: The operation has timed out')"
assert_eq ".NET: The remote name could not be resolved" name-where \
	"$(paste_to "System.Net.WebException: The remote name could not be resolved: 'wsus01.contoso.com'")"
assert_eq "an unrelated line about a transport is not recognised" not-recognised \
	"$(paste_to 'The transport stream was closed normally after the backup')"
assert_eq "an unrelated timeout word is not recognised" not-recognised \
	"$(paste_to 'Timeout set to 60 minutes for the next run')"

done_testing
