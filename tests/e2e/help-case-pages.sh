#!/bin/bash
# The help and the case view scroll like the minutes: Space and PgDn a page down, PgUp (and b, g in the help) a page up and to the top, G and End to the end, Home to the top; scrolling stops with the last line at the bottom (j there changes nothing) instead of going on to an empty screen. b and g stay the case view's contribution and goal.
. "$(dirname "$0")/lib.sh"

start_server
reason=$(printf 'Buren melden opnieuw harde ruzie en geschreeuw in de woning, ook s nachts. %.0s' $(seq 18))
num=$(printf '%s\n' "signal domestic_violence Pagerdorp person $reason" quit |
	batch politie | pick 'm["case_record"]["number"]')
[ -n "$num" ] || fail "signal"

# 14 rows: a body of 11, its last row kept for "+N meer", so a page is 9
E2E_ROWS=14 start_client pol politie
wait_for pol "verbonden" || fail "client not connected: $(screen pol)"

# pages WHAT TOP: Space, PgDn, PgUp, G, End, Home and j at the end
pages() {
	local what=$1 top=$2 n at_end
	n=$(below pol)
	[ "$n" -ge 20 ] || fail "$what: not a few pages (+$n): $(screen pol)"
	keys pol Space
	wait_below pol $((n - 9)) || fail "$what: Space did not scroll a page (9 lines): $(screen pol)"
	keys pol NPage
	wait_below pol $((n - 18)) || fail "$what: PgDn did not scroll a page: $(screen pol)"
	keys pol PPage
	wait_below pol $((n - 9)) || fail "$what: PgUp did not scroll a page up: $(screen pol)"
	keys pol G
	wait_below pol 0 || fail "$what: G did not go to the end: $(screen pol)"
	# the last line just above the row kept for "+N meer" (row 12)
	[ -n "$(screen pol | sed -n 11p | tr -d ' ')" ] ||
		fail "$what: empty rows at the bottom after G: $(screen pol)"
	at_end=$(screen pol)
	keys pol j j j
	sleep 0.5
	[ "$(screen pol)" = "$at_end" ] || fail "$what: j at the end scrolled on: $(screen pol)"
	keys pol k
	wait_below pol 1 || fail "$what: k at the end did not scroll back one line: $(screen pol)"
	keys pol Home
	wait_below pol "$n" || fail "$what: Home did not go to the top: $(screen pol)"
	screen pol | sed -n 2p | grep -qF -- "$top" || fail "$what: the top is not shown after Home: $(screen pol)"
	keys pol End
	wait_below pol 0 || fail "$what: End did not go to the end: $(screen pol)"
}

keys pol '?'
wait_for pol "Tafel · Toetsen" || fail "? did not show the help"
pages help "Overal"
keys pol b
wait_below pol 9 || fail "help: b did not scroll a page up: $(screen pol)"
keys pol g
wait_re pol '^ *Overal' 5 || fail "help: g did not go to the top: $(screen pol)"
keys pol q

open_case pol "$num"
pages case "Casus $num"
# b is the contribution here, not a page up
keys pol b
wait_for pol "(feiten):" 5 || fail "case: b no longer adds a contribution: $(screen pol)"
keys pol Escape
ok
