#!/bin/bash
# The real binary under valgrind: no invalid reads or writes, no use of uninitialised
# memory, no definite or indirect leaks, in the commands a user runs most — a lint, a
# graph, a scripted walk with a report, each check kind against loopback servers, and a
# training walk. (The unit tests run under valgrind too; this covers main, the plain
# front end and the live runner as a user drives them.)
source "$(dirname "$0")/../lib.sh"

build=$(basename "$(dirname "$TSHOOT")")
if [ "$build" != build ]; then
	skip "valgrind runs against the normal build only (this is the AddressSanitizer build)"
	done_testing
fi
if ! command -v valgrind >/dev/null; then
	not_ok "valgrind installed (scripts/deps.sh installs it)"
	done_testing
fi

FLOW=$TOP/flows/sccm-sus-sync.yaml
# vg DESC EXPECTED_STATUS CMD...: the status the command gives without valgrind, and no
# valgrind error (valgrind's own status 99 would replace it)
vg() {
	local desc=$1 want=$2; shift 2
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--log-file="$T/vg.log" "$@" >"$T/vg.out" 2>&1 </dev/null
	local rc=$?
	if [ "$rc" = "$want" ] && ! grep -q . "$T/vg.log"; then
		ok "valgrind clean: $desc"
	else
		not_ok "valgrind clean: $desc (status $rc, wanted $want)"
		sed 's/^/#   | /' "$T/vg.log" | head -40
	fi
}

vg "lint of the bundled flows and scenarios" 0 "$TSHOOT" lint "$TOP"/flows/*.yaml "$TOP"/flows/training/*.yaml
vg "graph" 0 "$TSHOOT" graph "$FLOW"
vg "a broken flow" 1 "$TSHOOT" lint "$TOP/tests/flows/bad-lint.yaml"

cat >"$T/answers.yaml" <<'A'
flow: sccm-sus-sync
answers:
  way-in: 2
  paste-error: "System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required."
  fix-auth-proxy: fixed
A
vg "a scripted walk with a JSON report" 0 "$TSHOOT" --answers "$T/answers.yaml" --report "$T/r.json" "$FLOW"
vg "the report of that walk's journal" 0 "$TSHOOT" report "$(ls "$XDG_STATE_HOME"/tshoot/sessions/*.journal | head -1)" --format md
vg "a training scenario walked from answers" 0 "$TSHOOT" --answers "$T/answers.yaml" --scenario "$TOP/flows/training/proxy-407.yaml"

port=$(free_port)
"$FIXTURES/hold_fixture" "$port" http 60 >/dev/null 2>&1 &
track_pid $!
wait_port "$port"
closed=$(free_port)
vg "check http (libcurl loaded on demand)" 0 "$TSHOOT" check http "http://127.0.0.1:$port/" --expect 400 --json
vg "check http, refused" 1 "$TSHOOT" check http "http://127.0.0.1:$closed/"
vg "check tcp" 0 "$TSHOOT" check tcp "127.0.0.1:$port"
vg "check tls against plain HTTP (handshake fails)" 1 "$TSHOOT" check tls "127.0.0.1:$port" --timeout 5
vg "check dns" 0 "$TSHOOT" check dns localhost
vg "check log" 1 "$TSHOOT" check log "$TOP/tests/data/logs/WCM.log" --flow "$FLOW"
vg "bad input" 2 "$TSHOOT" check http "htp:/x"
done_testing
