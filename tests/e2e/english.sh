#!/bin/bash
# The screen in English (LANGUAGE=en): every view's top line, status line and footer are English, with no Dutch key names left (the case's R is "lead", not "regie").
. "$(dirname "$0")/lib.sh"

# Dutch words of the chrome: key names on the footer, view titles, the status line
DUTCH='\b(terug|hulp|zoeken|openen|regie|overleggen?|afspraken|casussen|casus|fase|doel|inbreng|voordragen|bewerken|intrekken|afronden|aannemen|afwijzen|periode|sluiten|gelezen|stoppen|verleden|plannen|verbonden|vertraging|voorzitter|postvak|kalender|inforondes?|rapportages?|toetsen)\b'

# chrome SESSION WHAT: the top line, status line and footer are English
chrome() {
	local text
	text=$(screen "$1" | sed -n '1p;$p' ; screen "$1" | tail -n 2 | head -n 1)
	printf '%s\n' "$text" | grep -qiE "$DUTCH" &&
		fail "$2: Dutch on the top, status or bottom line: $(printf '%s\n' "$text" | grep -oiE "$DUTCH" | head -n 3 | tr '\n' ' ')
$(screen "$1")"
	return 0
}

start_meeting
E2E_ENV="LANGUAGE=en" start_client en voorzitter
wait_for en "Tafel · Meetings" || fail "no English meetings list: $(screen en)"
wait_re en '[0-9]{4}-[0-9]{2}-[0-9]{2} ' || fail "meetings not loaded"
wait_for en "connected" || fail "not connected: $(screen en)"
chrome en "meetings"
for v in "2 Meeting" "3 Action points of my organisation" "4 Cases" "5 Nominations" "6 Inbox" \
	"7 Reports" "8 Info rounds" "9 Calendar"; do
	keys en "${v%% *}"
	wait_for en "Tafel · ${v#* }" || fail "${v%% *} did not show ${v#* }: $(screen en)"
	sleep 0.3
	chrome en "${v#* }"
done
keys en '?'
wait_for en "Tafel · Keys" || fail "? did not show the keys"
chrome en "keys"
keys en q
# a case the chair may route: its footer offers R by its English name
keys en 4
wait_for en "Tafel · Cases" || fail "4 did not show the cases"
wait_re en '^ 2026-[0-9]{4} ' || fail "cases not loaded: $(screen en)"
keys en Enter
wait_for en "Tafel · Case " || fail "Enter did not open a case: $(screen en)"
wait_re en '(^|  )R lead  ' || fail "the case's footer does not offer 'R lead': $(screen en | tail -n 1)"
chrome en "case"
ok
