#!/bin/bash
# The steering group's report as a PDF (tafelctl report --pdf, tafel --batch report-pdf): rendered to an image, its text checked against the hand-counted fixture of tests/sql/23_reports.sql, the period and the recipient on every page, and no name, case number or text of a case in it.
. "$(dirname "$0")/lib.sh"

command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null ||
	fail "poppler-utils (pdftoppm, pdftotext) missing: scripts/install-deps.sh"
start_server
ctl() { "$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" "$@" 2>>"$E2E_DIR.log"; }
ctl --password-file "$E2E_DIR.pw" user add stuur "Stuurgroep Lid" \
	"Gemeente Eemland-Twente" steering >/dev/null || fail "user add steering"

# The fixture of 23_reports.sql (January 2025), with a person, case numbers,
# a summary and action texts that must never reach the report.
sql() {
	local conn="host=$E2E_DIR/pg/run port=5432 dbname=tafel"
	if [ "$(id -u)" -eq 0 ]; then
		su "${TAFEL_TEST_USER:-tafel}" -s /bin/bash -c "cd /tmp && psql -X -q -v ON_ERROR_STOP=1 '$conn'"
	else
		psql -X -q -v ON_ERROR_STOP=1 "$conn"
	fi
}
sql >>"$E2E_DIR.log" 2>&1 <<'SQL' || fail "fixture: $(tail -3 "$E2E_DIR.log")"
DO $$
DECLARE
	v_org bigint;
	v_user bigint;
	v_series bigint;
	v_m1 bigint;
	k1 bigint;
	k2 bigint;
	vz bigint := (SELECT id FROM users WHERE login = 'voorzitter');
BEGIN
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Testpartner Rapport', 'other', true, '2020-01-01')
	RETURNING id INTO v_org;
	INSERT INTO users (login, display_name, org_id, roles)
	VALUES ('rapport1', 'Rapport Gebruiker', v_org, '{member}')
	RETURNING id INTO v_user;
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Rapportoverleg', 'wzt', '{domestic_violence}', 'Rapportdorp', vz)
	RETURNING id INTO v_series;
	INSERT INTO series_members VALUES (v_series, v_org);
	INSERT INTO meetings (series_id, scheduled_start, state, chair_id,
	    opened_at, closed_at)
	VALUES (v_series, '2025-01-02 10:00+01', 'closed', vz,
	    '2025-01-02 10:00+01', '2025-01-02 11:00+01')
	RETURNING id INTO v_m1;
	INSERT INTO meetings (series_id, scheduled_start, state, chair_id,
	    opened_at, closed_at)
	VALUES (v_series, '2025-01-08 10:00+01', 'closed', vz,
	    '2025-01-08 10:00+01', '2025-01-08 11:00+01'),
	    (v_series, '2025-02-05 10:00+01', 'closed', vz,
	    '2025-02-05 10:00+01', '2025-02-05 11:00+01');
	INSERT INTO attendance (meeting_id, user_id, org_id, present)
	VALUES (v_m1, v_user, v_org, true);

	INSERT INTO cases (number, theme, district, submitter_org_id, summary,
	    status, closed_at, created_at)
	VALUES ('2025-9901', 'rapporttheme', 'Rapportdorp', v_org,
	    'Geheime samenvatting Rapportsma', 'closed', '2025-01-06 00:00+01',
	    '2025-01-01 00:00+01') RETURNING id INTO k1;
	INSERT INTO cases (number, theme, district, submitter_org_id, summary,
	    created_at)
	VALUES ('2025-9902', 'rapporttheme', 'Rapportdorp', v_org,
	    'Geheime samenvatting Rapportsma', '2025-01-02 00:00+01')
	RETURNING id INTO k2;
	INSERT INTO persons (case_id, name) VALUES (k1, 'Pieter Rapportsma');
	DELETE FROM case_status_history WHERE case_id IN (k1, k2);
	INSERT INTO case_status_history VALUES
	    (k1, 'signal', '2025-01-01 00:00+01'),
	    (k1, 'screening', '2025-01-03 00:00+01'),
	    (k1, 'closed', '2025-01-06 00:00+01'),
	    (k2, 'signal', '2025-01-02 00:00+01');

	INSERT INTO action_points (case_id, description, owner_org_id, due_date,
	    state, completion_note, created_at, finished_at, finished_by)
	VALUES
	    (k1, 'Geheim afspraak een', v_org, '2025-01-09', 'done', 'ok',
		'2025-01-03 12:00+01', '2025-01-09 16:00+01', v_user),
	    (k1, 'Geheim afspraak twee', v_org, '2025-01-05', 'done', 'ok',
		'2025-01-03 12:00+01', '2025-01-07 09:00+01', v_user),
	    (k1, 'Geheim afspraak drie', v_org, '2025-01-20', 'cancelled',
		'reden', '2025-01-04 12:00+01', '2025-01-05 09:00+01', v_user),
	    (k2, 'Geheim afspraak vier', v_org, '2025-01-05', 'open', '',
		'2025-01-04 12:00+01', NULL, NULL),
	    (k2, 'Geheim afspraak vijf', v_org, '2099-01-01', 'open', '',
		'2025-01-10 23:30+01', NULL, NULL),
	    (k2, 'Geheim afspraak zes', v_org, '2025-03-01', 'open', '',
		'2025-02-01 12:00+01', NULL, NULL);
END
$$;
SQL

# check_pdf FILE RECIPIENT ORG-ROW SIGNAL-DAYS: the page renders, the text
# holds the hand-counted figures, the period and recipient on every page.
check_pdf() {
	local f=$1 who=$2 row=$3 days=$4 png n p i txt
	rm -f "$E2E_DIR"/page*.png
	pdftoppm -png -r 40 -f 1 -l 1 "$f" "$E2E_DIR/page" || fail "pdftoppm: $f"
	png=$(ls "$E2E_DIR"/page*.png | head -1)
	python3 - "$png" <<'PY' || fail "$f: the rendered page is blank"
import sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
# decode the image: some pixels are dark (text), some coloured (bars)
import struct
pos, idat, w, h = 8, b"", 0, 0
while pos < len(data):
    n, = struct.unpack(">I", data[pos:pos + 4]); kind = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
dark = colour = 0
i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x:x + 3]
        if r < 100 and g < 100 and bl < 100: dark += 1
        if max(r, g, bl) - min(r, g, bl) > 80: colour += 1
    prev = line
assert dark > 200, ("no text", dark)
assert colour > 50, ("no bar charts", colour)
PY
	txt="$f.txt"
	pdftotext -layout "$f" "$txt" || fail "pdftotext: $f"
	grep -qE "^ *Testpartner Rapport +$row *$" "$txt" ||
		fail "$f: the partner's row is not '$row': $(grep 'Testpartner' "$txt" | head -1)"
	grep -qE "^ *rapporttheme +Rapportdorp +2 +1 *$" "$txt" ||
		fail "$f: no theme/district table"
	grep -qE "Tijd per fase: rapporttheme, Rapportdorp" "$txt" || fail "$f: no phase table"
	# the signal phase of the fixture's area (the first phase after its heading)
	awk '/Tijd per fase: rapporttheme, Rapportdorp/ { on = 1 } on && /^ *signaal / { print; exit }' "$txt" |
		grep -qE "^ *signaal +2 +$days *$" || fail "$f: signal phase not 2 cases, $days days"
	for secret in 2025-9901 2025-9902 Rapportsma "Rapport Gebruiker" "Stuurgroep Lid" \
		Geheim samenvatting "Jeroen" "Bakker"; do
		grep -qF -- "$secret" "$txt" && fail "$f shows '$secret'"
	done
	grep -qE '[0-9]{4}-[0-9]{4}' "$txt" && fail "$f: something like a case number: $(grep -oE '[0-9]{4}-[0-9]{4}' "$txt" | head -1)"
	p=$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Pages: *//p')
	[ -n "$p" ] || p=$(grep -c "pagina " "$txt")
	[ "$p" -ge 1 ] || fail "$f: no pages"
	for i in $(seq 1 "$p"); do
		pdftotext -f "$i" -l "$i" "$f" - >"$E2E_DIR/one.txt"
		grep -qF "Opgesteld voor: $who" "$E2E_DIR/one.txt" || fail "$f: page $i does not name $who"
		grep -qF "periode $5" "$E2E_DIR/one.txt" || fail "$f: page $i lacks the period $5"
	done
}

# the period of 23_reports.sql: 5 agreed, 1 on time, 1 late, 1 cancelled,
# 2 open of which 1 overdue; 2 meetings, 1 attended; signal: 2 cases, 2 + 9
# days
ctl report 2025-01-01 2025-01-10 --pdf "$E2E_DIR/jan.pdf" >/dev/null || fail "tafelctl report --pdf"
# a full disk is said, with why (the PDF was reported written)
for args in "2025-01-01 2025-01-10 --pdf /dev/full" "orgs 2025-01-01 2025-01-10 -o /dev/full"; do
	# shellcheck disable=SC2086
	out=$("$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" report $args 2>&1) &&
		fail "report $args: exit 0: $out"
	echo "$out" | grep -qF "/dev/full: cannot write: No space left on device" ||
		fail "report $args: $out"
done
check_pdf "$E2E_DIR/jan.pdf" "Stuurgroep" "5 +1 +1 +1 +2 +1 +2 +1" "11.0" "01-01-2025 t/m 10-01-2025"

# the quarter: the February action point and meeting too (6 agreed, 3 open,
# 2 overdue, 3 meetings); the second case's signal runs to 31 March: 2 + 89
ctl report --quarter 2025Q1 --pdf "$E2E_DIR/q1.pdf" --for "Stuurgroep Veiligheidshuis" >/dev/null ||
	fail "tafelctl report --quarter --pdf"
check_pdf "$E2E_DIR/q1.pdf" "Stuurgroep Veiligheidshuis" "6 +1 +1 +1 +3 +2 +3 +1" "91.0" \
	"01-01-2025 t/m 31-03-2025"
# CSV by quarter: the same period
ctl report orgs --quarter 2025Q1 -o "$E2E_DIR/q1.csv" || fail "tafelctl report orgs --quarter"
grep -q '^2025-01-01,2025-03-31,Testpartner Rapport,6,1,1,1,3,2,3,1' "$E2E_DIR/q1.csv" ||
	fail "q1.csv: $(grep Testpartner "$E2E_DIR/q1.csv")"
ctl report --quarter 2025Q5 --pdf "$E2E_DIR/bad.pdf" && fail "a fifth quarter"
ctl report 2025-01-01 2025-01-10 >/dev/null && fail "neither a table nor --pdf"

# the steering group through the client: made for its organisation and role
res=$(printf '%s\n' "report-pdf 2025Q1 $E2E_DIR/b.pdf" "report-pdf 2025-01-01 2025-01-10 $E2E_DIR/c.pdf" \
	"report 2025Q1" quit | batch stuur)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] in ("response", "error")]
assert len(r) == 3 and all(x["body"] == "report" for x in r), r
assert r[2]["report"]["from"] == "2025-01-01" and r[2]["report"]["to"] == "2025-03-31", r[2]
' || fail "batch report-pdf: $res"
check_pdf "$E2E_DIR/b.pdf" "Gemeente Eemland-Twente (stuurgroep)" "6 +1 +1 +1 +3 +2 +3 +1" "91.0" \
	"01-01-2025 t/m 31-03-2025"
check_pdf "$E2E_DIR/c.pdf" "Gemeente Eemland-Twente (stuurgroep)" "5 +1 +1 +1 +2 +1 +2 +1" "11.0" \
	"01-01-2025 t/m 10-01-2025"
# a member gets no report, and no PDF
res=$(printf 'report-pdf 2025Q1 %s\nquit\n' "$E2E_DIR/m.pdf" | batch politie)
echo "$res" | grep -q '"code":"forbidden"' || fail "a member got the report: $res"
[ -e "$E2E_DIR/m.pdf" ] && fail "a PDF for a member"
ok
