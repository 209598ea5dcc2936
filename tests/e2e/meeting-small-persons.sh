#!/bin/bash
# At 60x15 the meeting view's case panel, with no room for a case's persons, still says how many there are ("+4 meer") instead of leaving them out without a mark (found by an outside tester); the action points keep their count below.
. "$(dirname "$0")/lib.sh"

start_meeting
# the agenda's first case gets four persons
id=$(sql -tAc "select id from cases where number = '2026-0002'")
[ -n "$id" ] || fail "no case 2026-0002"
res=$(printf '%s\n' "add-person $id child 2015-04-01 Noor Özdemir" \
	"add-person $id child 2017-06-02 Daan Özdemir" \
	"add-person $id other - Fatma Özdemir" quit | batch politie)
[ "$(echo "$res" | grep -c '"person"')" = 3 ] || fail "persons not added: $res"

E2E_COLS=60 E2E_ROWS=15 start_client pol politie --meeting "$MEETING"
wait_re pol "^ +# +Casus" || fail "meeting not shown: $(screen pol)"
wait_for pol "Casus 2026-0002" || fail "case panel not shown: $(screen pol)"
# the line under "Aangemeld door" counts the persons left out
panel=$(screen pol | sed -n '/^Casus 2026-0002/,$p')
echo "$panel" | sed -n 3p | grep -qE '^ *\+4 meer' ||
	fail "the persons left out are not counted: $(screen pol)"
echo "$panel" | grep -qF "Besluit:" || fail "the decision line is gone: $(screen pol)"
echo "$panel" | grep -qE '^ *\+2 meer' || fail "the action points are not counted: $(screen pol)"

# at 80x24 the persons are shown
tm resize-window -t pol -x 80 -y 24
wait_for pol "Fatma Özdemir" || fail "persons not shown at 80x24: $(screen pol)"
ok
