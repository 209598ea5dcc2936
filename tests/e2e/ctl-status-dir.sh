#!/bin/bash
# tafelctl status with --data-dir DIR asks DIR's tafeld only: when it is down, systemd's /run/tafel/admin.sock (the packaged service's) is not asked, which answered for a server that is down with exit status 0 (found by the fault injector). Without --data-dir /run/tafel is still tried. Runs in a private mount namespace with its own /run (root only).
if [ -z "${CTL_STATUS_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for a mount namespace"; exit 77; }
	CTL_STATUS_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

# a private tmpfs on /run/tafel (the directory is made for it, and
# removed again, when the machine has none)
made=
[ -d /run/tafel ] || { mkdir /run/tafel && made=1; }
mount -t tmpfs -o size=1M tmpfs /run/tafel || fail "cannot mount a private /run/tafel"
chown "${TAFEL_TEST_USER:-tafel}" /run/tafel
trap 'cleanup; umount /run/tafel 2>/dev/null; [ -z "$made" ] || rmdir /run/tafel 2>/dev/null' EXIT
tafeld_start 0 --set admin_socket=/run/tafel/admin.sock
empty=$(mktemp -d /tmp/tafel-e2e-nodata-XXXXXX)
out=$("$TAFELCTL" --config /dev/null --data-dir "$empty" status 2>&1)
rc=$?
rmdir "$empty"
[ "$rc" -ne 0 ] || fail "status for a data directory without a tafeld succeeded: $out"
printf '%s\n' "$out" | grep -q "^tafeld " && fail "another tafeld answered: $out"
printf '%s\n' "$out" | grep -q "/run/tafel" && fail "/run/tafel was tried for a named data directory: $out"
# no --data-dir: the packaged service's socket is still found
out=$("$TAFELCTL" --config /dev/null status 2>&1) || fail "status without --data-dir did not reach /run/tafel: $out"
printf '%s\n' "$out" | grep -q "^tafeld " || fail "no status: $out"
# its own data directory named, without the admin_socket it runs with: not "is tafeld running?" but where to look
out=$("$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" status 2>&1) && fail "status reached a socket: $out"
printf '%s\n' "$out" | grep -q "tafeld (pid $E2E_PID) runs on $E2E_DIR, but its admin socket is elsewhere" ||
	fail "status does not say the tafeld runs with its socket elsewhere: $out"
ok
