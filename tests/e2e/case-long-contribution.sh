#!/bin/bash
# A contribution whose facts are near the 8000-byte maximum shows its facts and its judgement whole in the case view (the judgement was cut off after about 4 KB of line, without a mark).
. "$(dirname "$0")/lib.sh"

start_server
read -r num id < <(printf '%s\n' "signal domestic_violence Langdorp person Buren melden ruzie" quit |
	batch politie | pick 'm["case_record"]["number"] + " " + str(m["case_record"]["id"])')
[ -n "$num" ] && [ -n "$id" ] || fail "signal"

# facts of 7990 bytes (words of 10), ending in a mark; a judgement after it
facts="$(printf 'feit%05d ' $(seq 799) | head -c 7980)FEITENEIND"
[ ${#facts} -eq 7990 ] || fail "facts are ${#facts} bytes"
res=$(printf '%s\n' "contribute $id $facts | Zorgelijk: escalatie, regie nodig OORDEELEIND" quit |
	batch politie)
echo "$res" | grep -q '"judgement":"Zorgelijk: escalatie, regie nodig OORDEELEIND"' ||
	fail "contribution not stored whole: $(echo "$res" | cut -c1-300)"

start_client pol politie
wait_for pol "verbonden" || fail "client not connected: $(screen pol)"
open_case pol "$num"
wait_for pol "Inbreng" || fail "no contributions section: $(screen pol)"
# the facts run over some hundred lines; the end of the case is below them
keys pol G
wait_for pol "OORDEELEIND" 5 || fail "the judgement's end is not shown: $(screen pol)"
wait_for pol "FEITENEIND" 5 || fail "the facts' end is not shown: $(screen pol)"
screen pol | grep -qF "oordeel:" || fail "no 'oordeel:' before the judgement: $(screen pol)"
ok
