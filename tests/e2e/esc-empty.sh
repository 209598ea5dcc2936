#!/bin/bash
# Esc on an input field that shows nothing cancels at once: after a refused empty description (three spaces, Enter) the action-point form goes without "Getypte tekst weggooien?", so the next key is not eaten by that question; with text typed Esc still asks.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

keys chair a
wait_for chair "Nieuwe afspraak" || fail "a did not open the form"
type_text chair "   "
keys chair Enter
wait_for chair "Typ wat er is afgesproken: een omschrijving is verplicht." ||
	fail "the empty description was not refused: $(screen chair | tail -n 3)"
keys chair Escape
sleep 0.5
screen chair | grep -qF "weggooien" && fail "Esc on an empty field asked to discard: $(screen chair | tail -n 3)"
wait_gone chair "Nieuwe afspraak" 5 || fail "Esc did not close the form: $(screen chair | tail -n 3)"
# the next key acts on the meeting, not on a question
keys chair a
wait_for chair "Nieuwe afspraak" || fail "a after Esc was eaten: $(screen chair | tail -n 3)"
keys chair Escape
wait_gone chair "Nieuwe afspraak" 5 || fail "Esc on the untouched form did not close it"
screen chair | grep -qF "weggooien" && fail "Esc on the untouched form asked"

# typed text: still asked
keys chair a
wait_for chair "Nieuwe afspraak" || fail "a did not open the form again"
type_text chair "Huisbezoek"
keys chair Escape
wait_for chair "Getypte tekst weggooien? (j/n):" || fail "Esc on typed text did not ask: $(screen chair | tail -n 3)"
keys chair j
wait_gone chair "Nieuwe afspraak" 5 || fail "j did not discard"
ok
