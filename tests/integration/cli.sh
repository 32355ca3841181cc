#!/bin/bash
# The command line (tshoot(1)): help and version, bad usage (exit 2, one line and a
# hint), lint, graph, list, --set/--node/--format validation, --answers, --report,
# --resume, sessions, report, and that the man page documents every option.
source "$TOP/tests/lib.sh"

FLOWS=$TOP/tests/flows
GOOD=$FLOWS/plain-all.yaml
BROKEN=$FLOWS/plain-broken.yaml

# run ARGS...: sets out, err, rc (stdin from /dev/null)
run() {
	out=$("$TSHOOT" "$@" </dev/null 2>"$T/err"); rc=$?
	err=$(cat "$T/err")
}
# lines TEXT: number of lines
lines() { [ -z "$1" ] && echo 0 || printf '%s\n' "$1" | wc -l; }

# --- help and version ---------------------------------------------------------------
run --help
assert_eq "--help: exit 0" 0 "$rc"
assert_contains "--help: usage line" "$out" "Usage: tshoot [OPTIONS] [FLOW]"
for word in "--plain" "--answers FILE" "--scenario FILE" "--resume [JOURNAL]" "--report FILE" \
	    "--format FMT" "--set VAR=VALUE" "--node ID" "--no-journal" "lint FLOW..." "graph FLOW" \
	    "list" "check http URL" "check tls HOST[:PORT]" "check proxy PROXY_URL --target URL" \
	    "check tcp HOST:PORT" "check dns NAME" "check log FILE [--flow FLOW]" "check cert FILE" "--nagios" "sessions" \
	    "report JOURNAL"; do
	assert_contains "--help mentions $word" "$out" "$word"
done
assert_eq "--help: nothing on stderr" "" "$err"
run help
assert_contains "'tshoot help' is --help" "$out" "Usage: tshoot [OPTIONS] [FLOW]"

version=$(sed -nE 's/^VERSION *:= *//p' "$TOP/Makefile")
run --version
assert_eq "--version: exit 0" 0 "$rc"
assert_eq "--version prints 'tshoot VERSION' from the Makefile" "tshoot $version" "$out"

# --- bad usage: exit 2, one line "tshoot: ..." and the hint -------------------------
run --bogus
assert_eq "unknown option: exit 2" 2 "$rc"
assert_eq "unknown option: nothing on stdout" "" "$out"
assert_eq "unknown option: first line names it" "tshoot: unknown option '--bogus'" "$(printf '%s\n' "$err" | head -1)"
assert_eq "unknown option: then only the hint" "Try 'tshoot --help'." "$(printf '%s\n' "$err" | sed -n 2p)"
assert_eq "unknown option: two lines in all" 2 "$(lines "$err")"

run -x
assert_eq "unknown short option: exit 2" 2 "$rc"
assert_contains "unknown short option named" "$err" "tshoot: unknown option '-x'"

run frobnicate
assert_eq "unknown subcommand: exit 2" 2 "$rc"
assert_match "unknown subcommand: one line naming it" "$(printf '%s\n' "$err" | head -1)" "^tshoot: 'frobnicate' is not a command"
assert_eq "unknown subcommand: two lines in all" 2 "$(lines "$err")"

run --report
assert_eq "option without its value: exit 2" 2 "$rc"
assert_contains "option without its value: says so" "$err" "tshoot: option '--report' needs a value"

run "$GOOD" "$GOOD"
assert_eq "two FLOWs: exit 2" 2 "$rc"

# --- lint ---------------------------------------------------------------------------
run lint "$GOOD"
assert_eq "lint good flow: exit 0" 0 "$rc"
assert_eq "lint good flow: no diagnostics" "" "$out"
assert_eq "lint good flow: summary on stderr" "1 file, 0 errors, 0 warnings" "$err"

run lint "$BROKEN"
assert_eq "lint broken flow: exit 1" 1 "$rc"
assert_match "lint broken flow: file:line:col: error: naming the missing node" "$out" \
	"^$BROKEN:10:[0-9]+: error: .*no-such-node"
assert_eq "lint broken flow: summary" "1 file, 1 error, 0 warnings" "$err"

run lint "$GOOD" "$BROKEN"
assert_eq "lint two files: exit 1 (one has an error)" 1 "$rc"
assert_eq "lint two files: summary counts both" "2 files, 1 error, 0 warnings" "$err"

run lint "$T/nothing-here.yaml"
assert_eq "lint of a missing file: exit 1" 1 "$rc"
assert_contains "lint of a missing file: says so" "$out" "$T/nothing-here.yaml"

run lint
assert_eq "lint with no FLOW: exit 2" 2 "$rc"

# every bundled flow and training scenario is clean
n=0
for f in "$TOP"/flows/*.yaml "$TOP"/flows/training/*.yaml; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	run lint "$f"
	assert_eq "lint bundled ${f#$TOP/}: exit 0" 0 "$rc"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | head -10 | sed 's/^/#   | /'
done
[ "$n" -gt 0 ] && ok "bundled flows found ($n)" || not_ok "bundled flows found in flows/"

# --- graph --------------------------------------------------------------------------
run graph "$GOOD"
assert_eq "graph: exit 0" 0 "$rc"
assert_match "graph: a digraph" "$out" "^digraph"
assert_contains "graph: names a node" "$out" "free-disk"
svg=$(printf '%s\n' "$out" | dot -Tsvg 2>"$T/dot.err"); drc=$?
assert_eq "graph renders with dot -Tsvg" 0 "$drc"
assert_contains "graph svg made" "$svg" "<svg"
if [ -f "$TOP/flows/sccm-sus-sync.yaml" ]; then
	"$TSHOOT" graph "$TOP/flows/sccm-sus-sync.yaml" 2>/dev/null | dot -Tsvg >"$T/b.svg" 2>"$T/dot.err"
	assert_eq "bundled flow's graph renders with dot" 0 "$?"
fi
run graph "$T/missing.yaml"
assert_eq "graph of a missing flow: exit 2" 2 "$rc"
assert_match "graph of a missing flow: one line" "$err" "^tshoot: no flow "
run graph
assert_eq "graph with no FLOW: exit 2" 2 "$rc"

# --- list ---------------------------------------------------------------------------
if [ -f "$TOP/flows/sccm-sus-sync.yaml" ]; then
	title=$(sed -nE 's/^title: *"?([^"]*)"?$/\1/p' "$TOP/flows/sccm-sus-sync.yaml" | head -1)
	out=$(cd "$TOP" && "$TSHOOT" list 2>&1); rc=$?
	assert_eq "list: exit 0" 0 "$rc"
	assert_match "list shows the bundled flow's id and title" "$out" "sccm-sus-sync +$title"
	# every flows/*.yaml, each once; the shared sub-flows of flows/lib are not listed
	n=$(ls "$TOP"/flows/*.yaml | wc -l)
	listed=$(printf '%s\n' "$out" | awk '/^Flows:/ {on=1; next} /^$/ {on=0} on' | wc -l)
	assert_eq "list shows every bundled flow ($n)" "$n" "$listed"
	assert_match "list shows sccm-client-scan" "$out" "sccm-client-scan +Software update scans fail"
	assert_not_contains "list leaves out the sub-flows of flows/lib" "$out" "flows/lib/"
	for f in "$TOP"/flows/*.yaml; do
		id=$(basename "$f" .yaml)
		t=$(sed -nE 's/^title: *"?([^"]*)"?$/\1/p' "$f" | head -1)
		assert_match "list shows every bundled flow: $id" "$out" "$id +$t"
	done
	if ls "$TOP"/flows/training/*.yaml >/dev/null 2>&1; then
		assert_contains "list shows the training scenarios" "$out" "Training scenarios"
		sc=$(sed -nE 's/^scenario: *//p' "$(ls "$TOP"/flows/training/*.yaml | head -1)")
		assert_contains "list names a scenario ($sc)" "$out" "$sc"
	fi
fi
# an installed flow under $XDG_DATA_HOME, found by id from anywhere
mkdir -p "$XDG_DATA_HOME/tshoot/flows" "$T/elsewhere"
cp "$GOOD" "$XDG_DATA_HOME/tshoot/flows/plain-all.yaml"
out=$(cd "$T/elsewhere" && "$TSHOOT" list 2>&1)
assert_match "list shows a flow installed in XDG_DATA_HOME" "$out" "plain-all +Plain mode test flow"
out=$(cd "$T/elsewhere" && printf '3\n' | "$TSHOOT" --plain --no-journal --node pick plain-all 2>&1); rc=$?
assert_eq "an installed flow runs by its id" 1 "$rc"
assert_contains "an installed flow runs by its id: walk shown" "$out" "Escalate to the second line"
out=$(cd "$T/elsewhere" && printf '\n' | "$TSHOOT" --plain --no-journal 2>&1); rc=$?
assert_contains "no FLOW and one installed flow: that one is used" "$out" "Welcome to the test flow"
run list extra
assert_eq "list with an argument: exit 2" 2 "$rc"

# a hostile file in a flows folder (4 MiB of '[') is refused at its 33rd level at once:
# lint, list and a bare tshoot never hang on it
mkdir -p "$T/hostile/flows"
head -c 4194304 /dev/zero | tr '\0' '[' >"$T/hostile/flows/deep.yaml"
cp "$GOOD" "$T/hostile/flows/plain-all.yaml"
# within CMD...: run CMD from $T/hostile (bounded by timeout), set out, rc and ms
within() { local t0; t0=$(date +%s%N); out=$(cd "$T/hostile" && timeout 20 "$@" </dev/null 2>&1); rc=$?; ms=$((($(date +%s%N) - t0) / 1000000)); }
prompt() { if [ "$ms" -lt 5000 ]; then ok "$1 (${ms} ms)"; else not_ok "$1: took ${ms} ms"; fi; }
within "$TSHOOT" lint flows/deep.yaml
assert_eq "4 MiB of nested brackets: lint exit 1" 1 "$rc"
assert_contains "4 MiB of nested brackets: error at file:line:col" "$out" \
	"flows/deep.yaml:1:33: error: nesting deeper than 32 levels"
prompt "4 MiB of nested brackets: lint answers promptly"
within "$TSHOOT" list
assert_eq "list with a deeply nested file: exit 0" 0 "$rc"
assert_match "list names the nested file as not loading" "$out" "deep +\(does not load: see 'tshoot lint'\)"
assert_match "list still shows the good flow" "$out" "plain-all +Plain mode test flow"
prompt "list with a deeply nested file answers promptly"
within "$TSHOOT" --plain --no-journal
assert_eq "bare tshoot with a deeply nested file: exit 2 (name one)" 2 "$rc"
prompt "bare tshoot with a deeply nested file answers promptly"

# --- --set, --node, --format --------------------------------------------------------
run --plain --set nosuchvar=1 "$GOOD"
assert_eq "--set unknown variable: exit 2" 2 "$rc"
assert_contains "--set unknown variable: named" "$err" "no variable 'nosuchvar'"
assert_eq "--set unknown variable: nothing shown" "" "$out"
run --plain --set port=99999 "$GOOD"
assert_eq "--set bad port: exit 2" 2 "$rc"
assert_match "--set bad port: one line saying why" "$err" "^tshoot: --set port=99999: .*(port|65535)"
assert_eq "--set bad port: one line" 1 "$(lines "$err")"
run --plain --set host=bad_host! "$GOOD"
assert_eq "--set bad host name: exit 2" 2 "$rc"
run --plain --set novalue "$GOOD"
assert_eq "--set without '=': exit 2" 2 "$rc"
out=$(printf '1\n\n\n\n' | "$TSHOOT" --plain --no-journal --set port=4242 --node pick "$GOOD" 2>&1)
assert_contains "--set value is the input's default" "$out" "TCP port to test [4242]:"

run --plain --node no-such-node "$GOOD"
assert_eq "--node unknown: exit 2" 2 "$rc"
assert_contains "--node unknown: named" "$err" "no node 'no-such-node'"
run --plain --no-journal --node gave-up "$GOOD"
assert_eq "--node at an escalate end: exit 1" 1 "$rc"
assert_contains "--node at an end: shown" "$out" "ESCALATE"

run --plain --report "$T/r.txt" --format pdf "$GOOD"
assert_eq "--format unknown: exit 2" 2 "$rc"
run --plain --format md "$GOOD"
assert_eq "--format without --report: exit 2" 2 "$rc"

run --plain "$BROKEN"
assert_eq "walking a flow with lint errors: exit 2" 2 "$rc"
assert_match "walking a flow with lint errors: diagnostics" "$err" "plain-broken.yaml:10:[0-9]+: error:"

# --- --report -----------------------------------------------------------------------
run --plain --no-journal --node gave-up --report "$T/walk.md" "$GOOD"
assert_eq "--report: walk exit 1 (escalate)" 1 "$rc"
if [ -s "$T/walk.md" ]; then ok "--report FILE.md written"; else not_ok "--report FILE.md written"; fi
assert_contains "--report names the end reached" "$(cat "$T/walk.md" 2>/dev/null)" "Escalate to the second line"
assert_eq "--report file is private (0600)" 600 "$(stat -c %a "$T/walk.md" 2>/dev/null)"
run --plain --no-journal --node gave-up --report "$T/walk.json" "$GOOD"
if jq -e . "$T/walk.json" >/dev/null 2>&1; then ok "--report FILE.json is JSON"; else not_ok "--report FILE.json is JSON"; fi
assert_schema "--report FILE.json: valid (tshoot-report)" tshoot-report "$(cat "$T/walk.json")"

# --- --answers ----------------------------------------------------------------------
cat >"$T/ans.yaml" <<'EOF'
flow: plain-all
answers:
  pick: "Read an error"
  paste: "write failed: No space left on device"
  free-disk: fixed
EOF
run --answers "$T/ans.yaml" --no-journal "$GOOD"
assert_eq "--answers walk to resolved: exit 0" 0 "$rc"
assert_contains "--answers: end shown" "$out" "RESOLVED"
assert_contains "--answers: answers echoed" "$out" "Read an error"
cat >"$T/ans2.yaml" <<'EOF'
flow: plain-all
answers:
  pick: 2
EOF
run --answers "$T/ans2.yaml" --no-journal "$GOOD"
assert_eq "--answers missing an answer: exit 2" 2 "$rc"
assert_contains "--answers missing an answer: names the node" "$err" "'paste'"
run --answers "$T/none.yaml" "$GOOD"
assert_eq "--answers file missing: exit 2" 2 "$rc"
cat >"$T/ans3.yaml" <<'EOF'
flow: sccm-sus-sync
answers:
  pick: 2
EOF
run --answers "$T/ans3.yaml" --no-journal "$GOOD"
assert_eq "--answers for another flow: exit 2" 2 "$rc"
assert_contains "--answers for another flow: says which flow it records" "$err" "records a walk of flow 'sccm-sus-sync', not of 'plain-all'"
assert_not_contains "--answers for another flow: no step was walked" "$out" "[1]"
sed 's/^flow: plain-all$/flow: plain-all.yaml/' "$T/ans.yaml" >"$T/plain-all.yaml.ans"
cp "$GOOD" "$T/plain-all.yaml"
run --answers "$T/plain-all.yaml.ans" --no-journal "$T/plain-all.yaml"
assert_eq "--answers naming the flow file beside it: walks (exit 0)" 0 "$rc"

# --- --resume, sessions, report -----------------------------------------------------
out=$(printf '\n2\n' | "$TSHOOT" --plain "$GOOD" 2>&1); rc=$?
assert_eq "interrupted walk (end of input): exit 0" 0 "$rc"
assert_contains "interrupted walk: says it can be resumed" "$out" "--resume"
run sessions
assert_eq "sessions: exit 0" 0 "$rc"
assert_contains "sessions lists the interrupted walk" "$out" "plain-all"
journal=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
[ -n "$journal" ] && ok "a journal was written" || not_ok "a journal was written"
out=$(printf 'Permission denied\n\n1\ny\n' | "$TSHOOT" --plain --resume 2>&1); rc=$?
assert_contains "--resume says it resumed" "$out" "Resumed"
assert_contains "--resume continues at the paste step" "$out" "[3] Paste the error"
assert_contains "--resume walks on to the end" "$out" "RESOLVED"
assert_eq "--resume: resolved exit 0" 0 "$rc"
run report "$journal" --format md
assert_eq "report JOURNAL: exit 0" 0 "$rc"
assert_contains "report JOURNAL: the paste is in it" "$out" "Permission denied"
run report "$journal" -o "$T/rep.json"
assert_eq "report -o FILE.json: exit 0" 0 "$rc"
if jq -e . "$T/rep.json" >/dev/null 2>&1; then ok "report -o FILE.json is JSON"; else not_ok "report -o FILE.json is JSON"; fi
assert_schema "report -o FILE.json: valid (tshoot-report)" tshoot-report "$(cat "$T/rep.json")"
run report
assert_eq "report without a JOURNAL: exit 2" 2 "$rc"
run report "$T/not-a-journal"
assert_eq "report of a missing journal: exit 2" 2 "$rc"
run --plain --resume "$T/not-a-journal"
assert_eq "--resume of a missing journal: exit 2" 2 "$rc"
run --plain --resume --node pick
assert_eq "--resume with --node: exit 2" 2 "$rc"

# --- check dispatch -----------------------------------------------------------------
run check
assert_eq "check with no kind: exit 2" 2 "$rc"
run check tcp 127.0.0.1:99999
assert_eq "check tcp bad port: exit 2 before any traffic" 2 "$rc"
p=$(free_port)
run check tcp "127.0.0.1:$p" --timeout 2
assert_eq "check tcp closed port: exit 1" 1 "$rc"
assert_contains "check tcp closed port: refused" "$out" "refused"

# --- the man page documents what --help lists ---------------------------------------
man=$TOP/man/tshoot.1
if [ -f "$man" ]; then
	warn=$(man --warnings -l "$man" 2>&1 >/dev/null)
	assert_eq "man page renders without warnings" "" "$warn"
	page=$(MANWIDTH=200 man -l "$man" 2>/dev/null)
	for opt in $("$TSHOOT" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		assert_contains "man page documents $opt" "$page" "$opt"
	done
	for cmd in lint graph list check sessions report; do
		assert_contains "man page documents tshoot $cmd" "$page" "tshoot $cmd"
	done
	for sec in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS KEYS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		assert_match "man page has section $sec" "$page" "^$sec"
	done
else
	not_ok "man/tshoot.1 exists"
fi

done_testing
