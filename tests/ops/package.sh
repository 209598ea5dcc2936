#!/bin/bash
# CI, once per run (not per build): builds the Debian package (scripts/build-deb.sh) and installs and starts it
# (tests/ops/deb-install.sh). Prints "ok package" or "FAIL package"; exit status likewise.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d /tmp/tafel-deb-out-XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! bash scripts/build-deb.sh "$out"; then
    echo "FAIL package (dpkg-buildpackage)"
    exit 1
fi
bash tests/ops/deb-install.sh "$out"/tafel_*_*.deb
rc=$?
if [ $rc -eq 0 ]; then echo "ok package"; elif [ $rc -eq 77 ]; then echo "skip package"; rc=0; else echo "FAIL package"; fi
exit $rc
