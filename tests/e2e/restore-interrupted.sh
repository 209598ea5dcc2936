#!/bin/bash
# An interrupted initdb or restore is never taken for a cluster, and a failed start leaves no postmaster running (found by the fault injector: a restore killed during initdb left pg/data/PG_VERSION, every later restore "reused" the half-made cluster, failed with "the database system is in recovery mode" and left its postmaster running).
. "$(dirname "$0")/lib.sh"

BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIRS=()
TPID=

# the data directories of this test: their postmasters stopped, then removed
extra_cleanup() {
	local d
	[ -n "$TPID" ] && { kill -TERM "$TPID" 2>/dev/null; wait "$TPID" 2>/dev/null; }
	for d in "${DIRS[@]}"; do
		if [ -n "$(postmasters "$d")" ]; then
			if [ "$(id -u)" -eq 0 ]; then
				(cd / && runuser -u "${TAFEL_TEST_USER:-tafel}" -- \
					"$BIN/pg_ctl" -D "$d/pg/data" -m immediate -w stop) >/dev/null 2>&1
			else
				"$BIN/pg_ctl" -D "$d/pg/data" -m immediate -w stop >/dev/null 2>&1
			fi
		fi
		rm -rf "$d" "$d.out" "$d.log"
	done
}
trap 'extra_cleanup; cleanup' EXIT

# postmasters DIR: the postmasters running on DIR's cluster (pid and command)
postmasters() {
	ps -eo pid=,args= | grep -F -- "postgres -D $1/pg/data " | grep -v grep
}

# no_postmaster DIR WHEN: fails if a postmaster of DIR is still running
no_postmaster() {
	local left
	sleep 0.5
	left=$(postmasters "$1")
	[ -z "$left" ] || fail "$2: a postmaster of $1 is still running: $left"
}

# rctl DIR ARGS...: tafelctl on another data directory
rctl() {
	local d=$1
	shift
	"$TAFELCTL" --config /dev/null --data-dir "$d" "$@" 2>&1
}

# tafeld_on DIR: tafeld on DIR in the background (TPID); 0 once it listens,
# 1 when it exited (its output in DIR.log)
tafeld_on() {
	local d=$1 deadline=$((SECONDS + 120))
	"$TAFELD" --data-dir "$d" --listen 127.0.0.1:0 --config /dev/null \
		--set "user=${TAFEL_TEST_USER:-tafel}" >>"$d.log" 2>&1 &
	TPID=$!
	while [ $SECONDS -lt $deadline ]; do
		grep -q "listening on 127.0.0.1:" "$d.log" 2>/dev/null && return 0
		kill -0 "$TPID" 2>/dev/null || { wait "$TPID"; TPID=; return 1; }
		sleep 0.1
	done
	fail "tafeld on $d neither listened nor exited: $(tail -n 5 "$d.log")"
}

tafeld_off() {
	kill -TERM "$TPID"
	wait "$TPID"
	TPID=
}

# kill_in_initdb DIR CMD...: runs CMD in a process group of its own and
# kills that group (CMD, initdb and initdb's postgres) with -9 while initdb
# is at work on DIR's cluster: a power cut, ^C, the OOM killer
kill_in_initdb() {
	local d=$1 p deadline=$((SECONDS + 60))
	shift
	setsid "$@" >"$d.out" 2>&1 &
	p=$!
	# the new place (pg/data.initdb) or the old one (pg/data)
	until [ -e "$d/pg/data.initdb/global/pg_control" ] ||
		[ -e "$d/pg/data/global/pg_control" ]; do
		kill -0 "$p" 2>/dev/null || fail "$* ended before initdb could be interrupted: $(cat "$d.out")"
		[ $SECONDS -lt $deadline ] || fail "no initdb at work in $d"
		sleep 0.02
	done
	kill -KILL -- -"$p"
	wait "$p" 2>/dev/null
}

tafeld_start 0
demo_data
backup=$E2E_DIR.dump
out=$(ctl backup "$backup") || fail "backup: $out"
tafeld_stop
DIRS+=("$E2E_DIR.dump")

# 1. tafelctl restore killed while initdb runs: the next restore makes the
# cluster afresh and restores; nothing of it keeps running
r=$E2E_DIR.r
DIRS+=("$r")
kill_in_initdb "$r" "$TAFELCTL" --config /dev/null --data-dir "$r" restore "$backup"
# not a first start with an empty register either
out=$(rctl "$r" user list) && fail "tafelctl ran on a restore killed in initdb: $out"
printf '%s\n' "$out" | grep -q "holds an incomplete restore" || fail "user list: $out"
no_postmaster "$r" "after the refused user list"
out=$(rctl "$r" restore "$backup") || fail "the restore after one killed in initdb failed: $out"
printf '%s\n' "$out" | grep -q "restored from" || fail "no restore: $out"
printf '%s\n' "$out" | grep -q "removing .*pg/data.initdb: an initdb that did not finish" ||
	fail "the leftover of the interrupted initdb is not named: $out"
printf '%s\n' "$out" | grep -q "reusing" && fail "the half-made cluster was reused: $out"
[ -e "$r/pg/data.initdb" ] && fail "pg/data.initdb is still there"
no_postmaster "$r" "after the restore"
# a second restore into it is refused plainly (it holds the register now)
out=$(rctl "$r" restore "$backup") && fail "a second restore was accepted: $out"
printf '%s\n' "$out" | grep -q "already holds a register" || fail "second restore: $out"
no_postmaster "$r" "after the refused restore"
# tafeld starts on the restored register
tafeld_on "$r" || fail "tafeld on the restored directory: $(tail -n 5 "$r.log")"
out=$(rctl "$r" user list) || fail "user list: $out"
printf '%s\n' "$out" | grep -q voorzitter || fail "the restored register: $out"
tafeld_off
no_postmaster "$r" "after tafeld on the restored directory"

# 2. tafeld's first start killed while initdb runs: the next start makes
# the cluster afresh
t=$E2E_DIR.t
DIRS+=("$t")
kill_in_initdb "$t" "$TAFELD" --data-dir "$t" --listen 127.0.0.1:0 --config /dev/null \
	--set "user=${TAFEL_TEST_USER:-tafel}"
tafeld_on "$t" || fail "tafeld after a first start killed in initdb: $(tail -n 8 "$t.log")"
grep -q "removing .*pg/data.initdb: an initdb that did not finish" "$t.log" ||
	fail "the leftover of the interrupted initdb is not named: $(cat "$t.log")"
tafeld_off
no_postmaster "$t" "after tafeld's second first start"

# 3. a restore killed while pg_restore runs (it reads a pipe that stalls):
# the data directory is marked; tafeld and other commands refuse it with
# what to do, the next restore works and stops the postmaster left behind
r2=$E2E_DIR.r2
DIRS+=("$r2")
fifo=$E2E_DIR.fifo
mkfifo "$fifo" || fail "mkfifo"
DIRS+=("$fifo")
setsid "$TAFELCTL" --config /dev/null --data-dir "$r2" restore "$fifo" >"$r2.out" 2>&1 &
p=$!
exec 7>"$fifo"
head -c 20000 "$backup" >&7
deadline=$((SECONDS + 60))
until [ -e "$r2/pg/restore-incomplete" ]; do
	kill -0 "$p" 2>/dev/null || fail "the restore from a pipe ended: $(cat "$r2.out")"
	[ $SECONDS -lt $deadline ] || fail "no restore mark in $r2/pg"
	sleep 0.05
done
sleep 0.5
kill -KILL -- -"$p"
wait "$p" 2>/dev/null
exec 7>&-
out=$(rctl "$r2" user list) && fail "tafelctl ran on an interrupted restore: $out"
printf '%s\n' "$out" | grep -q "holds an incomplete restore .*run tafelctl restore FILE into it again, or move the data directory aside or remove it" ||
	fail "unclear message for an interrupted restore: $out"
tafeld_on "$r2" && fail "tafeld started on an interrupted restore"
grep -q "holds an incomplete restore" "$r2.log" || fail "tafeld's message: $(tail -n 3 "$r2.log")"
out=$(rctl "$r2" restore "$backup") || fail "the restore after an interrupted one failed: $out"
printf '%s\n' "$out" | grep -q "an earlier restore into .* did not finish" || fail "not said: $out"
printf '%s\n' "$out" | grep -q "restored from" || fail "no restore: $out"
[ -e "$r2/pg/restore-incomplete" ] && fail "the restore mark stayed"
no_postmaster "$r2" "after the second restore"
tafeld_on "$r2" || fail "tafeld after the second restore: $(tail -n 5 "$r2.log")"
tafeld_off
no_postmaster "$r2" "after tafeld on the second restore"

# 4. a cluster whose start fails (it crash-loops: an incomplete cluster)
# leaves no postmaster behind, from tafelctl nor from tafeld
c=$E2E_DIR.c
DIRS+=("$c")
cp -a "$E2E_DIR" "$c" || fail "cp"
rm -f "$c/pg/data/global/pg_filenode.map" "$c/pg/data/postmaster.pid"
out=$(rctl "$c" user list) && fail "user list on a broken cluster: $out"
no_postmaster "$c" "after tafelctl's failed start"
tafeld_on "$c" && fail "tafeld started on a broken cluster"
no_postmaster "$c" "after tafeld's failed start"
ok
