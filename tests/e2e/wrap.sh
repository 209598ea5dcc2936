#!/bin/bash
# Wrapping in the minutes and reports views: a decision longer than the screen is shown in full over several lines at word boundaries (no "…"), j still scrolls it row by row with "+N meer" counting rows; the reports view on a narrow terminal wraps its rows instead of cutting them.
. "$(dirname "$0")/lib.sh"

start_server
# the last closed meeting on the chair's screen, as minutes-view.sh finds it
start_client chair voorzitter
wait_for chair "Tafel · Overleggen" || fail "no meetings list"
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "meetings not loaded"
idx=$(screen chair | grep -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' | grep -n gesloten | tail -n 1 | cut -d: -f1)
[ -n "$idx" ] || fail "no closed meeting on screen: $(screen chair)"
row=$(screen chair | grep -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' | sed -n "${idx}p")
day=$(echo "$row" | grep -oE '20[0-9]{2}-[0-9]{2}-[0-9]{2}')
mid=$(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys, time
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "meeting_list":
        for m in o["meeting_list"]["meetings"]:
            if m.get("state") == "closed" and m["series_name"] in sys.argv[2] and \
               time.strftime("%Y-%m-%d", time.localtime(int(m["scheduled_start"]))) == sys.argv[1]:
                print(m["id"]); break' "$day" "$row")
[ -n "$mid" ] || fail "the meeting of '$row' not found"

# a decision of some 300 characters on its first item (after closing: the
# chair may still complete the minutes)
read -r item ver < <(printf 'subscribe %s\nquit\n' "$mid" | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "subscribed":
        it = o["subscribed"]["snapshot"]["agenda"][0]
        print(it["id"], it["version"])')
[ -n "$ver" ] || fail "no agenda item in meeting $mid"
long="Huisverbod verlengen met tien dagen; de wijkagent bezoekt het gezin samen met de jeugdconsulent, het veiligheidsplan wordt herzien met beide ouders, de school wordt ingelicht over de thuissituatie en de reclassering toetst de bijzondere voorwaarden voor het volgende overleg slotwoord$$"
res=$(printf 'decision %s %s %s\nquit\n' "$item" "$ver" "$long" | batch voorzitter)
echo "$res" | grep -q '"agenda_item"' || fail "decision not recorded: $res"

for _ in $(seq 2 "$idx"); do keys chair j; done
keys chair b
wait_for chair "Tafel · Besluitenlijst" || fail "b did not open the minutes: $(screen chair)"
wait_for chair "Besluit: Huisverbod verlengen met tien" ||
	fail "the long decision is not shown: $(screen chair)"
# at 80x24 its end is below: j brings it up a screen row at a time, and
# "+N meer" above counts the rows scrolled away
n=0
until screen chair | grep -qF "slotwoord$$"; do
	n=$((n + 1))
	[ $n -le 10 ] || fail "j did not bring up the end of the decision: $(screen chair)"
	keys chair j
	wait_re chair "^ *\+$n meer" 5 || fail "j $n times: not '+$n meer' above: $(screen chair)"
done
# in full, over lines: the screen rows from "Besluit:" on, joined, hold the
# whole text; no row is cut with "…", none is wider than the screen
screen chair >"$E2E_DIR.screen"
python3 - "$E2E_DIR.screen" "$long" <<'PY' || fail "decision not wrapped in full: $(cat "$E2E_DIR.screen")"
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
start = [i for i, r in enumerate(rows) if "Besluit: Huisverbod verlengen met tien" in r]
assert start, "no decision row"
text = []
for r in rows[start[0]:]:
    text.append(r.strip())
    if "slotwoord" in r:
        break
joined = " ".join(text)
want = "Besluit: " + sys.argv[2]
assert want in joined, (want, joined)
assert len(text) >= 4, text           # some 310 columns on an 80-column screen
assert not any("…" in t for t in text), text
# at word boundaries: every row ends with a whole word of the text
words = set(want.split())
for t in text[:-1]:
    assert t.split()[-1] in words, t
PY
# the continuation rows are indented under the line
screen chair | grep -qE '^ {5,}[a-z]' || fail "continuation rows not indented"

# and k back
[ $n -gt 0 ] || fail "the decision fitted without scrolling: no paging to test"
keys chair k
wait_re chair "^ *\+$((n - 1)) meer|^ Besluitenlijst " || fail "k did not scroll back: $(screen chair)"
keys chair q
wait_for chair "Tafel · Overleggen" || fail "q did not go back"

# the reports view on a 44-column terminal: rows wider than that wrap (the
# bars under their organisation, with their figures), none is cut
E2E_COLS=44
start_client narrow voorzitter
wait_for narrow "Overleggen" || fail "narrow: no meetings list"
keys narrow 7
wait_re narrow "^ Rapport(age)? 20" || fail "narrow: 7 did not open the report: $(screen narrow)"
wait_for narrow "Casussen per thema en district" || fail "narrow: the report did not load: $(screen narrow)"
# the last 60 days: the demo's organisations with their action points
from=$(date -d '-60 days' +%Y-%m-%d)
to=$(date +%Y-%m-%d)
keys narrow p
wait_for narrow "Periode" || fail "narrow: p did not ask the period: $(screen narrow)"
keys narrow C-u
type_text narrow "$from $to"
keys narrow Enter
wait_for narrow "$from – $to" || fail "narrow: period not taken: $(screen narrow)"
wait_re narrow "^ [A-Z].* +[0-9]+ +[0-9]+ *$" || fail "narrow: no table: $(screen narrow)"
# down through the report: every screen without a line cut at the screen's edge
# ("…" in its last column; an organisation's name cut to its column ends in "…"
# inside the line), until a bar with its figures shows
n=0
until screen narrow | grep -qE "[█·]+ [0-9]+/[0-9]+ *$"; do
	screen narrow | grep -qE "^.{79}…$" && fail "narrow: a cut line: $(screen narrow)"
	n=$((n + 1))
	[ $n -le 60 ] || fail "narrow: no bar with its figures: $(screen narrow)"
	keys narrow j
	wait_re narrow "^ *\+$n meer" 5 || fail "narrow: j did not scroll: $(screen narrow)"
done
screen narrow | grep -qE "^.{79}…$" && fail "narrow: a cut line: $(screen narrow)"
ok
