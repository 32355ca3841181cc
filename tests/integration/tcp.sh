#!/bin/bash
# tcp.sh — `tshoot check tcp`: a listening port, a closed one, one whose SYNs are dropped
# (a full accept queue), a name that does not resolve (no network: unshare -n), bad input.
source "$TOP/tests/lib.sh"

command -v jq >/dev/null || { echo "# jq missing (scripts/deps.sh test)"; exit 1; }
out="" rc=0
# (every --json output is checked against schema/tshoot-check.schema.json)
# tcp ARGS...: run the check (out, rc; ms: how long the check itself took, before the
# schema is validated), then validate its JSON
tcp() {
	local t0
	t0=$(date +%s%N)
	out=$("$TSHOOT" check tcp "$@" --json 2>"$T/stderr"); rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	assert_schema "check tcp $* --json: valid" tshoot-check "$out"
}
j() { jq -r "$1" <<<"$out" 2>/dev/null; }

open_port=$(free_port)
"$FIXTURES/hold_fixture" "$open_port" hold 60 &
track_pid $!
full_port=$(free_port)
"$FIXTURES/hold_fixture" "$full_port" full 60 &
track_pid $!
wait_port "$open_port" && wait_port "$full_port" || not_ok "fixtures did not start"

tcp "127.0.0.1:$open_port"
assert_eq "listening port: ok" ok "$(j .outcome)"
assert_eq "listening port: exit 0" 0 "$rc"
assert_eq "listening port: address fact" "127.0.0.1:$open_port" "$(j .facts.address)"
assert_match "listening port: connect_ms" "$(j .facts.connect_ms)" '^[0-9]+$'
assert_contains "listening port: summary" "$(j .summary)" "connected to 127.0.0.1:$open_port"
tcp "localhost:$open_port"
assert_eq "by name (localhost): ok" ok "$(j .outcome)"

closed=$(free_port)
tcp "127.0.0.1:$closed"
assert_eq "closed port: refused" refused "$(j .outcome)"
assert_eq "closed port: exit 1" 1 "$rc"

tcp "127.0.0.1:$full_port" --timeout 1
assert_eq "SYNs dropped: timeout" timeout "$(j .outcome)"
if [ "$ms" -ge 900 ] && [ "$ms" -lt 5000 ]; then ok "SYNs dropped: gave up after about 1 s (${ms} ms)"
else not_ok "SYNs dropped: took ${ms} ms with --timeout 1"; fi
tcp "127.0.0.1:$full_port" --timeout 0.3
assert_eq "fractional --timeout 0.3: timeout" timeout "$(j .outcome)"

if unshare -n true 2>/dev/null; then
	out=$(unshare -n "$TSHOOT" check tcp wsus.tshoot-test.invalid:8530 --json 2>"$T/stderr")
	assert_schema "unresolvable name: --json valid" tshoot-check "$out"
	assert_eq "unresolvable name: dns_fail" dns_fail "$(j .outcome)"
	assert_contains "unresolvable name: summary names it" "$(j .summary)" "wsus.tshoot-test.invalid"
else
	skip "unshare -n not permitted: the dns_fail case"
fi

# bad input: exit 2, exactly one line on stderr, nothing on stdout
for bad in "127.0.0.1:70000" "bad host:80" "127.0.0.1" "127.0.0.1:http"; do
	o=$("$TSHOOT" check tcp "$bad" 2>"$T/stderr")
	rc=$?
	assert_eq "bad input '$bad': exit 2" 2 "$rc"
	assert_eq "bad input '$bad': one line on stderr" 1 "$(wc -l <"$T/stderr")"
	assert_eq "bad input '$bad': nothing on stdout" "" "$o"
done
"$TSHOOT" check tcp "127.0.0.1:$open_port" --timeout abc >/dev/null 2>"$T/stderr"
assert_eq "bad --timeout: exit 2" 2 "$?"

done_testing
