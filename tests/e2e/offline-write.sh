#!/bin/bash
# A partner completes an action point while the server is away: the client says it waits, and once the connection is back the write lands once and its confirmation is seen.
. "$(dirname "$0")/lib.sh"

start_server
port=$E2E_PORT
vt=$(org_of_kind veilig_thuis)
[ -n "$vt" ] || fail "organisations: vt=$vt"
case_id=$(signal_case politie Offlinedorp "Melding na ruzie")
[ -n "$case_id" ] || fail "signal"
due=$(date -d '+7 days' +%Y-%m-%d)
printf '%s\n' "action $case_id 0 $vt $due Terugbellen melder" quit | batch politie |
	grep -q '"body":"action_point"' || fail "action"

start_client vt veiligthuis
keys vt 3
wait_for vt "Terugbellen melder" || fail "vt: action point not listed: $(screen vt)"
keys vt /
type_text vt "Terugbellen"; keys vt Enter
keys vt c
wait_for vt "afronden — terugkoppeling voor de aanmelder:" || fail "vt: c did not ask: $(screen vt)"
type_text vt "Melder teruggebeld"
tafeld_stop
sleep 1
keys vt Enter
wait_for vt "Niet verbonden: de wijziging wordt verstuurd zodra de verbinding terug is." ||
	fail "vt: Enter while disconnected: no word on the wait: $(screen vt)"
tafeld_start "$port"
[ "$E2E_PORT" = "$port" ] || fail "tafeld came back on $E2E_PORT, not $port"
# the confirmation says where the feedback went, and stays until a key (the
# user may have looked away while the change waited): not gone after the
# 10 s that other news stays
wait_for vt "Afgerond; terugkoppeling naar Politie Eenheid Oost-Nederland (postvak)." 60 ||
	fail "vt: no confirmation after the reconnect: $(screen vt)"
sleep 12
screen vt | grep -qF "Afgerond; terugkoppeling naar Politie Eenheid Oost-Nederland (postvak)." ||
	fail "vt: the confirmation went before a key: $(screen vt)"
keys vt /
keys vt Escape
wait_gone vt "Afgerond; terugkoppeling naar" || fail "vt: a key did not clear it: $(screen vt)"
# applied once: the action point is done, one feedback entry for the police
n=$(inbox_count politie received "$case_id" action_done)
[ "$n" = 1 ] || fail "feedback entries for the police: $n, want 1"
ok
