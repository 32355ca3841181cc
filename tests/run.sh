#!/bin/bash
# tests/run.sh — run the whole suite and print one closing line "N passed, N failed,
# N skipped" (a script's "skip - why" lines: cases this machine could not run, each
# listed with its reason).
#   --build DIR    the normal build (unit tests in DIR/tests, fixtures in DIR/fixtures)
#   --asan DIR     also run unit and integration tests against the ASan/UBSan build
#   --valgrind     also run the unit tests under valgrind (leaks, invalid reads)
#   --valgrind-only  only that
#   --only GLOB    only scripts/units whose name matches
set -u
cd "$(dirname "$0")/.." || exit 3
TOP=$(pwd)
build=build asan="" vg=0 vgonly=0 only="*"
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift ;;
	--asan) asan=$2; shift ;;
	--valgrind) vg=1 ;;
	--valgrind-only) vg=1 vgonly=1 ;;
	--only) only=$2; shift ;;
	*) echo "usage: tests/run.sh [--build DIR] [--asan DIR] [--valgrind] [--only GLOB]" >&2; exit 2 ;;
	esac
	shift
done
passed=0 failed=0 skipped=0 failures=() skips=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run_unit BIN LABEL: a Check binary; its summary line "NN%: Checks: N, Failures: F, Errors: E"
run_unit() {
	local bin=$1 label=$2 line c f e
	if [ "${VG:-0}" = 1 ]; then
		CK_FORK=no TSHOOT_TEST_SLACK=10 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$bin" >"$log" 2>&1
	else
		"$bin" >"$log" 2>&1
	fi
	local rc=$?
	line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -1)
	c=$(echo "$line" | sed -nE 's/.*Checks: ([0-9]+).*/\1/p')
	f=$(echo "$line" | sed -nE 's/.*Failures: ([0-9]+).*/\1/p')
	e=$(echo "$line" | sed -nE 's/.*Errors: ([0-9]+).*/\1/p')
	c=${c:-0} f=${f:-0} e=${e:-0}
	if [ $rc -ne 0 ] || [ -z "$line" ]; then
		[ $((f + e)) -eq 0 ] && { f=1; c=$((c + 1)); }
		failures+=("$label")
		sed 's/^/    /' "$log" | grep -vE '^    [0-9]+%: ' | head -60
	fi
	passed=$((passed + c - f - e)); failed=$((failed + f + e))
	printf '%-40s %s\n' "$label" "${line:-no summary (exit $rc)}"
}

# run_script FILE LABEL [ENV...]: a bash script printing "ok - ..." / "not ok - ..."
run_script() {
	local file=$1 label=$2; shift 2
	env "$@" TOP="$TOP" timeout 600 bash "$file" >"$log" 2>&1
	local rc=$? p f s line
	p=$(grep -c '^ok - ' "$log"); f=$(grep -c '^not ok - ' "$log"); s=$(grep -c '^skip - ' "$log")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$f" -ne 0 ]; then
		failures+=("$label")
		grep -E '^(not ok|#)' "$log" | head -80 | sed 's/^/    /'
		[ $rc -ne 0 ] && tail -5 "$log" | sed 's/^/    | /'
	fi
	while IFS= read -r line; do
		skips+=("$label: ${line#skip - }")
	done < <(grep '^skip - ' "$log")
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$s" -gt 0 ]; then
		printf '%-40s %d passed, %d failed, %d skipped\n' "$label" "$p" "$f" "$s"
	else
		printf '%-40s %d passed, %d failed\n' "$label" "$p" "$f"
	fi
}

units() { local dir=$1 tag=$2 b; for b in "$dir"/tests/test_*; do
	[ -x "$b" ] || continue; case $(basename "$b") in $only) ;; *) continue ;; esac
	run_unit "$b" "unit$tag $(basename "$b")"; done; }
# A script with a line "# tshoot-test: not-asan" tests what the sanitizers add nothing to
# (a package, an install, the man page against the tables, completion, a bundled flow's
# content against live servers: the engine and checks they use are run under ASan by the
# other scripts), so the sanitizer pass leaves it to the normal pass.
scripts() { local sub=$1 bin=$2 tag=$3 s; for s in tests/"$sub"/*.sh; do
	[ -f "$s" ] || continue; case $(basename "$s") in $only) ;; *) continue ;; esac
	[ -n "$tag" ] && grep -qx '# tshoot-test: not-asan' "$s" && continue
	run_script "$s" "$sub$tag $(basename "$s" .sh)" TSHOOT="$bin" FIXTURES="$TOP/$build/fixtures"; done; }

# The sanitizer passes (ASan/UBSan build, valgrind) share nothing with the normal pass
# but the machine: they run beside it, in the background, their lines kept in a file
# and printed after the normal pass's, their counts added to its. On a 2-core machine
# this nearly halves the suite's wall time. Each test script still runs alone in its
# pass; scripts take their ports from free_port and servers they started are theirs.
sanitizers() {
	if [ $vgonly = 0 ] && [ -n "$asan" ]; then
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		# the unit tests' bounds that guard against a quadratic slip (slack_ms in
		# testutil.h) allow for the sanitizers' cost and the normal pass beside them
		TSHOOT_TEST_SLACK=${TSHOOT_TEST_SLACK:-4} units "$asan" " (asan)"
		scripts integration "$TOP/$asan/tshoot" " (asan)"
		unset ASAN_OPTIONS UBSAN_OPTIONS
	fi
	if [ $vg = 1 ]; then
		VG=1 units "$build" " (valgrind)"
	fi
}
side=""
if [ $vgonly = 0 ] && { [ -n "$asan" ] || [ $vg = 1 ]; }; then
	side=$(mktemp -d)
	trap 'rm -f "$log"; rm -rf "$side"' EXIT
	(
		log=$(mktemp)
		sanitizers >"$side/out" 2>&1
		rm -f "$log"
		declare -p passed failed skipped failures skips >"$side/counts"
	) &
	side_pid=$!
fi
if [ $vgonly = 0 ]; then
	units "$build" ""
	scripts integration "$TOP/$build/tshoot" ""
	scripts tui "$TOP/$build/tshoot" ""
else
	sanitizers
fi
if [ -n "$side" ]; then
	wait "$side_pid"
	cat "$side/out"
	m_passed=$passed m_failed=$failed m_skipped=$skipped
	m_failures=("${failures[@]}") m_skips=("${skips[@]}")
	if [ -s "$side/counts" ]; then
		source "$side/counts"
	else
		passed=0 failed=1 skipped=0 failures=("sanitizer passes (no summary)") skips=()
	fi
	passed=$((passed + m_passed)) failed=$((failed + m_failed)) skipped=$((skipped + m_skipped))
	failures=("${m_failures[@]}" "${failures[@]}") skips=("${m_skips[@]}" "${skips[@]}")
fi
echo
[ ${#skips[@]} -gt 0 ] && printf 'skipped: %s\n' "${skips[@]}"
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
