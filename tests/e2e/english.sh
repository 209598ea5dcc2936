#!/bin/bash
# The screen in English (LANGUAGE=en): every view's top line, status line and footer are English, with no Dutch key names left (the case's R is "lead", not "regie"); the agenda and the case picker show "domestic violence" whole.
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

# the agenda of the domestic violence meeting and the chair's case picker
# name the theme whole ("domestic violence" is one wider than "huiselijk
# geweld")
DV=$(meeting_id "Casusoverleg huiselijk geweld district Eemland") || fail "no DV meeting in the demo data"
E2E_ENV="LANGUAGE=en" start_client dv voorzitter --meeting "$DV"
wait_re dv '^ +[0-9]+  [0-9]{4}-[0-9]{4}  domestic violence  ' ||
	fail "the agenda cuts the theme: $(screen dv | sed -n 3,6p)"
screen dv | grep -q "domestic violen…" && fail "the agenda cuts the theme: $(screen dv | sed -n 3,6p)"
keys dv +
wait_for dv "Tafel · Add a case to the agenda" || fail "+ did not open the picker: $(screen dv)"
wait_re dv '^ [0-9]{4}-[0-9]{4}  domestic violence  ' || fail "the picker cuts the theme: $(screen dv)"
screen dv | grep -q "domestic violen…" && fail "the picker cuts the theme: $(screen dv)"
ok
