#!/bin/bash
# The chair's A (record attendance) in a meeting that is not open says so at once ("A: niet mogelijk nu het overleg gepland is."), as a partner's A does, instead of opening the person picker, asking "aanwezig?" and "op afstand?" and then getting the server's bare "Die stap is in de huidige toestand niet mogelijk."; once the meeting is open, A opens the picker.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "· gepland ·" || fail "the meeting is not planned: $(screen chair)"
keys chair A
wait_for chair "A: niet mogelijk nu het overleg gepland is." ||
	fail "A in a planned meeting: $(screen chair | tail -n 3)"
screen chair | grep -qF "Persoon kiezen" && fail "A opened the picker: $(screen chair | head -n 2)"
chair_start chair
keys chair A
wait_for chair "Tafel · Persoon kiezen" || fail "A in the open meeting: no picker: $(screen chair)"
ok
