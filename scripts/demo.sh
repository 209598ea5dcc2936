#!/bin/bash
# Quick start: installs what is missing, builds, starts tafeld on the embedded default with demo data,
# and opens the tafel client logged in as the demo chair.  Run again to reopen the client.
#
#   scripts/demo.sh              the chair ("voorzitter") on the shared screen
#   scripts/demo.sh politie      a partner following along (second terminal)
#   scripts/demo.sh politie --meeting 1   further options go to tafel (docs/cli.md)
#   scripts/demo.sh users        list the demo users and what each one shows
#   scripts/demo.sh --help       this text
#   scripts/demo.sh stop         stop the tafeld (and its embedded PostgreSQL) this script started
#   scripts/demo.sh reset        stop it and move its data directory aside: the next run starts afresh, with
#                                the demo's meetings on that day (they are made for the day the demo is loaded)
#
# TAFEL_DATA_DIR, TAFEL_DEMO_ADDR (default 127.0.0.1:7410) and TMPDIR (log, pid file, CA, the demo clients'
# settings file) move a second demo out of the way of the first.
# The client is Dutch whatever LANG or LC_ALL say: LANGUAGE=en scripts/demo.sh politie shows the English fallback.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
    DATA=${TAFEL_DATA_DIR:-/var/lib/tafel}
else
    DATA=${TAFEL_DATA_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/tafel}
fi
LOG=${TMPDIR:-/tmp}/tafeld-demo.log
PIDFILE=${TMPDIR:-/tmp}/tafeld-demo.pid
# the demo clients' settings file: not the user's own ~/.config/tafel/tafel.conf,
# which a login writes back (docs/cli.md), and one per demo
CLIENT_CONF=${TMPDIR:-/tmp}/tafel-demo-client.conf
ADDR=${TAFEL_DEMO_ADDR:-127.0.0.1:7410}
# How to call this script again for the same demo: a second demo's variables go with it.
AGAIN="scripts/demo.sh"
for v in TAFEL_DATA_DIR TAFEL_DEMO_ADDR TMPDIR; do
    [ -z "${!v:-}" ] || AGAIN="$v=${!v} $AGAIN"
done

# Every demo user (sql/0004_demo.sql; the covenant demo in docs/security.md and tests/test_covenant.c uses them all).
users() {
    cat <<'USERS'
Demo users, password "demo" for every one:
  voorzitter        chair (gemeente): drives the shared screen, opens meetings, records decisions and action points;
                    also the process manager of every demo district: screens signals, starts info rounds (I),
                    runs the open info round on case 2026-0004 (8); decides the two pending nominations
                    (5: a accepts, x declines; in today's WZT or SSO, v proposes the nominated case)
  politie           police, involved in case 2026-0001 (and others): sees those cases in full;
                    answered the info round on case 2026-0004 (8, and its entry in the inbox, 6);
                    nominated case 2026-0001 for the SSO (5: pending, then the chair's decision)
  wijkagent         police (neighbourhood officer): same organisation, sees what the police may see
  om                public prosecutor: SSO member; a WZT meeting it is no member of stays invisible
  reclassering      probation: SSO and MDO cases
  jeugdzorg         youth care: the at-risk youth cases
  veiligthuis       Veilig Thuis: the domestic violence cases
  slachtofferhulp   victim support, no WZT member: may not record itself present to read WZT cases
  raad              child protection board (Raad voor de Kinderbescherming)
  forensisch        forensic care: attends the SSO
  verslavingszorg   addiction care: nominated case 2026-0002 for the WZT (5)
  ggz               mental health care
  woningcorporatie  housing: sees names but, by its kind, no birth dates (and is told so)
  huisarts          GP, no covenant signatory: present at the WZT, sees only the pseudonymised view;
                    while present, the shared screen shows every partner the pseudonymised view;
                    asked in the info round on case 2026-0004 and not answered yet (8: b known, n not known)
  waarnemer         observer (court, listening in): at most the pseudonymised view
  admin             administrator role (no meeting role)
USERS
}

listening() { (exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR##*:}") 2>/dev/null; }

# Stops the tafeld this script started (SIGTERM: clients are told, writes finish, the
# embedded cluster stops with it), then any embedded cluster a killed tafeld left running.
stop() {
    local pid
    if [ -f "$PIDFILE" ] && pid=$(cat "$PIDFILE") && [ -n "$pid" ] &&
       [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = tafeld ]; then
        echo "stopping tafeld (pid $pid)"
        kill -TERM "$pid"
        for _ in $(seq 1 150); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "tafeld did not stop in 30 s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    else
        echo "no tafeld started by scripts/demo.sh is running"
    fi
    rm -f "$PIDFILE"
    local pgdata=$DATA/pg/data
    if [ -f "$pgdata/postmaster.pid" ]; then
        local pgbin
        pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
        if [ -n "$pgbin" ] && "$pgbin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
            echo "stopping the embedded PostgreSQL in $pgdata"
            if [ "$(id -u)" -eq 0 ]; then
                su -s /bin/sh "$(stat -c %U "$pgdata")" -c "'$pgbin/pg_ctl' -D '$pgdata' -m fast -w stop" >/dev/null
            else
                "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
            fi
        fi
    fi
}

# Moves the data directory aside (never deletes it: as root it is the Debian
# package's /var/lib/tafel too), so that the next run loads the demo afresh.
reset() {
    stop
    if [ -d "$DATA" ]; then
        local aside
        aside=$DATA.$(date +%Y%m%dT%H%M%S)
        mv "$DATA" "$aside"
        echo "moved $DATA to $aside (delete it when you no longer need it)"
    fi
    echo "the next $AGAIN starts tafeld on a new data directory with today's demo meetings"
}

case ${1:-} in
stop) stop; exit 0 ;;
reset) reset; exit 0 ;;
users) users; exit 0 ;;
-h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
-*) echo "scripts/demo.sh: unknown option $1 (scripts/demo.sh --help)" >&2; exit 2 ;;
esac

USER_LOGIN=${1:-voorzitter}
if ! users | grep -qE "^  $USER_LOGIN( |\$)"; then
    echo "scripts/demo.sh: $USER_LOGIN is not a demo user; these are:" >&2
    users >&2
    exit 2
fi
# What it is doing, on stderr (the first run installs and builds for minutes).
echo "scripts/demo.sh: checking the packages Tafel needs (scripts/install-deps.sh)..." >&2
bash scripts/install-deps.sh
# The build is quiet when it works; when it fails, its output is shown (the
# end of it: the compiler's error) and kept, and the script says so.
if [ -f build/build.ninja ]; then
    echo "scripts/demo.sh: building (build/)..." >&2
else
    echo "scripts/demo.sh: building with meson into build/ (a few minutes the first time)..." >&2
fi
BUILD_OUT=$(mktemp "${TMPDIR:-/tmp}/tafel-demo-build.XXXXXX")
if ! { [ -f build/build.ninja ] || meson setup build; } >"$BUILD_OUT" 2>&1 ||
   ! ninja -C build >>"$BUILD_OUT" 2>&1; then
    tail -n 40 "$BUILD_OUT" >&2
    echo "scripts/demo.sh: the build failed (above: the end of its output; all of it in $BUILD_OUT)." >&2
    echo "Fix the error, then run $AGAIN again." >&2
    exit 1
fi
rm -f "$BUILD_OUT"

started=
if ! listening; then
    started=1
    echo "starting tafeld (data directory $DATA, log $LOG)"
    # in a session of its own: Ctrl-C in this terminal (at the prompt
    # below, or in the client) must not stop the server for everyone
    # (not a process group leader here, setsid execs in place: $! is tafeld)
    setsid nohup build/server/tafeld --data-dir "$DATA" --listen "$ADDR" \
        >>"$LOG" 2>&1 </dev/null &
    echo $! > "$PIDFILE"
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
demo=$(build/server/tafelctl --data-dir "$DATA" demo-data)
# (its hint that no process manager screens the signals yet: this script
# makes the chair that, just below)
echo "$demo" | grep -v "no process manager is assigned yet" || true
# the day the demo data was loaded (its meetings are made for that day)
DAYFILE=${TMPDIR:-/tmp}/tafel-demo-day
case $demo in
*"already present"*)
    if [ "$(cat "$DAYFILE" 2>/dev/null)" != "$(date +%F)" ]; then
        echo "(the demo's meetings are those of the day it was first loaded; $AGAIN reset starts over with today's)"
    fi ;;
*) date +%F > "$DAYFILE" ;;
esac
# The chair is also the process manager of the demo districts, so the demo can screen signals and run info rounds.
for district in Enschede Enschede-Noord Eemland; do
    build/server/tafelctl --data-dir "$DATA" pm add voorzitter "$district" >/dev/null
done

CA=${TMPDIR:-/tmp}/tafel-demo-ca.crt
build/server/tafelctl --data-dir "$DATA" ca-cert > "$CA"
PW=$(mktemp)
trap 'rm -f "$PW"' EXIT
echo demo > "$PW"

cat <<MSG

tafeld is running on $ADDR (stop it with: $AGAIN stop).
$(users)
A partner in a second terminal (Enter on the chair's open meeting, and it follows the chair):
    $AGAIN politie
The shared screen (beamer) in a third one (Enter on the open meeting; P in a meeting switches it on and off):
    $AGAIN voorzitter --presentation
MSG
# The client covers this text: the first time, on a terminal, it waits for Enter.
if [ -n "$started" ] && [ -t 0 ] && [ -t 1 ]; then
    read -r -p "Press Enter to open tafel as $USER_LOGIN (the list above: $AGAIN users) " _ || true
else
    sleep 1
fi
# Dutch, the demo's language, whatever LANG says; LANGUAGE=en gives the English fallback
export LANGUAGE=${LANGUAGE:-nl}
export TAFEL_LOCALEDIR=${TAFEL_LOCALEDIR:-$PWD/build/client/po}
rc=0
build/client/tafel --config "$CLIENT_CONF" --server "$ADDR" --ca "$CA" --user "$USER_LOGIN" \
    --password-file "$PW" "${@:2}" || rc=$?
# a client killed (kill -9) left the terminal as curses had it: no echo,
# the alternate screen, no cursor
if [ "$rc" -gt 128 ] && [ -t 1 ]; then
    stty sane 2>/dev/null || true
    tput rmcup 2>/dev/null || true
    tput cnorm 2>/dev/null || true
    echo "tafel ended by signal $((rc - 128)); the terminal is restored"
fi
# the list above was covered by the client: what is still running, and how to go on
echo "tafeld is still running on $ADDR: $AGAIN USER opens another client" \
    "($AGAIN users lists them), $AGAIN stop stops it."
exit $rc
