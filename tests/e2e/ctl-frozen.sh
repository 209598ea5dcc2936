#!/bin/bash
# tafelctl against a database that hangs (its postmaster stopped with SIGSTOP: it accepts no connection and refuses none) gives up connecting after its connect_timeout and says so, with a non-zero exit, instead of waiting for ever as a cron job would (found by the fault injector).
. "$(dirname "$0")/lib.sh"

tafeld_start 0
demo_data
data=$E2E_DIR/pg/data
[ -f "$data/postmaster.pid" ] || fail "no postmaster.pid in $data"
pm=$(head -n 1 "$data/postmaster.pid")
kill -STOP "$pm" || fail "cannot stop the postmaster"
# (lib.sh's cleanup too: it stops tafeld and its cluster)
trap 'kill -CONT '"$pm"' 2>/dev/null; cleanup' EXIT
start=$SECONDS
out=$(timeout 90 "$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" user list 2>&1)
rc=$?
took=$((SECONDS - start))
kill -CONT "$pm"
[ "$rc" -ne 124 ] || fail "tafelctl still waited after 90 s: $out"
[ "$rc" -ne 0 ] || fail "tafelctl succeeded against a stopped postmaster: $out"
printf '%s\n' "$out" | grep -q "timeout expired" || fail "no clear message ($took s, rc $rc): $out"
# and once it runs again, tafelctl works
ctl user list | grep -q voorzitter || fail "tafelctl after SIGCONT: $(ctl user list)"
ok
