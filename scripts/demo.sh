#!/bin/bash
# Quick start: installs what is missing, builds, starts tafeld on the embedded default with demo data,
# and opens the tafel client logged in as the demo chair.  Run again to reopen the client.
#
#   scripts/demo.sh              the chair ("voorzitter") on the shared screen
#   scripts/demo.sh politie      a partner following along (second terminal)
set -euo pipefail
cd "$(dirname "$0")/.."

USER_LOGIN=${1:-voorzitter}
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

if [ "$(id -u)" -eq 0 ]; then
    DATA=${TAFEL_DATA_DIR:-/var/lib/tafel}
else
    DATA=${TAFEL_DATA_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/tafel}
fi
LOG=${TMPDIR:-/tmp}/tafeld-demo.log
ADDR=127.0.0.1:7410

listening() { (exec 3<>/dev/tcp/127.0.0.1/7410) 2>/dev/null; }

if ! listening; then
    echo "starting tafeld (data directory $DATA, log $LOG)"
    nohup build/server/tafeld --data-dir "$DATA" --listen "$ADDR" >>"$LOG" 2>&1 &
    for _ in $(seq 1 300); do
        listening && break
        if ! kill -0 $! 2>/dev/null; then
            echo "tafeld did not start:" >&2
            tail -20 "$LOG" >&2
            exit 1
        fi
        sleep 0.2
    done
fi
build/server/tafelctl --data-dir "$DATA" demo-data

CA=${TMPDIR:-/tmp}/tafel-demo-ca.crt
build/server/tafelctl --data-dir "$DATA" ca-cert > "$CA"
PW=$(mktemp)
trap 'rm -f "$PW"' EXIT
echo demo > "$PW"

cat <<MSG

tafeld is running on $ADDR (stop it with: pkill -x tafeld).
Demo users (password "demo"): voorzitter (chair), politie, om, reclassering,
jeugdzorg, veiligthuis, waarnemer (observer), admin.
A partner following the chair, in a second terminal:
    scripts/demo.sh politie
MSG
sleep 1
export LANGUAGE=${LANGUAGE:-nl}
export TAFEL_LOCALEDIR=${TAFEL_LOCALEDIR:-$PWD/build/client/po}
build/client/tafel --server "$ADDR" --ca "$CA" --user "$USER_LOGIN" --password-file "$PW"
