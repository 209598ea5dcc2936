#!/bin/bash
# The minutes in the client (issue 12, docs/protocol.md 7.13): b on a closed meeting in the meetings list shows its minutes (get_minutes) as a pager: series and date, who was present, each case with its decision; j scrolls; b on a meeting not closed says why not.
. "$(dirname "$0")/lib.sh"

start_server
start_client chair voorzitter
wait_for chair "Tafel · Overleggen" || fail "no meetings list"
wait_for chair "gesloten" || fail "no closed meeting listed: $(screen chair)"

wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "meetings not loaded"
# the first line (today's meeting) is not closed: refused with the reason
keys chair b
wait_for chair "Nog geen besluitenlijst: die komt er als het overleg gesloten is." ||
	fail "b on a meeting not closed not refused: $(screen chair)"

# down to the last closed meeting on screen
idx=$(screen chair | grep -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' | grep -n gesloten | tail -n 1 | cut -d: -f1)
[ -n "$idx" ] || fail "no closed meeting on screen"
for _ in $(seq 2 "$idx"); do keys chair j; done
keys chair b
wait_for chair "Tafel · Besluitenlijst" || fail "b did not open the minutes: $(screen chair)"
wait_for chair "Aanwezig" || fail "no attendance: $(screen chair)"
title=$(screen chair | grep -m1 -E "^ Besluitenlijst ") || fail "no title line: $(screen chair)"
series=$(echo "$title" | sed -E 's/^ Besluitenlijst //; s/ +$//')
day=$(screen chair | grep -m1 -E "^ Datum: " | grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}') ||
	fail "no date line: $(screen chair)"

# what the server says for that meeting: its first case and decision
mid=$(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys, time
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "meeting_list":
        for m in o["meeting_list"]["meetings"]:
            if m.get("state") == "closed" and m["series_name"] == sys.argv[1] and \
               time.strftime("%Y-%m-%d", time.localtime(int(m["scheduled_start"]))) == sys.argv[2]:
                print(m["id"]); break' "$series" "$day")
[ -n "$mid" ] || fail "meeting '$series' on $day not found"
first=$(printf 'minutes %s\nquit\n' "$mid" | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "minutes":
        it = o["minutes"]["items"][0]
        print(it["case"]["number"], it["item"].get("decision", "")[:20])')
num=${first%% *} dec=${first#* }
[ -n "$num" ] || fail "no items in the minutes of $mid"
wait_re chair "^ 1\. Casus $num" || fail "first case $num not shown: $(screen chair)"
[ -z "$dec" ] || wait_for chair "Besluit: $dec" || fail "decision not shown: $(screen chair)"

# a pager: j brings up what is below
if screen chair | grep -qE "\+[0-9]+ meer"; then
	screen chair | grep -qE "^ *\+[0-9]+ meer \(j, ↓\) *$" ||
		fail "'+N meer' does not say which key brings it up: $(screen chair)"
	keys chair j
	wait_re chair "^ *\+1 meer \(k, ↑\)" || fail "j did not scroll: $(screen chair)"
fi
screen chair	# in the log
# the standing item's section is there as in the text minutes, "(geen)" or not
seen=
for _ in $(seq 1 60); do
	screen chair | grep -qF "Openstaande afspraken uit eerdere overleggen" && { seen=1; break; }
	keys chair j
	sleep 0.05
done
[ -n "$seen" ] || fail "the minutes lack the section of earlier open action points: $(screen chair)"
keys chair q
wait_for chair "Tafel · Overleggen" || fail "q did not go back"

# the chair corrects a decision of the closed meeting (docs/protocol.md 7.2):
# d works there too, and the meeting view says it was changed after closing
keys chair Enter
wait_re chair "^ +# +Casus" || fail "Enter did not open the closed meeting: $(screen chair)"
keys chair d
# the question says it is a correction after closing before anything is typed
wait_re chair "Correctie na sluiting, casus 20[0-9]{2}-[0-9]{4}:" ||
	fail "d in the closed meeting not asked as a correction: $(screen chair | tail -n 2)"
keys chair C-u
type_text chair "Correctie na sluiting e2e$$"
keys chair Enter
wait_re chair "Correctie vastgelegd \(casus 20[0-9]{2}-[0-9]{4}\); de besluitenlijst vermeldt het\." ||
	fail "the correction was not recorded as one: $(screen chair | tail -n 2)"
wait_for chair "gewijzigd na sluiting door" || fail "the correction is not marked: $(screen chair)"
ok
