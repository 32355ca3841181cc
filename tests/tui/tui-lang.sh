#!/bin/bash
# A flow in two languages (tests/flows/lang-two.yaml with lang-two.de.yaml) in the
# full-screen mode at 80x24 with --lang de: the flow's title, an info node, a form's
# prompt, a question's answers, the checklist and its question, and the end, all in
# German, from inline texts and from the translation file; ? shows the German why.
# (Line mode, the environment's language, resume and lint: tests/integration/lang.sh.)
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/tests/flows/lang-two.yaml"

tui_start -- --no-journal --lang de "$FLOW"
check_screen "info: the German title (inline)" "Bevor Sie beginnen"
check_screen "info: the German text (from the translation file)" "Halten Sie den Namen des Druckers bereit."
check_screen "the flow's German title" "Testablauf Druckerwarteschlange"
assert_not_contains "no English text of the flow" "$(screen)" "Before you start"
keys '?'
check_screen "?: the German why" "Jeder spätere Schritt nennt den Drucker."
keys Escape
check_gone "Esc closes the why" "Jeder spätere Schritt nennt den Drucker."
keys Enter
check_screen "input: the German title" "Welcher Drucker?"
check_screen "input: the German prompt" "Name des Druckers:"
type_text "lp01"
keys Enter
check_screen "question: the German title (translation file)" "Hängt ein Auftrag in der Warteschlange?"
check_screen "question: answer 1 in German (inline)" "1. Ja, einer hängt"
check_screen "question: answer 2 in German (translation file)" "2. Nein, die Warteschlange ist leer"
keys 1
check_screen "steps: the German title" "Warteschlange leeren"
check_screen "steps: step 1 in German, expanded" "Öffnen Sie die Warteschlange von lp01."
check_screen "steps: step 2 in German" "Brechen Sie den hängenden Auftrag ab."
keys Space Down Space Enter
check_screen "steps: the German question" "Druckt er jetzt?"
keys y
check_screen "end: the German title" "Es wird wieder gedruckt"
check_screen "end: the German text" "Die Warteschlange von lp01 ist leer."
keys q
check_screen "tshoot ends" "EXITED 0" 50

done_testing
