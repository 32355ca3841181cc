#!/bin/bash
# Line mode (ui/plain.c) end to end: scripted walks piped into tshoot, on a small test
# flow with every node type (tests/flows/plain-all.yaml) and on the bundled flow; the
# keys b, r, ?, q; end of input; input fields (defaults, validation, secrets); live
# checks on loopback; wrapping; no escape sequences; and TERM=dumb on a real terminal
# (tmux) where the prompts and the echo-less secret entry are seen as a user sees them.
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"

FLOW=$TOP/tests/flows/plain-all.yaml
BUNDLED=$TOP/flows/sccm-sus-sync.yaml

# walk INPUT ARGS...: pipe INPUT into tshoot --plain; sets out (stdout+stderr) and rc
walk() {
	local input=$1; shift
	out=$(printf "$input" | "$TSHOOT" --plain "$@" 2>&1); rc=$?
}
count() { printf '%s\n' "$1" | grep -cF -- "$2"; }

# --- a resolved walk through info, question, classify, steps ------------------------
walk '\n2\nwrite failed: No space left on device\n\n1\ny\n' --no-journal "$FLOW"
assert_eq "resolved walk: exit 0" 0 "$rc"
assert_contains "flow title shown first" "$(printf '%s\n' "$out" | head -1)" "Plain mode test flow"
assert_contains "info: step header [1] and title" "$out" "[1] Welcome to the test flow"
assert_contains "info: asks for Enter" "$out" "Press Enter to continue"
assert_contains "question: header [2]" "$out" "[2] Which way do you want to go?"
assert_contains "question: numbered answer 1" "$out" "  1) Check a port"
assert_contains "question: numbered answer 2" "$out" "  2) Read an error"
assert_contains "question: prompt and the scripted answer echoed" "$out" "> 2"
assert_contains "classify: asks for the paste" "$out" "Paste the error text; end with an empty line."
assert_contains "classify: the signature recognised" "$out" "note: Recognised: The disk is full"
assert_contains "steps: header" "$out" "[4] Free some disk space"
assert_contains "steps: numbered step 1" "$out" "  1. Delete old files from /var/tmp."
assert_contains "steps: numbered step 2" "$out" "  2. Rotate the logs."
assert_contains "steps: says how to tick" "$out" "Type the numbers of the steps you did"
assert_contains "steps: a step ticked by its number" "$out" "Ticked: 1 (1 of 2)."
assert_contains "steps: asks whether it helped" "$out" "Did it help? (y/n) y"
assert_contains "end: RESOLVED" "$out" "RESOLVED"
assert_contains "end: its text" "$out" "Glad it helped."
assert_contains "end: the summary of the walk" "$out" "Summary of the walk:"
assert_not_contains "resolved walk: no ESCALATE" "$out" "ESCALATE"
assert_eq "end text shown once (besides the summary)" 1 "$(printf '%s\n' "$out" | grep -cx "Glad it helped.")"
assert_not_contains "steps' why hidden outside training" "$out" "Old logs fill disks."

# not fixed -> escalate
walk '\nread an error\nPermission denied\n\nn\n' --no-journal "$FLOW"
assert_eq "not fixed: exit 1 (escalate)" 1 "$rc"
assert_contains "answer by its label (any case)" "$out" "[3] Paste the error"
assert_contains "regex signature recognised" "$out" "note: Recognised: Permission denied"
assert_contains "not fixed: ESCALATE" "$out" "ESCALATE"
assert_contains "escalate: what to collect" "$out" "Collect before escalating:"
assert_contains "escalate: the collect item" "$out" "  - The full log file"
assert_not_contains "escalate: no RESOLVED" "$out" "RESOLVED"

walk '\nGIVE UP\n' --no-journal "$FLOW"
assert_eq "label in capitals accepted" 1 "$rc"
assert_contains "label in capitals: reached gave-up" "$out" "Escalate to the second line"

walk '\n2\nnothing we know about\n\n' --no-journal "$FLOW"
assert_eq "unrecognised paste: default route (escalate)" 1 "$rc"
assert_contains "unrecognised paste: said so" "$out" "No known error was recognised"

# --- keys -----------------------------------------------------------------------------
walk '\nb\n\n3\n' --no-journal "$FLOW"
assert_eq "b goes back (walk ends escalated)" 1 "$rc"
assert_eq "b: the first step is shown again" 2 "$(count "$out" "[1] Welcome to the test flow")"

walk 'b\n\n3\n' --no-journal "$FLOW"
assert_contains "b at the first step: says there is nothing before" "$out" "This is the first step"

walk '\n2\nr\ny\n\n3\n' --no-journal "$FLOW"
assert_contains "r asks for confirmation" "$out" "Restart from the beginning? (y/n) y"
assert_contains "r + y: restarted" "$out" "note: Started again from the beginning."
assert_eq "r + y: the first step again" 2 "$(count "$out" "[1] Welcome to the test flow")"
assert_eq "r + y: then walks on" 1 "$rc"

walk '\nr\nn\n3\n' --no-journal "$FLOW"
assert_eq "r + n: no restart" 1 "$(count "$out" "[1] Welcome to the test flow")"
assert_contains "r + n: walk goes on" "$out" "Escalate to the second line"

walk '\n?\n3\n' --no-journal "$FLOW"
assert_contains "? shows the why" "$out" "Why: The answer decides the branch."
assert_contains "? shows the keys" "$out" "Keys: b back, r restart, ? help (why this step), q quit."
assert_eq "? then asks again and walks on" 1 "$rc"

walk '\n7\nmaybe\n3\n' --no-journal "$FLOW"
assert_contains "a number no answer has: said as the full-screen mode says it" "$out" "> 7
no answer 7: choose 1-3"
assert_eq "words no answer has: says what is accepted" 1 "$(count "$out" "Please enter a number from 1 to 3")"
assert_eq "bad entries: then accepted" 1 "$rc"

walk '\nq\ny\n' --no-journal "$FLOW"
assert_contains "q asks for confirmation" "$out" "Quit now?"
assert_eq "q + y: exit 0" 0 "$rc"
assert_not_contains "q + y: no end reached" "$out" "ESCALATE"
walk '\nq\nn\n3\n' --no-journal "$FLOW"
assert_eq "q + n: walk goes on" 1 "$rc"

# --- end of input ---------------------------------------------------------------------
walk '\n' "$FLOW"
assert_eq "end of input at a question: exit 0" 0 "$rc"
assert_contains "end of input: says the session can be resumed" "$out" "tshoot --resume"
out=$("$TSHOOT" --plain "$FLOW" </dev/null 2>&1); rc=$?
assert_eq "stdin at EOF from the start: exit 0" 0 "$rc"
walk '\n2\nNo space left on device' --no-journal "$FLOW"
assert_eq "end of input inside a paste: the paste is used" 0 "$(count "$out" "Nothing was pasted")"
assert_contains "end of input inside a paste: recognised" "$out" "Recognised: The disk is full"

# --- input fields and a live check ----------------------------------------------------
closed=$(free_port)
walk "\n1\n\n99999\nhunter2-secret\n$closed\n2\n" "$FLOW"
assert_contains "input: default in brackets" "$out" "Host to test [127.0.0.1]:"
assert_contains "input: bad port refused with the reason" "$out" "port: port must be"
assert_contains "input: only the bad field is asked again" "$out" "port must be a number from 1 to 65535
TCP port to test: $closed"
assert_contains "input: optional secret field asked" "$out" "Access token:"
assert_not_contains "input: the secret is never echoed" "$out" "hunter2-secret"
assert_contains "check: announced" "$out" "Running 1 check..."
assert_match "check: FAIL row with label and target" "$out" "^  FAIL +Service port +127\.0\.0\.1:$closed +\([0-9.]+ m?s\)"
assert_contains "check: outcome and summary indented" "$out" "        refused:"
assert_contains "check: then the next question reads the next scripted line" "$out" "[5] Try another port?"
assert_eq "closed port, gave up: exit 1" 1 "$rc"
assert_contains "templated end text" "$out" "Nothing accepts connections at 127.0.0.1:$closed."
journal=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
if [ -n "$journal" ] && ! grep -q "hunter2-secret" "$journal"; then ok "the secret is not in the journal"
else not_ok "the secret is not in the journal ($journal)"; fi

if [ -x "$FIXTURES/hold_fixture" ]; then
	open_port=$(free_port)
	"$FIXTURES/hold_fixture" "$open_port" hold 30 &
	track_pid $!
	disown $!      # it stops itself by an alarm; no job report for that
	if wait_port "$open_port"; then
		walk "\n1\n\n$closed\n\n1\n\n$open_port\n\n" --no-journal "$FLOW"
		assert_match "check: OK row once the port listens" "$out" "^  OK +Service port +127\.0\.0\.1:$open_port"
		assert_contains "second input keeps the earlier answers" "$out" "TCP port to test [$closed]:"
		assert_contains "open port: resolved" "$out" "RESOLVED"
		assert_eq "open port: exit 0" 0 "$rc"
	else
		not_ok "hold_fixture listens on $open_port"
	fi
else
	not_ok "fixture hold_fixture built ($FIXTURES)"
fi

# --- a hostile server's header: placeholders on screen and in the report, valid JSON ---
if fixture hostile; then
	walk "$FP\n\n" --no-journal --report "$T/hostile.json" "$TOP/tests/flows/tui-check.yaml"
	assert_eq "hostile header walk: resolved" 0 "$rc"
	if printf '%s' "$out" | text_safe 2>"$T/why"; then ok "hostile header walk: screen and summary without raw controls"
	else not_ok "hostile header walk: raw bytes on screen: $(cat "$T/why")"; fi
	assert_eq "hostile header walk: the fact shown with placeholders (result, summary)" 2 \
		"$(count "$out" "server: $HOSTILE_SERVER_SHOWN")"
	assert_eq "hostile header walk: JSON report, strict UTF-8, status a number" \
		"(200, '?[2J?31m\\ufffd1m?exe.txt?\\ufffd caf\\xe9 \\u2713')" \
		"$(json_field '(d["steps"][1]["checks"][0]["facts"]["status"], d["steps"][1]["checks"][0]["facts"]["server"])' <"$T/hostile.json" 2>&1)"
	assert_schema "hostile header walk: the report valid (tshoot-report)" tshoot-report "$(cat "$T/hostile.json")"
else
	not_ok "httpd_fixture hostile listens"
fi

# --- pasted bytes that are not UTF-8: the journal stays valid UTF-8 JSON lines ---------
walk '\n2\nwrite failed \377\300 caf\303\251\n\ny\n' "$FLOW"
J=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
if [ -n "$J" ] && python3 -c 'import json, sys
for line in open(sys.argv[1], "rb"): json.loads(line.decode("utf-8"))' "$J" 2>"$T/why"; then
	ok "journal of a paste with bad bytes: every line strict UTF-8 JSON"
else not_ok "journal of a paste with bad bytes: every line strict UTF-8 JSON ($(tail -1 "$T/why"))"; fi
assert_contains "journal of a paste with bad bytes: the text kept, bad bytes as U+FFFD" "$(cat "$J")" \
	"write failed $(printf '\357\277\275\357\277\275') caf$(printf '\303\251')"

# the same paste with C1 and bidi controls, exported as an answers file: it replays
walk '\n2\nwrite failed \302\205\342\200\256 No space left on device \377\n\nall\ny\n' "$FLOW"
J=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
"$TSHOOT" report "$J" --format answers -o "$T/ctl-answers.yaml" >/dev/null 2>&1
out=$("$TSHOOT" --plain --no-journal --answers "$T/ctl-answers.yaml" "$FLOW" 2>&1); rc=$?
assert_eq "answers exported from a paste with controls and bad bytes replay (exit 0)" 0 "$rc"
assert_contains "... and the replayed paste is recognised as before" "$out" "No space left on device"

# --- loops: an answers file goes round a fix-and-retest loop twice, then max_visits ---
LOOP=$TOP/tests/flows/loop-retest.yaml
cat >"$T/loop-answers.yaml" <<'EOF'
flow: loop-retest
answers:
  fix: ["not fixed", "not fixed", "fixed"]
  retest: ["No", "No"]
EOF
out=$("$TSHOOT" --plain --no-journal --answers "$T/loop-answers.yaml" "$LOOP" 2>&1); rc=$?
assert_eq "loop replay: stopped by max_visits, escalated (exit 1)" 1 "$rc"
assert_contains "loop replay: the second visit takes the list's second answer" "$out" "[4] Restart the service: not fixed"
assert_contains "loop replay: round twice" "$out" "[5] Does the service answer now?: No"
assert_contains "loop replay: the driver says why it left the loop" "$out" "'fix' visited 2 times: going to 'give-up'."
assert_contains "loop replay: ends at on_max" "$out" "Result:   escalate at give-up"
assert_not_contains "loop replay: no third visit" "$out" "[6] Restart the service"
# a looping walk, exported as answers, replays to the same end
walk '\nn\n2\nn\n2\n' "$LOOP"
assert_eq "looping walk: escalated by max_visits (exit 1)" 1 "$rc"
J=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
"$TSHOOT" report "$J" --format answers -o "$T/loop-export.yaml" >/dev/null 2>&1
assert_contains "exported answers: a list for the node answered twice" "$(cat "$T/loop-export.yaml")" '"fix": ["not fixed", "not fixed"]'
assert_contains "exported answers: the question's two answers" "$(cat "$T/loop-export.yaml")" '"retest": ["No", "No"]'
out=$("$TSHOOT" --plain --no-journal --answers "$T/loop-export.yaml" "$LOOP" 2>&1); rc=$?
assert_eq "exported loop answers replay (exit 1)" 1 "$rc"
assert_contains "exported loop answers replay to the same end" "$out" "Result:   escalate at give-up"

# --- a steps node's own question (ask:) and third answer (cannot:) ------------------
SC=$TOP/tests/flows/steps-cannot.yaml
walk '1\nc\n' --report "$T/cannot.txt" "$SC"
assert_eq "cannot: escalated at the cannot node (exit 1)" 1 "$rc"
assert_contains "cannot: the flow's question, with c offered" "$out" "Does the service answer now? (y/n/c) 1"
assert_not_contains "cannot: no 'Did it help?'" "$out" "Did it help?"
assert_contains "cannot: the third answer's way on" "$out" "Result:   escalate at need-admin"
assert_contains "cannot: the report says could not apply, with the ticks" "$(cat "$T/cannot.txt" 2>&1)" \
	"Answer: could not apply (ticked: 1)"
J=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
assert_contains "cannot: the journal keeps it" "$(cat "$J")" '"cannot":true'
"$TSHOOT" report "$J" --format answers -o "$T/cannot-answers.yaml" >/dev/null 2>&1
assert_contains "cannot: exported answers say cannot" "$(cat "$T/cannot-answers.yaml" 2>&1)" '"fix": cannot'
out=$("$TSHOOT" --plain --no-journal --answers "$T/cannot-answers.yaml" "$SC" 2>&1); rc=$?
assert_eq "cannot: exported answers replay (exit 1)" 1 "$rc"
assert_contains "cannot: the replay answers cannot" "$out" "[1] Restart the service: cannot"
assert_contains "cannot: the replay ends where the walk did" "$out" "Result:   escalate at need-admin"
printf 'answers:\n  fix: could not\n' >"$T/could-not.yaml"
out=$("$TSHOOT" --plain --no-journal --answers "$T/could-not.yaml" "$SC" 2>&1); rc=$?
assert_contains "cannot: 'could not' in an answers file too" "$out" "Result:   escalate at need-admin"
printf 'answers:\n  fix: cannot\n' >"$T/cannot-bad.yaml"
out=$("$TSHOOT" --plain --no-journal --answers "$T/cannot-bad.yaml" "$LOOP" 2>&1); rc=$?
assert_eq "cannot: refused where the node has no cannot: (exit 2)" 2 "$rc"
assert_contains "cannot: ... saying what it takes" "$out" "takes 'fixed' or 'not fixed', not 'cannot'"
walk 'n\n' --no-journal "$SC"
assert_contains "cannot: n is still not fixed" "$out" "Result:   escalate at give-up"
walk '\nc\n' --no-journal "$LOOP"
assert_contains "no cannot: node: c is no answer there" "$out" "Please type the numbers of the steps you did"

# --- b, r and q at a value prompt are the actions; \b is the letter --------------------
walk '\\q\nb\n' --no-journal "$TOP/tests/flows/plain-form.yaml"
assert_contains "value prompt: b at the first step says there is nothing to go back to" "$out" \
	"This is the first step: there is nothing to go back to."
walk 'q\ny\n' --no-journal "$TOP/tests/flows/plain-form.yaml"
assert_not_contains "value prompt: q is not taken as a host name" "$out" "Port of the service"
walk '\\q\n9000\ntok\n' --no-journal "$TOP/tests/flows/plain-form.yaml"
assert_contains "value prompt: \\q gives the value q itself" "$out" "q:9000"

# --- back (b) to a form: what was typed there is offered again -----------------------
walk 'example.org\n9000\ntok-secret-1\nb\n\n\n\n1\n' --no-journal "$TOP/tests/flows/plain-form.yaml"
assert_contains "back to a form: the port typed is the default" "$out" "Port of the service [9000]:"
assert_contains "back to a form: the host typed is the default" "$out" "Host of the service [example.org]:"
assert_contains "back to a form: the secret typed is kept, not shown" "$out" "Access token [unchanged]:"
assert_contains "back to a form: Enter keeps them all" "$out" "The service is at example.org:9000."
assert_not_contains "back to a form: the secret is never shown" "$out" "tok-secret-1"
assert_eq "back to a form: exit 0" 0 "$rc"

# --- a URL where a host name is asked: refused as one, the host alone taken -----------
walk 'https://sup.example.com/x\n9000\n\nexample.org\n1\n' --no-journal "$TOP/tests/flows/plain-form.yaml"
assert_contains "a URL for a host name: refused as one" "$out" "host: enter a host name, not a URL"
assert_contains "a URL for a host name: the host alone then taken" "$out" "The service is at example.org:9000."
assert_eq "a URL for a host name, then the host: exit 0" 0 "$rc"

# --- training: simulated checks, why shown, the verdict -------------------------------
SC=$TOP/tests/flows/plain-training.yaml
walk '\n1\n\n\n\n' --no-journal --scenario "$SC"
assert_eq "training, expected end reached: exit 0" 0 "$rc"
assert_eq "training: the brief first, on a page of its own" "== Training: The port that answers" "$(printf '%s\n' "$out" | head -1)"
assert_contains "training: the brief's text" "$out" "The service runs on port 8080 of this machine."
assert_contains "training: why shown without asking" "$out" "Why: Every walk starts with a short introduction."
assert_contains "training: a field's why shown" "$out" "Why: The port the service listens on."
assert_contains "training: scenario presets are the defaults" "$out" "TCP port to test [8080]:"
assert_match "training: first check simulated" "$out" "^  OK +Service port +127\.0\.0\.1:8080 +\(simulated\)"
assert_match "training: second check in a row simulated too" "$out" "^  OK +Host name +127\.0\.0\.1 +\(simulated\)"
assert_contains "training: walked past two check steps in a row" "$out" "[6] The port answers"
assert_contains "training: the verdict" "$out" "Well done"
walk '\n3\n' --no-journal --scenario "$SC"
assert_eq "training, wrong end: exit 1" 1 "$rc"
assert_contains "training, wrong end: the verdict says so" "$out" "Not quite"

# an interrupted training walk resumes, from another directory, still simulated
walk '\n1\n' --scenario "$SC"
tj=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
mkdir -p "$T/away"
out=$(cd "$T/away" && printf '\n\n\n' | "$TSHOOT" --plain --resume "$tj" 2>&1); rc=$?
assert_contains "training resumed: says so" "$out" "note: Resumed: 2 earlier steps restored."
assert_match "training resumed: checks still simulated" "$out" "^  OK +Service port .*\(simulated\)"
assert_contains "training resumed: verdict at the end" "$out" "Well done"
assert_eq "training resumed: exit 0" 0 "$rc"

# --- plain text only, wrapped to the width ---------------------------------------------
out=$(printf '\n2\nPermission denied\n\nn\n' | TERM=xterm-256color COLUMNS=40 "$TSHOOT" --plain --no-journal "$FLOW" 2>&1)
if printf '%s' "$out" | LC_ALL=C grep -q $'\x1b'; then not_ok "no escape sequences in line mode"; else ok "no escape sequences in line mode"; fi
text=$(printf '%s\n' "$out" | sed -n '/^\[1\]/,/^Press Enter/p' | sed '1d;$d')
long=$(printf '%s\n' "$text" | awk 'length($0) > 40' | head -3)
assert_eq "COLUMNS=40: the text wrapped to 40 columns" "" "$long"
assert_contains "wrapping keeps the words" "$(printf '%s ' $text)" "the wrapping of long paragraphs to the width of the terminal"
assert_match "an indented line keeps its indentation when wrapped" "$text" "^  [a-z]"
assert_eq "an indented line's continuation is indented too" "" "$(printf '%s\n' "$text" | sed -n '/indented/,$p' | grep -v '^  ')"

# not a terminal, no --plain: line mode all the same
out=$(printf '\n3\n' | TERM=xterm "$TSHOOT" --no-journal "$FLOW" 2>&1); rc=$?
assert_contains "stdin not a terminal: line mode without --plain" "$out" "[1] Welcome to the test flow"
assert_eq "stdin not a terminal: walks" 1 "$rc"

# --- the bundled flow ---------------------------------------------------------------
if [ -f "$BUNDLED" ]; then
	paste='System.Net.WebException: The request failed with HTTP status 407'
	label2=$(awk '/^  way-in:/{f=1} f && /- label:/{n++; if (n==2) {sub(/.*label: */, ""); print; exit}}' "$BUNDLED")
	step1=$(awk '/^  fix-auth-proxy:/{f=1} f && /- text:/{sub(/.*text: */, ""); print; exit}' "$BUNDLED")
	rtitle=$(awk '/^  resolved:/{f=1} f && /title:/{sub(/.*title: */, ""); print; exit}' "$BUNDLED")

	walk "\n2\n$paste\n\n1 3\ny\n" --report "$T/ticked.txt" "$BUNDLED"
	assert_eq "bundled, 407 fixed: exit 0" 0 "$rc"
	assert_contains "bundled: intro is step 1" "$out" "[1] "
	assert_contains "bundled: way-in answer 2 is the paste" "$out" "  2) $label2"
	assert_contains "bundled: the paste step" "$out" "Paste the error text; end with an empty line."
	assert_match "bundled: 407 leads to the auth/proxy steps" "$out" "^\[4\] .*(uthenti|roxy)"
	assert_contains "bundled: the steps' text" "$out" "  1. $step1"
	assert_contains "bundled: RESOLVED" "$out" "RESOLVED"
	assert_contains "bundled: the resolved end's title" "$out" "$rtitle"
	assert_not_contains "bundled, fixed: no ESCALATE" "$out" "ESCALATE"
	# only the steps ticked are recorded as ticked: in the report and in the journal
	assert_contains "ticks 1 3: said back" "$out" "Ticked: 1, 3 (2 of 11)."
	assert_contains "ticks 1 3: ten steps, the numbers aligned" "$out" "  10. "
	assert_not_contains "ticks 1 3: no 'did it help anyway'" "$out" "Did it help anyway?"
	assert_contains "ticks 1 3: the report lists steps 1 and 3" "$(cat "$T/ticked.txt" 2>&1)" \
		"fixed (ticked: 1, 3)"
	assert_not_contains "ticks 1 3: the report does not claim 11 of 11" "$(cat "$T/ticked.txt" 2>&1)" "11 of 11"
	tj=$(ls -t "$XDG_STATE_HOME"/tshoot/sessions/*.journal 2>/dev/null | head -1)
	assert_contains "ticks 1 3: the journal keeps them (its report)" "$("$TSHOOT" report "$tj" 2>&1)" \
		"fixed (ticked: 1, 3)"

	# y with nothing ticked: asked whether it helped anyway; yes is recorded as no ticks
	walk "\n2\n$paste\n\ny\ny\n" --no-journal --report "$T/none.txt" "$BUNDLED"
	assert_contains "y with nothing ticked asks whether it helped anyway" "$out" \
		"None of the steps are ticked. Did it help anyway? (y/n) y"
	assert_eq "nothing ticked, fixed anyway: exit 0" 0 "$rc"
	assert_contains "nothing ticked, fixed anyway: the report says no steps were ticked" \
		"$(cat "$T/none.txt" 2>&1)" "fixed (no steps ticked)"
	walk "\n2\n$paste\n\ny\n5\ny\n" --no-journal --report "$T/five.txt" "$BUNDLED"
	assert_contains "asked anyway, a number ticks it" "$out" "Ticked: 5 (1 of 11)."
	assert_contains "then fixed with step 5 ticked" "$(cat "$T/five.txt" 2>&1)" "fixed (ticked: 5)"
	walk "\n2\n$paste\n\n12\nall\ny\n" --no-journal --report "$T/all.txt" "$BUNDLED"
	assert_contains "a step number out of range is refused" "$out" "Please type the numbers of the steps you did (1 to 11, or all)"
	assert_contains "all ticks every step" "$out" "Ticked: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 (11 of 11)."
	assert_contains "all: the report says so" "$(cat "$T/all.txt" 2>&1)" "fixed (ticked: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)"

	walk "\n2\n$paste\n\nn\n" --no-journal "$BUNDLED"
	assert_eq "bundled, 407 not fixed: exit 1" 1 "$rc"
	assert_contains "bundled, not fixed: ESCALATE" "$out" "ESCALATE"
	assert_contains "bundled, not fixed: what to collect" "$out" "Collect before escalating:"
	assert_not_contains "not fixed with nothing ticked: no second question" "$out" "Did it help anyway?"

	walk "\n2\n" --no-journal "$BUNDLED"
	assert_eq "bundled, input ends at the paste: exit 0" 0 "$rc"
	out=$("$TSHOOT" --plain --no-journal "$BUNDLED" </dev/null 2>&1); rc=$?
	assert_eq "bundled, stdin at EOF: exit 0" 0 "$rc"
	assert_contains "bundled, stdin at EOF: the intro was shown" "$out" "[1] "
else
	not_ok "bundled flow flows/sccm-sus-sync.yaml exists"
fi

# --- TERM=dumb on a real terminal (tmux): line mode, echo-less secrets -----------------
if command -v tmux >/dev/null; then
	sock=$T/tmux.sock
	tm() { tmux -S "$sock" "$@"; }
	screen() { tm capture-pane -p -t h5 2>/dev/null; }
	# wait_screen TEXT: bounded (10 s)
	wait_screen() {
		local i=0
		while [ $i -lt 100 ]; do
			screen | grep -qF -- "$1" && return 0
			sleep 0.1; i=$((i + 1))
		done
		return 1
	}
	closed=$(free_port)
	tm -f /dev/null new-session -d -s h5 -x 80 -y 24 \
		"env TERM=dumb LC_ALL=C.UTF-8 XDG_STATE_HOME='$XDG_STATE_HOME' '$TSHOOT' --no-journal '$FLOW'; echo EXIT=\$?; sleep 30"
	tpid=$(tm display-message -p -t h5 '#{pid}' 2>/dev/null)
	[ -n "$tpid" ] && track_pid "$tpid"
	if wait_screen "Press Enter to continue"; then
		ok "TERM=dumb on a terminal: line mode"
		tm send-keys -t h5 Enter
		wait_screen "3) Give up" && tm send-keys -t h5 1 Enter
		wait_screen "Host to test [127.0.0.1]:" && tm send-keys -t h5 Enter
		wait_screen "TCP port to test:" && tm send-keys -t h5 "$closed" Enter
		wait_screen "Access token:" && tm send-keys -t h5 "tty-secret-42" Enter
		if wait_screen "[5] Try another port?"; then
			ok "terminal: walked to the question after the check"
			assert_not_contains "terminal: the secret typed was not echoed" "$(screen)" "tty-secret-42"
			assert_eq "terminal: typed answers are not echoed twice" 1 "$(screen | grep -c "TCP port to test: $closed")"
			tm send-keys -t h5 2 Enter
			if wait_screen "s save report, r restart, b back, q quit"; then
				ok "terminal: the end offers save/restart/back/quit"
				tm send-keys -t h5 q Enter
				wait_screen "EXIT=" && assert_contains "terminal: q at the end exits 1 (escalate)" "$(screen)" "EXIT=1"
			else
				not_ok "terminal: the end offers save/restart/back/quit"; screen | sed 's/^/#   | /'
			fi
		else
			not_ok "terminal: walked to the question after the check"; screen | sed 's/^/#   | /'
		fi
	else
		not_ok "TERM=dumb on a terminal: line mode"; screen | sed 's/^/#   | /'
	fi
	tm kill-server 2>/dev/null

	# a terminal curses does not know: full screen cannot start, line mode takes over
	sock=$T/tmux2.sock
	tm -f /dev/null new-session -d -s h5 -x 80 -y 24 \
		"env TERM=no-such-terminal-h5 LC_ALL=C.UTF-8 XDG_STATE_HOME='$XDG_STATE_HOME' '$TSHOOT' --no-journal --node pick '$FLOW'; echo EXIT=\$?; sleep 30"
	tpid=$(tm display-message -p -t h5 '#{pid}' 2>/dev/null)
	[ -n "$tpid" ] && track_pid "$tpid"
	if wait_screen "3) Give up"; then
		assert_contains "unknown TERM: falls back to line mode with a note" "$(screen)" "note: The full-screen mode could not start; using line mode."
		tm send-keys -t h5 3 Enter
		wait_screen "q quit >" && tm send-keys -t h5 s Enter
		wait_screen "Save the report to" && tm send-keys -t h5 "$T/saved.md" Enter
		if wait_screen "note: Report saved to $T/saved.md"; then
			ok "terminal: s at the end saves the report"
			assert_contains "terminal: the saved report is Markdown of this walk" "$(cat "$T/saved.md")" "Escalate to the second line"
		else
			not_ok "terminal: s at the end saves the report"; screen | sed 's/^/#   | /'
		fi
		tm send-keys -t h5 q Enter
		wait_screen "EXIT=" && assert_contains "fallback: q exits 1 (escalate)" "$(screen)" "EXIT=1"
	else
		not_ok "unknown TERM: falls back to line mode"; screen | sed 's/^/#   | /'
	fi
	tm kill-server 2>/dev/null
else
	not_ok "tmux installed"
fi

# --- a check that could not run (a parameter templated into nonsense) -----------------
# Its outcome is error, taken only by an error route: never problem or default.
"$TSHOOT" lint "$TOP/tests/flows/timeout-var-error.yaml" >/dev/null 2>&1
assert_eq "lint: error is a route pattern any check can take" 0 "$?"
walk 'soon\n\n' --no-journal "$TOP/tests/flows/timeout-var-error.yaml"
assert_eq "bad timeout, error route: escalate at that node (exit 1)" 1 "$rc"
assert_contains "bad timeout: the check says why it could not run" "$out" "timeout must be a number of seconds"
assert_contains "bad timeout: the error route's node is reached" "$out" "[3] The check is misconfigured"
assert_not_contains "bad timeout: problem not taken" "$out" "The target is down"
assert_contains "the report's outcome is error" "$out" "Outcome: error"
walk '0.5\n\n' --no-journal "$TOP/tests/flows/timeout-var-error.yaml"
assert_eq "good timeout, port closed: escalate (exit 1)" 1 "$rc"
assert_contains "good timeout: the problem route is taken" "$out" "[3] The target is down"
assert_not_contains "good timeout: not the error route" "$out" "misconfigured"
out=$(printf 'soon\n\n' | "$TSHOOT" --plain --no-journal "$TOP/tests/flows/timeout-var.yaml" 2>"$T/err"); rc=$?
assert_eq "bad timeout, no error route: the walk stops with exit 2" 2 "$rc"
assert_contains "no error route: the check's row says why" "$out" "timeout must be a number of seconds"
assert_eq "no error route: one line on stderr naming the node, check and problem" \
	"tshoot: node 'probe': check 'Discard port' could not run: timeout must be a number of seconds from 0.001 to 3600, not 'soon' (the node has no 'error' route)" \
	"$(cat "$T/err")"
assert_not_contains "no error route: default not taken" "$out" "The check ran."

done_testing
