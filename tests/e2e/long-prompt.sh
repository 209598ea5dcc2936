#!/bin/bash
# A question longer than the 80-column status line keeps its end (the question itself) and cuts the middle of what it is about; a meeting header too long for the line cuts the series name, not the attendance count.
. "$(dirname "$0")/lib.sh"

start_server
SERIES="Casusoverleg huiselijk geweld district Eemland"
MEETING=$(meeting_id "$SERIES") || fail "no '$SERIES' meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
# the header cuts a long series name, not the attendance at its end
wait_re chair "^Casusoverleg huiselijk geweld .*… · 20[0-9-]+ [0-9:]+ · open · 1 aanwezig *$" ||
	fail "header lost the attendance count: $(screen chair | sed -n 2p)"
# the one item whose decision the chair may read gets one: closing then asks
# about the items whose case (and so decision) is hidden from the chair,
# whole, its question at the end of the line
keys chair d
wait_re chair "^Besluit over casus [0-9-]+:" || fail "d did not ask"
type_text chair "Besluit"
keys chair Enter
wait_re chair "^Besluit over casus [0-9-]+ vastgelegd\." || fail "decision not recorded"
keys chair c
wait_re chair "^[0-9]+ agendapunten? zonder zichtbaar besluit \(.*\)\. Toch sluiten\? \(j/n\): *$" ||
	fail "close question cut before its end: $(screen chair | tail -n 3)"
type_text chair n
wait_for chair "· open ·" || fail "meeting closed after answering n"
ok
