#!/bin/bash
# The submitter's client, following no meeting, announces feedback on an action completed by a partner and shows the unread count in the status line.
. "$(dirname "$0")/lib.sh"

start_server
vt=$(org_of_kind veilig_thuis)
case_id=$(printf '%s\n' "signal domestic_violence Inboxdorp person Melding na ruzie" quit |
	batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["id"], o["case_record"]["number"]); break')
set -- $case_id
[ -n "${2:-}" ] || fail "signal"
number=$2
act=$(printf '%s\n' "action $1 0 $vt $(date -d '+7 days' +%Y-%m-%d) Huisbezoek afleggen" quit |
	batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "action_point":
        print(o["action_point"]["id"], o["action_point"]["version"]); break')
set -- $act
[ -n "${2:-}" ] || fail "action"

start_client pol politie
wait_for pol "verbonden" || fail "client not connected: $(screen pol)"
screen pol | grep -qF "ongelezen" && fail "unread shown before any feedback"
printf '%s\n' "complete $1 $2 Huisbezoek gedaan" quit | batch veiligthuis >/dev/null
wait_for pol "Nieuwe terugkoppeling op casus $number (postvak)." ||
	fail "no announcement: $(screen pol)"
keys pol r
wait_for pol "postvak: 1 ongelezen" || fail "no unread count: $(screen pol)"

# read elsewhere (batch): the count goes
entry=$(printf 'inbox unread received\nquit\n' | batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "inbox_list":
        print(o["inbox_list"]["entries"][0]["id"])')
printf '%s\n' "read $entry" quit | batch politie >/dev/null
wait_gone pol "ongelezen" || fail "unread count stayed: $(screen pol)"
ok
