#!/bin/bash
# An agenda longer than its half of the 80x24 screen counts what is left out ("+N meer") above and below, and the selected item is always on screen.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
# eight more cases: the agenda (three items) no longer fits in nine rows
for i in $(seq 1 8); do
	keys chair +
	wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the picker ($i)"
	wait_re chair "^ 2026-[0-9]+ " || fail "no cases in the picker ($i)"
	keys chair Enter
	wait_re chair "Casus 2026-[0-9]+ staat nu op de agenda" || fail "case $i not added"
done
wait_re chair "^ +11  2026-" 2 && fail "item 11 should not fit at 80x24"
wait_re chair "^  \+[0-9]+ meer$" || fail "no '+N meer' below the agenda"
# to the last item: it is on screen, and what is above is counted
for i in $(seq 1 12); do keys chair j; done
wait_re chair "^ +11  2026-" || fail "the selected last item is not on screen"
wait_re chair "^  \+[0-9]+ meer$" || fail "no '+N meer' above the agenda"
screen chair | grep -qE "^[ ✓▶] +1  2026-" && fail "item 1 should be scrolled out"
ok
