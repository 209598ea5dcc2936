#!/bin/bash
# The minutes page as a pager does: Space and PgDn a page down, b and PgUp a page up, G and End to the end, g and Home to the top; scrolling stops with the last row at the bottom (j there changes nothing) instead of going on to an empty screen; in a window that holds the whole text the footer no longer offers Space.
. "$(dirname "$0")/lib.sh"

start_server
MEETING=$(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "meeting_list":
        continue
    for mt in m["meeting_list"]["meetings"]:
        if mt["state"] == "closed":
            print(mt["id"]); sys.exit(0)
sys.exit(1)') || fail "no closed meeting in the demo data"
# 14 rows: a body of 11, so a page is 9 rows and the minutes are a few pages
E2E_ROWS=14 start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "meeting not shown: $(screen chair)"
keys chair b
wait_for chair "Tafel · Besluitenlijst" || fail "b did not open the minutes: $(screen chair)"
wait_for chair "Aanwezig" || fail "no attendance: $(screen chair)"
wait_for chair "Spatie pagina" || fail "the footer does not offer Space: $(screen chair)"
below=$(screen chair | sed -nE 's/^ *\+([0-9]+) meer \(j, ↓\) *$/\1/p')
[ -n "$below" ] && [ "$below" -gt 20 ] || fail "the minutes are not a few pages: $(screen chair)"

# above: the rows scrolled off the top ("+N meer (k, ↑)"), 0 when none
above() {
	screen chair | sed -nE 's/^ *\+([0-9]+) meer \(k, ↑\) *$/\1/p' | grep . || echo 0
}
# wait_above N: the pager shows N rows scrolled off
wait_above() {
	local deadline=$((SECONDS + 10))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(above)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

keys chair Space
wait_above 9 || fail "Space did not scroll a page (9 rows): $(screen chair)"
keys chair NPage
wait_above 18 || fail "PgDn did not scroll a page: $(screen chair)"
keys chair b
wait_above 9 || fail "b did not scroll a page up: $(screen chair)"
keys chair PPage
wait_above 0 || fail "PgUp did not scroll to the top: $(screen chair)"
keys chair G
last=$((below + 10 - 11 + 1))
wait_above "$last" || fail "G did not go to the end (expected +$last above): $(screen chair)"
screen chair | grep -q "(j, ↓)" && fail "rows left below after G: $(screen chair)"
# the last row of the minutes at the bottom of the body (row 12), not empty rows
[ -n "$(screen chair | sed -n 12p | tr -d ' ')" ] || fail "empty rows at the bottom after G: $(screen chair)"
at_end=$(screen chair)
keys chair j j j
sleep 0.5
[ "$(above)" = "$last" ] || fail "j scrolled past the end: $(screen chair)"
[ "$(screen chair)" = "$at_end" ] || fail "j at the end changed the screen: $(screen chair)"
keys chair k
wait_above $((last - 1)) || fail "k at the end did not scroll back one row: $(screen chair)"
keys chair g
wait_above 0 || fail "g did not go to the top: $(screen chair)"
keys chair End
wait_above "$last" || fail "End did not go to the end: $(screen chair)"
keys chair Home
wait_above 0 || fail "Home did not go to the top: $(screen chair)"
wait_for chair "Besluitenlijst WZT" || fail "the title is not back at the top: $(screen chair)"
# a window tall enough for the whole text: Space is no longer offered
tm resize-window -t chair -y $((below + 30))
wait_gone chair "Spatie pagina" || fail "Space offered with all of the text on screen: $(screen chair | tail -n 2)"
screen chair | grep -q "(j, ↓)" && fail "rows below in a window that holds them: $(screen chair)"
wait_for chair "? hulp" || fail "no footer: $(screen chair | tail -n 2)"
ok
