#!/bin/bash
# The due date of an action point accepts the forms people type (+7, morgen, 8-12); a day that does not exist is refused, a day in the past only when confirmed.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
chair_start chair

# +7: a week from today in Amsterdam
desc="Datum plus zeven e2e$$"
chair_ask_due "$desc"
type_text chair "31-11-2026"
keys chair Enter
wait_for chair "'31-11-2026' is geen datum" || fail "31-11 not refused"
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7): 31-11-2026" || fail "typed date not kept"
keys chair C-u
type_text chair "1-1-2020"
keys chair Enter
wait_for chair "2020-01-01 ligt in het verleden. Toch gebruiken? (j/n):" || fail "past date not questioned"
type_text chair "n"
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7): 2020-01-01" || fail "not back at the due date"
keys chair C-u
type_text chair "+7"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "+7 not recorded"
week=$(TZ=Europe/Amsterdam date -d '+7 days' +%F)
wait_re pol "$week +open +$desc" || fail "follower: $desc not due $week"

# morgen
desc2="Datum morgen e2e$$"
chair_ask_due "$desc2"
type_text chair "morgen"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "morgen not recorded"
tomorrow=$(TZ=Europe/Amsterdam date -d '+1 day' +%F)
wait_re pol "$tomorrow +open +$desc2" || fail "follower: $desc2 not due $tomorrow"
ok
