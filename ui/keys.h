/* keys.h — every key of the curses front end, in one table.
 *
 * UI_KEYS(X) expands X(action, contexts, k1, k2, k3, k4, keys, hint, help, man) once per
 * row. From it come the action enum (ui/cui.h) and the key lookup (ui/cui_term.c), the
 * footer hints (ui/cui_screen.c) and the '?' help panel (ui/cui_panels.c), and the KEYS
 * section of man/tshoot.1 (tests/lib/keys_man_tui.c prints it; tests/tui/tui-keys-man.sh
 * fails when the man page and this table disagree).
 *
 *   contexts  KC_* bits: the screens where the row applies. The first row that
 *             matches a key in the current context wins, so order matters.
 *   k1..k4    curses key codes (KEY_UP, KEY_F(1)) or characters; 0 = unused. With
 *             KF_RANGE, k1..k2 is an inclusive range of characters. Only the curses
 *             front end (ui/cui.h, ui/cui_term.c) expands these, so this header needs
 *             no curses.
 *   keys      the keys as people write them ("b, Backspace")
 *   hint      the footer's short form ("b back"), or NULL for none
 *   help      one line for the help panel
 *   man       one sentence for tshoot(1)
 */
#ifndef TSHOOT_UI_KEYS_H
#define TSHOOT_UI_KEYS_H

/* Screens (contexts). */
#define KC_INFO   0x001u       /* information text: Enter goes on */
#define KC_ASK    0x002u       /* a question: a menu of answers */
#define KC_FORM   0x004u       /* typing: input fields, pasted error text */
#define KC_STEPS  0x008u       /* a checklist of resolution steps */
#define KC_RUN    0x010u       /* checks running */
#define KC_DONE   0x020u       /* checks finished */
#define KC_END    0x040u       /* the end of the walk */
#define KC_PANEL  0x080u       /* a help or facts panel over the screen */
#define KF_RANGE  0x100u       /* k1..k2 is a range of characters */
#define KC_BRIEF  0x200u       /* a page before the walk (training: the brief) */
#define KC_FOUND  0x400u       /* added to a screen's own while a search is on (from '/'
                                  until Esc): n and N move between matches */
#define KC_CMD    (KC_INFO | KC_ASK | KC_STEPS | KC_DONE | KC_END)   /* letters are commands */
#define KC_LIST   (KC_ASK | KC_STEPS | KC_DONE | KC_END | KC_PANEL | KC_BRIEF)  /* something to move in */
#define KC_ALL    (KC_CMD | KC_FORM | KC_RUN | KC_PANEL | KC_BRIEF)
#define KC_SEARCH (KC_INFO | KC_LIST)   /* text to search in */

#define UI_KEYS(X) \
	X(KA_NEXT, KC_INFO, '\n', '\r', KEY_ENTER, KEY_RIGHT, "Enter, Right", "Enter go on", \
	  "go on to the next step", \
	  "On an information screen, go on to the next step.") \
	X(KA_BEGIN, KC_BRIEF, '\n', '\r', KEY_ENTER, KEY_RIGHT, "Enter, Right", "Enter begin", \
	  "begin the walk", \
	  "On a training briefing, begin the walk.") \
	X(KA_CHOOSE, KC_ASK, '\n', '\r', KEY_ENTER, KEY_RIGHT, "Enter, Right", "Enter choose", \
	  "choose the highlighted answer", \
	  "On a question, choose the highlighted answer.") \
	X(KA_NUMBER, KC_ASK | KF_RANGE, '0', '9', 0, 0, "1-9", "1-9 pick", \
	  "choose answer number N at once", \
	  "On a question, choose answer number N at once (a number with no answer, 0 too, says so).") \
	X(KA_UP, KC_LIST, KEY_UP, 'k', 0, 0, "Up, k", NULL, \
	  "move the highlight up (or scroll up)", \
	  "Move the highlight up among answers, steps or checks; in the end summary, a training briefing and panels, scroll up.") \
	X(KA_DOWN, KC_LIST, KEY_DOWN, 'j', 0, 0, "Down, j", NULL, \
	  "move the highlight down (or scroll down)", \
	  "Move the highlight down among answers, steps or checks; in the end summary, a training briefing and panels, scroll down.") \
	X(KA_FIRST, KC_ASK | KC_STEPS | KC_END, KEY_HOME, 0, 0, 0, "Home", NULL, \
	  "go to the first answer or step (or the top)", \
	  "Go to the first answer or step; in the end summary, to the top.") \
	X(KA_LAST, KC_ASK | KC_STEPS | KC_END, KEY_END, 0, 0, 0, "End", NULL, \
	  "go to the last answer or step (or the bottom)", \
	  "Go to the last answer or step; in the end summary, to the bottom.") \
	X(KA_FIND, KC_SEARCH, '/', 0, 0, 0, "/", "/ search", \
	  "search the text (Enter searches, Esc cancels)", \
	  "Search the text shown (a step's text, a checklist, the end summary, a training briefing, a help, facts or map panel): type it after the / on the bottom line; Enter searches, Esc cancels. Case does not matter, and a match may run over a wrapped line. The view goes to the first match from the top of the view on and shows it in reverse video (the other matches underlined); a match in a step of a checklist moves the highlight to that step. The bottom line (in a panel, the panel's bottom border) says which match it is (match 2 of 5), or \"not found:\" and the text.") \
	X(KA_FIND_NEXT, KC_FOUND | KC_PANEL, 'n', 0, 0, 0, "n", "n next match", \
	  "next match of the search (after the last, the first)", \
	  "While a search is on (from / until Esc), go to the next match; after the last, round to the first (the bottom line says search wrapped). In a checklist of steps, n answers not fixed again once Esc has ended the search.") \
	X(KA_FIND_PREV, KC_FOUND | KC_PANEL, 'N', 0, 0, 0, "N", NULL, \
	  "previous match of the search (before the first, the last)", \
	  "While a search is on, go to the previous match; before the first, round to the last.") \
	X(KA_FIND_END, KC_FOUND, 27, 0, 0, 0, "Esc", "Esc end search", \
	  "end the search (in a panel, Esc closes it)", \
	  "End the search: the matches are no longer marked, and n means not fixed again in a checklist. In a panel, Esc closes the panel, and the search with it.") \
	X(KA_TICK, KC_STEPS, ' ', 'x', 0, 0, "Space, x", "Space tick", \
	  "tick or untick the highlighted step (the highlight stays)", \
	  "In a checklist of steps, tick or untick the highlighted step; the highlight stays on it.") \
	X(KA_STEPS_DONE, KC_STEPS, '\n', '\r', KEY_ENTER, 0, "Enter", "Enter done", \
	  "finished: say whether it helped", \
	  "In a checklist of steps, say you are finished; tshoot then asks whether it helped (with no step ticked, whether it helped anyway).") \
	X(KA_FIXED, KC_STEPS, 'y', 0, 0, 0, "y", "y fixed", \
	  "it helped: the problem is fixed", \
	  "In a checklist of steps, answer that the steps fixed the problem (with no step ticked, tshoot asks first).") \
	X(KA_NOT_FIXED, KC_STEPS, 'n', 0, 0, 0, "n", "n not fixed", \
	  "it did not help (while a search is on: Esc first)", \
	  "In a checklist of steps, answer that the problem is still there. While a search is on, n goes to the next match instead (the footer says so): Esc ends the search first.") \
	X(KA_CANNOT, KC_STEPS, 'c', 0, 0, 0, "c", NULL, \
	  "could not apply the steps (where the flow offers that answer)", \
	  "In a checklist of steps whose node has cannot:, answer that the steps could not be applied (not the same as not fixed); the line under the list says so then.") \
	X(KA_CANCEL, KC_RUN, 27, 0, 0, 0, "Esc", "Esc cancel", \
	  "cancel the running checks", \
	  "While checks run, cancel them; each stops within a fraction of a second.") \
	X(KA_OPEN, KC_DONE, '\n', '\r', KEY_ENTER, 0, "Enter", "Enter details", \
	  "show the facts of the highlighted check; on Continue, go on", \
	  "When checks are done, show the facts of the highlighted check (certificate, HTTP status, authentication schemes); on Continue, go on.") \
	X(KA_GO_ON, KC_DONE, KEY_RIGHT, 'c', 0, 0, "Right, c", "c continue", \
	  "go on with these results", \
	  "When checks are done, go on with these results.") \
	X(KA_RERUN, KC_DONE, 'r', 0, 0, 0, "r", "r re-run", \
	  "run the checks again", \
	  "When checks are done, run them again.") \
	X(KA_SAVE, KC_END, 's', 0, 0, 0, "s", "s save report", \
	  "save a report of the walk (asks for a file name)", \
	  "At the end, save a report of the walk; the file name's extension (.txt, .md, .json) picks the format.") \
	X(KA_COPY, KC_END | KC_PANEL, 'y', 0, 0, 0, "y", "y copy", \
	  "copy the summary (in a check's facts: its command) to the clipboard", \
	  "At the end, copy the summary of the walk to the clipboard; in a check's facts, copy the same check by hand, its command (secrets masked as on screen). The terminal does the copying (OSC 52): inside tmux, set-clipboard must be on (or allow-passthrough, for the terminal outside). The bottom line says how many bytes went.") \
	X(KA_SUBMIT, KC_FORM, '\n', '\r', KEY_ENTER, 0, "Enter", "Enter submit", \
	  "submit what you typed", \
	  "In a form, submit the values; a rejected value is kept, with the reason beside it.") \
	X(KA_FIELD_NEXT, KC_FORM, '\t', KEY_DOWN, 0, 0, "Tab, Down", "Tab next", \
	  "next field", \
	  "In a form, move to the next field.") \
	X(KA_FIELD_PREV, KC_FORM, KEY_BTAB, KEY_UP, 0, 0, "Shift-Tab, Up", NULL, \
	  "previous field", \
	  "In a form, move to the previous field.") \
	X(KA_FORM_BACK, KC_FORM, 27, 0, 0, 0, "Esc", "Esc back", \
	  "leave the form and go back one step", \
	  "In a form, leave it and go back one step.") \
	X(KA_BACK, KC_CMD, 'b', KEY_BACKSPACE, 127, 8, "b, Backspace", "b back", \
	  "go back one step", \
	  "Go back one step; what was answered there is undone, but a form gone back to shows the values typed in it.") \
	X(KA_RESTART, KC_INFO | KC_ASK | KC_STEPS | KC_END, 'r', 0, 0, 0, "r", "r restart", \
	  "start again from the beginning (asks first)", \
	  "Start again from the first step, after asking; variables keep their values.") \
	X(KA_HELP, KC_CMD | KC_RUN | KC_BRIEF, '?', KEY_F(1), 0, 0, "?, F1", "? help", \
	  "why this step, and these keys", \
	  "Show why this step is asked, and the keys of the screen.") \
	X(KA_FORM_HELP, KC_FORM, KEY_F(1), 0, 0, 0, "F1", "F1 help", \
	  "why this step, and these keys", \
	  "In a form, show why each value is asked, and the keys.") \
	X(KA_QUIT, KC_CMD | KC_RUN | KC_BRIEF, 'q', 0, 0, 0, "q", "q quit", \
	  "quit (asks first, except at the end)", \
	  "Quit, after asking (except at the end of a walk); the journal keeps the session for tshoot --resume.") \
	X(KA_NOTE, KC_CMD, 't', 0, 0, 0, "t", "t note", \
	  "add a note to the report (asks for one line)", \
	  "Add a note for the report: one line, kept in the journal with the time and the step, and listed under Operator notes; secret values are masked.") \
	X(KA_MAP, KC_CMD, 'm', 0, 0, 0, "m", "m map", \
	  "map: the steps so far, their answers, what is left", \
	  "Show the flow map, a panel: each step so far with what was answered there, the step you are on, and what is left: a shortest way on to an end, so at least that many steps (which way the walk goes depends on the answers and the checks). In training the way on is not shown: finding it is the exercise.") \
	X(KA_FORM_QUIT, KC_FORM, KEY_F(10), 0, 0, 0, "F10", "F10 quit", \
	  "quit (asks first)", \
	  "In a form, quit after asking.") \
	X(KA_PGUP, KC_ALL, KEY_PPAGE, 0, 0, 0, "PgUp", NULL, \
	  "scroll the text up a page", \
	  "Scroll the step's text (or the panel) up a page; in a checklist, the text and the steps together, the highlight kept in view.") \
	X(KA_PGDN, KC_ALL, KEY_NPAGE, 0, 0, 0, "PgDn", NULL, \
	  "scroll the text down a page", \
	  "Scroll the step's text (or the panel) down a page; in a checklist, the text and the steps together, the highlight kept in view.") \
	X(KA_CLOSE, KC_PANEL, 27, 'q', '\n', '\r', "Esc, q, Enter", "Esc close", \
	  "close this panel", \
	  "Close a help, facts or map panel.") \
	X(KA_REDRAW, KC_ALL, 12, 0, 0, 0, "Ctrl-L", NULL, \
	  "redraw the screen", \
	  "Redraw the whole screen.")

#endif
