#!/bin/bash
# `tshoot check http` against real loopback servers: nginx (statuses, IIS-style 401,
# redirect, 1 GB body, 444 close, HTTPS with test certificates) and httpd_fixture (slow,
# silent, partial headers, reset). Every outcome the http kind produces without a proxy.
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"

make_certs "$T/nginx/certs" || not_ok "test certificates made"
start_nginx "$T/nginx" || { not_ok "nginx starts"; done_testing; }
U=http://127.0.0.1:$NGX_PORT
CA=$T/nginx/certs/ca.pem

# run ARGS...: sets out, err, rc
run() {
	out=$("$TSHOOT" check http "$@" 2>"$T/err"); rc=$?
	err=$(cat "$T/err")
	# nothing on stdout (right for bad input): how it ended goes to the log, so a
	# check that should have printed a result and did not can be told apart
	[ -n "$out" ] || echo "# check http $*: no output, exit $rc, stderr: $err"
}

# --- statuses ----------------------------------------------------------------------
run "$U/ClientWebService/client.asmx"
assert_eq "200: exit 0" 0 "$rc"
assert_match "200: result line" "$out" "^OK +ok +HTTP 200 OK from $U/ClientWebService/client.asmx +\([0-9]+ ms\)"
assert_contains "200: status fact" "$out" "  status: 200"
assert_match "200: server fact from the Server header" "$out" "  server: nginx"
assert_contains "200: equivalent curl command" "$out" "  command: curl -sS -o /dev/null -w '%{http_code}\n' --max-time 10 $U/ClientWebService/client.asmx"
assert_match "200: timing facts" "$out" "  total_ms: [0-9]+"

run "$U/ApiRemoting30/WebService.asmx"
assert_eq "401: exit 1" 1 "$rc"
assert_match "401: outcome http_401" "$out" "^FAIL +http_401 +HTTP 401 Unauthorized from "
assert_contains "401: Negotiate offered" "$out" "  www_authenticate: Negotiate"
assert_contains "401: NTLM offered" "$out" "  www_authenticate: NTLM"
run "$U/ApiRemoting30/WebService.asmx" --expect 200,401
assert_eq "401 expected with --expect 200,401: exit 0" 0 "$rc"
assert_match "401 expected: ok" "$out" "^OK +ok +HTTP 401 Unauthorized"
run "$U/ApiRemoting30/WebService.asmx" --expect=200-299,401
assert_eq "--expect=RANGE,CODE form" 0 "$rc"

for pair in "Content 403 Forbidden" "missing 404 Not Found" "error 500 Internal Server Error" \
	    "unavailable 503 Service Unavailable"; do
	set -- $pair; path=$1 code=$2; shift 2; reason="$*"
	run "$U/$path"
	assert_eq "$code: exit 1" 1 "$rc"
	assert_match "$code: outcome and reason" "$out" "^FAIL +http_$code +HTTP $code $reason from $U/$path "
done

run "$U/redirect"
assert_eq "302 is ok by default (not followed)" 0 "$rc"
assert_match "302: status 302" "$out" "HTTP 302 Found"
assert_contains "302: location fact" "$out" "  location: $U/ClientWebService/client.asmx"
run "$U/redirect" --follow
assert_match "--follow: lands on 200" "$out" "^OK +ok +HTTP 200 OK"
assert_contains "--follow: final_url" "$out" "  final_url: $U/ClientWebService/client.asmx"
run "$U/redirect" --expect 200
assert_match "302 not in --expect 200: http_302" "$out" "^FAIL +http_302 "

run "$U/close"
assert_match "nginx 444 (closes without answer): closed" "$out" "^FAIL +closed +"

# --- a 1 GB body is not read --------------------------------------------------------
t0=$(date +%s%N)
if [ -x /usr/bin/time ]; then
	out=$(/usr/bin/time -f 'maxrss=%M' -o "$T/rss" "$TSHOOT" check http "$U/big"); rc=$?
	rss=$(sed -n 's/^maxrss=//p' "$T/rss")
	if [ "${rss:-999999}" -lt 150000 ]; then ok "1 GB body: peak RSS ${rss} KiB stays small"; else
		not_ok "1 GB body: peak RSS ${rss:-?} KiB"; fi
else
	out=$("$TSHOOT" check http "$U/big"); rc=$?
fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
assert_eq "1 GB body: exit 0" 0 "$rc"
assert_match "1 GB body: 200 OK" "$out" "^OK +ok +HTTP 200 OK"
if [ "$ms" -lt 6000 ]; then ok "1 GB body: returns quickly (${ms} ms)"; else not_ok "1 GB body took ${ms} ms"; fi

# --- transport failures -------------------------------------------------------------
P=$(free_port)
run "http://127.0.0.1:$P/"
assert_match "closed port: refused" "$out" "^FAIL +refused +connection refused by http://127.0.0.1:$P/"
assert_eq "closed port: exit 1" 1 "$rc"

fixture blackhole
t0=$(date +%s%N)
run "http://127.0.0.1:$FP/" --timeout 1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
assert_match "accepts, never answers: timeout" "$out" "^FAIL +timeout +no answer from http://127.0.0.1:$FP/ within 1.0 s"
if [ "$ms" -ge 900 ] && [ "$ms" -lt 5000 ]; then ok "timeout honours --timeout 1 (${ms} ms)"; else not_ok "timeout took ${ms} ms"; fi

fixture slow 300
run "http://127.0.0.1:$FP/" --timeout 3
assert_match "answers after 300 ms: ok" "$out" "^OK +ok +HTTP 200 OK"
assert_match "slow: first byte after the delay" "$out" "first_byte_ms: ([3-9][0-9][0-9]|[0-9]{4,})"
run "http://127.0.0.1:$FP/" --timeout 0.1
assert_match "answers after 300 ms, --timeout 0.1: timeout" "$out" "^FAIL +timeout "

fixture partial
run "http://127.0.0.1:$FP/"
assert_match "headers that never finish, then close: closed" "$out" "^FAIL +closed +"
fixture reset
run "http://127.0.0.1:$FP/"
assert_match "reset after the request: closed" "$out" "^FAIL +closed +"
fixture hangup
run "http://127.0.0.1:$FP/"
assert_match "accept then close: closed" "$out" "^FAIL +closed +"
fixture banner
run "http://127.0.0.1:$FP/"
assert_match "not HTTP (SSH banner): closed" "$out" "^FAIL +closed +"

# --- a server's bytes never reach the terminal raw; JSON stays valid UTF-8 -----------
# --- a server's bytes never reach the terminal raw; JSON stays valid UTF-8 -----------
fixture hostile
run "http://127.0.0.1:$FP/"
assert_match "hostile header: still ok" "$out" "^OK +ok +HTTP 200 OK"
if printf '%s' "$out" | text_safe 2>"$T/why"; then ok "hostile header: terminal text is UTF-8 without raw controls"; else
	not_ok "hostile header: terminal text has raw bytes: $(cat "$T/why")"; fi
assert_contains "hostile header: placeholders (ESC, C1 '?', 8-bit C1 and bad bytes U+FFFD, bidi '?'), café ✓ kept" \
	"$out" "  server: $HOSTILE_SERVER_SHOWN"
run "http://127.0.0.1:$FP/" --json
assert_schema "hostile header --json: valid (tshoot-check)" tshoot-check "$out"
assert_eq "hostile header --json: parses as strict UTF-8 JSON" "'http'" "$(printf '%s' "$out" | json_field 'd["check"]' 2>&1)"
assert_eq "hostile header --json: server fact with placeholders" "'?[2J?31m\ufffd1m?exe.txt?\ufffd caf\xe9 \u2713'" \
	"$(printf '%s' "$out" | json_field 'd["facts"]["server"]' 2>&1)"
assert_eq "--json: status is a number" "200" "$(printf '%s' "$out" | json_field 'd["facts"]["status"]' 2>&1)"
assert_eq "--json: port and timings are numbers" "(<class 'int'>, <class 'int'>)" \
	"$(printf '%s' "$out" | json_field '(type(d["facts"]["port"]), type(d["facts"]["total_ms"]))' 2>&1)"

out=$(unshare -n "$TSHOOT" check http "http://no-such-host.invalid/" 2>&1); rc=$?
assert_match "unresolvable name (no network namespace): dns_fail" "$out" "^FAIL +dns_fail +the name 'no-such-host.invalid' does not resolve"

# --- HTTPS ---------------------------------------------------------------------------
if [ -n "${NGX_TLS_GOOD:-}" ]; then
	run "https://localhost:$NGX_TLS_GOOD/" --cacert "$CA"
	assert_match "https, trusted with --cacert: ok" "$out" "^OK +ok +HTTP 200 OK"
	assert_match "https: tls_ms fact" "$out" "  tls_ms: [0-9]+"
	assert_contains "https: command names the CA file" "$out" "--cacert $CA"
	run "https://localhost:$NGX_TLS_GOOD/"
	assert_match "https, unknown CA: tls_untrusted" "$out" "^FAIL +tls_untrusted +"
	run "https://localhost:$NGX_TLS_EXPIRED/" --cacert "$CA"
	assert_match "https, expired: tls_expired" "$out" "^FAIL +tls_expired +"
	run "https://localhost:$NGX_TLS_FUTURE/" --cacert "$CA"
	assert_match "https, not yet valid: tls_not_yet_valid" "$out" "^FAIL +tls_not_yet_valid +"
	run "https://localhost:$NGX_TLS_OTHER/" --cacert "$CA"
	assert_match "https, other name: tls_name_mismatch" "$out" "^FAIL +tls_name_mismatch +"
	run "https://127.0.0.1:$NGX_PORT/"
	assert_match "https to a plain HTTP port: tls_handshake" "$out" "^FAIL +tls_handshake +"
fi

# --- JSON ----------------------------------------------------------------------------
run "$U/unavailable" --json
assert_schema "--json (http_503): valid (tshoot-check)" tshoot-check "$out"
assert_eq "--json: exit 1" 1 "$rc"
assert_eq "--json: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
assert_match "--json: fields" "$out" "^\{\"check\":\"http\",\"target\":\"$U/unavailable\",\"outcome\":\"http_503\",\"summary\":\"HTTP 503 Service Unavailable from $U/unavailable\",\"elapsed_ms\":[0-9]+,\"facts\":\{\"status\":503,"
run "$U/ApiRemoting30/WebService.asmx" --json
assert_schema "--json (repeated facts): valid (tshoot-check)" tshoot-check "$out"
assert_contains "--json: repeated facts become a list" "$out" '"www_authenticate":["Negotiate","NTLM"]'

# --- bad input: exit 2, one line on stderr, nothing sent ----------------------------
before=$(wc -l <"$T/nginx/logs/access.log")
bad() {   # bad DESC EXPECTED-STDERR-ERE ARGS...
	local d=$1 re=$2; shift 2
	run "$@"
	assert_eq "bad input ($d): exit 2" 2 "$rc"
	assert_eq "bad input ($d): one stderr line" 1 "$(printf '%s\n' "$err" | wc -l)"
	assert_match "bad input ($d): message" "$err" "$re"
	assert_eq "bad input ($d): nothing on stdout" "" "$out"
}
bad "malformed URL" "^tshoot: check http: malformed URL 'htp:/x': " "htp:/x"
bad "port out of range" "port must be a number from 1 to 65535" "http://127.0.0.1:99999/"
bad "space in host" "^tshoot: check http: malformed URL .*(space|malformed)" "http://bad host/"
bad "control character" "control character" "$(printf 'http://127.0.0.1/\001')"
bad "ftp scheme" "http or https" "ftp://127.0.0.1/"
bad "missing --cacert file" "cannot read --cacert file '$T/none.pem'" "$U/" --cacert "$T/none.pem"
bad "unknown option" "unknown option '--bogus'" "$U/" --bogus
bad "missing argument" "option --timeout needs an argument" "$U/" --timeout
bad "bad --timeout" "--timeout must be a number" "$U/" --timeout soon
bad "bad --expect" "--expect: " "$U/" --expect 2000
bad "no URL" "missing URL" --json
bad "two URLs" "unexpected argument" "$U/" "$U/x"
bad "option of another kind" "option --name does not apply to check http" "$U/" --name x
after=$(wc -l <"$T/nginx/logs/access.log")
assert_eq "bad input: no request reached the server" "$before" "$after"

out=$("$TSHOOT" check http --help); rc=$?
assert_eq "--help: exit 0" 0 "$rc"
assert_contains "--help: usage line" "$out" "usage: tshoot check http URL [OPTIONS]"
done_testing
