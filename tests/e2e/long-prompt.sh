#!/bin/bash
# A question longer than the 80-column status line keeps its end (the question itself) and cuts the middle of what it is about.
. "$(dirname "$0")/lib.sh"

start_server
SERIES="Casusoverleg huiselijk geweld district Eemland"
MEETING=$(meeting_id "$SERIES") || fail "no '$SERIES' meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
keys chair c
wait_re chair "^Overleg 'Casusoverleg huiselijk .*….*' sluiten\? \(j/n\): *$" ||
	fail "close question cut before its end: $(screen chair | tail -n 3)"
type_text chair n
wait_for chair "· open ·" || fail "meeting closed after answering n"
ok
