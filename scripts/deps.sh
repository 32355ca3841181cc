#!/bin/sh
# Install the Debian packages tshoot needs to build, run and test, when missing.
# Usage: scripts/deps.sh [build|test|deb]   (default: build)
# Runs apt-get only when a package is missing; needs root (or sudo) for that.
set -eu
build_pkgs="gcc libc6-dev make pkg-config libncurses-dev libcurl4-openssl-dev libssl-dev libyaml-dev libjson-c-dev"
deb_pkgs="dpkg-dev fakeroot lintian"
test_pkgs="$deb_pkgs check man-db libsubunit-dev tmux openssl nginx-light squid apache2-utils graphviz valgrind curl ca-certificates procps iproute2 locales jq time strace python3 python3-jsonschema cmark"

want="$build_pkgs"
[ "${1:-build}" = test ] && want="$build_pkgs $test_pkgs"
[ "${1:-build}" = deb ] && want="$build_pkgs $deb_pkgs"

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps: need root to install:$missing" >&2; exit 1; }
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# An old or empty package list finds nothing: refresh it once.
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Packaged daemons may start themselves on install; the tests start their own.
for d in nginx squid; do
	pkill -x "$d" 2>/dev/null || true
done
