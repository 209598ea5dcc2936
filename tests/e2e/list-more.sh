#!/bin/bash
# A list longer than the screen says how many lines are left out ("+N meer") and keeps the selected line on screen while moving through it.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
# attendance is recorded in an open meeting only (A says so at once in a planned one)
chair_start chair
keys chair A
wait_for chair "Tafel · Persoon kiezen" || fail "A did not open the person picker"
wait_for chair "Ruud Meijer" || fail "the whole list does not fit at 80x24"
screen chair | grep -qE "\+[0-9]+ meer" && fail "'+N meer' although everything fits"
# a smaller terminal: the list no longer fits
tm resize-window -t chair -x 80 -y 14
wait_re chair "^  \+[0-9]+ meer$" || fail "no '+N meer' for the people left out"
screen chair | grep -q "Ruud Meijer" && fail "the last person should be left out at 80x14"
for i in $(seq 1 20); do keys chair j; done
# the last one is selected and on screen; nothing is below it any more
wait_for chair "Ruud Meijer" || fail "the selected (last) person is not on screen"
wait_gone chair " meer" || fail "'+N meer' still shown at the end of the list"
keys chair Enter
wait_for chair "Is Ruud Meijer aanwezig? (j/n):" || fail "Enter did not take the selected person"
ok
