#!/bin/sh
# Build tshoot_VERSION_ARCH.deb (make deb): a staged `make install-data DESTDIR=...
# PREFIX=/usr`, the binary given (built for PREFIX=/usr), stripped, the Debian files
# policy asks for (copyright, a compressed changelog, compressed man pages), and
# DEBIAN/control with Depends computed by dpkg-shlibdeps from the libraries the binary
# links, plus libcurl4, which tshoot loads on demand (dlopen) for http and proxy checks.
# Usage: scripts/mkdeb.sh VERSION BINARY   (writes ./tshoot_VERSION_ARCH.deb)
set -eu
version=$1
bin=$2
top=$(pwd)
arch=$(dpkg --print-architecture)
deb="$top/tshoot_${version}_${arch}.deb"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/root"

# (a make of its own: not a job of the make that runs this script)
env -u MAKEFLAGS -u MFLAGS make -s --no-print-directory install-data DESTDIR="$stage" PREFIX=/usr
install -d "$stage/usr/bin" "$stage/usr/share/doc/tshoot" "$stage/DEBIAN"
install -m 755 "$bin" "$stage/usr/bin/tshoot"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$stage/usr/bin/tshoot"
gzip -9n "$stage"/usr/share/man/man1/tshoot.1 "$stage"/usr/share/man/man5/tshoot-flow.5

cat >"$stage/usr/share/doc/tshoot/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tshoot
Source: https://github.com/tshoot/tshoot

Files: *
Copyright: $(date -u +%Y) The tshoot authors
License: MIT

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of
 this software and associated documentation files (the "Software"), to deal in
 the Software without restriction, including without limitation the rights to
 use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
 the Software, and to permit persons to whom the Software is furnished to do so,
 subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all
 copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
 FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
 COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN
 AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
 WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF
# The date of the last commit when there is one, so the same tree builds the same file.
when=$(git log -1 --format=%cD 2>/dev/null || date -uR)
cat >"$work/changelog" <<EOF
tshoot ($version) unstable; urgency=medium

  * Release $version; see the README for what it does.

 -- tshoot maintainers <tshoot@example.org>  $when
EOF
gzip -9n -c "$work/changelog" >"$stage/usr/share/doc/tshoot/changelog.Debian.gz"

# Depends: dpkg-shlibdeps wants a debian/control to read; a minimal one in $work.
mkdir -p "$work/src/debian"
printf 'Source: tshoot\n\nPackage: tshoot\nArchitecture: any\n' >"$work/src/debian/control"
deps=$(cd "$work/src" && dpkg-shlibdeps -O -e"$stage/usr/bin/tshoot" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
curl=$(dpkg-query -W -f='${Version}' libcurl4 2>/dev/null | sed 's/-[^-]*$//')
deps="$deps, libcurl4${curl:+ (>= $curl)}"
size=$(du -sk "$stage/usr" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: tshoot
Version: $version
Architecture: $arch
Maintainer: tshoot maintainers <tshoot@example.org>
Installed-Size: $size
Depends: $deps
Recommends: graphviz
Section: admin
Priority: optional
Homepage: https://github.com/tshoot/tshoot
Description: interactive troubleshooting wizard for the terminal
 tshoot walks an operator through a decision tree of questions and live
 checks (HTTP, TLS certificates, proxies, TCP, DNS, log files), branching
 on what it measures, in a full-screen or a plain line mode. It keeps a
 session journal that can be resumed, writes ticket-ready reports, replays
 answers files and runs training scenarios.
 .
 It ships flows for Configuration Manager software update synchronization
 and client scans, WSUS synchronization after TLS changes, apt-get update
 failures and web site reachability, with training scenarios; teams write
 flows for their own systems (see tshoot-flow(5)). It also runs one check
 as a monitoring plugin, sweeps a check or a flow over many targets, and
 summarises recorded walks.
EOF
(cd "$stage" && find usr -type f -exec md5sum {} + | sort -k2) >"$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"
find "$stage" -type d -exec chmod 755 {} +
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
