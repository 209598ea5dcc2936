#!/bin/bash
# tafel --batch: an action completed by a partner reaches the submitter's inbox live (no meeting followed); read receipts for the sender.
. "$(dirname "$0")/lib.sh"

start_server

vt=$(org_of_kind veilig_thuis)
[ -n "$vt" ] || fail "no Veilig Thuis"

# the police submit a case and agree an action point for Veilig Thuis
due=$(date -d '+7 days' +%Y-%m-%d)
res=$(printf '%s\n' "signal domestic_violence Inboxdorp person Melding na ruzie" quit |
	batch politie)
case_id=$(echo "$res" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["id"]); break')
[ -n "$case_id" ] || fail "signal: $res"
act=$(printf '%s\n' "action $case_id 0 $vt $due Huisbezoek afleggen" quit |
	batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "action_point":
        print(o["action_point"]["id"], o["action_point"]["version"]); break')
[ -n "$act" ] || fail "action"
set -- $act

# the police follow only their inbox while Veilig Thuis completes it
out=$E2E_DIR/batch-inbox.out
{ printf 'subscribe-inbox\nsleep 6000\nquit\n' | batch politie >"$out" 2>&1; } &
pol=$!
# the completion must come after the subscription, or it is in the snapshot
# (unread 1), not an event: wait for the answer, not a fixed time
wait_file "$out" '"subscribed"' || fail "the inbox subscription was not answered: $(cat "$out")"
printf '%s\n' "complete $1 $2 Huisbezoek gedaan" quit | batch veiligthuis >/dev/null
wait "$pol"
entry=$(python3 - "$out" "$case_id" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
sub = [o for o in lines if o.get("body") == "subscribed"]
assert sub and sub[0]["subscribed"]["inbox"].get("unread", 0) == 0, lines
ev = [o["event"]["inbox_entry"] for o in lines if o["type"] == "event"
      and "inbox_entry" in o["event"]]
assert ev and ev[0]["case_id"] == int(sys.argv[2]), lines
assert ev[0]["kind"] == "action_done", ev
assert ev[0]["action_point"]["completion_note"] == "Huisbezoek gedaan", ev
print(ev[0]["id"])
PY
) || fail "the submitter did not get the feedback live: $(cat "$out")"

# unread, read, and the sender sees who read it
res=$(printf '%s\n' "inbox unread received" "read $entry" "inbox unread received" quit |
	batch politie)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] in ("response", "error")]
assert r[0]["inbox_list"]["unread"] == 1, r[0]
assert r[1]["body"] == "inbox_entry" and r[1]["inbox_entry"]["read_at"] > 0, r[1]
assert r[2]["inbox_list"].get("unread", 0) == 0, r[2]
' || fail "inbox/read: $res"
res=$(printf '%s\n' "inbox all sent" quit | batch veiligthuis)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] == "response"]
e = r[0]["inbox_list"]["entries"][0]
assert e["sent_by_me"] and e["read_by_name"] == "Sanne Jansen", e
' || fail "read receipt: $res"
ok
