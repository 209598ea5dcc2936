#!/bin/bash
# Meetings list order, "/" search, mouse clicks, q back, Esc asking before typed text is thrown away, empty lists offering no keys for a selected line, the action points' selection following the action point when a new one arrives above it, and columns widening on a wide screen.
. "$(dirname "$0")/lib.sh"

# click SESSION COL ROW [2]: a (double) left click at 1-based COL, ROW (X10 mouse).
click() {
	local c r p q
	c=$(printf "\\x$(printf %x $((32 + $2)))")
	r=$(printf "\\x$(printf %x $((32 + $3)))")
	p=$'\e[M '"$c$r"
	q=$'\e[M#'"$c$r"
	if [ "${4:-1}" = 2 ]; then
		tm send-keys -t "$1" -l "$p$q$p$q"
	else
		tm send-keys -t "$1" -l "$p$q"
	fi
}

start_meeting
printf 'open %s 1\nquit\n' "$MEETING" | batch voorzitter | grep -q '"type":"response"' ||
	fail "could not open meeting $MEETING"
start_client pol politie
wait_for pol "Tafel · Overleggen" || fail "no meetings list"
wait_re pol '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "meetings not loaded"
# open meetings first, past (closed) ones last
first=$(screen pol | sed -n 3p)
printf '%s' "$first" | grep -q 'SSO Enschede .* open ' || fail "open meeting not first: $first"
last=$(screen pol | grep -E '^ +[0-9]+  20' | tail -n 1)
printf '%s' "$last" | grep -q 'gesloten' || fail "closed past meeting not last: $last"
# v hides the past ones
keys pol v
wait_gone pol "gesloten" || fail "v did not hide past meetings"
keys pol v
wait_for pol "gesloten" || fail "v did not show past meetings again"

# / searches
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask for a search"
type_text pol "casus"
keys pol Enter
wait_gone pol "SSO Enschede" || fail "search did not filter"
wait_for pol "Casusoverleg" || fail "search hid the match"
wait_for pol "/casus" || fail "search not shown in the title"
# q now clears the search, and the footer says so
screen pol | tail -n 1 | grep -q "^q zoeken wissen " ||
	fail "search: the footer does not say q clears it: $(screen pol | tail -n 1)"
screen pol | tail -n 1 | grep -qF "q stoppen" && fail "search: the footer offers q stoppen"
keys pol q
wait_for pol "SSO Enschede" || fail "q did not clear the search"
# the selection follows the meeting, not the line: the first match stays
# selected when the search is cleared (it was the open SSO meeting's line,
# the first of the whole list), so Enter opens the meeting the user picked
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask for a search (2)"
keys pol C-u
type_text pol "casus"
keys pol Enter
wait_gone pol "SSO Enschede" || fail "search did not filter (2)"
keys pol q
wait_for pol "SSO Enschede" || fail "q did not clear the search (2)"
keys pol Enter
wait_re pol "^ +# +Casus" || fail "Enter did not open a meeting"
wait_re pol "Casusoverleg[^·]*·" || fail "Enter after clearing the search opened another meeting than the one selected: $(screen pol | head -n 3)"
keys pol q
wait_for pol "Tafel · Overleggen" || fail "q did not go back to the meetings list (2)"

# a double click on the first meeting opens it, q goes back
click pol 5 3 2
wait_re pol "^ +# +Casus" || fail "double click did not open the meeting"
wait_for pol "SSO Enschede ·" || fail "double click opened the wrong meeting"
keys pol q
wait_for pol "Tafel · Overleggen" || fail "q did not go back to the meetings list"

# in the meeting, a click on agenda row 2 selects it (own way)
keys pol Enter
wait_re pol "^ +# +Casus" || fail "Enter did not open the meeting"
second=$(screen pol | grep -E '^[ ▶✓] +2  ' | awk '{print $NF==""?"":$0}' | grep -oE '[0-9]{4}-[0-9]{4}' | head -n 1)
row=$(screen pol | grep -nE '^[ ▶✓] +2  ' | cut -d: -f1)
[ -n "$row" ] || fail "no agenda row 2"
click pol 10 "$row"
wait_for pol "Casus $second" || fail "click on agenda row 2 did not select $second"
wait_for pol "eigen weg" || fail "click did not detach"

# Esc in a search with typed text asks first; n keeps the text
keys pol 1
wait_for pol "Tafel · Overleggen" || fail "1: no meetings list"
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask"
type_text pol "wzt"
keys pol Escape
wait_for pol "Getypte tekst weggooien? (j/n):" || fail "Esc did not ask before discarding"
type_text pol "n"
wait_for pol "Zoeken: wzt" || fail "typed text not kept after n"
keys pol Escape
wait_for pol "weggooien" || fail "second Esc did not ask"
type_text pol "j"
wait_gone pol "Zoeken:" || fail "j did not discard"
screen pol | grep -q "/wzt" && fail "discarded search was applied"
# each screen keeps its own search, and / offers it as a default that
# typing replaces (not appends to)
keys pol 4
wait_for pol "Tafel · Casussen" || fail "4: no cases list"
keys pol /
wait_for pol "Zoeken:" || fail "4: / did not ask"
type_text pol "0012"
keys pol Enter
wait_for pol "Tafel · Casussen · /0012" || fail "4: search not shown in the title"
keys pol 3
wait_for pol "Tafel · Afspraken van mijn organisatie" || fail "3: no action points"
screen pol | head -n 1 | grep -qF "/0012" && fail "3: the cases' search shows on another screen"
keys pol 4
wait_for pol "Tafel · Casussen · /0012" || fail "4: its own search not kept"
keys pol /
wait_for pol "Zoeken: 0012" || fail "4: / did not offer the search: $(screen pol | tail -n 2)"
type_text pol "0013"
keys pol Enter
wait_for pol "Tafel · Casussen · /0013" || fail "4: typing did not replace the search: $(screen pol | head -n 1)"
screen pol | tail -n 1 | grep -q "^q zoeken wissen " || fail "4: the footer does not say q clears the search"
keys pol q
wait_gone pol "/0013" || fail "4: q did not clear the search"
wait_re pol "^q terug " || fail "4: q back not offered after the search went: $(screen pol | tail -n 1)"
# an empty list offers no keys for a selected line (nothing to answer or accept)
# (the demo's police sees an info round: the housing corporation, of no series that has the case, sees none)
start_client woning woningcorporatie
wait_for woning "Tafel · Overleggen" || fail "woning: no meetings list"
keys woning 8
wait_for woning "Geen open inforondes" || fail "8: the empty info rounds list not said: $(screen woning)"
screen woning | tail -n 1 | grep -qE "b bekend|niet bekend|Z sluiten" &&
	fail "8: keys for a round offered on an empty list: $(screen woning | tail -n 1)"
# (the demo's police has a pending nomination: housing nominated nothing and
# decides none)
keys woning 5
wait_for woning "Geen voordrachten" || fail "5: the empty nominations list not said: $(screen woning)"
screen woning | tail -n 1 | grep -qE "a aannemen|x afwijzen" &&
	fail "5: keys for a nomination offered on an empty list: $(screen woning | tail -n 1)"
keys pol 1
wait_for pol "Tafel · Overleggen" || fail "1: no meetings list"
# q on the meetings list quits
keys pol q
wait_for pol "[tafel exited] 0" || fail "q did not quit from the meetings list"

# the action points list: the selection follows the action point, not the
# line; a new one arriving live above it (overdue longer: first) does not
# make e edit another one
start_client act politie
wait_for act "Tafel · Overleggen" || fail "act: no meetings list"
keys act 3
wait_for act "Tafel · Afspraken van mijn organisatie" || fail "act: 3 did not open the action points"
wait_re act '^ 20[0-9-]+ ' || fail "act: no action points listed"
keys act Down Up		# the first line, chosen
wait_re act "^ *Afspraak: " || fail "act: the chosen action point is not shown in full: $(screen act)"
chosen=$(screen act | sed -n 's/^ *Afspraak: //p' | head -n 1)
[ -n "$chosen" ] || fail "act: the chosen action point is not shown in full: $(screen act)"
set -- $(printf 'subscribe %s\nquit\n' "$MEETING" | batch politie | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "subscribed":
        s = m["subscribed"]["snapshot"]
        print(s["agenda"][0]["case_id"], [o["id"] for o in s["organisations"] if o["name"].startswith("Politie")][0])')
[ -n "${2:-}" ] || fail "act: no case or police organisation in the meeting"
newdesc="Nieuw erbij e2e$$"
printf 'action %s %s %s %s %s\nquit\n' "$1" "$MEETING" "$2" "$(date -d '-60 days' +%F)" "$newdesc" |
	batch voorzitter | grep -q '"body":"action_point"' || fail "act: could not add an action point"
wait_for act "$newdesc" || fail "act: the new action point did not arrive live"
keys act e
wait_for act "Omschrijving: $chosen" ||
	fail "act: e after a new line arrived edits another action point than the one chosen ($chosen): $(screen act | tail -n 2)"
keys act Escape
wait_gone act "Afspraak bewerken" || fail "act: Esc did not close the form"

# a wider screen widens the columns: at 120 columns the calendar's series and the action points' owner are whole
E2E_COLS=120 start_client wide voorzitter
wait_for wide "Tafel · Overleggen" || fail "wide: no meetings list"
keys wide 9
wait_for wide "Tafel · Kalender" || fail "wide: 9 did not open the calendar"
wait_re wide "  Casusoverleg huiselijk geweld district Eemland +gepland" ||
	fail "wide: the calendar cuts the series at 120 columns: $(screen wide)"
keys wide 3
wait_for wide "Tafel · Afspraken van mijn organisatie" || fail "wide: 3 did not open the action points"
wait_re wide "  Gemeente Eemland-Twente +Jongerenwerk" || fail "wide: the owner is cut at 120 columns: $(screen wide)"
# and a narrower one narrows the calendar's series, not its state
tm resize-window -t wide -x 60 -y 20
keys wide 9
wait_re wide "^  Wanneer +Reeks +Status\$" || fail "narrow: the calendar's header at 60 columns: $(screen wide)"
wait_re wide "^  20[0-9-]+ [0-9:]+  Casusoverleg huis[^ ]*… +gepland\$" ||
	fail "narrow: the calendar's state cut at 60 columns: $(screen wide)"
ok
