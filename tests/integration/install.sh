#!/bin/bash
# `make install` puts what a user needs where a user looks: the binary, the bundled
# flows, their shared sub-flows (flows/lib) and training scenarios, and both man pages;
# the installed program runs, and an installed flow finds the sub-flows it calls.
# tshoot-test: not-asan
source "$(dirname "$0")/../lib.sh"

build=$(basename "$(dirname "$TSHOOT")")
if [ "$build" != build ]; then
	# the install target copies build/tshoot: checked once, in the normal pass
	echo "# install is checked against the normal build only"
	done_testing
fi
dest=$T/dest
out=$(make -s -C "$TOP" install DESTDIR="$dest" 2>&1)
assert_eq "make install DESTDIR=... succeeds" 0 "$?"
prefix=$dest/usr/local
pass "the binary is installed and executable" test -x "$prefix/bin/tshoot"
assert_match "the installed binary runs" "$("$prefix/bin/tshoot" --version 2>&1)" '^tshoot [0-9]+\.[0-9]+\.[0-9]+'
pass "the bundled flow is installed" test -f "$prefix/share/tshoot/flows/sccm-sus-sync.yaml"
n=$(ls "$prefix/share/tshoot/flows/training/"*.yaml 2>/dev/null | wc -l)
assert_eq "every training scenario is installed" "$(ls "$TOP/flows/training/"*.yaml | wc -l)" "$n"
n=$(ls "$prefix/share/tshoot/flows/lib/"*.yaml 2>/dev/null | wc -l)
assert_eq "every shared sub-flow is installed in flows/lib" "$(ls "$TOP/flows/lib/"*.yaml | wc -l)" "$n"
# an installed flow calling lib/... finds the installed sub-flow beside it: the walk
# goes into the call (its first check) and comes back to the caller's fix
out=$(cd "$T" && printf '%s\n' '' 127.0.0.1 1 1 'not fixed' |
	"$prefix/bin/tshoot" --plain --no-journal "$prefix/share/tshoot/flows/web-reachability.yaml" 2>&1)
assert_contains "installed web-reachability calls the installed lib/web-service.yaml" "$out" \
	"== Is a web site reachable? > Reach the web site"
assert_contains "the installed sub-flow's return is routed by the caller" "$out" "Nothing listens on the port"
out=$(cd "$T" && XDG_DATA_HOME="$prefix/share" "$prefix/bin/tshoot" list 2>&1)
assert_contains "tshoot list finds the installed flows" "$out" "web-reachability"
assert_not_contains "tshoot list does not list the sub-flows of flows/lib" "$out" "flows/lib/"
pass "tshoot(1) is installed" test -f "$prefix/share/man/man1/tshoot.1"
pass "tshoot-flow(5) is installed" test -f "$prefix/share/man/man5/tshoot-flow.5"
n=$(ls "$prefix/share/tshoot/schema/"*.schema.json 2>/dev/null | wc -l)
assert_eq "every JSON Schema is installed under share/tshoot/schema (sweep's too)" "$(ls "$TOP/schema/"*.schema.json | wc -l)" "$n"
pass "the sweep lines' schema is installed" test -f "$prefix/share/tshoot/schema/tshoot-sweep.schema.json"
# the installed flows lint clean where they landed (scenarios find their flow beside them)
out=$(cd "$T" && "$prefix/bin/tshoot" lint "$prefix/share/tshoot/flows/"*.yaml "$prefix/share/tshoot/flows/lib/"*.yaml \
	"$prefix/share/tshoot/flows/training/"*.yaml 2>&1)
assert_eq "installed flows and scenarios lint clean" 0 "$?"
assert_not_contains "no errors in the installed flows" "$out" "error:"
assert_eq "make uninstall removes it again" 0 "$(make -s -C "$TOP" uninstall DESTDIR="$dest" >/dev/null 2>&1; echo $?)"
pass "the binary is gone after uninstall" test ! -e "$prefix/bin/tshoot"
done_testing
