#!/bin/bash
# tafelctl backup while writes go on: the summary it prints ("cases", "change log position") counts what the file holds, because it is counted in the snapshot pg_dump reads (before, it was counted after pg_dump and was ahead of the file; found by the fault injector).
. "$(dirname "$0")/lib.sh"

tafeld_start 0
demo_data
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
file=$E2E_DIR.backup
# a writer registering signals all the time the backup runs
{
	for i in $(seq 1 400); do
		printf 'signal domestic_violence Backupdorp person Backup %s\n' "$i"
		sleep 0.01
	done
	printf 'quit\n'
} | batch politie >"$E2E_DIR.writer" 2>&1 &
writer=$!
for _ in $(seq 1 50); do
	[ "$(grep -c '"case_record"' "$E2E_DIR.writer" 2>/dev/null)" -ge 20 ] && break
	sleep 0.2
done
out=$(ctl backup "$file") || fail "backup failed: $out"
after=$(grep -c '"case_record"' "$E2E_DIR.writer")
wait "$writer"
[ "$after" -lt 400 ] || fail "the writer was done before the backup (the test proves nothing)"
pos=$(printf '%s\n' "$out" | awk '/change log position/ {print $NF}')
cases=$(printf '%s\n' "$out" | awk '$1 == "cases" {print $NF}')
[ -n "$pos" ] && [ -n "$cases" ] || fail "no summary: $out"
# what the file holds
chmod 644 "$file"
fpos=$("$BIN/pg_restore" --data-only -t changelog -f - "$file" |
	awk '/^COPY /{c=1; next} /^\\\./{c=0} c {if ($1 > m) m = $1} END {print m + 0}')
fcases=$("$BIN/pg_restore" --data-only -t cases -f - "$file" |
	awk '/^COPY /{c=1; next} /^\\\./{c=0} c {n++} END {print n + 0}')
[ "$pos" = "$fpos" ] || fail "summary says change log position $pos, the file holds $fpos"
[ "$cases" = "$fcases" ] || fail "summary says $cases cases, the file holds $fcases"
ok
