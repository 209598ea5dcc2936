#!/bin/bash
# A PostgreSQL 15 primary with a synchronous streaming standby on loopback, run as the unprivileged service user.
#   ha-cluster.sh start DIR PRIMARY-PORT STANDBY-PORT   initdb, start the primary, pg_basebackup the standby, wait for sync
#   ha-cluster.sh crash-primary DIR                     the primary goes down hard (immediate shutdown, no checkpoint)
#   ha-cluster.sh promote DIR                           the standby becomes the primary
#   ha-cluster.sh stop DIR                              both down (whatever runs)
set -euo pipefail
cmd=$1 dir=$2
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
U=${TAFEL_TEST_USER:-tafel}
as_user() {
    if [ "$(id -u)" -eq 0 ]; then su -s /bin/sh "$U" -c "$*"; else sh -c "$*"; fi
}

case $cmd in
start)
    p1=$3 p2=$4
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown "$U" "$dir"
    chmod 755 "$dir"
    as_user "'$BIN/initdb' -D '$dir/primary' -U tafel --auth=trust" >"$dir/initdb.log"
    # Synchronous replication: a commit is acknowledged only once standby1 has it.
    cat >>"$dir/primary/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $p1
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '64MB'
CONF
    as_user "'$BIN/pg_ctl' -D '$dir/primary' -l '$dir/primary.log' -w start" >/dev/null
    as_user "'$BIN/createdb' -h 127.0.0.1 -p $p1 -U tafel tafel"
    as_user "'$BIN/pg_basebackup' -h 127.0.0.1 -p $p1 -U tafel -D '$dir/standby' -R -X stream -c fast" >/dev/null
    # The standby: its own port, named standby1, and (once promoted) no standby of its own to wait for.
    cat >>"$dir/standby/postgresql.auto.conf" <<CONF
port = $p2
primary_conninfo = 'host=127.0.0.1 port=$p1 user=tafel application_name=standby1'
synchronous_standby_names = ''
CONF
    as_user "'$BIN/pg_ctl' -D '$dir/standby' -l '$dir/standby.log' -w start" >/dev/null
    # Only now (a commit would wait for a standby that is not there yet): synchronous replication.
    "$BIN/psql" -X -q -h 127.0.0.1 -p "$p1" -U tafel -d tafel -c \
        "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (standby1)'" \
        -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
    for _ in $(seq 1 100); do
        s=$("$BIN/psql" -X -At -h 127.0.0.1 -p "$p1" -U tafel -d tafel -c \
            "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")
        [ "$s" = sync ] && exit 0
        sleep 0.1
    done
    echo "standby1 did not become a synchronous standby" >&2
    exit 1
    ;;
crash-primary)
    as_user "'$BIN/pg_ctl' -D '$dir/primary' -m immediate -w stop" >/dev/null
    ;;
promote)
    as_user "'$BIN/pg_ctl' -D '$dir/standby' -w promote" >/dev/null
    ;;
stop)
    for n in primary standby; do
        [ ! -d "$dir/$n" ] || as_user "'$BIN/pg_ctl' -D '$dir/$n' -m immediate -w stop" >/dev/null 2>&1 || true
    done
    ;;
*)
    echo "usage: $0 start|crash-primary|promote|stop DIR ..." >&2
    exit 2
    ;;
esac
