#!/bin/bash
# A (j/n) question is answered by one key press, without Enter, and the bottom line says so while it is asked: n keeps the meeting open (and the n does not also move
# to the next item), Esc cancels, another key says which keys answer, y answers yes like j; the same for "discard
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

# j alone closes the meeting
keys chair c
wait_for chair "sluiten? (j/n):" || fail "c did not ask a third time"
keys chair j
wait_for chair "Overleg gesloten." || fail "j alone did not close: $(screen chair)"
wait_re chair "· gesloten( ·| *$)" || fail "header does not say closed"
ok
