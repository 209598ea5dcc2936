#!/bin/bash
# Planning from tafelctl and tafel --batch: a recurrence, moving and cancelling, refusals; a partner's live meeting list; nominations; agenda remove and reorder.
. "$(dirname "$0")/lib.sh"

start_server

# --- tafelctl: every other Tuesday 13:30 for about three months ---------
until=$(date -d '+90 days' +%F)
out=$(ctl meeting plan --series WZT --every 2w --weekday tue --time 13:30 --until "$until") ||
	fail "meeting plan: $out"
n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) meeting(s) planned.*/\1/p')
[ -n "$n" ] && [ "$n" -ge 6 ] && [ "$n" -le 7 ] || fail "expected 6 or 7 meetings: $out"
[ "$(printf '%s\n' "$out" | grep -c ' 13:30 Tue ')" = "$n" ] || fail "not all on Tuesday 13:30: $out"
# the same plan again: nothing new
out=$(ctl meeting plan --series WZT --every 2w --weekday tue --time 13:30 --until "$until") ||
	fail "second plan: $out"
printf '%s' "$out" | grep -q '^no meeting planned: the series has a meeting at each of those times already' ||
	fail "the second plan created meetings, or did not say why none: $out"
# in the past: refused, clearly
out=$(ctl meeting plan --series wzt --date "$(date -d '-3 days' +%F)" --time 10:00) &&
	fail "a meeting in the past was planned"
printf '%s' "$out" | grep -q 'lies in the past' || fail "no clear refusal: $out"
# list, move, cancel
first=$(ctl meeting list wzt | awk '/ 13:30 Tue /{print $1; exit}')
[ -n "$first" ] || fail "meeting list shows no planned Tuesday"
day=$(date -d '+20 days' +%F)
out=$(ctl meeting move "$first" "$day" 09:15) || fail "meeting move: $out"
printf '%s' "$out" | grep -q "$day 09:15" || fail "not moved: $out"
out=$(ctl meeting cancel "$first" Voorzitter op vakantie) || fail "meeting cancel: $out"
printf '%s' "$out" | grep -q 'cancelled' || fail "not cancelled: $out"
ctl meeting list wzt | grep -q 'Voorzitter op vakantie' || fail "cancelled meeting not listed with its reason"
out=$(ctl meeting cancel "$first") && fail "cancelled twice"

# --- a partner's meeting list is live ------------------------------------
SSO=$(meeting_id "SSO Enschede") || fail "no SSO meeting"
{ printf 'subscribe-list meetings\nsleep 6000\nquit\n' | batch politie >"$E2E_DIR.pol"; } &
bg=$!
wait_file "$E2E_DIR.pol" '"subscribed"' || fail "partner did not subscribe to the meeting list"
printf 'open %s 1\nquit\n' "$SSO" | batch voorzitter | grep -q '"body":"meeting"' ||
	fail "could not open the SSO meeting"
wait "$bg"
state=$(pick 'm["event"]["meeting"]["state"] if m.get("type") == "event" and m["event"]["meeting"]["id"] == '"$SSO"' else None' <"$E2E_DIR.pol")
[ "$state" = "open" ] || fail "the partner's list did not show the meeting open live ($state)"

# --- batch: plan, move, cancel ------------------------------------------
WZT=$(printf 'meetings\nquit\n' | batch voorzitter |
	pick '[x["series_id"] for x in m["meeting_list"]["meetings"] if x["series_name"] == "WZT Enschede-Noord"][0]')
[ -n "$WZT" ] || fail "no WZT series id"
d1=$(date -d '+40 days' +%F)
out=$(printf 'plan %s %s 10:00\nquit\n' "$WZT" "$d1" | batch voorzitter)
mid=$(printf '%s\n' "$out" | pick 'm["meeting_list"]["meetings"][0]["id"]')
[ -n "$mid" ] || fail "batch plan: $out"
out=$(printf 'move-meeting %s 1 %s 11:30\ncancel-meeting %s 2 Geen agenda\nquit\n' "$mid" "$d1" "$mid" |
	batch voorzitter)
printf '%s' "$out" | grep -q '"state":"cancelled"' || fail "batch cancel: $out"
printf '%s' "$out" | grep -q '"cancel_reason":"Geen agenda"' || fail "batch cancel reason: $out"
out=$(printf 'plan %s %s 10:00\nquit\n' "$WZT" "$(date -d '-1 days' +%F)" | batch voorzitter)
printf '%s' "$out" | grep -q '"code":"in_the_past"' || fail "batch plan in the past: $out"

# --- batch: nominate, list, decline --------------------------------------
# a case of its own, new (one on the WZT's next agenda cannot be nominated)
case=$(printf 'signal domestic_violence Enschede-Noord person Nieuwe melding\nquit\n' | batch politie |
	pick 'm["case_record"]["id"]')
[ -n "$case" ] || fail "politie could not register a signal"
out=$(printf 'nominate %s %s Nieuwe melding van de wijkagent\nquit\n' "$WZT" "$case" | batch politie)
nom=$(printf '%s\n' "$out" | pick 'm["nomination"]["id"]')
[ -n "$nom" ] || fail "batch nominate: $out"
out=$(printf 'nominations %s pending\nquit\n' "$WZT" | batch voorzitter)
printf '%s' "$out" | grep -q 'Nieuwe melding van de wijkagent' || fail "chair does not see the nomination: $out"
out=$(printf 'nominations 0 all\nquit\n' | batch woningcorporatie)
printf '%s' "$out" | grep -q "\"id\":$nom," && fail "another member sees the nomination: $out"
out=$(printf 'decline-nomination %s 1 Eerst in het casusoverleg\nquit\n' "$nom" | batch voorzitter)
printf '%s' "$out" | grep -q '"state":"declined"' || fail "batch decline: $out"
out=$(printf 'nominations %s all\nquit\n' "$WZT" | batch politie)
printf '%s' "$out" | grep -q 'Eerst in het casusoverleg' || fail "the nominating partner does not see the outcome: $out"

# --- batch: reorder and remove agenda items (the open SSO meeting) -------
items=$(printf 'subscribe %s\nquit\n' "$SSO" | batch voorzitter |
	pick '" ".join(str(i["id"]) for i in m["subscribed"]["snapshot"]["agenda"])')
set -- $items
[ $# -ge 2 ] || fail "the SSO meeting has fewer than two items: $items"
first_item=$1
last_item=${!#}
rest=${items% *}
# the last item to the front
out=$(printf 'reorder %s %s %s\nquit\n' "$SSO" "$last_item" "$rest" | batch voorzitter)
got=$(printf '%s\n' "$out" | pick '" ".join(str(i["id"]) for i in m["agenda"]["items"])')
[ "$got" = "$last_item $rest" ] || fail "reorder: $out"
ver=$(printf '%s\n' "$out" | pick '[i["version"] for i in m["agenda"]["items"] if i["id"] == '"$last_item"'][0]')
out=$(printf 'remove-item %s %s\nquit\n' "$last_item" "$ver" | batch voorzitter)
got=$(printf '%s\n' "$out" | pick '" ".join(str(i["id"]) for i in m["agenda"]["items"])')
[ "$got" = "$rest" ] || fail "remove-item: $out"
out=$(printf 'remove-item %s 1\nquit\n' "$first_item" | batch voorzitter)
printf '%s' "$out" | grep -q '"code":"conflict"' || fail "a stale version was not refused: $out"

ok
