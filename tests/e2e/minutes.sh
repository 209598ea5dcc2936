#!/bin/bash
# tafelctl minutes: last month's closed WZT as PDF and text per organisation; the absent, uninvolved partner's copy omits what it may not see, and one whose only member is a process manager gets none (that view is personal); the PDF is rendered to an image and its text checked on every page. The files are created 0600 (also an existing one), by tafelctl and by tafel --batch.
. "$(dirname "$0")/lib.sh"

command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null ||
	fail "poppler-utils (pdftoppm, pdftotext) missing: scripts/install-deps.sh"
start_server
mid=$(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "meeting_list":
        print([m["id"] for m in o["meeting_list"]["meetings"] if m.get("state") == "closed"][0])')
[ -n "$mid" ] || fail "no closed meeting in the demo"

ctl() { "$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" "$@" 2>>"$E2E_DIR.log"; }
pol="Politie Eenheid Oost-Nederland"
vsl="Tavenier Verslavingszorg"
ctl minutes "$mid" --org "$pol" --format pdf -o "$E2E_DIR/pol.pdf" >/dev/null ||
	fail "minutes for the police"
ctl minutes "$mid" --org "$vsl" --format pdf -o "$E2E_DIR/vsl.pdf" >/dev/null ||
	fail "minutes for addiction care"
: >"$E2E_DIR/vsl.txt" && chmod 644 "$E2E_DIR/vsl.txt"
ctl minutes "$mid" --org "$vsl" --format txt -o "$E2E_DIR/vsl.txt" >/dev/null ||
	fail "text minutes"
# minutes hold personal data: readable by their owner only, as a backup
# (an existing file too); they were 0644, readable by every local user
for f in pol.pdf vsl.pdf vsl.txt; do
	[ "$(stat -c %a "$E2E_DIR/$f")" = 600 ] ||
		fail "tafelctl minutes $f is mode $(stat -c %a "$E2E_DIR/$f"), not 600"
done
ctl minutes 999999 --org "$pol" -o "$E2E_DIR/none.pdf" >/dev/null &&
	fail "minutes of a meeting that does not exist"
# a full disk is said, with why (the PDF was reported written)
for fmt in txt pdf; do
	out=$("$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" minutes "$mid" \
		--org "$pol" --format $fmt -o /dev/full 2>&1) &&
		fail "$fmt minutes to a full disk: exit 0: $out"
	echo "$out" | grep -qF "/dev/full: cannot write: No space left on device" ||
		fail "$fmt minutes to a full disk: $out"
done

# GGZ (absent, not involved) whose only member is made a process manager of
# the district: no copy in that person's personal view, refused with why
ggz="GGZ Eemland-Twente"
ctl minutes "$mid" --org "$ggz" --format txt -o "$E2E_DIR/ggz.txt" >/dev/null ||
	fail "minutes for GGZ"
grep -qF "Besluit: (verborgen, zie boven)" "$E2E_DIR/ggz.txt" ||
	fail "GGZ's copy shows a decision: $(cat "$E2E_DIR/ggz.txt")"
ctl pm add ggz Enschede-Noord >/dev/null || fail "pm add ggz"
out=$("$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" minutes "$mid" \
	--org "$ggz" --format txt -o - 2>&1) &&
	fail "GGZ's copy made in its process manager's view: $out"
echo "$out" | grep -qF "only active members are process managers" ||
	fail "the refusal does not say why: $out"
ctl pm remove ggz Enschede-Noord >/dev/null || fail "pm remove ggz"

# the privacy officer sees the police's copy as a copy made for the
# organisation (minutes_copy), not as its member having read the minutes
num=$(sql -At -c "SELECT c.number FROM audit_log a JOIN cases c ON c.id = a.case_id
	WHERE a.meeting_id = $mid AND a.org_id = (SELECT id FROM organisations WHERE name = '$pol')
	ORDER BY a.id LIMIT 1")
[ -n "$num" ] || fail "the police's copy left no audit row"
aud=$(ctl audit case "$num") || fail "audit case $num"
echo "$aud" | grep -E "^.* $pol .* minutes_copy *$" | grep -q . ||
	fail "the copy is not audited as minutes_copy: $aud"
echo "$aud" | grep -E " minutes *$" && fail "the copy is audited as a member's own read: $aud"

# rendered to an image: a real, non-empty page
pdftoppm -png -r 40 -f 1 -l 1 "$E2E_DIR/pol.pdf" "$E2E_DIR/pol" ||
	fail "pdftoppm could not render the PDF"
png=$(ls "$E2E_DIR"/pol*.png | head -1)
[ -s "$png" ] || fail "no image"
python3 - "$png" <<'PY' || fail "the rendered page is blank"
import sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
# a blank page compresses to almost nothing; text makes it larger
assert len(data) > 2000, len(data)
PY

pdftotext -layout "$E2E_DIR/pol.pdf" "$E2E_DIR/pol.pdf.txt" || fail "pdftotext"
for want in "Besluitenlijst" "WZT Enschede-Noord" "Voorzitter: Anouk de Vries" \
	"Kevin Wolters" "Huisverbod verlengen" "Veiligheidsplan opstellen" \
	"Verwacht maar afwezig" "$vsl" "op afstand"; do
	grep -qF -- "$want" "$E2E_DIR/pol.pdf.txt" || fail "police PDF lacks '$want'"
done
# the case by its number: the minutes name no persons and no birth dates,
# not even to an organisation that may see them
for secret in "Betrokkene" "Daan Bakker" "1986-04-12" "1989-09-03"; do
	grep -qF -- "$secret" "$E2E_DIR/pol.pdf.txt" && fail "police PDF names '$secret'"
done
# the recipient on every page
for f in pol vsl; do
	n=$(pdftotext "$E2E_DIR/$f.pdf" - | grep -c "Opgesteld voor:")
	p=$(pdftotext "$E2E_DIR/$f.pdf" - | grep -c "pagina ")
	[ "$p" -ge 1 ] && [ "$n" -ge "$p" ] || fail "$f: recipient not on every page ($n for $p pages)"
	for i in $(seq 1 "$p"); do
		org=$pol; [ $f = vsl ] && org=$vsl
		pdftotext -f "$i" -l "$i" "$E2E_DIR/$f.pdf" - | grep -qF "Opgesteld voor: $org" ||
			fail "$f: page $i does not name $org"
	done
done

# the absent partner that is not involved: the case number, nothing more
pdftotext -layout "$E2E_DIR/vsl.pdf" "$E2E_DIR/vsl.pdf.txt"
for doc in "$E2E_DIR/vsl.pdf.txt" "$E2E_DIR/vsl.txt"; do
	for secret in "Jeroen Bakker" "Fleur van Dijk" "Huisverbod verlengen" \
		"Veiligheidsplan opstellen"; do
		grep -qF -- "$secret" "$doc" && fail "$doc shows '$secret'"
	done
	grep -qF "uw organisatie is niet betrokken" "$doc" || fail "$doc: no reason shown"
	# the demo's decisions were made in the meeting, not after it
	grep -qF "na sluiting" "$doc" && fail "$doc: marks a change after closing"
	grep -qF "Opgesteld voor: $vsl" "$doc" || fail "$doc: recipient missing"
done
# tafel --batch minutes: the user's own organisation's copy, as the answer
# and as documents
res=$(printf '%s\n' "minutes $mid pdf $E2E_DIR/b.pdf" "minutes $mid txt $E2E_DIR/b.txt" quit |
	batch wijkagent)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] in ("response", "error")]
assert len(r) == 2 and all(x["body"] == "minutes" for x in r), r
m = r[0]["minutes"]
assert m["org_name"] == "Politie Eenheid Oost-Nederland", m
assert m["items"][0]["item"]["decision"].startswith("Huisverbod verlengen"), m
' || fail "batch minutes: $res"
pdftotext "$E2E_DIR/b.pdf" - | grep -qF "Opgesteld voor: $pol" || fail "batch PDF"
for f in b.pdf b.txt; do
	[ "$(stat -c %a "$E2E_DIR/$f")" = 600 ] ||
		fail "tafel --batch minutes $f is mode $(stat -c %a "$E2E_DIR/$f"), not 600"
done
grep -qF "Huisverbod verlengen" "$E2E_DIR/b.txt" || fail "batch text"
res=$(printf 'minutes %s\nquit\n' "$(( mid + 1000 ))" | batch wijkagent)
echo "$res" | grep -q '"code":"not_found"' || fail "minutes of no meeting: $res"

# the chair finishes the minutes after closing: the decision is marked as
# changed after closing, by whom and when, on the item and in the case's
# history
read -r item ver case < <(printf 'subscribe %s\nquit\n' "$mid" | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "subscribed":
        it = o["subscribed"]["snapshot"]["agenda"][0]
        assert not it.get("decision_changed_after_close"), it
        print(it["id"], it["version"], it["case_id"])')
[ -n "$case" ] || fail "no agenda item in the closed meeting"
res=$(printf 'decision %s %s Huisverbod verlengen, aangevuld na sluiting\nquit\n' \
	"$item" "$ver" | batch voorzitter)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] in ("response", "error")]
it = r[0]["agenda_item"]
assert it.get("decision_changed_after_close") is True, it
assert it.get("decision_by_name") == "Anouk de Vries", it
assert int(it.get("decision_at", 0)) > 0, it
' || fail "decision after closing not marked: $res"
res=$(printf 'case %s\nquit\n' "$case" | batch wijkagent)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] in ("response", "error")]
h = [e for e in r[0]["case_detail"]["history"]
     if e.get("decision", "").endswith("aangevuld na sluiting")]
assert len(h) == 1 and h[0].get("decision_changed_after_close") is True, r
assert h[0].get("decision_by_name") == "Anouk de Vries", h
' || fail "case history lacks the mark: $res"
# and the terminal client says so under the decision
start_client chair voorzitter --meeting "$mid"
wait_re chair "Besluit: Huisverbod verlengen, aangevuld na sluiting" ||
	fail "meeting view: the new decision is not shown"
wait_re chair "\(gewijzigd na sluiting door Anouk de Vries op 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}\)" ||
	fail "meeting view: the decision is not marked as changed after closing"
ok
