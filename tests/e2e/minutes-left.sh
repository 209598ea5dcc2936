#!/bin/bash
# The minutes in the client say that one who was present left before the meeting closed ("· tot 12:19"), as the minutes' text does; before, the view listed her as present without a word. The closed meeting's header then counts nobody present, which would contradict the minutes.
. "$(dirname "$0")/lib.sh"

start_server
M=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
gp=$(sql -Atc "SELECT id FROM users WHERE login = 'huisarts'")
version() { sql -Atc "SELECT version FROM meetings WHERE id = $M"; }
# the GP attends (demo data); the chair opens, the GP leaves, the chair closes
printf 'open %s %s\nquit\n' "$M" "$(version)" | batch voorzitter | grep -q '"state":"open"' ||
	fail "open"
printf 'attend %s %s absent room\nquit\n' "$M" "$gp" | batch voorzitter |
	grep -q '"present":false' || fail "the GP's leaving not recorded"
printf 'close %s %s\nquit\n' "$M" "$(version)" | batch voorzitter | grep -q '"state":"closed"' ||
	fail "close"
left=$(sql -Atc "SELECT to_char(max(left_at) AT TIME ZONE 'Europe/Amsterdam', 'HH24:MI')
	FROM attendance_periods WHERE meeting_id = $M AND user_id = $gp")
[ -n "$left" ] || fail "no time the GP left"

start_client chair voorzitter
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "meetings not loaded"
row=$(screen chair | grep -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' | grep -n "^ *$M  " | cut -d: -f1)
[ -n "$row" ] || fail "meeting $M not listed: $(screen chair)"
for _ in $(seq 2 "$row"); do keys chair j; done
keys chair b
wait_for chair "Tafel · Besluitenlijst" || fail "b did not open the minutes: $(screen chair)"
wait_re chair "^ +Karin Brouwer \(Huisartsenpraktijk De Linde\).* · tot $left" ||
	fail "the minutes do not say the GP left at $left: $(screen chair)"
# the closed meeting's header counts nobody present (the minutes say who
# attended; a count of those there at the close would differ from them)
keys chair q
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "q did not go back to the list: $(screen chair)"
keys chair Enter
wait_re chair "· gesloten · voorzitter Anouk de Vries *$" ||
	fail "the closed meeting's header: $(screen chair | sed -n 2p)"
screen chair | sed -n 2p | grep -q "aanwezig" && fail "a closed meeting counts those present: $(screen chair | sed -n 2p)"
ok
