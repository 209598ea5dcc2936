#!/bin/bash
# The case list pages: with the list budget lowered so that ~50 cases with long texts take several answers, list_cases says how many it left out (omitted, before=ID gives the next page) and the case list (4) still ends up with every case, down to the oldest, without "niet geladen".
. "$(dirname "$0")/lib.sh"

start_server

# the budget as in sql/functions/60_read.sql, 30000 bytes instead of 960000
sql -c "CREATE OR REPLACE FUNCTION tafel_list_budget()
RETURNS bigint LANGUAGE sql IMMUTABLE AS \$\$ SELECT 30000::bigint \$\$" \
	>>"$E2E_DIR.log" 2>&1 || fail "lowering the list budget: $(tail -3 "$E2E_DIR.log")"

# 48 signals with a long reason (under the write burst of 60 per session)
reason=$(printf 'Buren melden opnieuw harde ruzie en geschreeuw in de woning %.0s' $(seq 12))
out=$(for i in $(seq 48); do
	printf 'signal domestic_violence Paginadorp person %d %s\n' "$i" "$reason"
done | { cat; echo quit; } | batch politie)
made=$(echo "$out" | grep -c '"case_record"')
[ "$made" = 48 ] || fail "48 signals: $made made: $(echo "$out" | grep -v case_record | head -3)"

# list_cases page by page: omitted > 0 on the first page, before=ID goes on
# with older cases only, and the pages end with omitted 0
page() {
	printf 'cases%s\nquit\n' "${1:+ before=$1}" | batch politie | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "case_list":
        l = m["case_list"]
        ids = [c["id"] for c in l.get("cases", [])]
        assert ids == sorted(ids, reverse=True), ids
        print(len(ids), l.get("omitted", 0), ids[0] if ids else 0,
              ids[-1] if ids else 0,
              " ".join(c["number"] for c in l.get("cases", [])))
        sys.exit(0)
sys.exit(1)'
}
before= total=0 pages=0 oldest= newest=
while :; do
	p=$(page "$before") || fail "cases ${before:+before=$before}: no case list"
	set -- $p
	n=$1 omitted=$2 top=$3 last=$4
	shift 4
	[ "$n" -gt 0 ] || fail "cases ${before:+before=$before}: an empty page"
	[ -z "$before" ] || [ "$top" -lt "$before" ] ||
		fail "cases before=$before: case $top is not older (before= not sent?)"
	[ -n "$newest" ] || newest=$1
	eval "oldest=\${$#}"
	total=$((total + n)) pages=$((pages + 1))
	if [ "$pages" = 1 ]; then
		[ "$omitted" -gt 0 ] || fail "the first page left nothing out (omitted $omitted of $n): no paging"
		[ $((n + omitted)) -ge 48 ] || fail "first page: $n + omitted $omitted"
		first_n=$n first_omitted=$omitted
	fi
	[ "$omitted" -gt 0 ] || break
	[ "$pages" -lt 50 ] || fail "more than 50 pages"
	before=$last
done
[ "$pages" -ge 3 ] || fail "only $pages pages: the budget did not take"
[ "$total" = $((first_n + first_omitted)) ] ||
	fail "$total cases in $pages pages, the first said $first_n + $first_omitted"
echo "# $total cases in $pages pages, oldest $oldest, newest $newest"

# the case list gets every page: all cases counted, the oldest at the end
start_client pol politie
wait_for pol "verbonden" || fail "client not connected: $(screen pol)"
keys pol 4
wait_for pol "Tafel · Casussen" || fail "4 did not open the case list: $(screen pol)"
wait_for pol " $newest " || fail "the newest case $newest is not listed: $(screen pol)"
# the case lines of a full screen (once more cases are here than fit),
# and below them the rest counted
wait_re pol '^ +\+[0-9]+ meer' || fail "no '+N meer' under the list: $(screen pol)"
vis=$(screen pol | grep -cE '^ +[0-9]{4}-[0-9]+ ')
[ "$vis" -gt 5 ] || fail "only $vis case lines: $(screen pol)"
wait_for pol "+$((total - vis)) meer" ||
	fail "the list does not count all $total cases (+$((total - vis)) meer): $(screen pol)"
# to the end (no End key): one j per case
set --
for i in $(seq "$total"); do set -- "$@" j; done
keys pol "$@"
wait_re pol "^ +$oldest " || fail "the oldest case $oldest is not at the end: $(screen pol)"
wait_gone pol " meer" 5 || fail "not at the end of the list: $(screen pol)"
screen pol | grep -qF "niet geladen" && fail "cases not loaded: $(screen pol)"
screen pol | cut -c1-80 | grep -E '^ +[0-9]{4}-[0-9]+ ' | tail -n 1 | grep -qE "^ +$oldest " ||
	fail "the oldest case $oldest is not the last line: $(screen pol)"
ok
