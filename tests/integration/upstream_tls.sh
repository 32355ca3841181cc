#!/bin/bash
# upstream_tls.sh — the bundled flow wsus-upstream-tls walked in line mode (--plain, the
# answers piped in) against real servers on 127.0.0.1 standing in for Microsoft Update:
# openssl s_server with a certificate from a test CA whose organization is "Microsoft
# Corporation" (the flow's ca_file trusts only that CA, as a WSUS server trusts only
# real roots), the same with a certificate from a test "inspection" CA playing a proxy
# that inspects TLS, a port that accepts and cuts the connection (0x80072EFE) and a proxy
# answering 407. One failure class per walk; each asserts the end and the advice a user
# sees. The interception walk also goes round the fix-and-retest loop for real: the
# inspecting server is replaced by the "Microsoft" one while the walk waits at the fix.
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"

command -v openssl >/dev/null || { echo "# openssl missing"; exit 1; }
FLOW="$TOP/flows/wsus-upstream-tls.yaml"

# --- two test CAs, each with a leaf for localhost --------------------------------------
C=$T/ca
mkdir -p "$C"
# ca NAME SUBJECT: a self-signed CA; leaf NAME: a localhost certificate signed by it
ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/$1-ca.key" \
		-out "$C/$1-ca.pem" -days 30 -subj "$2" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		2>>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }
	printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$C/$1.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/$1.key" \
		-out "$C/$1.csr" -subj "/CN=localhost" 2>>"$T/openssl.err" &&
	openssl x509 -req -in "$C/$1.csr" -CA "$C/$1-ca.pem" -CAkey "$C/$1-ca.key" -CAcreateserial \
		-days 20 -extfile "$C/$1.ext" -out "$C/$1.pem" 2>>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }
}
ca ms "/C=US/O=Microsoft Corporation/CN=tshoot stand-in for a Microsoft issuing CA"
ca inspect "/O=Contoso Ltd/CN=Contoso TLS Inspection CA"

# serve NAME PORT: openssl s_server on 127.0.0.1:PORT with NAME's certificate; sets SPID
serve() {
	openssl s_server -accept "127.0.0.1:$2" -cert "$C/$1.pem" -key "$C/$1.key" -www -quiet \
		</dev/null >>"$T/s_server.$1.log" 2>&1 &
	SPID=$!
	track_pid "$SPID"
	wait_port "$2" || { not_ok "s_server ($1) listens on $2"; cat "$T/s_server.$1.log"; }
}

P_MS=$(free_port); P_INSPECT=$(free_port); P_CUT=$(free_port); P_407=$(free_port)
serve ms "$P_MS"
serve inspect "$P_INSPECT"; INSPECT_PID=$SPID
"$FIXTURES/hold_fixture" "$P_CUT" close 120 &
track_pid $!
"$FIXTURES/hold_fixture" "$P_407" 407 120 &
track_pid $!
wait_port "$P_CUT"; wait_port "$P_407"

# walk INPUT PORT [ARGS...]: pipe INPUT into the flow in line mode, Microsoft Update at
# localhost:PORT; sets out (stdout+stderr) and rc
walk() {
	local input=$1 port=$2
	shift 2
	out=$(printf "$input" | COLUMNS=200 "$TSHOOT" --plain --no-journal --set mu_host=localhost \
		--set mu_port="$port" --set ca_file="$C/ms-ca.pem" "$@" "$FLOW" 2>&1)
	rc=$?
}

# Line by line: intro (Enter), vantage 1 (same way out), way-in 2 (live test), the
# endpoint form (Enter keeps both preset fields), proxy 1 (directly) ...
LIVE='\n1\n2\n\n\n1\n'

# --- the path is clean: the WSUS server's own TLS settings are left ---------------------
# ... live-passed (Enter), SoftwareDistribution.log says TLS 1.2 enabled (1), the .NET
# steps: ticked 1 2, fixed (y)
walk "${LIVE}\n1\n1 2\ny\n" "$P_MS"
assert_eq "clean path: exit 0 (resolved)" 0 "$rc"
assert_contains "clean path: the issuer is shown, a Microsoft CA" "$out" \
	"issuer CN=tshoot stand-in for a Microsoft issuing CA,O=Microsoft Corporation,C=US"
assert_match "clean path: the protocol negotiated here is shown" "$(printf "%s" "$out" | tr "\n" " ")" "negotiated +TLSv1\.[23] +with "
assert_contains "clean path: then asks what WSUS logs about SCHANNEL" "$out" "What WSUS says about TLS at start-up"
assert_contains "clean path: the .NET steps name SchUseStrongCrypto" "$out" \
	'reg add "HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319" /v SchUseStrongCrypto /t REG_DWORD /d 1 /f'
assert_contains "clean path: ... and the WOW6432Node key" "$out" \
	'reg query "HKLM\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319"'
assert_contains "clean path: ends resolved with TLS 1.2" "$out" "Resolved (WSUS uses TLS 1.2)"
assert_not_contains "clean path: no interception suspected" "$out" "Exclude Microsoft Update from TLS inspection"
# the test certificates end in 20 days: within the check's 30, so the outcome is
# tls_expiring, which a Microsoft certificate near its renewal may well give
assert_contains "clean path: the check warned of the near expiry" "$out" "tls_expiring: certificate for localhost expires in"
assert_not_contains "clean path: a near expiry is not taken for a trust problem" "$out" "Microsoft's certificate, but not valid here"

# not fixed by .NET: the cipher suites next, then escalation with what to collect
walk "${LIVE}\n1\nn\nn\n" "$P_MS"
assert_eq "clean path, nothing helps: exit 1" 1 "$rc"
assert_contains "clean path, not fixed: cipher suites next" "$out" "Offer a cipher suite Microsoft Update accepts"
assert_contains "clean path, not fixed: the gpresult command" "$out" "gpresult /scope computer /h GPReport.html"
assert_contains "clean path, not fixed: escalated" "$out" "Escalate (the WSUS server's TLS settings)"

# no SCHANNEL lines in the log: the Monthly Rollup first
walk "${LIVE}\n3\ny\n" "$P_MS"
assert_eq "no SCHANNEL lines: exit 0" 0 "$rc"
assert_contains "no SCHANNEL lines: the Monthly Rollup" "$out" "KB4022720 for 2012 R2"

# TLS 1.2 disabled in the log: the SCHANNEL keys
walk "${LIVE}\n2\ny\n" "$P_MS"
assert_contains "TLS 1.2 disabled: the SCHANNEL key" "$out" \
	'SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client'

# --- a TLS-inspecting device: pasted error, issuer, fix, retest for real ------------------
# intro, vantage, way-in 1 (paste), the pasted line and an empty line, the info (Enter),
# the form (Enter Enter), proxy 1; then the walk waits at the fix's checklist.
PASTE="ProcessWebServiceProxyException found Exception was WebException. Action: Retry. Exception Details: System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure."
mkfifo "$T/in"
COLUMNS=200 "$TSHOOT" --plain --no-journal --set mu_host=localhost --set mu_port="$P_INSPECT" \
	--set ca_file="$C/ms-ca.pem" "$FLOW" <"$T/in" >"$T/loop.out" 2>&1 &
WALK=$!
track_pid "$WALK"
exec 3>"$T/in"
printf '\n1\n1\n%s\n\n\n\n\n1\n' "$PASTE" >&3
if wait_file "$T/loop.out" "Is the exclusion in place, so we can test again?"; then
	ok "interception: the walk reaches the fix"
else
	not_ok "interception: the walk reaches the fix"; tail -20 "$T/loop.out" | sed 's/^/#   | /'
fi
out=$(cat "$T/loop.out")
assert_match "interception: the paste is recognised as a refused certificate" "$out" \
	"note: Recognised: .*\\(often a TLS-inspecting proxy\\)"
assert_contains "interception: explained before the checks" "$out" "The certificate was refused"
assert_contains "interception: the fix names the issuer that arrived" "$out" \
	"was issued by CN=Contoso TLS Inspection CA,O=Contoso Ltd, not by Microsoft"
assert_contains "interception: the fix lists the endpoints to exclude" "$out" "*.update.microsoft.com"
# the "proxy team" fixes it: Microsoft's certificate is served on the same port now
kill "$INSPECT_PID" 2>/dev/null
i=0; while ss -Htln "sport = :$P_INSPECT" | grep -q . && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
serve ms "$P_INSPECT"
printf '1 2\ny\n' >&3
exec 3>&-
i=0; while kill -0 "$WALK" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$WALK" 2>/dev/null; then
	not_ok "interception: the walk ends after the retest"; kill "$WALK"
fi
wait "$WALK"; rc=$?
out=$(cat "$T/loop.out")
assert_eq "interception fixed and retested: exit 0" 0 "$rc"
assert_contains "interception: the retest ran" "$out" "Test again"
assert_contains "interception: ends at the inspection bypass" "$out" "Resolved (TLS inspection bypassed)"
assert_contains "interception: the end names Microsoft's issuer" "$out" \
	"Microsoft's own certificate arrives again (issuer CN=tshoot stand-in for a Microsoft issuing CA,O=Microsoft Corporation,C=US)"

# still intercepted after the "fix": the loop goes round and escalates when given up
P_INSPECT2=$(free_port)
serve inspect "$P_INSPECT2"
walk "${LIVE}y\nn\n" "$P_INSPECT2"
assert_eq "interception not fixed: exit 1" 1 "$rc"
assert_eq "interception not fixed: the fix shown twice (retest, then again)" 2 \
	"$(printf '%s\n' "$out" | grep -c "Exclude Microsoft Update from TLS inspection$")"
assert_contains "interception not fixed: escalated to the proxy or firewall team" "$out" "Escalate (TLS inspection)"
assert_contains "interception not fixed: what to collect" "$out" "The proxy or firewall in the path and its TLS inspection rules"

# --- the connection is cut (0x80072EFE) -------------------------------------------------
walk "${LIVE}n\n" "$P_CUT"
assert_eq "cut connection: exit 1" 1 "$rc"
assert_contains "cut connection: the 0x80072EFE fix" "$out" "Something blocks or cuts the connection (0x80072EFE)"
assert_contains "cut connection: the firewall step" "$out" "out on 443 and 80 to the Microsoft"
assert_contains "cut connection: escalated to the network team" "$out" "Escalate (network or proxy)"

# --- the proxy wants credentials ---------------------------------------------------------
# proxy 2 (yes), the proxy form: Enter keeps the preset URL, no account, no password
walk '\n1\n2\n\n\n2\n\n\n\nn\n' "$P_MS" --set proxy_url="http://127.0.0.1:$P_407"
assert_eq "proxy 407: exit 1" 1 "$rc"
assert_contains "proxy 407: the proxy fix" "$out" "The proxy does not let WSUS through"
assert_contains "proxy 407: it names the proxy" "$out" "The proxy http://127.0.0.1:$P_407 did not pass the connection"
assert_not_contains "proxy 407: no interception suspected" "$out" "Exclude Microsoft Update from TLS inspection"

done_testing
