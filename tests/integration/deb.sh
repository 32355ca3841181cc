#!/bin/bash
# deb.sh — make deb: the package builds, lintian finds no error in it, its Depends come
# from the libraries the binary links (and libcurl4, loaded on demand), and it installs
# into an empty root (dpkg --root), where the installed tshoot runs and lints the
# installed flows, then removes cleanly, leaving none of its files.
# tshoot-test: not-asan
source "$TOP/tests/lib.sh"

cd "$TOP" || exit 1
if ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
	skip "no dpkg-deb/dpkg-shlibdeps (make test-deps installs dpkg-dev)"
	done_testing
	exit 0
fi
rm -f tshoot_*.deb
out=$(make -s deb 2>&1); rc=$?
assert_eq "make deb: exit 0" 0 "$rc"
deb=$(ls tshoot_*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then ok "make deb: $deb"; else not_ok "make deb made no .deb"; printf '#   %s\n' "$out"; done_testing; exit 1; fi
mv "$deb" "$T/"
deb="$T/$(basename "$deb")"

info=$(dpkg-deb -I "$deb")
assert_match "control: the version" "$info" "Version: [0-9]+\.[0-9]+\.[0-9]+-1"
dep=$(sed -n 's/^ Depends: //p' <<<"$info")
for lib in libc6 libssl3 libyaml-0-2 libjson-c5 libncursesw6 libcurl4; do
	assert_contains "Depends names $lib" "$dep" "$lib"
done
files=$(dpkg-deb -c "$deb")
for f in ./usr/bin/tshoot ./usr/share/man/man1/tshoot.1.gz ./usr/share/man/man5/tshoot-flow.5.gz \
	./usr/share/bash-completion/completions/tshoot ./usr/share/tshoot/flows/sccm-sus-sync.yaml \
	./usr/share/doc/tshoot/copyright; do
	assert_contains "the package holds $f" "$files" "$f"
done

if command -v lintian >/dev/null; then
	l=$(lintian "$deb" 2>&1 | grep -v 'root privileges')
	if grep -q '^E: ' <<<"$l"; then not_ok "lintian: no errors"; sed 's/^/#   | /' <<<"$l"; else ok "lintian: no errors"; fi
else
	skip "lintian is not installed (make test-deps installs it)"
fi

# an empty root with an empty dpkg database; the libraries are the host's, so
# --force-depends (the root has no packages to depend on)
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
out=$(dpkg --root="$R" --force-depends --force-script-chrootless -i "$deb" 2>&1); rc=$?
assert_eq "dpkg -i into an empty root: exit 0" 0 "$rc"
v=$("$R/usr/bin/tshoot" --version 2>&1)
assert_match "the installed tshoot runs" "$v" "^tshoot [0-9]+\.[0-9]+\.[0-9]+"
out=$("$R/usr/bin/tshoot" lint "$R"/usr/share/tshoot/flows/*.yaml 2>&1); rc=$?
assert_eq "the installed tshoot lints the installed flows clean" 0 "$rc"
assert_match "lint: no errors" "$out" " 0 errors"
st=$(dpkg --root="$R" -s tshoot 2>&1)
assert_contains "dpkg knows it installed" "$st" "Status: install ok installed"
out=$(dpkg --root="$R" --force-depends --force-script-chrootless --purge tshoot 2>&1); rc=$?
assert_eq "dpkg --purge: exit 0" 0 "$rc"
left=$(find "$R/usr" -type f 2>/dev/null)
assert_eq "nothing of it is left under usr/" "" "$left"

done_testing
