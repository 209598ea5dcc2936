#!/bin/bash
# Runs tafel_faults.py (kill -9 under writes, PostgreSQL stopped under load, embedded and external, PostgreSQL hung, a full disk, live events under writes, a client whose network vanished, busy or idle) against private tafelds.
#
# Environment (set by meson, or by hand): TAFELD, TAFELCTL, TAFEL_SOURCE_DIR, TAFEL_TEST_USER.
# Arguments go to tafel_faults.py, e.g. --only flood (the flood is not in the default set: it
# loads the machine for half a minute and prints latency figures; run it by hand; so is --only swarm).
set -u
: "${TAFELD:?}" "${TAFELCTL:?}" "${TAFEL_SOURCE_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--only kill9,pgstop,pgstop-ext,pghang,diskfull,pushlag,vanish,vanish-idle)
exec "$PY" "$here/tafel_faults.py" --tafeld "$TAFELD" --tafelctl "$TAFELCTL" \
	--proto-dir "$TAFEL_SOURCE_DIR/proto" --user "${TAFEL_TEST_USER:-tafel}" "${args[@]}"
