#!/bin/bash
# The apt-repository flow's live diagnosis, run for real in line mode (--plain with an
# answers file) against loopback servers that play what apt meets: nginx as a Debian
# mirror (dists/bookworm/Release served, buster gone, an archive that has buster),
# nginx over https with a certificate from a CA this machine does not trust and with an
# expired one, and squid demanding Basic credentials. The walk runs in a network
# namespace of its own with only a loopback interface when the machine allows it, so
# the name that must not resolve cannot reach a DNS server; without one, that case is
# skipped. The training scenarios of the flow are walked along their live paths too.
# tshoot-test: not-asan
source "$(dirname "$0")/../lib.sh"

if [ -z "${TSHOOT_IN_NETNS:-}" ] && unshare -n true 2>/dev/null; then
	trap - EXIT
	rm -rf "$T"
	TSHOOT_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
[ -n "${TSHOOT_IN_NETNS:-}" ] && ip link set lo up
source "$TOP/tests/lib/http_servers.sh"

FLOW="$TOP/flows/apt-repository.yaml"
PW='Apt-Pr0xy-pw!'

# --- the servers: one nginx for the mirror (http), the archive and two https mirrors
C=$T/nginx/certs
make_certs "$C" || not_ok "test certificates made"
mkdir -p "$T/nginx/www/debian/dists/bookworm" "$T/nginx/www/archive/debian/dists/buster" "$T/nginx/logs"
printf 'Origin: Debian\nSuite: stable\nCodename: bookworm\n' >"$T/nginx/www/debian/dists/bookworm/Release"
printf 'Origin: Debian\nSuite: oldoldstable\nCodename: buster\n' >"$T/nginx/www/archive/debian/dists/buster/Release"
start_mirror() {
	local try pid
	for try in 1 2 3; do
		P=$(free_port) PS=$(free_port) PX=$(free_port)
		cat >"$T/nginx/nginx.conf" <<NGX
user root;
worker_processes 1;
error_log $T/nginx/logs/error.log;
pid $T/nginx/nginx.pid;
events { worker_connections 64; }
http {
	access_log $T/nginx/logs/access.log;
	client_body_temp_path $T/nginx/body;
	proxy_temp_path $T/nginx/proxy;
	fastcgi_temp_path $T/nginx/fastcgi;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	default_type application/octet-stream;
	server { listen 127.0.0.1:$P; root $T/nginx/www; }
	server { listen 127.0.0.1:$PS ssl; ssl_certificate $C/good.pem; ssl_certificate_key $C/good.key; root $T/nginx/www; }
	server { listen 127.0.0.1:$PX ssl; ssl_certificate $C/expired.pem; ssl_certificate_key $C/expired.key; root $T/nginx/www; }
}
NGX
		nginx -e "$T/nginx/logs/error.log" -p "$T/nginx" -c "$T/nginx/nginx.conf" -g 'daemon off;' &
		pid=$!
		track_pid $pid
		wait_port "$P" 100 && wait_port "$PS" 100 && wait_port "$PX" 100 && kill -0 "$pid" 2>/dev/null &&
			ss -Htlnp "sport = :$P" 2>/dev/null | grep -q "pid=$pid," && return 0
	done
	return 1
}
start_mirror || { not_ok "nginx starts as the mirror"; done_testing; }
ok "the mirror stand-in listens on 127.0.0.1:$P (http), :$PS (https, untrusted CA), :$PX (https, expired)"
M=http://localhost:$P/debian

# walk NAME ANSWERS_YAML [ARGS...]: a scripted line-mode walk with a JSON report; sets
# OUT, RC, REPORT.
walk() {
	local name=$1 ans=$2; shift 2
	printf '%s\n' "$ans" >"$T/$name.answers.yaml"
	OUT=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --answers "$T/$name.answers.yaml" --report "$T/$name.json" "$@" "$FLOW" 2>&1 </dev/null)
	RC=$?
	REPORT=$(cat "$T/$name.json" 2>/dev/null)
	assert_schema "$name: the report valid (tshoot-report)" tshoot-report "$REPORT"
}
# outcome_of NODE [INDEX [VISIT]]: a check's outcome at NODE (its last visit, or the Nth from 1)
outcome_of() {
	printf '%s' "$REPORT" | jq -r --arg n "$1" --argjson i "${2:-0}" --argjson v "${3:-0}" \
		'[.steps[] | select(.node == $n)] | (if $v > 0 then .[$v - 1] else last end) | .checks[$i].outcome // "none"'
}
fact_of() {
	printf '%s' "$REPORT" | jq -r --arg n "$1" --arg k "$2" --argjson v "${3:-0}" \
		'[.steps[] | select(.node == $n)] | (if $v > 0 then .[$v - 1] else last end) | .checks[0].facts[$k] | if type == "array" then join(",") else . // "none" end'
}
end_node() { printf '%s' "$REPORT" | jq -r .end_node; }
path_of() { printf '%s' "$REPORT" | jq -r '[.steps[].node] | join(" ")'; }
text_of() { printf '%s' "$REPORT" | jq -r --arg n "$1" '[.steps[] | select(.node == $n)] | last | .text // ""'; }
# checklist_of NODE: the steps of a steps node as the report lists them, one a line
checklist_of() { printf '%s' "$REPORT" | jq -r --arg n "$1" '[.steps[] | select(.node == $n)] | last | .checklist[]?.text'; }

# --- a healthy http mirror, reached directly: the walk ends at "it works now"
walk healthy "flow: apt-repository
answers:
  way-in: 2
  live-target: {mirror_url: \"$M\", suite: bookworm}
  live-proxy-used: 1
  live-host: {mirror_host: localhost}
  still-failing: 1"
assert_eq "healthy mirror: exit 0 (resolved)" 0 "$RC"
assert_eq "dns check: the mirror's name resolves" ok "$(outcome_of live-dns)"
assert_eq "http mirror: no certificate step (the branch goes straight to the Release file)" \
	"intro way-in live-target live-proxy-used live-host live-dns is-https live-release live-ok still-failing resolved-works" "$(path_of)"
assert_eq "Release file: 200" 200 "$(fact_of live-release status)"
assert_contains "the screen says what was fetched, and from where" "$OUT" "HTTP 200 OK from $M/dists/bookworm/Release"
assert_contains "the screen says from which machine the checks run" "$OUT" "Run from the server where apt-get update fails."
assert_contains "the captured status is read in the next text" "$(text_of live-ok)" "(HTTP 200)"
pass "the request really reached the mirror" grep -q "GET /debian/dists/bookworm/Release" "$T/nginx/logs/access.log"

# --- the release left the mirror: 404, the archive has it
walk moved "flow: apt-repository
answers:
  way-in: 2
  live-target: {mirror_url: \"$M\", suite: buster}
  live-proxy-used: 1
  live-host: {mirror_host: localhost}
  archive-target: {archive_url: \"http://localhost:$P/archive/debian\"}
  fix-moved-archive: fixed"
assert_eq "moved release: exit 0 (resolved)" 0 "$RC"
assert_eq "the mirror answers 404 for buster's Release" http_404 "$(outcome_of live-release)"
assert_contains "the archive question shows the measured status" "$(text_of archive-target)" "no Release file for buster (HTTP 404)"
assert_eq "the archive has it" ok "$(outcome_of live-archive)"
assert_eq "the walk ends at the archive fix" resolved-archive "$(end_node)"
assert_contains "the advice names both URLs and the archive's answer" "$(text_of fix-moved-archive)" \
	"buster is no longer on $M, but http://localhost:$P/archive/debian has it (HTTP 200)"
assert_contains "the advice says to point the entries to the archive" "$(checklist_of fix-moved-archive)" "point the release's entries"

# --- a suite that exists nowhere: the fix-and-retest loop is bounded (max_visits 2)
walk nowhere "flow: apt-repository
answers:
  way-in: 2
  live-target: {mirror_url: \"$M\", suite: bookwrom}
  live-proxy-used: 1
  live-host: {mirror_host: localhost}
  archive-target: {archive_url: \"http://localhost:$P/archive/debian\"}
  fix-suite-name: not fixed"
assert_eq "a suite nowhere: exit 1 (escalate)" 1 "$RC"
assert_eq "the archive has not got it either" http_404 "$(outcome_of live-archive)"
assert_eq "measured twice, then the loop gives up" 2 "$(printf '%s' "$REPORT" | jq '[.steps[] | select(.node == "fix-suite-name")] | length')"
assert_eq "... at the Release escalation" escalate-release "$(end_node)"
# (the same walk without --report: its end notice would take the place of this one)
OUT=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --answers "$T/nowhere.answers.yaml" "$FLOW" 2>&1 </dev/null)
assert_contains "the screen says why the loop stopped" "$OUT" "'fix-suite-name' visited 2 times: going to 'escalate-release'"

# --- an https mirror whose CA this machine does not trust
walk untrusted "flow: apt-repository
answers:
  way-in: 2
  live-target: {mirror_url: \"https://localhost:$PS/debian\", suite: bookworm}
  live-proxy-used: 1
  live-host: {mirror_host: localhost}
  live-tls-port: {mirror_port: \"$PS\"}
  fix-ca: cannot"
assert_eq "untrusted CA: exit 1 (could not apply: escalate)" 1 "$RC"
assert_eq "tls check: untrusted" tls_untrusted "$(outcome_of live-tls)"
assert_eq "tls check: the issuer captured" "CN=tshoot test CA" "$(fact_of live-tls issuer)"
assert_contains "the issuer is shown before the advice" "$(text_of ca-issuer)" "issuer:  CN=tshoot test CA"
assert_contains "the advice: the CA goes to /usr/local/share/ca-certificates" "$(checklist_of fix-ca)" "/usr/local/share/ca-certificates/"
assert_eq "could not apply: the certificate escalation" escalate-tls "$(end_node)"

# --- an https mirror with an expired certificate, the clock being right
walk expired "flow: apt-repository
answers:
  way-in: 2
  live-target: {mirror_url: \"https://localhost:$PX/debian\", suite: bookworm}
  live-proxy-used: 1
  live-host: {mirror_host: localhost}
  live-tls-port: {mirror_port: \"$PX\"}
  clock-or-cert: 2
  fix-mirror-cert: not fixed"
assert_eq "expired certificate: tls_expired" tls_expired "$(outcome_of live-tls)"
assert_match "the dates are shown: days left negative" "$(text_of cert-dates)" "days left: +-[0-9]+"
assert_contains "the dates are shown: valid until" "$(text_of cert-dates)" "valid until: 2021-01-01"
assert_eq "clock right: the mirror's certificate, escalated" "fix-mirror-cert escalate-tls" \
	"$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | .[-2:] | join(" ")')"

# --- through squid, which wants Basic credentials: 407, then the fix and the retest
if command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ]; then
	PATH=$PATH:/usr/sbin
	if start_squid "$T/squid" aptuser "$PW"; then
		ok "squid with Basic authentication listens on 127.0.0.1:$SQ_PORT"
		walk proxy "flow: apt-repository
answers:
  way-in: 2
  live-target: {mirror_url: \"http://127.0.0.1:$P/debian\", suite: bookworm}
  live-proxy-used: 2
  live-proxy-target:
    - {proxy_url: \"http://127.0.0.1:$SQ_PORT\", proxy_user: \"\"}
    - {proxy_url: \"http://127.0.0.1:$SQ_PORT\", proxy_user: aptuser}
  fix-proxy-auth: not fixed
  still-failing: 1" --set "proxy_password=$PW"
		assert_eq "proxy: exit 0 after the retest" 0 "$RC"
		assert_eq "no credentials: proxy_auth (407)" proxy_auth "$(outcome_of live-proxy 0 1)"
		assert_eq "the proxy offers Basic" Basic "$(fact_of live-proxy proxy_authenticate 1)"
		assert_contains "the advice names the file for the proxy" "$(checklist_of fix-proxy-auth)" "/etc/apt/apt.conf.d/95proxy"
		assert_contains "... and Acquire::http::Proxy" "$(checklist_of fix-proxy-auth)" "Acquire::http::Proxy \"http://proxy.example.com:3128/\";"
		assert_contains "... and where the credentials go" "$(checklist_of fix-proxy-auth)" "/etc/apt/auth.conf.d/proxy.conf"
		assert_eq "with the account: the Release file through the proxy" ok "$(outcome_of live-proxy 0 2)"
		assert_eq "the retest's status is read in the next text" 200 "$(fact_of live-proxy status 2)"
		assert_eq "the walk ends working" resolved-works "$(end_node)"
		assert_not_contains "the password is never shown" "$OUT" "$PW"
		assert_not_contains "the password is not in the report" "$REPORT" "$PW"
	else
		not_ok "squid starts"
		tail -5 "$T/squid/cache.log" 2>/dev/null | sed 's/^/# /'
	fi
else
	skip "squid not installed: the 407 walk through a real proxy"
fi

# --- a pasted "Temporary failure resolving": the DNS fix, then measured, bounded
if [ -n "${TSHOOT_IN_NETNS:-}" ]; then
	walk nodns "flow: apt-repository
answers:
  way-in: 1
  paste: \"Err:1 http://mirror.tshoot-test.invalid/debian bookworm InRelease\\n  Temporary failure resolving 'mirror.tshoot-test.invalid'\"
  fix-dns: not fixed
  live-target: {mirror_url: \"http://mirror.tshoot-test.invalid/debian\", suite: bookworm}
  live-proxy-used: 1
  live-host: {mirror_host: mirror.tshoot-test.invalid}"
	assert_eq "pasted DNS error: exit 1 (escalate)" 1 "$RC"
	assert_eq "the paste is recognised" resolve_temp "$(printf '%s' "$REPORT" | jq -r '.steps[] | select(.node == "paste") | .matched // .signature // "none"')"
	assert_eq "the retest measures: dns_fail" dns_fail "$(outcome_of live-dns)"
	assert_eq "fix, measure, fix again, measure: the third visit of the fix is the network escalation" \
		"paste fix-dns live-target live-proxy-used live-host live-dns fix-dns live-target live-proxy-used live-host live-dns escalate-network" \
		"$(printf '%s' "$REPORT" | jq -r '[.steps[].node] | .[2:] | join(" ")')"
else
	skip "no private network namespace: the name that must not resolve could reach a DNS server"
fi

# --- the training scenarios, walked along their live paths: each reaches its expected end
scenario() {   # NAME ANSWERS_YAML
	printf '%s\n' "$2" >"$T/sc-$1.yaml"
	OUT=$(COLUMNS=200 "$TSHOOT" --plain --no-journal --scenario "$TOP/flows/training/$1.yaml" --answers "$T/sc-$1.yaml" --report "$T/sc-$1.json" 2>&1 </dev/null)
	RC=$?
	REPORT=$(cat "$T/sc-$1.json" 2>/dev/null)
	assert_schema "scenario $1: the report valid (tshoot-report)" tshoot-report "$REPORT"
}
scenario apt-proxy-407 "answers:
  way-in: 2
  live-proxy-used: 2
  fix-proxy-auth: fixed"
assert_eq "scenario apt-proxy-407 (live): exit 0" 0 "$RC"
assert_contains "scenario apt-proxy-407 (live): the expected end" "$OUT" "reached the expected resolution 'resolved-proxy'"
assert_contains "scenario apt-proxy-407 (live): the schemes the proxy offers" "$OUT" "proxy_authenticate: Basic"
scenario apt-release-moved-404 "answers:
  way-in: 2
  live-proxy-used: 1
  fix-moved-archive: fixed"
assert_contains "scenario apt-release-moved-404 (live): the expected end" "$OUT" "reached the expected resolution 'resolved-archive'"
assert_contains "scenario apt-release-moved-404 (live): 404 read into the text" "$(text_of archive-target)" "no Release file for buster (HTTP 404)"
scenario apt-clock-not-valid-yet "answers:
  way-in: 2
  live-proxy-used: 1
  clock-or-cert: 1
  fix-clock: fixed"
assert_contains "scenario apt-clock-not-valid-yet (live): the expected end" "$OUT" "reached the expected resolution 'resolved-clock'"
scenario apt-tls-inspected "answers:
  way-in: 2
  live-proxy-used: 1
  fix-ca: fixed"
assert_contains "scenario apt-tls-inspected (live): the expected end" "$OUT" "reached the expected resolution 'resolved-tls'"
assert_contains "scenario apt-tls-inspected (live): the inspecting CA shown" "$(text_of ca-issuer)" "issuer:  CN=Contoso Firewall TLS Inspection CA"
scenario apt-no-pubkey "answers:
  way-in: 1
  paste: \"W: GPG error: https://packages.contoso.test/apt stable InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 4A3F9C1D2B7E6F05\"
  fix-pubkey: fixed"
assert_contains "scenario apt-no-pubkey: the expected end" "$OUT" "reached the expected resolution 'resolved-key'"
assert_contains "scenario apt-no-pubkey: the advice names signed-by" "$(checklist_of fix-pubkey)" "[signed-by=/etc/apt/keyrings/VENDOR.asc]"

done_testing
