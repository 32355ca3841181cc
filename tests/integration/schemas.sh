#!/bin/bash
# schemas.sh — the JSON Schemas in schema/ (installed under share/tshoot/schema/) are
# valid draft 2020-12 schemas, each names its version, and what tshoot writes validates:
# check --json of every kind's main outcomes against real loopback servers and closed
# ports, a report of a walk through a sub-flow, a training result, stats --json, and
# sweep --json lines of a check sweep and a flow sweep. (Every other test that reads JSON checks it with assert_schema too.)
source "$TOP/tests/lib.sh"

cd "$TOP" || exit 1
for s in schema/*.schema.json; do
	n=$(basename "$s" .schema.json)
	out=$(python3 - "$s" <<'PY' 2>&1
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(s)
assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema", s["$schema"]
props = s.get("properties", {})
# a sweep's line names its version in sweep_schema (a check's line keeps check --json's schema)
key = "sweep_schema" if "sweep_schema" in props else "schema"
assert key in props and "const" in props[key], "no versioned schema member"
assert key in s.get("required", []), "the version member is not required"
print(props[key]["const"])
PY
)
	assert_match "$n: a valid draft 2020-12 schema with a versioned schema member" "$out" "^tshoot-[a-z-]+/[0-9]+$"
done

open_port=$(free_port)
"$FIXTURES/hold_fixture" "$open_port" hold 60 &
track_pid $!
wait_port "$open_port" || not_ok "fixture did not start"
closed_port=$(free_port)
http_port=$(free_port)
"$FIXTURES/httpd_fixture" slow "$http_port" 0 &
track_pid $!
wait_port "$http_port" || not_ok "web fixture did not start"

for args in "tcp 127.0.0.1:$open_port" "tcp 127.0.0.1:$closed_port" "http http://127.0.0.1:$http_port/" \
	"http http://127.0.0.1:$closed_port/" "dns localhost" "tls 127.0.0.1:$open_port --timeout 1"; do
	# shellcheck disable=SC2086
	out=$("$TSHOOT" check $args --json 2>/dev/null)
	assert_schema "check $args --json" tshoot-check "$out"
done

# a certificate file (cert's facts: dates, days_left, key, SANs; self-signed, then also a
# name mismatch) and a log (matches)
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/key.pem" \
	-out "$T/cert.pem" -days 30 -subj "/CN=schema.test" -addext "subjectAltName=DNS:schema.test" 2>/dev/null; then
	for args in "$T/cert.pem" "$T/cert.pem --name other.test --warn-days 60"; do
		# shellcheck disable=SC2086
		out=$("$TSHOOT" check cert $args --json 2>/dev/null)
		assert_schema "check cert $(basename "${args%% *}") ${args#* } --json" tshoot-check "$out"
	done
else
	skip "openssl could not make a certificate: check cert not validated here"
fi
out=$("$TSHOOT" check log "$TOP/tests/data/logs/WCM.log" --flow "$TOP/tests/flows/log-test.yaml" --json 2>/dev/null)
assert_schema "check log --json" tshoot-check "$out"

printf '%s\n%s\n1\n' "$open_port" "$closed_port" | "$TSHOOT" --plain --no-journal \
	--report "$T/sub.json" "$TOP/tests/flows/sub/caller.yaml" >/dev/null 2>&1
assert_schema "report of a walk through sub-flows" tshoot-report "$(cat "$T/sub.json")"
assert_match "report: a sub-flow's step names its flow" "$(cat "$T/sub.json")" '"sub_flow": ?"port-probe"'

sc=$(ls "$TOP"/flows/training/*.yaml | head -1)
printf '\n\n' | "$TSHOOT" --plain --no-journal --scenario "$sc" --results "$T/train.json" >/dev/null 2>&1
assert_schema "training result (an unfinished walk)" tshoot-training-result "$(cat "$T/train.json")"

# stats over the walks above (a journal each; --no-journal walks leave none): one of
# its own, walked with a journal
XDG_STATE_HOME="$T/state" "$TSHOOT" --plain "$TOP/tests/flows/sub/caller.yaml" >/dev/null 2>&1 \
	< <(printf '%s\n%s\n2\n' "$closed_port" "$open_port")
out=$(XDG_STATE_HOME="$T/state" "$TSHOOT" stats --json 2>/dev/null)
assert_schema "stats --json" tshoot-stats "$out"
assert_contains "stats --json counted the walk" "$out" '"sub-caller"'

# sweep --json: a check sweep (an open port, a closed one) and a flow sweep, one line each
printf '127.0.0.1:%s\n127.0.0.1:%s\n' "$open_port" "$closed_port" >"$T/targets.txt"
out=$("$TSHOOT" sweep check tcp --targets "$T/targets.txt" --json 2>/dev/null)
assert_schema "sweep check tcp --json (lines)" tshoot-sweep "$out" --lines
assert_eq "sweep check --json: a line per target" 2 "$(grep -c '"sweep_schema":"tshoot-sweep/1"' <<<"$out")"
printf '%s\n%s\n' "$open_port" "$closed_port" >"$T/ports.txt"
out=$("$TSHOOT" sweep "$TOP/tests/flows/sweep-port.yaml" --answers "$TOP/tests/flows/sweep-port.answers.yaml" \
	--targets "$T/ports.txt" --var port --json 2>/dev/null)
assert_schema "sweep FLOW --json (lines)" tshoot-sweep "$out" --lines
assert_eq "sweep FLOW --json: a line per target" 2 "$(grep -c '"schema":"tshoot-sweep/1"' <<<"$out")"
# and what is not a sweep's line is refused by the schema
bad=$(printf '%s' '{"sweep_target":"x","sweep_schema":"tshoot-sweep/1","flow":"f"}' |
	python3 "$TOP/tests/lib/validate_json.py" tshoot-sweep - --lines >/dev/null 2>&1; echo $?)
assert_eq "sweep schema: a walk's line without its members is invalid" 1 "$bad"

done_testing
