#!/bin/bash
# The info rounds list (8) holds the rounds the user has to do with: asked in, run, or whose answers it may read; not every open round on a case it may know of, with nothing to read or do (reclassering saw the demo's round on 2026-0004, not asked, answers hidden, "-" and "andere antwoorden verborgen"). Its columns line up whether the answers are counted ("0/1") or hidden ("-").
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add voorzitter Enschede-Noord >/dev/null || fail "pm add"
ids=$(printf 'orgs\ncases\nquit\n' | batch voorzitter)
pol=$(echo "$ids" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["name"].startswith("Politie")][0]')
c1=$(echo "$ids" | pick '[x["id"] for x in m["case_list"]["cases"] if x["number"] == "2026-0001"][0]')
[ -n "$pol" ] && [ -n "$c1" ] || fail "ids: $ids"
reply=$(TZ=Europe/Amsterdam date -d '+3 days' +%F)
# a second round, on a case the police registered (its answers counted for them)
printf 'info-round %s %s %s\nquit\n' "$c1" "$reply" "$pol" | batch voorzitter |
	grep -q '"info_round"' || fail "the round on 2026-0001 did not start"

start_client pol politie
start_client rec reclassering
wait_for pol "verbonden" || fail "politie not connected: $(screen pol)"
wait_for rec "verbonden" || fail "reclassering not connected: $(screen rec)"

# the police: asked in both; the demo's round has the others' answers hidden
keys pol 8
wait_re pol "^● 2026-0001 " || fail "politie: round on 2026-0001 not listed: $(screen pol)"
wait_re pol "^  2026-0004 " || fail "politie: round on 2026-0004 not listed: $(screen pol)"
screen pol | python3 -c '
import sys
rows = sys.stdin.read().split("\n")
head = [r for r in rows if "Mijn organisatie" in r][0]
col = head.index("Mijn organisatie")
for num, want in (("2026-0001", "nog geen antwoord"), ("2026-0004", "bekend")):
    row = [r for r in rows if r[2:11] == num][0]
    if row.find(want) != col:
        sys.exit("%s: %r at %d, the column at %d: %r" % (num, want, row.find(want), col, row))
for num, want in (("2026-0001", "0/1"), ("2026-0004", "-")):
    row = [r for r in rows if r[2:11] == num][0]
    if row[head.index("Antw."):].split()[0] != want:
        sys.exit("%s: answers column not %r: %r" % (num, want, row))
' || fail "politie: columns do not line up: $(screen pol)"

# probation: asked in neither, may read neither's answers: nothing listed
keys rec 8
wait_for rec "Tafel · Inforondes" || fail "reclassering: 8 did not open: $(screen rec)"
wait_gone rec "Inforondes laden…" || fail "reclassering: list did not load: $(screen rec)"
wait_for rec "Geen open inforondes" || fail "reclassering: rounds listed it has nothing to do with: $(screen rec)"
screen rec | grep -qE "^. 2026-000[14] " && fail "reclassering: round listed: $(screen rec)"
ok
