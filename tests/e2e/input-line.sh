#!/bin/bash
# The input line scrolls: text longer than the line keeps its end (where one types) in sight, marked "…" where its start is cut off; the whole text is kept.
. "$(dirname "$0")/lib.sh"

start_server
start_client pol politie
wait_for pol "Overleggen" || fail "no meetings list"
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask for a search"
long="begin-$(printf 'x%.0s' $(seq 1 90))-einde$$"
type_text pol "$long"
wait_for pol "-einde$$" || fail "the end of the typed text is not on screen"
status=$(screen pol | tail -n 2 | head -n 1)
printf '%s' "$status" | grep -q "Zoeken: …x" || fail "no '…' where the text is cut: $status"
printf '%s' "$status" | grep -q "begin-" && fail "the start should scroll out: $status"
# nothing was dropped: the search holds the whole text
keys pol Enter
wait_for pol "/begin-xxx" || fail "search text not kept from its start"
wait_for pol "Geen overleggen gevonden." || fail "the long search was not applied"
ok
