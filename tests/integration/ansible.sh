#!/bin/bash
# ansible.sh — contrib/ansible/sweep.yml with Ansible's local connection: tshoot is
# installed into a directory here, sweeps loopback servers with a check and with a flow
# and its answers file, the JSON lines come back to a results directory, and
# `tshoot sweep --merge` prints them as one table. Skipped (counted) without
# ansible-playbook (scripts/deps.sh test installs Debian's ansible-core when it can).
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"

if ! command -v ansible-playbook >/dev/null; then
	skip "no ansible-playbook (Debian's ansible-core could not be installed): the playbook is not tested"
	done_testing
	exit 0
fi
command -v openssl >/dev/null || { echo "# openssl missing"; exit 1; }
export ANSIBLE_HOME="$T/ansible" ANSIBLE_LOCAL_TEMP="$T/ansible/tmp" ANSIBLE_NOCOLOR=1 \
	ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=$(command -v python3) \
	ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/key.pem" \
	-out "$T/cert.pem" -days 365 -subj "/CN=ansible.test" -addext "subjectAltName=IP:127.0.0.1" \
	2>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }
tls_port=$(free_port) open_port=$(free_port) closed_port=$(free_port)
openssl s_server -quiet -accept "$tls_port" -naccept 100 -cert "$T/cert.pem" -key "$T/key.pem" -www \
	</dev/null >"$T/s_server.log" 2>&1 &
track_pid $!
"$FIXTURES/hold_fixture" "$open_port" close 600 &
track_pid $!
wait_port "$tls_port" && wait_port "$open_port" || { echo "# servers did not start"; exit 1; }

PLAY=$TOP/contrib/ansible/sweep.yml
common=(-c local -i localhost, -e "tshoot_binary=$TSHOOT tshoot_bin_dir=$T/bin tshoot_workdir=$T/work")
mkdir -p "$T/bin"

# --- a check ----------------------------------------------------------------------------------
extra=$(printf '{"tshoot_results": "%s", "tshoot_targets": ["127.0.0.1:%s", "127.0.0.1:%s"], "tshoot_check": "tls", "tshoot_check_args": ["--cacert", "%s"]}' \
	"$T/res-check" "$tls_port" "$closed_port" "$T/cert.pem")
ansible-playbook "${common[@]}" -e "$extra" "$PLAY" >"$T/play1.log" 2>&1; rc=$?
assert_eq "the playbook (a check) runs" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   | /' "$T/play1.log" | tail -30
pass "tshoot was installed on the host" test -x "$T/bin/tshoot"
pass "the results came back" test -s "$T/res-check/localhost.json"
assert_schema "the results: sweep JSON lines (tshoot-sweep)" tshoot-sweep "$(cat "$T/res-check/localhost.json")" --lines
pass "the work directory is gone" test ! -e "$T/work"
out=$("$TSHOOT" sweep --merge "$T/res-check/localhost.json"); rc=$?
assert_eq "--merge of the results: a target not ok: exit 1" 1 "$rc"
assert_match "--merge: the TLS server ok" "$out" "^127\.0\.0\.1:$tls_port +ok "
assert_match "--merge: the closed port refused" "$out" "^127\.0\.0\.1:$closed_port +refused "

# --- a flow with an answers file ---------------------------------------------------------------------
extra=$(printf '{"tshoot_results": "%s", "tshoot_targets": ["%s", "%s"], "tshoot_flow": "%s", "tshoot_answers": "%s", "tshoot_var": "port"}' \
	"$T/res-flow" "$open_port" "$closed_port" "$TOP/tests/flows/sweep-port.yaml" "$TOP/tests/flows/sweep-port.answers.yaml")
ansible-playbook "${common[@]}" -e "$extra" "$PLAY" >"$T/play2.log" 2>&1; rc=$?
assert_eq "the playbook (a flow and its answers) runs" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   | /' "$T/play2.log" | tail -30
assert_schema "the walks' results: sweep JSON lines (tshoot-sweep)" tshoot-sweep "$(cat "$T/res-flow/localhost.json")" --lines
out=$("$TSHOOT" sweep --merge "$T/res-flow/localhost.json"); rc=$?
assert_eq "--merge of the walks: exit 1 (one escalated)" 1 "$rc"
assert_match "--merge: the open port resolved" "$out" "^$open_port +resolved +open +probe=ok$"
assert_match "--merge: the closed port escalated" "$out" "^$closed_port +escalate +closed +probe=refused$"
out=$("$TSHOOT" sweep --merge "$T/res-check/localhost.json" "$T/res-flow/localhost.json" --json)
assert_schema "--merge of both, as JSON lines: valid (tshoot-sweep)" tshoot-sweep "$out" --lines
assert_eq "--merge of both, as JSON lines" 4 "$(python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["sweep_target"]))' <<<"$out")"
done_testing
