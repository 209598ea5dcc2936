#!/bin/bash
# A pick list left with Esc says that nothing changed, and the message stays on the status line after the view switches back: R's lead organisation and case manager pickers, the chair's attendance and case (+) pickers.
. "$(dirname "$0")/lib.sh"

start_meeting
ctl pm add voorzitter Pickdorp domestic_violence >/dev/null || fail "pm add"
num=$(printf '%s\n' "signal domestic_violence Pickdorp person Melding voor de kiezer" quit |
	batch politie | pick 'm["case_record"]["number"]')
[ -n "$num" ] || fail "signal"

start_client vz voorzitter
wait_for vz "verbonden" || fail "client not connected: $(screen vz)"
open_case vz "$num"

# Esc in the lead organisation picker
keys vz R
wait_for vz "Regieorganisatie van casus $num" || fail "R did not open the picker: $(screen vz)"
wait_for vz "Politie" || fail "R: the organisations are not listed: $(screen vz)"
keys vz Escape
wait_for vz "Tafel · Casus " || fail "Esc did not leave the organisation picker: $(screen vz)"
wait_for vz "Geen regieorganisatie gekozen: niets gewijzigd." 5 ||
	fail "Esc in the organisation picker: no 'niets gewijzigd': $(screen vz)"

# Esc in the case manager picker (after an organisation was chosen)
keys vz R
wait_for vz "Regieorganisatie van casus $num" || fail "R again: $(screen vz)"
wait_gone vz "Geen regieorganisatie gekozen" 5 || fail "the old message stayed: $(screen vz)"
keys vz Enter
wait_for vz "Casusregisseur van $num" || fail "Enter did not open the case manager picker: $(screen vz)"
keys vz Escape
wait_for vz "Tafel · Casus " || fail "Esc did not leave the case manager picker: $(screen vz)"
wait_for vz "Geen casusregisseur gekozen: niets gewijzigd." 5 ||
	fail "Esc in the case manager picker: no 'niets gewijzigd': $(screen vz)"

# Esc in the chair's attendance picker
tm kill-session -t vz
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
# attendance is recorded in an open meeting only (A says so at once in a planned one)
chair_start chair
keys chair A
wait_for chair "Tafel · Persoon kiezen" || fail "A did not open the person picker: $(screen chair)"
keys chair Escape
wait_re chair "^ +# +Casus" || fail "Esc did not go back to the meeting: $(screen chair)"
wait_for chair "Niemand gekozen: geen aanwezigheid vastgelegd." 5 ||
	fail "Esc in the attendance picker: no message: $(screen chair)"

# Esc in the chair's case picker (+)
keys chair +
wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the case picker: $(screen chair)"
wait_gone chair "Niemand gekozen" 5 || fail "the old message stayed: $(screen chair)"
wait_for chair "$num" || fail "the case picker does not list $num: $(screen chair)"
keys chair Escape
wait_re chair "^ +# +Casus" || fail "Esc did not leave the case picker: $(screen chair)"
wait_for chair "Geen casus aan de agenda toegevoegd." 5 ||
	fail "Esc in the case picker: no message: $(screen chair)"
ok
