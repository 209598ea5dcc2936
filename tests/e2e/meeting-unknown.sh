#!/bin/bash
# tafel --meeting with the id of a meeting that does not exist, or of one the user's organisation takes no part in:
# the meetings list with a message that says which, not "Overleg laden…" for ever and not a message about planning.
. "$(dirname "$0")/lib.sh"

start_server
start_client a slachtofferhulp --meeting 99999
wait_for a "Overleg 99999 bestaat niet (of is verwijderd)." || fail "unknown meeting not said: $(screen a)"
wait_re a '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "not back on the meetings list: $(screen a)"
screen a | grep -q "Overleg laden" && fail "still loading: $(screen a)"
screen a | grep -q "plan er eerst een" && fail "a planning message: $(screen a)"
other=$(sql -At -c "SELECT min(m.id) FROM meetings m WHERE NOT EXISTS (SELECT 1 FROM series_members sm
	JOIN users u ON u.org_id = sm.org_id WHERE sm.series_id = m.series_id AND u.login = 'slachtofferhulp')")
[ -n "$other" ] || fail "no meeting without slachtofferhulp in the demo data"
start_client b slachtofferhulp --meeting "$other"
wait_for b "Overleg $other is niet voor u: uw organisatie neemt er niet aan deel." ||
	fail "meeting of others not said: $(screen b)"
wait_re b '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "b: not back on the meetings list: $(screen b)"
# the list still works: Enter opens a meeting of its own
keys b Enter
wait_re b "^ +# +Casus" || fail "b: Enter on the list did not open a meeting: $(screen b)"
ok
