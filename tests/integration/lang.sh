#!/bin/bash
# lang.sh — a flow in two languages (tests/flows/lang-two.yaml with lang-two.de.yaml;
# tshoot-flow(5), LANGUAGES) walked in line mode: --lang de, the language of the
# environment (LANG, LC_MESSAGES, LC_ALL; C is English), an answers file that replays in
# either language with a German report, a training scenario in German, resume and
# tshoot report in the language the journal records (--lang overrides), --lang refused
# when no tag; lint of the pair and of a broken translation file at file:line:col; the
# translation file is no flow of its own in tshoot list.
source "$TOP/tests/lib.sh"
FLOW="$TOP/tests/flows/lang-two.yaml"
SESS="$XDG_STATE_HOME/tshoot/sessions"

cat >"$T/yes.ans" <<'A'
flow: lang-two
answers:
  which: {printer: lp01}
  stuck: 1
  clear: fixed
A

# --- an answers file replays in German; the report is German ------------------------
out=$("$TSHOOT" --plain --no-journal --lang de --answers "$T/yes.ans" --report "$T/de.txt" "$FLOW" 2>&1); rc=$?
assert_eq "answers in de: resolved (exit 0)" 0 "$rc"
assert_contains "answers in de: the flow's title in German" "$out" "== Testablauf Druckerwarteschlange"
assert_contains "answers in de: an inline German title" "$out" "Bevor Sie beginnen"
assert_contains "answers in de: a German prompt" "$out" "Name des Druckers: lp01"
assert_contains "answers in de: answer 1 by number, its German label" "$out" "Ja, einer hängt"
assert_contains "answers in de: a title from the translation file" "$out" "Warteschlange leeren"
assert_contains "answers in de: the end's text from the translation file" "$out" "Die Warteschlange von lp01 ist leer."
assert_not_contains "answers in de: no English text of the flow" "$out" "Before you start"
r=$(cat "$T/de.txt" 2>/dev/null)
assert_contains "report in de: the flow's title" "$r" "tshoot report: Testablauf Druckerwarteschlange"
assert_contains "report in de: the path in German" "$r" "[question] Hängt ein Auftrag in der Warteschlange?"
assert_contains "report in de: the answer's German label" "$r" "Answer: Ja, einer hängt"
assert_contains "report in de: a step in German" "$r" "1. Öffnen Sie die Warteschlange von lp01."
assert_contains "report in de: the resolution in German" "$r" "Resolution (resolved): Es wird wieder gedruckt"

# an answers file written from the German walk gives numbers: it replays in English
"$TSHOOT" --plain --no-journal --lang de --answers "$T/yes.ans" --report "$T/de.answers" "$FLOW" >/dev/null 2>&1
assert_contains "answers written in de: the question by number" "$(cat "$T/de.answers")" '"stuck": 1'
out=$("$TSHOOT" --plain --no-journal --lang en --answers "$T/de.answers" "$FLOW" 2>&1); rc=$?
assert_eq "answers written in de replay in en (exit 0)" 0 "$rc"
assert_contains "answers written in de replay in en: English" "$out" "Printing again"

# the same file in English
out=$("$TSHOOT" --plain --no-journal --answers "$T/yes.ans" "$FLOW" 2>&1); rc=$?
assert_eq "answers in en: resolved (exit 0)" 0 "$rc"
assert_contains "answers in en (LC_ALL=C.UTF-8): the English title" "$out" "== Printer queue test flow"
assert_contains "answers in en: the English label" "$out" "Yes, one is stuck"
assert_not_contains "answers in en: no German" "$out" "Warteschlange"

# --- the environment's language ---------------------------------------------------
envwalk() { out=$(env -u LC_ALL -u LC_MESSAGES -u LANG "$@" "$TSHOOT" --plain --no-journal --answers "$T/yes.ans" "$FLOW" 2>&1); }
envwalk LANG=de_DE.UTF-8
assert_contains "LANG=de_DE.UTF-8: German" "$out" "Testablauf Druckerwarteschlange"
envwalk LANG=de_CH.UTF-8
assert_contains "LANG=de_CH.UTF-8: German (de-CH has none of its own)" "$out" "Es wird wieder gedruckt"
envwalk LANG=en_US.UTF-8 LC_MESSAGES=de_AT.UTF-8
assert_contains "LC_MESSAGES wins over LANG" "$out" "Es wird wieder gedruckt"
envwalk LANG=de_DE.UTF-8 LC_ALL=C
assert_contains "LC_ALL=C wins, and is English" "$out" "Printing again"
envwalk LANG=fr_FR.UTF-8
assert_contains "a language the flow lacks: English" "$out" "Printing again"
out=$(env LANG=de_DE.UTF-8 "$TSHOOT" --plain --no-journal --lang en --answers "$T/yes.ans" "$FLOW" 2>&1)
assert_contains "--lang wins over the environment" "$out" "Printing again"

# --- typed in line mode: a German label is taken as the answer ---------------------
out=$(printf '\nlp01\nnein, die warteschlange ist leer\n' | "$TSHOOT" --plain --no-journal --lang de "$FLOW" 2>&1)
assert_contains "typed: the German label chose answer 2 (the check node follows)" "$out" "[4] Ist der Drucker im Netz?"
assert_contains "typed: the check's German label" "$out" "Der Rohdaten-Port des Druckers"

# --- --lang must be a tag -----------------------------------------------------------
out=$("$TSHOOT" --plain --no-journal --lang de_DE "$FLOW" 2>&1 </dev/null); rc=$?
assert_eq "--lang de_DE: usage error (exit 2)" 2 "$rc"
assert_contains "--lang de_DE: says why" "$out" "--lang: 'de_DE' is not a language tag"

# --- a training scenario, in German -------------------------------------------------
printf 'answers:\n  stuck: 2\n' >"$T/no.ans"
out=$("$TSHOOT" --plain --no-journal --lang de --scenario "$TOP/tests/flows/lang-two-training.yaml" \
	--answers "$T/no.ans" 2>&1 </dev/null); rc=$?
assert_eq "training in de: the expected end reached (exit 0)" 0 "$rc"
assert_contains "training in de: the check's German label, simulated" "$out" "Der Rohdaten-Port des Druckers"
assert_contains "training in de: the German end" "$out" "Der Drucker antwortet nicht"
assert_contains "training in de: the expected resolution reached" "$out" "reached the expected end 'down'"

# --- resume and report keep the journal's language ----------------------------------
rm -f "$SESS"/*.journal
printf '\nlp01\n1\n' | "$TSHOOT" --plain --lang de "$FLOW" >"$T/out1" 2>&1
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
if [ -n "$jn" ]; then ok "an interrupted walk left a journal"; else not_ok "an interrupted walk left a journal"; fi
assert_contains "the journal records the language" "$(head -1 "$jn")" '"lang":"de"'
out=$(printf 'all\ny\n' | "$TSHOOT" --resume "$jn" --plain 2>&1); rc=$?
assert_eq "resumed: resolved (exit 0)" 0 "$rc"
assert_contains "resumed under LC_ALL=C.UTF-8: still German" "$out" "Druckt er jetzt?"
assert_contains "resumed: the German end" "$out" "Es wird wieder gedruckt"
out=$("$TSHOOT" report "$jn" 2>&1)
assert_contains "tshoot report: in the journal's language" "$out" "Resolution (resolved): Es wird wieder gedruckt"
out=$("$TSHOOT" report "$jn" --lang en 2>&1)
assert_contains "tshoot report --lang en: in English" "$out" "Resolution (resolved): Printing again"
out=$("$TSHOOT" report "$jn" --lang x 2>&1); rc=$?
assert_eq "tshoot report --lang x: usage error" 2 "$rc"

# an old journal (no "lang"): the environment's language
rm -f "$SESS"/*.journal
printf '\nlp01\n1\n' | "$TSHOOT" --plain "$FLOW" >"$T/out2" 2>&1
jn=$(ls "$SESS"/*.journal 2>/dev/null | head -1)
sed -i 's/"lang":"en",//' "$jn"
assert_not_contains "a journal without lang (as before languages)" "$(head -1 "$jn")" '"lang"'
out=$(printf 'all\ny\n' | env -u LC_ALL LANG=de_DE.UTF-8 "$TSHOOT" --resume "$jn" --plain 2>&1); rc=$?
assert_eq "old journal: resumes (exit 0)" 0 "$rc"
assert_contains "old journal: in the environment's language" "$out" "Es wird wieder gedruckt"

# --- lint ---------------------------------------------------------------------------
out=$("$TSHOOT" lint "$FLOW" 2>&1); rc=$?
assert_eq "lint of the pair: clean (exit 0)" 0 "$rc"
assert_contains "lint of the pair: nothing found" "$out" "0 errors, 0 warnings"
out=$("$TSHOOT" lint "$TOP/tests/flows/lang-two.de.yaml" 2>&1); rc=$?
assert_eq "lint of the translation file: its flow, clean" 0 "$rc"
mkdir -p "$T/bad"
cp "$FLOW" "$T/bad/lang-two.yaml"
sed -e 's/^  stuck:$/  stuk:/' -e 's/^    title: "Warteschlange leeren"$/    titel: "Warteschlange leeren"/' \
	"$TOP/tests/flows/lang-two.de.yaml" >"$T/bad/lang-two.de.yaml"
out=$("$TSHOOT" lint "$T/bad/lang-two.yaml" 2>&1); rc=$?
assert_eq "lint of a broken translation file: errors (exit 1)" 1 "$rc"
lstuk=$(grep -n '^  stuk:$' "$T/bad/lang-two.de.yaml" | cut -d: -f1)
assert_contains "lint: an unknown node at its line:col in the translation file" "$out" \
	"$T/bad/lang-two.de.yaml:$lstuk:3: error: the flow has no node 'stuk' (did you mean 'stuck'?)"
ln=$(grep -n 'titel:' "$T/bad/lang-two.de.yaml" | cut -d: -f1)
assert_contains "lint: an unknown key at its line:col" "$out" "$T/bad/lang-two.de.yaml:$ln:5: error: unknown key 'titel'"
ln=$(grep -n '^    title: "Is a job stuck' "$T/bad/lang-two.yaml" | cut -d: -f1)
assert_contains "lint: the text left without German, at its line:col in the flow" "$out" \
	"$T/bad/lang-two.yaml:$ln:12: error: 'title' in node 'stuck' has no text in de"
out=$(COLUMNS=300 "$TSHOOT" --plain --no-journal --lang de --answers "$T/yes.ans" "$T/bad/lang-two.yaml" 2>&1); rc=$?
assert_eq "a walk of the broken pair still runs (exit 0)" 0 "$rc"
assert_contains "the walk notes what does not fit, as a warning" "$out" \
	"lang-two.de.yaml:$lstuk:3: warning: the flow has no node 'stuk'"
assert_contains "the walk reads what fits" "$out" "Die Warteschlange von lp01 ist leer."
rm -f "$T/bad/lang-two.de.yaml"
out=$("$TSHOOT" lint "$T/bad/lang-two.yaml" 2>&1); rc=$?
assert_eq "lint without the translation file: errors (exit 1)" 1 "$rc"
assert_contains "lint without the translation file: what it gave is missing" "$out" \
	"'text' in node 'intro' has no text in de"

# --- the translation file is no flow in tshoot list ---------------------------------
mkdir -p "$XDG_DATA_HOME/tshoot/flows"
cp "$FLOW" "$TOP/tests/flows/lang-two.de.yaml" "$XDG_DATA_HOME/tshoot/flows/"
out=$(cd "$T" && "$TSHOOT" list 2>&1)
assert_contains "tshoot list: the flow" "$out" "lang-two"
assert_not_contains "tshoot list: not its translation file" "$out" "lang-two.de"
assert_not_contains "tshoot list: nothing that does not load" "$out" "does not load"

done_testing
