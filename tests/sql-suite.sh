#!/bin/bash
# Runs the SQL tests (tests/sql/) against a freshly migrated embedded cluster started by tafeld.
# Usage: sql-suite.sh TAFELD TAFELCTL
set -uo pipefail
tafeld=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/tafel-sqltest-XXXXXX)
log=$dir.log
user=${TAFEL_TEST_USER:-tafel}
if [ "$(id -u)" -eq 0 ] && ! getent passwd "$user" >/dev/null; then
    echo "SKIP: needs the service user $user"; exit 77
fi
"$tafeld" --config /dev/null --data-dir "$dir" --listen 127.0.0.1:0 --set user="$user" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -rf "$dir" "$log"; }
trap cleanup EXIT
for _ in $(seq 1 600); do
    grep -q "listening on" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
done
conn="host=$dir/pg/run port=5432 dbname=tafel"
if [ "$(id -u)" -eq 0 ]; then
    # The service user may not be able to read the source tree (e.g. under /root).
    copy=$(mktemp -d /tmp/tafel-sqlsrc-XXXXXX)
    cp -r "$here/run-sql-tests.sh" "$here/sql" "$copy/"
    chmod -R a+rX "$copy"
    su "$user" -s /bin/bash -c "cd /tmp && bash '$copy/run-sql-tests.sh' '$conn'"
    rc=$?
    rm -rf "$copy"
    exit $rc
else
    bash "$here/run-sql-tests.sh" "$conn"
fi
