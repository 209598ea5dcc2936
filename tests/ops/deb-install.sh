#!/bin/bash
# Installs the Debian package and starts the service binary exactly as its unit runs it, then removes the package.
#   tests/ops/deb-install.sh TAFEL.deb
#
# A clean Debian 12 root is this machine's own root inside CI (a fresh container with no
# tafel package; no systemd runs there): `dpkg -i`, the maintainer scripts create the tafel
# account and /var/lib/tafel, then the unit's ExecStart runs as the unit's User= with
# RUNTIME_DIRECTORY set the way systemd sets it. Only the data directory and the listening
# port are overridden (so a tafeld already using /var/lib/tafel on a developer machine is left
# alone); it reads the unit's --config /etc/tafel/tafeld.conf, which postinst makes empty.
# `dpkg --purge` at the end leaves the root as it was.
set -euo pipefail
DEB=$(realpath "$1")
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (dpkg -i)"; exit 77; }
if dpkg-query -W -f='${Status}' tafel 2>/dev/null | grep -q "install ok installed"; then
    echo "skip: a tafel package is already installed here; not touching it"
    exit 77
fi

T=$(mktemp -d /tmp/tafel-deb-test-XXXXXX)
chmod 755 "$T"
pid=
cleanup() {
    [ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || true
    [ -z "$pid" ] || wait "$pid" 2>/dev/null || true
    dpkg --purge tafel >/dev/null 2>&1 || true
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ ! -f "$T/tafeld.log" ] || tail -20 "$T/tafeld.log"; exit 1; }

had_etc=; [ ! -e /etc/tafel ] || had_etc=yes   # an administrator's /etc/tafel is not ours to check
DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg -i"; }
echo "ok: dpkg -i $(basename "$DEB")"

UNIT=/lib/systemd/system/tafel.service
for f in /usr/sbin/tafeld /usr/bin/tafelctl /usr/bin/tafel "$UNIT" /usr/lib/sysusers.d/tafel.conf \
         /usr/lib/tmpfiles.d/tafel.conf /usr/share/man/man8/tafeld.8.gz /usr/share/man/man8/tafelctl.8.gz \
         /usr/share/man/man1/tafel.1.gz /usr/share/man/man5/tafeld.conf.5.gz; do
    [ -e "$f" ] || fail "$f not installed"
done
getent passwd tafel >/dev/null || fail "no tafel account after install"
[ "$(stat -c '%U %a' /var/lib/tafel)" = "tafel 700" ] || fail "/var/lib/tafel is not tafel's, mode 700"
# the unit's tafeld reads /etc/tafel/tafeld.conf (--config), readable by tafel, empty at first
[ -n "$had_etc" ] || [ "$(stat -c '%U %G %a %s' /etc/tafel/tafeld.conf 2>&1)" = "root tafel 640 0" ] ||
    fail "/etc/tafel/tafeld.conf is not an empty file root:tafel 0640: $(stat -c '%U %G %a %s' /etc/tafel/tafeld.conf 2>&1)"
grep -q "^ExecStart=/usr/sbin/tafeld --config /etc/tafel/tafeld.conf " "$UNIT" ||
    fail "the unit's tafeld does not read /etc/tafel/tafeld.conf: $(grep ^ExecStart= "$UNIT")"
echo "ok: files, the tafel account, /var/lib/tafel and /etc/tafel/tafeld.conf"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$UNIT" >"$T/verify.log" 2>&1 || { cat "$T/verify.log"; fail "systemd-analyze verify"; }
    echo "ok: systemd-analyze verify $UNIT"
fi

# The unit's command and account.
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
user=$(sed -n 's/^User=//p' "$UNIT")
[ -n "$exec_start" ] && [ "$user" = tafel ] || fail "unit has no ExecStart or User=tafel"
case $exec_start in /usr/sbin/tafeld*) ;; *) fail "ExecStart is not the packaged tafeld: $exec_start" ;; esac

install -d -o tafel -g tafel -m 0700 "$T/data"
install -d -o tafel -g tafel -m 0750 "$T/run"
# shellcheck disable=SC2086
setpriv --reuid tafel --regid tafel --init-groups env RUNTIME_DIRECTORY="$T/run" HOME=/var/lib/tafel \
    $exec_start --data-dir "$T/data" --listen 127.0.0.1:0 >"$T/tafeld.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q "ready: serving on" "$T/tafeld.log" && break
    kill -0 "$pid" 2>/dev/null || fail "tafeld exited"
    sleep 0.1
done
grep -q "ready: serving on" "$T/tafeld.log" || fail "tafeld not ready within 60 s"
echo "ok: the unit's tafeld runs as tafel and is ready"

[ "$(stat -c '%a %G' "$T/run/admin.sock")" = "660 tafel" ] || fail "admin socket not 0660 group tafel"
RUNTIME_DIRECTORY="$T/run" tafelctl --config /dev/null --data-dir "$T/data" status >"$T/status" ||
    fail "tafelctl status"
grep -q "^tafeld 0" "$T/status" && grep -q "LISTEN up" "$T/status" || { cat "$T/status"; fail "status output"; }
echo "ok: tafelctl status"
tafelctl --config /dev/null --data-dir "$T/data" demo-data >/dev/null || fail "tafelctl demo-data"
tafelctl --config /dev/null --data-dir "$T/data" backup "$T/backup.dump" >/dev/null || fail "tafelctl backup"
echo "ok: demo data and a backup with the installed tafelctl"

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ $rc -eq 0 ] || fail "tafeld exited with $rc after SIGTERM"
grep -q "embedded PostgreSQL stopped" "$T/tafeld.log" || fail "embedded PostgreSQL not stopped"
echo "ok: SIGTERM stops it cleanly"

dpkg --purge tafel >/dev/null 2>&1 || fail "dpkg --purge"
[ ! -e /usr/sbin/tafeld ] || fail "/usr/sbin/tafeld left after purge"
[ -n "$had_etc" ] || [ ! -e /etc/tafel ] || fail "/etc/tafel left after purge: $(ls -la /etc/tafel)"
echo "ok: dpkg --purge"
