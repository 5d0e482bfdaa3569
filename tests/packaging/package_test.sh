#!/usr/bin/env bash
# Builds the Debian packages from a build tree, unpacks them into a temporary root and checks that the
# CLI runs from there (version and one call against agentrail-mock, also from the package), that the man
# page, completions and docs are where Debian expects them, and prints each package's Depends line and
# lintian's verdict (when lintian is installed; tags explained in packaging/debian/lintian-notes.md).
#   package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.sh"

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
root=$work/root
for pkg in agentrail libagentrail0 libagentrail-dev agentrail-mock; do
  deb=$(ls "$work/out/${pkg}_${version}_"*.deb 2>/dev/null | head -n1)
  [ -n "$deb" ] || fail "no package $pkg (have: $(ls "$work/out"))"
  depends=$(dpkg-deb -f "$deb" Depends || true)
  section=$(dpkg-deb -f "$deb" Section)
  echo "     $pkg: Section: $section; Depends: $depends"
  dpkg-deb -x "$deb" "$root"
  [ -f "$root/usr/share/doc/$pkg/copyright" ] || fail "$pkg has no copyright file"
  ok "package $pkg"
done
grep -q "libagentrail0 (= $version)" <<<"$(dpkg-deb -f "$work/out/libagentrail-dev_${version}_"*.deb Depends)" ||
  fail "libagentrail-dev does not depend on libagentrail0 (= $version)"
grep -q "libcurl4" <<<"$(dpkg-deb -f "$work/out/libagentrail0_${version}_"*.deb Depends)" ||
  fail "libagentrail0's Depends (from dpkg-shlibdeps) lack libcurl4"
grep -q "libcurl4" <<<"$(dpkg-deb -f "$work/out/agentrail_${version}_"*.deb Depends)" ||
  fail "agentrail's Depends lack libcurl4 (opened with dlopen(), invisible to dpkg-shlibdeps)"
ok "Depends computed by dpkg-shlibdeps and between the packages"

for f in usr/bin/agentrail usr/bin/agentrail-mock usr/share/man/man1/agentrail.1.gz \
         usr/share/bash-completion/completions/agentrail usr/share/zsh/vendor-completions/_agentrail \
         usr/share/fish/vendor_completions.d/agentrail.fish usr/share/doc/agentrail/README.md \
         usr/share/doc/agentrail/commands.md usr/include/agentrail/client.hpp \
         ; do
  [ -e "$root/$f" ] || fail "missing /$f"
done
for f in 'libagentrail.so.0' 'libagentrail.a' 'agentrail.pc' 'agentrail-static.pc' 'agentrailConfig.cmake'; do
  [ -n "$(find "$root/usr/lib" -name "$f" -print -quit)" ] || fail "missing $f under /usr/lib"
done
ok "files in Debian's places (man page, completions, docs, headers, libraries, CMake and pkg-config files)"
grep -q '^\.SH EXAMPLES' <<<"$(zcat "$root/usr/share/man/man1/agentrail.1.gz")" || fail "man page has no EXAMPLES"
ok "man page is compressed and has EXAMPLES"

grep -q "$version" <<<"$("$root/usr/bin/agentrail" --version)" || fail "agentrail --version does not print $version"
start_mock "$root/usr/bin/agentrail-mock"
HOME=$work \
  "$root/usr/bin/agentrail" tasks list -o json >"$work/tasks.json" || fail "agentrail tasks list from the package"
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) > 0' "$work/tasks.json" ||
  fail "no tasks from the packaged CLI"
ok "the packaged CLI runs (--version, tasks list against the packaged agentrail-mock)"

if command -v lintian >/dev/null; then
  lintian --no-tag-display-limit "$work"/out/*.deb >"$work/lintian.txt" 2>&1 || true
  sed 's/^/     /' "$work/lintian.txt"
  # Errors fail the test unless packaging/debian/lintian-notes.md explains the tag.
  while read -r tag; do
    grep -q "^- \`$tag\`" "$src/packaging/debian/lintian-notes.md" || fail "unexplained lintian error: $tag"
  done < <(awk '/^E: / {print $3}' "$work/lintian.txt" | sort -u)
  ok "lintian: no unexplained errors"
fi
echo "$passed passed, 0 failed"
