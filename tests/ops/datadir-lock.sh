#!/bin/bash
# One tafeld per data directory also with an external database (db =): a second tafeld on the same directory, or one naming the same admin_socket, is refused and leaves the first one's admin socket alone.
#   tests/ops/datadir-lock.sh TAFELD TAFELCTL
set -uo pipefail
TAFELD=$1
TAFELCTL=$2
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
U=${TAFEL_TEST_USER:-tafel}
T=$(mktemp -d /tmp/tafel-dlock-XXXXXX)
PORT=$((20000 + RANDOM % 20000))
P1=$((40000 + RANDOM % 10000))
P2=$((P1 + 1))
P3=$((P1 + 2))
PIDS=()

as_user() {
    if [ "$(id -u)" -eq 0 ]; then su -s /bin/sh "$U" -c "$*"; else sh -c "$*"; fi
}
cleanup() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    as_user "'$BIN/pg_ctl' -D '$T/pg' -m immediate -w stop" >/dev/null 2>&1 || true
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" -ne 0 ] || chown "$U" "$T"
chmod 700 "$T"

as_user "'$BIN/initdb' -D '$T/pg' -U tafel --auth=trust" >/dev/null
as_user "'$BIN/pg_ctl' -D '$T/pg' -l '$T/pg.log' -o \"-c listen_addresses= -c unix_socket_directories=$T -p $PORT\" -w start" >/dev/null
as_user "'$BIN/createdb' -h '$T' -p $PORT -U tafel tafel"
DB="host=$T port=$PORT user=tafel dbname=tafel"

# tafeld NAME DATADIR PORT [more options]: started in the background
tafeld() {
    local name=$1 dir=$2 port=$3
    shift 3
    "$TAFELD" --config /dev/null --set user="$U" --db "$DB" -d "$dir" \
        --listen "127.0.0.1:$port" "$@" >"$T/$name.log" 2>&1 &
    PIDS+=($!)
}
# waits until LOG holds TEXT (10 s)
wait_log() {
    for _ in $(seq 100); do grep -q "$2" "$T/$1.log" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

tafeld one "$T/d1" "$P1"
ONE=${PIDS[0]}
wait_log one "listening on" || fail "the first tafeld did not start: $(cat "$T/one.log")"
"$TAFELCTL" --config /dev/null -d "$T/d1" status | grep -q "pid $ONE," ||
    fail "status does not show the first tafeld"

# the same data directory, another port (a copied config)
"$TAFELD" --config /dev/null --set user="$U" --db "$DB" -d "$T/d1" \
    --listen "127.0.0.1:$P2" >"$T/two.log" 2>&1 &
TWO=$!
if timeout 20 tail --pid=$TWO -f /dev/null; then :; fi
if kill -0 "$TWO" 2>/dev/null; then
    PIDS+=("$TWO")
    fail "a second tafeld on the same data directory is running: $(cat "$T/two.log")"
fi
wait "$TWO" && fail "the second tafeld exited 0"
grep -q "another tafeld already runs on this data directory ($T/d1, pid $ONE)" "$T/two.log" ||
    fail "no refusal naming the first tafeld: $(cat "$T/two.log")"
grep -q "admin socket" "$T/two.log" && fail "the second tafeld touched the admin socket: $(cat "$T/two.log")"
echo "ok: a second tafeld on the same data directory is refused"

# another data directory, but the first one's admin socket by name
"$TAFELD" --config /dev/null --set user="$U" --db "$DB" -d "$T/d3" \
    --listen "127.0.0.1:$P3" --set admin_socket="$T/d1/admin.sock" >"$T/three.log" 2>&1 &
THREE=$!
if timeout 20 tail --pid=$THREE -f /dev/null; then :; fi
if kill -0 "$THREE" 2>/dev/null; then
    PIDS+=("$THREE")
    fail "a tafeld on another's admin socket is running: $(cat "$T/three.log")"
fi
grep -q "admin socket $T/d1/admin.sock is in use by another tafeld" "$T/three.log" ||
    fail "no refusal for the shared admin socket: $(cat "$T/three.log")"
echo "ok: a tafeld naming a running tafeld's admin socket is refused"

[ -S "$T/d1/admin.sock" ] || fail "the first tafeld's admin socket is gone"
"$TAFELCTL" --config /dev/null -d "$T/d1" status | grep -q "pid $ONE," ||
    fail "status no longer reaches the first tafeld"
echo "ok: the first tafeld still answers tafelctl status"

# its own restart after it stopped: the lock is free again
kill -TERM "$ONE"; wait "$ONE"
PIDS=()
tafeld again "$T/d1" "$P1"
wait_log again "listening on" || fail "tafeld does not start after the first one stopped: $(cat "$T/again.log")"
echo "ok: the data directory is free again once that tafeld stopped"
exit 0
