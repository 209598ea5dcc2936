#!/bin/bash
# The proposals list (v) shows a case's whole status: "plan van aanpak" (15 columns) was cut to "plan van aanp…", even on a wide screen.
. "$(dirname "$0")/lib.sh"

start_server
# a WZT meeting next week: the demo's case in "plan van aanpak" (2026-0003,
# an action point overdue) is proposed for it, not yet on its agenda
day=$(TZ=Europe/Amsterdam date -d '+7 days' +%F)
out=$(ctl meeting plan --series WZT --date "$day" --time 09:30) || fail "meeting plan: $out"
id=$(sql -tAc "select m.id from meetings m join series s on s.id = m.series_id where s.name like 'WZT%' and m.state = 'planned' and (m.scheduled_start at time zone 'Europe/Amsterdam')::date = '$day'")
[ -n "$id" ] || fail "no WZT meeting on $day: $out"
start_client chair voorzitter --meeting "$id"
wait_re chair "^ +# +Casus" || fail "meeting not shown: $(screen chair)"
keys chair v
wait_for chair "Tafel · Voorstellen" || fail "v did not open the proposals: $(screen chair)"
wait_re chair '^  20[0-9]{2}-[0-9]{4} +plan van aanpak +afspraak verlopen' ||
	fail "the status is not shown whole: $(screen chair)"
ok
