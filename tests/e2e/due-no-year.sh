#!/bin/bash
# A due date without a year is the nearest such day: two days ago is in the past (and asked about), not a year ahead where it would never be overdue.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
chair_start chair

# two days ago as day-month: this year's (last year's on 1 January), past
desc="Zonder jaartal e2e$$"
typed=$(TZ=Europe/Amsterdam date -d '-2 days' +%-d-%-m)
past=$(TZ=Europe/Amsterdam date -d '-2 days' +%F)
chair_ask_due "$desc"
type_text chair "$typed"
keys chair Enter
wait_for chair "$past ligt in het verleden. Toch gebruiken? (j/n):" ||
	fail "$typed is not $past, asked as past: $(screen chair | tail -n 3)"
type_text chair "j"
wait_for chair "Afspraak vastgelegd" || fail "past date not recorded"
wait_re pol "$past +.*$desc" || fail "follower: $desc not due $past"

# forty days ahead as day-month: ahead, no question
desc2="Over veertig dagen e2e$$"
typed=$(TZ=Europe/Amsterdam date -d '+40 days' +%-d/%-m)
ahead=$(TZ=Europe/Amsterdam date -d '+40 days' +%F)
chair_ask_due "$desc2"
type_text chair "$typed"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "$typed not recorded: $(screen chair | tail -n 3)"
wait_re pol "$ahead +open +$desc2" || fail "follower: $desc2 not due $ahead"
ok
