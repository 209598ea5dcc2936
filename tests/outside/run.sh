#!/bin/bash
# Starts a private tafeld with demo data and runs the outside client (tafel_lifecycle.py,
# tafel_after.py, then tafel_outside.py) against it.
#
# Environment (set by meson, or by hand): TAFELD, TAFELCTL, TAFEL_SOURCE_DIR,
# TAFEL_TEST_USER (the account tafeld drops to when run as root).
# Extra arguments go to tafel_outside.py (e.g. --only t_resume); tafel_lifecycle.py always runs whole.
# Exit: 0 all checks passed, 1 a check failed, 77 skipped (no protoc / python3-protobuf).
set -u
: "${TAFELD:?}" "${TAFELCTL:?}" "${TAFEL_SOURCE_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)

. "$here/lib.sh"

dir=$(mktemp -d /tmp/tafel-outside-XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
	rm -rf "$dir" "$dir.log"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# a copy of a first start's directory (initdb and migrations done once)
bash "$TAFEL_SOURCE_DIR/tests/data-template.sh" "$dir" || { echo "FAIL: data-template.sh"; exit 1; }

"$TAFELD" --data-dir "$dir" --listen 127.0.0.1:0 --config /dev/null \
	--set "user=${TAFEL_TEST_USER:-tafel}" --set log_level=debug >>"$dir.log" 2>&1 &
pid=$!
port=
for _ in $(seq 1200); do
	port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$dir.log" | tail -n 1)
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir.log"; echo "FAIL: tafeld did not start"; exit 1; }
	sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: tafeld did not report its port"; exit 1; }
"$TAFELCTL" --config /dev/null --data-dir "$dir" demo-data >>"$dir.log" 2>&1 ||
	{ tail -n 20 "$dir.log"; echo "FAIL: tafelctl demo-data"; exit 1; }
"$TAFELCTL" --config /dev/null --data-dir "$dir" ca-cert >"$dir/outside-ca.crt" ||
	{ echo "FAIL: tafelctl ca-cert"; exit 1; }

# tafel_lifecycle.py first (a case from intake to the minutes): tafel_outside.py ends by
# stopping the server.  Its chair is the process manager of the Eemland district, and it
# needs a steering-group account "stuur" (docs/admin.md), password "demo" like the demo users.
"$TAFELCTL" --config /dev/null --data-dir "$dir" pm add voorzitter Eemland >>"$dir.log" 2>&1 ||
	{ echo "FAIL: tafelctl pm add"; exit 1; }
echo demo >"$dir/outside-pw"
"$TAFELCTL" --config /dev/null --data-dir "$dir" --password-file "$dir/outside-pw" \
	user add stuur "Stuurgroep Lid" "Gemeente Eemland-Twente" steering </dev/null >>"$dir.log" 2>&1 &&
"$TAFELCTL" --config /dev/null --data-dir "$dir" --password-file "$dir/outside-pw" \
	user passwd stuur </dev/null >>"$dir.log" 2>&1 ||
	{ echo "FAIL: tafelctl user add/passwd stuur"; exit 1; }
# tafel_after.py: a member of the chair's municipality (not the chair)
"$TAFELCTL" --config /dev/null --data-dir "$dir" --password-file "$dir/outside-pw" \
	user add gemlid "Gemeente Lid" "Gemeente Eemland-Twente" member </dev/null >>"$dir.log" 2>&1 &&
"$TAFELCTL" --config /dev/null --data-dir "$dir" --password-file "$dir/outside-pw" \
	user passwd gemlid </dev/null >>"$dir.log" 2>&1 ||
	{ echo "FAIL: tafelctl user add/passwd gemlid"; exit 1; }
"$PY" "$here/tafel_lifecycle.py" --port "$port" --ca "$dir/outside-ca.crt" \
	--proto-dir "$TAFEL_SOURCE_DIR/proto"
rc_life=$?
# part three (tafel_after.py): the action point lifecycle, retries, nominations, minutes marks
"$PY" "$here/tafel_after.py" --port "$port" --ca "$dir/outside-ca.crt" \
	--proto-dir "$TAFEL_SOURCE_DIR/proto"
rc_after=$?
"$PY" "$here/tafel_outside.py" --port "$port" --ca "$dir/outside-ca.crt" \
	--proto-dir "$TAFEL_SOURCE_DIR/proto" --stop-pid "$pid" --server-log "$dir.log" "$@"
rc=$?
[ $rc_life -eq 0 ] && [ $rc_after -eq 0 ] || rc=1
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$dir.log"; then
	grep -A20 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$dir.log"
	echo "FAIL: sanitizer report from tafeld"
	rc=1
fi
[ $rc -eq 0 ] || { echo "--- tafeld log (tail):"; tail -n 30 "$dir.log"; }
exit $rc
