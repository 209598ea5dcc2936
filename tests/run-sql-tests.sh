#!/usr/bin/env bash
# Runs the SQL tests in tests/sql/ against an already migrated database.
#
# Usage: tests/run-sql-tests.sh [CONNINFO] [TEST...]
#
# CONNINFO is a libpq connection string or URI; without it the PG*
# environment variables apply.  TEST names (e.g. 03_conflict) select tests;
# without them every tests/sql/[0-9]*.sql runs.
#
# This script applies no migrations: the database must already be at the
# current schema (sql/0001..).  Each test runs as one transaction, preceded by
# tests/sql/helpers.sql, and is rolled back, so the database is left as it
# was.  Prints "ok NAME" or "FAIL NAME" per test (with psql's output after a
# failure) and exits non-zero if any test failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
dir="$here/sql"
conninfo=()
if [ $# -gt 0 ] && [[ "$1" == *=* || "$1" == postgres://* || "$1" == postgresql://* ]]; then
	conninfo=(-d "$1")
	shift
fi

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		tests+=("$dir/${t%.sql}.sql")
	done
else
	tests=("$dir"/[0-9]*.sql)
fi

failed=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sql)
	if [ ! -f "$t" ]; then
		echo "FAIL $name (no such test)"
		failed=$((failed + 1))
		continue
	fi
	if out=$({
		echo 'BEGIN;'
		cat "$dir/helpers.sql"
		echo
		cat "$t"
		echo
		echo 'ROLLBACK;'
	} | psql "${conninfo[@]}" -v ON_ERROR_STOP=1 -X -q -f - 2>&1); then
		echo "ok $name"
	else
		echo "FAIL $name"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

if [ "$failed" -gt 0 ]; then
	echo "$failed of ${#tests[@]} SQL tests failed"
	exit 1
fi
exit 0
