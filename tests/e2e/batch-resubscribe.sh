#!/bin/bash
# tafel --batch follows the case list (subscribe-cases, subscribe-list cases) and the inbox across a kill -9 and restart of tafeld: each subscription is resumed from its last seq, so a signal registered after the restart and feedback in the inbox still reach the followers, once.
. "$(dirname "$0")/lib.sh"

FOLLOWERS=
stop_followers() {
	local p
	for p in $FOLLOWERS; do
		kill "$p" 2>/dev/null
	done
	cleanup
}
trap stop_followers EXIT

start_server
port=$E2E_PORT
dir=$E2E_DIR/resubscribe
mkdir -p "$dir" || fail "mkdir $dir"

# follow NAME COMMAND: tafel --batch as politie (PID_NAME), reading its
# commands from a fifo kept open for writing (fd FD_NAME), printing to
# $dir/NAME.out
follow() {
	local name=$1 cmd=$2 fd
	mkfifo "$dir/$name.in" || fail "mkfifo"
	LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server "127.0.0.1:$E2E_PORT" \
		--user politie --ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" \
		<"$dir/$name.in" >"$dir/$name.out" 2>"$dir/$name.err" &
	FOLLOWERS="$FOLLOWERS $!"
	eval "PID_$name=$!"
	exec {fd}>"$dir/$name.in"
	eval "FD_$name=$fd"
	echo "$cmd" >&"$fd"
}

# count NAME PYEXPR: how many output lines m of follower NAME satisfy PYEXPR
count() {
	python3 - "$dir/$1.out" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    m = json.loads(line)
    try:
        n += bool(eval(sys.argv[2]))
    except (KeyError, IndexError, TypeError):
        pass
print(n)
PY
}

# wait_count NAME PYEXPR N [TIMEOUT]: until at least N lines satisfy PYEXPR
wait_count() {
	local deadline=$((SECONDS + ${4:-20}))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(count "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.2
	done
	return 1
}

SUBSCRIBED='m["type"] == "response" and m["body"] == "subscribed"'
RESUMED='m["body"] == "subscribed" and m["subscribed"]["resumed"]'
case_event() {
	printf 'm["type"] == "event" and m["event"]["case"]["reason"] == "%s"' "$1"
}

vt=$(printf 'orgs\nquit\n' | batch politie |
	pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "veilig_thuis"][0]')
[ -n "$vt" ] || fail "no Veilig Thuis"

# the police submit a case with an action point for Veilig Thuis: its
# completion later is feedback in the police's inbox
out=$(printf '%s\n' "signal domestic_violence Hervatdorp person Melding voor de inbox" quit |
	batch politie)
case_id=$(echo "$out" | pick 'm["case_record"]["id"]')
[ -n "$case_id" ] || fail "signal: $out"
due=$(date -d '+7 days' +%F)
out=$(printf '%s\n' "action $case_id 0 $vt $due Huisbezoek afleggen" quit | batch politie)
act=$(echo "$out" | pick 'm["action_point"]["id"]')
ver=$(echo "$out" | pick 'm["action_point"]["version"]')
[ -n "$act" ] && [ -n "$ver" ] || fail "action: $out"

follow cases subscribe-cases
follow list "subscribe-list cases"
follow inbox subscribe-inbox
for f in cases list inbox; do
	wait_count "$f" "$SUBSCRIBED" 1 ||
		fail "$f: not subscribed: $(cat "$dir/$f.out" "$dir/$f.err")"
done

# a signal before the restart: every case-list follower has seen a seq
printf '%s\n' "signal domestic_violence Hervatdorp person Voor de herstart" quit |
	batch politie >/dev/null
for f in cases list; do
	wait_count "$f" "$(case_event "Voor de herstart")" 1 ||
		fail "$f: the signal before the restart did not come: $(cat "$dir/$f.out")"
done

# kill -9 and a new tafeld on the same data directory and port
tafeld_kill
tafeld_start "$port"
[ "$E2E_PORT" = "$port" ] || fail "tafeld came back on $E2E_PORT, not $port"

# every follower subscribes again; known seqs are resumed, not snapshotted
for f in cases list inbox; do
	wait_count "$f" "$SUBSCRIBED" 2 60 ||
		fail "$f: not subscribed again after the restart: $(tail -n 3 "$dir/$f.err"; tail -n 2 "$dir/$f.out" | cut -c 1-300)"
	[ "$(count "$f" "$RESUMED")" = 1 ] ||
		fail "$f: the subscription was not resumed: $(tail -n 1 "$dir/$f.out" | cut -c 1-300)"
done
status=$(ctl status --json)
echo "$status" | python3 -c '
import json, sys
subs = {s.get("topic"): s["subscriptions"] for s in json.load(sys.stdin)["subscriptions"]}
assert subs.get("case list") == 2 and subs.get("inbox") == 1, subs
' || fail "tafelctl status after the restart: $(echo "$status" | head -c 2000)"

# another client registers a signal: both case-list followers get it, once
printf '%s\n' "signal domestic_violence Hervatdorp person Na de herstart" quit |
	batch politie >/dev/null
for f in cases list; do
	wait_count "$f" "$(case_event "Na de herstart")" 1 ||
		fail "$f: the signal after the restart did not come: $(tail -n 3 "$dir/$f.out")"
	n=$(count "$f" "$(case_event "Voor de herstart")")
	[ "$n" = 1 ] || fail "$f: the signal before the restart came $n times"
done

# Veilig Thuis completes the action point: feedback in the police's inbox
out=$(printf '%s\n' "complete $act $ver Huisbezoek gedaan" quit | batch veiligthuis)
echo "$out" | grep -q '"body":"action_point"' || fail "complete: $out"
wait_count inbox 'm["type"] == "event" and m["event"]["inbox_entry"]["kind"] == "action_done" and m["event"]["inbox_entry"]["case_id"] == '"$case_id" 1 ||
	fail "inbox: the feedback after the restart did not come: $(tail -n 3 "$dir/inbox.out")"

# quit: each follower logs out, exits with status 0 and printed no error
# (quit rather than end of input: later children inherited the fifos)
for f in cases list inbox; do
	eval "echo quit >&\$FD_$f"
	eval "p=\$PID_$f"
	wait "$p" || fail "$f: exit status $?: $(tail -n 3 "$dir/$f.err")"
	[ "$(count "$f" 'm["type"] == "error"')" = 0 ] ||
		fail "$f: an error line: $(grep '"type":"error"' "$dir/$f.out" | head -n 2)"
done
FOLLOWERS=
ok
