#!/bin/bash
# The standing item "openstaande afspraken" live: an action point agreed (after closing) at last month's WZT on a case not on today's agenda appears in today's meeting view and on the shared screen while both are open, filtered per partner exactly as list_open_actions; it disappears when completed; taking its case onto the agenda moves it to the case and removing the case brings it back; a resumed subscription and a restarted tafeld keep it live.
. "$(dirname "$0")/lib.sh"

start_server
# today's WZT, last month's (closed), a case discussed then and not on
# today's agenda, and the chair's organisation
read -r MEETING EARLIER CASE ORG < <(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, subprocess, sys
m = [json.loads(l) for l in sys.stdin]
login = [x for x in m if x["type"] == "login"][0]["login_ok"]
ml = [x for x in m if x.get("body") == "meeting_list"][0]["meeting_list"]["meetings"]
wzt = [x for x in ml if x["series_name"].startswith("WZT")]
today = [x for x in wzt if x["state"] != "closed"][0]
last = [x for x in wzt if x["state"] == "closed"][0]
print(today["id"], last["id"], "-", login["organisation"]["id"])')
[ -n "$ORG" ] || fail "no WZT meetings in the demo data"
snap() {  # USER MEETING: the subscribed answer's snapshot as JSON
	printf 'subscribe %s\nquit\n' "$2" | batch "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "subscribed":
        print(json.dumps(o["subscribed"]["snapshot"]))'
}
CASE=$(python3 -c '
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
assert int(a["meeting"]["id"]) in [int(i) for i in b.get("earlier_meeting_ids", [])], b
today = {i["case_id"] for i in b.get("agenda", [])}
print([i["case_id"] for i in a["agenda"] if i["case_id"] not in today][0])' \
	"$(snap voorzitter "$EARLIER")" "$(snap voorzitter "$MEETING")") ||
	fail "no case of meeting $EARLIER off today's agenda"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "WZT" || fail "beamer: no shared screen"
screen chair | grep -q "Openstaande afspraken uit eerdere" && fail "a standing item before there is one"

# the chair adds an action point to last month's meeting (after closing)
due=$(date -d '+10 days' +%Y-%m-%d)
desc="Dossier opvragen bij de school staand$$"
res=$(printf 'action %s %s %s %s %s\nquit\n' "$CASE" "$EARLIER" "$ORG" "$due" "$desc" | batch voorzitter)
read -r AID AVER < <(echo "$res" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "action_point":
        print(o["action_point"]["id"], o["action_point"]["version"])')
[ -n "$AVER" ] || fail "action not created: $res"

# live, without reloading: in the meeting view and on the shared screen
wait_for chair "Openstaande afspraken uit eerdere overleggen (1)" ||
	fail "chair: no standing item: $(screen chair)"
wait_for chair "$desc" || fail "chair: the action point is not in it: $(screen chair)"
wait_for beamer "Openstaande afspraken uit eerdere overleggen (1)" ||
	fail "beamer: no standing item: $(screen beamer)"
# (its text as the room may see it: with nobody recorded present, hidden)
wait_for beamer "$due Casus" || fail "beamer: the action point is not in it: $(screen beamer)"

# every partner's snapshot carries the item exactly as list_open_actions
# gives it to them (the covenant decides what each may see)
for u in voorzitter politie huisarts jeugdzorg woningcorporatie; do
	s=$(snap "$u" "$MEETING")
	l=$(printf 'open-actions %s\nquit\n' "$MEETING" | batch "$u")
	python3 - "$s" "$l" "$AID" "$u" <<'PY' || fail "$u: standing item differs from list_open_actions"
import json, sys
snap = json.loads(sys.argv[1]) if sys.argv[1] else {}
lst = [json.loads(l) for l in sys.argv[2].splitlines() if l.startswith("{")]
lst = [x for x in lst if x["type"] in ("response", "error")][0]
acts = lst.get("action_list", {}).get("actions", []) if lst["type"] == "response" else None
mine = snap.get("open_actions", [])
if acts is None:       # may not see the meeting: no snapshot either
    assert not snap, snap
else:
    strip = lambda a: {k: v for k, v in a.items() if k != "overdue"}
    assert [strip(a) for a in mine] == [strip(a) for a in acts], (mine, acts)
if sys.argv[4] == "voorzitter":     # the owner organisation sees it whole
    d = [a.get("description", "") for a in mine if str(a["id"]) == sys.argv[3]]
    assert len(d) == 1 and d[0] != "", mine
PY
done

# with a case under discussion the shared screen still shows it, below
chair_start chair
wait_re beamer "^ +Casus [0-9-]+ · agendapunt 1/" || fail "beamer: no current case: $(screen beamer)"
wait_for beamer "$due Casus" || fail "beamer: the standing item is gone with a case shown: $(screen beamer)"

# completed: gone from both screens
res=$(printf 'complete %s %s Dossier ontvangen\nquit\n' "$AID" "$AVER" | batch voorzitter)
echo "$res" | grep -q '"action_point"' || fail "complete: $res"
wait_gone chair "$desc" || fail "chair: the completed action point stays: $(screen chair)"
wait_gone chair "Openstaande afspraken uit eerdere" || fail "chair: the empty standing item stays"
wait_gone beamer "$due Casus" || fail "beamer: the completed action point stays: $(screen beamer)"

# a second one; its case put on the agenda takes it along, and off again
# brings it back to the standing item
desc2="Tweede staande afspraak $$"
printf 'action %s %s %s %s %s\nquit\n' "$CASE" "$EARLIER" "$ORG" "$due" "$desc2" | batch voorzitter >/dev/null
wait_for chair "$desc2" || fail "chair: the second action point did not appear"
res=$(printf 'add-item %s %s\nquit\n' "$MEETING" "$CASE" | batch voorzitter)
item=$(echo "$res" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") == "response":
        its = [i for i in o.get("agenda", {}).get("items", []) if str(i["case_id"]) == sys.argv[1]]
        print(its[0]["id"], its[0]["version"]) if its else None' "$CASE")
[ -n "$item" ] || fail "add-item: $res"
wait_gone chair "Openstaande afspraken uit eerdere" ||
	fail "chair: the item stays while its case is on the agenda: $(screen chair)"
# ... and shows with its case (the last item on the agenda)
for _ in 1 2 3 4 5 6 7 8; do keys chair j; done
wait_for chair "$desc2" || fail "chair: the action point is not shown with its case: $(screen chair)"
res=$(printf 'remove-item %s\nquit\n' "$item" | batch voorzitter)  # ITEM_ID VERSION
echo "$res" | grep -q '"type":"response"' || fail "remove-item: $res"
wait_for chair "Openstaande afspraken uit eerdere overleggen (1)" ||
	fail "chair: the item did not come back: $(screen chair)"
wait_for chair "$desc2" || fail "chair: the second action point did not come back"

# a subscription resumed from a seq (served from the server's ring, with
# no snapshot) receives the events of the earlier meetings' action points
seq=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "subscribed":
        print(o["subscribed"]["seq"])')
[ -n "$seq" ] || fail "no seq"
desc3="Derde staande afspraak $$"
printf 'subscribe %s %s\nsleep 4000\nquit\n' "$MEETING" "$seq" | batch voorzitter >"$E2E_DIR.resumed" &
bpid=$!
sleep 1.5
printf 'action %s %s %s %s %s\nquit\n' "$CASE" "$EARLIER" "$ORG" "$due" "$desc3" | batch voorzitter >/dev/null
wait "$bpid"
python3 - "$E2E_DIR.resumed" "$desc3" <<'PY' || fail "resumed subscription: $(cat "$E2E_DIR.resumed")"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
sub = [x for x in r if x.get("body") == "subscribed"]
assert sub and sub[0]["subscribed"].get("resumed") is True, sub
ev = [x for x in r if x.get("type") == "event"]
assert any(e.get("event", e).get("action_point", {}).get("description") == sys.argv[2]
           for e in ev), ev
PY
wait_for chair "$desc3" || fail "chair: the third action point did not appear"

# after tafeld restarts (the client resumes its subscription) the item
# still follows: cancelling it takes it away
port=$E2E_PORT
tafeld_stop
# the client saw the stop (else the old "verbonden" passes the wait below)
wait_re chair "server gestopt|niet verbonden|niet bereikbaar" ||
	fail "chair did not see the server stop: $(screen chair | tail -n 2)"
tafeld_start "$port"
[ "$E2E_PORT" = "$port" ] || fail "tafeld came back on $E2E_PORT, not $port"
wait_re chair "^verbonden" 60 || fail "chair did not reconnect: $(screen chair)"
sleep 1
read -r AID2 AVER2 < <(printf 'open-actions %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") == "response":
        for a in o.get("action_list", {}).get("actions", []):
            if a.get("description") == sys.argv[1]:
                print(a["id"], a["version"])' "$desc2")
[ -n "$AVER2" ] || fail "the second action point is not in list_open_actions"
res=$(printf 'cancel %s %s Niet meer nodig\nquit\n' "$AID2" "$AVER2" | batch voorzitter)
echo "$res" | grep -q '"action_point"' || fail "cancel: $res"
wait_gone chair "$desc2" || fail "chair: the cancelled action point stays after the restart: $(screen chair)"
ok
