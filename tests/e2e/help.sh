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
# (read once the six rows have scrolled: a fixed pause was too short under load)
n=$(below pol)
for _ in 1 2 3 4 5 6; do keys pol j; done
wait_below pol $((n > 6 ? n - 6 : 0)) || fail "j did not scroll the help: $(screen pol)"
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

# A partner's keys that cannot work refuse at once with the rule (no
# question first), and neither footer nor help offers them.
keys pol q
keys pol 1
wait_for pol "Tafel · Overleggen" || fail "1: meetings list not shown"
wait_re pol '[0-9]{4}-[0-9]{2}-[0-9]{2} ' || fail "1: meetings not loaded"
for k in V X; do
	keys pol "$k"
	wait_for pol "$k: alleen een voorzitter of beheerder" 5 ||
		fail "$k: no refusal for a partner: $(screen pol | tail -n 3)"
	screen pol | grep -qE "verzetten naar|aflassen, reden" && fail "$k: asked before refusing"
done
keys pol 7
wait_for pol "Tafel · Rapportages" || fail "7: reports not shown"
sleep 0.5
screen pol | tail -n 1 | grep -qF "p periode" && fail "7: footer offers p to a partner"
keys pol p
wait_for pol "p: rapportages zijn voor voorzitters" 5 || fail "7: p not refused: $(screen pol | tail -n 3)"
# case 2026-0001 was submitted by politie: the dates are still the routing's
keys pol 4
wait_for pol "Tafel · Casussen" || fail "4: cases not shown"
keys pol /
type_text pol 2026-0001
keys pol Enter
wait_re pol '^.*2026-0001' || fail "4: case 2026-0001 not listed"
keys pol Enter
wait_for pol "Aangemeld door: Politie" || fail "case 2026-0001 not opened"
for k in E F; do
	keys pol "$k"
	wait_for pol "$k: Alleen voorzitter, procesregisseur of casusregisseur" 5 ||
		fail "$k: no refusal at once: $(screen pol | tail -n 3)"
	screen pol | grep -qE "^(Einddatum|Reden van afsluiten)" && fail "$k: asked before refusing"
done
# the GP's help of the nominations has no chair's keys; a says who decides
start_client gp huisarts
wait_re gp '[0-9]{4}-[0-9]{2}-[0-9]{2} ' || fail "gp: meetings not loaded"
keys gp 5
wait_for gp "Tafel · Voordrachten" || fail "gp: 5 did not show the nominations"
keys gp '?'
wait_for gp "Tafel · Toetsen" || fail "gp: ? did not show the help"
screen gp | grep -qE "^  [ax] +(Aannemen|De voordracht afwijzen)" && fail "gp: help lists the chair's a/x"
keys gp q
keys gp a
wait_for gp "a: alleen een voorzitter van de reeks" 5 || fail "gp: a not refused: $(screen gp | tail -n 3)"
ok
