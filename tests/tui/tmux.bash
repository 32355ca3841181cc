# tests/tui/tmux.bash — drive the real tshoot binary inside a private tmux server.
# Source it after tests/lib.sh (it is not a test itself: tests/run.sh runs *.sh only).
#
#   tui_start [VAR=VALUE...] -- ARGS...   run "$TSHOOT ARGS" in an 80x24 pane, with the
#                                         environment given (LC_ALL, TERM, NO_COLOR ...);
#                                         when it exits the pane shows "EXITED <status>"
#   screen                                the pane's text now (screen_all: with history)
#   wait_for TEXT [TENTHS]                poll until TEXT (fixed string) is on screen
#                                         (default 5 s); 1 when it never came
#   wait_gone TEXT [TENTHS]               poll until TEXT has left the screen
#   wait_row ROW TEXT [TENTHS]            poll until screen row ROW (1 the top, -1 the
#                                         bottom) holds TEXT: a new layout's footer
#   wait_re ERE [TENTHS]                  poll until the screen matches ERE
#   check_screen / check_row / check_re / check_gone DESC ...
#                                         the same as assertions (ok / not ok)
#
# Waiting is the rule: after a key or a resize, assert only on a state that the key or
# resize brings about (new text, the footer on the new last row, a regex that only the
# new state matches), never on text that was already on screen before it.
#   keys KEY...                           tmux send-keys (key names: Enter, Escape ...)
#   type_text TEXT                        send TEXT literally
#   tui_pid                               the PID of tshoot in the pane
#   resize COLS ROWS                      resize the window (tshoot sees SIGWINCH)
#   alt_screen                            1 while the pane is on the alternate screen
#
# The server has its own socket under $T and is killed when the script exits.

TM_SOCK="$T/tmux.sock"
# No status line (the pane is the whole 80x24), and a pane whose program has exited
# stays, so its last words can be read.
printf 'set -g status off\nset -g remain-on-exit on\n' >"$T/tmux.conf"
tm() { tmux -S "$TM_SOCK" -f "$T/tmux.conf" "$@"; }

# Prefer tmux's own terminal description; xterm-256color where it is missing.
if infocmp tmux-256color >/dev/null 2>&1; then TUI_TERM=tmux-256color; else TUI_TERM=xterm-256color; fi

_tui_cleanup() {
	tm kill-server >/dev/null 2>&1
	_cleanup
}
trap _tui_cleanup EXIT

tui_start() {
	local envs=() q
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	tm kill-server >/dev/null 2>&1
	# A client that reaches a server still on its way out gets "server exited
	# unexpectedly": wait for it to go (bounded), and start afresh on a new socket file.
	local j=0
	while tm has-session 2>/dev/null && [ $j -lt 50 ]; do sleep 0.05; j=$((j + 1)); done
	rm -f "$TM_SOCK"
	rm -f "$T/tshoot.pid"
	# The runner records tshoot's own PID (exec keeps it) and reports how it ended.
	{
		echo 'cd "$1" || exit 1; shift; ulimit -c 0'
		printf 'env TERM=%q LC_ALL=C.UTF-8 XDG_STATE_HOME=%q ' "$TUI_TERM" "$T/state"
		for q in "${envs[@]}"; do printf '%q ' "$q"; done
		printf 'sh -c %q %q ' 'echo $$ > "$0"; exec "$@"' "$T/tshoot.pid"
		printf '%q ' "$TSHOOT" "$@"
		echo
		echo 'echo "EXITED $?"'
	} >"$T/run.bash"
	local k=0
	until tm new-session -d -s t -x 80 -y 24 "bash $T/run.bash $T" 2>/dev/null || [ $k -ge 3 ]; do
		sleep 0.2
		rm -f "$TM_SOCK"
		k=$((k + 1))
	done
	local i=0
	while [ ! -s "$T/tshoot.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

screen() { tm capture-pane -p -t t 2>/dev/null; }
# With the history: after tshoot exits, tmux's "Pane is dead" line can scroll the
# first lines printed on the normal screen into it.
screen_all() { tm capture-pane -p -S - -t t 2>/dev/null; }
screen_esc() { tm capture-pane -e -p -t t 2>/dev/null; }

wait_for() {
	local i=0 max=${2:-50}
	while [ $i -lt "$max" ]; do
		screen_all | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

wait_gone() {
	local i=0 max=${2:-50}
	while [ $i -lt "$max" ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# row_text ROW: one row of the screen (1 the top, -1 the bottom).
row_text() {
	local scr n
	scr=$(screen)
	n=$(printf '%s\n' "$scr" | wc -l)
	if [ "$1" -lt 0 ]; then
		# capture-pane drops trailing blank rows: count from the pane's real height
		n=$(tm display-message -p -t t '#{pane_height}' 2>/dev/null)
		printf '%s\n' "$scr" | sed -n "$((n + 1 + $1))p"
	else
		printf '%s\n' "$scr" | sed -n "$1p"
	fi
}

wait_row() {
	local i=0 max=${3:-50}
	while [ $i -lt "$max" ]; do
		row_text "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

wait_re() {
	local i=0 max=${2:-50}
	while [ $i -lt "$max" ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

keys() { tm send-keys -t t "$@"; }
type_text() { tm send-keys -t t -l -- "$1"; }
tui_pid() { cat "$T/tshoot.pid" 2>/dev/null; }
resize() { tm resize-window -t t -x "$1" -y "$2"; }
alt_screen() { tm display-message -p -t t '#{alternate_on}'; }

# check_screen DESC TEXT [TENTHS]: ok when TEXT shows up in time, else not ok with the screen.
check_screen() {
	if wait_for "$2" "${3:-50}"; then ok "$1"; else
		not_ok "$1"; printf '#   wanted on screen: %s\n' "$2"; screen_all | sed 's/^/#   | /'; fi
}

# check_row DESC ROW TEXT [TENTHS]: ok when row ROW holds TEXT in time.
check_row() {
	if wait_row "$2" "$3" "${4:-50}"; then ok "$1"; else
		not_ok "$1"; printf '#   wanted on row %s: %s\n' "$2" "$3"; screen | sed 's/^/#   | /'; fi
}

# check_re DESC ERE [TENTHS]: ok when the screen matches ERE in time.
check_re() {
	if wait_re "$2" "${3:-50}"; then ok "$1"; else
		not_ok "$1"; printf '#   wanted on screen: /%s/\n' "$2"; screen | sed 's/^/#   | /'; fi
}

# check_gone DESC TEXT [TENTHS]: ok when TEXT has left the screen in time.
check_gone() {
	if wait_gone "$2" "${3:-50}"; then ok "$1"; else
		not_ok "$1"; printf '#   still on screen: %s\n' "$2"; screen | sed 's/^/#   | /'; fi
}

# paste_text TEXT: paste TEXT as a terminal does: between bracketed-paste markers when
# the program asked for them (mode 2004), its bytes unchanged (-r: no LF -> CR).
paste_text() {
	printf '%s' "$1" >"$T/paste.buf"
	tm load-buffer -b tshoot-paste "$T/paste.buf" && tm paste-buffer -d -p -r -b tshoot-paste -t t
}
