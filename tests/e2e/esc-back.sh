#!/bin/bash
# Esc and q step back along the way the user came, one view at a time, to the meetings (they toggled between the last two views); after a new signal (S), q goes to the case list, then the meetings.
. "$(dirname "$0")/lib.sh"

start_server
start_client vt veiligthuis
wait_for vt "Tafel · Overleggen" || fail "no meetings list"

# meetings → cases → actions, then back step by step
keys vt 4
wait_for vt "Tafel · Casussen" || fail "4 did not open the case list"
keys vt 3
wait_for vt "Tafel · Afspraken" || fail "3 did not open the action points"
keys vt Escape
wait_for vt "Tafel · Casussen" || fail "Esc from the action points: not the case list: $(screen vt)"
keys vt Escape
wait_for vt "Tafel · Overleggen" || fail "Esc from the case list: not the meetings (toggled?): $(screen vt)"
keys vt Escape
sleep 0.3
screen vt | grep -qF "Tafel · Overleggen" || fail "Esc on the meetings left them"

# a case opened from the list: q back to the list, q to the meetings
keys vt 4
wait_for vt "Tafel · Casussen" || fail "4 did not open the case list again"
keys vt Enter
wait_re vt "^ Casus 2026-[0-9]+ ·" || fail "Enter did not open a case: $(screen vt)"
keys vt q
wait_for vt "Tafel · Casussen" || fail "q from the case: not the case list"
keys vt q
wait_for vt "Tafel · Overleggen" || fail "q from the case list: not the meetings: $(screen vt)"

# a new signal opens its case; q goes to the case list, then the meetings
keys vt 4
wait_for vt "Tafel · Casussen" || fail "4 did not open the case list (3)"
keys vt S
wait_for vt "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme"
type_text vt "1"; keys vt Enter
wait_for vt "District" || fail "no district prompt"
type_text vt "Eemland"; keys vt Enter
wait_for vt "Aanpak (persoon, systeem, gebied): persoon" || fail "no approach prompt: $(screen vt)"
keys vt Enter
wait_for vt "Reden van het signaal:" || fail "no reason prompt"
type_text vt "Terugstap e2e"; keys vt Enter
wait_for vt "Persoon 1: rol naam geboortedatum" || fail "no person prompt"
keys vt Enter
wait_re vt "Signaal 2026-[0-9]+ aangemeld" || fail "signal not registered: $(screen vt)"
# a case without persons says so under its heading, as its action points do
# (the view may come a moment after the message: polled, not read once)
for _ in $(seq 1 100); do
	screen vt | grep -A1 -E "^ *Personen$" | grep -q "(geen)" && break
	sleep 0.2
done
screen vt | grep -A1 -E "^ *Personen$" | grep -q "(geen)" ||
	fail "no '(geen)' under Personen: $(screen vt)"
keys vt q
wait_for vt "Tafel · Casussen" || fail "q after S: not the case list: $(screen vt)"
keys vt q
wait_for vt "Tafel · Overleggen" || fail "q from the case list after S: not the meetings: $(screen vt)"
ok
