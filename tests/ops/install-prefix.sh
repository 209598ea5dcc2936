#!/bin/bash
# `meson install` into a scratch DESTDIR gives a working system: the binaries, unit, sysusers/tmpfiles
# entries and man pages are in place, and the installed tafeld starts on a data directory, is ready,
# answers the installed tafelctl status and stops cleanly; the unit gives it a writable log directory and a
# log_file it may not write stops it with what to do.
#   tests/ops/install-prefix.sh BUILD-DIR
set -euo pipefail
BUILD=$(realpath "$1")
D=$(mktemp -d /tmp/tafel-install-XXXXXX)
chmod 755 "$D"
pid=
cleanup() {
    [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
    rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ ! -f "$D/log/tafeld.log" ] || tail -20 "$D/log/tafeld.log"; exit 1; }

meson install -C "$BUILD" --no-rebuild --quiet --destdir "$D/root" >"$D/install.log" 2>&1 ||
    { cat "$D/install.log"; fail "meson install"; }
PREFIX=$(meson introspect "$BUILD" --buildoptions | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
P=$D/root$PREFIX
for f in sbin/tafeld bin/tafelctl bin/tafel lib/systemd/system/tafel.service lib/sysusers.d/tafel.conf \
         lib/tmpfiles.d/tafel.conf; do
    [ -e "$P/$f" ] || fail "$P/$f not installed"
done
if command -v scdoc >/dev/null; then
    for m in man1/tafel.1 man8/tafeld.8 man8/tafelctl.8 man5/tafeld.conf.5; do
        [ -e "$P/share/man/$m" ] || fail "man page $m not installed"
    done
fi
grep -q "^ExecStart=$PREFIX/sbin/tafeld --config /etc/tafel/tafeld.conf " \
    "$P/lib/systemd/system/tafel.service" ||
    fail "the unit does not run the installed tafeld on /etc/tafel/tafeld.conf (as User=tafel its default is ~tafel/.config)"
grep -q "^f /etc/tafel/tafeld.conf 0640 root tafel" "$P/lib/tmpfiles.d/tafel.conf" ||
    fail "tmpfiles.d does not make /etc/tafel/tafeld.conf readable for tafel"
"$P/sbin/tafeld" --version | grep -q "^tafeld " || fail "tafeld --version"
# ProtectSystem=strict leaves only these writable: a log_file needs LogsDirectory
grep -q "^LogsDirectory=tafel$" "$P/lib/systemd/system/tafel.service" ||
    fail "the unit has no LogsDirectory=tafel (a log_file in /var/log/tafel would be read-only)"
echo "ok: installed into $P"

mkdir -m 0700 "$D/data"
mkdir -m 0755 "$D/log"
[ "$(id -u)" -ne 0 ] || chown "${TAFEL_TEST_USER:-tafel}" "$D/data" "$D/log"
# log_file instead of standard error, as with logrotate
"$P/sbin/tafeld" --config /dev/null --data-dir "$D/data" --listen 127.0.0.1:0 \
    --set log_file="$D/log/tafeld.log" \
    ${TAFEL_TEST_USER:+--set user=$TAFEL_TEST_USER} >"$D/tafeld.stderr" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -qs "ready: serving on" "$D/log/tafeld.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$D/tafeld.stderr"; fail "the installed tafeld exited"; }
    sleep 0.1
done
grep -qs "ready: serving on" "$D/log/tafeld.log" || fail "not ready within 60 s"
"$P/bin/tafelctl" --config /dev/null --data-dir "$D/data" status | grep -q "LISTEN up" ||
    fail "installed tafelctl status"
echo "ok: the installed tafeld starts, is ready and answers tafelctl status"

# logrotate: the file is moved away, SIGUSR1 makes tafeld write to a new one
mv "$D/log/tafeld.log" "$D/log/tafeld.log.1"
kill -USR1 "$pid"
for _ in $(seq 1 100); do
    grep -qs "SIGUSR1: log file .* reopened" "$D/log/tafeld.log" && break
    sleep 0.1
done
grep -qs "SIGUSR1: log file .* reopened" "$D/log/tafeld.log" || fail "SIGUSR1 did not reopen log_file"
! grep -q "reopened" "$D/log/tafeld.log.1" || fail "the rotated file got the new lines"
echo "ok: SIGUSR1 reopens log_file"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM"
echo "ok: stopped cleanly"

# a log_file the service user may not write stops tafeld with what to do
if [ "$(id -u)" -eq 0 ] && [ -n "${TAFEL_TEST_USER:-}" ]; then
    mkdir -m 0755 "$D/rootlog"
    rc=0
    timeout 60 "$P/sbin/tafeld" --config /dev/null --data-dir "$D/data" --listen 127.0.0.1:0 \
        --set log_file="$D/rootlog/tafeld.log" --set user="$TAFEL_TEST_USER" \
        >"$D/denied.stderr" 2>&1 || rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "tafeld started (or hung: $rc) with an unwritable log_file"
    grep -q "log_file $D/rootlog/tafeld.log: Permission denied: tafeld opens it as user $TAFEL_TEST_USER, who needs write access" \
        "$D/denied.stderr" || { cat "$D/denied.stderr"; fail "the log_file error does not say what to do"; }
    echo "ok: an unwritable log_file is named with the service user"
fi
