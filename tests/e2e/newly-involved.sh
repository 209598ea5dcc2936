#!/bin/bash
# A partner whose organisation becomes involved in a case during the meeting (the chair gives it an action point) sees
# the decision recorded before, not "(nog geen)": the action point's event brings the case's agenda item with it.
. "$(dirname "$0")/lib.sh"

start_server
SERIES="Casusoverleg huiselijk geweld district Eemland"
MEETING=$(meeting_id "$SERIES") || fail "no '$SERIES' meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
start_client vt veiligthuis --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re vt "^ +# +Casus" || fail "vt: meeting not shown"
chair_start chair
num=$(current_line chair | awk '{print $3}')
[ "$num" = 2026-0005 ] || fail "item 1 is $num, not the police's case 2026-0005"

keys chair d
wait_for chair "Besluit over casus $num" || fail "d did not ask"
type_text chair "Huisverbod opleggen e2e$$"
keys chair Enter
wait_for chair "Besluit over casus $num vastgelegd." || fail "decision not recorded"
# Veilig Thuis is not involved yet: hidden, and said so
wait_for vt "Besluit: (verborgen, zie boven)" || fail "vt: decision not hidden before: $(screen vt)"

keys chair a
wait_for chair "Omschrijving" || fail "a did not open the form"
type_text chair "Veiligheidsplan opstellen"; keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer):" || fail "owner not asked"
type_text chair "Veilig"; keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "person not asked"
type_text chair "Joris"; keys chair Enter
wait_for chair "Uiterste datum" || fail "due date not asked"
type_text chair "+7"; keys chair Enter
wait_for chair "Afspraak vastgelegd." || fail "action point not recorded: $(screen chair)"

# now involved: the names, the decision and the new action point, never "(nog geen)"
wait_for vt "Besluit: Huisverbod opleggen e2e$$" || fail "vt: decision not shown once involved: $(screen vt)"
wait_for vt "Veiligheidsplan opstellen" || fail "vt: its action point not shown"
screen vt | grep -q "Besluit: (nog geen)" && fail "vt: says no decision"
screen vt | grep -q "volgt voorzitter" || fail "vt: no longer following the chair: $(screen vt)"
ok
