#!/bin/bash
# stats.sh — `tshoot stats` (tshoot(1)): walks made by walking tests/flows/plain-all.yaml
# with answers files and line mode (resolved, escalated, abandoned, a back press), then
# hand-made journals with known times (median and 90th percentile by nearest rank), a
# truncated one, an older one, one of a flow that changed since (unknown node ids), one
# that is no journal; a JSON report of a walk already counted; --json, --flow, --since,
# ASCII bars under LANG=C.
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/plain-all.yaml"
SESS="$XDG_STATE_HOME/tshoot/sessions"

run() {
	out=$("$TSHOOT" "$@" </dev/null 2>"$T/err"); rc=$?
	err=$(cat "$T/err")
}

# --- walks made by tshoot --------------------------------------------------------------
cat >"$T/fixed.yaml" <<'EOF'
flow: plain-all
answers:
  pick: "Read an error"
  paste: "write failed: No space left on device"
  free-disk: fixed
EOF
cat >"$T/giveup.yaml" <<'EOF'
flow: plain-all
answers:
  pick: "Give up"
EOF
for i in 1 2 3; do "$TSHOOT" --answers "$T/fixed.yaml" "$FLOW" >/dev/null 2>&1; done
"$TSHOOT" --answers "$T/giveup.yaml" "$FLOW" >/dev/null 2>&1
# line mode: back at the question (pressed at 'pick'), then give up
printf '\nb\n\n3\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1
# interrupted at the question: abandoned
printf '\n' | "$TSHOOT" --plain "$FLOW" >/dev/null 2>&1
assert_eq "six journals were written" 6 "$(ls "$SESS"/*.journal 2>/dev/null | wc -l)"

run stats
assert_eq "stats: exit 0" 0 "$rc"
assert_match "stats counts the walks" "$out" "6 walks, started on [0-9-]+"
assert_match "stats: 3 resolved, 50%" "$out" "resolved +3 +50\.0%"
assert_match "stats: 2 escalated, 33.3%" "$out" "escalated +2 +33\.3%"
assert_match "stats: 1 abandoned, 16.7%" "$out" "abandoned +1 +16\.7%"
assert_match "stats: the end nodes, share of the ended" "$out" "fixed-end \(resolved\) +3 +60\.0%"
assert_match "stats: the escalate end" "$out" "gave-up \(escalate\) +2 +40\.0%"
assert_match "stats: back pressed at pick" "$out" "pick +1$"
assert_match "stats: never visited, out of the flow's 13 nodes" "$out" "Never visited: 7 of 13 nodes"
assert_contains "stats: a never-visited node is named" "$out" "port-closed"
assert_contains "stats: Unicode bars in a UTF-8 locale" "$out" "█"
assert_contains "stats: says what it read" "$out" "6 files read, 6 walks counted."

out=$(LC_ALL=C LANG=C "$TSHOOT" stats 2>&1)
assert_not_contains "LANG=C: no Unicode blocks" "$out" "█"
assert_match "LANG=C: ASCII bars (50% is 12 of 24 columns)" "$out" "resolved +3 +50\.0%  #{12}$"

# a JSON report of a walk already counted is not counted twice; one of another is
journal=$(ls "$SESS"/*.journal | head -1)
"$TSHOOT" report "$journal" -o "$T/dup.json" 2>/dev/null
"$TSHOOT" --answers "$T/fixed.yaml" --no-journal --report "$T/other.json" "$FLOW" >/dev/null 2>&1
assert_schema "report of a journal: valid (tshoot-report)" tshoot-report "$(cat "$T/dup.json" 2>/dev/null)"
assert_schema "report of a walk: valid (tshoot-report)" tshoot-report "$(cat "$T/other.json" 2>/dev/null)"
run stats "$SESS" "$T/dup.json" "$T/other.json"
assert_contains "stats: a report of a counted walk is counted once" "$out" "7 walks, started"
assert_contains "stats: and said so" "$out" "1 report of a walk already counted"

# --json
run stats --json
assert_eq "stats --json: exit 0" 0 "$rc"
if printf '%s' "$out" | python3 -m json.tool >/dev/null 2>&1; then ok "stats --json is JSON"; else not_ok "stats --json is JSON"; fi
assert_schema "stats --json: valid (tshoot-stats)" tshoot-stats "$out"
j() { printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" 2>&1; }
assert_eq "--json: schema" "tshoot-stats/1" "$(j 'd["schema"]')"
assert_eq "--json: walks, resolved, escalated, abandoned" "6 3 2 1" \
	"$(j '" ".join(str(d["flows"][0][k]) for k in ("walks","resolved","escalated","abandoned"))')"
assert_eq "--json: the first end and its share" "fixed-end 3 0.6 resolved" \
	"$(j '" ".join(str(d["flows"][0]["ends"][0][k]) for k in ("node","count","share","result"))')"
assert_eq "--json: backs" "pick 1" "$(j '" ".join(str(d["flows"][0]["backs"][0][k]) for k in ("node","count"))')"
assert_eq "--json: never visited" 7 "$(j 'len(d["flows"][0]["never_visited"])')"

# --- hand-made journals ------------------------------------------------------------------
H="$T/hand"
mkdir -p "$H"
# ten walks of 10, 20, ... 100 seconds to an end, on 2026-01-10 .. 2026-01-19
for i in 1 2 3 4 5 6 7 8 9 10; do
	t0=$(date -u -d "2026-01-$((9 + i)) 10:00:00" +%s)
	t1=$((t0 + i * 10))
	cat >"$H/w$i.journal" <<EOF
{"ev":"start","v":1,"flow_path":"$FLOW","flow_id":"plain-all","flow_version":null,"start":"welcome","time":$t0,"tshoot_version":"0.1.0"}
{"ev":"step","node":"welcome","kind":"next","next":"pick","time":$t0}
{"ev":"step","node":"pick","kind":"choose","answer":2,"label":"Give up","next":"gave-up","time":$t1}
{"ev":"end","node":"gave-up","result":"escalate","time":$t1}
EOF
done
run stats "$H"
assert_contains "percentiles by nearest rank: median 50s, 90th 90s" "$out" "median 50s, 90th percentile 1m 30s (10 walks)"
assert_match "the first and last start dates" "$out" "10 walks, started 2026-01-10 .. 2026-01-19|10 walks, started 2026-01-10 … 2026-01-19"
run stats --json "$H"
assert_schema "stats --json of hand-made journals: valid (tshoot-stats)" tshoot-stats "$out"
assert_eq "--json: median_s and p90_s" "50 90" "$(j '"%s %s" % (d["flows"][0]["time_to_end"]["median_s"], d["flows"][0]["time_to_end"]["p90_s"])')"

# --since: a date and an age
run stats --since 2026-01-15 "$H"
assert_contains "--since DATE keeps the walks started that day and after" "$out" "5 walks, started 2026-01-15"
assert_contains "--since: says how many it left out" "$out" "5 started before --since"
run stats --since 2w "$H"
assert_contains "--since AGE: none of these is that recent" "$out" "No walks recorded there."
run stats --since yesterday "$H"
assert_eq "--since with a bad value: exit 2" 2 "$rc"
assert_contains "--since with a bad value: says what it wants" "$err" "YYYY-MM-DD"

# a truncated journal, an older one (no tshoot_version), one of a flow that changed since,
# one that is no journal at all, one of another flow
t0=$(date -u -d "2026-01-20 10:00:00" +%s)
{
	printf '{"ev":"start","v":1,"flow_path":"%s","flow_id":"plain-all","start":"welcome","time":%s,"tshoot_version":"0.1.0"}\n' "$FLOW" "$t0"
	printf '{"ev":"step","node":"welcome","kind":"next","next":"pick","time":%s}\n' "$t0"
	printf '{"ev":"step","node":"pick","kind":"cho'
} >"$H/trunc.journal"
printf '{"ev":"start","flow_id":"plain-all","start":"welcome","time":%s}\n{"ev":"step","node":"welcome","kind":"next","next":"pick"}\n' "$t0" >"$H/old.journal"
{
	printf '{"ev":"start","v":1,"flow_path":"%s","flow_id":"plain-all","start":"welcome","time":%s,"tshoot_version":"0.1.0"}\n' "$FLOW" "$t0"
	printf '{"ev":"step","node":"welcome","kind":"next","next":"removed-node","time":%s}\n' "$t0"
	printf '{"ev":"step","node":"removed-node","kind":"next","next":"gave-up","time":%s}\n' "$((t0 + 5))"
	printf '{"ev":"end","node":"gave-up","result":"escalate","time":%s}\n' "$((t0 + 5))"
} >"$H/changed.journal"
printf 'this is not a journal\n' >"$H/junk.journal"
printf '{"ev":"start","v":1,"flow_id":"no-such-flow","start":"a","time":%s,"tshoot_version":"0.1.0"}\n{"ev":"end","node":"z","result":"resolved","time":%s}\n' "$t0" "$((t0 + 7))" >"$H/other.journal"
run stats "$H"
assert_eq "odd journals: exit 0, never a crash" 0 "$rc"
assert_contains "all of plain-all's walks counted" "$out" "13 walks, started 2026-01-10"
assert_contains "the truncated journal is reported" "$out" "1 journal truncated or damaged"
assert_contains "the older journal is reported" "$out" "1 journal from an older tshoot"
assert_contains "the changed flow is reported with the unknown id" "$out" "1 walk through nodes the flow no longer has: removed-node (2)"
assert_contains "the journal that is none is skipped, and said so" "$err" "junk.journal: not a tshoot journal"
assert_contains "the unreadable file is counted" "$out" "1 unreadable"
assert_contains "a flow that is not installed is still counted" "$out" "no-such-flow"
assert_contains "and why its never-visited nodes are unknown" "$out" "no flow 'no-such-flow' installed"
run stats --flow no-such-flow "$H"
assert_contains "--flow: only that flow" "$out" "1 walk, started on 2026-01-20"
assert_not_contains "--flow: not the others" "$out" "plain-all"
assert_contains "--flow: says how many it left out" "$out" "of other flows"
run stats --json "$H"
if printf '%s' "$out" | python3 -m json.tool >/dev/null 2>&1; then ok "--json with odd journals is JSON"; else not_ok "--json with odd journals is JSON"; fi
assert_schema "--json with odd journals: valid (tshoot-stats)" tshoot-stats "$out"
assert_eq "--json: truncated, older, unknown" "1 1 1 removed-node" \
	"$(j '" ".join(str(x) for x in [d["flows"][0]["truncated"], d["flows"][0]["older_journals"], d["flows"][0]["walks_with_unknown_nodes"], d["flows"][0]["unknown_nodes"][0]["node"]])')"
assert_eq "--json: the unreadable file" 1 "$(j 'len(d["unreadable"])')"

# usage
run stats --bogus
assert_eq "stats --bogus: exit 2" 2 "$rc"
run stats "$T/none"
assert_eq "stats of a missing path: exit 2" 2 "$rc"
assert_contains "stats of a missing path: says so" "$err" "No such file"
run stats --help
assert_contains "stats --help" "$out" "Usage: tshoot stats"

exit $_failed
