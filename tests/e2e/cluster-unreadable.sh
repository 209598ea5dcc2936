#!/bin/bash
# An embedded cluster whose data directory the service user cannot read (wrong mode after a restore or a manual copy) is reported as such, with the path and what to check; tafelctl and tafeld do not take it for "no cluster yet" and run initdb over the register (found by the fault injector: "initdb failed", an unclear message).
. "$(dirname "$0")/lib.sh"

start_server
tafeld_stop
data=$E2E_DIR/pg/data
chmod 000 "$data"
out=$(ctl user list) && fail "tafelctl read an unreadable cluster: $out"
chmod 700 "$data"
printf '%s\n' "$out" | grep -q "cannot read .*PG_VERSION: Permission denied (a cluster is there" ||
	fail "unclear message: $out"
printf '%s\n' "$out" | grep -qi "initdb" && fail "initdb was tried over the cluster: $out"
# once the mode is right again, the register is all there
ctl user list | grep -q voorzitter || fail "the register after chmod back: $(ctl user list)"
ok
