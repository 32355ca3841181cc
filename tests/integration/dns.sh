#!/bin/bash
# dns.sh — `tshoot check dns` through the system resolver: localhost from /etc/hosts; then
# in a private network and mount namespace (no packet leaves the machine) our own hosts
# file (several addresses, canonical name), a name that does not exist, and a DNS server
# on 127.0.0.1 that never answers (timeout).
source "$TOP/tests/lib.sh"

command -v jq >/dev/null || { echo "# jq missing (scripts/deps.sh test)"; exit 1; }
out="" rc=0
j() { jq -r "$1" <<<"$out" 2>/dev/null; }
# addresses as one line
addrs() { jq -r '.facts.address | if type == "array" then join(",") else (. // "") end' <<<"$out" 2>/dev/null; }

out=$("$TSHOOT" check dns localhost --json 2>"$T/stderr")
rc=$?
assert_schema "localhost: --json valid (tshoot-check)" tshoot-check "$out"
assert_eq "localhost: ok" ok "$(j .outcome)"
assert_eq "localhost: exit 0" 0 "$rc"
assert_contains "localhost: 127.0.0.1 among the addresses" "$(addrs)" "127.0.0.1"
assert_eq "localhost: command" "getent ahosts localhost" "$(j .command)"

out=$("$TSHOOT" check dns 127.0.0.9 --json 2>"$T/stderr")
assert_schema "an IP literal: --json valid" tshoot-check "$out"
assert_eq "an IP literal resolves to itself" "ok 127.0.0.9" "$(j .outcome) $(addrs)"

# bad input
o=$("$TSHOOT" check dns "bad host" 2>"$T/stderr")
rc=$?
assert_eq "name with a space: exit 2" 2 "$rc"
assert_eq "name with a space: one line on stderr" 1 "$(wc -l <"$T/stderr")"
assert_eq "name with a space: nothing on stdout" "" "$o"
"$TSHOOT" check dns "-bad-.test" >/dev/null 2>"$T/stderr"
assert_eq "name starting with '-': exit 2" 2 "$?"

if ! unshare -n -m true 2>/dev/null; then
	skip "unshare -n -m not permitted: the namespace cases (no network, /etc/hosts, a silent server)"
	done_testing
fi

# no network at all: the name cannot resolve
out=$(unshare -n "$TSHOOT" check dns wsus.tshoot-test.invalid --json 2>"$T/stderr")
rc=$?
assert_schema "unresolvable name: --json valid" tshoot-check "$out"
assert_eq "unresolvable name: dns_fail" dns_fail "$(j .outcome)"
assert_eq "unresolvable name: exit 1" 1 "$rc"
assert_contains "unresolvable name: summary names it" "$(j .summary)" "cannot resolve wsus.tshoot-test.invalid"

printf '127.0.0.2 wsus.corp.test wsus\n127.0.0.3 multi.test\n::3 multi.test\n' >"$T/hosts"
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
cat >"$T/ns.sh" <<EOS
set -u
ip link set lo up
mount --bind "$T/hosts" /etc/hosts
mount --bind "$T/resolv.conf" /etc/resolv.conf
"$FIXTURES/hold_fixture" 53 udp 20 &
i=0; while ! ss -Hlun 'sport = :53' | grep -q . && [ \$i -lt 50 ]; do sleep 0.05; i=\$((i+1)); done
"$TSHOOT" check dns wsus --json >"$T/o.wsus"
"$TSHOOT" check dns multi.test --json >"$T/o.multi"
t0=\$(date +%s%N)
"$TSHOOT" check dns silent.tshoot-test.invalid --timeout 1 --json >"$T/o.slow"
echo \$(( (\$(date +%s%N) - t0) / 1000000 )) >"$T/ms.slow"
kill %1
EOS
unshare -n -m bash "$T/ns.sh" 2>"$T/ns.err" || { not_ok "namespace script failed"; sed 's/^/# /' "$T/ns.err"; }

out=$(cat "$T/o.wsus" 2>/dev/null)
assert_schema "hosts file: --json valid" tshoot-check "$out"
assert_eq "hosts file: short name ok" ok "$(j .outcome)"
assert_eq "hosts file: its address" 127.0.0.2 "$(addrs)"
assert_eq "hosts file: canonical name" wsus.corp.test "$(j .facts.canonical_name)"
out=$(cat "$T/o.multi" 2>/dev/null)
assert_schema "two addresses: --json valid" tshoot-check "$out"
assert_eq "two addresses, one fact each" "127.0.0.3,::3" "$(addrs)"
assert_contains "two addresses in the summary" "$(j .summary)" "multi.test resolves to 127.0.0.3, ::3"
# our silent server on 127.0.0.1:53 never answers: the check gives up at its timeout,
# though getaddrinfo itself would go on retrying for longer
out=$(cat "$T/o.slow" 2>/dev/null)
assert_schema "silent DNS server: --json valid" tshoot-check "$out"
assert_eq "silent DNS server: timeout" timeout "$(j .outcome)"
ms=$(cat "$T/ms.slow" 2>/dev/null || echo 99999)
if [ "$ms" -lt 5000 ]; then ok "silent DNS server: gave up after ${ms} ms (--timeout 1)"
else not_ok "silent DNS server: took ${ms} ms with --timeout 1"; fi

done_testing
