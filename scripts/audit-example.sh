#!/bin/bash
# Reproduces the `tafelctl audit case` example of docs/admin.md: a throw-away tafeld with demo data, a few reads by batch clients, then the audit.
#
#   scripts/audit-example.sh [BUILD-DIR]     (default build; run as root or as the service user)
#
# The chair lists the cases, the police subscribes to today's WZT, the chair
# opens it, subscribes and makes case 2026-0001 current (an event for both;
# the chair waits for its own), and the police looks the case up.  Prints
# `tafelctl audit case 2026-0001`.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tafeld=$build/server/tafeld
ctl=$build/server/tafelctl
tafel=$build/client/tafel

dir=$(mktemp -d)
[ "$(id -u)" = 0 ] && chown tafel "$dir"
"$tafeld" --config /dev/null --data-dir "$dir" --listen 127.0.0.1:0 2>"$dir.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir" "$dir.log"' EXIT
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir.log" | head -1)
	[ -n "$port" ] && break
	sleep 0.2
done
[ -n "$port" ] || { cat "$dir.log" >&2; exit 1; }
"$ctl" --config /dev/null --data-dir "$dir" demo-data >/dev/null

batch() {	# USER, commands on stdin
	TAFEL_PASSWORD=demo "$tafel" --batch --server "127.0.0.1:$port" \
	    --user "$1" --ca "$dir/tls/ca.crt" >/dev/null
}
# Demo data: meeting 1 is today's WZT (version 1), agenda item 4 is case
# 2026-0001 (case id 1).
printf 'cases\nquit\n' | batch voorzitter
printf 'subscribe 1\nsleep 3000\ncase 1\nquit\n' | batch politie &
follower=$!
sleep 1
printf 'open 1 1\nsubscribe 1\ncurrent 1 4\nwait-seq 2\nquit\n' | batch voorzitter
wait $follower
"$ctl" --config /dev/null --data-dir "$dir" audit case 2026-0001
