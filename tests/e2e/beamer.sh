#!/bin/bash
# The shared screen never pretends: with a non-signatory present a hidden decision and hidden action texts say they are hidden (the case line above says why), never "(nog geen)" or nothing; once the GP leaves only what the housing corporation may not see stays hidden, and the chair is told a part is hidden; a long decision wraps instead of being cut; after the chair closes the meeting the screen says so.
. "$(dirname "$0")/lib.sh"

start_server
# Today's WZT: the GP practice (no covenant) attends, remotely.
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
num=$(current_line chair | awk '{print $3}')

start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "verborgen op het gedeelde scherm" ||
	fail "beamer: case not pseudonymised with the GP present"
wait_for beamer "Besluit: (verborgen, zie boven)" ||
	fail "beamer: hidden decision not marked as hidden"
screen beamer | grep -q "(nog geen)" && fail "beamer says '(nog geen)' for a hidden decision"

# a partner cannot put the shared screen on its own terminal, and is told why
start_client pol politie --meeting "$MEETING"
wait_re pol "^ +# +Casus" || fail "partner: meeting not shown"
keys pol P
wait_for pol "P: alleen de voorzitter kan dit." || fail "partner's P not explained: $(screen pol)"
# nor start with it: told so, in the normal layout
start_client pol2 politie --meeting "$MEETING" --presentation
wait_for pol2 "De beamerweergave is alleen voor de voorzitter van het overleg" ||
	fail "partner's --presentation not explained: $(screen pol2)"
wait_re pol2 "^ +# +Casus" || fail "partner: --presentation refused, but the meeting is not shown: $(screen pol2)"

# the chair records a decision: the room still sees that it is hidden
keys chair d
wait_for chair "Besluit over casus $num:" || fail "decision prompt did not open"
type_text chair "Besluit voor de kamer e2e$$"
keys chair Enter
wait_for chair "Besluit over casus $num vastgelegd." || fail "decision not recorded"
wait_for chair "Besluit: Besluit voor de kamer e2e$$" || fail "chair: decision not shown"
# a fence: the chair steps to the next item and back; once the shared screen
# is back on this item it has had the decision's change (a connection gets
# its changes in order)
keys chair n
wait_re beamer "^ +Casus [0-9-]+ · agendapunt 2/" || fail "beamer: did not follow n: $(screen beamer)"
keys chair p
wait_re beamer "^ +Casus [0-9-]+ · agendapunt 1/" || fail "beamer: did not follow p: $(screen beamer)"
screen beamer | grep -q "e2e$$" && fail "beamer shows the hidden decision"
wait_for beamer "Besluit: (verborgen, zie boven)" ||
	fail "beamer: decision no longer marked as hidden"
wait_for beamer "(tekst verborgen, zie boven)" || fail "beamer: hidden action texts not marked"
# no action point line without text
if screen beamer | grep -Eq '^ +!? *[0-9]{4}-[0-9]{2}-[0-9]{2} [a-z]+ +· '; then
	screen beamer >&2
	fail "beamer: an action point without text"
fi

# the GP leaves: only the housing corporation (no birth dates, no summary) limits the room now; the chair is told that
# a part of the case is hidden, and why, and the shared screen shows the decision but still no birth dates, saying so
wait_for chair "Op het gedeelde scherm wordt deze casus gepseudonimiseerd" ||
	fail "chair: no notice that the beamer pseudonymises: $(screen chair)"
keys chair A
wait_for chair "Tafel · Persoon kiezen" || fail "A did not open the person picker"
keys chair /
type_text chair "Karin"
keys chair Enter
wait_for chair "/Karin" || fail "search not applied: $(screen chair)"
keys chair Enter
wait_for chair "Is Karin Brouwer aanwezig? (j/n):" || fail "present? not asked for the GP: $(screen chair)"
type_text chair "n"
wait_for chair "Aanwezigheid vastgelegd: Karin Brouwer afwezig." || fail "GP not recorded absent: $(screen chair)"
wait_for chair "Op het gedeelde scherm is een deel van deze casus verborgen" ||
	fail "chair: no 'part hidden' notice once only a category is hidden: $(screen chair)"
wait_for chair "mag niet al deze gegevens zien" || fail "chair: the notice does not say why: $(screen chair)"
wait_for beamer "Besluit: Besluit voor de kamer e2e$$" || fail "beamer: the decision still hidden without the GP: $(screen beamer)"
# a long decision wraps on the shared screen (80 columns): its last words are read in the room too
keys chair d
wait_for chair "Besluit over casus $num:" || fail "second decision prompt did not open: $(screen chair)"
type_text chair ", en de wijkagent legt binnen twee weken samen met het wijkteam een huisbezoek af bij beide ouders slotwoord$$"
keys chair Enter
wait_for chair "Besluit over casus $num vastgelegd." || fail "long decision not recorded: $(screen chair)"
wait_for beamer "slotwoord$$" || fail "beamer: the end of a long decision cut off: $(screen beamer)"
# the room is told what it does not get, not only that something is hidden
wait_for beamer "niet voor iedereen in de zaal: geboortedata, de samenvatting" ||
	fail "beamer: does not say which part is hidden: $(screen beamer)"
screen beamer | grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2}\b.*(verdachte|slachtoffer|pleger)|(verdachte|slachtoffer|pleger).*[12][0-9]{3}-[0-9]{2}-[0-9]{2}' &&
	fail "beamer: a birth date shown while housing is present: $(screen beamer)"

# closing: the beamer says the meeting is closed
keys chair c
# the other items have no decision: the question names their cases
wait_re chair "[0-9]+ agendapunten? zonder besluit \(20[0-9]{2}-[0-9]{4}[^)]*\)\. Toch sluiten\? \(j/n\):" ||
	fail "close prompt does not name the items without a decision: $(screen chair | tail -n 3)"
type_text chair "j"
wait_for chair "Overleg gesloten." || fail "chair: close not confirmed"
wait_for beamer "Het overleg is gesloten." || fail "beamer: does not say the meeting closed"
# a meeting key for an open meeting says why it does nothing now
keys chair n
wait_for chair "n: niet mogelijk nu het overleg gesloten is." || fail "n on a closed meeting not explained: $(screen chair)"
ok
