#!/bin/bash
# The inbox's v: all entries, only those received, only those the user sent, in turn; the title says which ("Postvak · ontvangen", "Postvak · verzonden"), the footer and the help offer v, an empty choice says so, and Enter in the received ones marks the one chosen read.
. "$(dirname "$0")/lib.sh"

start_server
orgs=$(printf 'orgs\nquit\n' | batch politie)
vt=$(echo "$orgs" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "veilig_thuis"][0]')
pol=$(echo "$orgs" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "police"][0]')
[ -n "$vt" ] && [ -n "$pol" ] || fail "organisations: $orgs"
due=$(date -d '+7 days' +%Y-%m-%d)

# signal USER TEXT: a new case of USER's organisation; prints "id number"
signal() {
	printf '%s\n' "signal domestic_violence Filterdorp person $2" quit | batch "$1" |
		pick '"%s %s" % (m["case_record"]["id"], m["case_record"]["number"])'
}
# action USER CASE ORG TEXT: an action point; prints "id version"
action() {
	printf '%s\n' "action $2 0 $3 $due $4" quit | batch "$1" |
		pick '"%s %s" % (m["action_point"]["id"], m["action_point"]["version"])'
}

# sent: Veilig Thuis's case, an action point the police complete (first:
# the police's entry for the new action point is then older than the
# feedback they receive below, which the received list starts on)
set -- $(signal veiligthuis "Melding Veilig Thuis")
[ -n "${2:-}" ] || fail "Veilig Thuis signal"
vcase=$1 vnum=$2
set -- $(action veiligthuis "$vcase" "$pol" "Proces-verbaal sturen")
[ -n "${2:-}" ] || fail "action for the police"
printf '%s\n' "complete $1 $2 Proces-verbaal verstuurd" quit | batch politie |
	grep -q '"action_point"' || fail "the police could not complete"

# received: the police's case, an action point Veilig Thuis completes
set -- $(signal politie "Melding politie")
[ -n "${2:-}" ] || fail "police signal"
pcase=$1 pnum=$2
set -- $(action politie "$pcase" "$vt" "Huisbezoek afleggen")
[ -n "${2:-}" ] || fail "action for Veilig Thuis"
printf '%s\n' "complete $1 $2 Huisbezoek gedaan" quit | batch veiligthuis |
	grep -q '"action_point"' || fail "Veilig Thuis could not complete"
start_client pol politie
wait_for pol "verbonden" || fail "client not connected: $(screen pol)"
keys pol 6
wait_for pol "Tafel · Postvak" || fail "6 did not open the inbox: $(screen pol)"
# all: both, the title without a choice, v offered in the footer
wait_re pol "^● $pnum +afspraak afgerond +Joris Mulder" || fail "received entry not shown: $(screen pol)"
wait_re pol "^→ $vnum +afspraak afgerond +aan Veilig Thuis" || fail "sent entry not shown: $(screen pol)"
screen pol | grep -qE "Tafel · Postvak · (ontvangen|verzonden)" && fail "all: the title names a choice: $(screen pol)"
screen pol | tail -n 1 | grep -q "v ontvangen/verzonden" || fail "footer does not offer v: $(screen pol | tail -n 1)"

# v: only what came in
keys pol v
wait_for pol "Tafel · Postvak · ontvangen" || fail "v: the title does not say received: $(screen pol)"
wait_re pol "^● $pnum +afspraak afgerond" || fail "received: the received entry went: $(screen pol)"
wait_gone pol "aan Veilig Thuis" || fail "received: the sent entry is still shown: $(screen pol)"
screen pol | grep -q "Door u verstuurd" && fail "received: the pane shows a sent entry: $(screen pol)"
wait_for pol "Terugkoppeling: Huisbezoek gedaan" || fail "received: the pane does not show the entry: $(screen pol)"

# v again: only what I sent
keys pol v
wait_for pol "Tafel · Postvak · verzonden" || fail "v: the title does not say sent: $(screen pol)"
wait_re pol "^→ $vnum +afspraak afgerond +aan Veilig Thuis" || fail "sent: the sent entry went: $(screen pol)"
wait_gone pol "● $pnum" || fail "sent: the received entry is still shown: $(screen pol)"
wait_for pol "Door u verstuurd aan Veilig Thuis" || fail "sent: the pane does not show the sent entry: $(screen pol)"
# Enter on it still says it is the recipient's to read
keys pol Enter
wait_for pol "U verstuurde deze melding" || fail "sent: Enter: $(screen pol)"

# v a third time: all again
keys pol v
wait_re pol "^Tafel · Postvak +Sanne" || fail "v: the title still names a choice: $(screen pol)"
wait_re pol "^● $pnum +afspraak afgerond" || fail "all: received entry gone: $(screen pol)"
wait_re pol "^→ $vnum +afspraak afgerond" || fail "all: sent entry gone: $(screen pol)"

# in the received ones, Enter marks the one chosen read
keys pol v
wait_for pol "Tafel · Postvak · ontvangen" || fail "v: not received again"
keys pol g		# the newest (the police's new action point is read: done)
keys pol Enter
wait_for pol "Terugkoppeling op casus $pnum gelezen." || fail "received: Enter did not mark it read: $(screen pol)"
wait_re pol "^  $pnum +afspraak afgerond" || fail "received: still marked unread: $(screen pol)"

# the help lists v with the inbox's keys
keys pol '?'
wait_for pol "Tafel · Toetsen" || fail "? did not open the help"
found=
for _ in $(seq 1 30); do
	screen pol | grep -qE "^  v +Alleen de ontvangen meldingen tonen" && { found=1; break; }
	keys pol j
	sleep 0.05
done
[ -n "$found" ] || fail "help does not list v in the inbox: $(screen pol)"
keys pol q

# a colleague who sent nothing: "verzonden" says so
start_client wijk wijkagent
wait_for wijk "verbonden" || fail "wijkagent not connected: $(screen wijk)"
keys wijk 6
wait_re wijk "^  $pnum +afspraak afgerond" || fail "wijkagent: the organisation's entry not shown: $(screen wijk)"
keys wijk v v
wait_for wijk "Tafel · Postvak · verzonden" || fail "wijkagent: not at sent: $(screen wijk)"
wait_for wijk "Niets door u verstuurd: v toont alle meldingen." || fail "wijkagent: empty sent not said: $(screen wijk)"
ok
