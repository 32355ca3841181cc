#!/bin/sh
# Install the Debian packages tshoot needs to build, run and test, when missing.
# Usage: scripts/deps.sh [build|test|deb]   (default: build)
# Runs apt-get only when a package is missing; needs root (or sudo) for that.
set -eu
build_pkgs="gcc libc6-dev make pkg-config libncurses-dev libcurl4-openssl-dev libssl-dev libyaml-dev libjson-c-dev"
deb_pkgs="dpkg-dev fakeroot lintian"
test_pkgs="$deb_pkgs check man-db libsubunit-dev tmux openssl nginx-light squid apache2-utils graphviz valgrind curl ca-certificates procps iproute2 locales jq time strace python3 python3-jsonschema cmark"

# Only for tests/integration/ansible.sh (contrib/ansible): Debian's ansible-core (the
# ansible-playbook command and its builtin modules; the "ansible" package adds hundreds of
# collections the playbook does not use). When it cannot be installed, that test is
# skipped and counted, and nothing else depends on it.
optional_test_pkgs="ansible-core"

want="$build_pkgs"
[ "${1:-build}" = test ] && want="$build_pkgs $test_pkgs"
[ "${1:-build}" = deb ] && want="$build_pkgs $deb_pkgs"

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
optional=""
if [ "${1:-build}" = test ]; then
	for p in $optional_test_pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || optional="$optional $p"
	done
fi
[ -z "$missing$optional" ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		[ -z "$missing" ] && { echo "deps: cannot install$optional (no root); its tests are skipped" >&2; exit 0; }
		echo "deps: need root to install:$missing" >&2
		exit 1
	fi
	SUDO="sudo"
fi
echo "deps: installing:$missing$optional" >&2
export DEBIAN_FRONTEND=noninteractive
# An old or empty package list finds nothing: refresh it once.
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
[ -z "$missing" ] || $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# shellcheck disable=SC2086
[ -z "$optional" ] || $SUDO apt-get install -y -qq --no-install-recommends $optional >/dev/null ||
	echo "deps: could not install$optional; the tests that need it are skipped" >&2
# Packaged daemons may start themselves on install; the tests start their own.
for d in nginx squid; do
	pkill -x "$d" 2>/dev/null || true
done
