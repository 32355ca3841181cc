#!/bin/bash
# completion.sh — bash completion (completion/tshoot.bash) as bash calls it: the script
# is sourced, COMP_WORDS/COMP_CWORD set as for a line typed so far, _tshoot called, and
# COMPREPLY read: commands, walk options, flow ids, node ids and variable names of the
# named flow (sub-flows' as CALL/NAME), check kinds and each kind's options.
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"

source "$TOP/completion/tshoot.bash"
# comp WORD...: complete the last word of "tshoot WORD..." (the last may be ""); the
# candidates, one a line.
comp() {
	COMP_WORDS=("$TSHOOT" "$@")
	COMP_CWORD=$(($# ))
	COMPREPLY=()
	_tshoot 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}"
}
has() { grep -qx -- "$2" <<<"$1"; }
want() { if has "$2" "$3"; then ok "$1"; else not_ok "$1"; printf '#   wanted %s among:\n' "$3"; sed 's/^/#   | /' <<<"$2" | head -20; fi; }
want_not() { if has "$2" "$3"; then not_ok "$1"; else ok "$1"; fi; }

cd "$TOP" || exit 1
c=$(comp "")
want "commands: check" "$c" check
want "commands: lint" "$c" lint
want "flow ids at the first word" "$c" sccm-sus-sync
c=$(comp l)
want "a prefix: lint" "$c" lint
want "a prefix: list" "$c" list
want_not "a prefix: nothing else" "$c" check
c=$(comp --an)
want "walk options from tshoot --help" "$c" --answers
c=$(comp --plain --sc)
want "options after options" "$c" --scenario
c=$(comp tests/flows/sub/caller.yaml --node "")
want "--node: the flow's nodes" "$c" ask
want "--node: a sub-flow's node as CALL/NODE" "$c" web/probe
want_not "--node: no returns (never a place to start)" "$c" web/open
c=$(comp tests/flows/sub/caller.yaml --set we)
want "--set: the flow's variables, with =" "$c" web_port=
want "--set: a sub-flow's variable as CALL/VAR" "$c" web/port=
c=$(comp check "")
want "check: the kinds from tshoot check --help" "$c" tls
want "check: every kind" "$c" dns
c=$(comp check tls wsus01:8531 --w)
want "check tls: its options from tshoot check tls --help" "$c" --warn-days
c=$(comp check http http://x --ex)
want "check http: --expect" "$c" --expect
c=$(comp check tcp host --ex)
want_not "check tcp: no --expect (not its option)" "$c" --expect
c=$(comp lint "")
want "lint: flow ids" "$c" web-reachability
want "commands: sweep" "$(comp "")" sweep
want "commands: stats" "$(comp "")" stats
c=$(comp graph --he)
want "graph: --heat from tshoot graph --help" "$c" --heat
c=$(comp sweep --ta)
want "sweep: --targets" "$c" --targets
c=$(comp stats --s)
want "stats: --since" "$c" --since
c=$(comp check cert x.pfx --pa)
want "check cert: --password-env" "$c" --password-env
c=$(comp --format "")
want "--format: its values" "$c" json

# the installed place: make install puts it where bash-completion looks
out=$(make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr 2>&1)
if [ -f "$T/root/usr/share/bash-completion/completions/tshoot" ]; then ok "make install: share/bash-completion/completions/tshoot"
else not_ok "make install: share/bash-completion/completions/tshoot"; printf '#   %s\n' "$out"; fi

done_testing
