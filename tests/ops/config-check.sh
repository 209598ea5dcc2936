#!/bin/bash
# tafeld checks its settings before it touches the database: a bad listen in a file is named with file:line and a port in use stops it, both before a cluster is made.
#   tests/ops/config-check.sh TAFELD
set -uo pipefail
TAFELD=$1
U=${TAFEL_TEST_USER:-tafel}
T=$(mktemp -d /tmp/tafel-confcheck-XXXXXX)
BUSY_PID=
cleanup() {
    [ -z "$BUSY_PID" ] || kill "$BUSY_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" -ne 0 ] || chown "$U" "$T"
chmod 700 "$T"

# run NAME [tafeld options]: runs tafeld in the foreground (it must not start), its log in $T/NAME.log
run() {
    local name=$1
    shift
    timeout 60 "$TAFELD" --set user="$U" "$@" >"$T/$name.log" 2>&1 && fail "$name: tafeld started: $(cat "$T/$name.log")"
    return 0
}

# 1. listen with a bad port in a file: file:line, and no cluster made
printf 'log_level = info\nlisten = 127.0.0.1:99999\n' >"$T/bad.conf"
run badport -c "$T/bad.conf" -d "$T/d1"
grep -q "$T/bad.conf:2: listen: \"127.0.0.1:99999\": port 99999 is out of range" "$T/badport.log" ||
    fail "no file:line for listen: $(cat "$T/badport.log")"
[ -e "$T/d1/pg" ] && fail "a cluster was made before the bad listen was reported"
echo "ok: a bad listen is named with its file and line before anything is made"

# 2. a port in use: refused before the database is started
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(120)' >"$T/port" &
BUSY_PID=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port")
run busy --config /dev/null -d "$T/d2" --listen "127.0.0.1:$PORT"
grep -q "cannot listen on 127.0.0.1:$PORT: Address already in use" "$T/busy.log" ||
    fail "no 'address in use': $(cat "$T/busy.log")"
[ -e "$T/d2/pg" ] && fail "a cluster was made before the port in use was reported"
grep -q "PostgreSQL" "$T/busy.log" && fail "PostgreSQL was started: $(cat "$T/busy.log")"
echo "ok: a port in use stops tafeld before its database starts"
exit 0
