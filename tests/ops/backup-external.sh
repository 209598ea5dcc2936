#!/bin/bash
# tafelctl backup and restore against an external PostgreSQL (a cluster of its own, not the embedded one):
# every row, every sequence position and the audit log are equal after the restore; a second restore is refused;
# a schema owner that may not create the role tafel_app is told what the database administrator must do.
# --db on the command line names the database for the migrations too, not the file's db_owner.
#   tests/ops/backup-external.sh TAFELCTL [TAFELD]
set -euo pipefail
TAFELCTL=$1
TAFELD=${2:-}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
U=${TAFEL_TEST_USER:-tafel}
T=$(mktemp -d /tmp/tafel-extdb-XXXXXX)
PORT=$((20000 + RANDOM % 20000))

as_user() {
    if [ "$(id -u)" -eq 0 ]; then su -s /bin/sh "$U" -c "$*"; else sh -c "$*"; fi
}
cleanup() {
    as_user "'$BIN/pg_ctl' -D '$T/pg' -m immediate -w stop" >/dev/null 2>&1 || true
    rm -rf "$T"
}
trap cleanup EXIT
[ "$(id -u)" -ne 0 ] || chown "$U" "$T"
chmod 700 "$T"

as_user "'$BIN/initdb' -D '$T/pg' -U tafel --auth=trust" >/dev/null
as_user "'$BIN/pg_ctl' -D '$T/pg' -l '$T/pg.log' -o \"-c listen_addresses= -c unix_socket_directories=$T -p $PORT\" -w start" >/dev/null
for db in src dst; do
    as_user "'$BIN/createdb' -h '$T' -p $PORT -U tafel $db"
done
# a schema owner that may not create roles, before tafel_app exists: the error says what the DBA does
"$BIN/psql" -X -q -h "$T" -p $PORT -U tafel -d postgres -c "CREATE ROLE owner0 LOGIN" -c "CREATE DATABASE first OWNER owner0"
if out=$("$TAFELCTL" --config /dev/null --db "host=$T port=$PORT user=owner0 dbname=first" migrate 2>&1); then
    echo "FAIL: migrations by an owner that may not create tafel_app succeeded: $out"; exit 1
fi
case $out in
*"the role tafel_app does not exist and owner0, the schema owner, may not create roles: have the database's superuser create it once (CREATE ROLE tafel_app LOGIN"*)
    echo "ok: a missing tafel_app is named with what to do" ;;
*) echo "FAIL: a missing tafel_app is not explained: $out"; exit 1 ;;
esac
SRC="host=$T port=$PORT user=tafel dbname=src"
DST="host=$T port=$PORT user=tafel dbname=dst"
sql() { "$BIN/psql" -X -At -d "$1" -c "$2"; }

"$TAFELCTL" --config /dev/null --db "$SRC" demo-data >/dev/null
# an audit entry and a purge record (a case closed six years ago, purged), so both are compared
sql "$SRC" "UPDATE cases SET status = 'closed', closed_at = now() - interval '6 years' WHERE number = '2026-0005'" >/dev/null
sql "$SRC" "INSERT INTO audit_log (user_id, org_id, case_id, categories, context)
    SELECT u.id, u.org_id, c.id, '{person_names}', 'case_view'
    FROM users u, cases c WHERE u.login = 'politie' AND c.number = '2026-0001'" >/dev/null
"$TAFELCTL" --config /dev/null --db "$SRC" purge >/dev/null
[ "$(sql "$SRC" "SELECT count(*) FROM purge_log")" -gt 0 ] || { echo "FAIL: no purge record to compare"; exit 1; }
"$TAFELCTL" --config /dev/null --db "$SRC" backup "$T/register.dump"

HASH="SELECT md5(string_agg(tbl || ':' || h, ',' ORDER BY tbl)) FROM (
  SELECT c.relname AS tbl, (xpath('/row/h/text()', query_to_xml(format(
    'SELECT md5(coalesce(string_agg(t::text, ''|'' ORDER BY t::text), '''')) AS h FROM public.%I t',
    c.relname), false, true, '')))[1]::text AS h
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r') s"
SEQ="SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' ORDER BY sequencename)
  FROM pg_sequences WHERE schemaname = 'public'"
AUDIT="SELECT count(*) || ':' || md5(coalesce(string_agg(a::text, '|' ORDER BY a.id), '')) FROM audit_log a"

"$TAFELCTL" --config /dev/null --db "$DST" restore "$T/register.dump"
fail=0
for q in HASH SEQ AUDIT; do
    a=$(sql "$SRC" "${!q}"); b=$(sql "$DST" "${!q}")
    if [ "$a" != "$b" ]; then
        echo "FAIL: $q differs after restore: $a vs $b"; fail=1
    else
        echo "ok: $q equal ($a)"
    fi
done
[ "$(sql "$DST" "SELECT count(*) FROM cases")" -gt 0 ] || { echo "FAIL: no cases restored"; fail=1; }
if "$TAFELCTL" --config /dev/null --db "$DST" restore "$T/register.dump" 2>/dev/null; then
    echo "FAIL: a restore into a database with a register was not refused"; fail=1
else
    echo "ok: restore into a non-empty database refused"
fi

# --db beside a file whose db and db_owner name another database: the given one is used throughout
printf 'db = %s\ndb_owner = %s\n' "$SRC" "$SRC" >"$T/tafeld.conf"
"$TAFELCTL" --config "$T/tafeld.conf" --db "$DST" org add "Only In Dst" other >/dev/null
if [ "$(sql "$DST" "SELECT count(*) FROM organisations WHERE name = 'Only In Dst'")" = 1 ] &&
   [ "$(sql "$SRC" "SELECT count(*) FROM organisations WHERE name = 'Only In Dst'")" = 0 ]; then
    echo "ok: tafelctl --db works on that database, not the file's db_owner"
else
    echo "FAIL: tafelctl --db wrote into the file's db_owner database"; fail=1
fi
if [ -n "$TAFELD" ]; then
    sql "$DST" "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')" >/dev/null
    [ "$(id -u)" -ne 0 ] || install -d -o "$U" -m 0700 "$T/d"
    rc=0
    timeout 60 "$TAFELD" --config "$T/tafeld.conf" --db "$DST" --data-dir "$T/d" --listen 127.0.0.1:0 \
        --set "user=$U" >"$T/tafeld.log" 2>&1 || rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "database schema is at version 999" "$T/tafeld.log"; then
        echo "ok: tafeld --db checks and migrates that database, not the file's db_owner"
    else
        echo "FAIL: tafeld --db migrated the file's db_owner (exit $rc): $(tail -3 "$T/tafeld.log")"; fail=1
    fi
fi

# a file that sets db beside --data-dir: backup and restore say first which database they act on (the external
# one, as tafeld would use; never its password) and that --data-dir is only the state directory; --db '' takes
# the data directory's embedded cluster instead
printf 'db = %s password=sekrit\n' "$DST" >"$T/dst.conf"
out=$("$TAFELCTL" --config "$T/dst.conf" --data-dir "$T/dd" restore "$T/register.dump" 2>&1) &&
    { echo "FAIL: a restore into the file's non-empty db was not refused: $out"; fail=1; }
case $out in
*"restoring $T/register.dump into the external database host=$T port=$PORT dbname=dst user=tafel (db in $T/dst.conf)"*"--data-dir $T/dd names only the state directory"*"the external database already holds a register"*)
    echo "ok: restore names the external database of the file before it begins" ;;
*) echo "FAIL: restore does not say which database it acts on: $out"; fail=1 ;;
esac
case $out in *sekrit*) echo "FAIL: the password was shown: $out"; fail=1 ;; esac
out=$("$TAFELCTL" --config "$T/dst.conf" backup "$T/dst.dump" 2>&1 >/dev/null) ||
    { echo "FAIL: backup of the file's db: $out"; fail=1; }
case $out in
"tafelctl: backing up the external database host=$T port=$PORT dbname=dst user=tafel (db in $T/dst.conf) to $T/dst.dump"*)
    echo "ok: backup names the database it reads" ;;
*) echo "FAIL: backup does not say which database it reads: $out"; fail=1 ;;
esac
[ "$(id -u)" -ne 0 ] || install -d -o "$U" -m 0700 "$T/dd"
out=$("$TAFELCTL" --config "$T/dst.conf" --db '' --data-dir "$T/dd" restore "$T/register.dump" 2>&1) ||
    { echo "FAIL: restore into the embedded cluster with --db '': $out"; fail=1; }
case $out in
*"restoring $T/register.dump into the embedded PostgreSQL cluster in $T/dd"*"restored from"*)
    echo "ok: --db '' restores into the data directory's embedded cluster, and says so" ;;
*) echo "FAIL: restore with --db '': $out"; fail=1 ;;
esac
exit $fail
