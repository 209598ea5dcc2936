#!/bin/bash
# Builds the Debian package from this repository (dpkg-buildpackage with debhelper and meson) in a scratch copy.
#   scripts/build-deb.sh [OUTDIR]      the .deb ends up in OUTDIR (default build-deb/)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-build-deb}")
mkdir -p "$OUT"
W=$(mktemp -d /tmp/tafel-deb-XXXXXX)
trap 'rm -rf "$W"' EXIT

# The working tree's files (tracked and new, not ignored): no build directories.
mkdir "$W/tafel"
git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
        [ -e "$f" ] && cp --parents -P -- "$f" "$W/tafel/"
    done
(cd "$W/tafel" && nice dpkg-buildpackage -us -uc -b >"$W/build.log" 2>&1) || {
    tail -40 "$W/build.log" >&2
    echo "dpkg-buildpackage failed" >&2
    exit 1
}
cp "$W"/*.deb "$OUT/"
ls "$OUT"/*.deb
