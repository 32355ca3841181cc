# tests/lib.sh — shared by the integration and TUI tests (bash). Source it first.
#
# Each test script prints one line per assertion: "ok - what" or "not ok - what"
# (tests/run.sh counts them) and exits non-zero if any failed. A case this machine
# cannot run (no squid, no namespaces) is "skip - why": counted and shown as skipped,
# never as passed, never dropped silently. Every server a test
# starts is registered with track_pid and stopped by its PID when the script exits.
# Only loopback addresses, every loop bounded.
#
# Environment from tests/run.sh: TSHOOT (the binary under test), FIXTURES (built
# tests/lib/*.c helpers), TOP (the source tree).

set -u
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TSHOOT=${TSHOOT:-$TOP/tshoot}
FIXTURES=${FIXTURES:-$TOP/build/fixtures}
T=$(mktemp -d "${TMPDIR:-/tmp}/tshoot-test.XXXXXX")
export XDG_STATE_HOME="$T/state" XDG_DATA_HOME="$T/data" HOME="${HOME:-$T}"
export LC_ALL=C.UTF-8 TZ=UTC
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy NO_PROXY no_proxy ALL_PROXY all_proxy
_failed=0
_count=0
_skipped=0
_pids=()

track_pid() { _pids+=("$1"); }

_cleanup() {
	local p
	for p in "${_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${_pids[@]}"; do
		# bounded wait, then insist
		local i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.02; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap _cleanup EXIT

ok()     { _count=$((_count + 1)); echo "ok - $*"; }
not_ok() { _count=$((_count + 1)); _failed=$((_failed + 1)); echo "not ok - $*"; }
# skip WHY: the cases this machine cannot run, and why (tests/run.sh counts them).
skip()   { _skipped=$((_skipped + 1)); echo "skip - $*"; }

# pass DESC CMD...: ok when CMD exits 0
pass() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d (command failed: $*)"; fi; }
# assert_eq DESC EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"; fi
}
# assert_contains DESC HAYSTACK NEEDLE (fixed string)
assert_contains() {
	if printf '%s' "$2" | grep -qF -- "$3"; then ok "$1"; else
		not_ok "$1"; printf '#   wanted: %s\n' "$3"; printf '%s\n' "$2" | head -40 | sed 's/^/#   | /'; fi
}
assert_not_contains() {
	if printf '%s' "$2" | grep -qF -- "$3"; then
		not_ok "$1"; printf '#   unwanted: %s\n' "$3"; printf '%s\n' "$2" | head -40 | sed 's/^/#   | /'; else ok "$1"; fi
}
# assert_match DESC HAYSTACK ERE
assert_match() {
	if printf '%s' "$2" | grep -qE -- "$3"; then ok "$1"; else
		not_ok "$1"; printf '#   wanted /%s/\n' "$3"; printf '%s\n' "$2" | head -40 | sed 's/^/#   | /'; fi
}
# assert_schema DESC SCHEMA JSON [--lines]: ok when the JSON text (one document, or one a
# line with --lines) is valid against schema/SCHEMA.schema.json (tests/lib/validate_json.py,
# python3-jsonschema): every JSON output a test looks at is checked against its schema.
assert_schema() {
	local d=$1 sc=$2 js=$3 res
	res=$(printf '%s' "$js" | python3 "$TOP/tests/lib/validate_json.py" "$sc" - ${4:-} 2>&1)
	if [ $? -eq 0 ]; then ok "$d"; else
		not_ok "$d"; printf '%s\n' "$res" | head -20 | sed 's/^/#   | /'; printf '%s\n' "$js" | head -5 | sed 's/^/#   > /'; fi
}

# shm_private CMD...: exec CMD (same PID) with a private, writable /dev/shm when this
# machine allows a mount namespace. squid keeps shared memory there, and a chroot or a
# container may give it a /dev/shm its own user cannot write. Use in a subshell:
#   ( shm_private squid -N -f conf ) >log 2>&1 &  track_pid $!
# (--propagation unchanged: in a chroot "/" is no mount point to make private; /dev is
# made private inside the new namespace first, so the tmpfs never shows outside it.)
shm_private() {
	if unshare -m --propagation unchanged true 2>/dev/null; then
		exec unshare -m --propagation unchanged sh -c '
			if mount --make-rprivate /dev 2>/dev/null; then
				mount -t tmpfs -o mode=1777,size=64m tmpfs /dev/shm 2>/dev/null
			fi
			exec "$@"' sh "$@"
	fi
	exec "$@"
}

# A TCP port on 127.0.0.1 that nothing listens on now.
# Below the kernel's ephemeral range (32768 and up by default): a port picked there
# could be taken by some client's outgoing connection before the server binds it. Never
# the same port twice in one script (several are picked before any server binds one):
# the ports given are kept in $T (free_port runs in a subshell).
free_port() {
	local i p
	for i in $(seq 1 200); do
		p=$((10000 + (RANDOM % 22000)))
		grep -qx "$p" "$T/.ports" 2>/dev/null && continue
		if ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p" >>"$T/.ports"
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_port PORT [TENTHS]: wait until something listens on 127.0.0.1:PORT (default 10 s).
wait_port() {
	local i=0 max=${2:-100}
	while [ $i -lt "$max" ]; do
		ss -Htln "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_file FILE TEXT: until FILE contains TEXT (10 s at most); 1 when it never did.
wait_file() {
	local i=0
	while [ $i -lt 100 ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# done_testing: the script's last line.
done_testing() {
	echo "# $(basename "$0"): $((_count - _failed)) passed, $_failed failed, $_skipped skipped"
	[ "$_failed" -eq 0 ]
	exit $?
}
