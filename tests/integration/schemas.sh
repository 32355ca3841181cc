#!/bin/bash
# schemas.sh — the JSON Schemas in schema/ (installed under share/tshoot/schema/) are
# valid draft 2020-12 schemas, each names its version, and what tshoot writes validates:
# check --json of every kind's main outcomes against real loopback servers and closed
# ports, a report of a walk through a sub-flow and a training result. (Every other test that reads JSON checks it with assert_schema too.)
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
assert "schema" in props and "const" in props["schema"], "no versioned schema member"
print(props["schema"]["const"])
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

done_testing
