#!/bin/bash
# tafeld checks its settings before it touches the database: a bad listen in a file is named with file:line and a port in use stops it, both before a cluster is made; tls_names missing from the server certificate and an unknown admin_group are warned about; a section header other than [tafeld] (client: [tafel]) is refused with file:line.
#   tests/ops/config-check.sh TAFELD [TAFEL]
set -uo pipefail
TAFELD=$1
TAFEL=${2:-}
U=${TAFEL_TEST_USER:-tafel}
T=$(mktemp -d /tmp/tafel-confcheck-XXXXXX)
BUSY_PID=
SRV_PID=
cleanup() {
    [ -z "$BUSY_PID" ] || kill "$BUSY_PID" 2>/dev/null
    if [ -n "$SRV_PID" ]; then kill -TERM "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; fi
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
grep -q "$T/bad.conf:2: listen: the port is out of range (0..65535)" "$T/badport.log" ||
    fail "no file:line for listen: $(cat "$T/badport.log")"
[ -e "$T/d1/pg" ] && fail "a cluster was made before the bad listen was reported"
echo "ok: a bad listen is named with its file and line before anything is made"

# 1b. a section header other than [tafeld]: file:line (its keys were applied silently)
printf '[tafeld]\nlog_level = info\n\n[other]\nlisten = 127.0.0.1:0\n' >"$T/section.conf"
run section -c "$T/section.conf" -d "$T/d1"
grep -q "$T/section.conf:4: section \[other\]: this file takes only a \[tafeld\] header (or none)" "$T/section.log" ||
    fail "no file:line for [other]: $(cat "$T/section.log")"
[ -e "$T/d1/pg" ] && fail "a cluster was made despite [other]"
if [ -n "$TAFEL" ]; then
    printf 'server = 127.0.0.1:1\n[other]\n' >"$T/client.conf"
    echo demo | "$TAFEL" --config "$T/client.conf" --batch --user u >"$T/client.log" 2>&1 &&
        fail "the client took [other]"
    grep -q "client.conf:2: section \[other\]: this file takes only a \[tafel\] header" "$T/client.log" ||
        fail "the client: no file:line for [other]: $(cat "$T/client.log")"
    printf '[tafel]\nserver = 127.0.0.1:1\n' >"$T/client.conf"
    echo demo | timeout 20 "$TAFEL" --config "$T/client.conf" --batch --user u >"$T/client.log" 2>&1
    grep -q "section" "$T/client.log" && fail "the client refused [tafel]: $(cat "$T/client.log")"
fi
echo "ok: a section header other than the program's own is refused with its line"

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
kill "$BUSY_PID"; BUSY_PID=

# serve NAME [tafeld options]: starts tafeld in the background, waits until it serves
serve() {
    local name=$1
    shift
    "$TAFELD" --set user="$U" --listen 127.0.0.1:0 "$@" >"$T/$name.log" 2>&1 &
    SRV_PID=$!
    for _ in $(seq 600); do
        grep -q "ready: serving" "$T/$name.log" && return 0
        kill -0 "$SRV_PID" 2>/dev/null || fail "$name: tafeld ended: $(cat "$T/$name.log")"
        sleep 0.1
    done
    fail "$name: tafeld not ready: $(cat "$T/$name.log")"
}
stop() { kill -TERM "$SRV_PID"; wait "$SRV_PID"; SRV_PID=; }
# waits until LOG holds TEXT (10 s)
wait_log() {
    for _ in $(seq 100); do grep -qF "$2" "$T/$1.log" && return 0; sleep 0.1; done
    fail "$1: no \"$2\": $(cat "$T/$1.log")"
}

# 3. tls_names: on the first start they go into the certificate (no warning)
printf 'tls_names = tafel.example, 192.0.2.10\n' >"$T/names.conf"
serve first -c "$T/names.conf" -d "$T/d3"
grep -q "has no name" "$T/first.log" && fail "a warning on the first start: $(cat "$T/first.log")"
# a name added later, by reload: said, with the way to renew
printf 'tls_names = tafel.example, 192.0.2.10, new.example\n' >"$T/names.conf"
kill -HUP "$SRV_PID"
wait_log first "reload: TLS: the server certificate $T/d3/tls/server.crt has no name new.example"
wait_log first "remove $T/d3/tls/server.crt and $T/d3/tls/server.key and restart tafeld"
grep -q "reload: tls_names changed; restart tafeld" "$T/first.log" &&
    fail "a restart is said to apply tls_names: $(cat "$T/first.log")"
stop
echo "ok: a tls_names name missing from the certificate is said on reload"

# 4. ... and at start; an admin_group that does not exist is warned about
serve second -c "$T/names.conf" -d "$T/d3" --set admin_group=nosuchgroup-$$
wait_log second "WARN: TLS: the server certificate $T/d3/tls/server.crt has no name new.example"
[ "$(grep -c "has no name" "$T/second.log")" -eq 1 ] || fail "other names said missing: $(cat "$T/second.log")"
wait_log second "WARN: admin_group nosuchgroup-$$: no such group"
stop
echo "ok: at start, a missing name and an unknown admin_group are warned about"

# 5. the client's screen without a terminal on stdin: refused at once, not
#    waiting for keys that never come (with a password and a good CA it got
#    as far as the screen before)
if [ -n "$TAFEL" ]; then
    printf '[tafel]\nserver = 127.0.0.1:1\nca_file = %s\n' "$T/d3/tls/ca.crt" >"$T/client.conf"
    rc=0
    TAFEL_PASSWORD=x LANGUAGE=en timeout 20 "$TAFEL" --config "$T/client.conf" --user u </dev/null >"$T/client.log" 2>&1 || rc=$?
    [ "$rc" -eq 2 ] || fail "the screen without a terminal: exit $rc: $(cat "$T/client.log")"
    grep -q "the screen needs a terminal on standard input; for commands from a file or a pipe use --batch" "$T/client.log" ||
        fail "the screen without a terminal: $(cat "$T/client.log")"
    echo "ok: the client's screen without a terminal on stdin is refused at once"
fi
exit 0
