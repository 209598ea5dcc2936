#!/bin/bash
# / in the meetings list finds what the line shows: its date ("2026-12-04"), its state ("gepland", "gesloten") and its number, besides the series and the chair; an accent or case typed differently still matches.
. "$(dirname "$0")/lib.sh"

LINE='^ +[0-9]+  20[0-9-]+ [0-9:]+  '
start_server
E2E_COLS=100 E2E_ROWS=30 start_client vz voorzitter
wait_re vz "$LINE" || fail "meetings not loaded: $(screen vz)"
all=$(screen vz | grep -E "$LINE")
closed=$(echo "$all" | grep "gesloten" | head -n 1)
[ -n "$closed" ] || fail "no closed meeting in the demo data: $all"
echo "$all" | grep -q "gepland" || fail "no planned meeting in the demo data: $all"
day=$(echo "$closed" | awk '{print $2}')
num=$(echo "$closed" | awk '{print $1}')

# search TEXT: / TEXT Enter, and the lines then shown
search() {
	keys vz /
	wait_for vz "Zoeken:" || fail "/ did not ask for a search"
	type_text vz "$1"
	keys vz Enter
	wait_for vz "· /$1" || fail "search '$1' not shown in the top line: $(screen vz)"
	sleep 0.3
	screen vz | grep -E "$LINE"
}
# clear: q clears the search
clear_search() {
	keys vz q
	wait_re vz "^Tafel · Overleggen +[^/]*$" || fail "q did not clear the search: $(screen vz | head -n 1)"
}

# the date of the closed meeting: its line, and only lines of that day
got=$(search "$day")
[ -n "$got" ] || fail "/$day found nothing: $(screen vz)"
echo "$got" | grep -qF "$closed" || fail "/$day did not find the meeting of that day: $got"
echo "$got" | grep -vqF "$day" && fail "/$day shows lines of another day: $got"
clear_search

# the state: every planned line, no closed one
got=$(search "gepland")
[ -n "$got" ] || fail "/gepland found nothing: $(screen vz)"
echo "$got" | grep -v "gepland" | grep -q . && fail "/gepland shows other states: $got"
[ "$(echo "$got" | wc -l)" = "$(echo "$all" | grep -c "gepland")" ] ||
	fail "/gepland did not find every planned meeting: $got"
clear_search
got=$(search "GESLOTEN")
echo "$got" | grep -qF "$closed" || fail "/GESLOTEN did not find the closed meeting: $got"
clear_search

# the date and time together, as on the line
dt=$(echo "$closed" | awk '{print $2" "$3}')
got=$(search "$dt")
echo "$got" | grep -qF "$closed" || fail "/$dt did not find its meeting: $got"
clear_search

# the series and the chair still match, accents folded
series=$(echo "$closed" | awk '{print $4}')
got=$(search "$series")
echo "$got" | grep -qF "$closed" || fail "/$series no longer finds the series: $got"
clear_search
[ -n "$num" ] || fail "no number"
ok
