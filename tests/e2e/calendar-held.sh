#!/bin/bash
# The calendar (9) and the chair's question to close give an opened meeting the time it was opened, as the meetings list does: a partner saw the SSO meeting under 21:20 in the list and under its planned 13:00 in the calendar.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
planned=$(sql -tAc "select to_char(scheduled_start at time zone 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI') from meetings where id = $MEETING")
[ "$planned" != "$(TZ=Europe/Amsterdam date '+%F %H:%M')" ] || { echo "SKIP: run at the planned minute"; exit 77; }
chair_start chair
opened=$(sql -tAc "select to_char(opened_at at time zone 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI') from meetings where id = $MEETING")
[ -n "$opened" ] || fail "no opening time stored"
start_client rec reclassering
wait_re rec "^ +[0-9]+  $opened  SSO Enschede +open" || fail "the list does not give the opening time $opened: $(screen rec)"
keys rec 9
wait_for rec "Tafel · Kalender" || fail "9 did not open the calendar: $(screen rec)"
wait_re rec "^[ !] $opened  SSO Enschede +open" ||
	fail "the calendar does not give the opening time $opened (planned $planned): $(screen rec)"
# (the line starts with "!" when it overlaps another meeting: at 13:04 an
# open meeting meets the demo's 15:00 one)
# the pane under the list says the same, once the SSO meeting is selected
# (opened after 15:00, it comes after the demo's 15:00 meeting)
# (moved there by its place in the list: Down until the pane shows it could
# press on past it while a slow client had yet to draw the move before)
idx=$(screen rec | grep -E '^[ !] 20[0-9]{2}-' | grep -nE "^[ !] $opened  SSO Enschede" | head -n 1 | cut -d: -f1)
[ -n "$idx" ] || fail "the calendar does not list the SSO meeting: $(screen rec)"
for _ in $(seq 1 20); do keys rec k; done
for _ in $(seq 2 "$idx"); do keys rec j; done
wait_re rec "SSO Enschede · open · $opened · " || fail "the calendar's pane: $(screen rec)"
# and so does the chair's question to close it (every item decided)
n=$(sql -tAc "select count(*) from agenda_items where meeting_id = $MEETING")
for i in $(seq 1 "$n"); do
	wait_re chair "^▶ +$i " || fail "item $i is not current: $(screen chair)"
	keys chair d
	wait_for chair "Besluit over casus" || fail "d did not ask (item $i)"
	type_text chair "Besproken $i"; keys chair Enter
	wait_for chair "vastgelegd." || fail "decision $i not recorded: $(screen chair | tail -n 3)"
	[ "$i" -lt "$n" ] && keys chair n
done
keys chair c
wait_for chair "Overleg 'SSO Enschede $opened' sluiten? (j/n):" ||
	fail "the close question does not give the opening time $opened: $(screen chair | tail -n 3)"
keys chair n
ok
