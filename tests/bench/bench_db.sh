#!/bin/bash
# The database side of push and join costs: a throw-away tafeld (embedded cluster) with the demo data and the fixture
# of db_fixture.sql (a meeting with 50 agenda items and 500 action points), then bench_db.sql: server-side p50/p99/max
# milliseconds of tafel_snapshot and of tafel_events_for for 1, 10 and 100 viewers.
#
#   tests/bench/bench_db.sh [BUILD-DIR] [RUNS] [FILE.sql...]     (default build, 50 runs; run as root or as the service user)
#
# FILE.sql: function files loaded (psql -f) after the start and before the fixture, e.g. older versions to measure the
# "before": git show 5e58317:sql/functions/40_render.sql > /tmp/40.sql (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
runs=${2:-50}
shift $(( $# > 2 ? 2 : $# ))
tafeld=$build/server/tafeld
ctl=$build/server/tafelctl
user=${TAFEL_TEST_USER:-tafel}

dir=$(mktemp -d /tmp/tafel-benchdb-XXXXXX)
src=$(mktemp -d /tmp/tafel-benchdb-src-XXXXXX)
cp tests/bench/db_fixture.sql tests/bench/bench_db.sql "$src/"
for f in "$@"; do cp "$f" "$src/pre-$(basename "$f")"; done
chmod -R a+rX "$src"
as_user=()
if [ "$(id -u)" = 0 ]; then
	chown "$user" "$dir"
	as_user=(runuser -u "$user" --)
fi
"$tafeld" --config /dev/null --data-dir "$dir" --listen 127.0.0.1:0 --set user="$user" >"$dir.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir" "$dir.log" "$src"' EXIT
for _ in $(seq 300); do
	grep -q "listening on" "$dir.log" && break
	kill -0 $pid 2>/dev/null || { cat "$dir.log" >&2; exit 1; }
	sleep 0.2
done
"$ctl" --config /dev/null --data-dir "$dir" demo-data >/dev/null
psql() { (cd /tmp && "${as_user[@]}" psql -X -q -h "$dir/pg/run" -p 5432 -d tafel -v ON_ERROR_STOP=1 "$@"); }
for f in "$src"/pre-*; do
	[ -e "$f" ] && psql -f "$f" >/dev/null
done
psql -f "$src/db_fixture.sql" >/dev/null
psql -v runs="$runs" -f "$src/bench_db.sql" | sed -n "/classes_of_/,+2p;/^ *what /,\$p"
