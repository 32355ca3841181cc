#!/bin/bash
# sweep.sh — `tshoot sweep` against loopback servers: a TLS server (openssl s_server, a
# certificate made here), an open port that is not TLS, a closed port. The table,
# --json (read by python3), --csv, the exit status, --jobs bounding how many run at
# once (conc_fixture counts the connections it holds), a flow walked per target with an
# answers file, Ctrl-C printing what finished, --merge, bad targets refused up front,
# and the progress bar only on a terminal.
source "$TOP/tests/lib.sh"

command -v openssl >/dev/null || { echo "# openssl missing"; exit 1; }
command -v python3 >/dev/null || { echo "# python3 missing (scripts/deps.sh test)"; exit 1; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/key.pem" \
	-out "$T/cert.pem" -days 365 -subj "/CN=sweep.test" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	2>"$T/openssl.err" || { cat "$T/openssl.err"; exit 1; }

tls_port=$(free_port) open_port=$(free_port) closed_port=$(free_port) conc_port=$(free_port) slow_port=$(free_port)
openssl s_server -quiet -accept "$tls_port" -naccept 1000 -cert "$T/cert.pem" -key "$T/key.pem" -www \
	</dev/null >"$T/s_server.log" 2>&1 &
track_pid $!
"$FIXTURES/hold_fixture" "$open_port" close 600 &
track_pid $!
wait_port "$tls_port" && wait_port "$open_port" || { echo "# servers did not start"; exit 1; }

printf '# three servers\n127.0.0.1:%s\n127.0.0.1:%s   # not TLS\n\n127.0.0.1:%s\n' \
	"$tls_port" "$open_port" "$closed_port" >"$T/hosts.txt"

# --- the table ---------------------------------------------------------------------------
out=$("$TSHOOT" sweep check tls --targets "$T/hosts.txt" --cacert "$T/cert.pem" 2>"$T/err"); rc=$?
assert_eq "a sweep with failures exits 1" 1 "$rc"
assert_match "table: a heading" "$(head -1 <<<"$out")" '^TARGET +OUTCOME +MS +SUMMARY$'
assert_match "table: the TLS server is ok" "$out" "^127\.0\.0\.1:$tls_port +ok +[0-9]+ "
assert_match "table: the plain port closed the handshake" "$out" "^127\.0\.0\.1:$open_port +closed "
assert_match "table: the closed port refused" "$out" "^127\.0\.0\.1:$closed_port +refused "
assert_eq "table: one line per target and a heading" 4 "$(wc -l <<<"$out")"
col=$(awk 'NR>1 {print index($0, $2)}' <<<"$out" | sort -u | wc -l)
assert_eq "table: the outcome column is aligned" 1 "$col"
assert_eq "not on a terminal: nothing on stderr" "" "$(cat "$T/err")"

# --- --json: what check --json gives, plus sweep_target ----------------------------------
"$TSHOOT" sweep check tls --targets "$T/hosts.txt" --cacert "$T/cert.pem" --json >"$T/a.json"
rc=$?
assert_eq "--json: exit 1" 1 "$rc"
assert_schema "--json: every line valid (tshoot-sweep)" tshoot-sweep "$(cat "$T/a.json")" --lines
py=$(python3 - "$T/a.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), " ".join(r["outcome"] for r in rows), all(r["check"] == "tls" for r in rows),
      all(r["sweep_target"] == r["target"] for r in rows),
      all(r["sweep_schema"] == "tshoot-sweep/1" and r["schema"] == "tshoot-check/1" for r in rows))
PY
)
assert_eq "--json: one valid object a line, in the targets' order" "3 ok closed refused True True True" "$py"
one=$("$TSHOOT" check tls "127.0.0.1:$closed_port" --cacert "$T/cert.pem" --json)
assert_schema "check --json of the same target valid (tshoot-check)" tshoot-check "$one"
same=$(python3 - "$T/a.json" "$one" <<'PY'
import json, sys
row = json.loads(open(sys.argv[1]).readlines()[2]); one = json.loads(sys.argv[2])
del row["sweep_target"]; del row["sweep_schema"]; row.pop("elapsed_ms"); one.pop("elapsed_ms")
print(row == one)
PY
)
assert_eq "--json: the same object as check --json, plus sweep_target and sweep_schema" True "$same"

# --- --csv ---------------------------------------------------------------------------------
"$TSHOOT" sweep check tls --targets "$T/hosts.txt" --cacert "$T/cert.pem" --csv >"$T/a.csv"
py=$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[0], len(r), r[3][1])' "$T/a.csv")
assert_eq "--csv: a header and a row per target" "['target', 'outcome', 'elapsed_ms', 'summary'] 4 refused" "$py"

# --- exit 0, --port, --name-from-target ----------------------------------------------------
printf '127.0.0.1\nlocalhost\n' >"$T/names.txt"
out=$("$TSHOOT" sweep check tls --targets "$T/names.txt" --port "$tls_port" --name-from-target \
	--cacert "$T/cert.pem" --json); rc=$?
assert_eq "every target ok: exit 0" 0 "$rc"
assert_schema "--json with --port: valid (tshoot-sweep)" tshoot-sweep "$out" --lines
assert_contains "--port: targets without one get it" "$out" "\"target\":\"localhost:$tls_port\""
assert_contains "--name-from-target: the certificate is checked for the target's name" "$out" \
	"-verify_hostname localhost"
printf '127.0.0.1:%s\n127.0.0.1:70000\n' "$tls_port" >"$T/bad.txt"
err=$("$TSHOOT" sweep check tls --targets "$T/bad.txt" 2>&1 >/dev/null); rc=$?
assert_eq "a bad target: exit 2 before any traffic" 2 "$rc"
assert_contains "a bad target: its line and the check's own words" "$err" "bad.txt:2: bad port '70000'"
err=$("$TSHOOT" sweep check tls --targets "$T/hosts.txt" --warn-days x 2>&1); rc=$?
assert_eq "a bad check option: exit 2" 2 "$rc"
assert_contains "a bad check option: check tls's message" "$err" "--warn-days must be a whole number of days"
err=$("$TSHOOT" sweep check tls --targets "$T/hosts.txt" --jobs 0 2>&1); rc=$?
assert_eq "--jobs 0 refused" 2 "$rc"

# --- --jobs bounds how many run at once -------------------------------------------------------
"$FIXTURES/conc_fixture" "$conc_port" 300 "$T/max" 60 &
track_pid $!
wait_port "$conc_port" || { echo "# conc_fixture did not start"; exit 1; }
for i in $(seq 12); do echo "127.0.0.1:$conc_port"; done >"$T/conc.txt"
start=$(date +%s%N)
"$TSHOOT" sweep check tls --targets "$T/conc.txt" --jobs 3 --timeout 5 >"$T/conc.out"
took=$((($(date +%s%N) - start) / 1000000))
assert_eq "--jobs 3: at most 3 connections at once, and 3 used" 3 "$(cat "$T/max")"
assert_eq "--jobs 3: every target reported" 13 "$(wc -l <"$T/conc.out")"
# (no upper bound: each tls check also loads the system's CA store, slow under ASan on a
# busy machine; the count above shows they ran side by side)
if [ "$took" -ge 1150 ]; then ok "--jobs 3: 12 targets of 300 ms took at least 4 rounds (${took} ms)"
else not_ok "--jobs 3: 12 targets of 300 ms took ${took} ms, less than 4 rounds of 3"; fi

# --- the system's trust store is read once per process, again when the bundle changes ---
# (jobs 1: the first target is checked with the first bundle; while the second is held
# by conc_fixture the bundle is replaced; the third sees the new one)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/other.key" \
	-out "$T/other.pem" -days 365 -subj "/CN=other" 2>>"$T/openssl.err"
cp "$T/cert.pem" "$T/bundle.pem"
hold_port=$(free_port)
"$FIXTURES/conc_fixture" "$hold_port" 1500 "$T/holdmax" 60 &
track_pid $!
wait_port "$hold_port" || { echo "# conc_fixture did not start"; exit 1; }
printf '127.0.0.1:%s\n127.0.0.1:%s\n127.0.0.1:%s\n' "$tls_port" "$hold_port" "$tls_port" >"$T/swap.txt"
SSL_CERT_FILE=$T/bundle.pem "$TSHOOT" sweep check tls --targets "$T/swap.txt" --jobs 1 --timeout 5 \
	>"$T/swap.out" &
spid=$!
i=0
while [ "$(cat "$T/holdmax" 2>/dev/null)" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
cp "$T/other.pem" "$T/bundle.new" && mv "$T/bundle.new" "$T/bundle.pem"
wait "$spid"
assert_eq "trust store: trusted with the first bundle, not once it changed" "ok closed tls_untrusted" \
	"$(awk 'NR>1 {printf "%s%s", sep, $2; sep=" "}' "$T/swap.out")"

# --- a flow walked per target with an answers file ---------------------------------------------
FLOW=$TOP/tests/flows/sweep-port.yaml ANS=$TOP/tests/flows/sweep-port.answers.yaml
printf '%s\n%s\n' "$open_port" "$closed_port" >"$T/ports.txt"
out=$("$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/ports.txt" --var port 2>"$T/err"); rc=$?
assert_eq "flow sweep: one target escalated: exit 1" 1 "$rc"
assert_match "flow sweep: a heading" "$out" '^TARGET +RESULT +END +OUTCOMES$'
assert_match "flow sweep: the open port resolved" "$out" "^$open_port +resolved +open +probe=ok$"
assert_match "flow sweep: the closed port escalated" "$out" "^$closed_port +escalate +closed +probe=refused$"
"$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/ports.txt" --var port --json >"$T/flow.json"
assert_schema "flow sweep --json: every line valid (tshoot-sweep)" tshoot-sweep "$(cat "$T/flow.json")" --lines
assert_eq "flow sweep --json: each line names tshoot-sweep/1" "tshoot-sweep/1 tshoot-sweep/1" \
	"$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["schema"] for l in open(sys.argv[1]) if json.loads(l)["sweep_schema"] == "tshoot-sweep/1"))' "$T/flow.json")"
py=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print([(x["result"], x["exit_status"], x["outcomes"][0]["outcome"]) for x in r])' "$T/flow.json")
assert_eq "flow sweep --json: result, exit status and outcomes per target" \
	"[('resolved', 0, 'ok'), ('escalate', 1, 'refused')]" "$py"
echo "$open_port" >"$T/open.txt"
"$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/open.txt" --var port >/dev/null; rc=$?
assert_eq "flow sweep: every walk resolved: exit 0" 0 "$rc"
printf '%s\nnot-a-port\n' "$open_port" >"$T/badports.txt"
err=$("$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/badports.txt" --var port 2>&1); rc=$?
assert_eq "flow sweep: a target the variable refuses: exit 2" 2 "$rc"
assert_contains "flow sweep: said where" "$err" "badports.txt:2: port 'not-a-port'"
err=$("$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/ports.txt" --var nosuch 2>&1); rc=$?
assert_eq "flow sweep: --var must be a variable of the flow" 2 "$rc"

# --- Ctrl-C: what finished is printed --------------------------------------------------------
"$FIXTURES/conc_fixture" "$slow_port" 20000 "$T/slowmax" 60 &
track_pid $!
wait_port "$slow_port" || { echo "# conc_fixture did not start"; exit 1; }
printf '127.0.0.1:%s\n127.0.0.1:%s\n' "$closed_port" "$closed_port" >"$T/int.txt"
for i in 1 2 3 4; do echo "127.0.0.1:$slow_port"; done >>"$T/int.txt"
"$TSHOOT" sweep check tls --targets "$T/int.txt" --jobs 2 --timeout 30 >"$T/int.out" 2>"$T/int.err" &
spid=$!
i=0
while [ "$(cat "$T/slowmax" 2>/dev/null)" != 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
start=$(date +%s%N)
kill -INT "$spid"
wait "$spid"; rc=$?
took=$((($(date +%s%N) - start) / 1000000))
assert_eq "Ctrl-C: exit 130" 130 "$rc"
assert_eq "Ctrl-C: the finished targets printed, the stopped ones not" 3 "$(wc -l <"$T/int.out")"
assert_not_contains "Ctrl-C: no stopped target in the table" "$(cat "$T/int.out")" ":$slow_port"
if [ "$took" -lt 5000 ]; then ok "Ctrl-C: stops at once (${took} ms)"; else not_ok "Ctrl-C: took ${took} ms"; fi
# walks whose check waits on a port that never answers (a full accept queue)
full_port=$(free_port)
"$FIXTURES/hold_fixture" "$full_port" full 60 &
track_pid $!
wait_port "$full_port" || { echo "# hold_fixture did not start"; exit 1; }
printf '%s\n%s\n' "$full_port" "$full_port" >"$T/full.txt"
"$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/full.txt" --var port >"$T/fint.out" 2>&1 &
spid=$!
i=0
while [ "$(pgrep -f -- "--set port=$full_port" | wc -l)" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT "$spid"
wait "$spid"; rc=$?
assert_eq "Ctrl-C during walks: exit 130" 130 "$rc"
assert_eq "Ctrl-C during walks: nothing printed for the stopped walks" "" "$(cat "$T/fint.out")"
assert_eq "Ctrl-C during walks: no walk left behind" "" "$(pgrep -f -- "--set port=$full_port" || true)"

echo "$full_port" >"$T/full1.txt"
start=$(date +%s%N)
out=$("$TSHOOT" sweep "$FLOW" --answers "$ANS" --targets "$T/full1.txt" --var port --timeout 0.5 --json); rc=$?
took=$((($(date +%s%N) - start) / 1000000))
assert_eq "a walk out of --timeout: exit 1" 1 "$rc"
assert_contains "a walk out of --timeout: its result is timeout" "$out" '"result":"timeout"'
assert_schema "a walk out of --timeout: its line valid (tshoot-sweep)" tshoot-sweep "$out" --lines
if [ "$took" -lt 4500 ]; then ok "a walk out of --timeout is stopped (${took} ms)"; else not_ok "--timeout 0.5 took ${took} ms"; fi

# --- --merge ------------------------------------------------------------------------------------
"$TSHOOT" sweep check tls --targets "$T/names.txt" --port "$tls_port" --cacert "$T/cert.pem" --json >"$T/b.json"
assert_schema "--json (all ok): valid (tshoot-sweep)" tshoot-sweep "$(cat "$T/b.json")" --lines
out=$("$TSHOOT" sweep --merge "$T/a.json" "$T/b.json"); rc=$?
assert_eq "--merge: the worst outcome: exit 1" 1 "$rc"
assert_eq "--merge: one table of both" 6 "$(wc -l <<<"$out")"
assert_match "--merge: the same table" "$out" "^localhost +ok +[0-9]+ "
"$TSHOOT" sweep --merge "$T/b.json" >/dev/null; rc=$?
assert_eq "--merge: all ok: exit 0" 0 "$rc"
echo '{"no": 1}' >"$T/junk.json"
err=$("$TSHOOT" sweep --merge "$T/junk.json" 2>&1); rc=$?
assert_eq "--merge: not a sweep's line: exit 2" 2 "$rc"
assert_contains "--merge: says which line" "$err" "junk.json:1: not a line of"
out=$("$TSHOOT" sweep --merge "$T/b.json" "$T/flow.json")
assert_match "--merge of checks and walks: a table of each" "$out" '^TARGET +RESULT +END +OUTCOMES$'
assert_eq "--merge of checks and walks: both tables, a blank line between" 7 "$(wc -l <<<"$out")"
out=$("$TSHOOT" sweep --merge "$T/b.json" "$T/flow.json" --json)
assert_schema "--merge --json: the lines as they were, valid (tshoot-sweep)" tshoot-sweep "$out" --lines
# lines written before sweep_schema (and a walk's schema) existed are read the same
sed 's/"sweep_schema":"tshoot-sweep\/1",//; s/,"schema":"tshoot-sweep\/1"//' "$T/flow.json" >"$T/old.json"
assert_not_contains "old lines: no version" "$(cat "$T/old.json")" 'tshoot-sweep/1'
out=$("$TSHOOT" sweep --merge "$T/old.json" "$T/b.json")
assert_match "--merge of old and new lines: the old walk" "$out" "^$closed_port +escalate +closed +probe=refused$"
assert_match "--merge of old and new lines: the new check" "$out" "^localhost +ok +[0-9]+ "

# --- the progress bar, on a terminal only ------------------------------------------------------
if command -v script >/dev/null; then
	script -qec "$TSHOOT sweep check tls --targets $T/conc.txt --jobs 4 --timeout 5 >$T/tty.out" "$T/tty.log" >/dev/null 2>&1
	assert_contains "a terminal: the progress bar" "$(cat "$T/tty.log")" "12/12  12 failed"
	assert_contains "a terminal: the summary" "$(cat "$T/tty.log")" "12 of 12 targets done, 12 not ok"
	assert_eq "a terminal: the results still on stdout" 13 "$(wc -l <"$T/tty.out")"
else
	skip "no script(1) for a terminal: progress bar not tested"
fi
done_testing
