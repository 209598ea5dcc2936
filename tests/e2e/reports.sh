#!/bin/bash
# Reports: tafelctl report as CSV equals what tafel --batch report answers, also on a desktop with a Dutch locale (decimal comma); a steering-group user gets the report (and its CSV) and nothing else: no case list, no meetings.
. "$(dirname "$0")/lib.sh"

start_server
ctl() { "$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" "$@" 2>>"$E2E_DIR.log"; }
ctl --password-file "$E2E_DIR.pw" user add stuur "Stuurgroep Lid" \
	"Gemeente Eemland-Twente" steering >/dev/null || fail "user add steering"
from=$(date -d '-60 days' +%Y-%m-%d)
to=$(date +%Y-%m-%d)
ctl report orgs "$from" "$to" -o "$E2E_DIR/orgs.csv" || fail "tafelctl report orgs"
ctl report areas "$from" "$to" -o "$E2E_DIR/areas.csv" || fail "tafelctl report areas"
head -1 "$E2E_DIR/orgs.csv" | grep -q '^from,to,org_name,agreed,done_on_time,done_late,cancelled,open,overdue,meetings,attended' ||
	fail "orgs.csv header: $(head -1 "$E2E_DIR/orgs.csv")"

res=$(printf '%s\n' "report $from $to" "report-csv areas $from $to $E2E_DIR/b-areas.csv" \
	"cases" "meetings" quit | batch stuur)
echo "$res" >"$E2E_DIR/steer.out"
python3 - "$E2E_DIR/orgs.csv" "$E2E_DIR/steer.out" <<'PY' || fail "steering: $res"
import csv, json, sys
r = [json.loads(l) for l in open(sys.argv[2]) if l.startswith("{")]
r = [x for x in r if x["type"] in ("response", "error")]
rep = r[0]["report"]
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
byname = {o["org_name"]: o for o in rep["orgs"]}
assert rows and len(rows) == len(byname), (rows, byname)
for row in rows:
    o = byname[row["org_name"]]
    for k in ("agreed", "done_on_time", "done_late", "cancelled", "open",
              "overdue", "meetings", "attended"):
        assert int(row[k]) == o.get(k, 0), (k, row, o)
# the demo has overdue action points and a closed meeting in the period
assert sum(o.get("overdue", 0) for o in rep["orgs"]) > 0, rep
assert sum(o.get("meetings", 0) for o in rep["orgs"]) > 0, rep
assert r[1]["body"] == "report", r[1]
assert r[2]["type"] == "error" and r[2]["code"] == "forbidden", r[2]
assert r[3]["type"] == "error" and r[3]["code"] == "forbidden", r[3]
PY
# same_areas A B: the same rows (days of stays still running may differ by
# the seconds between the two runs)
same_areas() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
a, b = (list(csv.DictReader(open(f, newline=""))) for f in sys.argv[1:3])
assert len(a) == len(b) and a, (len(a), len(b))
for x, y in zip(a, b):
    assert abs(float(x.pop("phase_days")) - float(y.pop("phase_days"))) <= 0.1, (x, y)
    assert x == y, (x, y)
PY
}
same_areas "$E2E_DIR/areas.csv" "$E2E_DIR/b-areas.csv" ||
	fail "batch and tafelctl area CSV differ: $(diff "$E2E_DIR/areas.csv" "$E2E_DIR/b-areas.csv" | head -4 | tr "\n\r" "  ")"
# a Dutch desktop (an installed nl_NL.UTF-8 locale, decimal comma) writes
# the same file: "0.0" days, not "0,0" (when the locale sources are here)
if localedef -i nl_NL -f UTF-8 "$E2E_DIR/nl_NL.UTF-8" >/dev/null 2>&1; then
	printf '%s\n' "report-csv areas $from $to $E2E_DIR/nl-areas.csv" quit |
		LOCPATH=$E2E_DIR LC_ALL=nl_NL.UTF-8 "$TAFEL" --batch --config /dev/null \
		--server "127.0.0.1:$E2E_PORT" --user stuur --ca "$E2E_DIR/tls/ca.crt" \
		--password-file "$E2E_DIR.pw" >/dev/null || fail "report-csv under nl_NL.UTF-8"
	same_areas "$E2E_DIR/areas.csv" "$E2E_DIR/nl-areas.csv" ||
		fail "the CSV under nl_NL.UTF-8 differs: $(diff "$E2E_DIR/areas.csv" "$E2E_DIR/nl-areas.csv" | head -4 | tr "\n\r" "  ")"
else
	echo "(no locale sources: the nl_NL.UTF-8 part is skipped)"
fi
# totals only: no case number, no person
grep -qE '[0-9]{4}-[0-9]{4}|Jeroen|Bakker' "$E2E_DIR/orgs.csv" "$E2E_DIR/areas.csv" &&
	fail "a name or case number in the CSV"
grep -q '^[^,]*,[^,]*,domestic_violence,' "$E2E_DIR/areas.csv" || fail "areas.csv: $(cat "$E2E_DIR/areas.csv")"
# a plain member gets no report
printf 'report %s %s\nquit\n' "$from" "$to" | batch politie | grep -q '"code":"forbidden"' ||
	fail "a member got the report"
ok
