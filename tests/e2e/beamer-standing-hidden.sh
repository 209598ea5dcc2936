#!/bin/bash
# On the shared screen, before the first item, the standing item's action points hidden because of who is in the room (the GP, outside the covenant, recorded present) say so — "(verborgen op het gedeelde scherm)", with their owner — not "(tekst verborgen voor uw organisatie)", which on the chair's own screen blamed the chair's organisation for its own action points (found by new users in tmux). Before the meeting opens, with nobody recorded present, the shared screen hides those texts too (it showed the chair's own view to whoever came in).
. "$(dirname "$0")/lib.sh"

start_server
# a WZT after today's: the open action points of the earlier ones stand on
# it ("openstaande afspraken uit eerdere overleggen")
ctl meeting plan --series "WZT Enschede-Noord" --date "$(date -d '+2 days' +%F)" --time 10:00 >/dev/null ||
	fail "meeting plan"
read -r MEETING VERSION < <(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
ms = []
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "meeting_list":
        ms = [x for x in m["meeting_list"]["meetings"]
              if x["series_name"] == "WZT Enschede-Noord" and x.get("state") == "planned"]
ms.sort(key=lambda x: int(x["scheduled_start"]))
print(ms[-1]["id"], ms[-1]["version"]) if len(ms) > 1 else sys.exit(1)') || fail "no second planned WZT"
# before the meeting opens nobody can be recorded present, yet people come
# in: the shared screen shows the standing item as anyone may see it (it
# showed the chair's own view: "Veiligheidsplan opstellen met Fleur van
# Dijk" to whoever walked in)
start_client early voorzitter --meeting "$MEETING" --presentation
wait_for early "Openstaande afspraken uit eerdere overleggen" ||
	fail "beamer (planned): no standing item: $(screen early)"
wait_re early "Casus 2026-[0-9]+ · \\(verborgen op het gedeelde scherm\\) · [A-Z]" ||
	fail "beamer (planned): the standing item's texts are shown: $(screen early)"
screen early | grep -qF "Fleur van Dijk" &&
	fail "beamer (planned) names a person: $(screen early)"
tm kill-session -t early
GP=$(ctl user list | awk '$2 == "huisarts" {print $1}')
[ -n "$GP" ] || fail "no GP user: $(ctl user list)"
out=$(printf 'open %s %s\nattend %s %s present room\nquit\n' "$MEETING" "$VERSION" "$MEETING" "$GP" | batch voorzitter 2>&1)
printf '%s\n' "$out" | grep -q '"type":"error"' && fail "open/attend: $out"
start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "Openstaande afspraken uit eerdere overleggen" ||
	fail "beamer: no standing item before the first item: $(screen beamer)"
wait_re beamer "Casus 2026-[0-9]+ · \\(verborgen op het gedeelde scherm\\) · [A-Z]" ||
	fail "beamer: hidden standing action points do not say why: $(screen beamer)"
screen beamer | grep -qF "(tekst verborgen voor uw organisatie)" &&
	fail "beamer blames the viewer's organisation: $(screen beamer)"
ok
