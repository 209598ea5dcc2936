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

# one unread entry in Veilig Thuis's inbox: the police complete an action
# point on a case Veilig Thuis submitted (its status line: "postvak: N ongelezen")
pol=$(org_of_kind police)
own=$(signal_case veiligthuis Offlinedorp "Eigen melding")
[ -n "$pol" ] && [ -n "$own" ] || fail "organisations or signal: pol=$pol own=$own"
act=$(printf '%s\n' "action $own 0 $pol $due Buurtonderzoek" quit | batch veiligthuis |
	pick 'm["action_point"]["id"], m["action_point"]["version"]')
set -- $(echo "$act" | tr -d '(),')
[ -n "${2:-}" ] || fail "action for the police: $act"
printf '%s\n' "complete $1 $2 Gedaan" quit | batch politie | grep -q '"body":"action_point"' ||
	fail "the police did not complete it"

start_client vt veiligthuis
keys vt 3
wait_for vt "Terugbellen melder" || fail "vt: action point not listed: $(screen vt)"
wait_re vt "postvak: [0-9]+ ongelezen" || fail "vt: no unread count: $(screen vt | tail -n 2)"
keys vt /
type_text vt "Terugbellen"; keys vt Enter
keys vt c
wait_for vt "afronden — terugkoppeling voor de aanmelder:" || fail "vt: c did not ask: $(screen vt)"
type_text vt "Melder teruggebeld"
# a partner who only reads: the lists it asks for while the server is
# away are no changes of its own
start_client rd reclassering
wait_for rd "Tafel · Overleggen" || fail "rd: no meetings list: $(screen rd)"
tafeld_stop
# the client has seen the connection end (its status line is under the
# answer line), so Enter finds it disconnected
wait_closed "$port" || fail "vt: still connected to the stopped server"
keys vt Enter
wait_for vt "Niet verbonden: de wijziging wordt verstuurd zodra de verbinding terug is." ||
	fail "vt: Enter while disconnected: no word on the wait: $(screen vt)"
# once the message is gone, the status line still says that a change waits,
# also with the unread count in it (which goes last when the line is full)
keys vt /
keys vt Escape
wait_for vt "wijzigingen wachten op verzending" ||
	fail "vt: the waiting change is not in the status line: $(screen vt | tail -n 2)"
# a list asked for while the server is away is no change waiting, and q
# quits without asking about unsent changes
keys rd 8
wait_for rd "Tafel · Inforondes" || fail "rd: 8 did not open the info rounds: $(screen rd)"
sleep 1
screen rd | tail -n 2 | grep -qE "wijzigingen wachten op verzending|niet verzonden" &&
	fail "rd: a list still to be read is called a waiting change: $(screen rd | tail -n 2)"
keys rd q
wait_for rd "Tafel · Overleggen" || fail "rd: q did not go back: $(screen rd)"
keys rd q
wait_for rd "[tafel exited] 0" ||
	fail "rd: q asked instead of quitting, with nothing of its own unsent: $(screen rd | tail -n 3)"
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
