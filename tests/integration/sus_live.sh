#!/bin/bash
# The bundled flow's live diagnosis, run for real: nginx on 127.0.0.1:8530 plays the
# WSUS web site (ClientWebService, ApiRemoting30 asking for Windows authentication), and
# tshoot's dns, tcp and http checks measure it. The whole test runs in a network
# namespace of its own with only a loopback interface, so the flow's check toward
# Microsoft Update cannot leave the machine: there it meets "no network" (dns_fail),
# which is what a WSUS server cut off from the internet sees too.
source "$(dirname "$0")/../lib.sh"

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
  live-target: {wsus_host: localhost, wsus_port: \"$PORT\"}
  live-ssl-used: \"No\"
  live-mu-proxy-used: 2
  fix-mu-comm: not fixed"
assert_eq "healthy site, no internet: exit 1 (escalate)" 1 "$RC"
assert_eq "dns check: localhost resolves" ok "$(outcome_of live-dns)"
assert_eq "tcp check: the WSUS port is open" ok "$(outcome_of live-port)"
assert_eq "http check: ClientWebService answers 200" ok "$(outcome_of live-web 0)"
assert_eq "http check: ClientWebService status fact" 200 "$(fact_of live-web 0 status)"
assert_eq "http check: ApiRemoting30's 401 is healthy" ok "$(outcome_of live-web 1)"
assert_eq "ApiRemoting30 offers Windows authentication" "Negotiate,NTLM" "$(fact_of live-web 1 www_authenticate)"
assert_eq "Microsoft Update unreachable: dns_fail" dns_fail "$(outcome_of live-mu-direct)"
assert_eq "the walk ends at the Microsoft Update escalation" escalate-mu "$(printf '%s' "$REPORT" | jq -r .end_node)"
assert_contains "the screen shows the measured result" "$OUT" "HTTP 200 OK from http://localhost:$PORT/ClientWebService/client.asmx"
assert_contains "the screen says what to collect" "$OUT" "ESCALATE"
pass "the requests really reached the site" grep -q "GET /ApiRemoting30/WebService.asmx" "$NGX/logs/access.log"

# --- the application pool is down: 503 leads to the web service fix
wsus_site 503
walk pool-down "flow: sccm-sus-sync
answers:
  way-in: 3
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
  live-target: {wsus_host: localhost, wsus_port: \"$PORT\"}
  fix-service-stopped: not fixed"
assert_eq "closed port: refused" refused "$(outcome_of live-port)"
assert_contains "refused leads to the stopped service or site" "$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "fix-service-stopped"
assert_eq "closed port: exit 1" 1 "$RC"

# --- a name that does not resolve: the FQDN fix
walk no-name "flow: sccm-sus-sync
answers:
  way-in: 3
  live-target: {wsus_host: wsus01.tshoot-test.invalid, wsus_port: \"$PORT\"}
  fix-fqdn: not fixed"
assert_eq "unknown name: dns_fail" dns_fail "$(outcome_of live-dns)"
assert_contains "dns_fail leads to the FQDN fix" "$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")')" "fix-fqdn"

done_testing
