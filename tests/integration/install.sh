#!/bin/bash
# `make install` puts what a user needs where a user looks: the binary, the bundled
# flows and training scenarios, and both man pages; the installed program runs.
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
pass "tshoot(1) is installed" test -f "$prefix/share/man/man1/tshoot.1"
pass "tshoot-flow(5) is installed" test -f "$prefix/share/man/man5/tshoot-flow.5"
# the installed flows lint clean where they landed (scenarios find their flow beside them)
out=$(cd "$T" && "$prefix/bin/tshoot" lint "$prefix/share/tshoot/flows/"*.yaml "$prefix/share/tshoot/flows/training/"*.yaml 2>&1)
assert_eq "installed flows and scenarios lint clean" 0 "$?"
assert_not_contains "no errors in the installed flows" "$out" "error:"
assert_eq "make uninstall removes it again" 0 "$(make -s -C "$TOP" uninstall DESTDIR="$dest" >/dev/null 2>&1; echo $?)"
pass "the binary is gone after uninstall" test ! -e "$prefix/bin/tshoot"
done_testing
