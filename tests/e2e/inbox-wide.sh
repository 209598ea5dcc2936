#!/bin/bash
# On a wide terminal the inbox's What and Who columns share the extra room by what their texts need: at 140 columns "agenda gepubliceerd: WZT Enschede-Noord <date>" and its sender are both whole (the What column stopped at 52 before, cut while Who had room to spare; found by an outside tester); at 80 columns both keep 22.
. "$(dirname "$0")/lib.sh"

start_server
# the chair publishes today's WZT agenda: the police get an inbox entry
set -- $(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "meeting_list":
        for x in m["meeting_list"]["meetings"]:
            if x["series_name"] == "WZT Enschede-Noord" and x["state"] == "planned":
                print(x["id"], x["version"]); sys.exit(0)')
[ -n "${2:-}" ] || fail "no planned WZT meeting"
printf 'publish %s %s\nquit\n' "$1" "$2" | batch voorzitter |
	grep -q '"published_at"' || fail "publish"

E2E_COLS=140 E2E_ROWS=30 start_client wide politie
wait_for wide "verbonden" || fail "not connected: $(screen wide)"
keys wide 6
wait_for wide "agenda gepubliceerd" || fail "no publication in the inbox: $(screen wide)"
wait_re wide "agenda gepubliceerd: WZT Enschede-Noord [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +Anouk de Vries \(Gemeente Eemland-Twente\) +[0-9]{4}-" 5 ||
	fail "the entry is cut at 140 columns: $(screen wide)"

# at 80 columns the columns keep their base width, cut with …
tm resize-window -t wide -x 80 -y 24
wait_re wide "^● +agenda gepubliceerd:… +Anouk de Vries \(Gemee…  [0-9]{4}-" 5 ||
	fail "the columns at 80 are not 22 each: $(screen wide)"
ok
