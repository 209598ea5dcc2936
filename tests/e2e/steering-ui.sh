#!/bin/bash
# A steering-group member (role steering alone) starts on the reports, not on a meetings list that never loads; the keys of the other views say at once that the steering group sees only the reports, offer nothing that cannot work, and q quits.
. "$(dirname "$0")/lib.sh"

start_server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" --password-file "$E2E_DIR.pw" \
	user add stuur1 "Stuurgroep Lid" "Gemeente Eemland-Twente" steering \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl user add stuur1 steering"

start_client st stuur1
wait_for st "Tafel · Rapportages" || fail "the steering member does not start on the reports: $(screen st)"
wait_re st "Rapportage [0-9-]+ – [0-9-]+" || fail "the report does not load: $(screen st)"
screen st | grep -qF "geen toestemming" && fail "a refused request at the start: $(screen st)"
foot=$(screen st | tail -n 1)
echo "$foot" | grep -qE '(^| )1 overleggen' && fail "the bottom line offers 1 (meetings): $foot"
echo "$foot" | grep -qF "p periode" || fail "the bottom line does not offer p: $foot"
echo "$foot" | grep -qF "q stoppen" || fail "q does not quit from the reports: $foot"

# every other view's key refuses at once, with the reason; the report stays
for k in 1 2 3 4 5 6 8 9; do
	keys st "$k"
	wait_for st "$k: als lid van de stuurgroep ziet u alleen de rapportage (7)." 5 ||
		fail "key $k not refused with the reason: $(screen st)"
	screen st | grep -qF "laden…" && fail "key $k: a view loading: $(screen st)"
	screen st | grep -qF "Tafel · Rapportages" || fail "key $k left the reports: $(screen st)"
done

# Esc stays; the help lists only what works
keys st Escape
sleep 0.5
screen st | grep -qF "Tafel · Rapportages" || fail "Esc left the reports: $(screen st)"
keys st '?'
wait_for st "Tafel · Toetsen" || fail "? did not open the help: $(screen st)"
screen st | grep -qF "In een overleg" && fail "the help shows the meeting's keys: $(screen st)"
keys st q
wait_for st "Tafel · Rapportages" || fail "q in the help did not go back to the reports: $(screen st)"
keys st q
wait_for st "[tafel exited] 0" || fail "q did not quit: $(screen st)"
ok
