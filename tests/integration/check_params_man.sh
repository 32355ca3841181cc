#!/bin/bash
# Each check kind's parameters are written once, in its table (checks/http.c, tls.c, ...):
# name, type, range, default, words. The CHECKS lists of tshoot-flow(5) must be what the
# tables say (tests/lib/check_params_man.c prints them), and each "check KIND" entry of
# tshoot(1) must name every option `tshoot check KIND` takes from its table.
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"

gen=$("$FIXTURES/check_params_man") || not_ok "check_params_man runs"
page=$(sed -n '/^\.\\" PARAMS [a-z]*:/,/^\.\\" PARAMS-END$/p' "$TOP/man/tshoot-flow.5")
if [ "$gen" = "$page" ]; then
	ok "man/tshoot-flow.5 CHECKS parameter lists match the kinds' tables"
else
	not_ok "man/tshoot-flow.5 CHECKS parameter lists match the kinds' tables (regenerate with $FIXTURES/check_params_man)"
	diff <(printf '%s\n' "$page") <(printf '%s\n' "$gen") | head -20 | sed 's/^/#   /'
fi
kinds=$("$TSHOOT" check --help | sed -n 's/^  \([a-z]*\)  .*/\1/p')
assert_eq "one list per kind tshoot check knows" "$(printf '%s\n' "$kinds" | wc -l)" \
	"$(printf '%s\n' "$page" | grep -c '^\.\\" PARAMS [a-z]*:')"
# the settled limits, as the page says them
assert_match "warn_days: 0 to 3650, default 30" "$page" '^\(warn when .*, from 0 to 3650; default 30\),$'
assert_match "follow: true or false" "$page" '^\(follow redirects .*: true or false; default false\),$'
assert_match "a log's timeout: default 120" "$page" '^\(give up after this many seconds, from 0\.001 to 3600; default 120\)\.$'

# tshoot(1): the options each "check KIND" entry names (from its .BI line to the next .TP)
entry_options() {
	awk -v k="$1" '/^\.BI "check [a-z]+ /{on = ($3 == k)} /^\.(TP|RE)/ && !/^\.BI/{if (on) exit} on' \
		"$TOP/man/tshoot.1" | sed 's/\\-/-/g' | grep -oE -- '--[a-z-]+' | sort -u
}
"$FIXTURES/check_params_man" options >"$T/options" || not_ok "check_params_man options runs"
for k in $kinds; do
	have=$(entry_options "$k")
	[ -n "$have" ] || not_ok "tshoot.1 has an entry for check $k"
	missing=""
	for o in $(sed -n "s/^$k //p" "$T/options"); do
		printf '%s\n' "$have" | grep -qx -- "$o" || missing="$missing $o"
	done
	assert_eq "tshoot.1 check $k names every option of its table" "" "$missing"
	# and --help shows the same options
	help=$("$TSHOOT" check "$k" --help)
	for o in $(sed -n "s/^$k //p" "$T/options"); do
		assert_match "check $k --help shows $o" "$help" "^  $o( |$)"
	done
done
done_testing
