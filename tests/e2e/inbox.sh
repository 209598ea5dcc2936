#!/bin/bash
# The inbox view (issue 12): 6 opens it from anywhere (listed in help); entries newest first with case number, what happened, who and when, unread ones marked ●; a new entry arrives live on top (the selection stays on its line); Enter marks the selected one read (mark_inbox_read) and the status line's count drops; a case moved on names the step in Dutch.
. "$(dirname "$0")/lib.sh"

start_server
vt=$(org_of_kind veilig_thuis)
set -- $(printf '%s\n' "signal domestic_violence Inboxdorp person Melding na ruzie" quit |
	batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["id"], o["case_record"]["number"]); break')
[ -n "${2:-}" ] || fail "signal"
case_id=$1 number=$2
due=$(date -d '+7 days' +%Y-%m-%d)
acts=$(printf '%s\n' "action $case_id 0 $vt $due Huisbezoek afleggen" \
	"action $case_id 0 $vt $due School bellen" quit |
	batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "action_point":
        print(o["action_point"]["id"], o["action_point"]["version"])')
set -- $acts
[ -n "${4:-}" ] || fail "actions: $acts"
a1=$1 v1=$2 a2=$3 v2=$4

# one entry before the client starts
printf '%s\n' "complete $a1 $v1 Huisbezoek gedaan" quit | batch veiligthuis >/dev/null
start_client pol politie
wait_for pol "verbonden" || fail "client not connected: $(screen pol)"

# 6 is in the help
keys pol '?'
wait_re pol "^ *6 .*Postvak" || fail "help does not list 6: $(screen pol)"
keys pol Escape
keys pol 4
wait_for pol "Tafel · Casussen" || fail "4 did not open the case list"
keys pol 6
wait_for pol "Tafel · Postvak" || fail "6 did not open the inbox: $(screen pol)"
wait_re pol "^● $number +afspraak afgerond +Joris Mulder \(Veilig" ||
	fail "no unread entry with case, what and who: $(screen pol)"
wait_re pol "^● $number .* [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$" || fail "no time: $(screen pol)"
# the selected entry in full under the list: the action point and the note
wait_for pol "Afspraak: Huisbezoek afleggen" || fail "selected entry's action point not shown: $(screen pol)"
wait_for pol "Terugkoppeling: Huisbezoek gedaan" || fail "completion note not shown: $(screen pol)"

# a second one arrives live, on top
printf '%s\n' "cancel $a2 $v2 Niet meer nodig" quit | batch veiligthuis >/dev/null
wait_re pol "^● $number +afspraak ingetrokken" || fail "new entry not shown: $(screen pol)"
top=$(screen pol | grep -nE "^● $number" | head -n 1)
echo "$top" | grep -q "ingetrokken" || fail "newest not on top: $(screen pol)"
keys pol r	# clears the announcement from the status line
wait_for pol "postvak: 2 ongelezen" || fail "count not 2: $(screen pol)"

# the selection stayed on the line it was on (the older one): Enter marks
# that one read
keys pol Enter
wait_for pol "Terugkoppeling op casus $number gelezen." || fail "no confirmation: $(screen pol)"
wait_re pol "^  $number +afspraak afgerond" || fail "still marked unread: $(screen pol)"
wait_re pol "^  Gelezen door Sanne Jansen, " || fail "who read it not shown: $(screen pol)"
wait_re pol "^● $number +afspraak ingetrokken" || fail "the other one should stay unread"
keys pol r
wait_for pol "postvak: 1 ongelezen" || fail "count did not drop: $(screen pol)"
# the cancelled one shows its reason
keys pol k
wait_for pol "Reden: Niet meer nodig" || fail "cancellation reason not shown: $(screen pol)"
# the help says what Enter does here
keys pol '?'
wait_for pol "Tafel · Toetsen" || fail "? did not open the help"
for _ in $(seq 1 8); do keys pol j; done	# the inbox's own keys follow "Overal"
wait_re pol "^  Enter +De gekozen melding als gelezen markeren" || fail "help: Enter in the inbox: $(screen pol)"
keys pol q
# the case moved on: the step in Dutch, as everywhere else (not the
# server's "info_round"); the chair routes it as Inboxdorp's process
# manager (without a connection the case is not found, protocol.md 9.2)
ctl pm add voorzitter Inboxdorp >/dev/null || fail "pm add"
printf 'move %s 1 screening\nmove %s 2 info_round\nquit\n' "$case_id" "$case_id" |
	batch voorzitter | grep -c '"body":"case_record"' | grep -qx 2 ||
	fail "could not move the case on to the info round"
wait_for pol "naar inforonde" || fail "the inbox does not name the step in Dutch: $(screen pol)"
screen pol | grep -q "info_round" && fail "the inbox shows the server's step name: $(screen pol)"
# the server agrees
n=$(printf 'inbox unread received\nquit\n' | batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "inbox_list":
        print(len([e for e in o["inbox_list"].get("entries", []) if not e.get("read_at")]))')
[ "$n" = 3 ] || fail "server unread count $n, want 3 (one left, two moves)"

# the sender sees what it sent, to whom, and who read it when; a reading
# arrives live
start_client vt veiligthuis
wait_for vt "verbonden" || fail "veiligthuis not connected: $(screen vt)"
keys vt 6
wait_re vt "^→ $number +afspraak ingetrokken +aan Politie" ||
	fail "sender: unread sent entry not shown: $(screen vt)"
wait_re vt "^✓ $number +afspraak afgerond +aan Politie" ||
	fail "sender: read sent entry not shown: $(screen vt)"
wait_for vt "Door u verstuurd aan Politie" || fail "sender: recipient not named: $(screen vt)"
wait_for vt "Nog niet gelezen." || fail "sender: unread not said: $(screen vt)"
keys vt Enter
wait_for vt "U verstuurde deze melding: de ontvanger markeert hem als gelezen." ||
	fail "sender: Enter on a sent entry: $(screen vt)"
id=$(printf 'inbox unread received\nquit\n' | batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "inbox_list":
        print([e["id"] for e in o["inbox_list"]["entries"] if "cancel" in str(e.get("kind", "")).lower()][0])')
printf 'read %s\nquit\n' "$id" | batch politie | grep -q '"inbox_entry"' || fail "politie could not read $id"
wait_re vt "^✓ $number +afspraak ingetrokken +aan Politie" ||
	fail "sender: reading not shown live: $(screen vt)"
wait_re vt "^  Gelezen door Sanne Jansen, " || fail "sender: who read it not shown: $(screen vt)"

# at 120 columns the columns widen like the other lists: who in full
E2E_COLS=120 start_client wide politie
wait_for wide "verbonden" || fail "wide client not connected: $(screen wide)"
keys wide 6
wait_re wide "^  $number +afspraak afgerond +Joris Mulder \(Veilig Thuis Eemland-Twente\) +[0-9]{4}-" ||
	fail "inbox columns cut at 120 columns: $(screen wide)"
wait_re wide "^  Casus +Wat {30,}Wie" || fail "header not widened: $(screen wide)"
# at 60 columns what and who give way, the date stays (it was cut to "…")
tm resize-window -t wide -x 60 -y 20
wait_re wide "^  $number +afspraak af[^ ]* +Joris Muld[^ ]* +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{5}\$" ||
	fail "the date cut at 60 columns: $(screen wide)"
wait_re wide "^  Casus +Wat +Wie +Wanneer\$" || fail "header at 60 columns: $(screen wide)"
ok
