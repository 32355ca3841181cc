#!/bin/bash
# tls.sh — `tshoot check tls` against openssl s_server on 127.0.0.1, with a test CA and
# certificates made here: valid (SAN name + IP), expired, not yet valid, wrong name (CN
# right, SAN wrong), wildcard, self-signed, expiring in 5 days, CN-only, expired and
# wrong name at once; plus plain HTTP, a closed port, a silent port, and a CONNECT proxy.
source "$TOP/tests/lib.sh"

command -v openssl >/dev/null || { echo "# openssl missing"; exit 1; }
command -v jq >/dev/null || { echo "# jq missing (scripts/deps.sh test)"; exit 1; }

C=$T/ca
mkdir -p "$C/newcerts"
: >"$C/index.txt"
echo 1000 >"$C/serial"
cat >"$C/ca.cnf" <<EOF
[ ca ]
default_ca = testca
[ testca ]
dir = $C
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
EOF

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/ca.key" \
	-out "$C/ca.pem" -days 3650 -subj "/CN=tshoot Test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	2>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }

# when OFFSET: a YYMMDDHHMMSSZ time relative to now ("-12 days")
when() { date -u -d "$1" +%y%m%d%H%M%SZ; }

# issue NAME CN SAN START END: a leaf signed by the test CA (SAN "" for none)
issue() {
	local name=$1 cn=$2 san=$3 start=$4 end=$5
	{
		echo "basicConstraints=CA:FALSE"
		echo "keyUsage=digitalSignature"
		echo "extendedKeyUsage=serverAuth"
		[ -n "$san" ] && echo "subjectAltName=$san"
	} >"$C/$name.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/$name.key" \
		-out "$C/$name.csr" -subj "/CN=$cn" 2>>"$T/openssl.err" &&
	openssl ca -batch -config "$C/ca.cnf" -cert "$C/ca.pem" -keyfile "$C/ca.key" -notext \
		-startdate "$(when "$start")" -enddate "$(when "$end")" -extfile "$C/$name.ext" \
		-in "$C/$name.csr" -out "$C/$name.pem" 2>>"$T/openssl.err" ||
		{ echo "# cannot issue $name"; cat "$T/openssl.err"; exit 1; }
}

issue valid    wsus.test   "DNS:wsus.test,IP:127.0.0.1" "-1 day"    "+400 days"
issue expired  wsus.test   "DNS:wsus.test"              "-400 days" "-12 days"
issue notyet   wsus.test   "DNS:wsus.test"              "+10 days"  "+400 days"
issue wrong    wsus.test   "DNS:other.test"             "-1 day"    "+400 days"
issue wild     corp.test   "DNS:*.corp.test"            "-1 day"    "+400 days"
issue expiring wsus.test   "DNS:wsus.test"              "-1 day"    "+5 days"
issue cnonly   legacy.test ""                           "-1 day"    "+400 days"
issue expwrong wsus.test   "DNS:other.test"             "-400 days" "-12 days"
# an intermediate CA that has expired, and a valid leaf under it
{ echo "basicConstraints=critical,CA:TRUE"; echo "keyUsage=critical,keyCertSign,cRLSign"; } >"$C/inter.ext"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/inter.key" \
	-out "$C/inter.csr" -subj "/CN=tshoot Old Intermediate" 2>>"$T/openssl.err" &&
openssl ca -batch -config "$C/ca.cnf" -cert "$C/ca.pem" -keyfile "$C/ca.key" -notext \
	-startdate "$(when "-400 days")" -enddate "$(when "-3 days")" -extfile "$C/inter.ext" \
	-in "$C/inter.csr" -out "$C/inter.pem" 2>>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }
printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:wsus.test\n' >"$C/underold.ext"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/underold.key" \
	-out "$C/underold.csr" -subj "/CN=wsus.test" 2>>"$T/openssl.err" &&
openssl x509 -req -in "$C/underold.csr" -CA "$C/inter.pem" -CAkey "$C/inter.key" -CAcreateserial \
	-days 100 -extfile "$C/underold.ext" -out "$C/underold.pem" 2>>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/self.key" \
	-out "$C/self.pem" -days 400 -subj "/CN=wsus.test" -addext "subjectAltName=DNS:wsus.test" \
	2>>"$T/openssl.err" || exit 1

# serve NAME: openssl s_server with that certificate (and its intermediate, if any);
# sets PORT_<NAME>
serve() {
	local name=$1 port chain=()
	port=$(free_port) || exit 1
	[ "$name" = underold ] && chain=(-cert_chain "$C/inter.pem")
	openssl s_server -accept "127.0.0.1:$port" -cert "$C/$name.pem" -key "$C/$name.key" "${chain[@]}" -www -quiet \
		</dev/null >"$T/s_server.$name.log" 2>&1 &
	track_pid $!
	eval "PORT_$name=$port"
}
servers="valid expired notyet wrong wild expiring cnonly expwrong self underold"
for n in $servers; do serve "$n"; done
for n in $servers; do
	p=PORT_$n
	wait_port "${!p}" || { not_ok "s_server for $n did not start"; cat "$T/s_server.$n.log"; }
done

out="" rc=0
# tls PORT ARGS...: run the check as JSON, keep output and exit status
tls() {
	local port=$1
	shift
	local t0
	t0=$(date +%s%N)
	out=$("$TSHOOT" check tls "127.0.0.1:$port" "$@" --json 2>"$T/stderr")
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))     # the check alone, before validating
	assert_schema "check tls :$port $* --json: valid (tshoot-check)" tshoot-check "$out"
}
j() { jq -r "$1" <<<"$out" 2>/dev/null; }
# a fact as one line: arrays joined with ","
fact() { jq -r --arg k "$1" '.facts[$k] | if type == "array" then join(",") else (. // "") end' <<<"$out" 2>/dev/null; }
problems() { jq -r '(.problems // .facts.problems // []) | join(",")' <<<"$out" 2>/dev/null; }

# ---- a good certificate, by name and by IP
tls "$PORT_valid" --name wsus.test --cacert "$C/ca.pem"
assert_eq "valid: outcome ok" ok "$(j .outcome)"
assert_eq "valid: exit 0" 0 "$rc"
assert_eq "valid: SAN list" "DNS:wsus.test,IP:127.0.0.1" "$(fact san)"
assert_eq "valid: subject" "CN=wsus.test" "$(fact subject)"
assert_eq "valid: issuer" "CN=tshoot Test CA" "$(fact issuer)"
assert_match "valid: days_left about 400" "$(fact days_left)" '^(399|400)$'
assert_match "valid: not_after is ISO 8601 UTC" "$(fact not_after)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
assert_match "valid: protocol" "$(fact protocol)" '^TLSv1\.[23]$'
assert_eq "valid: chain of 2" 2 "$(fact chain_depth)"
assert_eq "valid: no problems" "" "$(problems)"
assert_contains "valid: command is openssl s_client" "$(j .command)" "openssl s_client -connect 127.0.0.1:$PORT_valid -servername wsus.test"
tls "$PORT_valid" --cacert "$C/ca.pem"
assert_eq "valid: IP target matched against IP SAN" ok "$(j .outcome)"
# the same check by hand is shell-quoted: a CA file whose name has a space, a quote and
# a '$' comes back as one argument, and the command really works
weird="$T/my ca's \$HOME.pem"
cp "$C/ca.pem" "$weird"
tls "$PORT_valid" --name wsus.test --cacert "$weird"
cmd=$(j .command)
assert_contains "command quotes the CA file" "$cmd" "-CAfile '$T/my ca'\\''s \$HOME.pem'"
args=$(bash -c "openssl() { printf '<%s>' \"\$@\"; }; $cmd")
assert_eq "command's words, as a shell splits them" \
	"<s_client><-connect><127.0.0.1:$PORT_valid><-servername><wsus.test><-verify_hostname><wsus.test><-CAfile><$weird>" "$args"
assert_contains "command run by hand: openssl verifies the chain" "$(timeout 10 bash -c "$cmd" 2>&1)" "Verify return code: 0 (ok)"
out=$("$TSHOOT" check tls '[::1]:1' --json 2>/dev/null)
assert_schema "check tls [::1]:1 --json: valid" tshoot-check "$out"
assert_contains "command quotes an IPv6 [host]:port (a glob unquoted)" "$(j .command)" "openssl s_client -connect '[::1]:1' "
tls "$PORT_valid" --name wsus.test
assert_eq "valid: unknown CA without --cacert is untrusted" tls_untrusted "$(j .outcome)"
assert_eq "valid: ... and exit 1" 1 "$rc"
assert_contains "valid: verify_error says why" "$(fact verify_error)" "unable to get local issuer certificate"
tls "$PORT_valid" --name other.test --cacert "$C/ca.pem"
assert_eq "valid: another name is a mismatch" tls_name_mismatch "$(j .outcome)"

# ---- dates: trusted CA, so expired alone (not also untrusted)
tls "$PORT_expired" --name wsus.test --cacert "$C/ca.pem"
assert_eq "expired: outcome" tls_expired "$(j .outcome)"
assert_eq "expired: problems only tls_expired" tls_expired "$(problems)"
assert_eq "expired: days_left" -12 "$(fact days_left)"
assert_contains "expired: summary" "$(j .summary)" "certificate for wsus.test expired 12 days ago (not after $(date -u -d '-12 days' +%F))"
tls "$PORT_notyet" --name wsus.test --cacert "$C/ca.pem"
assert_eq "not yet valid: outcome" tls_not_yet_valid "$(j .outcome)"
assert_eq "not yet valid: problems" tls_not_yet_valid "$(problems)"
assert_contains "not yet valid: summary" "$(j .summary)" "not valid yet (not before $(date -u -d '+10 days' +%F)"

tls "$PORT_underold" --name wsus.test --cacert "$C/ca.pem"
assert_eq "valid leaf under an expired intermediate: tls_expired" tls_expired "$(j .outcome)"
assert_eq "... and not untrusted" tls_expired "$(problems)"
assert_contains "... the summary points at the chain" "$(j .summary)" "a certificate in the chain of wsus.test has expired"
assert_eq "... chain of 3" 3 "$(fact chain_depth)"

# ---- expiring: within the default 30 days, not within 3
tls "$PORT_expiring" --name wsus.test --cacert "$C/ca.pem"
assert_eq "expiring: outcome" tls_expiring "$(j .outcome)"
assert_eq "expiring: days_left 5" 5 "$(fact days_left)"
assert_contains "expiring: summary" "$(j .summary)" "expires in 5 days"
tls "$PORT_expiring" --name wsus.test --cacert "$C/ca.pem" --warn-days 3
assert_eq "expiring: --warn-days 3 is ok" ok "$(j .outcome)"
tls "$PORT_expiring" --name wsus.test
assert_eq "expiring and untrusted: untrusted first" "tls_untrusted,tls_expiring" "$(problems)"

# ---- names: CN ignored when SANs exist; wildcard one label; CN-only certificates
tls "$PORT_wrong" --name wsus.test --cacert "$C/ca.pem"
assert_eq "wrong name (CN matches, SAN does not): mismatch" tls_name_mismatch "$(j .outcome)"
assert_contains "wrong name: summary names the FQDN" "$(j .summary)" "does not match wsus.test"
tls "$PORT_wild" --name a.corp.test --cacert "$C/ca.pem"
assert_eq "wildcard covers a.corp.test" ok "$(j .outcome)"
tls "$PORT_wild" --name corp.test --cacert "$C/ca.pem"
assert_eq "wildcard does not cover the bare corp.test" tls_name_mismatch "$(j .outcome)"
tls "$PORT_wild" --name a.b.corp.test --cacert "$C/ca.pem"
assert_eq "wildcard does not cover a.b.corp.test" tls_name_mismatch "$(j .outcome)"
tls "$PORT_cnonly" --name legacy.test --cacert "$C/ca.pem"
assert_eq "CN-only certificate matches its CN" ok "$(j .outcome)"
assert_eq "CN-only: no SAN fact" "" "$(fact san)"
tls "$PORT_cnonly" --name other.test --cacert "$C/ca.pem"
assert_eq "CN-only certificate, other name" tls_name_mismatch "$(j .outcome)"

# ---- several problems at once, reported by precedence
tls "$PORT_expwrong" --name wsus.test --cacert "$C/ca.pem"
assert_eq "expired + wrong name: outcome is expired" tls_expired "$(j .outcome)"
assert_eq "expired + wrong name: both in problems" "tls_expired,tls_name_mismatch" "$(problems)"
tls "$PORT_expwrong" --name wsus.test
assert_eq "expired + wrong name + unknown CA: all three" "tls_expired,tls_name_mismatch,tls_untrusted" "$(problems)"

# ---- self-signed
tls "$PORT_self" --name wsus.test --cacert "$C/ca.pem"
assert_eq "self-signed: untrusted" tls_untrusted "$(j .outcome)"
assert_contains "self-signed: summary says why" "$(j .summary)" "self-signed"
tls "$PORT_self" --name wsus.test --cacert "$C/self.pem"
assert_eq "self-signed, trusted explicitly: ok" ok "$(j .outcome)"

# ---- not TLS at all, nothing there, silence
http_port=$(free_port)
"$FIXTURES/hold_fixture" "$http_port" http 60 &
track_pid $!
hold_port=$(free_port)
"$FIXTURES/hold_fixture" "$hold_port" hold 60 &
track_pid $!
close_port=$(free_port)
"$FIXTURES/hold_fixture" "$close_port" close 60 &
track_pid $!
wait_port "$http_port"; wait_port "$hold_port"; wait_port "$close_port"

tls "$http_port" --name wsus.test
assert_eq "plain HTTP port: tls_handshake" tls_handshake "$(j .outcome)"
assert_eq "plain HTTP port: problems" tls_handshake "$(problems)"
tls "$close_port" --name wsus.test
assert_match "accept-then-close port: closed or tls_handshake" "$(j .outcome)" '^(closed|tls_handshake)$'
closed=$(free_port)
tls "$closed" --name wsus.test
assert_eq "closed port: refused" refused "$(j .outcome)"
tls "$hold_port" --name wsus.test --timeout 1
assert_eq "silent port: timeout" timeout "$(j .outcome)"
if [ "$ms" -lt 5000 ]; then ok "silent port: gave up within the timeout (${ms} ms)"; else not_ok "silent port took ${ms} ms"; fi

# ---- bad input: exit 2, one line, before any traffic
"$TSHOOT" check tls 127.0.0.1:99999 >/dev/null 2>"$T/stderr"
rc=$?
assert_eq "port out of range: exit 2" 2 "$rc"
assert_eq "port out of range: one line on stderr" 1 "$(wc -l <"$T/stderr")"
"$TSHOOT" check tls "127.0.0.1:$PORT_valid" --cacert "$T/nope.pem" >/dev/null 2>"$T/stderr"
rc=$?
assert_eq "missing --cacert file: exit 2" 2 "$rc"
assert_contains "missing --cacert file: says which" "$(cat "$T/stderr")" "nope.pem"

# ---- through an HTTP CONNECT proxy (squid, no auth), when squid is installed
SQUID=$(command -v squid || echo /usr/sbin/squid)
if [ -x "$SQUID" ]; then
	sp=$(free_port)
	mkdir -p "$T/squid"
	cat >"$T/squid/squid.conf" <<EOF
http_port 127.0.0.1:$sp
pid_filename $T/squid/squid.pid
cache_log $T/squid/cache.log
access_log none
cache deny all
cache_mem 8 MB
shutdown_lifetime 0 seconds
acl localhost src 127.0.0.1
acl SSL_ports port 1-65535
acl CONNECT method CONNECT
http_access allow localhost
http_access deny all
coredump_dir $T/squid
EOF
	( shm_private "$SQUID" -N -f "$T/squid/squid.conf" ) >"$T/squid/out.log" 2>&1 &
	track_pid $!
	disown $!     # squid may need the cleanup's kill -9: no "Killed" notice from bash
	if wait_port "$sp" 100; then
		tls "$PORT_valid" --name wsus.test --cacert "$C/ca.pem" --proxy "http://127.0.0.1:$sp"
		assert_eq "through squid: ok" ok "$(j .outcome)"
		assert_contains "through squid: command has -proxy" "$(j .command)" "-proxy 127.0.0.1:$sp"
		tls "$PORT_expired" --name wsus.test --cacert "$C/ca.pem" --proxy "http://127.0.0.1:$sp"
		assert_eq "through squid: expired seen through the tunnel" tls_expired "$(j .outcome)"
		tls "$closed" --name wsus.test --proxy "http://127.0.0.1:$sp"
		assert_eq "through squid to a closed port: proxy_error" proxy_error "$(j .outcome)"
	else
		not_ok "squid did not start"
		tail -5 "$T/squid/cache.log" | sed 's/^/# /'
	fi
else
	skip "squid not installed: the cases through a real proxy"
fi

# ---- proxies that refuse the tunnel, or are not there
p407=$(free_port)
"$FIXTURES/hold_fixture" "$p407" 407 60 &
track_pid $!
p502=$(free_port)
"$FIXTURES/hold_fixture" "$p502" 502 60 &
track_pid $!
wait_port "$p407"; wait_port "$p502"
tls "$PORT_valid" --name wsus.test --proxy "http://127.0.0.1:$p407"
assert_eq "proxy answering 407 to CONNECT: proxy_auth" proxy_auth "$(j .outcome)"
tls "$PORT_valid" --name wsus.test --proxy "http://127.0.0.1:$p502"
assert_eq "proxy answering 502 to CONNECT: proxy_error" proxy_error "$(j .outcome)"
noproxy=$(free_port)
tls "$PORT_valid" --name wsus.test --proxy "http://127.0.0.1:$noproxy"
assert_eq "proxy not listening: proxy_refused" proxy_refused "$(j .outcome)"

done_testing
