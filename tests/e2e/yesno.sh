#!/bin/bash
# A (j/n) question is answered by one key press, without Enter, and the bottom line says so while it is asked: n keeps the meeting open (and the n does not also move
# to the next item), Esc cancels, another key says which keys answer, y answers yes like j (in English only y: j is the next line there); the same for "discard
# what you typed?" (n goes back to the text).
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

# n alone answers no; the key is not also taken as "next item"
keys chair c
wait_for chair "sluiten? (j/n):" || fail "c did not ask: $(screen chair)"
# the bottom line gives the question's keys, not the meeting's (n is not "next" now)
screen chair | tail -n 1 | grep -q "^j ja  n nee  Esc annuleren" ||
	fail "footer does not give the answer keys: $(screen chair | tail -n 1)"
keys chair n
wait_gone chair "sluiten? (j/n):" || fail "n alone did not answer: $(screen chair)"
sleep 0.5
screen chair | grep -q "· open ·" || fail "meeting not open after n: $(screen chair)"
current_line chair | grep -qE '^▶ +1 ' || fail "n also moved to the next item: $(screen chair)"

# another key: the question stays and says how to answer; Esc cancels
keys chair c
wait_for chair "sluiten? (j/n):" || fail "c did not ask again"
keys chair x
wait_for chair "Druk j voor ja of n voor nee (Esc: annuleren)." || fail "x not explained: $(screen chair)"
screen chair | grep -q "sluiten? (j/n):" || fail "the question went after x: $(screen chair)"
keys chair Enter
screen chair | grep -q "sluiten? (j/n):" || fail "Enter answered the question: $(screen chair)"
keys chair Escape
wait_gone chair "sluiten? (j/n):" || fail "Esc did not cancel: $(screen chair)"
screen chair | grep -q "Druk j voor ja" && fail "the hint stayed after Esc: $(screen chair)"
screen chair | grep -q "· open ·" || fail "meeting not open after Esc"

# discard what you typed?: n goes back to the text, y (English) discards
keys chair d
wait_for chair "Besluit over casus" || fail "d did not ask"
screen chair | tail -n 1 | grep -q "^Enter klaar  Esc annuleren  Ctrl-U wissen" ||
	fail "footer does not give the input line's keys: $(screen chair | tail -n 1)"
type_text chair "Nog niet vastleggen"
keys chair Escape
wait_for chair "Getypte tekst weggooien? (j/n):" || fail "Esc did not ask: $(screen chair)"
keys chair n
wait_for chair "Nog niet vastleggen" || fail "n did not go back to the text: $(screen chair)"
screen chair | grep -q "weggooien" && fail "the question stayed after n"
keys chair Escape
wait_for chair "Getypte tekst weggooien? (j/n):" || fail "second Esc did not ask"
keys chair y
wait_gone chair "Besluit over casus" || fail "y did not discard: $(screen chair)"
[ "$(count_in_meeting politie "$MEETING" "Nog niet vastleggen")" -eq 0 ] || fail "discarded decision was recorded"

# in English j is the next line, not "ja": it does not answer (y/n), y does
E2E_ENV="LANGUAGE=en" start_client en voorzitter --meeting "$MEETING"
wait_re en "^ +# +Case" || fail "en: meeting not shown: $(screen en)"
keys en c
wait_re en "Close anyway\? \(y/n\):|'\? \(y/n\):" || fail "en: c did not ask: $(screen en)"
screen en | tail -n 1 | grep -q "^y yes  n no  Esc cancel" ||
	fail "en: footer does not give the answer keys: $(screen en | tail -n 1)"
keys en j
wait_for en "Press y for yes or n for no (Esc: cancel)." || fail "en: j was not refused as an answer: $(screen en)"
sleep 0.5
screen chair | grep -q "· open ·" || fail "en: j closed the meeting: $(screen chair)"
keys en Escape
wait_gone en "(y/n):" || fail "en: Esc did not cancel: $(screen en)"
# y answers yes in English as well: discard the text typed
keys en d
wait_for en "Decision on case" || fail "en: d did not ask"
type_text en "Not yet"
keys en Escape
wait_for en "(y/n):" || fail "en: Esc did not ask to discard: $(screen en)"
keys en y
wait_gone en "Decision on case" || fail "en: y did not discard: $(screen en)"

# j alone closes the meeting
keys chair c
wait_for chair "sluiten? (j/n):" || fail "c did not ask a third time"
keys chair j
wait_for chair "Overleg gesloten." || fail "j alone did not close: $(screen chair)"
wait_re chair "· gesloten( ·| *$)" || fail "header does not say closed"
ok
