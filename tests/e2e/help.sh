#!/bin/bash
# The help screen lists the keys of the meeting screen; each harmless one does what it says.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
wait_re pol '^▶ +1 ' || fail "follower: not on item 1"
first=$(current_line pol | awk '{print $3}')
second=$(screen pol | grep -E '^[ ✓] +2  ' | awk '{print $2}')
[ -n "$second" ] || fail "no second agenda item"

keys pol '?'
wait_for pol "Tafel · Toetsen" || fail "? did not show the help"
help=$(screen pol)
# the help is a pager: the meeting's keys follow the global ones, a few
# lines down on 24 rows
for _ in 1 2 3 4 5 6; do keys pol j; done
sleep 0.3
help=$(printf '%s\n%s\n' "$help" "$(screen pol)")
# every harmless key of the meeting screen is listed, with a text
# keys are padded by display width: every text starts in column 18
for k in '↑ k' '↓ j' '1' '2' '3' 'f' '?'; do
	line=$(printf '%s\n' "$help" | grep -F -- "  $k " | grep -E '^  [^ ]' | head -n 1)
	[ -n "$line" ] || fail "help does not list key '$k'"
	[ "${line:0:$((2 + ${#k}))}" = "  $k" ] || fail "help line of '$k' is garbled: $line"
	[ "${line:16:1}" = " " ] && [ "${line:17:1}" != " " ] ||
		fail "help text of '$k' does not start in column 18: '$line'"
done
printf '%s\n' "$help" | grep -q "In een overleg" || fail "help has no meeting section"
# a new user reads every text in full, in Dutch, each key once, in order
printf '%s\n' "$help" | grep -q '…' && fail "help text cut off: $help"
printf '%s\n' "$help" | grep -q 'muis ' || fail "help does not list the mouse as 'muis'"
printf '%s\n' "$help" | grep -q 'mouse' && fail "help says 'mouse' in the Dutch UI"
[ "$(screen pol | sed -n '/^In een overleg/,/^In /p' | grep -c '^  Enter ')" = 1 ] ||
	fail "the meeting section lists Enter more than once: $(screen pol)"
[ "$(printf '%s\n' "$help" | grep -nE '^  [67] ' | head -2 | cut -c1-1 | tr -d '\n')" != "" ] &&
	printf '%s\n' "$help" | grep -E '^  [67] ' | head -1 | grep -q '^  6 ' ||
	fail "help lists 7 before 6"

# ? from the meeting screen again, then each key's effect
keys pol q
wait_re pol "^ +# +Casus" || fail "q did not go back from help to the meeting"
keys pol j
wait_for pol "eigen weg — f om te volgen" || fail "j: not on your own way"
wait_for pol "Casus $second" || fail "j: next item not selected"
keys pol k
wait_for pol "Casus $first" || fail "k: previous item not selected"
keys pol Down
wait_for pol "Casus $second" || fail "↓: next item not selected"
keys pol Up
wait_for pol "Casus $first" || fail "↑: previous item not selected"
keys pol Down
wait_for pol "Casus $second" || fail "↓: next item not selected"
keys pol f
wait_for pol "volgt voorzitter" || fail "f: not following"
wait_for pol "Casus $first" || fail "f: not back on the chair's item"
keys pol 1
wait_for pol "Tafel · Overleggen" || fail "1: meetings list not shown"
keys pol 3
wait_for pol "Tafel · Afspraken van mijn organisatie" || fail "3: action points not shown"
# a long view title leaves room for the user's name, if not for the organisation
screen pol | head -n 1 | grep -q ' Sanne Jansen$' || fail "3: the top line lost the user's name: $(screen pol | head -n 1)"
keys pol 2
wait_for pol "Tafel · Overleg " || fail "2: meeting not shown"
wait_re pol "^ +# +Casus" || fail "2: agenda not shown"
keys pol '?'
wait_for pol "Tafel · Toetsen" || fail "?: help not shown"
ok
