#!/bin/bash
# check_cert.sh — `tshoot check cert FILE` on certificate files made here with openssl:
# a test CA, then good, expired, not-yet-valid, expiring, SHA-1, RSA-1024, wrong-name,
# clientAuth-only and mismatched-key certificates, as PEM (with and without the key, an
# encrypted key), DER and PKCS#12 (.pfx with a password from --password-env, and
# without one). Outcomes, exit codes, JSON facts and --nagios lines; the password
# never shows; the kind in a flow passes lint.
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
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" -days 3650 \
	-subj "/CN=tshoot Cert Test CA" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }

when() { date -u -d "$1" +%y%m%d%H%M%SZ; }

# issue NAME START END [KEY [MD [EKU [SAN]]]]: a leaf for wsus01.test signed by the CA
issue() {
	local name=$1 start=$2 end=$3 key=${4:-rsa:2048} md=${5:-sha256} eku=${6:-serverAuth}
	local san=${7:-DNS:wsus01.test,DNS:wsus01}
	printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
		"$eku" "$san" >"$C/$name.ext"
	openssl req -new -newkey "$key" -nodes -keyout "$C/$name.key" -out "$C/$name.csr" \
		-subj "/CN=wsus01.test" 2>>"$T/openssl.err" &&
	openssl ca -batch -config "$C/ca.cnf" -cert "$C/ca.pem" -keyfile "$C/ca.key" -notext -md "$md" \
		-startdate "$(when "$start")" -enddate "$(when "$end")" -extfile "$C/$name.ext" \
		-in "$C/$name.csr" -out "$C/$name.pem" 2>>"$T/openssl.err" ||
		{ echo "# cannot issue $name"; cat "$T/openssl.err"; exit 1; }
}
issue good     "-1 day"    "+400 days"
issue expired  "-400 days" "-12 days"
issue notyet   "+10 days"  "+400 days"
issue expiring "-1 day"    "+5 days"
issue sha1     "-1 day"    "+400 days" rsa:2048 sha1
issue rsa1024  "-1 day"    "+400 days" rsa:1024
issue client   "-1 day"    "+400 days" rsa:2048 sha256 clientAuth
issue wild     "-1 day"    "+400 days" rsa:2048 sha256 serverAuth "DNS:*.corp.test"
# the files: PEM with its key, with another key, with an encrypted key; DER; PKCS#12
cat "$C/good.pem" "$C/good.key" >"$C/good+key.pem"
cat "$C/good.pem" "$C/expired.key" >"$C/wrongkey.pem"
openssl x509 -in "$C/good.pem" -outform DER -out "$C/good.der" || exit 1
PFX_PASS='Pfx pass w0rd $x'
export PFX_PASS
openssl pkcs12 -export -in "$C/good.pem" -inkey "$C/good.key" -certfile "$C/ca.pem" -passout env:PFX_PASS \
	-out "$C/good.pfx" || exit 1
openssl pkcs12 -export -in "$C/good.pem" -inkey "$C/good.key" -passout pass: -out "$C/nopass.pfx" || exit 1
openssl pkey -in "$C/good.key" -aes256 -passout env:PFX_PASS -out "$C/enc.key" || exit 1
cat "$C/good.pem" "$C/enc.key" >"$C/good+enc.pem"
printf 'not a certificate\n' >"$C/junk.txt"

# cert FILE ARGS...: the check as JSON; out, err, rc
# (its JSON, when it ran (not exit 2), is checked against schema/tshoot-check.schema.json)
cert() {
	out=$("$TSHOOT" check cert "$@" --json 2>"$T/err" </dev/null); rc=$?; err=$(cat "$T/err")
	[ "$rc" = 2 ] || assert_schema "check cert $(basename "$1") ${*:2} --json: valid (tshoot-check)" tshoot-check "$out"
}
# nag FILE ARGS...: the check as a monitoring system runs it; out, rc
nag() { out=$(timeout 20 "$TSHOOT" check cert "$@" --nagios 2>"$T/err" </dev/null); rc=$?; err=$(cat "$T/err"); }
j() { jq -r "$1" <<<"$out" 2>/dev/null; }
fact() { jq -r --arg k "$1" '.facts[$k] | if type == "array" then join(",") else (. // "") end' <<<"$out" 2>/dev/null; }
problems() { jq -r '(.problems // []) | join(",")' <<<"$out" 2>/dev/null; }

# ---- a good certificate, each format
cert "$C/good.pem" --name wsus01.test --cacert "$C/ca.pem"
assert_eq "good PEM: ok" ok "$(j .outcome)"
assert_eq "good PEM: exit 0" 0 "$rc"
assert_eq "good PEM: format" PEM "$(fact format)"
assert_eq "good PEM: SAN list (the tls check's facts)" "DNS:wsus01.test,DNS:wsus01" "$(fact san)"
assert_eq "good PEM: subject" "CN=wsus01.test" "$(fact subject)"
assert_match "good PEM: days_left is a number about 400" "$(j '.facts.days_left | numbers')" '^(399|400)$'
assert_eq "good PEM: chain of 2" 2 "$(fact chain_depth)"
assert_eq "good PEM: key usage" "digitalSignature, keyEncipherment" "$(fact key_usage)"
assert_eq "good PEM: ext key usage" serverAuth "$(fact ext_key_usage)"
assert_eq "good PEM: signature" sha256WithRSAEncryption "$(fact signature_algorithm)"
assert_eq "good PEM: key" "RSA 2048" "$(fact key_type) $(j '.facts.key_bits | numbers')"
assert_eq "good PEM: no key in the file" "none in the file" "$(fact private_key)"
assert_eq "good PEM: target is the file" "$C/good.pem" "$(j .target)"
assert_contains "good PEM: command is openssl verify" "$(j .command)" "openssl verify -purpose sslserver -verify_hostname wsus01.test -CAfile"
assert_contains "good PEM: the command by hand agrees" "$(cd "$T" && bash -c "$(j .command)" 2>&1)" ": OK"
cert "$C/good+key.pem" --name wsus01 --cacert "$C/ca.pem"
assert_eq "PEM with its key: ok" ok "$(j .outcome)"
assert_eq "PEM with its key: the key matches" matches "$(fact private_key)"
cert "$C/good.der" --cacert "$C/ca.pem"
assert_eq "DER: ok (no --name: no name checked)" ok "$(j .outcome)"
assert_eq "DER: format" DER "$(fact format)"
cert "$C/good.pfx" --name wsus01.test --password-env PFX_PASS
assert_eq "pfx without --cacert: the CA inside the file is no trust anchor" tls_untrusted "$(j .outcome)"
cert "$C/good.pfx" --name wsus01.test --password-env PFX_PASS --cacert "$C/ca.pem"
assert_eq "pfx with password from the environment: ok" ok "$(j .outcome)"
assert_eq "pfx: format" "PKCS#12" "$(fact format)"
assert_eq "pfx: the key matches" matches "$(fact private_key)"
assert_contains "pfx: summary" "$(j .summary)" "certificate for wsus01.test is valid until"
assert_not_contains "pfx: the password is not in the JSON" "$out" "Pfx pass"
assert_contains "pfx: command takes the password from the same variable" "$(j .command)" \
	"openssl pkcs12 -in $C/good.pfx -nokeys -clcerts -passin env:PFX_PASS | openssl verify"
cmd_out=$(bash -c "$(j .command)" 2>&1)
assert_contains "pfx: the command by hand agrees" "$cmd_out" "OK"
"$TSHOOT" check cert "$C/good.pfx" --password-env PFX_PASS --cacert "$C/ca.pem" >"$T/text" 2>&1 </dev/null
assert_not_contains "pfx: the password is not in the text output" "$(cat "$T/text")" "Pfx pass"
# an older Windows export: RC2/3DES, OpenSSL's legacy provider
if openssl pkcs12 -export -legacy -in "$C/good.pem" -inkey "$C/good.key" -passout env:PFX_PASS \
	-out "$C/legacy.pfx" 2>/dev/null; then
	cert "$C/legacy.pfx" --cacert "$C/ca.pem" --password-env PFX_PASS
	assert_eq "legacy pfx (RC2/3DES): ok" "ok matches" "$(j .outcome) $(fact private_key)"
else
	skip "this openssl cannot write a legacy pfx"
fi
cert "$C/nopass.pfx" --cacert "$C/ca.pem"
assert_eq "pfx without a password needs no --password-env" ok "$(j .outcome)"
cert "$C/good+enc.pem" --cacert "$C/ca.pem" --password-env PFX_PASS
assert_eq "PEM with an encrypted key: ok" ok "$(j .outcome)"
assert_eq "PEM with an encrypted key: it matches" matches "$(fact private_key)"

# ---- problems: one outcome each, exit 1
cert "$C/good.pem" --cacert "$C/ca.pem" --name other.test
assert_eq "wrong name: tls_name_mismatch" tls_name_mismatch "$(j .outcome)"
assert_eq "wrong name: exit 1" 1 "$rc"
cert "$C/wild.pem" --cacert "$C/ca.pem" --name a.corp.test
assert_eq "wildcard covers one label" ok "$(j .outcome)"
cert "$C/wild.pem" --cacert "$C/ca.pem" --name a.b.corp.test
assert_eq "wildcard not two labels (the tls rule)" tls_name_mismatch "$(j .outcome)"
cert "$C/good.pem" --cacert "$C/ca.pem" --name 127.0.0.1
assert_eq "an IP not in the SAN: mismatch" tls_name_mismatch "$(j .outcome)"
cert "$C/good.pem"
assert_eq "unknown CA (system store): tls_untrusted" tls_untrusted "$(j .outcome)"
assert_contains "untrusted: verify_error says why" "$(fact verify_error)" "unable to get local issuer certificate"
cert "$C/expired.pem" --cacert "$C/ca.pem"
assert_eq "expired: tls_expired" tls_expired "$(j .outcome)"
assert_eq "expired: days_left" -12 "$(fact days_left)"
assert_eq "expired: only that problem" tls_expired "$(problems)"
assert_match "expired: summary" "$(j .summary)" "^certificate CN=wsus01.test expired 12 days ago \(not after "
cert "$C/notyet.pem" --cacert "$C/ca.pem"
assert_eq "not yet valid: tls_not_yet_valid" tls_not_yet_valid "$(j .outcome)"
cert "$C/expiring.pem" --cacert "$C/ca.pem"
assert_eq "expiring in 5 days: tls_expiring" tls_expiring "$(j .outcome)"
assert_eq "expiring: expiry fact" warning "$(fact expiry)"
cert "$C/expiring.pem" --cacert "$C/ca.pem" --warn-days 3
assert_eq "expiring, --warn-days 3: ok" ok "$(j .outcome)"
cert "$C/expiring.pem" --cacert "$C/ca.pem" --crit-days 7
assert_eq "expiring, --crit-days 7: critical expiry" "tls_expiring critical" "$(j .outcome) $(fact expiry)"
cert "$C/sha1.pem" --cacert "$C/ca.pem"
assert_eq "SHA-1 signature: tls_weak" tls_weak "$(j .outcome)"
assert_contains "SHA-1: summary says so" "$(j .summary)" "signed with sha1WithRSAEncryption"
cert "$C/rsa1024.pem" --cacert "$C/ca.pem"
assert_eq "RSA 1024: tls_weak" tls_weak "$(j .outcome)"
assert_contains "RSA 1024: summary says so" "$(j .summary)" "RSA key of 1024 bits"
cert "$C/client.pem" --cacert "$C/ca.pem"
assert_eq "clientAuth only: tls_usage" tls_usage "$(j .outcome)"
assert_eq "clientAuth only: ext_key_usage" clientAuth "$(fact ext_key_usage)"
assert_contains "clientAuth only: summary" "$(j .summary)" "has no serverAuth"
cert "$C/wrongkey.pem" --cacert "$C/ca.pem"
assert_eq "another certificate's key: tls_key_mismatch" tls_key_mismatch "$(j .outcome)"
assert_eq "mismatched key: private_key fact" "does not match" "$(fact private_key)"
cert "$C/expired.pem" --name other.test
assert_eq "several problems: precedence" "tls_expired,tls_name_mismatch,tls_untrusted" "$(problems)"

# ---- bad input: exit 2, one line, nothing on stdout
badc() {
	local d=$1 re=$2; shift 2
	cert "$@"
	assert_eq "$d: exit 2" 2 "$rc"
	assert_eq "$d: nothing on stdout" "" "$out"
	assert_match "$d: message" "$err" "$re"
}
badc "pfx without --password-env" "the PKCS#12 file has a password: name the variable that holds it with --password-env VAR" "$C/good.pfx"
PFX_WRONG=nope badc "pfx, wrong password" "wrong password for the PKCS#12 file" "$C/good.pfx" --password-env PFX_WRONG
badc "variable not set" "the environment variable password_env names is not set" "$C/good.pfx" --password-env NO_SUCH_VAR_X
badc "a password given where the variable's name goes" "must name an environment variable" "$C/good.pfx" --password-env 'Pfx pass w0rd'
badc "encrypted PEM key without a password" "encrypted" "$C/good+enc.pem"
badc "not a certificate" "not a certificate: neither PEM, DER nor PKCS#12" "$C/junk.txt"
badc "missing file" "cannot read certificate file" "$T/none.pem"
badc "missing --cacert" "cannot read --cacert file" "$C/good.pem" --cacert "$T/none.pem"
badc "--crit-days out of range" "crit-days must be a whole number of days from 0 to 3650" "$C/good.pem" --crit-days 9999
assert_not_contains "wrong password: never echoed" "$err" "nope"

# ---- --nagios: the plugin line and the exit status
nag "$C/good.pem" --cacert "$C/ca.pem" --name wsus01.test
assert_eq "nagios good: exit 0 OK" 0 "$rc"
assert_match "nagios good: line" "$out" "^TSHOOT CERT OK - $C/good.pem certificate for wsus01.test is valid until .* \| days_left=(399|400);30;0 time=[0-9]+\.[0-9]{3}s;;;0$"
nag "$C/expiring.pem" --cacert "$C/ca.pem"
assert_eq "nagios expiring: exit 1 WARNING" 1 "$rc"
assert_match "nagios expiring: line" "$out" "^TSHOOT CERT WARNING - .* expires in 5 days .*\| days_left=5;30;0 "
nag "$C/expiring.pem" --cacert "$C/ca.pem" --warn-days 60 --crit-days 7
assert_eq "nagios expiring within --crit-days: exit 2 CRITICAL" 2 "$rc"
assert_match "nagios critical: thresholds in the perfdata" "$out" "^TSHOOT CERT CRITICAL - .*\| days_left=5;60;7 "
nag "$C/expired.pem" --cacert "$C/ca.pem"
assert_eq "nagios expired: exit 2" 2 "$rc"
assert_match "nagios expired: CRITICAL" "$out" "^TSHOOT CERT CRITICAL - .* expired 12 days ago"
nag "$C/sha1.pem" --cacert "$C/ca.pem"
assert_eq "nagios SHA-1: CRITICAL" "2 TSHOOT CERT CRITICAL" "$rc ${out%% - *}"
nag "$C/good.pfx" --password-env PFX_PASS --cacert "$C/ca.pem"
assert_eq "nagios pfx: OK" "0 TSHOOT CERT OK" "$rc ${out%% - *}"
PFX_WRONG=nope nag "$C/good.pfx" --password-env PFX_WRONG
assert_eq "nagios wrong password: exit 3 UNKNOWN" 3 "$rc"
assert_match "nagios wrong password: line" "$out" "^TSHOOT CERT UNKNOWN - .*wrong password for the PKCS#12 file$"
assert_eq "nagios: nothing on stderr" "" "$err"
nag "$T/none.pem"
assert_eq "nagios missing file: exit 3" 3 "$rc"
assert_match "nagios missing file: UNKNOWN" "$out" "^TSHOOT CERT UNKNOWN - cannot read certificate file"
nag "$C/good.pem" --json
assert_eq "--nagios with --json: UNKNOWN, exit 3" "3 TSHOOT CERT UNKNOWN" "$rc ${out%% - *}"

# ---- --help and a flow that runs the kind
out=$("$TSHOOT" check cert --help)
assert_match "cert --help: --password-env" "$out" '--password-env VAR +the name of the environment variable that holds'
assert_match "cert --help: --crit-days" "$out" '--crit-days N '
cat >"$T/certflow.yaml" <<EOF
id: certflow
title: "Check a certificate file"
start: probe
nodes:
  probe:
    type: check
    run:
      - cert: {file: "$C/good.pfx", name: wsus01.test, password_env: PFX_PASS, cacert: "$C/ca.pem", warn_days: 45}
        capture: c
    on: {ok: good, tls_expiring: renew, tls_*: bad, problem: bad}
  good: {type: end, result: resolved, text: "Good for \${c.days_left} days."}
  renew: {type: end, result: escalate, text: "Renew."}
  bad: {type: end, result: escalate, text: "Bad: \${c.outcome}."}
EOF
lint_out=$("$TSHOOT" lint "$T/certflow.yaml" 2>&1); lrc=$?
assert_eq "a flow with a cert check passes lint" 0 "$lrc"
assert_contains "lint: no problems" "$lint_out" "0 errors"
sed 's/warn_days: 45/warn_days: 45, pasword: x/' "$T/certflow.yaml" >"$T/certflow-bad.yaml"
lint_out=$("$TSHOOT" lint "$T/certflow-bad.yaml" 2>&1)
assert_contains "lint: an unknown cert parameter" "$lint_out" "cert check has no parameter 'pasword'"
walk=$("$TSHOOT" --plain "$T/certflow.yaml" </dev/null 2>&1)
assert_match "a walk runs the cert check" "$walk" "Good for (399|400) days"
assert_not_contains "the walk never shows the password" "$walk" "Pfx pass"

done_testing
