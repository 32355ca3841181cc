#!/bin/bash
# startup.sh — libcurl is loaded only when a command needs it (checks/curl_dl.c): a tls,
# tcp or dns check, graph, and lint of a flow without literal URLs start without it
# (and its ~30 dependent libraries); an http check loads it. Seen from outside, as a
# user would check it: the dynamic loader's own log (LD_DEBUG=files) for short
# commands, /proc/PID/maps of a check that is still waiting on a silent server.
# A broken libcurl.so.4 (first on LD_LIBRARY_PATH) is reported by the http check, and
# does not touch a tcp check.
source "$TOP/tests/lib.sh"

# loaded_by CMD...: the loader's log lines naming libcurl.so.4 while CMD runs
loaded_by() { LD_DEBUG=files "$@" 2>&1 >/dev/null </dev/null | grep -F 'libcurl.so.4'; }

hold=$(free_port)
"$FIXTURES/hold_fixture" "$hold" hold 60 &
track_pid $!
wait_port "$hold" || not_ok "hold fixture did not start"
closed=$(free_port)

# the log shows a dlopen'ed libcurl; proves the probe can see it at all
log=$(loaded_by "$TSHOOT" check http "http://127.0.0.1:$closed/")
assert_match "check http: the loader log shows libcurl.so.4 loaded" "$log" 'file=libcurl\.so\.4 .*dynamically loaded'

for cmd in "check tcp 127.0.0.1:$hold" "check dns localhost" "check tls 127.0.0.1:$closed --name localhost" \
	"graph $TOP/flows/sccm-sus-sync.yaml" "lint $TOP/flows/web-reachability.yaml" "--version"; do
	# shellcheck disable=SC2086  # the words of cmd are its arguments
	log=$(loaded_by "$TSHOOT" $cmd)
	assert_eq "tshoot $cmd: libcurl.so.4 not loaded" "" "$log"
done
out=$("$TSHOOT" check tcp "127.0.0.1:$hold" 2>&1)
assert_match "check tcp without libcurl still answers" "$out" '^OK'

# maps_during NAME CMD...: start CMD (it waits on the silent server), wait until it is
# connected, print its /proc/PID/maps, stop it
maps_during() {
	local name=$1 pid i=0 maps=""
	shift
	"$@" >/dev/null 2>&1 </dev/null &
	pid=$!
	track_pid "$pid"
	while [ $i -lt 100 ]; do
		if ss -Htnp state established "dport = :$hold" 2>/dev/null | grep -q "pid=$pid,"; then
			maps=$(cat "/proc/$pid/maps" 2>/dev/null)
			break
		fi
		sleep 0.05
		i=$((i + 1))
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -n "$maps" ] || echo "# $name: never saw it connected"
	printf '%s\n' "$maps"
}

maps=$(maps_during tls "$TSHOOT" check tls "127.0.0.1:$hold" --name localhost --timeout 10)
assert_contains "check tls while handshaking: libssl mapped (maps were read)" "$maps" "libssl.so"
assert_not_contains "check tls while handshaking: libcurl.so.4 not mapped" "$maps" "libcurl.so"
assert_not_contains "check tls while handshaking: none of libcurl's dependencies (libldap)" "$maps" "libldap"

maps=$(maps_during http "$TSHOOT" check http "http://127.0.0.1:$hold/" --timeout 10)
assert_contains "check http while waiting: libcurl.so.4 mapped" "$maps" "libcurl.so.4"

# a libcurl.so.4 that is not a library, found first
mkdir -p "$T/badlib"
echo "not a shared object" >"$T/badlib/libcurl.so.4"
out=$(LD_LIBRARY_PATH="$T/badlib" "$TSHOOT" check http "http://127.0.0.1:$closed/" 2>&1)
rc=$?
assert_eq "broken libcurl: check http exits 2 (error)" 2 "$rc"
assert_contains "broken libcurl: check http says why" "$out" "libcurl.so.4 could not be loaded: $T/badlib/libcurl.so.4"
assert_not_contains "broken libcurl: the URL is not called malformed" "$out" "malformed"
out=$(LD_LIBRARY_PATH="$T/badlib" "$TSHOOT" check proxy "127.0.0.1:$closed" --target "http://127.0.0.1:$closed/" 2>&1)
assert_contains "broken libcurl: check proxy says why" "$out" "libcurl.so.4 could not be loaded"
out=$(LD_LIBRARY_PATH="$T/badlib" "$TSHOOT" check tcp "127.0.0.1:$hold" 2>&1)
assert_match "broken libcurl: check tcp unaffected" "$out" '^OK'

done_testing
