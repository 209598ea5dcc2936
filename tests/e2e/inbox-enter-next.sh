#!/bin/bash
# In the inbox, Enter marks the selected entry read and moves on to the next unread entry below it, so Enter, Enter
# reads down the list; with none below it stays (it does not go round to the top, nor to an entry read already).
. "$(dirname "$0")/lib.sh"

start_server
vt=$(org_of_kind veilig_thuis)
case_id=$(signal_case politie Leesdorp "Melding na ruzie")
[ -n "$vt" ] && [ -n "$case_id" ] || fail "vt=$vt case=$case_id"
due=$(date -d '+7 days' +%Y-%m-%d)
acts=$(printf '%s\n' "action $case_id 0 $vt $due Huisbezoek afleggen" "action $case_id 0 $vt $due School bellen" quit |
	batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "action_point":
        print(o["action_point"]["id"], o["action_point"]["version"])' | tr '\n' ' ')
set -- $acts
[ -n "${4:-}" ] || fail "actions: $acts"
printf '%s\n' "complete $1 $2 Huisbezoek gedaan" "complete $3 $4 School gebeld" quit | batch veiligthuis >/dev/null

start_client pol politie
keys pol 6
wait_for pol "Tafel · Postvak" || fail "6 did not open the inbox: $(screen pol)"
wait_for pol "postvak: 2 ongelezen" || fail "not two unread: $(screen pol)"
# the newest (School bellen) on top, selected
wait_for pol "Afspraak: School bellen" || fail "the newest not selected: $(screen pol)"
keys pol Enter
wait_for pol "Terugkoppeling op casus" || fail "no confirmation: $(screen pol)"
# read, and the selection on the next line: its entry in full under the list
wait_for pol "Afspraak: Huisbezoek afleggen" || fail "Enter did not move on to the next entry: $(screen pol)"
keys pol r
wait_for pol "postvak: 1 ongelezen" || fail "count did not drop to 1: $(screen pol)"
keys pol Enter
wait_for pol "Terugkoppeling op casus" || fail "no confirmation of the second: $(screen pol)"
keys pol r
wait_gone pol "ongelezen" || fail "the second entry not read: $(screen pol)"
# no unread one below: the selection stays there
screen pol | grep -q "Afspraak: Huisbezoek afleggen" || fail "the selection left the last unread entry: $(screen pol)"
ok
