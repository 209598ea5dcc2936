#!/bin/bash
# The chair's note that the shared screen hides part of a case ("een aanwezige organisatie mag niet …") is shown while the meeting is open and no longer once it is closed, when nobody is present and the shared screen shows no case (found by an outside tester); also not when the closed meeting is opened again.
. "$(dirname "$0")/lib.sh"

start_server
# today's WZT: the GP practice (no covenant) attends
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
wait_for chair "Op het gedeelde scherm wordt deze casus gepseudonimiseerd" ||
	fail "open meeting: no note on the shared screen: $(screen chair)"

keys chair c
wait_re chair "Toch sluiten\? \(j/n\):|Overleg sluiten\? \(j/n\)" || fail "close not asked: $(screen chair)"
type_text chair "j"
wait_for chair "Overleg gesloten." || fail "close not confirmed: $(screen chair)"
wait_for chair "· gesloten" || fail "meeting not shown as closed: $(screen chair)"
wait_gone chair "Op het gedeelde scherm" 5 ||
	fail "closed meeting: the shared screen note is still shown: $(screen chair)"
# the first item again, and the meeting opened anew from the list
keys chair k k k k k
sleep 0.5
screen chair | grep -qF "Op het gedeelde scherm" &&
	fail "closed meeting: note on another item: $(screen chair)"
keys chair q
wait_for chair "Tafel · Overleggen" || fail "q did not go to the meetings: $(screen chair)"
keys chair Enter
wait_re chair "^ +# +Casus" || fail "closed meeting did not open again: $(screen chair)"
wait_for chair "WZT Enschede-Noord · " || fail "another meeting opened: $(screen chair)"
wait_for chair "· gesloten" || fail "the meeting opened again is not the closed one: $(screen chair)"
sleep 1
screen chair | grep -qF "Op het gedeelde scherm" &&
	fail "closed meeting opened again: the note is shown: $(screen chair)"
ok
